"""The admin API under `/_emulator` (DESIGN.md): health, reset and the emulated clock."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from aiohttp import web

from ..clock import ClockError, VirtualClock
from ..durations import DurationError, parse_duration
from ..model.errors import BadRequest
from ..wire import format_date, json_response
from .context import emulator_of
from .params import int_query, json_body, read_body, text_query

ADMIN = "/_emulator"


def clock_body(clock: VirtualClock) -> dict:
    return {"now": format_date(clock.now()), "speed": clock.speed, "frozen": clock.frozen}


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def reset(request: web.Request) -> web.Response:
    """`?defaults=true` also restores the start-up scenario and clock speed (what the pytest fixture uses)."""
    defaults = (text_query(request, "defaults") or "false").strip().lower()
    if defaults not in ("true", "false"):
        raise BadRequest("defaults must be true or false.", parameters={"defaults": defaults})
    emulator_of(request).reset(defaults=defaults == "true")
    return json_response({"status": "reset"})


async def get_clock(request: web.Request) -> web.Response:
    return json_response(clock_body(emulator_of(request).clock))


async def _admin_object(request: web.Request, allowed: set[str]) -> dict:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise BadRequest(f"Unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}.",
                         parameters={"key": unknown[0]})
    return body


def _parse_moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise BadRequest("now must be an ISO 8601 time such as 2026-12-04T19:10:41Z.")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadRequest(f"now {value!r} is not an ISO 8601 time such as 2026-12-04T19:10:41Z.") from None
    if moment.tzinfo is None:
        raise BadRequest("now needs a time zone; end it with Z.")
    return moment


async def put_clock(request: web.Request) -> web.Response:
    body = await _admin_object(request, {"now", "speed", "frozen"})
    clock = emulator_of(request).clock
    moment = _parse_moment(body["now"]) if "now" in body else None
    if "frozen" in body and not isinstance(body["frozen"], bool):
        raise BadRequest("frozen must be true or false.")
    if "speed" in body:
        speed = body["speed"]
        if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 < speed <= 1_000_000:
            raise BadRequest("speed must be a number above 0 and at most 1000000.")
    if moment is not None and moment < clock.now():
        raise BadRequest("The clock never goes backwards.", parameters={"now": format_date(clock.now())})
    # Everything is checked above, so the clock changes all at once or not at all.
    try:
        if moment is not None:
            clock.jump_to(moment)
        if "speed" in body:
            clock.speed = body["speed"]
        if "frozen" in body:
            clock.frozen = body["frozen"]
    except ClockError as exc:
        raise BadRequest(str(exc)) from None
    return json_response(clock_body(clock))


async def advance_clock(request: web.Request) -> web.Response:
    body = await _admin_object(request, {"seconds", "by"})
    if len(body) != 1:
        raise BadRequest('Give exactly one of {"seconds": N} or {"by": "90m"}.')
    try:
        if "seconds" in body:
            if isinstance(body["seconds"], bool) or not isinstance(body["seconds"], (int, float)):
                raise DurationError("seconds must be a number")
            seconds = parse_duration(body["seconds"])
        else:
            if not isinstance(body["by"], str):
                raise DurationError("by must be a string such as 90m")
            seconds = parse_duration(body["by"])
    except DurationError as exc:
        raise BadRequest(str(exc)) from None
    clock = emulator_of(request).clock
    try:
        clock.advance(seconds)
    except ClockError as exc:
        raise BadRequest(str(exc)) from None
    return json_response(clock_body(clock))


def scenario_body(emulator) -> dict:
    scenario = emulator.scenario
    if scenario is None:
        return {"sources": [], "description": "", "clock": {}, "settings": {}, "clients": [], "faults": [], "text": ""}
    return {
        "sources": scenario.sources,
        "description": scenario.description,
        "clock": {k: format_date(v) if isinstance(v, datetime) else v for k, v in scenario.clock.items()},
        "settings": scenario.settings,
        "clients": [{"id": c.id, "tenant": c.tenant, "cannot_read": sorted(c.cannot_read)}
                    for c in scenario.clients.values()],
        "faults": [rule.describe() for rule in emulator.faults.rules],
        "text": scenario.text,
    }


async def get_scenario(request: web.Request) -> web.Response:
    return json_response(scenario_body(emulator_of(request)))


async def put_scenario(request: web.Request) -> web.Response:
    """Replace the active scenario (YAML or JSON body); on any error the old one stays active."""
    from ..scenarios import ScenarioError, load_text

    source = request.query.get("source") or "scenario"
    raw = await read_body(request)
    try:
        scenario = load_text(raw.decode("utf-8"), source)
    except UnicodeDecodeError:
        raise BadRequest("The scenario is not valid UTF-8.") from None
    except ScenarioError as exc:
        raise BadRequest(str(exc), error="The scenario is invalid.", resolution="Fix the scenario and send it again.",
                         parameters={"file": exc.source, "line": exc.line, "key": exc.key}) from None
    emulator = emulator_of(request)
    try:
        emulator.apply_scenario(scenario)
    except ClockError as exc:
        raise BadRequest(f"{source}: {exc}", error="The scenario is invalid.", parameters={"key": "clock.start"}) from None
    return json_response(scenario_body(emulator))


async def get_faults(request: web.Request) -> web.Response:
    return json_response({"faults": [rule.describe() for rule in emulator_of(request).faults.rules]})


async def get_requests(request: web.Request) -> web.Response:
    status = int_query(request, "status", default=0, low=0, high=599) or None
    entries = emulator_of(request).journal.query(method=text_query(request, "method"), path=text_query(request, "path"),
                                                 status=status, route=text_query(request, "route"))
    return json_response({"requests": entries, "count": len(entries)})


async def clear_requests(request: web.Request) -> web.Response:
    emulator_of(request).journal.clear()
    return web.Response(status=204)


async def get_state(request: web.Request) -> web.Response:
    """Every namespace's data as one JSON snapshot, for `PUT /_emulator/state` to bring back."""
    from ..model.snapshot import export_state

    return json_response(export_state(emulator_of(request)))


async def put_state(request: web.Request) -> web.Response:
    """Replace all data with a snapshot; on any error nothing changes."""
    from ..model.snapshot import import_state

    import_state(emulator_of(request), await json_body(request))
    return json_response({"status": "restored", "namespaces": len(emulator_of(request).namespaces())})


async def get_overview(request: web.Request) -> web.Response:
    """What the page shows: clock, scenario, each namespace's signups, the last requests."""
    emulator = emulator_of(request)
    now = emulator.clock.now()
    namespaces = []
    for namespace in emulator.namespaces():
        signups = []
        for signup in namespace.signups:
            signup.refresh(now, emulator.settings.inactivity_expiry)
            signups.append({"id": signup.id, "name": signup.name, "owner": signup.owner.client_id,
                            "signupState": signup.state.value, "resources": len(signup.resources),
                            "modifiedDate": format_date(signup.modified)})
        namespaces.append({"tenant": namespace.tenant, "namespace": namespace.id, "signups": signups,
                           "types": len(namespace.types.all()), "streams": len(namespace.streams.all()),
                           "changes": len(namespace.log)})
    scenario = emulator.scenario
    return json_response({
        "clock": clock_body(emulator.clock),
        "scenario": {"sources": scenario.sources if scenario else [],
                     "description": scenario.description if scenario else "", "faults": len(emulator.faults.rules)},
        "namespaces": namespaces,
        "requests": emulator.journal.query()[-20:][::-1],
    })


async def get_openapi(request: web.Request) -> web.Response:
    from .openapi import document

    return json_response(document())


PAGE = Path(__file__).resolve().parent / "static" / "page.html"


async def get_page(request: web.Request) -> web.Response:
    return web.Response(body=PAGE.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"})


ROUTES = [
    ("GET", ADMIN + "/health", health, "admin_health"),
    ("POST", ADMIN + "/reset", reset, "admin_reset"),
    ("GET", ADMIN + "/clock", get_clock, "admin_get_clock"),
    ("PUT", ADMIN + "/clock", put_clock, "admin_put_clock"),
    ("POST", ADMIN + "/clock/advance", advance_clock, "admin_advance_clock"),
    ("GET", ADMIN + "/scenario", get_scenario, "admin_get_scenario"),
    ("PUT", ADMIN + "/scenario", put_scenario, "admin_put_scenario"),
    ("GET", ADMIN + "/faults", get_faults, "admin_get_faults"),
    ("GET", ADMIN + "/requests", get_requests, "admin_get_requests"),
    ("DELETE", ADMIN + "/requests", clear_requests, "admin_clear_requests"),
    ("GET", ADMIN + "/overview", get_overview, "admin_overview"),
    ("GET", ADMIN + "/state", get_state, "admin_get_state"),
    ("PUT", ADMIN + "/state", put_state, "admin_put_state"),
    ("GET", ADMIN + "/openapi.json", get_openapi, "admin_openapi"),
    ("GET", ADMIN + "/", get_page, "admin_page"),
]

"""The admin API under `/_emulator` (DESIGN.md): health, reset and the emulated clock."""
from __future__ import annotations

from datetime import datetime

from aiohttp import web

from ..clock import ClockError, VirtualClock
from ..durations import DurationError, parse_duration
from ..model.errors import BadRequest
from ..wire import format_date, json_response
from .context import emulator_of
from .params import json_body

ADMIN = "/_emulator"


def clock_body(clock: VirtualClock) -> dict:
    return {"now": format_date(clock.now()), "speed": clock.speed, "frozen": clock.frozen}


async def health(request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def reset(request: web.Request) -> web.Response:
    emulator_of(request).reset()
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
    clock.advance(seconds)
    return json_response(clock_body(clock))


ROUTES = [
    ("GET", ADMIN + "/health", health, "admin_health"),
    ("POST", ADMIN + "/reset", reset, "admin_reset"),
    ("GET", ADMIN + "/clock", get_clock, "admin_get_clock"),
    ("PUT", ADMIN + "/clock", put_clock, "admin_put_clock"),
    ("POST", ADMIN + "/clock/advance", advance_clock, "admin_advance_clock"),
]

"""The fault layer of the middleware: applies a scenario's HTTP faults, journals and logs every request.

It runs before authentication, so an injected 503 comes first (as an outage would), and the journal
and log record the status the client really got. Admin routes are logged but never
faulted or journaled: a test must always be able to look and to recover.
"""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from ..clock import stopwatch
from ..formats import dumps
from ..model.faults import Rule
from ..model.journal import journal_entry
from ..wire import JSON, error_body, operation_id, stamp
from .admin import ADMIN
from .context import FAULTS

log = logging.getLogger("emulator.requests")


def log_request(emulator, record: tuple) -> None:
    """One line per request: text by default, a JSON object per line with `--log-format json`."""
    if not log.isEnabledFor(logging.INFO):
        return
    entry = journal_entry(record)
    if emulator.settings.log_format == "json":
        log.info(dumps(entry).decode())
    else:
        fault = ",".join(entry["faults"]) or "-"
        log.info("%s %s %s %.1fms fault=%s", entry["method"], entry["path"],
                 entry["status"] if entry["status"] is not None else "dropped", entry["ms"], fault)


def _injected_response(request: web.Request, rule: Rule) -> web.Response:
    spec = rule.actions["respond"]
    body = spec["body"]
    headers = dict(spec["headers"])
    if body is None and spec["status"] >= 400:
        body = error_body(operation_id(request), "Injected fault.",
                          f"The scenario rule {rule.name!r} answered {spec['status']}.",
                          "Retry as the real service would ask you to.")
    if body is None:
        return web.Response(status=spec["status"], headers=headers)
    if isinstance(body, str):
        headers.setdefault("Content-Type", "text/plain")
        return web.Response(status=spec["status"], body=body.encode("utf-8"), headers=headers)
    headers.setdefault("Content-Type", JSON)
    return web.Response(status=spec["status"], body=dumps(body), headers=headers)


async def _truncated(request: web.Request, response: web.StreamResponse, spec: dict) -> web.StreamResponse:
    """Headers promise the whole body; the connection closes part way through it."""
    body = getattr(response, "body", None) or b""
    if not isinstance(body, (bytes, bytearray)):
        return response
    cut = min(spec.get("bytes", len(body) // 2), max(len(body) - 1, 0))
    partial = web.StreamResponse(status=response.status, headers=response.headers)
    partial.content_length = len(body)
    await partial.prepare(request)
    await partial.write(bytes(body[:cut]))
    if request.transport is not None:
        request.transport.abort()
    return partial


async def observed(request: web.Request, emulator, now, answer) -> web.StreamResponse:
    """`answer()` as the scenario's HTTP faults allow, journaled, logged and stamped."""
    elapsed = stopwatch()
    if request.path.startswith(ADMIN):
        response = stamp(request, await answer(), now)
        log_request(emulator, (now, request.method, request.path, request.query_string, "admin", response.status,
                               round(elapsed(), 3), ()))
        return response
    route = request.match_info.route.name or "unmatched"
    faults = emulator.faults.for_request(route, request.method, request.path, request.match_info.get("tenant_id"),
                                         request.match_info.get("namespace_id"), request.headers)
    request[FAULTS] = faults
    status: int | None = None
    try:
        response: web.StreamResponse | None = None
        truncate = None
        for rule in faults.http_rules():
            low, high = rule.actions.get("delay", (0.0, 0.0))
            if high > 0:
                await asyncio.sleep(low if low == high else rule.action_rng.uniform(low, high))
            if rule.actions.get("drop"):
                if request.transport is not None:
                    request.transport.abort()
                return web.Response(status=499)
            if "respond" in rule.actions and response is None:
                response = _injected_response(request, rule)
            if "truncate" in rule.actions:
                truncate = rule.actions["truncate"]
        if response is None:
            response = await answer()
        stamp(request, response, now)
        status = response.status
        if truncate is not None:
            return await _truncated(request, response, truncate)
        return response
    finally:
        entry = (now, request.method, request.path, request.query_string, route, status, round(elapsed(), 3),
                 tuple(faults.fired))
        emulator.journal.record(entry)
        log_request(emulator, entry)

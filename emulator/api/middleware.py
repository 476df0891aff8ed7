"""Cross-cutting HTTP behaviour: who is calling, the service's error body, and Operation-Id."""
from __future__ import annotations

import hmac
import logging

from aiohttp import web

from ..model.errors import MethodNotAllowed, NotFound, PayloadTooLarge, ServiceError, Unauthorized
from ..wire import error_body, json_response, operation_id
from .admin import ADMIN
from .context import EMULATOR, NOW, PRINCIPAL, emulator_of
from .faults import observed

log = logging.getLogger("emulator")


def error_response(request: web.Request, exc: ServiceError) -> web.Response:
    body = error_body(operation_id(request), exc.error, exc.reason, exc.resolution, exc.parameters)
    return json_response(body, status=exc.status, headers=exc.headers)


def _as_service_error(request: web.Request, exc: web.HTTPException) -> ServiceError:
    if exc.status == 404:
        return NotFound(f"No route matches {request.path!r}.", error="The route was not found.",
                        resolution="Check the URL against the API reference.")
    if exc.status == 405:
        allowed = exc.headers.get("Allow", "")
        return MethodNotAllowed(f"{request.method} is not allowed on {request.path!r}.",
                                parameters={"allowed": allowed}, headers={"Allow": allowed})
    if exc.status == 413:
        return PayloadTooLarge(exc.text or "The request body is too large.")
    error = ServiceError(exc.reason or "The request failed.")
    error.status = exc.status
    return error


@web.middleware
async def pipeline(request: web.Request, handler) -> web.StreamResponse:
    """The one middleware (each layer costs microseconds on every request).

    Reads the emulated time once, lets the fault layer inject, journal and log around the answer,
    and stamps Operation-Id and Date on what goes out.
    """
    emulator = request.app[EMULATOR]
    now = request[NOW] = emulator.clock.now()
    return await observed(request, emulator, now, lambda: answered(request, handler))


async def answered(request: web.Request, handler) -> web.StreamResponse:
    """Authenticates the caller, then answers every failure in the service's error format."""
    try:
        authenticate(request)
        return await handler(request)
    except ServiceError as exc:
        return error_response(request, exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_response(request, _as_service_error(request, exc))
    except Exception:  # a bug: answer in the service's format rather than with a traceback
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(request, ServiceError("The emulator hit an unexpected error."))


def authenticate(request: web.Request) -> None:
    """Tenant-scoped routes need a caller; admin routes need the admin token when one is set."""
    if request.path.startswith(ADMIN):
        token = emulator_of(request).settings.admin_token
        # A browser cannot set the header on the page's address, so GETs may give ?admin_token= instead.
        given = request.headers.get("Authorization", "")
        if request.method == "GET" and "admin_token" in request.query:
            given = "Bearer " + request.query["admin_token"]
        if token and request.path != ADMIN + "/health" and not hmac.compare_digest(
                given.encode(), f"Bearer {token}".encode()):
            raise Unauthorized("The admin routes need the admin token.",
                               resolution="Send Authorization: Bearer <the --admin-token value>.")
        return
    tenant = request.match_info.get("tenant_id")
    if tenant is not None:
        emulator = emulator_of(request)
        request[PRINCIPAL] = emulator.identity.authenticate(
            request.headers.get("Authorization"), tenant, request.get(NOW) or emulator.clock.now())



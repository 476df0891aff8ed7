"""What crosses the wire: JSON bodies, casing, dates, error bodies and the Operation-Id header.

Rules from SPEC.md section 1: responses are camelCase (except SDS bodies and error bodies, which
keep PascalCase), request keys are matched case-insensitively, dates are ISO 8601 UTC with a `Z`,
and the content type is exactly `application/json`.
"""
from __future__ import annotations

import itertools
import uuid
from typing import Any, Mapping

from aiohttp import web

from .formats import dumps, format_date, http_date  # noqa: F401  (re-exported for handlers)

JSON = "application/json"
OPERATION_ID = "Operation-Id"


_RUN = uuid.uuid4().hex
_SERIAL = itertools.count(1)


def new_operation_id() -> str:
    """A GUID unique to this response: random per process, then a serial (cheaper than uuid4 per call)."""
    return f"{_RUN[:8]}-{_RUN[8:12]}-4{_RUN[13:16]}-a{_RUN[17:20]}-{next(_SERIAL):012x}"


def operation_id(request: web.Request) -> str:
    """One Operation-Id per request, shared by its response header and its error body."""
    found = request.get("operation_id")
    if found is None:
        found = request["operation_id"] = new_operation_id()
    return found


def stamp(request: web.Request, response: web.StreamResponse, now) -> web.StreamResponse:
    """Operation-Id on every response, and a Date header from the emulated clock, not the wall clock."""
    response.headers[OPERATION_ID] = operation_id(request)
    response.headers["Date"] = http_date(now)
    return response


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    response = web.Response(body=dumps(body), status=status, headers=headers)
    response.headers["Content-Type"] = JSON
    return response


def error_body(op_id: str, error: str, reason: str, resolution: str, parameters: Mapping[str, Any] | None = None) -> dict:
    return {
        "OperationId": op_id,
        "Error": error,
        "Reason": reason,
        "Resolution": resolution,
        "Parameters": {str(k): _parameter_text(v) for k, v in (parameters or {}).items()},
    }


def _parameter_text(value: Any) -> str | None:
    """SDS documents `Parameters` as a string-to-string map; typed clients deserialize it as one."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def folded(body: Mapping[str, Any]) -> dict[str, Any]:
    """Request keys folded to lower case, so `ResourceIds` and `resourceIds` are the same key."""
    return {str(k).lower(): v for k, v in body.items()}


def query_value(request: web.Request, name: str) -> str | None:
    """One query parameter, matched case-insensitively; None when absent.

    A parameter given twice is ambiguous and raises `ValueError`.
    """
    values = [v for k, v in request.query.items() if k.lower() == name.lower()]
    if len(values) > 1:
        raise ValueError(name)
    return values[0] if values else None


def query_values(request: web.Request, name: str) -> list[str]:
    return [v for k, v in request.query.items() if k.lower() == name.lower()]


def header_value(request: web.Request, name: str) -> str | None:
    """A header's value, None when absent or blank (aiohttp already matches names case-insensitively)."""
    value = request.headers.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()

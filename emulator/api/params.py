"""Parsing of query strings and JSON bodies into plain values, with a 400 in the service's shape for anything else."""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from ..model.errors import BadRequest, PayloadTooLarge
from ..wire import folded, query_value

MAX_BODY = 1024 * 1024
INT32_MAX = 2**31 - 1


def int_query(request: web.Request, name: str, *, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]; out of range or not an integer is a 400, never a clamp."""
    try:
        raw = query_value(request, name)
    except ValueError:
        raise BadRequest(f"The query parameter {name!r} is given more than once.", parameters={name: None}) from None
    if raw is None:
        return default
    text = raw.strip()
    if not text or not text.lstrip("+-").isdigit() or not text.isascii() or len(text) > 12:
        raise BadRequest(f"The query parameter {name!r} must be an integer; got {raw!r}.", parameters={name: raw})
    value = int(text)
    if not low <= value <= high:
        raise BadRequest(f"The query parameter {name!r} must be between {low} and {high}; got {value}.",
                         parameters={name: raw})
    return value


def text_query(request: web.Request, name: str) -> str | None:
    try:
        return query_value(request, name)
    except ValueError:
        raise BadRequest(f"The query parameter {name!r} is given more than once.", parameters={name: None}) from None


async def read_body(request: web.Request) -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise PayloadTooLarge(f"The body is {request.content_length} bytes; the limit is {MAX_BODY}.")
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise PayloadTooLarge(f"The body is over the limit of {MAX_BODY} bytes.") from None


async def json_body(request: web.Request) -> Any:
    raw = await read_body(request)
    if not raw.strip():
        raise BadRequest("The request body is empty; a JSON body is required.")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("The request body is not valid UTF-8.") from None
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    except ValueError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.") from None


async def json_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object with keys folded to lower case (request keys are case-insensitive)."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise BadRequest(f"The request body must be a JSON object, not {_json_kind(body)}.")
    return folded(body)


def optional_string(body: dict[str, Any], key: str, label: str) -> str | None:
    value = body.get(key.lower())
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{label} must be a string, not {_json_kind(value)}.", parameters={label: value})
    _check_text(value, label)
    return value


def optional_string_list(body: dict[str, Any], key: str, label: str) -> list[str] | None:
    value = body.get(key.lower())
    if value is None:
        return None
    if not isinstance(value, list):
        raise BadRequest(f"{label} must be an array of strings, not {_json_kind(value)}.", parameters={label: None})
    for item in value:
        if not isinstance(item, str):
            raise BadRequest(f"{label} must hold only strings; it holds {_json_kind(item)}.", parameters={label: None})
        _check_text(item, label)
    return value


def _check_text(value: str, label: str) -> None:
    """Lone surrogates (`"\\ud800"`) parse as JSON but are not text; refuse them rather than store them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{label} holds an unpaired surrogate, which is not valid text.", parameters={label: None}) from None


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"

"""The SDS slice of SPEC.md section 5: types, streams and stream data, with SDS's PascalCase bodies."""
from __future__ import annotations

import base64
import json

from aiohttp import web

from ..model.changelog import Operation
from ..model.errors import BadRequest
from ..model.sds.streams import Stream
from ..model.sds.types import SdsType
from ..wire import dumps, format_date, json_response, query_values
from .context import call
from .params import INT32_MAX, int_query, json_body, text_query

TYPES = "/Types"
TYPE = "/Types/{type_id}"
STREAMS = "/Streams"
STREAM = "/Streams/{stream_id}"
DATA = "/Streams/{stream_id}/Data"
MAX_READ = 250_000


def type_body(sds_type: SdsType) -> dict:
    created = format_date(sds_type.created) if sds_type.created else None
    return {**sds_type.body, "CreatedDate": created, "ModifiedDate": created}


def stream_body(stream: Stream) -> dict:
    return {**stream.body, "CreatedDate": format_date(stream.created),
            "ModifiedDate": format_date(stream.modified or stream.created)}


def _page(request: web.Request, items: list) -> list:
    skip = int_query(request, "skip", default=0, low=0, high=INT32_MAX)
    count = int_query(request, "count", default=100, low=1, high=1000)
    return items[skip: skip + count]


# -- types -------------------------------------------------------------------------------------
async def get_or_create_type(request: web.Request) -> web.Response:
    body = await json_body(request)
    c = call(request)
    sds_type, created = c.namespace.get_or_create_type(request.match_info["type_id"], body, c.now)
    return json_response(type_body(sds_type), status=201 if created else 200)


async def get_type(request: web.Request) -> web.Response:
    c = call(request)
    return json_response(type_body(c.namespace.types.get(request.match_info["type_id"])))


async def list_types(request: web.Request) -> web.Response:
    c = call(request)
    return json_response([type_body(t) for t in _page(request, c.namespace.types.all())])


async def delete_type(request: web.Request) -> web.Response:
    c = call(request)
    c.namespace.delete_type(request.match_info["type_id"])
    return web.Response(status=204)


# -- streams -----------------------------------------------------------------------------------
async def get_or_create_stream(request: web.Request) -> web.Response:
    body = await json_body(request)
    c = call(request)
    stream, created = c.namespace.get_or_create_stream(request.match_info["stream_id"], body, c.now)
    return json_response(stream_body(stream), status=201 if created else 200)


async def create_or_update_stream(request: web.Request) -> web.Response:
    body = await json_body(request)
    c = call(request)
    c.namespace.create_or_update_stream(request.match_info["stream_id"], body, c.now)
    return web.Response(status=204)


async def get_stream(request: web.Request) -> web.Response:
    c = call(request)
    return json_response(stream_body(c.namespace.streams.get(request.match_info["stream_id"])))


async def list_streams(request: web.Request) -> web.Response:
    term = text_query(request, "query")
    c = call(request)
    return json_response([stream_body(s) for s in _page(request, c.namespace.streams.search(term))])


async def delete_stream(request: web.Request) -> web.Response:
    c = call(request)
    c.namespace.delete_stream(request.match_info["stream_id"])
    return web.Response(status=204)


# -- data --------------------------------------------------------------------------------------
async def insert_values(request: web.Request) -> web.Response:
    body = await json_body(request)
    c = call(request)
    c.namespace.write(request.match_info["stream_id"], Operation.INSERT, body, c.now)
    return web.Response(status=204)


async def update_values(request: web.Request) -> web.Response:
    """PUT is an upsert, or a replace with `allowCreate=false`."""
    allow_create = (text_query(request, "allowCreate") or "true").strip().lower()
    if allow_create not in ("true", "false"):
        raise BadRequest("allowCreate must be true or false.", parameters={"allowCreate": allow_create})
    body = await json_body(request)
    c = call(request)
    operation = Operation.UPDATE if allow_create == "true" else Operation.REPLACE
    c.namespace.write(request.match_info["stream_id"], operation, body, c.now)
    return web.Response(status=204)


async def remove_values(request: web.Request) -> web.Response:
    indexes = query_values(request, "index")
    start, end = text_query(request, "startIndex"), text_query(request, "endIndex")
    c = call(request)
    stream_id = request.match_info["stream_id"]
    if indexes and start is None and end is None:
        c.namespace.remove(stream_id, indexes, c.now)
    elif start is not None and end is not None and not indexes:
        c.namespace.remove_window(stream_id, start, end, c.now)
    else:
        raise BadRequest("Remove needs one or more index values, or startIndex and endIndex.",
                         parameters={"index": ",".join(indexes)})
    return web.Response(status=204)


async def get_values(request: web.Request) -> web.Response:
    if (text_query(request, "filter") or "").strip():
        raise BadRequest("Filter expressions are not supported by the emulator.",
                         resolution="Read a window and filter on the client.")
    indexes = query_values(request, "index")
    start, end = text_query(request, "startIndex"), text_query(request, "endIndex")
    c = call(request)
    stream = c.namespace.streams.get(request.match_info["stream_id"])
    if indexes and start is None and end is None:
        return json_response(stream.at(indexes))
    if start is not None and end is not None and not indexes:
        count = int_query(request, "count", default=MAX_READ, low=1, high=MAX_READ)
        token = text_query(request, "continuationToken")
        if token is None:
            return json_response(stream.window(start, end, count))
        events, after = stream.window_page(start, end, count, _continue_after(token))
        return json_response({"Results": events, "ContinuationToken": _continuation(after)})
    raise BadRequest("Read values with index, or with startIndex and endIndex.")


def _continuation(after: list | None) -> str | None:
    return None if after is None else base64.urlsafe_b64encode(dumps(after)).decode("ascii")


def _continue_after(token: str) -> list | None:
    """The key a continuation token says to continue after; an empty token starts the window."""
    if not token.strip():
        return None
    try:
        after = json.loads(base64.urlsafe_b64decode(token.strip().encode("ascii")))
    except (ValueError, UnicodeError):
        after = None
    if not isinstance(after, list) or not after:
        raise BadRequest("The continuation token is malformed.", parameters={"continuationToken": "malformed"})
    return after


async def get_stream_type(request: web.Request) -> web.Response:
    c = call(request)
    return json_response(type_body(c.namespace.streams.get(request.match_info["stream_id"]).type))


async def get_type_reference_count(request: web.Request) -> web.Response:
    c = call(request)
    sds_type = c.namespace.types.get(request.match_info["type_id"])
    return json_response({"SdsStream": c.namespace.streams.count_using(sds_type), "SdsStreamView": 0, "SdsType": 0})


async def get_first_value(request: web.Request) -> web.Response:
    c = call(request)
    return json_response(c.namespace.streams.get(request.match_info["stream_id"]).first())


async def get_last_value(request: web.Request) -> web.Response:
    c = call(request)
    return json_response(c.namespace.streams.get(request.match_info["stream_id"]).last())


ROUTES = [
    ("GET", TYPES, list_types, "list_types"),
    ("POST", TYPE, get_or_create_type, "get_or_create_type"),
    ("GET", TYPE, get_type, "get_type"),
    ("DELETE", TYPE, delete_type, "delete_type"),
    ("GET", TYPE + "/ReferenceCount", get_type_reference_count, "get_type_reference_count"),
    ("GET", STREAMS, list_streams, "list_streams"),
    ("POST", STREAM, get_or_create_stream, "get_or_create_stream"),
    ("PUT", STREAM, create_or_update_stream, "create_or_update_stream"),
    ("GET", STREAM, get_stream, "get_stream"),
    ("DELETE", STREAM, delete_stream, "delete_stream"),
    ("GET", STREAM + "/Type", get_stream_type, "get_stream_type"),
    ("POST", DATA, insert_values, "insert_values"),
    ("PUT", DATA, update_values, "update_values"),
    ("DELETE", DATA, remove_values, "remove_values"),
    ("GET", DATA, get_values, "get_values"),
    ("GET", DATA + "/First", get_first_value, "get_first_value"),
    ("GET", DATA + "/Last", get_last_value, "get_last_value"),
]

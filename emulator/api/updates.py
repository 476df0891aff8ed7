"""The Updates route of SPEC.md section 4: `GET …/signups/{id}/updates?bookmark=…`."""
from __future__ import annotations

from aiohttp import web

from ..formats import dumps
from ..model.changelog import Operation
from ..model.updates import Page
from ..wire import JSON
from .context import call
from .params import text_query

#: AVEVA's Python client knows the two removals as Delete/DeleteWindow (setting `operation_names`).
OPERATION_NAMES = {
    "documented": {op: op.value for op in Operation},
    "python-client": {**{op: op.value for op in Operation}, Operation.REMOVE: "Delete",
                      Operation.REMOVE_WINDOW: "DeleteWindow"},
}


#: The JSON that opens an item, per naming, operation and resource id (a poll repeats the same few).
_HEADS: dict = {}


def _head(naming: str, operation: Operation, resource_id: str) -> bytes:
    key = (naming, operation, resource_id)
    head = _HEADS.get(key)
    if head is None:
        if len(_HEADS) > 100_000:
            _HEADS.clear()
        head = _HEADS[key] = (b'{"resourceId":' + dumps(resource_id) + b',"operation":'
                              + dumps(OPERATION_NAMES[naming][operation]) + b',"events":')
    return head


def updates_body(page: Page, bookmark: str, naming: str) -> bytes:
    """The response written from the log's stored JSON, without parsing the events again."""
    items = b",".join(_head(naming, item.operation, item.resource_id) + item.events + b"}" for item in page.items)
    # A bookmark is base64url text and a dot: nothing in it needs escaping.
    return b'{"data":[' + items + b'],"bookmark":"' + bookmark.encode("ascii") + b'"}'


async def get_updates(request: web.Request) -> web.Response:
    token = text_query(request, "bookmark")
    c = call(request)
    signup = c.namespace.access_signup(request.match_info["signup_id"], c.principal, c.community, c.now)
    page, bookmark = c.namespace.updates(signup, token, c.now, c.faults)
    body = updates_body(page, bookmark, c.emulator.settings.operation_names)
    return web.Response(body=body, headers={"Content-Type": JSON})


ROUTES = [("GET", "/signups/{signup_id}/updates", get_updates, "get_updates")]

"""The Signups routes of SPEC.md section 2."""
from __future__ import annotations

from aiohttp import web

from ..model.errors import BadRequest
from ..model.signups import ResourceFilter, Signup, page
from ..wire import format_date, json_response
from .context import call
from .params import INT32_MAX, int_query, json_object, optional_string, optional_string_list, text_query

SIGNUPS = "/signups"
SIGNUP = "/signups/{signup_id}"


def signup_body(signup: Signup) -> dict:
    body = {
        "id": signup.id,
        "name": signup.name,
        "owner": signup.owner.trustee(signup.tenant),
        "communityId": signup.community_id,
        "type": "Stream",
        "createdDate": format_date(signup.created),
        "modifiedDate": format_date(signup.modified),
        "signupState": signup.state.value,
    }
    if signup.expired_at is not None:
        body["expiredDate"] = format_date(signup.expired_at)
    return body


async def list_signups(request: web.Request) -> web.Response:
    skip = int_query(request, "skip", default=0, low=0, high=INT32_MAX)
    count = int_query(request, "count", default=100, low=1, high=1000)
    c = call(request)
    signups = c.namespace.signups.visible_to(c.principal, c.community, c.now)
    return json_response({"signups": [signup_body(s) for s in page(signups, skip, count)]},
                         headers={"Total-Count": str(len(signups))})


def _resource_type(body: dict) -> None:
    value = body.get("resourcetype")
    if value is None:
        raise BadRequest("ResourceType is required and must be \"Stream\".", parameters={"ResourceType": None})
    # .NET without a string-enum converter sends the enum's number; Stream is its first member, 0.
    if (isinstance(value, str) and value.strip().lower() == "stream") or (type(value) is int and value == 0):
        return
    raise BadRequest(f"ResourceType {value!r} is not supported; only \"Stream\" is.", parameters={"ResourceType": value})


async def create_signup(request: web.Request) -> web.Response:
    body = await json_object(request)
    name = optional_string(body, "name", "Name")
    _resource_type(body)
    resource_ids = optional_string_list(body, "resourceIds", "ResourceIds")
    if resource_ids is None:
        raise BadRequest("ResourceIds is required.", parameters={"ResourceIds": None})
    c = call(request)
    signup = c.namespace.create_signup(c.principal, c.community, name or "", resource_ids, c.now, c.faults)
    return json_response(signup_body(signup), status=202)


async def get_signup(request: web.Request) -> web.Response:
    c = call(request)
    signup, bookmark = c.namespace.get_signup(request.match_info["signup_id"], c.principal, c.community, c.now,
                                              c.faults)
    return json_response({**signup_body(signup), "bookmark": bookmark})


async def update_signup(request: web.Request) -> web.Response:
    body = await json_object(request)
    name = optional_string(body, "name", "Name")
    if name is None:
        raise BadRequest("Name is required.", parameters={"Name": None})
    c = call(request)
    signup = c.namespace.access_signup(request.match_info["signup_id"], c.principal, c.community, c.now)
    c.namespace.signups.rename(signup, name, c.now)
    return json_response(signup_body(signup))


async def delete_signup(request: web.Request) -> web.Response:
    c = call(request)
    signup = c.namespace.access_signup(request.match_info["signup_id"], c.principal, c.community, c.now)
    c.namespace.signups.delete(signup)
    return web.Response(status=204)


async def get_signup_owner(request: web.Request) -> web.Response:
    c = call(request)
    signup = c.namespace.access_signup(request.match_info["signup_id"], c.principal, c.community, c.now)
    return json_response(signup.owner.trustee(signup.tenant))


async def get_signup_resources(request: web.Request) -> web.Response:
    skip = int_query(request, "skip", default=0, low=0, high=INT32_MAX)
    count = int_query(request, "count", default=100, low=1, high=10_000)
    wanted = ResourceFilter.parse(text_query(request, "resourceFilter"))
    c = call(request)
    signup = c.namespace.access_signup(request.match_info["signup_id"], c.principal, c.community, c.now)
    resources = c.namespace.signup_resources(signup, wanted)
    return json_response(
        {"resources": [{"resourceId": rid, "isAccessible": ok} for rid, ok in page(resources, skip, count)]},
        headers={"Total-Count": str(len(resources))},
    )


async def update_signup_resources(request: web.Request) -> web.Response:
    body = await json_object(request)
    if "resourcestoadd" not in body and "resourcestoremove" not in body:
        raise BadRequest("The body needs ResourcesToAdd, ResourcesToRemove or both.")
    to_add = optional_string_list(body, "resourcesToAdd", "ResourcesToAdd") or []
    to_remove = optional_string_list(body, "resourcesToRemove", "ResourcesToRemove") or []
    c = call(request)
    signup = c.namespace.access_signup(request.match_info["signup_id"], c.principal, c.community, c.now)
    change = c.namespace.change_resources(signup, to_add, to_remove, c.now, c.faults)
    if not change.partial:
        return web.Response(status=202)
    return json_response({"invalidResourcesToRemove": change.invalid_to_remove, "failedResourceIds": change.failed},
                         status=207)


ROUTES = [
    ("GET", SIGNUPS, list_signups, "list_signups"),
    ("POST", SIGNUPS, create_signup, "create_signup"),
    ("GET", SIGNUP, get_signup, "get_signup"),
    ("PUT", SIGNUP, update_signup, "update_signup"),
    ("DELETE", SIGNUP, delete_signup, "delete_signup"),
    ("GET", SIGNUP + "/owner", get_signup_owner, "get_signup_owner"),
    ("GET", SIGNUP + "/resources", get_signup_resources, "get_signup_resources"),
    ("POST", SIGNUP + "/resources", update_signup_resources, "update_signup_resources"),
]

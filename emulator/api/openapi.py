"""The OpenAPI 3 document of every route, served at `GET /_emulator/openapi.json`.

Built from the same route table the application registers, plus what this file says of each route
(parameters, bodies, answers), so a route cannot exist without being documented: `document()`
raises on a route it has no entry for.
"""
from __future__ import annotations

from typing import Any

from .. import __version__
from .routes import ADMIN_ROUTES, SERVICE_ROUTES

ERRORS = {"400": "Bad request", "401": "Unauthorized", "403": "Forbidden", "404": "Not found",
          "405": "Method not allowed", "409": "Conflict", "413": "Body too large"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(required: list[str], properties: dict[str, Any], extra: bool = True) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if not extra:
        schema["additionalProperties"] = False
    return schema


STRING, INTEGER, BOOLEAN, NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
DATE = {"type": "string", "format": "date-time"}
NULLABLE_STRING = {"type": "string", "nullable": True}
ANY: dict = {}

SCHEMAS = {
    "Error": obj(["OperationId", "Error", "Reason", "Resolution", "Parameters"], {
        "OperationId": STRING, "Error": STRING, "Reason": STRING, "Resolution": STRING,
        "Parameters": {"type": "object", "additionalProperties": NULLABLE_STRING}}),
    "Trustee": obj(["type", "objectId", "tenantId"], {
        "type": {"type": "string", "enum": ["User", "Client", "Role"]}, "objectId": STRING, "tenantId": STRING}),
    "Signup": obj(["id", "name", "owner", "communityId", "type", "createdDate", "modifiedDate", "signupState"], {
        "id": STRING, "name": STRING, "owner": ref("Trustee"), "communityId": NULLABLE_STRING,
        "type": {"type": "string", "enum": ["Stream"]}, "createdDate": DATE, "modifiedDate": DATE,
        "expiredDate": DATE, "signupState": {"type": "string", "enum": ["Activating", "Active", "Expired", "Failed"]}}),
    "SignupWithBookmark": {"allOf": [ref("Signup"), obj(["bookmark"], {"bookmark": STRING})]},
    "SignupCollection": obj(["signups"], {"signups": array(ref("Signup"))}),
    "SignupResources": obj(["resources"], {"resources": array(obj(["resourceId", "isAccessible"], {
        "resourceId": STRING, "isAccessible": BOOLEAN}))}),
    "SignupInvalidResources": obj(["invalidResourcesToRemove", "failedResourceIds"], {
        "invalidResourcesToRemove": array(STRING), "failedResourceIds": array(STRING)}),
    "CreateSignupInput": obj(["ResourceType", "ResourceIds"], {
        "Name": NULLABLE_STRING, "ResourceType": {"type": "string", "enum": ["Stream"]},
        "ResourceIds": {**array(STRING), "minItems": 1}}),
    "UpdateSignupInput": obj(["Name"], {"Name": {"type": "string", "minLength": 1}}),
    "SignupResourcesInput": obj([], {"ResourcesToAdd": array(STRING), "ResourcesToRemove": array(STRING)}),
    "Updates": obj(["data", "bookmark"], {"bookmark": STRING, "data": array(obj(["resourceId", "operation", "events"], {
        "resourceId": STRING,
        "operation": {"type": "string", "enum": ["Insert", "Update", "Replace", "Remove", "RemoveWindow", "Delete",
                                                 "DeleteWindow"]},
        "events": array({"type": "object"})}))}),
    "SdsType": obj(["Id", "SdsTypeCode", "Properties"], {"Id": STRING, "SdsTypeCode": ANY,
                                                         "Properties": array({"type": "object"})}),
    "SdsStream": obj(["Id", "TypeId"], {"Id": STRING, "TypeId": STRING, "Name": STRING, "Description": STRING}),
    "Events": array({"type": "object"}),
    "Token": obj(["access_token", "token_type", "expires_in"], {
        "access_token": STRING, "token_type": STRING, "expires_in": INTEGER, "scope": STRING}),
    "OAuthError": obj(["error"], {"error": STRING, "error_description": STRING}),
    "OpenIdConfiguration": obj(["issuer", "token_endpoint"], {
        "issuer": STRING, "token_endpoint": STRING, "authorization_endpoint": STRING, "jwks_uri": STRING,
        "grant_types_supported": array(STRING)}),
    "Clock": obj(["now", "speed", "frozen"], {"now": DATE, "speed": NUMBER, "frozen": BOOLEAN}),
    "Status": obj(["status"], {"status": STRING}),
    "Scenario": obj(["sources", "description", "faults", "text"], {
        "sources": array(STRING), "description": STRING, "clock": {"type": "object"}, "settings": {"type": "object"},
        "clients": array({"type": "object"}), "faults": array(ref("FaultRule")), "text": STRING}),
    "FaultRule": obj(["index", "name", "actions", "matched", "fired"], {
        "index": INTEGER, "name": STRING, "actions": array(STRING), "matched": INTEGER, "fired": INTEGER}),
    "Journal": obj(["requests", "count"], {"count": INTEGER, "requests": array(obj(
        ["time", "method", "path", "route", "status", "ms", "faults"], {
            "time": DATE, "method": STRING, "path": STRING, "query": STRING, "route": STRING,
            "status": {"type": "integer", "nullable": True}, "ms": NUMBER, "faults": array(STRING)}))}),
}


def query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


SKIP = query("skip", {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}, "zero-based offset (default 0)")
COUNT_100 = query("count", {"type": "integer", "minimum": 1, "maximum": 1000}, "page size (default 100)")
COMMUNITY = {"name": "Community-Id", "in": "header", "required": False, "schema": STRING}
INDEX = query("index", array(STRING), "one or more indexes (compound: a|b)")
WINDOW = [query("startIndex", STRING), query("endIndex", STRING)]


def json_body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def ok(schema: dict | None, description: str = "Success") -> dict:
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


#: Route name -> summary, parameters, request body, success answers, error statuses.
ROUTES: dict[str, tuple[str, list, dict | None, dict, list[str]]] = {
    "list_signups": ("Get all signups of the caller", [SKIP, COUNT_100, COMMUNITY], None,
                     {"200": ok(ref("SignupCollection"))}, ["400", "401", "403"]),
    "create_signup": ("Create a signup (Activating)", [COMMUNITY], json_body(ref("CreateSignupInput")),
                      {"202": ok(ref("Signup"), "Accepted")}, ["400", "401", "403", "409", "413"]),
    "get_signup": ("Get a signup by id; activates it once setup is done", [COMMUNITY], None,
                   {"200": ok(ref("SignupWithBookmark"))}, ["401", "403", "404"]),
    "update_signup": ("Rename a signup", [COMMUNITY], json_body(ref("UpdateSignupInput")),
                      {"200": ok(ref("Signup"))}, ["400", "401", "403", "404", "413"]),
    "delete_signup": ("Delete a signup", [COMMUNITY], None, {"204": ok(None, "Deleted")}, ["401", "403", "404"]),
    "get_signup_owner": ("Get the owner of a signup", [COMMUNITY], None, {"200": ok(ref("Trustee"))},
                         ["401", "403", "404"]),
    "get_signup_resources": ("Get the resources of a signup", [
        SKIP, query("count", {"type": "integer", "minimum": 1, "maximum": 10000}),
        query("resourceFilter", {"type": "string", "enum": ["All", "Accessible", "Inaccessible"]}), COMMUNITY],
        None, {"200": ok(ref("SignupResources"))}, ["400", "401", "403", "404"]),
    "update_signup_resources": ("Add and remove resources of an Active signup", [COMMUNITY],
                                json_body(ref("SignupResourcesInput")),
                                {"202": ok(None, "Accepted"), "207": ok(ref("SignupInvalidResources"), "Partly applied")},
                                ["400", "401", "403", "404", "413"]),
    "get_updates": ("Get the updates after a bookmark", [query("bookmark", STRING), COMMUNITY], None,
                    {"200": ok(ref("Updates"))}, ["400", "401", "403", "404"]),
    "list_types": ("List SDS types", [SKIP, COUNT_100], None, {"200": ok(array(ref("SdsType")))},
                   ["400", "401", "403"]),
    "get_or_create_type": ("Get or create an SDS type", [], json_body(ref("SdsType")),
                           {"200": ok(ref("SdsType"), "Identical type exists"), "201": ok(ref("SdsType"), "Created")},
                           ["400", "401", "403", "409", "413"]),
    "get_type": ("Get an SDS type", [], None, {"200": ok(ref("SdsType"))}, ["401", "403", "404"]),
    "get_type_reference_count": ("How many streams use a type", [], None,
                                 {"200": ok({"type": "object", "additionalProperties": INTEGER})}, ["401", "403", "404"]),
    "get_stream_type": ("The type of a stream", [], None, {"200": ok(ref("SdsType"))}, ["401", "403", "404"]),
    "delete_type": ("Delete an SDS type", [], None, {"204": ok(None, "Deleted")}, ["401", "403", "404", "409"]),
    "list_streams": ("List SDS streams", [query("query", STRING), SKIP, COUNT_100], None,
                     {"200": ok(array(ref("SdsStream")))}, ["400", "401", "403"]),
    "get_or_create_stream": ("Get or create an SDS stream", [], json_body(ref("SdsStream")),
                             {"200": ok(ref("SdsStream"), "Identical stream exists"),
                              "201": ok(ref("SdsStream"), "Created")}, ["400", "401", "403", "404", "409", "413"]),
    "create_or_update_stream": ("Create or update an SDS stream", [], json_body(ref("SdsStream")),
                                {"204": ok(None, "Done")}, ["400", "401", "403", "404", "413"]),
    "get_stream": ("Get an SDS stream", [], None, {"200": ok(ref("SdsStream"))}, ["401", "403", "404"]),
    "delete_stream": ("Delete an SDS stream", [], None, {"204": ok(None, "Deleted")}, ["401", "403", "404"]),
    "insert_values": ("Insert events (all or nothing)", [], json_body(ref("Events")), {"204": ok(None, "Inserted")},
                      ["400", "401", "403", "404", "409", "413"]),
    "update_values": ("Update (upsert) events, or replace with allowCreate=false",
                      [query("allowCreate", {"type": "string", "enum": ["true", "false"]})], json_body(ref("Events")),
                      {"204": ok(None, "Written")}, ["400", "401", "403", "404", "413"]),
    "remove_values": ("Remove events by index, or a window", [INDEX, *WINDOW], None, {"204": ok(None, "Removed")},
                      ["400", "401", "403", "404"]),
    "get_values": ("Read events by index, or a window (paged when continuationToken is given)", [INDEX, *WINDOW,
                   query("count", {"type": "integer", "minimum": 1, "maximum": 250000}), query("filter", STRING),
                   query("continuationToken", STRING)],
                   None, {"200": ok({"oneOf": [ref("Events"), obj(["Results", "ContinuationToken"], {
                       "Results": ref("Events"), "ContinuationToken": NULLABLE_STRING})]})},
                   ["400", "401", "403", "404"]),
    "get_first_value": ("First event of a stream (null when empty)", [], None,
                        {"200": ok({"type": "object", "nullable": True})}, ["401", "403", "404"]),
    "get_last_value": ("Last event of a stream (null when empty)", [], None,
                       {"200": ok({"type": "object", "nullable": True})}, ["401", "403", "404"]),
    "openid_configuration": ("OpenID discovery document", [], None, {"200": ok(ref("OpenIdConfiguration"))}, []),
    "jwks": ("Signing keys (none: tokens are signed with a secret key)", [], None,
             {"200": ok(obj(["keys"], {"keys": array({"type": "object"})}))}, []),
    "get_token": ("Client-credentials token", [], {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": obj(["grant_type"], {
            "grant_type": STRING, "client_id": STRING, "client_secret": STRING})}}},
        {"200": ok(ref("Token")), "400": ok(ref("OAuthError"), "OAuth 2 error")}, ["413"]),
    "admin_health": ("Health", [], None, {"200": ok(ref("Status"))}, []),
    "admin_reset": ("Drop all state; defaults=true also restores the start-up scenario and clock speed",
                    [query("defaults", {"type": "string", "enum": ["true", "false"]})], None,
                    {"200": ok(ref("Status"))}, ["400", "401"]),
    "admin_get_clock": ("The emulated clock", [], None, {"200": ok(ref("Clock"))}, ["401"]),
    "admin_put_clock": ("Set speed, frozen, or jump forward to now", [], json_body(obj([], {
        "now": DATE, "speed": NUMBER, "frozen": BOOLEAN}, extra=False)), {"200": ok(ref("Clock"))},
        ["400", "401", "413"]),
    "admin_advance_clock": ("Advance the clock", [], json_body(obj([], {"seconds": NUMBER, "by": STRING}, extra=False)),
                            {"200": ok(ref("Clock"))}, ["400", "401", "413"]),
    "admin_get_scenario": ("The active scenario", [], None, {"200": ok(ref("Scenario"))}, ["401"]),
    "admin_put_scenario": ("Replace the active scenario (YAML or JSON text)", [query("source", STRING)],
                           {"required": True, "content": {"application/yaml": {"schema": STRING},
                                                          "application/json": {"schema": {"type": "object"}}}},
                           {"200": ok(ref("Scenario"))}, ["400", "401", "413"]),
    "admin_get_faults": ("Fault rules with their counters", [], None,
                         {"200": ok(obj(["faults"], {"faults": array(ref("FaultRule"))}))}, ["401"]),
    "admin_get_requests": ("The request journal", [query("method", STRING), query("path", STRING),
                           query("status", {"type": "integer", "minimum": 0, "maximum": 599}), query("route", STRING)],
                           None, {"200": ok(ref("Journal"))}, ["400", "401"]),
    "admin_clear_requests": ("Clear the request journal", [], None, {"204": ok(None, "Cleared")}, ["401"]),
    "admin_overview": ("Clock, scenario, signups by namespace and the last requests (what the page shows)", [],
                       None, {"200": ok({"type": "object"})}, ["401"]),
    "admin_get_state": ("Export every namespace's data as a snapshot", [], None,
                        {"200": ok(obj(["version", "namespaces"], {"version": INTEGER,
                                                                   "namespaces": array({"type": "object"})}))},
                        ["401"]),
    "admin_put_state": ("Replace all data with a snapshot (all or nothing)", [],
                        json_body(obj(["version", "namespaces"], {"version": INTEGER,
                                                                  "namespaces": array({"type": "object"})})),
                        {"200": ok(obj(["status"], {"status": STRING, "namespaces": INTEGER}))}, ["400", "401"]),
    "admin_openapi": ("This document", [], None, {"200": ok({"type": "object"})}, []),
    "admin_page": ("A page showing the clock, signups, scenario and last requests", [], None,
                   {"200": {"description": "HTML", "content": {"text/html": {"schema": STRING}}}}, ["401"]),
}


def _path_parameters(template: str) -> list[dict]:
    found = []
    for segment in template.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            name = segment[1:-1]
            schema = {"type": "string", "enum": ["v1", "v1-preview"]} if name == "version" else {
                "type": "string", "minLength": 1}
            found.append({"name": name, "in": "path", "required": True, "schema": schema})
    return found


def document() -> dict:
    paths: dict[str, dict] = {}
    for method, template, _, name in list(SERVICE_ROUTES) + list(ADMIN_ROUTES):
        summary, parameters, body, answers, errors = ROUTES[name]
        admin = template.startswith("/_emulator")
        responses = dict(answers)
        # Any path can miss (an id the router cannot match) and any body can be too large.
        for status in [*errors, "404", "413"]:
            responses.setdefault(status, ok(ref("Error"), ERRORS[status]))
        operation: dict[str, Any] = {
            "operationId": name, "summary": summary,
            "tags": ["admin" if admin else "identity" if template.startswith("/identity") else
                     "sds" if "/Types" in template or "/Streams" in template else "change-broker"],
            "parameters": _path_parameters(template) + parameters,
            "responses": responses,
        }
        if body is not None:
            operation["requestBody"] = body
        if "{tenant_id}" in template:
            operation["security"] = [{"bearer": []}]
        elif admin and name != "admin_health":
            operation["security"] = [{}, {"admin": []}]
        paths.setdefault(template, {})[method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": "adh-signups-emulator", "version": __version__,
                 "description": "Emulator of AVEVA Data Hub's Change Broker: Signups and Updates APIs, identity, "
                                "the SDS slice they need, and the emulator's admin API."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "admin": {"type": "http", "scheme": "bearer",
                                          "description": "only when the emulator runs with --admin-token"}},
        },
    }

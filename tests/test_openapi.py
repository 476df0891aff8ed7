"""The served OpenAPI document is valid OpenAPI 3 and describes every route the emulator has."""
from __future__ import annotations

from openapi_spec_validator import validate

from emulator import create_app


async def test_document_is_valid_and_covers_every_route(client):
    response = await client.get("/_emulator/openapi.json")
    assert response.status == 200
    document = await response.json()
    validate(document)
    documented = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    for route in create_app().router.routes():
        info = route.resource.get_info()
        template = info.get("formatter") or info.get("path")
        if template is None:
            continue
        assert route.name, template
        operation_ids = {op["operationId"] for ops in document["paths"].values() for op in ops.values()}
        assert route.name in operation_ids, f"{route.method} {template} ({route.name}) is not documented"
    assert ("GET", "/api/{version}/tenants/{tenant_id}/namespaces/{namespace_id}/signups/{signup_id}/updates") in documented
    assert ("PUT", "/_emulator/scenario") in documented

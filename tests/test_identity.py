"""Identity (SPEC.md section 6): discovery, client-credentials tokens, and the three auth modes."""
from __future__ import annotations

import base64

from conftest import ALICE, BASE, advance, assert_error, create_signup

CLIENT = "app:s3cret:t1"


async def token(client, client_id="app", secret="s3cret"):
    response = await client.post("/identity/connect/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert response.status == 200, await response.text()
    return await response.json()


async def test_discovery_document_points_at_the_token_endpoint(client):
    response = await client.get("/identity/.well-known/openid-configuration")
    assert response.status == 200
    body = await response.json()
    base = str(client.make_url(""))
    assert body["token_endpoint"] == f"{base}/identity/connect/token"
    assert body["issuer"] == f"{base}/identity"
    assert body["authorization_endpoint"].startswith(base)
    assert "client_credentials" in body["grant_types_supported"]
    jwks = await client.get(body["jwks_uri"].removeprefix(base))
    assert jwks.status == 200


async def test_token_endpoint_issues_a_bearer_token(make_client):
    client = await make_client(clients=[CLIENT])
    body = await token(client)
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"].count(".") == 2
    signup = await create_signup(client, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert signup["owner"] == {"type": "Client", "objectId": "app", "tenantId": "t1"}


async def test_token_endpoint_takes_http_basic_credentials(make_client):
    client = await make_client(clients=[CLIENT])
    basic = base64.b64encode(b"app:s3cret").decode()
    response = await client.post("/identity/connect/token", data={"grant_type": "client_credentials"},
                                 headers={"Authorization": f"Basic {basic}"})
    assert response.status == 200


async def test_token_endpoint_errors_use_the_oauth_shape(make_client):
    client = await make_client(clients=[CLIENT])
    cases = [
        ({"grant_type": "client_credentials", "client_id": "app", "client_secret": "wrong"}, "invalid_client"),
        ({"grant_type": "client_credentials", "client_id": "app"}, "invalid_client"),
        ({"grant_type": "password", "client_id": "app", "client_secret": "s3cret"}, "unsupported_grant_type"),
        ({"client_id": "app", "client_secret": "s3cret"}, "invalid_request"),
    ]
    for form, error in cases:
        response = await client.post("/identity/connect/token", data=form)
        assert response.status == 400
        assert response.headers["Content-Type"] == "application/json"
        assert (await response.json())["error"] == error


async def test_unknown_client_gets_a_token_in_any_mode_but_not_in_strict(make_client):
    any_mode = await make_client()
    assert (await token(any_mode, "whoever", "x"))["access_token"]
    strict = await make_client(auth="strict", clients=[CLIENT])
    response = await strict.post("/identity/connect/token", data={
        "grant_type": "client_credentials", "client_id": "whoever", "client_secret": "x"})
    assert response.status == 400
    assert await response.json() == {"error": "invalid_client", "error_description": "unknown client"}


async def test_missing_or_non_bearer_authorization_is_401(client):
    await assert_error(await client.get(f"{BASE}/signups"), 401)
    await assert_error(await client.get(f"{BASE}/signups", headers={"Authorization": "Basic abc"}), 401)
    await assert_error(await client.get(f"{BASE}/signups", headers={"Authorization": "Bearer "}), 401)


async def test_any_mode_accepts_foreign_tokens_as_clients_named_after_them(client):
    response = await client.get(f"{BASE}/signups", headers={"Authorization": "Bearer anything-at-all"})
    assert response.status == 200
    signup = await create_signup(client, headers={"Authorization": "bearer anything-at-all"})
    assert signup["owner"]["objectId"] == "anything-at-all"


async def test_any_mode_accepts_expired_issued_tokens(make_client):
    client = await make_client(clients=[CLIENT])
    access = (await token(client))["access_token"]
    await advance(client, 7200)
    response = await client.get(f"{BASE}/signups", headers={"Authorization": f"Bearer {access}"})
    assert response.status == 200


async def test_strict_mode_refuses_foreign_and_expired_tokens(make_client):
    client = await make_client(auth="strict", clients=[CLIENT])
    await assert_error(await client.get(f"{BASE}/signups", headers=ALICE), 401, "not issued")
    access = (await token(client))["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    assert (await client.get(f"{BASE}/signups", headers=headers)).status == 200
    tampered = access[:-2] + ("AA" if not access.endswith("AA") else "BB")
    await assert_error(await client.get(f"{BASE}/signups", headers={"Authorization": f"Bearer {tampered}"}), 401)
    await advance(client, 3600)
    await assert_error(await client.get(f"{BASE}/signups", headers=headers), 401, "expired")


async def test_token_of_one_tenant_gets_403_in_another(make_client):
    for mode in ("strict", "any"):
        client = await make_client(auth=mode, clients=[CLIENT])
        headers = {"Authorization": f"Bearer {(await token(client))['access_token']}"}
        response = await client.get("/api/v1/tenants/t2/namespaces/ns1/signups", headers=headers)
        await assert_error(response, 403, "tenant")


async def test_off_mode_needs_no_header_and_keeps_issued_identities(make_client):
    client = await make_client(auth="off", clients=[CLIENT])
    anonymous = await create_signup(client, headers={})
    assert anonymous["owner"]["objectId"] == "emulator-client"
    headers = {"Authorization": f"Bearer {(await token(client))['access_token']}"}
    await assert_error(await client.get(f"{BASE}/signups/{anonymous['id']}", headers=headers), 403)
    assert (await client.get(f"{BASE}/signups/{anonymous['id']}")).status == 200


async def test_tokens_survive_a_reset(make_client):
    client = await make_client(auth="strict", clients=[CLIENT])
    headers = {"Authorization": f"Bearer {(await token(client))['access_token']}"}
    assert (await client.post("/_emulator/reset")).status == 200
    assert (await client.get(f"{BASE}/signups", headers=headers)).status == 200


async def test_401_names_the_bearer_scheme(client):
    response = await client.get(f"{BASE}/signups")
    await assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"

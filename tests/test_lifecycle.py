"""Signup lifecycle on the emulated clock (SPEC.md section 3): activation, expiry, owners, tenants, communities."""
from __future__ import annotations

from conftest import ALICE, BASE, BOB, activate, advance, assert_error, create_signup

HOUR = 3600


async def get(client, signup_id, headers=ALICE):
    response = await client.get(f"{BASE}/signups/{signup_id}", headers=headers)
    assert response.status == 200
    return await response.json()


async def test_activation_waits_for_the_delay_then_a_get_activates(make_client):
    client = await make_client(activation_delay="90s")
    signup = await create_signup(client)
    body = await get(client, signup["id"])
    assert body["signupState"] == "Activating"
    assert body["bookmark"] == ""
    await advance(client, 89)
    assert (await get(client, signup["id"]))["signupState"] == "Activating"
    await advance(client, 1)
    body = await get(client, signup["id"])
    assert body["signupState"] == "Active"
    assert body["bookmark"]
    assert body["modifiedDate"] == "2026-01-01T00:01:30.0000000Z"
    assert body["createdDate"] == "2026-01-01T00:00:00.0000000Z"


async def test_listing_never_activates(make_client):
    client = await make_client()
    signup = await create_signup(client)
    listed = await (await client.get(f"{BASE}/signups", headers=ALICE)).json()
    assert listed["signups"][0]["signupState"] == "Activating"
    assert (await get(client, signup["id"]))["signupState"] == "Active"
    listed = await (await client.get(f"{BASE}/signups", headers=ALICE)).json()
    assert listed["signups"][0]["signupState"] == "Active"


async def test_idle_signup_expires_after_24_hours(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    await advance(client, 24 * HOUR)
    body = await get(client, signup["id"])
    assert body["signupState"] == "Expired"
    assert body["bookmark"] == ""
    assert body["expiredDate"] == "2026-01-02T00:00:00.0000000Z"
    assert body["modifiedDate"] == body["expiredDate"]
    await advance(client, HOUR)
    assert (await get(client, signup["id"]))["signupState"] == "Expired"


async def test_activity_postpones_expiry(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    await advance(client, 23 * HOUR)
    assert (await get(client, signup["id"]))["signupState"] == "Active"
    await advance(client, 23 * HOUR)
    body = await get(client, signup["id"])
    assert body["signupState"] == "Active"
    assert "expiredDate" not in body


async def test_listing_is_not_activity_but_shows_expiry(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    await advance(client, 23 * HOUR)
    await client.get(f"{BASE}/signups", headers=ALICE)
    await advance(client, HOUR)
    listed = await (await client.get(f"{BASE}/signups", headers=ALICE)).json()
    assert listed["signups"][0]["signupState"] == "Expired"
    assert listed["signups"][0]["expiredDate"] == "2026-01-02T00:00:00.0000000Z"


async def test_activating_signup_also_expires_when_left_alone(make_client):
    client = await make_client(activation_delay="2d")
    signup = await create_signup(client)
    await advance(client, 24 * HOUR)
    assert (await get(client, signup["id"]))["signupState"] == "Expired"


async def test_expired_signup_refuses_resource_changes(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    await advance(client, 25 * HOUR)
    response = await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE,
                                 json={"ResourcesToAdd": ["x"]})
    await assert_error(response, 400, "Expired")


async def test_modified_date_moves_on_rename_and_resource_change(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    await advance(client, 60)
    renamed = await (await client.put(f"{BASE}/signups/{signup['id']}", headers=ALICE, json={"name": "b"})).json()
    assert renamed["modifiedDate"] == "2026-01-01T00:01:00.0000000Z"
    await advance(client, 60)
    await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE, json={"resourcesToAdd": ["n"]})
    assert (await get(client, signup["id"]))["modifiedDate"] == "2026-01-01T00:02:00.0000000Z"


async def test_a_no_op_resource_change_leaves_modified_date(client):
    signup = await create_signup(client, resource_ids=["a"])
    await activate(client, signup["id"])
    await advance(client, 60)
    response = await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE,
                                 json={"resourcesToAdd": ["a"]})
    assert response.status == 202
    assert (await get(client, signup["id"]))["modifiedDate"] == "2026-01-01T00:00:00.0000000Z"


async def test_other_client_of_same_tenant_gets_403_on_every_signup_route(client):
    signup = await create_signup(client)
    url = f"{BASE}/signups/{signup['id']}"
    for method, path, body in [("GET", "", None), ("PUT", "", {"Name": "x"}), ("DELETE", "", None),
                               ("GET", "/owner", None), ("GET", "/resources", None),
                               ("POST", "/resources", {"ResourcesToAdd": ["y"]})]:
        response = await client.request(method, url + path, headers=BOB, json=body)
        await assert_error(response, 403, "owner")
    assert (await get(client, signup["id"]))["name"] == "sig"


async def test_community_signup_needs_the_same_header(client):
    community = {"Community-Id": "c-1"}
    signup = await create_signup(client, extra_headers=community)
    assert signup["communityId"] == "c-1"
    url = f"{BASE}/signups/{signup['id']}"
    await assert_error(await client.get(url, headers=ALICE), 403, "Community-Id")
    await assert_error(await client.get(url, headers={**ALICE, "community-id": "c-2"}), 403)
    assert (await client.get(url, headers={**ALICE, "COMMUNITY-ID": "c-1"})).status == 200
    plain = await create_signup(client)
    await assert_error(await client.get(f"{BASE}/signups/{plain['id']}", headers={**ALICE, **community}), 403)


async def test_listing_filters_by_community(client):
    await create_signup(client, name="shared", extra_headers={"Community-Id": "c-1"})
    await create_signup(client, name="own")
    own = await (await client.get(f"{BASE}/signups", headers=ALICE)).json()
    assert [s["name"] for s in own["signups"]] == ["own"]
    shared = await (await client.get(f"{BASE}/signups", headers={**ALICE, "Community-Id": "c-1"})).json()
    assert [s["name"] for s in shared["signups"]] == ["shared"]


async def test_tenants_and_namespaces_are_isolated(client):
    signup = await create_signup(client)
    other_ns = f"/api/v1/tenants/t1/namespaces/ns2/signups/{signup['id']}"
    await assert_error(await client.get(other_ns, headers=ALICE), 404)
    other_tenant = f"/api/v1/tenants/t2/namespaces/ns1/signups/{signup['id']}"
    await assert_error(await client.get(other_tenant, headers=ALICE), 404)
    listed = await client.get("/api/v1/tenants/t2/namespaces/ns1/signups", headers=ALICE)
    assert listed.headers["Total-Count"] == "0"

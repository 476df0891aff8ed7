"""Every Signups route of SPEC.md section 2, through HTTP, with each status code it can answer."""
from __future__ import annotations

import re
import uuid

from conftest import ALICE, BASE, BOB, activate, assert_error, create_signup

URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


async def test_create_returns_202_activating_signup_in_camel_case(client):
    response = await client.post(f"{BASE}/signups", headers=ALICE,
                                 json={"Name": "mine", "ResourceType": "Stream", "ResourceIds": ["a", "b"]})
    assert response.status == 202
    assert response.headers["Content-Type"] == "application/json"
    uuid.UUID(response.headers["Operation-Id"])
    body = await response.json()
    assert set(body) == {"id", "name", "owner", "communityId", "type", "createdDate", "modifiedDate", "signupState"}
    assert URL_SAFE.match(body["id"])
    assert body["name"] == "mine"
    assert body["owner"] == {"type": "Client", "objectId": "alice", "tenantId": "t1"}
    assert body["communityId"] is None
    assert body["type"] == "Stream"
    assert body["signupState"] == "Activating"
    assert body["createdDate"] == "2026-01-01T00:00:00.0000000Z" == body["modifiedDate"]


async def test_create_accepts_camel_case_keys_as_the_python_client_sends_them(client):
    response = await client.post(f"{BASE}/signups", headers=ALICE,
                                 json={"name": "py", "resourceType": "Stream", "resourceIds": ["a"]})
    assert response.status == 202
    assert (await response.json())["name"] == "py"


async def test_paths_match_case_insensitively_and_both_versions(client):
    signup = await create_signup(client)
    for prefix in ("/api/v1/Tenants/t1/Namespaces/ns1", "/API/V1-PREVIEW/TENANTS/t1/NAMESPACES/ns1"):
        response = await client.get(f"{prefix}/Signups/{signup['id']}", headers=ALICE)
        assert response.status == 200


async def test_a_trailing_slash_is_ignored(client):
    signup = await create_signup(client)
    assert (await client.get(f"{BASE}/signups/", headers=ALICE)).status == 200
    assert (await client.get(f"{BASE}/signups/{signup['id']}/", headers=ALICE)).status == 200


async def test_unknown_api_version_is_404(client):
    response = await client.get("/api/v2/tenants/t1/namespaces/ns1/signups", headers=ALICE)
    await assert_error(response, 404)


async def test_list_gives_total_count_and_pages(client):
    ids = [(await create_signup(client, name=f"n{i}"))["id"] for i in range(5)]
    response = await client.get(f"{BASE}/signups?skip=1&count=2", headers=ALICE)
    assert response.status == 200
    assert response.headers["Total-Count"] == "5"
    body = await response.json()
    assert [s["id"] for s in body["signups"]] == ids[1:3]
    assert "bookmark" not in body["signups"][0]


async def test_list_is_empty_array_when_there_are_none(client):
    response = await client.get(f"{BASE}/signups", headers=ALICE)
    assert response.status == 200
    assert await response.json() == {"signups": []}
    assert response.headers["Total-Count"] == "0"


async def test_list_shows_only_the_callers_signups(client):
    await create_signup(client, headers=ALICE)
    await create_signup(client, headers=BOB)
    response = await client.get(f"{BASE}/signups", headers=BOB)
    body = await response.json()
    assert response.headers["Total-Count"] == "1"
    assert body["signups"][0]["owner"]["objectId"] == "bob"


async def test_get_by_id_activates_and_returns_a_url_safe_bookmark(client):
    signup = await create_signup(client)
    response = await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)
    assert response.status == 200
    body = await response.json()
    assert body["signupState"] == "Active"
    assert body["bookmark"] and URL_SAFE.match(body["bookmark"])
    assert "expiredDate" not in body


async def test_get_unknown_signup_is_404(client):
    await assert_error(await client.get(f"{BASE}/signups/nope", headers=ALICE), 404, "not found")


async def test_rename_returns_200_with_new_name(client, make_client):
    signup = await create_signup(client)
    response = await client.put(f"{BASE}/signups/{signup['id']}", headers=ALICE, json={"Name": "renamed"})
    assert response.status == 200
    body = await response.json()
    assert body["name"] == "renamed"
    assert "bookmark" not in body


async def test_rename_without_name_is_400(client):
    signup = await create_signup(client)
    for body in ({}, {"Name": ""}, {"Name": "   "}, {"Name": 3}, {"Name": None}):
        response = await client.put(f"{BASE}/signups/{signup['id']}", headers=ALICE, json=body)
        await assert_error(response, 400, "name")
    stored = await (await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)).json()
    assert stored["name"] == "sig"


async def test_rename_unknown_is_404(client):
    await assert_error(await client.put(f"{BASE}/signups/nope", headers=ALICE, json={"Name": "x"}), 404)


async def test_delete_returns_204_then_404(client):
    signup = await create_signup(client)
    response = await client.delete(f"{BASE}/signups/{signup['id']}", headers=ALICE)
    assert response.status == 204
    assert await response.read() == b""
    await assert_error(await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE), 404)
    await assert_error(await client.delete(f"{BASE}/signups/{signup['id']}", headers=ALICE), 404)


async def test_owner_returns_the_trustee(client):
    signup = await create_signup(client)
    response = await client.get(f"{BASE}/signups/{signup['id']}/owner", headers=ALICE)
    assert response.status == 200
    assert await response.json() == {"type": "Client", "objectId": "alice", "tenantId": "t1"}
    await assert_error(await client.get(f"{BASE}/signups/nope/owner", headers=ALICE), 404)


async def test_resources_listed_with_accessibility_and_total_count(client):
    signup = await create_signup(client, resource_ids=["a", "b", "c", "b"])
    response = await client.get(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE)
    assert response.status == 200
    assert response.headers["Total-Count"] == "3"
    assert await response.json() == {"resources": [
        {"resourceId": "a", "isAccessible": False},
        {"resourceId": "b", "isAccessible": False},
        {"resourceId": "c", "isAccessible": False},
    ]}
    response = await client.get(f"{BASE}/signups/{signup['id']}/resources?skip=1&count=1&resourceFilter=inaccessible",
                                headers=ALICE)
    assert response.headers["Total-Count"] == "3"
    assert [r["resourceId"] for r in (await response.json())["resources"]] == ["b"]
    response = await client.get(f"{BASE}/signups/{signup['id']}/resources?resourceFilter=Accessible", headers=ALICE)
    assert response.headers["Total-Count"] == "0"
    assert (await response.json())["resources"] == []


async def test_resources_of_unknown_signup_is_404(client):
    await assert_error(await client.get(f"{BASE}/signups/nope/resources", headers=ALICE), 404)
    await assert_error(await client.post(f"{BASE}/signups/nope/resources", headers=ALICE,
                                         json={"ResourcesToAdd": ["x"]}), 404)


async def test_update_resources_202_when_all_valid(client):
    signup = await create_signup(client, resource_ids=["a", "b"])
    await activate(client, signup["id"])
    response = await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE,
                                 json={"ResourcesToAdd": ["c", "a"], "ResourcesToRemove": ["b"]})
    assert response.status == 202
    assert await response.read() == b""
    listed = await (await client.get(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE)).json()
    assert [r["resourceId"] for r in listed["resources"]] == ["a", "c"]


async def test_update_resources_207_applies_the_valid_part(client):
    signup = await create_signup(client, resource_ids=["a"])
    await activate(client, signup["id"])
    response = await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE,
                                 json={"resourcesToAdd": ["c", "", "x" * 261], "resourcesToRemove": ["a", "zz"]})
    assert response.status == 207
    assert response.headers["Content-Type"] == "application/json"
    assert await response.json() == {"invalidResourcesToRemove": ["zz"], "failedResourceIds": ["", "x" * 261]}
    listed = await (await client.get(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE)).json()
    assert [r["resourceId"] for r in listed["resources"]] == ["c"]


async def test_update_resources_on_activating_signup_is_400(client):
    signup = await create_signup(client)
    response = await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE,
                                 json={"ResourcesToAdd": ["b"]})
    body = await assert_error(response, 400, "Active")
    assert body["Parameters"] == {"signupState": "Activating"}


async def test_update_resources_with_invalid_body_is_400(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    url = f"{BASE}/signups/{signup['id']}/resources"
    for body in ({}, {"ResourcesToAdd": "a"}, {"ResourcesToAdd": [1]}, {"ResourcesToAdd": ["a"], "ResourcesToRemove": ["a"]}):
        await assert_error(await client.post(url, headers=ALICE, json=body), 400)


async def test_create_rejects_bad_bodies_with_400(client):
    bad_bodies = [
        {"ResourceType": "Stream"},
        {"ResourceType": "Stream", "ResourceIds": []},
        {"ResourceType": "Stream", "ResourceIds": None},
        {"ResourceType": "Stream", "ResourceIds": "s1"},
        {"ResourceType": "Stream", "ResourceIds": [1]},
        {"ResourceType": "Asset", "ResourceIds": ["s1"]},
        {"ResourceIds": ["s1"]},
        {"ResourceType": 7, "ResourceIds": ["s1"]},
        {"Name": 5, "ResourceType": "Stream", "ResourceIds": ["s1"]},
        {"ResourceType": "Stream", "ResourceIds": ["   "]},
    ]
    for body in bad_bodies:
        await assert_error(await client.post(f"{BASE}/signups", headers=ALICE, json=body), 400)
    listed = await client.get(f"{BASE}/signups", headers=ALICE)
    assert listed.headers["Total-Count"] == "0"


async def test_create_conflicts_at_the_namespace_limit(make_client):
    client = await make_client(max_signups_per_namespace=2)
    await create_signup(client)
    await create_signup(client, headers=BOB)
    response = await client.post(f"{BASE}/signups", headers=ALICE,
                                 json={"ResourceType": "Stream", "ResourceIds": ["s1"]})
    await assert_error(response, 409, "maximum")
    other = await client.post("/api/v1/tenants/t1/namespaces/other/signups", headers=ALICE,
                              json={"ResourceType": "Stream", "ResourceIds": ["s1"]})
    assert other.status == 202


async def test_dotnet_numeric_resource_type_is_accepted(client):
    response = await client.post(f"{BASE}/signups", headers=ALICE, json={"ResourceType": 0, "ResourceIds": ["s1"]})
    assert response.status == 202
    assert (await response.json())["name"] == ""

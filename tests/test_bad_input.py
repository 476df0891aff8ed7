"""Bad input never yields a 500: each gets a 4xx in the service's error format and stored state is untouched."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ALICE, BASE, activate, assert_error, create_signup

JSON_HEADERS = {**ALICE, "Content-Type": "application/json"}


async def snapshot(client):
    listed = await (await client.get(f"{BASE}/signups", headers=ALICE)).json()
    resources = {}
    for s in listed["signups"]:
        body = await (await client.get(f"{BASE}/signups/{s['id']}/resources", headers=ALICE)).json()
        resources[s["id"]] = body
    return listed, resources


async def test_malformed_json_non_objects_and_bad_encodings_are_400(client):
    signup = await create_signup(client)
    await activate(client, signup["id"])
    before = await snapshot(client)
    bodies = [b"{", b"", b"   ", b"[1,2]", b'"text"', b"null", b"42", b"\xff\xfe{}", b'{"Name": "\xc3"}',
              b"[" * 100_000 + b"]" * 100_000, b'{"Name": "\\ud800"}']
    routes = [("POST", f"{BASE}/signups"), ("PUT", f"{BASE}/signups/{signup['id']}"),
              ("POST", f"{BASE}/signups/{signup['id']}/resources")]
    for method, url in routes:
        for raw in bodies:
            response = await client.request(method, url, data=raw, headers=JSON_HEADERS)
            await assert_error(response, 400)
    assert await snapshot(client) == before


async def test_bodies_over_one_mebibyte_are_413(client):
    signup = await create_signup(client)
    huge = json.dumps({"Name": "x" * (1024 * 1024), "ResourceType": "Stream", "ResourceIds": ["a"]})
    await assert_error(await client.post(f"{BASE}/signups", data=huge, headers=JSON_HEADERS), 413)
    await assert_error(await client.put(f"{BASE}/signups/{signup['id']}", data=huge, headers=JSON_HEADERS), 413)

    async def chunks():
        for _ in range(20):
            yield b" " * 65536
    response = await client.post(f"{BASE}/signups", data=chunks(), headers=JSON_HEADERS)
    await assert_error(response, 413)
    listed = await client.get(f"{BASE}/signups", headers=ALICE)
    assert listed.headers["Total-Count"] == "1"


async def test_too_many_resource_ids_in_one_request_is_400(client):
    ids = [f"s{i}" for i in range(10_000)]
    response = await client.post(f"{BASE}/signups", headers=ALICE,
                                 json={"ResourceType": "Stream", "ResourceIds": ids})
    await assert_error(response, 400, "at most 1000")


async def test_bad_paging_values_are_400_never_clamped(client):
    signup = await create_signup(client)
    cases = [("signups", "count=0"), ("signups", "count=1001"), ("signups", "skip=-1"), ("signups", "count=abc"),
             ("signups", "skip=1.5"), ("signups", "count=99999999999999999999"), ("signups", "skip=%20"),
             ("signups", "count=1&count=2"), ("signups", "count=%EF%BC%91"),
             (f"signups/{signup['id']}/resources", "count=10001"), (f"signups/{signup['id']}/resources", "count=0"),
             (f"signups/{signup['id']}/resources", "skip=-5"),
             (f"signups/{signup['id']}/resources", "resourceFilter=Some")]
    for path, query in cases:
        await assert_error(await client.get(f"{BASE}/{path}?{query}", headers=ALICE), 400)
    ok = await client.get(f"{BASE}/signups/{signup['id']}/resources?count=10000&SKIP=0&ResourceFilter=all",
                          headers=ALICE)
    assert ok.status == 200


async def test_unknown_routes_are_404_and_wrong_methods_405(client):
    await assert_error(await client.get("/nothing/here"), 404)
    await assert_error(await client.get(f"{BASE}/signups/a/b/c", headers=ALICE), 404)
    response = await client.patch(f"{BASE}/signups", headers=ALICE)
    await assert_error(response, 405)
    assert set(response.headers["Allow"].split(",")) == {"GET", "POST"}
    await assert_error(await client.delete(f"{BASE}/signups", headers=ALICE), 405)


async def test_odd_unicode_round_trips(client):
    name = "naïve ☃ \U0001F600 \u202e \x00 ∑"
    response = await client.post(f"{BASE}/signups", headers=ALICE,
                                 json={"Name": name, "ResourceType": "Stream", "ResourceIds": ["流-1"]})
    assert response.status == 202
    body = await response.json()
    assert body["name"] == name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["Name", "name", "ResourceType", "resourceIds", "ResourceIds", "resourcesToAdd",
                         "ResourcesToRemove", "x"]), children, max_size=4),
    max_leaves=12))
async def test_arbitrary_json_never_yields_a_server_error(body, client):
    for method, url in (("POST", f"{BASE}/signups"), ("PUT", f"{BASE}/signups/nope")):
        response = await client.request(method, url, headers=JSON_HEADERS, data=json.dumps(body))
        assert response.status < 500, await response.text()
        assert response.headers["Content-Type"] == "application/json"

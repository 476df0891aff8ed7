"""Every bundled scenario, loaded through the admin API, shown to work through HTTP on an advanced clock."""
from __future__ import annotations

from pathlib import Path

import aiohttp

from conftest import (ALICE, BASE, activate, advance, assert_error, create_signup, event, make_stream, poll)

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DATA = BASE + "/Streams/{}/Data"


async def load(client, name):
    text = (SCENARIOS / f"{name}.yaml").read_text()
    response = await client.put(f"/_emulator/scenario?source={name}.yaml", data=text)
    assert response.status == 200, await response.text()
    return await response.json()


async def state_of(client, signup_id, headers=ALICE):
    response = await client.get(f"{BASE}/signups/{signup_id}", headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


def test_every_bundled_scenario_has_a_test():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    for path in SCENARIOS.glob("*.yaml"):
        assert path.stem in tested, f"{path.name} has no test"
        assert path.read_text().startswith("# "), f"{path.name} needs a header comment"


async def test_delayed_activation(client):
    await load(client, "delayed-activation")
    signup = await create_signup(client)
    assert (await state_of(client, signup["id"]))["signupState"] == "Activating"
    await advance(client, 89)
    assert (await state_of(client, signup["id"]))["signupState"] == "Activating"
    await advance(client, 1)
    assert (await state_of(client, signup["id"]))["signupState"] == "Active"
    polled = await create_signup(client, name="poll-1")
    await advance(client, 90)
    states = [(await state_of(client, polled["id"]))["signupState"] for _ in range(4)]
    assert states == ["Activating", "Activating", "Activating", "Active"]


async def test_failed_activation(client):
    await load(client, "failed-activation")
    doomed = await create_signup(client, name="doomed-1")
    fine = await create_signup(client, name="fine")
    body = await state_of(client, doomed["id"])
    assert body["signupState"] == "Failed" and body["bookmark"] == ""
    assert (await state_of(client, fine["id"]))["signupState"] == "Active"
    await assert_error(await client.get(f"{BASE}/signups/{doomed['id']}/updates?bookmark=x", headers=ALICE), 400,
                       "Failed")


async def test_partial_failure(client):
    await load(client, "partial-failure")
    signup = await create_signup(client, resource_ids=["a", "bad-old"])
    await activate(client, signup["id"])
    response = await client.post(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE,
                                 json={"ResourcesToAdd": ["ok", "forbidden", "bad-1"], "ResourcesToRemove": ["bad-old"]})
    assert response.status == 207
    assert await response.json() == {"invalidResourcesToRemove": [], "failedResourceIds": ["forbidden", "bad-1", "bad-old"]}
    listed = await (await client.get(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE)).json()
    assert [r["resourceId"] for r in listed["resources"]] == ["a", "bad-old", "ok"]


async def test_forced_expiry(client):
    await load(client, "forced-expiry")
    signup = await create_signup(client)
    await activate(client, signup["id"])
    await advance(client, 7199)
    assert (await state_of(client, signup["id"]))["signupState"] == "Active"
    await advance(client, 1)
    body = await state_of(client, signup["id"])
    assert body["signupState"] == "Expired"
    assert body["expiredDate"] == "2026-01-01T02:00:00.0000000Z"
    short = await create_signup(client, name="short-1")
    states = [(await state_of(client, short["id"]))["signupState"] for _ in range(3)]
    assert states == ["Active", "Active", "Expired"]


async def test_bookmark_timeout(client):
    await load(client, "bookmark-timeout")
    await make_stream(client, "s1")
    signup = await create_signup(client)
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    _, following = await poll(client, signup["id"], bookmark)
    await poll(client, signup["id"], bookmark)
    await assert_error(await client.get(f"{BASE}/signups/{signup['id']}/updates", params={"bookmark": bookmark},
                                        headers=ALICE), 400, "expired")
    await advance(client, 299)
    await poll(client, signup["id"], following)
    await advance(client, 1)
    await assert_error(await client.get(f"{BASE}/signups/{signup['id']}/updates", params={"bookmark": following},
                                        headers=ALICE), 400, "expired")


async def test_flaky(client):
    await load(client, "flaky")
    await make_stream(client, "s1")
    signup = await create_signup(client)
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    url = f"{BASE}/signups/{signup['id']}/updates"
    statuses = []
    for _ in range(4):
        response = await client.get(url, params={"bookmark": bookmark}, headers=ALICE)
        statuses.append(response.status)
        if response.status == 503:
            assert response.headers["Retry-After"] == "1"
            await assert_error(response, 503)
    assert statuses == [200, 503, 503, 200]
    listings = [await client.get(f"{BASE}/signups", headers=ALICE) for _ in range(4)]
    assert [r.status for r in listings] == [200, 200, 200, 429]
    assert listings[3].headers["Retry-After"] == "2"
    assert (await listings[3].json())["Error"] == "Too many requests."
    faults = await (await client.get("/_emulator/faults")).json()
    assert [(f["name"], f["matched"], f["fired"]) for f in faults["faults"]] == [
        ("updates unavailable", 4, 2), ("listing throttled", 4, 1)]


async def interleaved_order(make_client):
    client = await make_client()
    await load(client, "reordering")
    await make_stream(client, "a")
    await make_stream(client, "b")
    signup = await create_signup(client, resource_ids=["a", "b"])
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    for second in range(6):
        for stream in ("a", "b"):
            await client.post(DATA.format(stream), json=[event(second)], headers=ALICE)
    data, _ = await poll(client, signup["id"], bookmark)
    await client.close()
    return [(item["resourceId"], item["events"][0]["Timestamp"]) for item in data]


async def test_reordering(make_client):
    order = await interleaved_order(make_client)
    written = [(stream, f"2026-01-01T00:00:{s:02d}Z") for s in range(6) for stream in ("a", "b")]
    assert order != written and sorted(order) == sorted(written)
    for stream in ("a", "b"):
        assert [o for o in order if o[0] == stream] == [w for w in written if w[0] == stream]
    assert await interleaved_order(make_client) == order


async def test_inaccessible_resources(client):
    await load(client, "inaccessible-resources")
    base = "/api/v1/tenants/tenant-1/namespaces/ns"
    token = await (await client.post("/identity/connect/token", data={
        "grant_type": "client_credentials", "client_id": "reader", "client_secret": "reader-secret"})).json()
    reader = {"Authorization": f"Bearer {token['access_token']}"}
    signup = await create_signup(client, headers=reader, resource_ids=["open-stream", "secret-stream"], base=base)
    bookmark = (await activate(client, signup["id"], headers=reader, base=base))["bookmark"]
    listed = await (await client.get(f"{base}/signups/{signup['id']}/resources", headers=reader)).json()
    assert listed["resources"] == [{"resourceId": "open-stream", "isAccessible": True},
                                   {"resourceId": "secret-stream", "isAccessible": False}]
    for stream in ("open-stream", "secret-stream"):
        assert (await client.post(f"{base}/Streams/{stream}/Data", json=[event(1)], headers=ALICE)).status == 204
    data, _ = await poll(client, signup["id"], bookmark, headers=reader, base=base)
    assert [item["resourceId"] for item in data] == ["open-stream"]
    other = await create_signup(client, resource_ids=["secret-stream"], base=base)
    await activate(client, other["id"], base=base)
    listed = await (await client.get(f"{base}/signups/{other['id']}/resources", headers=ALICE)).json()
    assert listed["resources"] == [{"resourceId": "secret-stream", "isAccessible": True}]


async def test_production(client):
    body = await load(client, "production")
    assert body["settings"]["activation_delay"] == 1.0
    signup = await create_signup(client)
    response = await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)
    while response.status == 503:
        response = await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)
    assert (await response.json())["signupState"] == "Activating"
    await advance(client, 1)
    statuses = [(await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)) for _ in range(150)]
    outages = [r for r in statuses if r.status == 503]
    assert 0 < len(outages) < 15
    assert all(r.headers["Retry-After"] == "1" for r in outages)
    assert {r.status for r in statuses} == {200, 503}


async def test_broken_network(client):
    await load(client, "broken-network")
    await make_stream(client, "s1")
    signup = await create_signup(client)
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    await client.post(DATA.format("s1"), json=[event(i) for i in range(20)], headers=ALICE)
    url = f"{BASE}/signups/{signup['id']}/updates"
    outcomes = []
    for _ in range(6):
        try:
            response = await client.get(url, params={"bookmark": bookmark}, headers=ALICE)
            await response.read()
            outcomes.append(response.status)
        except aiohttp.ServerDisconnectedError:
            outcomes.append("dropped")
        except aiohttp.ClientPayloadError:
            outcomes.append("truncated")
    assert outcomes == [200, 200, "dropped", 200, "truncated", 200]
    journal = await (await client.get("/_emulator/requests?route=get_updates")).json()
    assert [entry["status"] for entry in journal["requests"]] == [200, 200, None, 200, 200, 200]
    assert journal["requests"][2]["faults"] == ["dropped poll"]

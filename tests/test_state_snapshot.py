"""Snapshot and restore: GET /_emulator/state, then PUT it back, and every client sees what it saw before."""
from __future__ import annotations

from conftest import ALICE, BASE, activate, assert_error, create_signup, event, make_stream, poll


async def test_export_reset_import_round_trip(make_client):
    client = await make_client(page_size=2)
    await make_stream(client, "s1")
    await make_stream(client, "s2")
    signup = await create_signup(client, resource_ids=["s1", "s2", "ghost"])
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    await client.post(f"{BASE}/Streams/s1/Data", json=[event(1), event(2), event(3)], headers=ALICE)
    await client.delete(f"{BASE}/Streams/s1/Data?index=2026-01-01T00:00:02Z", headers=ALICE)
    await client.post(f"{BASE}/signups/{signup['id']}/resources", json={"ResourcesToRemove": ["s2"]}, headers=ALICE)
    first_page, following = await poll(client, signup["id"], bookmark)

    snapshot = await (await client.get("/_emulator/state")).json()
    assert (await client.post("/_emulator/reset")).status == 200
    assert (await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)).status == 404
    restored = await client.put("/_emulator/state", json=snapshot)
    assert restored.status == 200, await restored.text()

    assert await (await client.get("/_emulator/state")).json() == snapshot
    again, _ = await poll(client, signup["id"], bookmark)
    assert again == first_page
    rest, _ = await poll(client, signup["id"], following)
    assert [(item["operation"], len(item["events"])) for item in rest] == [("Insert", 1), ("Remove", 1)]
    listed = await (await client.get(f"{BASE}/signups/{signup['id']}/resources", headers=ALICE)).json()
    assert listed["resources"] == [{"resourceId": "s1", "isAccessible": True},
                                   {"resourceId": "ghost", "isAccessible": False}]
    data = await (await client.get(f"{BASE}/Streams/s1/Data?startIndex=2026-01-01T00:00:00Z"
                                   f"&endIndex=2026-01-02T00:00:00Z", headers=ALICE)).json()
    assert data == [event(1), event(3)]


async def test_a_bad_snapshot_changes_nothing(client):
    signup = await create_signup(client)
    before = await (await client.get("/_emulator/state")).json()
    broken = {"version": 1, "namespaces": [before["namespaces"][0], {"tenant": "x"}]}
    for body in ({}, {"version": 99, "namespaces": []}, broken, [1]):
        await assert_error(await client.put("/_emulator/state", json=body), 400)
    assert await (await client.get("/_emulator/state")).json() == before
    assert (await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)).status == 200

"""The Updates route (SPEC.md section 4): change data per signup, in write order, across pages."""
from __future__ import annotations

from conftest import (ALICE, BASE, BOB, activate, advance, assert_error, create_signup, event, make_stream, poll)

DATA = BASE + "/Streams/{}/Data"


async def setup(client, streams=("s1",), subscribe=None):
    for stream in streams:
        await make_stream(client, stream)
    signup = await create_signup(client, resource_ids=subscribe or streams)
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    return signup["id"], bookmark


async def write_all_five(client, stream="s1"):
    data = DATA.format(stream)
    assert (await client.post(data, json=[event(1, 1), event(2, 2)], headers=ALICE)).status == 204
    assert (await client.put(data, json=[event(1, 10)], headers=ALICE)).status == 204
    assert (await client.put(data + "?allowCreate=false", json=[event(2, 20)], headers=ALICE)).status == 204
    assert (await client.delete(data + "?index=2026-01-01T00:00:01Z", headers=ALICE)).status == 204
    assert (await client.delete(data + "?startIndex=2026-01-01T00:00:00Z&endIndex=2026-01-01T00:00:30Z",
                                headers=ALICE)).status == 204


async def test_each_write_is_one_item_in_write_order(client):
    signup_id, bookmark = await setup(client)
    await write_all_five(client)
    data, _ = await poll(client, signup_id, bookmark)
    assert data == [
        {"resourceId": "s1", "operation": "Insert", "events": [event(1, 1), event(2, 2)]},
        {"resourceId": "s1", "operation": "Update", "events": [event(1, 10)]},
        {"resourceId": "s1", "operation": "Replace", "events": [event(2, 20)]},
        {"resourceId": "s1", "operation": "Remove", "events": [{"Timestamp": "2026-01-01T00:00:01Z"}]},
        {"resourceId": "s1", "operation": "RemoveWindow",
         "events": [{"Timestamp": "2026-01-01T00:00:00Z"}, {"Timestamp": "2026-01-01T00:00:30Z"}]},
    ]


async def test_python_client_operation_names_setting(make_client):
    client = await make_client(operation_names="python-client")
    signup_id, bookmark = await setup(client)
    await write_all_five(client)
    data, _ = await poll(client, signup_id, bookmark)
    assert [item["operation"] for item in data] == ["Insert", "Update", "Replace", "Delete", "DeleteWindow"]


async def test_nothing_new_gives_empty_data_and_a_bookmark(client):
    signup_id, bookmark = await setup(client)
    data, following = await poll(client, signup_id, bookmark)
    assert data == [] and following
    await client.post(DATA.format("s1"), json=[event(1)], headers=ALICE)
    data, following = await poll(client, signup_id, following)
    assert len(data) == 1
    data, _ = await poll(client, signup_id, following)
    assert data == []


async def test_a_bookmark_can_be_replayed(client):
    signup_id, bookmark = await setup(client)
    await client.post(DATA.format("s1"), json=[event(1)], headers=ALICE)
    first, _ = await poll(client, signup_id, bookmark)
    again, _ = await poll(client, signup_id, bookmark)
    assert first == again and len(first) == 1


async def test_only_changes_after_activation_and_on_subscribed_streams(client):
    await make_stream(client, "s1")
    await make_stream(client, "other")
    signup = await create_signup(client, resource_ids=["s1"])
    await client.post(DATA.format("s1"), json=[event(1)], headers=ALICE)
    bookmark = (await activate(client, signup["id"]))["bookmark"]
    await client.post(DATA.format("other"), json=[event(1)], headers=ALICE)
    await client.post(DATA.format("s1"), json=[event(2)], headers=ALICE)
    data, _ = await poll(client, signup["id"], bookmark)
    assert data == [{"resourceId": "s1", "operation": "Insert", "events": [event(2)]}]


async def test_pages_split_big_writes_without_loss_or_repeat(make_client):
    client = await make_client(page_size=4)
    signup_id, bookmark = await setup(client, streams=("s1", "s2"))
    await client.post(DATA.format("s1"), json=[event(i) for i in range(10)], headers=ALICE)
    await client.post(DATA.format("s2"), json=[event(1), event(2)], headers=ALICE)
    await client.post(DATA.format("s1"), json=[event(20)], headers=ALICE)
    pages = []
    for _ in range(6):
        data, bookmark = await poll(client, signup_id, bookmark)
        pages.append(data)
    sizes = [sum(len(item["events"]) for item in page) for page in pages]
    assert sizes == [4, 4, 4, 1, 0, 0]
    flattened = [(item["resourceId"], e) for page in pages for item in page for e in item["events"]]
    assert flattened == [("s1", event(i)) for i in range(10)] + [("s2", event(1)), ("s2", event(2)), ("s1", event(20))]


async def test_resource_adds_and_removes_take_effect_from_that_moment(client):
    signup_id, bookmark = await setup(client, streams=("s1", "s2"), subscribe=["s1"])
    await client.post(DATA.format("s2"), json=[event(1)], headers=ALICE)
    await client.post(f"{BASE}/signups/{signup_id}/resources", json={"ResourcesToAdd": ["s2"]}, headers=ALICE)
    await client.post(DATA.format("s2"), json=[event(2)], headers=ALICE)
    await client.post(DATA.format("s1"), json=[event(3)], headers=ALICE)
    await client.post(f"{BASE}/signups/{signup_id}/resources", json={"ResourcesToRemove": ["s1"]}, headers=ALICE)
    await client.post(DATA.format("s1"), json=[event(4)], headers=ALICE)
    data, _ = await poll(client, signup_id, bookmark)
    assert [(item["resourceId"], item["events"]) for item in data] == [("s2", [event(2)]), ("s1", [event(3)])]


async def test_deleted_stream_is_inaccessible_and_recreated_one_counts_from_then(client):
    signup_id, bookmark = await setup(client)
    await client.post(DATA.format("s1"), json=[event(1)], headers=ALICE)
    assert (await client.delete(f"{BASE}/Streams/s1", headers=ALICE)).status == 204
    listed = await (await client.get(f"{BASE}/signups/{signup_id}/resources", headers=ALICE)).json()
    assert listed["resources"] == [{"resourceId": "s1", "isAccessible": False}]
    data, bookmark = await poll(client, signup_id, bookmark)
    assert data == []
    await make_stream(client, "s1")
    await client.post(DATA.format("s1"), json=[event(2)], headers=ALICE)
    data, _ = await poll(client, signup_id, bookmark)
    assert [item["events"] for item in data] == [[event(2)]]
    listed = await (await client.get(f"{BASE}/signups/{signup_id}/resources", headers=ALICE)).json()
    assert listed["resources"] == [{"resourceId": "s1", "isAccessible": True}]


async def test_changes_older_than_retention_are_gone(make_client):
    client = await make_client(retention="10m", bookmark_ttl="1h")
    signup_id, bookmark = await setup(client)
    await client.post(DATA.format("s1"), json=[event(1)], headers=ALICE)
    await advance(client, 5 * 60)
    await client.post(DATA.format("s1"), json=[event(2)], headers=ALICE)
    await advance(client, 6 * 60)
    data, _ = await poll(client, signup_id, bookmark)
    assert [item["events"] for item in data] == [[event(2)]]
    await advance(client, 5 * 60)
    data, _ = await poll(client, signup_id, bookmark)
    assert data == []


async def test_each_bookmark_failure_is_a_400_that_says_which(client):
    signup_id, bookmark = await setup(client)
    other_id, other_bookmark = await setup(client)
    url = f"{BASE}/signups/{signup_id}/updates"
    await assert_error(await client.get(url, headers=ALICE), 400, "missing")
    await assert_error(await client.get(url, params={"bookmark": ""}, headers=ALICE), 400, "missing")
    await assert_error(await client.get(url, params={"bookmark": "garbage!"}, headers=ALICE), 400, "malformed")
    await assert_error(await client.get(url, params={"bookmark": other_bookmark}, headers=ALICE), 400, "foreign")
    payload, signature = bookmark.split(".")
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature
    await assert_error(await client.get(url, params={"bookmark": tampered}, headers=ALICE), 400)
    forged = other_bookmark.split(".")[0] + "." + signature
    await assert_error(await client.get(url, params={"bookmark": forged}, headers=ALICE), 400, "tampered")
    await advance(client, 3600)
    await assert_error(await client.get(url, params={"bookmark": bookmark}, headers=ALICE), 400, "expired")


async def test_updates_on_activating_expired_unknown_and_foreign_signups(make_client):
    client = await make_client(activation_delay="1m")
    await make_stream(client, "s1")
    signup = await create_signup(client)
    url = f"{BASE}/signups/{signup['id']}/updates?bookmark=x"
    await assert_error(await client.get(url, headers=ALICE), 400, "Activating")
    await advance(client, 60)
    await activate(client, signup["id"])
    await assert_error(await client.get(url, headers=BOB), 403)
    await assert_error(await client.get(url), 401)
    await advance(client, 24 * 3600)
    await assert_error(await client.get(url, headers=ALICE), 400, "Expired")
    await assert_error(await client.get(f"{BASE}/signups/nope/updates?bookmark=x", headers=ALICE), 404)


async def test_polling_counts_as_activity(client):
    signup_id, bookmark = await setup(client)
    for _ in range(3):
        await advance(client, 20 * 3600)
        response = await client.get(f"{BASE}/signups/{signup_id}", headers=ALICE)
        bookmark = (await response.json())["bookmark"]
        await poll(client, signup_id, bookmark)
    assert (await (await client.get(f"{BASE}/signups/{signup_id}", headers=ALICE)).json())["signupState"] == "Active"


async def test_two_signups_each_get_every_change(client):
    first, first_bookmark = await setup(client)
    second = await create_signup(client, resource_ids=["s1"])
    second_bookmark = (await activate(client, second["id"]))["bookmark"]
    await client.post(DATA.format("s1"), json=[event(1)], headers=ALICE)
    assert len((await poll(client, first, first_bookmark))[0]) == 1
    assert len((await poll(client, second["id"], second_bookmark))[0]) == 1

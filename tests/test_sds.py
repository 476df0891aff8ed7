"""The SDS slice of SPEC.md section 5: every status code of types, streams and stream data."""
from __future__ import annotations

import copy

from conftest import ALICE, BASE, SIMPLE_TYPE, assert_error, event, make_stream


async def test_type_get_or_create_201_then_200_then_409(client):
    response = await client.post(f"{BASE}/Types/Simple", json=SIMPLE_TYPE, headers=ALICE)
    assert response.status == 201
    body = await response.json()
    assert body["Id"] == "Simple" and body["SdsTypeCode"] == "Object"
    assert body["Properties"][1]["SdsType"]["SdsTypeCode"] == "Double"
    numeric = copy.deepcopy(SIMPLE_TYPE)
    numeric["SdsTypeCode"] = 1
    numeric["Properties"][0]["SdsType"]["SdsTypeCode"] = 16
    assert (await client.post(f"{BASE}/types/simple", json=numeric, headers=ALICE)).status == 200
    different = copy.deepcopy(SIMPLE_TYPE)
    different["Properties"][1]["SdsType"]["SdsTypeCode"] = "Int32"
    await assert_error(await client.post(f"{BASE}/Types/Simple", json=different, headers=ALICE), 409)


async def test_type_invalid_definitions_are_400(client):
    no_key = copy.deepcopy(SIMPLE_TYPE)
    no_key["Properties"][0]["IsKey"] = False
    bad_code = copy.deepcopy(SIMPLE_TYPE)
    bad_code["Properties"][1]["SdsType"]["SdsTypeCode"] = "Quaternion"
    object_key = copy.deepcopy(SIMPLE_TYPE)
    object_key["Properties"][0]["SdsType"]["SdsTypeCode"] = "Object"
    other_id = dict(SIMPLE_TYPE, Id="Other")
    for body in (no_key, bad_code, object_key, other_id, [1], {"Id": "Simple"},
                 dict(SIMPLE_TYPE, Properties="x")):
        await assert_error(await client.post(f"{BASE}/Types/Simple", json=body, headers=ALICE), 400)
    await assert_error(await client.post(f"{BASE}/Types/__bad", json=dict(SIMPLE_TYPE, Id="__bad"), headers=ALICE), 400)
    await assert_error(await client.get(f"{BASE}/Types/Simple", headers=ALICE), 404)


async def test_type_get_list_and_delete(client):
    await client.post(f"{BASE}/Types/Simple", json=SIMPLE_TYPE, headers=ALICE)
    assert (await (await client.get(f"{BASE}/Types/Simple", headers=ALICE)).json())["Id"] == "Simple"
    listed = await (await client.get(f"{BASE}/Types", headers=ALICE)).json()
    assert [t["Id"] for t in listed] == ["Simple"]
    assert (await client.delete(f"{BASE}/Types/Simple", headers=ALICE)).status == 204
    await assert_error(await client.delete(f"{BASE}/Types/Simple", headers=ALICE), 404)


async def test_type_in_use_cannot_be_deleted(client):
    await make_stream(client, "s1")
    await assert_error(await client.delete(f"{BASE}/Types/Simple", headers=ALICE), 409, "used")
    assert (await client.delete(f"{BASE}/Streams/s1", headers=ALICE)).status == 204
    assert (await client.delete(f"{BASE}/Types/Simple", headers=ALICE)).status == 204


async def test_stream_get_or_create_201_200_409_404(client):
    await client.post(f"{BASE}/Types/Simple", json=SIMPLE_TYPE, headers=ALICE)
    stream = {"Id": "s1", "TypeId": "Simple", "Name": "one"}
    response = await client.post(f"{BASE}/Streams/s1", json=stream, headers=ALICE)
    assert response.status == 201
    assert (await response.json())["TypeId"] == "Simple"
    assert (await client.post(f"{BASE}/Streams/s1", json=stream, headers=ALICE)).status == 200
    await assert_error(await client.post(f"{BASE}/Streams/s1", json=dict(stream, Name="two"), headers=ALICE), 409)
    await assert_error(await client.post(f"{BASE}/Streams/s2", json={"Id": "s2", "TypeId": "Nope"}, headers=ALICE), 404)
    await assert_error(await client.post(f"{BASE}/Streams/s2", json={"Id": "s2"}, headers=ALICE), 400)


async def test_stream_create_or_update_get_list_delete(client):
    await client.post(f"{BASE}/Types/Simple", json=SIMPLE_TYPE, headers=ALICE)
    response = await client.put(f"{BASE}/Streams/s1", json={"Id": "s1", "TypeId": "Simple"}, headers=ALICE)
    assert response.status == 204
    response = await client.put(f"{BASE}/Streams/s1", json={"Id": "s1", "TypeId": "Simple", "Name": "n"}, headers=ALICE)
    assert response.status == 204
    assert (await (await client.get(f"{BASE}/Streams/s1", headers=ALICE)).json())["Name"] == "n"
    listed = await (await client.get(f"{BASE}/Streams?query=&skip=0&count=10", headers=ALICE)).json()
    assert [s["Id"] for s in listed] == ["s1"]
    assert (await client.delete(f"{BASE}/Streams/s1", headers=ALICE)).status == 204
    await assert_error(await client.get(f"{BASE}/Streams/s1", headers=ALICE), 404)
    await assert_error(await client.delete(f"{BASE}/Streams/s1", headers=ALICE), 404)


async def test_insert_is_all_or_nothing_with_409(client):
    await make_stream(client, "s1")
    data = f"{BASE}/Streams/s1/Data"
    assert (await client.post(data, json=[event(1), event(2)], headers=ALICE)).status == 204
    await assert_error(await client.post(data, json=[event(3), event(2)], headers=ALICE), 409)
    await assert_error(await client.post(data, json=[event(4), event(4)], headers=ALICE), 409)
    stored = await (await client.get(f"{data}?startIndex=2026-01-01T00:00:00Z&endIndex=2026-01-02T00:00:00Z",
                                     headers=ALICE)).json()
    assert stored == [event(1), event(2)]


async def test_update_upserts_and_replace_needs_existing(client):
    await make_stream(client, "s1")
    data = f"{BASE}/Streams/s1/Data"
    assert (await client.put(data, json=[event(1, 5)], headers=ALICE)).status == 204
    assert (await client.put(data, json=[event(1, 6), event(2, 7)], headers=ALICE)).status == 204
    assert (await client.put(f"{data}?allowCreate=false", json=[event(2, 8)], headers=ALICE)).status == 204
    await assert_error(await client.put(f"{data}?allowCreate=false", json=[event(1, 0), event(9)], headers=ALICE), 404)
    await assert_error(await client.put(f"{data}?allowCreate=maybe", json=[event(1)], headers=ALICE), 400)
    assert await (await client.get(f"{data}?index=2026-01-01T00:00:01Z", headers=ALICE)).json() == [event(1, 6)]
    assert await (await client.get(f"{data}/Last", headers=ALICE)).json() == event(2, 8)


async def test_remove_by_index_and_window(client):
    await make_stream(client, "s1")
    data = f"{BASE}/Streams/s1/Data"
    await client.post(data, json=[event(i) for i in range(6)], headers=ALICE)
    assert (await client.delete(f"{data}?index=2026-01-01T00:00:00Z&index=2026-01-01T00:00:01Z",
                                headers=ALICE)).status == 204
    await assert_error(await client.delete(f"{data}?index=2026-01-01T00:00:02Z&index=2026-01-01T00:00:00Z",
                                           headers=ALICE), 404)
    assert (await client.delete(f"{data}?startIndex=2026-01-01T00:00:03Z&endIndex=2026-01-01T00:00:04Z",
                                headers=ALICE)).status == 204
    assert (await client.delete(f"{data}?startIndex=2027-01-01T00:00:00Z&endIndex=2027-01-02T00:00:00Z",
                                headers=ALICE)).status == 204
    await assert_error(await client.delete(data, headers=ALICE), 400)
    assert await (await client.get(f"{data}/First", headers=ALICE)).json() == event(2)
    remaining = await (await client.get(f"{data}?startIndex=2026-01-01T00:00:00Z&endIndex=2026-01-01T00:00:59Z",
                                        headers=ALICE)).json()
    assert remaining == [event(2), event(5)]


async def test_events_are_checked_against_the_type(client):
    await make_stream(client, "s1")
    data = f"{BASE}/Streams/s1/Data"
    cases = [([{"Value": 1}], "Timestamp"), ([event(1), {"Timestamp": "yesterday"}], "Timestamp"),
             ([{"Timestamp": "2026-01-01T00:00:00Z", "Value": "high"}], "Value"), ({"Timestamp": "x"}, "array"),
             ([5], "Event 0")]
    for body, named in cases:
        problem = await assert_error(await client.post(data, json=body, headers=ALICE), 400, named)
        assert problem["Parameters"].get("event") in (None, "0", "1")
    assert await (await client.get(f"{data}/First", headers=ALICE)).json() is None


async def test_datetime_keys_compare_as_instants_with_100ns_precision(client):
    await make_stream(client, "s1")
    data = f"{BASE}/Streams/s1/Data"
    first = {"Timestamp": "2026-01-01T00:00:00.0000001Z", "Value": 1}
    second = {"Timestamp": "2026-01-01T00:00:00.0000002Z", "Value": 2}
    assert (await client.post(data, json=[first, second], headers=ALICE)).status == 204
    same_instant = {"Timestamp": "2026-01-01T01:00:00.0000001+01:00", "Value": 3}
    await assert_error(await client.post(data, json=[same_instant], headers=ALICE), 409)
    window = await (await client.get(f"{data}?startIndex=2026-01-01T00:00:00.0000002Z"
                                     f"&endIndex=2026-01-01T00:00:01Z", headers=ALICE)).json()
    assert window == [second]


async def test_writes_to_unknown_streams_are_404(client):
    for method in ("POST", "PUT", "GET"):
        response = await client.request(method, f"{BASE}/Streams/none/Data?startIndex=a&endIndex=b", json=[event(1)],
                                         headers=ALICE)
        await assert_error(response, 404)


async def test_reads_need_an_index_or_a_window(client):
    await make_stream(client, "s1")
    await assert_error(await client.get(f"{BASE}/Streams/s1/Data", headers=ALICE), 400)
    await assert_error(await client.get(f"{BASE}/Streams/s1/Data?startIndex=2026-01-01&endIndex=x", headers=ALICE), 400)
    await assert_error(await client.get(f"{BASE}/Streams/s1/Data?startIndex=2026-01-01T00:00:00Z"
                                        f"&endIndex=2026-01-02T00:00:00Z&filter=Value gt 1", headers=ALICE), 400)


async def test_integer_and_compound_keys(client):
    compound = {"Id": "Pair", "SdsTypeCode": "Object", "Properties": [
        {"Id": "A", "IsKey": True, "Order": 1, "SdsType": {"SdsTypeCode": "Int32"}},
        {"Id": "B", "IsKey": True, "Order": 0, "SdsType": {"SdsTypeCode": "String"}}]}
    assert (await client.post(f"{BASE}/Types/Pair", json=compound, headers=ALICE)).status == 201
    await client.post(f"{BASE}/Streams/p", json={"Id": "p", "TypeId": "Pair"}, headers=ALICE)
    data = f"{BASE}/Streams/p/Data"
    assert (await client.post(data, json=[{"A": 2, "B": "x"}, {"A": 1, "B": "y"}], headers=ALICE)).status == 204
    await assert_error(await client.post(data, json=[{"A": 2.5, "B": "z"}], headers=ALICE), 400, "integer")
    assert await (await client.get(f"{data}?index=x|2", headers=ALICE)).json() == [{"A": 2, "B": "x"}]
    assert (await client.delete(f"{data}?index=y|1", headers=ALICE)).status == 204
    await assert_error(await client.delete(f"{data}?index=y", headers=ALICE), 400)


async def test_stream_type_and_type_reference_count(client):
    await make_stream(client, "s1")
    await client.post(f"{BASE}/Streams/s2", json={"Id": "s2", "TypeId": "Simple"}, headers=ALICE)
    assert (await (await client.get(f"{BASE}/Streams/s1/Type", headers=ALICE)).json())["Id"] == "Simple"
    counts = await (await client.get(f"{BASE}/Types/Simple/ReferenceCount", headers=ALICE)).json()
    assert counts["SdsStream"] == 2
    await assert_error(await client.get(f"{BASE}/Streams/none/Type", headers=ALICE), 404)
    await assert_error(await client.get(f"{BASE}/Types/None/ReferenceCount", headers=ALICE), 404)


async def test_window_pages_with_continuation_tokens(client):
    await make_stream(client, "s1")
    await client.post(f"{BASE}/Streams/s1/Data", json=[event(i, i) for i in range(7)], headers=ALICE)
    window = f"{BASE}/Streams/s1/Data?startIndex=2026-01-01T00:00:01Z&endIndex=2026-01-01T00:00:59Z&count=3"
    token, pages = "", []
    while token is not None:
        body = await (await client.get(window, params={"continuationToken": token}, headers=ALICE)).json()
        pages.append(body["Results"])
        token = body["ContinuationToken"]
    assert pages == [[event(1, 1), event(2, 2), event(3, 3)], [event(4, 4), event(5, 5), event(6, 6)]]
    await assert_error(await client.get(window, params={"continuationToken": "%%%"}, headers=ALICE), 400)

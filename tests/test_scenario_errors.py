"""Scenario validation, swapping at run time, seeded faults, the journal and the faults listing."""
from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from conftest import ALICE, BASE, assert_error, create_signup, free_port

BROKEN = [
    ("foo: 1\n", "broken.yaml:1: foo: unknown key; expected one of description, clock, settings"),
    ("settings:\n  activation_delay: soon\n", "broken.yaml:2: settings.activation_delay: activation_delay: 'soon' is not a duration"),
    ("settings:\n  page_size: many\n", "broken.yaml:2: settings.page_size: page_size: 'many' is not a valid value"),
    ("settings:\n  port: 9000\n", "broken.yaml:2: settings.port: unknown key"),
    ("clock:\n  speed: fast\n", "broken.yaml:2: clock.speed: must be a number"),
    ("clock:\n  start: someday\n", "broken.yaml:2: clock.start: 'someday' is not an ISO 8601 time"),
    ("faults:\n  - when: {route: get_everything}\n    drop: true\n", "broken.yaml:2: faults[0].when.route: unknown route 'get_everything'"),
    ("faults:\n  - when: {route: get_updates}\n", "broken.yaml:2: faults[0]: needs an action"),
    ("faults:\n  - when: {nth: 2, every: 3}\n    drop: true\n", "broken.yaml:2: faults[0].when: nth and every cannot be combined"),
    ("faults:\n  - when: {seed: 3}\n    drop: true\n", "broken.yaml:2: faults[0].when: seed only goes with probability"),
    ("faults:\n  - drop: true\n    respond: {status: 503}\n", "broken.yaml:2: faults[0]: drop closes the connection"),
    ("faults:\n  - respond: {status: 503}\n    fail_activation: true\n", "broken.yaml:2: faults[0]: cannot mix respond with fail_activation"),
    ("faults:\n  - when: {route: get_updates}\n    fail_activation: true\n",
     "broken.yaml:2: faults[0].when.route: fail_activation acts on create_signup, not on get_updates"),
    ("faults:\n  - respond: {status: 700}\n", "broken.yaml:2: faults[0].respond.status: must be an HTTP status"),
    ("faults:\n  - respond: {headers: {A: b}}\n", "broken.yaml:2: faults[0].respond: needs a status"),
    ("faults:\n  - delay: {min: 2s, max: 1s}\n", "broken.yaml:2: faults[0].delay: a range needs min and max"),
    ("faults:\n  - expire_signup: {after: 1h, on_request: 2}\n", "broken.yaml:2: faults[0].expire_signup: needs exactly one of"),
    ("faults:\n  - when: {signup_name: x*}\n    reorder: true\n", "broken.yaml:2: faults[0].when.signup_name: only applies to"),
    ("faults:\n  - when: {probability: 2}\n    drop: true\n", "broken.yaml:2: faults[0].when.probability: must be a number from 0 to 1"),
    ("clients:\n  - {secret: s}\n", "broken.yaml:2: clients[0]: needs an id"),
    ("seed:\n  - tenant: t\n    namespace: n\n    types:\n      - {Id: T, SdsTypeCode: Object, Properties: []}\n",
     "broken.yaml:5: seed[0].types[0]: Type 'T' has no key property"),
    ("seed:\n  - tenant: t\n    namespace: n\n    streams:\n      - {Id: s, TypeId: Missing}\n",
     "broken.yaml:5: seed[0].streams[0]: TypeId 'Missing' is not among the types"),
    ("faults: [\n", "broken.yaml:2: (file): not valid YAML"),
    ("description: a\ndescription: b\n", "broken.yaml:2: description: given twice"),
]


@pytest.mark.parametrize("text, message", BROKEN, ids=[m.split(": ", 2)[1] + f"-{i}" for i, (_, m) in enumerate(BROKEN)])
async def test_broken_scenarios_are_400_naming_file_line_and_key(client, text, message):
    response = await client.put("/_emulator/scenario?source=broken.yaml", data=text)
    body = await assert_error(response, 400)
    assert body["Reason"].startswith(message), body["Reason"]
    assert body["Parameters"]["file"] == "broken.yaml"
    assert body["Parameters"]["line"] == message.split(":")[1]


async def test_a_broken_scenario_leaves_the_old_one_active(client):
    good = "description: good\nsettings: {activation_delay: 1m}\n"
    assert (await client.put("/_emulator/scenario?source=good.yaml", data=good)).status == 200
    assert (await client.put("/_emulator/scenario", data="settings: {activation_delay: 1m, nope: 1}\n")).status == 400
    current = await (await client.get("/_emulator/scenario")).json()
    assert current["description"] == "good" and current["sources"] == ["good.yaml"]
    signup = await create_signup(client)
    body = await (await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)).json()
    assert body["signupState"] == "Activating"


def test_broken_scenario_at_start_exits_2_before_listening(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("faults:\n  - when: {route: nope}\n    drop: true\n")
    port = free_port()
    result = subprocess.run([sys.executable, "-m", "emulator", "--port", str(port), "--scenario", str(broken)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().endswith("broken.yaml:2: faults[0].when.route: unknown route 'nope'; known: any, "
                                          + result.stderr.split("known: any, ")[1].strip())
    assert result.stderr.count("\n") == 1


async def test_json_scenarios_and_clock_control(client):
    scenario = '{"clock": {"start": "2026-06-01T00:00:00Z", "speed": 120, "frozen": true}}'
    assert (await client.put("/_emulator/scenario", data=scenario)).status == 200
    assert await (await client.get("/_emulator/clock")).json() == {
        "now": "2026-06-01T00:00:00.0000000Z", "speed": 120.0, "frozen": True}
    backwards = '{"clock": {"start": "2026-01-01T00:00:00Z"}}'
    await assert_error(await client.put("/_emulator/scenario", data=backwards), 400, "never goes backwards")


async def outcomes_of_a_seeded_rule(make_client):
    client = await make_client()
    rule = "faults:\n  - when: {route: list_signups, probability: 0.3, seed: 11}\n    respond: {status: 503}\n"
    assert (await client.put("/_emulator/scenario", data=rule)).status == 200
    statuses = [(await client.get(f"{BASE}/signups", headers=ALICE)).status for _ in range(40)]
    await client.close()
    return statuses


async def test_a_seeded_probabilistic_fault_fires_on_the_same_requests_in_two_runs(make_client):
    first = await outcomes_of_a_seeded_rule(make_client)
    second = await outcomes_of_a_seeded_rule(make_client)
    assert first == second
    assert 3 <= first.count(503) <= 25


async def test_swapping_the_scenario_with_requests_in_flight_fails_none(client):
    slow = "faults:\n  - when: {route: get_signup}\n    delay: 50ms\n"
    assert (await client.put("/_emulator/scenario", data=slow)).status == 200
    signups = [await create_signup(client) for _ in range(5)]

    async def get(signup):
        response = await client.get(f"{BASE}/signups/{signup['id']}", headers=ALICE)
        return response.status

    in_flight = [asyncio.create_task(get(s)) for s in signups * 4]
    await asyncio.sleep(0.01)
    swapped = await client.put("/_emulator/scenario", data=(
        "settings: {activation_delay: 1h}\nfaults:\n  - when: {route: list_signups}\n    delay: 10ms\n"))
    assert swapped.status == 200
    assert await asyncio.gather(*in_flight) == [200] * 20
    new = await create_signup(client)
    assert (await (await client.get(f"{BASE}/signups/{new['id']}", headers=ALICE)).json())["signupState"] == "Activating"


async def test_faults_listing_and_reset(client):
    rule = "faults:\n  - name: every other\n    when: {route: list_signups, every: 2}\n    respond: {status: 429}\n"
    await client.put("/_emulator/scenario", data=rule)
    for _ in range(5):
        await client.get(f"{BASE}/signups", headers=ALICE)
    faults = await (await client.get("/_emulator/faults")).json()
    assert faults == {"faults": [{"index": 0, "name": "every other", "actions": ["respond"], "matched": 5, "fired": 2}]}
    await client.post("/_emulator/reset")
    faults = await (await client.get("/_emulator/faults")).json()
    assert faults["faults"][0]["matched"] == 0


async def test_journal_filters_bounds_and_clears(make_client):
    client = await make_client(journal_size=5)
    for _ in range(3):
        await client.get(f"{BASE}/signups", headers=ALICE)
    await client.get(f"{BASE}/signups/nope", headers=ALICE)
    await client.post(f"{BASE}/signups", headers=ALICE, json={})
    await client.get("/nowhere")
    journal = await (await client.get("/_emulator/requests")).json()
    assert journal["count"] == 5
    assert [e["status"] for e in journal["requests"]] == [200, 200, 404, 400, 404]
    entry = journal["requests"][2]
    assert entry["method"] == "GET" and entry["path"] == f"{BASE}/signups/nope" and entry["route"] == "get_signup"
    assert entry["time"] == "2026-01-01T00:00:00.0000000Z" and entry["faults"] == []
    assert (await (await client.get("/_emulator/requests?status=400")).json())["count"] == 1
    assert (await (await client.get("/_emulator/requests?method=post")).json())["count"] == 1
    assert (await (await client.get("/_emulator/requests?path=*/nope")).json())["count"] == 1
    assert (await (await client.get("/_emulator/requests?path=nowhere")).json())["count"] == 1
    await assert_error(await client.get("/_emulator/requests?status=abc"), 400)
    assert (await client.delete("/_emulator/requests")).status == 204
    assert (await (await client.get("/_emulator/requests")).json())["count"] == 0


async def test_reset_reapplies_the_seed(client):
    seeded = ("seed:\n  - tenant: t1\n    namespace: ns1\n    types:\n"
              "      - {Id: T, SdsTypeCode: Object, Properties: [{Id: K, IsKey: true, SdsType: {SdsTypeCode: Int32}}]}\n"
              "    streams:\n      - {Id: s, TypeId: T}\n")
    assert (await client.put("/_emulator/scenario", data=seeded)).status == 200
    assert (await client.get(f"{BASE}/Streams/s", headers=ALICE)).status == 200
    assert (await client.delete(f"{BASE}/Streams/s", headers=ALICE)).status == 204
    await client.post("/_emulator/reset")
    assert (await client.get(f"{BASE}/Streams/s", headers=ALICE)).status == 200

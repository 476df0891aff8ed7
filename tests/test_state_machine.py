"""A hypothesis state machine over the whole HTTP API, checked step by step against a plain reference model.

Signups, resource changes, SDS writes and stream deletion/re-creation, polls, clock advances and
scenario swaps, all over a real socket. The model says what each request must answer and which
events each signup must receive; after every step the listings must agree with the model.
"""
from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from emulator.pytest_plugin import _ServerThread

STREAMS = ("s0", "s1", "bad-s2")
TYPE = {"Id": "T", "SdsTypeCode": "Object", "Properties": [
    {"Id": "K", "IsKey": True, "SdsType": {"SdsTypeCode": "Int32"}}, {"Id": "V", "SdsType": {"SdsTypeCode": "Double"}}]}
LONG = "settings: {retention: 30d, bookmark_ttl: 30d, inactivity_expiry: 30d, page_size: 3}\n"
SCENARIOS = {
    "plain": LONG,
    "failing": LONG + "faults:\n  - fail_resources: {pattern: 'bad-*'}\n",
}
HEADERS = {"Authorization": "Bearer machine"}


@pytest.fixture(scope="module")
def server_url():
    server = _ServerThread()
    url = server.start()
    yield url
    server.stop()


class Model:
    def __init__(self):
        self.scenario = "plain"
        self.incarnation = {s: 0 for s in STREAMS}  # 0: deleted
        self.signups: dict[str, dict] = {}
        self.data: dict[str, set[int]] = {s: set() for s in STREAMS}


class EmulatorMachine(RuleBasedStateMachine):
    url = ""

    def __init__(self):
        super().__init__()
        self.http = requests.Session()
        self.http.headers.update(HEADERS)
        self.model = Model()
        self.value = 0

    @property
    def api(self):
        return f"{self.url}/api/v1/tenants/t/namespaces/n"

    @initialize()
    def start(self):
        assert self.http.post(f"{self.url}/_emulator/reset?defaults=true").status_code == 200
        assert self.http.put(f"{self.url}/_emulator/scenario", data=SCENARIOS["plain"]).status_code == 200
        assert self.http.post(f"{self.api}/Types/T", json=TYPE).status_code in (200, 201)
        for stream in STREAMS:
            self.create_stream(stream)

    def create_stream(self, stream):
        assert self.http.post(f"{self.api}/Streams/{stream}", json={"Id": stream, "TypeId": "T"}).status_code == 201
        self.model.incarnation[stream] = max(self.model.incarnation.values()) + 1
        self.model.data[stream] = set()

    # -- signups --------------------------------------------------------------------------
    @rule(streams=st.lists(st.sampled_from(STREAMS), min_size=1, max_size=3, unique=True))
    def new_signup(self, streams):
        created = self.http.post(f"{self.api}/signups", json={"resourceType": "Stream", "resourceIds": streams})
        assert created.status_code == 202
        signup_id = created.json()["id"]
        active = self.http.get(f"{self.api}/signups/{signup_id}").json()
        assert active["signupState"] == "Active" and active["bookmark"]
        self.model.signups[signup_id] = {"resources": list(streams), "bookmark": active["bookmark"], "pending": []}

    def signup(self, data):
        return data.draw(st.sampled_from(sorted(self.model.signups)))

    @precondition(lambda self: self.model.signups)
    @rule(data=st.data(), stream=st.sampled_from(STREAMS), add=st.booleans())
    def change_resources(self, data, stream, add):
        signup_id = self.signup(data)
        signup = self.model.signups[signup_id]
        response = self.http.post(f"{self.api}/signups/{signup_id}/resources",
                                  json={"ResourcesToAdd" if add else "ResourcesToRemove": [stream]})
        fails = self.model.scenario == "failing" and stream.startswith("bad-")
        if fails and (add or stream in signup["resources"]):
            assert response.status_code == 207
            assert response.json()["failedResourceIds"] == [stream]
        elif not add and stream not in signup["resources"]:
            assert response.status_code == 207
            assert response.json() == {"invalidResourcesToRemove": [stream], "failedResourceIds": []}
        else:
            assert response.status_code == 202, response.text
            if add and stream not in signup["resources"]:
                signup["resources"].append(stream)
            elif not add:
                signup["resources"].remove(stream)

    @precondition(lambda self: self.model.signups)
    @rule(data=st.data())
    def delete_signup(self, data):
        signup_id = self.signup(data)
        assert self.http.delete(f"{self.api}/signups/{signup_id}").status_code == 204
        del self.model.signups[signup_id]
        assert self.http.get(f"{self.api}/signups/{signup_id}").status_code == 404

    # -- data -----------------------------------------------------------------------------
    @rule(stream=st.sampled_from(STREAMS), keys=st.lists(st.integers(0, 4), min_size=1, max_size=3),
          operation=st.sampled_from(["Insert", "Update", "Replace", "Remove"]))
    def write(self, stream, keys, operation):
        data = f"{self.api}/Streams/{stream}/Data"
        stored = self.model.data[stream]
        exists = self.model.incarnation[stream] != 0
        if operation == "Remove":
            response = self.http.delete(data + "?" + "&".join(f"index={k}" for k in keys))
            ok = exists and set(keys) <= stored
            events = [{"K": k} for k in dict.fromkeys(keys)]
        else:
            events = []
            for k in keys:
                self.value += 1
                events.append({"K": k, "V": float(self.value)})
            method = "POST" if operation == "Insert" else "PUT"
            suffix = "?allowCreate=false" if operation == "Replace" else ""
            response = self.http.request(method, data + suffix, json=events)
            ok = exists and {"Insert": not (set(keys) & stored) and len(set(keys)) == len(keys),
                             "Update": True, "Replace": set(keys) <= stored}[operation]
        expected_status = 204 if ok else (404 if not exists or operation in ("Replace", "Remove") else 409)
        assert response.status_code == expected_status, (operation, keys, stored, response.text)
        if not ok:
            return
        if operation == "Remove":
            stored.difference_update(keys)
        else:
            stored.update(keys)
        incarnation = self.model.incarnation[stream]
        for signup in self.model.signups.values():
            if stream in signup["resources"]:
                signup["pending"].extend((stream, operation, e, incarnation) for e in events)

    @rule(stream=st.sampled_from(STREAMS))
    def delete_or_recreate_stream(self, stream):
        if self.model.incarnation[stream]:
            assert self.http.delete(f"{self.api}/Streams/{stream}").status_code == 204
            self.model.incarnation[stream] = 0
            for signup in self.model.signups.values():
                signup["pending"] = [p for p in signup["pending"] if p[0] != stream]
        else:
            self.create_stream(stream)

    @precondition(lambda self: self.model.signups)
    @rule(data=st.data())
    def poll(self, data):
        signup_id = self.signup(data)
        signup = self.model.signups[signup_id]
        response = self.http.get(f"{self.api}/signups/{signup_id}/updates", params={"bookmark": signup["bookmark"]})
        assert response.status_code == 200, response.text
        body = response.json()
        got = [(item["resourceId"], item["operation"], e) for item in body["data"] for e in item["events"]]
        want = [(s, op, e) for s, op, e, _ in signup["pending"][:3]]
        assert got == want
        signup["pending"] = signup["pending"][len(got):]
        signup["bookmark"] = body["bookmark"]

    # -- time and scenarios -------------------------------------------------------------------
    @rule(seconds=st.integers(1, 6 * 3600))
    def advance(self, seconds):
        assert self.http.post(f"{self.url}/_emulator/clock/advance", json={"seconds": seconds}).status_code == 200

    @rule(name=st.sampled_from(sorted(SCENARIOS)))
    def swap_scenario(self, name):
        assert self.http.put(f"{self.url}/_emulator/scenario", data=SCENARIOS[name]).status_code == 200
        self.model.scenario = name

    @invariant()
    def listings_agree(self):
        if not self.url:
            return
        listed = self.http.get(f"{self.api}/signups?count=1000")
        assert int(listed.headers["Total-Count"]) == len(self.model.signups)
        assert {s["id"] for s in listed.json()["signups"]} == set(self.model.signups)
        assert all(s["signupState"] == "Active" for s in listed.json()["signups"])
        for signup_id, signup in self.model.signups.items():
            resources = self.http.get(f"{self.api}/signups/{signup_id}/resources").json()["resources"]
            assert resources == [{"resourceId": r, "isAccessible": self.model.incarnation[r] != 0}
                                 for r in signup["resources"]]

    def teardown(self):
        self.http.close()


def test_http_api_state_machine(server_url):
    EmulatorMachine.url = server_url
    machine = EmulatorMachine.TestCase
    machine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None,
                                suppress_health_check=list(HealthCheck))
    machine().runTest()

"""Property: every signup receives every change on its streams exactly once, in write order, across pages.

Hypothesis generates interleavings of writes (all five operations, on subscribed and unsubscribed
streams), resource adds and removes, clock advances and paged polls of several signups. A plain
reference model records, for each write the emulator accepted, which signups were subscribed to
the stream at that moment; after a final drain, what each signup received must equal that list.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ALICE, BASE, activate, advance, create_signup, make_stream

STREAMS = ["s0", "s1", "s2", "s3"]
SIGNUPS = 3


def stamp(second: int) -> str:
    return f"2026-01-01T00:00:{second:02d}Z"


writes = st.tuples(st.just("write"), st.sampled_from(STREAMS),
                   st.sampled_from(["Insert", "Update", "Replace", "Remove", "RemoveWindow"]),
                   st.lists(st.integers(0, 6), min_size=1, max_size=3))
resource_changes = st.tuples(st.just("resources"), st.integers(0, SIGNUPS - 1), st.sampled_from(STREAMS),
                             st.booleans())
advances = st.tuples(st.just("advance"), st.integers(1, 7200))
polls = st.tuples(st.just("poll"), st.integers(0, SIGNUPS - 1))
actions = st.lists(st.one_of(writes, resource_changes, advances, polls), max_size=40)
initial = st.lists(st.sets(st.sampled_from(STREAMS), min_size=1), min_size=SIGNUPS, max_size=SIGNUPS)


class Reference:
    """What each signup should receive: (stream, operation, event) in write order."""

    def __init__(self, subscriptions):
        self.subscribed = [set(s) for s in subscriptions]
        self.expected = [[] for _ in subscriptions]

    def change(self, stream, operation, events):
        for index, subscribed in enumerate(self.subscribed):
            if stream in subscribed:
                self.expected[index].extend((stream, operation, e) for e in events)


async def perform_write(client, stream, operation, seconds, counter):
    data = f"{BASE}/Streams/{stream}/Data"
    if operation in ("Insert", "Update", "Replace"):
        events = [{"Timestamp": stamp(s), "Value": next(counter)} for s in seconds]
        method, url = ("POST", data) if operation == "Insert" else ("PUT", data)
        if operation == "Replace":
            url += "?allowCreate=false"
        response = await client.request(method, url, json=events, headers=ALICE)
    elif operation == "Remove":
        unique = list(dict.fromkeys(seconds))
        events = [{"Timestamp": stamp(s)} for s in unique]
        response = await client.delete(data + "?" + "&".join(f"index={stamp(s)}" for s in seconds), headers=ALICE)
    else:
        low, high = min(seconds), max(seconds)
        events = [{"Timestamp": stamp(low)}, {"Timestamp": stamp(high)}]
        response = await client.delete(f"{data}?startIndex={stamp(low)}&endIndex={stamp(high)}", headers=ALICE)
    assert response.status in (204, 404, 409), await response.text()
    return events if response.status == 204 else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(subscriptions=initial, steps=actions, page_size=st.integers(1, 5))
async def test_each_signup_gets_each_change_once_in_order(make_client, subscriptions, steps, page_size):
    client = await make_client(page_size=page_size, retention="7d", bookmark_ttl="7d", inactivity_expiry="30d")
    try:
        for stream in STREAMS:
            await make_stream(client, stream)
        signups, bookmarks = [], []
        for subscribed in subscriptions:
            signup = await create_signup(client, resource_ids=sorted(subscribed))
            signups.append(signup["id"])
            bookmarks.append((await activate(client, signup["id"]))["bookmark"])
        reference = Reference(subscriptions)
        received = [[] for _ in signups]
        counter = iter(range(10**9))

        async def poll(index):
            response = await client.get(f"{BASE}/signups/{signups[index]}/updates",
                                        params={"bookmark": bookmarks[index]}, headers=ALICE)
            assert response.status == 200, await response.text()
            body = await response.json()
            assert sum(len(item["events"]) for item in body["data"]) <= page_size
            for item in body["data"]:
                assert item["events"], "an item always carries events"
                received[index].extend((item["resourceId"], item["operation"], e) for e in item["events"])
            bookmarks[index] = body["bookmark"]
            return body["data"]

        for step in steps:
            if step[0] == "write":
                _, stream, operation, seconds = step
                events = await perform_write(client, stream, operation, seconds, counter)
                if events is not None:
                    reference.change(stream, operation, events)
            elif step[0] == "resources":
                _, index, stream, add = step
                key = "ResourcesToAdd" if add else "ResourcesToRemove"
                response = await client.post(f"{BASE}/signups/{signups[index]}/resources", json={key: [stream]},
                                             headers=ALICE)
                was = stream in reference.subscribed[index]
                assert response.status == (207 if not add and not was else 202)
                (reference.subscribed[index].add if add else reference.subscribed[index].discard)(stream)
            elif step[0] == "advance":
                await advance(client, step[1])
            else:
                await poll(step[1])
        for index in range(len(signups)):
            for _ in range(200):
                if not await poll(index):
                    break
            assert received[index] == reference.expected[index]
    finally:
        await client.close()

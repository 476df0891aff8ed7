"""The official .NET Change Broker sample's 14 steps, replayed with AVEVA's Python client.

Against the real service the sample waits 41 s (1 s before activating, 20 s twice for updates to
arrive); against the emulator nothing needs waiting. Returns the wall time of the whole flow.
"""
from __future__ import annotations

import json
import time


def run_flow(url: str) -> float:
    from adh_sample_library_preview import ADHClient, SdsStream, SdsType, SdsTypeCode, SdsTypeProperty
    from adh_sample_library_preview.Signup import CreateSignupInput, ResourceType, SignupResourcesInput

    ns = "bench-ns"
    started = time.perf_counter()
    # Step 1: authentication handler and services
    client = ADHClient("v1", "bench-tenant", url, "bench-client", "bench-secret")
    # Step 2: types
    timestamp = SdsTypeProperty("Timestamp", True, SdsType("DateTime", SdsTypeCode.DateTime))
    simple = SdsType("SimpleSdsTypeId", SdsTypeCode.Object,
                     [timestamp, SdsTypeProperty("Value", False, SdsType("Double", SdsTypeCode.Double))])
    weather = SdsType("WeatherDataTypeId", SdsTypeCode.Object, [
        timestamp, SdsTypeProperty("Humidity", False, SdsType("Double", SdsTypeCode.Double)),
        SdsTypeProperty("Temperature", False, SdsType("Double", SdsTypeCode.Double))])
    client.Types.getOrCreateType(ns, simple)
    client.Types.getOrCreateType(ns, weather)
    # Step 3: streams
    simple_ids, weather_ids = ["simpleStream_0", "simpleStream_1"], ["weatherDataStream_0"]
    for sid in simple_ids:
        client.Streams.getOrCreateStream(ns, SdsStream(sid, "SimpleSdsTypeId"))
    for sid in weather_ids:
        client.Streams.getOrCreateStream(ns, SdsStream(sid, "WeatherDataTypeId"))
    # Step 4: signup
    signups = client.Signups
    signup = signups.createSignup(ns, CreateSignupInput("signupSample", ResourceType.STREAM, simple_ids + weather_ids))
    ids = [signup.Id]
    # Step 5: activate
    bookmark = signups.getSignupById(ns, signup.Id).Bookmark
    # Step 6: resources
    signups.getSignupResources(ns, signup.Id)
    # Step 7: inserts
    for sid in simple_ids:
        client.Streams.insertValues(ns, sid, json.dumps([{"Timestamp": f"2026-01-01T00:00:0{i}Z", "Value": i * 10}
                                                         for i in range(3)]))
    for sid in weather_ids:
        client.Streams.insertValues(ns, sid, json.dumps([{"Timestamp": f"2026-01-01T00:00:0{i}Z", "Humidity": 40.0,
                                                          "Temperature": 25.0} for i in range(2)]))
    # Step 8: updates
    updates, bookmark = signups.getUpdates(ns, signup.Id, bookmark)
    assert len(updates) == 3
    # Step 9: one more stream, added to the signup
    client.Streams.getOrCreateStream(ns, SdsStream("weatherDataStream_New_0", "WeatherDataTypeId"))
    signups.updateSignupResources(ns, signup.Id, SignupResourcesInput(weather_ids + ["weatherDataStream_New_0"], []))
    # Step 10: resources with query parameters
    signups.getSignupResources(ns, signup.Id)
    # Step 11: update, replace, remove, remove window
    stamp = "2026-01-01T00:00:00Z"
    client.Streams.updateValues(ns, simple_ids[0], json.dumps([{"Timestamp": stamp, "Value": 3.14}]))
    client.Streams.replaceValues(ns, simple_ids[0], json.dumps([{"Timestamp": stamp, "Value": 6.28}]))
    client.Streams.removeValue(ns, simple_ids[0], stamp)
    client.Streams.removeWindowValues(ns, weather_ids[0], "2025-01-01T00:00:00Z", "2026-01-02T00:00:00Z")
    # Step 12: updates again
    updates, _ = signups.getUpdates(ns, signup.Id, bookmark)
    assert len(updates) == 4
    # Step 13: more signups, then list them
    for i in range(2):
        ids.append(signups.createSignup(ns, CreateSignupInput(f"signupSample_{i}", ResourceType.STREAM,
                                                              simple_ids + weather_ids)).Id)
    assert len(signups.getSignups(ns)) == 3
    # Step 14: clean up
    for sid in ids:
        signups.deleteSignup(ns, sid)
    for sid in simple_ids + weather_ids + ["weatherDataStream_New_0"]:
        client.Streams.deleteStream(ns, sid)
    client.Types.deleteType(ns, "SimpleSdsTypeId")
    client.Types.deleteType(ns, "WeatherDataTypeId")
    return time.perf_counter() - started

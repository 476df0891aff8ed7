"""AVEVA's own Python client (adh-sample-library-preview) against the packaged emulator."""
from __future__ import annotations

import pytest
import requests

from adh_sample_library_preview import ADHClient, SdsError
from adh_sample_library_preview.Signup import (CreateSignupInput, ResourceType, SignupResourcesInput, SignupState,
                                               UpdateSignupInput)

from conftest import start_cli, stop_cli

NAMESPACE = "ns1"


@pytest.fixture(scope="module")
def adh():
    running = start_cli("--auth", "strict", "--client", "sample-client:sample-secret:tenant-1",
                        "--activation-delay", "1s")
    client = ADHClient("v1", "tenant-1", running.url, "sample-client", "sample-secret")
    yield client, running.url
    stop_cli(running)


def test_the_client_authenticates_and_walks_a_signup(adh):
    client, url = adh
    signups = client.Signups
    created = signups.createSignup(NAMESPACE, CreateSignupInput("from-python", ResourceType.STREAM, ["s1", "s2"]))
    assert created.SignupState is SignupState.ACTIVATING
    assert created.Owner == {"type": "Client", "objectId": "sample-client", "tenantId": "tenant-1"}

    assert signups.getSignupById(NAMESPACE, created.Id).SignupState is SignupState.ACTIVATING
    requests.post(f"{url}/_emulator/clock/advance", json={"by": "1s"}).raise_for_status()
    active = signups.getSignupById(NAMESPACE, created.Id)
    assert active.SignupState is SignupState.ACTIVE
    assert active.Bookmark

    listed = signups.getSignups(NAMESPACE)
    assert [s.Id for s in listed] == [created.Id]

    renamed = signups.updateSignup(NAMESPACE, created.Id, UpdateSignupInput("renamed"))
    assert renamed.Name == "renamed"

    resources = signups.getSignupResources(NAMESPACE, created.Id)
    assert [(r.ResourceId, r.IsAccessible) for r in resources.Resources] == [("s1", False), ("s2", False)]
    signups.updateSignupResources(NAMESPACE, created.Id, SignupResourcesInput(["s3"], ["s1"]))
    resources = signups.getSignupResources(NAMESPACE, created.Id)
    assert [r.ResourceId for r in resources.Resources] == ["s2", "s3"]

    signups.deleteSignup(NAMESPACE, created.Id)
    with pytest.raises(SdsError) as info:
        signups.getSignupById(NAMESPACE, created.Id)
    assert info.value.StatusCode == 404
    assert info.value.Error and info.value.Reason and info.value.OperationId


def test_the_client_reads_partial_failures_as_errors_with_the_body(adh):
    client, url = adh
    created = client.Signups.createSignup(NAMESPACE, CreateSignupInput("partial", ResourceType.STREAM, ["s1"]))
    requests.post(f"{url}/_emulator/clock/advance", json={"by": "1s"}).raise_for_status()
    assert client.Signups.getSignupById(NAMESPACE, created.Id).SignupState is SignupState.ACTIVE
    with pytest.raises(SdsError) as info:
        client.Signups.updateSignupResources(NAMESPACE, created.Id, SignupResourcesInput([], ["never-added"]))
    assert info.value.StatusCode == 207
    assert "never-added" in info.value.value


def test_the_client_sees_403_for_another_tenant(adh):
    client, url = adh
    token = client.Signups._Signups__base_client._getToken()
    response = requests.get(f"{url}/api/v1/Tenants/tenant-2/Namespaces/{NAMESPACE}/signups",
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


@pytest.fixture(scope="module")
def adh_updates():
    """The Python client knows removals as Delete/DeleteWindow, so this emulator uses that naming."""
    running = start_cli("--operation-names", "python-client")
    yield ADHClient("v1", "tenant-1", running.url, "sample-client", "any-secret"), running.url
    stop_cli(running)


def test_the_client_writes_all_five_changes_and_reads_them_through_get_updates(adh_updates):
    import json

    from adh_sample_library_preview import SdsStream, SdsType, SdsTypeCode, SdsTypeProperty
    from adh_sample_library_preview.Signup import Operation

    client, _ = adh_updates
    timestamp = SdsTypeProperty("Timestamp", True, SdsType("DateTime", SdsTypeCode.DateTime))
    value = SdsTypeProperty("Value", False, SdsType("Double", SdsTypeCode.Double))
    created = client.Types.getOrCreateType(NAMESPACE, SdsType("SimpleType", SdsTypeCode.Object, [timestamp, value]))
    assert created.Id == "SimpleType"
    stream = client.Streams.getOrCreateStream(NAMESPACE, SdsStream("py-stream", "SimpleType"))
    assert stream.Id == "py-stream"

    signup = client.Signups.createSignup(NAMESPACE, CreateSignupInput("py", ResourceType.STREAM, ["py-stream"]))
    bookmark = client.Signups.getSignupById(NAMESPACE, signup.Id).Bookmark

    def events(*pairs):
        return json.dumps([{"Timestamp": f"2026-01-01T00:00:0{s}Z", "Value": v} for s, v in pairs])

    client.Streams.insertValues(NAMESPACE, "py-stream", events((1, 1.0), (2, 2.0), (3, 3.0)))
    client.Streams.updateValues(NAMESPACE, "py-stream", events((1, 10.0)))
    client.Streams.replaceValues(NAMESPACE, "py-stream", events((2, 20.0)))
    client.Streams.removeValue(NAMESPACE, "py-stream", "2026-01-01T00:00:03Z")
    client.Streams.removeWindowValues(NAMESPACE, "py-stream", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z")
    assert client.Streams.getLastValue(NAMESPACE, "py-stream") == {"Timestamp": "2026-01-01T00:00:02Z", "Value": 20.0}

    updates, bookmark = client.Signups.getUpdates(NAMESPACE, signup.Id, bookmark)
    assert [u.Operation for u in updates] == [Operation.INSERT, Operation.UPDATE, Operation.REPLACE,
                                              Operation.DELETE, Operation.DELETEWINDOW]
    assert all(u.ResourceId == "py-stream" for u in updates)
    assert updates[0].Events[2] == {"Timestamp": "2026-01-01T00:00:03Z", "Value": 3.0}
    assert updates[3].Events == [{"Timestamp": "2026-01-01T00:00:03Z"}]
    more, _ = client.Signups.getUpdates(NAMESPACE, signup.Id, bookmark)
    assert more == []

    assert client.Streams.getStreamType(NAMESPACE, "py-stream").Id == "SimpleType"
    assert client.Types.getTypeReferenceCount(NAMESPACE, "SimpleType")["SdsStream"] == 1
    client.Streams.insertValues(NAMESPACE, "py-stream", events((5, 5.0), (6, 6.0), (7, 7.0)))
    page = client.Streams.getWindowValuesPaged(NAMESPACE, "py-stream", "2026-01-01T00:00:00Z",
                                               "2026-01-02T00:00:00Z", 2)
    assert [e["Value"] for e in page.Results] == [20.0, 5.0] and not page.end()
    page = client.Streams.getWindowValuesPaged(NAMESPACE, "py-stream", "2026-01-01T00:00:00Z",
                                               "2026-01-02T00:00:00Z", 2, page.ContinuationToken)
    assert [e["Value"] for e in page.Results] == [6.0, 7.0] and page.end()
    assert client.Streams.getWindowValues(NAMESPACE, "py-stream", "2026-01-01T00:00:05Z",
                                          "2026-01-01T00:00:06Z") == [{"Timestamp": "2026-01-01T00:00:05Z", "Value": 5.0},
                                                                     {"Timestamp": "2026-01-01T00:00:06Z", "Value": 6.0}]
    client.Streams.deleteStream(NAMESPACE, "py-stream")
    client.Types.deleteType(NAMESPACE, "SimpleType")

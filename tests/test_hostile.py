"""Hostile input: each gets a clean 4xx in the service's format, and stored state stays as it was."""
from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

from conftest import ALICE, BASE, activate, assert_error, create_signup, make_stream, start_cli, stop_cli

JSON = {**ALICE, "Content-Type": "application/json"}


async def state(client):
    listed = await (await client.get(f"{BASE}/signups", headers=ALICE)).json()
    streams = await (await client.get(f"{BASE}/Streams", headers=ALICE)).json()
    data = await (await client.get(f"{BASE}/Streams/s1/Data?startIndex=2000-01-01T00:00:00Z"
                                   f"&endIndex=2100-01-01T00:00:00Z", headers=ALICE)).json()
    return listed, [s["Id"] for s in streams], data


async def test_hostile_bodies(client):
    await make_stream(client, "s1")
    signup = await create_signup(client, resource_ids=["s1"])
    await activate(client, signup["id"])
    before = await state(client)
    deep = "[" * 50_000 + "]" * 50_000
    wide = json.dumps({f"k{i}": i for i in range(60_000)})
    huge_string = json.dumps({"Name": "x" * (1024 * 1024 + 1)})
    many_ids = json.dumps({"ResourceType": "Stream", "ResourceIds": [f"s{i}" for i in range(10_000)]})
    cases = [
        ("POST", f"{BASE}/signups", deep, 400), ("POST", f"{BASE}/signups", wide, 400),
        ("POST", f"{BASE}/signups", huge_string, 413), ("POST", f"{BASE}/signups", many_ids, 400),
        ("POST", f"{BASE}/Streams/s1/Data", deep, 400), ("POST", f"{BASE}/Streams/s1/Data", b"\xc0\xaf", 400),
        ("PUT", f"{BASE}/signups/{signup['id']}", '{"Name": "\\u0000\\ud800"}', 400),
        ("POST", f"{BASE}/signups/{signup['id']}/resources", json.dumps({"ResourcesToAdd": [{"$gt": ""}]}), 400),
        ("POST", f"{BASE}/Types/T2", json.dumps({"Id": "T2", "SdsTypeCode": "Object", "Properties": [deep]}), 400),
        ("PUT", "/_emulator/scenario", "a: &a [*a]", 400), ("PUT", "/_emulator/scenario", "!!python/object:os.system {}", 400),
    ]
    for method, url, body, status in cases:
        response = await client.request(method, url, data=body, headers=JSON)
        await assert_error(response, status)
    assert await state(client) == before


async def test_hostile_ids_and_query_values(client):
    await make_stream(client, "s1")
    before = await state(client)
    for path in ["/signups/..%2F..%2Fetc%2Fpasswd", "/signups/%00", "/Streams/..%2Fs1", "/Streams/s1%0d%0aX-A:%20b",
                 "/Types/%2e%2e"]:
        response = await client.get(BASE + path, headers=ALICE)
        assert 400 <= response.status < 500
        assert response.headers["Content-Type"] == "application/json"
        assert "X-A" not in response.headers
    for stream_id in ["a%00b", "__reserved", "x" * 101, "tab%09id"]:
        response = await client.post(f"{BASE}/Streams/{stream_id}", json={"TypeId": "Simple"}, headers=ALICE)
        await assert_error(response, 400)
    response = await client.post(f"{BASE}/signups", headers=ALICE,
                                 json={"ResourceType": "Stream", "ResourceIds": ["ok", "bad\r\nid"]})
    await assert_error(response, 400)
    for query in ["bookmark=%0d%0aSet-Cookie:%20x=1", "bookmark=" + "A" * 10_000, "count=1e3", "skip=0x10",
                  "count=%F0%9F%98%80"]:
        response = await client.get(f"{BASE}/signups?{query}", headers=ALICE)
        assert response.status in (200, 400)
        assert "Set-Cookie" not in response.headers
    assert await state(client) == before


def raw_request(url: str, request: bytes) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
        conn.sendall(request)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_header_injection_and_malformed_http_on_a_real_socket():
    running = start_cli()
    try:
        path = b"/api/v1/tenants/t/namespaces/n/signups"
        answers = [
            raw_request(running.url, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n"
                                                       b"Community-Id: c\x00\r\n\r\n"),
            raw_request(running.url, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n"
                                                       b" folded: header\r\n\r\n"),
            raw_request(running.url, b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
            raw_request(running.url, b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ]
        for answer in answers:
            status = int(answer.split(b" ", 2)[1])
            assert 400 <= status < 500, answer[:200]
        for host in (b"ex@mple:99999", b"", b"bad host", b"a/b"):
            answer = raw_request(running.url, b"GET /identity/.well-known/openid-configuration HTTP/1.1\r\n"
                                              b"Host: " + host + b"\r\nConnection: close\r\n\r\n")
            assert answer.startswith(b"HTTP/1.1 400"), (host, answer[:300])
        ok = raw_request(running.url, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n"
                                                        b"Connection: close\r\n\r\n")
        assert ok.startswith(b"HTTP/1.1 200")
    finally:
        stop_cli(running)


async def test_tenant_isolation(make_client):
    clients = ["a-app:a-secret:tenant-a", "b-app:b-secret:tenant-b"]
    for mode in ("strict", "any"):
        client = await make_client(auth=mode, clients=clients)

        async def token(name):
            body = await (await client.post("/identity/connect/token", data={
                "grant_type": "client_credentials", "client_id": f"{name}-app", "client_secret": f"{name}-secret"})).json()
            return {"Authorization": f"Bearer {body['access_token']}"}

        a, b = await token("a"), await token("b")
        a_base, b_base = "/api/v1/tenants/tenant-a/namespaces/ns", "/api/v1/tenants/tenant-b/namespaces/ns"
        await make_stream(client, "s1", headers=a, base=a_base)
        signup = await create_signup(client, headers=a, base=a_base, resource_ids=["s1"])
        bookmark = (await activate(client, signup["id"], headers=a, base=a_base))["bookmark"]
        attempts = [("GET", "/signups", None), ("GET", f"/signups/{signup['id']}", None),
                    ("PUT", f"/signups/{signup['id']}", {"Name": "stolen"}), ("DELETE", f"/signups/{signup['id']}", None),
                    ("GET", f"/signups/{signup['id']}/updates?bookmark={bookmark}", None),
                    ("POST", f"/signups/{signup['id']}/resources", {"ResourcesToAdd": ["x"]}),
                    ("GET", "/Streams/s1", None), ("DELETE", "/Streams/s1", None),
                    ("POST", "/Streams/s1/Data", [{"Timestamp": "2026-01-01T00:00:00Z", "Value": 1}]),
                    ("DELETE", "/Types/Simple", None)]
        for method, path, body in attempts:
            await assert_error(await client.request(method, a_base + path, headers=b, json=body), 403)
            response = await client.request(method, b_base + path, headers=b, json=body)
            assert response.status in (200, 404), (method, path, response.status)
            if method == "GET" and path == "/signups":
                assert (await response.json())["signups"] == []
        still = await (await client.get(f"{a_base}/signups/{signup['id']}", headers=a)).json()
        assert still["name"] == "sig" and still["signupState"] == "Active"
        assert (await client.get(f"{a_base}/Streams/s1", headers=a)).status == 200

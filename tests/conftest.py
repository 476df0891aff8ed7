from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest
import requests
from aiohttp.test_utils import BaseTestServer
from yarl import URL

from emulator import create_app
from emulator.clock import VirtualClock

pytest_plugins = ["pytester"]

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
TENANT = "t1"
NAMESPACE = "ns1"
BASE = f"/api/v1/tenants/{TENANT}/namespaces/{NAMESPACE}"
ALICE = {"Authorization": "Bearer alice"}
BOB = {"Authorization": "Bearer bob"}


#: `process`: the contract tests talk to the packaged CLI over a socket instead of an in-process app.
TARGET = os.environ.get("EMULATOR_TEST_TARGET", "app")


class ProcessServer(BaseTestServer):
    """The real program as a test server: `signups-emulator` started with the test's settings as flags,
    its clock frozen at START by a scenario, so the same tests run against the packaged CLI."""

    def __init__(self, settings: dict, scenario_dir):
        super().__init__(scheme="http", host="127.0.0.1")
        self._settings = settings
        self._scenario = scenario_dir / "frozen.yaml"
        self._scenario.write_text(f"clock: {{start: {START.isoformat()}, frozen: true}}\n")
        self._running = None

    async def _make_runner(self, **kwargs):  # pragma: no cover - never used: the program runs itself
        raise NotImplementedError

    async def start_server(self, loop=None, **kwargs) -> None:
        args = ["--scenario", str(self._scenario)]
        for name, value in self._settings.items():
            for item in (value if isinstance(value, list) else [value]):
                args += ["--client" if name == "clients" else "--" + name.replace("_", "-"), str(item)]
        self._running = await asyncio.get_running_loop().run_in_executor(None, lambda: start_cli(*args))
        self.port = int(self._running.url.rsplit(":", 1)[1])
        self._root = URL(self._running.url)

    async def close(self) -> None:
        if self._running is not None:
            await asyncio.get_running_loop().run_in_executor(None, stop_cli, self._running)
            self._running = None


@pytest.fixture
def make_client(aiohttp_client, tmp_path):
    """An emulator on a frozen clock at START; keyword arguments are settings.

    In-process by default; with EMULATOR_TEST_TARGET=process, the packaged CLI in a subprocess.
    """

    async def make(**settings):
        if TARGET == "process":
            return await aiohttp_client(ProcessServer(settings, tmp_path))
        clock = VirtualClock(start=START, frozen=True)
        return await aiohttp_client(create_app(settings, clock=clock))

    return make


@pytest.fixture
async def client(make_client):
    return await make_client()


async def create_signup(client, headers=ALICE, resource_ids=("s1",), name="sig", base=BASE, extra_headers=None):
    response = await client.post(f"{base}/signups", json={"Name": name, "ResourceType": "Stream",
                                                          "ResourceIds": list(resource_ids)},
                                 headers={**headers, **(extra_headers or {})})
    assert response.status == 202, await response.text()
    return await response.json()


async def activate(client, signup_id, headers=ALICE, base=BASE):
    response = await client.get(f"{base}/signups/{signup_id}", headers=headers)
    assert response.status == 200
    body = await response.json()
    assert body["signupState"] == "Active"
    return body


async def advance(client, seconds):
    response = await client.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status == 200


async def assert_error(response, status, reason_part=""):
    """The service's error body: PascalCase keys, the response's Operation-Id echoed."""
    assert response.status == status, await response.text()
    assert response.headers["Content-Type"] == "application/json"
    body = await response.json()
    assert set(body) == {"OperationId", "Error", "Reason", "Resolution", "Parameters"}
    assert body["OperationId"] == response.headers["Operation-Id"]
    assert reason_part.lower() in body["Reason"].lower(), body["Reason"]
    return body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningEmulator:
    def __init__(self, process: subprocess.Popen, url: str):
        self.process = process
        self.url = url


def start_cli(*args: str, env: dict | None = None) -> RunningEmulator:
    """The packaged CLI as a subprocess; returns once it prints its `listening on` line."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port), *(args if "--log-level" in args else ("--log-level", "warning", *args))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    )
    line = process.stdout.readline()
    if not line.startswith("listening on http://"):
        process.kill()
        raise AssertionError(f"emulator did not start: {line!r} {process.stderr.read()}")
    url = line.split("listening on ", 1)[1].strip()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/_emulator/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.05)
    return RunningEmulator(process, url)


def stop_cli(running: RunningEmulator) -> int:
    running.process.terminate()
    try:
        return running.process.wait(timeout=10)
    finally:
        running.process.stdout.close()
        running.process.stderr.close()


@pytest.fixture(scope="module")
def cli_emulator():
    running = start_cli()
    yield running
    stop_cli(running)


SIMPLE_TYPE = {
    "Id": "Simple", "SdsTypeCode": "Object",
    "Properties": [
        {"Id": "Timestamp", "IsKey": True, "SdsType": {"SdsTypeCode": "DateTime"}},
        {"Id": "Value", "SdsType": {"SdsTypeCode": "Double"}},
    ],
}


def event(second: int, value: float = 0.0) -> dict:
    return {"Timestamp": f"2026-01-01T00:00:{second:02d}Z", "Value": value}


async def make_stream(client, stream_id, headers=ALICE, base=BASE):
    response = await client.post(f"{base}/Types/Simple", json=SIMPLE_TYPE, headers=headers)
    assert response.status in (200, 201), await response.text()
    response = await client.post(f"{base}/Streams/{stream_id}", json={"Id": stream_id, "TypeId": "Simple"},
                                 headers=headers)
    assert response.status in (200, 201), await response.text()


async def poll(client, signup_id, bookmark, headers=ALICE, base=BASE):
    response = await client.get(f"{base}/signups/{signup_id}/updates", params={"bookmark": bookmark}, headers=headers)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"] == "application/json"
    body = await response.json()
    assert set(body) == {"data", "bookmark"}
    return body["data"], body["bookmark"]

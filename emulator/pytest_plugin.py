"""pytest plugin: the `signups_emulator` fixture, the `signups_scenario` marker, `--signups-emulator-url`.

One emulator per test session, on a free loopback port, served by a background thread with its own
event loop; before every test that asks for it, one admin call resets it to a clean state with the
default scenario, so a test costs no server start. Everything goes through HTTP, so the fixture
works the same against an emulator started elsewhere (a container in CI) and from sync or async tests.
"""
from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any

import pytest

URL_OPTION = "--signups-emulator-url"
TENANT = "tenant-1"
NAMESPACE = "namespace-1"
CLIENT_ID = "pytest-client"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("signups-emulator")
    group.addoption(URL_OPTION, default=os.environ.get("SIGNUPS_EMULATOR_URL"),
                    help="use the emulator already running at this URL instead of starting one "
                         "(also SIGNUPS_EMULATOR_URL)")
    group.addoption("--signups-emulator-admin-token", default=os.environ.get("SIGNUPS_EMULATOR_ADMIN_TOKEN"),
                    help="bearer token for the admin routes of an emulator started with --admin-token")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "signups_scenario(name): load this scenario (a bundled name or a path) "
                                       "into the signups_emulator before the test")


class _ServerThread:
    """The emulator on its own event loop in a daemon thread."""

    def __init__(self) -> None:
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="signups-emulator", daemon=True)

    def start(self) -> str:
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None or not self.url:
            raise RuntimeError(f"the signups emulator did not start: {self._error!r}")
        return self.url

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    async def _serve(self) -> None:
        from aiohttp import web

        from .app import create_app
        from .settings import Settings

        self._runner = web.AppRunner(create_app(Settings(port=0)), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


class Listing(list):
    """A list fetched from the admin API that can also be called with filters: `x` or `x(status=503)`."""

    def __init__(self, items: list, fetch):
        super().__init__(items)
        self._fetch = fetch

    def __call__(self, **filters: Any) -> list[dict]:
        return self._fetch(**filters)


class Clock:
    """The emulated clock of the emulator under test."""

    def __init__(self, emulator: "SignupsEmulator"):
        self._emulator = emulator

    def now(self) -> str:
        return self._emulator.admin("GET", "/clock")["now"]

    def advance(self, by: float | str) -> dict:
        """Jump forward by seconds (a number) or a duration such as `"90m"`; returns the clock."""
        body = {"seconds": by} if isinstance(by, (int, float)) else {"by": by}
        return self._emulator.admin("POST", "/clock/advance", json=body)

    @property
    def speed(self) -> float:
        return self._emulator.admin("GET", "/clock")["speed"]

    @speed.setter
    def speed(self, value: float) -> None:
        self._emulator.admin("PUT", "/clock", json={"speed": value})

    def freeze(self) -> dict:
        return self._emulator.admin("PUT", "/clock", json={"frozen": True})

    def unfreeze(self) -> dict:
        return self._emulator.admin("PUT", "/clock", json={"frozen": False})


class SignupsEmulator:
    """What a test gets: where the emulator is, ready headers, and handles on its clock and scenarios."""

    def __init__(self, url: str, session: Any, admin_token: str | None):
        self.url = url.rstrip("/")
        self.tenant = TENANT
        self.namespace = NAMESPACE
        self._session = session
        self._admin_headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        self.headers = {"Authorization": f"Bearer {self._token()}", "Content-Type": "application/json"}
        self.clock = Clock(self)

    @property
    def api(self) -> str:
        """`{url}/api/v1/tenants/{tenant}/namespaces/{namespace}`: prefix of the Signups and SDS routes."""
        return f"{self.url}/api/v1/tenants/{self.tenant}/namespaces/{self.namespace}"

    def _token(self) -> str:
        response = self._session.post(f"{self.url}/identity/connect/token", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "pytest"})
        response.raise_for_status()
        return response.json()["access_token"]

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._session.request(method, f"{self.url}/_emulator{path}", headers=self._admin_headers, **kwargs)
        if response.status_code >= 400:
            raise AssertionError(f"{method} /_emulator{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def reset(self) -> None:
        """Clean state, the default scenario, the start-up clock speed."""
        self.admin("POST", "/reset?defaults=true")

    def load_scenario(self, name_or_path: str | Path) -> dict:
        """Make a scenario active: a bundled name (`"flaky"`) or the path of a YAML or JSON file."""
        from .scenarios import resolve

        path = resolve(name_or_path)
        return self.admin("PUT", "/scenario", params={"source": path.name}, data=path.read_bytes())

    def _journal(self, **filters: Any) -> list[dict]:
        return self.admin("GET", "/requests", params=filters)["requests"]

    def _faults(self, **_: Any) -> list[dict]:
        return self.admin("GET", "/faults")["faults"]

    @property
    def requests(self) -> Listing:
        """The request journal, oldest first; call it to filter: `requests(method=, path=, status=, route=)`."""
        return Listing(self._journal(), self._journal)

    @property
    def faults(self) -> Listing:
        """Each fault rule of the active scenario with how often it matched and fired (a list, or call it)."""
        return Listing(self._faults(), self._faults)


@pytest.fixture(scope="session")
def _signups_emulator_session(pytestconfig: pytest.Config):
    import requests

    url = pytestconfig.getoption(URL_OPTION)
    server = None
    if not url:
        server = _ServerThread()
        url = server.start()
    session = requests.Session()
    try:
        yield SignupsEmulator(url, session, pytestconfig.getoption("--signups-emulator-admin-token"))
    finally:
        session.close()
        if server is not None:
            server.stop()


@pytest.fixture
def signups_emulator(_signups_emulator_session: SignupsEmulator, request: pytest.FixtureRequest) -> SignupsEmulator:
    """A live emulator, reset before this test; `@pytest.mark.signups_scenario(name)` loads a scenario."""
    emulator = _signups_emulator_session
    emulator.reset()
    marker = request.node.get_closest_marker("signups_scenario")
    if marker is not None:
        name = Path(str(marker.args[0]))
        beside_test = Path(str(request.node.path)).parent / name
        # A relative path is looked for beside the test file too, then among the bundled names.
        emulator.load_scenario(beside_test if not name.is_absolute() and beside_test.is_file() else marker.args[0])
    return emulator

"""The pytest plugin as a user meets it: a throwaway project that only has the package installed."""
from __future__ import annotations

from conftest import start_cli, stop_cli

USER_TESTS = '''
import aiohttp
import pytest
import requests


def test_sync_client_walks_a_signup(signups_emulator):
    api = signups_emulator.api
    created = requests.post(f"{api}/signups", headers=signups_emulator.headers,
                            json={"name": "s", "resourceType": "Stream", "resourceIds": ["a"]})
    assert created.status_code == 202
    signup = requests.get(f"{api}/signups/{created.json()['id']}", headers=signups_emulator.headers).json()
    assert signup["signupState"] == "Active"


def test_each_test_starts_clean(signups_emulator):
    listed = requests.get(f"{signups_emulator.api}/signups", headers=signups_emulator.headers)
    assert listed.headers["Total-Count"] == "0"
    assert signups_emulator.requests() == [] or signups_emulator.requests()[0]["route"] == "list_signups"


def test_clock_controls(signups_emulator):
    before = signups_emulator.clock.now()
    signups_emulator.clock.freeze()
    assert signups_emulator.clock.advance("1d")["now"] > before
    signups_emulator.clock.speed = 60
    assert signups_emulator.clock.speed == 60


@pytest.mark.signups_scenario("delayed-activation")
def test_marker_loads_a_scenario(signups_emulator):
    api, headers = signups_emulator.api, signups_emulator.headers
    created = requests.post(f"{api}/signups", headers=headers,
                            json={"name": "s", "resourceType": "Stream", "resourceIds": ["a"]}).json()
    assert requests.get(f"{api}/signups/{created['id']}", headers=headers).json()["signupState"] == "Activating"
    signups_emulator.clock.advance(90)
    assert requests.get(f"{api}/signups/{created['id']}", headers=headers).json()["signupState"] == "Active"
    assert [f["name"] for f in signups_emulator.faults()] == ["slow setup", "poll until active"]


def test_scenario_and_speed_do_not_leak_into_the_next_test(signups_emulator):
    api, headers = signups_emulator.api, signups_emulator.headers
    created = requests.post(f"{api}/signups", headers=headers,
                            json={"name": "s", "resourceType": "Stream", "resourceIds": ["a"]}).json()
    assert requests.get(f"{api}/signups/{created['id']}", headers=headers).json()["signupState"] == "Active"
    assert signups_emulator.clock.speed == 1
    assert signups_emulator.faults() == []


@pytest.mark.signups_scenario("beside.yaml")
def test_marker_finds_a_scenario_beside_the_test(signups_emulator):
    assert requests.get(f"{signups_emulator.api}/signups", headers=signups_emulator.headers).status_code == 418


def test_load_scenario_by_path(signups_emulator, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("faults:\\n  - when: {route: list_signups}\\n    respond: {status: 503}\\n")
    signups_emulator.load_scenario(path)
    assert requests.get(f"{signups_emulator.api}/signups", headers=signups_emulator.headers).status_code == 503
    assert signups_emulator.requests(status=503)[0]["faults"] == ["mine.yaml:2"]
    assert [entry["status"] for entry in signups_emulator.requests] == [503]
    assert signups_emulator.faults[0]["fired"] == 1


@pytest.mark.asyncio
async def test_async_client(signups_emulator):
    async with aiohttp.ClientSession(headers=signups_emulator.headers) as session:
        async with session.get(f"{signups_emulator.api}/signups") as response:
            assert response.status == 200
            assert (await response.json()) == {"signups": []}
'''


def test_fixture_marker_and_clock_in_a_user_project(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    pytester.makefile(".yaml", beside="faults:\n  - when: {route: list_signups}\n    respond: {status: 418}\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)


def test_option_points_the_fixture_at_a_running_emulator(pytester):
    running = start_cli()
    try:
        pytester.makepyfile(test_external=f'''
import requests

def test_uses_the_given_emulator(signups_emulator):
    assert signups_emulator.url == "{running.url}"
    assert requests.get(signups_emulator.url + "/_emulator/health").json() == {{"status": "ok"}}
''')
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--signups-emulator-url={running.url}")
        result.assert_outcomes(passed=1)
    finally:
        stop_cli(running)

"""The admin routes of DESIGN.md needed so far: health, reset and the emulated clock."""
from __future__ import annotations

import pytest
from datetime import datetime

from conftest import ALICE, BASE, assert_error, create_signup
from emulator.clock import ClockError, VirtualClock
from emulator.durations import DurationError, parse_duration


async def test_health(client):
    response = await client.get("/_emulator/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_reset_drops_all_state(client):
    await create_signup(client)
    assert (await client.post("/_emulator/reset")).status == 200
    listed = await client.get(f"{BASE}/signups", headers=ALICE)
    assert listed.headers["Total-Count"] == "0"


async def test_clock_shows_now_speed_and_frozen(client):
    response = await client.get("/_emulator/clock")
    assert await response.json() == {"now": "2026-01-01T00:00:00.0000000Z", "speed": 1.0, "frozen": True}


async def test_advance_by_seconds_or_duration(client):
    response = await client.post("/_emulator/clock/advance", json={"seconds": 90})
    assert (await response.json())["now"] == "2026-01-01T00:01:30.0000000Z"
    response = await client.post("/_emulator/clock/advance", json={"by": "1h30m"})
    assert (await response.json())["now"] == "2026-01-01T01:31:30.0000000Z"


async def test_advance_rejects_bad_values(client):
    for body in ({}, {"seconds": -1}, {"seconds": "ten"}, {"by": "soon"}, {"by": 5}, {"seconds": 1, "by": "1s"},
                 {"seconds": True}, {"seconds": 1e300}, {"minutes": 1}):
        await assert_error(await client.post("/_emulator/clock/advance", json=body), 400)
    assert (await (await client.get("/_emulator/clock")).json())["now"] == "2026-01-01T00:00:00.0000000Z"


async def test_put_clock_sets_speed_frozen_and_jumps_forward(client):
    response = await client.put("/_emulator/clock", json={"now": "2026-03-01T00:00:00Z", "speed": 60, "frozen": True})
    assert response.status == 200
    assert await response.json() == {"now": "2026-03-01T00:00:00.0000000Z", "speed": 60.0, "frozen": True}


async def test_put_clock_never_goes_backwards_and_changes_nothing_on_error(client):
    await assert_error(await client.put("/_emulator/clock", json={"now": "2025-01-01T00:00:00Z", "speed": 5}), 400,
                       "backwards")
    for body in ({"speed": 0}, {"speed": "fast"}, {"frozen": "yes"}, {"now": "tomorrow"}, {"now": "2027-01-01T00:00:00"},
                 {"later": 1}, [1]):
        await assert_error(await client.put("/_emulator/clock", json=body), 400)
    assert await (await client.get("/_emulator/clock")).json() == {
        "now": "2026-01-01T00:00:00.0000000Z", "speed": 1.0, "frozen": True}


def test_virtual_clock_runs_at_its_speed_and_freezes():
    clock = VirtualClock(start=datetime.fromisoformat("2026-01-01T00:00:00+00:00"), speed=1000)
    first = clock.now()
    clock.frozen = True
    frozen_at = clock.now()
    assert frozen_at >= first
    assert clock.now() == frozen_at
    clock.advance(10)
    assert (clock.now() - frozen_at).total_seconds() == 10
    with pytest.raises(ClockError):
        clock.jump_to(frozen_at)
    with pytest.raises(ClockError):
        clock.speed = 0


@pytest.mark.parametrize("text, seconds", [("90s", 90), ("5m", 300), ("2h", 7200), ("1d", 86400), ("250ms", 0.25),
                                           ("1h30m", 5400), (12, 12), ("12", 12), ("0", 0)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "-1", "5 minutes", "1w", None, True, float("inf"), "nan"])
def test_bad_durations(text):
    with pytest.raises(DurationError):
        parse_duration(text)


async def test_date_header_follows_the_emulated_clock(client):
    await client.post("/_emulator/clock/advance", json={"by": "1d"})
    response = await client.get("/_emulator/health")
    assert response.headers["Date"] == "Fri, 02 Jan 2026 00:00:00 GMT"


async def test_admin_token_protects_every_admin_route_but_health(make_client):
    client = await make_client(admin_token="let-me-in")
    assert (await client.get("/_emulator/health")).status == 200
    for method, path in [("GET", "/_emulator/clock"), ("POST", "/_emulator/reset"), ("GET", "/_emulator/requests"),
                         ("PUT", "/_emulator/scenario"), ("GET", "/_emulator/faults")]:
        await assert_error(await client.request(method, path), 401, "admin token")
        await assert_error(await client.request(method, path, headers={"Authorization": "Bearer wrong"}), 401)
    response = await client.get("/_emulator/clock", headers={"Authorization": "Bearer let-me-in"})
    assert response.status == 200

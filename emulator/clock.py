"""The emulated clock: the only place in the emulator that reads the wall clock.

Every deadline (activation, expiry, bookmark and token lifetimes, retention) is compared with
`VirtualClock.now()`, so a test can run time faster (`speed`), stop it (`frozen`) or jump it
forward (`advance`) and see the consequences on the next request.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from .durations import MAX_SECONDS

MAX_SPEED = 1_000_000.0
#: Far enough for any test, and far from the end of what datetime can hold.
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


def stopwatch():
    """Real elapsed milliseconds since the call, for request timings in the journal and logs."""
    started = time.perf_counter()
    return lambda: (time.perf_counter() - started) * 1000.0


class ClockError(ValueError):
    pass


class VirtualClock:
    def __init__(self, *, start: datetime | None = None, speed: float = 1.0, frozen: bool = False):
        self._check_speed(speed)
        self._anchor_real = time.monotonic()
        self._anchor_virtual = start if start is not None else datetime.now(timezone.utc)
        if self._anchor_virtual.tzinfo is None:
            raise ClockError("the start time needs a time zone")
        self._anchor_virtual = self._anchor_virtual.astimezone(timezone.utc)
        self._speed = float(speed)
        self._frozen = bool(frozen)

    @staticmethod
    def _check_speed(speed: float) -> None:
        if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 < speed <= MAX_SPEED:
            raise ClockError(f"speed must be a number above 0 and at most {MAX_SPEED:g}")

    def now(self) -> datetime:
        if self._frozen:
            return self._anchor_virtual
        elapsed = (time.monotonic() - self._anchor_real) * self._speed
        return min(self._anchor_virtual + timedelta(seconds=elapsed), LATEST)

    def _reanchor(self) -> None:
        self._anchor_virtual = self.now()
        self._anchor_real = time.monotonic()

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        self._check_speed(value)
        self._reanchor()
        self._speed = float(value)

    @property
    def frozen(self) -> bool:
        return self._frozen

    @frozen.setter
    def frozen(self, value: bool) -> None:
        self._reanchor()
        self._frozen = bool(value)

    def advance(self, seconds: float) -> datetime:
        """Jump forward; time never runs backwards, so deadlines already passed stay passed."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_SECONDS:
            raise ClockError("advance takes a number of seconds between 0 and 100 years")
        self._reanchor()
        if self._anchor_virtual + timedelta(seconds=seconds) > LATEST:
            raise ClockError(f"the clock cannot go past {LATEST.year}")
        self._anchor_virtual += timedelta(seconds=seconds)
        return self._anchor_virtual

    def restart(self, moment: datetime) -> None:
        """Set the time outright; only for start-up, before anything has read the clock."""
        if moment.tzinfo is None:
            raise ClockError("the time needs a time zone (end it with Z)")
        self._anchor_real = time.monotonic()
        self._anchor_virtual = moment.astimezone(timezone.utc)

    def jump_to(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ClockError("the time needs a time zone (end it with Z)")
        moment = moment.astimezone(timezone.utc)
        current = self.now()
        if moment < current:
            raise ClockError("the clock never goes backwards")
        return self.advance((moment - current).total_seconds())

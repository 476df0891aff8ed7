"""Durations as people write them in flags, scenario files and admin calls: `90s`, `5m`, `1h30m`, `250ms`, `1d`, or plain seconds."""
from __future__ import annotations

import math
import re

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_WHOLE = re.compile(r"(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+")

#: Longer than any test needs and short enough that datetime arithmetic never overflows.
MAX_SECONDS = 100 * 365 * 86400.0


class DurationError(ValueError):
    pass


def parse_duration(value: object) -> float:
    """Seconds from a number or a string such as `90s`, `5m`, `2h`, `1d`, `1h30m`, `250ms`."""
    if isinstance(value, bool):
        raise DurationError(f"{value!r} is not a duration")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            if not _WHOLE.fullmatch(text):
                raise DurationError(
                    f"{value!r} is not a duration (use e.g. 90s, 5m, 2h, 1d, 250ms or plain seconds)"
                ) from None
            seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(text))
    else:
        raise DurationError(f"{value!r} is not a duration")
    if not math.isfinite(seconds) or seconds < 0:
        raise DurationError(f"{value!r} is not a finite, non-negative duration")
    if seconds > MAX_SECONDS:
        raise DurationError(f"{value!r} is longer than 100 years")
    return seconds

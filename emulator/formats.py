"""Text formats shared by the model and the HTTP layer: compact JSON and .NET-style dates."""
from __future__ import annotations

import email.utils
import functools
import json
from datetime import datetime, timezone
from typing import Any


_ENCODER = json.JSONEncoder(separators=(",", ":"))


def dumps(body: Any) -> bytes:
    """Compact JSON; non-ASCII is escaped as .NET does, which also keeps lone surrogates encodable."""
    return _ENCODER.encode(body).encode("ascii")


@functools.lru_cache(maxsize=4096)
def format_date(moment: datetime) -> str:
    """`2026-12-04T19:10:41.1234560Z`: seven fractional digits, as .NET writes them."""
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "0Z"


_last_http_date: tuple[int, str] = (0, "")


def http_date(moment: datetime) -> str:
    """RFC 9110 date for the `Date` header: `Thu, 01 Jan 2026 00:00:00 GMT` (made once per second)."""
    global _last_http_date
    second = int(moment.timestamp())
    if _last_http_date[0] != second:
        _last_http_date = (second, email.utils.format_datetime(moment.astimezone(timezone.utc), usegmt=True))
    return _last_http_date[1]

"""Text formats shared by the model and the HTTP layer: compact JSON and .NET-style dates."""
from __future__ import annotations

import email.utils
import json
from datetime import datetime, timezone
from typing import Any


def dumps(body: Any) -> bytes:
    """Compact JSON; non-ASCII is escaped as .NET does, which also keeps lone surrogates encodable."""
    return json.dumps(body, separators=(",", ":")).encode("ascii")


def format_date(moment: datetime) -> str:
    """`2026-12-04T19:10:41.1234560Z`: seven fractional digits, as .NET writes them."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


def http_date(moment: datetime) -> str:
    """RFC 9110 date for the `Date` header: `Thu, 01 Jan 2026 00:00:00 GMT`."""
    return email.utils.format_datetime(moment.astimezone(timezone.utc), usegmt=True)

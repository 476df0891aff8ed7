"""SdsTypeCode: names and numbers, what JSON value each accepts, and how index values order.

Index values become sortable Python values: DateTime keys become 100 ns ticks (Python's
`fromisoformat` would drop the seventh fractional digit), Guids their integer, numbers themselves.
"""
from __future__ import annotations

import math
import re
import uuid
from datetime import datetime, timedelta, timezone

CODES = {
    "Empty": 0, "Object": 1, "DBNull": 2, "Boolean": 3, "Char": 4, "SByte": 5, "Byte": 6, "Int16": 7,
    "UInt16": 8, "Int32": 9, "UInt32": 10, "Int64": 11, "UInt64": 12, "Single": 13, "Double": 14,
    "Decimal": 15, "DateTime": 16, "String": 18, "Guid": 19, "DateTimeOffset": 20, "TimeSpan": 21,
    "Version": 22,
}
CODES.update({"Nullable" + name: number + 100 for name, number in list(CODES.items()) if 3 <= number <= 21 and number != 18})
CODES.update({name + "Array": number + 200 for name, number in list(CODES.items()) if 3 <= number <= 22})
CODES.update({"Array": 400, "IList": 401, "IDictionary": 402, "IEnumerable": 403, "SdsType": 501,
              "SdsTypeProperty": 502, "SdsStreamView": 503, "SdsStreamViewProperty": 504,
              "SdsStreamViewMap": 505, "SdsStreamViewMapProperty": 506, "SdsStream": 507,
              "SdsStreamIndex": 508, "SdsTable": 509, "SdsColumn": 510, "SdsValues": 511, "SdsObject": 512,
              "SByteEnum": 605, "ByteEnum": 606, "Int16Enum": 607, "UInt16Enum": 608, "Int32Enum": 609,
              "UInt32Enum": 610, "Int64Enum": 611, "UInt64Enum": 612})
NAMES = {number: name for name, number in CODES.items()}
_FOLDED = {name.lower(): name for name in CODES}

INTEGER_RANGES = {
    "SByte": (-2**7, 2**7 - 1), "Byte": (0, 2**8 - 1), "Int16": (-2**15, 2**15 - 1), "UInt16": (0, 2**16 - 1),
    "Int32": (-2**31, 2**31 - 1), "UInt32": (0, 2**32 - 1), "Int64": (-2**63, 2**63 - 1), "UInt64": (0, 2**64 - 1),
}
FLOATS = {"Single", "Double", "Decimal"}
TEXTUAL = {"String", "Char"}
INDEXABLE = set(INTEGER_RANGES) | FLOATS | {"DateTime", "DateTimeOffset", "String", "Guid", "TimeSpan", "Char"}

_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$")
_TIMESPAN = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$")
_EPOCH = datetime(1, 1, 1, tzinfo=timezone.utc)


class ValueKindError(ValueError):
    """A value does not fit its type code; the message says what was expected."""


def type_code_name(value: object) -> str | None:
    """The canonical name of a type code given as a name (any casing) or a number; None if unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return NAMES.get(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return NAMES.get(int(text))
        return _FOLDED.get(text.lower())
    return None


def base_name(code: str) -> tuple[str, bool]:
    """`NullableDouble` -> (`Double`, True); enums count as their integer."""
    if code.startswith("Nullable"):
        return code[len("Nullable"):], True
    if code.endswith("Enum"):
        return code[: -len("Enum")], False
    return code, code in ("String", "Object", "Empty", "DBNull") or code.endswith("Array") or code.startswith("I")


def datetime_ticks(text: str) -> int:
    """100 ns ticks since 0001-01-01 UTC; a time without offset is UTC."""
    match = _DATETIME.match(text.strip())
    if not match:
        raise ValueKindError("an ISO 8601 date and time")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                          tzinfo=timezone.utc)
    except ValueError:
        raise ValueKindError("a valid date and time") from None
    ticks = (moment - _EPOCH) // timedelta(microseconds=1) * 10 + int((fraction or "0")[:7].ljust(7, "0"))
    if offset and offset.upper() != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        ticks -= sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60 * 10_000_000
    return ticks


def timespan_ticks(text: str) -> int:
    match = _TIMESPAN.match(text.strip())
    if not match:
        raise ValueKindError("a time span such as 01:30:00")
    negative, days, hours, minutes, seconds, fraction = match.groups()
    total = ((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds or 0)
    ticks = total * 10_000_000 + int((fraction or "0").ljust(7, "0"))
    return -ticks if negative else ticks


def check_value(code: str, value: object) -> None:
    """Raise `ValueKindError` when a JSON value cannot be a value of this type code."""
    name, nullable = base_name(code)
    if value is None:
        if nullable:
            return
        raise ValueKindError(f"a {code} value, not null")
    if name in INTEGER_RANGES:
        low, high = INTEGER_RANGES[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and not value.is_integer()):
            raise ValueKindError(f"an integer ({code})")
        if not low <= int(value) <= high:
            raise ValueKindError(f"an integer between {low} and {high} ({code})")
    elif name in FLOATS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueKindError(f"a number ({code})")
    elif name == "Boolean":
        if not isinstance(value, bool):
            raise ValueKindError("true or false (Boolean)")
    elif name in TEXTUAL:
        if not isinstance(value, str):
            raise ValueKindError(f"a string ({code})")
    elif name in ("DateTime", "DateTimeOffset"):
        if not isinstance(value, str):
            raise ValueKindError(f"an ISO 8601 date and time string ({code})")
        datetime_ticks(value)
    elif name == "Guid":
        if not isinstance(value, str):
            raise ValueKindError("a GUID string (Guid)")
        _guid(value)
    elif name == "TimeSpan":
        if not isinstance(value, str):
            raise ValueKindError("a time span string (TimeSpan)")
        timespan_ticks(value)
    elif code.endswith("Array") or code in ("IList", "IEnumerable"):
        if not isinstance(value, list):
            raise ValueKindError(f"an array ({code})")
    elif code in ("Object", "IDictionary"):
        if not isinstance(value, (dict, list)):
            raise ValueKindError(f"an object ({code})")


def _guid(text: str) -> int:
    try:
        return uuid.UUID(text.strip()).int
    except ValueError:
        raise ValueKindError("a GUID") from None


def index_value(code: str, value: object):
    """A JSON index value as a sortable Python value (raises `ValueKindError`)."""
    name, _ = base_name(code)
    if value is None:
        raise ValueKindError(f"a {code} index value, not null")
    check_value(name, value)
    if name in ("DateTime", "DateTimeOffset"):
        return datetime_ticks(value)  # type: ignore[arg-type]
    if name == "Guid":
        return _guid(value)  # type: ignore[arg-type]
    if name == "TimeSpan":
        return timespan_ticks(value)  # type: ignore[arg-type]
    if name in INTEGER_RANGES:
        return int(value)  # type: ignore[arg-type]
    return value


def index_from_text(code: str, text: str):
    """An index as written in a query string (`?index=`), as (sortable value, JSON value)."""
    name, _ = base_name(code)
    if name in INTEGER_RANGES or name in FLOATS:
        try:
            number = int(text) if name in INTEGER_RANGES else float(text)
        except ValueError:
            raise ValueKindError(f"a number ({code})") from None
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueKindError(f"a finite number ({code})")
        return index_value(code, number), number
    return index_value(code, text), text

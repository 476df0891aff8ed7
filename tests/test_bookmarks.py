"""Bookmarks are signed, bound to a signup and expire; each failure has its own reason."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from emulator.model.bookmarks import Bookmark, BookmarkCodec
from emulator.model.errors import BadRequest

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
codec = BookmarkCodec("key")


def kind(token, signup_id="s", now=NOW):
    with pytest.raises(BadRequest) as info:
        codec.decode(token, signup_id=signup_id, now=now)
    return info.value.parameters["bookmark"]


def test_round_trip_and_url_safety():
    token = codec.encode(Bookmark("s", 42, 3, NOW, NOW + timedelta(hours=1)))
    assert all(c.isalnum() or c in "-_." for c in token)
    assert codec.decode(token, signup_id="s", now=NOW) == Bookmark("s", 42, 3, NOW, NOW + timedelta(hours=1))


def test_each_failure_is_named():
    token = codec.encode(Bookmark("s", 1, 0, NOW, NOW + timedelta(hours=1)))
    assert kind(None) == "missing"
    assert kind("") == "missing"
    assert kind("not a bookmark") == "malformed"
    assert kind("abc.def.ghi") == "malformed"
    assert kind(token, signup_id="other") == "foreign"
    payload, signature = token.split(".")
    forged = BookmarkCodec("key").encode(Bookmark("s", 999, 0, NOW, NOW + timedelta(days=9)))
    assert kind(forged.split(".")[0] + "." + signature) == "tampered"
    assert kind(payload + "." + signature[:-2]) == "malformed"
    assert kind(BookmarkCodec("another key").encode(Bookmark("s", 1, 0, NOW, NOW + timedelta(hours=1)))) == "tampered"
    assert kind(token, now=NOW + timedelta(hours=1)) == "expired"
    assert codec.decode(token, signup_id="s", now=NOW + timedelta(minutes=59))

"""Bookmarks: a signed position in a namespace's change log, bound to one signup, with an issue time.

A bookmark is opaque to clients but carries everything needed to check it without server state:
which signup it belongs to, where in the change log to continue, and when it was issued. Each way
it can be wrong has its own `Reason`, because a consumer debugging a 400 needs to know which.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import BadRequest
from .signing import Malformed, Tampered, b64decode, b64encode, from_micros, to_micros

RESOLUTION = "Get a fresh bookmark from GET /signups/{signupId} and poll again."


@dataclass(frozen=True)
class Bookmark:
    signup_id: str
    #: Change-log position of the first change not yet delivered.
    position: int
    #: Events of that change already delivered (a change bigger than a page is split across pages).
    offset: int
    issued_at: datetime
    #: Fixed at issue, so a scenario can give some bookmarks a shorter life than others.
    expires_at: datetime


class BookmarkCodec:
    """`base64url(v1|signup|position|offset|issued|expires|serial) . base64url(BLAKE2b-128 MAC)`.

    A delimited text and a keyed BLAKE2b keep issuing and checking a bookmark to a few microseconds,
    which matters because every poll does both. The serial makes every issued bookmark distinct,
    so a scenario can count the uses of one.
    """

    def __init__(self, key: str):
        self._key = hashlib.sha256(f"bookmark:{key}".encode()).digest()
        self._serial = itertools.count(1)

    def _mac(self, payload: bytes) -> bytes:
        return hashlib.blake2b(payload, key=self._key, digest_size=16).digest()

    def encode(self, bookmark: Bookmark) -> str:
        payload = (f"v1|{bookmark.signup_id}|{bookmark.position}|{bookmark.offset}|{to_micros(bookmark.issued_at)}|"
                   f"{to_micros(bookmark.expires_at)}|{next(self._serial)}").encode()
        return b64encode(payload) + "." + b64encode(self._mac(payload))

    def _claims(self, token: str) -> list[str]:
        payload_text, dot, mac_text = token.partition(".")
        if not dot:
            raise Malformed("no signature")
        payload, mac = b64decode(payload_text), b64decode(mac_text)
        if not hmac.compare_digest(mac, self._mac(payload)):
            try:
                payload.decode("ascii")
            except UnicodeDecodeError:
                raise Malformed("not a bookmark") from None
            if not payload.startswith(b"v1|") or len(mac) != 16:
                raise Malformed("not a bookmark")
            raise Tampered("signature does not match")
        return payload.decode("ascii").split("|")

    def decode(self, token: str | None, *, signup_id: str, now: datetime) -> Bookmark:
        """The bookmark a client sent for `signup_id`, or a 400 that says what is wrong with it."""
        if token is None or not token.strip():
            raise _bad("missing", "The bookmark query parameter is missing or empty.")
        try:
            claims = self._claims(token.strip())
        except Malformed:
            raise _bad("malformed", "The bookmark is malformed: it is not a bookmark this service issued.") from None
        except Tampered:
            raise _bad("tampered", "The bookmark is tampered: its signature does not match its content.") from None
        if len(claims) != 7 or not all(c.isdigit() for c in claims[2:]):
            raise _bad("malformed", "The bookmark is malformed: its content is incomplete.")
        sid = claims[1]
        position, offset, issued, expires = (int(c) for c in claims[2:6])
        if sid != signup_id:
            raise _bad("foreign", "The bookmark is foreign: it was issued for another signup.")
        try:
            issued_at, expires_at = from_micros(issued), from_micros(expires)
        except OverflowError:
            raise _bad("malformed", "The bookmark is malformed: its times are out of range.") from None
        if now >= expires_at:
            raise expired()
        return Bookmark(sid, position, offset, issued_at, expires_at)

    def issue(self, signup_id: str, position: int, offset: int, now: datetime, ttl: float) -> str:
        return self.encode(Bookmark(signup_id, position, offset, now, now + timedelta(seconds=ttl)))


def expired() -> BadRequest:
    return _bad("expired", "The bookmark is expired: bookmarks are valid for a limited time after they are issued.")


def _bad(kind: str, reason: str) -> BadRequest:
    return BadRequest(reason, error="The bookmark is invalid.", resolution=RESOLUTION, parameters={"bookmark": kind})

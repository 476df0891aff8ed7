"""Bookmarks: a signed position in a namespace's change log, bound to one signup, with an issue time.

A bookmark is opaque to clients but carries everything needed to check it without server state:
which signup it belongs to, where in the change log to continue, and when it was issued. Each way
it can be wrong has its own `Reason`, because a consumer debugging a 400 needs to know which.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import BadRequest
from .signing import Malformed, Signer, Tampered, from_micros, to_micros

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
    def __init__(self, key: str):
        self._signer = Signer(key, "bookmark", digest_bytes=16)

    def encode(self, bookmark: Bookmark) -> str:
        return self._signer.sign({"s": bookmark.signup_id, "p": bookmark.position, "o": bookmark.offset,
                                  "t": to_micros(bookmark.issued_at), "e": to_micros(bookmark.expires_at),
                                  # Every issued bookmark is distinct, so a scenario can count its uses.
                                  "n": secrets.token_urlsafe(6)})

    def decode(self, token: str | None, *, signup_id: str, now: datetime) -> Bookmark:
        """The bookmark a client sent for `signup_id`, or a 400 that says what is wrong with it."""
        if token is None or not token.strip():
            raise _bad("missing", "The bookmark query parameter is missing or empty.")
        try:
            claims = self._signer.verify(token.strip())
        except Malformed:
            raise _bad("malformed", "The bookmark is malformed: it is not a bookmark this service issued.") from None
        except Tampered:
            raise _bad("tampered", "The bookmark is tampered: its signature does not match its content.") from None
        sid, position, offset = claims.get("s"), claims.get("p"), claims.get("o")
        issued, expires = claims.get("t"), claims.get("e")
        if not (isinstance(sid, str) and _is_int(position) and position >= 0 and _is_int(offset) and offset >= 0
                and _is_int(issued) and _is_int(expires)):
            raise _bad("malformed", "The bookmark is malformed: its content is incomplete.")
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


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bad(kind: str, reason: str) -> BadRequest:
    return BadRequest(reason, error="The bookmark is invalid.", resolution=RESOLUTION, parameters={"bookmark": kind})

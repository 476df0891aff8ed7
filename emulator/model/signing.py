"""HMAC signing shared by bookmarks and access tokens: tamper-evident, URL-safe, stateless.

Stateless tokens survive `POST /_emulator/reset`, so a client that fetched a token once keeps
its identity across tests, as it would against the real service.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Malformed(ValueError):
    pass


class Tampered(ValueError):
    pass


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64decode(text: str) -> bytes:
    if not _B64URL.fullmatch(text):
        raise Malformed("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise Malformed("not base64url") from None


_B64URL = re.compile(r"[A-Za-z0-9_-]+")


def to_micros(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


class Signer:
    """Signs JSON claims for one purpose; a bookmark can never pass for a token or the reverse."""

    def __init__(self, key: str, purpose: str, *, digest_bytes: int = 32):
        self._key = hashlib.sha256(f"{purpose}:{key}".encode()).digest()
        self._digest_bytes = digest_bytes

    def _mac(self, signed_part: str) -> bytes:
        return hmac.new(self._key, signed_part.encode("ascii"), hashlib.sha256).digest()[: self._digest_bytes]

    def sign(self, claims: dict[str, Any], *, header: dict[str, Any] | None = None) -> str:
        parts = [b64encode(json.dumps(claims, separators=(",", ":")).encode())]
        if header is not None:
            parts.insert(0, b64encode(json.dumps(header, separators=(",", ":")).encode()))
        signed_part = ".".join(parts)
        return signed_part + "." + b64encode(self._mac(signed_part))

    def verify(self, token: str, *, with_header: bool = False) -> dict[str, Any]:
        """The claims of a token this signer made; `Malformed` or `Tampered` otherwise."""
        parts = token.split(".")
        if len(parts) != (3 if with_header else 2):
            raise Malformed("wrong number of parts")
        raw_parts = [b64decode(p) for p in parts]
        try:
            claims = json.loads(raw_parts[-2])
        except (UnicodeDecodeError, ValueError):
            raise Malformed("claims are not JSON") from None
        if not isinstance(claims, dict):
            raise Malformed("claims are not an object")
        if not hmac.compare_digest(raw_parts[-1], self._mac(token.rsplit(".", 1)[0])):
            raise Tampered("signature does not match")
        return claims

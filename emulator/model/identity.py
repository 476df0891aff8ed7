"""Identity: client-credentials clients, the access tokens issued to them, and who a request is.

Tokens are HS256 JWTs signed with the emulator's key, carrying the client and its tenant, with
`iat`/`exp` in emulated time. How strictly a bearer token is checked depends on the auth mode
(SPEC.md section 6): `any`, `strict` or `off`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from .errors import Forbidden, Unauthorized
from .signing import Malformed, Signer, Tampered, to_micros

DEFAULT_CLIENT = "emulator-client"
TOKEN_HEADER = {"alg": "HS256", "typ": "JWT"}


class OAuthError(Exception):
    """An OAuth 2 error: the token endpoint answers these as `{"error": ...}`, not in SDS's shape."""

    def __init__(self, error: str, description: str):
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class Client:
    """A client-credentials client: a secret of None takes any secret, a tenant of None is every tenant."""

    id: str
    secret: str | None
    tenant: str | None


@dataclass(frozen=True)
class Principal:
    """Who is calling: a client id, and the tenant it belongs to (None: every tenant)."""

    client_id: str
    tenant: str | None

    def trustee(self, tenant: str) -> dict[str, str]:
        return {"type": "Client", "objectId": self.client_id, "tenantId": self.tenant or tenant}

    def may_use_tenant(self, tenant: str) -> bool:
        return self.tenant is None or self.tenant.lower() == tenant.lower()


class Identity:
    def __init__(self, *, key: str, mode: str, token_lifetime: float, clients: Iterable[Client] = ()):
        self._signer = Signer(key, "access-token")
        self._verified: dict[str, dict] = {}
        self.mode = mode
        self.token_lifetime = token_lifetime
        self.set_clients(clients)

    def set_clients(self, clients: Iterable[Client]) -> None:
        self._clients = {c.id: c for c in clients}

    def issue_token(self, form: dict[str, str], now: datetime, issuer: str) -> dict:
        grant = form.get("grant_type", "")
        if not grant:
            raise OAuthError("invalid_request", "grant_type is missing")
        if grant != "client_credentials":
            raise OAuthError("unsupported_grant_type", f"grant type {grant!r} is not supported; use client_credentials")
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if not client_id or not secret:
            raise OAuthError("invalid_client", "client_id and client_secret are required")
        known = self._clients.get(client_id)
        if known is not None:
            if known.secret is not None and known.secret != secret:
                raise OAuthError("invalid_client", "the client secret is wrong")
            tenant = known.tenant
        elif self.mode == "strict":
            raise OAuthError("invalid_client", "unknown client")
        else:
            tenant = None
        issued = to_micros(now) // 1_000_000
        lifetime = int(self.token_lifetime)
        claims = {
            "iss": issuer,
            "sub": client_id,
            "client_id": client_id,
            "tid": tenant,
            "iat": issued,
            "nbf": issued,
            "exp": issued + lifetime,
            "scope": "ocsapi",
        }
        return {
            "access_token": self._signer.sign(claims, header=TOKEN_HEADER),
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": "ocsapi",
        }

    def _issued_claims(self, token: str) -> dict | None:
        """The claims of a token issued here; remembered, since a client sends the same token many times."""
        if token.count(".") != 2:
            return None
        claims = self._verified.get(token)
        if claims is not None:
            return claims
        try:
            claims = self._signer.verify(token, with_header=True)
        except (Malformed, Tampered):
            return None
        if not isinstance(claims.get("client_id"), str) or not isinstance(claims.get("exp"), int):
            return None
        if len(self._verified) >= 10_000:
            self._verified.clear()
        self._verified[token] = claims
        return claims

    def authenticate(self, authorization: str | None, tenant: str, now: datetime) -> Principal:
        """Who sent a request for `tenant`: 401 when they cannot be identified, 403 when not allowed there."""
        token = _bearer(authorization)
        claims = self._issued_claims(token) if token else None
        if self.mode == "off":
            principal = _principal(claims) if claims else Principal(DEFAULT_CLIENT, None)
        elif token is None:
            raise Unauthorized("The Authorization header is missing or is not a bearer token.")
        elif claims is not None:
            if self.mode == "strict" and to_micros(now) // 1_000_000 >= claims["exp"]:
                raise Unauthorized("The bearer token has expired.", resolution="Get a new token from the token endpoint.")
            principal = _principal(claims)
        elif self.mode == "strict":
            raise Unauthorized("The bearer token was not issued by this service.",
                               resolution="Get a token from /identity/connect/token.")
        else:
            principal = Principal(token, None)
        if not principal.may_use_tenant(tenant):
            raise Forbidden(f"The client {principal.client_id!r} does not belong to tenant {tenant!r}.",
                            parameters={"tenantId": tenant})
        return principal


def _principal(claims: dict) -> Principal:
    tenant = claims.get("tid")
    return Principal(claims["client_id"], tenant if isinstance(tenant, str) else None)


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token

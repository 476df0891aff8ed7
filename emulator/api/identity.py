"""Identity routes of SPEC.md section 6: OpenID discovery and the client-credentials token endpoint."""
from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import parse_qsl, unquote_plus

from aiohttp import web

from ..model.errors import BadRequest
from ..model.identity import OAuthError
from ..wire import json_response
from .context import emulator_of
from .params import read_body

IDENTITY = "/identity"


_HOST = re.compile(r"(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def base_url(request: web.Request) -> str:
    """The address the client used, from its Host header; an unusable Host is the client's error."""
    host = request.headers.get("Host", "")
    if not _HOST.fullmatch(host):
        raise BadRequest("The Host header is missing or invalid.", parameters={"Host": host[:100]})
    try:
        return str(request.url.origin())
    except ValueError:
        raise BadRequest("The Host header is invalid.", parameters={"Host": host[:100]}) from None


async def openid_configuration(request: web.Request) -> web.Response:
    base = base_url(request) + IDENTITY
    return json_response({
        "issuer": base,
        "authorization_endpoint": base + "/connect/authorize",
        "token_endpoint": base + "/connect/token",
        "jwks_uri": base + "/.well-known/openid-configuration/jwks",
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["token"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "scopes_supported": ["ocsapi"],
    })


async def jwks(request: web.Request) -> web.Response:
    # Tokens are signed with a symmetric key that is never published.
    return json_response({"keys": []})


def _basic_credentials(request: web.Request) -> dict[str, str]:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return {}
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return {}
    return {"client_id": unquote_plus(user), "client_secret": unquote_plus(password)}


async def get_token(request: web.Request) -> web.Response:
    raw = await read_body(request)
    try:
        form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        form = {}
    for key, value in _basic_credentials(request).items():
        form.setdefault(key, value)
    emulator = emulator_of(request)
    try:
        token = emulator.identity.issue_token(form, emulator.clock.now(), base_url(request) + IDENTITY)
    except OAuthError as exc:
        return json_response({"error": exc.error, "error_description": exc.description}, status=400)
    return json_response(token, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


ROUTES = [
    ("GET", IDENTITY + "/.well-known/openid-configuration", openid_configuration, "openid_configuration"),
    ("GET", IDENTITY + "/.well-known/openid-configuration/jwks", jwks, "jwks"),
    ("POST", IDENTITY + "/connect/token", get_token, "get_token"),
]

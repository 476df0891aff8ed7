"""Every knob of the emulator in one frozen dataclass, with the defaults of SPEC.md.

Precedence, lowest first: these defaults, environment variables (`SIGNUPS_EMULATOR_<NAME>`),
command-line flags. Scenario files (a later layer) override all three for the knobs they set.
"""
from __future__ import annotations

import dataclasses
import os
import secrets
from dataclasses import dataclass, field
from typing import Any, Mapping

from .durations import DurationError, parse_duration

AUTH_MODES = ("any", "strict", "off")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("text", "json")
EVENT_LOOPS = ("asyncio", "uvloop")
OPERATION_NAMINGS = ("documented", "python-client")
ENV_PREFIX = "SIGNUPS_EMULATOR_"


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class ClientSpec:
    """A client-credentials client known to the identity endpoint, bound to one tenant."""

    id: str
    secret: str
    tenant: str

    @classmethod
    def parse(cls, text: str) -> "ClientSpec":
        parts = text.split(":")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise SettingsError(f"client {text!r} must be written ID:SECRET:TENANT")
        return cls(*(p.strip() for p in parts))


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    clock_speed: float = 1.0
    auth: str = "any"
    log_level: str = "info"
    #: Emulated seconds a new signup spends in background setup before a GET can activate it.
    activation_delay: float = 0.0
    #: Emulated seconds without activity after which a signup is Expired.
    inactivity_expiry: float = 24 * 3600.0
    #: Emulated seconds a bookmark stays valid after it is issued.
    bookmark_ttl: float = 3600.0
    #: Emulated seconds an issued access token stays valid (the token's `expires_in`).
    token_lifetime: float = 3600.0
    #: Emulated seconds changes are kept in the change log.
    retention: float = 3600.0
    #: Most events one page of updates holds.
    page_size: int = 1000
    max_signups_per_namespace: int = 10_000
    #: Most resource ids one create or resources request may carry (decided: larger is a 400).
    max_resource_ids_per_request: int = 1000
    #: `documented` (Remove/RemoveWindow) or `python-client` (Delete/DeleteWindow).
    operation_names: str = "documented"
    #: Most requests `GET /_emulator/requests` remembers.
    journal_size: int = 10_000
    #: Key that signs bookmarks and tokens; a fresh random one per start unless given.
    signing_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    clients: tuple[ClientSpec, ...] = ()
    #: When set, every admin route but health needs `Authorization: Bearer <admin_token>`.
    admin_token: str | None = None
    #: `text` (default) or `json`: one log line per request either way.
    log_format: str = "text"
    #: `asyncio` (default) or `uvloop` (the optional extra `adh-signups-emulator[uvloop]`).
    loop: str = "asyncio"

    def __post_init__(self) -> None:
        if self.auth not in AUTH_MODES:
            raise SettingsError(f"auth must be one of {', '.join(AUTH_MODES)}, not {self.auth!r}")
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"log level must be one of {', '.join(LOG_LEVELS)}, not {self.log_level!r}")
        if self.operation_names not in OPERATION_NAMINGS:
            raise SettingsError(
                f"operation names must be one of {', '.join(OPERATION_NAMINGS)}, not {self.operation_names!r}"
            )
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be between 0 and 65535, not {self.port}")
        if not 0 < self.clock_speed <= 1_000_000:
            raise SettingsError("clock speed must be above 0 and at most 1000000")
        for name in ("page_size", "max_signups_per_namespace", "max_resource_ids_per_request", "journal_size"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        for name in ("inactivity_expiry", "bookmark_ttl", "token_lifetime", "retention"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be longer than 0")
        if self.log_format not in LOG_FORMATS:
            raise SettingsError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {self.log_format!r}")
        if self.loop not in EVENT_LOOPS:
            raise SettingsError(f"loop must be one of {', '.join(EVENT_LOOPS)}, not {self.loop!r}")
        if self.admin_token is not None and not self.admin_token.strip():
            raise SettingsError("the admin token must not be empty")
        if not self.signing_key:
            raise SettingsError("the signing key must not be empty")

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Settings":
        """Settings from plain values (durations as `90s` or seconds, clients as `ID:SECRET:TENANT`)."""
        return cls(**{name: coerce(name, value) for name, value in values.items()})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The raw values the environment sets, by setting name (not yet validated)."""
        environ = os.environ if environ is None else environ
        found: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            key = ENV_PREFIX + f.name.upper()
            if key in environ:
                found[f.name] = environ[key]
        return found


_DURATIONS = {"activation_delay", "inactivity_expiry", "bookmark_ttl", "token_lifetime", "retention"}
_INTS = {"port", "page_size", "max_signups_per_namespace", "max_resource_ids_per_request", "journal_size"}


def coerce(name: str, value: Any) -> Any:
    """One setting from text or a plain value, with a message that names the setting."""
    names = {f.name for f in dataclasses.fields(Settings)}
    if name not in names:
        raise SettingsError(f"unknown setting {name!r}")
    try:
        if name in _DURATIONS:
            return parse_duration(value)
        if name in _INTS:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if name == "clock_speed":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if name == "clients":
            if isinstance(value, str):
                value = [v for v in value.split(",") if v.strip()]
            return tuple(v if isinstance(v, ClientSpec) else ClientSpec.parse(v) for v in value)
        if name in ("auth", "log_level", "operation_names", "log_format", "loop"):
            return str(value).strip().lower()
        return str(value)
    except DurationError as exc:
        raise SettingsError(f"{name}: {exc}") from None
    except (TypeError, ValueError):
        raise SettingsError(f"{name}: {value!r} is not a valid value") from None

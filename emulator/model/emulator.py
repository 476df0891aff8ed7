"""The whole emulated service's state: clock, settings, identity, bookmarks and namespaces.

Everything the HTTP layer needs hangs off one `Emulator`, so a reset is one call and the admin API
and the service API see the same state.
"""
from __future__ import annotations

from ..clock import VirtualClock
from ..settings import Settings
from .bookmarks import BookmarkCodec
from .identity import Identity
from .namespace import Namespace


class Emulator:
    def __init__(self, settings: Settings, clock: VirtualClock | None = None):
        self.settings = settings
        self.clock = clock or VirtualClock(speed=settings.clock_speed)
        self.identity = Identity(key=settings.signing_key, mode=settings.auth,
                                 token_lifetime=settings.token_lifetime, clients=settings.clients)
        self.bookmarks = BookmarkCodec(settings.signing_key)
        self._namespaces: dict[tuple[str, str], Namespace] = {}

    def namespace(self, tenant: str, namespace_id: str) -> Namespace:
        """Tenants and namespaces spring into being on first use; their ids match case-insensitively."""
        key = (tenant.lower(), namespace_id.lower())
        found = self._namespaces.get(key)
        if found is None:
            found = self._namespaces[key] = Namespace(tenant, namespace_id, lambda: self.settings, self.bookmarks)
        return found

    def namespaces(self) -> list[Namespace]:
        return list(self._namespaces.values())

    def reset(self) -> None:
        """Drop all state; the clock and issued tokens stay valid."""
        self._namespaces.clear()

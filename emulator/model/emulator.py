"""The whole emulated service's state: clock, settings, identity, bookmarks, namespaces, scenario.

Everything the HTTP layer needs hangs off one `Emulator`, so a reset is one call and the admin API
and the service API see the same state. A scenario is checked completely before anything is
applied, and applied between two requests (handlers never await mid-change), so a swap at run
time is atomic for every request in flight.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..clock import ClockError, VirtualClock
from ..settings import Settings
from .bookmarks import BookmarkCodec
from .errors import ServiceError
from .faults import FaultEngine
from .identity import Client, Identity, Principal
from .journal import Journal
from .namespace import Namespace

if TYPE_CHECKING:
    from ..scenarios import Scenario


class Emulator:
    def __init__(self, settings: Settings, clock: VirtualClock | None = None):
        #: What the command line and environment set; scenarios apply on top of these.
        self.base_settings = settings
        self.settings = settings
        self.clock = clock or VirtualClock(speed=settings.clock_speed)
        self.identity = Identity(key=settings.signing_key, mode=settings.auth, token_lifetime=settings.token_lifetime,
                                 clients=self._clients())
        self.bookmarks = BookmarkCodec(settings.signing_key)
        self.faults = FaultEngine()
        self.journal = Journal(settings.journal_size)
        self.scenario: Scenario | None = None
        #: What `reset(defaults=True)` goes back to: the start-up scenario and clock rate.
        self._start_scenario: Scenario | None = None
        self._start_rate = (self.clock.speed, self.clock.frozen)
        self._cannot_read: dict[str, frozenset[str]] = {}
        self._namespaces: dict[tuple[str, str], Namespace] = {}

    def namespace(self, tenant: str, namespace_id: str) -> Namespace:
        """Tenants and namespaces spring into being on first use; their ids match case-insensitively."""
        key = (tenant.lower(), namespace_id.lower())
        found = self._namespaces.get(key)
        if found is None:
            found = self._namespaces[key] = self.new_namespace(tenant, namespace_id)
        return found

    def new_namespace(self, tenant: str, namespace_id: str) -> Namespace:
        return Namespace(tenant, namespace_id, lambda: self.settings, self.bookmarks, self.may_read)

    def replace_namespaces(self, namespaces: list[Namespace]) -> None:
        """All state at once, from a snapshot."""
        self._namespaces = {(ns.tenant.lower(), ns.id.lower()): ns for ns in namespaces}

    def namespaces(self) -> list[Namespace]:
        return list(self._namespaces.values())

    def _clients(self, from_scenario=()) -> list[Client]:
        """The command line's clients, then the scenario's (which win on the same id)."""
        return [Client(c.id, c.secret, c.tenant) for c in (*self.base_settings.clients, *from_scenario)]

    def may_read(self, principal: Principal, stream_id: str) -> bool:
        denied = self._cannot_read.get(principal.client_id)
        return denied is None or stream_id.lower() not in denied

    def reset(self, *, defaults: bool = False) -> None:
        """Drop all state and re-apply the scenario's seed; the clock's time and issued tokens stay valid.

        With `defaults`, also go back to the start-up scenario and clock speed, as a test fixture wants.
        """
        if defaults:
            self.clock.speed, self.clock.frozen = self._start_rate
            if self._start_scenario is not None:
                self.apply_scenario(dataclasses.replace(self._start_scenario, clock={}))
            elif self.scenario is not None:
                self._clear_scenario()
        self._namespaces.clear()
        self.faults.reset()
        self.journal.clear()
        if self.scenario is not None:
            self._seed(self.scenario)

    def apply_scenario(self, scenario: Scenario, *, at_start: bool = False) -> None:
        """Make `scenario` the active one; raises `ClockError` (changing nothing) if it would turn time back."""
        clock = scenario.clock
        if "start" in clock and not at_start and clock["start"] < self.clock.now():
            raise ClockError("clock.start is before the emulated now, and the clock never goes backwards")
        settings = self.base_settings.replace(**scenario.settings)
        # Rate first, then the time: a frozen clock then shows exactly the start it was given.
        if "frozen" in clock:
            self.clock.frozen = clock["frozen"]
        if "speed" in clock:
            self.clock.speed = clock["speed"]
        if "start" in clock and at_start:
            self.clock.restart(clock["start"])
        elif "start" in clock:
            self.clock.jump_to(clock["start"])
        self.settings = settings
        self.identity.mode = settings.auth
        self.identity.token_lifetime = settings.token_lifetime
        self.identity.set_clients(self._clients(scenario.clients.values()))
        self._cannot_read = {c.id: c.cannot_read for c in scenario.clients.values() if c.cannot_read}
        self.faults = FaultEngine(scenario.faults)
        self.journal.resize(settings.journal_size)
        self.scenario = scenario
        if at_start:
            self._start_scenario = scenario
            self._start_rate = (self.clock.speed, self.clock.frozen)
        self._seed(scenario)

    def _clear_scenario(self) -> None:
        from ..scenarios import Scenario

        self.apply_scenario(Scenario())
        self.scenario = None

    def _seed(self, scenario: Scenario) -> None:
        """Seeds add what is missing and never overwrite what exists."""
        now = self.clock.now()
        for entry in scenario.seed:
            namespace = self.namespace(entry.tenant, entry.namespace)
            for type_id, body in entry.types:
                try:
                    namespace.get_or_create_type(type_id, body, now)
                except ServiceError:
                    pass
            for stream_id, body in entry.streams:
                try:
                    namespace.get_or_create_stream(stream_id, body, now)
                except ServiceError:
                    pass

"""Fault rules of a scenario: when they match, when they fire, and what they do to the model.

A rule has request filters (route, method, path, tenant, namespace, headers), perhaps a signup-name
filter, a trigger (the Nth matching request, the first N, every Nth, or a seeded probability) and
actions. HTTP actions (respond, delay, drop, truncate) are carried out by the fault middleware; the
others change how the model treats one request (a resource that fails to be added, a signup that
will never activate, a bookmark that dies early, updates that come back reordered). Every rule
counts how often it matched and fired, for `GET /_emulator/faults`.
"""
from __future__ import annotations

import fnmatch
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .signups import NORMAL, SignupBehaviour

HTTP_ACTIONS = ("respond", "delay", "drop", "truncate")
SIGNUP_ACTIONS = ("delay_activation", "fail_activation", "expire_signup")
#: Model actions and the routes they can act on; the first is the default when a rule names none.
ACTION_ROUTES = {
    "delay_activation": ("create_signup",),
    "fail_activation": ("create_signup",),
    "expire_signup": ("create_signup",),
    "fail_resources": ("update_signup_resources",),
    "bookmark_ttl": ("get_signup", "get_updates"),
    "bookmark_uses": ("get_updates",),
    "reorder": ("get_updates",),
}


def glob(pattern: str) -> re.Pattern:
    """Shell-style pattern (`slow-*`, `/api/*/signups`), matched case-insensitively."""
    return re.compile(fnmatch.translate(pattern), re.IGNORECASE)


@dataclass
class Trigger:
    nth: frozenset[int] | None = None
    first: int | None = None
    every: int | None = None
    probability: float | None = None
    seed: int | None = None

    def new_rng(self) -> random.Random:
        return random.Random(self.seed)

    def fires(self, count: int, rng: random.Random) -> bool:
        """`count` is this match's number, from 1."""
        if self.nth is not None:
            return count in self.nth
        if self.first is not None:
            return count <= self.first
        if self.every is not None:
            return count % self.every == 0
        if self.probability is not None:
            return rng.random() < self.probability
        return True


@dataclass
class When:
    routes: frozenset[str] | None = None
    methods: frozenset[str] | None = None
    path: re.Pattern | None = None
    tenant: str | None = None
    namespace: str | None = None
    headers: dict[str, re.Pattern] = field(default_factory=dict)
    signup_name: re.Pattern | None = None

    def matches(self, route: str, method: str, path: str, tenant: str | None, namespace: str | None,
                headers: Any) -> bool:
        if self.routes is not None and route not in self.routes:
            return False
        if self.methods is not None and method.upper() not in self.methods:
            return False
        if self.path is not None and not self.path.match(path):
            return False
        if self.tenant is not None and (tenant or "").lower() != self.tenant.lower():
            return False
        if self.namespace is not None and (namespace or "").lower() != self.namespace.lower():
            return False
        for name, pattern in self.headers.items():
            value = headers.get(name)
            if value is None or not pattern.match(value):
                return False
        return True


@dataclass
class Rule:
    index: int
    name: str
    when: When
    trigger: Trigger
    actions: dict[str, Any]
    matched: int = 0
    fired: int = 0
    #: Draws for the trigger (seeded by `when.seed`).
    rng: random.Random = field(default=None, repr=False)  # type: ignore[assignment]
    #: Draws for the actions: delays in a range, reordering (seeded by `reorder.seed`, else `when.seed`).
    action_rng: random.Random = field(default=None, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.reseed()

    def reseed(self) -> None:
        self.rng = self.trigger.new_rng()
        reorder = self.actions.get("reorder")
        seed = reorder.get("seed") if isinstance(reorder, dict) and "seed" in reorder else self.trigger.seed
        self.action_rng = random.Random(seed)

    @property
    def is_http(self) -> bool:
        return any(a in HTTP_ACTIONS for a in self.actions)

    def try_fire(self) -> bool:
        """Count a match; True when the trigger says this one fires."""
        self.matched += 1
        if self.trigger.fires(self.matched, self.rng):
            self.fired += 1
            return True
        return False

    def describe(self) -> dict:
        return {"index": self.index, "name": self.name, "actions": sorted(self.actions),
                "matched": self.matched, "fired": self.fired}


class FaultEngine:
    """The rules of the active scenario, and the state some of them keep (bookmark uses)."""

    def __init__(self, rules: list[Rule] | None = None):
        self.rules = rules or []
        self._bookmark_uses: dict[str, int] = {}

    def for_request(self, route: str, method: str, path: str, tenant: str | None, namespace: str | None,
                    headers: Any) -> "RequestFaults":
        candidates = [r for r in self.rules if r.when.matches(route, method, path, tenant, namespace, headers)]
        return RequestFaults(self, candidates) if candidates else NO_FAULTS

    def count_bookmark_use(self, token: str) -> int:
        uses = self._bookmark_uses.get(token, 0) + 1
        self._bookmark_uses[token] = uses
        return uses

    def reset(self) -> None:
        self._bookmark_uses.clear()
        for rule in self.rules:
            rule.matched = rule.fired = 0
            rule.reseed()


class RequestFaults:
    """The rules matching one request; model actions fire at most once per request, when first asked."""

    def __init__(self, engine: FaultEngine | None, candidates: list[Rule]):
        self._engine = engine
        self._candidates = candidates
        self._decided: dict[int, bool] = {}
        #: Names of the rules that fired on this request, for the journal.
        self.fired: list[str] = []

    def _fires(self, rule: Rule) -> bool:
        if rule.index not in self._decided:
            fired = self._decided[rule.index] = rule.try_fire()
            if fired:
                self.fired.append(rule.name)
        return self._decided[rule.index]

    def _firing(self, action: str) -> list[Rule]:
        return [r for r in self._candidates if action in r.actions and r.when.signup_name is None and self._fires(r)]

    def http_rules(self) -> list[Rule]:
        return [r for r in self._candidates if r.is_http and self._fires(r)]

    def signup_behaviour(self, name: str) -> SignupBehaviour:
        delay, gets, fails = 0.0, 0, False
        expires_at: datetime | None = None
        after = on_request = None
        for rule in self._candidates:
            if not any(a in SIGNUP_ACTIONS for a in rule.actions):
                continue
            if rule.when.signup_name is not None and not rule.when.signup_name.match(name):
                continue
            if not self._fires(rule):
                continue
            spec = rule.actions.get("delay_activation") or {}
            delay, gets = max(delay, spec.get("for", 0.0)), max(gets, spec.get("gets", 0))
            fails = fails or bool(rule.actions.get("fail_activation"))
            expiry = rule.actions.get("expire_signup") or {}
            expires_at = expiry.get("at", expires_at)
            after = expiry.get("after", after)
            on_request = expiry.get("on_request", on_request)
        if not (delay or gets or fails or expires_at or after is not None or on_request):
            return NORMAL
        return SignupBehaviour(delay, gets, fails, expires_at, after, on_request)

    def fails_resource(self, resource_id: str) -> bool:
        for rule in self._firing("fail_resources"):
            spec = rule.actions["fail_resources"]
            if resource_id in spec.get("ids", ()):
                return True
            if spec.get("pattern") is not None and spec["pattern"].match(resource_id):
                return True
            fraction = spec.get("fraction")
            if fraction and random.Random(f"{spec.get('seed', 0)}:{resource_id}").random() < fraction:
                return True
        return False

    def bookmark_ttl(self) -> float | None:
        ttls = [r.actions["bookmark_ttl"] for r in self._firing("bookmark_ttl")]
        return min(ttls) if ttls else None

    def bookmark_use_exceeded(self, token: str) -> bool:
        limits = [r.actions["bookmark_uses"] for r in self._firing("bookmark_uses")]
        if not limits or self._engine is None:
            return False
        return self._engine.count_bookmark_use(token) > min(limits)

    def reorder_rng(self) -> random.Random | None:
        rules = self._firing("reorder")
        return rules[0].action_rng if rules else None


NO_FAULTS = RequestFaults(None, [])

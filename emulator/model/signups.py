"""Signups and their lifecycle (SPEC.md sections 2 and 3), with no HTTP in sight.

Deadlines are timestamps compared lazily: a signup is seen to have expired, or to have finished
its background setup, when someone next looks at it. No background task is needed, so jumping
the emulated clock forward takes effect on the very next request.
"""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from .errors import BadRequest, Conflict, Forbidden, NotFound
from ..settings import Settings
from .identity import Principal

MAX_RESOURCE_ID_LENGTH = 260


class SignupState(str, enum.Enum):
    ACTIVATING = "Activating"
    ACTIVE = "Active"
    EXPIRED = "Expired"
    FAILED = "Failed"


class ResourceFilter(str, enum.Enum):
    ALL = "All"
    ACCESSIBLE = "Accessible"
    INACCESSIBLE = "Inaccessible"

    @classmethod
    def parse(cls, text: str | None) -> "ResourceFilter":
        if text is None:
            return cls.ALL
        for member in cls:
            if member.value.lower() == text.strip().lower():
                return member
        raise BadRequest(f"resourceFilter {text!r} is not one of All, Accessible, Inaccessible.",
                         parameters={"resourceFilter": text})


@dataclass
class Subscription:
    """When a signup followed one resource: change-log intervals [start, end), end None while subscribed."""

    resource_id: str
    intervals: list[list] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return bool(self.intervals) and self.intervals[-1][1] is None


@dataclass
class Signup:
    id: str
    name: str
    owner: Principal
    tenant: str
    community_id: str | None
    created: datetime
    #: When background setup is done and a GET by id may activate the signup.
    ready_at: datetime
    modified: datetime = None  # type: ignore[assignment]
    last_activity: datetime = None  # type: ignore[assignment]
    state: SignupState = SignupState.ACTIVATING
    activated_at: datetime | None = None
    expired_at: datetime | None = None
    #: Position in the namespace's change log from which this signup receives changes.
    start_position: int = 0
    #: Subscribed resource ids, in the order they were added, with the moment each was added.
    resources: dict[str, datetime] = field(default_factory=dict)
    #: Per stream (id folded to lower case, as SDS ids match): what changes this signup receives.
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    #: Set by a scenario: the activation ends in Failed instead of Active.
    fails_activation: bool = False
    #: Set by a scenario: GETs by id that still answer Activating after setup.
    activation_gets: int = 0
    #: Set by a scenario: the signup expires then, whatever its activity.
    forced_expiry: datetime | None = None
    #: Set by a scenario: the signup expires on its Nth request.
    expires_on_request: int | None = None
    #: Requests made on this signup by its owner.
    requests: int = 0

    def __post_init__(self) -> None:
        self.modified = self.modified or self.created
        self.last_activity = self.last_activity or self.created

    def refresh(self, now: datetime, inactivity_expiry: float) -> None:
        """Apply the inactivity deadline (and a scenario's forced expiry); Expired is final."""
        if self.state in (SignupState.ACTIVATING, SignupState.ACTIVE):
            deadline = self.last_activity + timedelta(seconds=inactivity_expiry)
            if self.forced_expiry is not None:
                deadline = min(deadline, self.forced_expiry)
            if self.expires_on_request is not None and self.requests >= self.expires_on_request:
                deadline = min(deadline, now)
            if now >= deadline:
                self.state = SignupState.EXPIRED
                self.expired_at = deadline
                self.modified = deadline

    def subscribe(self, resource_id: str, position: int) -> None:
        """Receive the resource's changes from `position` on."""
        subscription = self.subscriptions.setdefault(resource_id.lower(), Subscription(resource_id))
        if not subscription.open:
            subscription.intervals.append([position, None])

    def unsubscribe(self, resource_id: str, position: int) -> None:
        """Stop at `position`; changes made while subscribed are still delivered."""
        subscription = self.subscriptions.get(resource_id.lower())
        if subscription is not None and subscription.open:
            subscription.intervals[-1][1] = position

    def is_owned_by(self, principal: Principal) -> bool:
        return self.owner.client_id == principal.client_id


def same_community(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


def check_resource_ids(ids: Iterable[str], limit: int) -> list[str]:
    """Unique ids in request order; duplicates count once (SPEC.md section 2)."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > limit:
        raise BadRequest(f"At most {limit} resource ids may be sent in one request; got {len(unique)}.",
                         parameters={"limit": limit})
    return unique


def is_malformed_resource_id(resource_id: str) -> bool:
    return not resource_id.strip() or len(resource_id) > MAX_RESOURCE_ID_LENGTH or any(
        ord(c) < 32 or ord(c) == 127 for c in resource_id)


@dataclass(frozen=True)
class ResourceChange:
    """What a resources request did: ids that could not be removed or added."""

    invalid_to_remove: list[str]
    failed: list[str]

    @property
    def partial(self) -> bool:
        return bool(self.invalid_to_remove or self.failed)


@dataclass(frozen=True)
class SignupBehaviour:
    """How a scenario makes one signup misbehave, decided when it is created."""

    #: Emulated seconds of background setup, when longer than the `activation_delay` setting.
    activation_delay: float = 0.0
    #: GETs by id that still answer Activating once setup is done.
    activation_gets: int = 0
    fails_activation: bool = False
    expires_at: datetime | None = None
    expires_after: float | None = None
    #: The signup is Expired from its Nth request on, whatever its activity.
    expires_on_request: int | None = None


NORMAL = SignupBehaviour()


class SignupRegistry:
    """The signups of one namespace, and every rule about who may do what to them."""

    def __init__(self, tenant: str, settings: Callable[[], Settings]):
        self.tenant = tenant
        self._settings = settings
        self._signups: dict[str, Signup] = {}

    def __len__(self) -> int:
        return len(self._signups)

    def __iter__(self):
        return iter(self._signups.values())

    def visible_to(self, principal: Principal, community: str | None, now: datetime) -> list[Signup]:
        """The caller's own signups of the given community, in creation order. Listing never activates."""
        found = []
        for signup in self._signups.values():
            if signup.is_owned_by(principal) and same_community(signup.community_id, community):
                signup.refresh(now, self._settings().inactivity_expiry)
                found.append(signup)
        return found

    def create(self, principal: Principal, community: str | None, name: str, resource_ids: list[str],
               now: datetime, behaviour: Callable[[str], SignupBehaviour] = lambda name: NORMAL) -> Signup:
        settings = self._settings()
        if not resource_ids:
            raise BadRequest("ResourceIds must hold at least one stream id.", parameters={"ResourceIds": []})
        ids = check_resource_ids(resource_ids, settings.max_resource_ids_per_request)
        malformed = [rid for rid in ids if is_malformed_resource_id(rid)]
        if malformed:
            raise BadRequest("ResourceIds holds ids that are empty, blank, control characters or over "
                             f"{MAX_RESOURCE_ID_LENGTH} characters.", parameters={"ResourceIds": malformed[:10]})
        limit = settings.max_signups_per_namespace
        if len(self._signups) >= limit:
            raise Conflict(f"The namespace already holds the maximum of {limit} signups.",
                           resolution="Delete signups you no longer need.", parameters={"limit": limit})
        odd = behaviour(name)
        signup = Signup(
            id=str(uuid.uuid4()),
            name=name,
            owner=principal,
            tenant=self.tenant,
            community_id=community,
            created=now,
            ready_at=now + timedelta(seconds=max(settings.activation_delay, odd.activation_delay)),
            resources={rid: now for rid in ids},
            activation_gets=odd.activation_gets,
            fails_activation=odd.fails_activation,
            forced_expiry=odd.expires_at or (now + timedelta(seconds=odd.expires_after)
                                             if odd.expires_after is not None else None),
            expires_on_request=odd.expires_on_request,
        )
        self._signups[signup.id] = signup
        return signup

    def access(self, signup_id: str, principal: Principal, community: str | None, now: datetime) -> Signup:
        """The signup, if the caller may use it; counts as activity, after the expiry check."""
        signup = self._signups.get(signup_id)
        if signup is None:
            raise NotFound(f"Signup {signup_id!r} was not found.", parameters={"signupId": signup_id})
        if not signup.is_owned_by(principal):
            raise Forbidden("Only the owner of a signup may use it.", parameters={"signupId": signup_id})
        if not same_community(signup.community_id, community):
            raise Forbidden("The Community-Id header does not match the community of the signup.",
                            resolution="Send the Community-Id the signup was created with (or none, if it had none).",
                            parameters={"signupId": signup_id})
        signup.requests += 1
        signup.refresh(now, self._settings().inactivity_expiry)
        signup.last_activity = now
        return signup

    def activate_if_ready(self, signup: Signup, now: datetime, position: int) -> None:
        """The effect of GET by id: an Activating signup whose setup is done becomes Active (or Failed).

        Only changes from the activation on (change-log `position`) reach the signup.
        """
        if signup.state is SignupState.ACTIVATING and now >= signup.ready_at:
            signup.activation_gets -= 1
            if signup.activation_gets >= 0:
                return
            signup.state = SignupState.FAILED if signup.fails_activation else SignupState.ACTIVE
            signup.modified = now
            if signup.state is SignupState.ACTIVE:
                signup.activated_at = now
                signup.start_position = position
                for resource_id in signup.resources:
                    signup.subscribe(resource_id, position)

    def rename(self, signup: Signup, name: str, now: datetime) -> None:
        if not name.strip():
            raise BadRequest("Name must not be empty.", parameters={"Name": name})
        signup.name = name
        signup.modified = now

    def restore(self, signup: Signup) -> None:
        """Put back a signup read from a snapshot."""
        if signup.id in self._signups:
            raise ValueError(f"signup {signup.id!r} twice")
        self._signups[signup.id] = signup

    def delete(self, signup: Signup) -> None:
        del self._signups[signup.id]

    def change_resources(self, signup: Signup, to_add: list[str], to_remove: list[str], now: datetime, position: int,
                         fails: Callable[[str], bool] = lambda rid: False) -> ResourceChange:
        """Adds and removes take effect at change-log `position`: from this moment on."""
        if signup.state is not SignupState.ACTIVE:
            raise BadRequest(f"Resources can only be changed on an Active signup; this one is {signup.state.value}.",
                             parameters={"signupState": signup.state.value})
        limit = self._settings().max_resource_ids_per_request
        adds = check_resource_ids(to_add, limit)
        removes = check_resource_ids(to_remove, limit)
        both = sorted(set(adds) & set(removes))
        if both:
            raise BadRequest("The same id cannot be both added and removed in one request.",
                             parameters={"resourceIds": both[:10]})
        failed = [rid for rid in adds if is_malformed_resource_id(rid) or fails(rid)]
        invalid = [rid for rid in removes if rid not in signup.resources]
        failed += [rid for rid in removes if rid in signup.resources and fails(rid)]
        changed = False
        for rid in adds:
            if rid not in failed and rid not in signup.resources:
                signup.resources[rid] = now
                signup.subscribe(rid, position)
                changed = True
        for rid in removes:
            if rid in signup.resources and rid not in failed:
                del signup.resources[rid]
                if not any(other.lower() == rid.lower() for other in signup.resources):
                    signup.unsubscribe(rid, position)
                changed = True
        if changed:
            signup.modified = now
        return ResourceChange(invalid, failed)


def page(items: list, skip: int, count: int) -> list:
    return items[skip: skip + count]

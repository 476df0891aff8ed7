"""One namespace of one tenant: the unit of isolation for signups, SDS data and change data.

Rules that need more than one part (is a resource accessible, where does a signup's change data
start, what does a write put in the change log) live here, where signups meet streams and the log.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Iterable

from ..settings import Settings
from .bookmarks import BookmarkCodec, expired
from .changelog import ChangeLog, Operation
from .errors import BadRequest
from .faults import NO_FAULTS, RequestFaults
from .identity import Principal
from .sds.streams import Stream, StreamRegistry, type_id_of
from .sds.types import SdsType, TypeRegistry, parse_type
from .signups import ResourceChange, ResourceFilter, Signup, SignupRegistry, SignupState
from .updates import Page, next_page, reorder

#: Decides whether a client may read a stream (a scenario can deny reads); everyone may by default.
ReadRule = Callable[[Principal, str], bool]


def _everyone_reads(principal: Principal, stream_id: str) -> bool:
    return True


class Namespace:
    def __init__(self, tenant: str, namespace_id: str, settings: Callable[[], Settings], bookmarks: BookmarkCodec,
                 may_read: ReadRule = _everyone_reads):
        """`settings` is read on every use, so a scenario swapped in at run time takes effect at once."""
        self.tenant = tenant
        self.id = namespace_id
        self._settings = settings
        self._bookmarks = bookmarks
        self.may_read = may_read
        self.signups = SignupRegistry(tenant, settings)
        self.types = TypeRegistry()
        self.streams = StreamRegistry()
        self.log = ChangeLog(lambda: settings().retention)

    # -- SDS ---------------------------------------------------------------------------------
    def get_or_create_type(self, type_id: str, body: Any, now: datetime) -> tuple[SdsType, bool]:
        return self.types.get_or_create(parse_type(type_id, body, now))

    def delete_type(self, type_id: str) -> None:
        self.types.delete(type_id, self.streams.uses)

    def get_or_create_stream(self, stream_id: str, body: Any, now: datetime) -> tuple[Stream, bool]:
        sds_type = self.types.get(type_id_of(body))
        return self.streams.get_or_create(stream_id, body, sds_type, now, self.log.next_position)

    def create_or_update_stream(self, stream_id: str, body: Any, now: datetime) -> Stream:
        sds_type = self.types.get(type_id_of(body))
        return self.streams.create_or_update(stream_id, body, sds_type, now, self.log.next_position)

    def delete_stream(self, stream_id: str) -> None:
        """Its resources become inaccessible in every signup; its data and undelivered changes are gone."""
        self.streams.delete(stream_id)

    def write(self, stream_id: str, operation: Operation, body: Any, now: datetime) -> None:
        """One data write request: applied all or nothing, then one change in the log."""
        stream = self.streams.get(stream_id)
        if operation is Operation.INSERT:
            events = stream.insert(body)
        elif operation is Operation.UPDATE:
            events = stream.upsert(body)
        elif operation is Operation.REPLACE:
            events = stream.replace(body)
        else:
            raise ValueError(operation)
        if events:
            self.log.append(stream.id.lower(), operation, events, now)

    def remove(self, stream_id: str, indexes: Iterable[str], now: datetime) -> None:
        stream = self.streams.get(stream_id)
        events = stream.remove(indexes)
        self.log.append(stream.id.lower(), Operation.REMOVE, events, now)

    def remove_window(self, stream_id: str, start: str, end: str, now: datetime) -> None:
        stream = self.streams.get(stream_id)
        events = stream.remove_window(start, end)
        self.log.append(stream.id.lower(), Operation.REMOVE_WINDOW, events, now)

    # -- resources ---------------------------------------------------------------------------
    def _accessible_since(self, owner: Principal) -> Callable[[str], int | None]:
        def since(stream_key: str) -> int | None:
            stream = self.streams.find(stream_key)
            if stream is None or not self.may_read(owner, stream.id):
                return None
            return stream.since_position
        return since

    def is_accessible(self, resource_id: str, owner: Principal) -> bool:
        """Evaluated live: the stream exists now and the owner may read it."""
        stream = self.streams.find(resource_id)
        return stream is not None and self.may_read(owner, stream.id)

    def signup_resources(self, signup: Signup, wanted: ResourceFilter) -> list[tuple[str, bool]]:
        listed = [(rid, self.is_accessible(rid, signup.owner)) for rid in signup.resources]
        if wanted is ResourceFilter.ACCESSIBLE:
            return [r for r in listed if r[1]]
        if wanted is ResourceFilter.INACCESSIBLE:
            return [r for r in listed if not r[1]]
        return listed

    def change_resources(self, signup: Signup, to_add: list[str], to_remove: list[str], now: datetime,
                         faults: RequestFaults = NO_FAULTS) -> ResourceChange:
        return self.signups.change_resources(signup, to_add, to_remove, now, self.log.next_position,
                                             faults.fails_resource)

    # -- signups and updates -----------------------------------------------------------------
    def create_signup(self, principal: Principal, community: str | None, name: str, resource_ids: list[str],
                      now: datetime, faults: RequestFaults = NO_FAULTS) -> Signup:
        return self.signups.create(principal, community, name, resource_ids, now, faults.signup_behaviour)

    def access_signup(self, signup_id: str, principal: Principal, community: str | None, now: datetime) -> Signup:
        return self.signups.access(signup_id, principal, community, now)

    def _bookmark(self, signup: Signup, position: int, offset: int, now: datetime, faults: RequestFaults) -> str:
        ttl = faults.bookmark_ttl()
        return self._bookmarks.issue(signup.id, position, offset, now,
                                     ttl if ttl is not None else self._settings().bookmark_ttl)

    def get_signup(self, signup_id: str, principal: Principal, community: str | None, now: datetime,
                   faults: RequestFaults = NO_FAULTS) -> tuple[Signup, str]:
        """GET by id: may activate the signup; an Active one comes with a fresh starter bookmark."""
        signup = self.access_signup(signup_id, principal, community, now)
        self.signups.activate_if_ready(signup, now, self.log.next_position)
        if signup.state is not SignupState.ACTIVE:
            return signup, ""
        self.log.trim(now)
        start = max(signup.start_position, self.log.first_position)
        return signup, self._bookmark(signup, start, 0, now, faults)

    def updates(self, signup: Signup, token: str | None, now: datetime,
                faults: RequestFaults = NO_FAULTS) -> tuple[Page, str]:
        if signup.state is not SignupState.ACTIVE:
            raise BadRequest(f"Updates are only available for an Active signup; this one is {signup.state.value}.",
                             parameters={"signupState": signup.state.value})
        bookmark = self._bookmarks.decode(token, signup_id=signup.id, now=now)
        if faults.bookmark_use_exceeded(token or ""):
            raise expired()
        self.log.trim(now)
        page = next_page(self.log, signup, self._accessible_since(signup.owner), bookmark.position, bookmark.offset,
                         self._settings().page_size)
        rng = faults.reorder_rng()
        if rng is not None:
            page = reorder(page, rng)
        return page, self._bookmark(signup, page.position, page.offset, now, faults)

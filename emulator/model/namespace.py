"""One namespace of one tenant: the unit of isolation for signups, SDS data and change data.

Rules that need more than the signups alone (is a resource accessible, where does a signup's
change data start) live here, where the signups meet the streams and the change log.
"""
from __future__ import annotations

from datetime import datetime

from ..settings import Settings
from .bookmarks import Bookmark, BookmarkCodec
from .identity import Principal
from .signups import ResourceChange, ResourceFilter, Signup, SignupRegistry


class Namespace:
    def __init__(self, tenant: str, namespace_id: str, settings: Settings, bookmarks: BookmarkCodec):
        self.tenant = tenant
        self.id = namespace_id
        self.settings = settings
        self._bookmarks = bookmarks
        self.signups = SignupRegistry(
            tenant,
            limit=settings.max_signups_per_namespace,
            inactivity_expiry=settings.inactivity_expiry,
            activation_delay=settings.activation_delay,
            max_ids_per_request=settings.max_resource_ids_per_request,
        )
        #: Position the next change will get; the change log takes this over in the Updates issue.
        self.next_position = 0

    # -- resources -------------------------------------------------------------------------
    def stream_exists(self, stream_id: str) -> bool:
        return False

    def is_accessible(self, resource_id: str, owner: Principal) -> bool:
        """Evaluated live: the stream exists now and the owner may read it."""
        return self.stream_exists(resource_id)

    def signup_resources(self, signup: Signup, wanted: ResourceFilter) -> list[tuple[str, bool]]:
        listed = [(rid, self.is_accessible(rid, signup.owner)) for rid in signup.resources]
        if wanted is ResourceFilter.ACCESSIBLE:
            return [r for r in listed if r[1]]
        if wanted is ResourceFilter.INACCESSIBLE:
            return [r for r in listed if not r[1]]
        return listed

    def change_resources(self, signup: Signup, to_add: list[str], to_remove: list[str], now: datetime) -> ResourceChange:
        return self.signups.change_resources(signup, to_add, to_remove, now)

    # -- signups ---------------------------------------------------------------------------
    def access_signup(self, signup_id: str, principal: Principal, community: str | None, now: datetime) -> Signup:
        return self.signups.access(signup_id, principal, community, now)

    def activation_position(self) -> int:
        return self.next_position

    def starter_bookmark(self, signup: Signup, now: datetime) -> str:
        """A fresh bookmark at the activation moment (or the oldest change still retained)."""
        return self._bookmarks.encode(Bookmark(signup.id, signup.start_position, now))

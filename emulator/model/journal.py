"""A bounded journal of the requests the emulator served, with the fault rules that touched each."""
from __future__ import annotations

import fnmatch
from collections import deque
from datetime import datetime
from typing import Any

from ..formats import format_date

#: (emulated time, method, path, query, route, status or None when dropped, real ms, fault names)
Entry = tuple[datetime, str, str, str, str, "int | None", float, tuple[str, ...]]


def journal_entry(entry: Entry) -> dict[str, Any]:
    when, method, path, query, route, status, ms, faults = entry
    return {"time": format_date(when), "method": method, "path": path, "query": query, "route": route,
            "status": status, "ms": ms, "faults": list(faults)}


class Journal:
    """Entries are kept as tuples and turned into dicts only when someone asks, off the hot path."""

    def __init__(self, size: int):
        self._entries: deque[Entry] = deque(maxlen=size)

    def resize(self, size: int) -> None:
        if size != self._entries.maxlen:
            self._entries = deque(self._entries, maxlen=size)

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()

    def query(self, *, method: str | None = None, path: str | None = None, status: int | None = None,
              route: str | None = None) -> list[dict[str, Any]]:
        """Entries oldest first; `path` is a substring or a shell pattern (`*/updates`)."""
        found = []
        for entry in self._entries:
            _, entry_method, entry_path, _, entry_route, entry_status, _, _ = entry
            if method is not None and entry_method != method.upper():
                continue
            if status is not None and entry_status != status:
                continue
            if route is not None and entry_route != route:
                continue
            if path is not None and path.lower() not in entry_path.lower() and not fnmatch.fnmatch(
                    entry_path.lower(), path.lower()):
                continue
            found.append(journal_entry(entry))
        return found

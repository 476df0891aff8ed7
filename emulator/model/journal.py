"""A bounded journal of the requests the emulator served, with the fault rules that touched each."""
from __future__ import annotations

import fnmatch
from collections import deque
from typing import Any


class Journal:
    def __init__(self, size: int):
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)

    def resize(self, size: int) -> None:
        if size != self._entries.maxlen:
            self._entries = deque(self._entries, maxlen=size)

    def record(self, entry: dict[str, Any]) -> None:
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()

    def query(self, *, method: str | None = None, path: str | None = None, status: int | None = None,
              route: str | None = None) -> list[dict[str, Any]]:
        """Entries oldest first; `path` is a substring or a shell pattern (`*/updates`)."""
        found = []
        for entry in self._entries:
            if method is not None and entry["method"] != method.upper():
                continue
            if status is not None and entry["status"] != status:
                continue
            if route is not None and entry["route"] != route:
                continue
            if path is not None and path.lower() not in entry["path"].lower() and not fnmatch.fnmatch(
                    entry["path"].lower(), path.lower()):
                continue
            found.append(entry)
        return found

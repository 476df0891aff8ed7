"""The change log of one namespace: every data write on a stream, in write order, for `retention`.

Stored column by column (stream, operation, time, events as JSON text), because the log is the
emulator's largest structure: about 150 bytes per single-event change instead of the ~600 a
list of objects would take. A per-stream array of positions lets the Updates route jump straight
to the changes of the streams a signup follows, so a poll costs in proportion to what it returns,
not to the history behind it.
"""
from __future__ import annotations

import bisect
import enum
import json
from array import array
from datetime import datetime
from typing import Callable, Iterator

from ..formats import dumps
from .signing import to_micros

_COMPACT_AFTER = 4096


class Operation(str, enum.Enum):
    INSERT = "Insert"
    UPDATE = "Update"
    REPLACE = "Replace"
    REMOVE = "Remove"
    REMOVE_WINDOW = "RemoveWindow"


class _StreamPositions:
    __slots__ = ("positions", "head")

    def __init__(self) -> None:
        self.positions = array("q")
        self.head = 0

    def compact(self) -> None:
        if self.head > _COMPACT_AFTER and self.head * 2 > len(self.positions):
            del self.positions[: self.head]
            self.head = 0


class ChangeLog:
    def __init__(self, retention: Callable[[], float]):
        self._retention = retention
        #: Position of the entry at index 0 of the columns.
        self._offset = 0
        #: Index of the oldest retained entry.
        self._head = 0
        self._streams: list[str] = []
        self._operations: list[Operation] = []
        self._times = array("q")
        self._payloads: list[bytes] = []
        self._counts = array("l")
        self._by_stream: dict[str, _StreamPositions] = {}

    @property
    def first_position(self) -> int:
        """Position of the oldest retained change (== next_position when the log is empty)."""
        return self._offset + self._head

    @property
    def next_position(self) -> int:
        return self._offset + len(self._streams)

    def __len__(self) -> int:
        return len(self._streams) - self._head

    def append(self, stream_key: str, operation: Operation, events: list, now: datetime) -> int:
        self.trim(now)
        return self._add(stream_key, operation, to_micros(now), events)

    def _add(self, stream_key: str, operation: Operation, micros: int, events: list) -> int:
        position = self.next_position
        self._streams.append(stream_key)
        self._operations.append(operation)
        self._times.append(micros)
        self._payloads.append(dumps(events))
        self._counts.append(len(events))
        positions = self._by_stream.get(stream_key)
        if positions is None:
            positions = self._by_stream[stream_key] = _StreamPositions()
        positions.positions.append(position)
        return position

    def export(self) -> dict:
        """The retained changes: the first one's position and (stream, operation, time, events) of each."""
        return {"offset": self.first_position, "entries": [
            [self._streams[i], self._operations[i].value, self._times[i], json.loads(self._payloads[i])]
            for i in range(self._head, len(self._streams))]}

    def load(self, offset: int, entries: list[tuple[str, Operation, int, list]]) -> None:
        """Fill an empty log with exported entries, keeping their positions."""
        if self._streams or offset < 0:
            raise ValueError("a log is loaded once, at a position from 0")
        self._offset = offset
        for stream_key, operation, micros, events in entries:
            self._add(stream_key, operation, micros, events)

    def trim(self, now: datetime) -> None:
        """Forget changes older than the retention period."""
        cutoff = to_micros(now) - int(self._retention() * 1_000_000)
        times, streams, size = self._times, self._streams, len(self._streams)
        head = self._head
        while head < size and times[head] <= cutoff:
            positions = self._by_stream[streams[head]]
            positions.head += 1
            if positions.head == len(positions.positions):
                del self._by_stream[streams[head]]
            else:
                positions.compact()
            head += 1
        self._head = head
        if head > _COMPACT_AFTER and head * 2 > size:
            for column in (self._streams, self._operations, self._times, self._payloads, self._counts):
                del column[:head]
            self._offset += head
            self._head = 0

    def positions(self, stream_key: str, start: int, end: int | None) -> Iterator[int]:
        """Positions of one stream's retained changes in [start, end)."""
        found = self._by_stream.get(stream_key)
        if found is None:
            return
        positions = found.positions
        index = bisect.bisect_left(positions, start, found.head)
        size = len(positions)
        while index < size:
            position = positions[index]
            if end is not None and position >= end:
                return
            yield position
            index += 1

    def entry(self, position: int) -> tuple[Operation, bytes, int]:
        index = position - self._offset
        return self._operations[index], self._payloads[index], self._counts[index]

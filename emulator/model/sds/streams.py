"""SdsStreams and their events, kept in index order; every write is all or nothing."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from ..errors import BadRequest, Conflict, NotFound
from .typecodes import ValueKindError, check_value, index_from_text, index_value
from .types import SdsType, check_sds_id

INDEX_SEPARATOR = "|"


def _canonical(body: dict[str, Any]) -> tuple:
    folded = {str(k).lower(): v for k, v in body.items()}
    return (str(folded.get("id", "")).lower(), folded.get("name"), folded.get("description"),
            str(folded.get("typeid", "")).lower(), repr(folded.get("indexes")))


@dataclass
class Stream:
    id: str
    type: SdsType
    body: dict[str, Any]
    created: datetime
    #: Change-log position at which this stream (this incarnation of its id) came into being.
    since_position: int
    modified: datetime | None = None
    _keys: list = field(default_factory=list, repr=False)
    _events: dict = field(default_factory=dict, repr=False)

    # -- events --------------------------------------------------------------------------
    def _key(self, event: Any, number: int) -> tuple:
        if not isinstance(event, dict):
            raise BadRequest(f"Event {number} is not a JSON object.", parameters={"event": number})
        folded = {str(k).lower(): k for k in event}
        key = []
        for prop in self.type.keys:
            name = folded.get(prop.id.lower())
            if name is None or event[name] is None:
                raise BadRequest(f"Event {number} has no value for the key property {prop.id!r}.",
                                 parameters={"event": number, "property": prop.id})
            try:
                key.append(index_value(prop.code, event[name]))
            except ValueKindError as exc:
                raise BadRequest(f"Event {number}: the key property {prop.id!r} must be {exc}; got {event[name]!r}.",
                                 parameters={"event": number, "property": prop.id}) from None
        for name, value in event.items():
            prop = self.type.property(str(name))
            if prop is None:
                continue
            try:
                check_value(prop.code, value)
            except ValueKindError as exc:
                raise BadRequest(f"Event {number}: property {prop.id!r} must be {exc}; got {value!r}.",
                                 parameters={"event": number, "property": prop.id}) from None
        return tuple(key)

    def _keyed(self, events: Any) -> list[tuple[tuple, dict]]:
        if not isinstance(events, list):
            raise BadRequest("The body must be a JSON array of events.")
        return [(self._key(event, number), event) for number, event in enumerate(events)]

    def _index(self, text: str) -> tuple[tuple, dict[str, Any]]:
        """An index from a query string (compound indexes joined with `|`), and its JSON form."""
        parts = text.split(INDEX_SEPARATOR) if len(self.type.keys) > 1 else [text]
        if len(parts) != len(self.type.keys):
            raise BadRequest(f"The index {text!r} needs {len(self.type.keys)} parts separated by '|'.",
                             parameters={"index": text})
        key, shown = [], {}
        for prop, part in zip(self.type.keys, parts):
            try:
                value, json_value = index_from_text(prop.code, part)
            except ValueKindError as exc:
                raise BadRequest(f"The index {part!r} must be {exc}.", parameters={"index": text}) from None
            key.append(value)
            shown[prop.id] = json_value
        return tuple(key), shown

    def insert(self, events: Any) -> list[dict]:
        keyed = self._keyed(events)
        seen: set = set()
        for key, event in keyed:
            if key in self._events or key in seen:
                raise Conflict(f"An event already exists at the index of event {len(seen)} in stream {self.id!r}.",
                               parameters={"streamId": self.id, "event": len(seen)})
            seen.add(key)
        self._store(keyed)
        return [event for _, event in keyed]

    def upsert(self, events: Any) -> list[dict]:
        keyed = self._keyed(events)
        self._store(keyed)
        return [event for _, event in keyed]

    def replace(self, events: Any) -> list[dict]:
        keyed = self._keyed(events)
        for number, (key, _) in enumerate(keyed):
            if key not in self._events:
                raise NotFound(f"No event exists at the index of event {number} in stream {self.id!r}; "
                               "replace does not create events.", parameters={"streamId": self.id, "event": number})
        self._store(keyed)
        return [event for _, event in keyed]

    def remove(self, index_texts: Iterable[str]) -> list[dict]:
        keys = []
        for text in index_texts:
            key, _ = self._index(text)
            if key not in self._events:
                raise NotFound(f"No event exists at index {text!r} in stream {self.id!r}.",
                               parameters={"streamId": self.id, "index": text})
            keys.append(key)
        removed = []
        for key in dict.fromkeys(keys):
            event = self._events.pop(key)
            del self._keys[bisect.bisect_left(self._keys, key)]
            removed.append(self._index_only(event))
        return removed

    def remove_window(self, start_text: str, end_text: str) -> list[dict]:
        start, start_shown = self._index(start_text)
        end, end_shown = self._index(end_text)
        low, high = bisect.bisect_left(self._keys, start), bisect.bisect_right(self._keys, end)
        if low < high:
            for key in self._keys[low:high]:
                del self._events[key]
            del self._keys[low:high]
        return [start_shown, end_shown]

    def _index_only(self, event: dict) -> dict:
        folded = {str(k).lower(): k for k in event}
        return {folded[p.id.lower()]: event[folded[p.id.lower()]] for p in self.type.keys}

    def _store(self, keyed: list[tuple[tuple, dict]]) -> None:
        for key, event in keyed:
            if key not in self._events:
                bisect.insort(self._keys, key)
            self._events[key] = event

    # -- reads -----------------------------------------------------------------------------
    def window(self, start_text: str, end_text: str, count: int | None) -> list[dict]:
        start, _ = self._index(start_text)
        end, _ = self._index(end_text)
        low, high = bisect.bisect_left(self._keys, start), bisect.bisect_right(self._keys, end)
        if count is not None:
            high = min(high, low + count)
        return [self._events[key] for key in self._keys[low:high]]

    def window_page(self, start_text: str, end_text: str, count: int, after: list | None) -> tuple[list[dict], list | None]:
        """One page of a window: up to `count` events after the key `after`, and the key to continue after
        (None when the window is exhausted)."""
        start, _ = self._index(start_text)
        end, _ = self._index(end_text)
        low = bisect.bisect_left(self._keys, start)
        if after is not None:
            try:
                low = max(low, bisect.bisect_right(self._keys, tuple(after)))
            except TypeError:
                raise BadRequest("The continuation token does not belong to this stream.",
                                 parameters={"continuationToken": "invalid"}) from None
        high = bisect.bisect_right(self._keys, end)
        keys = self._keys[low: min(high, low + count)]
        more = low + count < high
        return [self._events[key] for key in keys], (list(keys[-1]) if more and keys else None)

    def at(self, index_texts: Iterable[str]) -> list[dict]:
        found = []
        for text in index_texts:
            key, _ = self._index(text)
            if key in self._events:
                found.append(self._events[key])
        return found

    def window_all(self) -> list[dict]:
        """Every event, in index order."""
        return [self._events[key] for key in self._keys]

    def first(self) -> dict | None:
        return self._events[self._keys[0]] if self._keys else None

    def last(self) -> dict | None:
        return self._events[self._keys[-1]] if self._keys else None

    @property
    def event_count(self) -> int:
        return len(self._keys)


class StreamRegistry:
    def __init__(self) -> None:
        self._streams: dict[str, Stream] = {}

    def find(self, stream_id: str) -> Stream | None:
        return self._streams.get(stream_id.lower())

    def get(self, stream_id: str) -> Stream:
        found = self.find(stream_id)
        if found is None:
            raise NotFound(f"Stream {stream_id!r} was not found.", parameters={"streamId": stream_id})
        return found

    def all(self) -> list[Stream]:
        return list(self._streams.values())

    def search(self, term: str | None) -> list[Stream]:
        """Streams whose id or name holds the term (SDS search, simplified: `*` is ignored)."""
        term = (term or "").strip().strip("*").lower()
        if not term:
            return self.all()
        return [s for s in self._streams.values()
                if term in s.id.lower() or term in str(s.body.get("Name", "")).lower()]

    def uses(self, sds_type: SdsType) -> bool:
        return self.count_using(sds_type) > 0

    def count_using(self, sds_type: SdsType) -> int:
        return sum(1 for s in self._streams.values() if s.type is sds_type)

    def get_or_create(self, stream_id: str, body: Any, sds_type: SdsType, now: datetime, position: int) -> tuple[Stream, bool]:
        normalised = _stream_body(stream_id, body, sds_type)
        existing = self.find(stream_id)
        if existing is None:
            stream = self._streams[stream_id.lower()] = Stream(stream_id, sds_type, normalised, now, position)
            return stream, True
        if _canonical(existing.body) != _canonical(normalised):
            raise Conflict(f"A different stream with id {stream_id!r} already exists.", parameters={"streamId": stream_id})
        return existing, False

    def create_or_update(self, stream_id: str, body: Any, sds_type: SdsType, now: datetime, position: int) -> Stream:
        normalised = _stream_body(stream_id, body, sds_type)
        existing = self.find(stream_id)
        if existing is None:
            stream = self._streams[stream_id.lower()] = Stream(stream_id, sds_type, normalised, now, position)
            return stream
        if existing.type is not sds_type and existing.event_count:
            raise BadRequest(f"Stream {stream_id!r} holds data; its type cannot change.",
                             parameters={"streamId": stream_id})
        existing.body, existing.type, existing.modified = normalised, sds_type, now
        return existing

    def delete(self, stream_id: str) -> Stream:
        stream = self.get(stream_id)
        del self._streams[stream_id.lower()]
        return stream


def _stream_body(stream_id: str, body: Any, sds_type: SdsType) -> dict[str, Any]:
    check_sds_id("stream", stream_id)
    if not isinstance(body, dict):
        raise BadRequest("The stream must be a JSON object.")
    folded = {str(k).lower(): k for k in body}
    given = body.get(folded.get("id", "Id"))
    if given is not None and (not isinstance(given, str) or given.lower() != stream_id.lower()):
        raise BadRequest(f"The stream's Id {given!r} does not match the id in the URL {stream_id!r}.",
                         parameters={"Id": str(given)})
    for key in ("name", "description"):
        value = body.get(folded.get(key, key))
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"The stream's {key.title()} must be a string.")
    out = {k: v for k, v in body.items() if k.lower() not in ("createddate", "modifieddate")}
    out[folded.get("id", "Id")] = stream_id
    out[folded.get("typeid", "TypeId")] = sds_type.id
    out.setdefault(folded.get("name", "Name"), stream_id)
    return out


def type_id_of(body: Any) -> str:
    if not isinstance(body, dict):
        raise BadRequest("The stream must be a JSON object.")
    type_id = next((v for k, v in body.items() if str(k).lower() == "typeid"), None)
    if not isinstance(type_id, str) or not type_id.strip():
        raise BadRequest("The stream needs a TypeId.", parameters={"TypeId": None})
    return type_id

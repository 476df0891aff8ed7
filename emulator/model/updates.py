"""One page of updates for a signup: the changes of its accessible streams after a bookmark, in write order.

A k-way merge over the per-stream position lists of the change log, bounded by each resource's
subscription intervals and by the stream's current incarnation, stops as soon as the page holds
`page_size` events. A change bigger than the room left is split, and the next bookmark points
into its middle, so nothing is lost or repeated across pages.
"""
from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from typing import Callable

from ..formats import dumps
from .changelog import ChangeLog, Operation
from .signups import Signup


@dataclass(frozen=True)
class Item:
    resource_id: str
    operation: Operation
    #: The events as a JSON array, ready to be written out.
    events: bytes


@dataclass(frozen=True)
class Page:
    items: list[Item]
    position: int
    offset: int


def next_page(log: ChangeLog, signup: Signup, since_of: Callable[[str], int | None], position: int, offset: int,
              page_size: int) -> Page:
    """`since_of(stream_key)` is the position from which a stream is accessible, or None when it is not."""
    if position < log.first_position:
        position, offset = log.first_position, 0
    heap: list = []  # (position, unique tiebreak, position iterator, resource id)
    for key, subscription in signup.subscriptions.items():
        since = since_of(key)
        if since is None:
            continue
        low = max(position, since)
        for start, end in subscription.intervals:
            if end is not None and end <= low:
                continue
            found = log.positions(key, max(start, low), end)
            first = next(found, None)
            if first is not None:
                heap.append((first, len(heap), found, subscription.resource_id))
    heapq.heapify(heap)
    items: list[Item] = []
    room = page_size
    while heap and room > 0:
        at, order, found, resource_id = heap[0]
        operation, payload, count = log.entry(at)
        skip = offset if at == position else 0
        if skip == 0 and count <= room:
            items.append(Item(resource_id, operation, payload))
            room -= count
        else:
            events = json.loads(payload)[skip: skip + room]
            items.append(Item(resource_id, operation, dumps(events)))
            room -= len(events)
            if skip + len(events) < count:
                return Page(items, at, skip + len(events))
        following = next(found, None)
        if following is None:
            heapq.heappop(heap)
        else:
            heapq.heapreplace(heap, (following, order, found, resource_id))
    if heap:
        return Page(items, heap[0][0], 0)
    return Page(items, max(log.next_position, position), 0)


def reorder(page: Page, rng) -> Page:
    """Interleave streams differently from write order, keeping each stream's own order.

    The real service does not promise an order across streams; a scenario uses this so that
    consumers which rely on one are caught in tests.
    """
    queues: dict[str, list[Item]] = {}
    for item in page.items:
        queues.setdefault(item.resource_id.lower(), []).append(item)
    draws = [key for key, items in queues.items() for _ in items]
    rng.shuffle(draws)
    positions = {key: 0 for key in queues}
    shuffled = []
    for key in draws:
        shuffled.append(queues[key][positions[key]])
        positions[key] += 1
    return Page(shuffled, page.position, page.offset)

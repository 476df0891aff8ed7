"""How a GET of updates scales with the history behind it, and what the change log costs in memory.

Fills one namespace's change log with 10^3, 10^5 and 10^6 single-event changes spread over 1,000
streams (each write is an SDS update of one event), with one signup following 10 of them, then
times GETs of updates that return a page of the same size whatever the history. Each size runs in
its own process so memory readings do not mix. A bare aiohttp handler serving the same bytes is
measured in the same run as the ceiling for the HTTP column.

    python bench/updates.py            # 10^3, 10^5, 10^6
    python bench/updates.py --quick    # 10^3, 10^4, 10^5
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STREAMS = 1000
FOLLOWED = 10
PAGE = 10
SAMPLES = 200


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


async def measure(size: int) -> dict:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from emulator import create_app
    from emulator.api.context import EMULATOR
    from emulator.clock import VirtualClock
    from emulator.model.changelog import Operation
    from emulator.model.identity import Principal
    from emulator.model.updates import next_page

    clock = VirtualClock(start=datetime(2026, 1, 1, tzinfo=timezone.utc), frozen=True)
    app = create_app({"page_size": PAGE, "retention": "30d", "bookmark_ttl": "30d"}, clock=clock)
    emulator = app[EMULATOR]
    namespace = emulator.namespace("t", "n")
    now = clock.now()
    namespace.get_or_create_type("T", {"Id": "T", "SdsTypeCode": "Object", "Properties": [
        {"Id": "Timestamp", "IsKey": True, "SdsType": {"SdsTypeCode": "DateTime"}},
        {"Id": "Value", "SdsType": {"SdsTypeCode": "Double"}}]}, now)
    for i in range(STREAMS):
        namespace.get_or_create_stream(f"s{i}", {"Id": f"s{i}", "TypeId": "T"}, now)
    owner = Principal("bench", None)
    signup = namespace.signups.create(owner, None, "bench", [f"s{i}" for i in range(0, STREAMS, STREAMS // FOLLOWED)], now)
    namespace.get_signup(signup.id, owner, None, now)

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    stamps = [f"2026-01-01T00:00:{s:02d}Z" for s in range(10)]
    for n in range(size):
        namespace.write(f"s{n % STREAMS}", Operation.UPDATE, [{"Timestamp": stamps[n // STREAMS % 10], "Value": n}], now)
    fill = time.perf_counter() - started
    gc.collect()
    grown = rss_mb() - before

    # A bookmark PAGE relevant changes before the end: the page returned is full whatever the size.
    relevant = sorted(p for key in signup.subscriptions for p in namespace.log.positions(key, 0, None))
    middle = relevant[-PAGE]
    token = emulator.bookmarks.issue(signup.id, middle, 0, now, 3600)
    since = namespace._accessible_since(owner)

    model_times = []
    for _ in range(SAMPLES):
        t0 = time.perf_counter()
        page = next_page(namespace.log, signup, since, middle, 0, PAGE)
        model_times.append(time.perf_counter() - t0)
    returned = len(page.items)

    url = f"/api/v1/tenants/t/namespaces/n/signups/{signup.id}/updates"
    headers = {"Authorization": "Bearer bench"}
    http_times, body = [], b""
    async with TestClient(TestServer(app)) as client:
        for _ in range(SAMPLES):
            t0 = time.perf_counter()
            response = await client.get(url, params={"bookmark": token}, headers=headers)
            body = await response.read()
            http_times.append(time.perf_counter() - t0)
        assert response.status == 200, body

    bare = web.Application()
    bare.router.add_get("/bare", lambda request: web.Response(body=body, content_type="application/json"))
    bare_times = []
    async with TestClient(TestServer(bare)) as client:
        for _ in range(SAMPLES):
            t0 = time.perf_counter()
            await (await client.get("/bare", headers=headers)).read()
            bare_times.append(time.perf_counter() - t0)
    return {
        "size": size, "fill_s": fill, "rss_mb": grown, "items": returned, "http_items": len(json.loads(body)["data"]),
        "model_us": statistics.median(model_times) * 1e6, "http_us": statistics.median(http_times) * 1e6,
        "bare_us": statistics.median(bare_times) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a run in seconds")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        print(json.dumps(asyncio.run(measure(args.size))))
        return
    sizes = [10**3, 10**4, 10**5] if args.quick else [10**3, 10**5, 10**6]
    rows = []
    for size in sizes:
        out = subprocess.run([sys.executable, __file__, "--size", str(size)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout))
    base = rows[0]
    print(f"GET updates, page of {PAGE} events, signup on {FOLLOWED} of {STREAMS} streams (median of {SAMPLES})")
    print(f"{'changes':>9} {'items':>5} {'fill s':>7} {'model us':>9} {'x 10^3':>7} {'HTTP us':>8} {'x 10^3':>7} "
          f"{'bare us':>8} {'RSS MB':>7} {'MB/10^6':>8}")
    for r in rows:
        per_million = r["rss_mb"] / r["size"] * 1e6 if r["size"] >= 10**5 else float("nan")
        print(f"{r['size']:>9,} {r['http_items']:>5} {r['fill_s']:>7.1f} {r['model_us']:>9.1f} {r['model_us'] / base['model_us']:>7.2f} "
              f"{r['http_us']:>8.0f} {r['http_us'] / base['http_us']:>7.2f} {r['bare_us']:>8.0f} "
              f"{r['rss_mb']:>7.1f} {per_million:>8.1f}")
    print("targets: 10^6 GET within 1.5x of 10^3; under 300 MB per million single-event changes")


if __name__ == "__main__":
    main()

"""A bounded concurrency soak: 50 concurrent clients on loopback against the packaged program.

Writers, resource churners, pollers and readers run together for a few seconds. Afterwards every
signup must have received every change of its fixed streams exactly once and in order, churned
streams at most once and in order, no request may have got a 5xx, and the server's memory must be
flat once the journal and retention bounds are reached.
"""
from __future__ import annotations

import asyncio
import random
from collections import Counter

import aiohttp

from conftest import start_cli, stop_cli

SOAK_SECONDS = 8
CORE = [f"core-{i}" for i in range(10)]
CHURN = [f"churn-{i}" for i in range(5)]
SIGNUPS = 10
TYPE = {"Id": "T", "SdsTypeCode": "Object", "Properties": [
    {"Id": "K", "IsKey": True, "SdsType": {"SdsTypeCode": "Int64"}}, {"Id": "W", "SdsType": {"SdsTypeCode": "Int32"}}]}


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


async def soak(url: str, pid: int) -> None:
    api = f"{url}/api/v1/tenants/t/namespaces/n"
    statuses: Counter = Counter()
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector, headers={"Authorization": "Bearer soak"}) as http:

        async def call(method, path, **kwargs):
            async with http.request(method, api + path, **kwargs) as response:
                statuses[response.status] += 1
                body = await response.json() if response.content_type == "application/json" else None
                return response.status, body

        await call("POST", "/Types/T", json=TYPE)
        for stream in CORE + CHURN:
            await call("POST", f"/Streams/{stream}", json={"Id": stream, "TypeId": "T"})
        rng = random.Random(5)
        signups = []
        for index in range(SIGNUPS):
            core = rng.sample(CORE, 3)
            _, created = await call("POST", "/signups", json={"resourceType": "Stream", "resourceIds": core})
            _, active = await call("GET", f"/signups/{created['id']}")
            signups.append({"id": created["id"], "core": core, "bookmark": active["bookmark"], "received": []})
        written: dict[str, list[int]] = {s: [] for s in CORE + CHURN}

        async def writer(stream):
            seq = 0
            while not stop.is_set():
                seq += 1
                status, _ = await call("PUT", f"/Streams/{stream}/Data", json=[{"K": seq % 50, "W": seq}])
                if status == 204:
                    written[stream].append(seq)

        async def churner(signup):
            local = random.Random(signup["id"])
            while not stop.is_set():
                stream = local.choice(CHURN)
                key = local.choice(["ResourcesToAdd", "ResourcesToRemove"])
                await call("POST", f"/signups/{signup['id']}/resources", json={key: [stream]})

        async def poll_once(signup):
            status, body = await call("GET", f"/signups/{signup['id']}/updates", params={"bookmark": signup["bookmark"]})
            assert status == 200, body
            for item in body["data"]:
                signup["received"].extend((item["resourceId"], e["W"]) for e in item["events"])
            signup["bookmark"] = body["bookmark"]
            return len(body["data"])

        async def poller(signup):
            while not stop.is_set():
                await poll_once(signup)

        async def reader():
            while not stop.is_set():
                await call("GET", "/signups?count=1000")
                await call("GET", f"/signups/{rng.choice(signups)['id']}/resources")

        memory = []

        async def watch_memory():
            while not stop.is_set():
                memory.append(rss_kib(pid))
                await asyncio.sleep(0.25)

        tasks = ([writer(s) for s in CORE + CHURN] + [churner(s) for s in signups] + [poller(s) for s in signups]
                 + [reader() for _ in range(15)])
        assert len(tasks) >= 50
        running = [asyncio.create_task(t) for t in tasks] + [asyncio.create_task(watch_memory())]
        await asyncio.sleep(SOAK_SECONDS)
        stop.set()
        await asyncio.gather(*running)
        for signup in signups:
            while await poll_once(signup):
                pass

    assert not [s for s in statuses if s >= 500], statuses
    assert sum(statuses.values()) > 2000, statuses
    for signup in signups:
        by_stream: dict[str, list[int]] = {}
        for stream, seq in signup["received"]:
            by_stream.setdefault(stream, []).append(seq)
        for stream in signup["core"]:
            assert by_stream.get(stream, []) == written[stream], f"{signup['id']} {stream}: lost or repeated changes"
        for stream, seqs in by_stream.items():
            assert seqs == sorted(set(seqs)), f"{stream}: repeated or out of order"
            assert set(seqs) <= set(written[stream])
    settled = memory[len(memory) // 2:]
    assert max(settled) - min(settled) < 0.15 * min(settled), f"memory kept growing: {memory}"


def test_fifty_concurrent_clients_lose_nothing(tmp_path):
    running = start_cli("--retention", "4s", "--bookmark-ttl", "1h",
                        env={"SIGNUPS_EMULATOR_JOURNAL_SIZE": "2000", "SIGNUPS_EMULATOR_PAGE_SIZE": "1000"})
    try:
        asyncio.run(soak(running.url, running.process.pid))
    finally:
        stop_cli(running)

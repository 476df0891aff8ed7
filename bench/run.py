"""Every performance figure of the emulator, each beside a baseline measured in the same run.

    python bench/run.py            # the full run (minutes)
    python bench/run.py --quick    # a shortened version of every measurement, under 30 seconds

Throughput uses wrk when it is installed (Debian: apt-get install wrk), else a Python load generator;
the bare aiohttp server (bench/bare_server.py) answering with the same bytes is the ceiling. uvloop
figures appear when uvloop is installed (pip install 'adh-signups-emulator[bench]').
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CONNECTIONS = 32
TYPE = {"Id": "T", "SdsTypeCode": "Object", "Properties": [
    {"Id": "K", "IsKey": True, "SdsType": {"SdsTypeCode": "Int64"}}, {"Id": "V", "SdsType": {"SdsTypeCode": "Double"}}]}
POST_LUA = """
local counter = 0
local offset = 0
setup = function(thread) thread:set("offset", math.random(1, 1000000) * 1000000) end
init = function(args) counter = offset end
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer bench"},
                    '[{"K": ' .. counter .. ', "V": 1.5}]')
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str]) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if not line.startswith("listening on"):
        process.kill()
        raise RuntimeError(f"{command} did not start: {line!r}")
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)
    process.stdout.close()


def loops() -> list[str]:
    try:
        import uvloop  # noqa: F401
        return ["asyncio", "uvloop"]
    except ImportError:
        return ["asyncio"]


# -- load generation -------------------------------------------------------------------------------
def wrk_rps(url: str, seconds: float, lua: str | None = None) -> float:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "-H", "Authorization: Bearer bench"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if lua:
            script.write(lua)
    if lua:
        command += ["-s", script.name]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    if "Non-2xx" in out:
        raise RuntimeError(f"errors under load: {out}")
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))


def python_rps(url: str, seconds: float, post: bool) -> float:
    import aiohttp

    async def run() -> int:
        done = 0
        deadline = time.perf_counter() + seconds
        async with aiohttp.ClientSession(headers={"Authorization": "Bearer bench"}) as session:
            async def worker(offset: int) -> None:
                nonlocal done
                counter = offset
                while time.perf_counter() < deadline:
                    counter += 1
                    if post:
                        response = await session.post(url, json=[{"K": counter, "V": 1.5}])
                    else:
                        response = await session.get(url)
                    await response.read()
                    assert response.status < 300, response.status
                    done += 1
            await asyncio.gather(*(worker(i * 10**9) for i in range(1, CONNECTIONS + 1)))
        return done

    started = time.perf_counter()
    count = asyncio.run(run())
    return count / (time.perf_counter() - started)


def rps(url: str, seconds: float, post: bool = False) -> float:
    if shutil.which("wrk"):
        return wrk_rps(url, seconds, POST_LUA if post else None)
    return python_rps(url, seconds, post)


# -- measurements ----------------------------------------------------------------------------------
def prepare(base: str) -> dict:
    """A type, a stream with data, an active signup and a bookmark with a page of 10 events."""
    http = requests.Session()
    http.headers["Authorization"] = "Bearer bench"
    api = f"{base}/api/v1/tenants/t/namespaces/n"
    http.post(f"{api}/Types/T", json=TYPE).raise_for_status()
    for stream in ("s1", "s2"):
        http.post(f"{api}/Streams/{stream}", json={"Id": stream, "TypeId": "T"}).raise_for_status()
    signup = http.post(f"{api}/signups", json={"resourceType": "Stream", "resourceIds": ["s1"]}).json()
    bookmark = http.get(f"{api}/signups/{signup['id']}").json()["bookmark"]
    for k in range(10):
        http.put(f"{api}/Streams/s1/Data", json=[{"K": k, "V": 1.0}]).raise_for_status()
    urls = {"GET signup by id": f"{api}/signups/{signup['id']}",
            "GET updates": f"{api}/signups/{signup['id']}/updates?bookmark={bookmark}",
            "POST stream data": f"{api}/Streams/s2/Data"}
    bodies = {name: http.get(url).content for name, url in urls.items() if name.startswith("GET")}
    return {"urls": urls, "bodies": bodies}


def throughput(seconds: float) -> list[tuple]:
    rows = []
    for loop in loops():
        port = free_port()
        emulator = start([sys.executable, "-m", "emulator", "--port", str(port), "--log-level", "warning",
                          "--loop", loop, "--bookmark-ttl", "1d", "--inactivity-expiry", "30d"])
        try:
            prepared = prepare(f"http://127.0.0.1:{port}")
            measured = {name: rps(url, seconds, post=name.startswith("POST"))
                        for name, url in prepared["urls"].items()}
        finally:
            stop(emulator)
        for name, url in prepared["urls"].items():
            body = prepared["bodies"].get(name, b"")
            with tempfile.NamedTemporaryFile(delete=False) as f:
                f.write(body)
            bare_port = free_port()
            bare = start([sys.executable, str(ROOT / "bench" / "bare_server.py"), str(bare_port), f.name, loop])
            try:
                path = url.split("/", 3)[3]
                ceiling = rps(f"http://127.0.0.1:{bare_port}/{path}", seconds, post=name.startswith("POST"))
            finally:
                stop(bare)
                os.unlink(f.name)
            rows.append((name, loop, measured[name], ceiling))
    return rows


def fixture_cost(samples: int) -> tuple[float, float]:
    from emulator.pytest_plugin import SignupsEmulator, _ServerThread

    server = _ServerThread()
    started = time.perf_counter()
    url = server.start()
    session = requests.Session()
    emulator = SignupsEmulator(url, session, None)
    session_start = time.perf_counter() - started
    times = []
    try:
        for _ in range(samples):
            t0 = time.perf_counter()
            emulator.reset()
            times.append(time.perf_counter() - t0)
    finally:
        session.close()
        server.stop()
    return statistics.median(times) * 1000, session_start


def first_200(command: list[str], port: int) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if conn.recv(64).startswith(b"HTTP/1.1 200"):
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.002)
            if time.perf_counter() - started > 10:
                raise RuntimeError(f"{command} never answered")
    finally:
        process.terminate()
        process.wait(10)


def cold_start(runs: int) -> tuple[float, float]:
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b'{"status":"ok"}')
    ours, bare = [], []
    for _ in range(runs):
        port = free_port()
        ours.append(first_200([sys.executable, "-m", "emulator", "--port", str(port), "--log-level", "warning"], port))
        port = free_port()
        bare.append(first_200([sys.executable, str(ROOT / "bench" / "bare_server.py"), str(port), f.name], port))
    os.unlink(f.name)
    return statistics.median(ours), statistics.median(bare)


def sample_flow(runs: int) -> float:
    from flow import run_flow

    port = free_port()
    emulator = start([sys.executable, "-m", "emulator", "--port", str(port), "--log-level", "warning",
                      "--operation-names", "python-client"])
    try:
        times = []
        for _ in range(runs):
            times.append(run_flow(f"http://127.0.0.1:{port}"))
            requests.post(f"http://127.0.0.1:{port}/_emulator/reset")
        return statistics.median(times)
    finally:
        stop(emulator)


def main() -> None:
    parser = argparse.ArgumentParser(description="Performance figures of adh-signups-emulator.")
    parser.add_argument("--quick", action="store_true", help="a shortened run, under 30 seconds")
    quick = parser.parse_args().quick
    started = time.perf_counter()
    generator = "wrk" if shutil.which("wrk") else "Python aiohttp client"
    seconds = 1 if quick else 8
    print(f"Throughput ({generator}, {CONNECTIONS} connections, {seconds} s per figure; target: GETs >= 0.7x bare)")
    print(f"  {'route':<18} {'loop':<8} {'emulator rps':>12} {'bare rps':>10} {'ratio':>6}")
    for name, loop, ours, ceiling in throughput(seconds):
        print(f"  {name:<18} {loop:<8} {ours:>12,.0f} {ceiling:>10,.0f} {ours / ceiling:>6.2f}")
    median_ms, session_start = fixture_cost(50 if quick else 500)
    print(f"signups_emulator fixture: {median_ms:.2f} ms median per test (target < 5 ms); "
          f"session start {session_start * 1000:.0f} ms once")
    ours, bare = cold_start(3 if quick else 10)
    print(f"CLI cold start to first 200 on health: {ours:.3f} s; bare aiohttp process {bare:.3f} s (target < 0.35 s)")
    flow = sample_flow(1 if quick else 5)
    print(f".NET sample's 14-step flow with the Python client: {flow:.3f} s (the sample waits 41 s on the real "
          f"service; target < 1 s)")
    print("GET updates against the history behind it (bench/updates.py):")
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "updates.py"), *(["--quick"] if quick else [])],
                         capture_output=True, text=True, check=True).stdout
    print("  " + out.rstrip().replace("\n", "\n  "))
    print(f"(whole run: {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()

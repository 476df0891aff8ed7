"""The practical ceiling: a bare aiohttp app answering every GET with the same bytes the emulator sent,
and every POST/PUT with 204, on the same machine and the same event loop as the emulator under test.

    python bench/bare_server.py PORT BODY_FILE [asyncio|uvloop]
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiohttp import web


async def serve(port: int, body: bytes) -> None:
    async def answer(request: web.Request) -> web.Response:
        if request.method == "GET":
            return web.Response(body=body, headers={"Content-Type": "application/json"})
        await request.read()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    port, body = int(sys.argv[1]), Path(sys.argv[2]).read_bytes()
    if len(sys.argv) > 3 and sys.argv[3] == "uvloop":
        import uvloop

        uvloop.run(serve(port, body))
    else:
        asyncio.run(serve(port, body))

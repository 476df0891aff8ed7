"""`python -m emulator.healthcheck`: exit 0 when the local emulator answers its health route.

The container's HEALTHCHECK runs this, reading the port from the same environment variable the
emulator reads, so it keeps working when `SIGNUPS_EMULATOR_PORT` changes the port.
"""
from __future__ import annotations

import json
import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("SIGNUPS_EMULATOR_PORT", "8080")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=2) as response:
            healthy = response.status == 200 and json.load(response).get("status") == "ok"
    except (OSError, ValueError):
        healthy = False
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())

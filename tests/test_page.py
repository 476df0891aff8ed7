"""The admin page renders live data in headless Chromium (Debian's `chromium` package)."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import requests

from conftest import start_cli, stop_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,900", "--virtual-time-budget=5000"]

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("no Chromium here (apt-get install chromium); CI installs it and runs this test",
                allow_module_level=True)


def chromium(tmp_path, *args):
    assert CHROMIUM, "CI must have Chromium: .ci/run installs Debian's chromium package"
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                            capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_page_shows_clock_signups_scenario_and_requests(tmp_path):
    running = start_cli("--scenario", "flaky")
    try:
        api = f"{running.url}/api/v1/tenants/t1/namespaces/ns1"
        headers = {"Authorization": "Bearer page-client"}
        created = requests.post(f"{api}/signups", headers=headers,
                                json={"Name": "shown-on-page", "ResourceType": "Stream", "ResourceIds": ["s1"]}).json()
        requests.get(f"{api}/signups/{created['id']}", headers=headers)
        requests.post(f"{running.url}/_emulator/clock/advance", json={"by": "1h"})
        dom = chromium(tmp_path, "--dump-dom", f"{running.url}/_emulator/")
        assert 'data-loaded="true"' in dom
        assert created["id"] in dom and "shown-on-page" in dom and 'class="state-Active"' in dom
        assert "flaky.yaml" in dom and "speed 1x" in dom
        assert f"/api/v1/tenants/t1/namespaces/ns1/signups/{created['id']}" in dom
        screenshot = tmp_path / "page.png"
        chromium(tmp_path, f"--screenshot={screenshot}", f"{running.url}/_emulator/")
        data = screenshot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000
        keep = os.environ.get("SIGNUPS_EMULATOR_SCREENSHOT")
        if keep:
            shutil.copy(screenshot, keep)
    finally:
        stop_cli(running)

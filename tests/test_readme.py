"""The README never drifts from the program: its curl blocks run, in order, against a live emulator."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import start_cli, stop_cli

README = Path(__file__).resolve().parents[1] / "README.md"
# Every curl call reports its status on stderr, where command substitutions do not capture it.
WRAPPER = 'curl() { command curl --write-out "%{stderr}@@STATUS %{http_code}\\n" "$@"; }\n'


def curl_blocks() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), re.S)
    return [b for b in blocks if "curl " in b]


def test_readme_starts_with_the_two_setup_commands():
    first = re.search(r"```sh\n(.*?)```", README.read_text(), re.S).group(1).splitlines()
    commands = [line for line in first if line.strip() and not line.startswith("#")]
    assert commands == ['python -m pip install . && signups-emulator',
                        'python -m pip install -e ".[test]" && python -m pytest']


def test_every_curl_block_runs_against_a_live_emulator():
    running = start_cli()
    try:
        script = WRAPPER + "\n".join(curl_blocks()).replace("http://127.0.0.1:8080", running.url)
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True,
                                timeout=60)
    finally:
        stop_cli(running)
    assert result.returncode == 0, result.stderr
    statuses = [int(s) for s in re.findall(r"@@STATUS (\d+)", result.stderr)]
    assert len(statuses) == result.stderr.count("@@STATUS") >= 25
    assert [s for s in statuses if s >= 400] == [503], statuses
    out = result.stdout
    for expected in ('"operation":"Insert"', '"operation":"RemoveWindow"', '"signupState":"Expired"',
                     '"name":"renamed"', "HTTP/1.1 204", "Retry-After: 1", '"fired":1', '"token_type":"Bearer"'):
        assert expected in out, expected

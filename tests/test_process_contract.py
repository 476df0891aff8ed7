"""The contract suites again, against the packaged program: each test starts `signups-emulator` with its
settings as flags (EMULATOR_TEST_TARGET=process), as fakeredis runs its suite against the real thing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SUITES = ["test_signups_routes.py", "test_lifecycle.py", "test_identity.py", "test_bad_input.py", "test_sds.py",
          "test_updates.py", "test_admin_clock.py", "test_scenario_errors.py", "test_scenarios.py"]


@pytest.mark.skipif(os.environ.get("EMULATOR_TEST_TARGET") == "process", reason="already running against the process")
def test_contract_suites_pass_against_the_packaged_program():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *[str(HERE / s) for s in SUITES]],
        env={**os.environ, "EMULATOR_TEST_TARGET": "process"}, capture_output=True, text=True, timeout=600,
        cwd=HERE.parent)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

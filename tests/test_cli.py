"""The packaged program, started as a user starts it: flags, environment, a walk over a real socket."""
from __future__ import annotations

import os
import subprocess
import sys

import requests

from conftest import start_cli, stop_cli

HEADERS = {"Authorization": "Bearer walker"}


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "emulator", *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})


def test_signup_walk_from_creation_to_deletion_over_a_socket():
    running = start_cli("--activation-delay", "30s")
    try:
        base = f"{running.url}/api/v1-preview/Tenants/t1/Namespaces/ns1/signups"
        created = requests.post(base, json={"name": "walk", "resourceType": "Stream", "resourceIds": ["s1"]},
                                headers=HEADERS)
        assert created.status_code == 202
        assert created.headers["Content-Type"] == "application/json"
        signup_id = created.json()["id"]
        assert requests.get(f"{base}/{signup_id}", headers=HEADERS).json()["signupState"] == "Activating"
        assert requests.post(f"{running.url}/_emulator/clock/advance", json={"by": "30s"}).status_code == 200
        activated = requests.get(f"{base}/{signup_id}", headers=HEADERS).json()
        assert activated["signupState"] == "Active" and activated["bookmark"]
        renamed = requests.put(f"{base}/{signup_id}", json={"name": "walked"}, headers=HEADERS)
        assert renamed.json()["name"] == "walked"
        listed = requests.get(base, headers=HEADERS)
        assert listed.headers["Total-Count"] == "1"
        assert requests.delete(f"{base}/{signup_id}", headers=HEADERS).status_code == 204
        assert requests.get(f"{base}/{signup_id}", headers=HEADERS).status_code == 404
    finally:
        assert stop_cli(running) == 0


def test_environment_variables_set_options():
    running = start_cli(env={"SIGNUPS_EMULATOR_AUTH": "strict"})
    try:
        response = requests.get(f"{running.url}/api/v1/tenants/t1/namespaces/n/signups", headers=HEADERS)
        assert response.status_code == 401
    finally:
        stop_cli(running)


def test_flags_win_over_environment():
    running = start_cli("--auth", "off", env={"SIGNUPS_EMULATOR_AUTH": "strict"})
    try:
        assert requests.get(f"{running.url}/api/v1/tenants/t1/namespaces/n/signups").status_code == 200
    finally:
        stop_cli(running)


def test_bad_flags_and_values_exit_2_with_one_line():
    cases = [(["--auth", "maybe"], None), (["--port", "70000"], None), (["--port", "eighty"], None),
             (["--no-such-flag"], None), (["--activation-delay", "soon"], None), (["--clock-speed", "0"], None),
             ([], {"SIGNUPS_EMULATOR_LOG_LEVEL": "loud"}), (["--client", "only-an-id"], None)]
    for args, env in cases:
        result = run_cli(*args, env=env)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "error" in result.stderr, result.stderr
        assert result.stdout == ""


def test_help_lists_every_option():
    result = run_cli("--help")
    assert result.returncode == 0
    for flag in ("--host", "--port", "--clock-speed", "--auth", "--log-level"):
        assert flag in result.stdout


def test_sigint_stops_cleanly():
    running = start_cli()
    running.process.send_signal(2)
    assert running.process.wait(timeout=10) == 0
    running.process.stdout.close()
    running.process.stderr.close()


def test_scenarios_by_name_and_path_later_ones_win(tmp_path):
    override = tmp_path / "override.yaml"
    override.write_text("description: later\nsettings: {activation_delay: 10s}\n")
    running = start_cli("--scenario", "delayed-activation", "--scenario", str(override))
    try:
        scenario = requests.get(f"{running.url}/_emulator/scenario").json()
        assert scenario["sources"] == ["delayed-activation.yaml", "override.yaml"]
        assert scenario["description"] == "later"
        assert scenario["settings"] == {"activation_delay": 10.0}
        assert [f["name"] for f in scenario["faults"]] == ["slow setup", "poll until active"]
    finally:
        stop_cli(running)


def test_one_log_line_per_request_in_text_and_json():
    import json

    for fmt in ("text", "json"):
        running = start_cli("--log-level", "info", "--log-format", fmt)
        requests.get(f"{running.url}/api/v1/tenants/t/namespaces/n/signups", headers=HEADERS)
        requests.get(f"{running.url}/_emulator/clock")
        stop_cli_and_keep = running.process
        stop_cli_and_keep.terminate()
        stop_cli_and_keep.wait(timeout=10)
        lines = [line for line in stop_cli_and_keep.stderr.read().splitlines() if "/signups" in line or "/clock" in line]
        stop_cli_and_keep.stdout.close()
        stop_cli_and_keep.stderr.close()
        assert len(lines) == 2, lines
        if fmt == "json":
            entry = json.loads(lines[0])
            assert entry["method"] == "GET" and entry["status"] == 200 and entry["faults"] == []
            assert entry["path"] == "/api/v1/tenants/t/namespaces/n/signups" and entry["ms"] >= 0
        else:
            assert "GET /api/v1/tenants/t/namespaces/n/signups 200 " in lines[0] and "fault=-" in lines[0]


def test_every_setting_has_a_flag_and_an_environment_variable():
    import dataclasses

    from emulator.cli import FLAGS, build_parser
    from emulator.settings import Settings

    names = {f.name for f in dataclasses.fields(Settings)}
    assert names - set(FLAGS.values()) == {"clients"}  # --client ID:SECRET:TENANT, repeatable
    help_text = build_parser().format_help()
    for flag in FLAGS:
        assert flag in help_text
    assert Settings.from_env({"SIGNUPS_EMULATOR_JOURNAL_SIZE": "5", "SIGNUPS_EMULATOR_CLIENTS": "a:b:c"}) == {
        "journal_size": "5", "clients": "a:b:c"}

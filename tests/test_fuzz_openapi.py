"""schemathesis against the served OpenAPI document: no 5xx, and every response matches the document.

Runs against the packaged program on a real socket, every ADH and admin route, with a bounded number
of examples per operation. The emulator runs with no scenario, so any 5xx is the emulator's own.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from conftest import start_cli, stop_cli

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzzed_emulator():
    running = start_cli("--retention", "1h")
    yield running
    stop_cli(running)


@pytest.fixture(scope="module")
def api_schema(fuzzed_emulator):
    return schemathesis.openapi.from_url(fuzzed_emulator.url + "/_emulator/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_conformance(case, fuzzed_emulator):
    if case.operation.path == "/_emulator/scenario" and case.method == "PUT":
        # Fuzzed text is YAML often enough to be a scenario; keep it from injecting faults of its own.
        case.query = {"source": "fuzz.yaml"}
    case.call_and_validate(base_url=fuzzed_emulator.url, headers={"Authorization": "Bearer fuzzer"}, checks=CHECKS)

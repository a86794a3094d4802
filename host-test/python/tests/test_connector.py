"""The shared cases through wasmtime-py against the loopback mock."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from wasmtime import WasmtimeError

from goto_connector import Connector
from conftest import CASES, call, component_path, outcome, subset_mismatch

# wasmtime-py has no egress hook: the `denied` case is refused only by hosts
# with an allow-list. Here it must go through (see test_no_egress_policy).
SHARED = [name for name in CASES["cases"] if name != "denied"]


@pytest.mark.parametrize("name", SHARED)
def test_case(connector, ports, name):
    c = call(name, ports)
    got = outcome(connector, c)
    assert subset_mismatch(c["expect"], got) is None, got


def test_no_egress_policy(connector, ports):
    """wasmtime-py sends whatever the component asks for: the request the
    allow-listed hosts refuse reaches the mock and succeeds."""
    c = call("denied", ports)
    got = outcome(connector, c)
    assert subset_mismatch(call("ok", ports)["expect"], got) is None, got


def test_snake_case_names_and_version_from_component(connector):
    assert connector.interfaces["meetings"].startswith("goto:connector/meetings@")
    assert "get_meeting" in dir(connector.meetings)
    with pytest.raises(TypeError):
        connector.meetings.get_meeting({"access_token": "t"})


def test_memory_cap_applies_to_each_call():
    small = Connector(component_path(), memory_bytes=64 << 10)
    with pytest.raises(WasmtimeError, match="exceeds memory limits"):
        small.meetings.get_meeting({"access_token": "t"}, 0)


def test_readme_snippet(ports):
    c = call("ok", ports)
    env = {**os.environ, "GOTO_COMPONENT": component_path(), "GOTO_TOKEN": "test-token", "GOTO_API_BASE": c["base"]}
    example = Path(__file__).parent / "example.py"
    out = subprocess.run([sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, "test 2012-12-01T09:00:00Z\n"), out.stderr

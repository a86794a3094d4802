"""The shared cases through wasmtime-py against the loopback mock, on the
installed package."""

import filecmp
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from wasmtime import WasmtimeError

import goto_connector
from goto_connector import Connector
from conftest import CASES, call, outcome, release_component, subset_mismatch

REPOSITORY = Path(__file__).resolve().parents[3]


def test_the_package_is_the_installed_wheel():
    """goto_connector comes from the virtual environment, with the release
    component, py.typed and the license; nothing of the repository is on
    sys.path but this folder."""
    module = Path(goto_connector.__file__).resolve()
    assert module.is_relative_to(Path(sys.prefix).resolve()), module
    assert sys.prefix != sys.base_prefix, "a virtual environment"
    here = Path(__file__).resolve().parent
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        allowed = path == here or path.is_relative_to(Path(sys.prefix).resolve())
        assert allowed or not path.is_relative_to(REPOSITORY), f"{entry} on sys.path"
    packaged = goto_connector.component_path()
    assert packaged.parent == module.parent
    assert filecmp.cmp(packaged, release_component(), shallow=False)
    assert (module.parent / "py.typed").is_file()
    dist = importlib.metadata.distribution("goto-connector")
    assert dist.version == goto_connector_version()
    assert dist.metadata["License-Expression"] == "Apache-2.0"
    assert dist.metadata["Requires-Dist"].startswith("wasmtime")
    licenses = [f for f in dist.files or [] if f.name == "LICENSE"]
    assert licenses and "Apache License" in licenses[0].read_text(), dist.files


def goto_connector_version():
    """The WIT package's version, the one every artifact carries."""
    for line in (REPOSITORY / "wit" / "world.wit").read_text().splitlines():
        if line.startswith("package goto:connector@"):
            return line.strip().removeprefix("package goto:connector@").removesuffix(";")
    pytest.fail("wit/world.wit names no package version")


def test_a_path_loads_another_component_and_a_missing_one_is_named(monkeypatch):
    assert "meetings" in Connector(release_component()).interfaces
    with pytest.raises(FileNotFoundError, match="no component at .*absent.wasm"):
        Connector("absent.wasm")
    monkeypatch.setattr(goto_connector, "COMPONENT", "absent.wasm")
    with pytest.raises(FileNotFoundError, match=r"not in the package .*cargo xtask dist"):
        Connector()

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
    assert "meetings" in dir(connector)
    with pytest.raises(TypeError):
        connector.meetings.get_meeting({"access_token": "t"})
    with pytest.raises(AttributeError, match="no interface nothing"):
        connector.nothing


def test_memory_cap_applies_to_each_call():
    small = Connector(memory_bytes=64 << 10)
    with pytest.raises(WasmtimeError, match="exceeds memory limits"):
        small.meetings.get_meeting({"access_token": "t"}, 0)


def test_readme_snippet(ports, tmp_path):
    """The README's example, copied out of the repository, runs on the
    installed package."""
    c = call("ok", ports)
    example = shutil.copy(REPOSITORY / "host-test" / "python" / "example.py", tmp_path)
    env = {**os.environ, "GOTO_TOKEN": "test-token", "GOTO_API_BASE": c["base"]}
    env.pop("GOTO_COMPONENT", None)
    out = subprocess.run([sys.executable, example], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, "test 2012-12-01T09:00:00Z\n"), out.stderr

"""The shared cases (host-test/hosts/cases.json) for pytest: the installed
package's component, the loopback mock, the call each case makes and its
result in the cassettes' JSON form.

The hosts test (xtask/tests/artifacts/hosts.rs) runs these against the
wheel installed in a fresh virtual environment, with nothing from the
repository on sys.path but this folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any, Optional

import pytest

from goto_connector import Connector, GotoError

HOSTS = Path(__file__).resolve().parents[2] / "hosts"
CASES = json.loads((HOSTS / "cases.json").read_text())


def cassette(name: str) -> dict:
    return json.loads((HOSTS.parent / "cassettes" / f"{name}.json").read_text())


def release_component() -> str:
    """The release component as a file of its own (GOTO_COMPONENT), for
    `Connector(path)`."""
    path = os.environ.get("GOTO_COMPONENT")
    if not path:
        pytest.fail("set GOTO_COMPONENT to the release component (.wasm); cargo test does")
    return path


@pytest.fixture(scope="session")
def connector() -> Connector:
    return Connector()


@pytest.fixture(scope="session")
def ports():
    names = sorted({c["cassette"] for c in CASES["cases"].values()})
    mock = subprocess.Popen(
        ["node", str(HOSTS / "mock.mjs"), "--seconds", "120", *names],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield json.loads(mock.stdout.readline())
    finally:
        mock.stdin.close()
        mock.wait(timeout=10)


def _snake(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), name)


def _camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def snake_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(k): snake_keys(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> Any:
    """A result of goto_connector in the cassettes' JSON form. Record keys
    are snake_case, variant cases kebab-case: only the former change."""
    if isinstance(value, dict):
        return {_camel(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value > 2**53:
        return str(value)
    return value


def call(name: str, ports: dict, host: str = "python") -> dict:
    """The case as this host runs it."""
    case = {**CASES["cases"][name], **CASES.get(host, {}).get(name, {})}
    tape = cassette(case["cassette"])
    op = CASES["operations"][tape["operation"]]
    base = f"http://127.0.0.1:{ports[case['cassette']]}"
    connection = {"accessToken": "test-token", **tape.get("connection", {}), "apiBase": base}
    if "settings" in case:
        connection["settings"] = case["settings"]
    # A u64 may be a string in the cassette (the JSON view's form above 2^53).
    args = [int(tape["input"][arg]) if t == "u64" else tape["input"][arg] for arg, t in op["args"]]
    return {
        "interface": op["interface"].replace("-", "_"),
        "function": tape["operation"].replace("-", "_"),
        "args": [snake_keys(connection), *args],
        "expect": case.get("expect", tape["expect"]),
        "base": base,
    }


def outcome(connector: Connector, c: dict) -> dict:
    try:
        fn = getattr(getattr(connector, c["interface"]), c["function"])
        return {"ok": to_json(fn(*c["args"]))}
    except GotoError as e:
        return {"error": {e.tag: to_json(e.payload)}}


def subset_mismatch(want: Any, got: Any, path: str = "$") -> Optional[str]:
    """The cassette runner's rule: every key given is present and equal;
    arrays match element by element."""
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: want {len(want)} items, got {got!r}"
        for i, (w, g) in enumerate(zip(want, got)):
            if m := subset_mismatch(w, g, f"{path}[{i}]"):
                return m
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: want an object, got {got!r}"
        for k, w in want.items():
            if k not in got:
                return f"{path}.{k}: missing"
            if m := subset_mismatch(w, got[k], f"{path}.{k}"):
                return m
        return None
    # The JSON view writes every u64 as a decimal string; wasmtime-py gives
    # integers of every width as int, so an int matches the string of its digits.
    if isinstance(want, str) and isinstance(got, int) and not isinstance(got, bool):
        got = str(got)
    return None if want == got and type(want) is type(got) else f"{path}: want {want!r}, got {got!r}"

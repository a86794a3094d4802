"""Times the same `get-meeting` against mock.mjs in jco, wasmtime-py and the
wasmtime CLI (one process per call): median and p99 of N calls after 10
warm-up calls. Not a test. Run with the test environment's Python:

    target/hosts-venv/bin/python host-test/hosts/bench.py COMPONENT.wasm [N]

Ours (the Rust host, async and blocking) comes from `goto-host bench
--against ORIGIN`, built with `cargo build --profile bench-host -p goto-host-cli`.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))
from goto_connector import Connector  # noqa: E402

import wasmtime_cli  # noqa: E402

CASSETTE = "get-meeting/success"


def summary(ms):
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))]


def timed(n, call):
    for _ in range(10):
        call()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        call()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main():
    wasm, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
    mock = subprocess.Popen(["node", str(HERE / "mock.mjs"), "--seconds", "600", CASSETTE],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{json.loads(mock.stdout.readline())[CASSETTE]}"
        rows = {}
        ours = HERE.parents[1] / "target" / "bench-host" / "goto-host"
        out = subprocess.run([str(ours), "bench", "--against", base, "--calls", str(n)],
                             check=True, capture_output=True, text=True).stdout
        for key, name in [("async", "goto-host, async (Connector::call, network backend)"),
                          ("blocking", "goto-host, blocking (connector.blocking())")]:
            rows[name] = json.loads(out.strip().splitlines()[-1])[key]
        out = subprocess.run(["node", str(HERE.parent / "node/bench.mjs"), base, str(n)],
                             check=True, capture_output=True, text=True).stdout
        rows["jco 1.35.0 (one instance)"] = json.loads(out)["ms"]
        connector = Connector(wasm)
        conn = {"access_token": "test-token", "api_base": base}
        rows["wasmtime-py 50.0.1 (fresh store per call)"] = timed(
            n, lambda: connector.meetings.get_meeting(conn, 123456789))
        cli = str(Path(wasmtime_cli.__file__).parent / "wasmtime")
        invoke = ("get-meeting({access-token: \"test-token\", api-base: some(\"%s\"), "
                  "seeit-base: none, settings: none}, 123456789)" % base)
        rows["wasmtime CLI 49.0.3, process per call"] = timed(
            n, lambda: subprocess.run([cli, "run", "-S", "http", "--invoke", invoke, wasm],
                                      check=True, capture_output=True))
        cwasm = Path(tempfile.mkdtemp()) / "goto_connector.cwasm"
        subprocess.run([cli, "compile", wasm, "-o", str(cwasm)], check=True)
        rows["wasmtime CLI 49.0.3, process per call, precompiled .cwasm"] = timed(
            n, lambda: subprocess.run([cli, "run", "--allow-precompiled", "-S", "http",
                                       "--invoke", invoke, str(cwasm)],
                                      check=True, capture_output=True))
        print(f"get-meeting against mock.mjs, {n} calls after 10 warm-up calls")
        print("| host | p50 ms | p99 ms |\n|---|---|---|")
        for name, ms in rows.items():
            p50, p99 = summary(ms)
            print(f"| {name} | {p50:.2f} | {p99:.2f} |")
    finally:
        mock.stdin.close()
        mock.wait(timeout=10)


if __name__ == "__main__":
    main()

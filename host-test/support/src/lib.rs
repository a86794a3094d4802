//! What the tests that drive outside tools share (Python virtual
//! environments, npm packages, child commands): the hosts and MCP tests,
//! and the worker's tests and benchmark, as a dev-dependency. A missing tool
//! fails the test with the command that installs it.

mod background;
pub mod https;
pub mod proxy;
pub mod temporal;

/// The README's and the book's links, snippets and counts, for the tests
/// that check what they show.
pub use xtask::docs;
pub use xtask::workspace_root;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// How to install Python with venv and pip, for a test that needs it.
pub const INSTALL_PYTHON: &str =
    "apt-get install -y python3 python3-venv python3-pip  (Python 3.11 or later)";

/// `target/`: a test runs as `target/<profile>/deps/<test>-<hash>`, a bench
/// as the same under `deps`.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.ancestors()
        .nth(3)
        .expect("target/<profile>/deps/<test>")
        .to_path_buf()
}

/// Runs `cmd` to completion and returns its stdout; panics with everything
/// it printed when it fails, naming `install` when it may be missing.
pub fn run(cmd: &mut Command, install: &str) -> String {
    xtask::run(cmd, install).unwrap_or_else(|e| panic!("{e:#}\n(if a tool is missing: {install})"))
}

/// Runs `install` when `source`'s text differs from what the last
/// successful install recorded in `stamp`, then records it.
pub fn install_once(source: &Path, stamp: &Path, install: impl FnOnce()) {
    let want = std::fs::read_to_string(source).expect("read the requirements or lockfile");
    xtask::install_once(&want, stamp, || {
        install();
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e:#}"));
}

/// `target/<name>` as a Python virtual environment with `requirements`
/// installed, made again when that file changes. One at a time per test
/// process, so tests running in parallel never install over each other.
pub fn python_venv(name: &str, requirements: &Path) -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let venv = target_dir().join(name);
    install_once(requirements, &venv.join(".goto-requirements.txt"), || {
        run(
            Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
            INSTALL_PYTHON,
        );
        run(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--disable-pip-version-check", "-q", "-r"])
                .arg(requirements),
            INSTALL_PYTHON,
        );
    });
    venv
}

//! The release tasks behind `cargo xtask` (see `main.rs`), as a library so
//! the tests that check the artifacts build them the same way.

pub mod dist;
pub mod docs;
pub mod npm;
pub mod oci;
pub mod python;
pub mod version;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// The workspace root (this crate sits in `xtask/` under it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `target/dist/` under the workspace root.
pub fn dist_dir() -> PathBuf {
    workspace_root().join("target/dist")
}

/// Runs `cmd` to completion; fails with what it printed, naming `install`
/// (the command that installs the tool) when the tool is missing.
pub fn run(cmd: &mut Command, install: &str) -> anyhow::Result<String> {
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("{:?} is not installed: {install}", cmd.get_program())
        }
        Err(e) => return Err(e).with_context(|| format!("{cmd:?} could not start")),
    };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "{cmd:?} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}

/// Runs `install` unless `stamp` holds `want` (what the last successful
/// install recorded: a lockfile's or a requirements file's text, a pin),
/// then records `want` there.
pub fn install_once(
    want: &str,
    stamp: &Path,
    install: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if std::fs::read_to_string(stamp).is_ok_and(|have| have == want) {
        return Ok(());
    }
    install()?;
    std::fs::write(stamp, want).with_context(|| format!("writing {}", stamp.display()))
}

#[cfg(test)]
mod tests {
    /// Every package carries the repository's license, word for word.
    #[test]
    fn every_package_carries_the_license() {
        let root = crate::workspace_root();
        let ours = std::fs::read(root.join("LICENSE")).expect("LICENSE");
        for package in [
            "host-test",
            "host-test/cli",
            "host-test/node",
            "host-test/python",
            "worker",
        ] {
            let copy = std::fs::read(root.join(package).join("LICENSE"))
                .unwrap_or_else(|e| panic!("{package}/LICENSE: {e}"));
            assert!(ours == copy, "{package}/LICENSE must be a copy of LICENSE");
        }
    }
}

//! The npm tarball: `host-test/node` with the component transpiled by jco.
//!
//! `npm ci` in `host-test/node` (when its lockfile changed since the last
//! install), `node build.mjs WASM` (jco transpiles the component into
//! `gen/`, git-ignored), then `npm pack`, which takes what `package.json`'s
//! `files` lists: `gen/`, `index.js`, `index.d.ts`, `LICENSE`, `README.md`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::run;

/// How to install Node with npm.
pub const INSTALL_NODE: &str = "apt-get install -y nodejs npm  (Node 20 or later)";

/// The tarball's file name for `version` (`npm pack`'s name for the package
/// `goto-connector`).
pub fn tarball_name(version: &str) -> String {
    format!("goto-connector-{version}.tgz")
}

/// Builds `out/goto-connector-<version>.tgz` (`npm pack`) from
/// `host-test/node`, with `wasm` transpiled inside.
pub fn pack(root: &Path, wasm: &Path, out: &Path, version: &str) -> anyhow::Result<PathBuf> {
    if !wasm.is_file() {
        bail!("no component at {}", wasm.display());
    }
    // The tools run in other folders: paths given relative to this one
    // (`cargo xtask dist --out DIR`) are made absolute first.
    let (wasm, out) = (&std::path::absolute(wasm)?, &std::path::absolute(out)?);
    let dir = root.join("host-test/node");
    install(&dir)?;
    run(
        Command::new("node")
            .current_dir(&dir)
            .arg("build.mjs")
            .arg(wasm),
        INSTALL_NODE,
    )?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let file = out.join(tarball_name(version));
    if file.exists() {
        std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
    }
    run(
        Command::new("npm")
            .current_dir(&dir)
            .args(["pack", "--ignore-scripts", "--silent", "--pack-destination"])
            .arg(out),
        INSTALL_NODE,
    )?;
    if !file.is_file() {
        bail!(
            "npm pack did not write {} (does host-test/node/package.json's version match \
             the WIT package's {version}?); {} holds: {:?}",
            file.display(),
            out.display(),
            crate::python::names_in(out)
        );
    }
    Ok(file)
}

/// `npm ci` in `dir` unless `node_modules` already holds what its lockfile
/// says (recorded by the last install).
fn install(dir: &Path) -> anyhow::Result<()> {
    let lock = dir.join("package-lock.json");
    let want = std::fs::read_to_string(&lock).with_context(|| format!("{}", lock.display()))?;
    let stamp = dir.join("node_modules/.goto-installed-lock.json");
    crate::install_once(&want, &stamp, || {
        run(
            Command::new("npm")
                .current_dir(dir)
                .args(["ci", "--no-audit", "--no-fund"]),
            INSTALL_NODE,
        )
        .map(drop)
    })
}

#[cfg(test)]
mod tests {
    /// `npm pack` names the tarball after package.json's name, as
    /// [`tarball_name`] does; a published package is not `private`.
    #[test]
    fn the_package_is_goto_connector_and_public() {
        let root = crate::workspace_root();
        let text = std::fs::read_to_string(root.join("host-test/node/package.json"))
            .expect("package.json");
        let package: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(package["name"], "goto-connector");
        assert!(
            package.get("private").is_none(),
            "the package is published: no \"private\""
        );
    }
}

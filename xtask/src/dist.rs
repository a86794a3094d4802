//! `cargo xtask dist`: everything a release holds, built into
//! `target/dist/`, each file named with the one version:
//!
//! - `goto-connector-<v>.wasm`: the release component;
//! - `goto_connector-<v>-py3-none-any.whl`: the Python package, the
//!   component inside ([`crate::python`]);
//! - `goto-connector-<v>.tgz`: the npm package, the component transpiled by
//!   jco ([`crate::npm`]);
//! - `goto-host-<v>.crate`: the embedding library (`cargo package`);
//! - `SHA256SUMS` over them.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::{version::wit_version, workspace_root};

/// The Rust toolchain's install hint, for a missing `cargo` or target.
pub const INSTALL_RUST: &str = "rustup target add wasm32-wasip2  (Rust through rustup)";

/// `cargo xtask dist [--out DIR]`.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let out = match args {
        [] => crate::dist_dir(),
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => bail!("usage: cargo xtask dist [--out DIR]"),
    };
    for file in dist(&out)? {
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        println!("{:>10}  {}", size, file.display());
    }
    Ok(())
}

/// Builds every artifact into `out` (emptied first) and returns their paths,
/// `SHA256SUMS` last.
pub fn dist(out: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let root = workspace_root();
    let version = wit_version(&root)?;
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("emptying {}", out.display()))?;
    }
    std::fs::create_dir_all(out)?;
    let wasm = component(&root, out, &version)?;
    let files = vec![
        wasm.clone(),
        crate::python::wheel(&root, &wasm, out, &version)?,
        crate::npm::pack(&root, &wasm, out, &version)?,
        library_crate(&root, out, &version)?,
    ];
    let sums = checksums(out, &files)?;
    Ok(files.into_iter().chain([sums]).collect())
}

/// `cargo`, the one that runs this task where there is one.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The release component, built from this checkout, as
/// `out/goto-connector-<version>.wasm`.
pub fn component(root: &Path, out: &Path, version: &str) -> anyhow::Result<PathBuf> {
    crate::run(
        cargo()
            .current_dir(root)
            .args(["build", "--release", "--target", "wasm32-wasip2"])
            .args(["--package", "goto-connector"]),
        INSTALL_RUST,
    )?;
    let built = root.join("target/wasm32-wasip2/release/goto_connector.wasm");
    let file = out.join(format!("goto-connector-{version}.wasm"));
    std::fs::copy(&built, &file).with_context(|| format!("copying {}", built.display()))?;
    Ok(file)
}

/// The embedding library's `.crate` (`cargo package -p goto-host`), as
/// `out/goto-host-<version>.crate`.
pub fn library_crate(root: &Path, out: &Path, version: &str) -> anyhow::Result<PathBuf> {
    crate::run(
        cargo().current_dir(root).args([
            "package",
            "--package",
            "goto-host",
            "--allow-dirty",
            "--quiet",
        ]),
        INSTALL_RUST,
    )?;
    let name = format!("goto-host-{version}.crate");
    let packaged = root.join("target/package").join(&name);
    let file = out.join(&name);
    std::fs::copy(&packaged, &file).with_context(|| format!("copying {}", packaged.display()))?;
    Ok(file)
}

/// `out/SHA256SUMS` over `files`, in `sha256sum`'s format (so
/// `sha256sum -c SHA256SUMS` checks them).
pub fn checksums(out: &Path, files: &[PathBuf]) -> anyhow::Result<PathBuf> {
    let names: Vec<&std::ffi::OsStr> = files.iter().filter_map(|f| f.file_name()).collect();
    let sums = crate::run(
        Command::new("sha256sum").current_dir(out).args(&names),
        "apt-get install -y coreutils",
    )?;
    let file = out.join("SHA256SUMS");
    std::fs::write(&file, sums)?;
    Ok(file)
}

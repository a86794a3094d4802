//! The release artifacts, each tried on its own as a user gets it: built
//! once per run by `xtask::dist` (as `cargo xtask dist` builds them) into
//! `target/test-dist/`, then
//!
//! - [`hosts`]: the wheel installed into a fresh virtual environment and the
//!   npm tarball into a fresh folder, each running the shared cases against
//!   a loopback GoTo, and the `.wasm` in the wasmtime CLI;
//! - [`rust_crate`]: a Rust project outside the workspace, built on the
//!   unpacked `.crate`, making a call;
//! - [`oci`]: the component pushed to a registry on 127.0.0.1 and pulled
//!   back.

use std::path::PathBuf;
use std::sync::OnceLock;

mod hosts;
mod oci;
mod rust_crate;

/// What `xtask::dist` wrote, by kind.
pub struct Dist {
    pub dir: PathBuf,
    pub version: String,
    pub wasm: PathBuf,
    pub wheel: PathBuf,
    pub tarball: PathBuf,
    pub krate: PathBuf,
    pub sums: PathBuf,
}

/// The artifacts of this checkout, built on first use.
pub fn dist() -> &'static Dist {
    static DIST: OnceLock<Dist> = OnceLock::new();
    DIST.get_or_init(|| {
        let dir = xtask::workspace_root().join("target/test-dist");
        let files = xtask::dist::dist(&dir).unwrap_or_else(|e| panic!("cargo xtask dist: {e:#}"));
        let version = xtask::version::wit_version(&xtask::workspace_root()).expect("version");
        let find = |suffix: &str| -> PathBuf {
            files
                .iter()
                .find(|f| f.to_string_lossy().ends_with(suffix))
                .cloned()
                .unwrap_or_else(|| panic!("dist wrote no *{suffix}: {files:?}"))
        };
        Dist {
            wasm: find(&format!("goto-connector-{version}.wasm")),
            wheel: find(&format!("goto_connector-{version}-py3-none-any.whl")),
            tarball: find(&format!("goto-connector-{version}.tgz")),
            krate: find(&format!("goto-host-{version}.crate")),
            sums: find("SHA256SUMS"),
            dir,
            version,
        }
    })
}

/// A fresh, empty folder under `target/test-dist-work/`.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = xtask::workspace_root()
        .join("target/test-dist-work")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("make a fresh folder");
    dir
}

/// The repository's `host-test/` folder (cassettes, the mock, the cases).
pub fn host_test() -> PathBuf {
    xtask::workspace_root().join("host-test")
}

#[test]
fn dist_writes_each_artifact_with_one_version_and_their_checksums() {
    let d = dist();
    let sums = std::fs::read_to_string(&d.sums).expect("SHA256SUMS");
    for file in [&d.wasm, &d.wheel, &d.tarball, &d.krate] {
        let name = file.file_name().and_then(|n| n.to_str()).expect("a name");
        assert!(
            name.contains(&d.version),
            "{name} carries the version {}",
            d.version
        );
        assert!(
            sums.lines().any(|l| l.ends_with(&format!("  {name}"))),
            "SHA256SUMS lists {name}:\n{sums}"
        );
    }
    let checked = xtask::run(
        std::process::Command::new("sha256sum")
            .arg("-c")
            .arg("SHA256SUMS")
            .current_dir(&d.dir),
        "apt-get install -y coreutils",
    )
    .expect("sha256sum -c");
    assert_eq!(
        checked.lines().filter(|l| l.ends_with(": OK")).count(),
        4,
        "{checked}"
    );
}

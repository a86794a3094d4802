//! The npm tarball: `host-test/node` with the component transpiled by jco.

use std::path::{Path, PathBuf};

/// Builds `out/goto-connector-<version>.tgz` (`npm pack`) from
/// `host-test/node`, with `wasm` transpiled inside.
pub fn pack(_root: &Path, _wasm: &Path, _out: &Path, _version: &str) -> anyhow::Result<PathBuf> {
    anyhow::bail!("the npm package is not built yet")
}

//! The Python wheel: `host-test/python` with the component inside.

use std::path::{Path, PathBuf};

/// Builds `out/goto_connector-<version>-py3-none-any.whl` from
/// `host-test/python`, with `wasm` inside the package.
pub fn wheel(_root: &Path, _wasm: &Path, _out: &Path, _version: &str) -> anyhow::Result<PathBuf> {
    anyhow::bail!("the wheel is not built yet")
}

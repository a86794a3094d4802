//! The Python wheel: `host-test/python` (a flit_core project) with the
//! component inside the package, as `goto_connector/goto_connector.wasm`,
//! so `Connector()` needs no path.
//!
//! The build backend runs in a virtual environment of its own,
//! `target/build-venv`, made once (again when [`FLIT_CORE`] changes) with
//! `python3 -m venv` and pip from PyPI; the wheel is then built without
//! build isolation (`pip wheel --no-build-isolation --no-deps`), in about a
//! second.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::run;

/// How to install Python with venv and pip.
pub const INSTALL_PYTHON: &str =
    "apt-get install -y python3 python3-venv python3-pip  (Python 3.11 or later)";

/// The build backend, as pip installs it into `target/build-venv`; within
/// the range `host-test/python/pyproject.toml`'s `[build-system]` asks for.
pub const FLIT_CORE: &str = "flit_core==4.2.0";

/// The component's file name inside the package (`COMPONENT` in
/// `goto_connector/__init__.py`).
pub const PACKAGED_COMPONENT: &str = "goto_connector/goto_connector.wasm";

/// The wheel's file name for `version`.
pub fn wheel_name(version: &str) -> String {
    format!("goto_connector-{version}-py3-none-any.whl")
}

/// Builds `out/goto_connector-<version>-py3-none-any.whl` from
/// `host-test/python`, with `wasm` inside the package. The copy of `wasm`
/// in the source folder (git-ignored) is removed afterwards.
pub fn wheel(root: &Path, wasm: &Path, out: &Path, version: &str) -> anyhow::Result<PathBuf> {
    if !wasm.is_file() {
        bail!("no component at {}", wasm.display());
    }
    // The tools run in other folders: paths given relative to this one
    // (`cargo xtask dist --out DIR`) are made absolute first.
    let (wasm, out) = (&std::path::absolute(wasm)?, &std::path::absolute(out)?);
    let project = root.join("host-test/python");
    let python = build_venv(&root.join("target/build-venv"))?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let file = out.join(wheel_name(version));
    if file.exists() {
        std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
    }
    {
        let _copy = Copied::new(wasm, &project.join(PACKAGED_COMPONENT))?;
        run(
            Command::new(&python)
                .args(["-m", "pip", "wheel", "--no-deps", "--no-build-isolation"])
                .args(["--disable-pip-version-check", "--no-cache-dir", "-q", "-w"])
                .arg(out)
                .arg(&project)
                .env("PYTHONDONTWRITEBYTECODE", "1"),
            INSTALL_PYTHON,
        )?;
    }
    if !file.is_file() {
        bail!(
            "pip wheel did not write {} (does host-test/python/pyproject.toml's version \
             match the WIT package's {version}?); {} holds: {:?}",
            file.display(),
            out.display(),
            names_in(out)
        );
    }
    Ok(file)
}

/// `venv` as a virtual environment holding [`FLIT_CORE`], made when missing
/// or made for another pin; returns its `python`.
fn build_venv(venv: &Path) -> anyhow::Result<PathBuf> {
    let python = venv.join("bin/python");
    let stamp = venv.join(".goto-build-requirements");
    if !python.is_file() {
        // A venv whose interpreter is gone is made again, whatever it recorded.
        let _ = std::fs::remove_file(&stamp);
    }
    crate::install_once(FLIT_CORE, &stamp, || {
        run(
            Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(venv),
            INSTALL_PYTHON,
        )?;
        run(
            Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                FLIT_CORE,
            ]),
            INSTALL_PYTHON,
        )
        .map(drop)
    })?;
    Ok(python)
}

/// The file names in `dir`, for an error message.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A file copied in for the length of a build; removed on drop.
struct Copied(PathBuf);

impl Copied {
    fn new(from: &Path, to: &Path) -> anyhow::Result<Copied> {
        std::fs::copy(from, to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
        Ok(Copied(to.to_path_buf()))
    }
}

impl Drop for Copied {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The module loads the component by the name the build copies it to.
    #[test]
    fn the_module_names_the_packaged_component() {
        let root = crate::workspace_root();
        let module =
            std::fs::read_to_string(root.join("host-test/python/goto_connector/__init__.py"))
                .expect("__init__.py");
        let name = PACKAGED_COMPONENT.rsplit('/').next().unwrap_or_default();
        assert!(
            module.contains(&format!("COMPONENT = \"{name}\"")),
            "__init__.py loads {name}"
        );
    }

    #[test]
    fn a_missing_component_is_an_error() {
        let dir = std::env::temp_dir();
        let err = wheel(&dir, &dir.join("no-such.wasm"), &dir, "0.0.0").unwrap_err();
        assert!(format!("{err}").contains("no component at"), "{err}");
    }
}

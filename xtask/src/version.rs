//! The one version: the WIT package's (`package goto:connector@X.Y.Z;` in
//! `wit/world.wit`) is the version of every artifact. [`manifests`] lists
//! what each manifest says, so a test can fail when one disagrees.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The version in `wit/world.wit`'s `package goto:connector@X.Y.Z;`.
pub fn wit_version(root: &Path) -> anyhow::Result<String> {
    let path = root.join("wit/world.wit");
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    text.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("package goto:connector@")
                .and_then(|rest| rest.strip_suffix(';'))
        })
        .map(str::to_string)
        .with_context(|| format!("{} has no `package goto:connector@X.Y.Z;`", path.display()))
}

/// Every manifest that carries a version, with the version it gives:
/// the workspace's `Cargo.toml` (its `[workspace.package]` version, which
/// every crate inherits), each crate's `Cargo.toml` (which must inherit
/// it), the npm package and the Python package.
pub fn manifests(root: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let mut found = Vec::new();
    let cargo = root.join("Cargo.toml");
    found.push((cargo.clone(), workspace_version(&cargo)?));
    for krate in [
        "host-test",
        "host-test/cli",
        "host-test/support",
        "worker",
        "xtask",
    ] {
        let path = root.join(krate).join("Cargo.toml");
        let text = read(&path)?;
        if !text.lines().any(|l| l.trim() == "version.workspace = true") {
            bail!(
                "{} must take the workspace's version (version.workspace = true)",
                path.display()
            );
        }
        found.push((path, workspace_version(&cargo)?));
    }
    let npm = root.join("host-test/node/package.json");
    let package: serde_json::Value = serde_json::from_str(&read(&npm)?)?;
    let v = package["version"].as_str().unwrap_or_default().to_string();
    found.push((npm, v));
    let py = root.join("host-test/python/pyproject.toml");
    found.push((
        py.clone(),
        toml_string(&read(&py)?, "[project]", "version")?,
    ));
    Ok(found)
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))
}

/// The root manifest's own package version and its `[workspace.package]`
/// version, which must be one.
fn workspace_version(cargo: &Path) -> anyhow::Result<String> {
    let text = read(cargo)?;
    let workspace = toml_string(&text, "[workspace.package]", "version")?;
    match toml_string(&text, "[package]", "version") {
        Ok(own) if own != workspace => bail!(
            "{}: [package] version {own} differs from [workspace.package] version {workspace}",
            cargo.display()
        ),
        _ => Ok(workspace),
    }
}

/// `key = "value"` in `table` of a simple TOML file (no inline tables).
pub(crate) fn toml_string(text: &str, table: &str, key: &str) -> anyhow::Result<String> {
    let mut inside = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == table;
        } else if inside {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            if k.trim() == key {
                return Ok(v.trim().trim_matches('"').to_string());
            }
        }
    }
    bail!("no {key} in {table}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every artifact carries the WIT package's version.
    #[test]
    fn every_manifest_has_the_wit_version() {
        let root = crate::workspace_root();
        let wit = wit_version(&root).expect("the WIT version");
        let wrong: Vec<String> = manifests(&root)
            .expect("the manifests")
            .into_iter()
            .filter(|(_, v)| *v != wit)
            .map(|(p, v)| format!("{}: {v}", p.display()))
            .collect();
        assert!(
            wrong.is_empty(),
            "the WIT package is {wit}; these differ: {wrong:?}"
        );
    }

    #[test]
    fn reads_a_table_key() {
        let text =
            "[package]\nname = \"a\"\nversion = \"1.2.3\"\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(toml_string(text, "[package]", "version").unwrap(), "1.2.3");
        assert!(toml_string(text, "[workspace.package]", "version").is_err());
    }
}

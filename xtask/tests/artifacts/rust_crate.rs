//! The Rust embedding library as a crate user gets it: the `.crate` that
//! `cargo xtask dist` wrote, unpacked, and a Rust project outside the
//! workspace that depends on it by path, loads the release `.wasm` and
//! makes a call against the loopback mock GoTo (`host-test/hosts/mock.mjs`,
//! which answers only the request the cassette holds).

use std::path::Path;
use std::process::Command;

use goto_test_support::run;
use xtask::dist::INSTALL_RUST;

use crate::hosts::Mock;
use crate::{dist, fresh_dir};

const MANIFEST: &str = r#"[package]
name = "goto-host-user"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
goto-host = { path = "../goto-host-VERSION" }
serde_json = "1"
anyhow = "1"

# A project of its own, not a member of the repository's workspace.
[workspace]
"#;

const MAIN: &str = r#"use goto_host::{Connector, HostError, Policy};
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let wasm = std::fs::read(std::env::var("GOTO_COMPONENT")?)?;
    let base = std::env::var("GOTO_API_BASE")?;
    let mut policy = Policy::goto_default();
    policy.allow(&base)?;
    let connector = Connector::builder(wasm).policy(policy).build()?;
    let connection = json!({"accessToken": "test-token", "apiBase": base});
    let outcome = connector
        .blocking()
        .call("get-meeting", &connection, &json!({"meetingId": 123456789}))?;
    println!("{}", outcome.result);
    // A typed host error before anything is sent.
    match connector.blocking().call("no-such-operation", &connection, &json!({})) {
        Err(HostError::UnknownOperation { operation }) => println!("unknown: {operation}"),
        other => anyhow::bail!("expected UnknownOperation, got {other:?}"),
    }
    Ok(())
}
"#;

/// Unpacks `krate` (a `.crate`: a gzipped tar) into `dir`.
fn unpack(krate: &Path, dir: &Path) {
    run(
        Command::new("tar").arg("xzf").arg(krate).arg("-C").arg(dir),
        "apt-get install -y tar gzip",
    );
}

#[test]
fn a_project_outside_the_workspace_builds_on_the_crate_and_makes_a_call() {
    let d = dist();
    let dir = fresh_dir("rust-crate");
    unpack(&d.krate, &dir);
    let unpacked = dir.join(format!("goto-host-{}", d.version));
    assert!(
        unpacked.join("Cargo.toml").is_file() && unpacked.join("LICENSE").is_file(),
        "the .crate holds the library's manifest and license"
    );
    let listing = run(
        Command::new("tar").arg("tzf").arg(&d.krate),
        "apt-get install -y tar gzip",
    );
    let prefix = format!("goto-host-{}/", d.version);
    let top = [
        "src/",
        "examples/",
        "build.rs",
        "Cargo.toml",
        "Cargo.toml.orig",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        ".cargo_vcs_info.json",
    ];
    let stray: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter(|l| !top.iter().any(|t| l.starts_with(t)))
        .collect();
    assert!(
        stray.is_empty(),
        "the .crate holds the library alone: {stray:?}"
    );
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("src")).expect("the project's folder");
    std::fs::write(
        app.join("Cargo.toml"),
        MANIFEST.replace("VERSION", &d.version),
    )
    .expect("write Cargo.toml");
    std::fs::write(app.join("src/main.rs"), MAIN).expect("write main.rs");
    // The versions the repository is tested with, and its target folder, so
    // the dependencies it already built are reused.
    let root = xtask::workspace_root();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).expect("copy Cargo.lock");
    let mock = Mock::start(&["get-meeting/success"]);
    let out = run(
        xtask::dist::cargo()
            .current_dir(&app)
            .args(["run", "--quiet"])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("GOTO_COMPONENT", &d.wasm)
            .env("GOTO_API_BASE", mock.base("get-meeting/success")),
        INSTALL_RUST,
    );
    let mut lines = out.lines();
    let result: serde_json::Value =
        serde_json::from_str(lines.next().unwrap_or_default()).expect("the result as JSON");
    assert_eq!(result["ok"]["meetingId"], "123456789", "{out}");
    assert_eq!(result["ok"]["subject"], "test", "{out}");
    assert_eq!(lines.next(), Some("unknown: no-such-operation"), "{out}");
}

/// The library alone: neither the CLI's dependencies (rmcp, the MCP HTTP
/// server's hyper-util, wit-parser for `describe`, the native component for
/// the benchmarks) nor the Temporal SDK. (wit-parser is also a dependency of
/// wasmtime's own `bindgen!` proc-macro, which runs at compile time only:
/// `no-proc-macro` leaves it out.)
#[test]
fn the_library_alone_pulls_none_of_the_front_ends_dependencies() {
    let tree = run(
        xtask::dist::cargo()
            .current_dir(xtask::workspace_root())
            .args(["tree", "-e", "normal,no-proc-macro", "--prefix", "none"])
            .args(["-p", "goto-host", "--no-default-features"]),
        INSTALL_RUST,
    );
    let names: Vec<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(names.contains(&"wasmtime-wasi-http"), "{tree}");
    for front_end in [
        "rmcp",
        "wit-parser",
        "goto-connector",
        "temporalio-sdk",
        "goto-host-cli",
    ] {
        assert!(!names.contains(&front_end), "{front_end} in:\n{tree}");
    }
}

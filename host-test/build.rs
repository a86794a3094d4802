//! With the `embedded` feature: builds the component of this checkout
//! (release, wasm32-wasip2) in its own target directory, so the host and its
//! tests always run the component of the checkout, and hands its path to
//! `include_bytes!` (`goto_host::COMPONENT`). Set `GOTO_COMPONENT=path.wasm`
//! to embed a prebuilt component instead. Without the feature it does
//! nothing: the library takes the component from its caller.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=GOTO_COMPONENT");
    if env::var_os("CARGO_FEATURE_EMBEDDED").is_none() {
        return;
    }
    let wasm = match env::var_os("GOTO_COMPONENT") {
        Some(path) => PathBuf::from(path),
        None => {
            let manifest =
                PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
            let root = manifest.parent().expect("workspace root").to_path_buf();
            assert!(
                root.join("wit/world.wit").is_file(),
                "the `embedded` feature builds the component of a goto-connector checkout, and {} is none; \
                 set GOTO_COMPONENT=path/to/goto-connector.wasm, or leave the feature off and pass the \
                 component to Connector::builder",
                root.display()
            );
            for p in ["src", "wit", "Cargo.toml", "Cargo.lock"] {
                println!("cargo:rerun-if-changed={}", root.join(p).display());
            }
            let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
            build_component(&root, &out.join("component"))
        }
    };
    println!("cargo:rustc-env=GOTO_COMPONENT_PATH={}", wasm.display());
}

fn build_component(root: &Path, target_dir: &Path) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--package",
            "goto-connector",
        ])
        .env("CARGO_TARGET_DIR", target_dir)
        // The outer build's wrappers and flags are for native code.
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .status()
        .expect("could not run cargo to build the component");
    assert!(
        status.success(),
        "building the component failed; is the target installed? (rustup target add wasm32-wasip2)"
    );
    target_dir.join("wasm32-wasip2/release/goto_connector.wasm")
}

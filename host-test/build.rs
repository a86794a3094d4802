//! Builds the component (release, wasm32-wasip2) in its own target directory
//! so the host and its tests always run the component of this checkout, and
//! lists the WIT files for `describe`. Set `GOTO_COMPONENT=path.wasm` to embed
//! a prebuilt component instead.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().expect("workspace root").to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    for p in ["src", "wit", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", root.join(p).display());
    }
    println!("cargo:rerun-if-env-changed=GOTO_COMPONENT");

    let wasm = match env::var_os("GOTO_COMPONENT") {
        Some(path) => PathBuf::from(path),
        None => build_component(&root, &out.join("component")),
    };
    println!("cargo:rustc-env=GOTO_COMPONENT_PATH={}", wasm.display());

    let mut files = String::from(
        "/// The component's WIT, embedded for `describe`: (path, text).\npub const WIT_FILES: &[(&str, &str)] = &[\n",
    );
    for dir in [root.join("wit/deps"), root.join("wit")] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("read wit dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "wit"))
            .collect();
        paths.sort();
        for p in paths {
            let rel = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
            writeln!(
                files,
                "    ({rel:?}, include_str!({:?})),",
                p.display().to_string()
            )
            .expect("write");
        }
    }
    files.push_str("];\n");
    std::fs::write(out.join("wit_files.rs"), files).expect("write wit_files.rs");
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

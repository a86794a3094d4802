//! A precompiled-component cache for the component this checkout embeds:
//! compiling it takes seconds in a debug host (about 25 s on 2 cores), loading
//! the compiled form takes milliseconds, so `goto-host` and every test binary
//! after the first start at once.
//!
//! The cache is one file per (component bytes, engine settings) in the
//! host's own build directory, written whole and renamed into place, so a
//! reader never sees half a file. Loading compiled code is `unsafe` in
//! wasmtime because the file is trusted to be wasmtime's own output; that
//! holds here because only this module writes into that directory, which is
//! inside the user's own `target/`. Any failure to read or write the cache
//! falls back to compiling: the cache can make a start faster, never break it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Context;
use wasmtime::Engine;
use wasmtime::component::Component;

/// Compiles `wasm`.
pub fn compile(engine: &Engine, wasm: &[u8]) -> anyhow::Result<Component> {
    Component::new(engine, wasm)
        .map_err(anyhow::Error::from)
        .context("compiling the component")
}

/// The compiled `wasm` from `dir` when it is there and loads; otherwise
/// compiles it and stores the result in `dir` for the next start.
pub fn load_or_compile(engine: &Engine, wasm: &[u8], dir: &Path) -> anyhow::Result<Component> {
    let path = entry(engine, wasm, dir);
    if path.is_file() {
        // SAFETY: the file was written by `store` below from
        // `Component::serialize` with an engine of the same compatibility
        // hash (part of the file name), in a directory only this module
        // writes to; wasmtime still checks its header and version.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
            return Ok(component);
        }
    }
    let component = compile(engine, wasm)?;
    if let Err(e) = store(&component, &path) {
        eprintln!(
            "goto-host: could not cache the compiled component in {}: {e:#}",
            dir.display()
        );
    }
    Ok(component)
}

/// The cache file of `wasm` compiled by `engine`.
fn entry(engine: &Engine, wasm: &[u8], dir: &Path) -> PathBuf {
    let mut h = DefaultHasher::new();
    wasm.hash(&mut h);
    engine.precompile_compatibility_hash().hash(&mut h);
    dir.join(format!("component-{:016x}.cwasm", h.finish()))
}

fn store(component: &Component, path: &Path) -> anyhow::Result<()> {
    let bytes = component.serialize()?;
    // A name of this process's own, so concurrent test binaries never write
    // the same temporary file; the rename is atomic.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest component: the binary header alone.
    const EMPTY: &[u8] = b"\0asm\x0d\0\x01\0";

    #[test]
    fn a_cached_component_is_reused_and_a_broken_entry_is_replaced() {
        let dir = std::env::temp_dir().join(format!("goto-cache-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let engine = Engine::default();
        let path = entry(&engine, EMPTY, &dir);
        assert!(!path.exists());

        load_or_compile(&engine, EMPTY, &dir).unwrap();
        let written = std::fs::read(&path).unwrap();
        assert!(!written.is_empty());
        // SAFETY: written just above by `store`.
        assert!(unsafe { Component::deserialize_file(&engine, &path) }.is_ok());

        std::fs::write(&path, b"not a compiled component").unwrap();
        load_or_compile(&engine, EMPTY, &dir).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), written);

        // Other bytes, another entry.
        assert_ne!(entry(&engine, b"\0asm\x0d\0\x01\0\0", &dir), path);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! A precompiled-component cache for the component this checkout embeds:
//! compiling it takes seconds in a debug host (about 25 s on 2 cores), loading
//! the compiled form takes milliseconds, so `goto-host` and every test binary
//! after the first start at once.
//!
//! Loading compiled code is `unsafe` in wasmtime: the bytes are trusted to be
//! wasmtime's own output for this engine, and native code from anywhere else
//! would run as is. So a file is loaded only when everything says this module
//! wrote it for this component and these engine settings:
//! - its name and its first 32 bytes are the SHA-256 of the component's bytes
//!   and the engine's compatibility hash (the settings that shape the code);
//! - neither the file nor its directory is writable by group or others;
//!
//! otherwise it compiles (and replaces the file). Files are written whole and
//! renamed into place, so a reader never sees half a file. Any failure to read
//! or write the cache falls back to compiling: the cache can make a start
//! faster, never break it.

use std::hash::{Hash, Hasher};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Compiles `wasm`.
pub fn compile(engine: &Engine, wasm: &[u8]) -> anyhow::Result<Component> {
    Component::new(engine, wasm)
        .map_err(anyhow::Error::from)
        .context("compiling the component")
}

/// The compiled `wasm` from `dir` when this module wrote it there for this
/// component and engine; otherwise compiles it and stores the result in
/// `dir` for the next start.
pub fn load_or_compile(engine: &Engine, wasm: &[u8], dir: &Path) -> anyhow::Result<Component> {
    let key = key(engine, wasm);
    let path = entry(&key, dir);
    if let Some(file) = trusted_bytes(&path, &key) {
        // SAFETY: the bytes follow the digest of this component and this
        // engine's settings, in a file and directory only their owner can
        // write, where only `store` below writes (from `Component::serialize`
        // of the same engine); wasmtime still checks its header and version.
        if let Ok(component) = unsafe { Component::deserialize(engine, &file[32..]) } {
            return Ok(component);
        }
    }
    let component = compile(engine, wasm)?;
    if let Err(e) = store(&component, &key, &path) {
        eprintln!(
            "goto-host: could not cache the compiled component in {}: {e:#}",
            dir.display()
        );
    }
    Ok(component)
}

/// SHA-256 of the component's bytes and the engine's compatibility hash.
fn key(engine: &Engine, wasm: &[u8]) -> [u8; 32] {
    let mut settings = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut settings);
    let mut data = wasm.to_vec();
    data.extend_from_slice(&settings.finish().to_le_bytes());
    Sha256::digest(&data).into()
}

/// The cache file of one key.
fn entry(key: &[u8; 32], dir: &Path) -> PathBuf {
    let hex: String = key[..16].iter().map(|b| format!("{b:02x}")).collect();
    dir.join(format!("component-{hex}.cwasm"))
}

/// The file at `path` when it is ours: not writable by group or others
/// (nor its directory), owned by this user, and starting with `key`.
fn trusted_bytes(path: &Path, key: &[u8; 32]) -> Option<Vec<u8>> {
    let private = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.mode() & 0o022 == 0 && m.uid() == own_uid())
    };
    if !private(path) || !path.parent().is_some_and(private) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    (bytes.get(..32)? == key.as_slice()).then_some(bytes)
}

/// The user this process runs as: the owner of a file it creates.
fn own_uid() -> u32 {
    static UID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UID.get_or_init(|| {
        let probe = std::env::temp_dir().join(format!("goto-uid-{}", std::process::id()));
        let uid = std::fs::write(&probe, b"")
            .and_then(|()| std::fs::metadata(&probe))
            .map_or(u32::MAX, |m| m.uid());
        let _ = std::fs::remove_file(&probe);
        uid
    })
}

fn store(component: &Component, key: &[u8; 32], path: &Path) -> anyhow::Result<()> {
    let mut bytes = key.to_vec();
    bytes.extend(component.serialize()?);
    // A name of this process's own, so concurrent test binaries never write
    // the same temporary file; the rename is atomic.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644))?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest component: the binary header alone.
    const EMPTY: &[u8] = b"\0asm\x0d\0\x01\0";

    fn fresh_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("goto-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    }

    #[test]
    fn a_cached_component_is_reused_and_a_broken_entry_is_replaced() {
        let dir = fresh_dir("reuse");
        let engine = Engine::default();
        let key = key(&engine, EMPTY);
        let path = entry(&key, &dir);
        assert!(!path.exists());

        load_or_compile(&engine, EMPTY, &dir).unwrap();
        let written = std::fs::read(&path).unwrap();
        assert_eq!(&written[..32], key.as_slice());
        assert!(trusted_bytes(&path, &key).is_some());

        std::fs::write(&path, b"not a compiled component").unwrap();
        load_or_compile(&engine, EMPTY, &dir).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), written);

        // Other bytes, another entry.
        assert_ne!(
            entry(&super::key(&engine, b"\0asm\x0d\0\x01\0\0"), &dir),
            path
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_others_can_write_or_with_another_digest_is_never_loaded() {
        let dir = fresh_dir("refuse");
        let engine = Engine::default();
        let key = key(&engine, EMPTY);
        let path = entry(&key, &dir);
        load_or_compile(&engine, EMPTY, &dir).unwrap();
        assert!(trusted_bytes(&path, &key).is_some());

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(trusted_bytes(&path, &key).is_none());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(trusted_bytes(&path, &key).is_none());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();

        // The same file under another component's digest is refused.
        let other = super::key(&engine, b"\0asm\x0d\0\x01\0\0");
        assert!(trusted_bytes(&path, &other).is_none());
        // Refused files are recompiled and rewritten, so loading still works.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        load_or_compile(&engine, EMPTY, &dir).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o644);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Embeds the WIT files, with their doc comments, for `goto-host describe`.

use std::env;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    let root = root.canonicalize().unwrap_or(root);
    println!("cargo:rerun-if-changed={}", root.join("wit").display());
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
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

//! One Temporal activity per exported operation: lists the functions the
//! component's WIT declares (`name: func(`) and writes the `activities!`
//! invocation that gives each its marker type. The worker checks at start
//! that the list is exactly the component's exports.

use std::env;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let wit = manifest.join("../wit");
    println!("cargo:rerun-if-changed={}", wit.display());
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&wit)
        .expect("read ../wit")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wit"))
        .collect();
    paths.sort();
    let mut names = Vec::new();
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("read a WIT file");
        for line in text.lines() {
            let Some((name, rest)) = line.trim().split_once(':') else {
                continue;
            };
            let kebab = name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if kebab && !name.is_empty() && rest.trim_start().starts_with("func(") {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    let mut out = String::from("activities! {\n");
    for name in &names {
        let marker: String = name
            .split('-')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        writeln!(out, "    {marker} => {name:?},").expect("write");
    }
    out.push_str("}\n");
    let dest = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("activities.rs");
    std::fs::write(dest, out).expect("write activities.rs");
}

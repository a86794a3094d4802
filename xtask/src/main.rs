//! Release tasks, run as `cargo xtask <task>`:
//!
//! ```text
//! cargo xtask dist                         everything a release holds, into target/dist/
//! cargo xtask docs                         checks the book's links and builds it (mdBook)
//! cargo xtask publish-oci REGISTRY/REPOSITORY   the component to an OCI registry (wkg)
//! cargo xtask version                      the one version of every artifact
//! ```

use std::process::ExitCode;

use anyhow::bail;

const USAGE: &str = "usage:
  cargo xtask dist
      Builds the release artifacts into target/dist/ and prints each file:
      the component (.wasm), the Python wheel, the npm tarball, the embedding
      library's .crate, and SHA256SUMS over them.
  cargo xtask docs
      Checks every internal link, anchor and include of README.md and the
      book (docs/), then builds the book into target/book/ with mdBook;
      fails on a broken link or on any error or warning mdBook prints.
  cargo xtask publish-oci REGISTRY/REPOSITORY [--insecure] [--source URL]
      Pushes target/dist's component (built first when missing) with
      `wkg oci push` as REGISTRY/REPOSITORY:<version>, with the OCI
      annotations for version, source, description and licenses (the
      root Cargo.toml's description and license).
      --insecure: the registry speaks plain HTTP (a local test registry).
      --source URL: the source repository's URL (default: the root
      Cargo.toml's `repository`; one of the two is required).
  cargo xtask version
      Prints the version every artifact carries (the WIT package's).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<()> {
    match args.first().map(String::as_str) {
        Some("dist") => xtask::dist::command(&args[1..]),
        Some("docs") => xtask::docs::command(&xtask::workspace_root()),
        Some("publish-oci") => xtask::oci::publish(&args[1..]),
        Some("version") => {
            println!("{}", xtask::version::wit_version(&xtask::workspace_root())?);
            Ok(())
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

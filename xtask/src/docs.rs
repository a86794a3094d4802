//! The book in `docs/` and the README: their internal links, the code they
//! show, and the counts they state. `cargo xtask docs` checks the links and
//! builds the book with mdBook; the tests call the rest.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// The command that installs the mdBook the book is written for.
pub const INSTALL_MDBOOK: &str = "cargo install mdbook --version 0.5.4 --locked";

/// `cargo xtask docs`: fails on a broken internal link, then builds the book
/// into `target/book/`, failing on any error or warning mdBook prints (it
/// exits 0 after a missing `{{#include}}`).
pub fn command(root: &Path) -> anyhow::Result<()> {
    let broken = broken_links(root)?;
    if !broken.is_empty() {
        bail!("broken links:\n  {}", broken.join("\n  "));
    }
    let out = Command::new("mdbook")
        .arg("build")
        .arg(root.join("docs"))
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                anyhow::anyhow!("mdbook is not installed: {INSTALL_MDBOOK}")
            }
            _ => anyhow::Error::new(e).context("mdbook could not start"),
        })?;
    let log = String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .collect();
    if !out.status.success() || !complaints.is_empty() {
        bail!("mdbook build docs failed:\n{log}");
    }
    println!("{}", root.join("target/book/index.html").display());
    Ok(())
}

/// README.md and every Markdown page of the book, in a stable order.
pub fn pages(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut pages = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("{}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages[1..].sort();
    Ok(pages)
}

/// Each page's path, its name from the root, and its text.
fn read_pages(root: &Path) -> anyhow::Result<Vec<(PathBuf, String, String)>> {
    pages(root)?
        .into_iter()
        .map(|page| {
            let text =
                std::fs::read_to_string(&page).with_context(|| format!("{}", page.display()))?;
            let name = page
                .strip_prefix(root)
                .unwrap_or(&page)
                .display()
                .to_string();
            Ok((page, name, text))
        })
        .collect()
}

/// Every internal link, anchor and `{{#include}}` of the README and the book
/// that leads nowhere, and every page of the book its SUMMARY.md leaves out,
/// as `page: what`.
pub fn broken_links(root: &Path) -> anyhow::Result<Vec<String>> {
    let book = root.join("docs/src");
    let mut broken = Vec::new();
    for (page, name, text) in read_pages(root)? {
        let dir = page.parent().unwrap_or(root);
        // A book page may only lead into the book: mdBook publishes src/ alone.
        let scope = if page.starts_with(&book) { &book } else { root };
        for target in links(&prose(&text)) {
            if let Some(why) = check_link(dir, scope, &page, &target) {
                broken.push(format!("{name}: {target}: {why}"));
            }
        }
        for include in includes(&text) {
            if !dir.join(&include).is_file() {
                broken.push(format!("{name}: {{{{#include {include}}}}}: no such file"));
            }
        }
    }
    let summary =
        std::fs::read_to_string(book.join("SUMMARY.md")).context("docs/src/SUMMARY.md")?;
    let listed: BTreeSet<String> = links(&prose(&summary)).into_iter().collect();
    for page in pages(root)?.iter().filter(|p| p.starts_with(&book)) {
        let rel = page
            .strip_prefix(&book)
            .unwrap_or(page)
            .display()
            .to_string();
        if rel != "SUMMARY.md" && !listed.contains(&rel) {
            broken.push(format!("docs/src/SUMMARY.md: does not list {rel}"));
        }
    }
    Ok(broken)
}

/// Why `target`, linked from `page` in `dir`, leads nowhere, if it does.
fn check_link(dir: &Path, scope: &Path, page: &Path, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with("mailto:") {
        return None;
    }
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    let file = if path.is_empty() {
        page.to_path_buf()
    } else {
        normalize(&dir.join(path))
    };
    if !file.starts_with(scope) {
        return Some(format!("outside {}", scope.display()));
    }
    if !file.exists() {
        return Some("no such file".into());
    }
    if fragment.is_empty() || file.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    (!heading_ids(&text).contains(fragment)).then(|| format!("no heading #{fragment}"))
}

/// `path` without `.` and `..` parts (the file need not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The lines outside fenced code blocks.
fn unfenced(text: &str) -> impl Iterator<Item = &str> {
    let mut fenced = false;
    text.lines().filter(move |line| {
        let fence = line.trim_start().starts_with("```");
        fenced ^= fence;
        !fence && !fenced
    })
}

/// The text outside fenced code blocks, with inline code spans removed.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for line in unfenced(text) {
        let spans: Vec<&str> = line.split('`').collect();
        out.extend(spans.iter().step_by(2).copied());
        out.push('\n');
    }
    out
}

/// The targets of the inline links `[text](target)` in `prose`.
fn links(prose: &str) -> Vec<String> {
    prose
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|t| t.split_whitespace().next().unwrap_or_default().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The files of the `{{#include path[:lines]}}` directives.
fn includes(text: &str) -> Vec<String> {
    text.split("{{#include ")
        .skip(1)
        .filter_map(|rest| rest.split("}}").next())
        .map(|t| t.split(':').next().unwrap_or_default().trim().to_string())
        .collect()
}

/// The ids mdBook (and GitHub) give the page's headings: the text in lower
/// case, spaces as `-`, punctuation other than `-` and `_` left out, a
/// repeated id numbered from `-1`.
pub fn heading_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for line in unfenced(text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#').trim();
        let id: String = heading
            .chars()
            .filter_map(|c| match c {
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
                c if c.is_whitespace() => Some('-'),
                _ => None,
            })
            .collect();
        let mut unique = id.clone();
        let mut n = 0;
        while ids.contains(&unique) {
            n += 1;
            unique = format!("{id}-{n}");
        }
        ids.insert(unique);
    }
    ids
}

/// Every `N <noun>` the README and the book state (`83 operations`,
/// `1,000 calls`), as (`page:line`, N).
pub fn stated_counts(root: &Path, noun: &str) -> anyhow::Result<Vec<(String, u64)>> {
    let mut found = Vec::new();
    for (_, name, text) in read_pages(root)? {
        for (i, line) in text.lines().enumerate() {
            for n in counts_in(line, noun) {
                found.push((format!("{name}:{}", i + 1), n));
            }
        }
    }
    Ok(found)
}

/// The numbers directly before ` <noun>` in `line`.
fn counts_in(line: &str, noun: &str) -> Vec<u64> {
    let needle = format!(" {noun}");
    let mut out = Vec::new();
    for (at, _) in line.match_indices(&needle) {
        let after = line[at + needle.len()..].chars().next();
        if after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let before = &line[..at];
        let digits: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .collect::<String>()
            .chars()
            .rev()
            .filter(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse() {
            out.push(n);
        }
    }
    out
}

/// Whether `page` shows `code` verbatim in a ```` ```lang ```` block.
pub fn shows(page: &Path, lang: &str, code: &str) -> anyhow::Result<bool> {
    let text = std::fs::read_to_string(page).with_context(|| format!("{}", page.display()))?;
    let code = code.trim_end();
    Ok(text.contains(&format!("```{lang}\n{code}\n```\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("xtask-docs-{}-{}", std::process::id(), files.len()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        root
    }

    #[test]
    fn every_kind_of_broken_link_is_found_and_good_ones_pass() {
        let root = book(&[
            (
                "README.md",
                "[a](docs/src/a.md#the-top) [b](docs/src/a.md#nowhere) [c](LICENSE)\n",
            ),
            ("LICENSE", "text"),
            (
                "docs/src/SUMMARY.md",
                "# Summary\n\n- [A](a.md)\n- [Gone](gone.md)\n",
            ),
            (
                "docs/src/a.md",
                "# The top\n\n[self](#the-top) [up](../../README.md) `[x](y.md)`\n\
                 ```rust\n{{#include ../../missing.rs}}\n[z](in-code.md)\n```\n",
            ),
            ("docs/src/orphan.md", "# Orphan\n"),
        ]);
        let broken = broken_links(&root).expect("checked");
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(
            broken,
            [
                "README.md: docs/src/a.md#nowhere: no heading #nowhere",
                "docs/src/SUMMARY.md: gone.md: no such file",
                &format!(
                    "docs/src/a.md: ../../README.md: outside {}",
                    root.join("docs/src").display()
                ),
                "docs/src/a.md: {{#include ../../missing.rs}}: no such file",
                "docs/src/SUMMARY.md: does not list orphan.md",
            ]
        );
    }

    #[test]
    fn heading_ids_follow_mdbook() {
        let ids = heading_ids("# `create-meeting`\n## What is normalized?\n## Errors\n## Errors\n");
        let want: BTreeSet<String> = ["create-meeting", "what-is-normalized", "errors", "errors-1"]
            .map(String::from)
            .into();
        assert_eq!(ids, want);
    }

    #[test]
    fn counts_are_read_with_thousands_separators_and_whole_words() {
        assert_eq!(
            counts_in("83 operations and 1,000 operations", "operations"),
            [83, 1000]
        );
        assert_eq!(counts_in("(78 tools; 5 toolsets)", "tools"), [78]);
        assert!(counts_in("the operations", "operations").is_empty());
    }

    #[test]
    fn the_readme_and_the_book_have_no_broken_links() {
        let broken = broken_links(&crate::workspace_root()).expect("checked");
        assert!(
            broken.is_empty(),
            "broken links:\n  {}",
            broken.join("\n  ")
        );
    }
}

//! The book's generated operations page and the counts the README and the
//! book state: each fails when it no longer matches the component.

use std::path::Path;

use goto_host_cli::reference;
use goto_test_support::{docs, workspace_root};

#[test]
fn the_operations_page_is_generated_from_the_current_wit() {
    let page = reference::operations_page().expect("the page");
    let path = workspace_root().join("docs/src/operations.md");
    let committed = std::fs::read_to_string(&path).expect("docs/src/operations.md");
    assert!(
        committed.trim_end() == page.trim_end(),
        "docs/src/operations.md is stale; write it again with\n  {}",
        reference::REGENERATE
    );
}

/// Every `N operations`, `N tools` and `N cassettes` in the README and the
/// book is the number there is.
#[test]
fn every_stated_count_is_the_real_one() {
    let connector = goto_host::Connector::embedded()
        .build()
        .expect("load the component");
    let operations = connector.operations().count();
    // The MCP server serves every operation that takes a connection.
    let tools = connector
        .operations()
        .filter(|op| op.params.iter().any(|(name, _)| name == "connection"))
        .count();
    let cassettes = count_json(&goto_host::cassettes_dir());
    let root = workspace_root();
    for (noun, real) in [
        ("operations", operations),
        ("tools", tools),
        ("cassettes", cassettes),
    ] {
        let stated = docs::stated_counts(&root, noun).expect("read the pages");
        assert!(
            !stated.is_empty(),
            "no page states how many {noun} there are"
        );
        for (at, n) in stated {
            assert_eq!(n, real as u64, "{at} says {n} {noun}; there are {real}");
        }
    }
}

fn count_json(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("the cassettes")
        .map(|e| e.expect("an entry").path())
        .map(|p| match p.is_dir() {
            true => count_json(&p),
            false => usize::from(p.extension().is_some_and(|e| e == "json")),
        })
        .sum()
}

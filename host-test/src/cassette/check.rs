//! Running cassettes: finding them, replaying each against a connector and
//! judging the result.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;

use serde_json::Value;

use super::{Cassette, Replay};
use crate::runtime::Connector;
use crate::sandbox::Backend;

/// Every `*.json` file under the given files or directories, sorted.
pub fn cassette_files(roots: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for entry in
                std::fs::read_dir(&p).with_context(|| format!("reading {}", p.display()))?
            {
                stack.push(entry?.path());
            }
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        } else if !p.exists() {
            anyhow::bail!("{} does not exist", p.display());
        }
    }
    out.sort();
    Ok(out)
}

/// The verdict on one cassette.
#[derive(Debug)]
pub struct Verdict {
    /// Every rule the case broke; empty when it passed.
    pub failures: Vec<String>,
    /// What the operation returned.
    pub result: Value,
}

impl Verdict {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs one cassette against the connector and checks every rule. The
/// sandbox's clock and randomness are fixed
/// ([`crate::ReplaySettings::deterministic`]), so token expiries and PKCE
/// verifiers are the same on every run. The connector's own backend is not
/// used: the cassette answers.
pub fn check(connector: &Connector, cassette: &Cassette) -> Verdict {
    let replay = Arc::new(Mutex::new(Replay::new(cassette.interactions.clone())));
    let mut failures = Vec::new();
    let replaying = connector
        .clone()
        .with_backend(Backend::deterministic_replay(replay.clone()));
    let result = match replaying.blocking().call(
        &cassette.operation,
        &cassette.connection(),
        &cassette.input,
    ) {
        Ok(outcome) => outcome.result,
        Err(e) => {
            failures.push(format!("call failed: {e:#}"));
            Value::Null
        }
    };
    if let Ok(replay) = replay.lock() {
        failures.extend(replay.misses.iter().cloned());
        if replay.unused() > 0 {
            failures.push(format!(
                "{} interaction(s) never requested",
                replay.unused()
            ));
        }
    }
    if failures.is_empty() {
        subset(&cassette.expect, &result, "", &mut failures);
    }
    Verdict { failures, result }
}

/// Every key of `want` must be in `got` with a matching value (recursively);
/// arrays must have the same length and match element by element.
pub fn subset(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let sub = format!("{path}/{k}");
                match g.get(k) {
                    Some(gv) => subset(wv, gv, &sub, out),
                    None => out.push(format!("{sub}: missing, expected {wv}")),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                subset(wv, gv, &format!("{path}/{i}"), out);
            }
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!(
            "{}: expected {w}, got {g}",
            if path.is_empty() { "/" } else { path }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[test]
    fn subset_checks_keys_values_and_array_lengths() {
        let mut out = vec![];
        subset(
            &json!({"ok": {"a": 1}}),
            &json!({"ok": {"a": 1, "b": 2}}),
            "",
            &mut out,
        );
        assert!(out.is_empty());
        subset(
            &json!({"ok": {"a": 2}}),
            &json!({"ok": {"a": 1}}),
            "",
            &mut out,
        );
        subset(&json!({"ok": [1]}), &json!({"ok": [1, 2]}), "", &mut out);
        subset(&json!({"error": "x"}), &json!({"ok": 1}), "", &mut out);
        assert_eq!(out.len(), 3, "{out:?}");
    }
}

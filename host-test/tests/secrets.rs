//! No operation output, error text or runner log line may contain a secret
//! a call used: the client secret, the authorization code, the PKCE
//! verifier, an access token, a refresh token or a GoToAssist partner's
//! user token. Runs every cassette.
//!
//! Tokens are allowed in exactly the places they belong: a successful
//! token set's `accessToken`/`refreshToken` and a PKCE pair's `verifier`.
//! Request headers are not outputs, so the bearer or Basic credentials the
//! cassettes expect there are not scanned.

use std::sync::OnceLock;

use goto_host::cassette::{self, Cassette};
use goto_host::{Connector, cassettes_dir};
use serde_json::Value;

fn connector() -> &'static Connector {
    static C: OnceLock<Connector> = OnceLock::new();
    C.get_or_init(|| Connector::embedded().build().expect("the component loads"))
}

/// Input keys that hold secrets (lowerCamelCase, as in cassettes).
const SECRET_INPUTS: &[&str] = &["clientSecret", "codeVerifier", "refreshToken", "userToken"];
/// Response keys that hold secrets (GoTo's token responses).
const SECRET_RESPONSES: &[&str] = &["access_token", "refresh_token"];
/// Output fields of a success that carry a token by design.
const TOKEN_OUTPUTS: &[&str] = &["accessToken", "refreshToken", "verifier"];

fn strings_under(v: &Value, keys: &[&str], out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => out.push(s.clone()),
                    other => strings_under(other, keys, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| strings_under(i, keys, out)),
        _ => {}
    }
}

/// Every secret a cassette's call uses or receives.
fn secrets_of(c: &Cassette) -> Vec<String> {
    let mut out = Vec::new();
    strings_under(&c.connection(), &["accessToken"], &mut out);
    strings_under(&c.input, SECRET_INPUTS, &mut out);
    // `code` is a secret where it is an authorization code; other
    // operations may have a harmless field of that name.
    if c.operation == "exchange-code" {
        strings_under(&c.input, &["code"], &mut out);
    }
    for i in &c.interactions {
        if let Some(json) = &i.response.json {
            strings_under(json, SECRET_RESPONSES, &mut out);
        }
        for (name, value) in &i.request.headers {
            if name.eq_ignore_ascii_case("authorization")
                && let Some((_, credential)) = value.split_once(' ')
            {
                out.push(credential.to_string());
            }
        }
    }
    // Redaction skips strings shorter than 4 characters; none are used here.
    out.retain(|s| s.len() >= 4);
    out.sort();
    out.dedup();
    out
}

/// The output with the by-design token fields of a success removed.
fn scannable(result: &Value) -> String {
    let mut r = result.clone();
    if let Some(Value::Object(ok)) = r.get_mut("ok") {
        for k in TOKEN_OUTPUTS {
            ok.remove(*k);
        }
    }
    r.to_string()
}

/// The secrets found in `texts`, as (secret, where) pairs.
fn leaks(secrets: &[String], texts: &[(&str, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for s in secrets {
        for (what, text) in texts {
            if text.contains(s.as_str()) {
                found.push(format!("{s:?} in {what}: {text}"));
            }
        }
    }
    found
}

#[test]
fn the_scanner_finds_a_leak() {
    let secrets = vec!["test-client-secret-9f8e7d".to_string()];
    let leaking = serde_json::json!({"error": {"bad-request": {"message": "client test-client-secret-9f8e7d"}}});
    assert_eq!(leaks(&secrets, &[("output", scannable(&leaking))]).len(), 1);
    let token_set =
        serde_json::json!({"ok": {"accessToken": "test-client-secret-9f8e7d", "scope": "x"}});
    assert!(leaks(&secrets, &[("output", scannable(&token_set))]).is_empty());
    let elsewhere = serde_json::json!({"ok": {"principal": "test-client-secret-9f8e7d"}});
    assert_eq!(
        leaks(&secrets, &[("output", scannable(&elsewhere))]).len(),
        1
    );
}

#[test]
fn every_kind_of_secret_is_scanned_for() {
    let secrets = |case: &str| {
        let c = Cassette::load(&cassettes_dir().join(case)).expect("cassette");
        secrets_of(&c)
    };
    // GoToAssist's partner user token, which GoTo quotes in this 401.
    assert!(
        secrets("create-system-links/no-seat.json")
            .contains(&"F5EE645AAA87462523475FFF8576348574".to_string())
    );
    let exchange = secrets("exchange-code/invalid-grant.json");
    assert!(
        exchange.iter().any(|s| s.starts_with("test-auth-code")),
        "{exchange:?}"
    );
    assert!(
        exchange.iter().any(|s| s.contains("secret")),
        "{exchange:?}"
    );
}

#[test]
fn no_output_error_or_log_line_contains_a_secret() {
    let files = cassette::cassette_files(&[cassettes_dir()]).expect("cassettes dir");
    let mut found = Vec::new();
    let mut echoed = 0;
    let mut oauth_cases = 0;
    for path in &files {
        let name = path
            .strip_prefix(cassettes_dir())
            .unwrap_or(path)
            .display()
            .to_string();
        let c = Cassette::load(path).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        let secrets = secrets_of(&c);
        if c.input.get("client").is_some() {
            oauth_cases += 1;
        }
        // Cases whose error response quotes a secret: these exercise redaction.
        for i in &c.interactions {
            let body = i
                .response
                .json
                .as_ref()
                .map(Value::to_string)
                .unwrap_or_default();
            if !(200..300).contains(&i.response.status)
                && secrets.iter().any(|s| body.contains(s.as_str()))
            {
                echoed += 1;
            }
        }
        let verdict = cassette::check(connector(), &c);
        let mut texts = vec![("output", scannable(&verdict.result))];
        texts.extend(verdict.failures.iter().map(|f| ("runner log", f.clone())));
        found.extend(
            leaks(&secrets, &texts)
                .into_iter()
                .map(|l| format!("{name}: {l}")),
        );
    }
    assert!(
        oauth_cases >= 8,
        "the oauth cassettes are missing ({oauth_cases})"
    );
    assert!(
        echoed >= 2,
        "at least two cassettes must have GoTo quote a secret in an error body, so redaction is exercised ({echoed})"
    );
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));
}

#[test]
fn a_mismatched_token_request_is_reported_without_its_credentials() {
    // The component sends a code the cassette did not expect: the failure
    // lines must say so without quoting either code or the Basic credentials.
    let path = cassettes_dir().join("exchange-code/invalid-grant.json");
    let mut c = Cassette::load(&path).expect("cassette");
    c.input["code"] = Value::String("test-other-code-Zq81Lm".into());
    let mut secrets = secrets_of(&c);
    secrets.push("test-auth-code-iS0vynEEvRFA9i6k".into());
    let verdict = cassette::check(connector(), &c);
    assert!(!verdict.passed(), "the changed code must not match");
    assert!(
        verdict.failures.iter().any(|f| f.contains("form body")),
        "{:?}",
        verdict.failures
    );
    assert_failures_keep(&secrets, &verdict, Some(scannable(&verdict.result)));

    // A wrong client secret changes only the Basic header.
    let mut c = Cassette::load(&path).expect("cassette");
    c.input["client"]["clientSecret"] = Value::String("test-wrong-secret-77aa".into());
    let secrets = secrets_of(&c);
    let verdict = cassette::check(connector(), &c);
    assert!(
        verdict
            .failures
            .iter()
            .any(|f| f.contains("header authorization")),
        "{:?}",
        verdict.failures
    );
    assert_failures_keep(&secrets, &verdict, None);
}

/// No failure line of `verdict` (nor `output`, when given) holds a secret.
fn assert_failures_keep(secrets: &[String], verdict: &cassette::Verdict, output: Option<String>) {
    let texts: Vec<(&str, String)> = verdict
        .failures
        .iter()
        .map(|f| ("runner log", f.clone()))
        .chain(output.map(|o| ("output", o)))
        .collect();
    let found = leaks(secrets, &texts);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

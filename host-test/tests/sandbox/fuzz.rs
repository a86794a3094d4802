//! Every operation that sends a request, fed arbitrary answers: any status,
//! random headers, and a body of random bytes, random JSON, or a mutation of
//! the recorded success body. Every call must return a typed result
//! (`{"ok": ..}` or `{"error": {<known case>: ..}}`) whose case is the one
//! the status of the last answer maps to ([`fits_status`]): no trap, no
//! panic, no host error. `GOTO_FUZZ_CASES` sets the total number of cases
//! (default 10,080, spread evenly over the operations).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use goto_host::Response;
use goto_host::cassette::Cassette;
use goto_host::effect::Effect;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::{Fixed, connector, error_kind, success_cassettes};

const KNOWN_ERRORS: &[&str] = &[
    "invalid-input",
    "unauthorized",
    "forbidden",
    "not-found",
    "bad-request",
    "conflict",
    "rate-limited",
    "server",
    "unexpected-status",
    "invalid-response",
    "transport",
];

/// Whether `result` is what an answer of `status` may give, as the book's
/// errors page (`docs/src/errors.md`) maps statuses to cases; `seen` are the requests made ("METHOD
/// uri") and `statuses` the status each got. A transport error may come
/// from any answer (a lying Content-Length, say); an `api-error` carries the
/// status it was made from. With `redirect` (an operation that returns a
/// redirect's target, its success answer being a 3xx) a 3xx is a success.
fn fits_status(
    result: &Value,
    seen: &[String],
    statuses: &[u16],
    redirect: bool,
    reads_only: bool,
) -> Result<(), String> {
    let Some(&status) = statuses.last() else {
        return Err("no request was sent".into());
    };
    let success = (200..300).contains(&status) || (redirect && (300..400).contains(&status));
    // A DELETE retried after a 502/503/504 that then gets 404 succeeded.
    let retried_delete = status == 404
        && seen.last().is_some_and(|s| s.starts_with("DELETE "))
        && statuses[..statuses.len() - 1]
            .iter()
            .any(|s| matches!(s, 502..=504));
    let case = match error_kind(result) {
        None => {
            return (success || retried_delete)
                .then_some(())
                .ok_or_else(|| format!("HTTP {status} gave ok"));
        }
        Some(case) => case,
    };
    let fits = match case.as_str() {
        "transport" => true,
        "invalid-response" => success,
        "not-found" => status == 404 || success, // success: an empty list for one record
        "unauthorized" => matches!(status, 401 | 403),
        "forbidden" => status == 403,
        "bad-request" => matches!(status, 400 | 422),
        "conflict" => status == 409,
        "rate-limited" => status == 429,
        "server" => (500..600).contains(&status),
        "unexpected-status" => {
            !success && !matches!(status, 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500..=599)
        }
        _ => false,
    };
    if !fits {
        return Err(format!("HTTP {status} gave {case}"));
    }
    let payload = &result["error"][&case];
    if let Some(s) = payload.get("status")
        && s != status
    {
        return Err(format!(
            "{case} carries status {s}, the answer was {status}"
        ));
    }
    // Whether GoTo may have applied it: never for reads (GETs, or an
    // operation that only reads whatever its method); always for a change
    // GoTo answered with success.
    let reads = reads_only || seen.iter().all(|s| s.starts_with("GET "));
    let applied = payload.get("applied").and_then(Value::as_str);
    match (reads, case.as_str(), applied) {
        (_, "invalid-input", None) => Ok(()),
        (_, _, None) => Err(format!("{case} does not say whether it was applied")),
        (true, _, Some(a)) if a != "no" => Err(format!("a read says applied: {a}")),
        (false, "invalid-response", Some(a)) if a != "yes" => {
            Err(format!("a change answered HTTP {status} says applied: {a}"))
        }
        _ => Ok(()),
    }
}

#[test]
fn the_status_check_refuses_a_wrong_case() {
    fn check(r: &Value, seen: &[String], statuses: &[u16], redirect: bool) -> Result<(), String> {
        fits_status(r, seen, statuses, redirect, false)
    }
    let get = ["GET https://api.getgo.com/G2M/rest/meetings/1".to_string()];
    let error =
        |case: &str, status: u16| json!({"error": {case: {"status": status, "applied": "no"}}});
    assert!(check(&json!({"ok": null}), &get, &[404], false).is_err());
    assert!(check(&json!({"ok": null}), &get, &[200], false).is_ok());
    assert!(check(&error("not-found", 404), &get, &[404], false).is_ok());
    assert!(check(&error("server", 404), &get, &[404], false).is_err());
    assert!(check(&error("not-found", 500), &get, &[404], false).is_err());
    assert!(check(&error("unexpected-status", 400), &get, &[400], false).is_err());
    assert!(check(&error("unexpected-status", 302), &get, &[302], false).is_ok());
    let text = |case: &str| json!({"error": {case: {"message": "x", "applied": "no"}}});
    assert!(check(&text("invalid-response"), &get, &[500], false).is_err());
    assert!(check(&text("transport"), &get, &[500], false).is_ok());
    let delete = vec!["DELETE https://api.getgo.com/G2M/rest/meetings/1".to_string(); 2];
    assert!(check(&json!({"ok": null}), &delete, &[503, 404], false).is_ok());
    assert!(check(&json!({"ok": null}), &delete, &[429, 404], false).is_err());
    assert!(check(&json!({"ok": null}), &get, &[], false).is_err());
    // What it says about `applied`: never for a read, yes for a change
    // GoTo answered with success, and always said.
    let applied = |case: &str, status: u16, applied: &str| json!({"error": {case: {"status": status, "applied": applied}}});
    let post = ["POST https://api.getgo.com/G2M/rest/meetings".to_string()];
    assert!(check(&applied("server", 500, "maybe"), &get, &[500], false).is_err());
    assert!(check(&applied("server", 500, "no"), &get, &[500], false).is_ok());
    assert!(check(&applied("server", 500, "maybe"), &post, &[500], false).is_ok());
    assert!(
        check(
            &applied("invalid-response", 201, "no"),
            &post,
            &[201],
            false
        )
        .is_err()
    );
    assert!(
        check(
            &applied("invalid-response", 201, "yes"),
            &post,
            &[201],
            false
        )
        .is_ok()
    );
    // An operation that returns a redirect's target: a 3xx is its success.
    assert!(check(&json!({"ok": "https://x"}), &get, &[302], true).is_ok());
    assert!(check(&json!({"ok": "https://x"}), &get, &[302], false).is_err());
    let silent = json!({"error": {"server": {"status": 500}}});
    assert!(check(&silent, &post, &[500], false).is_err());
    // A report GoTo serves to a POST only reads: applied is no.
    let report = applied("invalid-response", 200, "no");
    assert!(fits_status(&report, &post, &[200], false, true).is_ok());
    let said_yes = applied("invalid-response", 200, "yes");
    assert!(fits_status(&said_yes, &post, &[200], false, true).is_err());
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 202, 204, 206, 299]),
        2 => prop::sample::select(vec![
            301u16, 302, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504
        ]),
        2 => 100u16..=599,
    ]
}

fn header() -> impl Strategy<Value = (String, String)> {
    let value = prop_oneof![
        "[ -~]{0,40}",
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
        Just("application/json".to_string()),
        Just("text/html; charset=utf-8".to_string()),
    ];
    let name = prop_oneof![
        prop::sample::select(vec![
            "content-type",
            "content-length",
            "retry-after",
            "x-amzn-errortype",
            "location",
            "transfer-encoding",
            "content-encoding",
        ])
        .prop_map(str::to_string),
        "[a-z-]{1,20}",
    ];
    (name, value)
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,20}".prop_map(Value::String),
        prop::sample::select(vec![
            "2012-12-01T09:00:00.+0000",
            "06/14/2012 11:14:43",
            "",
            "InvalidToken",
            "18446744073709551615",
            "-1",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(vec![
                            "meetingId",
                            "subject",
                            "startTime",
                            "endTime",
                            "key",
                            "content",
                            "access_token",
                            "expires_in",
                            "errorCode",
                            "message",
                            "uuid",
                            "organizerKey",
                            "status",
                            "links",
                            "page",
                        ])
                        .prop_map(str::to_string),
                        "[a-zA-Z_]{1,12}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Replaces a random node of `v` (chosen by `pick`) with `with`.
fn replace_node(v: &mut Value, pick: &mut usize, with: &Value) -> bool {
    if *pick == 0 {
        *v = with.clone();
        return true;
    }
    *pick -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| replace_node(x, pick, with)),
        Value::Object(m) => m.values_mut().any(|x| replace_node(x, pick, with)),
        _ => false,
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Put a random JSON value at the n-th node.
    Node(usize, Value),
    /// Cut the serialized body at a fraction (per mille).
    Truncate(u16),
    /// Overwrite bytes at fractions of the length.
    Flip(Vec<(u16, u8)>),
}

fn mutate(recorded: &[u8], m: &Mutation) -> Vec<u8> {
    let at = |per_mille: u16, len: usize| len * usize::from(per_mille.min(1000)) / 1000;
    match m {
        Mutation::Node(n, with) => match serde_json::from_slice::<Value>(recorded) {
            Ok(mut v) => {
                let mut pick = *n;
                replace_node(&mut v, &mut pick, with);
                v.to_string().into_bytes()
            }
            Err(_) => recorded.to_vec(),
        },
        Mutation::Truncate(p) => recorded[..at(*p, recorded.len())].to_vec(),
        Mutation::Flip(flips) => {
            let mut b = recorded.to_vec();
            for (p, byte) in flips {
                if !b.is_empty() {
                    let i = at(*p, b.len() - 1);
                    b[i] = *byte;
                }
            }
            b
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (0usize..40, json_value()).prop_map(|(n, v)| Mutation::Node(n, v)),
        1 => (0u16..1000).prop_map(Mutation::Truncate),
        1 => prop::collection::vec((0u16..=1000, any::<u8>()), 1..4).prop_map(Mutation::Flip),
    ]
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    Json(Value),
    Mutated(Mutation),
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Body::Bytes),
        2 => json_value().prop_map(Body::Json),
        3 => mutation().prop_map(Body::Mutated),
    ]
}

/// One answer: status, headers, body.
fn response() -> impl Strategy<Value = (u16, Vec<(String, String)>, Body)> {
    (status(), prop::collection::vec(header(), 0..4), body())
}

fn canned(
    recorded: &[u8],
    (status, headers, body): &(u16, Vec<(String, String)>, Body),
) -> Response {
    Response {
        status: *status,
        headers: headers.clone(),
        body: match body {
            Body::Bytes(b) => b.clone(),
            Body::Json(v) => v.to_string().into_bytes(),
            Body::Mutated(m) => mutate(recorded, m),
        },
        fault: None,
    }
}

/// Runs `cases` arbitrary exchanges of one operation; returns how many ran
/// and how many of them sent a request.
fn fuzz_operation(c: &Cassette, cases: u32) -> (usize, usize) {
    let success = c
        .interactions
        .first()
        .and_then(|i| i.response.canned().ok());
    let redirect = success
        .as_ref()
        .is_some_and(|r| (300..400).contains(&r.status));
    let recorded: Vec<u8> = success.map(|r| r.body).unwrap_or_default();
    // What the front-ends take the operation to do: a read never says it
    // may have changed something, whatever its method.
    let reads_only = Effect::of(&c.operation) == Effect::Read;
    let ran = AtomicUsize::new(0);
    let sent = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&prop::collection::vec(response(), 1..4), |answers| {
        ran.fetch_add(1, Ordering::Relaxed);
        let egress = std::sync::Arc::new(std::sync::Mutex::new(Fixed {
            answers: answers.iter().map(|a| canned(&recorded, a)).collect(),
            seen: vec![],
        }));
        let out = connector()
            .clone()
            .with_backend(goto_host::Backend::deterministic_replay(egress.clone()))
            .blocking()
            .call(&c.operation, &c.connection(), &c.input)
            .map_err(|e| TestCaseError::fail(format!("trap or host error: {e:#}")))?;
        let r = &out.result;
        let typed = r.get("ok").is_some()
            || error_kind(r).is_some_and(|k| KNOWN_ERRORS.contains(&k.as_str()));
        prop_assert!(typed, "not a typed result: {}", r);
        let seen = egress.lock().map(|e| e.seen.clone()).unwrap_or_default();
        if !seen.is_empty() {
            sent.fetch_add(1, Ordering::Relaxed);
        }
        // Fixed answers in order and repeats the last answer.
        let statuses: Vec<u16> = (0..seen.len())
            .map(|i| answers[i.min(answers.len() - 1)].0)
            .collect();
        if let Err(why) = fits_status(r, &seen, &statuses, redirect, reads_only) {
            prop_assert!(false, "{why}: {r}");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{}: {e}", c.operation);
    }
    (ran.into_inner(), sent.into_inner())
}

#[test]
fn every_operation_returns_a_typed_result_for_arbitrary_answers() {
    let total: u32 = std::env::var("GOTO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_080);
    let ops = success_cassettes();
    // Every exported operation but the three that send nothing has a success
    // cassette to fuzz from.
    let fuzzed: Vec<&str> = ops.iter().map(|c| c.operation.as_str()).collect();
    let sending: Vec<&str> = connector()
        .operations()
        .map(|o| o.name.as_str())
        .filter(|n| {
            !matches!(
                *n,
                "create-pkce" | "authorization-url" | "parse-webhook-event"
            )
        })
        .collect();
    let mut missing: Vec<&&str> = sending.iter().filter(|n| !fuzzed.contains(n)).collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "no success cassette to fuzz: {missing:?}"
    );
    let per_op = total.div_ceil(ops.len() as u32).max(1);
    let start = Instant::now();
    let (mut ran, mut sent) = (0, 0);
    for c in &ops {
        let (r, s) = fuzz_operation(c, per_op);
        ran += r;
        sent += s;
    }
    println!(
        "fuzz: {ran} cases over {} operations in {:.1} s, traps 0",
        ops.len(),
        start.elapsed().as_secs_f64()
    );
    // A valid input always reaches GoTo: a case that sent nothing fuzzed nothing.
    assert_eq!(sent, ran, "{} cases sent no request", ran - sent);
}

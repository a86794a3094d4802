//! The sandbox promises, tested against the real component in the real
//! host: faults and hostile responses ([`faults`]), the egress policy
//! ([`policy`]), a property test of every operation against arbitrary
//! responses ([`fuzz`]) and live calls to a loopback server ([`live`]).

mod connections;
mod faults;
mod fuzz;
mod live;
mod policy;

use std::sync::{Arc, Mutex, OnceLock};

use goto_host::cassette::Cassette;
use goto_host::{
    Backend, Connector, Egress, HostError, Outcome, OutgoingRequest, Response, cassettes_dir,
};
use serde_json::{Value, json};
use wasmtime_wasi_http::Error as HttpError;

/// Compiled once per test process.
pub fn connector() -> &'static Connector {
    static C: OnceLock<Connector> = OnceLock::new();
    C.get_or_init(|| Connector::embedded().build().expect("the component loads"))
}

/// Answers every request with the next canned response (the last one
/// repeats) and keeps the URIs it was asked for.
#[derive(Default)]
pub struct Fixed {
    pub answers: Vec<Response>,
    pub seen: Vec<String>,
}

impl Egress for Fixed {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError> {
        self.seen
            .push(format!("{} {}", request.method, request.uri));
        let i = (self.seen.len() - 1).min(self.answers.len().saturating_sub(1));
        self.answers
            .get(i)
            .cloned()
            .ok_or(HttpError::InternalError(Some("no answer".into())))
    }
}

/// Calls `operation` on `c` with replay options (virtual time, fixed clock
/// and randomness); returns the outcome and what the egress saw.
pub fn call_on(
    c: &Connector,
    operation: &str,
    connection: Value,
    input: Value,
    answers: Vec<Response>,
) -> (Result<Outcome, HostError>, Vec<String>) {
    let egress = Arc::new(Mutex::new(Fixed {
        answers,
        seen: vec![],
    }));
    let out = c
        .clone()
        .with_backend(Backend::deterministic_replay(egress.clone()))
        .blocking()
        .call(operation, &connection, &input);
    let seen = egress.lock().map(|e| e.seen.clone()).unwrap_or_default();
    (out, seen)
}

pub fn token() -> Value {
    json!({"accessToken": "test-token"})
}

/// A good `get-meeting` answer.
pub fn meeting_ok() -> Response {
    Response::new(
        200,
        &[("content-type", "application/json")],
        r#"[{"meetingId":123456789,"subject":"test","startTime":"2012-12-01T09:00:00.+0000","endTime":"2012-12-01T10:00:00.+0000","meetingType":"Scheduled"}]"#,
    )
}

/// The next call on `c` works: a plain successful `get-meeting`.
pub fn next_call_works(c: &Connector) {
    let (out, seen) = call_on(
        c,
        "get-meeting",
        token(),
        json!({"meetingId": 123456789}),
        vec![meeting_ok()],
    );
    let out = out.expect("the next call runs");
    assert_eq!(out.result["ok"]["meetingId"], "123456789", "{}", out.result);
    assert_eq!(seen.len(), 1);
}

/// The error case name of a `{"error": {...}}` result, or `None` for `ok`.
pub fn error_kind(result: &Value) -> Option<String> {
    let e = result.get("error")?;
    match e {
        Value::Object(m) => m.keys().next().cloned(),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The text of a `transport`, `invalid-response` or `invalid-input` error
/// (the `message` of the first two's records).
pub fn error_text(result: &Value) -> String {
    result["error"]
        .as_object()
        .and_then(|m| m.iter().next())
        .map(|(case, v)| match v {
            Value::String(s) => s.clone(),
            Value::Object(r) if matches!(case.as_str(), "transport" | "invalid-response") => {
                r["message"].as_str().unwrap_or_default().to_string()
            }
            other => other.to_string(),
        })
        .unwrap_or_default()
}

/// One success cassette of every operation that sends a request: its
/// `success.json`, else the first other case that succeeds.
pub fn success_cassettes() -> Vec<Cassette> {
    let mut all: Vec<(bool, Cassette)> = Vec::new();
    for p in goto_host::cassette::cassette_files(&[cassettes_dir()]).expect("cassettes") {
        let c = Cassette::load(&p).expect("cassette loads");
        let named = p.file_stem().is_some_and(|s| s == "success");
        if c.expect.get("ok").is_some() && !c.interactions.is_empty() {
            all.push((named, c));
        }
    }
    // `success.json` first, then the rest in path order (a stable sort).
    all.sort_by_key(|(named, _)| !*named);
    let mut out: Vec<Cassette> = Vec::new();
    for (_, c) in all {
        if !out.iter().any(|o| o.operation == c.operation) {
            out.push(c);
        }
    }
    out.sort_by(|a, b| a.operation.cmp(&b.operation));
    out
}

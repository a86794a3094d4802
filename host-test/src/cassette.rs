//! Cassettes: recorded GoTo exchanges, one JSON file per case, under
//! `cassettes/<operation>/<case>.json`. The format is in the README
//! ("Cassettes"); [`Replay`] answers strictly from one cassette, [`Demo`] answers any
//! request by method and path shape from all success cassettes.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use wasmtime_wasi_http::Error as HttpError;

use crate::exchange::Fault;
use crate::exchange::{Egress, OutgoingRequest, Response};
use crate::runtime::Connector;
use crate::sandbox::Backend;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// One case.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// The WIT function name.
    pub operation: String,
    /// What the case shows (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The `connection` argument; default `{"accessToken": "test-token"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<Value>,
    /// The other arguments by lowerCamelCase parameter name.
    #[serde(default)]
    pub input: Value,
    /// Expected exchanges, in order; empty means nothing may be sent.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// `{"ok": value}` or `{"error": value}`, compared as a subset.
    pub expect: Value,
}

/// One request the component must send and the answer it gets.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// What the request must look like.
    pub request: RecordedRequest,
    /// The answer handed back.
    pub response: RecordedResponse,
}

/// A request as a cassette expects it (see the matching rules in [`mismatch`]).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// The method (`GET`).
    pub method: String,
    /// The URL: scheme, host, port and path must be equal, the query
    /// parameters equal as a multiset.
    pub url: String,
    /// Headers that must be present with these values (others not checked).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Body compared as JSON; absent: not checked; `null`: no body.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub json: Option<Value>,
    /// Body compared as form fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<BTreeMap<String, String>>,
    /// Body compared as exact text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// An answer as a cassette holds it: the status, headers and one form of
/// the body.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// The response headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The body as JSON (sent with `content-type: application/json` unless
    /// the headers say otherwise).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub json: Option<Value>,
    /// The body as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body as base64, for bytes that are not text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// A network fault the host plays with this answer (see [`Fault`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// Distinguishes a present `null` from an absent key.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Cassette {
    /// Reads and parses the cassette file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<Cassette> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// The connection the case calls with (default: the token `test-token`).
    pub fn connection(&self) -> Value {
        self.connection
            .clone()
            .unwrap_or_else(|| serde_json::json!({"accessToken": "test-token"}))
    }
}

impl RecordedResponse {
    /// The [`Response`] the guest gets, or why this one cannot be built.
    pub fn canned(&self) -> Result<Response, String> {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let body = match (&self.json, &self.body, &self.body_base64) {
            (Some(j), None, None) => {
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                {
                    headers.push(("content-type".into(), "application/json".into()));
                }
                j.to_string().into_bytes()
            }
            (None, Some(b), None) => b.clone().into_bytes(),
            (None, None, Some(b)) => decode_base64(b).ok_or("bodyBase64 is not valid base64")?,
            (None, None, None) => Vec::new(),
            _ => return Err("a response has at most one of json, body, bodyBase64".into()),
        };
        Ok(Response {
            status: self.status,
            headers,
            body,
            fault: self.fault.clone(),
        })
    }
}

/// Decodes what a cassette's `bodyBase64` may hold: the standard or the
/// URL-safe alphabet, padded or not, whitespace ignored.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);

/// Standard base64 with padding, as a recording writes `bodyBase64`.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    GeneralPurpose::new(&alphabet::STANDARD, LENIENT)
        .decode(&s)
        .or_else(|_| GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT).decode(&s))
        .ok()
}

/// Why a request did not match an interaction, or `None` when it did.
pub fn mismatch(want: &RecordedRequest, got: &OutgoingRequest) -> Option<String> {
    if !want.method.eq_ignore_ascii_case(&got.method) {
        return Some(format!(
            "method: expected {}, got {}",
            want.method, got.method
        ));
    }
    let got_uri = got.uri.to_string();
    // The same text is the same URL; only different texts are compared by
    // their parts (host case, default port, query order).
    if want.url != got_uri
        && let Some(why) = url_mismatch(&want.url, &got_uri)
    {
        return Some(why);
    }
    for (name, value) in &want.headers {
        let found = got
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        if found != Some(value) {
            if name.eq_ignore_ascii_case("authorization") {
                // Credentials never go into a log line.
                return Some(format!(
                    "header {name}: {} (values not shown: credentials)",
                    if found.is_some() {
                        "differs"
                    } else {
                        "missing"
                    }
                ));
            }
            return Some(format!("header {name}: expected {value:?}, got {found:?}"));
        }
    }
    let text = String::from_utf8_lossy(&got.body);
    if let Some(json) = &want.json {
        let got_json = if got.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&got.body).unwrap_or(Value::String(text.to_string()))
        };
        if *json != got_json {
            return Some(format!("json body: expected {json}, got {got_json}"));
        }
    }
    if let Some(form) = &want.form {
        let got_form: BTreeMap<String, String> = url::form_urlencoded::parse(&got.body)
            .into_owned()
            .collect();
        if *form != got_form {
            return Some(format!(
                "form body: expected {:?}, got {:?} (credential fields shown as [redacted])",
                without_credentials(form),
                without_credentials(&got_form)
            ));
        }
    }
    if let Some(body) = want.body.as_ref().filter(|b| **b != text) {
        return Some(format!("body: expected {body:?}, got {text:?}"));
    }
    None
}

/// Where two different URL texts differ: origin and path, then the query
/// as a set of pairs.
fn url_mismatch(want: &str, got: &str) -> Option<String> {
    let Ok(want_url) = url::Url::parse(want) else {
        return Some(format!("cassette url {want:?} does not parse"));
    };
    let Ok(got_url) = url::Url::parse(got) else {
        return Some(format!("request uri {got} does not parse"));
    };
    let origin = |u: &url::Url| {
        (
            u.scheme().to_string(),
            u.host_str().map(str::to_ascii_lowercase),
            u.port_or_known_default(),
        )
    };
    if origin(&want_url) != origin(&got_url) || want_url.path() != got_url.path() {
        return Some(format!("url: expected {}, got {}", want, got));
    }
    let query = |u: &url::Url| {
        let mut q: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        q.sort();
        q
    };
    if query(&want_url) != query(&got_url) {
        return Some(format!(
            "query: expected {:?}, got {:?}",
            query(&want_url),
            query(&got_url)
        ));
    }
    None
}

/// Form fields that carry OAuth credentials; their values never go into a log line.
const CREDENTIAL_FIELDS: &[&str] = &[
    "code",
    "code_verifier",
    "refresh_token",
    "client_secret",
    "access_token",
    "password",
];

fn without_credentials(form: &BTreeMap<String, String>) -> BTreeMap<&str, &str> {
    form.iter()
        .map(|(k, v)| {
            let shown = if CREDENTIAL_FIELDS.contains(&k.as_str()) {
                "[redacted]"
            } else {
                v.as_str()
            };
            (k.as_str(), shown)
        })
        .collect()
}

/// Strict replay of one cassette: each request must match the next
/// interaction; anything else is denied and reported.
#[derive(Default)]
pub struct Replay {
    /// The interactions not yet used, in order.
    pending: VecDeque<Prepared>,
    /// How many have been used.
    used: usize,
    /// The requests that matched nothing, each with why.
    pub misses: Vec<String>,
}

/// An interaction with its answer already built (bytes, headers), so an
/// exchange only checks the request and hands the answer over.
struct Prepared {
    request: RecordedRequest,
    response: Result<Response, String>,
}

impl Replay {
    /// A replay that expects `interactions`, in order, once each.
    pub fn new(interactions: Vec<Interaction>) -> Replay {
        let pending = interactions
            .into_iter()
            .map(|i| Prepared {
                response: i.response.canned(),
                request: i.request,
            })
            .collect();
        Replay {
            pending,
            used: 0,
            misses: Vec::new(),
        }
    }

    /// How many interactions were never requested.
    pub fn unused(&self) -> usize {
        self.pending.len()
    }
}

impl Egress for Replay {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError> {
        let Some(next) = self.pending.pop_front() else {
            self.misses.push(format!(
                "unexpected request {} {} (all {} interactions used)",
                request.method, request.uri, self.used
            ));
            return Err(HttpError::HttpRequestDenied);
        };
        if let Some(why) = mismatch(&next.request, request) {
            self.misses
                .push(format!("request {} did not match: {why}", self.used + 1));
            // Still the one expected next.
            self.pending.push_front(next);
            return Err(HttpError::HttpRequestDenied);
        }
        self.used += 1;
        next.response.map_err(|e| {
            self.misses.push(e.clone());
            HttpError::InternalError(Some(e))
        })
    }
}

/// The built-in demo GoTo: answers a request by method and path shape (id
/// segments match any id) from the success cassettes; query and body are not
/// matched, so any valid input gets a plausible answer.
pub struct Demo {
    answers: Vec<DemoAnswer>,
}

struct DemoAnswer {
    operation: String,
    /// 0 for a `success.json`, 1 for other `success*` files, 2 for the rest.
    rank: u8,
    method: String,
    path: Vec<String>,
    response: RecordedResponse,
}

impl Demo {
    /// Loads every success cassette under `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<Demo> {
        let mut answers = Vec::new();
        for path in cassette_files(&[dir.to_path_buf()])? {
            let c = Cassette::load(&path)?;
            if c.expect.get("ok").is_none() {
                continue;
            }
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rank = match stem.as_str() {
                "success" => 0,
                s if s.starts_with("success") => 1,
                _ => 2,
            };
            for i in c.interactions {
                if !(200..300).contains(&i.response.status) {
                    continue;
                }
                if let Ok(u) = url::Url::parse(&i.request.url) {
                    answers.push(DemoAnswer {
                        operation: c.operation.clone(),
                        rank,
                        method: i.request.method.to_ascii_uppercase(),
                        path: segments(u.path()),
                        response: i.response,
                    });
                }
            }
        }
        answers.sort_by_key(|a| a.rank);
        Ok(Demo { answers })
    }

    /// Answers from `operation`'s own cassettes first, so operations that
    /// share an endpoint (`exchange-code` and `refresh-token` both POST
    /// `/oauth/token`) each get their own recorded answer.
    pub fn prefer(mut self, operation: &str) -> Demo {
        self.answers
            .sort_by_key(|a| (a.operation != operation, a.rank));
        self
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn id_like(s: &str) -> bool {
    !s.is_empty()
        && (s.bytes().all(|b| b.is_ascii_digit())
            || (s.len() == 36 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')))
}

impl Egress for Demo {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError> {
        let got = segments(request.uri.path());
        let found = self.answers.iter().find(|a| {
            a.method == request.method
                && a.path.len() == got.len()
                && a.path
                    .iter()
                    .zip(&got)
                    .all(|(a, b)| a == b || (id_like(a) && id_like(b)))
        });
        match found {
            Some(a) => a.response.canned().map_err(|e| HttpError::InternalError(Some(e))),
            None => Ok(Response {
                status: 404,
                headers: vec![("content-type".into(), "application/json".into())],
                body: br#"{"errorCode":"NOT_FOUND","message":"the demo GoTo has no recorded answer for this request"}"#.to_vec(),
                fault: None,
            }),
        }
    }
}

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
    fn base64_decodes() {
        for bytes in [&b""[..], b"h", b"he", b"hello", &[0xff, 0, 0x80, 7]] {
            assert_eq!(decode_base64(&encode_base64(bytes)).unwrap(), bytes);
        }
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("/w==").unwrap(), vec![0xff]);
        assert!(decode_base64("a*b").is_none());
    }

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

    fn req(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> OutgoingRequest {
        OutgoingRequest {
            method: method.into(),
            uri: uri.parse().unwrap(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn matching_rules() {
        let want: RecordedRequest = serde_json::from_value(json!({
            "method": "GET", "url": "https://api.getgo.com/x?a=1&b=2",
            "headers": {"Authorization": "Bearer t"}, "json": null
        }))
        .unwrap();
        // The same text, and the same URL written otherwise.
        for url in [
            "https://api.getgo.com/x?a=1&b=2",
            "https://API.getgo.com:443/x?b=2&a=1",
        ] {
            let got = req("GET", url, &[("authorization", "Bearer t")], "");
            assert_eq!(mismatch(&want, &got), None, "{url}");
        }
        assert!(
            mismatch(
                &want,
                &req(
                    "POST",
                    "https://api.getgo.com/x?a=1&b=2",
                    &[("authorization", "Bearer t")],
                    ""
                )
            )
            .is_some()
        );
        assert!(
            mismatch(
                &want,
                &req(
                    "GET",
                    "https://api.getgo.com/x?a=1",
                    &[("authorization", "Bearer t")],
                    ""
                )
            )
            .is_some()
        );
        assert!(
            mismatch(
                &want,
                &req("GET", "https://api.getgo.com/x?a=1&b=2", &[], "")
            )
            .is_some()
        );
        assert!(
            mismatch(
                &want,
                &req(
                    "GET",
                    "https://api.getgo.com/x?a=1&b=2",
                    &[("authorization", "Bearer t")],
                    "{}"
                )
            )
            .is_some()
        );
        let form: RecordedRequest = serde_json::from_value(
            json!({"method": "POST", "url": "https://h/t", "form": {"a": "1 2"}}),
        )
        .unwrap();
        assert_eq!(
            mismatch(&form, &req("POST", "https://h/t", &[], "a=1+2")),
            None
        );
        assert!(mismatch(&form, &req("POST", "https://h/t", &[], "a=1")).is_some());
    }
}

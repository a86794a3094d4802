//! What crosses the sandbox's edge, in the host's own terms: the request a
//! guest sent ([`OutgoingRequest`]), the answer handed back to it
//! ([`Response`]), and the [`Egress`] backends that answer from
//! recordings. The HTTP hook, the fault player, the network code and the
//! recorder all speak these types; none of them depends on another for them.

use std::future::Future;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use wasmtime_wasi_http::Error as HttpError;

use serde::{Deserialize, Serialize};

/// A request as it leaves the sandbox.
#[derive(Debug, Clone)]
pub struct OutgoingRequest {
    /// The method, as sent (`GET`).
    pub method: String,
    /// The URI, with the origin the policy admitted.
    pub uri: http::Uri,
    /// Header names lower-case; values lossily decoded.
    pub headers: Vec<(String, String)>,
    /// The body, whole.
    pub body: Bytes,
}

impl OutgoingRequest {
    /// The request of `parts` and `body`.
    pub fn new(parts: &http::request::Parts, body: Bytes) -> OutgoingRequest {
        OutgoingRequest {
            method: parts.method.to_string(),
            uri: parts.uri.clone(),
            headers: header_pairs(&parts.headers),
            body,
        }
    }
}

/// An HTTP response as the guest receives it.
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body, whole.
    pub body: Vec<u8>,
    /// A network fault to play instead of (or in the middle of) the answer.
    pub fault: Option<Fault>,
}

impl Response {
    /// An answer with these headers and body and no fault, as a test's
    /// [`Egress`] gives it.
    pub fn new(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
            fault: None,
        }
    }
}

/// Recorded answers for allowed requests: a cassette replay, the demo, or
/// a test's canned responses.
pub trait Egress: Send {
    /// The answer to `request`, or the wasi:http error the guest gets
    /// instead (`HTTP-request-denied` for a request nothing answers).
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError>;
}

/// A misbehaviour of the network or of GoTo, played by the host.
/// In a cassette: `"fault": {"kind": "reset-before-headers"}`,
/// `{"kind": "reset-mid-body"}`, `{"kind": "delay", "ms": 1500}` or
/// `{"kind": "chunked", "bytes": 7}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Fault {
    /// The connection drops before any response header arrives.
    ResetBeforeHeaders,
    /// The headers and the first half of the body arrive, then the
    /// connection drops.
    ResetMidBody,
    /// The response starts only after `ms` milliseconds; a first-byte
    /// timeout or the call's time limit may end the wait first.
    Delay {
        /// The wait, in milliseconds.
        ms: u64,
    },
    /// The body arrives in pieces of `bytes` bytes (at least 1), as from a
    /// network, instead of all at once.
    Chunked {
        /// The size of each piece.
        bytes: usize,
    },
}

/// One request and the answer it got.
pub type Exchange = (OutgoingRequest, Response);

/// Where a recording live call keeps its exchanges.
pub type Recorder = Arc<Mutex<Vec<Exchange>>>;

/// The future that drives a response's connection (wasmtime-wasi-http's
/// shape for it).
pub type IoFuture = Box<dyn Future<Output = Result<(), HttpError>> + Send>;

/// Header names and values as text (values lossily decoded), as cassettes
/// and recordings hold them.
pub fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

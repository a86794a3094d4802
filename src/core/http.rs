//! The plain HTTP request and response the operations exchange with a
//! [`Transport`]. No wasi types here, so this compiles natively too.

use alloc::string::String;
use alloc::vec::Vec;

use crate::{CallSettings, Error};

/// HTTP methods the GoTo APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

/// One outgoing request, fully built.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: url::Url,
    /// Lower-case header names.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    /// Timeouts and the response size cap for this request.
    pub options: RequestOptions,
}

/// `User-Agent` of every request: this connector and its version.
pub const USER_AGENT: &str = concat!("goto-connector/", env!("CARGO_PKG_VERSION"));

impl Request {
    /// The body to send, if the request has one: its own, or an empty one
    /// for POST, PUT and PATCH (GoTo's gateways want a length on those).
    /// GET and DELETE without a body send none.
    pub fn wire_body(&self) -> Option<&[u8]> {
        match (&self.body, self.method) {
            (None, Method::Get | Method::Delete) => None,
            (body, _) => Some(body.as_deref().unwrap_or_default()),
        }
    }

    /// The headers as they go out: the request's own, then `User-Agent`,
    /// and `Content-Length` whenever a body is sent, so no host falls back
    /// to chunked encoding (which some gateways refuse).
    pub fn wire_headers(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = self
            .headers
            .iter()
            .map(|(n, v)| (String::from(*n), v.as_bytes().to_vec()))
            .collect();
        out.push(("user-agent".into(), USER_AGENT.as_bytes().to_vec()));
        if let Some(body) = self.wire_body() {
            out.push((
                "content-length".into(),
                format!("{}", body.len()).into_bytes(),
            ));
        }
        out
    }
}

/// Response bodies larger than this are refused unless the call settings
/// say otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The per-request part of the call settings: what the transport passes to
/// the host (timeouts) and enforces itself (the body cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestOptions {
    pub connect_timeout_ms: Option<u32>,
    pub first_byte_timeout_ms: Option<u32>,
    pub between_bytes_timeout_ms: Option<u32>,
    pub max_response_bytes: u64,
}

impl Default for RequestOptions {
    fn default() -> Self {
        RequestOptions::from_settings(None)
    }
}

impl RequestOptions {
    /// The options of a call's settings, each absent field at its default.
    pub fn from_settings(s: Option<&CallSettings>) -> RequestOptions {
        RequestOptions {
            connect_timeout_ms: s.and_then(|s| s.connect_timeout_ms),
            first_byte_timeout_ms: s.and_then(|s| s.first_byte_timeout_ms),
            between_bytes_timeout_ms: s.and_then(|s| s.between_bytes_timeout_ms),
            max_response_bytes: s
                .and_then(|s| s.max_response_bytes)
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        }
    }
}

/// The response as received: status, headers (lower-case names) and the whole body.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header, if it is valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_text(&self.headers, name)
    }
}

/// The first value of header `name` (in any case) in a header list, if it is
/// valid UTF-8: [`Response::header`], and the transport's look at
/// Content-Length before the response is built.
pub fn header_text<'a>(headers: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| core::str::from_utf8(v).ok())
}

/// Sends one request and returns the response, whatever its status.
/// Only connection-level failures are errors (`error::transport`).
pub trait Transport {
    fn send(&mut self, request: &Request) -> Result<Response, Error>;

    /// Waits `millis` before a retry. The wasi transport waits on
    /// `wasi:clocks/monotonic-clock`; the default returns at once.
    fn pause(&mut self, _millis: u64) {}

    /// The wall clock, when the transport has one: a `Retry-After` given as
    /// a date is measured from it. The wasi transport reads
    /// `wasi:clocks/wall-clock`; the default has none.
    fn now(&mut self) -> Option<crate::core::time::Instant> {
        None
    }

    /// A random number for the retry jitter. The wasi transport reads
    /// `wasi:random`; the default is 0 (no jitter).
    fn jitter(&mut self) -> u32 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, body: Option<&str>) -> Request {
        Request {
            method,
            url: url::Url::parse("https://api.getgo.com/G2M/rest/meetings").unwrap(),
            headers: vec![("accept", "application/json".into())],
            body: body.map(|b| b.as_bytes().to_vec()),
            options: RequestOptions::default(),
        }
    }

    fn header(r: &Request, name: &str) -> Option<String> {
        header_text(&r.wire_headers(), name).map(String::from)
    }

    #[test]
    fn every_body_has_a_length_and_every_request_a_user_agent() {
        let ua = format!("goto-connector/{}", env!("CARGO_PKG_VERSION"));
        for (method, body, length) in [
            (Method::Post, Some("{\"a\":1}"), Some("7")),
            (Method::Put, Some(""), Some("0")),
            (Method::Post, None, Some("0")),
            (Method::Patch, None, Some("0")),
            (Method::Get, None, None),
            (Method::Delete, None, None),
        ] {
            let r = request(method, body);
            assert_eq!(
                header(&r, "content-length").as_deref(),
                length,
                "{method:?}"
            );
            assert_eq!(header(&r, "user-agent").as_deref(), Some(ua.as_str()));
            assert_eq!(header(&r, "accept").as_deref(), Some("application/json"));
            assert_eq!(
                r.wire_body().map(<[u8]>::len),
                length.map(|l| l.parse().unwrap())
            );
        }
    }
}

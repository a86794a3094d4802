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

    /// A random number for the retry jitter. The wasi transport reads
    /// `wasi:random`; the default is 0 (no jitter).
    fn jitter(&mut self) -> u32 {
        0
    }
}

//! The only code that speaks `wasi:http`: one synchronous request/response
//! exchange. Every wasi failure becomes `error::transport`; nothing unwraps.

use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode, Fields, IncomingBody, Method as WasiMethod, OutgoingBody, OutgoingRequest, Scheme,
};
use wasi::io::streams::StreamError;

use crate::Error;
use crate::http::{Method, Request, Response, Transport};

/// Bodies larger than this are refused rather than held in memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Sends requests through the host's `wasi:http/outgoing-handler`.
pub struct WasiTransport {
    pub max_body_bytes: u64,
}

impl Default for WasiTransport {
    fn default() -> Self {
        WasiTransport {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

fn fail(what: &str) -> Error {
    Error::Transport(format!("the host refused the request: {what}"))
}

impl Transport for WasiTransport {
    fn send(&mut self, r: &Request) -> Result<Response, Error> {
        let headers: Vec<(String, Vec<u8>)> = r
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
            .collect();
        let fields =
            Fields::from_list(&headers).map_err(|e| fail(&format!("invalid header ({e})")))?;
        let request = OutgoingRequest::new(fields);
        let method = match r.method {
            Method::Get => WasiMethod::Get,
            Method::Post => WasiMethod::Post,
            Method::Put => WasiMethod::Put,
            Method::Delete => WasiMethod::Delete,
            Method::Patch => WasiMethod::Patch,
        };
        let scheme = match r.url.scheme() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            other => Scheme::Other(other.to_string()),
        };
        let authority = &r.url[url::Position::BeforeHost..url::Position::AfterPort];
        let path = &r.url[url::Position::BeforePath..url::Position::AfterQuery];
        request.set_method(&method).map_err(|()| fail("method"))?;
        request
            .set_scheme(Some(&scheme))
            .map_err(|()| fail("scheme"))?;
        request
            .set_authority(Some(authority))
            .map_err(|()| fail("authority"))?;
        request
            .set_path_with_query(Some(path))
            .map_err(|()| fail("path"))?;

        let outgoing = request.body().map_err(|()| fail("body"))?;
        let future = outgoing_handler::handle(request, None).map_err(|e| from_code(&e))?;
        if let Some(bytes) = &r.body {
            let stream = outgoing.write().map_err(|()| fail("body stream"))?;
            // blocking-write-and-flush takes at most 4096 bytes per call.
            for chunk in bytes.chunks(4096) {
                stream
                    .blocking_write_and_flush(chunk)
                    .map_err(|e| stream_error("sending the body", e))?;
            }
        }
        // Finish the body before waiting, or a host that reads the whole
        // request first would wait forever.
        OutgoingBody::finish(outgoing, None).map_err(|e| from_code(&e))?;

        let response = loop {
            match future.get() {
                Some(Ok(Ok(resp))) => break resp,
                Some(Ok(Err(code))) => return Err(from_code(&code)),
                Some(Err(())) => return Err(fail("response already taken")),
                None => future.subscribe().block(),
            }
        };
        let status = response.status();
        let headers = response.headers().entries();
        let incoming = response.consume().map_err(|()| fail("response body"))?;
        let body = read_body(&incoming, self.max_body_bytes, content_length(&headers))?;
        let _trailers = IncomingBody::finish(incoming);
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

fn read_body(incoming: &IncomingBody, max: u64, expected: Option<u64>) -> Result<Vec<u8>, Error> {
    let stream = incoming
        .stream()
        .map_err(|()| fail("response body stream"))?;
    // Sized once from Content-Length (within the limit): growing by doubling
    // would hold up to three times the body while copying.
    let mut body = Vec::with_capacity(expected.map_or(0, |n| n.min(max)) as usize);
    loop {
        match stream.blocking_read(64 * 1024) {
            Ok(chunk) => {
                if body.len() as u64 + chunk.len() as u64 > max {
                    return Err(Error::Transport(format!(
                        "GoTo's response body is larger than the {max}-byte limit; narrow the request (for example a shorter date range)"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Err(StreamError::Closed) => return Ok(body),
            Err(e) => return Err(stream_error("reading the response body", e)),
        }
    }
}

/// The response's Content-Length, when it is one valid number.
fn content_length(headers: &[(String, Vec<u8>)]) -> Option<u64> {
    let (_, value) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))?;
    std::str::from_utf8(value).ok()?.trim().parse().ok()
}

fn stream_error(during: &str, e: StreamError) -> Error {
    match e {
        StreamError::Closed => Error::Transport(format!("the connection closed while {during}")),
        StreamError::LastOperationFailed(err) => match wasi::http::types::http_error_code(&err) {
            Some(code) => Error::Transport(format!("{} while {during}", describe(&code))),
            None => Error::Transport(format!(
                "I/O error while {during}: {}",
                err.to_debug_string()
            )),
        },
    }
}

fn from_code(code: &ErrorCode) -> Error {
    Error::Transport(describe(code))
}

/// The wasi:http error code by its WIT name, with a hint where one helps.
fn describe(code: &ErrorCode) -> String {
    match code {
        ErrorCode::HttpRequestDenied => {
            "HTTP-request-denied: the host's network policy does not allow this destination".into()
        }
        ErrorCode::DnsTimeout | ErrorCode::DnsError(_) => {
            "DNS-error: the GoTo host name could not be resolved".into()
        }
        ErrorCode::ConnectionRefused => "connection-refused".into(),
        ErrorCode::ConnectionTerminated => "connection-terminated: the connection was reset".into(),
        ErrorCode::ConnectionTimeout => "connection-timeout".into(),
        ErrorCode::ConnectionReadTimeout | ErrorCode::HttpResponseTimeout => {
            "HTTP-response-timeout: GoTo did not answer in time; calling again may succeed".into()
        }
        ErrorCode::HttpResponseIncomplete => {
            "HTTP-response-incomplete: the response was cut off".into()
        }
        ErrorCode::TlsCertificateError
        | ErrorCode::TlsProtocolError
        | ErrorCode::TlsAlertReceived(_) => {
            "TLS-error: the secure connection to GoTo failed".into()
        }
        ErrorCode::InternalError(Some(m)) => format!("internal-error: {m}"),
        other => format!("{other:?}"),
    }
}

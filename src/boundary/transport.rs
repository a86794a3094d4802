//! The only code that speaks `wasi:http`: one synchronous request/response
//! exchange (plus the retry pause on `wasi:clocks` and its jitter from
//! `wasi:random`). Every wasi failure becomes `error::transport`, with its
//! kind, the wasi:http error code, and whether the request may have reached
//! GoTo; nothing unwraps.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode, FieldSizePayload, Fields, FutureIncomingResponse, IncomingBody, IncomingResponse,
    Method as WasiMethod, OutgoingBody, OutgoingRequest, RequestOptions as WasiOptions, Scheme,
};
use wasi::io::streams::StreamError;

use crate::core::errors;
use crate::core::http::{Method, Request, RequestOptions, Response, Transport, header_text};
use crate::{Error, TransportKind};

/// Sends requests through the host's `wasi:http/outgoing-handler`, with the
/// timeouts and body cap of each request's [`RequestOptions`].
#[derive(Default)]
pub struct WasiTransport;

/// A failure of the exchange, before `method` is known to the error: its
/// kind, the wasi:http code's WIT name, the text, and whether the request
/// may have reached GoTo.
struct Failure {
    kind: TransportKind,
    code: Option<&'static str>,
    message: String,
    reached: bool,
}

/// The host would not take the request (nothing was sent).
fn fail(what: &str) -> Failure {
    Failure {
        kind: TransportKind::Other,
        code: None,
        message: format!("the host refused the request: {what}"),
        reached: false,
    }
}

impl Transport for WasiTransport {
    fn send(&mut self, r: &Request) -> Result<Response, Error> {
        exchange(r).map_err(|f| errors::transport(f.kind, f.code, f.message, f.reached, r.method))
    }

    fn pause(&mut self, millis: u64) {
        wasi::clocks::monotonic_clock::subscribe_duration(millis.saturating_mul(1_000_000)).block();
    }

    fn now(&mut self) -> Option<crate::core::time::Instant> {
        wall_clock()
    }

    fn jitter(&mut self) -> u32 {
        wasi::random::random::get_random_u64() as u32
    }
}

/// One request and its whole response.
fn exchange(r: &Request) -> Result<Response, Failure> {
    let request = outgoing_request(r)?;
    // A GET or DELETE without a body never asks for the body resource:
    // the host then sends no body (wasi:http does not require `body` or
    // `finish`), which saves two host calls and the host's body channel.
    // POST, PUT and PATCH always take it (`wire_body`), so one without a
    // body still goes out with an empty body and `Content-Length: 0`.
    let body = match r.wire_body() {
        None => None,
        Some(bytes) => Some((request.body().map_err(|()| fail("body"))?, bytes)),
    };
    let options = wasi_options(&r.options)?;
    let future = outgoing_handler::handle(request, options).map_err(|e| from_code(&e))?;
    if let Some((outgoing, bytes)) = body {
        send_body(outgoing, bytes)?;
    }
    let response = wait_for(&future)?;
    read_response(response, r.options.max_response_bytes)
}

/// The outgoing request: headers, method, scheme, authority and path.
fn outgoing_request(r: &Request) -> Result<OutgoingRequest, Failure> {
    let headers = r.wire_headers();
    let fields = Fields::from_list(&headers).map_err(|e| fail(&format!("invalid header ({e})")))?;
    let request = OutgoingRequest::new(fields);
    // A new outgoing-request is a GET (wasi:http), so a GET sets nothing.
    let method = match r.method {
        Method::Get => None,
        Method::Post => Some(WasiMethod::Post),
        Method::Put => Some(WasiMethod::Put),
        Method::Delete => Some(WasiMethod::Delete),
        Method::Patch => Some(WasiMethod::Patch),
    };
    let scheme = match r.url.scheme() {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        other => Scheme::Other(other.to_string()),
    };
    let authority = &r.url[url::Position::BeforeHost..url::Position::AfterPort];
    let path = &r.url[url::Position::BeforePath..url::Position::AfterQuery];
    if let Some(method) = &method {
        request.set_method(method).map_err(|()| fail("method"))?;
    }
    request
        .set_scheme(Some(&scheme))
        .map_err(|()| fail("scheme"))?;
    request
        .set_authority(Some(authority))
        .map_err(|()| fail("authority"))?;
    request
        .set_path_with_query(Some(path))
        .map_err(|()| fail("path"))?;
    Ok(request)
}

/// Writes the request body and finishes it.
fn send_body(outgoing: OutgoingBody, bytes: &[u8]) -> Result<(), Failure> {
    if !bytes.is_empty() {
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
    OutgoingBody::finish(outgoing, None).map_err(|e| from_code(&e))
}

/// Waits for the response head.
fn wait_for(future: &FutureIncomingResponse) -> Result<IncomingResponse, Failure> {
    // One pollable for the whole wait, blocked on before asking: a ready
    // pollable returns at once, and asking before the host has run the
    // request is a wasted call.
    let ready = future.subscribe();
    loop {
        ready.block();
        match future.get() {
            Some(Ok(Ok(resp))) => return Ok(resp),
            Some(Ok(Err(code))) => return Err(from_code(&code)),
            Some(Err(())) => return Err(fail("response already taken")),
            None => {}
        }
    }
}

/// The status, headers and body (at most `max` bytes) of a response.
fn read_response(response: IncomingResponse, max: u64) -> Result<Response, Failure> {
    let status = response.status();
    let headers = response.headers().entries();
    let announced = content_length(&headers);
    if let Some(len) = announced.filter(|len| *len > max) {
        return Err(too_large(max, Some(len)));
    }
    let incoming = response.consume().map_err(|()| fail("response body"))?;
    let body = read_body(&incoming, max, announced)?;
    // No trailers are read: dropping the body ends it (`finish` would
    // make a trailers future only to drop it).
    drop(incoming);
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// The wall clock, as an [`crate::core::time::Instant`].
pub fn wall_clock() -> Option<crate::core::time::Instant> {
    let t = wasi::clocks::wall_clock::now();
    crate::core::time::Instant::from_unix(i64::try_from(t.seconds).ok()?, t.nanoseconds)
}

fn read_body(incoming: &IncomingBody, max: u64, expected: Option<u64>) -> Result<Vec<u8>, Failure> {
    let stream = incoming
        .stream()
        .map_err(|()| fail("response body stream"))?;
    let mut body = Vec::new();
    loop {
        // Everything still allowed (one byte more shows an overrun): a host
        // holding the whole body hands it over in one read, which becomes
        // the body itself instead of being copied chunk by chunk.
        let room = max.saturating_sub(body.len() as u64).saturating_add(1);
        match stream.blocking_read(room) {
            Ok(chunk) => {
                if body.len() as u64 + chunk.len() as u64 > max {
                    return Err(too_large(max, None));
                }
                if body.is_empty() {
                    body = chunk;
                    // The rest is reserved once from Content-Length (within
                    // the limit): growing by doubling would hold up to three
                    // times the body while copying. A reservation the memory
                    // cannot hold is skipped; the body then grows as it comes.
                    let rest = expected.map_or(0, |n| n.min(max).saturating_sub(body.len() as u64));
                    if rest > 0 && !body.is_empty() {
                        let _ = usize::try_from(rest).map(|rest| body.try_reserve(rest));
                    }
                } else {
                    body.extend_from_slice(&chunk);
                }
            }
            Err(StreamError::Closed) => return Ok(body),
            Err(e) => return Err(stream_error("reading the response body", e)),
        }
    }
}

/// The request's timeouts as wasi:http options (nanoseconds); none when no
/// timeout is set, so the host's defaults apply.
fn wasi_options(o: &RequestOptions) -> Result<Option<WasiOptions>, Failure> {
    let timeouts = [
        o.connect_timeout_ms,
        o.first_byte_timeout_ms,
        o.between_bytes_timeout_ms,
    ];
    if timeouts.iter().all(Option::is_none) {
        return Ok(None);
    }
    let options = WasiOptions::new();
    let nanos = |ms: Option<u32>| ms.map(|ms| u64::from(ms) * 1_000_000);
    options
        .set_connect_timeout(nanos(o.connect_timeout_ms))
        .map_err(|()| fail("connect timeout"))?;
    options
        .set_first_byte_timeout(nanos(o.first_byte_timeout_ms))
        .map_err(|()| fail("first-byte timeout"))?;
    options
        .set_between_bytes_timeout(nanos(o.between_bytes_timeout_ms))
        .map_err(|()| fail("between-bytes timeout"))?;
    Ok(Some(options))
}

fn too_large(max: u64, announced: Option<u64>) -> Failure {
    let size = announced.map_or_else(String::new, |n| format!(" ({n} bytes announced)"));
    Failure {
        kind: TransportKind::BodyTooLarge,
        code: None,
        message: format!(
            "GoTo's response body is larger than the {max}-byte limit{size}; narrow the request (for example a shorter date range) or raise settings.maxResponseBytes"
        ),
        reached: true,
    }
}

/// The response's Content-Length, when it is one valid number.
fn content_length(headers: &[(String, Vec<u8>)]) -> Option<u64> {
    header_text(headers, "content-length")?.trim().parse().ok()
}

/// A stream failed while sending the body or reading the answer: the
/// request had gone out, so GoTo may have it.
fn stream_error(during: &str, e: StreamError) -> Failure {
    match e {
        StreamError::Closed => Failure {
            kind: TransportKind::Connection,
            code: None,
            message: format!("the connection closed while {during}"),
            reached: true,
        },
        StreamError::LastOperationFailed(err) => match wasi::http::types::http_error_code(&err) {
            Some(code) => {
                let mut f = from_code(&code);
                f.message = format!("{} while {during}", f.message);
                f.reached = true;
                f
            }
            None => Failure {
                kind: TransportKind::Connection,
                code: None,
                message: format!("I/O error while {during}: {}", err.to_debug_string()),
                reached: true,
            },
        },
    }
}

/// A wasi:http error code as a failure: its kind, its WIT name, and whether
/// a request that failed so may have reached GoTo (not when it was denied,
/// never connected, or was refused as malformed before going out).
fn from_code(code: &ErrorCode) -> Failure {
    use TransportKind::{BodyTooLarge, Connection, Denied, Other, Timeout};
    let (kind, reached) = match code {
        ErrorCode::HttpRequestDenied => (Denied, false),
        ErrorCode::DnsTimeout
        | ErrorCode::DnsError(_)
        | ErrorCode::DestinationNotFound
        | ErrorCode::DestinationUnavailable
        | ErrorCode::DestinationIpProhibited
        | ErrorCode::DestinationIpUnroutable
        | ErrorCode::ConnectionRefused
        | ErrorCode::ConnectionLimitReached
        | ErrorCode::TlsProtocolError
        | ErrorCode::TlsCertificateError
        | ErrorCode::TlsAlertReceived(_) => (Connection, false),
        ErrorCode::ConnectionTimeout => (Timeout, false),
        ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout
        | ErrorCode::HttpResponseTimeout => (Timeout, true),
        ErrorCode::ConnectionTerminated | ErrorCode::HttpResponseIncomplete => (Connection, true),
        ErrorCode::HttpResponseHeaderSectionSize(_)
        | ErrorCode::HttpResponseHeaderSize(_)
        | ErrorCode::HttpResponseBodySize(_)
        | ErrorCode::HttpResponseTrailerSectionSize(_)
        | ErrorCode::HttpResponseTrailerSize(_) => (BodyTooLarge, true),
        ErrorCode::HttpRequestLengthRequired
        | ErrorCode::HttpRequestBodySize(_)
        | ErrorCode::HttpRequestMethodInvalid
        | ErrorCode::HttpRequestUriInvalid
        | ErrorCode::HttpRequestUriTooLong
        | ErrorCode::HttpRequestHeaderSectionSize(_)
        | ErrorCode::HttpRequestHeaderSize(_)
        | ErrorCode::HttpRequestTrailerSectionSize(_)
        | ErrorCode::HttpRequestTrailerSize(_)
        | ErrorCode::ConfigurationError => (Other, false),
        _ => (Other, true),
    };
    Failure {
        kind,
        code: Some(wit_name(code)),
        message: describe(code),
        reached,
    }
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
        ErrorCode::ConnectionReadTimeout | ErrorCode::HttpResponseTimeout => format!(
            "{}: GoTo did not answer in time; calling again may succeed",
            wit_name(code)
        ),
        ErrorCode::HttpResponseIncomplete => {
            "HTTP-response-incomplete: the response was cut off".into()
        }
        ErrorCode::TlsCertificateError
        | ErrorCode::TlsProtocolError
        | ErrorCode::TlsAlertReceived(_) => {
            "TLS-error: the secure connection to GoTo failed".into()
        }
        ErrorCode::HttpResponseHeaderSectionSize(_) | ErrorCode::HttpResponseHeaderSize(_) => {
            "HTTP-response-header-size: the response headers exceed the host's limit".into()
        }
        ErrorCode::InternalError(Some(m)) => format!("internal-error: {m}"),
        // The rest by WIT name and payload. (Not `{:?}`: the derived Debug of
        // the error code and its payload records cost the component about
        // 4.6 KB, and printed Rust names rather than the WIT ones.)
        other => format!("{}{}", wit_name(other), payload(other)),
    }
}

/// The error code's name in the WIT (`HTTP-request-body-size`).
fn wit_name(code: &ErrorCode) -> &'static str {
    match code {
        ErrorCode::DnsTimeout => "DNS-timeout",
        ErrorCode::DnsError(_) => "DNS-error",
        ErrorCode::DestinationNotFound => "destination-not-found",
        ErrorCode::DestinationUnavailable => "destination-unavailable",
        ErrorCode::DestinationIpProhibited => "destination-IP-prohibited",
        ErrorCode::DestinationIpUnroutable => "destination-IP-unroutable",
        ErrorCode::ConnectionRefused => "connection-refused",
        ErrorCode::ConnectionTerminated => "connection-terminated",
        ErrorCode::ConnectionTimeout => "connection-timeout",
        ErrorCode::ConnectionReadTimeout => "connection-read-timeout",
        ErrorCode::ConnectionWriteTimeout => "connection-write-timeout",
        ErrorCode::ConnectionLimitReached => "connection-limit-reached",
        ErrorCode::TlsProtocolError => "TLS-protocol-error",
        ErrorCode::TlsCertificateError => "TLS-certificate-error",
        ErrorCode::TlsAlertReceived(_) => "TLS-alert-received",
        ErrorCode::HttpRequestDenied => "HTTP-request-denied",
        ErrorCode::HttpRequestLengthRequired => "HTTP-request-length-required",
        ErrorCode::HttpRequestBodySize(_) => "HTTP-request-body-size",
        ErrorCode::HttpRequestMethodInvalid => "HTTP-request-method-invalid",
        ErrorCode::HttpRequestUriInvalid => "HTTP-request-URI-invalid",
        ErrorCode::HttpRequestUriTooLong => "HTTP-request-URI-too-long",
        ErrorCode::HttpRequestHeaderSectionSize(_) => "HTTP-request-header-section-size",
        ErrorCode::HttpRequestHeaderSize(_) => "HTTP-request-header-size",
        ErrorCode::HttpRequestTrailerSectionSize(_) => "HTTP-request-trailer-section-size",
        ErrorCode::HttpRequestTrailerSize(_) => "HTTP-request-trailer-size",
        ErrorCode::HttpResponseIncomplete => "HTTP-response-incomplete",
        ErrorCode::HttpResponseHeaderSectionSize(_) => "HTTP-response-header-section-size",
        ErrorCode::HttpResponseHeaderSize(_) => "HTTP-response-header-size",
        ErrorCode::HttpResponseBodySize(_) => "HTTP-response-body-size",
        ErrorCode::HttpResponseTrailerSectionSize(_) => "HTTP-response-trailer-section-size",
        ErrorCode::HttpResponseTrailerSize(_) => "HTTP-response-trailer-size",
        ErrorCode::HttpResponseTransferCoding(_) => "HTTP-response-transfer-coding",
        ErrorCode::HttpResponseContentCoding(_) => "HTTP-response-content-coding",
        ErrorCode::HttpResponseTimeout => "HTTP-response-timeout",
        ErrorCode::HttpUpgradeFailed => "HTTP-upgrade-failed",
        ErrorCode::HttpProtocolError => "HTTP-protocol-error",
        ErrorCode::LoopDetected => "loop-detected",
        ErrorCode::ConfigurationError => "configuration-error",
        ErrorCode::InternalError(_) => "internal-error",
    }
}

/// What the error code carries, as ` (...)`, or nothing.
fn payload(code: &ErrorCode) -> String {
    let field = |p: &FieldSizePayload| match (&p.field_name, p.field_size) {
        (Some(name), Some(size)) => format!(" (field {name}, size {size})"),
        (Some(name), None) => format!(" (field {name})"),
        (None, Some(size)) => format!(" (size {size})"),
        (None, None) => String::new(),
    };
    match code {
        ErrorCode::HttpRequestBodySize(Some(size))
        | ErrorCode::HttpResponseBodySize(Some(size)) => {
            format!(" (size {size})")
        }
        ErrorCode::HttpRequestHeaderSectionSize(Some(size))
        | ErrorCode::HttpRequestTrailerSectionSize(Some(size))
        | ErrorCode::HttpResponseHeaderSectionSize(Some(size))
        | ErrorCode::HttpResponseTrailerSectionSize(Some(size)) => format!(" (size {size})"),
        ErrorCode::HttpRequestHeaderSize(Some(p))
        | ErrorCode::HttpRequestTrailerSize(p)
        | ErrorCode::HttpResponseHeaderSize(p)
        | ErrorCode::HttpResponseTrailerSize(p) => field(p),
        ErrorCode::HttpResponseTransferCoding(Some(coding))
        | ErrorCode::HttpResponseContentCoding(Some(coding)) => format!(" ({coding})"),
        _ => String::new(),
    }
}

//! Turning a [`Response`] into the response the guest reads, with the
//! faults a cassette or test may ask for (a reset before the headers or in
//! the middle of the body, a delay), the request's timeouts and the call's
//! deadline, and the response header cap.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody};

pub use crate::exchange::Fault;
use crate::exchange::Response;
use crate::limits;

/// A body that arrives in pieces of `size` bytes and then ends, or fails
/// like a dropped connection when `then_reset`.
struct Pieces {
    rest: Bytes,
    size: usize,
    then_reset: bool,
}

impl Body for Pieces {
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, HttpError>>> {
        if self.rest.is_empty() {
            return Poll::Ready(
                self.then_reset
                    .then_some(Err(HttpError::ConnectionTerminated)),
            );
        }
        let n = self.size.clamp(1, self.rest.len());
        let piece = self.rest.split_to(n);
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }
}

/// Builds the guest's response from `canned`, playing its fault. A delay is
/// cut short by the request's first-byte timeout or the call's `deadline`,
/// whichever comes first, and then fails as `HTTP-response-timeout`.
pub async fn respond(
    canned: Response,
    options: Option<&RequestOptions>,
    deadline: Option<Instant>,
) -> Result<http::Response<WasiBody>, HttpError> {
    let delay = match canned.fault {
        Some(Fault::ResetBeforeHeaders) => return Err(HttpError::ConnectionTerminated),
        Some(Fault::Delay { ms }) => Duration::from_millis(ms),
        _ => Duration::ZERO,
    };
    let mut allowed = options
        .and_then(|o| o.first_byte_timeout)
        .unwrap_or(Duration::MAX);
    if let Some(d) = deadline {
        allowed = allowed.min(d.saturating_duration_since(Instant::now()));
    }
    if delay > allowed {
        tokio::time::sleep(allowed).await;
        return Err(HttpError::HttpResponseTimeout);
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    limits::check_response_headers(canned.headers.iter().map(|(k, v)| k.len() + v.len()))?;
    let mut builder = http::Response::builder().status(canned.status);
    for (k, v) in &canned.headers {
        builder = builder.header(k, v);
    }
    let body = Bytes::from(canned.body);
    let body = if canned.fault == Some(Fault::ResetMidBody) {
        Pieces {
            size: body.len() / 2,
            rest: body.slice(..body.len() / 2),
            then_reset: true,
        }
        .boxed_unsync()
    } else if let Some(Fault::Chunked { bytes }) = canned.fault {
        Pieces {
            rest: body,
            size: bytes,
            then_reset: false,
        }
        .boxed_unsync()
    } else {
        http_body_util::Full::new(body)
            .map_err(|never| match never {})
            .boxed_unsync()
    };
    builder
        .body(body)
        .map_err(|e| HttpError::InternalError(Some(format!("bad recorded response: {e}"))))
}

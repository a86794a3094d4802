//! A live answer's body as the guest reads it: hyper's body, its errors as
//! wasi:http codes, and the request's between-bytes timeout.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};
use wasmtime_wasi_http::{Error as HttpError, WasiBody};

/// `incoming`, failing as `connection-read-timeout` when no data comes for
/// `limit` (none: the call's deadline alone bounds it).
pub(crate) fn between_bytes(incoming: Incoming, limit: Option<Duration>) -> WasiBody {
    Paced {
        incoming,
        limit,
        timer: limit.map(|l| Box::pin(tokio::time::sleep(l))),
    }
    .boxed_unsync()
}

struct Paced {
    incoming: Incoming,
    limit: Option<Duration>,
    timer: Option<Pin<Box<Sleep>>>,
}

impl Body for Paced {
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, HttpError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.incoming).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(timer), Some(limit)) = (this.timer.as_mut(), this.limit) {
                    timer.as_mut().reset(Instant::now() + limit);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(super::errors::body_error(&e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this.timer.as_mut().map(|t| t.as_mut().poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Some(Err(HttpError::ConnectionReadTimeout))),
                _ => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.incoming.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.incoming.size_hint()
    }
}

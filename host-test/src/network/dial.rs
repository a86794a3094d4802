//! How the pool opens a connection: TCP, then TLS with ALPN (HTTP/2 when
//! the server offers it, else HTTP/1.1), within the connect timeout of the
//! request that needed it. The request's timeouts reach the connector
//! through a task-local [`Clock`], which also tells the first-byte timer
//! when the request's own connection was ready (its request could only be
//! written then).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http::Uri;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use super::pool::Background;

tokio::task_local! {
    /// The timing of the request being sent on this task.
    pub(crate) static CLOCK: Arc<Clock>;
}

/// One request's connect timeout, and when its first-byte timer starts.
#[derive(Debug)]
pub(crate) struct Clock {
    connect_timeout: Option<Duration>,
    phase: Mutex<Phase>,
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for a connection: a pooled one may come at any moment, so the
    /// first-byte timer runs (from this instant) unless a dial is on.
    Waiting(Instant),
    /// A connection is being opened for this request; its connect timeout
    /// bounds that.
    Dialing,
    /// The connection this request dialed was ready at this instant.
    Dialed(Instant),
}

impl Clock {
    pub(crate) fn new(connect_timeout: Option<Duration>) -> Arc<Clock> {
        Arc::new(Clock {
            connect_timeout,
            phase: Mutex::new(Phase::Waiting(Instant::now())),
        })
    }

    fn set(&self, phase: Phase) {
        if let Ok(mut p) = self.phase.lock() {
            *p = phase;
        }
    }

    /// When the first byte of the answer must have come, given `limit`:
    /// `None` while a connection is being dialed for the request.
    pub(crate) fn first_byte_deadline(&self, limit: Duration) -> Option<Instant> {
        match self.phase.lock().map(|p| *p) {
            Ok(Phase::Waiting(since) | Phase::Dialed(since)) => Some(since + limit),
            Ok(Phase::Dialing) => None,
            Err(_) => Some(Instant::now()),
        }
    }
}

/// A dial that took longer than its request's connect timeout.
#[derive(Debug)]
pub(crate) struct ConnectTimedOut;

impl std::fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the connection was not open within the connect timeout")
    }
}

impl std::error::Error for ConnectTimedOut {}

/// The pool's connector: rustls over TCP, counting the connections it
/// opens. It dials on the pool's [`Background`] runtime, whose reactor the
/// connection then belongs to.
#[derive(Clone)]
pub(crate) struct Dial {
    pub(crate) inner: HttpsConnector<HttpConnector>,
    pub(crate) opened: Arc<AtomicUsize>,
    pub(crate) background: Arc<Background>,
}

type Stream = MaybeHttpsStream<TokioIo<TcpStream>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<Uri> for Dial {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        // Called while the request that needs the connection is polled; a
        // dial the pool makes on its own has no clock and no timeout but
        // the call's deadline.
        let clock = CLOCK.try_with(Arc::clone).ok();
        let opened = self.opened.clone();
        let background = self.background.handle();
        let mut inner = self.inner.clone();
        Box::pin(async move {
            let limit = clock.as_ref().and_then(|c| c.connect_timeout);
            if let Some(c) = &clock {
                c.set(Phase::Dialing);
            }
            let dial = async move {
                let dial = inner.call(uri);
                match limit {
                    Some(t) => match tokio::time::timeout(t, dial).await {
                        Ok(stream) => stream,
                        Err(_) => Err(Box::new(ConnectTimedOut) as BoxError),
                    },
                    None => dial.await,
                }
            };
            let stream = match background {
                Ok(handle) => match AbortOnDrop(handle.spawn(dial)).await {
                    Ok(stream) => stream,
                    Err(e) => Err(Box::new(e) as BoxError),
                },
                Err(e) => Err(Box::new(e) as BoxError),
            };
            if let Some(c) = &clock {
                c.set(Phase::Dialed(Instant::now()));
            }
            let stream = stream?;
            opened.fetch_add(1, Ordering::Relaxed);
            Ok(stream)
        })
    }
}

/// A task on the pool's runtime that ends when its caller stops waiting.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

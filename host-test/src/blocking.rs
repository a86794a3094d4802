//! The blocking form of a [`Connector`]'s call, for callers that are not
//! async: it runs the async call to completion and returns its result. It works from any thread:
//!
//! - a plain thread runs the call on a current-thread tokio runtime of its
//!   own, made by its first call: the guest (on a fiber), the request future
//!   and its waker share the thread, with no hop between threads;
//! - a thread inside a tokio runtime's context (a `spawn_blocking` thread,
//!   or an async task that blocks, which stalls its worker: use the async
//!   calls there) cannot block on a second runtime, so the call runs on a
//!   helper thread made for it, which costs a thread start per call.

use std::future::Future;

use serde_json::Value;

use crate::error::HostError;
use crate::runtime::{Connector, Outcome};

/// [`Connector::blocking`]: the same calls, blocking the calling thread.
#[derive(Clone, Copy)]
pub struct Blocking<'a>(&'a Connector);

impl Connector {
    /// The same calls, blocking the calling thread (from any thread).
    pub fn blocking(&self) -> Blocking<'_> {
        Blocking(self)
    }
}

impl Blocking<'_> {
    /// [`Connector::call`], blocking.
    pub fn call(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> Result<Outcome, HostError> {
        block_on(self.0.call(operation, connection, input))?
    }
}

thread_local! {
    /// The runtime blocking calls on this thread run on, made by the first.
    static RUNTIME: std::cell::OnceCell<tokio::runtime::Runtime> = const { std::cell::OnceCell::new() };
}

/// Runs `future` to completion from any thread (see the module's docs).
/// Fails only when no tokio runtime can be started.
pub fn block_on<F>(future: F) -> Result<F::Output, HostError>
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_err() {
        return on_this_thread(future);
    }
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("goto-host-call".into())
            .spawn_scoped(s, || on_this_thread(future))
        {
            Ok(call) => call
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => Err(no_runtime(e)),
        }
    })
}

fn on_this_thread<F: Future>(future: F) -> Result<F::Output, HostError> {
    RUNTIME.with(|cell| {
        if cell.get().is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(no_runtime)?;
            let _ = cell.set(runtime);
        }
        match cell.get() {
            Some(runtime) => Ok(runtime.block_on(future)),
            None => Err(no_runtime("the thread's runtime is gone")),
        }
    })
}

fn no_runtime(e: impl std::fmt::Display) -> HostError {
    HostError::Instantiation {
        message: format!("no tokio runtime could be started for a blocking call: {e}"),
    }
}

//! A loopback server of the tests (the HTTPS server, the TLS proxy) on a
//! thread and tokio runtime of its own, so the code under test never
//! delays it: it runs until dropped or until its lifetime ends.

use std::future::Future;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::https::THREAD_NAME;

/// A running server; dropping it stops it and waits for its thread.
pub(crate) struct Background {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Runs `serve()` (made inside the runtime, so it may register sockets)
    /// on `threads` worker threads named [`THREAD_NAME`].
    pub(crate) fn run<F, Fut>(threads: usize, lifetime: Duration, serve: F) -> Background
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(threads)
                    .thread_name(THREAD_NAME)
                    .enable_all()
                    .build()
                    .expect("the server's runtime");
                rt.block_on(async move {
                    tokio::select! {
                        () = serve() => {}
                        _ = stopped => {}
                        () = tokio::time::sleep(lifetime) => {}
                    }
                });
                rt.shutdown_background();
            })
            .expect("the server's thread");
        Background {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

//! A TLS-terminating proxy on 127.0.0.1 in front of a plaintext server (the
//! Temporal dev server, for the worker's secured-cluster tests): TLS (with
//! ALPN `h2`, as gRPC asks) and, when asked, a client certificate required;
//! every accepted stream is copied both ways to the upstream address. It
//! counts the TLS sessions it completed and stops when dropped or after its
//! lifetime.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use crate::background::Background;
use crate::https::Authority;

/// A running proxy; dropping it stops it.
pub struct TlsProxy {
    /// `127.0.0.1:PORT`.
    pub address: String,
    sessions: Arc<AtomicUsize>,
    _running: Background,
}

impl TlsProxy {
    /// Proxies TLS on a free port to `upstream` (`HOST:PORT`), with a
    /// certificate `server` signed; with `clients`, only clients holding a
    /// certificate that authority signed get through.
    pub fn start(
        upstream: &str,
        server: &Authority,
        clients: Option<&Authority>,
        lifetime: Duration,
    ) -> TlsProxy {
        let config = server.server_config(&[b"h2"], clients);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("nonblocking");
        let address = listener.local_addr().expect("the address").to_string();
        let sessions = Arc::new(AtomicUsize::new(0));
        let (counted, upstream) = (sessions.clone(), upstream.to_string());
        let running = Background::run(1, lifetime, move || async move {
            let listener = TcpListener::from_std(listener).expect("listener");
            let acceptor = TlsAcceptor::from(Arc::new(config));
            serve(listener, acceptor, upstream, counted).await
        });
        TlsProxy {
            address,
            sessions,
            _running: running,
        }
    }

    /// The TLS sessions completed so far (refused clients not counted).
    pub fn sessions(&self) -> usize {
        self.sessions.load(Ordering::Relaxed)
    }
}

async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    upstream: String,
    sessions: Arc<AtomicUsize>,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let (acceptor, upstream, sessions) = (acceptor.clone(), upstream.clone(), sessions.clone());
        tokio::spawn(async move {
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                return;
            };
            sessions.fetch_add(1, Ordering::Relaxed);
            let Ok(mut plain) = TcpStream::connect(&upstream).await else {
                return;
            };
            let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
        });
    }
}

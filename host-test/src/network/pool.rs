//! The connections live calls share: hyper-util's pooling client over
//! rustls, one pool per [`crate::Connector`] (and its clones), keyed by
//! origin. Connections are opened and driven on a small runtime of the
//! pool's own ([`Background`]), so a connection outlives the call (and the
//! caller's runtime) that opened it; a request itself is sent and awaited
//! from the calling task, as with any pooled client.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioTimer;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio::runtime::{Handle, Runtime};

use super::dial::Dial;

/// How live calls reach GoTo: the connections kept open between calls,
/// and the certificates trusted. Set with [`crate::Builder::network`].
#[derive(Debug, Clone)]
pub struct NetworkSettings {
    /// How long a connection no call uses stays open (default 30 s). GoTo
    /// closes idle connections itself after a while; a request never fails
    /// for a connection the server closed before it was written.
    pub idle_timeout: Duration,
    /// The most unused connections kept open per origin (default 64, the
    /// default pool of instances); busier moments open more, and close
    /// them once they are idle beyond this number.
    pub max_idle_per_origin: usize,
    /// Certificates to trust besides the webpki roots (Mozilla's), as PEM:
    /// a private gateway's certificate authority, or a test server's.
    /// Empty by default.
    pub extra_roots_pem: Vec<u8>,
    /// The tokio runtime that opens and drives the connections: a
    /// long-lived multi-thread runtime of the embedder's (the one its calls
    /// run on) saves a hop between threads per call. It must outlive the
    /// connector. `None` (the default): two threads of the pool's own, so a
    /// connection never depends on the runtime of the call that opened it.
    pub runtime: Option<Handle>,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings {
            idle_timeout: Duration::from_secs(30),
            max_idle_per_origin: crate::engine::DEFAULT_POOL_SIZE,
            extra_roots_pem: Vec::new(),
            runtime: None,
        }
    }
}

impl NetworkSettings {
    /// Adds the certificates of the PEM file at `path` to the trusted roots
    /// (the `--ca-file` of `goto-host` and `goto-worker`); fails when the
    /// file cannot be read or holds no certificate.
    pub fn trust_pem_file(&mut self, path: impl AsRef<std::path::Path>) -> anyhow::Result<()> {
        let path = path.as_ref();
        let pem = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let certificates = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("{} is not PEM", path.display()))?;
        if certificates.is_empty() {
            bail!("{} holds no PEM certificate", path.display());
        }
        self.extra_roots_pem.extend_from_slice(&pem);
        self.extra_roots_pem.push(b'\n');
        Ok(())
    }
}

/// The shared connections.
pub(crate) struct Pool {
    client: Client<Dial, Full<Bytes>>,
    opened: Arc<AtomicUsize>,
}

impl Pool {
    /// The pool `settings` describe; fails on extra roots that hold no
    /// valid certificate.
    pub(crate) fn new(settings: &NetworkSettings) -> anyhow::Result<Pool> {
        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if !settings.extra_roots_pem.is_empty() {
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(&settings.extra_roots_pem) {
                let cert = cert.context("reading the extra trust roots (PEM)")?;
                roots
                    .add(cert)
                    .context("adding an extra trust root (PEM)")?;
                added += 1;
            }
            if added == 0 {
                bail!("the extra trust roots hold no PEM certificate");
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("TLS settings")?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let opened = Arc::new(AtomicUsize::new(0));
        let background = Arc::new(Background {
            given: settings.runtime.clone(),
            runtime: OnceLock::new(),
        });
        let dial = Dial {
            inner: https,
            opened: opened.clone(),
            background: background.clone(),
        };
        let client = Client::builder(OnBackground(background))
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(settings.idle_timeout)
            .pool_max_idle_per_host(settings.max_idle_per_origin)
            .retry_canceled_requests(true)
            .build(dial);
        Ok(Pool { client, opened })
    }

    pub(crate) fn client(&self) -> &Client<Dial, Full<Bytes>> {
        &self.client
    }

    /// How many connections the pool has opened so far.
    pub(crate) fn connections_opened(&self) -> usize {
        self.opened.load(Ordering::Relaxed)
    }
}

/// The runtime that opens and drives the pool's connections: the one
/// [`NetworkSettings::runtime`] names, or one of the pool's own, started by
/// the first connection (a connector that never goes live starts none).
pub(crate) struct Background {
    given: Option<Handle>,
    runtime: OnceLock<Runtime>,
}

impl Background {
    /// The runtime's handle, starting it if need be.
    pub(crate) fn handle(&self) -> std::io::Result<Handle> {
        if let Some(given) = &self.given {
            return Ok(given.clone());
        }
        if let Some(rt) = self.runtime.get() {
            return Ok(rt.handle().clone());
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("goto-host-network")
            .enable_all()
            .build()?;
        // Another call may have started one meanwhile; keep the first.
        if let Err(mine) = self.runtime.set(rt) {
            mine.shutdown_background();
        }
        self.runtime
            .get()
            .map(|rt| rt.handle().clone())
            .ok_or_else(|| std::io::Error::other("the network runtime did not start"))
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // A runtime may not be dropped in async code; this one's tasks are
        // the idle connections, which may simply end.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// hyper's executor for the pool: connection tasks run on [`Background`].
#[derive(Clone)]
struct OnBackground(Arc<Background>);

impl<F> hyper::rt::Executor<F> for OnBackground
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn execute(&self, task: F) {
        match self.0.handle() {
            Ok(handle) => drop(handle.spawn(task)),
            // No runtime of our own could start: the caller's, if any.
            Err(_) => drop(tokio::runtime::Handle::try_current().map(|h| h.spawn(task))),
        }
    }
}

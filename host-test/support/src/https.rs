//! A loopback HTTPS server for the tests and benchmarks of live calls: a
//! certificate made at start (its authority is [`Https::ca_pem`]), on
//! 127.0.0.1 only, HTTP/1.1 keep-alive and, when asked, HTTP/2 through
//! ALPN. It counts the connections it accepts, keeps what each request
//! carried, and stops after its request budget or its lifetime.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::background::Background;
use tokio_rustls::rustls;

/// The name of the server's threads (a benchmark leaves their CPU out).
pub const THREAD_NAME: &str = "goto-test-https";

/// What the server answers: the status and JSON body for a request's
/// method, path and body.
pub type Answer = Arc<dyn Fn(&str, &str, &[u8]) -> (u16, String) + Send + Sync>;

/// How the server behaves.
#[derive(Clone)]
pub struct Options {
    /// Close a connection that has been idle this long (HTTP/1.1).
    pub idle_close: Option<Duration>,
    /// Offer HTTP/2 as well as HTTP/1.1 through ALPN.
    pub http2: bool,
    /// How long each answer waits before it starts.
    pub delay: Duration,
    /// Requests served before the server stops.
    pub max_requests: usize,
    /// How long the server runs at most.
    pub lifetime: Duration,
    /// The answers.
    pub answer: Answer,
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Which accepted connection carried it (from 1).
    pub connection: usize,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The `authorization` header, if any.
    pub authorization: Option<String>,
    /// The HTTP version, as `HTTP/1.1` or `HTTP/2.0`.
    pub version: String,
}

#[derive(Default)]
struct Stats {
    connections: AtomicUsize,
    requests: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
}

/// A running server; dropping it stops it.
pub struct Https {
    /// `https://127.0.0.1:PORT`.
    pub origin: String,
    /// The certificate authority that signed the server's certificate.
    pub ca_pem: String,
    stats: Arc<Stats>,
    _running: Background,
}

impl Https {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start(options: Options) -> Https {
        let (ca_pem, tls) = certificates(options.http2);
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("the address");
        let stats = Arc::new(Stats::default());
        let served = stats.clone();
        let lifetime = options.lifetime;
        let running = Background::run(2, lifetime, move || async move {
            let listener = TcpListener::from_std(std_listener).expect("listener");
            accept(listener, TlsAcceptor::from(Arc::new(tls)), options, served).await
        });
        Https {
            origin: format!("https://{addr}"),
            ca_pem,
            stats,
            _running: running,
        }
    }

    /// The connections accepted so far.
    pub fn connections(&self) -> usize {
        self.stats.connections.load(Ordering::Relaxed)
    }

    /// Every request served so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.stats
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

/// A certificate authority made at start, and the certificates it signs.
pub struct Authority {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    /// Its certificate, PEM.
    pub pem: String,
    der: rustls::pki_types::CertificateDer<'static>,
}

/// A certificate and its private key, PEM.
pub struct Identity {
    /// The certificate.
    pub cert_pem: String,
    /// Its private key (PKCS #8).
    pub key_pem: String,
}

impl Authority {
    /// A new authority named `name`.
    pub fn new(name: &str) -> Authority {
        let key = rcgen::KeyPair::generate().expect("a key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).expect("the authority");
        Authority {
            pem: cert.pem(),
            der: cert.der().clone(),
            issuer: rcgen::Issuer::new(params, key),
        }
    }

    /// A certificate for `names` (host names or IP addresses), signed here.
    pub fn issue(&self, names: &[&str]) -> Identity {
        let key = rcgen::KeyPair::generate().expect("a key");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let params = rcgen::CertificateParams::new(names).expect("params");
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("the certificate");
        Identity {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    /// A server's TLS settings with a certificate for 127.0.0.1 and
    /// localhost signed here, offering `alpn`; with `clients`, a client
    /// certificate signed by that authority is required.
    pub fn server_config(
        &self,
        alpn: &[&[u8]],
        clients: Option<&Authority>,
    ) -> rustls::ServerConfig {
        use rustls::pki_types::pem::PemObject;
        let identity = self.issue(&["127.0.0.1", "localhost"]);
        let cert = rustls::pki_types::CertificateDer::from_pem_slice(identity.cert_pem.as_bytes())
            .expect("the certificate");
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes())
            .expect("the key");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("TLS versions");
        let builder = match clients {
            None => builder.with_no_client_auth(),
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add(ca.der.clone()).expect("the client authority");
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider,
                )
                .build()
                .expect("a client verifier");
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut config = builder
            .with_single_cert(vec![cert, self.der.clone()], key)
            .expect("the server's certificate");
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        config
    }
}

/// A certificate authority, and the server's configuration with a
/// certificate it signed for 127.0.0.1 and localhost.
fn certificates(http2: bool) -> (String, rustls::ServerConfig) {
    let ca = Authority::new("goto-connector test authority");
    let alpn: &[&[u8]] = match http2 {
        true => &[b"h2", b"http/1.1"],
        false => &[b"http/1.1"],
    };
    let config = ca.server_config(alpn, None);
    (ca.pem.clone(), config)
}

async fn accept(listener: TcpListener, tls: TlsAcceptor, options: Options, stats: Arc<Stats>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        // As a real server: no delayed-ACK stall between small writes.
        let _ = tcp.set_nodelay(true);
        if stats.requests.load(Ordering::Relaxed) >= options.max_requests {
            return;
        }
        let connection = stats.connections.fetch_add(1, Ordering::Relaxed) + 1;
        let (tls, options, stats) = (tls.clone(), options.clone(), stats.clone());
        tokio::spawn(async move {
            let Ok(stream) = tls.accept(tcp).await else {
                return;
            };
            let delay = options.delay;
            let service = service_fn(move |request| {
                serve(
                    request,
                    connection,
                    (options.answer.clone(), delay),
                    stats.clone(),
                )
            });
            let mut server = auto::Builder::new(TokioExecutor::new());
            server
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(options.idle_close);
            let _ = server.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

async fn serve(
    request: http::Request<Incoming>,
    connection: usize,
    (answer, delay): (Answer, Duration),
    stats: Arc<Stats>,
) -> Result<http::Response<Full<Bytes>>, Infallible> {
    tokio::time::sleep(delay).await;
    stats.requests.fetch_add(1, Ordering::Relaxed);
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/".to_string(), |p| p.to_string());
    if let Ok(mut seen) = stats.seen.lock() {
        seen.push(Seen {
            connection,
            method: parts.method.to_string(),
            path: path.clone(),
            authorization: parts
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(String::from),
            version: format!("{:?}", parts.version),
        });
    }
    let (status, json) = answer(parts.method.as_str(), &path, &body);
    let response = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(json)))
        .unwrap_or_default();
    Ok(response)
}

//! A throwaway OCI registry on 127.0.0.1: Debian's `docker-registry` (the
//! CNCF distribution registry) with its own config file, filesystem storage
//! in a fresh folder, no auth; killed on drop. Plus the few HTTP requests
//! the test makes to it, over a plain `TcpStream`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The registry's binary, from Debian's `docker-registry` package.
const BINARY: &str = "/usr/bin/docker-registry";
/// How to install it.
const INSTALL: &str = "apt-get update && apt-get install -y docker-registry";
/// How long to wait for it to answer `GET /v2/`.
const READY_WITHIN: Duration = Duration::from_secs(20);

/// A running registry; killed (and waited for) on drop.
pub struct Registry {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Registry {
    /// Starts a registry listening on a free port of 127.0.0.1, storing under
    /// `dir/storage`, its config and log in `dir`; returns once it answers
    /// `GET /v2/` (panics after [`READY_WITHIN`], with its log).
    pub fn start(dir: &Path) -> Registry {
        assert!(
            Path::new(BINARY).is_file(),
            "{BINARY} is missing: {INSTALL}"
        );
        let port = free_port();
        let storage = dir.join("storage");
        std::fs::create_dir_all(&storage).expect("make the registry's storage folder");
        let config = dir.join("config.yml");
        // Every value written here, nothing left to the package's defaults
        // (`/etc/docker/registry/config.yml` is not read).
        std::fs::write(
            &config,
            format!(
                "version: 0.1\n\
                 log:\n  level: info\n\
                 storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: false\n\
                 http:\n  addr: 127.0.0.1:{port}\n  secret: goto-connector-test\n",
                storage.display()
            ),
        )
        .expect("write the registry's config");
        let log = dir.join("registry.log");
        let out = std::fs::File::create(&log).expect("create the registry's log");
        let err = out.try_clone().expect("share the registry's log");
        let child = Command::new(BINARY)
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("{BINARY} could not start ({e}): {INSTALL}"));
        let mut registry = Registry { child, port, log };
        registry.wait_ready();
        registry
    }

    /// `127.0.0.1:<port>`, the registry part of a reference.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// What the registry has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `method path` with `Accept: accept` against the registry.
    pub fn request(&self, method: &str, path: &str, accept: &str) -> Response {
        request(self.port, method, path, accept)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\nregistry log:\n{}", self.log()))
    }

    fn wait_ready(&mut self) {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the registry exited ({status}) before serving:\n{}",
                    self.log()
                );
            }
            if request(self.port, "GET", "/v2/", "application/json").is_ok_and(|r| r.status == 200)
            {
                return;
            }
            assert!(
                start.elapsed() < READY_WITHIN,
                "the registry did not answer GET /v2/ on {} within {READY_WITHIN:?}:\n{}",
                self.host(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port of 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// An HTTP response: its status, headers (names lowercased) and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.0 request to 127.0.0.1:`port` (HTTP/1.0: the answer is never
/// chunked and the connection closes after it).
fn request(port: u16, method: &str, path: &str, accept: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Response {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

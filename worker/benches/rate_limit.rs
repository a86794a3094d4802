//! `cargo bench -p goto-worker --bench rate_limit`: three `goto-worker`s on
//! one task queue against a mock GoTo that allows 20 requests per second
//! per token and answers 429 with `Retry-After: 1` above that; 600
//! `get-meeting` activities from 60 workflows (`benches/rate_drive.py`),
//! with the queue limited to 18 activities per second by Temporal's server
//! (`--task-queue-activities-per-second 18`), with that and each worker
//! held to 6 per second (`--max-activities-per-second 6`), and without a
//! limit.
//! Prints a Markdown table: wall time, activities per second, the 429s
//! among GoTo's answers, failed workflows.

use std::path::Path;
use std::process::Command;

use goto_test_support::temporal::{
    Process, mock_goto_limited, mock_worker, scratch, serving, temporal_server, venv, worker_dir,
};
use serde_json::Value;

const WORKER: &str = env!("CARGO_BIN_EXE_goto-worker");
const GOTO_RATE: u32 = 20;
/// The runs: their name and the workers' limit flags.
const RUNS: [(&str, &[&str]); 3] = [
    ("queue 18/s", &["--task-queue-activities-per-second", "18"]),
    (
        "queue 18/s, each worker 6/s",
        &[
            "--task-queue-activities-per-second",
            "18",
            "--max-activities-per-second",
            "6",
        ],
    ),
    ("none", &[]),
];
const WORKFLOWS: usize = 60;
const PER: usize = 10;

fn main() {
    let venv = venv();
    println!(
        "| limit | wall time | activities/s | 429 answers / GoTo requests | failed workflows |"
    );
    println!("|---|---|---|---|---|");
    for (i, (label, limit)) in RUNS.iter().enumerate() {
        let dir = scratch(&format!("rate-limit-{i}"));
        let (_server, temporal) = temporal_server(&venv, &dir);
        let (_mock, goto) = mock_goto_limited(&dir, 20, 100_000, 900, GOTO_RATE);
        let _workers: Vec<Process> = (1..=3)
            .map(|i| worker(&temporal, &goto, &dir, &format!("w{i}"), limit))
            .collect();
        for i in 1..=3 {
            serving(&dir.join(format!("w{i}.log")));
        }
        let out = goto_test_support::run(
            Command::new(venv.join("bin/python"))
                .arg(worker_dir().join("benches/rate_drive.py"))
                .args([&temporal, "goto", &WORKFLOWS.to_string(), &PER.to_string()]),
            goto_test_support::INSTALL_PYTHON,
        );
        let result: Value = serde_json::from_str(out.trim()).expect("rate_drive.py prints JSON");
        let (requests, limited) = answers(&dir.join("goto.log"));
        let seconds = result["seconds"].as_f64().unwrap_or(0.0);
        let activities = result["activities"].as_f64().unwrap_or(0.0);
        println!(
            "| {} | {seconds:.1} s | {:.1}/s | {limited} / {requests} ({:.1} %) | {} |",
            label,
            activities / seconds.max(1e-9),
            100.0 * limited as f64 / requests.max(1) as f64,
            result["failed"]
        );
    }
}

fn worker(temporal: &str, goto: &str, dir: &Path, name: &str, limit: &[&str]) -> Process {
    let args = [&["--pool-size", "16"][..], limit].concat();
    let mut worker = mock_worker(WORKER, temporal, goto, dir, name, "goto", &args);
    Process(worker.spawn().expect("start goto-worker"))
}

/// The requests GoTo answered, and how many of them with 429.
fn answers(log: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let statuses: Vec<u64> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|e| e["status"].as_u64())
        .collect();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    (statuses.len(), limited)
}

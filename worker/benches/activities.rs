//! `cargo bench -p goto-worker`: activities per second of one worker at 1,
//! 16 and 64 concurrent activities, sandboxed (`goto-worker`, each
//! `get-meeting` in a fresh instance of the component) beside a native
//! activity of the same name that sends the same request and reads the
//! answer with the native build of the same code (no wasm). Both run
//! against the mock GoTo of the tests (20 ms per answer) and the Temporal
//! dev server, driven by `benches/drive.py`. Prints a Markdown table.

use std::process::Command;
use std::sync::Arc;

use goto_test_support::temporal::{
    MOCK_TOKEN, Process, mock_goto, mock_worker, scratch, serving, temporal_server, venv,
    worker_dir,
};

/// The worker binary of this build.
const WORKER: &str = env!("CARGO_BIN_EXE_goto-worker");
use futures_util::future::BoxFuture;
use goto_host_cli::bench::concurrency::cpu_time_of;
use serde_json::{Value, json};
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions};
use temporalio_common::ActivityDefinition;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityError, ActivityImplementer, ExecutableActivity,
};
use temporalio_sdk::runtime::worker_tuner::{FixedSizeSlotSupplier, TunerHolder};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

fn main() {
    let venv = venv();
    let dir = scratch("bench");
    let (_server, temporal) = temporal_server(&venv, &dir);
    let (_mock, goto) = mock_goto(&dir, 20, 1_000_000, 1800);
    println!(
        "| concurrent activities | sandboxed: activities/s, worker CPU per activity | \
         native: activities/s, worker CPU per activity | sandboxed / native |"
    );
    println!("|---|---|---|---|");
    for concurrency in [1, 16, 64] {
        let per = if concurrency == 1 { 100 } else { 20 };
        // Rounds alternate which goes first; the table gives medians.
        let (mut sandboxed, mut native) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let queue = format!("{concurrency}-{round}");
            let sandboxed_first = round % 2 == 0;
            for sandboxed_turn in [sandboxed_first, !sandboxed_first] {
                if sandboxed_turn {
                    sandboxed.push(run_sandboxed(
                        &venv,
                        &temporal,
                        &goto,
                        &dir,
                        &queue,
                        concurrency,
                        per,
                    ));
                } else {
                    native.push(run_native(
                        &venv,
                        &temporal,
                        &goto,
                        &queue,
                        concurrency,
                        per,
                    ));
                }
            }
        }
        let (s, n) = (median(&sandboxed), median(&native));
        println!(
            "| {concurrency} | {:.0}/s, {:.2} ms | {:.0}/s, {:.2} ms | {:.0} % (rounds: {}) |",
            s.0,
            s.1,
            n.0,
            n.1,
            100.0 * s.0 / n.0,
            sandboxed
                .iter()
                .zip(&native)
                .map(|(s, n)| format!("{:.0} %", 100.0 * s.0 / n.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

const ROUNDS: usize = 3;

/// Medians of activities per second and of CPU per activity.
fn median(runs: &[(f64, f64)]) -> (f64, f64) {
    let mid = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (
        mid(runs.iter().map(|r| r.0).collect()),
        mid(runs.iter().map(|r| r.1).collect()),
    )
}

/// One measurement of `goto-worker`: activities per second, and its CPU
/// per activity in ms.
fn run_sandboxed(
    venv: &std::path::Path,
    temporal: &str,
    goto: &str,
    dir: &std::path::Path,
    queue: &str,
    c: usize,
    per: usize,
) -> (f64, f64) {
    let queue = format!("sandboxed-{queue}");
    let worker = sandboxed_worker(temporal, goto, dir, &queue, c);
    let pid = worker.0.id().to_string();
    serving(&dir.join(format!("{queue}.log")));
    let before = cpu_time_of(&pid);
    let (rate, n) = drive(venv, temporal, &queue, c, per);
    let cpu = cpu_time_of(&pid).saturating_sub(before);
    (rate, cpu.as_secs_f64() * 1e3 / n)
}

/// The same with the native activity in this process.
fn run_native(
    venv: &std::path::Path,
    temporal: &str,
    goto: &str,
    queue: &str,
    c: usize,
    per: usize,
) -> (f64, f64) {
    let queue = format!("native-{queue}");
    let before = cpu_time_of("self");
    let (rate, n) = native_worker(temporal, goto, &queue, c, || {
        drive(venv, temporal, &queue, c, per)
    });
    let cpu = cpu_time_of("self").saturating_sub(before);
    (rate, cpu.as_secs_f64() * 1e3 / n)
}

fn sandboxed_worker(
    temporal: &str,
    goto: &str,
    dir: &std::path::Path,
    queue: &str,
    c: usize,
) -> Process {
    let pool = c.to_string();
    let mut worker = mock_worker(
        WORKER,
        temporal,
        goto,
        dir,
        queue,
        queue,
        &["--pool-size", &pool],
    );
    Process(worker.spawn().expect("start goto-worker"))
}

/// Runs `benches/drive.py`; its activities per second, and how many ran
/// (the warm-up's included, as the CPU time is).
fn drive(venv: &std::path::Path, temporal: &str, queue: &str, c: usize, per: usize) -> (f64, f64) {
    let out = goto_test_support::run(
        Command::new(venv.join("bin/python"))
            .arg(worker_dir().join("benches/drive.py"))
            .args([temporal, queue, &c.to_string(), &per.to_string()]),
        goto_test_support::INSTALL_PYTHON,
    );
    let result: Value = serde_json::from_str(out.trim()).expect("drive.py prints JSON");
    let activities = result["activities"].as_f64().expect("activities");
    let rate = activities / result["seconds"].as_f64().expect("seconds");
    (rate, activities + 2.0 * c as f64)
}

/// A worker in this process whose `get-meeting` is native, running while
/// `measure` runs.
fn native_worker(
    temporal: &str,
    goto: &str,
    queue: &str,
    c: usize,
    measure: impl FnOnce() -> (f64, f64) + Send,
) -> (f64, f64) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut worker = runtime.block_on(async {
        let url = url::Url::parse(&format!("http://{temporal}")).expect("the server's URL");
        let connection = Connection::connect(ConnectionOptions::new(url).build())
            .await
            .expect("connect to Temporal");
        let client =
            Client::new(connection, ClientOptions::new("default").build()).expect("client");
        let sdk = Runtime::from_current_tokio(Default::default()).expect("the SDK's runtime");
        let tuner = TunerHolder::builder()
            .workflow_task_slot_supplier(FixedSizeSlotSupplier::new(1))
            .activity_task_slot_supplier(FixedSizeSlotSupplier::new(c))
            .local_activity_task_slot_supplier(FixedSizeSlotSupplier::new(1))
            .nexus_task_slot_supplier(FixedSizeSlotSupplier::new(1))
            .build();
        let options = WorkerOptions::new(queue)
            .register_activities(Native {
                base: goto.to_string(),
            })
            .tuner(tuner)
            .build();
        Worker::new(&sdk, client, options).expect("the native worker")
    });
    let stop = worker.shutdown_handle();
    // The worker's future is not Send: it runs here while another thread
    // measures, then stops it.
    let handle = runtime.handle().clone();
    std::thread::scope(|scope| {
        let measuring = scope.spawn(move || {
            let result = measure();
            // The SDK's shutdown spawns on the runtime.
            let _inside = handle.enter();
            stop();
            result
        });
        if let Err(e) = runtime.block_on(worker.run()) {
            panic!("the native worker failed: {e}");
        }
        measuring.join().expect("the measurement")
    })
}

struct Native {
    base: String,
}

struct NativeGetMeeting;

impl ActivityDefinition for NativeGetMeeting {
    type Input = Value;
    type Output = Value;
    fn name(&self) -> &str {
        "get-meeting"
    }
}

impl ExecutableActivity for NativeGetMeeting {
    type Implementer = Native;
    const REQUIRES_INSTANCE: bool = true;
    fn definition() -> Self {
        NativeGetMeeting
    }
    fn execute(
        receiver: Option<Arc<Native>>,
        _ctx: ActivityContext,
        input: Value,
    ) -> BoxFuture<'static, Result<Value, ActivityError>> {
        Box::pin(async move {
            let fail = |m: String| ActivityError::from(ApplicationFailure::non_retryable(m));
            let native = receiver.ok_or_else(|| fail("no instance".into()))?;
            let id = input["meetingId"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| fail("meetingId".into()))?;
            let got =
                goto_host_cli::bench::concurrency::native_get_meeting(&native.base, MOCK_TOKEN, id)
                    .await
                    .map_err(|e| fail(e.to_string()))?;
            Ok(json!({ "meetingId": got.to_string() }))
        })
    }
}

impl ActivityImplementer for Native {
    fn register_all(self: Arc<Self>, defs: &mut ActivityDefinitions) {
        defs.register_activity::<NativeGetMeeting>(self);
    }
}

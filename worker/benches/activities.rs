//! `cargo bench -p goto-worker`: activities per second of one worker at 1,
//! 16 and 64 concurrent activities, sandboxed (`goto-worker`, each
//! `get-meeting` in a fresh instance of the component) beside a native
//! activity of the same name that sends the same request and reads the
//! answer with the native build of the same code (no wasm). Both run
//! against the mock GoTo of the tests (20 ms per answer) and the Temporal
//! dev server, driven by `benches/drive.py`. Prints a Markdown table.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::sync::Arc;

use common::{Process, WORKER, here, logged, mock_goto, scratch, temporal_server, venv};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions};
use temporalio_common::ActivityDefinition;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityError, ActivityImplementer, ExecutableActivity,
};
use temporalio_sdk::runtime::worker_tuner::{FixedSizeSlotSupplier, TunerHolder};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

/// The mock's fixed token and meeting (`tests/mock_goto.py`).
const TOKEN: &str = "test-bench-token-6d5c4b3a2f1e";

fn main() {
    let venv = venv();
    let dir = scratch("bench");
    let (_server, temporal) = temporal_server(&venv, &dir);
    let (_mock, goto) = mock_goto(&dir, 20, 1_000_000, 1800);
    println!(
        "| concurrent activities | sandboxed (activities/s) | native (activities/s) | sandboxed / native |"
    );
    println!("|---|---|---|---|");
    for concurrency in [1, 16, 64] {
        let per = if concurrency == 1 { 200 } else { 20 };
        let queue = format!("sandboxed-{concurrency}");
        let sandboxed = {
            let _worker = sandboxed_worker(&temporal, &goto, &dir, &queue, concurrency);
            drive(&venv, &temporal, &queue, concurrency, per)
        };
        let queue = format!("native-{concurrency}");
        let native = native_worker(&temporal, &goto, &queue, concurrency, || {
            drive(&venv, &temporal, &queue, concurrency, per)
        });
        println!(
            "| {concurrency} | {sandboxed:.0} | {native:.0} | {:.0} % |",
            100.0 * sandboxed / native
        );
    }
}

fn sandboxed_worker(
    temporal: &str,
    goto: &str,
    dir: &std::path::Path,
    queue: &str,
    c: usize,
) -> Process {
    let (out, err) = logged(dir, queue);
    let child = Command::new(WORKER)
        .args([
            "--temporal",
            temporal,
            "--namespace",
            "default",
            "--task-queue",
            queue,
        ])
        .args(["--pool-size", &c.to_string(), "--allow-host", goto])
        .env_clear()
        .env("GOTO_ACCESS_TOKEN", TOKEN)
        .env("GOTO_API_BASE", goto)
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start goto-worker");
    Process(child)
}

/// Runs `benches/drive.py`; its activities per second.
fn drive(venv: &std::path::Path, temporal: &str, queue: &str, c: usize, per: usize) -> f64 {
    let out = common::run(
        Command::new(venv.join("bin/python"))
            .arg(here().join("benches/drive.py"))
            .args([temporal, queue, &c.to_string(), &per.to_string()]),
    );
    let result: Value = serde_json::from_str(out.trim()).expect("drive.py prints JSON");
    let activities = result["activities"].as_f64().expect("activities");
    activities / result["seconds"].as_f64().expect("seconds")
}

/// A worker in this process whose `get-meeting` is native, running while
/// `measure` runs.
fn native_worker(
    temporal: &str,
    goto: &str,
    queue: &str,
    c: usize,
    measure: impl FnOnce() -> f64 + Send,
) -> f64 {
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
    std::thread::scope(|scope| {
        let measuring = scope.spawn(move || {
            let result = measure();
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
            let got = host_test::bench::concurrency::native_get_meeting(&native.base, TOKEN, id)
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

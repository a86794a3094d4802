//! `goto-worker`: a Temporal activity worker whose activities are the GoTo
//! connector's operations, each run in the sandboxed component.
//!
//! ```text
//! goto-worker --temporal HOST:PORT --namespace NS --task-queue Q
//!             [--pool-size N] [--allow-host ORIGIN]... [--connection-file F]
//! ```

mod activities;
mod failure;
mod tokens;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use goto_host::Connector;
use goto_host::credentials::Credentials;
use goto_host::policy::Policy;
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions};
use temporalio_sdk::runtime::worker_tuner::{FixedSizeSlotSupplier, TunerHolder};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

use crate::activities::{Activities, NAMES};
use crate::tokens::Tokens;

const USAGE: &str = "usage: goto-worker --temporal HOST:PORT --namespace NS --task-queue QUEUE \
[--pool-size N] [--allow-host ORIGIN]... [--connection-file FILE]
GoTo credentials come from --connection-file or GOTO_ACCESS_TOKEN / GOTO_CLIENT_ID, \
GOTO_CLIENT_SECRET, GOTO_REFRESH_TOKEN (and GOTO_API_BASE, GOTO_AUTH_BASE).";

/// Heartbeats reach Temporal at most this often when the workflow set no
/// heartbeat timeout; a cancellation is noticed within about as long.
const HEARTBEAT_THROTTLE: Duration = Duration::from_secs(2);

struct Options {
    temporal: String,
    namespace: String,
    task_queue: String,
    pool_size: usize,
    policy: Policy,
    connection_file: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let (mut temporal, mut namespace, mut task_queue) = (None, None, None);
        let mut pool_size = goto_host::engine::DEFAULT_POOL_SIZE;
        let mut policy = Policy::goto_default();
        let mut connection_file = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || {
                it.next()
                    .ok_or_else(|| anyhow!("{a} needs a value\n{USAGE}"))
            };
            match a.as_str() {
                "--temporal" => temporal = Some(value()?.clone()),
                "--namespace" => namespace = Some(value()?.clone()),
                "--task-queue" => task_queue = Some(value()?.clone()),
                "--pool-size" => {
                    pool_size = value()?
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| anyhow!("--pool-size takes a number above 0"))?;
                }
                "--allow-host" => policy.allow(value()?)?,
                "--connection-file" => connection_file = Some(PathBuf::from(value()?)),
                other => bail!("unknown option {other}\n{USAGE}"),
            }
        }
        let missing = |what: &str| anyhow!("{what} is required\n{USAGE}");
        Ok(Options {
            temporal: temporal.ok_or_else(|| missing("--temporal"))?,
            namespace: namespace.ok_or_else(|| missing("--namespace"))?,
            task_queue: task_queue.ok_or_else(|| missing("--task-queue"))?,
            pool_size,
            policy,
            connection_file,
        })
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = Options::parse(&args).and_then(|options| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(serve(options))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("goto-worker: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Connects to Temporal and serves activities until the process is stopped.
async fn serve(options: Options) -> anyhow::Result<()> {
    let credentials = Credentials::load(options.connection_file.as_deref())?;
    let connector = Connector::embedded()
        .pool_size(options.pool_size)
        .policy(options.policy.clone())
        .build()?;
    check_names(&connector)?;
    let tokens = Tokens::new(connector.clone(), credentials)?;
    let activities = Activities { connector, tokens };

    let url = url::Url::parse(&format!("http://{}", options.temporal))
        .with_context(|| format!("--temporal {}: expected HOST:PORT", options.temporal))?;
    let connection = Connection::connect(ConnectionOptions::new(url).build())
        .await
        .with_context(|| format!("connecting to Temporal at {}", options.temporal))?;
    let client = Client::new(
        connection,
        ClientOptions::new(options.namespace.clone()).build(),
    )?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    // One activity slot per instance of the pool: an activity never waits
    // for an instance while holding a slot another worker could use.
    let tuner = TunerHolder::builder()
        .workflow_task_slot_supplier(FixedSizeSlotSupplier::new(1))
        .activity_task_slot_supplier(FixedSizeSlotSupplier::new(options.pool_size))
        .local_activity_task_slot_supplier(FixedSizeSlotSupplier::new(1))
        .nexus_task_slot_supplier(FixedSizeSlotSupplier::new(1))
        .build();
    let worker_options = WorkerOptions::new(options.task_queue.clone())
        .register_activities(activities)
        .tuner(tuner)
        .default_heartbeat_throttle_interval(HEARTBEAT_THROTTLE)
        .build();
    let mut worker = Worker::new(&runtime, client, worker_options)?;
    eprintln!(
        "goto-worker: {} activities on task queue {} of namespace {} at {}, {} at once",
        NAMES.len(),
        options.task_queue,
        options.namespace,
        options.temporal,
        options.pool_size
    );
    // SIGTERM or Ctrl-C: poll no more, let the activities in flight end.
    let stop = worker.shutdown_handle();
    let run = worker.run();
    tokio::pin!(run);
    tokio::select! {
        result = &mut run => result?,
        () = stopped() => {
            eprintln!("goto-worker: stopping; finishing the activities in flight");
            stop();
            run.await?;
        }
    }
    Ok(())
}

/// Resolves at SIGTERM or SIGINT.
async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        // Without a SIGTERM handler, Ctrl-C still stops it gracefully.
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The activities compiled in are exactly the component's operations.
fn check_names(connector: &Connector) -> anyhow::Result<()> {
    let exported: BTreeSet<&str> = connector.operations().map(|o| o.name.as_str()).collect();
    let compiled: BTreeSet<&str> = NAMES.iter().copied().collect();
    if exported != compiled {
        bail!(
            "the worker's activities do not match the component's operations: only exported {:?}, \
             only compiled {:?}",
            exported.difference(&compiled).collect::<Vec<_>>(),
            compiled.difference(&exported).collect::<Vec<_>>()
        );
    }
    Ok(())
}

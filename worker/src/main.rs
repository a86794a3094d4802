//! `goto-worker`: a Temporal activity worker whose activities are the GoTo
//! connector's operations, each run in the sandboxed component.
//!
//! ```text
//! goto-worker --task-queue Q [--temporal ADDRESS] [--namespace NS] [TLS, limits, ...]
//! ```
//!
//! `goto-worker --help` lists every option and environment variable.

mod activities;
mod failure;
mod log;
mod metrics;
mod options;
mod pace;
mod temporal;
mod tokens;

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;
use goto_host::credentials::Credentials;
use goto_host::{Connector, NetworkSettings};
use serde_json::{Value, json};
use temporalio_client::{Client, ClientOptions};
use temporalio_common::telemetry::TelemetryOptions;
use temporalio_sdk::runtime::RuntimeOptions;
use temporalio_sdk::runtime::worker_tuner::{FixedSizeSlotSupplier, TunerHolder};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

use crate::activities::{Activities, NAMES};
use crate::options::{Options, USAGE};
use crate::tokens::Tokens;

/// Heartbeats reach Temporal at most this often when the workflow set no
/// heartbeat timeout; a cancellation is noticed within about as long.
const HEARTBEAT_THROTTLE: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--version") {
        println!("goto-worker {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let result = Options::parse(&args).and_then(|options| {
        log::init(options.log_format);
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(serve(options))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::event(&format!("{e:#}"), &[("level", log::text("error"))]);
            ExitCode::FAILURE
        }
    }
}

/// The component's connector, and the activities on it, from the options.
fn activities(options: &Options) -> anyhow::Result<Activities> {
    let connector = Connector::embedded()
        .pool_size(options.pool_size)
        .policy(options.policy.clone())
        // The worker's runtime drives the connections too.
        .network(NetworkSettings {
            runtime: Some(tokio::runtime::Handle::current()),
            ..options.network.clone()
        })
        .build()?;
    check_names(&connector)?;
    let source = match &options.connection_file {
        Some(path) => format!("the connection file {}", path.display()),
        None => "the GOTO_* variables".to_string(),
    };
    let mut credentials = Credentials::load(options.connection_file.as_deref())?;
    credentials.check(&connector, &source)?;
    if !options.component_retries {
        // One owner for retries: every attempt shows in the history and
        // follows the workflow's retry policy.
        let settings = credentials
            .connection
            .entry("settings")
            .or_insert_with(|| json!({}));
        if let Value::Object(s) = settings {
            s.insert("maxRetries".into(), json!(0));
        }
    }
    let tokens = Tokens::new(connector.clone(), credentials)?;
    let pace = options.max_activities_per_second.map(pace::Pace::new);
    Ok(Activities {
        connector,
        tokens,
        pace,
    })
}

/// Connects to Temporal and serves activities until the process is stopped.
async fn serve(options: Options) -> anyhow::Result<()> {
    let activities = activities(&options)?;
    let (connection, target) = options.temporal.connect().await?;
    let client = Client::new(
        connection,
        ClientOptions::new(target.namespace.clone()).build(),
    )?;
    let mut telemetry = TelemetryOptions::builder().build();
    if let Some(address) = options.metrics {
        telemetry.metrics = Some(metrics::start(address)?);
    }
    let runtime_options = RuntimeOptions::builder()
        .telemetry_options(telemetry)
        .build()
        .map_err(|e| anyhow::anyhow!("Temporal's runtime settings: {e}"))?;
    let runtime = Runtime::from_current_tokio(runtime_options)?;
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
        .maybe_max_task_queue_activities_per_second(options.task_queue_activities_per_second)
        .graceful_shutdown_period(options.shutdown_grace)
        .build();
    let mut worker = Worker::new(&runtime, client, worker_options)?;
    started(&options, &target);
    // SIGTERM or Ctrl-C: poll no more, let the activities in flight end.
    let stop = worker.shutdown_handle();
    let run = worker.run();
    tokio::pin!(run);
    tokio::select! {
        result = &mut run => result?,
        () = stopped() => {
            log::event("stopping; finishing the activities in flight", &[]);
            stop();
            run.await?;
        }
    }
    Ok(())
}

/// The start line: what the worker serves, where, and what it may reach.
fn started(options: &Options, target: &temporal::Target) {
    let origins: Vec<String> = options
        .policy
        .origins()
        .iter()
        .map(|o| o.to_string())
        .collect();
    let rate = |r: Option<f64>| r.map(|r| json!(r));
    log::event(
        &format!(
            "{} activities on task queue {} of namespace {} at {} ({}), {} at once",
            NAMES.len(),
            options.task_queue,
            target.namespace,
            target.address,
            target.security,
            options.pool_size
        ),
        &[
            ("allowedOrigins", Some(json!(origins))),
            ("componentRetries", Some(json!(options.component_retries))),
            (
                "maxActivitiesPerSecond",
                rate(options.max_activities_per_second),
            ),
            (
                "taskQueueActivitiesPerSecond",
                rate(options.task_queue_activities_per_second),
            ),
        ],
    );
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

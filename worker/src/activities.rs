//! Every operation of the component as a Temporal activity of the same
//! name. The input is the operation's JSON view without the connection
//! (the worker adds its own), the output the JSON view of `ok`. Each
//! attempt runs in the sandboxed [`Connector`]: its policy, limits and a
//! fresh instance.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use goto_host::Connector;
use goto_host::effect::Effect;
use serde_json::{Value, json};
use temporalio_common::ActivityDefinition;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityError, ActivityImplementer, ExecutableActivity,
};

use crate::failure::{self, Failure};
use crate::pace::Pace;
use crate::tokens::Tokens;
use crate::{log, metrics};

/// How often a running activity tells Temporal it is alive (the SDK sends
/// at most one per throttle interval); cancellations arrive with the answers.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);

/// Heartbeat details of an attempt of an operation that may repeat: before
/// its request goes out, and after a failure that proves GoTo did nothing.
const SENDING: &str = "sending";
const NOT_APPLIED: &str = "not-applied";
/// The state before either (and of every other operation's attempts).
const RUNNING: &str = "running";

/// What every activity shares.
pub struct Activities {
    pub connector: Connector,
    pub tokens: Tokens,
    /// `--max-activities-per-second`: when each call may start.
    pub pace: Option<Pace>,
}

macro_rules! activities {
    ($($marker:ident => $name:literal,)*) => {
        /// The activity names: every function the WIT exports.
        pub const NAMES: &[&str] = &[$($name),*];

        $(
            #[doc = concat!("The `", $name, "` activity.")]
            pub struct $marker;

            impl ActivityDefinition for $marker {
                type Input = Value;
                type Output = Value;
                fn name(&self) -> &str {
                    $name
                }
            }

            impl ExecutableActivity for $marker {
                type Implementer = Activities;
                const REQUIRES_INSTANCE: bool = true;
                fn definition() -> Self {
                    $marker
                }
                fn execute(
                    receiver: Option<Arc<Activities>>,
                    ctx: ActivityContext,
                    input: Value,
                ) -> BoxFuture<'static, Result<Value, ActivityError>> {
                    Box::pin(async move {
                        match receiver {
                            Some(activities) => activities.run($name, ctx, input).await,
                            None => Err(unregistered($name)),
                        }
                    })
                }
            }
        )*

        impl ActivityImplementer for Activities {
            fn register_all(self: Arc<Self>, defs: &mut ActivityDefinitions) {
                $(defs.register_activity::<$marker>(self.clone());)*
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/activities.rs"));

impl Activities {
    /// One attempt of `operation`, with heartbeats, and cancelled when
    /// Temporal cancels it (the instance is dropped mid-call).
    async fn run(
        self: Arc<Self>,
        operation: &'static str,
        ctx: ActivityContext,
        input: Value,
    ) -> Result<Value, ActivityError> {
        let effect = Effect::of(operation);
        let beat = Beat::new(&ctx);
        let attempt = async {
            check_input(operation, &input)?;
            if let Some(pace) = &self.pace {
                pace.turn().await;
            }
            if !effect.is_idempotent() {
                guard_repeat(operation, &beat).await?;
            }
            let result = match self.call(operation, effect, &input).await {
                Ok(value) => Ok(self.tokens.redact(value).await),
                // An earlier attempt may have deleted it (its answer was
                // lost with its worker): the deletion is done.
                Err(f) if f.kind == "not-found" && deletes(operation) && ctx.info().attempt > 1 => {
                    Ok(Value::Null)
                }
                Err(f) => Err(f),
            };
            if let Err(f) = &result
                && f.retryable
                && !effect.is_idempotent()
            {
                beat.set(NOT_APPLIED).await;
            }
            result
        };
        let started = Instant::now();
        let result = tokio::select! {
            biased;
            result = attempt => result,
            () = ctx.cancelled() => Err(Failure::new("cancelled", "cancelled", false)),
            () = beat.keep_alive() => Err(Failure::new("cancelled", "heartbeats ended", false)),
        };
        // One line per attempt, for operators: never an input or a result.
        let info = ctx.info();
        let (outcome, ms) = (
            result.as_ref().map_or_else(|f| f.kind.as_str(), |_| "ok"),
            started.elapsed().as_millis() as u64,
        );
        metrics::call(operation, outcome, started.elapsed());
        log::event_with(
            &format!("{operation} attempt {}: {outcome} in {ms} ms", info.attempt),
            &[
                ("workflowId", info.workflow_id.clone().and_then(log::text)),
                ("runId", info.workflow_run_id.clone().and_then(log::text)),
                ("activityId", log::text(info.activity_id.clone())),
            ],
            &[
                ("operation", log::text(operation)),
                ("attempt", log::number(info.attempt)),
                ("outcome", log::text(outcome)),
                ("ms", log::number(ms)),
            ],
        );
        match result {
            Ok(value) => Ok(value),
            Err(f) if f.kind == "cancelled" => Err(ActivityError::cancelled()),
            Err(f) => Err(into_activity_error(f)),
        }
    }

    /// The call, and once more with a renewed token after `unauthorized`.
    async fn call(&self, operation: &str, effect: Effect, input: &Value) -> Result<Value, Failure> {
        let mut renewed = false;
        loop {
            let current = self.tokens.current().await?;
            let result = match self
                .connector
                .call(operation, &current.connection, input)
                .await
            {
                Ok(outcome) => {
                    for origin in outcome.denied.iter().filter_map(|d| failure::origin_of(d)) {
                        metrics::denial(&origin);
                    }
                    failure::judge(operation, effect, outcome.result)
                        .map_err(|f| f.with_denials(&outcome.denied))
                }
                Err(e) => Err(failure::host_failure(operation, effect, &e)),
            };
            match result {
                Err(f) if f.kind == "unauthorized" && !renewed && self.tokens.can_refresh() => {
                    // GoTo refused the token: nothing was done, so even a
                    // create may go again.
                    self.tokens.renew(current.generation).await?;
                    renewed = true;
                }
                other => return other,
            }
        }
    }
}

/// Operations whose success is that the thing is gone (DELETE).
fn deletes(operation: &str) -> bool {
    operation.starts_with("delete-") || operation == "cancel-webinar"
}

/// Workflows pass the operation's parameters only; the connection, and the
/// secrets in it, stay with the worker and out of the workflow history.
fn check_input(operation: &str, input: &Value) -> Result<(), Failure> {
    if matches!(operation, "exchange-code" | "refresh-token") {
        return Err(Failure::invalid_input(format!(
            "{operation}: not run as an activity: it takes a client secret and returns tokens, \
             which the workflow history would store. The worker renews its own token (give it an \
             OAuth client and refresh token)."
        )));
    }
    let Some(fields) = input.as_object() else {
        return Err(Failure::invalid_input(format!(
            "{operation}: the input must be a JSON object of the operation's parameters"
        )));
    };
    if fields.contains_key("connection") {
        return Err(Failure::invalid_input(format!(
            "{operation}: connection: workflows pass no connection; the worker adds its own (its \
             token would otherwise be stored in the workflow history)"
        )));
    }
    Ok(())
}

/// An attempt after the first of an operation that may repeat goes out
/// only when the previous attempt's own failure proved GoTo did nothing;
/// after a lost attempt (a worker stopped, a timeout) it is not sent.
async fn guard_repeat(operation: &str, beat: &Beat<'_>) -> Result<(), Failure> {
    let attempt = beat.ctx.info().attempt;
    if attempt > 1 {
        let previous: Option<Value> = beat.ctx.heartbeat_details().deserialize().ok().flatten();
        if previous
            .as_ref()
            .and_then(|d| d.get("attempt"))
            .and_then(Value::as_str)
            != Some(NOT_APPLIED)
        {
            return Err(Failure::outcome_unknown(operation, attempt));
        }
    }
    beat.set(SENDING).await;
    Ok(())
}

/// An attempt's heartbeats. Each carries the attempt's current state, so
/// the periodic ones never replace what the attempt last said about its
/// request (Temporal hands the last details to the next attempt).
struct Beat<'a> {
    ctx: &'a ActivityContext,
    state: std::sync::Mutex<&'static str>,
}

impl<'a> Beat<'a> {
    fn new(ctx: &'a ActivityContext) -> Beat<'a> {
        Beat {
            ctx,
            state: std::sync::Mutex::new(RUNNING),
        }
    }

    async fn set(&self, state: &'static str) {
        if let Ok(mut s) = self.state.lock() {
            *s = state;
        }
        self.send().await;
    }

    async fn send(&self) {
        let state = self.state.lock().map_or(RUNNING, |s| *s);
        // A heartbeat that cannot be encoded only loses its details; the
        // guard then refuses the next attempt, which is the safe side.
        let _ = self.ctx.record_heartbeat(json!({ "attempt": state })).await;
    }

    /// Heartbeats until the activity ends (never returns by itself).
    async fn keep_alive(&self) {
        loop {
            tokio::time::sleep(HEARTBEAT_EVERY).await;
            self.send().await;
        }
    }
}

fn into_activity_error(f: Failure) -> ActivityError {
    let builder = ApplicationFailure::builder(f.message)
        .type_name(f.kind)
        .non_retryable(!f.retryable)
        .maybe_next_retry_delay(f.retry_after);
    let failure = if f.details.is_null() {
        builder.build()
    } else {
        builder.details(f.details).build()
    };
    ActivityError::from(failure)
}

fn unregistered(name: &str) -> ActivityError {
    into_activity_error(Failure::new(
        "unknown-operation",
        format!("{name}: the worker has no instance for it"),
        false,
    ))
}

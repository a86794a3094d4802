//! [`Connector`]: the component compiled once, each call in a fresh store
//! with its policy, limits and deadline. The calls are `async fn`s whose
//! futures are `Send`: they run on any tokio runtime (with time and I/O
//! enabled, as tokio's `Builder::enable_all` gives), and thousands can be in
//! flight at once. [`Connector::blocking`] ([`crate::blocking`]) is the same
//! call for callers that are not async.
//!
//! One deadline bounds a call: it starts when the call is made and covers
//! the wait for a free instance, instantiation, guest code, the guest's
//! waits (a real-time `subscribe-duration`) and the wait for GoTo's answer.
//! The HTTP hook cuts a slow answer at the deadline itself, so the
//! component can still return that as its typed error; anything else still
//! running at the deadline plus [`crate::limits::GRACE`] is stopped and the
//! call fails with [`HostError::TimeLimit`].

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime::component::{Instance, InstancePre, Type, Val};
use wasmtime::{Engine, Store, Trap};

use crate::engine::Operation;
use crate::error::HostError;
use crate::json;
use crate::limits::{CallLimiter, GRACE, Limits};
use crate::network::Pool;
use crate::policy::Policy;
use crate::sandbox::{Backend, Hooks, State, Traffic};

/// What a call produced.
#[derive(Debug)]
pub struct Outcome {
    /// The operation's result as JSON: `{"ok": ...}` or `{"error": ...}`.
    pub result: Value,
    /// Requests the policy refused during the call.
    pub denied: Vec<String>,
    /// Waits on the monotonic clock (retry backoff) in milliseconds, when
    /// the call ran in virtual time ([`crate::ReplaySettings::virtual_time`]).
    pub sleeps_ms: Vec<u64>,
    /// Where the call's time and memory went.
    pub stats: CallStats,
}

/// Measurements of one call (for `goto-host bench`; never asserted on).
#[derive(Debug, Clone, Default)]
pub struct CallStats {
    /// New store plus instantiation.
    pub instantiate: Duration,
    /// The exported function alone (the guest's work and its HTTP exchange).
    pub call: Duration,
    /// The guest's largest linear memory during the call, in bytes.
    pub peak_memory: usize,
}

/// What every clone of a connector shares: the compiled component and its
/// pool.
struct Shared {
    engine: Engine,
    pre: InstancePre<State>,
    operations: BTreeMap<String, Operation>,
    /// One permit per instance the engine can hold at once.
    pool: Arc<Semaphore>,
    pool_size: usize,
    /// The connections live calls share.
    network: Arc<Pool>,
}

/// The loaded component: compiled once, instantiated per call. A clone
/// shares the compiled code and the pool, so a variant with another policy,
/// other limits or another backend ([`Connector::with_policy`],
/// [`Connector::with_limits`], [`Connector::with_backend`]) costs no
/// compilation and no extra instances.
///
/// Built with [`Connector::builder`]; called with [`Connector::call`] (or
/// its blocking twin, [`Connector::blocking`]).
#[derive(Clone)]
pub struct Connector {
    shared: Arc<Shared>,
    policy: Arc<Policy>,
    limits: Limits,
    backend: Backend,
}

impl Connector {
    /// The connector [`crate::Builder::build`] made: `pre` linked on
    /// `engine`, a pool of `pool_size` (at least 1) instances.
    pub(crate) fn assemble(
        engine: Engine,
        pre: InstancePre<State>,
        operations: BTreeMap<String, Operation>,
        pool_size: usize,
        settings: (Policy, Limits, Backend, Pool),
    ) -> Connector {
        let (policy, limits, backend, network) = settings;
        let pool_size = pool_size.clamp(1, Semaphore::MAX_PERMITS);
        Connector {
            shared: Arc::new(Shared {
                engine,
                pre,
                operations,
                pool: Arc::new(Semaphore::new(pool_size)),
                pool_size,
                network: Arc::new(network),
            }),
            policy: Arc::new(policy),
            limits,
            backend,
        }
    }

    /// The same connector with another network policy.
    pub fn with_policy(mut self, policy: Policy) -> Connector {
        self.policy = Arc::new(policy);
        self
    }

    /// The same connector with other per-call limits.
    pub fn with_limits(mut self, limits: Limits) -> Connector {
        self.limits = limits;
        self
    }

    /// The same connector with another backend (for example one cassette's
    /// replay per call of a test run).
    pub fn with_backend(mut self, backend: Backend) -> Connector {
        self.backend = backend;
        self
    }

    /// The limits of every call.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// How many calls run at once; more wait for a free instance.
    pub fn pool_size(&self) -> usize {
        self.shared.pool_size
    }

    /// How many network connections live calls have opened so far, over
    /// this connector and its clones (the rest reused an open one).
    pub fn connections_opened(&self) -> usize {
        self.shared.network.connections_opened()
    }

    /// The component's operations (its exported functions), by name.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.shared.operations.values()
    }

    /// The operation named `name` (`get-meeting`), if the component exports it.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.shared.operations.get(name)
    }

    /// The network policy every request passes.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Where the requests the policy allows go.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// The engine the component was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.shared.engine
    }

    /// Calls `operation` with `input` (an object of its parameters other
    /// than the connection, by lowerCamelCase name) and `connection` (the
    /// `connection` record, or the `oauth-client` of the token operations,
    /// as JSON). The policy decides on every request; those it allows go to
    /// the connector's [`Backend`].
    pub async fn call(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> Result<Outcome, HostError> {
        self.run(operation, connection, input).await
    }

    /// The one implementation behind every call: arguments, a free
    /// instance, a fresh store, the guest's call, all within the deadline.
    async fn run(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> Result<Outcome, HostError> {
        let start = Instant::now();
        let deadline = self.limits.deadline(start);
        let (op, params) = self.prepare(operation, connection, input)?;
        let permit = self.free_instance(start).await?;
        let traffic = Arc::new(Traffic::default());
        let mut store = self.store(traffic.clone(), deadline);
        let mut results = vec![Val::Bool(false); usize::from(op.result.is_some())];
        let mut instantiated = None;
        let work = async {
            let instance = self.shared.pre.instantiate_async(&mut store).await?;
            instantiated = Some(Instant::now());
            let func = instance
                .get_func(&mut store, op.index)
                .ok_or_else(|| wasmtime::format_err!("export {operation} vanished"))?;
            func.call_async(&mut store, &params, &mut results).await
        };
        let stop = deadline.and_then(|d| d.checked_add(GRACE));
        let called = match stop {
            Some(stop) => tokio::time::timeout_at(stop.into(), work).await.ok(),
            None => Some(work.await),
        };
        let ended = Ended {
            called,
            times: instantiated.map(|i| (i - start, i.elapsed())),
            sent: traffic.sent(),
        };
        let outcome = self.outcome(operation, &store, ended, results, &traffic);
        // The instance goes back to the pool before its permit does.
        drop(store);
        drop(permit);
        outcome
    }

    /// Waits for a free instance of the pool, for at most
    /// [`Limits::pool_wait`] of the call's time: a call that gets one then
    /// still has at least half its limit for its work, instead of starting
    /// with too little left to get GoTo's answer.
    async fn free_instance(&self, start: Instant) -> Result<OwnedSemaphorePermit, HostError> {
        let acquire = self.shared.pool.clone().acquire_owned();
        let permit = match start.checked_add(self.limits.pool_wait()) {
            Some(d) => tokio::time::timeout_at(d.into(), acquire)
                .await
                .map_err(|_| HostError::PoolExhausted {
                    pool_size: self.shared.pool_size,
                    waited: start.elapsed(),
                })?,
            None => acquire.await,
        };
        // The semaphore is never closed; kept an error, not a panic.
        permit.map_err(|e| HostError::Instantiation {
            message: e.to_string(),
        })
    }

    /// What a finished call produced: its result, or the host error naming
    /// the limit it ran into.
    fn outcome(
        &self,
        operation: &str,
        store: &Store<State>,
        ended: Ended,
        results: Vec<Val>,
        traffic: &Traffic,
    ) -> Result<Outcome, HostError> {
        let (instantiate, call) = ended.check(operation, store, &self.limits)?;
        let result = results
            .into_iter()
            .next()
            .map_or(Value::Null, json::from_val);
        Ok(Outcome {
            result,
            denied: traffic.denied(),
            sleeps_ms: store.data().sleeps_ms(),
            stats: CallStats {
                instantiate,
                call,
                peak_memory: store.data().peak_memory(),
            },
        })
    }

    /// The fresh store of one call, with its limits and deadline set.
    fn store(&self, traffic: Arc<Traffic>, deadline: Option<Instant>) -> Store<State> {
        let hooks = Hooks {
            policy: self.policy.clone(),
            backend: self.backend.clone(),
            network: self.shared.network.clone(),
            traffic,
            deadline,
        };
        let settings = self.backend.settings();
        let state = State::new(hooks, CallLimiter::new(&self.limits), &settings);
        let mut store = Store::new(&self.shared.engine, state);
        store.limiter(|s| &mut s.limits);
        let left = deadline.map_or(Duration::MAX, |d| {
            d.saturating_duration_since(Instant::now())
        });
        store.set_epoch_deadline(Limits::ticks(left));
        store
    }

    /// A fresh store and instance, nothing called: what every call pays
    /// before the guest runs (for `goto-host bench`).
    pub async fn instantiate_only(&self) -> Result<(), HostError> {
        self.instance().await.map(drop)
    }

    /// The linked component, for typed bindings (`bindgen!`'s
    /// `*Indices::new`) to find their exports in once.
    pub fn instance_pre(&self) -> &InstancePre<State> {
        &self.shared.pre
    }

    /// One call's fresh store and instance, for a caller that calls an
    /// export through typed bindings (`wasmtime::component::bindgen!`)
    /// instead of JSON: it waits for a free instance of the pool within the
    /// call's deadline, and the store has the connector's policy, limits and
    /// deadline (guest code and the wait for GoTo's answer are cut there).
    /// Drop the [`Instantiated`] after the call to give the instance back.
    pub async fn instance(&self) -> Result<Instantiated, HostError> {
        let start = Instant::now();
        let deadline = self.limits.deadline(start);
        let permit = self.free_instance(start).await?;
        let mut store = self.store(Arc::default(), deadline);
        let instance = self
            .shared
            .pre
            .instantiate_async(&mut store)
            .await
            .map_err(|e| match store.data().limits.memory_exceeded {
                true => HostError::MemoryLimit {
                    limit_bytes: self.limits.memory_bytes,
                },
                false => HostError::Instantiation {
                    message: format!("{e:#}"),
                },
            })?;
        Ok(Instantiated {
            store,
            instance,
            _permit: permit,
        })
    }

    /// The operation named `operation` and its arguments as component values.
    fn prepare(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> Result<(&Operation, Vec<Val>), HostError> {
        let op =
            self.shared
                .operations
                .get(operation)
                .ok_or_else(|| HostError::UnknownOperation {
                    operation: operation.to_string(),
                })?;
        Ok((op, arguments(op, connection, input)?))
    }
}

/// One call's store and instance from [`Connector::instance`]; it holds a
/// place in the pool until it is dropped.
pub struct Instantiated {
    /// The call's store: its policy, limits, deadline and backend.
    pub store: Store<State>,
    /// The component's instance in that store.
    pub instance: Instance,
    _permit: OwnedSemaphorePermit,
}

/// How the guest's part of a call ended: `called` is `None` when the
/// deadline (plus the grace) stopped it, `times` (instantiate, call) is
/// `None` when no instance was made.
struct Ended {
    called: Option<wasmtime::Result<()>>,
    times: Option<(Duration, Duration)>,
    sent: usize,
}

impl Ended {
    /// The call's times, or the host error it ended with.
    fn check(
        self,
        operation: &str,
        store: &Store<State>,
        limits: &Limits,
    ) -> Result<(Duration, Duration), HostError> {
        let time_limit = HostError::TimeLimit {
            limit: limits.time,
            requests_sent: self.sent,
        };
        let error = match (self.called, self.times) {
            (Some(Ok(())), Some(times)) => return Ok(times),
            (None, _) => return Err(time_limit),
            (Some(Err(_)), _) if store.data().limits.memory_exceeded => {
                return Err(HostError::MemoryLimit {
                    limit_bytes: limits.memory_bytes,
                });
            }
            (Some(Err(e)), _) if matches!(e.downcast_ref::<Trap>(), Some(Trap::Interrupt)) => {
                return Err(time_limit);
            }
            (Some(Err(e)), times) => (format!("{e:#}"), times.is_some()),
            // A call returns only from an instance; kept an error, not a panic.
            (Some(Ok(())), None) => ("no instance".to_string(), false),
        };
        Err(match error {
            (message, true) => HostError::Trap {
                operation: operation.to_string(),
                message,
                requests_sent: self.sent,
            },
            (message, false) => HostError::Instantiation { message },
        })
    }
}

/// The operation's arguments from the JSON input, `connection` first where
/// the operation takes one.
fn arguments(op: &Operation, connection: &Value, input: &Value) -> Result<Vec<Val>, HostError> {
    let empty = Map::new();
    let fields = match input {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => {
            return Err(HostError::input(
                &op.name,
                "the input must be a JSON object",
            ));
        }
    };
    let names: Vec<String> = op.params.iter().map(|(n, _)| json::camel(n)).collect();
    if let Some(unknown) = fields
        .keys()
        .find(|k| !names.contains(k) || *k == "connection")
    {
        return Err(HostError::input(
            unknown,
            format!(
                "{} has no such parameter; it takes {}",
                op.name,
                names.join(", ")
            ),
        ));
    }
    op.params
        .iter()
        .zip(&names)
        .map(|((name, ty), camel)| {
            let value = if name == "connection" {
                Some(connection)
            } else {
                fields.get(camel)
            };
            let value = value.unwrap_or(&Value::Null);
            if value.is_null() && !matches!(ty, Type::Option(_)) {
                return Err(HostError::input(camel, "required"));
            }
            json::to_val(value, ty, camel).map_err(|e| match e.split_once(": ") {
                Some((field, message)) => HostError::input(field, message),
                None => HostError::input(camel, e),
            })
        })
        .collect()
}

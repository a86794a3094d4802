//! [`Connector`]: the component compiled once, each call in a fresh store
//! with its policy, limits and deadline. The calls are `async fn`s whose
//! futures are `Send`: they run on any tokio runtime (with time and I/O
//! enabled, as `Builder::enable_all` gives), and thousands can be in
//! flight at once. `Connector::blocking` ([`crate::blocking`]) is the same
//! calls for callers that are not async.
//!
//! One deadline bounds a call: it starts when the call is made and covers
//! the wait for a free instance, instantiation, guest code, the guest's
//! waits (a real-time `subscribe-duration`) and the wait for GoTo's answer.
//! The HTTP hook cuts a slow answer at the deadline itself, so the
//! component can still return that as its typed error; anything else still
//! running at the deadline plus [`crate::limits::GRACE`] is stopped and the
//! call fails with [`HostError::TimeLimit`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Map, Value};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime::component::{Instance, InstancePre, Linker, Type, Val};
use wasmtime::{Config, Engine, Store, Trap};

use crate::engine::{self, DEFAULT_POOL_SIZE, Operation};
use crate::error::HostError;
use crate::exchange::{Egress, Exchange, Recorder};
use crate::json;
use crate::limits::{CallLimiter, GRACE, Limits};
use crate::policy::Policy;
use crate::sandbox::{self, Backend, CallOptions, Hooks, State, Traffic};

/// What a call produced.
#[derive(Debug)]
pub struct Outcome {
    /// The operation's result as JSON: `{"ok": ...}` or `{"error": ...}`.
    pub result: Value,
    /// Requests the policy refused during the call.
    pub denied: Vec<String>,
    /// Waits on the monotonic clock (retry backoff) in milliseconds, when
    /// the call ran in virtual time ([`CallOptions::virtual_time`]).
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
}

/// The loaded component: compiled once, instantiated per call. A clone
/// shares the compiled code and the pool, so a variant with another policy
/// or other limits costs no compilation and no extra instances.
#[derive(Clone)]
pub struct Connector {
    shared: Arc<Shared>,
    policy: Arc<Policy>,
    limits: Limits,
}

impl Connector {
    /// Compiles the component and resolves its imports and exports, with a
    /// pool of [`DEFAULT_POOL_SIZE`] instances (the pooling allocator where
    /// the process can reserve its address space, the default allocator
    /// where it cannot).
    pub fn new(wasm: &[u8], policy: Policy) -> anyhow::Result<Connector> {
        Connector::with_pool_size(wasm, policy, DEFAULT_POOL_SIZE)
    }

    /// [`Connector::new`] with a pool of `pool_size` instances: at most
    /// that many calls run at once, and the others wait for a free one
    /// within their own deadline.
    pub fn with_pool_size(
        wasm: &[u8],
        policy: Policy,
        pool_size: usize,
    ) -> anyhow::Result<Connector> {
        let engine = engine::default_engine(pool_size)?;
        Connector::build(wasm, policy, engine, pool_size, None)
    }

    /// [`Connector::new`] with engine settings of the caller's; at most
    /// `pool_size` calls run at once (no more than the configuration's
    /// allocator can hold).
    pub fn with_config(
        wasm: &[u8],
        policy: Policy,
        config: Config,
        pool_size: usize,
    ) -> anyhow::Result<Connector> {
        Connector::build(wasm, policy, engine::engine(config)?, pool_size, None)
    }

    /// The component built from this checkout, with GoTo's default policy
    /// and the default pool. Its compiled form is cached in the host's
    /// build directory ([`crate::cache`]), so only the first start after a
    /// change compiles.
    pub fn embedded() -> anyhow::Result<Connector> {
        Connector::embedded_with_pool_size(DEFAULT_POOL_SIZE)
    }

    /// [`Connector::embedded`] with a pool of `pool_size` instances.
    pub fn embedded_with_pool_size(pool_size: usize) -> anyhow::Result<Connector> {
        Connector::build(
            crate::COMPONENT,
            Policy::goto_default(),
            engine::default_engine(pool_size)?,
            pool_size,
            Some(Path::new(env!("OUT_DIR"))),
        )
    }

    fn build(
        wasm: &[u8],
        policy: Policy,
        engine: Engine,
        pool_size: usize,
        cache: Option<&Path>,
    ) -> anyhow::Result<Connector> {
        let component = match cache {
            Some(dir) => crate::cache::load_or_compile(&engine, wasm, dir)?,
            None => crate::cache::compile(&engine, wasm)?,
        };
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        sandbox::link_virtual_time(&mut linker)?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("linking the component")?;
        let operations = engine::discover(&engine, &component)?;
        let pool_size = pool_size.clamp(1, Semaphore::MAX_PERMITS);
        Ok(Connector {
            shared: Arc::new(Shared {
                engine,
                pre,
                operations,
                pool: Arc::new(Semaphore::new(pool_size)),
                pool_size,
            }),
            policy: Arc::new(policy),
            limits: Limits::default(),
        })
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

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// How many calls run at once; more wait for a free instance.
    pub fn pool_size(&self) -> usize {
        self.shared.pool_size
    }

    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.shared.operations.values()
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.shared.operations.get(name)
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The engine the component was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.shared.engine
    }

    /// Calls `operation` with `input` (an object of its parameters other
    /// than the connection, by lowerCamelCase name) and `connection`;
    /// requests the policy allows are answered by `egress`.
    pub async fn call(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        egress: Arc<Mutex<dyn Egress>>,
    ) -> Result<Outcome, HostError> {
        let options = CallOptions::default();
        let backend = Backend::Recorded(egress);
        self.run(operation, connection, input, backend, &options)
            .await
    }

    /// [`Connector::call`] with sandbox settings (a fixed clock and random
    /// source, virtual time) for replays.
    pub async fn call_with(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        egress: Arc<Mutex<dyn Egress>>,
        options: &CallOptions,
    ) -> Result<Outcome, HostError> {
        let backend = Backend::Recorded(egress);
        self.run(operation, connection, input, backend, options)
            .await
    }

    /// Calls `operation` against the real network: what the policy allows is
    /// sent with `wasmtime_wasi_http::default_send_request`, within the
    /// call's deadline, with the real clock and secure randomness.
    pub async fn call_network(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> Result<Outcome, HostError> {
        let backend = Backend::Network(None);
        self.run(
            operation,
            connection,
            input,
            backend,
            &CallOptions::default(),
        )
        .await
    }

    /// [`Connector::call_network`] that also returns every exchange, whole
    /// (for `goto-host record`; see [`crate::recorder`] before writing them
    /// anywhere: they hold the credentials).
    pub async fn record_network(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> Result<(Outcome, Vec<Exchange>), HostError> {
        let recorder = Recorder::default();
        let backend = Backend::Network(Some(recorder.clone()));
        let outcome = self
            .run(
                operation,
                connection,
                input,
                backend,
                &CallOptions::default(),
            )
            .await?;
        let exchanges = recorder.lock().map(|r| r.clone()).unwrap_or_default();
        Ok((outcome, exchanges))
    }

    /// The one implementation behind every call: arguments, a free
    /// instance, a fresh store, the guest's call, all within the deadline.
    async fn run(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        backend: Backend,
        options: &CallOptions,
    ) -> Result<Outcome, HostError> {
        let start = Instant::now();
        let deadline = self.limits.deadline(start);
        let (op, params) = self.prepare(operation, connection, input)?;
        let permit = self.free_instance(start).await?;
        let traffic = Arc::new(Traffic::default());
        let mut store = self.store(backend, traffic.clone(), deadline, options);
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
    fn store(
        &self,
        backend: Backend,
        traffic: Arc<Traffic>,
        deadline: Option<Instant>,
        options: &CallOptions,
    ) -> Store<State> {
        let hooks = Hooks {
            policy: self.policy.clone(),
            backend,
            traffic,
            deadline,
        };
        let state = State::new(hooks, CallLimiter::new(&self.limits), options);
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
    pub async fn instantiate_only(&self, egress: Arc<Mutex<dyn Egress>>) -> Result<(), HostError> {
        self.instance(egress, &CallOptions::default())
            .await
            .map(drop)
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
    pub async fn instance(
        &self,
        egress: Arc<Mutex<dyn Egress>>,
        options: &CallOptions,
    ) -> Result<Instantiated, HostError> {
        let start = Instant::now();
        let deadline = self.limits.deadline(start);
        let permit = self.free_instance(start).await?;
        let backend = Backend::Recorded(egress);
        let mut store = self.store(backend, Arc::default(), deadline, options);
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
    pub store: Store<State>,
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

//! Loading the component once and calling its operations, each in a fresh
//! store. All outbound HTTP goes through [`Hooks::send_request`]: the policy
//! first, then the call's backend: recorded answers (an [`Egress`] such as a
//! cassette) or, for [`Connector::call_network`], the real network.
//!
//! Calls block the calling thread, but run through wasmtime's async API on
//! a current-thread tokio runtime of that thread ([`on_this_thread`]): the
//! guest (on a fiber), the request future and its waker share one thread.
//! wasmtime-wasi's sync bindings would run the request future on a worker
//! of a multi-thread runtime instead, and every wait would be a hop between
//! threads (with the pooling allocator, about a fifth of a replayed call's
//! time; BENCHMARKS.md).

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use serde_json::{Map, Value};
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{
    Component, ComponentExportIndex, Instance, InstancePre, Linker, ResourceTable, Type, Val,
};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap};
use wasmtime_wasi::{Deterministic, HostWallClock, WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{
    Error as HttpError, RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks,
    WasiHttpView,
};

use crate::fault::Fault;
use crate::json;
use crate::limits::{self, CallLimiter, Limits, Sleeps};
use crate::policy::Policy;

/// Request bodies a guest may send; more is refused.
const MAX_REQUEST_BODY: usize = 16 << 20;

/// A request as it leaves the sandbox.
#[derive(Debug, Clone)]
pub struct OutgoingRequest {
    pub method: String,
    pub uri: http::Uri,
    /// Header names lower-case; values lossily decoded.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// The answer handed back to the guest.
#[derive(Debug, Clone, Default)]
pub struct CannedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// A network fault to play instead of (or in the middle of) the answer.
    pub fault: Option<Fault>,
}

/// Recorded answers for allowed requests: a cassette replay, the demo, or
/// a test's canned responses.
pub trait Egress: Send {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<CannedResponse, HttpError>;
}

/// Where a call's allowed requests go. One or the other for the whole call,
/// never both.
#[derive(Clone)]
enum Backend {
    Recorded(Arc<Mutex<dyn Egress>>),
    /// The real network (`wasmtime_wasi_http::default_send_request`: HTTPS
    /// through rustls with the webpki roots); each exchange is also kept in
    /// the recorder when there is one.
    Network(Option<Recorder>),
}

/// One request and the answer it got.
pub type Exchange = (OutgoingRequest, CannedResponse);
/// Where a recording live call keeps its exchanges.
pub type Recorder = Arc<Mutex<Vec<Exchange>>>;

/// The wasi:http hooks of one store: policy, then the backend.
pub struct Hooks {
    policy: Arc<Policy>,
    backend: Backend,
    /// Requests the policy refused, for the caller to report.
    pub denied: Arc<Mutex<Vec<String>>>,
    /// When the call's time limit runs out; a slow answer is cut short then.
    deadline: Option<Instant>,
}

pub(crate) type IoFuture = Box<dyn Future<Output = Result<(), HttpError>> + Send>;

impl WasiHttpHooks for Hooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _io: IoFuture,
    ) -> Box<dyn Future<Output = Result<(http::Response<WasiBody>, IoFuture), HttpError>> + Send>
    {
        let policy = self.policy.clone();
        let backend = self.backend.clone();
        let denied = self.denied.clone();
        let deadline = self.deadline;
        Box::new(async move {
            let (parts, body) = request.into_parts();
            // Read the body to the end even for a denied request: dropping it
            // would show the guest a reset instead of the denial.
            let body = Limited::new(body, MAX_REQUEST_BODY)
                .collect()
                .await
                .map_err(|_| HttpError::HttpRequestBodySize(None))?
                .to_bytes();
            if !policy.allows(&parts.uri) {
                if let Ok(mut d) = denied.lock() {
                    d.push(format!("{} {}", parts.method, parts.uri));
                }
                return Err(HttpError::HttpRequestDenied);
            }
            let egress = match backend {
                Backend::Recorded(egress) => egress,
                Backend::Network(recorder) => {
                    // Only a recording keeps the request as text.
                    let record = recorder.map(|r| (r, OutgoingRequest::new(&parts, body.clone())));
                    let live = http::Request::from_parts(parts, body);
                    return crate::network::send(live, options, deadline, record).await;
                }
            };
            let request = OutgoingRequest::new(&parts, body);
            let canned = egress
                .lock()
                .map_err(|_| HttpError::InternalError(Some("egress backend poisoned".into())))?
                .exchange(&request)?;
            let response = crate::fault::respond(canned, options.as_ref(), deadline).await?;
            Ok((response, Box::new(async { Ok(()) }) as IoFuture))
        })
    }
}

impl OutgoingRequest {
    fn new(parts: &http::request::Parts, body: Bytes) -> OutgoingRequest {
        OutgoingRequest {
            method: parts.method.to_string(),
            uri: parts.uri.clone(),
            headers: header_pairs(&parts.headers),
            body,
        }
    }
}

/// Header names and values as text (values lossily decoded), as cassettes
/// and recordings hold them.
pub(crate) fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Everything one store holds.
pub struct State {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: Hooks,
    limits: CallLimiter,
    /// Under virtual time, the guest's monotonic-clock waits (see
    /// [`limits::link_virtual_time`]).
    pub(crate) virtual_sleeps: Option<Sleeps>,
}

impl State {
    /// The guest's largest linear memory so far, in bytes.
    pub(crate) fn peak_memory(&self) -> usize {
        self.limits.peak_memory
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// One exported function of the component.
#[derive(Clone)]
pub struct Operation {
    /// The WIT function name, e.g. `create-meeting`.
    pub name: String,
    /// The exporting interface, e.g. `goto:connector/meetings@0.1.0`.
    pub interface: String,
    pub params: Vec<(String, Type)>,
    pub result: Option<Type>,
    index: ComponentExportIndex,
}

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

/// The wall-clock instant replays run at: 2026-07-01T00:00:00Z, in seconds
/// since the Unix epoch. Token expiries in cassettes are computed from it.
pub const REPLAY_WALL_CLOCK_UNIX_SECONDS: u64 = 1_782_864_000;

/// Settings of one call's sandbox beyond the policy. The default is the
/// real clock and real (secure) randomness; replays fix both so outputs that
/// depend on them (token expiry, PKCE verifiers) are reproducible.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// `wasi:clocks/wall-clock` always reads this many seconds after the epoch.
    pub wall_clock_unix_seconds: Option<u64>,
    /// `wasi:random` returns these bytes, cycled. For replays only: never
    /// give a live call predictable randomness.
    pub random_bytes: Option<Vec<u8>>,
    /// `subscribe-duration` returns at once and the wait is only recorded
    /// ([`Outcome::sleeps_ms`]): a retry backoff costs no real time.
    pub virtual_time: bool,
}

impl CallOptions {
    /// What the cassette runner uses: the clock at
    /// [`REPLAY_WALL_CLOCK_UNIX_SECONDS`], random bytes 0, 1, ..., 255 cycled.
    pub fn replay() -> CallOptions {
        CallOptions {
            wall_clock_unix_seconds: Some(REPLAY_WALL_CLOCK_UNIX_SECONDS),
            random_bytes: Some((0..=255).collect()),
            virtual_time: true,
        }
    }

    fn wasi_ctx(&self) -> WasiCtx {
        let mut builder = WasiCtx::builder();
        if let Some(secs) = self.wall_clock_unix_seconds {
            builder.wall_clock(FixedClock(Duration::from_secs(secs)));
        }
        if let Some(bytes) = self.random_bytes.as_ref().filter(|b| !b.is_empty()) {
            builder
                .secure_random(Deterministic::new(bytes.clone()))
                .insecure_random(Deterministic::new(bytes.clone()))
                .insecure_random_seed(0);
        }
        builder.build()
    }
}

/// A wall clock stopped at one instant.
struct FixedClock(Duration);

impl HostWallClock for FixedClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        self.0
    }
}

/// The loaded component: compiled once, instantiated per call. A clone
/// shares the compiled code, so a variant with another policy or other
/// limits costs no compilation.
#[derive(Clone)]
pub struct Connector {
    engine: Engine,
    pre: InstancePre<State>,
    operations: BTreeMap<String, Operation>,
    policy: Arc<Policy>,
    limits: Limits,
}

impl Connector {
    /// Compiles the component and resolves its imports and exports. Uses
    /// the pooling allocator ([`pooling`]) where the process can reserve its
    /// address space, the default allocator where it cannot.
    pub fn new(wasm: &[u8], policy: Policy) -> anyhow::Result<Connector> {
        Connector::build(wasm, policy, default_engine()?, None)
    }

    /// [`Connector::new`] with engine settings of the caller's (for example
    /// the pooling allocator).
    pub fn with_config(wasm: &[u8], policy: Policy, config: Config) -> anyhow::Result<Connector> {
        Connector::build(wasm, policy, engine(config)?, None)
    }

    /// The component built from this checkout, with GoTo's default policy.
    /// Its compiled form is cached in the host's build directory
    /// ([`crate::cache`]), so only the first start after a change compiles.
    pub fn embedded() -> anyhow::Result<Connector> {
        Connector::build(
            crate::COMPONENT,
            Policy::goto_default(),
            default_engine()?,
            Some(Path::new(env!("OUT_DIR"))),
        )
    }

    fn build(
        wasm: &[u8],
        policy: Policy,
        engine: Engine,
        cache: Option<&Path>,
    ) -> anyhow::Result<Connector> {
        let component = match cache {
            Some(dir) => crate::cache::load_or_compile(&engine, wasm, dir)?,
            None => crate::cache::compile(&engine, wasm)?,
        };
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        limits::link_virtual_time(&mut linker)?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("linking the component")?;
        let operations = discover(&engine, &component)?;
        Ok(Connector {
            engine,
            pre,
            operations,
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

    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.values()
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Calls `operation` with the connection and the other arguments from
    /// `input` (keys are parameter names in lowerCamelCase).
    pub fn call(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        egress: Arc<Mutex<dyn Egress>>,
    ) -> anyhow::Result<Outcome> {
        self.call_with(
            operation,
            connection,
            input,
            egress,
            &CallOptions::default(),
        )
    }

    /// [`Connector::call`] with sandbox settings (a fixed clock and random
    /// source for replays).
    pub fn call_with(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        egress: Arc<Mutex<dyn Egress>>,
        options: &CallOptions,
    ) -> anyhow::Result<Outcome> {
        self.run(
            operation,
            connection,
            input,
            Backend::Recorded(egress),
            options,
        )
    }

    /// Calls `operation` against the real network: what the policy allows is
    /// sent with `wasmtime_wasi_http::default_send_request`, within the
    /// call's time limit. Use the default [`CallOptions`] (the real clock
    /// and secure randomness).
    pub fn call_network(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        options: &CallOptions,
    ) -> anyhow::Result<Outcome> {
        self.run(
            operation,
            connection,
            input,
            Backend::Network(None),
            options,
        )
    }

    /// [`Connector::call_network`] that also returns every exchange, whole
    /// (for `goto-host record`; see [`crate::recorder`] before writing them
    /// anywhere: they hold the credentials).
    pub fn record_network(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        options: &CallOptions,
    ) -> anyhow::Result<(Outcome, Vec<Exchange>)> {
        let recorder = Recorder::default();
        let backend = Backend::Network(Some(recorder.clone()));
        let outcome = self.run(operation, connection, input, backend, options)?;
        let exchanges = recorder.lock().map(|r| r.clone()).unwrap_or_default();
        Ok((outcome, exchanges))
    }

    fn run(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        backend: Backend,
        options: &CallOptions,
    ) -> anyhow::Result<Outcome> {
        let (op, params) = self.prepare(operation, connection, input)?;
        let denied = Arc::new(Mutex::new(Vec::new()));
        let started = Instant::now();
        let mut store = self.store(backend, denied.clone(), options);
        let mut results = vec![Val::Bool(false); usize::from(op.result.is_some())];
        let mut instantiated = None;
        let called = on_this_thread(async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            instantiated = Some(Instant::now());
            let func = instance
                .get_func(&mut store, op.index)
                .ok_or_else(|| wasmtime::format_err!("export {operation} vanished"))?;
            func.call_async(&mut store, &params, &mut results).await
        })?;
        let times = instantiated.map(|i| (i - started, i.elapsed()));
        self.outcome(operation, &store, called, results, &denied, times)
    }

    /// What a finished call produced: its result, or the error naming the
    /// limit it ran into. `times` (instantiate, call) is `None` when the
    /// component could not be instantiated.
    fn outcome(
        &self,
        operation: &str,
        store: &Store<State>,
        called: wasmtime::Result<()>,
        results: Vec<Val>,
        denied: &Mutex<Vec<String>>,
        times: Option<(Duration, Duration)>,
    ) -> anyhow::Result<Outcome> {
        let (instantiate, call) = match (called, times) {
            (Ok(()), Some(times)) => times,
            (Err(_), _) if store.data().limits.memory_exceeded => {
                return Err(self.limits.memory_error());
            }
            (Err(e), _) if matches!(e.downcast_ref::<Trap>(), Some(Trap::Interrupt)) => {
                return Err(self.limits.time_error());
            }
            (Err(e), Some(_)) => {
                return Err(anyhow::Error::from(e)).with_context(|| format!("{operation} trapped"));
            }
            // Nothing of the guest ran: for example every instance of the
            // pool is taken by calls in flight.
            (Err(e), None) => {
                return Err(anyhow::Error::from(e)).with_context(|| {
                    format!("{operation}: the component could not be instantiated")
                });
            }
            // A call returns only from an instance; kept an error, not a panic.
            (Ok(()), None) => bail!("{operation}: the component could not be instantiated"),
        };
        let result = results
            .into_iter()
            .next()
            .map_or(Value::Null, json::from_val);
        let denied = denied.lock().map(|d| d.clone()).unwrap_or_default();
        let sleeps_ms = store
            .data()
            .virtual_sleeps
            .as_ref()
            .and_then(|s| {
                s.lock()
                    .ok()
                    .map(|s| s.iter().map(|n| n / 1_000_000).collect())
            })
            .unwrap_or_default();
        Ok(Outcome {
            result,
            denied,
            sleeps_ms,
            stats: CallStats {
                instantiate,
                call,
                peak_memory: store.data().limits.peak_memory,
            },
        })
    }

    /// The fresh store of one call, with its limits and deadline set.
    fn store(
        &self,
        backend: Backend,
        denied: Arc<Mutex<Vec<String>>>,
        options: &CallOptions,
    ) -> Store<State> {
        let state = State {
            table: ResourceTable::new(),
            wasi: options.wasi_ctx(),
            http: WasiHttpCtx::new(),
            hooks: Hooks {
                policy: self.policy.clone(),
                backend,
                denied,
                deadline: Instant::now().checked_add(self.limits.time),
            },
            limits: CallLimiter::new(&self.limits),
            virtual_sleeps: options.virtual_time.then(Sleeps::default),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        store.set_epoch_deadline(self.limits.ticks());
        store
    }

    /// A fresh store and instance, nothing called: what every call pays
    /// before the guest runs (for `goto-host bench`).
    pub fn instantiate_only(&self, egress: Arc<Mutex<dyn Egress>>) -> anyhow::Result<()> {
        self.instance(egress, &CallOptions::default()).map(drop)
    }

    /// The linked component, for typed bindings to find their exports in
    /// once (`goto-host bench`).
    pub(crate) fn instance_pre(&self) -> &InstancePre<State> {
        &self.pre
    }

    /// A fresh store of one call (limits, deadline, recorded answers) and
    /// its instance, for a caller that calls an export through typed
    /// bindings instead of JSON (`goto-host bench`).
    pub(crate) fn instance(
        &self,
        egress: Arc<Mutex<dyn Egress>>,
        options: &CallOptions,
    ) -> anyhow::Result<(Store<State>, Instance)> {
        let mut store = self.store(Backend::Recorded(egress), Arc::default(), options);
        let instance = on_this_thread(self.pre.instantiate_async(&mut store))??;
        Ok((store, instance))
    }

    /// The engine the component was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The operation named `operation` and its arguments as component values.
    fn prepare(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
    ) -> anyhow::Result<(&Operation, Vec<Val>)> {
        let op = self.operations.get(operation).ok_or_else(|| {
            anyhow!("unknown operation {operation:?}; `goto-host describe` lists them")
        })?;
        Ok((op, self.arguments(op, connection, input)?))
    }

    fn arguments(
        &self,
        op: &Operation,
        connection: &Value,
        input: &Value,
    ) -> anyhow::Result<Vec<Val>> {
        let empty = Map::new();
        let fields = match input {
            Value::Object(m) => m,
            Value::Null => &empty,
            _ => bail!("the input of {} must be a JSON object", op.name),
        };
        let names: Vec<String> = op.params.iter().map(|(n, _)| json::camel(n)).collect();
        if let Some(unknown) = fields
            .keys()
            .find(|k| !names.contains(k) || *k == "connection")
        {
            bail!(
                "{} has no parameter {unknown:?}; it takes {}",
                op.name,
                names.join(", ")
            );
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
                    bail!("input: {camel}: required");
                }
                json::to_val(value, ty, camel).map_err(|e| anyhow!("input: {e}"))
            })
            .collect()
    }
}

/// An engine for the component with the caller's settings, and its epoch
/// ticker (the time limit).
fn engine(mut config: Config) -> anyhow::Result<Engine> {
    let engine = Engine::new(settings(&mut config))?;
    limits::start_ticker(&engine);
    Ok(engine)
}

/// What every engine of a [`Connector`] sets on top of the caller's
/// configuration: the component model and epoch interruption (the time
/// limit; its checks at every guest function entry and loop header are about
/// a quarter of the guest's instructions, the price of stopping a guest that
/// loops, BENCHMARKS.md). Cranelift's inlining (`compiler_inlining`) was measured and left
/// off: fewer guest instructions, but compiling took 4.5x as long, the
/// compiled code tripled and calls got slower (BENCHMARKS.md).
pub fn settings(config: &mut Config) -> &mut Config {
    config.wasm_component_model(true).epoch_interruption(true)
}

/// The pooling allocator when this process can reserve its address space,
/// else the default (valgrind, or a `ulimit -v`, refuse the reservation).
fn default_engine() -> anyhow::Result<Engine> {
    let mut pooled = Config::new();
    pooled.allocation_strategy(pooling());
    engine(pooled).or_else(|_| engine(Config::new()))
}

/// The pooling allocator as [`Connector::new`] sets it up: instances,
/// memories and fiber stacks for 64 calls at a time (a 65th concurrent
/// call fails to instantiate), reused instead of mapped and unmapped per
/// call. It reserves about 260 GiB of address space up front (4 GiB and
/// guard pages per memory; nothing is committed until used), so every
/// memory can grow as far as [`Limits`] allows; an idle slot keeps up to
/// 1 MiB of its memory resident (64 MiB for the whole pool at most).
pub fn pooling() -> InstanceAllocationStrategy {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(64)
        .total_core_instances(256)
        .total_memories(64)
        .total_tables(256)
        .total_stacks(64)
        .max_memory_size(1 << 32)
        // Reset tables and fiber stacks with memset instead of giving the
        // pages back to the kernel, so the next instance takes no page faults
        // there.
        .table_keep_resident(64 << 10)
        .async_stack_keep_resident(128 << 10);
    // Where Linux tells which pages a call wrote (PAGEMAP_SCAN, 6.7 and
    // later), those pages (up to 1 MiB of them) are reset in place and stay
    // mapped: no madvise after a call, no page faults in the next one (a
    // quarter off a replayed call, BENCHMARKS.md). Without it, keeping
    // memory resident means memsetting all of it, which costs more than
    // the faults it saves.
    if PoolingAllocationConfig::is_pagemap_scan_available() {
        pool.linear_memory_keep_resident(1 << 20)
            .pagemap_scan(wasmtime::Enabled::Yes);
    }
    InstanceAllocationStrategy::Pooling(pool)
}

thread_local! {
    /// The runtime calls on this thread run on, made by the first call.
    static RUNTIME: std::cell::OnceCell<tokio::runtime::Runtime> = const { std::cell::OnceCell::new() };
}

/// Runs `future` to completion on this thread's current-thread runtime
/// (timers for delays and deadlines, I/O for live calls). Refused on a
/// thread that is already inside a tokio runtime, where blocking would
/// stall it: call from `spawn_blocking` or a plain thread there.
pub(crate) fn on_this_thread<F: Future>(future: F) -> anyhow::Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        bail!(
            "Connector calls block; make them outside the tokio runtime (e.g. in spawn_blocking)"
        );
    }
    RUNTIME.with(|cell| {
        if cell.get().is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting this thread's tokio runtime")?;
            let _ = cell.set(runtime);
        }
        let runtime = cell
            .get()
            .ok_or_else(|| anyhow!("this thread's tokio runtime is gone"))?;
        Ok(runtime.block_on(future))
    })
}

fn discover(engine: &Engine, component: &Component) -> anyhow::Result<BTreeMap<String, Operation>> {
    let mut ops = BTreeMap::new();
    for (iface, item) in component.component_type().exports(engine) {
        let ComponentItem::ComponentInstance(instance) = item.ty else {
            continue;
        };
        let (_, iface_index) = component
            .get_export(None, iface)
            .ok_or_else(|| anyhow!("export {iface} not found"))?;
        for (name, item) in instance.exports(engine) {
            let ComponentItem::ComponentFunc(func) = item.ty else {
                continue;
            };
            let (_, index) = component
                .get_export(Some(&iface_index), name)
                .ok_or_else(|| anyhow!("export {name} not found"))?;
            let op = operation(name, iface, &func, index);
            if ops.insert(name.to_string(), op).is_some() {
                bail!("operation {name} is exported twice; names must be unique across interfaces");
            }
        }
    }
    Ok(ops)
}

fn operation(
    name: &str,
    iface: &str,
    func: &ComponentFunc,
    index: ComponentExportIndex,
) -> Operation {
    Operation {
        name: name.to_string(),
        interface: iface.to_string(),
        params: func.params().map(|(n, t)| (n.to_string(), t)).collect(),
        result: func.results().next(),
        index,
    }
}

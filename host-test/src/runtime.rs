//! Loading the component once and calling its operations, each in a fresh
//! store. All outbound HTTP goes through [`Hooks::send_request`]: the policy
//! first, then the [`Egress`] backend (a cassette, or a live client).

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use serde_json::{Map, Value};
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{
    Component, ComponentExportIndex, InstancePre, Linker, ResourceTable, Type, Val,
};
use wasmtime::{Config, Engine, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{Deterministic, HostWallClock, WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{
    Error as HttpError, RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks,
    WasiHttpView,
};

use crate::json;
use crate::policy::Policy;

mod local;
pub use local::CurrentThread;

/// Request bodies a guest may send; more is refused.
const MAX_REQUEST_BODY: usize = 16 << 20;
/// Default linear-memory limit of one call.
pub const DEFAULT_MEMORY_LIMIT: usize = 64 << 20;

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
}

/// Where allowed requests go: a cassette replay, or a live client.
pub trait Egress: Send {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<CannedResponse, HttpError>;
}

/// The wasi:http hooks of one store: policy, then egress.
pub struct Hooks {
    policy: Arc<Policy>,
    egress: Arc<Mutex<dyn Egress>>,
    /// Requests the policy refused, for the caller to report.
    pub denied: Arc<Mutex<Vec<String>>>,
}

type IoFuture = Box<dyn Future<Output = Result<(), HttpError>> + Send>;

impl WasiHttpHooks for Hooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _io: IoFuture,
    ) -> Box<dyn Future<Output = Result<(http::Response<WasiBody>, IoFuture), HttpError>> + Send>
    {
        let policy = self.policy.clone();
        let egress = self.egress.clone();
        let denied = self.denied.clone();
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
            let request = OutgoingRequest {
                method: parts.method.to_string(),
                uri: parts.uri,
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body,
            };
            let canned = egress
                .lock()
                .map_err(|_| HttpError::InternalError(Some("egress backend poisoned".into())))?
                .exchange(&request)?;
            let mut builder = http::Response::builder().status(canned.status);
            for (k, v) in &canned.headers {
                builder = builder.header(k, v);
            }
            let response = builder
                .body(
                    Full::new(Bytes::from(canned.body))
                        .map_err(|never| match never {})
                        .boxed_unsync(),
                )
                .map_err(|e| {
                    HttpError::InternalError(Some(format!("bad recorded response: {e}")))
                })?;
            Ok((response, Box::new(async { Ok(()) }) as IoFuture))
        })
    }
}

/// Everything one store holds.
pub struct State {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: Hooks,
    limits: StoreLimits,
    /// The largest linear memory the guest grew to, in bytes.
    peak_memory: usize,
}

/// [`StoreLimits`], recording the peak memory on the way.
impl ResourceLimiter for State {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        if allowed {
            self.peak_memory = self.peak_memory.max(desired);
        }
        Ok(allowed)
    }
    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.memory_grow_failed(error)
    }
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }
    fn table_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.table_grow_failed(error)
    }
    fn instances(&self) -> usize {
        self.limits.instances()
    }
    fn tables(&self) -> usize {
        self.limits.tables()
    }
    fn memories(&self) -> usize {
        self.limits.memories()
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
}

impl CallOptions {
    /// What the cassette runner uses: the clock at
    /// [`REPLAY_WALL_CLOCK_UNIX_SECONDS`], random bytes 0, 1, ..., 255 cycled.
    pub fn replay() -> CallOptions {
        CallOptions {
            wall_clock_unix_seconds: Some(REPLAY_WALL_CLOCK_UNIX_SECONDS),
            random_bytes: Some((0..=255).collect()),
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

/// The loaded component: compiled once, instantiated per call.
pub struct Connector {
    engine: Engine,
    pre: InstancePre<State>,
    operations: BTreeMap<String, Operation>,
    policy: Arc<Policy>,
    memory_limit: usize,
}

impl Connector {
    /// Compiles the component and resolves its imports and exports.
    pub fn new(wasm: &[u8], policy: Policy) -> anyhow::Result<Connector> {
        Connector::with_config(wasm, policy, Config::new())
    }

    /// [`Connector::new`] with engine settings of the caller's (for example
    /// the pooling allocator).
    pub fn with_config(
        wasm: &[u8],
        policy: Policy,
        mut config: Config,
    ) -> anyhow::Result<Connector> {
        config.wasm_component_model(true);
        let engine = Engine::new(&config)?;
        let component = Component::new(&engine, wasm)
            .map_err(anyhow::Error::from)
            .context("compiling the component")?;
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut linker)?;
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
            memory_limit: DEFAULT_MEMORY_LIMIT,
        })
    }

    /// The component built from this checkout, with GoTo's default policy.
    pub fn embedded() -> anyhow::Result<Connector> {
        Connector::new(crate::COMPONENT, Policy::goto_default())
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
        let op = self.operations.get(operation).ok_or_else(|| {
            anyhow!("unknown operation {operation:?}; `goto-host describe` lists them")
        })?;
        let params = self.arguments(op, connection, input)?;
        let denied = Arc::new(Mutex::new(Vec::new()));
        let started = Instant::now();
        let mut store = self.store(egress, denied.clone(), options);
        let instance = self.pre.instantiate(&mut store)?;
        let instantiated = Instant::now();
        let func = instance
            .get_func(&mut store, op.index)
            .ok_or_else(|| anyhow!("export {operation} vanished"))?;
        let mut results = vec![Val::Bool(false); usize::from(op.result.is_some())];
        func.call(&mut store, &params, &mut results)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("{operation} trapped"))?;
        let stats = CallStats {
            instantiate: instantiated - started,
            call: instantiated.elapsed(),
            peak_memory: store.data().peak_memory,
        };
        let result = results.first().map(json::from_val).unwrap_or(Value::Null);
        let denied = denied.lock().map(|d| d.clone()).unwrap_or_default();
        Ok(Outcome {
            result,
            denied,
            stats,
        })
    }

    /// The fresh store of one call.
    fn store(
        &self,
        egress: Arc<Mutex<dyn Egress>>,
        denied: Arc<Mutex<Vec<String>>>,
        options: &CallOptions,
    ) -> Store<State> {
        let state = State {
            table: ResourceTable::new(),
            wasi: options.wasi_ctx(),
            http: WasiHttpCtx::new(),
            hooks: Hooks {
                policy: self.policy.clone(),
                egress,
                denied,
            },
            limits: StoreLimitsBuilder::new()
                .memory_size(self.memory_limit)
                .instances(16)
                .build(),
            peak_memory: 0,
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| s);
        store
    }

    /// A fresh store and instance, nothing called: what every call pays
    /// before the guest runs (for `goto-host bench`).
    pub fn instantiate_only(&self, egress: Arc<Mutex<dyn Egress>>) -> anyhow::Result<()> {
        let mut store = self.store(egress, Arc::default(), &CallOptions::default());
        self.pre.instantiate(&mut store)?;
        Ok(())
    }

    /// The engine the component was compiled with.
    pub fn engine(&self) -> &Engine {
        &self.engine
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

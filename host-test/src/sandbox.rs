//! What one call's store holds: its WASI context, its limits, and the
//! wasi:http hook through which every outbound request goes: the policy
//! first, then the call's backend (recorded answers from an [`Egress`], or
//! the real network). Also the replay settings ([`ReplaySettings`]) and the
//! virtual time of replays ([`link_virtual_time`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Limited};
use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, Resource, ResourceTable};
use wasmtime_wasi::clocks::WasiClocksView;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock::Host as _;
use wasmtime_wasi::{Deterministic, HostWallClock, WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{
    Error as HttpError, RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks,
    WasiHttpView,
};

use crate::exchange::{Egress, IoFuture, OutgoingRequest, Recorder};
use crate::limits::CallLimiter;
use crate::network::{self, Pool};
use crate::policy::Policy;

/// Request bodies a guest may send; more is refused.
const MAX_REQUEST_BODY: usize = 16 << 20;

/// Where the requests the policy allows go: chosen when a
/// [`crate::Connector`] is built ([`crate::Builder::backend`]), one backend
/// for all its calls.
#[derive(Clone)]
pub enum Backend {
    /// The real network, with the real clock and secure randomness: the
    /// connector's connections, kept open per origin (HTTPS through rustls,
    /// see [`crate::network::NetworkSettings`]). The default.
    Network,
    /// The real network, as [`Backend::Network`], and every exchange is also
    /// kept whole in the [`Recorder`] (for `goto-host record`; see
    /// [`crate::recorder`] before writing them anywhere: they hold the
    /// credentials).
    Record(Recorder),
    /// Answers from recordings: a cassette's [`crate::cassette::Replay`], the
    /// [`crate::cassette::Demo`], or a test's own [`Egress`]. Nothing reaches
    /// the network.
    Replay {
        /// What answers each request.
        egress: Arc<Mutex<dyn Egress>>,
        /// The clock, randomness and time the guest sees.
        settings: ReplaySettings,
    },
}

impl Backend {
    /// Answers from `egress`, with the real clock and secure randomness.
    pub fn replay(egress: Arc<Mutex<dyn Egress>>) -> Backend {
        Backend::Replay {
            egress,
            settings: ReplaySettings::default(),
        }
    }

    /// Answers from `egress` with a fixed clock, fixed randomness and
    /// virtual time ([`ReplaySettings::deterministic`]), as the cassette
    /// runner replays.
    pub fn deterministic_replay(egress: Arc<Mutex<dyn Egress>>) -> Backend {
        Backend::Replay {
            egress,
            settings: ReplaySettings::deterministic(),
        }
    }

    /// The guest's clock and randomness: a replay's settings; the network's
    /// are always the real ones.
    pub(crate) fn settings(&self) -> ReplaySettings {
        match self {
            Backend::Replay { settings, .. } => settings.clone(),
            Backend::Network | Backend::Record(_) => ReplaySettings::default(),
        }
    }
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Backend::Network => f.write_str("Network"),
            Backend::Record(_) => f.write_str("Record"),
            Backend::Replay { settings, .. } => f
                .debug_struct("Replay")
                .field("settings", settings)
                .finish_non_exhaustive(),
        }
    }
}

/// What the hook of one call reports back to the caller.
#[derive(Default)]
pub(crate) struct Traffic {
    /// Requests the policy refused.
    pub denied: Mutex<Vec<String>>,
    /// Requests that passed the policy and went to the backend.
    pub sent: AtomicUsize,
}

impl Traffic {
    pub fn denied(&self) -> Vec<String> {
        self.denied.lock().map(|d| d.clone()).unwrap_or_default()
    }

    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }
}

/// The wasi:http hooks of one store: policy, then the backend.
pub(crate) struct Hooks {
    pub policy: Arc<Policy>,
    pub backend: Backend,
    /// The connector's connections, for the network backends.
    pub network: Arc<Pool>,
    pub traffic: Arc<Traffic>,
    /// When the call's time limit runs out; a slow answer is cut short then.
    pub deadline: Option<Instant>,
}

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
        let network = self.network.clone();
        let traffic = self.traffic.clone();
        let deadline = self.deadline;
        Box::new(async move {
            let (mut parts, body) = request.into_parts();
            // Read the body to the end even for a denied request: dropping it
            // would show the guest a reset instead of the denial.
            let body = Limited::new(body, MAX_REQUEST_BODY)
                .collect()
                .await
                .map_err(|_| HttpError::HttpRequestBodySize(None))?
                .to_bytes();
            // From here on the request goes to exactly the origin the policy
            // decided on, whatever else the guest's authority said.
            let Some(admitted) = policy.admit(&parts.uri) else {
                if let Ok(mut d) = traffic.denied.lock() {
                    d.push(format!("{} {}", parts.method, parts.uri));
                }
                return Err(HttpError::HttpRequestDenied);
            };
            parts.uri = admitted.uri;
            parts.headers.insert(http::header::HOST, admitted.host);
            traffic.sent.fetch_add(1, Ordering::Relaxed);
            let egress = match backend {
                Backend::Replay { egress, .. } => egress,
                Backend::Network => {
                    let live = http::Request::from_parts(parts, body);
                    return network::send(&network, live, options, deadline, None).await;
                }
                Backend::Record(recorder) => {
                    // Only a recording keeps the request as text.
                    let record = (recorder, OutgoingRequest::new(&parts, body.clone()));
                    let live = http::Request::from_parts(parts, body);
                    return network::send(&network, live, options, deadline, Some(record)).await;
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

/// Everything one store holds.
pub struct State {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: Hooks,
    pub(crate) limits: CallLimiter,
    /// Under virtual time, the guest's monotonic-clock waits (see
    /// [`link_virtual_time`]).
    pub(crate) virtual_sleeps: Option<Sleeps>,
}

impl State {
    pub(crate) fn new(hooks: Hooks, limits: CallLimiter, settings: &ReplaySettings) -> State {
        State {
            table: ResourceTable::new(),
            wasi: settings.wasi_ctx(),
            http: WasiHttpCtx::new(),
            hooks,
            limits,
            virtual_sleeps: settings.virtual_time.then(Sleeps::default),
        }
    }

    /// The guest's largest linear memory so far, in bytes.
    pub fn peak_memory(&self) -> usize {
        self.limits.peak_memory
    }

    /// The waits the guest asked for under virtual time, in milliseconds.
    pub(crate) fn sleeps_ms(&self) -> Vec<u64> {
        self.virtual_sleeps
            .as_ref()
            .and_then(|s| {
                s.lock()
                    .ok()
                    .map(|s| s.iter().map(|n| n / 1_000_000).collect())
            })
            .unwrap_or_default()
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

/// The wall-clock instant replays run at: 2026-07-01T00:00:00Z, in seconds
/// since the Unix epoch. Token expiries in cassettes are computed from it.
pub const REPLAY_WALL_CLOCK_UNIX_SECONDS: u64 = 1_782_864_000;

/// The clock, randomness and time of calls answered from recordings
/// ([`Backend::Replay`]): the default is the real clock and real (secure)
/// randomness; replays fix both so outputs that depend on them (token
/// expiry, PKCE verifiers) are reproducible. The network backends take no
/// `ReplaySettings` at all, so a live call can never run with a fixed clock
/// or predictable randomness.
#[derive(Debug, Clone, Default)]
pub struct ReplaySettings {
    /// `wasi:clocks/wall-clock` always reads this many seconds after the epoch.
    pub wall_clock_unix_seconds: Option<u64>,
    /// `wasi:random` returns these bytes, cycled.
    pub random_bytes: Option<Vec<u8>>,
    /// `subscribe-duration` returns at once and the wait is only recorded
    /// ([`crate::Outcome::sleeps_ms`]): a retry backoff costs no real time.
    pub virtual_time: bool,
}

impl ReplaySettings {
    /// What the cassette runner uses: the clock at
    /// [`REPLAY_WALL_CLOCK_UNIX_SECONDS`], random bytes 0, 1, ..., 255 cycled.
    pub fn deterministic() -> ReplaySettings {
        ReplaySettings {
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

/// Waits the guest asked for through `subscribe-duration` under virtual
/// time, in nanoseconds.
pub type Sleeps = Arc<Mutex<Vec<u64>>>;

/// Replaces `wasi:clocks/monotonic-clock.subscribe-duration`: under virtual
/// time (a store whose `virtual_sleeps` is set) the wait is recorded and the
/// pollable is ready at once; otherwise it is wasmtime-wasi's own, and the
/// call's deadline cuts the wait short.
pub fn link_virtual_time(linker: &mut Linker<State>) -> anyhow::Result<()> {
    linker.allow_shadowing(true);
    let mut clock = linker.instance("wasi:clocks/monotonic-clock@0.2.12")?;
    clock.func_wrap(
        "subscribe-duration",
        |mut store: StoreContextMut<'_, State>,
         (nanos,): (u64,)|
         -> wasmtime::Result<(Resource<DynPollable>,)> {
            let state = store.data_mut();
            let nanos = match &state.virtual_sleeps {
                Some(sleeps) => {
                    if let Ok(mut s) = sleeps.lock() {
                        s.push(nanos);
                    }
                    0
                }
                None => nanos,
            };
            Ok((state.clocks().subscribe_duration(nanos)?,))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

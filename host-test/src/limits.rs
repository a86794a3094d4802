//! The per-call sandbox limits of a [`crate::Connector`]: linear memory
//! ([`CallLimiter`], wasmtime's `StoreLimits` plus a record of whether the
//! limit was hit), wall time (epoch interruption, one [`start_ticker`] thread
//! per engine), response header size, and the virtual time of replays
//! ([`link_virtual_time`]: `subscribe-duration` returns at once and only
//! records the wait, so a retry backoff costs no real time).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wasmtime::component::{Linker, Resource};
use wasmtime::{Engine, ResourceLimiter, StoreContextMut, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::clocks::WasiClocksView;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock::Host as _;

use crate::runtime::State;

/// Default linear-memory limit of one call.
pub const DEFAULT_MEMORY_BYTES: usize = 64 << 20;
/// Default wall-time limit of one call.
pub const DEFAULT_TIME: Duration = Duration::from_secs(10);
/// The epoch ticker's period: the granularity of the time limit.
pub const TICK: Duration = Duration::from_millis(10);
/// How long guest code may still run after the time limit, so that a request
/// the host cut short at the limit comes back as the component's typed error.
pub const GRACE: Duration = Duration::from_millis(250);
/// Response headers larger than this in total (names and values) reach the
/// guest as `HTTP-response-header-section-size`.
pub const MAX_RESPONSE_HEADER_BYTES: usize = 128 << 10;

/// Refuses a response whose header fields (name and value bytes, given one
/// by one) add up to more than [`MAX_RESPONSE_HEADER_BYTES`].
pub fn check_response_headers(
    field_sizes: impl Iterator<Item = usize>,
) -> Result<(), wasmtime_wasi_http::Error> {
    let total: usize = field_sizes.sum();
    if total > MAX_RESPONSE_HEADER_BYTES {
        return Err(wasmtime_wasi_http::Error::HttpResponseHeaderSectionSize(
            u32::try_from(total).ok(),
        ));
    }
    Ok(())
}

/// What one call may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory of the instance, in bytes.
    pub memory_bytes: usize,
    /// Wall time from instantiation to the result, guest and host together.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: DEFAULT_MEMORY_BYTES,
            time: DEFAULT_TIME,
        }
    }
}

impl Limits {
    /// Epoch ticks of [`TICK`] that cover `time` plus [`GRACE`]: the
    /// interruption that stops guest code. A wait on the network is cut at
    /// `time` itself (by the HTTP hook), and the grace lets the component
    /// return that timeout as its typed error instead of being interrupted.
    pub fn ticks(&self) -> u64 {
        let ticks = (self.time + GRACE)
            .as_nanos()
            .div_ceil(TICK.as_nanos())
            .max(1);
        u64::try_from(ticks).unwrap_or(u64::MAX)
    }

    /// The error of a call that ran out of memory.
    pub fn memory_error(&self) -> anyhow::Error {
        anyhow::anyhow!(
            "the call exceeded its {} MiB memory limit",
            self.memory_bytes as f64 / f64::from(1u32 << 20)
        )
    }

    /// The error of a call that ran out of time.
    pub fn time_error(&self) -> anyhow::Error {
        anyhow::anyhow!(
            "the call exceeded its {} s time limit",
            self.time.as_secs_f64()
        )
    }
}

/// `StoreLimits` that remembers a refused memory growth, so the host can say
/// why the guest trapped, and the peak memory (for `goto-host bench`).
pub struct CallLimiter {
    inner: StoreLimits,
    /// A memory growth was refused during this call.
    pub memory_exceeded: bool,
    /// The largest linear memory the guest grew to, in bytes.
    pub peak_memory: usize,
}

impl CallLimiter {
    pub fn new(limits: &Limits) -> CallLimiter {
        CallLimiter {
            inner: StoreLimitsBuilder::new()
                .memory_size(limits.memory_bytes)
                .instances(16)
                .build(),
            memory_exceeded: false,
            peak_memory: 0,
        }
    }
}

impl ResourceLimiter for CallLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.inner.memory_growing(current, desired, maximum);
        if matches!(allowed, Ok(true)) {
            self.peak_memory = self.peak_memory.max(desired);
        } else {
            self.memory_exceeded = true;
        }
        allowed
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.inner.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.inner.instances()
    }

    fn tables(&self) -> usize {
        self.inner.tables()
    }

    fn memories(&self) -> usize {
        self.inner.memories()
    }
}

/// Starts the thread that advances `engine`'s epoch every [`TICK`]; it ends
/// when the engine is dropped.
pub fn start_ticker(engine: &Engine) {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("goto-host-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .map(drop)
        .unwrap_or_else(|e| eprintln!("goto-host: no epoch ticker, time limit off: {e}"));
}

/// Waits the guest asked for through `subscribe-duration` under virtual
/// time, in nanoseconds.
pub type Sleeps = Arc<Mutex<Vec<u64>>>;

/// Replaces `wasi:clocks/monotonic-clock.subscribe-duration`: under virtual
/// time (a store whose `virtual_sleeps` is set) the wait is recorded and the
/// pollable is ready at once; otherwise it is wasmtime-wasi's own.
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

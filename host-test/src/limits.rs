//! The per-call sandbox limits of a [`crate::Connector`]: linear memory
//! ([`CallLimiter`], wasmtime's `StoreLimits` plus a record of whether the
//! limit was hit), wall time (epoch interruption, one [`start_ticker`] thread
//! per engine, plus the one deadline of a call that also cuts every wait on
//! the host side) and response header size.

use std::time::{Duration, Instant};

use wasmtime::{Engine, ResourceLimiter, StoreLimits, StoreLimitsBuilder};

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
    /// When a call that starts at `start` must have ended (its result
    /// returned, or its time-limit error), `None` when the limit is beyond
    /// what the clock can express (no limit).
    pub fn deadline(&self, start: Instant) -> Option<Instant> {
        start.checked_add(self.time)
    }

    /// The longest a call waits for a free instance of the pool: half its
    /// time limit, so one that gets an instance has the other half for its
    /// work (and one that does not fails early, retryable, having done
    /// nothing).
    pub fn pool_wait(&self) -> Duration {
        self.time / 2
    }

    /// Epoch ticks of [`TICK`] that cover the time `left` until the
    /// deadline plus [`GRACE`]: the interruption that stops guest code. A
    /// wait on the network is cut at the deadline itself (by the HTTP hook),
    /// and the grace lets the component return that timeout as its typed
    /// error instead of being interrupted. Saturates: an unbounded limit
    /// never ticks out.
    pub fn ticks(left: Duration) -> u64 {
        let ticks = left
            .saturating_add(GRACE)
            .as_nanos()
            .div_ceil(TICK.as_nanos())
            .max(1);
        u64::try_from(ticks).unwrap_or(u64::MAX)
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
    /// The limiter of one call under `limits`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unbounded_time_limit_saturates_instead_of_overflowing() {
        let unbounded = Limits {
            time: Duration::MAX,
            ..Limits::default()
        };
        assert_eq!(unbounded.deadline(Instant::now()), None);
        assert_eq!(Limits::ticks(Duration::MAX), u64::MAX);
        assert_eq!(Limits::ticks(Duration::ZERO), 25);
        assert_eq!(Limits::ticks(Duration::from_millis(1)), 26);
    }
}

//! When to send an API request again. Plain Rust over the answer's status: the
//! caller ([`crate::core::client::Api::send`]) does the waiting and draws the
//! jitter through its [`crate::core::http::Transport`], so the decisions here are
//! tested natively and the component waits on `wasi:clocks`.
//!
//! Idempotent methods (GET, PUT, DELETE) are retried on 429, 502, 503 and
//! 504; POST and PATCH never are, except a POST that only reads (a report),
//! which [`crate::core::client::Api`] hands over as a GET. The wait before retry `n` (0-based) is
//! `250 ms * 2^n`, capped at 8 s, with half of it random ("half jitter"),
//! unless GoTo sent `Retry-After` (seconds, or a date), which is waited
//! exactly. The retries stop after `max-retries` or when the next wait would
//! take the total waited in the call past `retry-budget-ms`; the last answer then goes through
//! the one error mapping ([`crate::core::errors::from_response`]), so a 429
//! becomes `rate-limited` with its `retry-after-seconds`.

use crate::CallSettings;
use crate::core::http::Method;

/// Retries after the first attempt, unless the call settings say otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Milliseconds that may be spent waiting between attempts, all together.
pub const DEFAULT_BUDGET_MS: u64 = 2000;
/// The first backoff step.
pub const BASE_MS: u64 = 250;
/// No computed backoff step is longer than this.
pub const CAP_MS: u64 = 8000;

/// The retry budget of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub budget_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            budget_ms: DEFAULT_BUDGET_MS,
        }
    }
}

/// Methods that may be sent twice without changing the outcome.
pub fn idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

/// Statuses that say "try again later".
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// The backoff before retry `attempt` (0-based): `BASE_MS * 2^attempt`
/// capped at `CAP_MS`, of which the upper half is scaled by `random`.
pub fn backoff_ms(attempt: u32, random: u32) -> u64 {
    let step = BASE_MS
        .checked_shl(attempt.min(16))
        .unwrap_or(CAP_MS)
        .min(CAP_MS);
    let half = step / 2;
    half + u64::from(random) % (half + 1)
}

impl RetryPolicy {
    /// The policy of a call's settings, each absent field at its default.
    pub fn from_settings(settings: Option<&CallSettings>) -> RetryPolicy {
        let d = RetryPolicy::default();
        RetryPolicy {
            max_retries: settings
                .and_then(|s| s.max_retries)
                .unwrap_or(d.max_retries),
            budget_ms: settings
                .and_then(|s| s.retry_budget_ms)
                .map_or(d.budget_ms, u64::from),
        }
    }

    /// How long to wait before sending `method` again after an answer of
    /// `status` (with GoTo's `Retry-After` in seconds, when it sent one; see
    /// [`crate::core::errors::retry_after_seconds`]), or `None` to stop. `retries`
    /// were made already and `waited_ms` spent waiting, in the whole call;
    /// `random` is called only when a computed backoff is needed.
    pub fn next_wait(
        &self,
        method: Method,
        status: u16,
        retry_after: Option<u32>,
        retries: u32,
        waited_ms: u64,
        random: &mut dyn FnMut() -> u32,
    ) -> Option<u64> {
        if !idempotent(method) || !retryable_status(status) || retries >= self.max_retries {
            return None;
        }
        let wait = match retry_after {
            Some(secs) => u64::from(secs) * 1000,
            None => backoff_ms(retries, random()),
        };
        (waited_ms.saturating_add(wait) <= self.budget_ms).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero() -> u32 {
        0
    }

    #[test]
    fn only_idempotent_methods_on_retryable_statuses() {
        let p = RetryPolicy::default();
        for m in [Method::Get, Method::Put, Method::Delete] {
            for s in [429, 502, 503, 504] {
                assert!(
                    p.next_wait(m, s, None, 0, 0, &mut zero).is_some(),
                    "{m:?} {s}"
                );
            }
            for s in [200, 400, 401, 404, 409, 500, 501, 505, 599] {
                assert_eq!(p.next_wait(m, s, None, 0, 0, &mut zero), None, "{m:?} {s}");
            }
        }
        for m in [Method::Post, Method::Patch] {
            for s in [429, 502, 503, 504] {
                assert_eq!(p.next_wait(m, s, None, 0, 0, &mut zero), None);
            }
        }
    }

    #[test]
    fn backoff_doubles_is_capped_and_half_jittered() {
        assert_eq!(backoff_ms(0, 0), 125);
        assert_eq!(backoff_ms(0, 125), 250);
        assert_eq!(backoff_ms(0, 126), 125);
        assert_eq!(backoff_ms(1, 0), 250);
        assert_eq!(backoff_ms(2, 0), 500);
        assert_eq!(backoff_ms(5, 0), 4000);
        assert_eq!(backoff_ms(6, u32::MAX), 4000 + u64::from(u32::MAX) % 4001);
        assert_eq!(backoff_ms(40, 0), 4000);
        for a in 0..64 {
            for r in [0, 1, 7777, u32::MAX] {
                let b = backoff_ms(a, r);
                let step = (BASE_MS << a.min(16)).min(CAP_MS);
                assert!(b >= step / 2 && b <= step, "{a} {r} {b}");
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_and_counts_against_the_budget() {
        let p = RetryPolicy::default();
        let mut never = || -> u32 { panic!("no jitter when Retry-After is given") };
        assert_eq!(
            p.next_wait(Method::Get, 429, Some(1), 0, 0, &mut never),
            Some(1000)
        );
        assert_eq!(
            p.next_wait(Method::Get, 503, Some(2), 0, 0, &mut never),
            Some(2000)
        );
        assert_eq!(
            p.next_wait(Method::Get, 429, Some(3), 0, 0, &mut never),
            None
        );
        assert_eq!(
            p.next_wait(Method::Get, 429, Some(1), 1, 1500, &mut never),
            None
        );
    }

    #[test]
    fn count_and_budget_bound_the_retries() {
        let p = RetryPolicy {
            max_retries: 3,
            budget_ms: 1000,
        };
        let r = 503;
        assert_eq!(
            p.next_wait(Method::Get, r, None, 0, 0, &mut zero),
            Some(125)
        );
        assert_eq!(
            p.next_wait(Method::Get, r, None, 2, 375, &mut zero),
            Some(500)
        );
        assert_eq!(p.next_wait(Method::Get, r, None, 2, 600, &mut zero), None);
        assert_eq!(p.next_wait(Method::Get, r, None, 3, 0, &mut zero), None);
        let off = RetryPolicy {
            max_retries: 0,
            budget_ms: 1000,
        };
        assert_eq!(off.next_wait(Method::Get, r, None, 0, 0, &mut zero), None);
    }

    #[test]
    fn settings_override_each_default_alone() {
        assert_eq!(RetryPolicy::from_settings(None), RetryPolicy::default());
        let s = CallSettings {
            connect_timeout_ms: None,
            first_byte_timeout_ms: None,
            between_bytes_timeout_ms: None,
            max_response_bytes: None,
            max_retries: Some(5),
            retry_budget_ms: None,
        };
        assert_eq!(
            RetryPolicy::from_settings(Some(&s)),
            RetryPolicy {
                max_retries: 5,
                budget_ms: DEFAULT_BUDGET_MS
            }
        );
    }
}

//! [`HostError`]: everything the host itself refuses or stops, as one type
//! an engine can match on. The operation's own `result<_, error>` is not
//! one of these: a call that reached the component and returned (even an
//! `error`) is an [`crate::Outcome`].

use std::fmt;
use std::time::Duration;

/// Why a call produced no result. [`HostError::retryable`] tells whether
/// the same call, made again unchanged, can succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostError {
    /// No exported function has this name (`goto-host describe` lists them).
    UnknownOperation {
        /// The name asked for.
        operation: String,
    },
    /// The input JSON does not fit the operation's parameter types.
    /// `field` is the path of the offending value as the JSON spells it
    /// (`meetingId`, `meeting.startTime`), or the operation's name when the
    /// input as a whole is wrong.
    InvalidInput {
        /// The offending value's path.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The guest asked for more linear memory than the call's limit.
    MemoryLimit {
        /// The limit, in bytes.
        limit_bytes: usize,
    },
    /// The call did not finish within its time limit: instantiation, guest
    /// code, a wait of the guest's or the wait for GoTo's answer. The
    /// component may have sent requests before it was stopped
    /// (`requests_sent`): for an operation that changes data, GoTo may have
    /// applied it.
    TimeLimit {
        /// The call's time limit.
        limit: Duration,
        /// Requests that passed the policy before the call was stopped.
        requests_sent: usize,
    },
    /// Every instance of the pool stayed busy for half the call's time
    /// limit ([`crate::Limits::pool_wait`]); nothing of the call ran.
    PoolExhausted {
        /// How many calls the connector runs at once.
        pool_size: usize,
        /// How long the call waited.
        waited: Duration,
    },
    /// The component trapped: a bug in the component, not in the input or
    /// GoTo's answer. `requests_sent` as for [`HostError::TimeLimit`].
    Trap {
        /// The operation called.
        operation: String,
        /// wasmtime's description of the trap.
        message: String,
        /// Requests that passed the policy before the trap.
        requests_sent: usize,
    },
    /// A fresh instance could not be made (for example the system refused
    /// memory); nothing of the call ran.
    Instantiation {
        /// What failed.
        message: String,
    },
}

impl HostError {
    /// Whether the same call, made again unchanged, can succeed: yes after
    /// a time limit (GoTo or the network may be faster next time), a busy
    /// pool or a failed instantiation; no for the input, the memory limit
    /// (the same answer needs the same memory) or a trap.
    pub fn retryable(&self) -> bool {
        match self {
            HostError::TimeLimit { .. }
            | HostError::PoolExhausted { .. }
            | HostError::Instantiation { .. } => true,
            HostError::UnknownOperation { .. }
            | HostError::InvalidInput { .. }
            | HostError::MemoryLimit { .. }
            | HostError::Trap { .. } => false,
        }
    }

    /// A short stable name for logs and for front-ends that map errors
    /// (`time-limit`, `pool-exhausted`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            HostError::UnknownOperation { .. } => "unknown-operation",
            HostError::InvalidInput { .. } => "invalid-input",
            HostError::MemoryLimit { .. } => "memory-limit",
            HostError::TimeLimit { .. } => "time-limit",
            HostError::PoolExhausted { .. } => "pool-exhausted",
            HostError::Trap { .. } => "trap",
            HostError::Instantiation { .. } => "instantiation",
        }
    }

    pub(crate) fn input(field: impl Into<String>, message: impl Into<String>) -> HostError {
        HostError::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::UnknownOperation { operation } => write!(
                f,
                "unknown operation {operation:?}; `goto-host describe` lists them"
            ),
            HostError::InvalidInput { field, message } => write!(f, "input: {field}: {message}"),
            HostError::MemoryLimit { limit_bytes } => write!(
                f,
                "the call exceeded its {} MiB memory limit",
                *limit_bytes as f64 / f64::from(1u32 << 20)
            ),
            HostError::TimeLimit { limit, .. } => write!(
                f,
                "the call exceeded its {} s time limit",
                limit.as_secs_f64()
            ),
            HostError::PoolExhausted { pool_size, waited } => write!(
                f,
                "all {pool_size} instances stayed busy for {} s, half the call's time \
                 limit; nothing ran. Retry later, or give the connector a larger pool",
                waited.as_secs_f64()
            ),
            HostError::Trap {
                operation, message, ..
            } => write!(f, "{operation} trapped (a bug in the component): {message}"),
            HostError::Instantiation { message } => {
                write!(f, "the component could not be instantiated: {message}")
            }
        }
    }
}

impl std::error::Error for HostError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_only_where_a_second_try_can_differ() {
        let time = HostError::TimeLimit {
            limit: Duration::from_millis(50),
            requests_sent: 1,
        };
        assert!(time.retryable());
        assert_eq!(time.to_string(), "the call exceeded its 0.05 s time limit");
        assert!(!HostError::input("meetingId", "required").retryable());
        assert_eq!(
            HostError::input("meetingId", "required").to_string(),
            "input: meetingId: required"
        );
        let memory = HostError::MemoryLimit {
            limit_bytes: 16 << 20,
        };
        assert!(!memory.retryable());
        assert_eq!(
            memory.to_string(),
            "the call exceeded its 16 MiB memory limit"
        );
    }
}

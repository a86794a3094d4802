//! How an operation's end becomes what Temporal acts on: the `ok` value, or
//! an application failure whose type is the error's case name, whose
//! retryability follows the case and what GoTo may already have done, and
//! whose details carry the error's payload (JSON view).

use std::time::Duration;

use goto_host::HostError;
use goto_host::effect::Effect;
use serde_json::{Value, json};

/// An activity attempt that failed, as Temporal will see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The application failure type: the case name (`not-found`,
    /// `rate-limited`, `transport`, ...), a host error's kind
    /// (`time-limit`, ...) or `outcome-unknown`.
    pub kind: String,
    pub message: String,
    /// Whether Temporal may run the activity again.
    pub retryable: bool,
    /// GoTo's `Retry-After`, as the next retry's delay.
    pub retry_after: Option<Duration>,
    /// The error's payload: what GoTo said, `applied`, the transport kind.
    pub details: Value,
}

impl Failure {
    pub fn new(kind: &str, message: impl Into<String>, retryable: bool) -> Failure {
        Failure {
            kind: kind.to_string(),
            message: message.into(),
            retryable,
            retry_after: None,
            details: Value::Null,
        }
    }

    /// A create (or another operation that may do its work twice) whose
    /// earlier attempt may have reached GoTo: it is not sent again.
    pub fn outcome_unknown(operation: &str, attempt: u32) -> Failure {
        let mut f = Failure::new(
            "outcome-unknown",
            format!(
                "{operation}: attempt {attempt} follows one that was lost (worker stopped or \
                 timed out) after it may have reached GoTo; not sent again, so it is not done \
                 twice. Look in GoTo for what it was creating before starting it again."
            ),
            false,
        );
        f.details = json!({"operation": operation, "lostAttempt": attempt.saturating_sub(1)});
        f
    }

    /// An input the worker refuses before anything is sent.
    pub fn invalid_input(message: String) -> Failure {
        let mut f = Failure::new("invalid-input", message, false);
        f.details = json!({"requestsSent": 0});
        f
    }

    /// With `denied` (the requests the policy refused), the message names
    /// the origin and the flag that would admit it.
    pub fn with_denials(mut self, denied: &[String]) -> Failure {
        let origin = denied.first().and_then(|d| origin_of(d));
        if let Some(origin) = origin.filter(|_| self.details["kind"] == "denied") {
            self.message = format!(
                "{} The worker's network policy refused {origin}; start it with --allow-host \
                 {origin} if the component should reach it.",
                self.message
            );
            self.details["origin"] = Value::String(origin);
        }
        self
    }
}

/// `https://host:port` of a denied request (`METHOD URI`).
pub fn origin_of(denied: &str) -> Option<String> {
    let uri: http::Uri = denied.split_whitespace().nth(1)?.parse().ok()?;
    let authority = uri.authority()?.as_str().rsplit('@').next()?;
    Some(format!("{}://{authority}", uri.scheme_str()?))
}

/// What an operation's result (`{"ok": ...}` or `{"error": {case: payload}}`)
/// means for Temporal.
pub fn judge(operation: &str, effect: Effect, result: Value) -> Result<Value, Failure> {
    let Value::Object(mut fields) = result else {
        return Err(Failure::new(
            "invalid-response",
            format!("{operation}: the component returned no result"),
            false,
        ));
    };
    if let Some(ok) = fields.remove("ok") {
        return Ok(ok);
    }
    let Some(Value::Object(error)) = fields.remove("error") else {
        return Err(Failure::new(
            "invalid-response",
            format!("{operation}: the component returned neither ok nor error"),
            false,
        ));
    };
    let Some((case, payload)) = error.into_iter().next() else {
        return Err(Failure::new(
            "invalid-response",
            format!("{operation}: an error without a case"),
            false,
        ));
    };
    Err(classify(operation, effect, &case, payload))
}

fn classify(operation: &str, effect: Effect, case: &str, payload: Value) -> Failure {
    let message = match &payload {
        Value::String(text) => text.clone(),
        other => other
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    };
    let applied_no = payload.get("applied").and_then(Value::as_str) == Some("no");
    let denied = payload.get("kind").and_then(Value::as_str) == Some("denied");
    let too_large = payload.get("kind").and_then(Value::as_str) == Some("body-too-large");
    let mut retry_after = None;
    let (retryable, note) = match case {
        "rate-limited" => {
            retry_after = payload
                .get("retryAfterSeconds")
                .and_then(Value::as_u64)
                .map(Duration::from_secs);
            (true, "")
        }
        "server" | "transport" if denied || too_large => (false, ""),
        "server" | "transport" if applied_no || effect.is_idempotent() => (true, ""),
        "server" | "transport" => (
            false,
            " GoTo may have carried it out (applied: maybe), so it is not repeated; look in \
             GoTo before starting it again.",
        ),
        // invalid-input, unauthorized (after the worker's one refresh),
        // forbidden, not-found, bad-request, conflict, invalid-response,
        // unexpected-status: the same call gets the same answer.
        _ => (false, ""),
    };
    // Every invalid input says that nothing went out, as the host's do.
    let details = match case {
        "invalid-input" => json!({"message": message, "requestsSent": 0}),
        _ => payload,
    };
    Failure {
        kind: case.to_string(),
        message: format!("{operation}: {message}{note}"),
        retryable,
        retry_after,
        details,
    }
}

/// What the host refused or stopped, by its kind; retryable as the host
/// says, except after a request went out for an operation that may repeat.
pub fn host_failure(operation: &str, effect: Effect, error: &HostError) -> Failure {
    let sent = match error {
        HostError::TimeLimit { requests_sent, .. } | HostError::Trap { requests_sent, .. } => {
            *requests_sent
        }
        _ => 0,
    };
    let retryable = error.retryable() && (sent == 0 || effect.is_idempotent());
    let mut failure = Failure::new(error.kind(), format!("{operation}: {error}"), retryable);
    failure.details = json!({ "requestsSent": sent });
    failure
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(applied: &str) -> Value {
        json!({"status": 503, "code": null, "message": "GoTo failed", "incident": null,
               "retryAfterSeconds": null, "applied": applied})
    }

    #[test]
    fn ok_passes_through() {
        let v = judge(
            "get-meeting",
            Effect::Read,
            json!({"ok": {"meetingId": "1"}}),
        );
        assert_eq!(v, Ok(json!({"meetingId": "1"})));
    }

    #[test]
    fn refusals_are_final_and_named_by_case() {
        for case in [
            "not-found",
            "bad-request",
            "conflict",
            "forbidden",
            "unauthorized",
        ] {
            let f = judge(
                "get-meeting",
                Effect::Read,
                json!({"error": {case: api_error("no")}}),
            )
            .unwrap_err();
            assert_eq!((f.kind.as_str(), f.retryable), (case, false));
        }
        let f = judge(
            "create-meeting",
            Effect::Repeatable,
            json!({"error": {"invalid-input": "meeting.subject: must not be empty"}}),
        )
        .unwrap_err();
        assert_eq!(f.kind, "invalid-input");
        assert!(!f.retryable);
        assert!(f.message.ends_with("meeting.subject: must not be empty"));
    }

    #[test]
    fn rate_limited_retries_after_gotos_delay() {
        let mut e = api_error("no");
        e["retryAfterSeconds"] = json!(7);
        let f = judge(
            "create-meeting",
            Effect::Repeatable,
            json!({"error": {"rate-limited": e}}),
        )
        .unwrap_err();
        assert!(f.retryable);
        assert_eq!(f.retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn a_create_that_may_have_happened_is_not_repeated() {
        let maybe = json!({"error": {"server": api_error("maybe")}});
        let f = judge("create-meeting", Effect::Repeatable, maybe.clone()).unwrap_err();
        assert!(!f.retryable);
        assert!(f.message.contains("applied: maybe"));
        // The same answer to an update is retried: doing it twice is the same.
        assert!(
            judge("update-meeting", Effect::Idempotent, maybe)
                .unwrap_err()
                .retryable
        );
        // A create GoTo never saw (connection refused) may be sent again.
        let refused = json!({"error": {"transport": {"kind": "connection",
            "code": "connection-refused", "message": "refused", "applied": "no"}}});
        assert!(
            judge("create-meeting", Effect::Repeatable, refused)
                .unwrap_err()
                .retryable
        );
    }

    #[test]
    fn a_denial_is_final_even_for_reads() {
        let denied = json!({"error": {"transport": {"kind": "denied",
            "code": "HTTP-request-denied", "message": "denied", "applied": "no"}}});
        let f = judge("get-meeting", Effect::Read, denied).unwrap_err();
        assert_eq!((f.kind.as_str(), f.retryable), ("transport", false));
        assert_eq!(f.details["kind"], "denied");
    }

    #[test]
    fn host_errors_follow_their_flag_and_what_was_sent() {
        let limit = HostError::TimeLimit {
            limit: Duration::from_secs(10),
            requests_sent: 1,
        };
        assert!(host_failure("get-meeting", Effect::Read, &limit).retryable);
        let f = host_failure("create-meeting", Effect::Repeatable, &limit);
        assert_eq!((f.kind.as_str(), f.retryable), ("time-limit", false));
        let memory = HostError::MemoryLimit { limit_bytes: 1 };
        assert!(!host_failure("get-meeting", Effect::Read, &memory).retryable);
    }
}

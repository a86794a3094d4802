//! What an operation does to GoTo, by the verb its name starts with: what a
//! front-end needs to decide whether calling again is safe (MCP's tool
//! annotations, the Temporal worker's retry classes).

/// What calling an operation does to the data in GoTo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Only reads (`get-*`, `list-*`, `poll-*`, `start-meeting` and
    /// `start-training`, which return a link), or works
    /// locally without GoTo (`authorization-url`, `create-pkce`,
    /// `parse-webhook-event`).
    Read,
    /// Changes something, and doing it twice leaves the same state as once
    /// (`update-*`, `delete-*`, `set-*`, `cancel-*`: PUT and DELETE).
    Idempotent,
    /// Changes something, and doing it twice may do it twice (`create-*`,
    /// `resend-*`, `register-for-training`, `copy-webinar` (a PUT that makes
    /// a new webinar each time), the OAuth code exchange and refresh,
    /// `send-raw`).
    Repeatable,
}

impl Effect {
    /// The effect of the operation named `operation`.
    pub fn of(operation: &str) -> Effect {
        // Local operations that share a verb with ones that change GoTo.
        if matches!(
            operation,
            "create-pkce" | "authorization-url" | "parse-webhook-event"
        ) {
            return Effect::Read;
        }
        match operation.split('-').next().unwrap_or(operation) {
            "get" | "list" | "poll" | "start" => Effect::Read,
            "update" | "delete" | "set" | "cancel" => Effect::Idempotent,
            _ => Effect::Repeatable,
        }
    }

    /// Whether calling again after an unknown outcome cannot do it twice.
    pub fn is_idempotent(self) -> bool {
        self != Effect::Repeatable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_and_local_operations() {
        assert_eq!(Effect::of("get-meeting"), Effect::Read);
        assert_eq!(Effect::of("list-seeit-sessions"), Effect::Read);
        assert_eq!(Effect::of("create-pkce"), Effect::Read);
        assert_eq!(Effect::of("delete-meeting"), Effect::Idempotent);
        assert_eq!(Effect::of("set-webhooks-state"), Effect::Idempotent);
        assert_eq!(Effect::of("create-meeting"), Effect::Repeatable);
        assert_eq!(Effect::of("refresh-token"), Effect::Repeatable);
        assert_eq!(Effect::of("send-raw"), Effect::Repeatable);
        assert_eq!(Effect::of("register-for-training"), Effect::Repeatable);
        assert_eq!(
            Effect::of("cancel-training-registration"),
            Effect::Idempotent
        );
        assert_eq!(Effect::of("start-training"), Effect::Read);
        assert_eq!(Effect::of("list-organizer-training-sessions"), Effect::Read);
        assert_eq!(Effect::of("copy-webinar"), Effect::Repeatable);
        assert_eq!(Effect::of("get-webinar-start-url"), Effect::Read);
        assert!(!Effect::Repeatable.is_idempotent());
        assert!(Effect::Idempotent.is_idempotent());
    }
}

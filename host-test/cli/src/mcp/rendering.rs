//! How a call's outcome reads to a model: a short text and the structured
//! content.

use goto_host::{HostError, Outcome};
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

use super::*;

/// Results longer than this are cut in the text (the structured content
/// keeps everything).
const TEXT_LIMIT: usize = 4000;

pub(super) fn outcome(name: &str, outcome: Outcome) -> CallToolResult {
    let Outcome { result, denied, .. } = outcome;
    match result.get("error") {
        None => {
            let ok = result.get("ok").cloned().unwrap_or(Value::Null);
            let mut text = format!("{name} succeeded: {ok}");
            if text.len() > TEXT_LIMIT {
                let cut = (0..=TEXT_LIMIT)
                    .rev()
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(0);
                text.truncate(cut);
                text.push_str(" … (cut; the structured content has all of it)");
            }
            let mut r = CallToolResult::structured(result);
            r.content = vec![ContentBlock::text(text)];
            r
        }
        Some(error) => {
            let text = error_text(name, error, &denied);
            let mut r = CallToolResult::structured_error(result.clone());
            r.content = vec![ContentBlock::text(text)];
            r
        }
    }
}

fn error_text(name: &str, error: &Value, denied: &[String]) -> String {
    let kind = error_kind(error);
    let payload = error.get(kind).unwrap_or(error);
    let detail = match payload {
        Value::String(s) => s.clone(),
        Value::Object(m) => {
            let message = m.get("message").and_then(Value::as_str).unwrap_or("");
            let status = m.get("status").map(Value::to_string).unwrap_or_default();
            match m.get("code").and_then(Value::as_str) {
                Some(code) => format!("{message} (HTTP {status}, {code})"),
                None => format!("{message} (HTTP {status})"),
            }
        }
        other => other.to_string(),
    };
    let advice = advice(kind, payload, denied);
    format!("{name} failed: {kind}: {detail}\nWhat to do: {advice}")
}

fn advice(kind: &str, payload: &Value, denied: &[String]) -> String {
    if let Some(first) = denied.first() {
        return format!(
            "the server's network policy refused {}: only GoTo's own hosts may be \
             reached. Retrying will not help; the server's operator sets the \
             connection's API base (or allows a host with --allow-host).",
            without_query(first)
        );
    }
    match kind {
        "invalid-input" => "correct the argument the message names and call again.".into(),
        "unauthorized" => "the server's GoTo access token is missing, invalid or expired. \
             Retrying will not help: ask the user to renew the token in the MCP server's \
             configuration."
            .into(),
        "forbidden" => "the GoTo account lacks the role or scope for this call; \
             do not retry, tell the user."
            .into(),
        "not-found" => "check the id or key (a list tool finds them).".into(),
        "bad-request" => "GoTo rejected the content: correct the arguments.".into(),
        "conflict" => "it conflicts with what exists (for example it already exists): \
             look it up instead of creating it again."
            .into(),
        "rate-limited" => match payload.get("retryAfterSeconds").and_then(Value::as_u64) {
            Some(s) => format!("wait {s} seconds, then call again."),
            None => "wait a little, then call again.".into(),
        },
        "server" | "transport" => "GoTo or the network failed; calling again later may \
             succeed (for a create, check first whether it happened)."
            .into(),
        _ => "GoTo answered unexpectedly; do not retry blindly, tell the user.".into(),
    }
}

pub(super) fn host_error(name: &str, e: &HostError) -> CallToolResult {
    let advice = match e {
        HostError::InvalidInput { field, .. } => {
            format!("correct the argument `{field}` (the tool's input schema) and call again.")
        }
        HostError::TimeLimit { requests_sent, .. } if *requests_sent > 0 => {
            "calling again may succeed; for a change, check first whether it was applied \
             (requests were sent)."
                .into()
        }
        e if e.retryable() => "calling again may succeed.".into(),
        _ => "retrying will not help; tell the user.".into(),
    };
    let text = format!("{name} failed: {}: {e}\nWhat to do: {advice}", e.kind());
    CallToolResult::error(vec![ContentBlock::text(text)])
}

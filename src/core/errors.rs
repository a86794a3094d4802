//! The one mapping from a failed exchange to the WIT `error` variant.
//!
//! GoTo's error bodies come in several shapes (`int_err_code`/`msg`,
//! `errorCode`/`description`/`incident`, OAuth's `error`/`error_description`,
//! a bare `message`, or HTML from a proxy); all are read here. Every text that
//! leaves this module passes through [`redact`], so no secret the call used can
//! appear in an error.

use alloc::string::{String, ToString};
use core::fmt::Display;

use serde_json::Value;

use crate::core::http::{Method, Response};
use crate::core::record::ShapeError;
use crate::core::time;
use crate::{ApiError, Applied, Error, ResponseError, TransportError, TransportKind};

/// Bad caller input, found before anything was sent.
pub fn invalid(field: &str, rule: impl Display) -> Error {
    Error::InvalidInput(format!("{field}: {rule}"))
}

/// Whether a request of `method` asks GoTo to change something.
pub fn writes(method: Method) -> bool {
    method != Method::Get
}

/// A success status whose body did not have the documented shape. GoTo
/// answered with success, so a request that changes something was applied.
pub fn invalid_response(status: u16, e: ShapeError, secrets: &[&str], method: Method) -> Error {
    Error::InvalidResponse(ResponseError {
        status,
        message: redact(
            format!(
                "GoTo answered HTTP {status} but the body is not what the API documents: {}",
                e.0
            ),
            secrets,
        ),
        applied: if writes(method) {
            Applied::Yes
        } else {
            Applied::No
        },
    })
}

/// A request that did not complete. `reached` says whether it may have
/// reached GoTo; only then, and only for a request that changes something,
/// may GoTo have applied it.
pub fn transport(
    kind: TransportKind,
    code: Option<&str>,
    message: String,
    reached: bool,
    method: Method,
) -> Error {
    Error::Transport(TransportError {
        kind,
        code: code.map(String::from),
        message,
        applied: if reached && writes(method) {
            Applied::Maybe
        } else {
            Applied::No
        },
    })
}

/// The `applied` of an error; none for `invalid-input` (nothing was sent).
pub fn applied(e: &mut Error) -> Option<&mut Applied> {
    match e {
        Error::InvalidInput(_) => None,
        Error::InvalidResponse(r) => Some(&mut r.applied),
        Error::Transport(t) => Some(&mut t.applied),
        other => api_details(other).map(|a| &mut a.applied),
    }
}

/// Redacts every text of an error (message, code, incident) in place.
pub fn redact_error(e: &mut Error, secrets: &[&str]) {
    let texts: [Option<&mut String>; 3] = match e {
        Error::InvalidInput(m) => [Some(m), None, None],
        Error::InvalidResponse(r) => [Some(&mut r.message), None, None],
        Error::Transport(t) => [Some(&mut t.message), t.code.as_mut(), None],
        other => match api_details(other) {
            Some(a) => [Some(&mut a.message), a.code.as_mut(), a.incident.as_mut()],
            None => [None, None, None],
        },
    };
    for text in texts.into_iter().flatten() {
        *text = redact(core::mem::take(text), secrets);
    }
}

/// The details of an error GoTo answered with (every variant but
/// `invalid-input`, `invalid-response` and `transport`).
pub fn api_details(e: &mut Error) -> Option<&mut ApiError> {
    match e {
        Error::Unauthorized(a)
        | Error::Forbidden(a)
        | Error::NotFound(a)
        | Error::BadRequest(a)
        | Error::Conflict(a)
        | Error::RateLimited(a)
        | Error::Server(a)
        | Error::UnexpectedStatus(a) => Some(a),
        Error::InvalidInput(_) | Error::InvalidResponse(_) | Error::Transport(_) => None,
    }
}

/// Replaces every occurrence of each secret by `[redacted]`.
pub fn redact(mut text: String, secrets: &[&str]) -> String {
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        if text.contains(*s) {
            text = text.replace(*s, "[redacted]");
        }
    }
    text
}

/// The advice [`from_response`] ends an `unauthorized` message with.
pub const ADVICE_UNAUTHORIZED: &str =
    "The access token is invalid or expired: refresh it (oauth refresh-token) and call again.";
/// The advice [`from_response`] ends a `conflict` message with.
pub const ADVICE_CONFLICT: &str = "The request conflicts with what exists already.";

/// Replaces the advice `from_response` ended `a.message` with by `advice`
/// (an operation that knows better, such as GoToAssist's 401 or Seeit's
/// 409); a message that does not end with `default` gets `advice` added.
pub fn replace_advice(a: &mut ApiError, default: &str, advice: &str) {
    let what = a
        .message
        .strip_suffix(default)
        .unwrap_or(&a.message)
        .trim_end();
    a.message = format!("{what} {advice}");
}

/// Maps a non-success response to the error a caller can act on; `now` is
/// the wall clock when it arrived (for a `Retry-After` date), `method` the
/// request's (GoTo may have applied a change it answered 5xx to).
pub fn from_response(
    resp: &Response,
    secrets: &[&str],
    now: Option<time::Instant>,
    method: Method,
) -> Error {
    let body = parse_error_body(&resp.body, secrets);
    let status = resp.status;
    let invalid_token = status == 401
        || body
            .code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("InvalidToken"))
        || resp
            .header("x-amzn-errortype")
            .is_some_and(|t| t.starts_with("UnauthorizedException"));
    let (make, advice): (fn(ApiError) -> Error, &str) = match status {
        401 | 403 if invalid_token => (Error::Unauthorized, ADVICE_UNAUTHORIZED),
        403 => (
            Error::Forbidden,
            "The token's user lacks the role or scope for this call; admin operations need an admin user and a client with the Admin Center (identity:) scope.",
        ),
        404 => (
            Error::NotFound,
            "Check the id, key or email in the request.",
        ),
        400 | 422 => (
            Error::BadRequest,
            "Check the input against GoTo's rules for this operation.",
        ),
        409 => (Error::Conflict, ADVICE_CONFLICT),
        429 => (
            Error::RateLimited,
            "Too many requests: wait, then call again.",
        ),
        500..=599 => (
            Error::Server,
            "GoTo failed; calling again later may succeed.",
        ),
        _ => (
            Error::UnexpectedStatus,
            "GoTo answered a status this operation does not expect.",
        ),
    };
    let what = match body.message {
        Some(m) => format!("GoTo answered HTTP {status}: {}", m.trim_end_matches('.')),
        None => format!("GoTo answered HTTP {status}{}", describe_body(resp)),
    };
    make(ApiError {
        status,
        code: body.code.map(|c| redact(c, secrets)),
        message: redact(format!("{what}. {advice}"), secrets),
        incident: body.incident.map(|i| redact(i, secrets)),
        retry_after_seconds: retry_after_seconds(resp, now),
        applied: if writes(method) && (500..600).contains(&status) {
            Applied::Maybe
        } else {
            Applied::No
        },
    })
}

/// GoTo's `Retry-After` in whole seconds: a number of seconds, or an
/// IMF-fixdate measured from `now`, the wall clock when the response
/// arrived (a date in the past is 0). Anything else, including the obsolete
/// date forms and a date when there is no clock, is ignored: the backoff
/// then decides.
pub fn retry_after_seconds(resp: &Response, now: Option<time::Instant>) -> Option<u32> {
    let value = resp.header("retry-after")?.trim();
    if let Ok(secs) = value.parse() {
        return Some(secs);
    }
    let at = time::parse_imf_fixdate(value)?;
    let now = now?;
    // Whole seconds of `now`: the wait ends at or just after the date.
    let secs = at.unix_seconds().saturating_sub(now.unix_seconds());
    Some(u32::try_from(secs.max(0)).unwrap_or(u32::MAX))
}

/// Maps a failed OAuth token-endpoint response (RFC 6749 §5.2
/// `{"error": ..., "error_description": ...}`, usually 400 or 401): the
/// variant and code as [`from_response`] gives them, with advice for the
/// OAuth error code instead of the advice for API calls.
pub fn from_token_response(resp: &Response, secrets: &[&str], now: Option<time::Instant>) -> Error {
    let body = parse_error_body(&resp.body, secrets);
    let advice = match body.code.as_deref() {
        Some("invalid_grant") => {
            "The code or refresh token is invalid, expired or already used, or the redirect URI or code verifier does not match the authorization request: send the user through authorization-url again."
        }
        Some("invalid_client" | "unauthorized_client") => {
            "GoTo refused the OAuth client: check the client id and secret (developer.goto.com, OAuth clients) and that the client may use this grant."
        }
        Some("invalid_request" | "unsupported_grant_type") => {
            "GoTo's token endpoint rejected the request's form; check the auth base URL points at GoTo's current authentication service."
        }
        Some("invalid_scope") => "The OAuth client's scopes do not allow this grant.",
        _ => "GoTo's token endpoint refused the request.",
    };
    let mut err = from_response(resp, secrets, now, Method::Post);
    if let Some(a) = api_details(&mut err) {
        let status = resp.status;
        let what = match body.message {
            Some(m) => format!("GoTo answered HTTP {status}: {}", m.trim_end_matches('.')),
            None => format!("GoTo answered HTTP {status}{}", describe_body(resp)),
        };
        a.message = redact(format!("{what}. {advice}"), secrets);
    }
    err
}

#[derive(Default)]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    incident: Option<String>,
}

/// GoTo's error fields, each redacted and then clipped: clipping first
/// could cut a secret in two and leave its start unredacted.
fn parse_error_body(body: &[u8], secrets: &[&str]) -> ErrorBody {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return ErrorBody::default();
    };
    let first = |keys: &[&str]| {
        keys.iter().find_map(|k| match map.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => {
                Some(clip(&redact(s.trim().to_string(), secrets)))
            }
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    };
    ErrorBody {
        code: first(&["int_err_code", "errorCode", "error", "err", "code"]),
        message: first(&["msg", "description", "error_description", "message"]),
        incident: first(&["incident", "incidentId"]),
    }
}

/// Error texts from the server are kept, but not without bound.
fn clip(s: &str) -> String {
    const MAX: usize = 500;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn describe_body(resp: &Response) -> String {
    if resp.body.is_empty() {
        return " with an empty body".into();
    }
    let kind = resp
        .header("content-type")
        .map(|t| t.split(';').next().unwrap_or("").trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "unlabelled".into());
    format!(" with a {kind} body of {} bytes", resp.body.len())
}

#[cfg(test)]
mod tests;

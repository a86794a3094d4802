//! Input validation shared by every product: ids and keys, RFC 3339 times
//! and date ranges, email addresses and https URLs. Each check names the
//! offending field in its `invalid-input` error and runs before anything is
//! sent.

use alloc::string::{String, ToString};

use url::Url;

use crate::Error;
use crate::core::errors::invalid;
use crate::core::time;
use crate::exports::meetings::DateRange;

/// A key or id for a path: zero is never a GoTo key.
pub fn check_id(field: &str, id: u64) -> Result<String, Error> {
    if id == 0 {
        return Err(invalid(field, "must be a positive id"));
    }
    Ok(id.to_string())
}

/// Parses an RFC 3339 input time; the field name goes into the error.
pub fn input_time(field: &str, raw: &str) -> Result<time::Instant, Error> {
    time::parse_rfc3339(raw).ok_or_else(|| {
        invalid(
            field,
            format!("must be an RFC 3339 time such as 2026-07-01T22:00:00Z (got {raw:?})"),
        )
    })
}

/// Checks a date range (`field.start`, `field.end`) and returns both ends as
/// GoTo wants them in a query: ISO 8601 UTC with `Z`.
pub fn check_range(field: &str, range: &DateRange) -> Result<(String, String), Error> {
    let start = input_time(&format!("{field}.start"), &range.start)?;
    let end = input_time(&format!("{field}.end"), &range.end)?;
    if end <= start {
        return Err(invalid(
            &format!("{field}.end"),
            format!("must be after {field}.start"),
        ));
    }
    Ok((time::format(start), time::format(end)))
}

/// An email for a query or body (trimmed): `local@domain.tld`, at most 254
/// characters, no spaces or control characters, one `@`, and a domain with
/// a dot that neither starts nor ends it nor doubles it. Every operation
/// that takes an email checks it here.
pub fn check_email(field: &str, raw: &str) -> Result<String, Error> {
    let email = raw.trim();
    let ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        });
    if !ok {
        return Err(invalid(
            field,
            format!("must be an email address such as jane@example.com (got {raw:?})"),
        ));
    }
    Ok(email.to_string())
}

/// An absolute `https` URL with a host and no credentials.
pub fn check_https_url(field: &str, raw: &str) -> Result<(), Error> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        invalid(
            field,
            format!("must be an absolute https URL such as https://api.example.com/goto ({e})"),
        )
    })?;
    if url.scheme() != "https" || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(
            field,
            format!(
                "must be an absolute https URL such as https://api.example.com/goto (got scheme {:?})",
                url.scheme()
            ),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(field, "must not carry a user name or password"));
    }
    Ok(())
}

//! The one place that reads and writes times.
//!
//! Outputs are RFC 3339 UTC with a `Z` (`2012-12-01T09:00:00Z`), whatever GoTo
//! sent: RFC 3339, `2012-12-01T09:00:00.+0000`, zone-less ISO (taken as UTC),
//! the legacy `MM/dd/yyyy HH:mm:ss`, or epoch milliseconds.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

/// Formats an instant the way every output and request carries it.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses a caller's RFC 3339 time (any offset).
pub fn parse_rfc3339(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Epoch milliseconds to an instant; `None` when out of chrono's range.
pub fn from_epoch_millis(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

/// Reads any time format GoTo has been seen to send. `Ok(None)` for an empty
/// string (GoTo's "no value"); `Err` carries a description for the caller.
pub fn parse_goto(raw: &str) -> Result<Option<DateTime<Utc>>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(t) = parse_rfc3339(s) {
        return Ok(Some(t));
    }
    // `2012-12-01T09:00:00.+0000`: a dot with no fraction before the offset.
    let cleaned: String;
    let s2 = if let Some(i) = s
        .find(".+")
        .or_else(|| s.find(".-"))
        .or_else(|| s.find(".Z"))
    {
        cleaned = format!("{}{}", &s[..i], &s[i + 1..]);
        cleaned.as_str()
    } else {
        s
    };
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.fZ"] {
        if let Ok(t) = DateTime::parse_from_str(s2, fmt) {
            return Ok(Some(t.with_timezone(&Utc)));
        }
    }
    if let Some(t) = parse_rfc3339(s2) {
        return Ok(Some(t));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%m/%d/%Y %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s2, fmt) {
            return Ok(Some(t.and_utc()));
        }
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 10 {
        if let Some(t) = s.parse::<i64>().ok().and_then(from_epoch_millis) {
            return Ok(Some(t));
        }
    }
    Err(format!("unrecognized time {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        format(parse_goto(s).unwrap().unwrap())
    }

    #[test]
    fn every_goto_format_becomes_rfc3339_utc() {
        assert_eq!(norm("2012-12-01T09:00:00.+0000"), "2012-12-01T09:00:00Z");
        assert_eq!(norm("2015-02-17T00:10:33.+0000"), "2015-02-17T00:10:33Z");
        assert_eq!(norm("2014-03-26T15:00:00Z"), "2014-03-26T15:00:00Z");
        assert_eq!(norm("2014-03-26T17:00:00+02:00"), "2014-03-26T15:00:00Z");
        assert_eq!(norm("2012-12-01T09:00:00.000+0100"), "2012-12-01T08:00:00Z");
        assert_eq!(norm("06/14/2012 11:14:43"), "2012-06-14T11:14:43Z");
        assert_eq!(norm("2013-03-01T08:00:00"), "2013-03-01T08:00:00Z");
        assert_eq!(norm("1436824800000"), "2015-07-13T22:00:00Z");
        assert_eq!(norm("2012-12-01T09:00:00.250Z"), "2012-12-01T09:00:00.250Z");
    }

    #[test]
    fn empty_is_none_and_garbage_is_an_error() {
        assert_eq!(parse_goto("").unwrap(), None);
        assert_eq!(parse_goto("  ").unwrap(), None);
        assert!(parse_goto("next tuesday").is_err());
        assert!(parse_goto("13/45/2012 99:00:00").is_err());
    }
}

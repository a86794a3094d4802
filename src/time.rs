//! The one place that reads and writes times.
//!
//! Outputs are RFC 3339 UTC with a `Z` (`2012-12-01T09:00:00Z`), whatever GoTo
//! sent: RFC 3339, `2012-12-01T09:00:00.+0000`, zone-less ISO (taken as UTC),
//! the legacy `MM/dd/yyyy HH:mm:ss`, or epoch milliseconds.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};

/// Formats an instant the way every output and request carries it.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses a caller's RFC 3339 time (any offset; the `T` and a zone required).
pub fn parse_rfc3339(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    let p = Parts::read(s)?;
    (p.sep == b'T' && p.zone.is_some() && p.fraction_ok)
        .then(|| p.instant())
        .flatten()
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
    let parsed = if s.len() >= 10 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<i64>().ok().and_then(from_epoch_millis)
    } else {
        Parts::read(s)
            .or_else(|| Parts::read_us(s))
            .and_then(|p| p.instant())
    };
    parsed
        .map(Some)
        .ok_or_else(|| format!("unrecognized time {s:?}"))
}

/// The fields of `YYYY-MM-DD[T ]HH:MM:SS[.fraction][zone]`, where the zone is
/// `Z`, `+HH:MM` or `+HHMM` and may be absent (taken as UTC). GoTo also sends
/// a dot with no fraction (`09:00:00.+0000`), which is accepted.
struct Parts {
    date: (i32, u32, u32),
    time: (u32, u32, u32, u32),
    sep: u8,
    /// Offset east of UTC in seconds; `None` when the text had no zone.
    zone: Option<i32>,
    /// False when the text had a dot with no digits after it.
    fraction_ok: bool,
}

impl Parts {
    fn read(s: &str) -> Option<Parts> {
        let b = s.as_bytes();
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let sep = b[10];
        if !matches!(sep, b'T' | b't' | b' ') {
            return None;
        }
        let date = (num(&b[0..4])? as i32, num(&b[5..7])?, num(&b[8..10])?);
        let (h, m, sec) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
        let mut rest = &b[19..];
        let (mut nanos, mut fraction_ok) = (0, true);
        if let Some(after) = rest.strip_prefix(b".") {
            let digits = after.iter().take_while(|c| c.is_ascii_digit()).count();
            fraction_ok = digits > 0;
            // Nanoseconds from the first nine digits; more precision is dropped.
            let mut n = 0u32;
            for i in 0..9 {
                n = n * 10
                    + after
                        .get(i)
                        .filter(|_| i < digits)
                        .map_or(0, |d| u32::from(d - b'0'));
            }
            nanos = n;
            rest = &after[digits..];
        }
        let zone = match rest {
            [] => None,
            [b'Z' | b'z'] => Some(0),
            [sign @ (b'+' | b'-'), hh @ ..] => {
                let (oh, om) = match hh {
                    [a, b, b':', c, d] | [a, b, c, d] => (num(&[*a, *b])?, num(&[*c, *d])?),
                    [a, b] => (num(&[*a, *b])?, 0),
                    _ => return None,
                };
                let secs = i32::try_from(oh * 3600 + om * 60).ok()?;
                Some(if *sign == b'-' { -secs } else { secs })
            }
            _ => return None,
        };
        Some(Parts {
            date,
            time: (h, m, sec, nanos),
            sep: sep.to_ascii_uppercase(),
            zone,
            fraction_ok,
        })
    }

    /// The legacy `MM/dd/yyyy HH:mm:ss` (no zone: UTC).
    fn read_us(s: &str) -> Option<Parts> {
        let b = s.as_bytes();
        if b.len() != 19
            || b[2] != b'/'
            || b[5] != b'/'
            || b[10] != b' '
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        Some(Parts {
            date: (num(&b[6..10])? as i32, num(&b[0..2])?, num(&b[3..5])?),
            time: (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?, 0),
            sep: b' ',
            zone: None,
            fraction_ok: true,
        })
    }

    /// The instant, when the calendar fields are valid.
    fn instant(&self) -> Option<DateTime<Utc>> {
        let (y, mo, d) = self.date;
        let (h, mi, s, n) = self.time;
        let local = NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_nano_opt(h, mi, s, n)?;
        let offset = FixedOffset::east_opt(self.zone.unwrap_or(0))?;
        offset
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// A run of ASCII digits as a number.
fn num(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
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
        assert!(parse_goto("2012-02-30T09:00:00Z").is_err());
        assert!(parse_goto("2012-12-01T09:00:00+2500").is_err());
        assert!(parse_goto("2012-12-01T09:00:00Zjunk").is_err());
        assert!(parse_goto("12345").is_err());
    }

    #[test]
    fn inputs_must_be_strict_rfc3339() {
        assert_eq!(
            format(parse_rfc3339("2026-07-01T22:00:00+02:00").unwrap()),
            "2026-07-01T20:00:00Z"
        );
        assert_eq!(
            format(parse_rfc3339(" 2026-07-01t22:00:00.5z ").unwrap()),
            "2026-07-01T22:00:00.500Z"
        );
        for bad in [
            "2026-07-01T22:00:00",
            "2026-07-01 22:00:00Z",
            "2026-07-01T22:00:00.+0000",
            "2026-07-01",
            "2026-13-01T00:00:00Z",
            "",
        ] {
            assert!(parse_rfc3339(bad).is_none(), "{bad}");
        }
    }
}

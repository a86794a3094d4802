//! The one place that reads and writes times, and checks the time-zone ids
//! GoTo takes.
//!
//! Outputs are RFC 3339 UTC with a `Z` (`2012-12-01T09:00:00Z`), whatever GoTo
//! sent: RFC 3339, `2012-12-01T09:00:00.+0000`, zone-less ISO (taken as UTC),
//! the legacy `MM/dd/yyyy HH:mm:ss`, or epoch milliseconds.
//!
//! The calendar arithmetic is written here rather than taken from chrono:
//! it is a few lines, and chrono cost the component about 8 KB. Ranges and
//! output match what chrono did (years -262143 to 262142, RFC 3339 with the
//! fraction in 3, 6 or 9 digits as needed).

use alloc::string::String;
use core::fmt::Write;

/// An instant in UTC: seconds since 1970-01-01T00:00:00Z (no leap seconds)
/// and the nanoseconds within that second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    secs: i64,
    nanos: u32,
}

/// The calendar range kept (chrono's): years -262143 to 262142, as days
/// since 1970-01-01.
const MIN_DAY: i64 = days_from_civil(-262_143, 1, 1);
const MAX_DAY: i64 = days_from_civil(262_142, 12, 31);

impl Instant {
    /// From Unix seconds and nanoseconds; `None` outside the calendar range
    /// or for nanoseconds past the second (except a leap second's, `:59`
    /// plus up to one more second, which the wall clock may report).
    pub fn from_unix(secs: i64, nanos: u32) -> Option<Instant> {
        let leap = nanos >= 1_000_000_000 && secs.rem_euclid(60) == 59;
        if nanos >= 2_000_000_000 || (nanos >= 1_000_000_000 && !leap) {
            return None;
        }
        let days = secs.div_euclid(86_400);
        (MIN_DAY..=MAX_DAY)
            .contains(&days)
            .then_some(Instant { secs, nanos })
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// Milliseconds since the Unix epoch (the fraction truncated).
    pub fn unix_millis(self) -> i64 {
        self.secs * 1000 + i64::from(self.nanos / 1_000_000)
    }
}

/// Formats an instant the way every output and request carries it.
pub fn format(t: Instant) -> String {
    let (y, mo, d) = civil_from_days(t.secs.div_euclid(86_400));
    let sod = t.secs.rem_euclid(86_400) as u32; // 0..86_400
    let (h, mi, mut sec) = (sod / 3600, sod / 60 % 60, sod % 60);
    let mut nano = t.nanos;
    if nano >= 1_000_000_000 {
        // A leap second: `:60`.
        sec += 1;
        nano -= 1_000_000_000;
    }
    // Digits pushed by hand, not with `write!`: this runs twice per record
    // of a listing, and the formatting machinery made it three times slower.
    let mut out = String::with_capacity(30);
    if (0..=9999).contains(&y) {
        push_digits(&mut out, y as u32, 4);
    } else {
        // ISO 8601 wants the sign on years outside 0000-9999. `write!` into
        // a String cannot fail.
        let _ = write!(out, "{y:+05}");
    }
    out.push('-');
    push_digits(&mut out, mo, 2);
    out.push('-');
    push_digits(&mut out, d, 2);
    out.push('T');
    push_digits(&mut out, h, 2);
    out.push(':');
    push_digits(&mut out, mi, 2);
    out.push(':');
    push_digits(&mut out, sec, 2);
    if nano != 0 {
        out.push('.');
        if nano.is_multiple_of(1_000_000) {
            push_digits(&mut out, nano / 1_000_000, 3);
        } else if nano.is_multiple_of(1_000) {
            push_digits(&mut out, nano / 1_000, 6);
        } else {
            push_digits(&mut out, nano, 9);
        }
    }
    out.push('Z');
    out
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Parses a caller's RFC 3339 time: the `T`, and a zone of `Z` or `±HH:MM`
/// (any offset up to 23:59) are required.
pub fn parse_rfc3339(raw: &str) -> Option<Instant> {
    let s = raw.trim();
    let p = Parts::read(s)?;
    (p.sep == b'T' && p.zone.is_some() && p.zone_strict && p.fraction_ok)
        .then(|| p.instant())
        .flatten()
}

/// An HTTP-date in the IMF-fixdate form every sender must use
/// (RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`), with the day name
/// matching the date. The obsolete RFC 850 and asctime forms are not read.
pub fn parse_imf_fixdate(raw: &str) -> Option<Instant> {
    const DAYS: [&[u8]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let b = raw.trim().as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || b[7] != b' ' || b[11] != b' ' || b[16] != b' ' {
        return None;
    }
    if b[19] != b':' || b[22] != b':' || &b[25..] != b" GMT" {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == &b[8..11])? as u32 + 1;
    let p = Parts {
        date: (num(&b[12..16])? as i32, month, num(&b[5..7])?),
        time: (num(&b[17..19])?, num(&b[20..22])?, num(&b[23..25])?, 0),
        sep: b'T',
        zone: Some(0),
        fraction_ok: true,
        zone_strict: true,
    };
    let t = p.instant()?;
    // 1970-01-01 was a Thursday.
    let weekday = t.secs.div_euclid(86_400).rem_euclid(7) as usize;
    (DAYS[weekday] == &b[0..3]).then_some(t)
}

/// Epoch milliseconds to an instant; `None` outside the calendar range.
pub fn from_epoch_millis(ms: i64) -> Option<Instant> {
    // rem_euclid(1000) is 0..=999, so the product fits in u32.
    Instant::from_unix(ms.div_euclid(1000), ms.rem_euclid(1000) as u32 * 1_000_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = ((m + 9) % 12) as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`),
/// for a day in the calendar range.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shifted by whole 400-year eras so that every day in range counts from
    // a positive origin and the divisions are plain unsigned ones.
    const SHIFT_ERAS: i64 = 700; // 280,000 years, past MIN_DAY
    let z = (days + 719_468 + SHIFT_ERAS * 146_097) as u64;
    let era = (z / 146_097) as i64 - SHIFT_ERAS;
    let doe = (z % 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (era * 400 + i64::from(yoe) + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Reads any time format GoTo has been seen to send. `Ok(None)` for an empty
/// string (GoTo's "no value"); `Err` carries a description for the caller.
pub fn parse_goto(raw: &str) -> Result<Option<Instant>, String> {
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
    /// Whether the zone is `Z` or `±HH:MM`, the only forms RFC 3339 has
    /// (GoTo also sends `+HHMM` and `+HH`).
    zone_strict: bool,
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
        let zone_strict = matches!(rest, [b'Z' | b'z'] | [_, _, _, b':', _, _]);
        let zone = match rest {
            [] => None,
            [b'Z' | b'z'] => Some(0),
            [sign @ (b'+' | b'-'), hh @ ..] => {
                let (oh, om) = match hh {
                    [a, b, b':', c, d] | [a, b, c, d] => (num(&[*a, *b])?, num(&[*c, *d])?),
                    [a, b] => (num(&[*a, *b])?, 0),
                    _ => return None,
                };
                // An offset is at most 23:59 (RFC 3339 §5.6): `+05:99` or
                // `+2500` is not a time zone.
                if oh > 23 || om > 59 {
                    return None;
                }
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
            zone_strict,
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
            zone_strict: false,
        })
    }

    /// The instant, when the calendar fields are valid.
    fn instant(&self) -> Option<Instant> {
        let (y, mo, d) = self.date;
        let (h, mi, s, n) = self.time;
        let y = i64::from(y);
        let valid = (1..=12).contains(&mo)
            && (1..=days_in_month(y, mo)).contains(&d)
            && h < 24
            && mi < 60
            && s < 60
            && n < 1_000_000_000;
        let offset = i64::from(self.zone.unwrap_or(0));
        if !valid || offset.abs() >= 86_400 {
            return None;
        }
        let local = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s);
        Instant::from_unix(local - offset, n)
    }
}

/// A run of ASCII digits as a number.
fn num(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

/// A time-zone id as GoTo wants it: `Area/Location` (IANA style, such as
/// `America/New_York` or `America/Argentina/Buenos_Aires`), or `UTC`/`GMT`.
pub fn is_time_zone_id(tz: &str) -> bool {
    if matches!(tz, "UTC" | "GMT") {
        return true;
    }
    let part = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic())
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    };
    tz.len() <= 64
        && tz.contains('/')
        && tz.split('/').all(part)
        && tz.starts_with(|c: char| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests;

//! The cursor of the "new since" polling triggers (`poll-new-registrants`,
//! `poll-new-training-registrants`): which records of a listing are new,
//! judged by when each was created, with no state in the component.
//!
//! The cursor is plain text so a flow's history stays readable:
//! `r1:<ms>:<key>,<key>…`, the latest creation time seen (epoch
//! milliseconds) and the keys of the records created at exactly that time.
//! A record created later, or at that time with a key not listed, is new.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::Error;
use crate::core::errors::invalid;
use crate::core::time;

/// The longest cursor accepted.
pub const MAX_CURSOR: usize = 65_536;

/// What a cursor says was seen.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    millis: i64,
    keys: Vec<u64>,
}

/// Reads the cursor `operation` handed out, before anything is sent; none
/// (a first call) is `Ok(None)`.
pub fn parse(operation: &str, cursor: Option<&str>) -> Result<Option<Seen>, Error> {
    let Some(raw) = cursor else { return Ok(None) };
    let bad = || {
        invalid(
            "cursor",
            format!(
                "is not a cursor returned by {operation} (pass it back unchanged, or none to start over)"
            ),
        )
    };
    if raw.len() > MAX_CURSOR {
        return Err(bad());
    }
    let mut parts = raw.trim().splitn(3, ':');
    if parts.next() != Some("r1") {
        return Err(bad());
    }
    let millis = parts
        .next()
        .and_then(|m| m.parse::<i64>().ok())
        .ok_or_else(bad)?;
    let keys = match parts.next() {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|k| k.parse::<u64>().ok())
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(bad)?,
    };
    Ok(Some(Seen { millis, keys }))
}

/// Epoch milliseconds of an RFC 3339 creation time; a record without one
/// is never reported (it cannot be placed).
pub fn millis(created: Option<&str>) -> Option<i64> {
    time::parse_rfc3339(created?).map(time::Instant::unix_millis)
}

/// [`select`] over records that each give their creation time (RFC 3339,
/// may be absent) and key: `stamp` reads them.
pub fn pick<T>(
    seen: Option<Seen>,
    records: Vec<T>,
    stamp: impl Fn(&T) -> (Option<&str>, u64),
) -> (Vec<T>, String) {
    let dated = records
        .into_iter()
        .filter_map(|r| {
            let (created, key) = stamp(&r);
            Some((millis(created)?, key, r))
        })
        .collect();
    select(seen, dated)
}

/// The records new since `seen`, oldest first, and the next cursor.
/// `records` holds each one's creation time (epoch ms) and key. A first
/// call (`seen` none) returns no records, only a cursor marking all as seen.
pub fn select<T>(seen: Option<Seen>, records: Vec<(i64, u64, T)>) -> (Vec<T>, String) {
    let mut records = records;
    records.sort_by_key(|(ms, key, _)| (*ms, *key));
    let latest = records.last().map_or(i64::MIN, |(ms, _, _)| *ms);
    let first_call = seen.is_none();
    let mut mark = seen.unwrap_or(Seen {
        millis: i64::MIN,
        keys: Vec::new(),
    });
    let old = mark.clone();
    if latest > mark.millis {
        mark = Seen {
            millis: latest,
            keys: Vec::new(),
        };
    }
    let mut new = Vec::new();
    for (ms, key, record) in records {
        if ms == mark.millis && !mark.keys.contains(&key) {
            mark.keys.push(key);
        }
        let is_new = ms > old.millis || (ms == old.millis && !old.keys.contains(&key));
        if !first_call && is_new {
            new.push(record);
        }
    }
    let keys: Vec<String> = mark.keys.iter().map(u64::to_string).collect();
    (new, format!("r1:{}:{}", mark.millis, keys.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_call_marks_all_then_only_new_ones_come() {
        let at = |s| millis(Some(s)).unwrap();
        let all = vec![
            (at("2026-05-01T10:00:00Z"), 11, "a"),
            (at("2026-05-02T10:00:00Z"), 13, "c"),
            (at("2026-05-02T10:00:00Z"), 12, "b"),
        ];
        let (none, cursor) = select(None, all.clone());
        assert!(none.is_empty());
        assert_eq!(cursor, "r1:1777716000000:12,13");
        let seen = parse("poll-x", Some(&cursor)).unwrap();
        let (again, same) = select(seen.clone(), all);
        assert!(again.is_empty());
        assert_eq!(same, cursor);
        let later = vec![
            (at("2026-05-03T10:00:00.5Z"), 15, "e"),
            (at("2026-05-02T10:00:00Z"), 14, "d"),
            (at("2026-05-02T10:00:00Z"), 12, "b"),
        ];
        let (new, next) = select(seen, later);
        assert_eq!(new, vec!["d", "e"]);
        assert_eq!(next, "r1:1777802400500:15");
    }

    #[test]
    fn foreign_cursors_are_refused_naming_the_operation() {
        for bad in ["", "w1", "r1:x:", "r1:5:a"] {
            match parse("poll-x", Some(bad)) {
                Err(Error::InvalidInput(m)) => {
                    assert!(m.starts_with("cursor") && m.contains("poll-x"), "{m}")
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert_eq!(parse("poll-x", None).unwrap(), None);
        assert!(parse("poll-x", Some(&"r1:1:".repeat(20_000))).is_err());
    }
}

//! Polling triggers for engines without a public URL: `poll-new-registrants`
//! and `poll-webinar-changes`. The component stays stateless: everything it
//! must remember between calls is in the cursor the caller passes back.
//!
//! Cursors are plain text so a flow's history stays readable:
//! - registrants: [`new_since`]'s, shared with GoToTraining's trigger;
//! - webinars: `w1` then `,<key>:<fingerprint>` per upcoming webinar, the
//!   fingerprint being 8 base64url characters of the SHA-256 of its subject,
//!   description and times.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::participants::list_registrants;
use super::webinar::list_upcoming_webinars;
use crate::core::codec::{base64url, sha256};
use crate::core::errors::invalid;
use crate::core::http::Transport;
use crate::core::new_since::{self, MAX_CURSOR};
use crate::exports::webinars::{
    RegistrantPoll, Webinar, WebinarChangeKind, WebinarPoll, WebinarUpdate,
};
use crate::{Connection, Error};

pub fn poll_new_registrants(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    cursor: Option<&str>,
) -> Result<RegistrantPoll, Error> {
    let seen = new_since::parse("poll-new-registrants", cursor)?;
    let all = list_registrants(t, conn, organizer_key, webinar_key)?;
    let (registrants, cursor) = new_since::pick(seen, all.registrants, |r| {
        (r.registration_date.as_deref(), r.registrant_key)
    });
    Ok(RegistrantPoll {
        registrants,
        skipped: all.skipped,
        cursor,
    })
}

pub fn poll_webinar_changes(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    cursor: Option<&str>,
) -> Result<WebinarPoll, Error> {
    let seen = cursor.map(parse_webinar_cursor).transpose()?;
    let webinars = list_upcoming_webinars(t, conn, organizer_key)?;
    let mut next = String::from("w1");
    let mut updates = Vec::new();
    for w in webinars.webinars {
        let print = fingerprint(&w);
        next.push_str(&format!(",{}:{print}", w.webinar_key));
        let change = match &seen {
            None => None,
            Some(seen) => match seen.iter().find(|(k, _)| *k == w.webinar_key) {
                None => Some(WebinarChangeKind::Added),
                Some((_, old)) if *old != print => Some(WebinarChangeKind::Changed),
                Some(_) => None,
            },
        };
        if let Some(change) = change {
            updates.push(WebinarUpdate { change, webinar: w });
        }
    }
    Ok(WebinarPoll {
        updates,
        skipped: webinars.skipped,
        cursor: next,
    })
}

fn parse_webinar_cursor(raw: &str) -> Result<Vec<(u64, String)>, Error> {
    let bad = || {
        invalid(
            "cursor",
            "is not a cursor returned by poll-webinar-changes (pass it back unchanged, or none to start over)",
        )
    };
    if raw.len() > MAX_CURSOR {
        return Err(bad());
    }
    let mut entries = raw.trim().split(',');
    if entries.next() != Some("w1") {
        return Err(bad());
    }
    entries
        .map(|e| {
            let (key, print) = e.split_once(':')?;
            let ok = print.len() == 8
                && print
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            ok.then_some(())?;
            Some((key.parse::<u64>().ok()?, print.to_string()))
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)
}

/// What counts as a change: subject, description and times.
fn fingerprint(w: &Webinar) -> String {
    let mut text = String::new();
    for part in [&w.subject, &w.description] {
        text.push_str(part.as_deref().unwrap_or(""));
        text.push('\u{0}');
    }
    for t in &w.times {
        text.push_str(&t.start);
        text.push('/');
        text.push_str(&t.end);
        text.push('\u{0}');
    }
    let digest = sha256(text.as_bytes());
    base64url(&digest[..6])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};

    const REGISTRANTS: &str = r#"[
        {"registrantKey":"11","email":"a@x.io","registrationDate":"2026-05-01T10:00:00Z"},
        {"registrantKey":"12","email":"b@x.io","registrationDate":"2026-05-02T10:00:00Z"},
        {"registrantKey":"13","email":"c@x.io","registrationDate":"2026-05-02T10:00:00Z"}]"#;

    #[test]
    fn first_registrant_poll_returns_no_backlog_then_only_new_ones() {
        let mut t = canned(200, REGISTRANTS);
        let first = poll_new_registrants(&mut t, &conn(), 1, 2, None).unwrap();
        assert!(first.registrants.is_empty());
        assert_eq!(first.cursor, "r1:1777716000000:12,13");
        let again = poll_new_registrants(&mut t, &conn(), 1, 2, Some(&first.cursor)).unwrap();
        assert!(again.registrants.is_empty());
        assert_eq!(again.cursor, first.cursor);
        // One registered earlier at the same millisecond, one later.
        let mut t = canned(
            200,
            r#"[{"registrantKey":"12","registrationDate":"2026-05-02T10:00:00Z"},
                {"registrantKey":"14","registrationDate":"2026-05-02T10:00:00Z"},
                {"registrantKey":"15","registrationDate":"2026-05-03T10:00:00.5Z"}]"#,
        );
        let next = poll_new_registrants(&mut t, &conn(), 1, 2, Some(&first.cursor)).unwrap();
        let keys: Vec<u64> = next.registrants.iter().map(|r| r.registrant_key).collect();
        assert_eq!(keys, vec![14, 15]);
        assert_eq!(next.cursor, "r1:1777802400500:15");
    }

    #[test]
    fn a_foreign_cursor_is_refused_before_sending() {
        let mut t = canned(200, "[]");
        for bad in ["", "w1", "r1:x:", "r1:5:a"] {
            assert!(matches!(
                poll_new_registrants(&mut t, &conn(), 1, 2, Some(bad)),
                Err(Error::InvalidInput(m)) if m.starts_with("cursor")
            ));
        }
        assert!(parse_webinar_cursor("w1,5:short").is_err());
        assert!(t.sent.is_empty());
    }

    #[test]
    fn webinar_poll_reports_added_and_changed() {
        let body = r#"[{"webinarKey":"1","subject":"A","times":[{"startTime":"2026-07-01T10:00:00Z","endTime":"2026-07-01T11:00:00Z"}]},
                       {"webinarKey":"2","subject":"B","times":[]}]"#;
        let mut t = canned(200, body);
        let first = poll_webinar_changes(&mut t, &conn(), 9, None).unwrap();
        assert!(first.updates.is_empty());
        let changed = body
            .replace("\"B\"", "\"B2\"")
            .replace("]}]", "]},{\"webinarKey\":\"3\",\"subject\":\"C\"}]");
        let mut t = canned(200, &changed);
        let next = poll_webinar_changes(&mut t, &conn(), 9, Some(&first.cursor)).unwrap();
        let got: Vec<(u64, bool)> = next
            .updates
            .iter()
            .map(|u| {
                (
                    u.webinar.webinar_key,
                    matches!(u.change, WebinarChangeKind::Added),
                )
            })
            .collect();
        assert_eq!(got, vec![(2, false), (3, true)]);
    }
}

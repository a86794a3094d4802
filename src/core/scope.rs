//! GoToMeeting's listings that exist once per scope — the authenticated
//! organizer ("me", no prefix), an organizer (`organizers/{key}`) or a group
//! (`groups/{key}`): historical and upcoming meetings, attendees in a range,
//! and the deprecated `GET .../meetings`. One function per listing; the scope
//! only decides the path prefix (and which key is checked).

use alloc::string::String;
use alloc::vec::Vec;

use crate::core::bases::G2M;
use crate::core::client::Api;
use crate::core::http::Transport;
use crate::core::meeting_records::{read_attendee, read_historical, read_meeting, read_upcoming};
use crate::core::record::{self, Listing, Record};
use crate::core::validate::{check_id, check_range};
use crate::exports::meetings::{
    Attendees, DateRange, HistoricalMeetings, MeetingListing, MeetingsFilter, ScheduledMeetings,
    UpcomingMeetings,
};
use crate::{Connection, Error};

/// Whose meetings a listing covers.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    /// The authenticated organizer: the listing sits at the product root.
    Me,
    /// An organizer, by `organizerKey`.
    Organizer(u64),
    /// A group, by `groupKey`.
    Group(u64),
}

impl Scope {
    /// The path segments before the listing's own, the key checked first
    /// (before any other input and before anything is sent).
    fn prefix(self) -> Result<Vec<String>, Error> {
        Ok(match self {
            Scope::Me => Vec::new(),
            Scope::Organizer(key) => vec!["organizers".into(), check_id("organizerKey", key)?],
            Scope::Group(key) => vec!["groups".into(), check_id("groupKey", key)?],
        })
    }
}

/// `GET {scope}/historicalMeetings?startDate&endDate`.
pub fn historical_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    scope: Scope,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    let ask = Ask::new("historicalMeetings", "meetings").range("range", range);
    list(t, conn, scope, ask, &read_historical).map(|l| HistoricalMeetings {
        meetings: l.items,
        skipped: l.skipped,
    })
}

/// `GET {scope}/upcomingMeetings`.
pub fn upcoming_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    scope: Scope,
) -> Result<UpcomingMeetings, Error> {
    let ask = Ask::new("upcomingMeetings", "meetings");
    list(t, conn, scope, ask, &read_upcoming).map(|l| UpcomingMeetings {
        meetings: l.items,
        skipped: l.skipped,
    })
}

/// `GET {scope}/attendees?startDate&endDate` (organizers and groups).
pub fn attendees(
    t: &mut dyn Transport,
    conn: &Connection,
    scope: Scope,
    range: &DateRange,
) -> Result<Attendees, Error> {
    let ask = Ask::new("attendees", "attendees").range("range", range);
    list(t, conn, scope, ask, &read_attendee).map(|l| Attendees {
        attendees: l.items,
        skipped: l.skipped,
    })
}

/// The deprecated `GET {scope}/meetings`: past meetings in a range
/// (`history=true`), or scheduled ones (`scheduled=true`); each answer is
/// read as its own record kind.
pub fn meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    scope: Scope,
    filter: &MeetingsFilter,
) -> Result<MeetingListing, Error> {
    match filter {
        MeetingsFilter::History(range) => {
            meeting_history(t, conn, scope, "filter.history", range).map(MeetingListing::History)
        }
        MeetingsFilter::Scheduled => {
            let ask = Ask::new("meetings", "meetings").flag("scheduled");
            list(t, conn, scope, ask, &read_meeting).map(|l| {
                MeetingListing::Scheduled(ScheduledMeetings {
                    meetings: l.items,
                    skipped: l.skipped,
                })
            })
        }
    }
}

/// The history half of the deprecated `GET {scope}/meetings`
/// (`history=true&startDate&endDate`); `field` names the range in errors.
pub fn meeting_history(
    t: &mut dyn Transport,
    conn: &Connection,
    scope: Scope,
    field: &str,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    let ask = Ask::new("meetings", "meetings")
        .flag("history")
        .range(field, range);
    list(t, conn, scope, ask, &read_historical).map(|l| HistoricalMeetings {
        meetings: l.items,
        skipped: l.skipped,
    })
}

/// What one listing asks for under its scope.
struct Ask<'a> {
    /// The path segment after the scope's prefix.
    leaf: &'a str,
    /// The key GoTo may wrap the records in (a bare array is read too).
    wrapper: &'a str,
    /// A `name=true` switch, sent first.
    flag: Option<&'a str>,
    /// A date range (`startDate`, `endDate`) and its field name for errors.
    range: Option<(&'a str, &'a DateRange)>,
}

impl<'a> Ask<'a> {
    fn new(leaf: &'a str, wrapper: &'a str) -> Self {
        Ask {
            leaf,
            wrapper,
            flag: None,
            range: None,
        }
    }

    fn flag(self, flag: &'a str) -> Self {
        Ask {
            flag: Some(flag),
            ..self
        }
    }

    fn range(self, field: &'a str, range: &'a DateRange) -> Self {
        Ask {
            range: Some((field, range)),
            ..self
        }
    }
}

/// The one listing call: checks the scope's key, then the range, then sends
/// `GET G2M/rest/{scope}/{leaf}?{flag}=true&startDate&endDate` and reads
/// each record with `read`.
fn list<T>(
    t: &mut dyn Transport,
    conn: &Connection,
    scope: Scope,
    ask: Ask<'_>,
    read: &dyn Fn(&Record) -> record::Result<T>,
) -> Result<Listing<T>, Error> {
    let prefix = scope.prefix()?;
    let range = match ask.range {
        Some((field, range)) => Some(check_range(field, range)?),
        None => None,
    };
    let mut query: Vec<(&str, &str)> = Vec::new();
    if let Some(flag) = ask.flag {
        query.push((flag, "true"));
    }
    if let Some((start, end)) = &range {
        query.push(("startDate", start));
        query.push(("endDate", end));
    }
    let mut api = Api::new(t, conn, G2M)?;
    let mut path: Vec<&str> = prefix.iter().map(String::as_str).collect();
    path.push(ask.leaf);
    let url = api.url(&path, &query);
    api.list(url, &[ask.wrapper], read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};

    fn range() -> DateRange {
        DateRange {
            start: "2026-06-01T00:00:00Z".into(),
            end: "2026-07-01T00:00:00Z".into(),
        }
    }

    const Q: &str = "startDate=2026-06-01T00%3A00%3A00Z&endDate=2026-07-01T00%3A00%3A00Z";

    #[test]
    fn each_scope_prefixes_the_same_listing() {
        for (scope, prefix) in [
            (Scope::Me, ""),
            (Scope::Organizer(9), "organizers/9/"),
            (Scope::Group(3), "groups/3/"),
        ] {
            let mut t = canned(200, "[]");
            historical_meetings(&mut t, &conn(), scope, &range()).unwrap();
            upcoming_meetings(&mut t, &conn(), scope).unwrap();
            attendees(&mut t, &conn(), scope, &range()).unwrap();
            meetings(&mut t, &conn(), scope, &MeetingsFilter::Scheduled).unwrap();
            let base = "https://api.getgo.com/G2M/rest/";
            let urls: Vec<&str> = t.sent.iter().map(|r| r.url.as_str()).collect();
            assert_eq!(
                urls,
                [
                    format!("{base}{prefix}historicalMeetings?{Q}"),
                    format!("{base}{prefix}upcomingMeetings"),
                    format!("{base}{prefix}attendees?{Q}"),
                    format!("{base}{prefix}meetings?scheduled=true"),
                ]
            );
        }
    }

    #[test]
    fn the_key_is_checked_before_the_range_and_nothing_is_sent() {
        let bad = DateRange {
            start: "2026-07-02T00:00:00Z".into(),
            end: "2026-07-01T00:00:00Z".into(),
        };
        let mut t = canned(200, "[]");
        for scope in [Scope::Organizer(0), Scope::Group(0)] {
            assert!(matches!(
                historical_meetings(&mut t, &conn(), scope, &bad),
                Err(Error::InvalidInput(m)) if m.starts_with("organizerKey:") || m.starts_with("groupKey:")
            ));
        }
        assert!(matches!(
            meetings(&mut t, &conn(), Scope::Me, &MeetingsFilter::History(bad.clone())),
            Err(Error::InvalidInput(m)) if m.starts_with("filter.history.")
        ));
        assert!(matches!(
            meeting_history(&mut t, &conn(), Scope::Group(3), "range", &bad),
            Err(Error::InvalidInput(m)) if m.starts_with("range.")
        ));
        assert!(t.sent.is_empty());
    }
}

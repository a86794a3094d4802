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
    let prefix = scope.prefix()?;
    let (start, end) = check_range("range", range)?;
    let query = [("startDate", start.as_str()), ("endDate", end.as_str())];
    list(
        t,
        conn,
        &prefix,
        "historicalMeetings",
        &query,
        "meetings",
        &read_historical,
    )
    .map(|l| HistoricalMeetings {
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
    let prefix = scope.prefix()?;
    list(
        t,
        conn,
        &prefix,
        "upcomingMeetings",
        &[],
        "meetings",
        &read_upcoming,
    )
    .map(|l| UpcomingMeetings {
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
    let prefix = scope.prefix()?;
    let (start, end) = check_range("range", range)?;
    let query = [("startDate", start.as_str()), ("endDate", end.as_str())];
    list(
        t,
        conn,
        &prefix,
        "attendees",
        &query,
        "attendees",
        &read_attendee,
    )
    .map(|l| Attendees {
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
            let prefix = scope.prefix()?;
            list(
                t,
                conn,
                &prefix,
                "meetings",
                &[("scheduled", "true")],
                "meetings",
                &read_meeting,
            )
            .map(|l| {
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
    let prefix = scope.prefix()?;
    let (start, end) = check_range(field, range)?;
    let query = [
        ("history", "true"),
        ("startDate", start.as_str()),
        ("endDate", end.as_str()),
    ];
    list(
        t,
        conn,
        &prefix,
        "meetings",
        &query,
        "meetings",
        &read_historical,
    )
    .map(|l| HistoricalMeetings {
        meetings: l.items,
        skipped: l.skipped,
    })
}

/// The one listing call: `GET G2M/rest/{prefix}/{leaf}?{query}`, the records
/// under `wrapper` (or a bare array) read by `read`.
fn list<T>(
    t: &mut dyn Transport,
    conn: &Connection,
    prefix: &[String],
    leaf: &str,
    query: &[(&str, &str)],
    wrapper: &str,
    read: &dyn Fn(&Record) -> record::Result<T>,
) -> Result<Listing<T>, Error> {
    let mut api = Api::new(t, conn, G2M)?;
    let mut path: Vec<&str> = prefix.iter().map(String::as_str).collect();
    path.push(leaf);
    let url = api.url(&path, query);
    api.list(url, &[wrapper], read)
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

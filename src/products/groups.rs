//! GoToMeeting groups (admin): `list-groups`, `list-group-attendees`,
//! `list-group-historical-meetings`, `list-group-upcoming-meetings`,
//! `list-group-meetings` (deprecated), `list-group-organizers`,
//! `create-group-organizer`.

use crate::core::bases::G2M;
use crate::core::client::Api;
use crate::core::http::Transport;
use crate::core::organizer_records::{account_status, create_in, read_organizer};
use crate::core::record::{self, Record};
use crate::core::scope::{self, Scope};
use crate::core::validate::check_id;
use crate::exports::groups::{Group, Groups};
use crate::exports::meetings::{Attendees, DateRange, HistoricalMeetings, UpcomingMeetings};
use crate::exports::organizers::{CreatedOrganizer, NewOrganizer, Organizers};
use crate::{Connection, Error};

pub fn list_groups(t: &mut dyn Transport, conn: &Connection) -> Result<Groups, Error> {
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["groups"], &[]);
    api.list(url, &["groups"], &read_group).map(|l| Groups {
        groups: l.items,
        skipped: l.skipped,
    })
}

pub fn list_group_attendees(
    t: &mut dyn Transport,
    conn: &Connection,
    group_key: u64,
    range: &DateRange,
) -> Result<Attendees, Error> {
    scope::attendees(t, conn, Scope::Group(group_key), range)
}

pub fn list_group_historical_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    group_key: u64,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    scope::historical_meetings(t, conn, Scope::Group(group_key), range)
}

pub fn list_group_upcoming_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    group_key: u64,
) -> Result<UpcomingMeetings, Error> {
    scope::upcoming_meetings(t, conn, Scope::Group(group_key))
}

pub fn list_group_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    group_key: u64,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    scope::meeting_history(t, conn, Scope::Group(group_key), "range", range)
}

pub fn list_group_organizers(
    t: &mut dyn Transport,
    conn: &Connection,
    group_key: u64,
) -> Result<Organizers, Error> {
    let key = check_id("groupKey", group_key)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["groups", &key, "organizers"], &[]);
    api.list(url, &["organizers"], &read_organizer)
        .map(|l| Organizers {
            organizers: l.items,
            skipped: l.skipped,
        })
}

pub fn create_group_organizer(
    t: &mut dyn Transport,
    conn: &Connection,
    group_key: u64,
    organizer: &NewOrganizer,
) -> Result<CreatedOrganizer, Error> {
    let key = check_id("groupKey", group_key)?;
    create_in(t, conn, &["groups", &key], organizer)
}

/// One group; GoTo spells its key `groupkey` (lower-case k).
pub fn read_group(r: &Record) -> record::Result<Group> {
    Ok(Group {
        group_key: r.required_id(&["groupKey"])?,
        group_name: r.text(&["groupName"])?,
        parent_key: r.id(&["parentKey"])?,
        status: r.text(&["status"])?.map(|s| account_status(&s)),
        num_organizers: r.count(&["numOrganizers"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};

    #[test]
    fn groups_read_the_lower_case_key() {
        let mut t = canned(
            200,
            r#"[{"groupkey":300000000000011,"parentKey":300000000000011,"groupName":"Something 1, Inc.","status":"active","numOrganizers":7}]"#,
        );
        let g = list_groups(&mut t, &conn()).unwrap().groups;
        assert_eq!(g[0].group_key, 300000000000011);
        assert_eq!(g[0].num_organizers, Some(7));
        assert!(matches!(
            g[0].status,
            Some(crate::exports::organizers::AccountStatus::Active)
        ));
    }

    #[test]
    fn group_history_drift_is_normalized() {
        let mut t = canned(
            200,
            r#"[{"meetingId":"569897550","meetingInstanceKey":"9007199254740993","organizerkey":8439885694023999999,
                "groupName":"Sales","startTime":"06/14/2012 11:14:43","endTime":"2012-06-14T12:14:43.+0000",
                "duration":"60","numAttendees":3,"meetingType":"Scheduled","subject":""}]"#,
        );
        let range = DateRange {
            start: "2012-06-01T00:00:00Z".into(),
            end: "2012-07-01T00:00:00Z".into(),
        };
        let m = list_group_meetings(&mut t, &conn(), 3, &range)
            .unwrap()
            .meetings;
        assert_eq!(m[0].meeting_id, 569897550);
        assert_eq!(m[0].meeting_instance_key, Some(9007199254740993));
        assert_eq!(m[0].organizer_key, Some(8439885694023999999));
        assert_eq!(m[0].start_time.as_deref(), Some("2012-06-14T11:14:43Z"));
        assert_eq!(m[0].duration_minutes, Some(60));
        assert_eq!(m[0].subject, None);
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/groups/3/meetings?history=true&startDate=2012-06-01T00%3A00%3A00Z&endDate=2012-07-01T00%3A00%3A00Z"
        );
    }

    #[test]
    fn attendees_take_a_range_like_the_organizers() {
        let mut t = canned(200, "[]");
        let range = DateRange {
            start: "2026-06-01T00:00:00Z".into(),
            end: "2026-07-01T00:00:00Z".into(),
        };
        assert!(
            list_group_attendees(&mut t, &conn(), 3, &range)
                .unwrap()
                .attendees
                .is_empty()
        );
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/groups/3/attendees?startDate=2026-06-01T00%3A00%3A00Z&endDate=2026-07-01T00%3A00%3A00Z"
        );
    }
}

//! GoToMeeting meetings: `create-meeting`, `get-meeting`, `update-meeting`,
//! `delete-meeting`, `start-meeting`, `get-meeting-attendees`, and the
//! authenticated organizer's listings `list-upcoming-meetings`,
//! `list-historical-meetings`, `list-meetings` (deprecated). The meeting and
//! attendee readers it shares with the organizer and group listings live in
//! `core::meeting_records`; the id and range checks in `core::validate`.

use alloc::string::{String, ToString};

use serde_json::Value;

use crate::core::bases::G2M;
use crate::core::client::{Api, object};
use crate::core::errors::invalid;
use crate::core::http::{Method, Transport};
use crate::core::meeting_records::{read_attendee, read_meeting};
use crate::core::record::{self, Record};
use crate::core::scope::{self, Scope};
use crate::core::time;
use crate::core::validate::{check_id, input_time};
use crate::exports::meetings::{
    Attendees, ConferenceCallInfo, CreatedMeeting, DateRange, HistoricalMeetings, Meeting,
    MeetingDetails, MeetingListing, MeetingType, MeetingsFilter, UpcomingMeetings,
};
use crate::{Connection, Error};

pub fn create_meeting(
    t: &mut dyn Transport,
    conn: &Connection,
    meeting: &MeetingDetails,
) -> Result<CreatedMeeting, Error> {
    let body = meeting_body(meeting)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["meetings"], &[]);
    api.one(
        Method::Post,
        url,
        Some(&body),
        "created meeting",
        &read_created,
    )
}

pub fn get_meeting(
    t: &mut dyn Transport,
    conn: &Connection,
    meeting_id: u64,
) -> Result<Meeting, Error> {
    let id = check_id("meetingId", meeting_id)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["meetings", &id], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "meeting with that id",
        &read_meeting,
    )
}

pub fn update_meeting(
    t: &mut dyn Transport,
    conn: &Connection,
    meeting_id: u64,
    meeting: &MeetingDetails,
) -> Result<(), Error> {
    let id = check_id("meetingId", meeting_id)?;
    let body = meeting_body(meeting)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["meetings", &id], &[]);
    api.send(Method::Put, url, Some(&body)).map(drop)
}

pub fn delete_meeting(
    t: &mut dyn Transport,
    conn: &Connection,
    meeting_id: u64,
) -> Result<(), Error> {
    let id = check_id("meetingId", meeting_id)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["meetings", &id], &[]);
    api.send(Method::Delete, url, None).map(drop)
}

pub fn start_meeting(
    t: &mut dyn Transport,
    conn: &Connection,
    meeting_id: u64,
) -> Result<String, Error> {
    let id = check_id("meetingId", meeting_id)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["meetings", &id, "start"], &[]);
    api.one(Method::Get, url, None, "start URL", &|r| {
        r.required_link(&["hostURL"])
    })
}

pub fn get_meeting_attendees(
    t: &mut dyn Transport,
    conn: &Connection,
    meeting_id: u64,
) -> Result<Attendees, Error> {
    let id = check_id("meetingId", meeting_id)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["meetings", &id, "attendees"], &[]);
    api.list(url, &["attendees"], &read_attendee)
        .map(|l| Attendees {
            attendees: l.items,
            skipped: l.skipped,
        })
}

pub fn list_upcoming_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
) -> Result<UpcomingMeetings, Error> {
    scope::upcoming_meetings(t, conn, Scope::Me)
}

pub fn list_historical_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    scope::historical_meetings(t, conn, Scope::Me, range)
}

pub fn list_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    filter: &MeetingsFilter,
) -> Result<MeetingListing, Error> {
    scope::meetings(t, conn, Scope::Me, filter)
}

/// The body of `POST`/`PUT /meetings`: GoTo wants all-lowercase field names
/// and a deprecated `timezonekey` that must be an empty string.
fn meeting_body(m: &MeetingDetails) -> Result<Value, Error> {
    let subject_len = m.subject.chars().count();
    if m.subject.trim().is_empty() || subject_len > 100 {
        return Err(invalid(
            "meeting.subject",
            format!("must be 1 to 100 characters (got {subject_len})"),
        ));
    }
    let start = input_time("meeting.startTime", &m.start_time)?;
    let end = input_time("meeting.endTime", &m.end_time)?;
    if end <= start {
        return Err(invalid(
            "meeting.endTime",
            "must be after meeting.startTime",
        ));
    }
    let call_info = match &m.conference_call_info {
        ConferenceCallInfo::Pstn => "PSTN",
        ConferenceCallInfo::Free => "Free",
        ConferenceCallInfo::Hybrid => "Hybrid",
        ConferenceCallInfo::Private => "Private",
        ConferenceCallInfo::Voip => "VoIP",
        ConferenceCallInfo::Custom(text) => {
            let n = text.chars().count();
            if text.trim().is_empty() || n > 255 {
                return Err(invalid(
                    "meeting.conferenceCallInfo.custom",
                    format!("must be 1 to 255 characters (got {n})"),
                ));
            }
            text.as_str()
        }
    };
    let meeting_type = match &m.meeting_type {
        MeetingType::Immediate => "immediate",
        MeetingType::Scheduled => "scheduled",
        MeetingType::Recurring => "recurring",
        MeetingType::Other(t) if t.trim().is_empty() => {
            return Err(invalid("meeting.meetingType.other", "must not be empty"));
        }
        MeetingType::Other(t) => t.as_str(),
    };
    let mut body = object(vec![
        // GoTo documents that `<` and `>` must be sent as entities.
        (
            "subject",
            m.subject.replace('<', "&lt;").replace('>', "&gt;").into(),
        ),
        ("starttime", time::format(start).into()),
        ("endtime", time::format(end).into()),
        ("passwordrequired", m.password_required.into()),
        ("conferencecallinfo", call_info.into()),
        ("timezonekey", "".into()),
        ("meetingtype", meeting_type.into()),
    ]);
    if let Some(keys) = m.coorganizer_keys.as_ref().filter(|k| !k.is_empty()) {
        if keys.contains(&0) {
            return Err(invalid(
                "meeting.coorganizerKeys",
                "must hold positive organizer keys",
            ));
        }
        body.insert(
            "coorganizerKeys".into(),
            keys.iter().map(|k| Value::String(k.to_string())).collect(),
        );
    }
    Ok(Value::Object(body))
}

fn read_created(r: &Record) -> record::Result<CreatedMeeting> {
    Ok(CreatedMeeting {
        meeting_id: r.required_id(&["meetingId"])?,
        join_url: r.required_text(&["joinURL"])?,
        unique_meeting_id: r.id(&["uniqueMeetingId"])?,
        max_participants: r.count(&["maxParticipants"])?,
        conference_call_info: r.text(&["conferenceCallInfo"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};
    use crate::exports::meetings::MeetingStatus;
    use serde_json::json;

    fn details() -> MeetingDetails {
        MeetingDetails {
            subject: "Q3 <review>".into(),
            start_time: "2026-07-01T22:00:00+02:00".into(),
            end_time: "2026-07-01T23:00:00+02:00".into(),
            password_required: false,
            conference_call_info: ConferenceCallInfo::Hybrid,
            meeting_type: MeetingType::Scheduled,
            coorganizer_keys: Some(vec![8439885694023999999]),
        }
    }

    #[test]
    fn create_sends_goto_lowercase_body_and_reads_the_array_of_one() {
        let mut t = canned(
            201,
            r#"[{"joinURL":"https://www3.gotomeeting.com/join/569897550","maxParticipants":51,
                "uniqueMeetingId":200000000016584808,"conferenceCallInfo":"Access Code: 569-897-550","meetingid":569897550}]"#,
        );
        let created = create_meeting(&mut t, &conn(), &details()).unwrap();
        assert_eq!(created.meeting_id, 569897550);
        assert_eq!(created.unique_meeting_id, Some(200000000016584808));
        let req = &t.sent[0];
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.url.as_str(), "https://api.getgo.com/G2M/rest/meetings");
        let body: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"subject":"Q3 &lt;review&gt;","starttime":"2026-07-01T20:00:00Z","endtime":"2026-07-01T21:00:00Z",
                   "passwordrequired":false,"conferencecallinfo":"Hybrid","timezonekey":"","meetingtype":"scheduled",
                   "coorganizerKeys":["8439885694023999999"]})
        );
        assert!(
            req.headers
                .contains(&("authorization", "Bearer test-token".into()))
        );
    }

    /// Breaks one field of valid details.
    type Spoil = fn(&mut MeetingDetails);

    #[test]
    fn bad_input_is_refused_before_sending() {
        let cases: [(Spoil, &str); 6] = [
            (|m| m.subject = String::new(), "meeting.subject"),
            (|m| m.subject = "x".repeat(101), "meeting.subject"),
            (|m| m.start_time = "tomorrow".into(), "meeting.startTime"),
            (
                |m| m.end_time = "2026-07-01T19:00:00Z".into(),
                "meeting.endTime",
            ),
            (
                |m| m.conference_call_info = ConferenceCallInfo::Custom("y".repeat(256)),
                "conferenceCallInfo",
            ),
            (|m| m.coorganizer_keys = Some(vec![0]), "coorganizerKeys"),
        ];
        for (mutate, field) in cases {
            let mut m = details();
            mutate(&mut m);
            let mut t = canned(201, "[]");
            match create_meeting(&mut t, &conn(), &m) {
                Err(Error::InvalidInput(msg)) => {
                    assert!(msg.contains(field), "{msg} should name {field}")
                }
                other => panic!("expected invalid-input for {field}, got {other:?}"),
            }
            assert!(t.sent.is_empty(), "nothing may be sent for bad {field}");
        }
        let mut t = canned(200, "[]");
        assert!(matches!(
            get_meeting(&mut t, &conn(), 0),
            Err(Error::InvalidInput(_))
        ));
        let bad_conn = Connection {
            access_token: "".into(),
            api_base: None,
            seeit_base: None,
            settings: None,
        };
        assert!(matches!(
            get_meeting(&mut t, &bad_conn, 1),
            Err(Error::InvalidInput(_))
        ));
        let bad_base = Connection {
            access_token: "t0ken".into(),
            api_base: Some("ftp://x".into()),
            seeit_base: None,
            settings: None,
        };
        assert!(matches!(
            get_meeting(&mut t, &bad_base, 1),
            Err(Error::InvalidInput(_))
        ));
        assert!(t.sent.is_empty());
    }

    #[test]
    fn legacy_meeting_shape_is_normalized() {
        let mut t = canned(
            200,
            r#"[{"createTime":"","status":"INACTIVE","subject":"test","startTime":"2012-12-01T09:00:00.+0000",
                "endTime":"2012-12-01T10:00:00.+0000","passwordRequired":"false","meetingType":"Scheduled",
                "maxParticipants":26,"uniqueMeetingId":1230000000456789,"meetingId":123456789}]"#,
        );
        let m = get_meeting(&mut t, &conn(), 123456789).unwrap();
        assert_eq!(m.start_time.as_deref(), Some("2012-12-01T09:00:00Z"));
        assert_eq!(m.create_time, None);
        assert_eq!(m.password_required, Some(false));
        assert!(matches!(m.meeting_type, Some(MeetingType::Scheduled)));
        assert!(matches!(m.status, Some(MeetingStatus::Inactive)));
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/meetings/123456789"
        );
    }

    #[test]
    fn ranges_are_checked_and_sent_in_utc() {
        let range = |start: &str, end: &str| DateRange {
            start: start.into(),
            end: end.into(),
        };
        let mut t = canned(200, "[]");
        let ok = range("2026-06-01T02:00:00+02:00", "2026-07-01T00:00:00Z");
        assert!(
            list_historical_meetings(&mut t, &conn(), &ok)
                .unwrap()
                .meetings
                .is_empty()
        );
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/historicalMeetings?startDate=2026-06-01T00%3A00%3A00Z&endDate=2026-07-01T00%3A00%3A00Z"
        );
        let mut t = canned(200, "[]");
        for (r, msg) in [
            (
                range("2026-07-01T00:00:00Z", "2026-07-01T00:00:00Z"),
                "range.end: must be after range.start",
            ),
            (range("", "2026-07-01T00:00:00Z"), "range.start: must be"),
            (
                range("2026-07-01T00:00:00Z", "2026-07-02"),
                "range.end: must be",
            ),
        ] {
            match list_historical_meetings(&mut t, &conn(), &r) {
                Err(Error::InvalidInput(m)) => assert!(m.starts_with(msg), "{m}"),
                other => panic!("expected invalid-input, got {other:?}"),
            }
        }
        match list_meetings(&mut t, &conn(), &MeetingsFilter::History(range("x", "y"))) {
            Err(Error::InvalidInput(m)) => assert!(m.starts_with("filter.history.start:"), "{m}"),
            other => panic!("expected invalid-input, got {other:?}"),
        }
        assert!(t.sent.is_empty());
    }

    #[test]
    fn upcoming_meetings_come_bare_or_wrapped_with_epoch_times() {
        let mut t = canned(
            200,
            r#"{"meetings":[{"meetingId":123456789,"organizerKey":8439885694023999999,"startTime":1782943200000,
                "endTime":1782946800000,"passwordRequired":false,"recurring":false}]}"#,
        );
        let m = list_upcoming_meetings(&mut t, &conn()).unwrap().meetings;
        assert_eq!(m[0].start_time.as_deref(), Some("2026-07-01T22:00:00Z"));
        assert_eq!(m[0].organizer_key, Some(8439885694023999999));
        assert!(m[0].meeting_type.is_none());
        let mut t = canned(
            200,
            r#"[{"meetingId":"5","status":"ACTIVE","meetingType":"Recurring","passwordRequired":"true"}]"#,
        );
        let m = list_upcoming_meetings(&mut t, &conn()).unwrap().meetings;
        assert!(matches!(m[0].status, Some(MeetingStatus::Active)));
        assert!(matches!(m[0].meeting_type, Some(MeetingType::Recurring)));
        assert_eq!(m[0].password_required, Some(true));
    }

    #[test]
    fn api_base_override_keeps_its_path() {
        let mut t = canned(200, r#"{"hostURL":"https://example/start"}"#);
        let c = Connection {
            access_token: "tok1".into(),
            api_base: Some("http://127.0.0.1:8080/proxy/".into()),
            seeit_base: None,
            settings: None,
        };
        assert_eq!(
            start_meeting(&mut t, &c, 5).unwrap(),
            "https://example/start"
        );
        assert_eq!(
            t.sent[0].url.as_str(),
            "http://127.0.0.1:8080/proxy/G2M/rest/meetings/5/start"
        );
    }
}

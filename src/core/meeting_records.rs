//! GoToMeeting's meeting and attendee records, shared by the meetings,
//! organizers and groups products: one reader per record kind (each accepts
//! every shape GoTo answers with, from any listing). The listings themselves
//! are in `core::scope`.

use alloc::string::ToString;

use crate::core::record::{self, Record};
use crate::exports::meetings::{
    Attendee, HistoricalMeeting, Meeting, MeetingStatus, MeetingType, Recording, UpcomingMeeting,
};

/// One scheduled meeting, from any of GoTo's meeting shapes.
pub fn read_meeting(r: &Record) -> record::Result<Meeting> {
    Ok(Meeting {
        meeting_id: r.required_id(&["meetingId"])?,
        meeting_key: r.id(&["meetingKey"])?,
        unique_meeting_id: r.id(&["uniqueMeetingId"])?,
        subject: r.text(&["subject"])?,
        start_time: r.time(&["startTime"])?,
        end_time: r.time(&["endTime"])?,
        create_time: r.time(&["createTime"])?,
        duration_minutes: r.count(&["duration"])?,
        max_participants: r.count(&["maxParticipants"])?,
        password_required: r.flag(&["passwordRequired"])?,
        status: r.text(&["status"])?.map(|s| meeting_status(&s)),
        meeting_type: r.text(&["meetingType"])?.map(|s| meeting_type(&s)),
        conference_call_info: r.text(&["conferenceCallInfo"])?,
        coorganizer_keys: r.ids(&["coorganizerKeys"])?,
    })
}

/// One attendee row (by meeting, by organizer or by group).
pub fn read_attendee(r: &Record) -> record::Result<Attendee> {
    Ok(Attendee {
        attendee_name: r.text(&["attendeeName", "name"])?,
        attendee_email: r.text(&["attendeeEmail"])?,
        join_time: r.time(&["joinTime"])?,
        leave_time: r.time(&["leaveTime"])?,
        duration_minutes: r.count(&["duration"])?,
        meeting_id: r.id(&["meetingId"])?,
        meeting_instance_key: r.id(&["meetingInstanceKey"])?,
        subject: r.text(&["subject"])?,
        meeting_start_time: r.time(&["startTime"])?,
        meeting_end_time: r.time(&["endTime"])?,
        organizer_key: r.id(&["organizerKey"])?,
        organizer_email: r.text(&["email"])?,
        organizer_first_name: r.text(&["firstName"])?,
        organizer_last_name: r.text(&["lastName"])?,
        group_name: r.text(&["groupName"])?.filter(|g| g != "NA"),
    })
}

/// One held meeting, from any historical listing (current, deprecated, by
/// organizer, by group, or the `{"meetings": [...]}` shape with epoch times).
pub fn read_historical(r: &Record) -> record::Result<HistoricalMeeting> {
    Ok(HistoricalMeeting {
        meeting_id: r.required_id(&["meetingId"])?,
        meeting_key: r.id(&["meetingKey"])?,
        unique_meeting_id: r.id(&["uniqueMeetingId"])?,
        meeting_instance_key: r.id(&["meetingInstanceKey"])?,
        session_id: r.id(&["sessionId"])?,
        account_key: r.id(&["accountKey"])?,
        organizer_key: r.id(&["organizerKey"])?,
        organizer_email: r.text(&["email"])?,
        organizer_first_name: r.text(&["firstName"])?,
        organizer_last_name: r.text(&["lastName"])?,
        group_name: r.text(&["groupName"])?.filter(|g| g != "NA"),
        locale: r.text(&["locale"])?,
        subject: r.text(&["subject"])?,
        start_time: r.time(&["startTime"])?,
        end_time: r.time(&["endTime"])?,
        duration_minutes: r.count(&["duration"])?,
        num_attendees: r.count(&["numAttendees"])?,
        conference_call_info: r.text(&["conferenceCallInfo"])?,
        meeting_type: read_meeting_type(r)?,
        recording: r.object(&["recording"])?.map(read_recording).transpose()?,
    })
}

/// One scheduled meeting, from any upcoming listing.
pub fn read_upcoming(r: &Record) -> record::Result<UpcomingMeeting> {
    Ok(UpcomingMeeting {
        meeting_id: r.required_id(&["meetingId"])?,
        unique_meeting_id: r.id(&["uniqueMeetingId"])?,
        account_key: r.id(&["accountKey"])?,
        organizer_key: r.id(&["organizerKey"])?,
        organizer_email: r.text(&["email"])?,
        organizer_first_name: r.text(&["firstName"])?,
        organizer_last_name: r.text(&["lastName"])?,
        group_name: r.text(&["groupName"])?.filter(|g| g != "NA"),
        locale: r.text(&["locale"])?,
        subject: r.text(&["subject"])?,
        start_time: r.time(&["startTime"])?,
        end_time: r.time(&["endTime"])?,
        password_required: r.flag(&["passwordRequired"])?,
        status: r.text(&["status"])?.map(|s| meeting_status(&s)),
        meeting_type: read_meeting_type(r)?,
        conference_call_info: r.text(&["conferenceCallInfo"])?,
    })
}

/// `meetingType`, or, in the epoch-time shape that has none, `recurring: true`.
fn read_meeting_type(r: &Record) -> record::Result<Option<MeetingType>> {
    Ok(match r.text(&["meetingType"])? {
        Some(t) => Some(meeting_type(&t)),
        None => r
            .flag(&["recurring"])?
            .filter(|recurring| *recurring)
            .map(|_| MeetingType::Recurring),
    })
}

fn read_recording(r: &Record) -> record::Result<Recording> {
    Ok(Recording {
        recording_id: r.text(&["recordingId"])?,
        recording_name: r.text(&["recordingName"])?,
        download_url: r.text(&["downloadUrl"])?,
        file_size: r.id(&["fileSize"])?,
        share_url: r.text(&["shareUrl"])?,
    })
}

/// GoTo spells meeting types in lower or title case; unknown ones are kept.
pub fn meeting_type(raw: &str) -> MeetingType {
    match raw.trim().to_ascii_lowercase().as_str() {
        "immediate" => MeetingType::Immediate,
        "scheduled" => MeetingType::Scheduled,
        "recurring" => MeetingType::Recurring,
        _ => MeetingType::Other(raw.to_string()),
    }
}

pub fn meeting_status(raw: &str) -> MeetingStatus {
    match raw.trim().to_ascii_lowercase().as_str() {
        "active" => MeetingStatus::Active,
        "inactive" => MeetingStatus::Inactive,
        _ => MeetingStatus::Other(raw.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::bases::G2M;
    use crate::core::client::Api;
    use crate::core::testing::{canned, conn};

    const BODY: &str = r#"[{"meetingId":"7","uniqueMeetingId":8,"accountKey":9,"organizerkey":10,
        "email":"o@example.com","firstName":"O","lastName":"Z","groupName":"NA","locale":"en_US",
        "subject":"S","startTime":"2026-07-01T10:00:00Z","endTime":1782900000000,
        "conferenceCallInfo":"VoIP","recurring":true,"meetingKey":11,"duration":"60",
        "passwordRequired":false,"status":"ACTIVE"},
       {"meetingId":"x"}, {"subject":"no id"}]"#;

    #[test]
    fn held_and_scheduled_meetings_read_their_shared_fields_alike() {
        let mut t = canned(200, BODY);
        let conn = conn();
        let mut api = Api::new(&mut t, &conn, G2M).unwrap();
        let url = api.url(&["m"], &[]);
        let h = api
            .list(url.clone(), &["meetings"], &read_historical)
            .unwrap();
        let u = api.list(url, &["meetings"], &read_upcoming).unwrap();
        let (h0, u0) = (&h.items[0], &u.items[0]);
        assert_eq!(
            (
                h0.meeting_id,
                h0.unique_meeting_id,
                h0.account_key,
                h0.organizer_key
            ),
            (7, Some(8), Some(9), Some(10))
        );
        assert_eq!(
            (
                u0.meeting_id,
                u0.unique_meeting_id,
                u0.account_key,
                u0.organizer_key
            ),
            (7, Some(8), Some(9), Some(10))
        );
        for (email, first, last, group, locale, subject, start, end, call) in [
            (
                &h0.organizer_email,
                &h0.organizer_first_name,
                &h0.organizer_last_name,
                &h0.group_name,
                &h0.locale,
                &h0.subject,
                &h0.start_time,
                &h0.end_time,
                &h0.conference_call_info,
            ),
            (
                &u0.organizer_email,
                &u0.organizer_first_name,
                &u0.organizer_last_name,
                &u0.group_name,
                &u0.locale,
                &u0.subject,
                &u0.start_time,
                &u0.end_time,
                &u0.conference_call_info,
            ),
        ] {
            assert_eq!(email.as_deref(), Some("o@example.com"));
            assert_eq!((first.as_deref(), last.as_deref()), (Some("O"), Some("Z")));
            assert_eq!(group, &None, "NA is no group");
            assert_eq!(locale.as_deref(), Some("en_US"));
            assert_eq!(subject.as_deref(), Some("S"));
            assert_eq!(start.as_deref(), Some("2026-07-01T10:00:00Z"));
            assert_eq!(end.as_deref(), Some("2026-07-01T10:00:00Z"));
            assert_eq!(call.as_deref(), Some("VoIP"));
        }
        assert!(matches!(h0.meeting_type, Some(MeetingType::Recurring)));
        assert!(matches!(u0.meeting_type, Some(MeetingType::Recurring)));
        // Each kind's own fields.
        assert_eq!(
            (h0.meeting_key, h0.duration_minutes, h0.num_attendees),
            (Some(11), Some(60), None)
        );
        assert_eq!(u0.password_required, Some(false));
        assert!(matches!(u0.status, Some(MeetingStatus::Active)));
        // A bad or missing meetingId skips the record in both, at the same place.
        let positions =
            |s: &[crate::SkippedRecord]| s.iter().map(|s| s.position).collect::<Vec<_>>();
        assert_eq!(positions(&h.skipped), [1, 2]);
        assert_eq!(positions(&u.skipped), [1, 2]);
        assert_eq!(h.skipped[0].reason, u.skipped[0].reason);
        assert_eq!(h.skipped[1].reason, u.skipped[1].reason);
    }
}

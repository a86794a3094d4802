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

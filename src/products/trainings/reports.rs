//! GoToTraining reports and online recordings:
//! `list-organizer-training-sessions`, `list-training-sessions`,
//! `list-training-attendance`, `list-training-recordings` and
//! `get-training-recording-download`.

use serde_json::Value;

use super::training::read_organizer;
use crate::core::bases::G2T;
use crate::core::client::{Api, object};
use crate::core::http::Transport;
use crate::core::record::{self, Record, ShapeError};
use crate::core::validate::{check_id, check_range};
use crate::exports::meetings::DateRange;
use crate::exports::training_reports::{
    AttendancePeriod, TrainingAttendee, TrainingAttendees, TrainingRecording, TrainingRecordings,
    TrainingSession, TrainingSessions,
};
use crate::{Connection, Error};

pub fn list_organizer_training_sessions(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
) -> Result<TrainingSessions, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let (start, end) = check_range("range", range)?;
    let body = Value::Object(object(vec![
        ("startDate", start.into()),
        ("endDate", end.into()),
    ]));
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["reports", "organizers", &org, "sessions"], &[]);
    api.list_posted(url, &body, &["sessions"], &read_session)
        .map(|l| TrainingSessions {
            sessions: l.items,
            skipped: l.skipped,
        })
}

pub fn list_training_sessions(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<TrainingSessions, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let key = check_id("trainingKey", training_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["reports", "organizers", &org, "trainings", &key], &[]);
    api.list(url, &["sessions"], &read_session)
        .map(|l| TrainingSessions {
            sessions: l.items,
            skipped: l.skipped,
        })
}

pub fn list_training_attendance(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    session_key: u64,
) -> Result<TrainingAttendees, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let session = check_id("sessionKey", session_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(
        &[
            "reports",
            "organizers",
            &org,
            "sessions",
            &session,
            "attendees",
        ],
        &[],
    );
    api.list(url, &["attendees"], &read_attendee)
        .map(|l| TrainingAttendees {
            attendees: l.items,
            skipped: l.skipped,
        })
}

pub fn list_training_recordings(
    t: &mut dyn Transport,
    conn: &Connection,
    training_key: u64,
) -> Result<TrainingRecordings, Error> {
    let key = check_id("trainingKey", training_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["trainings", &key, "recordings"], &[]);
    api.list(url, &["recordingList"], &read_recording)
        .map(|l| TrainingRecordings {
            recordings: l.items,
            skipped: l.skipped,
        })
}

pub fn get_training_recording_download(
    t: &mut dyn Transport,
    conn: &Connection,
    training_key: u64,
    recording_id: u64,
) -> Result<alloc::string::String, Error> {
    let key = check_id("trainingKey", training_key)?;
    let id = check_id("recordingId", recording_id)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["trainings", &key, "recordings", &id], &[]);
    api.redirect_target(url)
}

/// One G2T `Session` (a completed training session).
fn read_session(r: &Record) -> record::Result<TrainingSession> {
    Ok(TrainingSession {
        session_key: r.required_id(&["sessionKey"])?,
        training_name: r.text(&["trainingName"])?,
        start: r.time(&["sessionStartTime"])?,
        end: r.time(&["sessionEndTime"])?,
        attendance_count: r.count(&["attendanceCount"])?,
        duration_minutes: r.count(&["duration"])?,
        organizers: r.list(&["organizers"], read_organizer)?,
    })
}

/// One G2T `Attendee` of a completed session.
fn read_attendee(r: &Record) -> record::Result<TrainingAttendee> {
    Ok(TrainingAttendee {
        email: r.text(&["email"])?.map(|e| e.trim().into()),
        given_name: r.text(&["givenName", "firstName"])?,
        surname: r.text(&["surname", "lastName"])?,
        minutes_in_session: r.count(&["timeInSession"])?,
        periods: r.list(&["inSessionTimes"], read_period)?,
    })
}

/// One G2T `Attendance`: a stretch needs both ends to mean anything.
fn read_period(r: &Record) -> record::Result<AttendancePeriod> {
    let (Some(joined), Some(left)) = (r.time(&["joinTime"])?, r.time(&["leaveTime"])?) else {
        return Err(ShapeError(
            "an attendance period needs `joinTime` and `leaveTime`".into(),
        ));
    };
    Ok(AttendancePeriod {
        joined,
        left,
        minutes: r.count(&["timeInPartOfSession"])?,
    })
}

/// One G2T `Recording`.
fn read_recording(r: &Record) -> record::Result<TrainingRecording> {
    Ok(TrainingRecording {
        recording_id: r.required_id(&["recordingId"])?,
        name: r.text(&["name"])?,
        description: r.text(&["description"])?,
        start: r.time(&["startDate"])?,
        end: r.time(&["endDate"])?,
        download_url: r.text(&["downloadUrl"])?,
        registration_url: r.text(&["registrationUrl"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Method;
    use crate::core::testing::{canned, conn};

    #[test]
    fn the_date_range_report_is_a_post_with_the_range_in_utc() {
        let mut t = canned(
            200,
            r#"[{"sessionKey":"9223372036854775807","trainingName":"Intro","sessionStartTime":"2026-03-26T15:00:00Z",
                 "sessionEndTime":"2026-03-26T17:00:00.000+0000","attendanceCount":3,"duration":120,
                 "organizers":[{"organizerKey":"8439885694023994630","email":"c.waters@test.com"}]},
                {"trainingName":"no key"}]"#,
        );
        let range = DateRange {
            start: "2026-03-01T00:00:00+01:00".into(),
            end: "2026-04-01T00:00:00Z".into(),
        };
        let got = list_organizer_training_sessions(&mut t, &conn(), 7, &range).unwrap();
        assert_eq!(got.sessions[0].session_key, 9223372036854775807);
        assert_eq!(got.sessions[0].end.as_deref(), Some("2026-03-26T17:00:00Z"));
        assert_eq!(
            got.sessions[0].organizers[0].organizer_key,
            8439885694023994630
        );
        assert_eq!(got.skipped.len(), 1);
        let req = &t.sent[0];
        assert_eq!(req.method, Method::Post);
        let body: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"startDate":"2026-02-28T23:00:00Z","endDate":"2026-04-01T00:00:00Z"})
        );
    }

    #[test]
    fn an_attendee_with_half_a_period_is_skipped_not_invented() {
        let mut t = canned(
            200,
            r#"[{"email":"a@x.io","timeInSession":60,"inSessionTimes":[{"joinTime":"2026-03-26T15:00:00Z","leaveTime":"2026-03-26T16:00:00Z","timeInPartOfSession":60}]},
                {"email":"b@x.io","timeInSession":5,"inSessionTimes":[{"joinTime":"2026-03-26T15:00:00Z"}]},
                {"email":"c@x.io","timeInSession":0,"inSessionTimes":[]}]"#,
        );
        let got = list_training_attendance(&mut t, &conn(), 7, 11).unwrap();
        assert_eq!(got.attendees.len(), 2);
        assert_eq!(got.attendees[0].periods[0].minutes, Some(60));
        assert_eq!(got.skipped[0].position, 1);
    }

    #[test]
    fn the_download_is_the_redirect_target_never_the_file() {
        let mut t = canned(302, "").with_header("Location", "https://cdn.example/rec/1.mp4?sig=x");
        let link = get_training_recording_download(&mut t, &conn(), 9, 1).unwrap();
        assert_eq!(link, "https://cdn.example/rec/1.mp4?sig=x");
        let mut t = canned(200, "MP4 bytes");
        assert!(matches!(
            get_training_recording_download(&mut t, &conn(), 9, 1),
            Err(Error::InvalidResponse(_))
        ));
    }

    #[test]
    fn recordings_come_wrapped_with_the_training_key() {
        let mut t = canned(
            200,
            r#"{"trainingKey":8178251407424893697,"recordingList":[{"recordingId":12,"name":"Part 1",
                "startDate":"2026-03-26T15:00:00Z","endDate":"2026-03-26T16:00:00Z","downloadUrl":"https://x/1"}]}"#,
        );
        let got = list_training_recordings(&mut t, &conn(), 8178251407424893697).unwrap();
        assert_eq!(got.recordings[0].recording_id, 12);
        assert_eq!(
            got.recordings[0].download_url.as_deref(),
            Some("https://x/1")
        );
    }
}

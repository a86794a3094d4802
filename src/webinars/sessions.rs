//! GoToWebinar sessions and attendees: `list-webinar-sessions`,
//! `list-organizer-sessions`, `get-webinar-session`, `list-session-attendees`,
//! `get-session-attendee` (registration, polls, questions, surveys) and
//! `get-session-performance`.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::{G2W, PageRequest, fetch_pages, keys, read_items, read_registrant, strings};
use crate::client::Api;
use crate::errors;
use crate::exports::meetings::DateRange;
use crate::exports::webinars::{
    Attendance, AttendeeDetails, AttendeeQuestion, Paging, PollAnswer, QuestionReply,
    SessionAttendee, SessionPage, SessionPerformance, WebinarSession,
};
use crate::http::{Method, Transport};
use crate::meetings::{check_id, check_range};
use crate::record::{self, Field, Record, ShapeError};
use crate::{Connection, Error};

pub fn list_webinar_sessions(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    paging: Option<&Paging>,
) -> Result<SessionPage, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    session_pages(
        t,
        conn,
        &["organizers", &org, "webinars", &key, "sessions"],
        &[],
        paging,
    )
}

pub fn list_organizer_sessions(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
    paging: Option<&Paging>,
) -> Result<SessionPage, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let (from, to) = check_range("range", range)?;
    session_pages(
        t,
        conn,
        &["organizers", &org, "sessions"],
        &[("fromTime", &from), ("toTime", &to)],
        paging,
    )
}

fn session_pages(
    t: &mut dyn Transport,
    conn: &Connection,
    path: &[&str],
    query: &[(&str, &str)],
    paging: Option<&Paging>,
) -> Result<SessionPage, Error> {
    let request = PageRequest::check(paging)?;
    let mut api = Api::new(t, conn, G2W)?;
    let mut sessions = Vec::new();
    let page = fetch_pages(
        &mut api,
        conn,
        path,
        query,
        request,
        "sessionInfoResources",
        &mut |r| {
            sessions.push(read_session(r)?);
            Ok(())
        },
    )?;
    Ok(SessionPage { sessions, page })
}

/// The path of one session.
fn session_path(
    organizer_key: u64,
    webinar_key: u64,
    session_key: u64,
) -> Result<[String; 3], Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    Ok([org, key, check_id("sessionKey", session_key)?])
}

pub fn get_webinar_session(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    session_key: u64,
) -> Result<WebinarSession, Error> {
    let [org, key, session] = session_path(organizer_key, webinar_key, session_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &["organizers", &org, "webinars", &key, "sessions", &session],
        &[],
    );
    api.one(
        Method::Get,
        url,
        None,
        "session with that key",
        &read_session,
    )
}

pub fn list_session_attendees(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    session_key: u64,
) -> Result<Vec<SessionAttendee>, Error> {
    let [org, key, session] = session_path(organizer_key, webinar_key, session_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &[
            "organizers",
            &org,
            "webinars",
            &key,
            "sessions",
            &session,
            "attendees",
        ],
        &[],
    );
    let resp = api.send(Method::Get, url, None)?;
    let mut out = Vec::new();
    read_items(&resp.body, "attendeeParticipationResponses", &mut |r| {
        out.push(read_attendee(r)?);
        Ok(())
    })
    .map_err(|e| errors::invalid_response(resp.status, e, &[&conn.access_token]))?;
    Ok(out)
}

pub fn get_session_attendee(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    session_key: u64,
    registrant_key: u64,
) -> Result<AttendeeDetails, Error> {
    let [org, key, session] = session_path(organizer_key, webinar_key, session_key)?;
    let registrant = check_id("registrantKey", registrant_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let base = [
        "organizers",
        &org,
        "webinars",
        &key,
        "sessions",
        &session,
        "attendees",
        &registrant,
    ];
    let url = api.url(&base, &[]);
    let registrant = api.one(
        Method::Get,
        url,
        None,
        "attendee with that registrant key",
        &read_registrant,
    )?;
    let mut lists: [Vec<PollAnswer>; 2] = [Vec::new(), Vec::new()];
    for (i, part) in ["polls", "surveys"].into_iter().enumerate() {
        let mut path = base.to_vec();
        path.push(part);
        let url = api.url(&path, &[]);
        lists[i] = api.list(url, &[], &read_poll_answer)?;
    }
    let mut path = base.to_vec();
    path.push("questions");
    let url = api.url(&path, &[]);
    let questions = api.list(url, &[], &read_question)?;
    let [polls, surveys] = lists;
    Ok(AttendeeDetails {
        registrant,
        polls,
        questions,
        surveys,
    })
}

pub fn get_session_performance(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    session_key: u64,
) -> Result<SessionPerformance, Error> {
    let [org, key, session] = session_path(organizer_key, webinar_key, session_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &[
            "organizers",
            &org,
            "webinars",
            &key,
            "sessions",
            &session,
            "performance",
        ],
        &[],
    );
    api.one(
        Method::Get,
        url,
        None,
        "performance for that session",
        &read_performance,
    )
}

/// One v2 `ReportingSession` (or 1.0.0 `Session`).
pub fn read_session(r: &Record) -> record::Result<WebinarSession> {
    Ok(WebinarSession {
        session_key: r.required_id(&["sessionKey"])?,
        webinar_key: r.id(&["webinarKey"])?,
        webinar_id: r.text(&["webinarID"])?,
        webinar_name: r.text(&["webinarName"])?,
        start: r.time(&["startTime"])?,
        end: r.time(&["endTime"])?,
        registrants_attended: r.count(&["registrantsAttended"])?,
        registrant_count: r.count(&["registrantCount"])?,
        starting_organizer_key: r.id(&["startingOrganizerKey"])?,
        time_zone: r.text(&["timeZone"])?,
    })
}

fn read_attendance(r: &Record) -> record::Result<Attendance> {
    Ok(Attendance {
        joined: r
            .time(&["joinTime"])?
            .ok_or_else(|| ShapeError("field `joinTime` is missing".into()))?,
        left: r.time(&["leaveTime"])?,
    })
}

/// One v2 `Attendee` or `ReportingAttendee`.
pub fn read_attendee(r: &Record) -> record::Result<SessionAttendee> {
    Ok(SessionAttendee {
        registrant_key: r.required_id(&["registrantKey"])?,
        session_key: r.id(&["sessionKey"])?,
        first_name: r.text(&["firstName"])?,
        last_name: r.text(&["lastName"])?,
        email: r.text(&["email"])?,
        attendance_seconds: r.id(&["attendanceTimeInSeconds"])?,
        attendance: r.list(&["attendance"], read_attendance)?,
    })
}

/// A `PollAnswer`: the deprecated single `answer` is folded into `answers`.
fn read_poll_answer(r: &Record) -> record::Result<PollAnswer> {
    let mut answers = strings(r, "answers")?;
    if answers.is_empty() {
        answers = strings(r, "answer")?;
    }
    Ok(PollAnswer {
        question: r.text(&["question"])?.unwrap_or_default(),
        answers,
    })
}

fn read_question(r: &Record) -> record::Result<AttendeeQuestion> {
    Ok(AttendeeQuestion {
        question: r.text(&["question"])?.unwrap_or_default(),
        asked_by: r.text(&["askedBy"])?,
        answers: r.list(&["answers"], |a| {
            Ok(QuestionReply {
                answer: a.text(&["answer"])?.unwrap_or_default(),
                answered_by: a.text(&["answeredBy"])?,
            })
        })?,
    })
}

/// A number GoTo reports as a JSON number (percentages, averages).
fn number(r: &Record, name: &str) -> record::Result<Option<f64>> {
    match r.raw(name) {
        None | Some((_, Field::Json(Value::Null))) => Ok(None),
        Some((_, Field::Json(Value::Number(n)))) => Ok(n.as_f64()),
        Some((key, _)) => Err(ShapeError(format!("field `{key}`: expected a number"))),
    }
}

/// A `SessionPerformance`: `attendance` and `pollsAndSurveys` objects.
fn read_performance(r: &Record) -> record::Result<SessionPerformance> {
    let empty = Record::default();
    let a = r.object(&["attendance"])?.unwrap_or(&empty);
    let p = r.object(&["pollsAndSurveys"])?.unwrap_or(&empty);
    Ok(SessionPerformance {
        registrant_count: a.count(&["registrantCount"])?,
        percentage_attendance: number(a, "percentageAttendance")?,
        average_interest_rating: number(a, "averageInterestRating")?,
        average_attentiveness: number(a, "averageAttentiveness")?,
        average_attendance_seconds: number(a, "averageAttendanceTimeSeconds")?,
        poll_count: p.count(&["pollCount"])?,
        survey_count: number(p, "surveyCount")?,
        questions_asked: p.count(&["questionsAsked"])?,
        percentage_polls_completed: number(p, "percentagePollsCompleted")?,
        percentage_surveys_completed: number(p, "percentageSurveysCompleted")?,
    })
}

//! GoToWebinar reports: `list-session-polls`, `list-session-questions`,
//! `list-session-surveys` (one session), `list-webinar-attendees` and
//! `get-webinar-performance` (every session of a webinar).
//!
//! Shapes from GoTo's GoToWebinar v2 description (the copy in
//! `ballerina-platform/openapi-connectors`, `openapi/gotowebinar/openapi.yml`):
//! `Poll`, `AttendeeQuestion`, `ReportingAttendeeResponse` and the
//! performance object keyed by session.

use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::Value;

use super::sessions::{
    number, read_attendee, read_performance, read_question, session_keys, session_path,
};
use super::webinar::{PageRequest, fetch_pages, keys};
use crate::core::bases::G2W;
use crate::core::client::Api;
use crate::core::errors;
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Listing, Record, ShapeError};
use crate::exports::webinar_reports::{
    PollOption, SessionFigures, SessionPoll, SessionPolls, SessionQuestions, SessionSurveys,
    WebinarAttendeePage,
};
use crate::exports::webinars::Paging;
use crate::{Connection, Error};

pub fn list_session_polls(
    t: &mut dyn Transport,
    conn: &Connection,
    keys: [u64; 3],
) -> Result<SessionPolls, Error> {
    session_list(t, conn, keys, "polls", &read_poll).map(|l| SessionPolls {
        polls: l.items,
        skipped: l.skipped,
    })
}

pub fn list_session_questions(
    t: &mut dyn Transport,
    conn: &Connection,
    keys: [u64; 3],
) -> Result<SessionQuestions, Error> {
    session_list(t, conn, keys, "questions", &read_question).map(|l| SessionQuestions {
        questions: l.items,
        skipped: l.skipped,
    })
}

pub fn list_session_surveys(
    t: &mut dyn Transport,
    conn: &Connection,
    keys: [u64; 3],
) -> Result<SessionSurveys, Error> {
    session_list(t, conn, keys, "surveys", &read_poll).map(|l| SessionSurveys {
        surveys: l.items,
        skipped: l.skipped,
    })
}

/// `GET .../sessions/{sessionKey}/<tail>`, a bare list of records.
fn session_list<T>(
    t: &mut dyn Transport,
    conn: &Connection,
    [organizer_key, webinar_key, session_key]: [u64; 3],
    tail: &str,
    read: &dyn Fn(&Record) -> record::Result<T>,
) -> Result<Listing<T>, Error> {
    let ids = session_keys(organizer_key, webinar_key, session_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&session_path(&ids, &[tail]), &[]);
    api.list(url, &[], read)
}

pub fn list_webinar_attendees(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    paging: Option<&Paging>,
) -> Result<WebinarAttendeePage, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let request = PageRequest::check(paging)?;
    let mut api = Api::new(t, conn, G2W)?;
    let mut attendees = Vec::new();
    let (page, skipped) = fetch_pages(
        &mut api,
        conn,
        &["organizers", &org, "webinars", &key, "attendees"],
        &[],
        request,
        "attendeeParticipationResponses",
        &mut |r| {
            attendees.push(read_attendee(r)?);
            Ok(())
        },
    )?;
    Ok(WebinarAttendeePage {
        attendees,
        skipped,
        page,
    })
}

pub fn get_webinar_performance(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<Vec<SessionFigures>, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "webinars", &key, "performance"], &[]);
    let resp = api.send(Method::Get, url, None)?;
    read_figures(&resp.body)
        .map_err(|e| errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Get))
}

/// GoTo's performance object: one `SessionPerformance` per session key.
fn read_figures(body: &[u8]) -> record::Result<Vec<SessionFigures>> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    let Value::Object(sessions) = value else {
        return Err(ShapeError("expected an object keyed by session key".into()));
    };
    let mut out = Vec::with_capacity(sessions.len());
    for (session, v) in sessions {
        let at = |e: ShapeError| ShapeError(format!("field `{session}`: {}", e.0));
        let session_key = session
            .trim()
            .parse::<u64>()
            .map_err(|_| ShapeError(format!("key `{session}`: expected a session key")))?;
        let r = Record::from_value(v).map_err(at)?;
        out.push(SessionFigures {
            session_key,
            performance: read_performance(&r).map_err(at)?,
        });
    }
    out.sort_by_key(|f| f.session_key);
    Ok(out)
}

/// A `Poll` (session polls and surveys): the question, how many responded,
/// and each choice with its share.
fn read_poll(r: &Record) -> record::Result<SessionPoll> {
    Ok(SessionPoll {
        question: r.required_text(&["question"])?,
        response_count: r.count(&["numberOfResponses"])?,
        options: r.list(&["responses"], |o| {
            Ok(PollOption {
                text: o.text(&["text"])?.unwrap_or_default(),
                percentage: number(o, "percentage")?,
            })
        })?,
    })
}

#[cfg(test)]
mod tests;

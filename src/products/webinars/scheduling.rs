//! GoToWebinar scheduling: `list-in-session-webinars`,
//! `list-webinar-meeting-times`, `get-webinar-start-url` and `copy-webinar`.
//!
//! Paths, methods and shapes from GoTo's GoToWebinar v2 description (the
//! copy in `ballerina-platform/openapi-connectors`,
//! `openapi/gotowebinar/openapi.yml`): `getInSessionWebinars` (a list of
//! `BrokerWebinar`), `getWebinarMeetingTimes` (a list of `DateTimeRange`),
//! `getStartUrl` (`WebinarStartUrlResponse`, under `/webinars`, without an
//! organizer) and `copyWebinar` (`PUT /webinars/{webinarKey}/copy`, 201
//! with `CopiedWebinar`).

use alloc::string::String;
use alloc::vec::Vec;

use super::bodies::copy_body;
use super::webinar::{keys, read_time, read_webinar};
use crate::core::bases::G2W;
use crate::core::client::Api;
use crate::core::http::{Method, Transport};
use crate::core::validate::{check_id, check_range};
use crate::exports::meetings::DateRange;
use crate::exports::webinar_scheduling::{InSessionWebinars, WebinarCopy, WebinarMeetingTimes};
use crate::{Connection, Error};

pub fn list_in_session_webinars(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: Option<&DateRange>,
) -> Result<InSessionWebinars, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let window = range.map(|r| check_range("range", r)).transpose()?;
    let query: Vec<(&str, &str)> = window
        .iter()
        .flat_map(|(from, to)| [("fromTime", from.as_str()), ("toTime", to.as_str())])
        .collect();
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "insessionWebinars"], &query);
    api.list(url, &[], &read_webinar)
        .map(|l| InSessionWebinars {
            webinars: l.items,
            skipped: l.skipped,
        })
}

pub fn list_webinar_meeting_times(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<WebinarMeetingTimes, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "webinars", &key, "meetingtimes"], &[]);
    api.list(url, &[], &read_time).map(|l| WebinarMeetingTimes {
        times: l.items,
        skipped: l.skipped,
    })
}

pub fn get_webinar_start_url(
    t: &mut dyn Transport,
    conn: &Connection,
    webinar_key: u64,
) -> Result<String, Error> {
    let key = check_id("webinarKey", webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["webinars", &key, "startUrl"], &[]);
    api.one(Method::Get, url, None, "start URL", &|r| {
        r.required_link(&["startUrl"])
    })
}

pub fn copy_webinar(
    t: &mut dyn Transport,
    conn: &Connection,
    webinar_key: u64,
    copy: &WebinarCopy,
) -> Result<u64, Error> {
    let key = check_id("webinarKey", webinar_key)?;
    let body = copy_body(copy)?;
    let mut api = Api::new(t, conn, G2W)?;
    // A PUT, but each one makes a new webinar: never sent twice.
    api.never_retry();
    let url = api.url(&["webinars", &key, "copy"], &[]);
    api.one(Method::Put, url, Some(&body), "copied webinar", &|r| {
        r.required_id(&["webinarKey"])
    })
}

#[cfg(test)]
mod tests;

//! GoToWebinar webinars: `create-webinar`, `get-webinar`, `update-webinar`,
//! `cancel-webinar`, the listings, the audio settings, and the paged listing
//! the other webinar modules share.
//!
//! Facts come from GoTo's GoToWebinar v2 description (the copy in
//! `ballerina-platform/openapi-connectors`, `openapi/gotowebinar/openapi.yml`)
//! and, for the upcoming and historical listings, the 1.0.0 description
//! (`APIs-guru/openapi-directory`, `APIs/getgo.com/gotowebinar/1.0.0/openapi.yaml`).

use alloc::string::ToString;
use alloc::vec::Vec;

use crate::SkippedRecord;
use crate::core::bases::{G2W, G2W_V1};
use crate::core::client::Api;
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Response, Transport};
use crate::core::pager::{self, PageRead, Pages};
use crate::core::record::{self, ListBody, Listing, Record};
use crate::core::validate::{check_id, check_range};
use crate::exports::meetings::DateRange;
use crate::exports::webinars::{
    AudioChange, HistoricalWebinars, PageInfo, Paging, UpcomingWebinars, Webinar, WebinarAudio,
    WebinarChange, WebinarDetails, WebinarPage,
};
use crate::{Connection, Error};

use super::bodies::{audio_body, change_body, webinar_body};
use super::readers::read_audio;

// Re-exported so the other webinar modules keep finding them here.
pub use super::bodies::{check_text, flag, keys};
pub use super::readers::{
    experience, read_answer, read_registrant, read_time, read_webinar, registrant_status, strings,
    webinar_kind,
};

/// The largest page GoTo serves (v2 description: `size` maximum 200).
pub const MAX_PAGE_SIZE: u32 = 200;
/// The most pages one call fetches.
pub const MAX_PAGES: u32 = 50;

pub fn create_webinar(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar: &WebinarDetails,
) -> Result<u64, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let body = webinar_body(webinar)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "webinars"], &[]);
    api.one(Method::Post, url, Some(&body), "created webinar", &|r| {
        r.required_id(&["webinarKey"])
    })
}

pub fn get_webinar(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<Webinar, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "webinars", &key], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "webinar with that key",
        &read_webinar,
    )
}

pub fn update_webinar(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    change: &WebinarChange,
    notify_participants: bool,
) -> Result<(), Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let body = change_body(change)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &["organizers", &org, "webinars", &key],
        &[("notifyParticipants", flag(notify_participants))],
    );
    api.send(Method::Put, url, Some(&body)).map(drop)
}

pub fn cancel_webinar(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    send_cancellation_emails: bool,
) -> Result<(), Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &["organizers", &org, "webinars", &key],
        &[("sendCancellationEmails", flag(send_cancellation_emails))],
    );
    api.send(Method::Delete, url, None).map(drop)
}

pub fn list_webinars(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
    paging: Option<&Paging>,
) -> Result<WebinarPage, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    webinar_pages(t, conn, &["organizers", &org, "webinars"], range, paging)
}

pub fn list_account_webinars(
    t: &mut dyn Transport,
    conn: &Connection,
    account_key: u64,
    range: &DateRange,
    paging: Option<&Paging>,
) -> Result<WebinarPage, Error> {
    let account = check_id("accountKey", account_key)?;
    webinar_pages(t, conn, &["accounts", &account, "webinars"], range, paging)
}

fn webinar_pages(
    t: &mut dyn Transport,
    conn: &Connection,
    path: &[&str],
    range: &DateRange,
    paging: Option<&Paging>,
) -> Result<WebinarPage, Error> {
    let (from, to) = check_range("range", range)?;
    let request = PageRequest::check(paging)?;
    let mut api = Api::new(t, conn, G2W)?;
    let mut webinars = Vec::new();
    let (page, skipped) = fetch_pages(
        &mut api,
        conn,
        path,
        &[("fromTime", &from), ("toTime", &to)],
        request,
        "webinars",
        &mut |r| {
            webinars.push(read_webinar(r)?);
            Ok(())
        },
    )?;
    Ok(WebinarPage {
        webinars,
        skipped,
        page,
    })
}

pub fn list_upcoming_webinars(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
) -> Result<UpcomingWebinars, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let mut api = Api::new(t, conn, G2W_V1)?;
    let url = api.url(&["organizers", &org, "upcomingWebinars"], &[]);
    let resp = api.send(Method::Get, url, None)?;
    items(conn, &resp, Method::Get, "webinars", &read_webinar).map(|l| UpcomingWebinars {
        webinars: l.items,
        skipped: l.skipped,
    })
}

pub fn list_historical_webinars(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
) -> Result<HistoricalWebinars, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let (from, to) = check_range("range", range)?;
    let mut api = Api::new(t, conn, G2W_V1)?;
    let url = api.url(
        &["organizers", &org, "historicalWebinars"],
        &[("fromTime", &from), ("toTime", &to)],
    );
    let resp = api.send(Method::Get, url, None)?;
    items(conn, &resp, Method::Get, "webinars", &read_webinar).map(|l| HistoricalWebinars {
        webinars: l.items,
        skipped: l.skipped,
    })
}

pub fn get_webinar_audio(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<WebinarAudio, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "webinars", &key, "audio"], &[]);
    let resp = api.send(Method::Get, url, None)?;
    read_audio(&resp.body)
        .map_err(|e| errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Get))
}

pub fn update_webinar_audio(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    audio: &AudioChange,
    notify_participants: bool,
) -> Result<(), Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let body = audio_body(audio)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &["organizers", &org, "webinars", &key, "audio"],
        &[("notifyParticipants", flag(notify_participants))],
    );
    api.send(Method::Post, url, Some(&body)).map(drop)
}

/// The `paging` argument, checked.
#[derive(Clone, Copy)]
pub struct PageRequest {
    first: u32,
    size: Option<u32>,
    max_pages: u32,
}

impl PageRequest {
    pub fn check(p: Option<&Paging>) -> Result<PageRequest, Error> {
        let first = p.and_then(|p| p.page).unwrap_or(0);
        if first > i32::MAX as u32 {
            return Err(invalid("paging.page", "must be at most 2147483647"));
        }
        let size = p.and_then(|p| p.size);
        if let Some(s) = size
            && !(1..=MAX_PAGE_SIZE).contains(&s)
        {
            return Err(invalid(
                "paging.size",
                format!("must be 1 to {MAX_PAGE_SIZE} (got {s})"),
            ));
        }
        let max_pages = p.and_then(|p| p.max_pages).unwrap_or(1);
        if !(1..=MAX_PAGES).contains(&max_pages) {
            return Err(invalid(
                "paging.maxPages",
                format!("must be 1 to {MAX_PAGES} (got {max_pages})"),
            ));
        }
        Ok(PageRequest {
            first,
            size,
            max_pages,
        })
    }
}

/// Fetches the pages of a v2 listing (`{"_embedded": {"<key>": [...]},
/// "page": {...}}`) from `request.first`, at most `request.max_pages` of them,
/// handing every item to `each`, through the one pager ([`pager::fetch_pages`]:
/// all pages share the call's `max-response-bytes`). Returns the last page's
/// numbers and the skipped records, their positions counted from the first
/// record of the first page fetched.
pub fn fetch_pages(
    api: &mut Api,
    conn: &Connection,
    path: &[&str],
    query: &[(&str, &str)],
    request: PageRequest,
    key: &str,
    each: &mut dyn FnMut(&Record) -> record::Result<()>,
) -> Result<(PageInfo, Vec<SkippedRecord>), Error> {
    let size = request.size.map(|s| s.to_string());
    let tail: Vec<(&str, &str)> = size.iter().map(|s| ("size", s.as_str())).collect();
    let pages = Pages {
        path,
        query,
        tail: &tail,
        first: request.first,
        max_pages: request.max_pages,
    };
    let mut last = None;
    let fetched = pager::fetch_pages(api, conn, &pages, &mut |number, body| {
        let (list, numbers) = read_items(body, key, each)?;
        let page = page_info(number, list.len, numbers);
        let next = (page.more && number < i32::MAX as u32).then(|| page.number.saturating_add(1));
        last = Some(page);
        Ok(PageRead {
            next,
            skipped: list.skipped,
            len: list.len,
        })
    })?;
    let mut page = last.unwrap_or_else(|| page_info(request.first, 0, None));
    page.pages_fetched = fetched.pages;
    Ok((page, fetched.skipped))
}

/// Where page `number` (holding `len` records) says the listing stands:
/// GoTo's `page` numbers where it sent them, else what this page shows.
fn page_info(number: u32, len: u32, numbers: Option<PageNumbers>) -> PageInfo {
    let mut page = numbers.map_or(
        PageInfo {
            number,
            size: len,
            total_elements: u64::from(len),
            total_pages: number.saturating_add(1),
            pages_fetched: 0,
            more: false,
        },
        |p| PageInfo {
            number: p.number.unwrap_or(number),
            size: p.size.unwrap_or(len),
            total_elements: p.total_elements.unwrap_or(u64::from(len)),
            total_pages: p.total_pages.unwrap_or(0),
            pages_fetched: 0,
            more: false,
        },
    );
    page.more = len > 0 && page.number.saturating_add(1) < page.total_pages;
    page
}

/// A listing body read with `read` (see [`read_items`]); a shape error
/// becomes `invalid-response`. The answer to a change (`POST`) is read
/// whole: GoTo made the change, so a record it cannot read fails the call
/// (`applied: yes`) rather than being skipped.
pub fn items<T>(
    conn: &Connection,
    resp: &Response,
    method: Method,
    key: &str,
    read: &dyn Fn(&Record) -> record::Result<T>,
) -> Result<Listing<T>, Error> {
    let mut items = Vec::new();
    let skipped = item_records(conn, resp, method, key, &mut |r| {
        items.push(read(r)?);
        Ok(())
    })?;
    Ok(Listing { items, skipped })
}

/// [`items`]'s work, not generic over the record type; returns the skipped records.
fn item_records(
    conn: &Connection,
    resp: &Response,
    method: Method,
    key: &str,
    each: &mut dyn FnMut(&Record) -> record::Result<()>,
) -> Result<Vec<SkippedRecord>, Error> {
    let invalid = |e| errors::invalid_response(resp.status, e, &[&conn.access_token], method);
    let (list, _) = read_items(&resp.body, key, each).map_err(invalid)?;
    if errors::writes(method)
        && let Some(s) = list.skipped.first()
    {
        return Err(invalid(record::unread(s)));
    }
    Ok(list.skipped)
}

/// GoTo's `page` object, each number when sent.
pub struct PageNumbers {
    number: Option<u32>,
    size: Option<u32>,
    total_elements: Option<u64>,
    total_pages: Option<u32>,
}

/// Reads a listing body: a bare array, or an object holding the array at
/// `_embedded.<key>` (v2) or `<key>`. An object without either is an empty
/// listing (GoTo leaves `_embedded` out when nothing matched). Returns the
/// `page` object's numbers when there is one.
pub fn read_items<'b>(
    body: &'b [u8],
    key: &str,
    each: &mut dyn FnMut(&Record) -> record::Result<()>,
) -> record::Result<(ListBody<'b>, Option<PageNumbers>)> {
    let list = record::read_records(body, &[key], each)?;
    let page = match list.rest.object(&["page"])? {
        Some(p) => Some(PageNumbers {
            number: p.count(&["number"])?,
            size: p.count(&["size"])?,
            total_elements: p.id(&["totalElements"])?,
            total_pages: p.count(&["totalPages"])?,
        }),
        None => None,
    };
    Ok((list, page))
}

//! GoToWebinar webinars: `create-webinar`, `get-webinar`, `update-webinar`,
//! `cancel-webinar`, the listings, the audio settings, and the readers the
//! other webinar modules share (webinar, registrant, paged listing).
//!
//! Facts come from GoTo's GoToWebinar v2 description (the copy in
//! `ballerina-platform/openapi-connectors`, `openapi/gotowebinar/openapi.yml`)
//! and, for the upcoming and historical listings, the 1.0.0 description
//! (`APIs-guru/openapi-directory`, `APIs/getgo.com/gotowebinar/1.0.0/openapi.yaml`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::SkippedRecord;
use crate::core::bases::{G2W, G2W_V1};
use crate::core::client::{Api, object};
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Response, Transport};
use crate::core::record::{self, Field, ListBody, Listing, Record, ShapeError};
use crate::core::time;
use crate::core::validate::{check_id, check_range, input_time};
use crate::exports::meetings::DateRange;
use crate::exports::webinars::{
    AudioChange, AudioType, DialIn, HistoricalWebinars, PageInfo, Paging, PrivateAudio,
    RegistrantAnswer, RegistrantStatus, UpcomingWebinars, Webinar, WebinarAudio, WebinarChange,
    WebinarDetails, WebinarExperience, WebinarKind, WebinarLocale, WebinarPage, WebinarRegistrant,
    WebinarSchedule, WebinarTime,
};
use crate::{Connection, Error};

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

/// The organizer and webinar keys for a path.
pub fn keys(organizer_key: u64, webinar_key: u64) -> Result<(String, String), Error> {
    Ok((
        check_id("organizerKey", organizer_key)?,
        check_id("webinarKey", webinar_key)?,
    ))
}

/// A boolean query value as GoTo spells it.
pub fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Trimmed text of 1 to `max` characters.
pub fn check_text<'a>(field: &str, raw: &'a str, max: usize) -> Result<&'a str, Error> {
    let s = raw.trim();
    let n = s.chars().count();
    if n == 0 || n > max {
        return Err(invalid(
            field,
            format!("must be 1 to {max} characters (got {n})"),
        ));
    }
    Ok(s)
}

/// One start/end pair as GoTo wants it in a body, in UTC.
fn time_json(field: &str, t: &WebinarTime) -> Result<Value, Error> {
    let start = input_time(&format!("{field}.start"), &t.start)?;
    let end = input_time(&format!("{field}.end"), &t.end)?;
    if end <= start {
        return Err(invalid(&format!("{field}.end"), "must be after start"));
    }
    Ok(Value::Object(object(vec![
        ("startTime", time::format(start).into()),
        ("endTime", time::format(end).into()),
    ])))
}

fn times_json(field: &str, times: &[WebinarTime]) -> Result<Value, Error> {
    let mut out = Vec::with_capacity(times.len());
    for (i, t) in times.iter().enumerate() {
        out.push(time_json(&format!("{field}[{i}]"), t)?);
    }
    Ok(Value::Array(out))
}

fn check_time_zone(field: &str, tz: &str) -> Result<String, Error> {
    let tz = tz.trim();
    if !crate::core::time::is_time_zone_id(tz) {
        return Err(invalid(
            field,
            format!("must be a time-zone id such as America/New_York (got {tz:?})"),
        ));
    }
    Ok(tz.to_string())
}

fn locale(l: WebinarLocale) -> &'static str {
    match l {
        WebinarLocale::EnUs => "en_US",
        WebinarLocale::DeDe => "de_DE",
        WebinarLocale::EsEs => "es_ES",
        WebinarLocale::FrFr => "fr_FR",
        WebinarLocale::ItIt => "it_IT",
        WebinarLocale::ZhCn => "zh_CN",
    }
}

/// The body of `POST /organizers/{organizerKey}/webinars`.
fn webinar_body(w: &WebinarDetails) -> Result<Value, Error> {
    let subject = check_text("webinar.subject", &w.subject, 128)?;
    let mut body = object(vec![
        ("subject", subject.into()),
        ("isPasswordProtected", w.password_protected.into()),
    ]);
    if let Some(d) = &w.description {
        check_description("webinar.description", d)?;
        body.insert("description".into(), d.as_str().into());
    }
    match &w.schedule {
        WebinarSchedule::SingleSession(t) => {
            body.insert("type".into(), "single_session".into());
            let time = time_json("webinar.schedule.singleSession", t)?;
            body.insert("times".into(), Value::Array(vec![time]));
        }
        WebinarSchedule::Series(times) => {
            if times.len() < 2 {
                return Err(invalid(
                    "webinar.schedule.series",
                    "must hold at least two sessions (use singleSession for one)",
                ));
            }
            body.insert("type".into(), "series".into());
            body.insert(
                "times".into(),
                times_json("webinar.schedule.series", times)?,
            );
        }
        WebinarSchedule::Sequence(s) => {
            let field = "webinar.schedule.sequence";
            let first = time_json(&format!("{field}.first"), &s.first)?;
            let last = check_date(&format!("{field}.lastDate"), &s.last_date)?;
            let start = input_time(&format!("{field}.first.start"), &s.first.start)?;
            if last.unix_seconds() < start.unix_seconds().div_euclid(86_400) * 86_400 {
                return Err(invalid(
                    &format!("{field}.lastDate"),
                    "must not be before the first session",
                ));
            }
            let pattern = match s.pattern {
                crate::exports::webinars::RecurrencePattern::Daily => "daily",
                crate::exports::webinars::RecurrencePattern::Weekly => "weekly",
                crate::exports::webinars::RecurrencePattern::Monthly => "monthly",
            };
            body.insert("type".into(), "sequence".into());
            body.insert("recurrenceStart".into(), first);
            body.insert("recurrencePattern".into(), pattern.into());
            body.insert("recurrenceEnd".into(), s.last_date.trim().into());
        }
    }
    if let Some(tz) = &w.time_zone {
        body.insert(
            "timeZone".into(),
            check_time_zone("webinar.timeZone", tz)?.into(),
        );
    }
    if let Some(l) = w.locale {
        body.insert("locale".into(), locale(l).into());
    }
    Ok(Value::Object(body))
}

fn check_description(field: &str, d: &str) -> Result<(), Error> {
    let n = d.chars().count();
    if n > 2048 {
        return Err(invalid(
            field,
            format!("must be at most 2048 characters (got {n})"),
        ));
    }
    Ok(())
}

/// A calendar date `YYYY-MM-DD`, as the start of that day in UTC.
fn check_date(field: &str, raw: &str) -> Result<time::Instant, Error> {
    let d = raw.trim();
    let ok = d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
    ok.then(|| time::parse_rfc3339(&format!("{d}T00:00:00Z")))
        .flatten()
        .ok_or_else(|| {
            invalid(
                field,
                format!("must be a date YYYY-MM-DD such as 2026-12-01 (got {raw:?})"),
            )
        })
}

/// The body of `PUT /organizers/{organizerKey}/webinars/{webinarKey}`.
fn change_body(c: &WebinarChange) -> Result<Value, Error> {
    let mut body = object(vec![]);
    if let Some(s) = &c.subject {
        body.insert(
            "subject".into(),
            check_text("change.subject", s, 128)?.into(),
        );
    }
    if let Some(d) = &c.description {
        check_description("change.description", d)?;
        body.insert("description".into(), d.as_str().into());
    }
    if let Some(times) = &c.times {
        if times.is_empty() {
            return Err(invalid("change.times", "must hold at least one session"));
        }
        body.insert("times".into(), times_json("change.times", times)?);
    }
    if let Some(tz) = &c.time_zone {
        body.insert(
            "timeZone".into(),
            check_time_zone("change.timeZone", tz)?.into(),
        );
    }
    if let Some(l) = c.locale {
        body.insert("locale".into(), locale(l).into());
    }
    if body.is_empty() {
        return Err(invalid("change", "must change at least one field"));
    }
    Ok(Value::Object(body))
}

fn audio_type_name(t: AudioType) -> &'static str {
    match t {
        AudioType::Pstn => "PSTN",
        AudioType::Voip => "VOIP",
        AudioType::Hybrid => "Hybrid",
        AudioType::Private => "Private",
    }
}

fn countries(field: &str, list: &[String]) -> Result<Value, Error> {
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let c = c.trim();
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(invalid(
                &format!("{field}[{i}]"),
                format!("must be a two-letter country code such as US (got {c:?})"),
            ));
        }
        out.push(Value::String(c.to_ascii_uppercase()));
    }
    Ok(Value::Array(out))
}

/// The body of `POST .../webinars/{webinarKey}/audio`.
fn audio_body(a: &AudioChange) -> Result<Value, Error> {
    let mut body = object(vec![("type", audio_type_name(a.audio_type).into())]);
    let phone = matches!(a.audio_type, AudioType::Pstn | AudioType::Hybrid);
    if phone {
        if a.toll_free_countries.is_empty() && a.toll_countries.is_empty() {
            return Err(invalid(
                "audio.tollCountries",
                "give tollCountries or tollFreeCountries for a telephone audio type",
            ));
        }
        body.insert(
            "pstnInfo".into(),
            Value::Object(object(vec![
                (
                    "tollFreeCountries",
                    countries("audio.tollFreeCountries", &a.toll_free_countries)?,
                ),
                (
                    "tollCountries",
                    countries("audio.tollCountries", &a.toll_countries)?,
                ),
            ])),
        );
    }
    match (&a.private_info, a.audio_type) {
        (Some(p), AudioType::Private) => {
            let mut info = object(vec![(
                "attendee",
                check_text("audio.privateInfo.attendee", &p.attendee, 1000)?.into(),
            )]);
            for (name, v) in [("organizer", &p.organizer), ("panelist", &p.panelist)] {
                if let Some(v) = v {
                    info.insert(name.into(), v.trim().into());
                }
            }
            body.insert("privateInfo".into(), Value::Object(info));
        }
        (None, AudioType::Private) => {
            return Err(invalid(
                "audio.privateInfo",
                "is required for the private audio type",
            ));
        }
        (Some(_), _) => {
            return Err(invalid(
                "audio.privateInfo",
                "is only for the private audio type",
            ));
        }
        (None, _) => {}
    }
    Ok(Value::Object(body))
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
/// handing every item to `each`. Returns the skipped records too, their
/// positions counted from the first record of the first page fetched.
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
    let mut number = request.first;
    let mut fetched = 0u32;
    let mut skipped = Vec::new();
    let mut before = 0u32;
    loop {
        let page_text = number.to_string();
        let mut pairs: Vec<(&str, &str)> = query.to_vec();
        pairs.push(("page", &page_text));
        if let Some(s) = &size {
            pairs.push(("size", s));
        }
        let url = api.url(path, &pairs);
        let resp = api.send(Method::Get, url, None)?;
        let (list, info) = read_items(&resp.body, key, each).map_err(|e| {
            errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Get)
        })?;
        fetched += 1;
        let (count, len) = (list.len, list.len);
        before = record::add_page(&mut skipped, list.skipped, before, len);
        let mut page = info.map_or(
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
        page.more = count > 0 && page.number.saturating_add(1) < page.total_pages;
        page.pages_fetched = fetched;
        if !page.more || fetched >= request.max_pages || number >= i32::MAX as u32 {
            return Ok((page, skipped));
        }
        number = page.number.saturating_add(1);
    }
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

/// A list of strings; absent means empty.
pub fn strings(r: &Record, name: &str) -> record::Result<Vec<String>> {
    match r.raw(name) {
        None | Some((_, Field::Json(Value::Null))) => Ok(Vec::new()),
        Some((_, Field::Text(s))) => Ok(vec![s.to_string()]),
        Some((key, Field::Json(Value::Array(items)))) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(ShapeError(format!(
                    "field `{key}`: expected a list of text"
                ))),
            })
            .collect(),
        Some((key, _)) => Err(ShapeError(format!(
            "field `{key}`: expected a list of text"
        ))),
    }
}

pub fn read_time(r: &Record) -> record::Result<WebinarTime> {
    match (r.time(&["startTime"])?, r.time(&["endTime"])?) {
        (Some(start), Some(end)) => Ok(WebinarTime { start, end }),
        (None, _) => Err(ShapeError("field `startTime` is missing".into())),
        (_, None) => Err(ShapeError("field `endTime` is missing".into())),
    }
}

pub fn webinar_kind(raw: &str) -> WebinarKind {
    match raw.trim().to_ascii_lowercase().as_str() {
        "single_session" => WebinarKind::SingleSession,
        "series" => WebinarKind::Series,
        "sequence" => WebinarKind::Sequence,
        _ => WebinarKind::Other(raw.to_string()),
    }
}

pub fn experience(raw: &str) -> WebinarExperience {
    match raw.trim().to_ascii_lowercase().as_str() {
        "classic" => WebinarExperience::Classic,
        "broadcast" => WebinarExperience::Broadcast,
        "simulive" => WebinarExperience::Simulive,
        _ => WebinarExperience::Other(raw.to_string()),
    }
}

pub fn registrant_status(raw: &str) -> RegistrantStatus {
    match raw.trim().to_ascii_uppercase().as_str() {
        "APPROVED" => RegistrantStatus::Approved,
        "DENIED" => RegistrantStatus::Denied,
        "WAITING" => RegistrantStatus::Waiting,
        _ => RegistrantStatus::Other(raw.to_string()),
    }
}

/// One webinar: v2 `Webinar`, `WebinarByKey`, or a 1.0.0 upcoming or
/// historical webinar (keys as numbers or strings).
pub fn read_webinar(r: &Record) -> record::Result<Webinar> {
    Ok(Webinar {
        webinar_key: r.required_id(&["webinarKey"])?,
        webinar_id: r.text(&["webinarID"])?,
        subject: r.text(&["subject"])?,
        description: r.text(&["description"])?,
        organizer_key: r.id(&["organizerKey"])?,
        organizer_email: r.text(&["organizerEmail"])?,
        organizer_name: r.text(&["organizerName"])?,
        account_key: r.id(&["accountKey"])?,
        times: r.list(&["times"], read_time)?,
        time_zone: r.text(&["timeZone"])?,
        locale: r.text(&["locale"])?,
        kind: r
            .text(&["type", "recurrenceType", "recurrencePeriod"])?
            .map(|k| webinar_kind(&k)),
        experience: r.text(&["experienceType"])?.map(|e| experience(&e)),
        registration_url: r.text(&["registrationUrl"])?,
        in_session: r.flag(&["inSession"])?,
        password_protected: r.flag(&["isPasswordProtected"])?,
        registrant_count: r.count(&["numberOfRegistrants"])?,
        registration_limit: r.count(&["registrationLimit"])?,
    })
}

/// One registrant: v2 `Registrant` or `RegistrantDetailed`.
pub fn read_registrant(r: &Record) -> record::Result<WebinarRegistrant> {
    Ok(WebinarRegistrant {
        registrant_key: r.required_id(&["registrantKey"])?,
        first_name: r.text(&["firstName"])?,
        last_name: r.text(&["lastName"])?,
        email: r.text(&["email"])?,
        status: r.text(&["status"])?.map(|s| registrant_status(&s)),
        registration_date: r.time(&["registrationDate"])?,
        join_url: r.text(&["joinUrl"])?,
        time_zone: r.text(&["timeZone"])?,
        source: r.text(&["source"])?,
        organization: r.text(&["organization"])?,
        job_title: r.text(&["jobTitle"])?,
        phone: r.text(&["phone"])?,
        country: r.text(&["country"])?,
        responses: r.list(&["responses"], read_answer)?,
    })
}

pub fn read_answer(r: &Record) -> record::Result<RegistrantAnswer> {
    Ok(RegistrantAnswer {
        question: r.text(&["question"])?.unwrap_or_default(),
        answer: r.text(&["answer", "responseText"])?.unwrap_or_default(),
    })
}

fn audio_type(raw: &str) -> Option<AudioType> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "PSTN" => Some(AudioType::Pstn),
        "VOIP" => Some(AudioType::Voip),
        "HYBRID" => Some(AudioType::Hybrid),
        "PRIVATE" => Some(AudioType::Private),
        _ => None,
    }
}

/// GoTo's `Audio`: `confCallNumbers` is an object keyed by country.
fn read_audio(body: &[u8]) -> record::Result<WebinarAudio> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    let mut dial_in = Vec::new();
    if let Some(Value::Object(numbers)) = value.get("confCallNumbers") {
        for (country, v) in numbers {
            let n = Record::from_value(v.clone())
                .map_err(|e| ShapeError(format!("field `confCallNumbers.{country}`: {}", e.0)))?;
            let codes = n.object(&["accessCodes"])?;
            let code = |name: &str| codes.map(|c| c.text(&[name])).transpose();
            dial_in.push(DialIn {
                country: country.clone(),
                toll: n.text(&["toll"])?,
                toll_free: n.text(&["tollFree"])?,
                organizer_code: code("organizer")?.flatten(),
                panelist_code: code("panelist")?.flatten(),
                attendee_code: code("attendee")?.flatten(),
            });
        }
    }
    dial_in.sort_by(|a, b| a.country.cmp(&b.country));
    let r = Record::from_value(value)?;
    let private_info = match r.object(&["privateInfo"])? {
        Some(p) => Some(PrivateAudio {
            attendee: p.text(&["attendee"])?.unwrap_or_default(),
            organizer: p.text(&["organizer"])?,
            panelist: p.text(&["panelist"])?,
        }),
        None => None,
    };
    Ok(WebinarAudio {
        audio_type: r.text(&["type"])?.and_then(|t| audio_type(&t)),
        dial_in,
        private_info,
    })
}

//! GoToAssist Seeit: `create-seeit-session`, `get-seeit-session`,
//! `list-seeit-sessions` (one or more pages per call, bounded).
//!
//! Seeit lives under its own base (`connection.seeit-base`, default
//! [`DEFAULT_SEEIT_BASE`](crate::core::bases::DEFAULT_SEEIT_BASE)), not under `api-base`. Its times are epoch
//! milliseconds both ways; outputs are RFC 3339 UTC.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::core::bases::seeit_api;
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Transport};
use crate::core::pager::{PageRead, Pages, fetch_pages};
use crate::core::record::{self, Record, ShapeError};
use crate::core::validate::input_time;
use crate::exports::seeit::{
    SeeitDataStatus, SeeitSession, SeeitSessionDetails, SeeitSessionPage, SeeitSessionQuery,
    SeeitSessionStatus,
};
use crate::{Connection, Error, SkippedRecord};

/// The most pages one `list-seeit-sessions` call fetches, whatever the caller asks.
pub const MAX_PAGES: u32 = 100;

/// The largest page size accepted (GoTo documents none; this bounds one answer).
pub const MAX_PAGE_SIZE: u32 = 1000;

pub fn create_seeit_session(
    t: &mut dyn Transport,
    conn: &Connection,
) -> Result<SeeitSession, Error> {
    let mut api = seeit_api(t, conn)?;
    let url = api.url(&["sessions"], &[]);
    api.one(Method::Post, url, None, "created session", &|r| {
        Ok(SeeitSession {
            uuid: r.required_text(&["uuid"])?,
            support_key: r.required_text(&["supportKey"])?,
            start_url: r.required_text(&["startUrl"])?,
        })
    })
}

pub fn get_seeit_session(
    t: &mut dyn Transport,
    conn: &Connection,
    uuid: &str,
) -> Result<SeeitSessionDetails, Error> {
    let uuid = check_uuid("uuid", uuid)?;
    let mut api = seeit_api(t, conn)?;
    let url = api.url(&["sessions", uuid], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "session with that uuid",
        &read_details,
    )
    .map_err(explain_get)
}

pub fn list_seeit_sessions(
    t: &mut dyn Transport,
    conn: &Connection,
    q: &SeeitSessionQuery,
) -> Result<SeeitSessionPage, Error> {
    let checked = check_query(q)?;
    let query: Vec<(&str, &str)> = checked
        .query
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let pages = Pages {
        path: &["sessions"],
        query: &query,
        tail: &[],
        first: checked.first,
        max_pages: checked.max_pages,
    };
    let mut api = seeit_api(t, conn)?;
    let mut sessions = Vec::new();
    // The last page read: its `next` and its totals.
    let mut last = None;
    let fetched = fetch_pages(&mut api, conn, &pages, &mut |number, body| {
        let page = read_page(body)?;
        sessions.extend(page.content);
        let more = !page.last && number < i32::MAX as u32;
        let next = more.then_some(number + 1);
        last = Some((next, page.size, page.total_elements, page.total_pages));
        Ok(PageRead {
            next,
            skipped: page.skipped,
            len: page.len,
        })
    })?;
    let (next_page, page_size, total_elements, total_pages) = last.unwrap_or_default();
    Ok(SeeitSessionPage {
        sessions,
        skipped: fetched.skipped,
        first_page: checked.first,
        pages_fetched: fetched.pages,
        next_page,
        page_size,
        total_elements,
        total_pages,
    })
}

/// A checked [`SeeitSessionQuery`]: the query pairs before `page`, the
/// first page and how many pages to fetch.
struct CheckedQuery {
    query: Vec<(&'static str, String)>,
    first: u32,
    max_pages: u32,
}

/// Checks a session query before anything is sent (in field order: times,
/// page, size, sort, maxPages).
fn check_query(q: &SeeitSessionQuery) -> Result<CheckedQuery, Error> {
    let mut query: Vec<(&str, String)> = Vec::new();
    let from = q
        .created_after
        .as_deref()
        .map(|f| input_time("query.createdAfter", f))
        .transpose()?;
    let to = q
        .created_before
        .as_deref()
        .map(|f| input_time("query.createdBefore", f))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to <= from
    {
        return Err(invalid(
            "query.createdBefore",
            "must be after query.createdAfter",
        ));
    }
    if let Some(from) = from {
        query.push(("startTime", from.unix_millis().to_string()));
    }
    if let Some(to) = to {
        query.push(("endTime", to.unix_millis().to_string()));
    }
    let first = q.page.unwrap_or(0);
    if first > i32::MAX as u32 {
        return Err(invalid("query.page", "must be at most 2147483647"));
    }
    if let Some(size) = q.size {
        if !(1..=MAX_PAGE_SIZE).contains(&size) {
            return Err(invalid(
                "query.size",
                format!("must be 1 to {MAX_PAGE_SIZE} (got {size})"),
            ));
        }
        query.push(("size", size.to_string()));
    }
    if let Some(sort) = &q.sort {
        let field = sort.field.trim();
        if field.is_empty()
            || !field
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
        {
            return Err(invalid(
                "query.sort.field",
                format!(
                    "must be a session field name such as sessionCreateTime (got {:?})",
                    sort.field
                ),
            ));
        }
        let order = if sort.descending { "desc" } else { "asc" };
        query.push(("sort", format!("{field},{order}")));
    }
    let max_pages = q.max_pages.unwrap_or(1);
    if !(1..=MAX_PAGES).contains(&max_pages) {
        return Err(invalid(
            "query.maxPages",
            format!("must be 1 to {MAX_PAGES} (got {max_pages})"),
        ));
    }
    Ok(CheckedQuery {
        query,
        first,
        max_pages,
    })
}

/// One `PagedSessionDetails`, with only the numbers GoTo sent.
struct Page {
    content: Vec<SeeitSessionDetails>,
    /// The sessions that could not be read, positions counted on this page.
    skipped: Vec<SkippedRecord>,
    /// How many sessions the page held, read and skipped.
    len: u32,
    size: Option<u32>,
    total_elements: Option<u64>,
    total_pages: Option<u32>,
    /// Whether no page follows this one.
    last: bool,
}

/// Reads one page. GoTo declares `page` required, but a page without it,
/// or without `totalPages`, is read: then a `next` link decides whether a
/// page follows. An empty page is the last.
fn read_page(body: &[u8]) -> record::Result<Page> {
    let mut content = Vec::new();
    let list = record::read_records(body, &["content"], &mut |r| {
        content.push(read_details(r)?);
        Ok(())
    })?;
    let r = &list.rest;
    let has_next = r.list(&["links"], |l| l.text(&["rel"]))?.iter().any(|rel| {
        rel.as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("next"))
    });
    let (number, size, total_elements, total_pages) = match r.object(&["page"])? {
        Some(p) => (
            p.count(&["number"])?,
            p.count(&["size"])?,
            p.id(&["totalElements"])?,
            p.count(&["totalPages"])?,
        ),
        None => (None, None, None, None),
    };
    let last = list.len == 0
        || match (number, total_pages) {
            (Some(n), Some(total)) => n.saturating_add(1) >= total,
            _ => !has_next,
        };
    Ok(Page {
        content,
        skipped: list.skipped,
        len: list.len,
        size,
        total_elements,
        total_pages,
        last,
    })
}

/// One `SessionDetails`.
pub fn read_details(r: &Record) -> record::Result<SeeitSessionDetails> {
    Ok(SeeitSessionDetails {
        uuid: r.required_text(&["uuid"])?,
        support_key: r.required_text(&["supportKey"])?,
        status: session_status(&r.required_text(&["sessionStatus"])?),
        create_time: r
            .time(&["sessionCreateTime"])?
            .ok_or_else(|| ShapeError("field `sessionCreateTime` is missing".into()))?,
        start_time: r.time(&["sessionStartTime"])?,
        join_time: r.time(&["sessionJoinTime"])?,
        end_time: r.time(&["sessionEndTime"])?,
        start_url: r.text(&["startUrl"])?,
        technician_email: r.text(&["technicianEmail"])?,
        recorded: r.flag(&["sessionRecorded"])?,
        notes: r.text(&["sessionNotes"])?,
        data_status: r.text(&["sessionDataStatus"])?.map(|s| data_status(&s)),
        data_size_bytes: r.id(&["sessionDataSize"]).map_err(|_| {
            ShapeError("field `sessionDataSize`: expected a whole number of bytes".into())
        })?,
        data_photo_count: r.count(&["sessionDataPhotoCount"])?,
        data_photo_notes_count: r.count(&["sessionDataPhotoNotesCount"])?,
        data_download_url: r.text(&["sessionDataDownloadUrl"])?,
        data_download_url_expiration: r.time(&["sessionDataDownloadUrlExpiration"])?,
    })
}

pub fn session_status(raw: &str) -> SeeitSessionStatus {
    match raw.trim().to_ascii_uppercase().as_str() {
        "CREATED" => SeeitSessionStatus::Created,
        "STARTED" => SeeitSessionStatus::Started,
        "JOINED" => SeeitSessionStatus::Joined,
        "FINISHED" => SeeitSessionStatus::Finished,
        _ => SeeitSessionStatus::Other(raw.to_string()),
    }
}

pub fn data_status(raw: &str) -> SeeitDataStatus {
    match raw.trim().to_ascii_uppercase().as_str() {
        "NO_DATA" => SeeitDataStatus::NoData,
        "PROCESSING" => SeeitDataStatus::Processing,
        "AVAILABLE" => SeeitDataStatus::Available,
        _ => SeeitDataStatus::Other(raw.to_string()),
    }
}

/// A uuid in canonical form (`3f1c2a9e-6b7d-4c1a-9d8e-2a4b6c8d0e1f`).
fn check_uuid<'s>(field: &str, raw: &'s str) -> Result<&'s str, Error> {
    let u = raw.trim();
    let groups: Vec<&str> = u.split('-').collect();
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if !ok {
        return Err(invalid(
            field,
            format!(
                "must be a session uuid such as 3f1c2a9e-6b7d-4c1a-9d8e-2a4b6c8d0e1f (got {raw:?})"
            ),
        ));
    }
    Ok(u)
}

/// Seeit's 409 means "details not ready yet", its 404 "unknown or expired".
fn explain_get(e: Error) -> Error {
    match e {
        Error::Conflict(mut a) => {
            errors::replace_advice(
                &mut a,
                errors::ADVICE_CONFLICT,
                "Seeit has not finished preparing this session's details yet (usual right after create-seeit-session): retry in a few seconds.",
            );
            Error::Conflict(a)
        }
        Error::NotFound(mut a) => {
            a.message.push_str(
                " Seeit keeps session details for 90 days; the uuid may be wrong or expired.",
            );
            Error::NotFound(a)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;

//! The one pager for GoTo's page-numbered listings (Seeit's
//! `?page=&size=` sessions, the webinar v2 `_embedded` listings): it asks
//! for page after page from a first one, at most `max_pages` of them, and
//! keeps one response-body cap for the whole call — every page may take only
//! what the pages before it left of `max-response-bytes`. Reading a page
//! (and deciding whether another follows) is the caller's.

use alloc::string::ToString;
use alloc::vec::Vec;

use crate::core::client::Api;
use crate::core::errors;
use crate::core::http::Method;
use crate::core::record::{self, add_page};
use crate::{Connection, Error, SkippedRecord};

/// Which pages of which listing to fetch.
pub struct Pages<'q> {
    /// The listing's path under the product base.
    pub path: &'q [&'q str],
    /// Query pairs sent before `page`.
    pub query: &'q [(&'q str, &'q str)],
    /// Query pairs sent after `page` (e.g. the webinar listings' `size`).
    pub tail: &'q [(&'q str, &'q str)],
    /// The first page number asked for.
    pub first: u32,
    /// The most pages to fetch (at least one is).
    pub max_pages: u32,
}

/// What the caller read from one page.
pub struct PageRead {
    /// The page number to ask for next, if another page follows.
    pub next: Option<u32>,
    /// The records skipped on this page, positions counted on this page.
    pub skipped: Vec<SkippedRecord>,
    /// How many records the page held, read and skipped.
    pub len: u32,
}

/// What the pages fetched came to.
pub struct Fetched {
    /// How many pages were fetched.
    pub pages: u32,
    /// Every page's skipped records, positions counted from the first
    /// record of the first page fetched.
    pub skipped: Vec<SkippedRecord>,
}

/// Fetches `GET {path}?{query}&page={n}&{tail}` from `pages.first`, handing
/// each answer's body and page number to `read`, until `read` says no page
/// follows or `pages.max_pages` were fetched. A body `read` cannot read
/// fails the call as `invalid-response`. All pages share one body cap:
/// the call's `max-response-bytes`, lowered by every body received (the
/// cap is restored once the pages are fetched).
pub fn fetch_pages(
    api: &mut Api,
    conn: &Connection,
    pages: &Pages,
    read: &mut dyn FnMut(u32, &[u8]) -> record::Result<PageRead>,
) -> Result<Fetched, Error> {
    let cap = api.max_response_bytes();
    let fetched = fetch_capped(api, conn, pages, cap, read);
    api.set_max_response_bytes(cap);
    fetched
}

fn fetch_capped(
    api: &mut Api,
    conn: &Connection,
    pages: &Pages,
    cap: u64,
    read: &mut dyn FnMut(u32, &[u8]) -> record::Result<PageRead>,
) -> Result<Fetched, Error> {
    let mut used = 0u64;
    let mut fetched = Fetched {
        pages: 0,
        skipped: Vec::new(),
    };
    let mut before = 0u32;
    let mut number = pages.first;
    loop {
        let page_text = number.to_string();
        let mut pairs: Vec<(&str, &str)> = pages.query.to_vec();
        pairs.push(("page", &page_text));
        pairs.extend_from_slice(pages.tail);
        let url = api.url(pages.path, &pairs);
        api.set_max_response_bytes(cap - used);
        let resp = api.send(Method::Get, url, None)?;
        used = used.saturating_add(resp.body.len() as u64).min(cap);
        let page = read(number, &resp.body).map_err(|e| {
            errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Get)
        })?;
        fetched.pages += 1;
        before = add_page(&mut fetched.skipped, page.skipped, before, page.len);
        match page.next {
            Some(next) if fetched.pages < pages.max_pages => number = next,
            _ => return Ok(fetched),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CallSettings;
    use crate::core::testing::{conn, script};

    /// Pages of `n` bytes each; page 3 is the last.
    fn read(number: u32, body: &[u8]) -> record::Result<PageRead> {
        Ok(PageRead {
            next: (number < 3).then_some(number + 1),
            skipped: Vec::new(),
            len: body.len() as u32,
        })
    }

    #[test]
    fn one_cap_is_shared_by_every_page_of_a_call() {
        let mut t = script(vec![(200, "aaaa"), (200, "bbb"), (200, "cc"), (200, "d")]);
        let mut c = conn();
        c.settings = Some(CallSettings {
            connect_timeout_ms: None,
            first_byte_timeout_ms: None,
            between_bytes_timeout_ms: None,
            max_response_bytes: Some(10),
            max_retries: None,
            retry_budget_ms: None,
        });
        let mut api = Api::new(&mut t, &c, &["v1"]).unwrap();
        let pages = Pages {
            path: &["things"],
            query: &[("q", "x")],
            tail: &[("size", "2")],
            first: 1,
            max_pages: 5,
        };
        let f = fetch_pages(&mut api, &c, &pages, &mut read).unwrap();
        assert_eq!(f.pages, 3);
        assert_eq!(api.max_response_bytes(), 10, "restored after the call");
        let caps: Vec<u64> = t
            .sent
            .iter()
            .map(|r| r.options.max_response_bytes)
            .collect();
        assert_eq!(caps, [10, 6, 3]);
        assert_eq!(
            t.sent[1].url.as_str(),
            "https://api.getgo.com/v1/things?q=x&page=2&size=2"
        );
    }

    #[test]
    fn max_pages_stops_the_pager_and_an_unreadable_page_fails_the_call() {
        let mut t = script(vec![(200, "a"), (200, "b")]);
        let c = conn();
        let mut api = Api::new(&mut t, &c, &[]).unwrap();
        let pages = Pages {
            path: &["p"],
            query: &[],
            tail: &[],
            first: 0,
            max_pages: 1,
        };
        assert_eq!(
            fetch_pages(&mut api, &c, &pages, &mut read).unwrap().pages,
            1
        );
        let mut bad = |_: u32, _: &[u8]| Err(record::ShapeError("no page".into()));
        assert!(matches!(
            fetch_pages(&mut api, &c, &pages, &mut bad),
            Err(Error::InvalidResponse(_))
        ));
        assert_eq!(t.sent.len(), 2);
    }
}

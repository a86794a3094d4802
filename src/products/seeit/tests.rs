use super::*;
use crate::core::testing::{conn, script};
use crate::exports::seeit::SeeitSort;

fn query() -> SeeitSessionQuery {
    SeeitSessionQuery {
        created_after: None,
        created_before: None,
        page: None,
        size: None,
        sort: None,
        max_pages: None,
    }
}

const UUID: &str = "3f1c2a9e-6b7d-4c1a-9d8e-2a4b6c8d0e1f";

const PAGE0: &str = r#"{"content":[{"uuid":"3f1c2a9e-6b7d-4c1a-9d8e-2a4b6c8d0e1f","supportKey":"123-456-789",
    "sessionStatus":"FINISHED","sessionCreateTime":1436824800000,"sessionDataStatus":"ARCHIVED"}],
    "links":[],"page":{"number":0,"size":1,"totalElements":3,"totalPages":3}}"#;
const PAGE1: &str = r#"{"content":[{"uuid":"u1","supportKey":"1","sessionStatus":"JOINED","sessionCreateTime":1436824900000}],
    "links":[],"page":{"number":1,"size":1,"totalElements":3,"totalPages":3}}"#;
const PAGE2: &str = r#"{"content":[{"uuid":"u2","supportKey":"2","sessionStatus":"CREATED","sessionCreateTime":1436825000000}],
    "links":[],"page":{"number":2,"size":1,"totalElements":3,"totalPages":3}}"#;

#[test]
fn all_pages_stop_at_the_last_page() {
    let mut t = script(vec![(200, PAGE0), (200, PAGE1), (200, PAGE2)]);
    let mut q = query();
    q.size = Some(1);
    q.max_pages = Some(10);
    q.created_after = Some("2015-07-13T00:00:00Z".into());
    q.sort = Some(SeeitSort {
        field: "sessionCreateTime".into(),
        descending: true,
    });
    let p = list_seeit_sessions(&mut t, &conn(), &q).unwrap();
    assert_eq!(
        (p.sessions.len(), p.pages_fetched, p.next_page),
        (3, 3, None)
    );
    assert_eq!(
        (p.first_page, p.page_size, p.total_elements, p.total_pages),
        (0, Some(1), Some(3), Some(3))
    );
    assert_eq!(p.sessions[0].create_time, "2015-07-13T22:00:00Z");
    assert!(matches!(p.sessions[0].status, SeeitSessionStatus::Finished));
    assert!(
        matches!(&p.sessions[0].data_status, Some(SeeitDataStatus::Other(s)) if s == "ARCHIVED")
    );
    assert_eq!(
        t.sent[1].url.as_str(),
        "https://api.citrixonline.com/seeit/v1/sessions?startTime=1436745600000&size=1&sort=sessionCreateTime%2Cdesc&page=1"
    );
}

#[test]
fn max_pages_bounds_the_requests_and_says_more() {
    let mut t = script(vec![(200, PAGE0), (200, PAGE1), (200, PAGE2)]);
    let mut q = query();
    q.max_pages = Some(2);
    let p = list_seeit_sessions(&mut t, &conn(), &q).unwrap();
    assert_eq!(
        (p.sessions.len(), p.pages_fetched, p.next_page),
        (2, 2, Some(2))
    );
    assert_eq!(t.sent.len(), 2);
}

#[test]
fn a_page_that_never_ends_is_still_bounded() {
    let endless: Vec<(u16, &'static str)> = (0..200).map(|_| (200, PAGE0)).collect();
    let mut t = script(endless);
    let mut q = query();
    q.max_pages = Some(MAX_PAGES);
    let p = list_seeit_sessions(&mut t, &conn(), &q).unwrap();
    assert_eq!(p.pages_fetched, MAX_PAGES);
    assert_eq!(p.next_page, Some(MAX_PAGES));
    let mut q = query();
    q.max_pages = Some(MAX_PAGES + 1);
    assert!(matches!(
        list_seeit_sessions(&mut t, &conn(), &q),
        Err(Error::InvalidInput(m)) if m.starts_with("query.maxPages: ")
    ));
}

#[test]
fn only_what_goto_reports_is_returned() {
    // No `page` object: a `next` link says a page follows; no totals are made up.
    let bare = r#"{"content":[{"uuid":"u1","supportKey":"1","sessionStatus":"JOINED","sessionCreateTime":1436824900000}],
        "links":[{"rel":"next","href":"x"}]}"#;
    let mut t = script(vec![(200, bare), (200, r#"{"content":[]}"#)]);
    let mut q = query();
    q.page = Some(4);
    q.max_pages = Some(5);
    let p = list_seeit_sessions(&mut t, &conn(), &q).unwrap();
    assert_eq!((p.first_page, p.pages_fetched, p.next_page), (4, 2, None));
    assert_eq!(
        (p.page_size, p.total_elements, p.total_pages),
        (None, None, None)
    );
    assert_eq!(p.sessions.len(), 1);
    // A page object without totals: the link decides, totals stay absent.
    let partial = r#"{"content":[{"uuid":"u1","supportKey":"1","sessionStatus":"JOINED","sessionCreateTime":1436824900000}],
        "links":[],"page":{"number":0,"size":1}}"#;
    let mut t = script(vec![(200, partial)]);
    let p = list_seeit_sessions(&mut t, &conn(), &query()).unwrap();
    assert_eq!(
        (p.page_size, p.total_elements, p.next_page),
        (Some(1), None, None)
    );
}

#[test]
fn the_response_cap_is_for_all_pages_together() {
    let mut c = conn();
    c.settings = Some(crate::CallSettings {
        connect_timeout_ms: None,
        first_byte_timeout_ms: None,
        between_bytes_timeout_ms: None,
        max_response_bytes: Some(1000),
        max_retries: None,
        retry_budget_ms: None,
    });
    let mut t = script(vec![(200, PAGE0), (200, PAGE1), (200, PAGE2)]);
    let mut q = query();
    q.max_pages = Some(3);
    list_seeit_sessions(&mut t, &c, &q).unwrap();
    let caps: Vec<u64> = t
        .sent
        .iter()
        .map(|r| r.options.max_response_bytes)
        .collect();
    let (a, b) = (PAGE0.len() as u64, PAGE1.len() as u64);
    assert_eq!(caps, vec![1000, 1000 - a, 1000 - a - b]);
}

#[test]
fn get_explains_409_and_validates_the_uuid() {
    let mut t = script(vec![(409, "")]);
    match get_seeit_session(&mut t, &conn(), UUID) {
        Err(Error::Conflict(a)) => {
            assert!(a.message.contains("retry"), "{}", a.message);
            assert!(
                !a.message.contains(errors::ADVICE_CONFLICT),
                "{}",
                a.message
            );
        }
        other => panic!("{other:?}"),
    }
    let mut t = script(vec![]);
    assert!(matches!(
        get_seeit_session(&mut t, &conn(), "not-a-uuid"),
        Err(Error::InvalidInput(m)) if m.starts_with("uuid: ")
    ));
    assert!(t.sent.is_empty());
}

#[test]
fn seeit_base_is_configurable() {
    let mut t = script(vec![(
        201,
        r#"{"uuid":"3f1c2a9e-6b7d-4c1a-9d8e-2a4b6c8d0e1f","supportKey":"123-456-789","startUrl":"https://x/s"}"#,
    )]);
    let c = Connection {
        access_token: "test-token".into(),
        api_base: None,
        seeit_base: Some("https://api.getgo.com/seeit/v1/".into()),
        settings: None,
    };
    let s = create_seeit_session(&mut t, &c).unwrap();
    assert_eq!(s.support_key, "123-456-789");
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/seeit/v1/sessions"
    );
    let bad = Connection {
        seeit_base: Some("ftp://x".into()),
        ..c
    };
    assert!(matches!(
        create_seeit_session(&mut t, &bad),
        Err(Error::InvalidInput(m)) if m.starts_with("connection.seeitBase")
    ));
}

#[test]
fn bad_queries_are_refused() {
    let mut t = script(vec![]);
    let mut q = query();
    q.created_after = Some("2026-01-02T00:00:00Z".into());
    q.created_before = Some("2026-01-01T00:00:00Z".into());
    assert!(matches!(
        list_seeit_sessions(&mut t, &conn(), &q),
        Err(Error::InvalidInput(m)) if m == "query.createdBefore: must be after query.createdAfter"
    ));
    let mut q = query();
    q.size = Some(0);
    assert!(list_seeit_sessions(&mut t, &conn(), &q).is_err());
    let mut q = query();
    q.sort = Some(SeeitSort {
        field: "a&b=c".into(),
        descending: false,
    });
    assert!(list_seeit_sessions(&mut t, &conn(), &q).is_err());
    assert!(t.sent.is_empty());
}

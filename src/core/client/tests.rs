use super::*;
use crate::core::testing::{canned, conn, script};
use crate::{CallSettings, Connection};

fn get(t: &mut dyn Transport, c: &Connection, method: Method) -> Result<Response, Error> {
    let mut api = Api::new(t, c, &["G2M", "rest"])?;
    let url = api.url(&["meetings"], &[]);
    api.send(method, url, None)
}

#[test]
fn both_constructors_check_the_token_then_the_base_and_append_the_product() {
    let mut t = canned(200, "{}");
    let mut c = conn();
    c.api_base = Some("https://eu.example.com/proxy/".into());
    let api = Api::new(&mut t, &c, &["G2M", "rest"]).unwrap();
    assert_eq!(
        api.url(&["x"], &[]).as_str(),
        "https://eu.example.com/proxy/G2M/rest/x"
    );
    let api = Api::with_base(&mut t, &c, "https://s.example.com", "f", &["v1"]).unwrap();
    assert_eq!(api.url(&["x"], &[]).as_str(), "https://s.example.com/v1/x");
    c.api_base = Some("ftp://example.com".into());
    assert!(matches!(
        Api::new(&mut t, &c, &[]).map(drop),
        Err(Error::InvalidInput(m)) if m.starts_with("connection.apiBase:")
    ));
    assert!(matches!(
        Api::with_base(&mut t, &c, "nope", "connection.seeitBase", &[]).map(drop),
        Err(Error::InvalidInput(m)) if m.starts_with("connection.seeitBase:")
    ));
    c.access_token = " ".into();
    assert!(matches!(
        Api::new(&mut t, &c, &[]).map(drop),
        Err(Error::InvalidInput(m)) if m.starts_with("connection.accessToken:")
    ));
    assert!(t.sent.is_empty());
}

#[test]
fn a_get_is_retried_after_503_and_succeeds() {
    let mut t = script(vec![(503, ""), (200, "[]")]);
    assert_eq!(get(&mut t, &conn(), Method::Get).unwrap().status, 200);
    assert_eq!(t.sent.len(), 2);
    assert_eq!(t.pauses, vec![125]);
}

#[test]
fn the_retry_budget_is_the_calls_not_each_requests() {
    // Default: 2 retries. Two requests of one call that each meet a
    // 503 get two retries between them, not two each.
    let mut t = script(vec![
        (503, ""),
        (200, "[]"),
        (503, ""),
        (503, ""),
        (503, ""),
    ]);
    let c = conn();
    let mut api = Api::new(&mut t, &c, &["G2M", "rest"]).unwrap();
    let url = api.url(&["meetings"], &[]);
    assert_eq!(
        api.send(Method::Get, url.clone(), None).unwrap().status,
        200
    );
    assert!(matches!(
        api.send(Method::Get, url, None),
        Err(Error::Server(a)) if a.status == 503
    ));
    assert_eq!(t.sent.len(), 4);
    assert_eq!(t.pauses.len(), 2);
}

#[test]
fn a_404_on_a_retried_delete_is_success() {
    for first in [502, 503, 504] {
        let mut t = script(vec![(first, ""), (404, "")]);
        assert_eq!(get(&mut t, &conn(), Method::Delete).unwrap().status, 404);
        assert_eq!(t.sent.len(), 2);
    }
    // Not after a 429 (GoTo refused the first attempt), not for a
    // first attempt, and not for other methods.
    let mut t = script(vec![(429, ""), (404, "")]);
    assert!(matches!(
        get(&mut t, &conn(), Method::Delete),
        Err(Error::NotFound(_))
    ));
    let mut t = script(vec![(404, "")]);
    assert!(matches!(
        get(&mut t, &conn(), Method::Delete),
        Err(Error::NotFound(_))
    ));
    let mut t = script(vec![(503, ""), (404, "")]);
    assert!(matches!(
        get(&mut t, &conn(), Method::Put),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn a_retried_change_that_may_have_reached_goto_says_maybe() {
    // PUT: 503 (GoTo may have applied it), then a 400 on the retry.
    let mut t = script(vec![(503, ""), (400, "")]);
    match get(&mut t, &conn(), Method::Put) {
        Err(Error::BadRequest(a)) => assert!(matches!(a.applied, crate::Applied::Maybe)),
        other => panic!("{other:?}"),
    }
    // A read is never applied; a plain 400 to a change is not either.
    let mut t = script(vec![(503, ""), (400, "")]);
    match get(&mut t, &conn(), Method::Get) {
        Err(Error::BadRequest(a)) => assert!(matches!(a.applied, crate::Applied::No)),
        other => panic!("{other:?}"),
    }
    let mut t = script(vec![(400, "")]);
    match get(&mut t, &conn(), Method::Put) {
        Err(Error::BadRequest(a)) => assert!(matches!(a.applied, crate::Applied::No)),
        other => panic!("{other:?}"),
    }
    // A 5xx to a POST (never retried) leaves it open.
    let mut t = script(vec![(500, "")]);
    match get(&mut t, &conn(), Method::Post) {
        Err(Error::Server(a)) => assert!(matches!(a.applied, crate::Applied::Maybe)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_post_is_never_retried() {
    let mut t = script(vec![(503, ""), (200, "{}")]);
    assert!(matches!(
        get(&mut t, &conn(), Method::Post),
        Err(Error::Server(a)) if a.status == 503
    ));
    assert_eq!(t.sent.len(), 1);
    assert!(t.pauses.is_empty());
}

#[test]
fn exhausted_budget_gives_rate_limited_with_retry_after() {
    let mut t = canned(429, r#"{"message":"slow down"}"#).with_header("Retry-After", "1");
    match get(&mut t, &conn(), Method::Get) {
        Err(Error::RateLimited(a)) => assert_eq!(a.retry_after_seconds, Some(1)),
        other => panic!("{other:?}"),
    }
    // Default budget 2000 ms: two waits of 1 s, then the 429 is returned.
    assert_eq!(t.sent.len(), 3);
    assert_eq!(t.pauses, vec![1000, 1000]);
}

#[test]
fn a_retry_after_date_is_waited_from_the_wall_clock() {
    let mut t = script(vec![(503, ""), (200, "[]")])
        .with_header("Retry-After", "Wed, 01 Jul 2026 00:00:01 GMT");
    t.clock = crate::core::time::parse_rfc3339("2026-07-01T00:00:00Z");
    assert_eq!(get(&mut t, &conn(), Method::Get).unwrap().status, 200);
    assert_eq!(t.pauses, vec![1000]);
}

#[test]
fn settings_reach_the_request_and_can_turn_retries_off() {
    let mut c = conn();
    c.settings = Some(CallSettings {
        connect_timeout_ms: Some(1000),
        first_byte_timeout_ms: Some(2000),
        between_bytes_timeout_ms: None,
        max_response_bytes: Some(4096),
        max_retries: Some(0),
        retry_budget_ms: None,
    });
    let mut t = canned(503, "");
    assert!(matches!(
        get(&mut t, &c, Method::Get),
        Err(Error::Server(_))
    ));
    assert_eq!(t.sent.len(), 1);
    let o = t.sent[0].options;
    assert_eq!(
        (
            o.connect_timeout_ms,
            o.first_byte_timeout_ms,
            o.between_bytes_timeout_ms
        ),
        (Some(1000), Some(2000), None)
    );
    assert_eq!(o.max_response_bytes, 4096);
    let mut t = canned(200, "[]");
    get(&mut t, &conn(), Method::Get).unwrap();
    assert_eq!(
        t.sent[0].options.max_response_bytes,
        crate::core::http::DEFAULT_MAX_RESPONSE_BYTES
    );
}

//! Every fault and hostile response of issue 6: each gives a typed error
//! (never a trap), and the next call on the same connector works.

use std::time::{Duration, Instant};

use goto_host::fault::Fault;
use goto_host::{HostError, Limits, Response};
use serde_json::{Value, json};

use crate::{call_on, connector, error_kind, error_text, meeting_ok, next_call_works, token};

fn get_meeting(connection: Value, answers: Vec<Response>) -> (Value, Vec<String>) {
    let (out, seen) = call_on(
        connector(),
        "get-meeting",
        connection,
        json!({"meetingId": 123456789}),
        answers,
    );
    let out = out.expect("a typed result, not a trap");
    assert!(out.denied.is_empty(), "{:?}", out.denied);
    (out.result, seen)
}

/// Asserts the error kind (and a piece of its text), then that the next
/// call on the same connector succeeds.
fn expect(result: &Value, kind: &str, text: &str) {
    assert_eq!(error_kind(result).as_deref(), Some(kind), "{result}");
    assert!(
        error_text(result).contains(text),
        "expected {text:?} in {result}"
    );
    next_call_works(connector());
}

#[test]
fn connection_reset_before_headers() {
    let mut a = meeting_ok();
    a.fault = Some(Fault::ResetBeforeHeaders);
    let (r, _) = get_meeting(token(), vec![a]);
    expect(&r, "transport", "connection-terminated");
}

#[test]
fn connection_reset_in_the_middle_of_the_body() {
    let mut a = meeting_ok();
    a.fault = Some(Fault::ResetMidBody);
    let (r, _) = get_meeting(token(), vec![a]);
    expect(&r, "transport", "connection terminated");
}

#[test]
fn truncated_json_body() {
    let (r, _) = get_meeting(
        token(),
        vec![Response::new(
            200,
            &[("content-type", "application/json")],
            r#"[{"meetingId":123456789,"subj"#,
        )],
    );
    expect(&r, "invalid-response", "HTTP 200");
}

#[test]
fn invalid_utf8_body() {
    let mut body = br#"[{"meetingId":123456789,"subject":""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(br#""}]"#);
    let (r, _) = get_meeting(token(), vec![Response::new(200, &[], body)]);
    expect(&r, "invalid-response", "HTTP 200");
}

#[test]
fn bad_gateway_with_an_html_page() {
    let html = Response::new(
        502,
        &[("content-type", "text/html")],
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    );
    let (r, seen) = get_meeting(token(), vec![html]);
    assert_eq!(error_kind(&r).as_deref(), Some("server"), "{r}");
    assert_eq!(r["error"]["server"]["status"], 502);
    // 502 on a GET is retried: the first try plus the default 2 retries.
    assert_eq!(seen.len(), 3);
    next_call_works(connector());
}

#[test]
fn ok_with_an_empty_body() {
    let (r, _) = get_meeting(token(), vec![Response::new(200, &[], "")]);
    expect(&r, "invalid-response", "HTTP 200");
}

#[test]
fn ok_with_a_wrong_json_type_at_every_level() {
    let bodies = [
        // the top level
        r#""a string""#,
        "42",
        "true",
        "null",
        // the list's element
        "[1]",
        r#"["x"]"#,
        "[[]]",
        "[null]",
        // a field
        r#"[{"meetingId":{},"subject":"s"}]"#,
        r#"[{"meetingId":"not a number","subject":"s"}]"#,
        r#"[{"meetingId":123456789,"subject":{"a":1}}]"#,
        r#"[{"meetingId":123456789,"subject":"s","startTime":[1]}]"#,
        r#"[{"meetingId":123456789,"subject":"s","startTime":"2012-12-01T09:00:00Z","endTime":"2012-12-01T10:00:00Z","maxParticipants":"many"}]"#,
        // inside a nested value
        r#"[{"meetingId":123456789,"subject":"s","startTime":"2012-12-01T09:00:00Z","endTime":"2012-12-01T10:00:00Z","coorganizerKeys":[{"x":1}]}]"#,
    ];
    for body in bodies {
        let (r, _) = get_meeting(token(), vec![Response::new(200, &[], body)]);
        assert_eq!(
            error_kind(&r).as_deref(),
            Some("invalid-response"),
            "{body} -> {r}"
        );
    }
    next_call_works(connector());
}

#[test]
fn a_body_over_the_cap_announced_by_content_length() {
    let settings = json!({"accessToken": "test-token", "settings": {"maxResponseBytes": 1000}});
    let body = format!("[{}]", "1,".repeat(1000) + "1");
    let len = body.len().to_string();
    let (r, _) = get_meeting(
        settings,
        vec![Response::new(
            200,
            &[("content-length", len.as_str())],
            body,
        )],
    );
    expect(
        &r,
        "transport",
        "larger than the 1000-byte limit (2003 bytes announced)",
    );
}

#[test]
fn a_body_over_the_default_cap_streamed() {
    // 17 MiB without a Content-Length: refused while reading, at 16 MiB.
    let body = vec![b' '; 17 << 20];
    let (r, _) = get_meeting(token(), vec![Response::new(200, &[], body)]);
    expect(&r, "transport", "larger than the 16777216-byte limit");
}

#[test]
fn a_body_that_arrives_in_pieces() {
    // With and without Content-Length, the pieces make the same meeting.
    let whole = get_meeting(token(), vec![meeting_ok()]).0;
    assert!(whole.get("ok").is_some(), "{whole}");
    for bytes in [1, 7, 4096] {
        for announced in [false, true] {
            let mut a = meeting_ok();
            if announced {
                let len = a.body.len().to_string();
                a.headers.push(("content-length".into(), len));
            }
            a.fault = Some(Fault::Chunked { bytes });
            let (r, _) = get_meeting(token(), vec![a]);
            assert_eq!(r, whole, "{bytes}-byte pieces, content-length {announced}");
        }
    }
    // Over the cap, piece by piece: refused at the limit.
    let settings = json!({"accessToken": "test-token", "settings": {"maxResponseBytes": 1000}});
    let mut a = Response::new(200, &[], vec![b' '; 5000]);
    a.fault = Some(Fault::Chunked { bytes: 300 });
    let (r, _) = get_meeting(settings, vec![a]);
    expect(&r, "transport", "larger than the 1000-byte limit");
}

#[test]
fn a_response_slower_than_the_first_byte_timeout() {
    let mut a = meeting_ok();
    a.fault = Some(Fault::Delay { ms: 10_000 });
    let start = Instant::now();
    let (r, _) = get_meeting(
        json!({"accessToken": "test-token", "settings": {"firstByteTimeoutMs": 100}}),
        vec![a],
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    expect(&r, "transport", "HTTP-response-timeout");
}

#[test]
fn a_response_slower_than_the_call_time_limit() {
    let c = connector().clone().with_limits(Limits {
        time: Duration::from_millis(300),
        ..Limits::default()
    });
    let mut a = meeting_ok();
    a.fault = Some(Fault::Delay { ms: 10_000 });
    let start = Instant::now();
    let (out, _) = call_on(&c, "get-meeting", token(), json!({"meetingId": 1}), vec![a]);
    let r = out
        .expect("the host cut the wait short with a typed error")
        .result;
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(error_kind(&r).as_deref(), Some("transport"), "{r}");
    assert!(error_text(&r).contains("HTTP-response-timeout"), "{r}");
    next_call_works(&c);
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let (r, seen) = get_meeting(
        token(),
        vec![Response::new(
            302,
            &[("location", "https://evil.example/steal")],
            "",
        )],
    );
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("api.getgo.com"));
    assert_eq!(error_kind(&r).as_deref(), Some("unexpected-status"), "{r}");
    assert_eq!(r["error"]["unexpected-status"]["status"], 302);
    next_call_works(connector());
}

#[test]
fn a_header_over_the_size_limit() {
    let big = "x".repeat(200 << 10);
    let (r, _) = get_meeting(
        token(),
        vec![Response::new(200, &[("x-padding", big.as_str())], "[]")],
    );
    expect(&r, "transport", "HTTP-response-header-size");
}

/// `list-upcoming-meetings` with a valid list of about `mib` MiB.
fn big_list(mib: usize) -> goto_host::Response {
    let item = r#"{"meetingId":123456789,"subject":"a subject long enough to take some room","startTime":"2012-12-01T09:00:00.+0000","endTime":"2012-12-01T10:00:00.+0000","meetingType":"Scheduled"}"#;
    let n = (mib << 20) / (item.len() + 1);
    let body = format!("[{}]", vec![item; n].join(","));
    Response::new(200, &[("content-type", "application/json")], body)
}

#[test]
fn a_call_over_its_memory_limit_ends_with_a_clear_error() {
    let c = connector().clone().with_limits(Limits {
        memory_bytes: 16 << 20,
        ..Limits::default()
    });
    let (out, _) = call_on(
        &c,
        "list-upcoming-meetings",
        token(),
        json!({}),
        vec![big_list(12)],
    );
    let e = out.expect_err("the call must not fit in 16 MiB");
    assert_eq!(
        e,
        HostError::MemoryLimit {
            limit_bytes: 16 << 20
        }
    );
    assert!(!e.retryable());
    assert_eq!(e.to_string(), "the call exceeded its 16 MiB memory limit");
    next_call_works(&c);
}

#[test]
fn a_call_over_its_time_limit_ends_with_a_clear_error() {
    let c = connector().clone().with_limits(Limits {
        memory_bytes: 1 << 30,
        time: Duration::from_millis(50),
    });
    let start = Instant::now();
    let (out, _) = call_on(
        &c,
        "list-upcoming-meetings",
        token(),
        json!({}),
        vec![big_list(15)],
    );
    let e = out.expect_err("parsing 15 MiB takes longer than 50 ms");
    assert!(
        matches!(e, HostError::TimeLimit { limit, requests_sent: 1 } if limit == Duration::from_millis(50)),
        "{e:?}"
    );
    assert!(e.retryable());
    assert_eq!(e.to_string(), "the call exceeded its 0.05 s time limit");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    next_call_works(&c);
}

#[test]
fn retries_run_in_virtual_time_under_replay() {
    let (out, seen) = call_on(
        connector(),
        "get-meeting",
        token(),
        json!({"meetingId": 123456789}),
        vec![Response::new(503, &[], ""), meeting_ok()],
    );
    let out = out.unwrap();
    assert_eq!(out.result["ok"]["meetingId"], "123456789");
    assert_eq!(seen.len(), 2);
    assert_eq!(out.sleeps_ms.len(), 1);
    // Backoff 250 ms with half jitter: within [125, 250].
    assert!(
        (125..=250).contains(&out.sleeps_ms[0]),
        "{:?}",
        out.sleeps_ms
    );
}

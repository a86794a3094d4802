use serde_json::{Value, json};

use super::*;
use crate::core::testing::{canned, conn};
use crate::exports::webinars::WebinarTime;

fn slot(day: u32) -> WebinarTime {
    WebinarTime {
        start: format!("2026-07-{day:02}T15:00:00Z"),
        end: format!("2026-07-{day:02}T16:00:00Z"),
    }
}

fn copy(times: Vec<WebinarTime>, sequence: bool) -> WebinarCopy {
    WebinarCopy {
        subject: " Quarterly update (copy) ".into(),
        description: None,
        times,
        sequence,
        time_zone: Some("Europe/Paris".into()),
    }
}

#[test]
fn in_session_sends_the_window_only_when_given() {
    let mut t = canned(
        200,
        r#"[{"webinarKey":"8975612342765837581","subject":"Live","inSession":true,
            "times":[{"startTime":"2026-03-01T15:00:00.+0000","endTime":"2026-03-01T16:00:00.+0000"}]},
            {"subject":"no key"}]"#,
    );
    let out = list_in_session_webinars(&mut t, &conn(), 7, None).unwrap();
    assert_eq!(out.webinars[0].webinar_key, 8975612342765837581);
    assert_eq!(out.webinars[0].times[0].start, "2026-03-01T15:00:00Z");
    assert_eq!(out.skipped.len(), 1);
    let range = DateRange {
        start: "2026-03-01T00:00:00Z".into(),
        end: "2026-03-02T00:00:00Z".into(),
    };
    list_in_session_webinars(&mut t, &conn(), 7, Some(&range)).unwrap();
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/organizers/7/insessionWebinars"
    );
    assert_eq!(
        t.sent[1].url.query(),
        Some("fromTime=2026-03-01T00%3A00%3A00Z&toTime=2026-03-02T00%3A00%3A00Z")
    );
}

#[test]
fn meeting_times_are_utc_and_a_broken_one_is_skipped() {
    let mut t = canned(
        200,
        r#"[{"startTime":"2026-07-01T11:00:00-04:00","endTime":"2026-07-01T12:00:00-04:00"},{"startTime":"2026-07-02T15:00:00Z"}]"#,
    );
    let out = list_webinar_meeting_times(&mut t, &conn(), 1, 2).unwrap();
    assert_eq!(out.times[0].start, "2026-07-01T15:00:00Z");
    assert!(out.skipped[0].reason.contains("endTime"));
}

#[test]
fn start_url_is_only_an_http_url() {
    let mut t = canned(
        200,
        r#"{"startUrl":"https://global.gotowebinar.com/start/8975612342765837581?t=x"}"#,
    );
    assert!(
        get_webinar_start_url(&mut t, &conn(), 2)
            .unwrap()
            .starts_with("https://global.gotowebinar.com/start/")
    );
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/webinars/2/startUrl"
    );
    for body in [
        r#"{"startUrl":"javascript:alert(1)"}"#,
        r#"{"startUrl":"file.exe"}"#,
        r#"{}"#,
        "MZ\u{90}binary",
    ] {
        let mut t = canned(200, body);
        match get_webinar_start_url(&mut t, &conn(), 2) {
            Err(Error::InvalidResponse(m)) => assert!(!m.message.contains("alert"), "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn copy_sends_the_kind_the_times_say_and_is_never_retried() {
    let mut t = canned(201, r#"{"webinarKey":"9007199254740993"}"#);
    let key = copy_webinar(&mut t, &conn(), 2, &copy(vec![slot(1), slot(2)], true)).unwrap();
    assert_eq!(key, 9007199254740993);
    assert_eq!(t.sent[0].method, Method::Put);
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/webinars/2/copy"
    );
    let body: Value = serde_json::from_slice(t.sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"subject":"Quarterly update (copy)","type":"sequence",
               "times":[{"startTime":"2026-07-01T15:00:00Z","endTime":"2026-07-01T16:00:00Z"},
                        {"startTime":"2026-07-02T15:00:00Z","endTime":"2026-07-02T16:00:00Z"}],
               "timeZone":"Europe/Paris"})
    );
    let mut t = canned(503, "");
    assert!(matches!(
        copy_webinar(&mut t, &conn(), 2, &copy(vec![slot(1)], false)),
        Err(Error::Server(e)) if matches!(e.applied, crate::Applied::Maybe)
    ));
    assert_eq!(t.sent.len(), 1);
}

#[test]
fn bad_copies_are_refused_before_sending() {
    let mut t = canned(201, r#"{"webinarKey":"1"}"#);
    for (c, want) in [
        (copy(vec![], false), "copy.times: must hold at least one"),
        (copy(vec![slot(1)], true), "copy.sequence"),
        (
            copy(
                vec![slot(2), slot(1)]
                    .into_iter()
                    .map(|mut s| {
                        s.end = "2026-06-01T00:00:00Z".into();
                        s
                    })
                    .collect(),
                false,
            ),
            "copy.times[0].end: must be after start",
        ),
        (
            WebinarCopy {
                subject: "".into(),
                ..copy(vec![slot(1)], false)
            },
            "copy.subject",
        ),
        (
            WebinarCopy {
                time_zone: Some("Paris".into()),
                ..copy(vec![slot(1)], false)
            },
            "copy.timeZone",
        ),
    ] {
        match copy_webinar(&mut t, &conn(), 2, &c) {
            Err(Error::InvalidInput(m)) => assert!(m.starts_with(want), "{m} vs {want}"),
            other => panic!("{want}: {other:?}"),
        }
    }
    assert!(matches!(
        copy_webinar(&mut t, &conn(), 0, &copy(vec![slot(1)], false)),
        Err(Error::InvalidInput(m)) if m.starts_with("webinarKey")
    ));
    assert!(t.sent.is_empty());
}

use serde_json::Value;

use super::webinar::*;
use crate::Error;
use crate::core::testing::{canned, conn, script};
use crate::exports::meetings::DateRange;
use crate::exports::webinars::{
    AudioChange, AudioType, Paging, RecurrencePattern, WebinarChange, WebinarDetails,
    WebinarLocale, WebinarSchedule, WebinarSequence, WebinarTime,
};
use serde_json::json;

fn slot(start: &str, end: &str) -> WebinarTime {
    WebinarTime {
        start: start.into(),
        end: end.into(),
    }
}

fn details(schedule: WebinarSchedule) -> WebinarDetails {
    WebinarDetails {
        subject: "Quarterly update".into(),
        description: Some("Numbers".into()),
        schedule,
        time_zone: Some("America/New_York".into()),
        locale: Some(WebinarLocale::EnUs),
        password_protected: false,
    }
}

fn sent_json(t: &crate::core::testing::Canned) -> Value {
    serde_json::from_slice(t.sent[0].body.as_ref().unwrap()).unwrap()
}

#[test]
fn create_sends_each_schedule_kind_in_goto_terms() {
    let one = details(WebinarSchedule::SingleSession(slot(
        "2026-07-01T11:00:00-04:00",
        "2026-07-01T12:00:00-04:00",
    )));
    let mut t = canned(201, r#"{"webinarKey":"8975612342765837581"}"#);
    assert_eq!(
        create_webinar(&mut t, &conn(), 5, &one).unwrap(),
        8975612342765837581
    );
    assert_eq!(
        sent_json(&t),
        json!({"subject":"Quarterly update","isPasswordProtected":false,"description":"Numbers",
               "type":"single_session",
               "times":[{"startTime":"2026-07-01T15:00:00Z","endTime":"2026-07-01T16:00:00Z"}],
               "timeZone":"America/New_York","locale":"en_US"})
    );
    let seq = details(WebinarSchedule::Sequence(WebinarSequence {
        first: slot("2026-07-01T15:00:00Z", "2026-07-01T16:00:00Z"),
        pattern: RecurrencePattern::Weekly,
        last_date: "2026-08-01".into(),
    }));
    let mut t = canned(201, r#"{"webinarKey":"1"}"#);
    create_webinar(&mut t, &conn(), 5, &seq).unwrap();
    let body = sent_json(&t);
    assert_eq!(body["type"], "sequence");
    assert_eq!(body["recurrencePattern"], "weekly");
    assert_eq!(body["recurrenceEnd"], "2026-08-01");
    assert_eq!(body["recurrenceStart"]["startTime"], "2026-07-01T15:00:00Z");
}

type Mutation = Box<dyn Fn(&mut WebinarDetails)>;

#[test]
fn bad_webinars_are_refused_before_sending() {
    let base = || {
        details(WebinarSchedule::Series(vec![
            slot("2026-07-01T15:00:00Z", "2026-07-01T16:00:00Z"),
            slot("2026-07-02T15:00:00Z", "2026-07-02T16:00:00Z"),
        ]))
    };
    let cases: Vec<(Mutation, &str)> = vec![
        (Box::new(|d| d.subject = " ".into()), "webinar.subject"),
        (
            Box::new(|d| d.subject = "x".repeat(129)),
            "webinar.subject: must be 1 to 128",
        ),
        (
            Box::new(|d| d.description = Some("x".repeat(2049))),
            "webinar.description",
        ),
        (
            Box::new(|d| d.time_zone = Some("Eastern".into())),
            "webinar.timeZone",
        ),
        (
            Box::new(|d| {
                d.schedule = WebinarSchedule::Series(vec![slot(
                    "2026-07-01T15:00:00Z",
                    "2026-07-01T16:00:00Z",
                )])
            }),
            "webinar.schedule.series: must hold at least two",
        ),
        (
            Box::new(|d| {
                d.schedule = WebinarSchedule::Series(vec![
                    slot("2026-07-01T15:00:00Z", "2026-07-01T16:00:00Z"),
                    slot("2026-07-02T15:00:00Z", "2026-07-02T14:00:00Z"),
                ])
            }),
            "webinar.schedule.series[1].end: must be after start",
        ),
        (
            Box::new(|d| {
                d.schedule = WebinarSchedule::Sequence(WebinarSequence {
                    first: slot("2026-07-01T15:00:00Z", "2026-07-01T16:00:00Z"),
                    pattern: RecurrencePattern::Daily,
                    last_date: "2026-06-30".into(),
                })
            }),
            "webinar.schedule.sequence.lastDate: must not be before",
        ),
        (
            Box::new(|d| {
                d.schedule = WebinarSchedule::Sequence(WebinarSequence {
                    first: slot("2026-07-01T15:00:00Z", "2026-07-01T16:00:00Z"),
                    pattern: RecurrencePattern::Daily,
                    last_date: "July 9".into(),
                })
            }),
            "webinar.schedule.sequence.lastDate: must be a date",
        ),
    ];
    for (mutate, want) in cases {
        let mut d = base();
        mutate(&mut d);
        let mut t = canned(201, r#"{"webinarKey":"1"}"#);
        match create_webinar(&mut t, &conn(), 5, &d) {
            Err(Error::InvalidInput(m)) => assert!(m.starts_with(want), "{m} vs {want}"),
            other => panic!("{want}: {other:?}"),
        }
        assert!(t.sent.is_empty());
    }
}

#[test]
fn update_needs_a_change_and_sends_the_notify_flag() {
    let nothing = WebinarChange {
        subject: None,
        description: None,
        times: None,
        time_zone: None,
        locale: None,
    };
    let mut t = canned(202, "");
    assert!(matches!(
        update_webinar(&mut t, &conn(), 1, 2, &nothing, true),
        Err(Error::InvalidInput(m)) if m.starts_with("change: ")
    ));
    let subject = WebinarChange {
        subject: Some("New".into()),
        ..nothing
    };
    update_webinar(&mut t, &conn(), 1, 2, &subject, true).unwrap();
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/organizers/1/webinars/2?notifyParticipants=true"
    );
    assert_eq!(sent_json(&t), json!({"subject":"New"}));
}

#[test]
fn paging_walks_pages_up_to_the_bound_and_says_more() {
    let page = |n: u32| {
        format!(
            r#"{{"_embedded":{{"webinars":[{{"webinarKey":"{}","subject":"S","times":[]}}]}},
                "page":{{"size":1,"totalElements":3,"totalPages":3,"number":{n}}}}}"#,
            n + 10
        )
    };
    let (p0, p1) = (page(0), page(1));
    let mut t = script(vec![(200, &p0), (200, &p1)]);
    let range = DateRange {
        start: "2026-01-01T00:00:00Z".into(),
        end: "2026-02-01T00:00:00Z".into(),
    };
    let paging = Paging {
        page: None,
        size: Some(1),
        max_pages: Some(2),
    };
    let out = list_webinars(&mut t, &conn(), 7, &range, Some(&paging)).unwrap();
    assert_eq!(out.webinars.len(), 2);
    assert_eq!((out.page.number, out.page.pages_fetched), (1, 2));
    assert!(out.page.more);
    assert_eq!(
        t.sent[1].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/organizers/7/webinars?fromTime=2026-01-01T00%3A00%3A00Z&toTime=2026-02-01T00%3A00%3A00Z&page=1&size=1"
    );
    let too_big = Paging {
        page: None,
        size: Some(201),
        max_pages: None,
    };
    assert!(matches!(
        list_webinars(&mut t, &conn(), 7, &range, Some(&too_big)),
        Err(Error::InvalidInput(m)) if m.starts_with("paging.size")
    ));
}

#[test]
fn an_empty_listing_without_embedded_is_empty() {
    let mut t = canned(
        200,
        r#"{"page":{"size":20,"totalElements":0,"totalPages":0,"number":0}}"#,
    );
    let range = DateRange {
        start: "2026-01-01T00:00:00Z".into(),
        end: "2026-02-01T00:00:00Z".into(),
    };
    let out = list_account_webinars(&mut t, &conn(), 7, &range, None).unwrap();
    assert!(out.webinars.is_empty() && !out.page.more);
}

#[test]
fn audio_reads_numbers_per_country_and_checks_updates() {
    let mut t = canned(
        200,
        r#"{"type":"Hybrid","confCallNumbers":{"US":{"toll":"+1 555","tollFree":"+1 800",
            "accessCodes":{"organizer":"1","panelist":"2","attendee":"3"}},"DE":{"toll":"+49 30"}}}"#,
    );
    let a = get_webinar_audio(&mut t, &conn(), 1, 2).unwrap();
    assert!(matches!(a.audio_type, Some(AudioType::Hybrid)));
    assert_eq!(a.dial_in[0].country, "DE");
    assert_eq!(a.dial_in[1].attendee_code.as_deref(), Some("3"));
    let change = AudioChange {
        audio_type: AudioType::Pstn,
        toll_free_countries: vec![],
        toll_countries: vec!["usa".into()],
        private_info: None,
    };
    let mut t = canned(204, "");
    assert!(matches!(
        update_webinar_audio(&mut t, &conn(), 1, 2, &change, false),
        Err(Error::InvalidInput(m)) if m.starts_with("audio.tollCountries[0]")
    ));
    let private = AudioChange {
        audio_type: AudioType::Private,
        toll_free_countries: vec![],
        toll_countries: vec![],
        private_info: None,
    };
    assert!(matches!(
        update_webinar_audio(&mut t, &conn(), 1, 2, &private, false),
        Err(Error::InvalidInput(m)) if m.starts_with("audio.privateInfo")
    ));
    assert!(t.sent.is_empty());
}

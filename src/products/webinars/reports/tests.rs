use super::*;
use crate::core::testing::{canned, conn, script};

#[test]
fn polls_collate_choices_and_skip_a_poll_without_question() {
    let mut t = canned(
        200,
        r#"[{"question":"Ready?","numberOfResponses":"40","responses":[{"text":"Yes","percentage":62.5},{"text":"No","percentage":37.5}]},
            {"numberOfResponses":3,"responses":[]}]"#,
    );
    let out = list_session_polls(&mut t, &conn(), [1, 2, 3]).unwrap();
    assert_eq!(out.polls.len(), 1);
    let p = &out.polls[0];
    assert_eq!(
        (p.question.as_str(), p.response_count),
        ("Ready?", Some(40))
    );
    assert_eq!(p.options[1].text, "No");
    assert_eq!(p.options[0].percentage, Some(62.5));
    assert_eq!(out.skipped[0].position, 1);
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/organizers/1/webinars/2/sessions/3/polls"
    );
    let out = list_session_surveys(&mut t, &conn(), [1, 2, 3]).unwrap();
    assert_eq!(out.surveys.len(), 1);
    assert!(t.sent[1].url.path().ends_with("/sessions/3/surveys"));
}

#[test]
fn questions_keep_who_asked_and_who_answered() {
    let mut t = canned(
        200,
        r#"[{"question":"When?","askedBy":"a@x.io","answers":[{"answer":"Soon","answeredBy":"8439885694023994630"}]},
            {"question":"Why?","answers":"none"}]"#,
    );
    let out = list_session_questions(&mut t, &conn(), [1, 2, 3]).unwrap();
    assert_eq!(out.questions[0].asked_by.as_deref(), Some("a@x.io"));
    assert_eq!(
        out.questions[0].answers[0].answered_by.as_deref(),
        Some("8439885694023994630")
    );
    assert_eq!(out.skipped.len(), 1);
}

#[test]
fn session_keys_of_zero_send_nothing() {
    let mut t = canned(200, "[]");
    for keys in [[0, 2, 3], [1, 0, 3], [1, 2, 0]] {
        assert!(matches!(
            list_session_polls(&mut t, &conn(), keys),
            Err(Error::InvalidInput(_))
        ));
    }
    assert!(t.sent.is_empty());
}

#[test]
fn webinar_attendees_are_paged_under_their_embedded_key() {
    let mut t = canned(
        200,
        r#"{"_embedded":{"attendeeParticipationResponses":[{"registrantKey":9007199254740993,"sessionKey":"14718220",
            "attendance":[{"joinTime":"2026-03-01T15:01:00.+0000","leaveTime":"2026-03-01T15:59:00.+0000"}]}]},
            "page":{"size":20,"totalElements":1,"totalPages":1,"number":0}}"#,
    );
    let out = list_webinar_attendees(&mut t, &conn(), 1, 2, None).unwrap();
    assert_eq!(out.attendees[0].registrant_key, 9007199254740993);
    assert_eq!(
        out.attendees[0].attendance[0].joined,
        "2026-03-01T15:01:00Z"
    );
    assert!(!out.page.more);
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/organizers/1/webinars/2/attendees?page=0"
    );
}

#[test]
fn performance_is_read_per_session_key_sorted_and_whole() {
    let mut t = script(vec![
        (
            200,
            r#"{"9007199254740993":{"attendance":{"registrantCount":5},"pollsAndSurveys":{"pollCount":1}},
                "14718220":{"attendance":{"percentageAttendance":40.5},"pollsAndSurveys":{}}}"#,
        ),
        (200, r#"{"s1":{"attendance":{}}}"#),
        (
            200,
            r#"{"1":{"attendance":{"averageAttentiveness":"high"}}}"#,
        ),
        (200, r#"[]"#),
    ]);
    let out = get_webinar_performance(&mut t, &conn(), 1, 2).unwrap();
    assert_eq!(out[0].session_key, 14718220);
    assert_eq!(out[0].performance.percentage_attendance, Some(40.5));
    assert_eq!(out[1].session_key, 9007199254740993);
    assert_eq!(out[1].performance.registrant_count, Some(5));
    for want in [
        "key `s1`",
        "field `1`: field `averageAttentiveness`",
        "expected an object",
    ] {
        match get_webinar_performance(&mut t, &conn(), 1, 2) {
            Err(Error::InvalidResponse(m)) => assert!(m.message.contains(want), "{}", m.message),
            other => panic!("{want}: {other:?}"),
        }
    }
}

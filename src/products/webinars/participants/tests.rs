use super::*;
use crate::core::testing::{canned, conn};
use crate::exports::webinar_participants::{ExternalCoorganizer, QuestionAnswer};
use serde_json::json;

fn jane() -> NewRegistrant {
    NewRegistrant {
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        email: "jane@example.com".into(),
        source: Some("Newsletter 123".into()),
        address: None,
        city: None,
        state: None,
        zip_code: None,
        country: None,
        phone: Some(" ".into()),
        organization: None,
        job_title: None,
        questions_and_comments: None,
        industry: None,
        number_of_employees: None,
        purchasing_time_frame: None,
        purchasing_role: None,
        responses: vec![
            QuestionAnswer {
                question_key: 7,
                response: QuestionResponse::Text("Blue".into()),
            },
            QuestionAnswer {
                question_key: 8,
                response: QuestionResponse::Choice(9_007_199_254_740_993),
            },
        ],
    }
}

#[test]
fn registrant_body_has_only_given_fields_and_exact_answer_keys() {
    let mut t = canned(201, r#"{"registrantKey":"5421","joinUrl":"https://j"}"#);
    let created = create_registrant(&mut t, &conn(), 1, 2, &jane(), true).unwrap();
    assert_eq!(created.registrant_key, 5421);
    let req = &t.sent[0];
    assert_eq!(
        req.url.as_str(),
        "https://api.getgo.com/G2W/rest/v2/organizers/1/webinars/2/registrants?resendConfirmation=true"
    );
    let body: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"firstName":"Jane","lastName":"Doe","email":"jane@example.com","source":"Newsletter 123",
               "responses":[{"questionKey":7,"responseText":"Blue"},
                            {"questionKey":8,"answerKey":9_007_199_254_740_993u64}]})
    );
}

#[test]
fn bad_registrant_or_coorganizer_is_refused_before_sending() {
    let mut r = jane();
    r.email = "jane".into();
    let mut t = canned(201, "{}");
    assert!(matches!(
        create_registrant(&mut t, &conn(), 1, 2, &r, false),
        Err(Error::InvalidInput(m)) if m.starts_with("registrant.email")
    ));
    let mut r = jane();
    r.responses[0].question_key = 0;
    assert!(matches!(
        create_registrant(&mut t, &conn(), 1, 2, &r, false),
        Err(Error::InvalidInput(m)) if m.starts_with("registrant.responses[0].questionKey")
    ));
    let bad = [NewCoorganizer::External(ExternalCoorganizer {
        name: "".into(),
        email: "a@b.co".into(),
    })];
    assert!(matches!(
        create_coorganizers(&mut t, &conn(), 1, 2, &bad),
        Err(Error::InvalidInput(m)) if m.starts_with("coorganizers[0].external.name")
    ));
    assert!(t.sent.is_empty());
}

#[test]
fn panelists_from_listing_and_creation_shapes() {
    let mut t = canned(
        200,
        r#"[{"panelistId":123,"firstName":"Ann","lastName":"Lee","email":"a@x.io","joinLink":"https://l"},
                {"panelistKey":"456","name":"Bo","email":"b@x.io"}]"#,
    );
    let p = list_panelists(&mut t, &conn(), 1, 2).unwrap().panelists;
    assert_eq!(p[0].panelist_key, 123);
    assert_eq!(p[0].name.as_deref(), Some("Ann Lee"));
    assert_eq!(p[1].panelist_key, 456);
}

#[test]
fn registration_form_fields_and_questions() {
    let mut t = canned(
        200,
        r#"{"fields":[{"field":"industry","answers":["Banking","Retail"],"required":false,"maxSize":128}],
                "questions":[{"questionKey":"77","question":"Color?","required":true,"type":"multipleChoice",
                              "maxSize":1000,"answers":[{"answer":"Blue","answerKey":"9"}]}]}"#,
    );
    let f = get_registration_fields(&mut t, &conn(), 1, 2).unwrap();
    assert_eq!(f.fields[0].choices, vec!["Banking", "Retail"]);
    assert!(matches!(f.questions[0].kind, QuestionKind::MultipleChoice));
    assert_eq!(f.questions[0].choices[0].answer_key, 9);
}

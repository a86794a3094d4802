//! GoToWebinar registrants, registration form, co-organizers and panelists.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::webinar::{check_text, flag, items, keys, read_registrant, strings};
use crate::core::bases::G2W;
use crate::core::client::{Api, object};
use crate::core::errors::invalid;
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Listing, Record};
use crate::core::validate::{check_email, check_id};
use crate::exports::webinar_participants::{
    Coorganizer, Coorganizers, CreatedRegistrant, NewCoorganizer, NewPanelist, NewRegistrant,
    Panelist, Panelists, QuestionChoice, QuestionKind, QuestionResponse, RegistrationField,
    RegistrationFields, RegistrationQuestion,
};
use crate::exports::webinars::{WebinarRegistrant, WebinarRegistrants};
use crate::{Connection, Error};

pub fn create_registrant(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    registrant: &NewRegistrant,
    resend_confirmation: bool,
) -> Result<CreatedRegistrant, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let body = registrant_body(registrant)?;
    let mut api = Api::new(t, conn, G2W)?;
    let query: &[(&str, &str)] = if resend_confirmation {
        &[("resendConfirmation", "true")]
    } else {
        &[]
    };
    let url = api.url(
        &["organizers", &org, "webinars", &key, "registrants"],
        query,
    );
    api.one(Method::Post, url, Some(&body), "created registrant", &|r| {
        Ok(CreatedRegistrant {
            registrant_key: r.required_id(&["registrantKey"])?,
            join_url: r.text(&["joinUrl"])?,
        })
    })
}

pub fn get_registrant(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    registrant_key: u64,
) -> Result<WebinarRegistrant, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let registrant = check_id("registrantKey", registrant_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &[
            "organizers",
            &org,
            "webinars",
            &key,
            "registrants",
            &registrant,
        ],
        &[],
    );
    api.one(
        Method::Get,
        url,
        None,
        "registrant with that key",
        &read_registrant,
    )
}

pub fn list_registrants(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<WebinarRegistrants, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", &org, "webinars", &key, "registrants"], &[]);
    let resp = api.send(Method::Get, url, None)?;
    items(conn, &resp, Method::Get, "registrants", &read_registrant).map(|l| WebinarRegistrants {
        registrants: l.items,
        skipped: l.skipped,
    })
}

pub fn delete_registrant(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    registrant_key: u64,
) -> Result<(), Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let registrant = check_id("registrantKey", registrant_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &[
            "organizers",
            &org,
            "webinars",
            &key,
            "registrants",
            &registrant,
        ],
        &[],
    );
    api.send(Method::Delete, url, None).map(drop)
}

pub fn get_registration_fields(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<RegistrationFields, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(
        &[
            "organizers",
            &org,
            "webinars",
            &key,
            "registrants",
            "fields",
        ],
        &[],
    );
    api.one(Method::Get, url, None, "registration form", &read_fields)
}

pub fn create_coorganizers(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    coorganizers: &[NewCoorganizer],
) -> Result<Vec<Coorganizer>, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    let body = coorganizers_body(coorganizers)?;
    members(
        t,
        conn,
        (&org, &key),
        "coorganizers",
        Some(&body),
        &read_coorganizer,
    )
    .map(|l| l.items)
}

pub fn list_coorganizers(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<Coorganizers, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    members(
        t,
        conn,
        (&org, &key),
        "coorganizers",
        None,
        &read_coorganizer,
    )
    .map(|l| Coorganizers {
        coorganizers: l.items,
        skipped: l.skipped,
    })
}

/// `GET .../webinars/{webinarKey}/{resource}`, or `POST` with `body`: the
/// answer's list of co-organizers or panelists.
fn members<T>(
    t: &mut dyn Transport,
    conn: &Connection,
    (org, key): (&str, &str),
    resource: &str,
    body: Option<&Value>,
    read: &dyn Fn(&Record) -> record::Result<T>,
) -> Result<Listing<T>, Error> {
    let method = if body.is_some() {
        Method::Post
    } else {
        Method::Get
    };
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["organizers", org, "webinars", key, resource], &[]);
    let resp = api.send(method, url, body)?;
    items(conn, &resp, method, resource, read)
}

/// `DELETE .../coorganizers/{memberKey}?external=` or `POST .../resendInvitation?external=`.
pub fn coorganizer_action(
    t: &mut dyn Transport,
    conn: &Connection,
    ids: [u64; 3],
    external: bool,
    resend: bool,
) -> Result<(), Error> {
    let query = [("external", flag(external))];
    member_action(t, conn, ids, ("coorganizers", "memberKey"), &query, resend)
}

/// `DELETE .../{resource}/{key}` or `POST .../{resource}/{key}/resendInvitation`:
/// `member` is the resource and the name of its key.
fn member_action(
    t: &mut dyn Transport,
    conn: &Connection,
    ids: [u64; 3],
    member: (&str, &str),
    query: &[(&str, &str)],
    resend: bool,
) -> Result<(), Error> {
    let (org, key) = keys(ids[0], ids[1])?;
    let id = check_id(member.1, ids[2])?;
    let mut api = Api::new(t, conn, G2W)?;
    let mut path = vec!["organizers", &org, "webinars", &key, member.0, &id];
    let method = if resend {
        path.push("resendInvitation");
        Method::Post
    } else {
        Method::Delete
    };
    let url = api.url(&path, query);
    api.send(method, url, None).map(drop)
}

pub fn create_panelists(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
    panelists: &[NewPanelist],
) -> Result<Vec<Panelist>, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    if panelists.is_empty() {
        return Err(invalid("panelists", "must hold at least one panelist"));
    }
    let mut body = Vec::with_capacity(panelists.len());
    for (i, p) in panelists.iter().enumerate() {
        body.push(Value::Object(object(vec![
            (
                "name",
                check_text(&format!("panelists[{i}].name"), &p.name, 128)?.into(),
            ),
            (
                "email",
                check_email(&format!("panelists[{i}].email"), &p.email)?.into(),
            ),
        ])));
    }
    let body = Value::Array(body);
    members(
        t,
        conn,
        (&org, &key),
        "panelists",
        Some(&body),
        &read_panelist,
    )
    .map(|l| l.items)
}

pub fn list_panelists(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    webinar_key: u64,
) -> Result<Panelists, Error> {
    let (org, key) = keys(organizer_key, webinar_key)?;
    members(t, conn, (&org, &key), "panelists", None, &read_panelist).map(|l| Panelists {
        panelists: l.items,
        skipped: l.skipped,
    })
}

/// `DELETE .../panelists/{panelistKey}` or `POST .../resendInvitation`.
pub fn panelist_action(
    t: &mut dyn Transport,
    conn: &Connection,
    ids: [u64; 3],
    resend: bool,
) -> Result<(), Error> {
    member_action(t, conn, ids, ("panelists", "panelistKey"), &[], resend)
}

/// The body of `POST .../registrants`: GoTo's field names, absent optional
/// fields left out.
fn registrant_body(r: &NewRegistrant) -> Result<Value, Error> {
    let mut body = object(vec![
        (
            "firstName",
            check_text("registrant.firstName", &r.first_name, 128)?.into(),
        ),
        (
            "lastName",
            check_text("registrant.lastName", &r.last_name, 128)?.into(),
        ),
        ("email", check_email("registrant.email", &r.email)?.into()),
    ]);
    let optional = [
        ("source", &r.source),
        ("address", &r.address),
        ("city", &r.city),
        ("state", &r.state),
        ("zipCode", &r.zip_code),
        ("country", &r.country),
        ("phone", &r.phone),
        ("organization", &r.organization),
        ("jobTitle", &r.job_title),
        ("questionsAndComments", &r.questions_and_comments),
        ("industry", &r.industry),
        ("numberOfEmployees", &r.number_of_employees),
        ("purchasingTimeFrame", &r.purchasing_time_frame),
        ("purchasingRole", &r.purchasing_role),
    ];
    for (name, value) in optional {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            if v.chars().count() > 1000 {
                return Err(invalid(
                    &format!("registrant.{name}"),
                    "must be at most 1000 characters",
                ));
            }
            body.insert(name.to_string(), v.into());
        }
    }
    if !r.responses.is_empty() {
        let mut responses = Vec::with_capacity(r.responses.len());
        for (i, a) in r.responses.iter().enumerate() {
            check_id(
                &format!("registrant.responses[{i}].questionKey"),
                a.question_key,
            )?;
            let answer = match &a.response {
                QuestionResponse::Text(text) => (
                    "responseText",
                    check_text(
                        &format!("registrant.responses[{i}].response.text"),
                        text,
                        1000,
                    )?
                    .into(),
                ),
                QuestionResponse::Choice(k) => {
                    check_id(&format!("registrant.responses[{i}].response.choice"), *k)?;
                    ("answerKey", Value::from(*k))
                }
            };
            // GoTo documents both keys as int64 numbers.
            responses.push(Value::Object(object(vec![
                ("questionKey", Value::from(a.question_key)),
                answer,
            ])));
        }
        body.insert("responses".into(), Value::Array(responses));
    }
    Ok(Value::Object(body))
}

fn coorganizers_body(list: &[NewCoorganizer]) -> Result<Value, Error> {
    if list.is_empty() {
        return Err(invalid(
            "coorganizers",
            "must hold at least one co-organizer",
        ));
    }
    let mut body = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let item = match c {
            NewCoorganizer::Internal(key) => object(vec![
                ("external", false.into()),
                (
                    "organizerKey",
                    check_id(&format!("coorganizers[{i}].internal"), *key)?.into(),
                ),
            ]),
            NewCoorganizer::External(e) => object(vec![
                ("external", true.into()),
                (
                    "givenName",
                    check_text(&format!("coorganizers[{i}].external.name"), &e.name, 128)?.into(),
                ),
                (
                    "email",
                    check_email(&format!("coorganizers[{i}].external.email"), &e.email)?.into(),
                ),
            ]),
        };
        body.push(Value::Object(item));
    }
    Ok(Value::Array(body))
}

/// A v2 `Coorganizer` (`memberKey` comes as a string).
fn read_coorganizer(r: &Record) -> record::Result<Coorganizer> {
    Ok(Coorganizer {
        member_key: r.required_id(&["memberKey", "organizerKey"])?,
        external: r.flag(&["external"])?.unwrap_or(false),
        email: r.text(&["email"])?,
        given_name: r.text(&["givenName"])?,
        surname: r.text(&["surname"])?,
        join_link: r.text(&["joinLink"])?,
    })
}

/// A `Panelist` (listing: `panelistId`, and the deprecated first and last
/// name when `name` is missing) or a `CreatedPanelist` (`panelistKey`).
fn read_panelist(r: &Record) -> record::Result<Panelist> {
    let name = match r.text(&["name"])? {
        Some(n) => Some(n),
        None => {
            let parts: Vec<String> = [r.text(&["firstName"])?, r.text(&["lastName"])?]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    };
    Ok(Panelist {
        panelist_key: r.required_id(&["panelistKey", "panelistId"])?,
        name,
        email: r.text(&["email"])?,
        join_link: r.text(&["joinLink"])?,
    })
}

fn question_kind(raw: &str) -> QuestionKind {
    match raw.trim().to_ascii_lowercase().as_str() {
        "multiplechoice" | "multiple_choice" => QuestionKind::MultipleChoice,
        "shortanswer" | "short_answer" => QuestionKind::ShortAnswer,
        _ => QuestionKind::Other(raw.to_string()),
    }
}

/// `RegistrationFields`: standard `fields` and custom `questions`.
fn read_fields(r: &Record) -> record::Result<RegistrationFields> {
    Ok(RegistrationFields {
        fields: r.list(&["fields"], |f| {
            Ok(RegistrationField {
                field: f.required_text(&["field"])?,
                required: f.flag(&["required"])?.unwrap_or(false),
                max_size: f.count(&["maxSize"])?,
                choices: strings(f, "answers")?,
            })
        })?,
        questions: r.list(&["questions"], |q| {
            Ok(RegistrationQuestion {
                question_key: q.required_id(&["questionKey"])?,
                question: q.text(&["question"])?.unwrap_or_default(),
                required: q.flag(&["required"])?.unwrap_or(false),
                kind: question_kind(&q.text(&["type"])?.unwrap_or_default()),
                max_size: q.count(&["maxSize"])?,
                choices: q.list(&["answers"], |a| {
                    Ok(QuestionChoice {
                        answer_key: a.required_id(&["answerKey"])?,
                        answer: a.text(&["answer"])?.unwrap_or_default(),
                    })
                })?,
            })
        })?,
    })
}

#[cfg(test)]
mod tests;

//! GoToTraining registrants: `list-training-registrants`,
//! `register-for-training`, `get-training-registrant`,
//! `cancel-training-registration`, and the polling trigger
//! `poll-new-training-registrants` (cursor rules in [`new_since`]).

use alloc::string::String;

use serde_json::Value;

use super::training::keys;
use crate::core::bases::G2T;
use crate::core::client::{Api, object};
use crate::core::errors::invalid;
use crate::core::http::{Method, Transport};
use crate::core::new_since;
use crate::core::record::{self, Record};
use crate::core::validate::{check_email, check_id};
use crate::exports::training_registrants::{
    NewTrainingRegistrant, TrainingRegistrant, TrainingRegistrantPoll, TrainingRegistrantStatus,
    TrainingRegistrants, TrainingRegistration,
};
use crate::{Connection, Error};

pub fn list_training_registrants(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<TrainingRegistrants, Error> {
    let (org, tk) = keys(organizer_key, training_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["organizers", &org, "trainings", &tk, "registrants"], &[]);
    api.list(url, &["registrants"], &read_registrant)
        .map(|l| TrainingRegistrants {
            registrants: l.items,
            skipped: l.skipped,
        })
}

pub fn register_for_training(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    registrant: &NewTrainingRegistrant,
) -> Result<TrainingRegistration, Error> {
    let (org, tk) = keys(organizer_key, training_key)?;
    let email = check_email("registrant.email", &registrant.email)?;
    let mut fields = vec![("email", Value::from(email))];
    for (field, name, value) in [
        ("registrant.givenName", "givenName", &registrant.given_name),
        ("registrant.surname", "surname", &registrant.surname),
    ] {
        if value.trim().is_empty() {
            return Err(invalid(field, "must not be empty"));
        }
        fields.push((name, value.trim().into()));
    }
    let body = Value::Object(object(fields));
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["organizers", &org, "trainings", &tk, "registrants"], &[]);
    api.one(
        Method::Post,
        url,
        Some(&body),
        "registration",
        &read_registration,
    )
}

pub fn get_training_registrant(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    registrant_key: u64,
) -> Result<TrainingRegistrant, Error> {
    let (org, tk) = keys(organizer_key, training_key)?;
    let key = check_id("registrantKey", registrant_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(
        &["organizers", &org, "trainings", &tk, "registrants", &key],
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

pub fn cancel_training_registration(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    registrant_key: u64,
) -> Result<(), Error> {
    let (org, tk) = keys(organizer_key, training_key)?;
    let key = check_id("registrantKey", registrant_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(
        &["organizers", &org, "trainings", &tk, "registrants", &key],
        &[],
    );
    api.send(Method::Delete, url, None).map(drop)
}

pub fn poll_new_training_registrants(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    cursor: Option<&str>,
) -> Result<TrainingRegistrantPoll, Error> {
    let seen = new_since::parse("poll-new-training-registrants", cursor)?;
    let all = list_training_registrants(t, conn, organizer_key, training_key)?;
    let (registrants, cursor) = new_since::pick(seen, all.registrants, |r| {
        (r.registration_date.as_deref(), r.registrant_key)
    });
    Ok(TrainingRegistrantPoll {
        registrants,
        skipped: all.skipped,
        cursor,
    })
}

fn status(raw: String) -> TrainingRegistrantStatus {
    match raw.trim().to_ascii_uppercase().as_str() {
        "APPROVED" => TrainingRegistrantStatus::Approved,
        "DENIED" => TrainingRegistrantStatus::Denied,
        "WAITING" => TrainingRegistrantStatus::Waiting,
        _ => TrainingRegistrantStatus::Other(raw),
    }
}

/// One G2T `Registrant` (`registrantKey` as a string or a number).
fn read_registrant(r: &Record) -> record::Result<TrainingRegistrant> {
    Ok(TrainingRegistrant {
        registrant_key: r.required_id(&["registrantKey"])?,
        email: r.text(&["email"])?.map(|e| e.trim().into()),
        given_name: r.text(&["givenName", "firstName"])?,
        surname: r.text(&["surname", "lastName"])?,
        status: r.text(&["status"])?.map(status),
        registration_date: r.time(&["registrationDate"])?,
        join_url: r.text(&["joinUrl"])?,
        confirmation_url: r.text(&["confirmationUrl"])?,
    })
}

/// G2T's `RegistrantCreated`.
fn read_registration(r: &Record) -> record::Result<TrainingRegistration> {
    Ok(TrainingRegistration {
        registrant_key: r.required_id(&["registrantKey"])?,
        join_url: r.text(&["joinUrl"])?,
        confirmation_url: r.text(&["confirmationUrl"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};

    fn person() -> NewTrainingRegistrant {
        NewTrainingRegistrant {
            email: " j.smith@test.com ".into(),
            given_name: "John".into(),
            surname: "Smith".into(),
        }
    }

    #[test]
    fn register_sends_the_trimmed_person_and_reads_a_numeric_key() {
        let mut t = canned(
            201,
            r#"{"joinUrl":"https://global.gototraining.com/join/training/1/2","registrantKey":2121396992126760705}"#,
        );
        let r = register_for_training(&mut t, &conn(), 7, 9, &person()).unwrap();
        assert_eq!(r.registrant_key, 2121396992126760705);
        assert_eq!(r.confirmation_url, None);
        let body: Value = serde_json::from_slice(t.sent[0].body.as_ref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"email":"j.smith@test.com","givenName":"John","surname":"Smith"})
        );
        assert!(
            t.sent[0]
                .url
                .as_str()
                .ends_with("/organizers/7/trainings/9/registrants")
        );
    }

    #[test]
    fn bad_people_are_refused_before_sending() {
        let mut t = canned(201, "{}");
        let mut p = person();
        p.email = "nobody".into();
        assert!(matches!(
            register_for_training(&mut t, &conn(), 7, 9, &p),
            Err(Error::InvalidInput(m)) if m.starts_with("registrant.email:")
        ));
        let mut p = person();
        p.surname = " ".into();
        assert!(matches!(
            register_for_training(&mut t, &conn(), 7, 9, &p),
            Err(Error::InvalidInput(m)) if m.starts_with("registrant.surname:")
        ));
        assert!(matches!(
            poll_new_training_registrants(&mut t, &conn(), 7, 9, Some("w1")),
            Err(Error::InvalidInput(m)) if m.contains("poll-new-training-registrants")
        ));
        assert!(t.sent.is_empty());
    }

    #[test]
    fn statuses_beyond_the_documented_three_are_kept() {
        let mut t = canned(
            200,
            r#"[{"registrantKey":"5646167387902096129","email":" c.waters@test.com ","status":"APPROVED","registrationDate":"2014-03-07T22:48:19Z"},
                {"registrantKey":"2121396992126760705","status":"UNREGISTERED"},
                {"email":"no key"}]"#,
        );
        let all = list_training_registrants(&mut t, &conn(), 7, 9).unwrap();
        assert_eq!(all.registrants.len(), 2);
        assert_eq!(all.skipped.len(), 1);
        assert_eq!(
            all.registrants[0].email.as_deref(),
            Some("c.waters@test.com")
        );
        assert!(matches!(
            &all.registrants[1].status,
            Some(TrainingRegistrantStatus::Other(s)) if s == "UNREGISTERED"
        ));
    }

    #[test]
    fn the_trigger_reports_only_registrations_after_the_cursor() {
        let old = r#"[{"registrantKey":"11","registrationDate":"2026-05-01T10:00:00Z"}]"#;
        let mut t = canned(200, old);
        let first = poll_new_training_registrants(&mut t, &conn(), 7, 9, None).unwrap();
        assert!(first.registrants.is_empty());
        let mut t = canned(
            200,
            r#"[{"registrantKey":"11","registrationDate":"2026-05-01T10:00:00Z"},
                {"registrantKey":"12","registrationDate":"2026-05-01T11:00:00Z"}]"#,
        );
        let next =
            poll_new_training_registrants(&mut t, &conn(), 7, 9, Some(&first.cursor)).unwrap();
        let keys: alloc::vec::Vec<u64> =
            next.registrants.iter().map(|r| r.registrant_key).collect();
        assert_eq!(keys, [12]);
    }
}

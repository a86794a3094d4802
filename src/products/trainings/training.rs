//! A training as a whole: `list-trainings`, `create-training`,
//! `get-training`, `delete-training`, the deprecated
//! `list-account-organizers`, and the readers and body parts the other
//! training modules share.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::core::bases::G2T;
use crate::core::client::{Api, object};
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Record, ShapeError};
use crate::core::time;
use crate::core::validate::{check_id, input_time};
use crate::exports::trainings::{
    CreatedTraining, RegistrationSettings, Training, TrainingDetails, TrainingOrganizer,
    TrainingOrganizers, TrainingTime, Trainings,
};
use crate::{Connection, Error};

pub fn list_trainings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
) -> Result<Trainings, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["organizers", &org, "trainings"], &[]);
    api.list(url, &["trainings"], &read_training)
        .map(|l| Trainings {
            trainings: l.items,
            skipped: l.skipped,
        })
}

pub fn create_training(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training: &TrainingDetails,
) -> Result<CreatedTraining, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let body = training_body(training)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["organizers", &org, "trainings"], &[]);
    let resp = api.send(Method::Post, url, Some(&body))?;
    read_created_key(&resp.body)
        .map(|training_key| CreatedTraining { training_key })
        .map_err(|e| errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Post))
}

pub fn get_training(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<Training, Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let key = check_id("trainingKey", training_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["organizers", &org, "trainings", &key], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "training with that key",
        &read_training,
    )
}

pub fn delete_training(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<(), Error> {
    let org = check_id("organizerKey", organizer_key)?;
    let key = check_id("trainingKey", training_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["organizers", &org, "trainings", &key], &[]);
    api.send(Method::Delete, url, None).map(drop)
}

pub fn list_account_organizers(
    t: &mut dyn Transport,
    conn: &Connection,
    account_key: u64,
) -> Result<TrainingOrganizers, Error> {
    let account = check_id("accountKey", account_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["accounts", &account, "organizers"], &[]);
    api.list(url, &["organizers"], &read_organizer)
        .map(|l| TrainingOrganizers {
            organizers: l.items,
            skipped: l.skipped,
        })
}

/// The body of `POST /organizers/{organizerKey}/trainings`.
fn training_body(t: &TrainingDetails) -> Result<Value, Error> {
    if t.name.trim().is_empty() {
        return Err(invalid("training.name", "must not be empty"));
    }
    let time_zone = time_zone_id("training.timeZone", &t.time_zone)?;
    let times = times_body("training.times", &t.times)?;
    let mut body = object(vec![
        ("name", t.name.as_str().into()),
        ("timeZone", time_zone.into()),
        ("times", times),
        (
            "registrationSettings",
            settings_body(&t.registration_settings),
        ),
    ]);
    if let Some(d) = t.description.as_ref().filter(|d| !d.trim().is_empty()) {
        body.insert("description".into(), Value::String(d.clone()));
    }
    if let Some(keys) = t.coorganizer_keys.as_ref().filter(|k| !k.is_empty()) {
        body.insert(
            "organizers".into(),
            organizer_keys("training.coorganizerKeys", keys)?,
        );
    }
    Ok(Value::Object(body))
}

/// The checked organizer and training keys of a training's paths.
pub(super) fn keys(organizer_key: u64, training_key: u64) -> Result<(String, String), Error> {
    Ok((
        check_id("organizerKey", organizer_key)?,
        check_id("trainingKey", training_key)?,
    ))
}

/// A time-zone id for a body (trimmed), or `invalid-input` naming `field`.
pub(super) fn time_zone_id<'t>(field: &str, raw: &'t str) -> Result<&'t str, Error> {
    let tz = raw.trim();
    if !time::is_time_zone_id(tz) {
        return Err(invalid(
            field,
            format!("must be a time-zone id such as America/New_York (got {raw:?})"),
        ));
    }
    Ok(tz)
}

/// A training's sessions for a body: at least one, each ending after it
/// starts, in UTC (`startDate`, `endDate`).
pub(super) fn times_body(field: &str, ranges: &[TrainingTime]) -> Result<Value, Error> {
    if ranges.is_empty() {
        return Err(invalid(field, "must hold at least one start/end range"));
    }
    let mut times = Vec::with_capacity(ranges.len());
    for (i, range) in ranges.iter().enumerate() {
        let start = input_time(&format!("{field}[{i}].start"), &range.start)?;
        let end = input_time(&format!("{field}[{i}].end"), &range.end)?;
        if end <= start {
            return Err(invalid(&format!("{field}[{i}].end"), "must be after start"));
        }
        times.push(Value::Object(object(vec![
            ("startDate", time::format(start).into()),
            ("endDate", time::format(end).into()),
        ])));
    }
    Ok(Value::Array(times))
}

/// GoTo's `RegistrationSettings` body.
pub(super) fn settings_body(settings: &RegistrationSettings) -> Value {
    Value::Object(object(vec![
        (
            "disableWebRegistration",
            settings.disable_web_registration.into(),
        ),
        (
            "disableConfirmationEmail",
            settings.disable_confirmation_email.into(),
        ),
    ]))
}

/// Organizer keys for a body: positive; GoTo documents them as int64
/// numbers, and serde_json writes a u64 exactly.
pub(super) fn organizer_keys(field: &str, keys: &[u64]) -> Result<Value, Error> {
    if keys.contains(&0) {
        return Err(invalid(field, "must hold positive organizer keys"));
    }
    Ok(keys.iter().map(|k| Value::from(*k)).collect())
}

/// GoTo answers 201 with a bare JSON string holding the key (`"8178…"`);
/// a bare number or an object with `trainingKey` is accepted too.
fn read_created_key(body: &[u8]) -> record::Result<u64> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    let key = match &value {
        Value::String(s) => s.trim().parse::<u64>().ok(),
        Value::Number(n) => n.as_u64(),
        Value::Object(_) => return Record::from_value(value)?.required_id(&["trainingKey"]),
        _ => None,
    };
    key.filter(|k| *k != 0)
        .ok_or_else(|| ShapeError("expected the new training's key as a string of digits".into()))
}

fn read_time(r: &Record) -> record::Result<TrainingTime> {
    let start = r.time(&["startDate", "startTime"])?;
    let end = r.time(&["endDate", "endTime"])?;
    match (start, end) {
        (Some(start), Some(end)) => Ok(TrainingTime { start, end }),
        (None, _) => Err(ShapeError("field `startDate` is missing".into())),
        (_, None) => Err(ShapeError("field `endDate` is missing".into())),
    }
}

fn read_settings(r: &Record) -> record::Result<RegistrationSettings> {
    Ok(RegistrationSettings {
        disable_web_registration: r.flag(&["disableWebRegistration"])?.unwrap_or(false),
        disable_confirmation_email: r.flag(&["disableConfirmationEmail"])?.unwrap_or(false),
    })
}

/// One training (G2T `Training`).
pub fn read_training(r: &Record) -> record::Result<Training> {
    Ok(Training {
        training_key: r.required_id(&["trainingKey"])?,
        training_id: r.id(&["trainingId"])?,
        name: r.text(&["name"])?,
        description: r.text(&["description"])?,
        time_zone: r.text(&["timeZone"])?,
        times: r.list(&["times"], read_time)?,
        organizers: r.list(&["organizers"], read_organizer)?,
        registration_settings: r
            .object(&["registrationSettings"])?
            .map(read_settings)
            .transpose()?,
    })
}

/// One G2T organizer (`organizerKey` comes as a string).
pub fn read_organizer(r: &Record) -> record::Result<TrainingOrganizer> {
    Ok(TrainingOrganizer {
        organizer_key: r.required_id(&["organizerKey"])?,
        email: r.text(&["email"])?,
        given_name: r.text(&["givenName", "firstName"])?,
        surname: r.text(&["surname", "lastName"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};
    use serde_json::json;

    fn details() -> TrainingDetails {
        TrainingDetails {
            name: "Intro to HTML".into(),
            description: Some("Basics".into()),
            time_zone: "America/New_York".into(),
            times: vec![TrainingTime {
                start: "2026-03-26T11:00:00-04:00".into(),
                end: "2026-03-26T19:00:00-04:00".into(),
            }],
            registration_settings: RegistrationSettings {
                disable_web_registration: false,
                disable_confirmation_email: true,
            },
            coorganizer_keys: Some(vec![8439885694023994630]),
        }
    }

    #[test]
    fn create_sends_utc_times_and_reads_the_bare_string_key() {
        let mut t = canned(201, r#""8178251407424893697""#);
        let created = create_training(&mut t, &conn(), 8439885694023994630, &details()).unwrap();
        assert_eq!(created.training_key, 8178251407424893697);
        let req = &t.sent[0];
        assert_eq!(
            req.url.as_str(),
            "https://api.getgo.com/G2T/rest/organizers/8439885694023994630/trainings"
        );
        let body: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"name":"Intro to HTML","description":"Basics","timeZone":"America/New_York",
                   "times":[{"startDate":"2026-03-26T15:00:00Z","endDate":"2026-03-26T23:00:00Z"}],
                   "registrationSettings":{"disableWebRegistration":false,"disableConfirmationEmail":true},
                   "organizers":[8439885694023994630u64]})
        );
    }

    #[test]
    fn created_key_comes_as_string_number_or_object_but_not_garbage() {
        assert_eq!(read_created_key(br#""1234""#).unwrap(), 1234);
        assert_eq!(read_created_key(b"1234").unwrap(), 1234);
        assert_eq!(read_created_key(br#"{"trainingKey":"77"}"#).unwrap(), 77);
        assert!(read_created_key(b"").is_err());
        assert!(read_created_key(br#""abc""#).is_err());
        assert!(read_created_key(b"[]").is_err());
    }

    /// One change to valid input that makes it invalid.
    type Mutation = Box<dyn Fn(&mut TrainingDetails)>;

    #[test]
    fn bad_input_is_refused_before_sending() {
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|d| d.name = " ".into()), "training.name: "),
            (Box::new(|d| d.time_zone = "".into()), "training.timeZone: "),
            (
                Box::new(|d| d.time_zone = "Eastern Time".into()),
                "training.timeZone: ",
            ),
            (Box::new(|d| d.times.clear()), "training.times: "),
            (
                Box::new(|d| d.times[0].start = "soon".into()),
                "training.times[0].start: ",
            ),
            (
                Box::new(|d| d.times[0].end = "2026-03-26T10:00:00-04:00".into()),
                "training.times[0].end: must be after start",
            ),
            (
                Box::new(|d| d.coorganizer_keys = Some(vec![0])),
                "training.coorganizerKeys: ",
            ),
        ];
        for (mutate, want) in cases {
            let mut d = details();
            mutate(&mut d);
            let mut t = canned(201, r#""1""#);
            match create_training(&mut t, &conn(), 1, &d) {
                Err(Error::InvalidInput(msg)) => assert!(msg.starts_with(want), "{msg} vs {want}"),
                other => panic!("expected invalid-input {want}, got {other:?}"),
            }
            assert!(t.sent.is_empty());
        }
        let mut t = canned(200, "{}");
        assert!(matches!(
            get_training(&mut t, &conn(), 1, 0),
            Err(Error::InvalidInput(m)) if m.starts_with("trainingKey")
        ));
        assert!(t.sent.is_empty());
    }

    #[test]
    fn training_object_with_string_keys_and_empty_time_zone() {
        let mut t = canned(
            200,
            r#"{"name":"Intro","timeZone":"","times":[{"startDate":"2014-03-26T15:00:00Z","endDate":"2014-03-26T23:00:00Z"}],
                "organizers":[{"givenName":"Charley","surname":"Waters","email":"c.waters@test.com","organizerKey":"8439885694023994630"}],
                "registrationSettings":{"disableConfirmationEmail":false,"disableWebRegistration":"true"},
                "trainingKey":"8178251407424893697"}"#,
        );
        let tr = get_training(&mut t, &conn(), 8439885694023994630, 8178251407424893697).unwrap();
        assert_eq!(tr.training_key, 8178251407424893697);
        assert_eq!(tr.time_zone, None);
        assert_eq!(tr.organizers[0].organizer_key, 8439885694023994630);
        assert_eq!(tr.times[0].end, "2014-03-26T23:00:00Z");
        assert!(tr.registration_settings.unwrap().disable_web_registration);
    }
}

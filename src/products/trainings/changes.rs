//! Changes to a scheduled training, and the links that start or manage it:
//! `update-training-name`, `update-training-times`,
//! `update-training-registration-settings`, `list-training-organizers`,
//! `update-training-organizers`, `get-training-management-url`,
//! `get-training-start-url` and `start-training`.

use alloc::string::String;

use serde_json::Value;

use super::training::{
    keys, organizer_keys, read_organizer, settings_body, time_zone_id, times_body,
};
use crate::core::bases::G2T;
use crate::core::client::{Api, object};
use crate::core::errors::invalid;
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Record};
use crate::core::validate::check_id;
use crate::exports::trainings::{
    NotifiedParties, RegistrationSettings, TrainingOrganizers, TrainingSchedule,
};
use crate::{Connection, Error};

/// The checked organizer and training keys, and the call's context.
fn training_api<'a>(
    t: &'a mut dyn Transport,
    conn: &'a Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<(Api<'a>, String, String), Error> {
    let (org, key) = keys(organizer_key, training_key)?;
    Ok((Api::new(t, conn, G2T)?, org, key))
}

pub fn update_training_name(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    name: &str,
    description: Option<&str>,
) -> Result<(), Error> {
    if name.trim().is_empty() {
        return Err(invalid("name", "must not be empty"));
    }
    let mut body = object(vec![("name", name.into())]);
    if let Some(d) = description {
        body.insert("description".into(), d.into());
    }
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(
        &["organizers", &org, "trainings", &key, "nameDescription"],
        &[],
    );
    api.send(Method::Put, url, Some(&Value::Object(body)))
        .map(drop)
}

pub fn update_training_times(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    schedule: &TrainingSchedule,
) -> Result<NotifiedParties, Error> {
    let time_zone = time_zone_id("schedule.timeZone", &schedule.time_zone)?;
    let body = Value::Object(object(vec![
        ("timeZone", time_zone.into()),
        ("times", times_body("schedule.times", &schedule.times)?),
        ("notifyRegistrants", schedule.notify_registrants.into()),
        ("notifyTrainers", schedule.notify_trainers.into()),
    ]));
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(&["organizers", &org, "trainings", &key, "times"], &[]);
    api.one(
        Method::Put,
        url,
        Some(&body),
        "count of notified parties",
        &read_notified,
    )
}

/// GoTo's `NotifiedParties`; an absent count is 0 (nobody was told).
fn read_notified(r: &Record) -> record::Result<NotifiedParties> {
    Ok(NotifiedParties {
        registrants: r.count(&["notifiedRegistrants"])?.unwrap_or(0),
        trainers: r.count(&["notifiedTrainers"])?.unwrap_or(0),
    })
}

pub fn update_training_registration_settings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    settings: &RegistrationSettings,
) -> Result<(), Error> {
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(
        &[
            "organizers",
            &org,
            "trainings",
            &key,
            "registrationSettings",
        ],
        &[],
    );
    api.send(Method::Put, url, Some(&settings_body(settings)))
        .map(drop)
}

pub fn list_training_organizers(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<TrainingOrganizers, Error> {
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(&["organizers", &org, "trainings", &key, "organizers"], &[]);
    api.list(url, &["organizers"], &read_organizer)
        .map(|l| TrainingOrganizers {
            organizers: l.items,
            skipped: l.skipped,
        })
}

pub fn update_training_organizers(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
    keys: &[u64],
    notify_organizers: bool,
) -> Result<(), Error> {
    let body = Value::Object(object(vec![
        ("organizers", organizer_keys("organizerKeys", keys)?),
        ("notifyOrganizers", notify_organizers.into()),
    ]));
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(&["organizers", &org, "trainings", &key, "organizers"], &[]);
    api.send(Method::Put, url, Some(&body)).map(drop)
}

pub fn get_training_management_url(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<String, Error> {
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(&["organizers", &org, "trainings", &key, "manageUrl"], &[]);
    api.link(url)
}

pub fn get_training_start_url(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    training_key: u64,
) -> Result<String, Error> {
    let (mut api, org, key) = training_api(t, conn, organizer_key, training_key)?;
    let url = api.url(&["organizers", &org, "trainings", &key, "startUrl"], &[]);
    api.link(url)
}

pub fn start_training(
    t: &mut dyn Transport,
    conn: &Connection,
    training_key: u64,
) -> Result<String, Error> {
    let key = check_id("trainingKey", training_key)?;
    let mut api = Api::new(t, conn, G2T)?;
    let url = api.url(&["trainings", &key, "start"], &[]);
    api.one(Method::Get, url, None, "start URL", &|r| {
        r.required_link(&["hostURL"])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};
    use crate::exports::trainings::TrainingTime;

    fn schedule() -> TrainingSchedule {
        TrainingSchedule {
            time_zone: " America/New_York ".into(),
            times: vec![TrainingTime {
                start: "2026-03-26T11:00:00-04:00".into(),
                end: "2026-03-26T19:00:00-04:00".into(),
            }],
            notify_registrants: true,
            notify_trainers: false,
        }
    }

    #[test]
    fn times_are_sent_in_utc_and_the_counts_read() {
        let mut t = canned(200, r#"{"notifiedRegistrants":12,"notifiedTrainers":"2"}"#);
        let told = update_training_times(&mut t, &conn(), 7, 9, &schedule()).unwrap();
        assert_eq!((told.registrants, told.trainers), (12, 2));
        let req = &t.sent[0];
        assert_eq!(req.method, Method::Put);
        assert!(
            req.url
                .as_str()
                .ends_with("/G2T/rest/organizers/7/trainings/9/times")
        );
        let body: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"timeZone":"America/New_York",
                "times":[{"startDate":"2026-03-26T15:00:00Z","endDate":"2026-03-26T23:00:00Z"}],
                "notifyRegistrants":true,"notifyTrainers":false})
        );
    }

    #[test]
    fn bad_changes_are_refused_before_sending() {
        let mut t = canned(204, "");
        let mut s = schedule();
        s.times.clear();
        assert!(matches!(
            update_training_times(&mut t, &conn(), 7, 9, &s),
            Err(Error::InvalidInput(m)) if m.starts_with("schedule.times:")
        ));
        assert!(matches!(
            update_training_name(&mut t, &conn(), 7, 9, " ", None),
            Err(Error::InvalidInput(m)) if m.starts_with("name:")
        ));
        assert!(matches!(
            update_training_organizers(&mut t, &conn(), 7, 9, &[5, 0], true),
            Err(Error::InvalidInput(m)) if m.starts_with("organizerKeys:")
        ));
        assert!(matches!(
            start_training(&mut t, &conn(), 0),
            Err(Error::InvalidInput(m)) if m.starts_with("trainingKey:")
        ));
        assert!(t.sent.is_empty());
    }

    #[test]
    fn links_come_as_bare_strings_and_anything_else_is_invalid() {
        let mut t = canned(200, r#""https://global.gototraining.com/manage/1""#);
        let link = get_training_management_url(&mut t, &conn(), 7, 9).unwrap();
        assert_eq!(link, "https://global.gototraining.com/manage/1");
        assert!(t.sent[0].url.as_str().ends_with("/trainings/9/manageUrl"));
        for body in [
            r#"{"url":"x"}"#,
            r#""""#,
            r#""/relative""#,
            "https://x",
            "42",
        ] {
            let mut t = canned(200, body);
            assert!(
                matches!(
                    get_training_start_url(&mut t, &conn(), 7, 9),
                    Err(Error::InvalidResponse(_))
                ),
                "{body}"
            );
        }
    }
}

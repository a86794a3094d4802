//! GoToWebinar webhooks: the secret key, webhooks, user subscriptions (one
//! or all), and
//! `parse-webhook-event`.
//!
//! The event shapes come from the sample events of GoTo's webhook guide as
//! carried by `PipedreamHQ/pipedream` (`components/gotowebinar/sources/*/test-event.mjs`)
//! and `api-evangelist/gotowebinar` (`asyncapi/gotowebinar-webhooks-asyncapi.yml`).
//! GoTo signs events (`X-Webhook-Signature`, "HMAC signature for the payload,
//! computed with the webhook secretKey", api-evangelist), but neither GoTo's
//! guide as publicly copied, nor its v2 description, nor the samples state
//! the signed string, the hash or the encoding, so nothing here claims to
//! verify a signature.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::webinar::{experience, items, read_answer, read_time, registrant_status, webinar_kind};
use crate::core::bases::G2W;
use crate::core::client::{Api, object};
use crate::core::errors::invalid;
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Record, ShapeError};
use crate::core::time;
use crate::core::validate::check_https_url;
use crate::core::validate::input_time;
use crate::exports::webinar_webhooks::{
    EventAnswer, NewUserSubscription, NewWebhook, RegistrantEvent, UserSubscription,
    UserSubscriptions, Webhook, WebhookEvent, WebhookEventName, WebhookSecret, WebhookState,
    Webhooks, WebinarEvent, WebinarEventStatus,
};
use crate::{Connection, Error};

/// The only product GoTo's webhooks serve.
const PRODUCT: &str = "g2w";
/// The only event version GoTo documents.
const EVENT_VERSION: &str = "1.0.0";

pub fn create_webhook_secret_key(
    t: &mut dyn Transport,
    conn: &Connection,
    valid_from: Option<&str>,
) -> Result<WebhookSecret, Error> {
    let mut body = object(vec![]);
    if let Some(v) = valid_from {
        let at = input_time("validFrom", v)?;
        body.insert("validFrom".into(), time::format(at).into());
    }
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["webhooks", "secretkey"], &[]);
    api.one(
        Method::Post,
        url,
        Some(&Value::Object(body)),
        "secret key",
        &|r| {
            Ok(WebhookSecret {
                id: r.id(&["id"])?,
                value: r.required_text(&["value", "secretKey"])?,
                valid_from: r.time(&["validFrom"])?,
            })
        },
    )
}

pub fn create_webhooks(
    t: &mut dyn Transport,
    conn: &Connection,
    webhooks: &[NewWebhook],
) -> Result<Vec<Webhook>, Error> {
    if webhooks.is_empty() {
        return Err(invalid("webhooks", "must hold at least one webhook"));
    }
    let mut body = Vec::with_capacity(webhooks.len());
    for (i, w) in webhooks.iter().enumerate() {
        check_https_url(&format!("webhooks[{i}].callbackUrl"), &w.callback_url)?;
        body.push(Value::Object(object(vec![
            ("callbackUrl", w.callback_url.trim().into()),
            ("eventName", event_name(w.event).into()),
            ("eventVersion", EVENT_VERSION.into()),
            ("product", PRODUCT.into()),
        ])));
    }
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["webhooks"], &[]);
    let resp = api.send(Method::Post, url, Some(&Value::Array(body)))?;
    items(conn, &resp, Method::Post, "webhooks", &read_webhook).map(|l| l.items)
}

pub fn set_webhooks_state(
    t: &mut dyn Transport,
    conn: &Connection,
    webhook_keys: &[String],
    active: bool,
) -> Result<(), Error> {
    let state = if active { "ACTIVE" } else { "INACTIVE" };
    let mut body = Vec::with_capacity(webhook_keys.len());
    for key in check_keys("webhookKeys", webhook_keys)? {
        body.push(Value::Object(object(vec![
            ("webhookKey", key.into()),
            ("state", state.into()),
        ])));
    }
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["webhooks"], &[]);
    api.send(Method::Put, url, Some(&Value::Array(body)))
        .map(drop)
}

pub fn get_webhook(
    t: &mut dyn Transport,
    conn: &Connection,
    webhook_key: &str,
) -> Result<Webhook, Error> {
    let key = check_key("webhookKey", webhook_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["webhooks", key], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "webhook with that key",
        &read_webhook,
    )
}

pub fn list_webhooks(t: &mut dyn Transport, conn: &Connection) -> Result<Webhooks, Error> {
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["webhooks"], &[("product", PRODUCT)]);
    let resp = api.send(Method::Get, url, None)?;
    items(conn, &resp, Method::Get, "webhooks", &read_webhook).map(|l| Webhooks {
        webhooks: l.items,
        skipped: l.skipped,
    })
}

/// `DELETE /webhooks` or `DELETE /userSubscriptions` with the keys as body.
pub fn delete_keys(
    t: &mut dyn Transport,
    conn: &Connection,
    resource: &str,
    field: &str,
    keys: &[String],
) -> Result<(), Error> {
    let body: Vec<Value> = check_keys(field, keys)?
        .into_iter()
        .map(Value::from)
        .collect();
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&[resource], &[]);
    api.send(Method::Delete, url, Some(&Value::Array(body)))
        .map(drop)
}

pub fn create_user_subscriptions(
    t: &mut dyn Transport,
    conn: &Connection,
    subscriptions: &[NewUserSubscription],
) -> Result<Vec<UserSubscription>, Error> {
    if subscriptions.is_empty() {
        return Err(invalid(
            "subscriptions",
            "must hold at least one subscription",
        ));
    }
    let mut body = Vec::with_capacity(subscriptions.len());
    for (i, s) in subscriptions.iter().enumerate() {
        let key = check_key(&format!("subscriptions[{i}].webhookKey"), &s.webhook_key)?;
        let state = if s.active { "ACTIVE" } else { "INACTIVE" };
        let mut item = object(vec![
            ("webhookKey", key.into()),
            ("userSubscriptionState", state.into()),
        ]);
        if let Some(url) = &s.callback_url {
            check_https_url(&format!("subscriptions[{i}].callbackUrl"), url)?;
            item.insert("callbackUrl".into(), url.trim().into());
        }
        body.push(Value::Object(item));
    }
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["userSubscriptions"], &[]);
    let resp = api.send(Method::Post, url, Some(&Value::Array(body)))?;
    items(
        conn,
        &resp,
        Method::Post,
        "userSubscriptions",
        &read_subscription,
    )
    .map(|l| l.items)
}

pub fn list_user_subscriptions(
    t: &mut dyn Transport,
    conn: &Connection,
) -> Result<UserSubscriptions, Error> {
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["userSubscriptions"], &[("product", PRODUCT)]);
    let resp = api.send(Method::Get, url, None)?;
    items(
        conn,
        &resp,
        Method::Get,
        "userSubscriptions",
        &read_subscription,
    )
    .map(|l| UserSubscriptions {
        subscriptions: l.items,
        skipped: l.skipped,
    })
}

pub fn get_user_subscription(
    t: &mut dyn Transport,
    conn: &Connection,
    user_subscription_key: &str,
) -> Result<UserSubscription, Error> {
    let key = check_key("userSubscriptionKey", user_subscription_key)?;
    let mut api = Api::new(t, conn, G2W)?;
    let url = api.url(&["userSubscriptions", key], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "user subscription with that key",
        &read_subscription,
    )
}

/// Reads an event body; every refusal is `invalid-input` (the body is the
/// caller's input).
pub fn parse_webhook_event(body: &str) -> Result<WebhookEvent, Error> {
    let value: Value =
        serde_json::from_str(body).map_err(|e| invalid("body", format!("is not JSON ({e})")))?;
    let r = Record::from_value(value).map_err(|e| invalid("body", e.0))?;
    read_event(&r).map_err(|e| invalid("body", e.0))
}

fn read_event(r: &Record) -> record::Result<WebhookEvent> {
    let name = r.required_text(&["eventName"]).map_err(|_| {
        ShapeError("is not a GoToWebinar event: field `eventName` is missing".into())
    })?;
    Ok(match name.as_str() {
        "registrant.added" => WebhookEvent::RegistrantAdded(read_registrant_event(r)?),
        "registrant.joined" => WebhookEvent::RegistrantJoined(read_registrant_event(r)?),
        "webinar.created" => WebhookEvent::WebinarCreated(read_webinar_event(r)?),
        "webinar.changed" => WebhookEvent::WebinarChanged(read_webinar_event(r)?),
        other => {
            return Err(ShapeError(format!(
                "eventName {other:?} is not one of registrant.added, registrant.joined, webinar.created, webinar.changed"
            )));
        }
    })
}

fn read_registrant_event(r: &Record) -> record::Result<RegistrantEvent> {
    Ok(RegistrantEvent {
        event_key: r.required_text(&["eventKey"])?,
        webinar_key: r.required_id(&["webinarKey"])?,
        registrant_key: r.required_id(&["registrantKey"])?,
        session_key: r.id(&["sessionKey"])?,
        first_name: r.text(&["firstName"])?,
        last_name: r.text(&["lastName"])?,
        email: r.text(&["email"])?,
        status: r.text(&["status"])?.map(|s| registrant_status(&s)),
        registration_date: r.time(&["registrationDate"])?,
        join_time: r.time(&["joinTime"])?,
        join_url: r.text(&["joinUrl"])?,
        webinar_title: r.text(&["webinarTitle"])?,
        webinar_creator_key: r.id(&["webinarCreatorKey"])?,
        responses: r.list(&["responses"], |a| {
            let a = read_answer(a)?;
            Ok(EventAnswer {
                question: a.question,
                answer: a.answer,
            })
        })?,
        timestamp: r.time(&["timestamp"])?,
    })
}

fn event_status(raw: &str) -> WebinarEventStatus {
    match raw.trim().to_ascii_uppercase().as_str() {
        "NEW" => WebinarEventStatus::Created,
        "UPDATED" => WebinarEventStatus::Updated,
        "DELETED" => WebinarEventStatus::Deleted,
        _ => WebinarEventStatus::Other(raw.to_string()),
    }
}

fn read_webinar_event(r: &Record) -> record::Result<WebinarEvent> {
    Ok(WebinarEvent {
        event_key: r.required_text(&["eventKey"])?,
        webinar_key: r.required_id(&["webinarKey"])?,
        status: r.text(&["status"])?.map(|s| event_status(&s)),
        webinar_title: r.text(&["webinarTitle"])?,
        description: r.text(&["description"])?,
        organizer_key: r.id(&["organizerKey"])?,
        account_key: r.id(&["accountKey"])?,
        times: r.list(&["times"], read_time)?,
        time_zone: r.text(&["timeZone"])?,
        kind: r.text(&["recurrenceType"])?.map(|k| webinar_kind(&k)),
        experience: r.text(&["experienceType"])?.map(|e| experience(&e)),
        timestamp: r.time(&["timestamp"])?,
    })
}

fn event_name(e: WebhookEventName) -> &'static str {
    match e {
        WebhookEventName::RegistrantAdded => "registrant.added",
        WebhookEventName::RegistrantJoined => "registrant.joined",
        WebhookEventName::WebinarCreated => "webinar.created",
        WebhookEventName::WebinarChanged => "webinar.changed",
    }
}

fn parse_event_name(raw: &str) -> Option<WebhookEventName> {
    match raw.trim() {
        "registrant.added" => Some(WebhookEventName::RegistrantAdded),
        "registrant.joined" => Some(WebhookEventName::RegistrantJoined),
        "webinar.created" => Some(WebhookEventName::WebinarCreated),
        "webinar.changed" => Some(WebhookEventName::WebinarChanged),
        _ => None,
    }
}

fn state(raw: &str) -> WebhookState {
    match raw.trim().to_ascii_uppercase().as_str() {
        "ACTIVE" => WebhookState::Active,
        "INACTIVE" => WebhookState::Inactive,
        _ => WebhookState::Other(raw.to_string()),
    }
}

fn read_webhook(r: &Record) -> record::Result<Webhook> {
    Ok(Webhook {
        webhook_key: r.required_text(&["webhookKey"])?,
        event: r.text(&["eventName"])?.and_then(|n| parse_event_name(&n)),
        event_version: r.text(&["eventVersion"])?,
        callback_url: r.text(&["callbackUrl"])?,
        state: r.text(&["state", "webhookState"])?.map(|s| state(&s)),
        created: r.time(&["createTime"])?,
    })
}

fn read_subscription(r: &Record) -> record::Result<UserSubscription> {
    Ok(UserSubscription {
        user_subscription_key: r.required_text(&["userSubscriptionKey", "subscriptionKey"])?,
        webhook_key: r.text(&["webhookKey"])?,
        event: r.text(&["eventName"])?.and_then(|n| parse_event_name(&n)),
        callback_url: r.text(&["callbackUrl"])?,
        state: r.text(&["userSubscriptionState"])?.map(|s| state(&s)),
        activation_state: r.text(&["activationState"])?.map(|s| state(&s)),
        created: r.time(&["createTime"])?,
    })
}

/// A webhook or subscription key: 1 to 128 visible ASCII characters.
fn check_key<'a>(field: &str, raw: &'a str) -> Result<&'a str, Error> {
    let k = raw.trim();
    if k.is_empty() || k.len() > 128 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(
            field,
            format!("must be a key as GoTo returned it (got {raw:?})"),
        ));
    }
    Ok(k)
}

fn check_keys<'a>(field: &str, keys: &'a [String]) -> Result<Vec<&'a str>, Error> {
    if keys.is_empty() {
        return Err(invalid(field, "must hold at least one key"));
    }
    keys.iter()
        .enumerate()
        .map(|(i, k)| check_key(&format!("{field}[{i}]"), k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};

    /// GoTo's sample `registrant.added` event (Pipedream's copy), with a
    /// registrant key that fits in a u64 (the sample's does not).
    const ADDED: &str = r#"{"eventName":"registrant.added","eventVersion":"1.0.0","product":"g2w",
        "eventKey":"7fc43482-b239-45e2-a8f8-3ca2f1fbada8","firstName":"first name test",
        "lastName":"last name test","email":"email@test.com","responses":[],
        "registrationDate":"2020-05-10T14:32:34.837Z","status":"APPROVED",
        "webinarKey":4511665432126123456,"webinarTitle":"subject test","experienceType":"BROADCAST",
        "recurrenceType":"single_session","webinarCreatorKey":7313424324482123456,
        "registrantKey":"2457606543231312345","joinUrl":"https://global.gotowebinar.com/join/1/2",
        "timestamp":"2020-05-10T14:32:34.837Z"}"#;

    #[test]
    fn a_registrant_added_event_is_typed() {
        let WebhookEvent::RegistrantAdded(e) = parse_webhook_event(ADDED).unwrap() else {
            panic!("wrong case")
        };
        assert_eq!(e.webinar_key, 4511665432126123456);
        assert_eq!(e.registrant_key, 2457606543231312345);
        assert_eq!(
            e.registration_date.as_deref(),
            Some("2020-05-10T14:32:34.837Z")
        );
        assert!(matches!(
            e.status,
            Some(crate::exports::webinars::RegistrantStatus::Approved)
        ));
    }

    #[test]
    fn bodies_that_are_not_events_are_invalid_input() {
        for (body, want) in [
            ("", "body: is not JSON"),
            ("[]", "body: expected an object"),
            ("{}", "body: is not a GoToWebinar event"),
            (
                r#"{"eventName":"meeting.started"}"#,
                "body: eventName \"meeting.started\"",
            ),
            (
                r#"{"eventName":"webinar.created","eventKey":"k"}"#,
                "body: field `webinarKey`",
            ),
        ] {
            match parse_webhook_event(body) {
                Err(Error::InvalidInput(m)) => assert!(m.starts_with(want), "{m} vs {want}"),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn one_user_subscription_is_got_by_its_key() {
        let mut t = canned(
            200,
            r#"{"userSubscriptionKey":"s1","webhookKey":"w1","eventName":"registrant.joined",
                "userSubscriptionState":"INACTIVE","activationState":"PAUSED","createTime":"2026-03-14T18:07:40.002Z"}"#,
        );
        assert!(matches!(
            get_user_subscription(&mut t, &conn(), "a b"),
            Err(Error::InvalidInput(m)) if m.starts_with("userSubscriptionKey")
        ));
        assert!(t.sent.is_empty());
        let s = get_user_subscription(&mut t, &conn(), " s1 ").unwrap();
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2W/rest/v2/userSubscriptions/s1"
        );
        assert!(matches!(s.event, Some(WebhookEventName::RegistrantJoined)));
        assert!(matches!(s.activation_state, Some(WebhookState::Other(ref o)) if o == "PAUSED"));
    }

    #[test]
    fn keys_are_checked_and_sent_as_a_body() {
        let mut t = canned(202, "");
        delete_keys(&mut t, &conn(), "webhooks", "webhookKeys", &["a b".into()]).unwrap_err();
        assert!(t.sent.is_empty());
        delete_keys(&mut t, &conn(), "webhooks", "webhookKeys", &["k1".into()]).unwrap();
        assert_eq!(t.sent[0].body.as_deref(), Some(&b"[\"k1\"]"[..]));
    }
}

//! GoToMeeting organizers (admin): `list-organizers`, `get-organizer`,
//! `create-organizer`, `delete-organizer-by-email`, `update-organizer`,
//! `delete-organizer`, `list-organizer-attendees`,
//! `list-organizer-historical-meetings`, `list-organizer-upcoming-meetings`,
//! `list-organizer-meetings` (deprecated).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::client::{Api, object};
use crate::errors::{self, invalid};
use crate::exports::meetings::{
    Attendees, DateRange, HistoricalMeetings, MeetingListing, MeetingsFilter, UpcomingMeetings,
};
use crate::exports::organizers::{
    AccountStatus, CreatedOrganizer, NewOrganizer, Organizer, OrganizerChange, Organizers, Product,
};
use crate::http::{Method, Transport};
use crate::meetings::{self, G2M, check_id, check_range};
use crate::record::{self, Field, Record, ShapeError};
use crate::{Connection, Error};

pub fn list_organizers(
    t: &mut dyn Transport,
    conn: &Connection,
    email: Option<&str>,
) -> Result<Organizers, Error> {
    let email = email.map(|e| check_email("email", e)).transpose()?;
    let mut api = Api::new(t, conn, G2M)?;
    let query: Vec<(&str, &str)> = email.iter().map(|e| ("email", e.as_str())).collect();
    let url = api.url(&["organizers"], &query);
    api.list(url, &["organizers"], &read_organizer)
        .map(|l| Organizers {
            organizers: l.items,
            skipped: l.skipped,
        })
}

pub fn get_organizer(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
) -> Result<Organizer, Error> {
    let key = check_id("organizerKey", organizer_key)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["organizers", &key], &[]);
    api.one(
        Method::Get,
        url,
        None,
        "organizer with that key",
        &read_organizer,
    )
}

pub fn create_organizer(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer: &NewOrganizer,
) -> Result<CreatedOrganizer, Error> {
    create_in(t, conn, &[], organizer)
}

/// `POST .../organizers` under `prefix` (`[]`, or `["groups", key]`).
pub fn create_in(
    t: &mut dyn Transport,
    conn: &Connection,
    prefix: &[&str],
    organizer: &NewOrganizer,
) -> Result<CreatedOrganizer, Error> {
    let body = organizer_body(organizer)?;
    let mut api = Api::new(t, conn, G2M)?;
    let mut path = prefix.to_vec();
    path.push("organizers");
    let url = api.url(&path, &[]);
    let resp = api.send(Method::Post, url, Some(&body))?;
    read_created(&resp.body)
        .map_err(|e| errors::invalid_response(resp.status, e, &[&conn.access_token], Method::Post))
}

pub fn delete_organizer_by_email(
    t: &mut dyn Transport,
    conn: &Connection,
    email: &str,
) -> Result<(), Error> {
    let email = check_email("email", email)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["organizers"], &[("email", &email)]);
    api.send(Method::Delete, url, None).map(drop)
}

pub fn update_organizer(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    change: &OrganizerChange,
) -> Result<(), Error> {
    let key = check_id("organizerKey", organizer_key)?;
    let body = match change {
        OrganizerChange::Suspend => object(vec![("status", "suspended".into())]),
        OrganizerChange::AddProduct(p) => object(vec![(
            "productType",
            product_code("change.add-product", p)?.into(),
        )]),
    };
    let body = Value::Object(body);
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["organizers", &key], &[]);
    api.send(Method::Put, url, Some(&body)).map(drop)
}

pub fn delete_organizer(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
) -> Result<(), Error> {
    let key = check_id("organizerKey", organizer_key)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["organizers", &key], &[]);
    api.send(Method::Delete, url, None).map(drop)
}

pub fn list_organizer_attendees(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
) -> Result<Attendees, Error> {
    let key = check_id("organizerKey", organizer_key)?;
    let (start, end) = check_range("range", range)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(
        &["organizers", &key, "attendees"],
        &[("startDate", &start), ("endDate", &end)],
    );
    api.list(url, &["attendees"], &meetings::read_attendee)
        .map(|l| Attendees {
            attendees: l.items,
            skipped: l.skipped,
        })
}

pub fn list_organizer_historical_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    let key = check_id("organizerKey", organizer_key)?;
    let (start, end) = check_range("range", range)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(
        &["organizers", &key, "historicalMeetings"],
        &[("startDate", &start), ("endDate", &end)],
    );
    api.list(url, &["meetings"], &meetings::read_historical)
        .map(|l| HistoricalMeetings {
            meetings: l.items,
            skipped: l.skipped,
        })
}

pub fn list_organizer_upcoming_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
) -> Result<UpcomingMeetings, Error> {
    let key = check_id("organizerKey", organizer_key)?;
    let mut api = Api::new(t, conn, G2M)?;
    let url = api.url(&["organizers", &key, "upcomingMeetings"], &[]);
    api.list(url, &["meetings"], &meetings::read_upcoming)
        .map(|l| UpcomingMeetings {
            meetings: l.items,
            skipped: l.skipped,
        })
}

pub fn list_organizer_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    filter: &MeetingsFilter,
) -> Result<MeetingListing, Error> {
    let key = check_id("organizerKey", organizer_key)?;
    meetings::deprecated_listing(t, conn, &["organizers", &key], filter)
}

/// An email for a query or body (trimmed): `local@domain.tld`, at most 254
/// characters, no spaces or control characters, one `@`, and a domain with
/// a dot that neither starts nor ends it nor doubles it. Every operation
/// that takes an email checks it here.
pub fn check_email(field: &str, raw: &str) -> Result<String, Error> {
    let email = raw.trim();
    let ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        });
    if !ok {
        return Err(invalid(
            field,
            format!("must be an email address such as jane@example.com (got {raw:?})"),
        ));
    }
    Ok(email.to_string())
}

/// The body of `POST /organizers` and `POST /groups/{groupKey}/organizers`.
pub fn organizer_body(o: &NewOrganizer) -> Result<Value, Error> {
    let email = check_email("organizer.email", &o.email)?;
    for (field, value) in [
        ("organizer.firstName", &o.first_name),
        ("organizer.lastName", &o.last_name),
    ] {
        let n = value.trim().chars().count();
        if n == 0 || n > 100 {
            return Err(invalid(
                field,
                format!("must be 1 to 100 characters (got {n})"),
            ));
        }
    }
    Ok(Value::Object(object(vec![
        ("organizerEmail", email.into()),
        ("firstName", o.first_name.trim().into()),
        ("lastName", o.last_name.trim().into()),
        (
            "productType",
            product_code("organizer.product", &o.product)?.into(),
        ),
    ])))
}

/// GoTo's spelling of a product; `other` is sent as given.
fn product_code<'a>(field: &str, p: &'a Product) -> Result<&'a str, Error> {
    Ok(match p {
        Product::G2m => "G2M",
        Product::G2w => "G2W",
        Product::G2t => "G2T",
        Product::Openvoice => "OPENVOICE",
        Product::G2aseeit => "G2ASEEIT",
        Product::G2ars => "G2ARS",
        Product::G2asd => "G2ASD",
        Product::Other(s) if s.trim().is_empty() => {
            return Err(invalid(&format!("{field}.other"), "must not be empty"));
        }
        Product::Other(s) => s.as_str(),
    })
}

/// GoTo spells products in upper or lower case; unknown ones are kept.
pub fn product(raw: &str) -> Product {
    match raw.trim().to_ascii_uppercase().as_str() {
        "G2M" => Product::G2m,
        "G2W" => Product::G2w,
        "G2T" => Product::G2t,
        "OPENVOICE" => Product::Openvoice,
        "G2ASEEIT" => Product::G2aseeit,
        "G2ARS" => Product::G2ars,
        "G2ASD" => Product::G2asd,
        _ => Product::Other(raw.to_string()),
    }
}

/// `active`/`suspended` in any case; unknown ones are kept.
pub fn account_status(raw: &str) -> AccountStatus {
    match raw.trim().to_ascii_lowercase().as_str() {
        "active" => AccountStatus::Active,
        "suspended" => AccountStatus::Suspended,
        _ => AccountStatus::Other(raw.to_string()),
    }
}

/// One organizer, from any organizer listing (by email, by key, by group;
/// current or the legacy lower-case keys).
pub fn read_organizer(r: &Record) -> record::Result<Organizer> {
    let products = match r.raw("products") {
        None | Some((_, Field::Json(Value::Null))) => Vec::new(),
        Some((_, Field::Json(Value::Array(items)))) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(product(s)),
                _ => Err(ShapeError(
                    "field `products`: expected a list of product names".into(),
                )),
            })
            .filter(|p| !matches!(p, Ok(Product::Other(s)) if s.trim().is_empty()))
            .collect::<record::Result<Vec<_>>>()?,
        // Seen as one comma-separated string in old answers.
        Some((_, Field::Text(s))) => s
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| product(p.trim()))
            .collect(),
        Some((k, _)) => {
            return Err(ShapeError(format!(
                "field `{k}`: expected a list of product names"
            )));
        }
    };
    Ok(Organizer {
        organizer_key: r.required_id(&["organizerKey", "key"])?,
        email: r.text(&["email", "organizerEmail"])?,
        first_name: r.text(&["firstName"])?,
        last_name: r.text(&["lastName"])?,
        group_key: r.id(&["groupId", "groupKey"])?,
        group_name: r.text(&["groupName"])?,
        status: r.text(&["status"])?.map(|s| account_status(&s)),
        products,
        max_num_attendees_allowed: r.count(&["maxNumAttendeesAllowed"])?,
    })
}

/// The 201 body of a create: `[{"key": ..., "email": ...}]` (an array of one,
/// or one object), or, from older accounts, the bare key (a number or string).
pub fn read_created(body: &[u8]) -> record::Result<CreatedOrganizer> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    let first = match value {
        Value::Array(items) => items
            .into_iter()
            .next()
            .ok_or_else(|| ShapeError("expected the new organizer, got an empty list".into()))?,
        other => other,
    };
    match first {
        Value::Object(m) => {
            let r = Record::from(m);
            Ok(CreatedOrganizer {
                organizer_key: r.required_id(&["key", "organizerKey"])?,
                email: r.text(&["email", "organizerEmail"])?,
            })
        }
        bare @ (Value::Number(_) | Value::String(_)) => {
            let mut r = Record::default();
            r.push("key".into(), Field::from(bare));
            Ok(CreatedOrganizer {
                organizer_key: r.required_id(&["key"])?,
                email: None,
            })
        }
        other => Err(ShapeError(format!(
            "expected the new organizer's key, got {}",
            match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                _ => "a list",
            }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{canned, conn};
    use serde_json::json;

    fn new_organizer() -> NewOrganizer {
        NewOrganizer {
            email: "jane+g2m@example.com".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            product: Product::G2m,
        }
    }

    #[test]
    fn create_accepts_the_array_and_the_bare_number() {
        for (body, email) in [
            (
                r#"[{"key":8439885694023999999,"email":"jane+g2m@example.com"}]"#,
                true,
            ),
            (
                r#"{"key":"8439885694023999999","email":"jane+g2m@example.com"}"#,
                true,
            ),
            ("8439885694023999999", false),
            (r#""8439885694023999999""#, false),
        ] {
            let mut t = canned(201, body);
            let c = create_organizer(&mut t, &conn(), &new_organizer()).unwrap();
            assert_eq!(c.organizer_key, 8439885694023999999, "{body}");
            assert_eq!(c.email.is_some(), email, "{body}");
            let sent: Value = serde_json::from_slice(t.sent[0].body.as_ref().unwrap()).unwrap();
            assert_eq!(
                sent,
                json!({"organizerEmail":"jane+g2m@example.com","firstName":"Jane","lastName":"Doe","productType":"G2M"})
            );
        }
        for body in ["[]", "true", "{\"email\":\"x@y\"}", "not json"] {
            let mut t = canned(201, body);
            assert!(
                matches!(
                    create_organizer(&mut t, &conn(), &new_organizer()),
                    // GoTo answered 201: the organizer exists.
                    Err(Error::InvalidResponse(r)) if matches!(r.applied, crate::Applied::Yes)
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn email_goes_percent_encoded_into_the_query() {
        let mut t = canned(204, "");
        delete_organizer_by_email(&mut t, &conn(), "jane+g2m@example.com").unwrap();
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/organizers?email=jane%2Bg2m%40example.com"
        );
        assert_eq!(t.sent[0].method, Method::Delete);
    }

    #[test]
    fn bad_input_is_refused_before_sending() {
        let mut t = canned(200, "[]");
        for email in [
            "",
            "jane",
            "@example.com",
            "jane@",
            "ja ne@example.com",
            "a@b@c",
            "jane@example",
            "jane@.example.com",
            "jane@example.com.",
            "jane@example..com",
        ] {
            assert!(
                matches!(list_organizers(&mut t, &conn(), Some(email)), Err(Error::InvalidInput(m)) if m.starts_with("email:")),
                "{email:?}"
            );
        }
        let mut o = new_organizer();
        o.first_name = "  ".into();
        assert!(
            matches!(create_organizer(&mut t, &conn(), &o), Err(Error::InvalidInput(m)) if m.starts_with("organizer.firstName:"))
        );
        let bad = DateRange {
            start: "2026-07-02T00:00:00Z".into(),
            end: "2026-07-01T00:00:00Z".into(),
        };
        assert!(
            matches!(list_organizer_attendees(&mut t, &conn(), 5, &bad), Err(Error::InvalidInput(m)) if m == "range.end: must be after range.start")
        );
        assert!(matches!(
            update_organizer(&mut t, &conn(), 0, &OrganizerChange::Suspend),
            Err(Error::InvalidInput(_))
        ));
        assert!(matches!(
            update_organizer(&mut t, &conn(), 1, &OrganizerChange::AddProduct(Product::Other(" ".into()))),
            Err(Error::InvalidInput(m)) if m.starts_with("change.add-product.other:")
        ));
        assert!(t.sent.is_empty());
    }

    #[test]
    fn organizers_are_normalized_from_current_and_legacy_shapes() {
        let mut t = canned(
            200,
            r#"[{"organizerKey":8439885694023999999,"groupId":300000000000011,"groupName":"Something 1, Inc.",
                "email":"test-1@test.com","firstName":"first-1","lastName":"last-1","status":"active",
                "products":["G2M","g2w","NEWTHING"],"maxNumAttendeesAllowed":"26"},
               {"organizerkey":"42","groupkey":7,"firstname":"a","status":"SUSPENDED","products":[]}]"#,
        );
        let list = list_organizers(&mut t, &conn(), None).unwrap().organizers;
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/organizers"
        );
        assert_eq!(list[0].organizer_key, 8439885694023999999);
        assert_eq!(list[0].max_num_attendees_allowed, Some(26));
        assert!(matches!(
            list[0].products.as_slice(),
            [Product::G2m, Product::G2w, Product::Other(s)] if s == "NEWTHING"
        ));
        assert_eq!(list[1].organizer_key, 42);
        assert_eq!(list[1].group_key, Some(7));
        assert!(matches!(list[1].status, Some(AccountStatus::Suspended)));
    }

    #[test]
    fn deprecated_listing_sends_history_or_scheduled() {
        let mut t = canned(
            200,
            r#"{"meetings":[{"meetingId":1,"startTime":1435788000000,"endTime":1435791600000,"recurring":true}]}"#,
        );
        let filter = MeetingsFilter::History(DateRange {
            start: "2015-07-01T00:00:00+02:00".into(),
            end: "2015-07-02T00:00:00Z".into(),
        });
        let MeetingListing::History(list) =
            list_organizer_meetings(&mut t, &conn(), 9, &filter).unwrap()
        else {
            panic!("history expected");
        };
        assert_eq!(
            list.meetings[0].start_time.as_deref(),
            Some("2015-07-01T22:00:00Z")
        );
        assert!(matches!(
            list.meetings[0].meeting_type,
            Some(crate::exports::meetings::MeetingType::Recurring)
        ));
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/organizers/9/meetings?history=true&startDate=2015-06-30T22%3A00%3A00Z&endDate=2015-07-02T00%3A00%3A00Z"
        );
        let mut t = canned(200, "[]");
        let listing =
            list_organizer_meetings(&mut t, &conn(), 9, &MeetingsFilter::Scheduled).unwrap();
        assert!(matches!(listing, MeetingListing::Scheduled(l) if l.meetings.is_empty()));
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/organizers/9/meetings?scheduled=true"
        );
    }
}

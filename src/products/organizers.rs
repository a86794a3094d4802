//! GoToMeeting organizers (admin): `list-organizers`, `get-organizer`,
//! `create-organizer`, `delete-organizer-by-email`, `update-organizer`,
//! `delete-organizer`, `list-organizer-attendees`,
//! `list-organizer-historical-meetings`, `list-organizer-upcoming-meetings`,
//! `list-organizer-meetings` (deprecated).

use alloc::vec::Vec;

use serde_json::Value;

use crate::core::bases::G2M;
use crate::core::client::{Api, object};
use crate::core::http::{Method, Transport};
use crate::core::organizer_records::{create_in, product_code, read_organizer};
use crate::core::scope::{self, Scope};
use crate::core::validate::{check_email, check_id};
use crate::exports::meetings::{
    Attendees, DateRange, HistoricalMeetings, MeetingListing, MeetingsFilter, UpcomingMeetings,
};
use crate::exports::organizers::{
    CreatedOrganizer, NewOrganizer, Organizer, OrganizerChange, Organizers,
};
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
    scope::attendees(t, conn, Scope::Organizer(organizer_key), range)
}

pub fn list_organizer_historical_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    range: &DateRange,
) -> Result<HistoricalMeetings, Error> {
    scope::historical_meetings(t, conn, Scope::Organizer(organizer_key), range)
}

pub fn list_organizer_upcoming_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
) -> Result<UpcomingMeetings, Error> {
    scope::upcoming_meetings(t, conn, Scope::Organizer(organizer_key))
}

pub fn list_organizer_meetings(
    t: &mut dyn Transport,
    conn: &Connection,
    organizer_key: u64,
    filter: &MeetingsFilter,
) -> Result<MeetingListing, Error> {
    scope::meetings(t, conn, Scope::Organizer(organizer_key), filter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{canned, conn};
    use crate::exports::organizers::{AccountStatus, Product};
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

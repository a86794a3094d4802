//! GoToMeeting's organizer records and the organizer create request, shared
//! by the organizers and groups products: `POST .../organizers` (of the
//! account or of a group), its body and answer, and the organizer reader.

use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::Value;

use crate::core::bases::G2M;
use crate::core::client::{Api, object};
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Field, Record, ShapeError};
use crate::core::validate::check_email;
use crate::exports::organizers::{
    AccountStatus, CreatedOrganizer, NewOrganizer, Organizer, Product,
};
use crate::{Connection, Error};

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
pub fn product_code<'a>(field: &str, p: &'a Product) -> Result<&'a str, Error> {
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

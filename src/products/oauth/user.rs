//! The account behind a token: `get-current-user`.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::core::bases::ADMIN;
use crate::core::client::Api;
use crate::core::http::{Method, Transport};
use crate::core::record::{self, Field, Record, ShapeError};
use crate::exports::oauth::{CurrentUser, UserAccount};
use crate::{Connection, Error};

/// `GET /admin/rest/v1/me`.
pub fn get_current_user(t: &mut dyn Transport, conn: &Connection) -> Result<CurrentUser, Error> {
    let mut api = Api::new(t, conn, ADMIN)?;
    let url = api.url(&["me"], &[]);
    api.one(Method::Get, url, None, "user", &read_user)
}

/// The user behind a token (`/admin/rest/v1/me`).
pub fn read_user(r: &Record) -> record::Result<CurrentUser> {
    Ok(CurrentUser {
        user_key: r.required_id(&["key", "userKey"])?,
        account_key: r.id(&["accountKey"])?,
        email: r.text(&["email"])?,
        first_name: r.text(&["firstName"])?,
        last_name: r.text(&["lastName"])?,
        locale: r.text(&["locale"])?,
        admin_roles: strings(r, "adminRoles")?,
        accounts: r.list(&["accounts"], |a| {
            Ok(UserAccount {
                key: a.required_id(&["key", "accountKey"])?,
                name: a.text(&["name"])?,
                admin_roles: strings(a, "adminRoles")?,
            })
        })?,
        create_time: r.time(&["createTime"])?,
        products: strings(r, "products")?,
    })
}

/// A list of strings; absent or null means empty, whatever the key's case.
fn strings(r: &Record, name: &str) -> record::Result<Vec<String>> {
    let Some((key, v)) = r.raw(name) else {
        return Ok(Vec::new());
    };
    match v {
        Field::Json(Value::Null) => Ok(Vec::new()),
        Field::Json(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => Err(ShapeError(format!(
                    "field `{key}`: expected a list of strings"
                ))),
            })
            .collect(),
        _ => Err(ShapeError(format!(
            "field `{key}`: expected a list of strings"
        ))),
    }
}

//! Where each product's API lives: the path prefixes under the connection's
//! API base, and the default bases of the services that have their own host
//! (OAuth, Seeit). One place, so `send-raw` and the products agree.

use crate::core::client::Api;
use crate::core::http::Transport;
use crate::{Connection, Error};

/// Path prefix of the GoToMeeting REST API under the API base.
pub const G2M: &[&str] = &["G2M", "rest"];

/// Path prefix of the GoToWebinar v2 REST API under the API base.
pub const G2W: &[&str] = &["G2W", "rest", "v2"];

/// The 1.0.0 prefix, where GoTo documents the upcoming and historical listings.
pub const G2W_V1: &[&str] = &["G2W", "rest"];

/// Path prefix of the GoToTraining REST API under the API base.
pub const G2T: &[&str] = &["G2T", "rest"];

/// Path prefix of the GoToAssist Remote Support REST API under the API base.
pub const G2A: &[&str] = &["G2A", "rest", "v1"];

/// Path prefix of the admin API under the API base.
pub const ADMIN: &[&str] = &["admin", "rest", "v1"];

/// GoTo's current authentication service (the `api.getgo.com/oauth/v2` host
/// was retired in 2025).
pub const DEFAULT_AUTH_BASE: &str = "https://authentication.logmeininc.com";

/// Seeit's documented base URL.
pub const DEFAULT_SEEIT_BASE: &str = "https://api.citrixonline.com/seeit/v1";

/// The API handle for Seeit: the connection's Seeit base, or the default.
pub fn seeit_api<'a>(t: &'a mut dyn Transport, conn: &'a Connection) -> Result<Api<'a>, Error> {
    Api::with_base(
        t,
        conn,
        conn.seeit_base.as_deref().unwrap_or(DEFAULT_SEEIT_BASE),
        "connection.seeitBase",
        &[],
    )
}

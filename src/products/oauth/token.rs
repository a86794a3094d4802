//! GoTo OAuth 2.0 tokens: `exchange-code` and `refresh-token`.
//!
//! The token endpoint takes HTTP Basic client credentials and a form body,
//! not a bearer token, so those calls build their request here instead of
//! through [`Api`](crate::core::client::Api). `now` is the wall clock, read
//! in the boundary (`boundary/exports/oauth.rs`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::flow::{check_client_id, check_redirect_uri, endpoint};
use super::pkce;
use crate::Error;
use crate::core::codec;
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Request, RequestOptions, Transport};
use crate::core::record::{self, Record, ShapeError};
use crate::core::time;
use crate::core::time::Instant;
use crate::exports::oauth::{OauthClient, TokenSet};

/// `grant_type=authorization_code`. `now` is the wall clock before sending.
pub fn exchange_code(
    t: &mut dyn Transport,
    client: &OauthClient,
    code: &str,
    redirect_uri: &str,
    code_verifier: Option<&str>,
    now: Option<Instant>,
) -> Result<TokenSet, Error> {
    if code.trim().is_empty() {
        return Err(invalid("code", "must not be empty"));
    }
    check_redirect_uri(redirect_uri)?;
    if let Some(v) = code_verifier
        && !pkce::well_formed(v)
    {
        return Err(invalid(
            "codeVerifier",
            "must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~' (RFC 7636)",
        ));
    }
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
    ];
    if let Some(v) = code_verifier {
        form.push(("code_verifier", v));
    }
    let mut secrets = vec![code];
    secrets.extend(code_verifier);
    token_request(t, client, &form, &secrets, None, now)
}

/// `grant_type=refresh_token`; keeps `refresh_token` when GoTo sends none.
pub fn refresh_token(
    t: &mut dyn Transport,
    client: &OauthClient,
    refresh_token: &str,
    now: Option<Instant>,
) -> Result<TokenSet, Error> {
    if refresh_token.trim().is_empty() {
        return Err(invalid("refreshToken", "must not be empty"));
    }
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    token_request(t, client, &form, &[refresh_token], Some(refresh_token), now)
}

/// One POST to the token endpoint. `secrets` are the call's own (code,
/// verifier, refresh token); the client secret and its Basic form are added.
fn token_request(
    t: &mut dyn Transport,
    client: &OauthClient,
    form: &[(&str, &str)],
    secrets: &[&str],
    previous_refresh: Option<&str>,
    now: Option<Instant>,
) -> Result<TokenSet, Error> {
    check_client_id(&client.client_id, "client.clientId")?;
    if client.client_secret.is_empty() {
        return Err(invalid("client.clientSecret", "must not be empty"));
    }
    let url = endpoint(client.auth_base.as_deref(), "client.authBase", "token")?;
    let basic = codec::base64(format!("{}:{}", client.client_id, client.client_secret).as_bytes());
    let mut secrets = secrets.to_vec();
    secrets.push(client.client_secret.as_str());
    secrets.push(basic.as_str());
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let request = Request {
        method: Method::Post,
        url,
        headers: vec![
            ("authorization", format!("Basic {basic}")),
            ("accept", "application/json".to_string()),
            (
                "content-type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ],
        body: Some(body.into_bytes()),
        options: RequestOptions::from_settings(client.settings.as_ref()),
    };
    let response = t.send(&request).map_err(|mut e| {
        errors::redact_error(&mut e, &secrets);
        e
    })?;
    if !(200..300).contains(&response.status) {
        return Err(errors::from_token_response(&response, &secrets, t.now()));
    }
    read_token_set(&response.body, now, previous_refresh).map_err(|e| {
        // The body's own tokens are secrets too, should a shape error quote one.
        let found = body_tokens(&response.body);
        let mut all = secrets.clone();
        all.extend(found.iter().map(String::as_str));
        // Tokens were granted: a code is used up, a refresh may have rotated.
        errors::invalid_response(response.status, e, &all, Method::Post)
    })
}

/// Reads a token response, current or legacy shape. `expires_in` may be a
/// number or a string; `organizer_key`/`account_key` only come in the legacy
/// shape; an empty `account_key` means none.
pub fn read_token_set(
    body: &[u8],
    now: Option<Instant>,
    previous_refresh: Option<&str>,
) -> record::Result<TokenSet> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    let r = Record::from_value(value)?;
    let issued = r.text(&["refresh_token"])?;
    let expires_in = r.count(&["expires_in"])?;
    let expires_at = match (now, expires_in) {
        // Whole seconds: the fraction of `now` is dropped.
        (Some(now), Some(secs)) => {
            Instant::from_unix(now.unix_seconds() + i64::from(secs), 0).map(time::format)
        }
        _ => None,
    };
    Ok(TokenSet {
        access_token: r.required_text(&["access_token"])?,
        refresh_token_issued: issued.is_some(),
        refresh_token: issued.or_else(|| previous_refresh.map(str::to_string)),
        expires_at,
        expires_in_seconds: expires_in,
        token_type: r.text(&["token_type"])?,
        scope: r.text(&["scope"])?,
        principal: r.text(&["principal"])?,
        organizer_key: r.id(&["organizer_key"])?,
        account_key: r.id(&["account_key"])?,
    })
}

fn body_tokens(body: &[u8]) -> Vec<String> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    ["access_token", "refresh_token"]
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_string))
        .collect()
}

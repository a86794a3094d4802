//! `goto-host call --live --record FILE`: a live call written as a cassette
//! that replays offline, with every credential replaced.
//!
//! Credentials are the string values of the fields in [`SECRET_KEYS`]
//! wherever they occur: the connection, the input, JSON and form request
//! bodies, and JSON answers (token responses); and the authorization code
//! ([`CODE_KEY`]) where it is one. Each distinct value becomes
//! `recorded-secret-N` (padded to the secret's length) everywhere in the
//! cassette, so the replay still matches (the input's client secret and the
//! form's `client_secret` stay equal). The `authorization` header is never
//! recorded (nor any other request header), and of the response headers
//! only [`KEPT_HEADERS`].
//! `expiresAt` is left out of the expectation: it depends on the clock.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::cassette::{Cassette, Interaction, RecordedRequest, RecordedResponse, encode_base64};
use crate::exchange::{Exchange, OutgoingRequest, Response};

/// Fields whose values are credentials, in our JSON view and in GoTo's.
pub const SECRET_KEYS: &[&str] = &[
    "accessToken",
    "refreshToken",
    "clientSecret",
    "codeVerifier",
    "userToken",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code_verifier",
];

/// The authorization code: a credential in `exchange-code`'s input and the
/// token request's form, but GoTo's error code (`"code": "InvalidToken"`)
/// in answers, which a recording must keep.
pub const CODE_KEY: &str = "code";

/// Response headers worth replaying; the rest is transport detail or
/// session state (cookies).
pub const KEPT_HEADERS: &[&str] = &["content-type", "retry-after", "location"];

/// Shorter secrets are replaced only where they are a whole value, never
/// inside other text.
const MIN_SUBSTRING_SECRET: usize = 8;

/// The cassette of one live call.
pub fn cassette(
    operation: &str,
    connection: &Value,
    input: &Value,
    exchanges: &[Exchange],
    result: &Value,
) -> anyhow::Result<Cassette> {
    let mut secrets = Vec::new();
    collect(connection, &mut secrets);
    collect(input, &mut secrets);
    if let Some(Value::String(code)) = input.get(CODE_KEY).filter(|c| c != &"") {
        secrets.push(code.clone());
    }
    let interactions: Vec<Interaction> = exchanges
        .iter()
        .map(|(req, resp)| Interaction {
            request: request(req),
            response: response(resp),
        })
        .collect();
    for i in &interactions {
        for v in [&i.request.json, &i.response.json].into_iter().flatten() {
            collect(v, &mut secrets);
        }
        for (k, v) in i.request.form.iter().flatten() {
            if (SECRET_KEYS.contains(&k.as_str()) || k == CODE_KEY) && !v.is_empty() {
                secrets.push(v.clone());
            }
        }
    }
    let mut expect = result.clone();
    drop_key(&mut expect, "expiresAt");
    let cassette = Cassette {
        operation: operation.to_string(),
        description: Some("recorded from the live API by goto-host call --live --record".into()),
        connection: Some(connection.clone()),
        input: input.clone(),
        interactions,
        expect,
    };
    // Longest first, so a secret that contains another is replaced whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    let mut value = serde_json::to_value(&cassette)?;
    scrub(&mut value, &secrets);
    Ok(serde_json::from_value(value)?)
}

fn request(r: &OutgoingRequest) -> RecordedRequest {
    let content_type = header(&r.headers, "content-type");
    let (mut json, mut form, mut body) = (None, None, None);
    if r.body.is_empty() {
        json = Some(Value::Null);
    } else if content_type.contains("x-www-form-urlencoded") {
        form = Some(url::form_urlencoded::parse(&r.body).into_owned().collect());
    } else if let Ok(v) = serde_json::from_slice::<Value>(&r.body) {
        json = Some(v);
    } else {
        body = Some(String::from_utf8_lossy(&r.body).into_owned());
    }
    RecordedRequest {
        method: r.method.clone(),
        url: r.uri.to_string(),
        headers: BTreeMap::new(),
        json,
        form,
        body,
    }
}

fn response(r: &Response) -> RecordedResponse {
    let headers = r
        .headers
        .iter()
        .filter(|(k, _)| KEPT_HEADERS.iter().any(|h| k.eq_ignore_ascii_case(h)))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    let (mut json, mut body, mut body_base64) = (None, None, None);
    match std::str::from_utf8(&r.body) {
        Ok(text) => match serde_json::from_str::<Value>(text) {
            Ok(v) if !text.trim().is_empty() => json = Some(v),
            _ if !text.is_empty() => body = Some(text.to_string()),
            _ => {}
        },
        Err(_) => body_base64 = Some(encode_base64(&r.body)),
    }
    RecordedResponse {
        status: r.status,
        headers,
        json,
        body,
        body_base64,
        fault: None,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map_or("", |(_, v)| v.as_str())
}

/// The values of [`SECRET_KEYS`] anywhere in `v`.
fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::String(s) if SECRET_KEYS.contains(&k.as_str()) && !s.is_empty() => {
                        out.push(s.clone())
                    }
                    _ => collect(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// Replaces every secret in every string of `v` (and the bodies recorded as
/// text) with its placeholder.
fn scrub(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) => {
            for (i, secret) in secrets.iter().enumerate() {
                let placeholder = placeholder(i + 1, secret.len());
                if *s == *secret {
                    *s = placeholder;
                } else if secret.len() >= MIN_SUBSTRING_SECRET && s.contains(secret.as_str()) {
                    *s = s.replace(secret.as_str(), &placeholder);
                }
            }
        }
        Value::Object(m) => m.values_mut().for_each(|v| scrub(v, secrets)),
        Value::Array(a) => a.iter_mut().for_each(|v| scrub(v, secrets)),
        _ => {}
    }
}

/// `recorded-secret-N`, padded with `x` to `len` so that length rules
/// (a PKCE verifier's 43 characters) still hold on replay.
fn placeholder(n: usize, len: usize) -> String {
    let mut p = format!("recorded-secret-{n}");
    while p.len() < len {
        p.push('x');
    }
    p
}

fn drop_key(v: &mut Value, key: &str) {
    match v {
        Value::Object(m) => {
            m.remove(key);
            m.values_mut().for_each(|v| drop_key(v, key));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| drop_key(v, key)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_recorded_error_keeps_goto_s_code_and_loses_the_token() {
        let token = "live-token-0123456789";
        let request = OutgoingRequest {
            method: "GET".into(),
            uri: "https://api.getgo.com/G2M/rest/meetings/1".parse().unwrap(),
            headers: vec![("authorization".into(), format!("Bearer {token}"))],
            body: Default::default(),
        };
        let answer = Response {
            status: 403,
            headers: vec![("content-type".into(), "application/json".into())],
            body: br#"{"int_err_code":"InvalidToken","code":"InvalidToken","msg":"Invalid token passed"}"#
                .to_vec(),
            fault: None,
        };
        let result = json!({"error": {"unauthorized": {"status": 403, "code": "InvalidToken"}}});
        let c = cassette(
            "get-meeting",
            &json!({"accessToken": token}),
            &json!({"meetingId": 1}),
            &[(request, answer)],
            &result,
        )
        .unwrap();
        let text = serde_json::to_string(&c).unwrap();
        assert!(!text.contains(token), "{text}");
        assert!(!text.contains("authorization"), "{text}");
        assert_eq!(
            c.interactions[0].response.json.as_ref().unwrap()["code"],
            "InvalidToken"
        );
        assert_eq!(c.expect["error"]["unauthorized"]["code"], "InvalidToken");
    }
}

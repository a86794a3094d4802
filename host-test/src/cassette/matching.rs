//! Whether a request is the one an interaction expects: the matching rules
//! of the cassette format.

use std::collections::BTreeMap;

use serde_json::Value;

use super::RecordedRequest;
use crate::exchange::OutgoingRequest;

/// Why a request did not match an interaction, or `None` when it did.
pub fn mismatch(want: &RecordedRequest, got: &OutgoingRequest) -> Option<String> {
    if !want.method.eq_ignore_ascii_case(&got.method) {
        return Some(format!(
            "method: expected {}, got {}",
            want.method, got.method
        ));
    }
    let got_uri = got.uri.to_string();
    // The same text is the same URL; only different texts are compared by
    // their parts (host case, default port, query order).
    if want.url != got_uri
        && let Some(why) = url_mismatch(&want.url, &got_uri)
    {
        return Some(why);
    }
    for (name, value) in &want.headers {
        let found = got
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        if found != Some(value) {
            if name.eq_ignore_ascii_case("authorization") {
                // Credentials never go into a log line.
                return Some(format!(
                    "header {name}: {} (values not shown: credentials)",
                    if found.is_some() {
                        "differs"
                    } else {
                        "missing"
                    }
                ));
            }
            return Some(format!("header {name}: expected {value:?}, got {found:?}"));
        }
    }
    let text = String::from_utf8_lossy(&got.body);
    if let Some(json) = &want.json {
        let got_json = if got.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&got.body).unwrap_or(Value::String(text.to_string()))
        };
        if *json != got_json {
            return Some(format!("json body: expected {json}, got {got_json}"));
        }
    }
    if let Some(form) = &want.form {
        let got_form: BTreeMap<String, String> = url::form_urlencoded::parse(&got.body)
            .into_owned()
            .collect();
        if *form != got_form {
            return Some(format!(
                "form body: expected {:?}, got {:?} (credential fields shown as [redacted])",
                without_credentials(form),
                without_credentials(&got_form)
            ));
        }
    }
    if let Some(body) = want.body.as_ref().filter(|b| **b != text) {
        return Some(format!("body: expected {body:?}, got {text:?}"));
    }
    None
}

/// Where two different URL texts differ: origin and path, then the query
/// as a set of pairs.
fn url_mismatch(want: &str, got: &str) -> Option<String> {
    let Ok(want_url) = url::Url::parse(want) else {
        return Some(format!("cassette url {want:?} does not parse"));
    };
    let Ok(got_url) = url::Url::parse(got) else {
        return Some(format!("request uri {got} does not parse"));
    };
    let origin = |u: &url::Url| {
        (
            u.scheme().to_string(),
            u.host_str().map(str::to_ascii_lowercase),
            u.port_or_known_default(),
        )
    };
    if origin(&want_url) != origin(&got_url) || want_url.path() != got_url.path() {
        return Some(format!("url: expected {}, got {}", want, got));
    }
    let query = |u: &url::Url| {
        let mut q: Vec<(String, String)> = u
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        q.sort();
        q
    };
    if query(&want_url) != query(&got_url) {
        return Some(format!(
            "query: expected {:?}, got {:?}",
            query(&want_url),
            query(&got_url)
        ));
    }
    None
}

/// Form fields that carry OAuth credentials; their values never go into a log line.
const CREDENTIAL_FIELDS: &[&str] = &[
    "code",
    "code_verifier",
    "refresh_token",
    "client_secret",
    "access_token",
    "password",
];

fn without_credentials(form: &BTreeMap<String, String>) -> BTreeMap<&str, &str> {
    form.iter()
        .map(|(k, v)| {
            let shown = if CREDENTIAL_FIELDS.contains(&k.as_str()) {
                "[redacted]"
            } else {
                v.as_str()
            };
            (k.as_str(), shown)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    fn req(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> OutgoingRequest {
        OutgoingRequest {
            method: method.into(),
            uri: uri.parse().unwrap(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn matching_rules() {
        let want: RecordedRequest = serde_json::from_value(json!({
            "method": "GET", "url": "https://api.getgo.com/x?a=1&b=2",
            "headers": {"Authorization": "Bearer t"}, "json": null
        }))
        .unwrap();
        // The same text, and the same URL written otherwise.
        for url in [
            "https://api.getgo.com/x?a=1&b=2",
            "https://API.getgo.com:443/x?b=2&a=1",
        ] {
            let got = req("GET", url, &[("authorization", "Bearer t")], "");
            assert_eq!(mismatch(&want, &got), None, "{url}");
        }
        // Each differs from `want` in one thing: method, query, header, body.
        let auth: &[(&str, &str)] = &[("authorization", "Bearer t")];
        for (method, url, headers, body) in [
            ("POST", "https://api.getgo.com/x?a=1&b=2", auth, ""),
            ("GET", "https://api.getgo.com/x?a=1", auth, ""),
            ("GET", "https://api.getgo.com/x?a=1&b=2", &[][..], ""),
            ("GET", "https://api.getgo.com/x?a=1&b=2", auth, "{}"),
        ] {
            let got = req(method, url, headers, body);
            assert!(
                mismatch(&want, &got).is_some(),
                "{method} {url} {headers:?} {body}"
            );
        }
        let form: RecordedRequest = serde_json::from_value(
            json!({"method": "POST", "url": "https://h/t", "form": {"a": "1 2"}}),
        )
        .unwrap();
        assert_eq!(
            mismatch(&form, &req("POST", "https://h/t", &[], "a=1+2")),
            None
        );
        assert!(mismatch(&form, &req("POST", "https://h/t", &[], "a=1")).is_some());
    }
}

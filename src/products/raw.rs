//! `send-raw`: one request to an endpoint this connector does not model,
//! under one of the GoTo product bases, with the same token, error mapping
//! and limits as every other operation.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::core::bases::{ADMIN, G2A, G2M, G2T, seeit_api};
use crate::core::client::Api;
use crate::core::errors::invalid;
use crate::core::http::{Method, Transport};
use crate::exports::raw::{ApiProduct, HttpMethod, NameValue, RawRequest, RawResponse};
use crate::{Connection, Error};

pub fn send_raw(
    t: &mut dyn Transport,
    conn: &Connection,
    request: &RawRequest,
) -> Result<RawResponse, Error> {
    let prefix: &[&str] = match request.product {
        ApiProduct::Meeting => G2M,
        ApiProduct::Training => G2T,
        ApiProduct::Assist => G2A,
        ApiProduct::Admin => ADMIN,
        ApiProduct::Seeit => &[],
    };
    let segments = check_path(&request.path, prefix)?;
    let query = request.query.as_deref().unwrap_or_default();
    for (i, q) in query.iter().enumerate() {
        if q.name.trim().is_empty() {
            return Err(invalid(
                &format!("request.query[{i}].name"),
                "must not be empty",
            ));
        }
    }
    let method = match request.method {
        HttpMethod::Get => Method::Get,
        HttpMethod::Post => Method::Post,
        HttpMethod::Put => Method::Put,
        HttpMethod::Delete => Method::Delete,
        HttpMethod::Patch => Method::Patch,
    };
    let body = match &request.body {
        None => None,
        Some(_) if matches!(method, Method::Get | Method::Delete) => {
            return Err(invalid(
                "request.body",
                "only post, put and patch requests carry a body",
            ));
        }
        // `from_slice`, not `from_str`: the same parse and messages, and the
        // component then holds one instance of serde_json's reader, not two.
        Some(text) => Some(
            serde_json::from_slice::<Value>(text.as_bytes())
                .map_err(|e| invalid("request.body", format!("must be JSON text ({e})")))?,
        ),
    };
    let mut api = match request.product {
        ApiProduct::Seeit => seeit_api(t, conn)?,
        _ => Api::new(t, conn, prefix)?,
    };
    let pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|q| (q.name.as_str(), q.value.as_str()))
        .collect();
    let segment_refs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let url = api.url(&segment_refs, &pairs);
    let resp = api.send(method, url, body.as_ref())?;
    Ok(RawResponse {
        status: resp.status,
        headers: resp
            .headers
            .iter()
            .map(|(n, v)| NameValue {
                name: n.to_ascii_lowercase(),
                value: String::from_utf8_lossy(v).into_owned(),
            })
            .collect(),
        body: String::from_utf8_lossy(&resp.body).into_owned(),
    })
}

/// Splits a relative path into segments, refusing anything that could leave
/// the product base: `..` or `.` segments, `//`, `\`, a scheme, a query, a
/// fragment, control characters, or the product prefix written again.
fn check_path(raw: &str, prefix: &[&str]) -> Result<Vec<String>, Error> {
    const FIELD: &str = "request.path";
    let path = raw.trim();
    let refuse = |why: &str| Err(invalid(FIELD, format!("{why} (got {raw:?})")));
    if path.contains('?') {
        return refuse("must not contain a query (`?`); use request.query");
    }
    if path.contains('#') {
        return refuse("must not contain a fragment (`#`)");
    }
    if path.contains('\\') || path.chars().any(char::is_control) {
        return refuse("must not contain `\\` or control characters");
    }
    let first = path.split('/').next().unwrap_or("");
    let scheme_like = first.contains(':')
        && first
            .split(':')
            .next()
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_alphabetic()));
    if path.contains("://") || scheme_like {
        return refuse("must be a path relative to the product base, not a URL");
    }
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return refuse("must name an endpoint under the product base");
    }
    let segments: Vec<String> = inner.split('/').map(str::to_string).collect();
    if segments.iter().any(String::is_empty) {
        return refuse("must not contain `//`");
    }
    // Servers that take `;` parameters in a segment (Tomcat and others)
    // read `..;x` as `..`: a dot segment is what comes before any `;`.
    let dot_segment = |s: &String| matches!(s.split(';').next(), Some(".." | "."));
    if segments.iter().any(dot_segment) {
        return refuse("must not contain `.` or `..` segments");
    }
    if !prefix.is_empty()
        && segments.len() >= prefix.len()
        && segments
            .iter()
            .zip(prefix)
            .all(|(s, p)| s.eq_ignore_ascii_case(p))
    {
        return refuse(&format!(
            "is relative to the product base: leave out `/{}`",
            prefix.join("/")
        ));
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{Canned, conn};

    fn canned(status: u16, body: &str) -> Canned {
        crate::core::testing::canned(status, body).with_header("Content-Type", "application/json")
    }

    fn req(product: ApiProduct, method: HttpMethod, path: &str) -> RawRequest {
        RawRequest {
            method,
            product,
            path: path.into(),
            query: None,
            body: None,
        }
    }

    #[test]
    fn builds_urls_under_each_product_base() {
        let cases = [
            (
                ApiProduct::Meeting,
                "https://api.getgo.com/G2M/rest/upcomingMeetings",
            ),
            (
                ApiProduct::Training,
                "https://api.getgo.com/G2T/rest/upcomingMeetings",
            ),
            (
                ApiProduct::Assist,
                "https://api.getgo.com/G2A/rest/v1/upcomingMeetings",
            ),
            (
                ApiProduct::Admin,
                "https://api.getgo.com/admin/rest/v1/upcomingMeetings",
            ),
            (
                ApiProduct::Seeit,
                "https://api.citrixonline.com/seeit/v1/upcomingMeetings",
            ),
        ];
        for (product, want) in cases {
            let mut t = canned(200, "[]");
            let out = send_raw(
                &mut t,
                &conn(),
                &req(product, HttpMethod::Get, "/upcomingMeetings"),
            )
            .unwrap();
            assert_eq!(t.sent[0].url.as_str(), want);
            assert_eq!(out.body, "[]");
            assert_eq!(out.headers[0].name, "content-type");
        }
    }

    #[test]
    fn query_body_and_encoding() {
        let mut t = canned(201, r#"{"key":1}"#);
        let mut r = req(
            ApiProduct::Meeting,
            HttpMethod::Post,
            "groups/12/organizers a",
        );
        r.query = Some(vec![NameValue {
            name: "email".into(),
            value: "a+b@x.com".into(),
        }]);
        r.body = Some(r#"{"firstName":"A"}"#.into());
        let out = send_raw(&mut t, &conn(), &r).unwrap();
        assert_eq!(out.status, 201);
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/groups/12/organizers%20a?email=a%2Bb%40x.com"
        );
        assert_eq!(
            t.sent[0].body.as_deref(),
            Some(br#"{"firstName":"A"}"#.as_slice())
        );
    }

    #[test]
    fn escapes_are_refused_before_sending() {
        for path in [
            "../admin/rest/v1/users",
            "meetings/../../x",
            "meetings/./1",
            "..;/admin/rest/v1/users",
            "meetings/..;x/..;/y",
            "meetings/.;/1",
            "//evil.example/x",
            "meetings//1",
            "https://evil.example/x",
            "javascript:alert(1)",
            "meetings?x=1",
            "meetings#top",
            "meetings\\1",
            "",
            "/",
            "G2M/rest/meetings",
        ] {
            let mut t = canned(200, "");
            match send_raw(
                &mut t,
                &conn(),
                &req(ApiProduct::Meeting, HttpMethod::Get, path),
            ) {
                Err(Error::InvalidInput(m)) => assert!(m.starts_with("request.path: "), "{m}"),
                other => panic!("{path:?} should be refused, got {other:?}"),
            }
            assert!(t.sent.is_empty());
        }
        let mut t = canned(200, "");
        let mut r = req(ApiProduct::Meeting, HttpMethod::Get, "meetings");
        r.body = Some("{}".into());
        assert!(matches!(
            send_raw(&mut t, &conn(), &r),
            Err(Error::InvalidInput(_))
        ));
        let mut r = req(ApiProduct::Meeting, HttpMethod::Post, "meetings");
        r.body = Some("{not json".into());
        assert!(matches!(
            send_raw(&mut t, &conn(), &r),
            Err(Error::InvalidInput(_))
        ));
        assert!(t.sent.is_empty());
    }

    #[test]
    fn semicolons_elsewhere_are_plain_text() {
        let mut t = canned(200, "[]");
        send_raw(
            &mut t,
            &conn(),
            &req(ApiProduct::Meeting, HttpMethod::Get, "meetings/a;b/...;"),
        )
        .unwrap();
        assert_eq!(
            t.sent[0].url.as_str(),
            "https://api.getgo.com/G2M/rest/meetings/a;b/...;"
        );
    }

    #[test]
    fn non_2xx_goes_through_the_error_mapping() {
        let mut t = canned(
            403,
            r#"{"int_err_code":"InvalidToken","msg":"Invalid token passed"}"#,
        );
        assert!(matches!(
            send_raw(
                &mut t,
                &conn(),
                &req(ApiProduct::Training, HttpMethod::Get, "x")
            ),
            Err(Error::Unauthorized(_))
        ));
    }
}

use super::*;

fn resp(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    }
}

fn api(e: Error) -> (&'static str, ApiError) {
    match e {
        Error::Unauthorized(a) => ("unauthorized", a),
        Error::Forbidden(a) => ("forbidden", a),
        Error::NotFound(a) => ("not-found", a),
        Error::BadRequest(a) => ("bad-request", a),
        Error::Conflict(a) => ("conflict", a),
        Error::RateLimited(a) => ("rate-limited", a),
        Error::Server(a) => ("server", a),
        Error::UnexpectedStatus(a) => ("unexpected-status", a),
        other => panic!("not an api error: {other:?}"),
    }
}

#[test]
fn invalid_token_403_is_unauthorized_and_says_to_refresh() {
    let (case, a) = api(from_response(
        &resp(
            403,
            r#"{"int_err_code":"InvalidToken","msg":"Invalid token passed"}"#,
        ),
        &[],
        None,
        Method::Get,
    ));
    assert_eq!(case, "unauthorized");
    assert_eq!(a.code.as_deref(), Some("InvalidToken"));
    assert!(
        a.message.contains("Invalid token passed") && a.message.contains("refresh"),
        "{}",
        a.message
    );
}

#[test]
fn other_403_is_forbidden() {
    let (case, _) = api(from_response(
        &resp(403, r#"{"errorCode":"Forbidden"}"#),
        &[],
        None,
        Method::Get,
    ));
    assert_eq!(case, "forbidden");
}

#[test]
fn every_body_shape_is_read() {
    let (case, a) = api(from_response(
        &resp(
            400,
            r#"{"errorCode":"InvalidParameter","description":"starttime is invalid","incident":"abc-1"}"#,
        ),
        &[],
        None,
        Method::Get,
    ));
    assert_eq!(
        (case, a.code.as_deref(), a.incident.as_deref()),
        ("bad-request", Some("InvalidParameter"), Some("abc-1"))
    );
    assert!(a.message.contains("starttime is invalid"));
    let (case, a) = api(from_response(
        &resp(
            401,
            r#"{"error":"invalid_client","error_description":"client not found"}"#,
        ),
        &[],
        None,
        Method::Get,
    ));
    assert_eq!(
        (case, a.code.as_deref()),
        ("unauthorized", Some("invalid_client"))
    );
    let (case, a) = api(from_response(
        &resp(404, r#"{"errorCode":"NOT_FOUND","message":"no such path"}"#),
        &[],
        None,
        Method::Get,
    ));
    assert_eq!(case, "not-found");
    assert!(a.message.contains("no such path"));
    let mut r = resp(502, "<html><body>Bad gateway</body></html>");
    r.headers
        .push(("content-type".into(), b"text/html; charset=utf-8".to_vec()));
    let (case, a) = api(from_response(&r, &[], None, Method::Get));
    assert_eq!(case, "server");
    assert!(
        a.message.contains("text/html body of 37 bytes"),
        "{}",
        a.message
    );
}

#[test]
fn retry_after_is_kept_and_secrets_never_leak() {
    let mut r = resp(429, r#"{"message":"slow down, token sekrit-token-123"}"#);
    r.headers.push(("Retry-After".into(), b"7".to_vec()));
    let (case, a) = api(from_response(&r, &["sekrit-token-123"], None, Method::Get));
    assert_eq!((case, a.retry_after_seconds), ("rate-limited", Some(7)));
    assert!(!a.message.contains("sekrit-token-123") && a.message.contains("[redacted]"));
}

#[test]
fn a_secret_across_the_clip_boundary_is_redacted_whole() {
    let secret = "sekrit-token-0123456789";
    // The secret starts before, at and after the 500-character cut.
    for pad in [480, 490, 495, 499, 500] {
        let message = format!("{}{secret} and more text", "x".repeat(pad));
        let body = serde_json::json!({ "message": message }).to_string();
        let (_, a) = api(from_response(
            &resp(400, &body),
            &[secret],
            None,
            Method::Get,
        ));
        assert!(!a.message.contains("sekr"), "{pad}: {}", a.message);
        let (_, a) = api(from_token_response(&resp(400, &body), &[secret], None));
        assert!(!a.message.contains("sekr"), "{pad}: {}", a.message);
    }
}

#[test]
fn retry_after_dates_count_from_the_wall_clock_and_other_forms_are_ignored() {
    let now = time::parse_rfc3339("2026-07-01T00:00:00Z");
    let after = |value: &str, now| {
        let mut r = resp(429, "");
        r.headers
            .push(("Retry-After".into(), value.as_bytes().to_vec()));
        let secs = retry_after_seconds(&r, now);
        let from_response = match from_response(&r, &[], now, Method::Get) {
            Error::RateLimited(a) => a.retry_after_seconds,
            other => panic!("{other:?}"),
        };
        assert_eq!(secs, from_response);
        secs
    };
    assert_eq!(after("Wed, 01 Jul 2026 00:00:30 GMT", now), Some(30));
    assert_eq!(after("Tue, 30 Jun 2026 23:00:00 GMT", now), Some(0));
    assert_eq!(after(" 12 ", now), Some(12));
    // No clock, an obsolete form, or nonsense: ignored.
    assert_eq!(after("Wed, 01 Jul 2026 00:00:30 GMT", None), None);
    for ignored in [
        "Wednesday, 01-Jul-26 00:00:30 GMT",
        "Wed Jul  1 00:00:30 2026",
        "2026-07-01T00:00:30Z",
        "-5",
        "soon",
    ] {
        assert_eq!(after(ignored, now), None, "{ignored}");
    }
}

#[test]
fn token_endpoint_errors_keep_the_oauth_code_and_never_the_secrets() {
    let (case, a) = api(from_token_response(
        &resp(
            400,
            r#"{"error":"invalid_grant","error_description":"code c0de-123 was already used"}"#,
        ),
        &["c0de-123"],
        None,
    ));
    assert_eq!(
        (case, a.code.as_deref()),
        ("bad-request", Some("invalid_grant"))
    );
    assert!(
        a.message.contains("already used")
            && a.message.contains("authorization-url")
            && !a.message.contains("c0de-123"),
        "{}",
        a.message
    );
    let (case, a) = api(from_token_response(
        &resp(
            401,
            r#"{"error":"invalid_client","error_description":"client not found"}"#,
        ),
        &[],
        None,
    ));
    assert_eq!(
        (case, a.code.as_deref()),
        ("unauthorized", Some("invalid_client"))
    );
    assert!(
        a.message.contains("client id and secret") && !a.message.contains("refresh"),
        "{}",
        a.message
    );
}

#[test]
fn unexpected_statuses_are_named() {
    let (case, a) = api(from_response(&resp(302, ""), &[], None, Method::Get));
    assert_eq!(case, "unexpected-status");
    assert!(
        a.message.contains("302 with an empty body"),
        "{}",
        a.message
    );
}

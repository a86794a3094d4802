//! Tests of the OAuth operations.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::core::codec;
use crate::core::http::{Method, Request};
use crate::core::testing::canned;
use crate::core::time::{self, Instant};
use crate::exports::oauth::OauthClient;
use crate::{Connection, Error};

fn client() -> OauthClient {
    OauthClient {
        client_id: "my-client".into(),
        client_secret: "s3cret-value".into(),
        auth_base: None,
        settings: None,
    }
}

fn now() -> Option<Instant> {
    time::parse_rfc3339("2026-07-01T00:00:00.750Z")
}

fn form(r: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(r.body.as_deref().unwrap_or_default())
        .into_owned()
        .collect()
}

#[test]
fn authorization_url_encodes_every_value() {
    let url = authorization_url(
        "my client",
        "https://app.example/cb?x=1&y=2",
        "st&te=1",
        None,
        None,
    );
    assert!(matches!(url, Err(Error::InvalidInput(m)) if m.starts_with("clientId")));
    let url = authorization_url(
        "my-client",
        "https://app.example/cb?x=1&y=2",
        "st&te=1 ü",
        Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
        Some("https://auth.example/base/"),
    )
    .unwrap();
    assert_eq!(
        url,
        "https://auth.example/base/oauth/authorize?client_id=my-client&response_type=code\
         &redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2&state=st%26te%3D1+%C3%BC\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    );
    let plain = authorization_url("id", "http://localhost:8080/cb", "s", None, None).unwrap();
    assert_eq!(
        plain,
        "https://authentication.logmeininc.com/oauth/authorize?client_id=id&response_type=code\
         &redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb&state=s"
    );
    for (args, field) in [
        (("id", "not a url", "s", None), "redirectUri"),
        (("id", "https://a/#frag", "s", None), "redirectUri"),
        (("id", "https://a/", " ", None), "state"),
        (("id", "https://a/", "s", Some("short")), "codeChallenge"),
    ] {
        let (id, uri, st, ch) = args;
        match authorization_url(id, uri, st, ch, None) {
            Err(Error::InvalidInput(m)) => assert!(m.starts_with(field), "{m}"),
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn pkce_pair_is_the_s256_of_its_verifier() {
    let p = pkce_pair(&[7u8; 43]);
    assert_eq!(p.verifier, "H".repeat(43));
    assert_eq!(p.challenge, pkce::s256_challenge(&p.verifier));
    assert_eq!(p.method, "S256");
    assert_eq!(verifier_length(None).unwrap(), 64);
    assert_eq!(verifier_length(Some(128)).unwrap(), 128);
    assert!(verifier_length(Some(42)).is_err());
    assert!(verifier_length(Some(u32::MAX)).is_err());
}

#[test]
fn exchange_posts_a_basic_authenticated_form_and_reads_the_current_shape() {
    let mut t = canned(
        200,
        r#"{"access_token":"acc-1","expires_in":3600,"refresh_token":"ref-1","token_type":"Bearer",
            "scope":"collab:","principal":"mahar.singh@company.com"}"#,
    );
    let ts = exchange_code(
        &mut t,
        &client(),
        "the-code",
        "https://app.example/cb",
        Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        now(),
    )
    .unwrap();
    assert_eq!(ts.access_token, "acc-1");
    assert_eq!(ts.refresh_token.as_deref(), Some("ref-1"));
    assert!(ts.refresh_token_issued);
    assert_eq!(ts.expires_at.as_deref(), Some("2026-07-01T01:00:00Z"));
    assert_eq!(ts.expires_in_seconds, Some(3600));
    assert_eq!(ts.organizer_key, None);
    let r = &t.sent[0];
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url.as_str(),
        "https://authentication.logmeininc.com/oauth/token"
    );
    assert!(r.headers.contains(&(
        "authorization",
        format!("Basic {}", codec::base64(b"my-client:s3cret-value"))
    )));
    assert!(r.headers.contains(&(
        "content-type",
        "application/x-www-form-urlencoded".to_string()
    )));
    let f = form(r);
    assert_eq!(
        f,
        [
            ("grant_type", "authorization_code"),
            ("code", "the-code"),
            ("redirect_uri", "https://app.example/cb"),
            (
                "code_verifier",
                "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            ),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
}

#[test]
fn legacy_shape_with_string_expiry_and_keys() {
    let ts = read_token_set(
        br#"{"access_token":"RlUe11faKeyCWxZToK3nk0uTKAL","expires_in":"3600","token_type":"Bearer",
             "refresh_token":"d1cp20yB3hrFAKeTokenTr49EZ34kTvNK","organizer_key":"8439885694023999999",
             "account_key":"9999982253621659654","account_type":"","version":"3"}"#,
        now(),
        None,
    )
    .unwrap();
    assert_eq!(ts.organizer_key, Some(8439885694023999999));
    assert_eq!(ts.account_key, Some(9999982253621659654));
    assert_eq!(ts.expires_in_seconds, Some(3600));
    let ts = read_token_set(br#"{"access_token":"a","account_key":""}"#, None, None).unwrap();
    assert_eq!((ts.account_key, ts.expires_at), (None, None));
    assert!(read_token_set(br#"{"expires_in":3600}"#, now(), None).is_err());
    assert!(read_token_set(br#"{"access_token":"a","expires_in":-1}"#, now(), None).is_err());
}

#[test]
fn refresh_keeps_the_old_refresh_token_unless_a_new_one_comes() {
    let mut t = canned(200, r#"{"access_token":"acc-2","expires_in":3600}"#);
    let ts = refresh_token(&mut t, &client(), "old-refresh", now()).unwrap();
    assert_eq!(ts.refresh_token.as_deref(), Some("old-refresh"));
    assert!(!ts.refresh_token_issued);
    assert_eq!(
        form(&t.sent[0]),
        [
            ("grant_type", "refresh_token"),
            ("refresh_token", "old-refresh")
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
    let mut t = canned(
        200,
        r#"{"access_token":"acc-3","expires_in":3600,"refresh_token":"new-refresh"}"#,
    );
    let ts = refresh_token(&mut t, &client(), "old-refresh", now()).unwrap();
    assert_eq!(ts.refresh_token.as_deref(), Some("new-refresh"));
    assert!(ts.refresh_token_issued);
}

#[test]
fn token_errors_are_typed_and_scrubbed() {
    let mut t = canned(
        400,
        r#"{"error":"invalid_grant","error_description":"refresh token old-refresh expired; client s3cret-value"}"#,
    );
    match refresh_token(&mut t, &client(), "old-refresh", now()) {
        Err(Error::BadRequest(a)) => {
            assert_eq!(a.code.as_deref(), Some("invalid_grant"));
            assert!(!a.message.contains("old-refresh") && !a.message.contains("s3cret"));
        }
        other => panic!("{other:?}"),
    }
    // A success body of the wrong shape: the tokens in it are scrubbed too.
    let mut t = canned(200, r#"{"access_token":"acc-9","expires_in":"acc-9"}"#);
    match exchange_code(&mut t, &client(), "c0de", "https://a/cb", None, now()) {
        Err(Error::InvalidResponse(r)) => {
            assert!(!r.message.contains("acc-9"), "{}", r.message);
            assert!(matches!(r.applied, crate::Applied::Yes));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_input_is_refused_before_sending() {
    let mut t = canned(200, "{}");
    let mut c = client();
    c.client_secret = String::new();
    let cases = [
        exchange_code(&mut t, &client(), "", "https://a/cb", None, now()),
        exchange_code(&mut t, &client(), "c", "cb", None, now()),
        exchange_code(&mut t, &client(), "c", "https://a/cb", Some("short"), now()),
        exchange_code(&mut t, &c, "c", "https://a/cb", None, now()),
        refresh_token(&mut t, &client(), " ", now()),
    ];
    for (r, field) in cases.into_iter().zip([
        "code",
        "redirectUri",
        "codeVerifier",
        "client.clientSecret",
        "refreshToken",
    ]) {
        assert!(
            matches!(&r, Err(Error::InvalidInput(m)) if m.starts_with(field)),
            "{field}: {r:?}"
        );
    }
    let mut c = client();
    c.auth_base = Some("ftp://x".into());
    assert!(matches!(
        refresh_token(&mut t, &c, "r-token", now()),
        Err(Error::InvalidInput(m)) if m.starts_with("client.authBase")
    ));
    assert!(t.sent.is_empty());
}

#[test]
fn current_user_reads_the_admin_me_shape() {
    let mut t = canned(
        200,
        r#"{"key":"8439885694023999999","accountKey":9999982253621659654,"email":"a@b.c",
            "firstName":"Mahar","lastName":"Singh","locale":"en_US","adminRoles":["SUPER_USER"],
            "accounts":[{"key":"9999982253621659654","name":"Acme","adminRoles":[]}],
            "createTime":1436824800000,"products":["G2M","G2T"]}"#,
    );
    let conn = Connection {
        access_token: "tok-1".into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let u = get_current_user(&mut t, &conn).unwrap();
    assert_eq!(u.user_key, 8439885694023999999);
    assert_eq!(u.account_key, Some(9999982253621659654));
    assert_eq!(u.create_time.as_deref(), Some("2015-07-13T22:00:00Z"));
    assert_eq!(u.products, ["G2M", "G2T"]);
    assert_eq!(u.accounts[0].name.as_deref(), Some("Acme"));
    assert_eq!(
        t.sent[0].url.as_str(),
        "https://api.getgo.com/admin/rest/v1/me"
    );
}

//! GoTo OAuth 2.0: `authorization-url`, `create-pkce`, `exchange-code`,
//! `refresh-token`, `get-current-user`.
//!
//! The token endpoint takes HTTP Basic client credentials and a form body,
//! not a bearer token, so those calls build their request here instead of
//! through [`Api`]. The clock and the randomness come in as parameters
//! (`now`, random bytes): the wasi reads stay in the boundary (`boundary/exports/oauth.rs`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;
use url::Url;

use super::pkce;
use crate::core::bases::{ADMIN, DEFAULT_AUTH_BASE};
use crate::core::client::{Api, parse_base};
use crate::core::codec;
use crate::core::errors::{self, invalid};
use crate::core::http::{Method, Request, RequestOptions, Transport};
use crate::core::record::{self, Field, Record, ShapeError};
use crate::core::time;
use crate::core::time::Instant;
use crate::exports::oauth::{CurrentUser, OauthClient, PkcePair, TokenSet, UserAccount};
use crate::{Connection, Error};

/// The URL that sends the user to GoTo's consent page. Sends nothing.
pub fn authorization_url(
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    code_challenge: Option<&str>,
    auth_base: Option<&str>,
) -> Result<String, Error> {
    check_client_id(client_id, "clientId")?;
    check_redirect_uri(redirect_uri)?;
    if state.trim().is_empty() {
        return Err(invalid(
            "state",
            "must not be empty: use an unguessable value per flow and check it on the redirect",
        ));
    }
    if let Some(c) = code_challenge {
        let ok = c.len() == 43
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(invalid(
                "codeChallenge",
                "must be the 43-character S256 challenge from create-pkce (never the verifier)",
            ));
        }
    }
    let mut url = endpoint(auth_base, "authBase", "authorize")?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        if let Some(c) = code_challenge {
            q.append_pair("code_challenge", c)
                .append_pair("code_challenge_method", "S256");
        }
    }
    Ok(url.into())
}

/// The verifier length to create: 43 to 128, default 64.
pub fn verifier_length(requested: Option<u32>) -> Result<usize, Error> {
    let n = requested.map_or(pkce::VERIFIER_DEFAULT, |n| {
        usize::try_from(n).unwrap_or(usize::MAX)
    });
    if !(pkce::VERIFIER_MIN..=pkce::VERIFIER_MAX).contains(&n) {
        return Err(invalid(
            "verifierLength",
            format!(
                "must be {} to {} (RFC 7636 §4.1)",
                pkce::VERIFIER_MIN,
                pkce::VERIFIER_MAX
            ),
        ));
    }
    Ok(n)
}

/// A PKCE pair from random bytes, one verifier character per byte.
pub fn pkce_pair(random: &[u8]) -> PkcePair {
    let verifier = pkce::verifier_from(random);
    PkcePair {
        challenge: pkce::s256_challenge(&verifier),
        verifier,
        method: "S256".into(),
    }
}

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

/// `GET /admin/rest/v1/me`.
pub fn get_current_user(t: &mut dyn Transport, conn: &Connection) -> Result<CurrentUser, Error> {
    let mut api = Api::new(t, conn, ADMIN)?;
    let url = api.url(&["me"], &[]);
    api.one(Method::Get, url, None, "user", &read_user)
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

fn body_tokens(body: &[u8]) -> Vec<String> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    ["access_token", "refresh_token"]
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// `<auth-base>/oauth/<leaf>`, keeping any path the base has.
fn endpoint(auth_base: Option<&str>, field: &str, leaf: &str) -> Result<Url, Error> {
    let mut url = parse_base(auth_base.unwrap_or(DEFAULT_AUTH_BASE), field)?;
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(["oauth", leaf]);
    }
    Ok(url)
}

/// A client id: non-empty, printable ASCII, no `:` (HTTP Basic's separator).
fn check_client_id(id: &str, field: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if !id.bytes().all(|b| (0x21..0x7f).contains(&b)) || id.contains(':') {
        return Err(invalid(
            field,
            "must be printable ASCII without spaces or ':' (it is the HTTP Basic user name)",
        ));
    }
    Ok(())
}

/// A redirect URI: absolute, with no fragment (RFC 6749 §3.1.2).
fn check_redirect_uri(raw: &str) -> Result<(), Error> {
    let url = Url::parse(raw)
        .map_err(|e| invalid("redirectUri", format!("not an absolute URL ({e})")))?;
    if url.cannot_be_a_base() || url.fragment().is_some() {
        return Err(invalid(
            "redirectUri",
            "must be an absolute URL with a host and no fragment, exactly as registered on the OAuth client",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::canned;

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
}

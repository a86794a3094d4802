//! GoTo OAuth 2.0: `authorization-url` and `create-pkce`, and the endpoint
//! and argument checks the token calls ([`super::token`]) share. The clock
//! and the randomness come in as parameters (`now`, random bytes): the wasi
//! reads stay in the boundary (`boundary/exports/oauth.rs`).

use alloc::string::String;

use url::Url;

use super::pkce;
use crate::Error;
use crate::core::bases::DEFAULT_AUTH_BASE;
use crate::core::client::parse_base;
use crate::core::errors::invalid;
use crate::exports::oauth::PkcePair;

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

/// `<auth-base>/oauth/<leaf>`, keeping any path the base has.
pub(super) fn endpoint(auth_base: Option<&str>, field: &str, leaf: &str) -> Result<Url, Error> {
    let mut url = parse_base(auth_base.unwrap_or(DEFAULT_AUTH_BASE), field)?;
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(["oauth", leaf]);
    }
    Ok(url)
}

/// A client id: non-empty, printable ASCII, no `:` (HTTP Basic's separator).
pub(super) fn check_client_id(id: &str, field: &str) -> Result<(), Error> {
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
pub(super) fn check_redirect_uri(raw: &str) -> Result<(), Error> {
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

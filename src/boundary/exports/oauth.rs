//! The exported `oauth` interface: each function hands its arguments to the
//! product module with the wasi transport, and with the two wasi reads the
//! product takes as parameters: the wall clock and the random bytes.
//! No logic lives here.

use alloc::string::String;

use crate::bindings::exports::goto::connector::oauth::{
    CurrentUser, Guest as Oauth, OauthClient, PkcePair, TokenSet,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::oauth;
use crate::{Connection, Error};

/// The wall clock, read just before a token request.
fn now() -> Option<crate::core::time::Instant> {
    crate::boundary::transport::wall_clock()
}

impl Oauth for Component {
    fn authorization_url(
        client_id: String,
        redirect_uri: String,
        state: String,
        code_challenge: Option<String>,
        auth_base: Option<String>,
    ) -> Result<String, Error> {
        oauth::authorization_url(
            &client_id,
            &redirect_uri,
            &state,
            code_challenge.as_deref(),
            auth_base.as_deref(),
        )
    }

    fn create_pkce(verifier_length: Option<u32>) -> Result<PkcePair, Error> {
        let n = oauth::verifier_length(verifier_length)?;
        let random = wasi::random::random::get_random_bytes(n as u64);
        Ok(oauth::pkce_pair(&random))
    }

    fn exchange_code(
        client: OauthClient,
        code: String,
        redirect_uri: String,
        code_verifier: Option<String>,
    ) -> Result<TokenSet, Error> {
        oauth::exchange_code(
            &mut WasiTransport,
            &client,
            &code,
            &redirect_uri,
            code_verifier.as_deref(),
            now(),
        )
    }

    fn refresh_token(client: OauthClient, refresh_token: String) -> Result<TokenSet, Error> {
        oauth::refresh_token(&mut WasiTransport, &client, &refresh_token, now())
    }

    fn get_current_user(connection: Connection) -> Result<CurrentUser, Error> {
        oauth::get_current_user(&mut WasiTransport, &connection)
    }
}

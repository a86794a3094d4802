//! The worker's GoTo credentials, kept in memory: workflows never pass a
//! token. With an OAuth client and a refresh token the worker gets a new
//! access token through the component's own `refresh-token` operation when
//! it has none, when it is about to expire, and once after GoTo answered
//! `unauthorized`; concurrent activities share one refresh.

use std::time::{Duration, Instant};

use goto_host::Connector;
use goto_host::credentials::{Credentials, Refresh, without_secrets};
use goto_host::effect::Effect;
use serde_json::{Map, Value, json};
use tokio::sync::Mutex;

use crate::failure::{self, Failure};
use crate::{log, metrics};

/// A token this close to its expiry is renewed before it is used.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

pub struct Tokens {
    connector: Connector,
    /// The connection's fields but the token (`apiBase`, `settings`, ...).
    base: Map<String, Value>,
    refresh: Option<Refresh>,
    state: Mutex<State>,
}

struct State {
    access_token: Option<String>,
    expires: Option<Instant>,
    /// GoTo may issue a new refresh token with a new access token.
    refresh_token: Option<String>,
    /// Bumped at every renewal, so activities that all saw the same stale
    /// token renew it once.
    generation: u64,
}

/// The connection one call uses, and which token it holds.
pub struct Current {
    pub connection: Value,
    pub generation: u64,
}

impl Tokens {
    pub fn new(connector: Connector, credentials: Credentials) -> anyhow::Result<Tokens> {
        let access_token = credentials.access_token().map(str::to_string);
        if access_token.is_none() && credentials.refresh.is_none() {
            anyhow::bail!(
                "the worker needs GoTo credentials: GOTO_ACCESS_TOKEN, or an OAuth client \
                 (GOTO_CLIENT_ID, GOTO_CLIENT_SECRET) and GOTO_REFRESH_TOKEN, or \
                 --connection-file with accessToken or oauthClient and refreshToken"
            );
        }
        let refresh_token = credentials
            .refresh
            .as_ref()
            .map(|r| r.refresh_token.clone());
        let mut base = credentials.connection;
        base.remove("accessToken");
        Ok(Tokens {
            connector,
            base,
            refresh: credentials.refresh,
            state: Mutex::new(State {
                access_token,
                expires: None,
                refresh_token,
                generation: 0,
            }),
        })
    }

    /// Whether the worker can renew its token.
    pub fn can_refresh(&self) -> bool {
        self.refresh.is_some()
    }

    /// The connection to call with; renews a missing or expiring token first.
    pub async fn current(&self) -> Result<Current, Failure> {
        let mut state = self.state.lock().await;
        let expiring = state
            .expires
            .is_some_and(|at| Instant::now() + EXPIRY_MARGIN >= at);
        if (state.access_token.is_none() || expiring) && self.refresh.is_some() {
            self.renew_locked(&mut state).await?;
        }
        let mut connection = self.base.clone();
        if let Some(token) = &state.access_token {
            connection.insert("accessToken".into(), Value::String(token.clone()));
        }
        Ok(Current {
            connection: Value::Object(connection),
            generation: state.generation,
        })
    }

    /// Renews the token GoTo refused, unless another activity already did.
    pub async fn renew(&self, refused: u64) -> Result<(), Failure> {
        let mut state = self.state.lock().await;
        if state.generation != refused {
            return Ok(());
        }
        self.renew_locked(&mut state).await
    }

    async fn renew_locked(&self, state: &mut State) -> Result<(), Failure> {
        let (Some(refresh), Some(refresh_token)) = (&self.refresh, &state.refresh_token) else {
            return Ok(());
        };
        let renewed = self
            .refresh_now(state, refresh, refresh_token.clone())
            .await;
        // Never the token: only that it was renewed, or why not.
        metrics::renewal(renewed.as_ref().map_or_else(|f| f.kind.as_str(), |()| "ok"));
        match &renewed {
            Ok(()) => log::event(
                "access token renewed",
                &[
                    ("generation", log::number(state.generation)),
                    (
                        "expiresInSeconds",
                        state
                            .expires
                            .map(|at| at.saturating_duration_since(Instant::now()).as_secs())
                            .and_then(log::number),
                    ),
                ],
            ),
            Err(f) => log::event(
                "access token renewal failed",
                &[("error", log::text(f.kind.clone()))],
            ),
        }
        renewed
    }

    async fn refresh_now(
        &self,
        state: &mut State,
        refresh: &Refresh,
        refresh_token: String,
    ) -> Result<(), Failure> {
        let input = json!({"client": refresh.client, "refreshToken": refresh_token});
        let outcome = self
            .connector
            .call("refresh-token", &Value::Null, &input)
            .await
            .map_err(|e| {
                renewal(failure::host_failure(
                    "refresh-token",
                    Effect::Idempotent,
                    &e,
                ))
            })?;
        let tokens =
            failure::judge("refresh-token", Effect::Idempotent, outcome.result).map_err(renewal)?;
        let Some(token) = tokens.get("accessToken").and_then(Value::as_str) else {
            return Err(Failure::new(
                "unauthorized",
                "renewing the access token: GoTo's answer held no access token",
                false,
            ));
        };
        state.access_token = Some(token.to_string());
        if let Some(next) = tokens.get("refreshToken").and_then(Value::as_str) {
            state.refresh_token = Some(next.to_string());
        }
        state.expires = tokens
            .get("expiresInSeconds")
            .and_then(Value::as_u64)
            .map(|s| Instant::now() + Duration::from_secs(s));
        state.generation += 1;
        Ok(())
    }
}

impl Tokens {
    /// `value` with every secret the worker holds replaced, should an answer
    /// ever echo one: what an activity returns is stored in the history.
    pub async fn redact(&self, value: Value) -> Value {
        let state = self.state.lock().await;
        let client_secret = self
            .refresh
            .as_ref()
            .and_then(|r| r.client.get("clientSecret"))
            .and_then(Value::as_str);
        let secrets: Vec<&str> = [
            state.access_token.as_deref(),
            state.refresh_token.as_deref(),
            client_secret,
        ]
        .into_iter()
        .flatten()
        // Shorter strings would match ordinary text; real secrets are long.
        .filter(|s| s.len() >= 8)
        .collect();
        without_secrets(&value, &secrets, "[secret removed]").unwrap_or(Value::Null)
    }
}

/// A failed renewal keeps its class (a transport failure may be retried) but
/// says that it was the renewal.
fn renewal(mut failure: Failure) -> Failure {
    failure.message = format!("renewing the access token: {}", failure.message);
    failure
}

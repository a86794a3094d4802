//! Where a front-end (`goto-host mcp`, the Temporal worker) takes its GoTo
//! credentials from: a JSON file or `GOTO_*` environment variables, never
//! from the requests it serves. Errors name the file or variable, never a
//! value.

use std::path::Path;

use anyhow::{Context, anyhow, bail};
use serde_json::{Map, Value};

/// The connection record (JSON view) every call gets, and what renews its
/// access token.
#[derive(Clone)]
pub struct Credentials {
    /// `accessToken` (possibly absent when `refresh` can get one), `apiBase`,
    /// `seeitBase`, `settings`.
    pub connection: Map<String, Value>,
    /// An OAuth client and refresh token, when given.
    pub refresh: Option<Refresh>,
}

/// What `refresh-token` needs: the OAuth client (JSON view of
/// `oauth-client`) and the refresh token.
#[derive(Clone)]
pub struct Refresh {
    /// The OAuth client, as the JSON view of `oauth-client`.
    pub client: Value,
    /// The refresh token.
    pub refresh_token: String,
}

/// The environment variables read when no file is given, and the field of
/// the connection each one fills.
pub const CONNECTION_VARIABLES: [(&str, &str); 3] = [
    ("GOTO_ACCESS_TOKEN", "accessToken"),
    ("GOTO_API_BASE", "apiBase"),
    ("GOTO_SEEIT_BASE", "seeitBase"),
];

impl Credentials {
    /// Reads `file` (a JSON object: the connection's fields, plus
    /// `oauthClient` and `refreshToken`), or else the environment:
    /// [`CONNECTION_VARIABLES`], and `GOTO_CLIENT_ID`, `GOTO_CLIENT_SECRET`,
    /// `GOTO_AUTH_BASE`, `GOTO_REFRESH_TOKEN`.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Credentials> {
        let mut fields = match file {
            Some(path) => read_file(path)?,
            None => from_environment(),
        };
        let client = fields.remove("oauthClient");
        let refresh_token = fields.remove("refreshToken");
        let refresh = match (client, refresh_token) {
            (Some(client), Some(Value::String(refresh_token))) if !refresh_token.is_empty() => {
                Some(Refresh {
                    client,
                    refresh_token,
                })
            }
            (None, None) => None,
            _ => bail!(
                "an OAuth refresh needs both the client (oauthClient, or GOTO_CLIENT_ID and \
                 GOTO_CLIENT_SECRET) and a refresh token (refreshToken or GOTO_REFRESH_TOKEN)"
            ),
        };
        Ok(Credentials {
            connection: fields,
            refresh,
        })
    }

    /// Checks the connection (and the OAuth client) against the component's
    /// own types, so a misspelt key (`apiBse`, `settings.maxRetrys`) or a
    /// value of the wrong type stops a front-end at start, named, instead
    /// of failing every call. `source` says where they came from.
    pub fn check(&self, connector: &crate::Connector, source: &str) -> anyhow::Result<()> {
        let param = |operation: &str, name: &str| {
            connector
                .operation(operation)
                .and_then(|op| op.params.iter().find(|(n, _)| n == name))
                .map(|(_, ty)| ty.clone())
                .ok_or_else(|| anyhow!("the component has no {operation} with a {name}"))
        };
        let mut connection = self.connection.clone();
        // A token the worker will get by refresh is not there yet.
        connection
            .entry("accessToken")
            .or_insert_with(|| Value::String("to be renewed".into()));
        crate::json::to_val(
            &Value::Object(connection),
            &param("get-meeting", "connection")?,
            "connection",
        )
        .map_err(|e| anyhow!("{source}: {e}"))?;
        if let Some(refresh) = &self.refresh {
            crate::json::to_val(
                &refresh.client,
                &param("refresh-token", "client")?,
                "oauthClient",
            )
            .map_err(|e| anyhow!("{source}: {e}"))?;
        }
        Ok(())
    }

    /// The access token, when one is set.
    pub fn access_token(&self) -> Option<&str> {
        self.connection
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
    }
}

/// `value` with every occurrence of each of `secrets` in its JSON text
/// replaced by `marker`: what a front-end does should a result ever echo
/// a secret. `None` when the replacement breaks the JSON.
pub fn without_secrets(value: &Value, secrets: &[&str], marker: &str) -> Option<Value> {
    let text = value.to_string();
    if !secrets.iter().any(|s| text.contains(s)) {
        return Some(value.clone());
    }
    let replaced = secrets.iter().fold(text, |t, s| t.replace(s, marker));
    serde_json::from_str(&replaced).ok()
}

fn read_file(path: &Path) -> anyhow::Result<Map<String, Value>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    // The error names the file and position, never its content.
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow!(
            "{} is not JSON (line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    match value {
        Value::Object(fields) => Ok(fields),
        _ => bail!(
            "{} must hold a JSON object (the connection record's fields)",
            path.display()
        ),
    }
}

fn from_environment() -> Map<String, Value> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut fields = Map::new();
    for (name, key) in CONNECTION_VARIABLES {
        if let Some(v) = var(name) {
            fields.insert(key.into(), Value::String(v));
        }
    }
    let mut client = Map::new();
    for (name, key) in [
        ("GOTO_CLIENT_ID", "clientId"),
        ("GOTO_CLIENT_SECRET", "clientSecret"),
        ("GOTO_AUTH_BASE", "authBase"),
    ] {
        if let Some(v) = var(name) {
            client.insert(key.into(), Value::String(v));
        }
    }
    if !client.is_empty() {
        fields.insert("oauthClient".into(), Value::Object(client));
    }
    if let Some(v) = var("GOTO_REFRESH_TOKEN") {
        fields.insert("refreshToken".into(), Value::String(v));
    }
    fields
}

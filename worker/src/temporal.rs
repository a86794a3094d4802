//! How the worker reaches Temporal: Temporal's own configuration (the
//! `TEMPORAL_*` environment variables and the profiles of its configuration
//! file, read by the SDK), then the command line's flags on top: address,
//! namespace, TLS (the server's authority and name), mTLS (a client
//! certificate and key) and an API key (from the environment only).

use anyhow::{Context, anyhow, bail};
use temporalio_client::{Connection, ConnectionOptions};
use temporalio_common::envconfig::{
    ClientConfigProfile, ClientConfigTLS, DataSource, LoadClientConfigProfileOptions,
    load_client_config_profile,
};

/// The Temporal flags of the command line.
#[derive(Default)]
pub struct TemporalFlags {
    address: Option<String>,
    namespace: Option<String>,
    profile: Option<String>,
    tls: bool,
    ca_file: Option<String>,
    server_name: Option<String>,
    cert_file: Option<String>,
    key_file: Option<String>,
}

/// Where the worker connected, for its start line (no secret in it).
pub struct Target {
    pub address: String,
    pub namespace: String,
    pub security: &'static str,
}

impl TemporalFlags {
    /// Takes `flag` (and its value) if it is one of Temporal's.
    pub fn take<'a>(
        &mut self,
        flag: &str,
        value: &mut impl FnMut() -> anyhow::Result<&'a String>,
    ) -> anyhow::Result<bool> {
        let slot = match flag {
            "--temporal" => &mut self.address,
            "--namespace" => &mut self.namespace,
            "--profile" => &mut self.profile,
            "--tls-ca-file" => &mut self.ca_file,
            "--tls-server-name" => &mut self.server_name,
            "--tls-cert-file" => &mut self.cert_file,
            "--tls-key-file" => &mut self.key_file,
            "--tls" => {
                self.tls = true;
                return Ok(true);
            }
            _ => return Ok(false),
        };
        *slot = Some(value()?.clone());
        Ok(true)
    }

    /// The profile Temporal's configuration gives, with the flags applied.
    fn profile(&self) -> anyhow::Result<ClientConfigProfile> {
        let options = LoadClientConfigProfileOptions::builder()
            .maybe_config_file_profile(self.profile.clone())
            .build();
        let mut p = load_client_config_profile(options, None).map_err(|e| {
            anyhow!("Temporal's configuration (TEMPORAL_* variables or profile): {e}")
        })?;
        if let Some(a) = &self.address {
            p.address = Some(a.clone());
        }
        if let Some(n) = &self.namespace {
            p.namespace = Some(n.clone());
        }
        let tls_flags = self.tls
            || self.ca_file.is_some()
            || self.server_name.is_some()
            || self.cert_file.is_some()
            || self.key_file.is_some();
        if tls_flags {
            let tls = p.tls.get_or_insert_with(ClientConfigTLS::default);
            tls.disabled = Some(false);
            let file = |f: &Option<String>| f.clone().map(DataSource::Path);
            tls.server_ca_cert = file(&self.ca_file).or(tls.server_ca_cert.take());
            tls.client_cert = file(&self.cert_file).or(tls.client_cert.take());
            tls.client_key = file(&self.key_file).or(tls.client_key.take());
            tls.server_name = self.server_name.clone().or(tls.server_name.take());
        }
        Ok(p)
    }

    /// Connects (checking the server answers), or says what to fix.
    pub async fn connect(&self) -> anyhow::Result<(Connection, Target)> {
        let profile = self.profile()?;
        let address = profile
            .address
            .clone()
            .ok_or_else(|| anyhow!("no Temporal address: give --temporal or TEMPORAL_ADDRESS"))?;
        let namespace = profile.namespace.clone().ok_or_else(|| {
            anyhow!("no Temporal namespace: give --namespace or TEMPORAL_NAMESPACE")
        })?;
        let mtls = profile
            .tls
            .as_ref()
            .is_some_and(|t| t.client_cert.is_some() || t.client_key.is_some());
        let has_key = profile.api_key.is_some();
        let options = ConnectionOptions::try_from(profile)
            .map_err(|e| anyhow!("Temporal's connection settings: {e}"))?;
        let security = match (&options.tls_options, mtls, has_key) {
            (None, _, _) => "plaintext",
            (Some(_), true, _) => "mTLS",
            (Some(_), false, true) => "TLS, API key",
            (Some(_), false, false) => "TLS",
        };
        if options.target.scheme() == "https" && options.tls_options.is_none() {
            bail!("{address}: an https:// address needs TLS (--tls)");
        }
        let connection = Connection::connect(options).await.with_context(|| {
            format!(
                "connecting to Temporal at {address} ({security}); for TLS check --tls-ca-file, \
                 --tls-server-name and, with mTLS, --tls-cert-file and --tls-key-file (or their \
                 TEMPORAL_TLS_* variables)"
            )
        })?;
        Ok((
            connection,
            Target {
                address,
                namespace,
                security,
            },
        ))
    }
}

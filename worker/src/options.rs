//! goto-worker's command line: where Temporal is and how to reach it,
//! what the worker serves, its limits, and its logs. Every option is
//! checked at start; a wrong one stops the worker with the option named.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use goto_host::NetworkSettings;
use goto_host::policy::Policy;

use crate::log::Format;
use crate::temporal::TemporalFlags;

pub const USAGE: &str = "usage: goto-worker --task-queue QUEUE [options]

Serves the GoTo connector's operations as Temporal activities on QUEUE.

Temporal (flags override the TEMPORAL_* variables and the profile):
  --temporal ADDRESS         HOST:PORT or http(s)://HOST:PORT (TEMPORAL_ADDRESS)
  --namespace NS             (TEMPORAL_NAMESPACE)
  --profile NAME             a profile of Temporal's configuration file
                             (TEMPORAL_PROFILE; the file: TEMPORAL_CONFIG_FILE)
  --tls                      TLS with the system's trust roots
  --tls-ca-file FILE         trust this PEM authority for Temporal's certificate
                             (TEMPORAL_TLS_SERVER_CA_CERT_PATH); implies --tls
  --tls-server-name NAME     the name Temporal's certificate is checked against
                             (TEMPORAL_TLS_SERVER_NAME)
  --tls-cert-file FILE       mTLS: the client certificate, PEM (TEMPORAL_TLS_CLIENT_CERT_PATH)
  --tls-key-file FILE        mTLS: its private key, PEM (TEMPORAL_TLS_CLIENT_KEY_PATH)
  TEMPORAL_API_KEY           an API key (Temporal Cloud); implies TLS. From the
                             environment only, never a flag.

Activities:
  --pool-size N              activities at once (default 64)
  --max-activities-per-second X
                             this worker starts at most X GoTo calls a second, evenly
                             spaced (never a burst)
  --task-queue-activities-per-second X
                             at most X per second across every worker of the queue,
                             enforced by Temporal's server (use one queue per GoTo account)
  --component-retries        let the component retry 429 and 502-504 inside an
                             attempt (off: every retry is a Temporal attempt)
  --shutdown-grace SECONDS   on SIGTERM, cancel what still runs after this long (default 30)

GoTo (the connection: GOTO_ACCESS_TOKEN, or an OAuth client GOTO_CLIENT_ID,
GOTO_CLIENT_SECRET with GOTO_REFRESH_TOKEN; GOTO_API_BASE, GOTO_SEEIT_BASE and
GOTO_AUTH_BASE are origins such as https://api.getgo.com):
  --connection-file FILE     the connection record as JSON instead of GOTO_*
  --allow-host ORIGIN        also allow this origin (https://host[:port], http://host:port
                             or host[:port]); repeatable
  --ca-file FILE             also trust this PEM authority for GoTo's certificate

Output:
  --metrics ADDRESS          Prometheus text at http://ADDRESS/metrics: the SDK's worker
                             metrics and goto_worker_* (calls, latency, renewals, denials)
  --log-format text|json     one line per activity attempt and per token renewal
  --version                  print the version
  --help                     this text";

/// Everything the command line and environment said.
pub struct Options {
    pub temporal: TemporalFlags,
    pub task_queue: String,
    pub pool_size: usize,
    pub max_activities_per_second: Option<f64>,
    pub task_queue_activities_per_second: Option<f64>,
    pub component_retries: bool,
    pub shutdown_grace: Duration,
    pub policy: Policy,
    pub network: NetworkSettings,
    pub connection_file: Option<PathBuf>,
    pub log_format: Format,
    pub metrics: Option<std::net::SocketAddr>,
}

impl Options {
    pub fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut o = Options {
            temporal: TemporalFlags::default(),
            task_queue: String::new(),
            pool_size: goto_host::engine::DEFAULT_POOL_SIZE,
            max_activities_per_second: None,
            task_queue_activities_per_second: None,
            component_retries: false,
            shutdown_grace: Duration::from_secs(30),
            policy: Policy::goto_default(),
            network: NetworkSettings::default(),
            connection_file: None,
            log_format: Format::Text,
            metrics: None,
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .ok_or_else(|| anyhow!("{flag} needs a value; `goto-worker --help` lists them"))
            };
            if o.temporal.take(flag, &mut value)? {
                continue;
            }
            match flag.as_str() {
                "--task-queue" => o.task_queue = value()?.clone(),
                "--pool-size" => o.pool_size = positive(flag, value()?)? as usize,
                "--max-activities-per-second" => {
                    o.max_activities_per_second = Some(rate(flag, value()?)?)
                }
                "--task-queue-activities-per-second" => {
                    o.task_queue_activities_per_second = Some(rate(flag, value()?)?)
                }
                "--component-retries" => o.component_retries = true,
                "--shutdown-grace" => {
                    o.shutdown_grace = Duration::from_secs(positive(flag, value()?)?)
                }
                "--allow-host" => {
                    let origin = value()?;
                    o.policy
                        .allow(origin)
                        .with_context(|| format!("--allow-host {origin}"))?
                }
                "--ca-file" => o.network.trust_pem_file(value()?)?,
                "--connection-file" => o.connection_file = Some(PathBuf::from(value()?)),
                "--log-format" => o.log_format = Format::parse(value()?)?,
                "--metrics" => {
                    let address = value()?;
                    o.metrics = Some(address.parse().with_context(|| {
                        format!(
                            "--metrics {address:?}: expected ADDRESS:PORT, such as 127.0.0.1:9464"
                        )
                    })?)
                }
                other => bail!("unknown option {other}; `goto-worker --help` lists them"),
            }
        }
        if o.task_queue.is_empty() {
            bail!("--task-queue is required; `goto-worker --help` lists the options");
        }
        Ok(o)
    }
}

/// A whole number above 0.
fn positive(flag: &str, value: &str) -> anyhow::Result<u64> {
    value
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| anyhow!("{flag} takes a whole number above 0, not {value:?}"))
}

/// A rate above 0 (per second).
fn rate(flag: &str, value: &str) -> anyhow::Result<f64> {
    value
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r > 0.0)
        .ok_or_else(|| {
            anyhow!("{flag} takes a number of activities per second above 0, not {value:?}")
        })
}

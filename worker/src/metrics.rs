//! `--metrics ADDRESS`: Prometheus text at `http://ADDRESS/metrics`, served
//! by the Temporal SDK's own exporter: the SDK's worker metrics
//! (`temporal_*`), and the worker's:
//!
//! - `goto_worker_calls_total{operation, outcome}`: activity attempts by
//!   operation and outcome (`ok` or the failure's type);
//! - `goto_worker_call_duration{operation}`: their latency, a histogram in
//!   milliseconds;
//! - `goto_worker_token_renewals_total{outcome}`: access-token renewals;
//! - `goto_worker_policy_denials_total{origin}`: requests the network policy
//!   refused.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use temporalio_common::telemetry::metrics::{
    CoreMeter, Counter, HistogramDuration, MetricAttributes, MetricKeyValue, MetricParameters,
    NewAttributes,
};
use temporalio_common::telemetry::{PrometheusExporterOptions, start_prometheus_metric_exporter};

struct Metrics {
    meter: Arc<dyn CoreMeter>,
    calls: Counter,
    latency: HistogramDuration,
    renewals: Counter,
    denials: Counter,
}

static METRICS: OnceLock<Metrics> = OnceLock::new();

/// Starts the exporter on `address` (inside the tokio runtime) and returns
/// the meter the SDK's runtime is to report to.
pub fn start(address: SocketAddr) -> anyhow::Result<Arc<dyn CoreMeter>> {
    let options = PrometheusExporterOptions::builder()
        .socket_addr(address)
        .counters_total_suffix(true)
        .build();
    let started = start_prometheus_metric_exporter(options)
        .with_context(|| format!("--metrics {address}: the Prometheus endpoint did not start"))?;
    let meter: Arc<dyn CoreMeter> = started.meter;
    let param = |name: &'static str, description: &'static str| {
        MetricParameters::builder()
            .name(name)
            .description(description)
            .build()
    };
    let metrics = Metrics {
        calls: meter.counter(param(
            "goto_worker_calls",
            "activity attempts by operation and outcome",
        )),
        latency: meter.histogram_duration(param(
            "goto_worker_call_duration",
            "activity attempt latency",
        )),
        renewals: meter.counter(param(
            "goto_worker_token_renewals",
            "access-token renewals by outcome",
        )),
        denials: meter.counter(param(
            "goto_worker_policy_denials",
            "requests the network policy refused",
        )),
        meter: meter.clone(),
    };
    let _ = METRICS.set(metrics);
    Ok(meter)
}

fn labels(m: &Metrics, pairs: &[(&str, &str)]) -> MetricAttributes {
    let kvs = pairs
        .iter()
        .map(|(k, v)| MetricKeyValue::new(*k, v.to_string()));
    m.meter.new_attributes(NewAttributes::from(kvs))
}

/// One activity attempt ended.
pub fn call(operation: &str, outcome: &str, took: Duration) {
    if let Some(m) = METRICS.get() {
        m.calls.add(
            1,
            &labels(m, &[("operation", operation), ("outcome", outcome)]),
        );
        m.latency
            .record(took, &labels(m, &[("operation", operation)]));
    }
}

/// A renewal of the access token ended (`ok` or the failure's type).
pub fn renewal(outcome: &str) {
    if let Some(m) = METRICS.get() {
        m.renewals.add(1, &labels(m, &[("outcome", outcome)]));
    }
}

/// The policy refused a request to `origin`.
pub fn denial(origin: &str) {
    if let Some(m) = METRICS.get() {
        m.denials.add(1, &labels(m, &[("origin", origin)]));
    }
}

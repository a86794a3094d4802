//! Section 7: live calls over TLS, where a new connection costs a TCP and
//! a TLS handshake. Against a loopback HTTPS server (goto-test-support's:
//! rustls, a certificate made at start, 127.0.0.1 only, bounded in
//! requests and time, counting the connections it accepts) answering a
//! GoTo-shaped `get-meeting`, three clients:
//!
//! - the component through the connector's pool (the default);
//! - the component with no idle connection kept (`max_idle_per_origin`
//!   0): a connection per call, what every call paid before the pool;
//! - a native pooled client: hyper-util's pooling client with the same
//!   rustls settings, the body read by the native build of the same code.
//!
//! 1,000 calls one after the other (connections opened, client CPU per
//! call, p50 and p99), made from a task on the runtime as an embedder makes
//! them (the targets), and again from a thread outside it, which adds a hop
//! between threads each way to every call of both clients; then 1,000 in
//! flight at once (throughput, p99, connections opened). The server's own
//! threads are left out of the CPU.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use bytes::Bytes;
use goto_host::{Connector, NetworkSettings, Policy};
use goto_test_support::https::{self, Https, Options};
use http_body_util::{BodyExt, Empty};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::pem::PemObject;
use serde_json::json;
use tokio::runtime::Handle;

use super::concurrency::stat_ticks;
use super::{NativeTransport, Stats, Target, mid, ms, say, section, us};

const CALLS: usize = 1_000;
const MEETING_ID: u64 = 123_456_789;
const BODY: &str = r#"[{"meetingId":123456789,"uniqueMeetingId":200000000212345678,"subject":"Weekly sync","startTime":"2026-07-01T22:00:00.+0000","endTime":"2026-07-01T23:00:00.+0000","createTime":"2026-06-01T09:00:00.+0000","maxParticipants":26,"passwordRequired":"false","status":"INACTIVE","meetingType":"Scheduled","conferenceCallInfo":"Hybrid","coorganizerKeys":[]}]"#;
/// How long the server waits before each answer of the in-flight runs (the
/// sequential ones are answered at once).
const IN_FLIGHT_DELAY: Duration = Duration::from_millis(50);

/// One client's figures for one run.
struct Figures {
    ok: usize,
    connections: usize,
    cpu_per_call: Duration,
    per_second: f64,
    latency: Stats,
}

impl Figures {
    /// One standing for several runs: the median of each figure, the most
    /// connections, the fewest calls that succeeded.
    fn median(runs: Vec<Figures>) -> Figures {
        let mut latency = Stats::of(Vec::new());
        latency.n = runs.iter().map(|r| r.latency.n).sum();
        latency.p50 = mid(runs.iter().map(|r| r.latency.p50).collect());
        latency.p99 = mid(runs.iter().map(|r| r.latency.p99).collect());
        latency.mean = mid(runs.iter().map(|r| r.latency.mean).collect());
        Figures {
            ok: runs.iter().map(|r| r.ok).min().unwrap_or(0),
            connections: runs.iter().map(|r| r.connections).max().unwrap_or(0),
            cpu_per_call: mid(runs.iter().map(|r| r.cpu_per_call).collect()),
            per_second: mid(runs.iter().map(|r| r.per_second).collect()),
            latency,
        }
    }

    fn line(&self, label: &str) -> String {
        format!(
            "{label:<58} {:>5} ok {:>5} conns  CPU {:>9}/call {:>7.0}/s  p50 {:>9}  p99 {:>9}",
            self.ok,
            self.connections,
            us(self.cpu_per_call),
            self.per_second,
            ms(self.latency.p50),
            ms(self.latency.p99)
        )
    }
}

type NativeClient = Client<HttpsConnector<HttpConnector>, Empty<Bytes>>;

/// The client under measure.
#[derive(Clone)]
enum Caller {
    Component(Connector),
    Native(Box<NativeClient>),
}

/// Which of the three clients.
#[derive(Clone, Copy)]
enum Kind {
    Pooled,
    NoReuse,
    Native,
}

impl Kind {
    const ALL: [(Kind, &'static str); 3] = [
        (Kind::Pooled, "component, pooled"),
        (Kind::NoReuse, "component, a connection per call"),
        (Kind::Native, "native, pooled"),
    ];

    /// The client, trusting `server`, keeping up to `idle` idle
    /// connections (none for `NoReuse`).
    fn caller(self, server: &Https, idle: usize, runtime: &Handle) -> anyhow::Result<Caller> {
        match self {
            Kind::Pooled => connector(server, idle, runtime).map(Caller::Component),
            Kind::NoReuse => connector(server, 0, runtime).map(Caller::Component),
            Kind::Native => native(server, idle).map(|c| Caller::Native(Box::new(c))),
        }
    }
}

/// Runs both halves, each in rounds that rotate which client goes first
/// (one with `quick`, else three); the figures are the rounds' medians.
/// Returns the section's targets.
pub(super) fn run(quick: bool) -> anyhow::Result<Vec<Target>> {
    section("7. live calls over TLS: pooled connections against a connection per call");
    say("(a loopback HTTPS server; CPU is the client's, the server's threads left out;");
    say(" medians of rounds that rotate which client goes first)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the benchmark's runtime")?;
    let (calls, rounds) = if quick { (CALLS / 4, 1) } else { (CALLS, 3) };
    let mut sequential: [Vec<Figures>; 3] = Default::default();
    let mut outside: [Vec<Figures>; 3] = Default::default();
    let mut in_flight: [Vec<Figures>; 3] = Default::default();
    for round in 0..rounds {
        for i in (0..3).map(|k| (k + round) % 3) {
            let kind = Kind::ALL[i].0;
            let server = Arc::new(self::server(Duration::ZERO, 2 * calls));
            let caller = kind.caller(&server, 64, runtime.handle())?;
            let (c, s) = (caller.clone(), server.clone());
            let task = runtime.spawn(async move { one_by_one(&c, &s, calls).await });
            sequential[i].push(runtime.block_on(task)??);
            outside[i].push(runtime.block_on(one_by_one(&caller, &server, calls))?);
            let server = self::server(IN_FLIGHT_DELAY, 2 * calls);
            let caller = kind.caller(&server, calls, runtime.handle())?;
            // The first run opens the connections; the second is measured.
            runtime.block_on(at_once(&caller, &server, calls))?;
            in_flight[i].push(runtime.block_on(at_once(&caller, &server, calls))?);
        }
    }
    let sequential = sequential.map(Figures::median);
    let outside = outside.map(Figures::median);
    let in_flight = in_flight.map(Figures::median);
    for ((_, label), f) in Kind::ALL.iter().zip(&sequential) {
        say(&f.line(&format!("{label}, {calls} one by one")));
    }
    for ((_, label), f) in Kind::ALL.iter().zip(&outside) {
        say(&f.line(&format!("{label}, {calls} one by one, outside")));
    }
    for ((_, label), f) in Kind::ALL.iter().zip(&in_flight) {
        say(&f.line(&format!("{label}, {calls} in flight")));
    }
    let mut targets = sequential_targets(&sequential[0], &sequential[2], calls);
    targets.extend(in_flight_targets(&in_flight[0], &in_flight[2], calls));
    Ok(targets)
}

fn server(delay: Duration, requests: usize) -> Https {
    Https::start(Options {
        idle_close: None,
        http2: false,
        delay,
        max_requests: requests,
        lifetime: Duration::from_secs(300),
        answer: Arc::new(|_, _, _| (200, BODY.into())),
    })
}

/// A connector that may reach and trusts `server`, keeping up to `idle`
/// idle connections, driving them on the benchmark's runtime (as the native
/// client does).
fn connector(server: &Https, idle: usize, runtime: &Handle) -> anyhow::Result<Connector> {
    let mut policy = Policy::goto_default();
    policy.allow(&server.origin)?;
    Connector::embedded()
        .policy(policy)
        .pool_size(CALLS)
        .network(NetworkSettings {
            max_idle_per_origin: idle,
            extra_roots_pem: server.ca_pem.clone().into_bytes(),
            runtime: Some(runtime.clone()),
            ..NetworkSettings::default()
        })
        .build()
}

/// hyper-util's pooling client over the connector's TLS settings (rustls
/// with ring, the webpki roots and the server's authority), HTTP/1.1.
fn native(server: &Https, idle: usize) -> anyhow::Result<NativeClient> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(server.ca_pem.as_bytes()) {
        roots.add(cert?)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_only()
        .enable_http1()
        .build();
    Ok(Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_max_idle_per_host(idle)
        .build(https))
}

/// One `get-meeting`; whether it read the meeting.
async fn get_meeting(caller: &Caller, origin: &str) -> anyhow::Result<()> {
    match caller {
        Caller::Component(c) => {
            let connection = json!({"accessToken": "bench-token", "apiBase": origin});
            let out = c
                .call(
                    "get-meeting",
                    &connection,
                    &json!({"meetingId": MEETING_ID}),
                )
                .await?;
            let id = out.result["ok"]["meetingId"].as_str();
            anyhow::ensure!(id == Some("123456789"), "{}", out.result);
            Ok(())
        }
        Caller::Native(client) => {
            let request = http::Request::get(format!("{origin}/G2M/rest/meetings/{MEETING_ID}"))
                .header("authorization", "Bearer bench-token")
                .header("accept", "application/json")
                .body(Empty::new())?;
            let response = client.request(request).await?;
            let body = response.into_body().collect().await?.to_bytes();
            let conn = goto_connector::Connection {
                access_token: "bench-token".into(),
                api_base: None,
                seeit_base: None,
                settings: None,
            };
            let mut transport = NativeTransport {
                body: Some(body.to_vec()),
            };
            let meeting = goto_connector::meetings::get_meeting(&mut transport, &conn, MEETING_ID)
                .map_err(|e| anyhow!("native get-meeting failed: {e:?}"))?;
            anyhow::ensure!(meeting.meeting_id == MEETING_ID, "another meeting");
            Ok(())
        }
    }
}

/// `n` calls, each after the last.
async fn one_by_one(caller: &Caller, server: &Https, n: usize) -> anyhow::Result<Figures> {
    let start = Start::now(server);
    let mut latencies = Vec::with_capacity(n);
    let mut ok = 0;
    for _ in 0..n {
        let t = Instant::now();
        ok += usize::from(get_meeting(caller, &server.origin).await.is_ok());
        latencies.push(t.elapsed());
    }
    Ok(start.figures(server, ok, latencies))
}

/// `n` calls started at once.
async fn at_once(caller: &Caller, server: &Https, n: usize) -> anyhow::Result<Figures> {
    let start = Start::now(server);
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (caller, origin, t) = (caller.clone(), server.origin.clone(), Instant::now());
            tokio::spawn(async move { (get_meeting(&caller, &origin).await.is_ok(), t.elapsed()) })
        })
        .collect();
    let (mut ok, mut latencies) = (0, Vec::with_capacity(n));
    for task in tasks {
        let (done, took) = task.await?;
        ok += usize::from(done);
        latencies.push(took);
    }
    Ok(start.figures(server, ok, latencies))
}

/// Where a run started: the server's connections, the client's CPU, the
/// clock.
struct Start {
    connections: usize,
    cpu: Duration,
    at: Instant,
}

impl Start {
    fn now(server: &Https) -> Start {
        Start {
            connections: server.connections(),
            cpu: client_cpu(),
            at: Instant::now(),
        }
    }

    /// The run's figures, `ok` of its calls having succeeded.
    fn figures(&self, server: &Https, ok: usize, latencies: Vec<Duration>) -> Figures {
        let n = latencies.len().max(1);
        Figures {
            ok,
            connections: server.connections() - self.connections,
            cpu_per_call: client_cpu().saturating_sub(self.cpu) / n as u32,
            per_second: ok as f64 / self.at.elapsed().as_secs_f64().max(1e-9),
            latency: Stats::of(latencies),
        }
    }
}

fn sequential_targets(pooled: &Figures, native: &Figures, n: usize) -> Vec<Target> {
    let cpu = pooled.cpu_per_call.as_secs_f64() / native.cpu_per_call.as_secs_f64().max(1e-9);
    vec![
        Target {
            name: "TLS, one by one: connections opened",
            goal: "<= 2".into(),
            measured: format!("{} for {n}", pooled.connections),
            ratio: pooled.connections as f64 / 2.0,
        },
        Target {
            name: "TLS, one by one: CPU/call vs native pooled",
            goal: "<= 1.5x".into(),
            measured: format!("{cpu:.2}x"),
            ratio: cpu / 1.5,
        },
    ]
}

fn in_flight_targets(pooled: &Figures, native: &Figures, n: usize) -> Vec<Target> {
    let share = pooled.per_second / native.per_second.max(1e-9);
    vec![
        Target {
            name: "TLS, in flight: all ok",
            goal: format!("{n} ok"),
            measured: format!("{} ok", pooled.ok),
            ratio: n as f64 / pooled.ok.max(1) as f64,
        },
        Target {
            name: "TLS, in flight: throughput vs native pooled",
            goal: ">= 90 %".into(),
            measured: format!("{:.0} %", share * 100.0),
            ratio: 0.9 / share.max(1e-9),
        },
    ]
}

/// CPU time (user and system) of this process's threads but the test
/// server's, from Linux's `/proc/self/task`: each thread's run time in
/// nanoseconds where the kernel gives it (`sched`), else its time in ticks
/// of 10 ms (`stat`); zero where neither can be read.
fn client_cpu() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let server = format!("({})", https::THREAD_NAME);
    tasks
        .flatten()
        .filter_map(|t| {
            let stat = std::fs::read_to_string(t.path().join("stat")).ok()?;
            if stat.contains(&server) {
                return None;
            }
            let sched = std::fs::read_to_string(t.path().join("sched")).unwrap_or_default();
            run_time(&sched).or_else(|| stat_ticks(&stat).map(|t| Duration::from_millis(t * 10)))
        })
        .sum()
}

/// A thread's run time from its `/proc/.../sched` (the line
/// `se.sum_exec_runtime : 12.345678`, in milliseconds).
fn run_time(sched: &str) -> Option<Duration> {
    let line = sched
        .lines()
        .find(|l| l.starts_with("se.sum_exec_runtime"))?;
    let ms: f64 = line.rsplit_once(':')?.1.trim().parse().ok()?;
    Duration::try_from_secs_f64(ms / 1e3).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_time_reads_the_sched_line() {
        let sched = "tokio-rt-worker (123, #threads: 9)\n----\nse.exec_start : 5.0\nse.sum_exec_runtime                          :          1234.500250\nse.nr_migrations : 3\n";
        assert_eq!(run_time(sched), Some(Duration::from_nanos(1_234_500_250)));
        assert_eq!(run_time("se.sum_exec_runtime : -1"), None);
        assert_eq!(run_time("nr_switches : 4"), None);
    }
}

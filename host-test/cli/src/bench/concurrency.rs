//! Section 6: N `get-meeting` calls in flight at once through the live
//! network path (`Connector::call` on the network backend, the policy widened to a loopback
//! server this section owns), on a multi-thread runtime, against the same N
//! requests from a native client that parses the same body with the native
//! build of the same code: the limit the sandbox is measured against. The
//! two alternate in rounds and the figures are the rounds' medians; a call's
//! latency counts from when it is issued.
//!
//! The server listens on 127.0.0.1 only, answers after 200 ms, serves a
//! bounded number of requests and stops by itself after at most a minute.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{NativeTransport, Stats, Target, mid, ms, say, section};
use goto_host::Connector;
use goto_host::HostError;
use goto_host::Policy;

/// How long the server waits before each answer.
const SERVER_DELAY: Duration = Duration::from_millis(200);
/// The server never runs longer than this.
const SERVER_LIFETIME: Duration = Duration::from_secs(60);
const MEETING_ID: u64 = 123_456_789;
const BODY: &str = r#"[{"meetingId":123456789,"uniqueMeetingId":200000000212345678,"subject":"Weekly sync","startTime":"2026-07-01T22:00:00.+0000","endTime":"2026-07-01T23:00:00.+0000","createTime":"2026-06-01T09:00:00.+0000","maxParticipants":26,"passwordRequired":"false","status":"INACTIVE","meetingType":"Scheduled","conferenceCallInfo":"Hybrid","coorganizerKeys":[]}]"#;

/// One run: N calls started at once, and how they ended.
struct Run {
    n: usize,
    ok: usize,
    pool_waits: usize,
    other_errors: usize,
    /// The other errors by kind (a host error's kind, or the operation's
    /// error, cut short).
    other_kinds: std::collections::BTreeMap<String, usize>,
    /// Completed calls per second of wall-clock time.
    per_second: f64,
    latency: Stats,
    peak_rss: u64,
    base_rss: u64,
    /// The process's CPU time (user and system) during the run.
    cpu: Duration,
}

impl Run {
    fn rss_per_call(&self) -> u64 {
        self.peak_rss.saturating_sub(self.base_rss) / self.n.max(1) as u64
    }

    fn line(&self, label: &str) -> String {
        format!(
            "{label:<22} {:>6} ok {:>5} pool-wait {:>3} other  {:>8.0}/s  p50 {:>9}  p99 {:>9}  peak RSS {:>5} MiB  {:>4} KiB/call  CPU {:>5.0} us/call",
            self.ok,
            self.pool_waits,
            self.other_errors,
            self.per_second,
            ms(self.latency.p50),
            ms(self.latency.p99),
            self.peak_rss >> 20,
            self.rss_per_call() >> 10,
            self.cpu.as_secs_f64() * 1e6 / self.n.max(1) as f64
        )
    }
}

/// Runs N = 100, 1,000 and 5,000 (with a pool of N, and 5,000 with a pool
/// of 64) against the native client; returns the concurrency targets.
pub(super) fn run(quick: bool) -> anyhow::Result<Vec<Target>> {
    section_title();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the benchmark's runtime")?;
    let sizes: &[usize] = if quick {
        &[100, 1_000]
    } else {
        &[100, 1_000, 5_000]
    };
    let mut targets = Vec::new();
    for &n in sizes {
        let (native, wasm) = rounds(&runtime, n, quick)?;
        if n == 1_000 {
            targets.extend(thousand_targets(&wasm, &native));
        }
        if n == 5_000 {
            targets.push(completes("5,000 in flight, pool 5,000: all ok", &wasm));
        }
    }
    if !quick {
        let small = on_runtime(&runtime, 64)?;
        let wasm = serving(5_000, |port| {
            runtime.block_on(connector_run(&small, port, 5_000))
        })?;
        say(&wasm.line("component, N=5000/64"));
        for (kind, count) in &wasm.other_kinds {
            say(&format!("  other: {count} x {kind}"));
        }
        targets.push(Target {
            name: "5,000 in flight, pool 64: only pool waits",
            goal: "0 other errors".into(),
            measured: format!("{} other", wasm.other_errors),
            ratio: if wasm.other_errors == 0 { 1.0 } else { 2.0 },
        });
    }
    Ok(targets)
}

/// N calls from the native client and through the connector (a pool of N),
/// in rounds that alternate which goes first, so both see the same load:
/// one run's throughput moves by 10 to 20 % on a shared machine. Five rounds
/// (three with `quick`) up to N = 1,000, one above. Returns the medians.
fn rounds(runtime: &tokio::runtime::Runtime, n: usize, quick: bool) -> anyhow::Result<(Run, Run)> {
    let connector = on_runtime(runtime, n)?;
    let native = |port| runtime.block_on(native_run(port, n));
    let wasm = |port| runtime.block_on(connector_run(&connector, port, n));
    // A long-running host reuses its pool's slots; a first run touches each
    // slot's memory and stacks for the first time, so it is left out of the
    // times, and the RSS per call counts from before it.
    let first = serving(n, wasm)?;
    let count = match (n > 1_000, quick) {
        (true, _) => 1,
        (false, true) => 3,
        (false, false) => 5,
    };
    let (mut natives, mut wasms) = (Vec::new(), Vec::new());
    for round in 0..count {
        let native_first = round % 2 == 0;
        for native_turn in [native_first, !native_first] {
            if native_turn {
                natives.push(serving(n, native)?);
            } else {
                wasms.push(serving(n, wasm)?);
            }
        }
    }
    let shares: Vec<String> = natives
        .iter()
        .zip(&wasms)
        .map(|(a, b)| format!("{:.0} %", 100.0 * b.per_second / a.per_second.max(1e-9)))
        .collect();
    let native = Run::median(natives);
    let mut wasm = Run::median(wasms);
    wasm.base_rss = first.base_rss;
    wasm.peak_rss = wasm.peak_rss.max(first.peak_rss);
    say(&native.line(&format!("native, N={n}")));
    say(&wasm.line(&format!("component, N={n}")));
    if count > 1 {
        say(&format!(
            "  median of {count} rounds; component/native throughput by round: {}",
            shares.join(", ")
        ));
    }
    Ok((native, wasm))
}

/// A connector of `pool` instances whose live connections run on the
/// benchmark's runtime, as the native client's do.
fn on_runtime(runtime: &tokio::runtime::Runtime, pool: usize) -> anyhow::Result<Connector> {
    Connector::embedded()
        .pool_size(pool)
        .network(goto_host::NetworkSettings {
            runtime: Some(runtime.handle().clone()),
            ..Default::default()
        })
        .build()
}

/// Runs `f` against a fresh server for `n` requests, then stops it.
fn serving(n: usize, f: impl FnOnce(u16) -> anyhow::Result<Run>) -> anyhow::Result<Run> {
    let server = Server::start(n)?;
    let run = f(server.port);
    server.stop();
    run
}

fn section_title() {
    section(&format!(
        "6. calls in flight at once, live network path, loopback server answering after {} ms",
        SERVER_DELAY.as_millis()
    ));
    for line in [
        "(latency counts from when a call is issued; RSS is the whole process's, the connector's",
        " pool included; per call = (peak - before) / N; the component's runs follow a first run on",
        " the same pool, left out of the times, and its RSS per call counts from before that one)",
    ] {
        say(line);
    }
}

fn thousand_targets(wasm: &Run, native: &Run) -> Vec<Target> {
    let p99 = wasm.latency.p99;
    let share = wasm.per_second / native.per_second.max(1e-9);
    vec![
        completes("1,000 in flight: all ok", wasm),
        Target {
            name: "1,000 in flight: p99",
            goal: "<= 250 ms".into(),
            measured: format!("{} (native {})", ms(p99), ms(native.latency.p99)),
            ratio: p99.as_secs_f64() / 0.250,
        },
        Target {
            name: "1,000 in flight: throughput vs native",
            goal: ">= 90 %".into(),
            measured: format!("{:.0} %", share * 100.0),
            ratio: 0.9 / share.max(1e-9),
        },
        Target {
            name: "1,000 in flight: peak RSS",
            goal: "<= 512 MiB".into(),
            measured: format!("{} MiB", wasm.peak_rss >> 20),
            ratio: wasm.peak_rss as f64 / f64::from(512u32 << 20),
        },
    ]
}

fn completes(name: &'static str, run: &Run) -> Target {
    Target {
        name,
        goal: format!("{} ok", run.n),
        measured: format!("{} ok", run.ok),
        ratio: run.n as f64 / run.ok.max(1) as f64,
    }
}

/// N calls through the connector, all started at once.
async fn connector_run(connector: &Connector, port: u16, n: usize) -> anyhow::Result<Run> {
    let mut policy = Policy::goto_default();
    policy.allow(&format!("http://127.0.0.1:{port}"))?;
    let connector = connector.clone().with_policy(policy);
    let connection = Arc::new(json!({"accessToken": "bench-token",
        "apiBase": format!("http://127.0.0.1:{port}")}));
    let input = Arc::new(json!({ "meetingId": MEETING_ID }));
    let base_rss = reset_peak_rss();
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (c, connection, input) = (connector.clone(), connection.clone(), input.clone());
            // A call's latency counts from when it is issued: the time it
            // waits for the runtime to first run it is part of it.
            let t = Instant::now();
            tokio::spawn(async move {
                let out = c.call("get-meeting", &connection, &input).await;
                (t.elapsed(), out)
            })
        })
        .collect();
    let (mut run, mut latencies) = (Run::new(n, base_rss), Vec::with_capacity(n));
    for task in tasks {
        let (took, out) = task.await?;
        latencies.push(took);
        match out {
            Ok(o) if o.result["ok"]["meetingId"] == MEETING_ID.to_string().as_str() => run.ok += 1,
            Err(HostError::PoolExhausted { .. }) => run.pool_waits += 1,
            Err(e) => run.other(e.kind().to_string()),
            Ok(o) => run.other(o.result.get("error").map_or("unexpected ok".into(), |e| {
                let text = e.to_string();
                text.chars().take(120).collect()
            })),
        }
    }
    run.finish(started, latencies);
    Ok(run)
}

/// The same N requests from a native client (wasmtime-wasi-http's own
/// `default_send_request`, the client behind the component's requests),
/// each body parsed by the native build of the same `get-meeting` code.
async fn native_run(port: u16, n: usize) -> anyhow::Result<Run> {
    let base_rss = reset_peak_rss();
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let t = Instant::now();
            tokio::spawn(async move {
                let base = format!("http://127.0.0.1:{port}");
                let ok = native_get_meeting(&base, "bench-token", MEETING_ID)
                    .await
                    .is_ok();
                (t.elapsed(), ok)
            })
        })
        .collect();
    let (mut run, mut latencies) = (Run::new(n, base_rss), Vec::with_capacity(n));
    for task in tasks {
        let (took, ok) = task.await?;
        latencies.push(took);
        if ok {
            run.ok += 1;
        } else {
            run.other_errors += 1;
        }
    }
    run.finish(started, latencies);
    Ok(run)
}

/// `get-meeting` without wasm: the request the component sends, through
/// wasmtime-wasi-http's `default_send_request`, and the answer read by the
/// native build of the component's own code. `base` is the API base
/// (`http://127.0.0.1:PORT`); returns the meeting's id.
pub async fn native_get_meeting(base: &str, token: &str, meeting_id: u64) -> anyhow::Result<u64> {
    let request = http::Request::get(format!("{base}/G2M/rest/meetings/{meeting_id}"))
        .header("authorization", format!("Bearer {token}"))
        .header("accept", "application/json")
        .body(Empty::<Bytes>::new().map_err(|never| match never {}))?;
    let (response, io) = wasmtime_wasi_http::default_send_request(request, None).await?;
    tokio::spawn(io);
    let body = response.into_body().collect().await?.to_bytes();
    let conn = goto_connector::Connection {
        access_token: token.into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let mut transport = NativeTransport {
        body: Some(body.to_vec()),
    };
    let meeting = goto_connector::meetings::get_meeting(&mut transport, &conn, meeting_id)
        .map_err(|e| anyhow!("native get-meeting failed: {e:?}"))?;
    anyhow::ensure!(
        meeting.meeting_id == meeting_id,
        "another meeting came back"
    );
    Ok(meeting.meeting_id)
}

impl Run {
    fn new(n: usize, base_rss: u64) -> Run {
        Run {
            cpu: cpu_time(),
            n,
            ok: 0,
            pool_waits: 0,
            other_errors: 0,
            other_kinds: Default::default(),
            per_second: 0.0,
            latency: Stats::of(Vec::new()),
            peak_rss: 0,
            base_rss,
        }
    }

    /// One run standing for several: the median throughput, p50, p99 and
    /// CPU of the runs, their highest peak RSS, and the outcomes (ok, pool
    /// waits, other errors) of the run with the fewest calls that succeeded.
    fn median(mut runs: Vec<Run>) -> Run {
        let per_second = mid(runs.iter().map(|r| r.per_second).collect());
        let p50 = mid(runs.iter().map(|r| r.latency.p50).collect());
        let p99 = mid(runs.iter().map(|r| r.latency.p99).collect());
        let cpu = mid(runs.iter().map(|r| r.cpu).collect());
        let peak = runs.iter().map(|r| r.peak_rss).max().unwrap_or(0);
        runs.sort_by_key(|r| r.ok);
        let Some(mut run) = runs.into_iter().next() else {
            return Run::new(0, 0);
        };
        run.per_second = per_second;
        run.latency.p50 = p50;
        run.latency.p99 = p99;
        run.cpu = cpu;
        run.peak_rss = peak;
        run
    }

    fn other(&mut self, kind: String) {
        self.other_errors += 1;
        *self.other_kinds.entry(kind).or_default() += 1;
    }

    fn finish(&mut self, started: Instant, latencies: Vec<Duration>) {
        self.cpu = cpu_time().saturating_sub(self.cpu);
        self.per_second = self.ok as f64 / started.elapsed().as_secs_f64().max(1e-9);
        self.latency = Stats::of(latencies);
        self.peak_rss = rss("VmHWM:");
    }
}

/// A loopback GoTo that answers `get-meeting` after [`SERVER_DELAY`]: at
/// most `limit` requests, for at most [`SERVER_LIFETIME`]. It runs on a
/// runtime of its own (one thread), so the clients' work never delays an
/// accept, and listens with a backlog for every connection of a run: with
/// the default 1,024, connections beyond it wait for the client's SYN
/// retry, a second later.
struct Server {
    port: u16,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(limit: usize) -> anyhow::Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind("127.0.0.1:0".parse()?)?;
            anyhow::Ok(socket.listen(u32::try_from(limit).unwrap_or(u32::MAX).max(1024))?)
        })?;
        let port = listener.local_addr()?.port();
        runtime.spawn(async move {
            let end = tokio::time::Instant::now() + SERVER_LIFETIME;
            for _ in 0..limit {
                let Ok(Ok((stream, _))) = tokio::time::timeout_at(end, listener.accept()).await
                else {
                    break;
                };
                tokio::spawn(answer(stream));
            }
        });
        Ok(Server { port, runtime })
    }

    fn stop(self) {
        self.runtime.shutdown_background();
    }
}

/// Reads one request head, waits, answers and closes.
async fn answer(mut stream: tokio::net::TcpStream) {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 << 10 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    tokio::time::sleep(SERVER_DELAY).await;
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The process's CPU time so far, user and system (`/proc/self/stat`, in
/// clock ticks of 10 ms; zero where there is none).
fn cpu_time() -> Duration {
    cpu_time_of("self")
}

/// User plus system CPU time of a process (`self` or a pid), from Linux's
/// `/proc/<pid>/stat`; zero where that cannot be read.
pub fn cpu_time_of(pid: &str) -> Duration {
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| stat_ticks(&s));
    Duration::from_millis(ticks.unwrap_or(0) * 10)
}

/// User plus system CPU time, in clock ticks of 10 ms, from the text of a
/// Linux `stat` file (a process's or a thread's).
pub(super) fn stat_ticks(stat: &str) -> Option<u64> {
    // The fields after the command name, which is in parentheses.
    let f: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// Resets the process's peak RSS to its current RSS (Linux
/// `clear_refs`); returns the current RSS.
fn reset_peak_rss() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    rss("VmRSS:")
}

/// A `/proc/self/status` figure in bytes (0 where there is none).
fn rss(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib << 10)
}

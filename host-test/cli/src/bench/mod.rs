//! `goto-host bench`: size, compile, instantiate and call costs of the
//! component, a large listing against the native build of the same parsing
//! code, and calls in flight at once through the network against a native
//! client ([`concurrency`]), all in one run. Timings are only printed here;
//! no test asserts on them. BENCHMARKS.md holds the figures.

pub mod concurrency;

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use serde_json::{Value, json};
use wasmtime::component::Component;
use wasmtime::{Config, Engine};
use wasmtime_wasi_http::Error as HttpError;

use goto_host::Backend;
use goto_host::Policy;
use goto_host::blocking::block_on;
use goto_host::cassette::{self, Cassette, Replay};
use goto_host::engine::DEFAULT_POOL_SIZE as POOL;
use goto_host::exchange::{Egress, OutgoingRequest, Response};
use goto_host::{Connector, Outcome};

/// Meetings in the generated large listing.
const LARGE_LIST_MEETINGS: usize = 10_000;
/// The release component's size ceiling, in bytes (opt-level 3 trades size
/// for the large listing's speed under it).
const MAX_SIZE: usize = 1_500_000;

/// How much work each section does.
struct Plan {
    compiles: usize,
    loads: usize,
    instantiations: usize,
    calls: usize,
    large_runs: usize,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                compiles: 2,
                loads: 10,
                instantiations: 2_000,
                calls: 500,
                large_runs: 3,
            }
        } else {
            Plan {
                compiles: 5,
                loads: 50,
                instantiations: 20_000,
                calls: 5_000,
                large_runs: 9,
            }
        }
    }
}

/// One row of the closing table.
struct Target {
    name: &'static str,
    goal: String,
    measured: String,
    /// measured / goal for upper bounds; goal / measured for "at least".
    ratio: f64,
}

impl Target {
    fn met(&self) -> bool {
        self.ratio <= 1.0
    }
}

/// What `goto-host bench` was asked for.
#[derive(Debug, Default)]
pub struct Options {
    /// Fewer rounds everywhere.
    pub quick: bool,
    /// Replayed calls per configuration in section 4 (to profile it).
    pub calls: Option<usize>,
    /// Runs of the large listing in section 5 (to profile it).
    pub runs: Option<usize>,
    /// Section 5 alone, with the default allocator (to profile it, also
    /// under valgrind, which cannot reserve the pooling allocator's space).
    pub large_only: bool,
    /// Section 4 alone (to profile a replayed call; under valgrind, which
    /// cannot reserve the pool, with the default allocator only).
    pub replay_only: bool,
    /// Section 6 alone (calls in flight at once) and its targets.
    pub concurrency_only: bool,
    /// `get-meeting` against a server of the caller's at this origin
    /// (`host-test/hosts/bench.py`'s mock), async and blocking, one call at
    /// a time: the per-call times as JSON, for the per-host comparison.
    pub against: Option<String>,
}

/// Runs every section (or only section 4 or 5) and prints the figures.
pub fn run(options: &Options) -> anyhow::Result<()> {
    let mut plan = Plan::new(options.quick);
    if let Some(n) = options.calls {
        plan.calls = n.max(1);
    }
    if let Some(n) = options.runs {
        plan.large_runs = n.max(1);
    }
    if options.large_only || options.replay_only {
        return run_one(options, &plan);
    }
    if let Some(origin) = &options.against {
        return against(origin, options.calls.unwrap_or(200));
    }
    if options.concurrency_only {
        print_targets(&concurrency::run(options.quick)?);
        return Ok(());
    }
    let started = Instant::now();
    say(&format!(
        "goto-host bench{}: wasmtime 48, {} build of the host",
        if options.quick { " --quick" } else { "" },
        if cfg!(debug_assertions) {
            "DEBUG (figures meaningless; use --profile bench-host)"
        } else {
            "optimized"
        }
    ));
    let size = size_and_load(&plan)?;
    let default = with_config(config())?;
    let pooled = with_config(pooling_config())?;
    let mut targets = vec![size, instantiate_section(&default, &pooled, &plan)?];
    targets.extend(replay_section(&default, Some(&pooled), plan.calls)?);
    targets.extend(large_section(&pooled, plan.large_runs)?);
    targets.extend(concurrency::run(options.quick)?);
    print_targets(&targets);
    say(&format!("total {:.1?}", started.elapsed()));
    Ok(())
}

/// A connector on the embedded component with the bench's engine settings.
fn with_config(config: Config) -> anyhow::Result<Connector> {
    Connector::builder(goto_host::COMPONENT)
        .config(config)
        .pool_size(POOL)
        .build()
}

/// `--replay-only` or `--large-only`: one section, to profile it (also
/// under valgrind, which cannot reserve the pooling allocator's space).
fn run_one(options: &Options, plan: &Plan) -> anyhow::Result<()> {
    let connector = with_config(config())?;
    if options.replay_only {
        let pooled = with_config(pooling_config()).and_then(|c| {
            block_on(c.instantiate_only())??;
            Ok(c)
        });
        if let Err(e) = &pooled {
            say(&format!(
                "pooling allocator unavailable here, skipped: {e:#}"
            ));
        }
        replay_section(&connector, pooled.as_ref().ok(), plan.calls)?;
    }
    if options.large_only {
        large_section(&connector, plan.large_runs)?;
    }
    Ok(())
}

/// `--against ORIGIN`: 10 warm-up calls, then `n` `get-meeting` calls
/// through the live network path, async on a current-thread runtime and
/// blocking; prints `{"async": [ms, ...], "blocking": [ms, ...]}`.
fn against(origin: &str, n: usize) -> anyhow::Result<()> {
    let mut policy = Policy::goto_default();
    policy.allow(origin)?;
    let connector = Connector::embedded().policy(policy).build()?;
    let connection = json!({"accessToken": "test-token", "apiBase": origin});
    let input = json!({"meetingId": 123456789});
    let check = |out: Outcome| match out.result.pointer("/ok/meetingId") {
        Some(_) => Ok(()),
        None => Err(anyhow!("get-meeting failed: {}", out.result)),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // 10 warm-up calls, then `n` timed ones, in milliseconds.
    let timed = |call: &dyn Fn() -> Result<Outcome, goto_host::HostError>| {
        let mut times = Vec::new();
        for _ in 0..10 + n {
            let t = Instant::now();
            check(call()?)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        anyhow::Ok(times.split_off(10))
    };
    let call = || connector.call("get-meeting", &connection, &input);
    let async_ms = timed(&|| runtime.block_on(call()))?;
    let blocking = connector.blocking();
    let blocking_ms = timed(&|| blocking.call("get-meeting", &connection, &input))?;
    println!("{}", json!({"async": async_ms, "blocking": blocking_ms}));
    Ok(())
}

/// Sections 1 and 2: the component's size, and compiling it against
/// loading its precompiled form.
fn size_and_load(plan: &Plan) -> anyhow::Result<Target> {
    let wasm = goto_host::COMPONENT;
    // The same engine settings as every Connector, so compile and load
    // figures are the ones a call pays.
    let engine = Engine::new(goto_host::engine::settings(&mut Config::new()))?;
    let precompiled = engine.precompile_component(wasm)?;
    section("1. size");
    say(&format!(
        "component (release)          {:>12} bytes   (limit {MAX_SIZE})",
        wasm.len()
    ));
    say(&format!(
        "precompiled (serialized)     {:>12} bytes",
        precompiled.len()
    ));
    section("2. compile vs load a precompiled component");
    let compile = sample(plan.compiles, || {
        Component::new(&engine, wasm)?;
        Ok(())
    })?;
    // SAFETY: the bytes were produced just above by this engine.
    let load = sample(plan.loads, || {
        unsafe { Component::deserialize(&engine, &precompiled) }?;
        Ok(())
    })?;
    say(&format!(
        "Component::new (Cranelift)   p50 {:>10}   ({} runs)",
        ms(compile.p50),
        compile.n
    ));
    say(&format!(
        "Component::deserialize       p50 {:>10}   ({} runs, {:.0}x faster)",
        ms(load.p50),
        load.n,
        ratio(compile.p50, load.p50)
    ));
    Ok(Target {
        name: "component size (release)",
        goal: format!("<= {MAX_SIZE} B"),
        measured: format!("{} B", wasm.len()),
        ratio: wasm.len() as f64 / MAX_SIZE as f64,
    })
}

/// Section 3: a new store and instance, nothing called, with each
/// allocator; the pooled p50 is a target row.
fn instantiate_section(
    default: &Connector,
    pooled: &Connector,
    plan: &Plan,
) -> anyhow::Result<Target> {
    section("3. new Store + InstancePre::instantiate");
    let egress: Arc<Mutex<dyn Egress>> = Arc::new(Mutex::new(Queue::default()));
    let mut pooled_p50 = Duration::ZERO;
    for (label, c) in [
        ("default allocator", default),
        ("pooling allocator", pooled),
    ] {
        let c = c.clone().with_backend(Backend::replay(egress.clone()));
        let s = sample(plan.instantiations, || Ok(block_on(c.instantiate_only())??))?;
        say(&format!("{label:<28} {}", s.line_us()));
        pooled_p50 = s.p50;
    }
    Ok(Target {
        name: "instantiate (pooling), p50",
        goal: "<= 20 us".into(),
        measured: us(pooled_p50),
        ratio: pooled_p50.as_secs_f64() / 20e-6,
    })
}

fn print_targets(targets: &[Target]) {
    section("targets");
    say(&format!(
        "| {:<44} | {:<16} | {:>14} | {:>6} | {:<4} |",
        "target", "goal", "measured", "ratio", "met?"
    ));
    for t in targets {
        say(&format!(
            "| {:<44} | {:<16} | {:>14} | {:>6.2} | {:<4} |",
            t.name,
            t.goal,
            t.measured,
            t.ratio,
            if t.met() { "yes" } else { "no" }
        ));
    }
    say("(ratio = measured/goal for upper bounds, goal/measured for lower ones)");
}

/// Section 4: the replayed get-meeting with the default allocator and
/// (when `pooled` is given) the pooling allocator, whose p50 is a target
/// row (the default allocator's and the typed bindings' are information).
fn replay_section(
    default: &Connector,
    pooled: Option<&Connector>,
    calls: usize,
) -> anyhow::Result<Vec<Target>> {
    section("4. replayed get-meeting end to end (store, instantiate, call, cassette in memory)");
    let path = goto_host::cassettes_dir().join("get-meeting/success.json");
    let case = Cassette::load(&path)?;
    let verdict = cassette::check(default, &case);
    if !verdict.passed() {
        bail!("{} does not pass: {:?}", path.display(), verdict.failures);
    }
    let connection = case.connection();
    let (op, input) = (case.operation.as_str(), &case.input);
    let mut configs = vec![("default allocator", default)];
    configs.extend(pooled.map(|p| ("pooling allocator", p)));
    let mut rows = Vec::new();
    for (label, connector) in configs {
        let call = |e| {
            let replaying = connector
                .clone()
                .with_backend(Backend::deterministic_replay(e));
            Ok(replaying.blocking().call(op, &connection, input)?)
        };
        let (s, parts) = replayed_calls(&call, &case, calls)?;
        say(&format!("{label:<28} {}", s.line_us()));
        // The rest of a call: input JSON to `Val`s, the result back to JSON,
        // and the store's drop (the cassette answers inside the guest call,
        // the store is made inside instantiate).
        say(&format!(
            "{:<28} mean instantiate {}, guest call {}, JSON and store drop {}",
            "  of which",
            us(parts.instantiate),
            us(parts.call),
            us(s.mean.saturating_sub(parts.instantiate + parts.call))
        ));
        if label == "pooling allocator" {
            rows.push(p50_row("replayed get-meeting p50, pooling", &s));
        }
    }
    if let Some(pooled) = pooled {
        let s = typed_replays(pooled, &case, calls)?;
        say(&format!(
            "{:<28} {}",
            "pooling, typed bindings",
            s.line_us()
        ));
    }
    Ok(rows)
}

/// A replayed-call row of the closing table (target: p50 <= 100 us).
fn p50_row(name: &'static str, s: &Stats) -> Target {
    Target {
        name,
        goal: "<= 100 us".into(),
        measured: us(s.p50),
        ratio: s.p50.as_secs_f64() / 100e-6,
    }
}

/// The replayed get-meeting called through typed bindings generated from
/// our WIT: the same store, instantiation, guest call and cassette, but no
/// JSON on the host side (what an embedder using `bindgen!` pays).
fn typed_replays(connector: &Connector, case: &Cassette, n: usize) -> anyhow::Result<Stats> {
    let token = case.connection()["accessToken"]
        .as_str()
        .unwrap_or("test-token")
        .to_string();
    let conn = typed::goto::connector::types::Connection {
        access_token: token,
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let id = case.input["meetingId"]
        .as_u64()
        .ok_or_else(|| anyhow!("the cassette's meetingId is not a number"))?;
    // Found once, as an embedder would, not by name per call.
    let exports = typed::MeetingsOnlyIndices::new(connector.instance_pre())?;
    let mut replays = replays(case, n);
    sample(n, || {
        let egress = replays.pop().ok_or_else(|| anyhow!("out of replays"))?;
        let meeting = block_on(async {
            let replaying = connector
                .clone()
                .with_backend(Backend::deterministic_replay(egress));
            let call = replaying.instance().await?;
            let (mut store, instance) = (call.store, call.instance);
            let bindings = exports.load(&mut store, &instance)?;
            let meetings = bindings.goto_connector_meetings();
            let meeting = meetings.call_get_meeting(&mut store, &conn, id).await?;
            anyhow::Ok(meeting)
        })??
        .map_err(|e| anyhow!("typed get-meeting failed: {e:?}"))?;
        if meeting.meeting_id != id {
            bail!("typed get-meeting read meeting {}", meeting.meeting_id);
        }
        Ok(())
    })
}

/// Section 5: the large listing in the component (JSON host and typed)
/// against the native build; its rows of the closing table.
fn large_section(connector: &Connector, runs: usize) -> anyhow::Result<Vec<Target>> {
    let mut targets = Vec::new();
    section(&format!(
        "5. list-historical-meetings with {LARGE_LIST_MEETINGS} meetings: component vs native"
    ));
    let body = historical_body(LARGE_LIST_MEETINGS);
    say(&format!(
        "body                         {:>12} bytes",
        body.len()
    ));
    let large = large_list(connector, &body, runs)?;
    say(&format!(
        "component: typed call        p50 {:>10}   (body in, parse, normalize, results lowered and lifted into Rust structs)",
        ms(large.typed.p50)
    ));
    say(&format!(
        "component: JSON host call    p50 {:>10}   (the same, results lifted into dynamic `Val`s)",
        ms(large.json_host.p50)
    ));
    say(&format!(
        "component: whole host call   p50 {:>10}   (+ store, instantiate, results to JSON)",
        ms(large.whole.p50)
    ));
    say(&format!(
        "native (same Rust code)      p50 {:>10}",
        ms(large.native.p50)
    ));
    let time_ratio = ratio(large.typed.p50, large.native.p50);
    let val_ratio = ratio(large.json_host.p50, large.native.p50);
    let mem_ratio = large.peak_memory as f64 / body.len() as f64;
    say(&format!("wasm / native, typed call    {time_ratio:>12.2}"));
    say(&format!("wasm / native, JSON host     {val_ratio:>12.2}"));
    say(&format!(
        "guest peak linear memory     {:>12} bytes = {mem_ratio:.2}x body",
        large.peak_memory
    ));
    targets.push(Target {
        name: "large list wasm/native time (typed)",
        goal: "<= 2.0".into(),
        measured: format!("{time_ratio:.2}"),
        ratio: time_ratio / 2.0,
    });
    targets.push(Target {
        name: "large list guest peak memory",
        goal: "<= 4x body".into(),
        measured: format!("{mem_ratio:.2}x"),
        ratio: mem_ratio / 4.0,
    });

    Ok(targets)
}

/// [`goto_host::engine::pooling`], with the bench's settings.
fn pooling_config() -> Config {
    let mut config = config();
    config.allocation_strategy(goto_host::engine::pooling(POOL));
    config
}

/// The default engine settings; with `GOTO_BENCH_PERFMAP=1` the JIT code is
/// named for `perf report` (`/tmp/perf-PID.map`).
fn config() -> Config {
    let mut config = Config::new();
    if std::env::var_os("GOTO_BENCH_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    config
}

/// `n` replays of `case`, made before the clock starts (each call takes one).
fn replays(case: &Cassette, n: usize) -> Vec<Arc<Mutex<dyn Egress>>> {
    (0..n)
        .map(|_| {
            Arc::new(Mutex::new(Replay::new(case.interactions.clone()))) as Arc<Mutex<dyn Egress>>
        })
        .collect()
}

/// Store, instantiate, call, result to JSON, with the cassette's answer;
/// the replays are set up before the clock starts.
fn replayed_calls(
    call: &dyn Fn(Arc<Mutex<dyn Egress>>) -> anyhow::Result<Outcome>,
    case: &Cassette,
    n: usize,
) -> anyhow::Result<(Stats, goto_host::CallStats)> {
    let mut replays = replays(case, n);
    let (mut instantiate, mut guest) = (Duration::ZERO, Duration::ZERO);
    let stats = sample(n, || {
        let egress = replays.pop().ok_or_else(|| anyhow!("out of replays"))?;
        let out = call(egress)?;
        if out.result.get("ok").is_none() {
            bail!("get-meeting failed: {}", out.result);
        }
        instantiate += out.stats.instantiate;
        guest += out.stats.call;
        Ok(())
    })?;
    let parts = goto_host::CallStats {
        instantiate: instantiate / n.max(1) as u32,
        call: guest / n.max(1) as u32,
        peak_memory: 0,
    };
    Ok((stats, parts))
}

struct LargeList {
    /// The guest call through the generic JSON host: results lifted into
    /// dynamic `Val`s.
    json_host: Stats,
    /// The same guest call through typed bindings: results lifted straight
    /// into Rust structs, as the native build returns them.
    typed: Stats,
    whole: Stats,
    native: Stats,
    peak_memory: usize,
}

/// Typed bindings of the `meetings` export, generated from our WIT, so the
/// large listing can be called without the generic host's `Val` lifting.
mod typed {
    wasmtime::component::bindgen!({
        path: "../../wit",
        inline: "package bench:typed; world meetings-only { export goto:connector/meetings@0.3.0; }",
        world: "bench:typed/meetings-only",
        exports: { default: async },
    });
}

fn large_list(connector: &Connector, body: &[u8], runs: usize) -> anyhow::Result<LargeList> {
    let queue = Queue {
        bodies: (0..2 * runs).map(|_| body.to_vec()).collect(),
    };
    let queue: Arc<Mutex<dyn Egress>> = Arc::new(Mutex::new(queue));
    let exports = typed::MeetingsOnlyIndices::new(connector.instance_pre())?;
    let (mut json_host, mut typed, mut whole, mut native, mut peak) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0);
    // Component (JSON host, typed) and native runs alternate, so all see
    // the same load. Each run's results are dropped before the next, so
    // every run starts from the same heap (10,000 results still alive
    // made the next run allocate around them, a quarter slower).
    for _ in 0..runs {
        let t = Instant::now();
        let out = json_host_list(connector, &queue)?;
        whole.push(t.elapsed());
        json_host.push(out.stats.call);
        peak = peak.max(out.stats.peak_memory);
        drop(out);
        let (took, memory) = typed_list(connector, &exports, &queue)?;
        typed.push(took);
        peak = peak.max(memory);
        native.push(native_list(body)?);
    }
    Ok(LargeList {
        json_host: Stats::of(json_host),
        typed: Stats::of(typed),
        whole: Stats::of(whole),
        native: Stats::of(native),
        peak_memory: peak,
    })
}

const LARGE_LIST_START: &str = "2026-06-01T00:00:00Z";
const LARGE_LIST_END: &str = "2026-07-01T00:00:00Z";

/// The large listing through the JSON host, as `Connector` callers make it.
fn json_host_list(
    connector: &Connector,
    queue: &Arc<Mutex<dyn Egress>>,
) -> anyhow::Result<Outcome> {
    let input = json!({"range": {"start": LARGE_LIST_START, "end": LARGE_LIST_END}});
    let out = connector
        .clone()
        .with_backend(Backend::replay(queue.clone()))
        .blocking()
        .call(
            "list-historical-meetings",
            &json!({"accessToken": "bench-token"}),
            &input,
        )?;
    let n = out
        .result
        .get("ok")
        .and_then(|ok| ok.get("meetings"))
        .and_then(Value::as_array)
        .map(Vec::len)
        .ok_or_else(|| {
            let text: String = out.result.to_string().chars().take(300).collect();
            anyhow!("the large listing failed: {text}")
        })?;
    if n != LARGE_LIST_MEETINGS {
        bail!("the component read {n} meetings, not {LARGE_LIST_MEETINGS}");
    }
    Ok(out)
}

/// The large listing through typed bindings: the guest call's time and the
/// guest's peak memory.
fn typed_list(
    connector: &Connector,
    exports: &typed::MeetingsOnlyIndices,
    queue: &Arc<Mutex<dyn Egress>>,
) -> anyhow::Result<(Duration, usize)> {
    let conn = typed::goto::connector::types::Connection {
        access_token: "bench-token".into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let range = typed::exports::goto::connector::meetings::DateRange {
        start: LARGE_LIST_START.into(),
        end: LARGE_LIST_END.into(),
    };
    let (meetings, store, took) = block_on(async {
        let replaying = connector
            .clone()
            .with_backend(Backend::replay(queue.clone()));
        let call = replaying.instance().await?;
        let (mut store, instance) = (call.store, call.instance);
        let bindings = exports.load(&mut store, &instance)?;
        let t = Instant::now();
        let meetings = bindings
            .goto_connector_meetings()
            .call_list_historical_meetings(&mut store, &conn, &range)
            .await?;
        anyhow::Ok((meetings, store, t.elapsed()))
    })??;
    let list = meetings.map_err(|e| anyhow!("the typed large listing failed: {e:?}"))?;
    if list.meetings.len() != LARGE_LIST_MEETINGS || !list.skipped.is_empty() {
        bail!(
            "the typed call read {} meetings and skipped {}",
            list.meetings.len(),
            list.skipped.len()
        );
    }
    Ok((took, store.data().peak_memory()))
}

/// The same parsing code, native, on the same body.
fn native_list(body: &[u8]) -> anyhow::Result<Duration> {
    let conn = goto_connector::Connection {
        access_token: "bench-token".into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let range = goto_connector::exports::meetings::DateRange {
        start: LARGE_LIST_START.into(),
        end: LARGE_LIST_END.into(),
    };
    let mut transport = NativeTransport {
        body: Some(body.to_vec()),
    };
    let t = Instant::now();
    let meetings =
        goto_connector::meetings::list_historical_meetings(&mut transport, &conn, &range)
            .map_err(|e| anyhow!("native parse failed: {e:?}"))?;
    let took = t.elapsed();
    if meetings.meetings.len() != LARGE_LIST_MEETINGS || !meetings.skipped.is_empty() {
        bail!(
            "native code read {} meetings and skipped {}",
            meetings.meetings.len(),
            meetings.skipped.len()
        );
    }
    Ok(took)
}

/// The native transport: hands over the prepared body once.
pub(crate) struct NativeTransport {
    pub(crate) body: Option<Vec<u8>>,
}

impl goto_connector::http::Transport for NativeTransport {
    fn send(
        &mut self,
        _request: &goto_connector::http::Request,
    ) -> Result<goto_connector::http::Response, goto_connector::Error> {
        Ok(goto_connector::http::Response {
            status: 200,
            headers: vec![("content-type".into(), b"application/json".to_vec())],
            body: self.body.take().unwrap_or_default(),
        })
    }
}

/// Answers each request with the next prepared body (200, JSON); an empty
/// body once they are used up.
#[derive(Default)]
struct Queue {
    bodies: Vec<Vec<u8>>,
}

impl Egress for Queue {
    fn exchange(&mut self, _request: &OutgoingRequest) -> Result<Response, HttpError> {
        let body = self.bodies.pop().unwrap_or_default();
        Ok(Response {
            status: 200,
            // As a server sends it: with its length.
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("content-length".into(), body.len().to_string()),
            ],
            body,
            fault: None,
        })
    }
}

/// A GoTo-shaped `historicalMeetings` body: ids as strings (some above
/// 2^53), counts as strings, `.+0000` times, every fifth with a recording.
pub fn historical_body(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 720);
    out.push('[');
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let day = 1 + i % 28;
        let hour = i % 24;
        let meeting = json!({
            "meetingId": (500_000_000 + i).to_string(),
            "meetingInstanceKey": 7_000_000 + i,
            "sessionId": (5_678_900_000u64 + i as u64).to_string(),
            "accountKey": "9999982253621659654",
            "organizerKey": (8_439_885_694_023_000_000u64 + i as u64).to_string(),
            "firstName": "Mahar",
            "lastName": "Singh",
            "email": format!("organizer{}@example.com", i % 97),
            "groupName": if i % 3 == 0 { "NA" } else { "Sales" },
            "locale": "en_US",
            "subject": format!("Weekly sync #{i} \u{2013} planning"),
            "startTime": format!("2026-06-{day:02}T{hour:02}:00:00.+0000"),
            "endTime": format!("2026-06-{day:02}T{hour:02}:45:00Z"),
            "duration": "45",
            "numAttendees": (i % 40).to_string(),
            "conferenceCallInfo": "Hybrid",
            "meetingType": if i % 2 == 0 { "scheduled" } else { "Recurring" },
        });
        let mut meeting = meeting;
        if i % 5 == 0
            && let Some(m) = meeting.as_object_mut()
        {
            m.insert(
                "recording".into(),
                json!({
                    "recordingId": format!("e2b1f1a0-7f3c-4c1e-9a77-{i:012}"),
                    "recordingName": format!("Weekly sync #{i}"),
                    "downloadUrl": format!("https://recordings.example.goto.com/{i}.mp4"),
                    "fileSize": 73_400_320 + i,
                    "shareUrl": format!("https://transcripts.gotomeeting.com/#/s/{i}"),
                }),
            );
        }
        out.push_str(&meeting.to_string());
    }
    out.push(']');
    out.into_bytes()
}

/// Percentiles of one measured operation.
struct Stats {
    n: usize,
    p50: Duration,
    p99: Duration,
    mean: Duration,
}

impl Stats {
    fn of(mut v: Vec<Duration>) -> Stats {
        v.sort();
        let n = v.len();
        let at = |q: f64| {
            v.get(((n as f64 * q).ceil() as usize).saturating_sub(1))
                .copied()
                .unwrap_or_default()
        };
        let total: Duration = v.iter().sum();
        Stats {
            n,
            p50: at(0.5),
            p99: at(0.99),
            mean: total / n.max(1) as u32,
        }
    }

    fn line_us(&self) -> String {
        format!(
            "p50 {:>9}  p99 {:>9}  mean {:>9}  ({} runs)",
            us(self.p50),
            us(self.p99),
            us(self.mean),
            self.n
        )
    }
}

/// Times `n` runs of `f`, one by one.
fn sample(n: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Stats> {
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f()?;
        v.push(t.elapsed());
    }
    Ok(Stats::of(v))
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

fn us(d: Duration) -> String {
    format!("{:.1} us", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn section(title: &str) {
    say(&format!("\n== {title}"));
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // A closed stdout only loses the report.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

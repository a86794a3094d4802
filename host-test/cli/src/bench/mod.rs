//! `goto-host bench`: size, compile, instantiate and call costs of the
//! component, a large listing against the native build of the same parsing
//! code, calls in flight at once through the network against a native
//! client ([`concurrency`]), and live calls over TLS with and without
//! pooled connections (`connections`), all in one run. Timings are only printed here;
//! no test asserts on them. docs/src/benchmarks.md holds the figures.

mod against;
pub mod concurrency;
mod connections;
mod large;
mod replay;
mod startup;

use against::against;
pub use large::historical_body;
use large::large_section;
pub(crate) use large::{NativeTransport, Queue};
use replay::replay_section;
use startup::{instantiate_section, size_and_load};

use std::io::Write as _;
use std::time::{Duration, Instant};

use wasmtime::Config;

use goto_host::Connector;
use goto_host::blocking::block_on;
use goto_host::engine::DEFAULT_POOL_SIZE as POOL;

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
    /// Section 7 alone (live calls over TLS, pooled) and its targets.
    pub tls_only: bool,
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
    if options.tls_only {
        print_targets(&connections::run(options.quick)?);
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
    targets.extend(connections::run(options.quick)?);
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

/// Typed bindings of the `meetings` export, generated from our WIT, so the
/// large listing can be called without the generic host's `Val` lifting.
mod typed {
    wasmtime::component::bindgen!({
        path: "../../wit",
        inline: "package bench:typed; world meetings-only { export goto:connector/meetings@0.4.0; }",
        world: "bench:typed/meetings-only",
        exports: { default: async },
    });
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

/// The middle value of `v` (the upper one of an even count); the default
/// for none.
fn mid<T: Copy + PartialOrd + Default>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or_default()
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

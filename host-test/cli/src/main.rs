//! `goto-host`: run the connector's operations from the command line.
//!
//! ```text
//! goto-host call <operation> '<json input>' [--connection '<json>'] [--cassette FILE | --live [--record FILE]] [--allow-host HOST[:PORT]]... [--ca-file FILE]...
//! goto-host check <dir-or-file>... [--allow-host HOST[:PORT]]...
//! goto-host describe [<operation> | --markdown]
//! goto-host mcp [--http [ADDRESS:]PORT] [--tools NAME,...] [--read-only] [--live] [--connection-file FILE] [--allow-host HOST[:PORT]]... [--ca-file FILE]...
//! goto-host bench [--quick] [--calls N] [--runs N] [--large-only | --replay-only | --concurrency-only | --tls-only | --against ORIGIN]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use goto_host::cassette::{self, Cassette, Demo, Replay};
use goto_host::policy::Policy;
use goto_host::recorder;
use goto_host::{Backend, Connector, Egress, NetworkSettings, Recorder, cassettes_dir};
use goto_host_cli::{bench, describe, reference};
use serde_json::{Value, json};

mod mcp;

/// `println!` that ends the program quietly when stdout is closed
/// (`goto-host describe | head`) instead of panicking; exit status 141 as
/// for SIGPIPE.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($t)*).is_err() {
            std::process::exit(141);
        }
    }};
}

const USAGE: &str = "usage:
  goto-host call <operation> '<json input>' [options]
      Runs one operation. By default a built-in demo GoTo answers from the
      success cassettes (no account or token needed).
      --connection '<json>'  the connection record (default: {\"accessToken\": $GOTO_ACCESS_TOKEN or \"demo-token\"})
      --cassette FILE        answer strictly from one cassette instead
      --live                 send the requests to the real GoTo API (needs a real
                             token: $GOTO_ACCESS_TOKEN or --connection)
      --record FILE          with --live: also write the call as a cassette, every
                             credential replaced (docs/src/cassettes.md)
      --allow-host HOST[:PORT]  also allow exactly this origin (host[:port] means https;
                             or https://host[:port], http://host[:port]); repeatable;
                             everything else stays denied
      --ca-file FILE         with --live: also trust the certificates in this PEM
                             file (a private gateway's authority); repeatable
  goto-host check <dir-or-file>... [--allow-host HOST[:PORT]]...
      Runs every cassette found; one line per case, then 'N passed, N failed'.
  goto-host describe [<operation>...]
      Every operation with its documentation and JSON Schemas of input and output.
  goto-host describe --markdown
      The book's operations page (docs/src/operations.md), from the WIT.
  goto-host mcp [options]
      Serves the operations as MCP tools for AI agents, on stdio (docs/src/mcp.md).
      The connection comes from $GOTO_ACCESS_TOKEN (and $GOTO_API_BASE) or
      --connection-file; no tool takes a token.
      --http [ADDRESS:]PORT  Streamable HTTP at http://ADDRESS:PORT/mcp instead
                             (PORT alone: 127.0.0.1; 0 picks a free port)
      --tools NAME,...       only these interfaces (meetings, trainings, ...) or operations
      --read-only            only the tools that change nothing
      --live                 call the real GoTo API (default: the built-in demo GoTo)
      --connection-file FILE the connection record as JSON ({\"accessToken\": ...})
      --allow-host HOST[:PORT]  as for call
      --ca-file FILE         as for call
  goto-host worker --temporal HOST:PORT --namespace NS --task-queue QUEUE [options]
      The operations as Temporal activities (docs/src/temporal.md): runs
      the goto-worker binary beside this one (cargo build -p goto-worker).
  goto-host bench [--quick] [--calls N] [--runs N] [--large-only | --replay-only | --concurrency-only | --tls-only | --against ORIGIN]
      Size, compile, instantiate and call costs (docs/src/benchmarks.md); build it with
      --profile bench-host for meaningful figures.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("call") => call(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("describe") => describe_cmd(&args[1..]),
        Some("bench") => bench_cmd(&args[1..]),
        Some("mcp") => mcp::run(&args[1..]),
        Some("worker") => worker(&args[1..]),
        Some("-h" | "--help" | "help") => {
            out!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("goto-host: {e:#}");
        ExitCode::from(2)
    })
}

/// The Temporal worker is its own binary (its SDK would double this one's
/// build time); `goto-host worker` runs it from beside this one.
fn worker(args: &[String]) -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe()?.with_file_name("goto-worker");
    let status = match std::process::Command::new(&exe).args(args).status() {
        Ok(status) => status,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{} is not built: cargo build -p goto-worker (or cargo run -p goto-worker -- ...)",
            exe.display()
        ),
        Err(e) => bail!("{}: {e}", exe.display()),
    };
    Ok(ExitCode::from(
        status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(1),
    ))
}

/// `goto-host call`'s arguments.
struct CallArgs {
    operation: String,
    input: Value,
    connection: Option<Value>,
    cassette: Option<PathBuf>,
    live: bool,
    record: Option<PathBuf>,
    policy: Policy,
    network: NetworkSettings,
}

impl CallArgs {
    fn parse(args: &[String]) -> anyhow::Result<CallArgs> {
        let (mut positional, mut connection, mut cassette, mut live, mut record) =
            (Vec::new(), None, None, false, None);
        let mut policy = Policy::goto_default();
        let mut network = NetworkSettings::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || it.next().ok_or_else(|| anyhow!("{a} needs a value"));
            match a.as_str() {
                "--ca-file" => network.trust_pem_file(value()?)?,
                "--connection" => {
                    let text = value()?;
                    connection =
                        Some(serde_json::from_str(text).context("--connection is not JSON")?)
                }
                "--cassette" => cassette = Some(PathBuf::from(value()?)),
                "--live" => live = true,
                "--record" => record = Some(PathBuf::from(value()?)),
                "--allow-host" => policy.allow(value()?)?,
                s if s.starts_with("--") => bail!("unknown option {s}\n{USAGE}"),
                _ => positional.push(a.clone()),
            }
        }
        let [operation, input @ ..] = positional.as_slice() else {
            bail!("call needs an operation\n{USAGE}")
        };
        let input: Value = match input {
            [] => json!({}),
            [text] => serde_json::from_str(text).context("the input is not JSON")?,
            _ => bail!("call takes one JSON input argument"),
        };
        if record.is_some() && !live {
            bail!("--record needs --live: it records what the real API answers");
        }
        if live && cassette.is_some() {
            bail!("--live and --cassette exclude each other: a call is either live or replayed");
        }
        let operation = operation.clone();
        Ok(CallArgs {
            operation,
            input,
            connection,
            cassette,
            live,
            record,
            policy,
            network,
        })
    }
}

fn call(args: &[String]) -> anyhow::Result<ExitCode> {
    let args = CallArgs::parse(args)?;
    let (operation, input) = (args.operation.as_str(), &args.input);
    let token = std::env::var("GOTO_ACCESS_TOKEN").ok();
    let connector = Connector::embedded()
        .policy(args.policy)
        .network(args.network)
        .build()?;
    let needs_token = connector
        .operation(operation)
        .is_some_and(|op| op.params.iter().any(|(name, _)| name == "connection"));
    if args.live && needs_token && args.connection.is_none() && token.is_none() {
        bail!("--live needs a real access token: set GOTO_ACCESS_TOKEN or pass --connection");
    }
    let connection = args
        .connection
        .unwrap_or_else(|| json!({"accessToken": token.unwrap_or_else(|| "demo-token".into())}));
    let outcome = if let Some(path) = args.record {
        let recording = Recorder::default();
        let outcome = connector
            .with_backend(Backend::Record(recording.clone()))
            .blocking()
            .call(operation, &connection, input)?;
        let exchanges = recording
            .lock()
            .map_err(|_| anyhow!("the recording was lost"))?
            .clone();
        let cassette =
            recorder::cassette(operation, &connection, input, &exchanges, &outcome.result)?;
        std::fs::write(&path, serde_json::to_string_pretty(&cassette)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!(
            "goto-host: recorded {} ({} exchanges)",
            path.display(),
            exchanges.len()
        );
        outcome
    } else if args.live {
        connector.blocking().call(operation, &connection, input)?
    } else {
        let egress: Arc<Mutex<dyn Egress>> = match args.cassette {
            Some(path) => Arc::new(Mutex::new(Replay::new(Cassette::load(&path)?.interactions))),
            None => Arc::new(Mutex::new(Demo::load(&cassettes_dir())?.prefer(operation))),
        };
        connector
            .with_backend(Backend::replay(egress))
            .blocking()
            .call(operation, &connection, input)?
    };
    for d in &outcome.denied {
        eprintln!("goto-host: denied by policy: {d}");
    }
    out!("{}", serde_json::to_string_pretty(&outcome.result)?);
    Ok(if outcome.result.get("ok").is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut paths = Vec::new();
    let mut policy = Policy::goto_default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--allow-host" => policy.allow(
                it.next()
                    .ok_or_else(|| anyhow!("--allow-host needs a value"))?,
            )?,
            s if s.starts_with("--") => bail!("unknown option {s}\n{USAGE}"),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        bail!("check needs a cassette file or directory\n{USAGE}");
    }
    let files = cassette::cassette_files(&paths)?;
    let connector = Connector::embedded().policy(policy).build()?;
    let (mut passed, mut failed) = (0, 0);
    let started = Instant::now();
    for path in files {
        let name = path.display();
        match Cassette::load(&path) {
            Ok(c) => {
                let verdict = cassette::check(&connector, &c);
                if verdict.passed() {
                    passed += 1;
                    out!("ok    {name}");
                } else {
                    failed += 1;
                    out!("FAIL  {name}");
                    for f in &verdict.failures {
                        out!("      {f}");
                    }
                    out!("      result: {}", verdict.result);
                }
            }
            Err(e) => {
                failed += 1;
                out!("FAIL  {name}\n      {e:#}");
            }
        }
    }
    eprintln!("checked in {:.2?}", started.elapsed());
    out!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn bench_cmd(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut options = bench::Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => options.quick = true,
            "--large-only" => options.large_only = true,
            "--replay-only" => options.replay_only = true,
            "--concurrency-only" => options.concurrency_only = true,
            "--tls-only" => options.tls_only = true,
            "--against" => {
                let origin = it
                    .next()
                    .ok_or_else(|| anyhow!("--against needs an origin"))?;
                options.against = Some(origin.clone());
            }
            flag @ ("--calls" | "--runs") => {
                let n: usize = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| anyhow!("{flag} needs a number"))?;
                if flag == "--calls" {
                    options.calls = Some(n);
                } else {
                    options.runs = Some(n);
                }
            }
            other => bail!("unknown bench option {other}\n{USAGE}"),
        }
    }
    bench::run(&options)?;
    Ok(ExitCode::SUCCESS)
}

fn describe_cmd(args: &[String]) -> anyhow::Result<ExitCode> {
    if args == ["--markdown"] {
        out!("{}", reference::operations_page()?.trim_end());
        return Ok(ExitCode::SUCCESS);
    }
    let (ops, defs) = describe::describe()?;
    let selected: Vec<Value> = ops
        .iter()
        .filter(|o| args.is_empty() || args.contains(&o.name))
        .map(|o| {
            json!({"name": o.name, "interface": o.interface, "description": o.description,
                   "input": o.input, "output": o.output})
        })
        .collect();
    if selected.is_empty() {
        bail!("no operation named {}", args.join(", "));
    }
    let connection = json!({"$ref": "#/$defs/connection"});
    out!(
        "{}",
        serde_json::to_string_pretty(
            &json!({"connection": connection, "operations": selected, "$defs": defs})
        )?
    );
    Ok(ExitCode::SUCCESS)
}

//! `goto-host mcp` against a real MCP client: the official Python SDK
//! (`host-test/mcp-client/client.py`), over stdio and over Streamable HTTP.
//! Each transport: every tool listed with schemas that validate, calls
//! against the built-in demo GoTo, a connection whose API base is outside
//! the policy (the typed denial), and a scan of everything the client
//! received and everything the server logged for the access token.
//!
//! Set-up happens here, as in `hosts.rs`: a virtual environment under
//! `target/mcp-venv` from `host-test/mcp-client/requirements.txt`; Python
//! 3.11+ must be installed. A missing tool fails with its install command.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use goto_test_support::https::{Https, Options};
use goto_test_support::{INSTALL_PYTHON, python_venv, target_dir};
use serde_json::{Value, json};

const GOTO_HOST: &str = env!("CARGO_BIN_EXE_goto-host");
/// Room for a loaded 2-core machine; a run takes a few seconds.
const TIME_LIMIT: Duration = Duration::from_secs(180);

/// `host-test/`: the cassettes and the MCP client (this crate is `host-test/cli`).
fn host_test() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// `target/mcp-venv` with `host-test/mcp-client/requirements.txt`,
/// re-made when that file changed.
fn venv() -> PathBuf {
    python_venv("mcp-venv", &host_test().join("mcp-client/requirements.txt"))
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = target_dir()
        .join("mcp-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the test's directory");
    dir
}

/// An access token no output may contain.
fn secret() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("test-mcp-secret-{}-{nanos}", std::process::id())
}

/// A connection file whose API base the policy denies.
fn evil_connection(dir: &Path, token: &str) -> PathBuf {
    let path = dir.join("evil-connection.json");
    let connection = json!({"accessToken": token, "apiBase": "https://evil.example"});
    std::fs::write(&path, connection.to_string()).expect("write the connection file");
    path
}

/// The operations that take a connection and pass `keep` (given the
/// operation's name and interface): the tools the server must list.
fn expected_tools(dir: &Path, keep: impl Fn(&str, &str) -> bool) -> PathBuf {
    let takes_connection: Vec<String> = goto_host::Connector::embedded()
        .build()
        .expect("load the component")
        .operations()
        .filter(|op| op.params.iter().any(|(name, _)| name == "connection"))
        .map(|op| op.name.clone())
        .collect();
    let (ops, _) = goto_host_cli::describe::describe().expect("describe");
    let names: Vec<&str> = ops
        .iter()
        .filter(|op| takes_connection.contains(&op.name) && keep(&op.name, &op.interface))
        .map(|op| op.name.as_str())
        .collect();
    assert!(!names.contains(&"refresh-token") && !names.contains(&"exchange-code"));
    let path = dir.join("expected-tools.json");
    std::fs::write(&path, json!(names).to_string()).expect("write the expected tools");
    path
}

fn every_tool(_: &str, _: &str) -> bool {
    true
}

/// Waits for `child` within [`TIME_LIMIT`]; kills it and panics after.
fn wait_bounded(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for a child") {
            return status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs the client script; panics with its output when a check failed.
fn client(dir: &Path, name: &str, args: &[&str]) {
    let (out, err) = (
        dir.join(format!("{name}.out")),
        dir.join(format!("{name}.err")),
    );
    let mut child = Command::new(venv().join("bin/python"))
        .arg(host_test().join("mcp-client/client.py"))
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdout(std::fs::File::create(&out).expect("create the client's stdout"))
        .stderr(std::fs::File::create(&err).expect("create the client's stderr"))
        .spawn()
        .unwrap_or_else(|e| panic!("the client could not start: {e} ({INSTALL_PYTHON})"));
    let status = wait_bounded(&mut child, name);
    assert!(
        status.success(),
        "client {name} ({status}):\n{}\n{}",
        std::fs::read_to_string(&out).unwrap_or_default(),
        std::fs::read_to_string(&err).unwrap_or_default()
    );
}

/// `goto-host mcp` over stdio, as the client script starts it.
fn stdio_command(token: &str, args: &[&str]) -> String {
    let args: Vec<&str> = std::iter::once("mcp").chain(args.iter().copied()).collect();
    json!({"command": GOTO_HOST, "args": args, "env": {"GOTO_ACCESS_TOKEN": token}}).to_string()
}

/// A `goto-host mcp --http` server on a free loopback port, stopped on drop.
struct HttpServer {
    child: Child,
    url: String,
}

impl HttpServer {
    fn start(token: &str, log: &Path, args: &[&str]) -> HttpServer {
        let mut child = Command::new(GOTO_HOST)
            .args(["mcp", "--http", "127.0.0.1:0"])
            .args(args)
            .env("GOTO_ACCESS_TOKEN", token)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("create the server's log"))
            .spawn()
            .expect("start goto-host mcp --http");
        let start = Instant::now();
        let url = loop {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            if let Some(url) = text.split_whitespace().find(|w| w.starts_with("http://")) {
                break url.to_string();
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("goto-host mcp --http exited ({status}):\n{text}");
            }
            if start.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                panic!("goto-host mcp --http printed no address within {TIME_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(url.starts_with("http://127.0.0.1:"), "bound to {url}");
        HttpServer { child, url }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Nothing the client received and nothing the server logged holds the
/// token; what was received is there to scan.
fn assert_no_secret(token: &str, received: &[PathBuf], logs: &[PathBuf]) {
    for path in received.iter().chain(logs) {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        assert!(
            !text.contains(token),
            "{} contains the access token",
            path.display()
        );
    }
    for path in received {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default())
            .expect("the client's record is JSON");
        assert!(
            v.as_array().is_some_and(|a| a.len() >= 2),
            "{} recorded too little to scan",
            path.display()
        );
    }
}

#[test]
fn stdio_tools_list_call_deny_and_keep_the_token() {
    let dir = scratch("stdio");
    let token = secret();
    let expect = expected_tools(&dir, every_tool);
    let (demo, denied) = (dir.join("demo.json"), dir.join("denied.json"));
    let (demo_log, denied_log) = (dir.join("demo.log"), dir.join("denied.log"));
    client(
        &dir,
        "demo",
        &[
            "demo",
            "--expect",
            path(&expect),
            "--received",
            path(&demo),
            "--stdio",
            &stdio_command(&token, &[]),
            "--log",
            path(&demo_log),
        ],
    );
    let evil = evil_connection(&dir, &token);
    client(
        &dir,
        "denied",
        &[
            "denied",
            "--received",
            path(&denied),
            "--stdio",
            &stdio_command(&token, &["--connection-file", path(&evil)]),
            "--log",
            path(&denied_log),
        ],
    );
    let log = std::fs::read_to_string(&denied_log).expect("the server's log");
    assert!(
        log.contains("denied by policy: GET https://evil.example/"),
        "the denial is not logged:\n{log}"
    );
    assert_no_secret(&token, &[demo, denied], &[demo_log, denied_log]);
}

#[test]
fn http_tools_list_call_deny_and_keep_the_token() {
    let dir = scratch("http");
    let token = secret();
    let expect = expected_tools(&dir, every_tool);
    let (demo, denied) = (dir.join("demo.json"), dir.join("denied.json"));
    let (demo_log, denied_log) = (dir.join("demo.log"), dir.join("denied.log"));
    {
        let server = HttpServer::start(&token, &demo_log, &[]);
        let args = ["demo", "--expect", path(&expect), "--received", path(&demo)];
        client(&dir, "demo", &[&args[..], &["--url", &server.url]].concat());
    }
    let evil = evil_connection(&dir, &token);
    {
        let server = HttpServer::start(&token, &denied_log, &["--connection-file", path(&evil)]);
        let args = ["denied", "--received", path(&denied), "--url", &server.url];
        client(&dir, "denied", &args);
    }
    assert_no_secret(&token, &[demo, denied], &[demo_log, denied_log]);
}

/// `--tools meetings,trainings --read-only`: the gets and lists of those
/// two interfaces (and `start-meeting`, a GET), nothing else.
#[test]
fn tools_and_read_only_select_a_subset() {
    let dir = scratch("subset");
    let token = secret();
    let expect = expected_tools(&dir, |name, interface| {
        let wanted = ["/meetings@", "/trainings@"]
            .iter()
            .any(|i| interface.contains(i));
        let reads = ["get-", "list-", "start-"]
            .iter()
            .any(|v| name.starts_with(v));
        wanted && reads
    });
    let received = dir.join("subset.json");
    let log = dir.join("subset.log");
    let command = stdio_command(&token, &["--tools", "meetings,trainings", "--read-only"]);
    client(
        &dir,
        "subset",
        &[
            "subset",
            "--expect",
            path(&expect),
            "--received",
            path(&received),
            "--stdio",
            &command,
            "--log",
            path(&log),
        ],
    );
    assert_no_secret(&token, &[received], &[log]);
}

/// A loopback GoTo over HTTPS (its certificate trusted through
/// `--ca-file`) that answers `get-meeting` from its success cassette.
fn loopback_goto() -> Https {
    let cassette = std::fs::read_to_string(host_test().join("cassettes/get-meeting/success.json"))
        .expect("read the get-meeting cassette");
    let cassette: Value = serde_json::from_str(&cassette).expect("the cassette is JSON");
    let body = cassette["interactions"][0]["response"]["json"].to_string();
    Https::start(Options {
        idle_close: None,
        http2: false,
        delay: Duration::ZERO,
        max_requests: 10,
        lifetime: TIME_LIMIT,
        answer: Arc::new(move |_, _, _| (200, body.clone())),
    })
}

/// `--live` sends the calls to the connection's API base, with the token,
/// once the policy allows that origin and `--ca-file` trusts its
/// certificate; both calls share one connection, as the log says.
#[test]
fn live_calls_reach_the_api_base_the_policy_allows() {
    let dir = scratch("live");
    let token = secret();
    let goto = loopback_goto();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &goto.ca_pem).expect("write the authority");
    let connection = dir.join("connection.json");
    let record = json!({"accessToken": token, "apiBase": goto.origin});
    std::fs::write(&connection, record.to_string()).expect("write the connection file");
    let (received, log) = (dir.join("live.json"), dir.join("live.log"));
    let args = [
        "--live",
        "--connection-file",
        path(&connection),
        "--allow-host",
        &goto.origin,
        "--ca-file",
        path(&ca),
    ];
    let command = stdio_command(&token, &args);
    client(
        &dir,
        "live",
        &[
            "live",
            "--received",
            path(&received),
            "--stdio",
            &command,
            "--log",
            path(&log),
        ],
    );
    let seen = goto.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for s in &seen {
        assert_eq!(s.path, "/G2M/rest/meetings/123456789");
        assert_eq!(s.authorization, Some(format!("Bearer {token}")));
    }
    assert_eq!(goto.connections(), 1, "the two calls share a connection");
    let text = std::fs::read_to_string(&log).expect("the server's log");
    assert!(
        text.contains("get-meeting: ok in") && text.contains("(connections opened: 1)"),
        "{text}"
    );
    assert_no_secret(&token, &[received], &[log]);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The client configuration the README and the book show starts this
/// server the way the tests do: `goto-host mcp` with options it accepts,
/// the token in the environment.
#[test]
fn the_documented_client_configuration_runs_goto_host_mcp() {
    let root = goto_test_support::workspace_root();
    for page in ["README.md", "docs/src/mcp.md"] {
        let text = std::fs::read_to_string(root.join(page)).expect(page);
        let block = text
            .split("```json\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .find(|b| b.contains("mcpServers"))
            .unwrap_or_else(|| {
                panic!("{page} shows an mcpServers configuration in a ```json block")
            });
        let config: Value = serde_json::from_str(block).expect("the configuration is JSON");
        check_client_configuration(&config);
    }
}

fn check_client_configuration(config: &Value) {
    let server = &config["mcpServers"]["goto"];
    let command = server["command"].as_str().expect("a command");
    assert!(command.ends_with("/target/debug/goto-host"), "{command}");
    let args: Vec<&str> = server["args"]
        .as_array()
        .expect("args")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(args.first(), Some(&"mcp"));
    assert!(server["env"]["GOTO_ACCESS_TOKEN"].is_string());
    // Every option shown is one `goto-host mcp` knows (an unknown one ends
    // the server before it reads stdin).
    let help = Command::new(GOTO_HOST)
        .arg("help")
        .output()
        .expect("goto-host help");
    let help = String::from_utf8_lossy(&help.stdout);
    let help = help
        .split("goto-host mcp")
        .nth(1)
        .and_then(|h| h.split("\n  goto-host ").next())
        .expect("goto-host help describes mcp");
    for option in args.iter().filter(|a| a.starts_with("--")) {
        assert!(
            help.contains(&format!("      {option} ")),
            "{option} is not in goto-host help"
        );
    }
}

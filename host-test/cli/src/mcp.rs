//! `goto-host mcp`: the operations as Model Context Protocol tools, for AI
//! agents, over stdio or Streamable HTTP (crate `rmcp`).
//!
//! One tool per operation that talks to GoTo (those taking a
//! `connection`); the OAuth flow's operations handle client secrets and
//! tokens, so they stay with whoever configures the server. The
//! connection comes from the server's configuration, never from the model:
//! no tool takes a token, and every call goes through the async
//! [`Connector`] with its policy and limits.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use goto_host::cassette::Demo;
use goto_host::credentials::{Credentials, without_secrets};
use goto_host::effect::Effect;
use goto_host::policy::Policy;
use goto_host::{Backend, Connector, Egress, HostError, Outcome, cassettes_dir};
use goto_host_cli::describe::{self, OperationDoc};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

/// `goto-host mcp`'s options.
struct Options {
    /// Serve Streamable HTTP on this address instead of stdio.
    http: Option<SocketAddr>,
    /// Interfaces or operations to serve; empty: all.
    tools: Vec<String>,
    read_only: bool,
    live: bool,
    connection_file: Option<PathBuf>,
    policy: Policy,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options {
            http: None,
            tools: Vec::new(),
            read_only: false,
            live: false,
            connection_file: None,
            policy: Policy::goto_default(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || it.next().ok_or_else(|| anyhow!("{a} needs a value"));
            match a.as_str() {
                "--http" => options.http = Some(listen_address(value()?)?),
                "--tools" => options.tools.extend(
                    value()?
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                ),
                "--read-only" => options.read_only = true,
                "--live" => options.live = true,
                "--connection-file" => options.connection_file = Some(PathBuf::from(value()?)),
                "--allow-host" => options.policy.allow(value()?)?,
                other => bail!("unknown mcp option {other}; `goto-host help` lists them"),
            }
        }
        Ok(options)
    }
}

/// `PORT` alone means loopback; anything else is an explicit address.
fn listen_address(spec: &str) -> anyhow::Result<SocketAddr> {
    if let Ok(port) = spec.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    spec.parse()
        .with_context(|| format!("--http {spec:?}: expected PORT or ADDRESS:PORT"))
}

/// The connection every call uses: the `--connection-file` JSON object, or
/// `GOTO_ACCESS_TOKEN` (and `GOTO_API_BASE`, `GOTO_SEEIT_BASE`) from the
/// environment; without `--live`, a demo token when none is set. An OAuth
/// client and refresh token, if given, are not used: the server does not
/// renew tokens.
fn connection(options: &Options) -> anyhow::Result<Value> {
    let credentials = Credentials::load(options.connection_file.as_deref())?;
    let has_token = credentials.access_token().is_some();
    let mut fields = credentials.connection;
    if !has_token {
        if options.live {
            bail!(
                "--live needs a real access token: set GOTO_ACCESS_TOKEN or give \
                 --connection-file with an accessToken"
            );
        }
        fields.insert("accessToken".into(), Value::String("demo-token".into()));
    }
    Ok(Value::Object(fields))
}

/// Runs the server until stdin closes (stdio) or the process is stopped
/// (HTTP).
pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let options = Options::parse(args)?;
    let connection = connection(&options)?;
    let connector = Connector::embedded()
        .policy(options.policy.clone())
        .build()?;
    let tools = select(tools(&connector)?, &options)?;
    let server = Server(Arc::new(Shared {
        connector,
        connection,
        live: options.live,
        tools,
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match options.http {
            Some(address) => serve_http(server, address).await,
            None => serve_stdio(server).await,
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn serve_stdio(server: Server) -> anyhow::Result<()> {
    let count = server.0.tools.len();
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow!("MCP initialization failed: {e}"))?;
    eprintln!("goto-host mcp: serving {count} tools on stdio");
    running.waiting().await?;
    Ok(())
}

/// Streamable HTTP at `/mcp`; rmcp refuses requests whose `Host` is not a
/// loopback name (against DNS rebinding).
async fn serve_http(server: Server, address: SocketAddr) -> anyhow::Result<()> {
    use rmcp::transport::streamable_http_server::{
        StreamableHttpService, session::local::LocalSessionManager,
    };
    let count = server.0.tools.len();
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        LocalSessionManager::default().into(),
        Default::default(),
    );
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("binding {address}"))?;
    let bound = listener.local_addr()?;
    // Tests and scripts read this line to learn the port of `--http 0`.
    eprintln!("goto-host mcp: serving {count} tools at http://{bound}/mcp");
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before accept:
            // the server keeps serving the others.
            Err(e) => {
                eprintln!("goto-host mcp: accepting a connection failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = service.clone();
        tokio::spawn(async move {
            let handler = hyper::service::service_fn(move |request| {
                let service = service.clone();
                async move {
                    if request.uri().path() == "/mcp" {
                        Ok::<_, std::convert::Infallible>(service.handle(request).await)
                    } else {
                        Ok(not_found())
                    }
                }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, handler)
                .await;
        });
    }
}

type Body = http_body_util::combinators::BoxBody<bytes::Bytes, std::convert::Infallible>;

fn not_found() -> http::Response<Body> {
    use http_body_util::BodyExt;
    let body = http_body_util::Full::new(bytes::Bytes::from_static(b"the MCP endpoint is /mcp\n"));
    let mut response = http::Response::new(body.boxed());
    *response.status_mut() = http::StatusCode::NOT_FOUND;
    response
}

/// One tool, with the operation it calls.
#[derive(Clone)]
struct OperationTool {
    interface: String,
    tool: Tool,
}

/// Every operation that takes a connection, as a tool.
fn tools(connector: &Connector) -> anyhow::Result<Vec<OperationTool>> {
    let (ops, defs) = describe::describe()?;
    Ok(ops
        .into_iter()
        .filter(|op| {
            connector
                .operation(&op.name)
                .is_some_and(|o| o.params.iter().any(|(name, _)| name == "connection"))
        })
        .map(|op| tool(op, &defs))
        .collect())
}

fn tool(op: OperationDoc, defs: &Value) -> OperationTool {
    let interface = short_interface(&op.interface);
    let output = match op.output {
        Value::Object(mut schema) => {
            // MCP wants an object at the root; both branches (`ok`, `error`) are.
            schema.insert("type".into(), json!("object"));
            Value::Object(schema)
        }
        _ => json!({"type": "object"}),
    };
    let mut tool = Tool::new(op.name.clone(), op.description, with_defs(op.input, defs));
    tool.output_schema = Some(Arc::new(with_defs(output, defs)));
    tool.annotations = Some(annotations(&op.name));
    OperationTool { interface, tool }
}

/// `goto:connector/meetings@0.1.0` → `meetings`.
fn short_interface(id: &str) -> String {
    let name = id.rsplit('/').next().unwrap_or(id);
    name.split('@').next().unwrap_or(name).to_string()
}

/// `schema` with the `$defs` it references (transitively), so that each
/// tool's schema stands alone.
fn with_defs(schema: Value, defs: &Value) -> JsonObject {
    let mut needed = BTreeSet::new();
    let mut queue = Vec::new();
    refs(&schema, &mut queue);
    while let Some(name) = queue.pop() {
        if needed.insert(name.clone())
            && let Some(def) = defs.get(&name)
        {
            refs(def, &mut queue);
        }
    }
    let mut object = match schema {
        Value::Object(m) => m,
        other => Map::from_iter([("allOf".to_string(), json!([other]))]),
    };
    if !needed.is_empty() {
        let picked: Map<String, Value> = needed
            .into_iter()
            .filter_map(|n| defs.get(&n).map(|d| (n, d.clone())))
            .collect();
        object.insert("$defs".into(), Value::Object(picked));
    }
    object
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(name) = m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
            {
                out.push(name.to_string());
            }
            m.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// From the operation's [`Effect`]: read-only for reads; destructive and
/// idempotent for updates and deletes; creates add and are not idempotent;
/// the rest that may repeat (`send-raw`, resends, OAuth) can do anything.
fn annotations(name: &str) -> ToolAnnotations {
    let base = ToolAnnotations::new().open_world(true);
    match Effect::of(name) {
        Effect::Read => base.read_only(true),
        Effect::Idempotent => base.read_only(false).destructive(true).idempotent(true),
        Effect::Repeatable if name.starts_with("create-") => {
            base.read_only(false).destructive(false).idempotent(false)
        }
        Effect::Repeatable => base.read_only(false).destructive(true).idempotent(false),
    }
}

/// The tools `--tools` and `--read-only` select.
fn select(tools: Vec<OperationTool>, options: &Options) -> anyhow::Result<Vec<OperationTool>> {
    for wanted in &options.tools {
        if !tools
            .iter()
            .any(|t| &t.interface == wanted || t.tool.name == wanted.as_str())
        {
            let interfaces: BTreeSet<&str> = tools.iter().map(|t| t.interface.as_str()).collect();
            bail!(
                "--tools {wanted}: no such interface or operation; interfaces: {}",
                interfaces.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
    }
    let selected: Vec<OperationTool> = tools
        .into_iter()
        .filter(|t| {
            options.tools.is_empty()
                || options
                    .tools
                    .iter()
                    .any(|w| &t.interface == w || t.tool.name == w.as_str())
        })
        .filter(|t| !options.read_only || t.tool.annotations.as_ref().is_some_and(read_only))
        .collect();
    if selected.is_empty() {
        bail!("--tools and --read-only leave no tool to serve");
    }
    Ok(selected)
}

fn read_only(a: &ToolAnnotations) -> bool {
    a.read_only_hint == Some(true)
}

struct Shared {
    connector: Connector,
    /// Holds the access token: only ever passed to the connector.
    connection: Value,
    live: bool,
    tools: Vec<OperationTool>,
}

/// The MCP server: clones share everything (one per HTTP session).
#[derive(Clone)]
struct Server(Arc<Shared>);

impl Server {
    async fn call(&self, operation: &str, input: &Value) -> Result<Outcome, HostError> {
        let Shared {
            connector,
            connection,
            ..
        } = &*self.0;
        if self.0.live {
            return connector.call(operation, connection, input).await;
        }
        let demo = Demo::load(&cassettes_dir()).map_err(|e| HostError::Instantiation {
            message: format!("the demo cassettes could not be loaded: {e:#}"),
        })?;
        let egress: Arc<Mutex<dyn Egress>> = Arc::new(Mutex::new(demo.prefer(operation)));
        connector
            .clone()
            .with_backend(Backend::replay(egress))
            .call(operation, connection, input)
            .await
    }

    /// The result as MCP sees it, with the access token removed should any
    /// text ever carry it (the component promises it never does).
    fn guard(&self, result: CallToolResult) -> CallToolResult {
        // A token this short would match ordinary text; real ones are long.
        match self
            .0
            .connection
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|t| t.len() >= 8)
        {
            Some(token) => without_token(result, token),
            None => result,
        }
    }
}

const REMOVED: &str = "[access token removed]";

fn without_token(mut result: CallToolResult, token: &str) -> CallToolResult {
    if !serde_json::to_string(&result).is_ok_and(|t| t.contains(token)) {
        return result;
    }
    eprintln!("goto-host mcp: a result contained the access token; it was removed");
    for block in &mut result.content {
        if let ContentBlock::Text(text) = block {
            text.text = text.text.replace(token, REMOVED);
        }
    }
    if let Some(s) = &result.structured_content {
        // Dropped rather than sent when the replacement breaks the JSON.
        result.structured_content = without_secrets(s, &[token], REMOVED);
    }
    result
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "goto-connector",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "GoTo Meeting, Training, organizers, groups, Assist and Seeit operations. \
                 The server holds the GoTo connection; tools never take a token. \
                 Tools annotated destructive change data: confirm with the user first.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = self.0.tools.iter().map(|t| t.tool.clone()).collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.0
            .tools
            .iter()
            .find(|t| t.tool.name == name)
            .map(|t| t.tool.clone())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        if self.get_tool(&name).is_none() {
            return Err(ErrorData::invalid_params(
                format!("no tool named {name:?}; tools/list lists them"),
                None,
            ));
        }
        let input = Value::Object(request.arguments.unwrap_or_default());
        let started = Instant::now();
        let called = self.call(&name, &input).await;
        let elapsed = started.elapsed().as_millis();
        let result = match called {
            Ok(outcome) => {
                for d in &outcome.denied {
                    eprintln!(
                        "goto-host mcp: {name}: denied by policy: {}",
                        without_query(d)
                    );
                }
                let status = outcome.result.get("error").map_or("ok", error_kind);
                eprintln!("goto-host mcp: {name}: {status} in {elapsed} ms");
                rendering::outcome(&name, outcome)
            }
            Err(e) => {
                eprintln!(
                    "goto-host mcp: {name}: host error {} in {elapsed} ms",
                    e.kind()
                );
                rendering::host_error(&name, &e)
            }
        };
        Ok(self.guard(result).into())
    }
}

/// `GET https://host/path?query` without its query (logs and messages
/// need the destination, not the parameters).
fn without_query(request: &str) -> &str {
    request.split('?').next().unwrap_or(request)
}

/// The case name of an operation's `error` value (`not-found`, ...).
fn error_kind(error: &Value) -> &str {
    match error {
        Value::Object(m) => m.keys().next().map_or("error", String::as_str),
        Value::String(s) => s,
        _ => "error",
    }
}

/// How a result or a failure reads to the model: structured content plus a
/// short text, and for failures what to do next.
mod rendering {
    use super::*;

    /// Results longer than this are cut in the text (the structured content
    /// keeps everything).
    const TEXT_LIMIT: usize = 4000;

    pub(super) fn outcome(name: &str, outcome: Outcome) -> CallToolResult {
        let Outcome { result, denied, .. } = outcome;
        match result.get("error") {
            None => {
                let ok = result.get("ok").cloned().unwrap_or(Value::Null);
                let mut text = format!("{name} succeeded: {ok}");
                if text.len() > TEXT_LIMIT {
                    let cut = (0..=TEXT_LIMIT)
                        .rev()
                        .find(|i| text.is_char_boundary(*i))
                        .unwrap_or(0);
                    text.truncate(cut);
                    text.push_str(" … (cut; the structured content has all of it)");
                }
                let mut r = CallToolResult::structured(result);
                r.content = vec![ContentBlock::text(text)];
                r
            }
            Some(error) => {
                let text = error_text(name, error, &denied);
                let mut r = CallToolResult::structured_error(result.clone());
                r.content = vec![ContentBlock::text(text)];
                r
            }
        }
    }

    fn error_text(name: &str, error: &Value, denied: &[String]) -> String {
        let kind = error_kind(error);
        let payload = error.get(kind).unwrap_or(error);
        let detail = match payload {
            Value::String(s) => s.clone(),
            Value::Object(m) => {
                let message = m.get("message").and_then(Value::as_str).unwrap_or("");
                let status = m.get("status").map(Value::to_string).unwrap_or_default();
                match m.get("code").and_then(Value::as_str) {
                    Some(code) => format!("{message} (HTTP {status}, {code})"),
                    None => format!("{message} (HTTP {status})"),
                }
            }
            other => other.to_string(),
        };
        let advice = advice(kind, payload, denied);
        format!("{name} failed: {kind}: {detail}\nWhat to do: {advice}")
    }

    fn advice(kind: &str, payload: &Value, denied: &[String]) -> String {
        if let Some(first) = denied.first() {
            return format!(
                "the server's network policy refused {}: only GoTo's own hosts may be \
                 reached. Retrying will not help; the server's operator sets the \
                 connection's API base (or allows a host with --allow-host).",
                without_query(first)
            );
        }
        match kind {
            "invalid-input" => "correct the argument the message names and call again.".into(),
            "unauthorized" => "the server's GoTo access token is missing, invalid or expired. \
                 Retrying will not help: ask the user to renew the token in the MCP server's \
                 configuration."
                .into(),
            "forbidden" => "the GoTo account lacks the role or scope for this call; \
                 do not retry, tell the user."
                .into(),
            "not-found" => "check the id or key (a list tool finds them).".into(),
            "bad-request" => "GoTo rejected the content: correct the arguments.".into(),
            "conflict" => "it conflicts with what exists (for example it already exists): \
                 look it up instead of creating it again."
                .into(),
            "rate-limited" => match payload.get("retryAfterSeconds").and_then(Value::as_u64) {
                Some(s) => format!("wait {s} seconds, then call again."),
                None => "wait a little, then call again.".into(),
            },
            "server" | "transport" => "GoTo or the network failed; calling again later may \
                 succeed (for a create, check first whether it happened)."
                .into(),
            _ => "GoTo answered unexpectedly; do not retry blindly, tell the user.".into(),
        }
    }

    pub(super) fn host_error(name: &str, e: &HostError) -> CallToolResult {
        let advice = match e {
            HostError::InvalidInput { field, .. } => {
                format!("correct the argument `{field}` (the tool's input schema) and call again.")
            }
            HostError::TimeLimit { requests_sent, .. } if *requests_sent > 0 => {
                "calling again may succeed; for a change, check first whether it was applied \
                 (requests were sent)."
                    .into()
            }
            e if e.retryable() => "calling again may succeed.".into(),
            _ => "retrying will not help; tell the user.".into(),
        };
        let text = format!("{name} failed: {}: {e}\nWhat to do: {advice}", e.kind());
        CallToolResult::error(vec![ContentBlock::text(text)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_follow_the_verb() {
        let get = annotations("get-meeting");
        assert_eq!(get.read_only_hint, Some(true));
        let delete = annotations("delete-meeting");
        assert_eq!(
            (
                delete.read_only_hint,
                delete.destructive_hint,
                delete.idempotent_hint
            ),
            (Some(false), Some(true), Some(true))
        );
        let create = annotations("create-meeting");
        assert_eq!(
            (create.destructive_hint, create.idempotent_hint),
            (Some(false), Some(false))
        );
        assert_eq!(annotations("send-raw").destructive_hint, Some(true));
    }

    #[test]
    fn a_schema_carries_exactly_the_defs_it_reaches() {
        let defs = json!({
            "a": {"$ref": "#/$defs/b"}, "b": {"type": "string"}, "c": {"type": "null"}
        });
        let schema = with_defs(json!({"properties": {"x": {"$ref": "#/$defs/a"}}}), &defs);
        let names: Vec<&String> = schema["$defs"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["a", "b"]);
        assert!(!with_defs(json!({"type": "object"}), &defs).contains_key("$defs"));
    }

    #[test]
    fn a_token_in_a_result_is_removed() {
        let token = "test-secret-0123456789";
        let mut leaky = CallToolResult::structured(json!({"ok": {"url": format!("x?t={token}")}}));
        leaky.content = vec![ContentBlock::text(format!("see {token}"))];
        let text = serde_json::to_string(&without_token(leaky, token)).unwrap();
        assert!(!text.contains(token) && text.contains(REMOVED), "{text}");
        let clean = CallToolResult::structured(json!({"ok": 1}));
        assert_eq!(without_token(clean.clone(), token), clean);
    }

    #[test]
    fn listen_address_defaults_to_loopback() {
        assert_eq!(
            listen_address("8931").unwrap(),
            "127.0.0.1:8931".parse().unwrap()
        );
        assert!(listen_address("example.com:1").is_err());
    }
}

//! `goto-host mcp`: the operations as Model Context Protocol tools, for AI
//! agents, over stdio or Streamable HTTP (crate `rmcp`).
//!
//! One tool per operation that talks to GoTo (those taking a
//! `connection`); the OAuth flow's operations handle client secrets and
//! tokens, so they stay with whoever configures the server. The
//! connection comes from the server's configuration, never from the model:
//! no tool takes a token, and every call goes through the async
//! `Connector` with its policy and limits.
//!
//! Here: the options and the transports (stdio, Streamable HTTP); the
//! tools (`tools`), the server (`server`) and how results read to a model
//! (`rendering`) each have a module.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use goto_host::credentials::Credentials;
use goto_host::policy::Policy;
use goto_host::{Connector, NetworkSettings};
use rmcp::ServiceExt;
use serde_json::Value;

mod rendering;
mod server;
mod tools;

use server::*;
use tools::*;

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
    network: NetworkSettings,
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
            network: NetworkSettings::default(),
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
                "--ca-file" => options.network.trust_pem_file(value()?)?,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // Live calls' connections run on the server's own runtime.
    let network = NetworkSettings {
        runtime: Some(runtime.handle().clone()),
        ..options.network.clone()
    };
    let connector = Connector::embedded()
        .policy(options.policy.clone())
        .network(network)
        .build()?;
    let tools = select(tools(&connector)?, &options)?;
    let server = Server(Arc::new(Shared {
        connector,
        connection,
        live: options.live,
        tools,
    }));
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

#[cfg(test)]
mod tests {
    use super::*;
    use rmcp::model::{CallToolResult, ContentBlock};
    use serde_json::json;

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
    fn output_schemas_drop_descriptions_but_keep_a_field_called_description() {
        let mut schema = json!({
            "description": "a training",
            "type": "object",
            "properties": {
                "description": {"description": "its text", "type": ["string", "null"]},
                "times": {"type": "array", "items": {"description": "one", "$ref": "#/$defs/t"}}
            },
            "oneOf": [{"description": "ok", "const": {"description": "kept"}}],
            "$defs": {"t": {"description": "a time", "type": "string"}}
        });
        without_descriptions(&mut schema);
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "description": {"type": ["string", "null"]},
                    "times": {"type": "array", "items": {"$ref": "#/$defs/t"}}
                },
                "oneOf": [{"const": {"description": "kept"}}],
                "$defs": {"t": {"type": "string"}}
            })
        );
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

//! The MCP server: one connector and one connection shared by every session;
//! each tool call goes through the connector, its result without the token.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use goto_host::cassette::Demo;
use goto_host::credentials::without_secrets;
use goto_host::{Backend, Connector, Egress, HostError, Outcome, cassettes_dir};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Value;

use super::*;

pub(super) struct Shared {
    pub(super) connector: Connector,
    /// Holds the access token: only ever passed to the connector.
    pub(super) connection: Value,
    pub(super) live: bool,
    pub(super) tools: Vec<OperationTool>,
}

/// The MCP server: clones share everything (one per HTTP session).
#[derive(Clone)]
pub(super) struct Server(pub(super) Arc<Shared>);

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

pub(super) const REMOVED: &str = "[access token removed]";

pub(super) fn without_token(mut result: CallToolResult, token: &str) -> CallToolResult {
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
                // Live calls share the connector's connections: the count
                // grows only when no open one was free.
                let opened = match self.0.live {
                    true => format!(
                        " (connections opened: {})",
                        self.0.connector.connections_opened()
                    ),
                    false => String::new(),
                };
                eprintln!("goto-host mcp: {name}: {status} in {elapsed} ms{opened}");
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
pub(super) fn without_query(request: &str) -> &str {
    request.split('?').next().unwrap_or(request)
}

/// The case name of an operation's `error` value (`not-found`, ...).
pub(super) fn error_kind(error: &Value) -> &str {
    match error {
        Value::Object(m) => m.keys().next().map_or("error", String::as_str),
        Value::String(s) => s,
        _ => "error",
    }
}

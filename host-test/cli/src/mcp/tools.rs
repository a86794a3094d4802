//! The MCP tools: one per operation that takes a connection, its schema
//! from `describe`, its annotations from the operation's effect, and the
//! `--tools` / `--read-only` selection.

use std::collections::BTreeSet;
use std::sync::Arc;

use anyhow::bail;
use goto_host::Connector;
use goto_host::effect::Effect;
use goto_host_cli::describe::{self, OperationDoc};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Map, Value, json};

use super::*;

/// One tool, with the operation it calls.
#[derive(Clone)]
pub(super) struct OperationTool {
    pub(super) interface: String,
    pub(super) tool: Tool,
}

/// Every operation that takes a connection, as a tool.
pub(super) fn tools(connector: &Connector) -> anyhow::Result<Vec<OperationTool>> {
    let (ops, defs) = describe::describe()?;
    // The definitions output schemas refer to, without descriptions
    // ([`without_descriptions`]): stripped once for every tool.
    let mut bare_defs = defs.clone();
    if let Value::Object(named) = &mut bare_defs {
        named.values_mut().for_each(without_descriptions);
    }
    Ok(ops
        .into_iter()
        .filter(|op| {
            connector
                .operation(&op.name)
                .is_some_and(|o| o.params.iter().any(|(name, _)| name == "connection"))
        })
        .map(|op| tool(op, &defs, &bare_defs))
        .collect())
}

/// The tool of `op`: its input schema with `defs`, its output schema
/// without descriptions, with `bare_defs` (`defs` without them).
pub(super) fn tool(op: OperationDoc, defs: &Value, bare_defs: &Value) -> OperationTool {
    let interface = short_interface(&op.interface);
    let mut output = match op.output {
        Value::Object(mut schema) => {
            // MCP wants an object at the root; both branches (`ok`, `error`) are.
            schema.insert("type".into(), json!("object"));
            Value::Object(schema)
        }
        _ => json!({"type": "object"}),
    };
    let mut tool = Tool::new(op.name.clone(), op.description, with_defs(op.input, defs));
    without_descriptions(&mut output);
    tool.output_schema = Some(Arc::new(with_defs(output, bare_defs)));
    tool.annotations = Some(annotations(&op.name));
    OperationTool { interface, tool }
}

/// `goto:connector/meetings@0.1.0` → `meetings`.
pub(super) fn short_interface(id: &str) -> String {
    let name = id.rsplit('/').next().unwrap_or(id);
    name.split('@').next().unwrap_or(name).to_string()
}

/// `schema` with the `$defs` it references (transitively), so that each
/// tool's schema stands alone.
pub(super) fn with_defs(schema: Value, defs: &Value) -> JsonObject {
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

/// Drops the `description` keywords of a schema and of its subschemas
/// (never a property that is called `description`). Output schemas go
/// without them: the error branch alone, documented, repeated in every tool
/// made `tools/list` pass 1 MiB (the Python SDK's limit for one event) and
/// cost an agent's context most of its size; the operations page documents
/// every field.
pub(super) fn without_descriptions(schema: &mut Value) {
    let Value::Object(m) = schema else { return };
    m.remove("description");
    for (keyword, sub) in m.iter_mut() {
        match (keyword.as_str(), sub) {
            ("properties" | "patternProperties" | "$defs", Value::Object(named)) => {
                named.values_mut().for_each(without_descriptions)
            }
            ("oneOf" | "anyOf" | "allOf" | "prefixItems", Value::Array(list)) => {
                list.iter_mut().for_each(without_descriptions)
            }
            ("items" | "additionalProperties" | "not" | "contains", sub) => {
                without_descriptions(sub)
            }
            _ => {}
        }
    }
}

pub(super) fn refs(v: &Value, out: &mut Vec<String>) {
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
pub(super) fn annotations(name: &str) -> ToolAnnotations {
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
pub(super) fn select(
    tools: Vec<OperationTool>,
    options: &Options,
) -> anyhow::Result<Vec<OperationTool>> {
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

pub(super) fn read_only(a: &ToolAnnotations) -> bool {
    a.read_only_hint == Some(true)
}

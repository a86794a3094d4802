//! The worker's log: one line per event on stderr, as text or as JSON
//! (`--log-format json`). A line never holds a token, a secret, an input
//! or a result.

use std::sync::OnceLock;

use anyhow::bail;
use serde_json::{Map, Value};

/// How lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `goto-worker: <text> (key value, ...)`.
    Text,
    /// One JSON object a line: `message` and the fields.
    Json,
}

impl Format {
    pub fn parse(s: &str) -> anyhow::Result<Format> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => bail!("--log-format takes text or json, not {other:?}"),
        }
    }
}

static FORMAT: OnceLock<Format> = OnceLock::new();

/// Sets the format for the rest of the process (the first call wins).
pub fn init(format: Format) {
    let _ = FORMAT.set(format);
}

/// Writes `message` with `fields` (`None` values left out).
pub fn event(message: &str, fields: &[(&str, Option<Value>)]) {
    event_with(message, fields, &[]);
}

/// [`event`], with `structured` fields only the JSON form carries (the
/// text form says them in `message`).
pub fn event_with(
    message: &str,
    fields: &[(&str, Option<Value>)],
    structured: &[(&str, Option<Value>)],
) {
    let json = FORMAT.get().copied() == Some(Format::Json);
    let present = fields
        .iter()
        .chain(structured.iter().filter(|_| json))
        .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v)));
    let line = match json {
        true => {
            let mut object = Map::new();
            object.insert("message".into(), Value::String(message.into()));
            for (k, v) in present {
                object.insert(k.into(), v.clone());
            }
            Value::Object(object).to_string()
        }
        false => {
            let parts: Vec<String> = present
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k} {s}"),
                    other => format!("{k} {other}"),
                })
                .collect();
            match parts.is_empty() {
                true => format!("goto-worker: {message}"),
                false => format!("goto-worker: {message} ({})", parts.join(", ")),
            }
        }
    };
    eprintln!("{line}");
}

/// A string field.
pub fn text(s: impl Into<String>) -> Option<Value> {
    Some(Value::String(s.into()))
}

/// A number field.
pub fn number(n: impl Into<serde_json::Number>) -> Option<Value> {
    Some(Value::Number(n.into()))
}

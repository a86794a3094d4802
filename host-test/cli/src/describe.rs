//! `describe`: every operation with its doc comment and a JSON Schema of its
//! input and output, derived from the component's WIT (embedded at build
//! time, with its `///` docs) under the JSON mapping of [`goto_host::json`].

use std::collections::BTreeMap;

use anyhow::{Context, anyhow, bail};
use serde_json::{Map, Value, json};
use wit_parser::{Docs, Resolve, Type, TypeDefKind, TypeId, WorldId, WorldItem};

use goto_host::json::camel;

include!(concat!(env!("OUT_DIR"), "/wit_files.rs"));

/// WASI packages in dependency order (each file is one package).
const DEPS_ORDER: &[&str] = &[
    "io",
    "clocks",
    "random",
    "filesystem",
    "sockets",
    "cli",
    "http",
];

/// Parses the embedded WIT and selects the `connector` world.
pub fn resolve() -> anyhow::Result<(Resolve, WorldId)> {
    let mut resolve = Resolve::default();
    for dep in DEPS_ORDER {
        let path = format!("wit/deps/{dep}.wit");
        let (_, text) = WIT_FILES
            .iter()
            .find(|(p, _)| *p == path)
            .ok_or_else(|| anyhow!("{path} is not embedded"))?;
        resolve
            .push_str(&path, text)
            .with_context(|| format!("parsing {path}"))?;
    }
    let mut map = wit_parser::SourceMap::new();
    for (path, text) in WIT_FILES
        .iter()
        .filter(|(p, _)| !p.starts_with("wit/deps/"))
    {
        map.push_str(path, *text);
    }
    let group = map.parse().map_err(|(_, e)| anyhow!("parsing wit/: {e}"))?;
    let pkg = resolve.push_group(group).context("resolving wit/")?;
    let world = resolve.select_world(&[pkg], Some("connector"))?;
    Ok((resolve, world))
}

/// One operation's description.
#[derive(Debug, Clone)]
pub struct OperationDoc {
    pub name: String,
    pub interface: String,
    pub description: String,
    pub input: Value,
    pub output: Value,
}

/// Every exported operation, and the shared type definitions (`$defs`).
pub fn describe() -> anyhow::Result<(Vec<OperationDoc>, Value)> {
    let (resolve, world) = resolve()?;
    let mut schemas = Schemas {
        resolve: &resolve,
        defs: BTreeMap::new(),
    };
    let mut ops = Vec::new();
    for (_, item) in &resolve.worlds[world].exports {
        let WorldItem::Interface { id, .. } = item else {
            continue;
        };
        let iface = &resolve.interfaces[*id];
        let iface_name = resolve.id_of(*id).unwrap_or_default();
        for (name, func) in &iface.functions {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for param in &func.params {
                let key = camel(&param.name);
                if param.name == "connection" {
                    schemas.of(&param.ty); // registers the shared `connection` definition
                    continue;
                }
                if !schemas.is_option(&param.ty) {
                    required.push(Value::String(key.clone()));
                }
                properties.insert(key, schemas.of(&param.ty));
            }
            let input = json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false});
            let output = func.result.as_ref().map_or(Value::Null, |t| schemas.of(t));
            ops.push(OperationDoc {
                name: name.clone(),
                interface: iface_name.clone(),
                description: doc(&func.docs).unwrap_or_default(),
                input,
                output,
            });
        }
    }
    if ops.is_empty() {
        bail!("the connector world exports no operations");
    }
    let defs = Value::Object(schemas.defs.into_iter().collect());
    Ok((ops, defs))
}

fn doc(d: &Docs) -> Option<String> {
    d.contents
        .as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

struct Schemas<'a> {
    resolve: &'a Resolve,
    defs: BTreeMap<String, Value>,
}

impl Schemas<'_> {
    fn is_option(&self, ty: &Type) -> bool {
        match ty {
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::Option(_) => true,
                TypeDefKind::Type(t) => self.is_option(t),
                _ => false,
            },
            _ => false,
        }
    }

    fn of(&mut self, ty: &Type) -> Value {
        match ty {
            Type::Bool => json!({"type": "boolean"}),
            Type::U8 => int(0, u8::MAX.into()),
            Type::U16 => int(0, u16::MAX.into()),
            Type::U32 => int(0, u32::MAX.into()),
            Type::S8 => int(i8::MIN.into(), i8::MAX.into()),
            Type::S16 => int(i16::MIN.into(), i16::MAX.into()),
            Type::S32 => int(i32::MIN.into(), i32::MAX.into()),
            Type::U64 => json!({
                "description": format!("unsigned {}", goto_host::json::INTEGER_RULE),
                "anyOf": [
                    {"type": "string", "pattern": "^(0|[1-9][0-9]{0,19})$"},
                    {"type": "integer", "minimum": 0, "maximum": goto_host::json::MAX_SAFE}
                ]
            }),
            Type::S64 => json!({
                "description": format!("signed {}", goto_host::json::INTEGER_RULE),
                "anyOf": [
                    {"type": "string", "pattern": "^(0|-?[1-9][0-9]{0,18})$"},
                    {"type": "integer", "minimum": -(goto_host::json::MAX_SAFE as i64), "maximum": goto_host::json::MAX_SAFE}
                ]
            }),
            Type::F32 | Type::F64 => json!({"type": "number"}),
            Type::Char => json!({"type": "string", "minLength": 1, "maxLength": 1}),
            Type::String => json!({"type": "string"}),
            Type::ErrorContext => json!({}),
            Type::Id(id) => self.named(*id),
        }
    }

    /// Named records, variants, enums and flags go to `$defs` once.
    fn named(&mut self, id: TypeId) -> Value {
        let def = &self.resolve.types[id];
        let is_definition = matches!(
            def.kind,
            TypeDefKind::Record(_)
                | TypeDefKind::Variant(_)
                | TypeDefKind::Enum(_)
                | TypeDefKind::Flags(_)
        );
        let Some(name) = def.name.clone().filter(|_| is_definition) else {
            return self.anonymous(id);
        };
        if !self.defs.contains_key(&name) {
            self.defs.insert(name.clone(), Value::Null); // placeholder against recursion
            let mut schema = self.anonymous(id);
            if let (Some(d), Value::Object(m)) = (doc(&def.docs), &mut schema) {
                m.insert("description".into(), Value::String(d));
            }
            self.defs.insert(name.clone(), schema);
        }
        json!({"$ref": format!("#/$defs/{name}")})
    }

    fn anonymous(&mut self, id: TypeId) -> Value {
        let def = &self.resolve.types[id];
        match &def.kind {
            TypeDefKind::Record(r) => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for f in &r.fields {
                    let mut s = self.of(&f.ty);
                    if let (Some(d), Value::Object(m)) = (doc(&f.docs), &mut s) {
                        m.insert("description".into(), Value::String(d));
                    }
                    if !self.is_option(&f.ty) {
                        required.push(Value::String(camel(&f.name)));
                    }
                    properties.insert(camel(&f.name), s);
                }
                json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
            }
            TypeDefKind::Variant(v) => {
                let cases: Vec<Value> = v
                    .cases
                    .iter()
                    .map(|c| {
                        let mut s = match &c.ty {
                            None => json!({"const": c.name}),
                            Some(t) => json!({
                                "type": "object", "properties": {c.name.clone(): self.of(t)},
                                "required": [c.name], "additionalProperties": false
                            }),
                        };
                        if let (Some(d), Value::Object(m)) = (doc(&c.docs), &mut s) {
                            m.insert("description".into(), Value::String(d));
                        }
                        s
                    })
                    .collect();
                json!({"oneOf": cases})
            }
            TypeDefKind::Enum(e) => {
                let cases: Vec<Value> = e
                    .cases
                    .iter()
                    .map(|c| match doc(&c.docs) {
                        Some(d) => json!({"const": c.name, "description": d}),
                        None => json!({"const": c.name}),
                    })
                    .collect();
                json!({"oneOf": cases})
            }
            TypeDefKind::Flags(f) => {
                let names: Vec<&str> = f.flags.iter().map(|f| f.name.as_str()).collect();
                json!({"type": "array", "items": {"enum": names}, "uniqueItems": true})
            }
            TypeDefKind::Option(t) => json!({"anyOf": [self.of(t), {"type": "null"}]}),
            TypeDefKind::Result(r) => {
                let ok =
                    r.ok.as_ref()
                        .map_or(json!({"type": "null"}), |t| self.of(t));
                let err = r
                    .err
                    .as_ref()
                    .map_or(json!({"type": "null"}), |t| self.of(t));
                json!({"oneOf": [
                    {"type": "object", "properties": {"ok": ok}, "required": ["ok"], "additionalProperties": false},
                    {"type": "object", "properties": {"error": err}, "required": ["error"], "additionalProperties": false}
                ]})
            }
            TypeDefKind::List(t) => json!({"type": "array", "items": self.of(t)}),
            TypeDefKind::Tuple(t) => {
                let items: Vec<Value> = t.types.iter().map(|t| self.of(t)).collect();
                json!({"type": "array", "prefixItems": items, "minItems": items.len(), "maxItems": items.len()})
            }
            TypeDefKind::Type(t) => self.of(t),
            _ => json!({}),
        }
    }
}

fn int(min: i64, max: i64) -> Value {
    json!({"type": "integer", "minimum": min, "maximum": max})
}

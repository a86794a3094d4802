//! The book's operations page (`docs/src/operations.md`), generated from the
//! WIT: every exported interface with its doc comment, an index of its
//! operations, and each operation's signature and documentation.
//! `goto-host describe --markdown` prints it; a test fails when the
//! committed page differs.

use std::fmt::Write as _;

use anyhow::Context;
use wit_parser::{Docs, Function, Resolve, Type, TypeDefKind, WorldItem};

use crate::describe::resolve;

/// The command that writes the page, as the page and the staleness test
/// name it.
pub const REGENERATE: &str =
    "cargo run -q -p goto-host-cli -- describe --markdown > docs/src/operations.md";

/// The operations page, in Markdown.
pub fn operations_page() -> anyhow::Result<String> {
    let (resolve, world) = resolve()?;
    let package = resolve.worlds[world]
        .package
        .map(|p| &resolve.packages[p].name)
        .context("the connector world has no package")?;
    let version = package
        .version
        .as_ref()
        .map(|v| format!("@{v}"))
        .unwrap_or_default();
    let world_name = format!(
        "{}:{}/{}{version}",
        package.namespace, package.name, resolve.worlds[world].name
    );
    let interfaces: Vec<_> = resolve.worlds[world]
        .exports
        .values()
        .filter_map(|item| match item {
            WorldItem::Interface { id, .. } => Some(&resolve.interfaces[*id]),
            _ => None,
        })
        .collect();
    let total: usize = interfaces.iter().map(|i| i.functions.len()).sum();
    let mut page = String::new();
    let _ = write!(
        page,
        "# Operations\n\n\
         <!-- Generated from wit/*.wit by `{REGENERATE}`; do not edit. -->\n\n\
         The world `{world_name}` exports {total} operations in {} interfaces. \
         What every operation shares (the connection, the result, validation, the JSON \
         spelling) is in [Calling operations](calling.md); `goto-host describe <operation>` \
         prints the JSON Schemas of one operation's input and output, and [The WIT](wit.md) \
         holds every type.\n\n\
         | interface | operations | what it covers |\n|---|---|---|\n",
        interfaces.len()
    );
    for iface in &interfaces {
        let name = iface.name.as_deref().unwrap_or_default();
        let _ = writeln!(
            page,
            "| [`{name}`](#{name}) | {} | {} |",
            iface.functions.len(),
            cell(&first_sentence(&iface.docs))
        );
    }
    for iface in &interfaces {
        let name = iface.name.as_deref().unwrap_or_default();
        let _ = write!(page, "\n## `{name}`\n\n{}\n\n", text(&iface.docs));
        page.push_str("| operation | what it does |\n|---|---|\n");
        for func in iface.functions.values() {
            let _ = writeln!(
                page,
                "| [`{0}`](#{0}) | {1} |",
                func.name,
                cell(&first_sentence(&func.docs))
            );
        }
        for func in iface.functions.values() {
            let _ = write!(
                page,
                "\n### `{}`\n\n```wit\n{}\n```\n\n{}\n",
                func.name,
                signature(&resolve, func),
                text(&func.docs)
            );
        }
    }
    Ok(page)
}

/// `name: func(param: type, ...) -> result`, as the WIT spells it.
fn signature(resolve: &Resolve, func: &Function) -> String {
    let params: Vec<String> = func
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, type_name(resolve, &p.ty)))
        .collect();
    let result = func
        .result
        .as_ref()
        .map(|t| format!(" -> {}", type_name(resolve, t)))
        .unwrap_or_default();
    format!("{}: func({}){result}", func.name, params.join(", "))
}

fn type_name(resolve: &Resolve, ty: &Type) -> String {
    let id = match ty {
        Type::Id(id) => *id,
        Type::Bool => return "bool".into(),
        Type::U8 => return "u8".into(),
        Type::U16 => return "u16".into(),
        Type::U32 => return "u32".into(),
        Type::U64 => return "u64".into(),
        Type::S8 => return "s8".into(),
        Type::S16 => return "s16".into(),
        Type::S32 => return "s32".into(),
        Type::S64 => return "s64".into(),
        Type::F32 => return "f32".into(),
        Type::F64 => return "f64".into(),
        Type::Char => return "char".into(),
        Type::String => return "string".into(),
        Type::ErrorContext => return "error-context".into(),
    };
    let def = &resolve.types[id];
    if let Some(name) = &def.name {
        return name.clone();
    }
    let of = |t: &Type| type_name(resolve, t);
    match &def.kind {
        TypeDefKind::Option(t) => format!("option<{}>", of(t)),
        TypeDefKind::List(t) => format!("list<{}>", of(t)),
        TypeDefKind::Tuple(t) => {
            let items: Vec<String> = t.types.iter().map(of).collect();
            format!("tuple<{}>", items.join(", "))
        }
        TypeDefKind::Result(r) => match (&r.ok, &r.err) {
            (Some(ok), Some(err)) => format!("result<{}, {}>", of(ok), of(err)),
            (None, Some(err)) => format!("result<_, {}>", of(err)),
            (Some(ok), None) => format!("result<{}>", of(ok)),
            (None, None) => "result".into(),
        },
        TypeDefKind::Type(t) => of(t),
        _ => "unknown".into(),
    }
}

/// The doc comment as Markdown (its own lines), or a note that it has none.
fn text(docs: &Docs) -> String {
    docs.contents
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or("(undocumented)")
        .to_string()
}

/// The doc comment's first sentence, on one line.
fn first_sentence(docs: &Docs) -> String {
    let flat = text(docs).split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..=end].to_string(),
        None => flat,
    }
}

/// `s` made safe for a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

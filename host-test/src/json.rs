//! The JSON view of component values, for any exported function:
//! records are objects with lowerCamelCase keys, options are the value or
//! null/absent, enums and payload-less cases are their name, a case with a
//! payload is `{"case": payload}`, results are `{"ok": ..}` / `{"error": ..}`,
//! flags are arrays of names.
//!
//! u64 and s64 have one rule ([`INTEGER_RULE`]): they are written as strings
//! of decimal digits, always, so a field has one JSON type in every record
//! and no JavaScript engine rounds a key above 2^53; they are read from such
//! a string, or from a JSON integer within ±(2^53 − 1), the integers every
//! JSON parser holds exactly. A larger JSON integer is refused: it may
//! already have been rounded on its way here.

use serde_json::{Map, Number, Value};
use wasmtime::component::{Type, Val};

/// Largest integer a JSON consumer using doubles holds exactly.
pub const MAX_SAFE: u64 = (1 << 53) - 1;

/// The JSON rule for 64-bit integers, as `describe` states it.
pub const INTEGER_RULE: &str = "a 64-bit integer: written as a string of decimal digits (always a string, whatever its size, so JavaScript never rounds it); read from such a string, or from a JSON integer up to 2^53 - 1 in magnitude (a larger JSON integer is refused, as it may already have been rounded)";

/// `meeting-id` → `meetingId`.
pub fn camel(kebab: &str) -> String {
    camel_owned(kebab.to_string())
}

/// [`camel`] on a name the caller owns: done in place, so a lifted field
/// name (already a `String` of its own) becomes its JSON key without a
/// second allocation, and a name without hyphens is returned as it is.
fn camel_owned(mut name: String) -> String {
    // Only ASCII changes (the letter after a hyphen is upper-cased, then the
    // hyphens go), so no Unicode case tables run and nothing is allocated.
    let mut from = 0;
    while let Some(i) = name[from..].find('-') {
        from += i + 1;
        // None when no character or a non-ASCII one follows: nothing to raise.
        if let Some(letter) = name.get_mut(from..from + 1) {
            letter.make_ascii_uppercase();
        }
    }
    if from > 0 {
        name.retain(|c| c != '-');
    }
    name
}

/// A component value as JSON. Takes the value, so its strings and field
/// names move into the JSON instead of being copied (a 10,000-meeting
/// listing holds some 200,000 of them).
pub fn from_val(v: Val) -> Value {
    match v {
        Val::Bool(b) => Value::Bool(b),
        Val::S8(n) => n.into(),
        Val::U8(n) => n.into(),
        Val::S16(n) => n.into(),
        Val::U16(n) => n.into(),
        Val::S32(n) => n.into(),
        Val::U32(n) => n.into(),
        Val::S64(n) => Value::String(n.to_string()),
        Val::U64(n) => Value::String(n.to_string()),
        Val::Float32(f) => Number::from_f64(f64::from(f)).map_or(Value::Null, Value::Number),
        Val::Float64(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        Val::Char(c) => Value::String(c.to_string()),
        Val::String(s) => Value::String(s),
        Val::List(items) | Val::Tuple(items) | Val::FixedLengthList(items) => {
            Value::Array(items.into_iter().map(from_val).collect())
        }
        Val::Record(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (camel_owned(k), from_val(v)))
                .collect(),
        ),
        Val::Variant(case, None) | Val::Enum(case) => Value::String(case),
        Val::Variant(case, Some(payload)) => single(case, from_val(*payload)),
        Val::Option(None) => Value::Null,
        Val::Option(Some(v)) => from_val(*v),
        Val::Result(Ok(v)) => single("ok".into(), v.map_or(Value::Null, |v| from_val(*v))),
        Val::Result(Err(v)) => single("error".into(), v.map_or(Value::Null, |v| from_val(*v))),
        Val::Flags(names) => Value::Array(names.into_iter().map(Value::String).collect()),
        Val::Map(entries) => Value::Array(
            entries
                .into_iter()
                .map(|(k, v)| Value::Array(vec![from_val(k), from_val(v)]))
                .collect(),
        ),
        Val::Resource(_) | Val::Future(_) | Val::Stream(_) | Val::ErrorContext(_) => Value::Null,
    }
}

fn single(key: String, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(key, v);
    Value::Object(m)
}

/// Reads JSON as a value of type `ty`; `path` names the place for errors.
pub fn to_val(v: &Value, ty: &Type, path: &str) -> Result<Val, String> {
    let wrong = |want: &str| Err(format!("{path}: expected {want}, got {}", describe(v)));
    Ok(match ty {
        Type::Bool => match v {
            Value::Bool(b) => Val::Bool(*b),
            _ => return wrong("true or false"),
        },
        Type::U8 => Val::U8(int(v, path)?),
        Type::U16 => Val::U16(int(v, path)?),
        Type::U32 => Val::U32(int(v, path)?),
        Type::U64 => Val::U64(int64(v, path)?),
        Type::S8 => Val::S8(int(v, path)?),
        Type::S16 => Val::S16(int(v, path)?),
        Type::S32 => Val::S32(int(v, path)?),
        Type::S64 => Val::S64(int64(v, path)?),
        Type::Float32 => match v.as_f64() {
            Some(f) => Val::Float32(f as f32),
            None => return wrong("a number"),
        },
        Type::Float64 => match v.as_f64() {
            Some(f) => Val::Float64(f),
            None => return wrong("a number"),
        },
        Type::Char => match v.as_str().map(|s| (s.chars().next(), s.chars().count())) {
            Some((Some(c), 1)) => Val::Char(c),
            _ => return wrong("a single character"),
        },
        Type::String => match v {
            Value::String(s) => Val::String(s.clone()),
            _ => return wrong("a string"),
        },
        Type::List(list) => match v {
            Value::Array(items) => Val::List(items_to_vals(items, |_| list.ty(), path)?),
            _ => return wrong("an array"),
        },
        Type::Record(record) => match v {
            Value::Object(obj) => record_to_val(obj, record, path)?,
            _ => return wrong("an object"),
        },
        Type::Tuple(tuple) => match v {
            Value::Array(items) if items.len() == tuple.types().len() => {
                let types: Vec<Type> = tuple.types().collect();
                Val::Tuple(items_to_vals(items, |i| types[i].clone(), path)?)
            }
            _ => return wrong(&format!("an array of {}", tuple.types().len())),
        },
        Type::Variant(variant) => variant_to_val(v, variant, path)?,
        Type::Enum(e) => match v.as_str() {
            Some(s) if e.names().any(|n| n == s) => Val::Enum(s.to_string()),
            _ => {
                let names: Vec<&str> = e.names().collect();
                return wrong(&format!("one of {}", names.join(", ")));
            }
        },
        Type::Option(o) => match v {
            Value::Null => Val::Option(None),
            other => Val::Option(Some(Box::new(to_val(other, &o.ty(), path)?))),
        },
        Type::Result(r) => result_to_val(v, r, path)?,
        Type::Flags(flags) => match flag_names(v, flags) {
            Some(names) => Val::Flags(names),
            None => return wrong("an array of flag names"),
        },
        _ => return Err(format!("{path}: this type cannot be given as JSON")),
    })
}

/// The items of a list or tuple, the `i`th of type `ty(i)`, each error
/// naming `path[i]`.
fn items_to_vals(
    items: &[Value],
    ty: impl Fn(usize) -> Type,
    path: &str,
) -> Result<Vec<Val>, String> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| to_val(item, &ty(i), &format!("{path}[{i}]")))
        .collect()
}

fn record_to_val(
    obj: &Map<String, Value>,
    record: &wasmtime::component::types::Record,
    path: &str,
) -> Result<Val, String> {
    // (WIT name, JSON key, type) of each field, the key made once.
    let fields: Vec<_> = record
        .fields()
        .map(|f| (f.name.to_string(), camel(f.name), f.ty))
        .collect();
    if let Some(unknown) = obj
        .keys()
        .find(|k| !fields.iter().any(|(_, key, _)| key == *k))
    {
        let known: Vec<&str> = fields.iter().map(|(_, key, _)| key.as_str()).collect();
        return Err(format!(
            "{path}: unknown field {unknown:?}; fields are {}",
            known.join(", ")
        ));
    }
    let values = fields
        .into_iter()
        .map(|(name, key, fty)| {
            let sub = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let field = obj.get(&key).unwrap_or(&Value::Null);
            if field.is_null() && !matches!(fty, Type::Option(_)) {
                return Err(format!("{sub}: required"));
            }
            Ok((name, to_val(field, &fty, &sub)?))
        })
        .collect::<Result<_, String>>()?;
    Ok(Val::Record(values))
}

fn variant_to_val(
    v: &Value,
    variant: &wasmtime::component::types::Variant,
    path: &str,
) -> Result<Val, String> {
    let (case, payload) = case_of(v).ok_or_else(|| {
        format!(
            "{path}: expected a case name or {{\"case\": value}}, got {}",
            describe(v)
        )
    })?;
    let names: Vec<&str> = variant.cases().map(|c| c.name).collect();
    let Some(c) = variant.cases().find(|c| c.name == case) else {
        return Err(format!(
            "{path}: unknown case {case:?}; cases are {}",
            names.join(", ")
        ));
    };
    match (c.ty, payload) {
        (None, None) => Ok(Val::Variant(case.to_string(), None)),
        (Some(t), Some(p)) => Ok(Val::Variant(
            case.to_string(),
            Some(Box::new(to_val(p, &t, &format!("{path}.{case}"))?)),
        )),
        (Some(_), None) => Err(format!(
            "{path}: case {case:?} needs a value: {{\"{case}\": ...}}"
        )),
        (None, Some(_)) => Err(format!(
            "{path}: case {case:?} takes no value; write \"{case}\""
        )),
    }
}

fn result_to_val(
    v: &Value,
    r: &wasmtime::component::types::ResultType,
    path: &str,
) -> Result<Val, String> {
    let (case, payload) = case_of(v)
        .ok_or_else(|| format!("{path}: expected {{\"ok\": ..}} or {{\"error\": ..}}"))?;
    let read = |t: Option<Type>, p: Option<&Value>| -> Result<Option<Box<Val>>, String> {
        match t {
            Some(t) => Ok(Some(Box::new(to_val(p.unwrap_or(&Value::Null), &t, path)?))),
            None => Ok(None),
        }
    };
    match case {
        "ok" => Ok(Val::Result(Ok(read(r.ok(), payload)?))),
        "error" => Ok(Val::Result(Err(read(r.err(), payload)?))),
        _ => Err(format!(
            "{path}: expected {{\"ok\": ..}} or {{\"error\": ..}}, got {}",
            describe(v)
        )),
    }
}

/// The flag names of `v` when it is an array of names `flags` has.
fn flag_names(v: &Value, flags: &wasmtime::component::types::Flags) -> Option<Vec<String>> {
    let Value::Array(items) = v else {
        return None;
    };
    items
        .iter()
        .map(|item| {
            item.as_str()
                .filter(|s| flags.names().any(|n| n == *s))
                .map(str::to_string)
        })
        .collect()
}

/// `"case"` → (case, None); `{"case": payload}` → (case, Some(payload)).
fn case_of(v: &Value) -> Option<(&str, Option<&Value>)> {
    match v {
        Value::String(s) => Some((s.as_str(), None)),
        Value::Object(m) if m.len() == 1 => m.iter().next().map(|(k, p)| (k.as_str(), Some(p))),
        _ => None,
    }
}

fn int<T: TryFrom<i128>>(v: &Value, path: &str) -> Result<T, String> {
    let n: Option<i128> = match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    n.and_then(|n| T::try_from(n).ok()).ok_or_else(|| {
        format!(
            "{path}: expected a whole number in range (or a decimal string), got {}",
            describe(v)
        )
    })
}

/// A u64 or s64 under [`INTEGER_RULE`]: a decimal string (an optional `-`,
/// no leading zeros or spaces), or a JSON integer within ±(2^53 − 1).
fn int64<T: TryFrom<i128>>(v: &Value, path: &str) -> Result<T, String> {
    let n: Option<i128> = match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .filter(|n| n.unsigned_abs() <= u128::from(MAX_SAFE)),
        Value::String(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            let canonical = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'))
                && s != "-0";
            canonical.then(|| s.parse().ok()).flatten()
        }
        _ => None,
    };
    n.and_then(|n| T::try_from(n).ok()).ok_or_else(|| {
        format!(
            "{path}: expected a 64-bit integer as a string of decimal digits (or a JSON integer up to 2^53 - 1), got {}",
            describe(v)
        )
    })
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.len() > 40 => "a long string".into(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_wit_names() {
        assert_eq!(camel("meeting-id"), "meetingId");
        assert_eq!(camel("join-url"), "joinUrl");
        assert_eq!(camel("subject"), "subject");
        assert_eq!(camel("retry-after-seconds"), "retryAfterSeconds");
        // Not a WIT name, but the text must survive whole.
        assert_eq!(camel("naïve-wert"), "naïveWert");
        // Edges of the in-place rewrite, as the word-by-word one gave them.
        assert_eq!(camel("a--b"), "aB");
        assert_eq!(camel("-x"), "X");
        assert_eq!(camel("x-"), "x");
        assert_eq!(camel("x-ïb"), "xïb");
    }

    #[test]
    fn records_become_objects_with_camel_keys() {
        let meeting = Val::Record(vec![
            ("meeting-id".into(), Val::U64(200000000016584808)),
            ("subject".into(), Val::String("Weekly".into())),
            ("join-url".into(), Val::Option(None)),
            (
                "status".into(),
                Val::Variant("ended".into(), Some(Box::new(Val::U32(3)))),
            ),
        ]);
        assert_eq!(
            from_val(Val::Result(Ok(Some(Box::new(meeting))))),
            serde_json::json!({"ok": {
                "meetingId": "200000000016584808",
                "subject": "Weekly",
                "joinUrl": null,
                "status": {"ended": 3},
            }})
        );
    }

    #[test]
    fn every_64_bit_integer_is_a_string_whatever_its_size() {
        for (v, text) in [
            (Val::U64(200000000016584808), "200000000016584808"),
            (Val::U64(569897550), "569897550"),
            (Val::U64(0), "0"),
            (Val::U64(u64::MAX), "18446744073709551615"),
            (Val::S64(-5), "-5"),
            (Val::S64(i64::MIN), "-9223372036854775808"),
        ] {
            assert_eq!(from_val(v), Value::String(text.into()));
        }
        // Narrower integers stay numbers: every one fits a double.
        assert_eq!(from_val(Val::U32(u32::MAX)), serde_json::json!(u32::MAX));
    }

    #[test]
    fn u64_is_read_from_strings_and_safe_integers_exactly() {
        let read = |v: Value| to_val(&v, &Type::U64, "k");
        assert!(matches!(
            read(serde_json::json!("8439885694023999999")),
            Ok(Val::U64(8439885694023999999))
        ));
        assert!(matches!(read(serde_json::json!(12)), Ok(Val::U64(12))));
        assert!(matches!(
            read(serde_json::json!(MAX_SAFE)),
            Ok(Val::U64(MAX_SAFE))
        ));
        assert!(matches!(read(serde_json::json!("0")), Ok(Val::U64(0))));
        // A JSON integer past 2^53 - 1 may have been rounded already.
        assert!(read(serde_json::json!(MAX_SAFE + 1)).is_err());
        assert!(read(serde_json::json!(8439885694023999999u64)).is_err());
        for bad in [
            serde_json::json!(-1),
            serde_json::json!(1.5),
            serde_json::json!("12x"),
            serde_json::json!(" 12"),
            serde_json::json!("+12"),
            serde_json::json!("012"),
            serde_json::json!(""),
            serde_json::json!("-1"),
            serde_json::json!("18446744073709551616"),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
        assert!(matches!(
            to_val(&serde_json::json!("-9223372036854775808"), &Type::S64, "k"),
            Ok(Val::S64(i64::MIN))
        ));
        assert!(to_val(&serde_json::json!("-0"), &Type::S64, "k").is_err());
        assert!(to_val(&serde_json::json!(300), &Type::U8, "k").is_err());
    }
}

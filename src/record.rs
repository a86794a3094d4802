//! Lenient reading of GoTo's JSON records.
//!
//! GoTo drifts: keys change case (`meetingId`/`meetingid`), ids come as numbers
//! (some above 2^53) or strings, booleans as `"false"`, counts as strings,
//! empty strings mean "no value", and times come in several formats. Every
//! record goes through [`Record`], so each quirk is handled once, here.
//! A value of a type we cannot coerce is an error naming the field: wrong
//! data is never silently dropped.

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::time;

/// Why a record could not be read; becomes `error::invalid-response`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeError(pub String);

impl ShapeError {
    fn field(name: &str, expected: &str, got: &Value) -> Self {
        ShapeError(format!(
            "field `{name}`: expected {expected}, got {}",
            kind(got)
        ))
    }
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a long string".into(),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

pub type Result<T> = std::result::Result<T, ShapeError>;

/// One JSON object from GoTo, read leniently: its fields in the order GoTo
/// sent them. A list, not a map: fields are found by a case-insensitive scan
/// anyway, and a list costs one allocation per record where a map costs a
/// tree (this is the hot path of every large listing).
pub struct Record(pub Vec<(String, Value)>);

impl From<Map<String, Value>> for Record {
    fn from(m: Map<String, Value>) -> Record {
        Record(m.into_iter().collect())
    }
}

impl Record {
    /// Wraps a value that must be an object.
    pub fn from_value(v: Value) -> Result<Record> {
        match v {
            Value::Object(m) => Ok(Record::from(m)),
            other => Err(ShapeError(format!(
                "expected an object, got {}",
                kind(&other)
            ))),
        }
    }

    /// The first of `names` present with a non-null, non-empty value; key
    /// case is ignored (GoTo sends `meetingid` and `meetingId` for one field).
    fn get(&self, names: &[&str]) -> Option<(&str, &Value)> {
        names.iter().find_map(|want| {
            // The name first: it rejects most keys on their length alone.
            self.0
                .iter()
                .find(|(k, v)| k.eq_ignore_ascii_case(want) && !blank(v))
                .map(|(k, v)| (k.as_str(), v))
        })
    }

    /// An id: a JSON number or a decimal string, kept exact in a u64.
    pub fn id(&self, names: &[&str]) -> Result<Option<u64>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        parsed.map(Some).ok_or_else(|| {
            ShapeError::field(name, "an id (a whole number or a string of digits)", v)
        })
    }

    /// A required id.
    pub fn required_id(&self, names: &[&str]) -> Result<u64> {
        self.id(names)?.ok_or_else(|| missing(names))
    }

    /// A count or size that fits in u32, as a number or a decimal string.
    pub fn count(&self, names: &[&str]) -> Result<Option<u32>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => s.trim().parse::<u32>().ok(),
            _ => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| ShapeError::field(name, "a whole number", v))
    }

    /// A boolean, also from the strings `"true"`/`"false"` older GoTo sends.
    pub fn flag(&self, names: &[&str]) -> Result<Option<bool>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        match v {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(ShapeError::field(name, "a boolean", v)),
        }
    }

    /// Text; numbers are accepted and written in decimal. Empty means absent.
    pub fn text(&self, names: &[&str]) -> Result<Option<String>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        match v {
            Value::String(s) => Ok(Some(s.clone())),
            Value::Number(n) => Ok(Some(n.to_string())),
            _ => Err(ShapeError::field(name, "text", v)),
        }
    }

    /// Required text.
    pub fn required_text(&self, names: &[&str]) -> Result<String> {
        self.text(names)?.ok_or_else(|| missing(names))
    }

    /// An instant in any format GoTo sends, as RFC 3339 UTC.
    pub fn time(&self, names: &[&str]) -> Result<Option<String>> {
        Ok(self.instant(names)?.map(time::format))
    }

    /// An instant in any format GoTo sends (numbers are epoch milliseconds).
    pub fn instant(&self, names: &[&str]) -> Result<Option<time::Instant>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        match v {
            Value::String(s) => {
                time::parse_goto(s).map_err(|e| ShapeError(format!("field `{name}`: {e}")))
            }
            Value::Number(n) => n
                .as_i64()
                .and_then(time::from_epoch_millis)
                .map(Some)
                .ok_or_else(|| ShapeError::field(name, "epoch milliseconds", v)),
            _ => Err(ShapeError::field(name, "a time", v)),
        }
    }

    /// A list of ids (numbers or strings); absent means empty.
    pub fn ids(&self, names: &[&str]) -> Result<Vec<u64>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = v else {
            return Err(ShapeError::field(name, "a list of ids", v));
        };
        items
            .iter()
            .map(|item| match item {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(|| ShapeError(format!("field `{name}`: expected a list of ids")))
    }

    /// A nested object.
    pub fn object(&self, names: &[&str]) -> Result<Option<Record>> {
        match self.get(names) {
            None => Ok(None),
            Some((_, Value::Object(m))) => Ok(Some(Record::from(m.clone()))),
            Some((name, v)) => Err(ShapeError::field(name, "an object", v)),
        }
    }

    /// A nested list of objects, each read with `read`; absent means empty.
    pub fn list<T>(&self, names: &[&str], read: impl Fn(&Record) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(names, &mut |r| {
            out.push(read(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// [`Record::list`]'s walk, not generic over the item type: one copy
    /// instead of one per nested list (about 1 to 2 KB each).
    fn each(&self, names: &[&str], f: &mut dyn FnMut(&Record) -> Result<()>) -> Result<()> {
        let Some((name, v)) = self.get(names) else {
            return Ok(());
        };
        let Value::Array(items) = v else {
            return Err(ShapeError::field(name, "a list", v));
        };
        for (i, item) in items.iter().enumerate() {
            Record::from_value(item.clone())
                .and_then(|rec| f(&rec))
                .map_err(|e| ShapeError(format!("field `{name}`[{i}]: {}", e.0)))?;
        }
        Ok(())
    }
}

/// Null or an all-blank string: GoTo's "no value".
fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn missing(names: &[&str]) -> ShapeError {
    ShapeError(format!("field `{}` is missing", names[0]))
}

/// Reads a body that holds a list of records: a bare array, or an object that
/// wraps the array in one of `wrappers` (GoTo's undocumented `{"meetings": [...]}`).
/// Array elements are read one at a time, so the body is never held twice as a tree.
pub fn read_list<T>(
    body: &[u8],
    wrappers: &[&str],
    read: &dyn Fn(&Record) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    read_records(body, wrappers, &mut |r| {
        out.push(read(r)?);
        Ok(())
    })?;
    Ok(out)
}

/// [`read_list`]'s work, not generic over the output type: the JSON reader
/// (serde_json's parser and our visitor) is compiled once for every listing
/// instead of once per record type (about 4 KB each).
pub fn read_records(
    body: &[u8],
    wrappers: &[&str],
    each: &mut dyn FnMut(&Record) -> Result<()>,
) -> Result<()> {
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_any(ListVisitor {
        wrappers,
        nested: false,
        each,
    })
    .map_err(|e| ShapeError(e.to_string()))?;
    de.end().map_err(|e| ShapeError(e.to_string()))
}

/// Reads a body that holds one record: an object, or an array whose first
/// element is it (GoTo answers `GET /meetings/{id}` with an array of one).
/// `Ok(None)` for an empty array.
pub fn read_one<T>(body: &[u8], read: &dyn Fn(&Record) -> Result<T>) -> Result<Option<T>> {
    match one_record(body)? {
        Some(r) => read(&r).map(Some),
        None => Ok(None),
    }
}

/// [`read_one`]'s parsing, not generic (see [`read_records`]).
pub fn one_record(body: &[u8]) -> Result<Option<Record>> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    match value {
        Value::Array(items) => items.into_iter().next().map(Record::from_value).transpose(),
        other => Record::from_value(other).map(Some),
    }
}

struct ListVisitor<'a> {
    wrappers: &'a [&'a str],
    /// True for the value under a wrapper key: an object there is not
    /// searched for another wrapper.
    nested: bool,
    each: &'a mut dyn FnMut(&Record) -> Result<()>,
}

/// The error for a body that is not a list, worded as serde_json words it
/// (`invalid type: string "x", expected a list of records`). Written here
/// because serde's default `visit_*` methods (and `deserialize_seq`) build it
/// through `de::Unexpected`, whose Display has an f64 arm that serde_json
/// never reaches (it writes floats itself) but that links core's float
/// formatting: about 35 KB of the component.
fn not_a_list<E: serde::de::Error>(got: std::fmt::Arguments) -> E {
    E::custom(format_args!(
        "invalid type: {got}, expected a list of records"
    ))
}

impl<'de> Visitor<'de> for ListVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<(), E> {
        Err(not_a_list(format_args!("boolean `{v}`")))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<(), E> {
        Err(not_a_list(format_args!("integer `{v}`")))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<(), E> {
        Err(not_a_list(format_args!("integer `{v}`")))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<(), E> {
        // serde_json's own float writer; JSON numbers are always finite.
        match serde_json::Number::from_f64(v) {
            Some(n) => Err(not_a_list(format_args!("floating point `{n}`"))),
            None => Err(not_a_list(format_args!("floating point"))),
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
        Err(not_a_list(format_args!("string {v:?}")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Err(not_a_list(format_args!("null")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut index = 0usize;
        while let Some(element) = seq.next_element::<Element>()? {
            let record = match element {
                Element::Fields(fields) => Ok(Record(fields)),
                Element::Other(v) => Record::from_value(v),
            };
            record
                .and_then(|r| (self.each)(&r))
                .map_err(|e| serde::de::Error::custom(format_args!("item {index}: {}", e.0)))?;
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<(), A::Error> {
        if self.nested {
            return Err(not_a_list(format_args!("map")));
        }
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if !found && self.wrappers.iter().any(|w| w.eq_ignore_ascii_case(&key)) {
                map.next_value_seed(ListSeed(ListVisitor {
                    wrappers: &[],
                    nested: true,
                    each: &mut *self.each,
                }))?;
                found = true;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(serde::de::Error::custom(
                "expected a list of records, got an object",
            ))
        }
    }
}

/// One element of a list: an object's fields read straight into a
/// [`Record`]'s list, or any other value (which the reader then rejects,
/// naming what it got).
enum Element {
    Fields(Vec<(String, Value)>),
    Other(Value),
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Element, D::Error> {
        d.deserialize_any(ElementVisitor)
    }
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Element, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(16).min(64));
        while let Some(entry) = map.next_entry::<String, Value>()? {
            fields.push(entry);
        }
        Ok(Element::Fields(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Element, A::Error> {
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(Element::Other)
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Element, E> {
        Ok(Element::Other(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Element, E> {
        Ok(Element::Other(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Element, E> {
        Ok(Element::Other(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Element, E> {
        Ok(Element::Other(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Element, E> {
        Ok(Element::Other(Value::String(v.to_owned())))
    }

    fn visit_unit<E>(self) -> std::result::Result<Element, E> {
        Ok(Element::Other(Value::Null))
    }
}

struct ListSeed<'a>(ListVisitor<'a>);

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        // Not `deserialize_seq`: its error path goes through `de::Unexpected`
        // (see `not_a_list`); the visitor refuses what is not a list itself.
        d.deserialize_any(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: Value) -> Record {
        Record::from_value(v).unwrap()
    }

    #[test]
    fn ids_keep_all_64_bits_from_numbers_and_strings() {
        let r = rec(
            json!({"uniqueMeetingId": 200000000016584808u64, "organizerKey": "8439885694023999999"}),
        );
        assert_eq!(
            r.id(&["uniqueMeetingId"]).unwrap(),
            Some(200000000016584808)
        );
        assert_eq!(r.id(&["organizerKey"]).unwrap(), Some(8439885694023999999));
        assert!(rec(json!({"k": 1.5})).id(&["k"]).is_err());
        assert!(rec(json!({"k": -3})).id(&["k"]).is_err());
        assert!(rec(json!({"k": "12ab"})).id(&["k"]).is_err());
    }

    #[test]
    fn keys_match_whatever_their_case_and_empty_means_absent() {
        let r = rec(json!({"meetingid": 5, "createTime": "", "groupName": null}));
        assert_eq!(r.id(&["meetingId"]).unwrap(), Some(5));
        assert_eq!(r.time(&["createTime"]).unwrap(), None);
        assert_eq!(r.text(&["groupName"]).unwrap(), None);
        // Both spellings present: the first non-empty wins.
        let r = rec(json!({"organizerKey": "", "organizerkey": 7}));
        assert_eq!(r.id(&["organizerKey"]).unwrap(), Some(7));
    }

    #[test]
    fn string_booleans_and_counts_are_coerced_but_wrong_types_fail() {
        let r = rec(json!({"a": "false", "b": true, "c": "60", "d": 3, "e": [1]}));
        assert_eq!(r.flag(&["a"]).unwrap(), Some(false));
        assert_eq!(r.flag(&["b"]).unwrap(), Some(true));
        assert_eq!(r.count(&["c"]).unwrap(), Some(60));
        assert_eq!(r.count(&["d"]).unwrap(), Some(3));
        assert!(r.flag(&["c"]).is_err());
        assert!(r.text(&["e"]).is_err());
        let err = r.count(&["e"]).unwrap_err();
        assert!(err.0.contains("`e`"), "{err:?}");
    }

    #[test]
    fn lists_come_bare_or_wrapped_and_items_are_checked() {
        let read = |r: &Record| r.required_id(&["meetingId"]);
        assert_eq!(
            read_list(
                br#"[{"meetingId":1},{"meetingid":"2"}]"#,
                &["meetings"],
                &read
            )
            .unwrap(),
            vec![1, 2]
        );
        assert_eq!(
            read_list(
                br#"{"meetings":[{"meetingId":3}],"x":1}"#,
                &["meetings"],
                &read
            )
            .unwrap(),
            vec![3]
        );
        assert_eq!(
            read_list(b"[]", &["meetings"], &read).unwrap(),
            Vec::<u64>::new()
        );
        let err = read_list(
            br#"[{"meetingId":1},{"subject":"x"}]"#,
            &["meetings"],
            &read,
        )
        .unwrap_err();
        assert!(
            err.0.contains("item 1") && err.0.contains("meetingId"),
            "{err:?}"
        );
        assert!(read_list(br#"{"other":[]}"#, &["meetings"], &read).is_err());
        assert!(read_list(b"[1,2]", &[], &read).is_err());
        // An element that is not an object is named in the error, whatever it is.
        for (body, got) in [
            ("[5]", "number 5"),
            ("[-2.5]", "number -2.5"),
            (r#"["x"]"#, r#"string "x""#),
            ("[null]", "null"),
            ("[true]", "boolean true"),
            ("[[1]]", "an array"),
        ] {
            let err = read_list(body.as_bytes(), &[], &read).unwrap_err();
            assert!(
                err.0.contains("item 0: expected an object, got ") && err.0.contains(got),
                "{body}: {err:?}"
            );
        }
        assert!(read_list(b"[{\"meetingId\":1}", &[], &read).is_err());
        assert!(read_list(b"[] trailing", &[], &read).is_err());
    }

    #[test]
    fn a_body_that_is_not_a_list_is_named_as_serde_json_names_it() {
        // The wording serde_json gave when these errors went through
        // `de::Unexpected`; `not_a_list` writes it now.
        let read = |r: &Record| r.required_id(&["meetingId"]);
        for (body, want) in [
            (r#""a\"b\u00e9\n""#, r#"string "a\"bé\n""#),
            ("-5", "integer `-5`"),
            ("7", "integer `7`"),
            ("1e3", "floating point `1000.0`"),
            (
                "18446744073709551616",
                "floating point `1.8446744073709552e+19`",
            ),
            ("false", "boolean `false`"),
            ("null", "null"),
            (r#"{"meetings": 2.5}"#, "floating point `2.5`"),
            (r#"{"meetings": "y"}"#, r#"string "y""#),
            (r#"{"meetings": {}}"#, "map"),
        ] {
            let err = read_list(body.as_bytes(), &["meetings"], &read).unwrap_err();
            let want = format!("invalid type: {want}, expected a list of records at line 1 ");
            assert!(err.0.starts_with(&want), "{body}: {err:?}");
        }
    }

    #[test]
    fn one_record_comes_bare_or_as_an_array_of_one() {
        let read = |r: &Record| r.required_id(&["meetingId"]);
        assert_eq!(read_one(br#"[{"meetingId":9}]"#, &read).unwrap(), Some(9));
        assert_eq!(read_one(br#"{"meetingId":9}"#, &read).unwrap(), Some(9));
        assert_eq!(read_one(b"[]", &read).unwrap(), None);
        assert!(read_one(b"\"x\"", &read).is_err());
    }
}

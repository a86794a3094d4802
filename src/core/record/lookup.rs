//! A record's fields and how they are found by name.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

/// Why a record could not be read; becomes `error::invalid-response`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeError(pub String);

impl ShapeError {
    pub(super) fn field(name: &str, expected: &str, got: &Field) -> Self {
        ShapeError(format!(
            "field `{name}`: expected {expected}, got {}",
            kind(got)
        ))
    }
}

fn kind(v: &Field) -> String {
    match v {
        Field::Text(s) if s.chars().count() > 40 => "a long string".into(),
        Field::Text(s) => format!("string {s:?}"),
        Field::Object(_) => "an object".into(),
        Field::Json(Value::Null) => "null".into(),
        Field::Json(Value::Bool(b)) => format!("boolean {b}"),
        Field::Json(Value::Number(n)) => format!("number {n}"),
        Field::Json(Value::String(s)) => kind(&Field::Text(Cow::Borrowed(s))),
        Field::Json(Value::Array(_)) => "an array".into(),
        Field::Json(Value::Object(_)) => "an object".into(),
    }
}

pub type Result<T> = core::result::Result<T, ShapeError>;

/// One JSON object from GoTo, read leniently: its fields in the order GoTo
/// sent them, with a small index for case-insensitive lookups. A list, not a
/// map: it costs one allocation per record where a map costs a tree. Keys
/// and text borrow from the response body where they need no unescaping, so
/// reading a record allocates only for what the caller keeps (this is the
/// hot path of every large listing).
#[derive(Debug, Clone)]
pub struct Record<'a> {
    fields: Vec<Entry<'a>>,
    /// Open-addressing index of the first [`INDEXED`] fields by [`tag`]:
    /// `n` is `fields[n - 1]`, 0 an empty slot. Readers look up every field
    /// of every record by name, and a scan per lookup was a fifth of a large
    /// listing's time in wasm.
    slots: [u8; SLOTS],
}

const SLOTS: usize = 64;
/// Fields beyond these (no GoTo record has that many) are scanned.
const INDEXED: usize = 48;

impl Default for Record<'_> {
    fn default() -> Self {
        Record::with_capacity(0)
    }
}

#[derive(Debug, Clone)]
struct Entry<'a> {
    /// [`tag`] of the key: most keys are rejected on it alone.
    tag: u32,
    key: Cow<'a, str>,
    value: Field<'a>,
}

impl Entry<'_> {
    #[inline(always)]
    fn key(&self) -> &str {
        as_str(&self.key)
    }
}

/// A key or text value as `&str`. Written out because `opt-level = "s"`
/// leaves `Cow::deref` a call, and this runs for every field looked up.
#[inline(always)]
#[allow(clippy::ptr_arg, reason = "matching the Cow is the point")]
pub(super) fn as_str<'b>(s: &'b Cow<'_, str>) -> &'b str {
    match s {
        Cow::Borrowed(s) => s,
        Cow::Owned(s) => s.as_str(),
    }
}

/// Keys equal ignoring ASCII case. GoTo nearly always sends a key in the
/// case we ask for, so eight bytes are compared at a time first (in wasm, a
/// case-folding byte loop costs several times that).
#[inline(always)]
pub(super) fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let ((aw, at), (bw, bt)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    let exact = aw
        .iter()
        .zip(bw)
        .all(|(x, y)| u64::from_ne_bytes(*x) == u64::from_ne_bytes(*y))
        && at.iter().zip(bt).all(|(x, y)| x == y);
    exact || a.eq_ignore_ascii_case(b)
}

/// A key's length and its first and last bytes, in lower case: equal for
/// keys that are equal ignoring ASCII case. Comparing it first makes a field
/// lookup one integer compare per key (in wasm, a string comparison is a
/// call per key).
#[inline(always)]
fn tag(key: &str) -> u32 {
    let b = key.as_bytes();
    let lower = |c: Option<&u8>| u32::from(c.map_or(0, u8::to_ascii_lowercase));
    (b.len().min(0xffff) as u32) | lower(b.first()) << 16 | lower(b.last()) << 24
}

/// The first slot to probe for a tag (Fibonacci hashing to 6 bits).
fn slot(tag: u32) -> usize {
    (tag.wrapping_mul(0x9E37_79B1) >> 26) as usize % SLOTS
}

/// One field's value.
#[derive(Debug, Clone)]
pub enum Field<'a> {
    /// A string.
    Text(Cow<'a, str>),
    /// A nested object.
    Object(Record<'a>),
    /// Anything else: a number, boolean, null or array.
    Json(Value),
}

impl<'a> Field<'a> {
    /// The record this field holds; anything else is refused, naming it.
    pub(super) fn into_record(self) -> Result<Record<'a>> {
        match self {
            Field::Object(r) => Ok(r),
            other => Err(ShapeError(format!(
                "expected an object, got {}",
                kind(&other)
            ))),
        }
    }
}

impl From<Value> for Field<'static> {
    fn from(v: Value) -> Field<'static> {
        match v {
            Value::String(s) => Field::Text(Cow::Owned(s)),
            Value::Object(m) => Field::Object(Record::from(m)),
            other => Field::Json(other),
        }
    }
}

impl From<Map<String, Value>> for Record<'static> {
    fn from(m: Map<String, Value>) -> Record<'static> {
        let mut r = Record::with_capacity(m.len());
        for (k, v) in m {
            r.push(Cow::Owned(k), Field::from(v));
        }
        r
    }
}

impl<'a> Record<'a> {
    pub(super) fn with_capacity(n: usize) -> Record<'a> {
        Record {
            fields: Vec::with_capacity(n),
            slots: [0; SLOTS],
        }
    }

    /// Adds a field (after any of the same name: the first non-empty wins).
    pub fn push(&mut self, key: Cow<'a, str>, value: Field<'a>) {
        let tag = tag(&key);
        let n = self.fields.len();
        if n < INDEXED {
            // Equal keys probe the same chain, in the order they were added.
            let mut s = slot(tag);
            while self.slots[s] != 0 {
                s = (s + 1) % SLOTS;
            }
            self.slots[s] = (n + 1) as u8;
        }
        self.fields.push(Entry { tag, key, value });
    }

    /// The first field named `name` (in any case) whose value passes `usable`.
    pub(super) fn find(
        &self,
        name: &str,
        usable: impl Fn(&Field) -> bool,
    ) -> Option<(&str, &Field<'a>)> {
        let t = tag(name);
        let hit = |e: &&Entry<'a>| e.tag == t && same_key(e.key(), name) && usable(&e.value);
        let mut s = slot(t);
        // Ends at an empty slot: at most INDEXED of the SLOTS are used.
        while let Some(&n) = self.slots.get(s).filter(|n| **n != 0) {
            if let Some(e) = self.fields.get(usize::from(n) - 1).filter(hit) {
                return Some((e.key(), &e.value));
            }
            s = (s + 1) % SLOTS;
        }
        self.fields
            .iter()
            .skip(INDEXED)
            .find(hit)
            .map(|e| (e.key(), &e.value))
    }

    /// Wraps a value that must be an object.
    pub fn from_value(v: Value) -> Result<Record<'static>> {
        Field::from(v).into_record()
    }

    /// The field named `name` (in any case), even when null or empty.
    pub fn raw(&self, name: &str) -> Option<(&str, &Field<'a>)> {
        self.find(name, |_| true)
    }
}

//! Lenient reading of GoTo's JSON records.
//!
//! GoTo drifts: keys change case (`meetingId`/`meetingid`), ids come as numbers
//! (some above 2^53) or strings, booleans as `"false"`, counts as strings,
//! empty strings mean "no value", and times come in several formats. Every
//! record goes through [`Record`], so each quirk is handled once, here.
//! A value of a type we cannot coerce is an error naming the field: wrong
//! data is never silently dropped.

use alloc::borrow::{Cow, ToOwned};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

pub use crate::bindings::goto::connector::types::SkippedRecord;

use crate::core::time;

/// Why a record could not be read; becomes `error::invalid-response`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeError(pub String);

impl ShapeError {
    fn field(name: &str, expected: &str, got: &Field) -> Self {
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
fn as_str<'b>(s: &'b Cow<'_, str>) -> &'b str {
    match s {
        Cow::Borrowed(s) => s,
        Cow::Owned(s) => s.as_str(),
    }
}

/// Keys equal ignoring ASCII case. GoTo nearly always sends a key in the
/// case we ask for, so eight bytes are compared at a time first (in wasm, a
/// case-folding byte loop costs several times that).
#[inline(always)]
fn same_key(a: &str, b: &str) -> bool {
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
    fn into_record(self) -> Result<Record<'a>> {
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
    fn with_capacity(n: usize) -> Record<'a> {
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
    fn find(&self, name: &str, usable: impl Fn(&Field) -> bool) -> Option<(&str, &Field<'a>)> {
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

    /// The first of `names` present with a non-null, non-empty value; key
    /// case is ignored (GoTo sends `meetingid` and `meetingId` for one field).
    fn get(&self, names: &[&str]) -> Option<(&str, &Field<'a>)> {
        names.iter().find_map(|want| self.find(want, |v| !blank(v)))
    }

    /// An id: a JSON number or a decimal string, kept exact in a u64.
    pub fn id(&self, names: &[&str]) -> Result<Option<u64>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        let parsed = match v {
            Field::Json(Value::Number(n)) => n.as_u64(),
            Field::Text(s) => id_digits(as_str(s)),
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
            Field::Json(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Field::Text(s) => digits(as_str(s)).and_then(|n| u32::try_from(n).ok()),
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
            Field::Json(Value::Bool(b)) => Ok(Some(*b)),
            Field::Text(s) if trim(as_str(s)).eq_ignore_ascii_case("true") => Ok(Some(true)),
            Field::Text(s) if trim(as_str(s)).eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(ShapeError::field(name, "a boolean", v)),
        }
    }

    /// Text; numbers are accepted and written in decimal. Empty means absent.
    pub fn text(&self, names: &[&str]) -> Result<Option<String>> {
        let Some((name, v)) = self.get(names) else {
            return Ok(None);
        };
        match v {
            Field::Text(s) => Ok(Some(as_str(s).to_owned())),
            Field::Json(Value::Number(n)) => Ok(Some(n.to_string())),
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
            Field::Text(s) => {
                time::parse_goto(as_str(s)).map_err(|e| ShapeError(format!("field `{name}`: {e}")))
            }
            Field::Json(Value::Number(n)) => n
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
        let Field::Json(Value::Array(items)) = v else {
            return Err(ShapeError::field(name, "a list of ids", v));
        };
        items
            .iter()
            .map(|item| match item {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => id_digits(s),
                _ => None,
            })
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(|| ShapeError(format!("field `{name}`: expected a list of ids")))
    }

    /// A nested object.
    pub fn object(&self, names: &[&str]) -> Result<Option<&Record<'a>>> {
        match self.get(names) {
            None => Ok(None),
            Some((_, Field::Object(r))) => Ok(Some(r)),
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
    pub fn each(&self, names: &[&str], f: &mut dyn FnMut(&Record) -> Result<()>) -> Result<()> {
        let Some((name, v)) = self.get(names) else {
            return Ok(());
        };
        let Field::Json(Value::Array(items)) = v else {
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
#[inline(always)]
fn blank(v: &Field) -> bool {
    match v {
        Field::Json(Value::Null) => true,
        Field::Text(s) => trim(as_str(s)).is_empty(),
        _ => false,
    }
}

/// `s.trim()`, without looking at characters when both ends are plainly
/// not whitespace (nearly every value GoTo sends).
#[inline(always)]
fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// A whole number written in decimal (surrounding whitespace allowed, as
/// `str::parse` with `trim` would). Up to 19 digits cannot overflow a u64,
/// so they are summed without overflow checks, which wasm32 would do with a
/// 128-bit multiply per digit.
fn digits(s: &str) -> Option<u64> {
    let t = trim(s);
    let d = t.strip_prefix('+').unwrap_or(t).as_bytes();
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if d.len() > 19 {
        return d.iter().try_fold(0u64, |n, c| {
            n.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        });
    }
    Some(d.iter().fold(0u64, |n, c| n * 10 + u64::from(c - b'0')))
}

/// An id as text: [`digits`], or groups of digits joined by single dashes,
/// read as the digits alone. GoTo's deprecated meeting listings send the
/// meeting id as the dashed join code (`"331-536-871"` for 331536871).
fn id_digits(s: &str) -> Option<u64> {
    let t = trim(s);
    if !t.contains('-') {
        return digits(t);
    }
    let groups_ok = t
        .split('-')
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    if !groups_ok {
        return None;
    }
    digits(&t.replace('-', ""))
}

fn missing(names: &[&str]) -> ShapeError {
    ShapeError(format!("field `{}` is missing", names[0]))
}

/// What a listing read: the records read, and the ones skipped.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    /// The records read, in GoTo's order.
    pub items: Vec<T>,
    /// The records that could not be read, in GoTo's order.
    pub skipped: Vec<SkippedRecord>,
}

/// The error for a skipped record in a list that is read whole (a
/// create's answer, the lists inside one record).
pub fn unread(s: &SkippedRecord) -> ShapeError {
    ShapeError(format!("item {}: {}", s.position, s.reason))
}

/// Reads a body that holds a list of records: a bare array, or an object that
/// wraps the array in one of `wrappers` (GoTo's undocumented `{"meetings": [...]}`).
/// A record that cannot be read is skipped (see [`read_records`]).
pub fn read_list<T>(
    body: &[u8],
    wrappers: &[&str],
    read: &dyn Fn(&Record) -> Result<T>,
) -> Result<Listing<T>> {
    let mut items = Vec::new();
    let list = read_records(body, wrappers, &mut |r| {
        items.push(read(r)?);
        Ok(())
    })?;
    if !list.found {
        return Err(ShapeError(
            "expected a list of records, got an object without one".into(),
        ));
    }
    Ok(Listing {
        items,
        skipped: list.skipped,
    })
}

/// Adds the records skipped on one page of a listing to those of the pages
/// before it, which held `before` records; returns the count with this
/// page's `len`. Positions are counted across the pages fetched.
pub fn add_page(
    all: &mut Vec<SkippedRecord>,
    page: Vec<SkippedRecord>,
    before: u32,
    len: u32,
) -> u32 {
    all.extend(page.into_iter().map(|mut s| {
        s.position = s.position.saturating_add(before);
        s
    }));
    before.saturating_add(len)
}

/// What [`read_records`] found in a body besides the records it read.
#[derive(Debug)]
pub struct ListBody<'b> {
    /// Whether the body held the list: false for an object with none of
    /// the wrappers (whether that is an empty listing is the caller's call).
    pub found: bool,
    /// How many elements the list held, read and skipped.
    pub len: u32,
    /// The records that could not be read, in order, positions counted from 0.
    pub skipped: Vec<SkippedRecord>,
    /// The object's other fields (GoTo's `page`, `links`); empty for a bare list.
    pub rest: Record<'b>,
}

/// [`read_list`]'s work, not generic over the output type: the JSON reader
/// (serde_json's parser and our visitor) is compiled once for every listing
/// instead of once per record type (about 4 KB each).
///
/// The list is a bare array, or sits under one of `wrappers` in an object,
/// directly or in its `_embedded` object (GoTo's v2 listings). Elements are
/// read one at a time, so the body is never held twice as a tree. An element
/// that is not an object, or that `each` refuses, is skipped: it costs the
/// caller that one record, not the listing. A body that is not JSON, not a
/// list or cut off is still an error. Skipped records are rare, so their
/// text is found afterwards, only when there are some (see [`Scan`]).
pub fn read_records<'b>(
    body: &'b [u8],
    wrappers: &[&str],
    each: &mut dyn FnMut(&Record) -> Result<()>,
) -> Result<ListBody<'b>> {
    let mut walk = Walk {
        wrappers,
        each,
        next: 0,
        found: false,
        rest: Record::default(),
        skipped: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_any(ListVisitor {
        walk: &mut walk,
        at: Level::Top,
    })
    .map_err(|e| ShapeError(e.to_string()))?;
    de.end().map_err(|e| ShapeError(e.to_string()))?;
    let Walk {
        found,
        rest,
        next: len,
        mut skipped,
        ..
    } = walk;
    if !skipped.is_empty() {
        Scan { body, at: 0 }.texts(wrappers, &mut skipped);
    }
    Ok(ListBody {
        found,
        len,
        skipped,
        rest,
    })
}

/// Finds the text of skipped records in a body [`read_records`] has read,
/// so it is valid JSON: a byte scan that finds the list as [`ListVisitor`]
/// does and cuts out its elements. serde_json hands out a value's text only
/// with its `raw_value` feature, which costs the component about 30 KB (it
/// changes how every `Value` is read, and links float formatting).
struct Scan<'b> {
    body: &'b [u8],
    at: usize,
}

impl Scan<'_> {
    /// Fills in each skipped record's `record` (positions in order).
    fn texts(mut self, wrappers: &[&str], skipped: &mut [SkippedRecord]) {
        if !self.list(wrappers, true) {
            return;
        }
        let mut next = 0u32;
        let mut want = skipped.iter_mut().peekable();
        while !matches!(self.space(), Some(b']') | None) {
            let Some(s) = want.peek_mut() else { return };
            let value = self.value();
            if value.is_empty() {
                return; // not JSON after all: never loop in place
            }
            if s.position == next {
                s.record = String::from_utf8_lossy(self.body.get(value).unwrap_or(&[])).into();
                want.next();
            }
            next = next.saturating_add(1);
            if self.space() == Some(b',') {
                self.at += 1;
            }
        }
    }

    /// Moves past the `[` of the list: the body itself, or the first
    /// wrapper (or, at the top, `_embedded` object) holding one.
    fn list(&mut self, wrappers: &[&str], top: bool) -> bool {
        match self.space() {
            Some(b'[') if top => {
                self.at += 1;
                return true;
            }
            Some(b'{') => self.at += 1,
            _ => return false,
        }
        while let Some(b'"') = self.space() {
            let key = self.value();
            self.space();
            self.at += 1; // the `:`
            let first = self.space();
            let key = self.body.get(key).map(key_text).unwrap_or_default();
            if first == Some(b'[') && wrappers.iter().any(|w| w.eq_ignore_ascii_case(&key)) {
                self.at += 1;
                return true;
            }
            let embedded = top && first == Some(b'{') && key.eq_ignore_ascii_case("_embedded");
            if embedded && self.list(wrappers, false) {
                return true;
            }
            if !embedded {
                self.value();
            }
            if self.space() == Some(b',') {
                self.at += 1;
            }
        }
        self.at += 1; // the `}`
        false
    }

    /// Skips whitespace; the next byte.
    fn space(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.body.get(self.at) {
            self.at += 1;
        }
        self.body.get(self.at).copied()
    }

    /// Moves past one value; its bytes.
    fn value(&mut self) -> core::ops::Range<usize> {
        self.space();
        let start = self.at;
        let mut depth = 0usize;
        while let Some(&c) = self.body.get(self.at) {
            if depth == 0 && matches!(c, b',' | b':' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.at += 1;
            match c {
                b'"' => self.string(),
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth -= 1,
                _ => {}
            }
            if depth == 0 && matches!(c, b'"' | b']' | b'}') {
                break;
            }
        }
        start..self.at.min(self.body.len())
    }

    /// Moves past the rest of a string whose `"` was passed.
    fn string(&mut self) {
        while let Some(&c) = self.body.get(self.at) {
            self.at += if c == b'\\' { 2 } else { 1 };
            if c == b'"' {
                return;
            }
        }
    }
}

/// A key as written in the body (quotes included), unescaped.
fn key_text(quoted: &[u8]) -> Cow<'_, str> {
    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or(&[]);
    match core::str::from_utf8(inner) {
        Ok(plain) if !plain.contains('\\') => Cow::Borrowed(plain),
        _ => match serde_json::Deserializer::from_slice(quoted).deserialize_any(FieldVisitor) {
            Ok(Field::Text(text)) => Cow::Owned(text.into_owned()),
            _ => Cow::Borrowed(""),
        },
    }
}

/// Reads a body that holds one record: an object, or an array whose first
/// element is it (GoTo answers `GET /meetings/{id}` with an array of one).
/// `Ok(None)` for an empty array. Like a listing, it borrows keys and text
/// from the body instead of building a `serde_json::Value` tree first.
pub fn one_record(body: &[u8]) -> Result<Option<Record<'_>>> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let one = de
        .deserialize_any(OneVisitor)
        .map_err(|e| ShapeError(e.to_string()))?;
    de.end().map_err(|e| ShapeError(e.to_string()))?;
    one.map(Field::into_record).transpose()
}

/// An object, or the first element of an array (`None` when it is empty);
/// anything else is returned as it is, for [`one_record`] to refuse.
struct OneVisitor;

impl<'de> Visitor<'de> for OneVisitor {
    type Value = Option<Field<'de>>;

    fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> core::result::Result<Self::Value, A::Error> {
        FieldVisitor.visit_map(map).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> core::result::Result<Self::Value, A::Error> {
        let first = seq.next_element::<Field<'de>>()?;
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(first)
    }

    fn visit_borrowed_str<E: serde::de::Error>(
        self,
        v: &'de str,
    ) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_borrowed_str(v).map(Some)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_str(v).map(Some)
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_string(v).map(Some)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_bool(v).map(Some)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_i64(v).map(Some)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_u64(v).map(Some)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_f64(v).map(Some)
    }

    fn visit_unit<E: serde::de::Error>(self) -> core::result::Result<Self::Value, E> {
        FieldVisitor.visit_unit().map(Some)
    }
}

/// One walk over a listing body: where the list may be, what is done with
/// its elements, and what was found.
struct Walk<'a, 'de> {
    wrappers: &'a [&'a str],
    /// Reads one element as a record.
    each: &'a mut dyn FnMut(&Record) -> Result<()>,
    /// The position of the next element of the list.
    next: u32,
    found: bool,
    /// The top-level object's fields other than the list.
    rest: Record<'de>,
    /// The elements that could not be read, in order, without their text.
    skipped: Vec<SkippedRecord>,
}

/// Where in the body the visitor is.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    /// The whole body: a list, or an object holding it.
    Top,
    /// The value of a top-level `_embedded` key: an object holding the list.
    Embedded,
    /// The value of a wrapper key: the list itself.
    Wrapped,
}

struct ListVisitor<'w, 'a, 'de> {
    walk: &'w mut Walk<'a, 'de>,
    at: Level,
}

/// The error for a body that is not a list, worded as serde_json words it
/// (`invalid type: string "x", expected a list of records`). Written here
/// because serde's default `visit_*` methods (and `deserialize_seq`) build it
/// through `de::Unexpected`, whose Display has an f64 arm that serde_json
/// never reaches (it writes floats itself) but that links core's float
/// formatting: about 35 KB of the component.
fn not_a_list<E: serde::de::Error>(got: core::fmt::Arguments) -> E {
    E::custom(format_args!(
        "invalid type: {got}, expected a list of records"
    ))
}

impl<'de> Visitor<'de> for ListVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> core::result::Result<(), E> {
        Err(not_a_list(format_args!("boolean `{v}`")))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> core::result::Result<(), E> {
        Err(not_a_list(format_args!("integer `{v}`")))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> core::result::Result<(), E> {
        Err(not_a_list(format_args!("integer `{v}`")))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> core::result::Result<(), E> {
        // serde_json's own float writer; JSON numbers are always finite.
        match serde_json::Number::from_f64(v) {
            Some(n) => Err(not_a_list(format_args!("floating point `{n}`"))),
            None => Err(not_a_list(format_args!("floating point"))),
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<(), E> {
        Err(not_a_list(format_args!("string {v:?}")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> core::result::Result<(), E> {
        // A null list or `_embedded` is GoTo's "no value", as its absence
        // is (records read it so too): the list is still not found.
        if self.at != Level::Top {
            return Ok(());
        }
        Err(not_a_list(format_args!("null")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> core::result::Result<(), A::Error> {
        if self.at == Level::Embedded {
            return Err(not_a_list(format_args!("sequence under `_embedded`")));
        }
        let walk = self.walk;
        walk.found = true;
        while let Some(element) = seq.next_element::<Field<'de>>()? {
            if let Err(e) = element.into_record().and_then(|r| (walk.each)(&r)) {
                walk.skipped.push(SkippedRecord {
                    position: walk.next,
                    reason: e.0,
                    record: String::new(),
                });
            }
            walk.next = walk.next.saturating_add(1);
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<(), A::Error> {
        if self.at == Level::Wrapped {
            return Err(not_a_list(format_args!("map")));
        }
        let walk = self.walk;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let wrapper = walk.wrappers.iter().any(|w| w.eq_ignore_ascii_case(&key.0));
            let embedded = self.at == Level::Top && key.0.eq_ignore_ascii_case("_embedded");
            if !walk.found && (wrapper || embedded) {
                let at = if wrapper {
                    Level::Wrapped
                } else {
                    Level::Embedded
                };
                map.next_value_seed(ListSeed(ListVisitor {
                    walk: &mut *walk,
                    at,
                }))?;
            } else if self.at == Level::Top && !wrapper && !embedded {
                let value = map.next_value::<Field<'de>>()?;
                walk.rest.push(key.0, value);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// An object key, borrowed from the body unless it had escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Key<'de>, D::Error> {
        d.deserialize_str(TextVisitor).map(Key)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> core::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> core::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> core::result::Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Field<'de>, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> core::result::Result<Field<'de>, A::Error> {
        let mut r = Record::with_capacity(map.size_hint().unwrap_or(16).min(64));
        while let Some((key, value)) = map.next_entry::<Key<'de>, Field<'de>>()? {
            r.push(key.0, value);
        }
        Ok(Field::Object(r))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> core::result::Result<Field<'de>, A::Error> {
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(Field::Json)
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, v: bool) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Json(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Json(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Json(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Json(Value::from(v)))
    }

    fn visit_unit<E>(self) -> core::result::Result<Field<'de>, E> {
        Ok(Field::Json(Value::Null))
    }
}

struct ListSeed<'w, 'a, 'de>(ListVisitor<'w, 'a, 'de>);

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> core::result::Result<(), D::Error> {
        // Not `deserialize_seq`: its error path goes through `de::Unexpected`
        // (see `not_a_list`); the visitor refuses what is not a list itself.
        d.deserialize_any(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One record read with `read`, as `Api::one` reads it.
    fn read_one<T>(body: &[u8], read: &dyn Fn(&Record) -> Result<T>) -> Result<Option<T>> {
        match one_record(body)? {
            Some(r) => read(&r).map(Some),
            None => Ok(None),
        }
    }

    fn rec(v: Value) -> Record<'static> {
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
    fn dashed_join_codes_are_read_as_their_digits() {
        let r = rec(json!({"meetingId": "331-536-871", "k": " 123-4567-890 ", "ks": ["1-2", 3]}));
        assert_eq!(r.id(&["meetingId"]).unwrap(), Some(331536871));
        assert_eq!(r.id(&["k"]).unwrap(), Some(1234567890));
        assert_eq!(r.ids(&["ks"]).unwrap(), vec![12, 3]);
        for bad in ["-1", "1-", "1--2", "12-ab", "-", "+1-2", "1-2.5"] {
            assert!(rec(json!({"k": bad})).id(&["k"]).is_err(), "{bad}");
        }
        // Counts are not ids: a dashed count stays an error.
        assert!(rec(json!({"c": "1-2"})).count(&["c"]).is_err());
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

    /// The records of a listing read with `read`; its skipped records must be none.
    fn all<T>(body: &[u8], wrappers: &[&str], read: &dyn Fn(&Record) -> Result<T>) -> Vec<T> {
        let list = read_list(body, wrappers, read).unwrap();
        assert!(list.skipped.is_empty(), "{:?}", list.skipped);
        list.items
    }

    #[test]
    fn lists_come_bare_or_wrapped_and_items_are_checked() {
        let read = |r: &Record| r.required_id(&["meetingId"]);
        let body = br#"[{"meetingId":1},{"meetingid":"2"}]"#;
        assert_eq!(all(body, &["meetings"], &read), vec![1, 2]);
        let body = br#"{"meetings":[{"meetingId":3}],"x":1}"#;
        assert_eq!(all(body, &["meetings"], &read), vec![3]);
        let body = br#"{"_embedded":{"other":1,"meetings":[{"meetingId":4}]},"page":{}}"#;
        assert_eq!(all(body, &["meetings"], &read), vec![4]);
        assert_eq!(all(b"[]", &["meetings"], &read), Vec::<u64>::new());
        // A record without its id is skipped, naming the field.
        let list = read_list(
            br#"[{"meetingId":1},{"subject":"x"}]"#,
            &["meetings"],
            &read,
        )
        .unwrap();
        assert_eq!(list.items, vec![1]);
        let [s] = &list.skipped[..] else {
            panic!("{:?}", list.skipped)
        };
        assert_eq!((s.position, s.record.as_str()), (1, r#"{"subject":"x"}"#));
        assert_eq!(s.reason, "field `meetingId` is missing");
        assert!(read_list(br#"{"other":[]}"#, &["meetings"], &read).is_err());
        // An element that is not an object is skipped, named whatever it is.
        for (body, got) in [
            ("[5]", "number 5"),
            ("[-2.5]", "number -2.5"),
            (r#"["x"]"#, r#"string "x""#),
            ("[null]", "null"),
            ("[true]", "boolean true"),
            ("[[1]]", "an array"),
        ] {
            let list = read_list(body.as_bytes(), &[], &read).unwrap();
            assert!(list.items.is_empty());
            let s = &list.skipped[0];
            assert_eq!(s.reason, format!("expected an object, got {got}"), "{body}");
            assert_eq!(s.record, body[1..body.len() - 1], "{body}");
        }
        // A body cut off, or with more after the list, still fails whole.
        assert!(read_list(b"[{\"meetingId\":1}", &[], &read).is_err());
        assert!(read_list(b"[{\"meetingId\":1},{\"subject\":", &[], &read).is_err());
        assert!(read_list(b"[] trailing", &[], &read).is_err());
    }

    #[test]
    fn one_unreadable_record_is_skipped_with_its_text_and_the_others_are_kept() {
        let read = |r: &Record| {
            Ok((
                r.required_id(&["meetingId"])?,
                r.time(&["startTime"])?.unwrap_or_default(),
            ))
        };
        let bad = r#"{ "meetingId" : 2, "subject":"caf\u00e9", "startTime": "soon" }"#;
        let body = format!(
            r#"{{"meetings":[{{"meetingId":1,"startTime":"2024-01-02T03:04:05Z"}}, {bad},{{"meetingId":"3"}}]}}"#
        );
        let list = read_list(body.as_bytes(), &["meetings"], &read).unwrap();
        assert_eq!(
            list.items,
            vec![(1, "2024-01-02T03:04:05Z".to_string()), (3, String::new())]
        );
        let [s] = &list.skipped[..] else {
            panic!("{:?}", list.skipped)
        };
        assert_eq!(s.position, 1);
        assert!(s.reason.starts_with("field `startTime`: "), "{}", s.reason);
        assert_eq!(s.record, bad, "the record's text, unchanged");
        // Every record skipped is still an answer: none read, all reported.
        let list = read_list(b"[{},{\"meetingId\":true}]", &[], &read).unwrap();
        assert!(list.items.is_empty());
        let got: Vec<_> = list
            .skipped
            .iter()
            .map(|s| (s.position, &*s.record))
            .collect();
        assert_eq!(got, vec![(0, "{}"), (1, r#"{"meetingId":true}"#)]);
        // Read whole, the first skipped record is the error.
        let list = read_list(b"[{},{}]", &[], &read).unwrap();
        let err = unread(&list.skipped[0]);
        assert_eq!(err.0, "item 0: field `meetingId` is missing");
    }

    #[test]
    fn a_skipped_records_text_is_cut_out_whatever_the_layout() {
        let texts = |body: &str, wrappers: &[&str]| -> Vec<String> {
            let refuse = &mut |_: &Record| Err(ShapeError("no".into()));
            let list = read_records(body.as_bytes(), wrappers, refuse).unwrap();
            list.skipped.into_iter().map(|s| s.record).collect()
        };
        let tricky = r#"{"a":"],}\"{[","b":[1,{"c":[]}],"d\u00e9":-1.5e3,"e":null}"#;
        let cases: [(String, &[&str], &[&str]); 6] = [
            (format!(" [ {tricky} ,\n\t{{}} ] "), &[], &[tricky, "{}"]),
            (
                format!(r#"[1,"x",true,null,[1,[2]],{tricky}]"#),
                &[],
                &["1", r#""x""#, "true", "null", "[1,[2]]", tricky],
            ),
            (
                format!(r#"{{"page":{{"items":[{{}}]}},"x":"items","items":[{tricky}]}}"#),
                &["items"],
                &[tricky],
            ),
            (
                format!(r#"{{"items":null,"_embedded":{{"items":null,"ITEMS":[{tricky},2]}}}}"#),
                &["items"],
                &[tricky, "2"],
            ),
            (
                r#"{"_embedded":null,"it\u0065ms":[ "a" , "b" ]}"#.into(),
                &["items"],
                &[r#""a""#, r#""b""#],
            ),
            ("[]".into(), &[], &[]),
        ];
        for (body, wrappers, want) in cases {
            assert_eq!(texts(&body, wrappers), want, "{body}");
        }
    }

    #[test]
    fn skipped_records_of_later_pages_count_after_the_earlier_pages() {
        let read = |r: &Record| r.required_id(&["k"]);
        let mut all = Vec::new();
        let mut before = 0;
        for body in [
            &br#"[{"k":1},{"x":1}]"#[..],
            br#"{"content":[{"y":2},{"k":2}]}"#,
        ] {
            let list = read_records(body, &["content"], &mut |r| read(r).map(drop)).unwrap();
            before = add_page(&mut all, list.skipped, before, list.len);
        }
        assert_eq!(before, 4);
        let got: Vec<_> = all.iter().map(|s| (s.position, &*s.record)).collect();
        assert_eq!(got, vec![(1, r#"{"x":1}"#), (2, r#"{"y":2}"#)]);
    }

    #[test]
    fn the_fields_beside_the_list_are_kept_and_a_missing_list_is_reported() {
        let body = br#"{"page":{"number":2},"content":[{"a":1}],"links":[]}"#;
        let list = read_records(body, &["content"], &mut |_| Ok(())).unwrap();
        assert!(list.found);
        assert_eq!(list.len, 1);
        let page = list.rest.object(&["page"]).unwrap().unwrap();
        assert_eq!(page.count(&["number"]).unwrap(), Some(2));
        assert!(list.rest.raw("content").is_none());
        let list = read_records(br#"{"page":{}}"#, &["content"], &mut |_| Ok(())).unwrap();
        assert!(!list.found && list.len == 0);
        for body in [
            &br#"{"_embedded":null}"#[..],
            br#"{"x":null}"#,
            br#"{"_embedded":{"x":null}}"#,
        ] {
            let list = read_records(body, &["x"], &mut |_| Ok(())).unwrap();
            assert!(!list.found && list.rest.raw("x").is_none());
        }
        // The first wrapper holding a list is the list.
        let list = read_records(br#"{"x":null,"X":[{}]}"#, &["x"], &mut |_| Ok(())).unwrap();
        assert!(list.found && list.len == 1);
    }

    #[test]
    fn lookups_find_the_first_usable_field_among_many() {
        // More fields than the index holds, several with one name in
        // different cases: the first non-empty in body order wins.
        let mut m = String::from("{");
        for i in 0..100 {
            m.push_str(&format!("\"f{i}\":{i},"));
        }
        m.push_str(r#""Key":"","KEY":"","key":"7","kEy":"8","late":"x"}"#);
        let read = |r: &Record| {
            Ok((
                r.id(&["key"])?,
                r.id(&["F0"])?,
                r.id(&["f99"])?,
                r.text(&["LATE"])?,
                r.id(&["f100"])?,
            ))
        };
        let got = all(format!("[{m}]").as_bytes(), &[], &read);
        assert_eq!(
            got,
            vec![(Some(7), Some(0), Some(99), Some("x".into()), None)]
        );
        let few = all(br#"[{"a":"","A":"2","b":1}]"#, &[], &|r: &Record| {
            r.id(&["a"])
        });
        assert_eq!(few, vec![Some(2)]);
    }

    #[test]
    fn digits_read_as_str_parse_does() {
        for s in [
            "0",
            "7",
            " 42 ",
            "+5",
            "+",
            "",
            " ",
            "-1",
            "1.0",
            "12ab",
            "\u{a0}9\u{a0}",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "0000000000000000000000123",
            "1234567890123456789",
        ] {
            assert_eq!(digits(s), s.trim().parse::<u64>().ok(), "{s:?}");
        }
    }

    #[test]
    fn escaped_keys_and_text_read_as_their_unescaped_form() {
        let read = |r: &Record| Ok((r.required_id(&["meetingId"])?, r.text(&["subject"])?));
        let body = br#"[{"meeting\u0049d":"7","subject":"a\u2013b \"c\""}]"#;
        assert_eq!(
            all(body, &[], &read),
            vec![(7, Some("a\u{2013}b \"c\"".to_string()))]
        );
        // Nested objects are records too.
        let read = |r: &Record| {
            r.object(&["recording"])?
                .map(|rec| rec.required_text(&["recordingId"]))
                .transpose()
        };
        let body = br#"[{"recording":{"recordingid":"r1"}},{"recording":null}]"#;
        assert_eq!(all(body, &[], &read), vec![Some("r1".to_string()), None]);
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
    fn same_key_ignores_ascii_case_at_every_length() {
        for key in [
            "",
            "a",
            "startTime",
            "meetingId",
            "uniqueMeetingIdX",
            "conferenceCallInfo",
        ] {
            let upper = key.to_ascii_uppercase();
            assert!(same_key(key, key), "{key}");
            assert!(same_key(key, &upper), "{key}");
            for i in 0..key.len() {
                let mut other = key.as_bytes().to_vec();
                other[i] ^= 1;
                let other = String::from_utf8(other).unwrap();
                assert_eq!(
                    same_key(key, &other),
                    key.eq_ignore_ascii_case(&other),
                    "{key} {other}"
                );
            }
            assert!(!same_key(key, &format!("{key}x")));
        }
    }

    #[test]
    fn one_record_comes_bare_or_as_an_array_of_one() {
        let read = |r: &Record| r.required_id(&["meetingId"]);
        assert_eq!(read_one(br#"[{"meetingId":9}]"#, &read).unwrap(), Some(9));
        assert_eq!(read_one(br#"{"meetingId":9}"#, &read).unwrap(), Some(9));
        assert_eq!(read_one(b"[]", &read).unwrap(), None);
        assert!(read_one(b"\"x\"", &read).is_err());
        // The first of several is the one; the rest are still checked as JSON.
        assert_eq!(
            read_one(br#"[{"meetingId":9},{"meetingId":10}]"#, &read).unwrap(),
            Some(9)
        );
        assert!(read_one(br#"[{"meetingId":9},{"meetingId":"#, &read).is_err());
        assert!(read_one(br#"{"meetingId":9} x"#, &read).is_err());
        // Keys and text with escapes are read unescaped.
        let body = br#"{"subj\u0065ct":"a\nb","meetingId":"9"}"#;
        let r = one_record(body).unwrap().unwrap();
        assert_eq!(r.text(&["subject"]).unwrap().as_deref(), Some("a\nb"));
        assert_eq!(r.id(&["meetingId"]).unwrap(), Some(9));
        for (body, got) in [
            (&b"[1]"[..], "number 1"),
            (b"null", "null"),
            (b"[[]]", "an array"),
        ] {
            let e = read_one(body, &read).unwrap_err().0;
            assert!(e.contains(&format!("expected an object, got {got}")), "{e}");
        }
    }
}

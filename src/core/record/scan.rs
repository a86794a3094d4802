//! The text of the records a listing skipped, cut out of the body.

use alloc::borrow::Cow;
use alloc::string::String;

use serde::Deserializer;

use super::SkippedRecord;
use super::lookup::Field;
use super::visit::FieldVisitor;

/// Finds the text of skipped records in a body [`read_records`](super::read_records) has read,
/// so it is valid JSON: a byte scan that finds the list as
/// [`ListVisitor`](super::visit::ListVisitor)
/// does and cuts out its elements. serde_json hands out a value's text only
/// with its `raw_value` feature, which costs the component about 30 KB (it
/// changes how every `Value` is read, and links float formatting).
pub(super) struct Scan<'b> {
    pub(super) body: &'b [u8],
    pub(super) at: usize,
}

impl Scan<'_> {
    /// Fills in each skipped record's `record` (positions in order).
    pub(super) fn texts(mut self, wrappers: &[&str], skipped: &mut [SkippedRecord]) {
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

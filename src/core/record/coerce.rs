//! Reading a record's fields as ids, counts, flags, text, times and lists,
//! whatever form GoTo sent them in.

use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::lookup::{Field, Record, Result, ShapeError, as_str};
use crate::core::time;

impl<'a> Record<'a> {
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

    /// A required link: an absolute http(s) URL (see [`link`]).
    pub fn required_link(&self, names: &[&str]) -> Result<String> {
        let raw = self.required_text(names)?;
        link(names.first().copied().unwrap_or("link"), &raw)
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
pub(super) fn digits(s: &str) -> Option<u64> {
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

/// A link GoTo sent (a start or management page, a download): an absolute
/// `http`/`https` URL with a host, trimmed. The refusal names `what` but
/// does not quote the text: a link may carry a credential.
pub fn link(what: &str, raw: &str) -> Result<String> {
    let raw = raw.trim();
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => {
            Ok(raw.to_string())
        }
        _ => Err(ShapeError(format!(
            "field `{what}`: expected an absolute http(s) URL"
        ))),
    }
}

//! Reading whole bodies: a list of records, or one record.

use alloc::string::ToString;
use alloc::vec::Vec;

use serde::Deserializer;

use super::SkippedRecord;
use super::lookup::{Field, Record, Result, ShapeError};
use super::scan::Scan;
use super::visit::{Level, ListVisitor, OneVisitor, Walk};

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
/// text is found afterwards, only when there are some, by a byte scan of
/// the body (in the `scan` module).
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

//! Lenient reading of GoTo's JSON records.
//!
//! GoTo drifts: keys change case (`meetingId`/`meetingid`), ids come as numbers
//! (some above 2^53) or strings, booleans as `"false"`, counts as strings,
//! empty strings mean "no value", and times come in several formats. Every
//! record goes through [`Record`], so each quirk is handled once, here.
//! A value of a type we cannot coerce is an error naming the field: wrong
//! data is never silently dropped.
//!
//! The files: `lookup` holds a record and finds its fields, `coerce` reads
//! them as ids, counts, flags, text and times, `listing` reads whole bodies
//! (lists and single records) with the serde visitors of `visit`, and
//! `scan` finds the text of the records a listing skipped.

mod coerce;
mod listing;
mod lookup;
mod scan;
mod visit;

#[cfg(test)]
mod tests;

pub use crate::bindings::goto::connector::types::SkippedRecord;

pub use coerce::link;
pub use listing::{ListBody, Listing, add_page, one_record, read_list, read_records, unread};
pub use lookup::{Field, Record, Result, ShapeError};

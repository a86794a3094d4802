//! The serde visitors that read a body into [`Record`]s without building a
//! `serde_json::Value` tree first.

use alloc::borrow::{Cow, ToOwned};
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::SkippedRecord;
use super::lookup::{Field, Record, Result};

/// An object, or the first element of an array (`None` when it is empty);
/// anything else is returned as it is, for [`one_record`](super::one_record) to refuse.
pub(super) struct OneVisitor;

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
pub(super) struct Walk<'a, 'de> {
    pub(super) wrappers: &'a [&'a str],
    /// Reads one element as a record.
    pub(super) each: &'a mut dyn FnMut(&Record) -> Result<()>,
    /// The position of the next element of the list.
    pub(super) next: u32,
    pub(super) found: bool,
    /// The top-level object's fields other than the list.
    pub(super) rest: Record<'de>,
    /// The elements that could not be read, in order, without their text.
    pub(super) skipped: Vec<SkippedRecord>,
}

/// Where in the body the visitor is.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Level {
    /// The whole body: a list, or an object holding it.
    Top,
    /// The value of a top-level `_embedded` key: an object holding the list.
    Embedded,
    /// The value of a wrapper key: the list itself.
    Wrapped,
}

pub(super) struct ListVisitor<'w, 'a, 'de> {
    pub(super) walk: &'w mut Walk<'a, 'de>,
    pub(super) at: Level,
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

pub(super) struct FieldVisitor;

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

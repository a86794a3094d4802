//! Checking a webinar call's arguments and building GoTo's request bodies
//! from them (webinar, change, audio).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::Error;
use crate::core::client::object;
use crate::core::errors::invalid;
use crate::core::time;
use crate::core::validate::{check_id, input_time};
use crate::exports::webinar_scheduling::WebinarCopy;
use crate::exports::webinars::{
    AudioChange, AudioType, WebinarChange, WebinarDetails, WebinarLocale, WebinarSchedule,
    WebinarTime,
};

/// The organizer and webinar keys for a path.
pub fn keys(organizer_key: u64, webinar_key: u64) -> Result<(String, String), Error> {
    Ok((
        check_id("organizerKey", organizer_key)?,
        check_id("webinarKey", webinar_key)?,
    ))
}

/// A boolean query value as GoTo spells it.
pub fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Trimmed text of 1 to `max` characters.
pub fn check_text<'a>(field: &str, raw: &'a str, max: usize) -> Result<&'a str, Error> {
    let s = raw.trim();
    let n = s.chars().count();
    if n == 0 || n > max {
        return Err(invalid(
            field,
            format!("must be 1 to {max} characters (got {n})"),
        ));
    }
    Ok(s)
}

/// One start/end pair as GoTo wants it in a body, in UTC.
fn time_json(field: &str, t: &WebinarTime) -> Result<Value, Error> {
    let start = input_time(&format!("{field}.start"), &t.start)?;
    let end = input_time(&format!("{field}.end"), &t.end)?;
    if end <= start {
        return Err(invalid(&format!("{field}.end"), "must be after start"));
    }
    Ok(Value::Object(object(vec![
        ("startTime", time::format(start).into()),
        ("endTime", time::format(end).into()),
    ])))
}

fn times_json(field: &str, times: &[WebinarTime]) -> Result<Value, Error> {
    let mut out = Vec::with_capacity(times.len());
    for (i, t) in times.iter().enumerate() {
        out.push(time_json(&format!("{field}[{i}]"), t)?);
    }
    Ok(Value::Array(out))
}

fn check_time_zone(field: &str, tz: &str) -> Result<String, Error> {
    let tz = tz.trim();
    if !crate::core::time::is_time_zone_id(tz) {
        return Err(invalid(
            field,
            format!("must be a time-zone id such as America/New_York (got {tz:?})"),
        ));
    }
    Ok(tz.to_string())
}

fn locale(l: WebinarLocale) -> &'static str {
    match l {
        WebinarLocale::EnUs => "en_US",
        WebinarLocale::DeDe => "de_DE",
        WebinarLocale::EsEs => "es_ES",
        WebinarLocale::FrFr => "fr_FR",
        WebinarLocale::ItIt => "it_IT",
        WebinarLocale::ZhCn => "zh_CN",
    }
}

/// The body of `POST /organizers/{organizerKey}/webinars`.
pub(super) fn webinar_body(w: &WebinarDetails) -> Result<Value, Error> {
    let subject = check_text("webinar.subject", &w.subject, 128)?;
    let mut body = object(vec![
        ("subject", subject.into()),
        ("isPasswordProtected", w.password_protected.into()),
    ]);
    if let Some(d) = &w.description {
        check_description("webinar.description", d)?;
        body.insert("description".into(), d.as_str().into());
    }
    match &w.schedule {
        WebinarSchedule::SingleSession(t) => {
            body.insert("type".into(), "single_session".into());
            let time = time_json("webinar.schedule.singleSession", t)?;
            body.insert("times".into(), Value::Array(vec![time]));
        }
        WebinarSchedule::Series(times) => {
            if times.len() < 2 {
                return Err(invalid(
                    "webinar.schedule.series",
                    "must hold at least two sessions (use singleSession for one)",
                ));
            }
            body.insert("type".into(), "series".into());
            body.insert(
                "times".into(),
                times_json("webinar.schedule.series", times)?,
            );
        }
        WebinarSchedule::Sequence(s) => {
            let field = "webinar.schedule.sequence";
            let first = time_json(&format!("{field}.first"), &s.first)?;
            let last = check_date(&format!("{field}.lastDate"), &s.last_date)?;
            let start = input_time(&format!("{field}.first.start"), &s.first.start)?;
            if last.unix_seconds() < start.unix_seconds().div_euclid(86_400) * 86_400 {
                return Err(invalid(
                    &format!("{field}.lastDate"),
                    "must not be before the first session",
                ));
            }
            let pattern = match s.pattern {
                crate::exports::webinars::RecurrencePattern::Daily => "daily",
                crate::exports::webinars::RecurrencePattern::Weekly => "weekly",
                crate::exports::webinars::RecurrencePattern::Monthly => "monthly",
            };
            body.insert("type".into(), "sequence".into());
            body.insert("recurrenceStart".into(), first);
            body.insert("recurrencePattern".into(), pattern.into());
            body.insert("recurrenceEnd".into(), s.last_date.trim().into());
        }
    }
    if let Some(tz) = &w.time_zone {
        body.insert(
            "timeZone".into(),
            check_time_zone("webinar.timeZone", tz)?.into(),
        );
    }
    if let Some(l) = w.locale {
        body.insert("locale".into(), locale(l).into());
    }
    Ok(Value::Object(body))
}

/// The body of `PUT /webinars/{webinarKey}/copy`: the kind follows from
/// the number of times and `sequence`.
pub(super) fn copy_body(c: &WebinarCopy) -> Result<Value, Error> {
    let subject = check_text("copy.subject", &c.subject, 128)?;
    let kind = match (c.times.len(), c.sequence) {
        (0, _) => return Err(invalid("copy.times", "must hold at least one session")),
        (1, true) => {
            return Err(invalid(
                "copy.sequence",
                "must be false with one time (a sequence has two or more)",
            ));
        }
        (1, false) => "single_session",
        (_, false) => "series",
        (_, true) => "sequence",
    };
    let mut body = object(vec![
        ("subject", subject.into()),
        ("type", kind.into()),
        ("times", times_json("copy.times", &c.times)?),
    ]);
    if let Some(d) = &c.description {
        check_description("copy.description", d)?;
        body.insert("description".into(), d.as_str().into());
    }
    if let Some(tz) = &c.time_zone {
        body.insert(
            "timeZone".into(),
            check_time_zone("copy.timeZone", tz)?.into(),
        );
    }
    Ok(Value::Object(body))
}

fn check_description(field: &str, d: &str) -> Result<(), Error> {
    let n = d.chars().count();
    if n > 2048 {
        return Err(invalid(
            field,
            format!("must be at most 2048 characters (got {n})"),
        ));
    }
    Ok(())
}

/// A calendar date `YYYY-MM-DD`, as the start of that day in UTC.
fn check_date(field: &str, raw: &str) -> Result<time::Instant, Error> {
    let d = raw.trim();
    let ok = d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
    ok.then(|| time::parse_rfc3339(&format!("{d}T00:00:00Z")))
        .flatten()
        .ok_or_else(|| {
            invalid(
                field,
                format!("must be a date YYYY-MM-DD such as 2026-12-01 (got {raw:?})"),
            )
        })
}

/// The body of `PUT /organizers/{organizerKey}/webinars/{webinarKey}`.
pub(super) fn change_body(c: &WebinarChange) -> Result<Value, Error> {
    let mut body = object(vec![]);
    if let Some(s) = &c.subject {
        body.insert(
            "subject".into(),
            check_text("change.subject", s, 128)?.into(),
        );
    }
    if let Some(d) = &c.description {
        check_description("change.description", d)?;
        body.insert("description".into(), d.as_str().into());
    }
    if let Some(times) = &c.times {
        if times.is_empty() {
            return Err(invalid("change.times", "must hold at least one session"));
        }
        body.insert("times".into(), times_json("change.times", times)?);
    }
    if let Some(tz) = &c.time_zone {
        body.insert(
            "timeZone".into(),
            check_time_zone("change.timeZone", tz)?.into(),
        );
    }
    if let Some(l) = c.locale {
        body.insert("locale".into(), locale(l).into());
    }
    if body.is_empty() {
        return Err(invalid("change", "must change at least one field"));
    }
    Ok(Value::Object(body))
}

fn audio_type_name(t: AudioType) -> &'static str {
    match t {
        AudioType::Pstn => "PSTN",
        AudioType::Voip => "VOIP",
        AudioType::Hybrid => "Hybrid",
        AudioType::Private => "Private",
    }
}

fn countries(field: &str, list: &[String]) -> Result<Value, Error> {
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let c = c.trim();
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(invalid(
                &format!("{field}[{i}]"),
                format!("must be a two-letter country code such as US (got {c:?})"),
            ));
        }
        out.push(Value::String(c.to_ascii_uppercase()));
    }
    Ok(Value::Array(out))
}

/// The body of `POST .../webinars/{webinarKey}/audio`.
pub(super) fn audio_body(a: &AudioChange) -> Result<Value, Error> {
    let mut body = object(vec![("type", audio_type_name(a.audio_type).into())]);
    let phone = matches!(a.audio_type, AudioType::Pstn | AudioType::Hybrid);
    if phone {
        if a.toll_free_countries.is_empty() && a.toll_countries.is_empty() {
            return Err(invalid(
                "audio.tollCountries",
                "give tollCountries or tollFreeCountries for a telephone audio type",
            ));
        }
        body.insert(
            "pstnInfo".into(),
            Value::Object(object(vec![
                (
                    "tollFreeCountries",
                    countries("audio.tollFreeCountries", &a.toll_free_countries)?,
                ),
                (
                    "tollCountries",
                    countries("audio.tollCountries", &a.toll_countries)?,
                ),
            ])),
        );
    }
    match (&a.private_info, a.audio_type) {
        (Some(p), AudioType::Private) => {
            let mut info = object(vec![(
                "attendee",
                check_text("audio.privateInfo.attendee", &p.attendee, 1000)?.into(),
            )]);
            for (name, v) in [("organizer", &p.organizer), ("panelist", &p.panelist)] {
                if let Some(v) = v {
                    info.insert(name.into(), v.trim().into());
                }
            }
            body.insert("privateInfo".into(), Value::Object(info));
        }
        (None, AudioType::Private) => {
            return Err(invalid(
                "audio.privateInfo",
                "is required for the private audio type",
            ));
        }
        (Some(_), _) => {
            return Err(invalid(
                "audio.privateInfo",
                "is only for the private audio type",
            ));
        }
        (None, _) => {}
    }
    Ok(Value::Object(body))
}

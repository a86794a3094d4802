//! Reading GoTo's webinar records (webinar, registrant, answer, audio),
//! shared by the other webinar modules.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use crate::core::record::{self, Field, Record, ShapeError};
use crate::exports::webinars::{
    AudioType, DialIn, PrivateAudio, RegistrantAnswer, RegistrantStatus, Webinar, WebinarAudio,
    WebinarExperience, WebinarKind, WebinarRegistrant, WebinarTime,
};

/// A list of strings; absent means empty.
pub fn strings(r: &Record, name: &str) -> record::Result<Vec<String>> {
    match r.raw(name) {
        None | Some((_, Field::Json(Value::Null))) => Ok(Vec::new()),
        Some((_, Field::Text(s))) => Ok(vec![s.to_string()]),
        Some((key, Field::Json(Value::Array(items)))) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(ShapeError(format!(
                    "field `{key}`: expected a list of text"
                ))),
            })
            .collect(),
        Some((key, _)) => Err(ShapeError(format!(
            "field `{key}`: expected a list of text"
        ))),
    }
}

pub fn read_time(r: &Record) -> record::Result<WebinarTime> {
    match (r.time(&["startTime"])?, r.time(&["endTime"])?) {
        (Some(start), Some(end)) => Ok(WebinarTime { start, end }),
        (None, _) => Err(ShapeError("field `startTime` is missing".into())),
        (_, None) => Err(ShapeError("field `endTime` is missing".into())),
    }
}

pub fn webinar_kind(raw: &str) -> WebinarKind {
    match raw.trim().to_ascii_lowercase().as_str() {
        "single_session" => WebinarKind::SingleSession,
        "series" => WebinarKind::Series,
        "sequence" => WebinarKind::Sequence,
        _ => WebinarKind::Other(raw.to_string()),
    }
}

pub fn experience(raw: &str) -> WebinarExperience {
    match raw.trim().to_ascii_lowercase().as_str() {
        "classic" => WebinarExperience::Classic,
        "broadcast" => WebinarExperience::Broadcast,
        "simulive" => WebinarExperience::Simulive,
        _ => WebinarExperience::Other(raw.to_string()),
    }
}

pub fn registrant_status(raw: &str) -> RegistrantStatus {
    match raw.trim().to_ascii_uppercase().as_str() {
        "APPROVED" => RegistrantStatus::Approved,
        "DENIED" => RegistrantStatus::Denied,
        "WAITING" => RegistrantStatus::Waiting,
        _ => RegistrantStatus::Other(raw.to_string()),
    }
}

/// One webinar: v2 `Webinar`, `WebinarByKey`, or a 1.0.0 upcoming or
/// historical webinar (keys as numbers or strings).
pub fn read_webinar(r: &Record) -> record::Result<Webinar> {
    Ok(Webinar {
        webinar_key: r.required_id(&["webinarKey"])?,
        webinar_id: r.text(&["webinarID"])?,
        subject: r.text(&["subject"])?,
        description: r.text(&["description"])?,
        organizer_key: r.id(&["organizerKey"])?,
        organizer_email: r.text(&["organizerEmail"])?,
        organizer_name: r.text(&["organizerName"])?,
        account_key: r.id(&["accountKey"])?,
        times: r.list(&["times"], read_time)?,
        time_zone: r.text(&["timeZone"])?,
        locale: r.text(&["locale"])?,
        kind: r
            .text(&["type", "recurrenceType", "recurrencePeriod"])?
            .map(|k| webinar_kind(&k)),
        experience: r.text(&["experienceType"])?.map(|e| experience(&e)),
        registration_url: r.text(&["registrationUrl"])?,
        in_session: r.flag(&["inSession"])?,
        password_protected: r.flag(&["isPasswordProtected"])?,
        registrant_count: r.count(&["numberOfRegistrants"])?,
        registration_limit: r.count(&["registrationLimit"])?,
    })
}

/// One registrant: v2 `Registrant` or `RegistrantDetailed`.
pub fn read_registrant(r: &Record) -> record::Result<WebinarRegistrant> {
    Ok(WebinarRegistrant {
        registrant_key: r.required_id(&["registrantKey"])?,
        first_name: r.text(&["firstName"])?,
        last_name: r.text(&["lastName"])?,
        email: r.text(&["email"])?,
        status: r.text(&["status"])?.map(|s| registrant_status(&s)),
        registration_date: r.time(&["registrationDate"])?,
        join_url: r.text(&["joinUrl"])?,
        time_zone: r.text(&["timeZone"])?,
        source: r.text(&["source"])?,
        organization: r.text(&["organization"])?,
        job_title: r.text(&["jobTitle"])?,
        phone: r.text(&["phone"])?,
        country: r.text(&["country"])?,
        responses: r.list(&["responses"], read_answer)?,
    })
}

pub fn read_answer(r: &Record) -> record::Result<RegistrantAnswer> {
    Ok(RegistrantAnswer {
        question: r.text(&["question"])?.unwrap_or_default(),
        answer: r.text(&["answer", "responseText"])?.unwrap_or_default(),
    })
}

fn audio_type(raw: &str) -> Option<AudioType> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "PSTN" => Some(AudioType::Pstn),
        "VOIP" => Some(AudioType::Voip),
        "HYBRID" => Some(AudioType::Hybrid),
        "PRIVATE" => Some(AudioType::Private),
        _ => None,
    }
}

/// GoTo's `Audio`: `confCallNumbers` is an object keyed by country.
pub(super) fn read_audio(body: &[u8]) -> record::Result<WebinarAudio> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ShapeError(e.to_string()))?;
    let mut dial_in = Vec::new();
    if let Some(Value::Object(numbers)) = value.get("confCallNumbers") {
        for (country, v) in numbers {
            let n = Record::from_value(v.clone())
                .map_err(|e| ShapeError(format!("field `confCallNumbers.{country}`: {}", e.0)))?;
            let codes = n.object(&["accessCodes"])?;
            let code = |name: &str| codes.map(|c| c.text(&[name])).transpose();
            dial_in.push(DialIn {
                country: country.clone(),
                toll: n.text(&["toll"])?,
                toll_free: n.text(&["tollFree"])?,
                organizer_code: code("organizer")?.flatten(),
                panelist_code: code("panelist")?.flatten(),
                attendee_code: code("attendee")?.flatten(),
            });
        }
    }
    dial_in.sort_by(|a, b| a.country.cmp(&b.country));
    let r = Record::from_value(value)?;
    let private_info = match r.object(&["privateInfo"])? {
        Some(p) => Some(PrivateAudio {
            attendee: p.text(&["attendee"])?.unwrap_or_default(),
            organizer: p.text(&["organizer"])?,
            panelist: p.text(&["panelist"])?,
        }),
        None => None,
    };
    Ok(WebinarAudio {
        audio_type: r.text(&["type"])?.and_then(|t| audio_type(&t)),
        dial_in,
        private_info,
    })
}

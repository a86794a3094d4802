//! The cassette file format: one case, its interactions, and the request
//! and response as the file holds them.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::exchange::{Fault, Response};

/// One case.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// The WIT function name.
    pub operation: String,
    /// What the case shows (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The `connection` argument; default `{"accessToken": "test-token"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<Value>,
    /// The other arguments by lowerCamelCase parameter name.
    #[serde(default)]
    pub input: Value,
    /// Expected exchanges, in order; empty means nothing may be sent.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// `{"ok": value}` or `{"error": value}`, compared as a subset.
    pub expect: Value,
}

/// One request the component must send and the answer it gets.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// What the request must look like.
    pub request: RecordedRequest,
    /// The answer handed back.
    pub response: RecordedResponse,
}

/// A request as a cassette expects it (see the matching rules in
/// [`crate::cassette::mismatch`]).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// The method (`GET`).
    pub method: String,
    /// The URL: scheme, host, port and path must be equal, the query
    /// parameters equal as a multiset.
    pub url: String,
    /// Headers that must be present with these values (others not checked).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Body compared as JSON; absent: not checked; `null`: no body.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub json: Option<Value>,
    /// Body compared as form fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<BTreeMap<String, String>>,
    /// Body compared as exact text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// An answer as a cassette holds it: the status, headers and one form of
/// the body.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// The response headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The body as JSON (sent with `content-type: application/json` unless
    /// the headers say otherwise).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub json: Option<Value>,
    /// The body as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body as base64, for bytes that are not text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// A network fault the host plays with this answer (see [`Fault`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

/// Distinguishes a present `null` from an absent key.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Cassette {
    /// Reads and parses the cassette file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<Cassette> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// The connection the case calls with (default: the token `test-token`).
    pub fn connection(&self) -> Value {
        self.connection
            .clone()
            .unwrap_or_else(|| serde_json::json!({"accessToken": "test-token"}))
    }
}

impl RecordedResponse {
    /// The [`Response`] the guest gets, or why this one cannot be built.
    pub fn canned(&self) -> Result<Response, String> {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let body = match (&self.json, &self.body, &self.body_base64) {
            (Some(j), None, None) => {
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                {
                    headers.push(("content-type".into(), "application/json".into()));
                }
                j.to_string().into_bytes()
            }
            (None, Some(b), None) => b.clone().into_bytes(),
            (None, None, Some(b)) => decode_base64(b).ok_or("bodyBase64 is not valid base64")?,
            (None, None, None) => Vec::new(),
            _ => return Err("a response has at most one of json, body, bodyBase64".into()),
        };
        Ok(Response {
            status: self.status,
            headers,
            body,
            fault: self.fault.clone(),
        })
    }
}

/// Decodes what a cassette's `bodyBase64` may hold: the standard or the
/// URL-safe alphabet, padded or not, whitespace ignored.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);

/// Standard base64 with padding, as a recording writes `bodyBase64`.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    GeneralPurpose::new(&alphabet::STANDARD, LENIENT)
        .decode(&s)
        .or_else(|_| GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT).decode(&s))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        for bytes in [&b""[..], b"h", b"he", b"hello", &[0xff, 0, 0x80, 7]] {
            assert_eq!(decode_base64(&encode_base64(bytes)).unwrap(), bytes);
        }
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("/w==").unwrap(), vec![0xff]);
        assert!(decode_base64("a*b").is_none());
    }
}

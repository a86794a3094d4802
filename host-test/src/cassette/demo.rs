//! [`Demo`]: the built-in demo GoTo, answering from the success cassettes.

use std::path::Path;

use wasmtime_wasi_http::Error as HttpError;

use super::{Cassette, RecordedResponse, cassette_files};
use crate::exchange::{Egress, OutgoingRequest, Response};

/// The built-in demo GoTo: answers a request by method and path shape (id
/// segments match any id) from the success cassettes; query and body are not
/// matched, so any valid input gets a plausible answer.
pub struct Demo {
    answers: Vec<DemoAnswer>,
}

struct DemoAnswer {
    operation: String,
    /// 0 for a `success.json`, 1 for other `success*` files, 2 for the rest.
    rank: u8,
    method: String,
    path: Vec<String>,
    response: RecordedResponse,
}

impl Demo {
    /// Loads every success cassette under `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<Demo> {
        let mut answers = Vec::new();
        for path in cassette_files(&[dir.to_path_buf()])? {
            let c = Cassette::load(&path)?;
            if c.expect.get("ok").is_none() {
                continue;
            }
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rank = match stem.as_str() {
                "success" => 0,
                s if s.starts_with("success") => 1,
                _ => 2,
            };
            for i in c.interactions {
                // A success answer, or the redirect of an operation that
                // returns its target (a recording's download link).
                if !(200..400).contains(&i.response.status) {
                    continue;
                }
                if let Ok(u) = url::Url::parse(&i.request.url) {
                    answers.push(DemoAnswer {
                        operation: c.operation.clone(),
                        rank,
                        method: i.request.method.to_ascii_uppercase(),
                        path: segments(u.path()),
                        response: i.response,
                    });
                }
            }
        }
        answers.sort_by_key(|a| a.rank);
        Ok(Demo { answers })
    }

    /// Answers from `operation`'s own cassettes first, so operations that
    /// share an endpoint (`exchange-code` and `refresh-token` both POST
    /// `/oauth/token`) each get their own recorded answer.
    pub fn prefer(mut self, operation: &str) -> Demo {
        self.answers
            .sort_by_key(|a| (a.operation != operation, a.rank));
        self
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn id_like(s: &str) -> bool {
    !s.is_empty()
        && (s.bytes().all(|b| b.is_ascii_digit())
            || (s.len() == 36 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')))
}

impl Egress for Demo {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError> {
        let got = segments(request.uri.path());
        let found = self.answers.iter().find(|a| {
            a.method == request.method
                && a.path.len() == got.len()
                && a.path
                    .iter()
                    .zip(&got)
                    .all(|(a, b)| a == b || (id_like(a) && id_like(b)))
        });
        match found {
            Some(a) => a.response.canned().map_err(|e| HttpError::InternalError(Some(e))),
            None => Ok(Response {
                status: 404,
                headers: vec![("content-type".into(), "application/json".into())],
                body: br#"{"errorCode":"NOT_FOUND","message":"the demo GoTo has no recorded answer for this request"}"#.to_vec(),
                fault: None,
            }),
        }
    }
}

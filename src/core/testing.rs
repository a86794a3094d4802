//! Test helpers shared by the modules' unit tests: a [`Transport`] that
//! answers from canned responses and records what was sent, and a default
//! [`Connection`].

use crate::core::http::{Request, Response, Transport};
use crate::{Connection, Error};

/// Answers requests from a list of canned responses, in order. With
/// [`canned`] the one answer repeats forever; with [`script`] the answers are
/// used once each and any further request gets a 599. Keeps every request
/// sent and every pause asked for (the retry backoff).
pub(crate) struct Canned {
    answers: Vec<Response>,
    repeat: bool,
    pub sent: Vec<Request>,
    pub pauses: Vec<u64>,
    /// What [`Transport::now`] reads (none by default).
    pub clock: Option<crate::core::time::Instant>,
}

impl Transport for Canned {
    fn send(&mut self, request: &Request) -> Result<Response, Error> {
        self.sent.push(request.clone());
        let i = self.sent.len() - 1;
        let answer = if self.repeat {
            self.answers.last()
        } else {
            self.answers.get(i)
        };
        Ok(answer.cloned().unwrap_or(Response {
            status: 599,
            ..Response::default()
        }))
    }

    fn pause(&mut self, millis: u64) {
        self.pauses.push(millis);
    }

    fn now(&mut self) -> Option<crate::core::time::Instant> {
        self.clock
    }
}

impl Canned {
    /// Adds a header to every canned answer.
    pub fn with_header(mut self, name: &str, value: &str) -> Canned {
        for a in &mut self.answers {
            a.headers
                .push((name.to_string(), value.as_bytes().to_vec()));
        }
        self
    }
}

fn response(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    }
}

/// Every request gets `status` with `body`.
pub(crate) fn canned(status: u16, body: &str) -> Canned {
    Canned {
        answers: vec![response(status, body)],
        repeat: true,
        sent: vec![],
        pauses: vec![],
        clock: None,
    }
}

/// Requests get these answers in order, then 599.
pub(crate) fn script(answers: Vec<(u16, &str)>) -> Canned {
    Canned {
        answers: answers.iter().map(|(s, b)| response(*s, b)).collect(),
        repeat: false,
        sent: vec![],
        pauses: vec![],
        clock: None,
    }
}

/// A connection with token `test-token` and every default.
pub(crate) fn conn() -> Connection {
    Connection {
        access_token: "test-token".into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    }
}

//! [`Replay`]: strict replay of one cassette.

use std::collections::VecDeque;

use wasmtime_wasi_http::Error as HttpError;

use super::{Interaction, RecordedRequest, mismatch};
use crate::exchange::{Egress, OutgoingRequest, Response};

/// Strict replay of one cassette: each request must match the next
/// interaction; anything else is denied and reported.
#[derive(Default)]
pub struct Replay {
    /// The interactions not yet used, in order.
    pending: VecDeque<Prepared>,
    /// How many have been used.
    used: usize,
    /// The requests that matched nothing, each with why.
    pub misses: Vec<String>,
}

/// An interaction with its answer already built (bytes, headers), so an
/// exchange only checks the request and hands the answer over.
struct Prepared {
    request: RecordedRequest,
    response: Result<Response, String>,
}

impl Replay {
    /// A replay that expects `interactions`, in order, once each.
    pub fn new(interactions: Vec<Interaction>) -> Replay {
        let pending = interactions
            .into_iter()
            .map(|i| Prepared {
                response: i.response.canned(),
                request: i.request,
            })
            .collect();
        Replay {
            pending,
            used: 0,
            misses: Vec::new(),
        }
    }

    /// How many interactions were never requested.
    pub fn unused(&self) -> usize {
        self.pending.len()
    }
}

impl Egress for Replay {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError> {
        let Some(next) = self.pending.pop_front() else {
            self.misses.push(format!(
                "unexpected request {} {} (all {} interactions used)",
                request.method, request.uri, self.used
            ));
            return Err(HttpError::HttpRequestDenied);
        };
        if let Some(why) = mismatch(&next.request, request) {
            self.misses
                .push(format!("request {} did not match: {why}", self.used + 1));
            // Still the one expected next.
            self.pending.push_front(next);
            return Err(HttpError::HttpRequestDenied);
        }
        self.used += 1;
        next.response.map_err(|e| {
            self.misses.push(e.clone());
            HttpError::InternalError(Some(e))
        })
    }
}

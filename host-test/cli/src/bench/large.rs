//! Section 5: the 10,000-meeting listing in the component against the same
//! code compiled natively, and the egress and transport that answer it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use serde_json::{Value, json};
use wasmtime_wasi_http::Error as HttpError;

use goto_host::Backend;
use goto_host::blocking::block_on;
use goto_host::exchange::{Egress, OutgoingRequest, Response};
use goto_host::{Connector, Outcome};

use super::*;

/// Section 5: the large listing in the component (JSON host and typed)
/// against the native build; its rows of the closing table.
pub(super) fn large_section(connector: &Connector, runs: usize) -> anyhow::Result<Vec<Target>> {
    let mut targets = Vec::new();
    section(&format!(
        "5. list-historical-meetings with {LARGE_LIST_MEETINGS} meetings: component vs native"
    ));
    let body = historical_body(LARGE_LIST_MEETINGS);
    say(&format!(
        "body                         {:>12} bytes",
        body.len()
    ));
    let large = large_list(connector, &body, runs)?;
    say(&format!(
        "component: typed call        p50 {:>10}   (body in, parse, normalize, results lowered and lifted into Rust structs)",
        ms(large.typed.p50)
    ));
    say(&format!(
        "component: JSON host call    p50 {:>10}   (the same, results lifted into dynamic `Val`s)",
        ms(large.json_host.p50)
    ));
    say(&format!(
        "component: whole host call   p50 {:>10}   (+ store, instantiate, results to JSON)",
        ms(large.whole.p50)
    ));
    say(&format!(
        "native (same Rust code)      p50 {:>10}",
        ms(large.native.p50)
    ));
    let time_ratio = ratio(large.typed.p50, large.native.p50);
    let val_ratio = ratio(large.json_host.p50, large.native.p50);
    let mem_ratio = large.peak_memory as f64 / body.len() as f64;
    say(&format!("wasm / native, typed call    {time_ratio:>12.2}"));
    say(&format!("wasm / native, JSON host     {val_ratio:>12.2}"));
    say(&format!(
        "guest peak linear memory     {:>12} bytes = {mem_ratio:.2}x body",
        large.peak_memory
    ));
    targets.push(Target {
        name: "large list wasm/native time (typed)",
        goal: "<= 2.0".into(),
        measured: format!("{time_ratio:.2}"),
        ratio: time_ratio / 2.0,
    });
    targets.push(Target {
        name: "large list guest peak memory",
        goal: "<= 4x body".into(),
        measured: format!("{mem_ratio:.2}x"),
        ratio: mem_ratio / 4.0,
    });

    Ok(targets)
}

struct LargeList {
    /// The guest call through the generic JSON host: results lifted into
    /// dynamic `Val`s.
    json_host: Stats,
    /// The same guest call through typed bindings: results lifted straight
    /// into Rust structs, as the native build returns them.
    typed: Stats,
    whole: Stats,
    native: Stats,
    peak_memory: usize,
}

fn large_list(connector: &Connector, body: &[u8], runs: usize) -> anyhow::Result<LargeList> {
    let queue = Queue {
        bodies: (0..2 * runs).map(|_| body.to_vec()).collect(),
    };
    let queue: Arc<Mutex<dyn Egress>> = Arc::new(Mutex::new(queue));
    let exports = typed::MeetingsOnlyIndices::new(connector.instance_pre())?;
    let (mut json_host, mut typed, mut whole, mut native, mut peak) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0);
    // Component (JSON host, typed) and native runs alternate, so all see
    // the same load. Each run's results are dropped before the next, so
    // every run starts from the same heap (10,000 results still alive
    // made the next run allocate around them, a quarter slower).
    for _ in 0..runs {
        let t = Instant::now();
        let out = json_host_list(connector, &queue)?;
        whole.push(t.elapsed());
        json_host.push(out.stats.call);
        peak = peak.max(out.stats.peak_memory);
        drop(out);
        let (took, memory) = typed_list(connector, &exports, &queue)?;
        typed.push(took);
        peak = peak.max(memory);
        native.push(native_list(body)?);
    }
    Ok(LargeList {
        json_host: Stats::of(json_host),
        typed: Stats::of(typed),
        whole: Stats::of(whole),
        native: Stats::of(native),
        peak_memory: peak,
    })
}

const LARGE_LIST_START: &str = "2026-06-01T00:00:00Z";

const LARGE_LIST_END: &str = "2026-07-01T00:00:00Z";

/// The large listing through the JSON host, as `Connector` callers make it.
fn json_host_list(
    connector: &Connector,
    queue: &Arc<Mutex<dyn Egress>>,
) -> anyhow::Result<Outcome> {
    let input = json!({"range": {"start": LARGE_LIST_START, "end": LARGE_LIST_END}});
    let out = connector
        .clone()
        .with_backend(Backend::replay(queue.clone()))
        .blocking()
        .call(
            "list-historical-meetings",
            &json!({"accessToken": "bench-token"}),
            &input,
        )?;
    let n = out
        .result
        .get("ok")
        .and_then(|ok| ok.get("meetings"))
        .and_then(Value::as_array)
        .map(Vec::len)
        .ok_or_else(|| {
            let text: String = out.result.to_string().chars().take(300).collect();
            anyhow!("the large listing failed: {text}")
        })?;
    if n != LARGE_LIST_MEETINGS {
        bail!("the component read {n} meetings, not {LARGE_LIST_MEETINGS}");
    }
    Ok(out)
}

/// The large listing through typed bindings: the guest call's time and the
/// guest's peak memory.
fn typed_list(
    connector: &Connector,
    exports: &typed::MeetingsOnlyIndices,
    queue: &Arc<Mutex<dyn Egress>>,
) -> anyhow::Result<(Duration, usize)> {
    let conn = typed::goto::connector::types::Connection {
        access_token: "bench-token".into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let range = typed::exports::goto::connector::meetings::DateRange {
        start: LARGE_LIST_START.into(),
        end: LARGE_LIST_END.into(),
    };
    let (meetings, store, took) = block_on(async {
        let replaying = connector
            .clone()
            .with_backend(Backend::replay(queue.clone()));
        let call = replaying.instance().await?;
        let (mut store, instance) = (call.store, call.instance);
        let bindings = exports.load(&mut store, &instance)?;
        let t = Instant::now();
        let meetings = bindings
            .goto_connector_meetings()
            .call_list_historical_meetings(&mut store, &conn, &range)
            .await?;
        anyhow::Ok((meetings, store, t.elapsed()))
    })??;
    let list = meetings.map_err(|e| anyhow!("the typed large listing failed: {e:?}"))?;
    if list.meetings.len() != LARGE_LIST_MEETINGS || !list.skipped.is_empty() {
        bail!(
            "the typed call read {} meetings and skipped {}",
            list.meetings.len(),
            list.skipped.len()
        );
    }
    Ok((took, store.data().peak_memory()))
}

/// The same parsing code, native, on the same body.
fn native_list(body: &[u8]) -> anyhow::Result<Duration> {
    let conn = goto_connector::Connection {
        access_token: "bench-token".into(),
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let range = goto_connector::exports::meetings::DateRange {
        start: LARGE_LIST_START.into(),
        end: LARGE_LIST_END.into(),
    };
    let mut transport = NativeTransport {
        body: Some(body.to_vec()),
    };
    let t = Instant::now();
    let meetings =
        goto_connector::meetings::list_historical_meetings(&mut transport, &conn, &range)
            .map_err(|e| anyhow!("native parse failed: {e:?}"))?;
    let took = t.elapsed();
    if meetings.meetings.len() != LARGE_LIST_MEETINGS || !meetings.skipped.is_empty() {
        bail!(
            "native code read {} meetings and skipped {}",
            meetings.meetings.len(),
            meetings.skipped.len()
        );
    }
    Ok(took)
}

/// The native transport: hands over the prepared body once.
pub(crate) struct NativeTransport {
    pub(crate) body: Option<Vec<u8>>,
}

impl goto_connector::http::Transport for NativeTransport {
    fn send(
        &mut self,
        _request: &goto_connector::http::Request,
    ) -> Result<goto_connector::http::Response, goto_connector::Error> {
        Ok(goto_connector::http::Response {
            status: 200,
            headers: vec![("content-type".into(), b"application/json".to_vec())],
            body: self.body.take().unwrap_or_default(),
        })
    }
}

/// Answers each request with the next prepared body (200, JSON); an empty
/// body once they are used up.
#[derive(Default)]
pub(crate) struct Queue {
    bodies: Vec<Vec<u8>>,
}

impl Egress for Queue {
    fn exchange(&mut self, _request: &OutgoingRequest) -> Result<Response, HttpError> {
        let body = self.bodies.pop().unwrap_or_default();
        Ok(Response {
            status: 200,
            // As a server sends it: with its length.
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("content-length".into(), body.len().to_string()),
            ],
            body,
            fault: None,
        })
    }
}

/// A GoTo-shaped `historicalMeetings` body: ids as strings (some above
/// 2^53), counts as strings, `.+0000` times, every fifth with a recording.
pub fn historical_body(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 720);
    out.push('[');
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let day = 1 + i % 28;
        let hour = i % 24;
        let meeting = json!({
            "meetingId": (500_000_000 + i).to_string(),
            "meetingInstanceKey": 7_000_000 + i,
            "sessionId": (5_678_900_000u64 + i as u64).to_string(),
            "accountKey": "9999982253621659654",
            "organizerKey": (8_439_885_694_023_000_000u64 + i as u64).to_string(),
            "firstName": "Mahar",
            "lastName": "Singh",
            "email": format!("organizer{}@example.com", i % 97),
            "groupName": if i % 3 == 0 { "NA" } else { "Sales" },
            "locale": "en_US",
            "subject": format!("Weekly sync #{i} \u{2013} planning"),
            "startTime": format!("2026-06-{day:02}T{hour:02}:00:00.+0000"),
            "endTime": format!("2026-06-{day:02}T{hour:02}:45:00Z"),
            "duration": "45",
            "numAttendees": (i % 40).to_string(),
            "conferenceCallInfo": "Hybrid",
            "meetingType": if i % 2 == 0 { "scheduled" } else { "Recurring" },
        });
        let mut meeting = meeting;
        if i % 5 == 0
            && let Some(m) = meeting.as_object_mut()
        {
            m.insert(
                "recording".into(),
                json!({
                    "recordingId": format!("e2b1f1a0-7f3c-4c1e-9a77-{i:012}"),
                    "recordingName": format!("Weekly sync #{i}"),
                    "downloadUrl": format!("https://recordings.example.goto.com/{i}.mp4"),
                    "fileSize": 73_400_320 + i,
                    "shareUrl": format!("https://transcripts.gotomeeting.com/#/s/{i}"),
                }),
            );
        }
        out.push_str(&meeting.to_string());
    }
    out.push(']');
    out.into_bytes()
}

/// Meetings in the generated large listing.
pub(super) const LARGE_LIST_MEETINGS: usize = 10_000;

//! Section 4: the replayed `get-meeting`, end to end and through typed
//! bindings.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{anyhow, bail};

use goto_host::Backend;
use goto_host::blocking::block_on;
use goto_host::cassette::{self, Cassette, Replay};
use goto_host::exchange::Egress;
use goto_host::{Connector, Outcome};

use super::*;

/// Section 4: the replayed get-meeting with the default allocator and
/// (when `pooled` is given) the pooling allocator, whose p50 is a target
/// row (the default allocator's and the typed bindings' are information).
pub(super) fn replay_section(
    default: &Connector,
    pooled: Option<&Connector>,
    calls: usize,
) -> anyhow::Result<Vec<Target>> {
    section("4. replayed get-meeting end to end (store, instantiate, call, cassette in memory)");
    let path = goto_host::cassettes_dir().join("get-meeting/success.json");
    let case = Cassette::load(&path)?;
    let verdict = cassette::check(default, &case);
    if !verdict.passed() {
        bail!("{} does not pass: {:?}", path.display(), verdict.failures);
    }
    let connection = case.connection();
    let (op, input) = (case.operation.as_str(), &case.input);
    let mut configs = vec![("default allocator", default)];
    configs.extend(pooled.map(|p| ("pooling allocator", p)));
    let mut rows = Vec::new();
    for (label, connector) in configs {
        let call = |e| {
            let replaying = connector
                .clone()
                .with_backend(Backend::deterministic_replay(e));
            Ok(replaying.blocking().call(op, &connection, input)?)
        };
        let (s, parts) = replayed_calls(&call, &case, calls)?;
        say(&format!("{label:<28} {}", s.line_us()));
        // The rest of a call: input JSON to `Val`s, the result back to JSON,
        // and the store's drop (the cassette answers inside the guest call,
        // the store is made inside instantiate).
        say(&format!(
            "{:<28} mean instantiate {}, guest call {}, JSON and store drop {}",
            "  of which",
            us(parts.instantiate),
            us(parts.call),
            us(s.mean.saturating_sub(parts.instantiate + parts.call))
        ));
        if label == "pooling allocator" {
            rows.push(p50_row("replayed get-meeting p50, pooling", &s));
        }
    }
    if let Some(pooled) = pooled {
        let s = typed_replays(pooled, &case, calls)?;
        say(&format!(
            "{:<28} {}",
            "pooling, typed bindings",
            s.line_us()
        ));
    }
    Ok(rows)
}

/// A replayed-call row of the closing table (target: p50 <= 100 us).
fn p50_row(name: &'static str, s: &Stats) -> Target {
    Target {
        name,
        goal: "<= 100 us".into(),
        measured: us(s.p50),
        ratio: s.p50.as_secs_f64() / 100e-6,
    }
}

/// The replayed get-meeting called through typed bindings generated from
/// our WIT: the same store, instantiation, guest call and cassette, but no
/// JSON on the host side (what an embedder using `bindgen!` pays).
fn typed_replays(connector: &Connector, case: &Cassette, n: usize) -> anyhow::Result<Stats> {
    let token = case.connection()["accessToken"]
        .as_str()
        .unwrap_or("test-token")
        .to_string();
    let conn = typed::goto::connector::types::Connection {
        access_token: token,
        api_base: None,
        seeit_base: None,
        settings: None,
    };
    let id = case.input["meetingId"]
        .as_u64()
        .ok_or_else(|| anyhow!("the cassette's meetingId is not a number"))?;
    // Found once, as an embedder would, not by name per call.
    let exports = typed::MeetingsOnlyIndices::new(connector.instance_pre())?;
    let mut replays = replays(case, n);
    sample(n, || {
        let egress = replays.pop().ok_or_else(|| anyhow!("out of replays"))?;
        let meeting = block_on(async {
            let replaying = connector
                .clone()
                .with_backend(Backend::deterministic_replay(egress));
            let call = replaying.instance().await?;
            let (mut store, instance) = (call.store, call.instance);
            let bindings = exports.load(&mut store, &instance)?;
            let meetings = bindings.goto_connector_meetings();
            let meeting = meetings.call_get_meeting(&mut store, &conn, id).await?;
            anyhow::Ok(meeting)
        })??
        .map_err(|e| anyhow!("typed get-meeting failed: {e:?}"))?;
        if meeting.meeting_id != id {
            bail!("typed get-meeting read meeting {}", meeting.meeting_id);
        }
        Ok(())
    })
}

/// `n` replays of `case`, made before the clock starts (each call takes one).
fn replays(case: &Cassette, n: usize) -> Vec<Arc<Mutex<dyn Egress>>> {
    (0..n)
        .map(|_| {
            Arc::new(Mutex::new(Replay::new(case.interactions.clone()))) as Arc<Mutex<dyn Egress>>
        })
        .collect()
}

/// Store, instantiate, call, result to JSON, with the cassette's answer;
/// the replays are set up before the clock starts.
fn replayed_calls(
    call: &dyn Fn(Arc<Mutex<dyn Egress>>) -> anyhow::Result<Outcome>,
    case: &Cassette,
    n: usize,
) -> anyhow::Result<(Stats, goto_host::CallStats)> {
    let mut replays = replays(case, n);
    let (mut instantiate, mut guest) = (Duration::ZERO, Duration::ZERO);
    let stats = sample(n, || {
        let egress = replays.pop().ok_or_else(|| anyhow!("out of replays"))?;
        let out = call(egress)?;
        if out.result.get("ok").is_none() {
            bail!("get-meeting failed: {}", out.result);
        }
        instantiate += out.stats.instantiate;
        guest += out.stats.call;
        Ok(())
    })?;
    let parts = goto_host::CallStats {
        instantiate: instantiate / n.max(1) as u32,
        call: guest / n.max(1) as u32,
        peak_memory: 0,
    };
    Ok((stats, parts))
}

//! `--against ORIGIN`: the per-host comparison's calls through our host.

use std::time::Instant;

use anyhow::anyhow;
use serde_json::json;

use goto_host::{Connector, Outcome, Policy};

/// `--against ORIGIN`: 10 warm-up calls, then `n` `get-meeting` calls
/// through the live network path, async on a current-thread runtime and
/// blocking; prints `{"async": [ms, ...], "blocking": [ms, ...]}`.
pub(super) fn against(origin: &str, n: usize) -> anyhow::Result<()> {
    let mut policy = Policy::goto_default();
    policy.allow(origin)?;
    let connector = Connector::embedded().policy(policy).build()?;
    let connection = json!({"accessToken": "test-token", "apiBase": origin});
    let input = json!({"meetingId": 123456789});
    let check = |out: Outcome| match out.result.pointer("/ok/meetingId") {
        Some(_) => Ok(()),
        None => Err(anyhow!("get-meeting failed: {}", out.result)),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // 10 warm-up calls, then `n` timed ones, in milliseconds.
    let timed = |call: &dyn Fn() -> Result<Outcome, goto_host::HostError>| {
        let mut times = Vec::new();
        for _ in 0..10 + n {
            let t = Instant::now();
            check(call()?)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        anyhow::Ok(times.split_off(10))
    };
    let call = || connector.call("get-meeting", &connection, &input);
    let async_ms = timed(&|| runtime.block_on(call()))?;
    let blocking = connector.blocking();
    let blocking_ms = timed(&|| blocking.call("get-meeting", &connection, &input))?;
    println!("{}", json!({"async": async_ms, "blocking": blocking_ms}));
    Ok(())
}

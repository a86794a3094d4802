//! The README's embedding example: async calls from a tokio program,
//! answered by the built-in demo GoTo. `cargo test` builds it and
//! `tests/host.rs` checks that the README shows this very code;
//! `cargo run -p host-test --example async_call` runs it.

use std::sync::{Arc, Mutex};

use goto_host::cassette::Demo;
use goto_host::{Connector, Egress};
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Compile once; clones share the compiled code and the pool.
        let connector = Connector::embedded()?;
        let demo: Arc<Mutex<dyn Egress>> =
            Arc::new(Mutex::new(Demo::load(&goto_host::cassettes_dir())?));
        let calls: Vec<_> = [527664493u64, 123456789]
            .into_iter()
            .map(|id| {
                let (connector, demo) = (connector.clone(), demo.clone());
                tokio::spawn(async move {
                    let connection = json!({"accessToken": "demo-token"});
                    let input = json!({"meetingId": id});
                    // The demo answers any id with its recorded meeting;
                    // against the real API: connector.call_network(...).
                    connector
                        .call("get-meeting", &connection, &input, demo)
                        .await
                })
            })
            .collect();
        for call in calls {
            match call.await? {
                Ok(outcome) => println!("{}", outcome.result),
                Err(e) if e.retryable() => eprintln!("try again later: {e}"),
                Err(e) => eprintln!("refused: {e}"),
            }
        }
        anyhow::Ok(())
    })
}

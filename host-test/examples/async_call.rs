//! The embedding example the README and the book show: async calls from a tokio program,
//! answered by the built-in demo GoTo. `cargo test` builds it and
//! `tests/host.rs` checks that both show this very code;
//! `cargo run -p goto-host --features embedded --example async_call` runs it.

use std::sync::{Arc, Mutex};

use goto_host::cassette::Demo;
use goto_host::{Backend, Connector, Egress};
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Answered by the built-in demo GoTo, which answers any id with
        // its recorded meeting; without `.backend(...)`, requests go to the
        // real API. Compile once; clones share the compiled code and the pool.
        let demo: Arc<Mutex<dyn Egress>> =
            Arc::new(Mutex::new(Demo::load(&goto_host::cassettes_dir())?));
        let connector = Connector::embedded()
            .backend(Backend::replay(demo))
            .build()?;
        let calls: Vec<_> = [527664493u64, 123456789]
            .into_iter()
            .map(|id| {
                let connector = connector.clone();
                tokio::spawn(async move {
                    let connection = json!({"accessToken": "demo-token"});
                    let input = json!({"meetingId": id});
                    connector.call("get-meeting", &connection, &input).await
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

//! The typed-bindings example of the book's Rust page: `wasmtime::component::bindgen!`
//! from the WIT, so a call takes and returns Rust structs instead of JSON.
//! `cargo test` builds it and `tests/host.rs` checks that the book shows
//! this very code; `cargo run -p goto-host --features embedded --example typed_call` runs it.

use std::sync::{Arc, Mutex};

use goto_host::cassette::Demo;
use goto_host::{Backend, Connector, Egress};

// Bindings for the one interface this program calls.
wasmtime::component::bindgen!({
    path: "../wit",
    inline: "package example:typed; world meetings { export goto:connector/meetings@0.4.0; }",
    world: "example:typed/meetings",
    exports: { default: async },
});

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Answered by the built-in demo GoTo; without `.backend(...)`,
        // requests go to the network.
        let demo: Arc<Mutex<dyn Egress>> =
            Arc::new(Mutex::new(Demo::load(&goto_host::cassettes_dir())?));
        let connector = Connector::embedded()
            .backend(Backend::replay(demo))
            .build()?;
        // Found once, not by name per call.
        let exports = MeetingsIndices::new(connector.instance_pre())?;
        // A fresh store and instance from the pool, with the connector's
        // policy, limits, deadline and backend.
        let mut call = connector.instance().await?;
        let meetings = exports.load(&mut call.store, &call.instance)?;
        let connection = goto::connector::types::Connection {
            access_token: "demo-token".into(),
            api_base: None,
            seeit_base: None,
            settings: None,
        };
        let meeting = meetings
            .goto_connector_meetings()
            .call_get_meeting(&mut call.store, &connection, 123456789)
            .await?;
        match meeting {
            Ok(m) => println!("{}: {:?}", m.meeting_id, m.subject),
            Err(e) => eprintln!("GoTo said no: {e:?}"),
        }
        anyhow::Ok(())
    })
}

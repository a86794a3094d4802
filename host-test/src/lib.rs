//! Embed the goto-connector WebAssembly component (GoToMeeting,
//! GoToWebinar, GoToTraining, GoToAssist, GoTo OAuth) in a Rust program.
//!
//! A [`Connector`] loads the component once and runs each call, async, in a
//! fresh store ([`sandbox`]) within one deadline; every outbound request
//! passes the allow-list [`Policy`] and then goes to the connector's
//! [`Backend`]: the real network ([`network`]), the network with a
//! recording, or recorded answers (an [`Egress`], such as a [`cassette`]'s
//! replay). What the host refuses or stops is a [`HostError`].
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use goto_host::Connector;
//! use serde_json::json;
//!
//! let wasm = std::fs::read("goto-connector-0.4.0.wasm")?;
//! let connector = Connector::builder(wasm).build()?;
//! let outcome = connector
//!     .call("get-meeting", &json!({"accessToken": "..."}), &json!({"meetingId": 123456789}))
//!     .await?;
//! println!("{}", outcome.result); // {"ok": {...}} or {"error": {...}}
//! # Ok(())
//! # }
//! ```
//!
//! Modules depend downwards only: `exchange`, `error`, `limits`, `policy`
//! and `engine` stand alone; `fault` and `network` use `exchange`;
//! `sandbox` puts them together for one store; `runtime` (with its
//! `builder` and its blocking form) on top; `cassette` and `recorder` use the runtime; `credentials`
//! and `effect` serve the front-ends.
//!
//! With the `embedded` feature (inside the goto-connector repository), the
//! component of the checkout is built and embedded (`Connector::embedded`).

#![deny(missing_docs)]

pub mod blocking;
pub mod builder;
pub mod cache;
pub mod cassette;
pub mod credentials;
pub mod effect;
pub mod engine;
pub mod error;
pub mod exchange;
pub mod fault;
pub mod json;
pub mod limits;
pub mod network;
pub mod policy;
pub mod recorder;
pub mod runtime;
pub mod sandbox;

pub use builder::Builder;
pub use error::HostError;
pub use exchange::{Egress, OutgoingRequest, Recorder, Response};
pub use limits::Limits;
pub use network::NetworkSettings;
pub use policy::Policy;
pub use runtime::{CallStats, Connector, Instantiated, Outcome};
pub use sandbox::{Backend, ReplaySettings};

/// The component built from this checkout (see `build.rs`).
#[cfg(feature = "embedded")]
pub const COMPONENT: &[u8] = include_bytes!(env!("GOTO_COMPONENT_PATH"));

/// The cassettes shipped with the repository.
#[cfg(feature = "embedded")]
pub fn cassettes_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cassettes")
}

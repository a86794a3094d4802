//! A wasmtime host for the GoTo connector component: what a workflow engine
//! embeds. [`runtime::Connector`] loads the component once and runs each
//! call, async, in a fresh store ([`sandbox`]) within one deadline; every
//! outbound request passes the allow-list [`policy::Policy`] and then goes
//! to an [`exchange::Egress`] backend, such as the cassette replay of
//! [`cassette`], or for live calls to the real network ([`network`]).
//! What the host refuses or stops is a [`HostError`].
//!
//! Modules depend downwards only: `exchange`, `error`, `limits`, `policy`
//! and `engine` stand alone; `fault` and `network` use `exchange`;
//! `sandbox` puts them together for one store; `runtime` (and its blocking
//! form) on top; `cassette`, `recorder`, `describe` and `bench` use the
//! runtime; `credentials` and `effect` serve the front-ends.

pub mod bench;
pub mod blocking;
pub mod cache;
pub mod cassette;
pub mod credentials;
pub mod describe;
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

use std::path::PathBuf;

pub use error::HostError;
pub use exchange::{CannedResponse, Egress, OutgoingRequest};
pub use limits::Limits;
pub use runtime::{CallStats, Connector, Outcome};
pub use sandbox::CallOptions;

/// The component built from this checkout (see `build.rs`).
pub const COMPONENT: &[u8] = include_bytes!(env!("GOTO_COMPONENT_PATH"));

/// The cassettes shipped with the repository.
pub fn cassettes_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cassettes")
}

//! A wasmtime host for the GoTo connector component: what a workflow engine
//! embeds. [`runtime::Connector`] loads the component once and runs each
//! call in a fresh store; every outbound request passes the allow-list
//! [`policy::Policy`] and then goes to an [`runtime::Egress`] backend, such
//! as the cassette replay of [`cassette`], or for live calls to the real
//! network ([`network`]).

pub mod bench;
pub mod cache;
pub mod cassette;
pub mod describe;
pub mod fault;
pub mod json;
pub mod limits;
pub mod network;
pub mod policy;
pub mod recorder;
pub mod runtime;

use std::path::PathBuf;

pub use limits::Limits;
pub use runtime::{CallOptions, CallStats, Connector, Egress, Outcome};

/// The component built from this checkout (see `build.rs`).
pub const COMPONENT: &[u8] = include_bytes!(env!("GOTO_COMPONENT_PATH"));

/// The cassettes shipped with the repository.
pub fn cassettes_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cassettes")
}

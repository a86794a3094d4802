//! GoTo connector as a WebAssembly component.
//!
//! Layout: `transport` is the only code that touches `wasi:http`; everything
//! else (request building, validation, response normalization, error mapping)
//! is plain Rust over the [`http::Transport`] trait, so it also compiles and
//! is tested natively. One module per product area holds its operations.
//!
//! The component is `no_std` (with `alloc`; see `guest`): on wasm32-wasip2,
//! std brings wasi-libc, and with it imports of stdio, terminals, the
//! environment and exit that every instance had to wire up though nothing
//! here uses them. The native build (tests, the benchmark's native side)
//! keeps std.

#![cfg_attr(target_arch = "wasm32", no_std)]

#[macro_use]
extern crate alloc;

mod bindings {
    wit_bindgen::generate!({
        world: "connector",
        path: "wit",
        with: {
            "wasi:io/poll@0.2.12": wasi::io::poll,
            "wasi:io/error@0.2.12": wasi::io::error,
            "wasi:io/streams@0.2.12": wasi::io::streams,
            "wasi:clocks/monotonic-clock@0.2.12": wasi::clocks::monotonic_clock,
            "wasi:clocks/wall-clock@0.2.12": wasi::clocks::wall_clock,
            "wasi:random/random@0.2.12": wasi::random::random,
            "wasi:http/types@0.2.12": wasi::http::types,
            "wasi:http/outgoing-handler@0.2.12": wasi::http::outgoing_handler,
        },
    });
}

pub mod assist;
pub mod client;
pub mod errors;
pub mod groups;
pub mod http;
pub mod meetings;
pub mod oauth;
pub mod organizers;
pub mod pkce;
pub mod raw;
pub mod record;
pub mod retry;
pub mod seeit;
#[cfg(test)]
pub(crate) mod testing;
pub mod time;
pub mod trainings;
pub mod webinars;

#[cfg(target_arch = "wasm32")]
mod component;
#[cfg(target_arch = "wasm32")]
mod guest;
#[cfg(target_arch = "wasm32")]
mod transport;

pub use bindings::exports::goto::connector as exports;
pub use bindings::goto::connector::types::{
    ApiError, Applied, CallSettings, Connection, Error, ResponseError, SkippedRecord,
    TransportError, TransportKind,
};

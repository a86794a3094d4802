//! GoTo connector as a WebAssembly component, in three layers, top to
//! bottom:
//!
//! - `boundary` (wasm32 only): the exported WIT interfaces, one file per
//!   interface, each function handing its arguments to a product with the
//!   wasi transport; `transport`, the only code that touches `wasi:http`;
//!   and the guest glue (heap, panic handler) of a `no_std` component.
//! - [`products`]: one module per product area (meetings, organizers,
//!   groups, webinars, trainings, assist, seeit, oauth, raw) holding its
//!   operations: input checks, request building, response reading. Products
//!   import the core, never each other.
//! - [`core`]: what every product shares: the HTTP client and the
//!   [`http::Transport`] trait, retry, the error mapping, lenient records
//!   and paging, time, input validation, codecs, the product bases, and the
//!   GoToMeeting records several products read.
//!
//! Everything under `products` and `core` is plain Rust with no wasi types,
//! so it also compiles and is tested natively.
//!
//! The component is `no_std` (with `alloc`; see `boundary::guest`): on
//! wasm32-wasip2, std brings wasi-libc, and with it imports of stdio,
//! terminals, the environment and exit that every instance had to wire up
//! though nothing here uses them. The native build (tests, the benchmark's
//! native side) keeps std.

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

#[cfg(target_arch = "wasm32")]
mod boundary;
pub mod core;
pub mod products;

// The paths the host crates and benchmarks use.
pub use crate::core::http;
pub use crate::products::meetings;

pub use bindings::exports::goto::connector as exports;
pub use bindings::goto::connector::types::{
    ApiError, Applied, CallSettings, Connection, Error, ResponseError, SkippedRecord,
    TransportError, TransportKind,
};

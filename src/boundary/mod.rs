//! The wasm boundary (wasm32 only): the exported interfaces, the transport
//! (the only code that speaks `wasi:http`) and the guest glue a `no_std`
//! component provides itself.

mod component;
mod exports;
mod guest;
mod transport;

//! The shared core: plain Rust over the [`http::Transport`] trait, no wasi
//! types, so it compiles and is tested natively. Products build on it and
//! never on each other.

pub mod bases;
pub mod client;
pub mod codec;
pub mod errors;
pub mod http;
pub mod meeting_records;
pub mod new_since;
pub mod organizer_records;
pub mod pager;
pub mod record;
pub mod retry;
pub mod scope;
#[cfg(test)]
pub(crate) mod testing;
pub mod time;
pub mod validate;

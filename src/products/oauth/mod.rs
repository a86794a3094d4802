//! OAuth and the account: the operations ([`flow`]) and their PKCE logic
//! ([`pkce`]).

pub mod flow;
pub mod pkce;

pub use flow::*;

//! OAuth and the account: the authorization URL and PKCE pair ([`flow`]),
//! the token calls ([`token`]), the current user ([`user`]), and the PKCE
//! logic ([`pkce`]).

pub mod flow;
pub mod pkce;
pub mod token;
pub mod user;

pub use flow::*;
pub use token::*;
pub use user::*;

#[cfg(test)]
mod tests;

//! GoToWebinar: the webinar operations and the paged listing in
//! [`webinar`], the argument checks and request bodies in `bodies`, the
//! shared readers (webinar, registrant, answer, audio) in `readers`, and the
//! sessions and attendees ([`sessions`]), registrants, co-organizers and
//! panelists ([`participants`]), webhooks ([`webhooks`]) and polling
//! triggers ([`triggers`]).

mod bodies;
pub mod participants;
mod readers;
pub mod sessions;
pub mod triggers;
pub mod webhooks;
pub mod webinar;

pub use webinar::*;

#[cfg(test)]
mod tests;

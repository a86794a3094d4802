//! GoToWebinar: the webinar operations and the shared readers (webinar,
//! registrant, paged listing) in [`webinar`], and the sessions and attendees
//! ([`sessions`]), registrants, co-organizers and panelists
//! ([`participants`]), webhooks ([`webhooks`]) and polling triggers
//! ([`triggers`]).

pub mod participants;
pub mod sessions;
pub mod triggers;
pub mod webhooks;
pub mod webinar;

pub use webinar::*;

#[cfg(test)]
mod tests;

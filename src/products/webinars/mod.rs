//! GoToWebinar: the webinar operations and the paged listing in
//! [`webinar`], the argument checks and request bodies in `bodies`, the
//! shared readers (webinar, registrant, answer, audio) in `readers`, and the
//! sessions and attendees ([`sessions`]), session and webinar reports
//! ([`reports`]), in-session webinars, meeting times, start URL and copy
//! ([`scheduling`]), registrants, co-organizers and panelists
//! ([`participants`]), webhooks ([`webhooks`]) and polling triggers
//! ([`triggers`]).

mod bodies;
pub mod participants;
mod readers;
pub mod reports;
pub mod scheduling;
pub mod sessions;
pub mod triggers;
pub mod webhooks;
pub mod webinar;

pub use webinar::*;

#[cfg(test)]
mod tests;

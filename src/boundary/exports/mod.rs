//! One file per exported WIT interface (the webinar ones together): each
//! implements the interface's `Guest` trait for [`Component`] by handing the
//! arguments to its product module with the wasi transport.
//!
//! [`Component`]: crate::boundary::component::Component

mod assist;
mod groups;
mod meetings;
mod oauth;
mod organizers;
mod raw;
mod seeit;
mod trainings;
mod webinars;

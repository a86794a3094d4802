//! One module per product area, each holding its operations: request
//! building, input checks and response reading over the core. Products
//! import the core, never each other.

pub mod assist;
pub mod groups;
pub mod meetings;
pub mod oauth;
pub mod organizers;
pub mod raw;
pub mod seeit;
pub mod trainings;
pub mod webinars;

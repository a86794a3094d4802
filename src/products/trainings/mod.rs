//! GoToTraining: a training as a whole and the readers the others share
//! ([`training`]), changes to a training and the links that start or
//! manage it ([`changes`]), registrants and their polling trigger
//! ([`registrants`]), and reports on completed sessions and online
//! recordings ([`reports`]).

pub mod changes;
pub mod registrants;
pub mod reports;
pub mod training;

pub use changes::*;
pub use registrants::*;
pub use reports::*;
pub use training::*;

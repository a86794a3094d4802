//! Cassettes: recorded GoTo exchanges, one JSON file per case, under
//! `cassettes/<operation>/<case>.json`. The format is in the book
//! (`docs/src/cassettes.md`); [`Replay`] answers strictly from one cassette, [`Demo`] answers any
//! request by method and path shape from all success cassettes.
//!
//! One concern per module: the file `format`, the request `matching`
//! rules, the strict `replay`, the `demo`, and the `check` runner.

mod check;
mod demo;
mod format;
mod matching;
mod replay;

pub use check::{Verdict, cassette_files, check, subset};
pub use demo::Demo;
pub use format::{Cassette, Interaction, RecordedRequest, RecordedResponse, encode_base64};
pub use matching::mismatch;
pub use replay::Replay;

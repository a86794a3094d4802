//! The Rust embedding library as a crate user gets it.

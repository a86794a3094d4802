//! What the `goto-host` command line is built from, beside the embedding
//! library (`goto-host`): [`describe`] reads the WIT for the operations'
//! documentation and JSON Schemas (also the MCP tools' schemas),
//! [`reference`] writes the book's operations page from it, and
//! [`bench`] measures the component against the native build of the same
//! code (`goto-host bench`; the worker's benchmark shares its helpers).

pub mod bench;
pub mod describe;
pub mod reference;

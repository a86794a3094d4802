//! What the `goto-host` command line is built from, beside the embedding
//! library (`goto-host`): [`describe`] reads the WIT for the operations'
//! documentation and JSON Schemas (also the MCP tools' schemas), and
//! [`bench`] measures the component against the native build of the same
//! code (`goto-host bench`; the worker's benchmark shares its helpers).

pub mod bench;
pub mod describe;

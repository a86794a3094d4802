//! The component through an OCI registry.

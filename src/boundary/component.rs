//! The component: the one type that implements every exported WIT
//! interface (one file per interface under `exports/`), and the export glue.

pub(crate) struct Component;

crate::bindings::export!(Component with_types_in crate::bindings);

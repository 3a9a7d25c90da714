//! What a table is: its kind, its canonical columns and how headers map to them.

pub mod detect;
pub mod kinds;
pub mod synonyms;

pub use detect::{detect_kind, map_columns, normalize_header, Mapping};
pub use kinds::{Kind, ValueType};

//! The ground floor: reading files and standard input within limits, positions in them, the
//! problems found there, the YAML and JSON readers that keep a span for every value, the copies
//! embedded in the binary, and schema validation.

pub mod diagnostic;
pub mod embedded;
pub mod files;
mod flow;
pub mod json;
pub mod limits;
pub mod schema;
pub mod shape;
pub mod snippet;
pub mod source;
pub mod yaml;

pub use diagnostic::Problem;
pub use limits::Limits;
pub use source::{FileId, Loc, SourceFile, SourceMap, Span};

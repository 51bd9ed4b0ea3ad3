//! Other data -> registry files. A procurement export (CSV) becomes a registry file: the vendor
//! relationships, the organisations they name that the registry does not declare yet, and the
//! vendors' parents as stakes; nothing is produced unless every row is good. The command that
//! reads the files and writes the result is `vrisk import csv`.

mod cells;
pub mod columns;
pub mod known;
mod merge;
pub mod rows;
pub mod yaml_out;

pub use known::Known;
pub use yaml_out::{Header, check_schema, render};

//! Other data -> registry files. A procurement export (CSV) becomes a `vendors:` fragment;
//! nothing is produced unless every row is good. The command that reads the file and writes the
//! result is `vrisk import csv`.

mod cells;
pub mod columns;
pub mod rows;
mod yaml_out;

pub use yaml_out::{Header, check_schema, render};

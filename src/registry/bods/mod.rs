//! Beneficial Ownership Data Standard (BODS) files as registry input: versions 0.4 (records)
//! and 0.3 (statements), as a JSON array, a single statement or JSON Lines.
//!
//! Reading happens in two steps. [`read`] parses each file's statements one at a time into a
//! [`Pool`] that keeps the latest statement of every record; [`build`] then turns the records
//! of all the files into organisations and stakes, once every file is read, since a relationship
//! may name a record that another file describes. The registry loader links the result to the
//! organisations of the YAML registry (see `registry::link`) and checks the whole.

mod build;
mod fields;
mod history;
mod ids;
mod interests;
mod party;
mod reader;
mod stakes;
mod statement;
mod v03;
mod v04;

pub use build::{RECORD_ID_SCHEME, build};
pub use history::Pool;
pub use ids::{is_valid_id, slug};
pub use reader::{Read, read};

use statement::{Party, Relationship, Stated};

/// One statement as read, before the pool decides whether it is the latest of its record.
pub enum Parsed {
    Party(Stated<Party>),
    Relationship(Stated<Relationship>),
}

impl Parsed {
    /// The id of the record the statement is about.
    pub fn key(&self) -> &str {
        match self {
            Parsed::Party(p) => &p.key.value,
            Parsed::Relationship(r) => &r.key.value,
        }
    }
}

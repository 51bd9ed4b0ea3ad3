//! The statements of a run, reduced as they are read to the latest statement of each record:
//! the one with the latest `statementDate`, and of two with the same date the one read later.
//! 0.3 replacements are collected here and applied when the registry is built.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::registry::model::Ref;

use super::Parsed;
use super::statement::{Party, Relationship, Stated};

#[derive(Default)]
pub struct Pool {
    /// Entities and persons, in the order their records were first seen.
    pub parties: Vec<Stated<Party>>,
    party_index: HashMap<String, usize>,
    /// Relationships, in the order their records were first seen.
    pub relationships: Vec<Stated<Relationship>>,
    relationship_index: HashMap<String, usize>,
    /// 0.3 `replacesStatements`: each replaced statement id and the id of the statement that
    /// replaces it.
    pub replaced: Vec<(Ref, String)>,
    /// Set when some statement could not be read: a relationship naming a record that is not
    /// found may then name the statement that failed, and is not reported again.
    pub incomplete: bool,
}

impl Pool {
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty() && self.relationships.is_empty()
    }

    /// Adds a statement; statements must come in reading order, since of two statements about
    /// a record with the same date the one added later wins.
    pub fn add(&mut self, parsed: Parsed) {
        match parsed {
            Parsed::Party(mut p) => {
                self.take_replacements(&mut p.replaces, &p.key.value);
                keep_latest(&mut self.parties, &mut self.party_index, p);
            }
            Parsed::Relationship(mut r) => {
                self.take_replacements(&mut r.replaces, &r.key.value);
                keep_latest(&mut self.relationships, &mut self.relationship_index, r);
            }
        }
    }

    fn take_replacements(&mut self, replaces: &mut Vec<Ref>, by: &str) {
        for replaced in replaces.drain(..) {
            if replaced.id != by {
                self.replaced.push((replaced, by.to_string()));
            }
        }
    }
}

/// Keeps `new` if its record is new or `new` is at least as recent as the statement kept; the
/// record keeps the place where it was first seen, so the order of records is reading order.
fn keep_latest<T>(list: &mut Vec<Stated<T>>, index: &mut HashMap<String, usize>, new: Stated<T>) {
    match index.entry(new.key.value.clone()) {
        Entry::Occupied(at) => {
            let kept = &mut list[*at.get()];
            if new.date >= kept.date {
                *kept = new;
            }
        }
        Entry::Vacant(slot) => {
            slot.insert(list.len());
            list.push(new);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::registry::bods::statement::{Header, StatementDate};
    use crate::registry::model::{At, OrgKind};
    use crate::source::Loc;

    fn party(pool: &mut Pool, key: &str, date: Option<&str>, name: &str) {
        let header = Header {
            key: At {
                value: key.to_string(),
                loc: Loc::default(),
            },
            date: StatementDate {
                date: date.and_then(Date::parse),
                time: "".into(),
            },
            closed: false,
            loc: Loc::default(),
            replaces: Vec::new(),
        };
        pool.add(Parsed::Party(header.with(Party {
            name: Some(name.to_string()),
            aliases: Vec::new(),
            kind: OrgKind::Company,
            unspecified: None,
            identifiers: Vec::new(),
            country: None,
        })));
    }

    fn names(pool: &Pool) -> Vec<(&str, &str)> {
        pool.parties
            .iter()
            .map(|p| (p.key.value.as_str(), p.body.name.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn latest_date_wins_and_ties_go_to_the_later_statement() {
        let mut pool = Pool::default();
        party(&mut pool, "a", Some("2024-05-01"), "A new");
        party(&mut pool, "b", None, "B");
        party(&mut pool, "a", Some("2024-01-01"), "A older, read later");
        party(&mut pool, "b", Some("2020-01-01"), "B dated");
        party(&mut pool, "a", Some("2024-05-01"), "A same day, read later");
        assert_eq!(
            names(&pool),
            [("a", "A same day, read later"), ("b", "B dated")],
            "records keep the place where they were first seen"
        );
    }
}

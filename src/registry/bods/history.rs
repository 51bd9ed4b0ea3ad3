//! The statements of a run, reduced as they are read to the latest statement of each record:
//! the one with the latest `statementDate`, and of two with the same date the one read later.
//! 0.3 replacements are collected here and applied when the registry is built.

use std::collections::HashMap;
use std::collections::hash_map::{Entry, RandomState};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use crate::registry::model::Ref;

use super::Parsed;
use super::statement::{Party, Relationship, Stated};

#[derive(Default)]
pub struct Pool {
    /// Entities and persons, in the order their records were first seen.
    pub parties: Vec<Stated<Party>>,
    party_index: Index,
    /// Relationships, in the order their records were first seen.
    pub relationships: Vec<Stated<Relationship>>,
    relationship_index: Index,
    /// 0.3 `replacesStatements`: each replaced statement id and the id of the statement that
    /// replaces it.
    pub replaced: Vec<(Ref, String)>,
    /// Set when some statement could not be read: a relationship naming a record that is not
    /// found may then name the statement that failed, and is not reported again.
    pub incomplete: bool,
    /// Hashes record ids (with keys of its own, so that no file can choose ids that collide).
    hasher: RandomState,
}

impl Pool {
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty() && self.relationships.is_empty()
    }

    /// What hashes record ids for [`Pool::add_hashed`]; it may be cloned to other threads.
    pub fn hasher(&self) -> &RandomState {
        &self.hasher
    }

    /// Adds a statement; statements must come in reading order, since of two statements about
    /// a record with the same date the one added later wins.
    pub fn add(&mut self, parsed: Parsed) {
        let hash = self.hasher.hash_one(parsed.key());
        self.add_hashed(parsed, hash);
    }

    /// [`Pool::add`], with the hash of the statement's record id by [`Pool::hasher`] computed
    /// beforehand (by the thread that read the statement).
    pub fn add_hashed(&mut self, parsed: Parsed, hash: u64) {
        match parsed {
            Parsed::Party(mut p) => {
                self.take_replacements(&mut p.replaces, &p.key.value);
                keep_latest(&mut self.parties, &mut self.party_index, p, hash);
            }
            Parsed::Relationship(mut r) => {
                self.take_replacements(&mut r.replaces, &r.key.value);
                keep_latest(
                    &mut self.relationships,
                    &mut self.relationship_index,
                    r,
                    hash,
                );
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
fn keep_latest<T>(list: &mut Vec<Stated<T>>, index: &mut Index, new: Stated<T>, hash: u64) {
    match index.find(list, &new.key.value, hash) {
        Some(at) => {
            let kept = &mut list[at];
            if new.date >= kept.date {
                *kept = new;
            }
        }
        None => {
            index.insert(list, &new.key.value, hash);
            list.push(new);
        }
    }
}

/// The place of each record in a list, by the hash of its id. The hash was computed once,
/// possibly on another thread, and the ids themselves are only read to tell apart two ids with
/// the same hash (which, with a keyed 64-bit hash, essentially never happens).
#[derive(Default)]
struct Index {
    /// The place of the first record seen with each hash.
    first: HashMap<u64, usize, BuildHasherDefault<Prehashed>>,
    /// Records whose hash another record had first, by id.
    collided: HashMap<String, usize>,
}

impl Index {
    fn find<T>(&self, list: &[Stated<T>], id: &str, hash: u64) -> Option<usize> {
        let &at = self.first.get(&hash)?;
        if list[at].key.value == id {
            Some(at)
        } else {
            self.collided.get(id).copied()
        }
    }

    /// Records that the next place of `list` holds `id` (which [`Index::find`] did not find).
    fn insert<T>(&mut self, list: &[Stated<T>], id: &str, hash: u64) {
        match self.first.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(list.len());
            }
            Entry::Occupied(_) => {
                self.collided.insert(id.to_string(), list.len());
            }
        }
    }
}

/// A hasher for keys that are hashes already: it keeps the one `u64` it is given.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    /// Not used for `u64` keys; mixes bytes in so that any key would still hash.
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::Loc;
    use crate::registry::bods::statement::{Header, StatementDate};
    use crate::registry::model::{At, OrgKind};
    use crate::value::date::Date;

    fn party(pool: &mut Pool, key: &str, date: Option<&str>, name: &str) {
        pool.add(Parsed::Party(header(key, date).with(body(name))));
    }

    fn header(key: &str, date: Option<&str>) -> Header {
        Header {
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
        }
    }

    fn body(name: &str) -> Party {
        Party {
            name: Some(name.to_string()),
            aliases: Vec::new(),
            kind: OrgKind::Company,
            unspecified: None,
            identifiers: Vec::new(),
            country: None,
        }
    }

    fn names(pool: &Pool) -> Vec<(&str, &str)> {
        pool.parties
            .iter()
            .map(|p| (p.key.value.as_str(), p.body.name.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn ids_with_the_same_hash_stay_apart() {
        let mut pool = Pool::default();
        for (key, name) in [("a", "A"), ("b", "B"), ("a", "A again"), ("c", "C")] {
            let parsed = Parsed::Party(header(key, None).with(body(name)));
            // Every id gets the same hash: the index must still tell them apart.
            pool.add_hashed(parsed, 7);
        }
        assert_eq!(names(&pool), [("a", "A again"), ("b", "B"), ("c", "C")]);
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

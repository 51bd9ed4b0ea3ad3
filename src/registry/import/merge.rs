//! The rows of an export merged into registry entries, each written once.
//!
//! - Organisations: the customer, every vendor and every parent, by id. A name the registry
//!   already declares (by id, name or alias) takes the registry's id and is not declared again;
//!   any other gets its slug as id and its first spelling as name. A vendor's country and
//!   identifiers are the first given; a later row that gives another is a conflict.
//! - Stakes: one per (parent, vendor), with the share given (`unknown` when none is); rows that
//!   give two different shares are a conflict.
//! - Relationships, by (customer, vendor): services and kinds of data shared are the union over
//!   the rows (in order of first appearance); every row with an amount adds a spend entry; the
//!   status and status date are those of the row with the latest status date (of rows without
//!   one, the last); the last review is the latest given; the contract runs from the earliest
//!   start given to the latest end given.

use std::collections::HashMap;

use crate::input::diagnostic::Problem;
use crate::input::source::Loc;
use crate::registry::Status;
use crate::value::date::Date;

use super::known::Known;
use super::rows::slugify;

/// An organisation as a cell names it; `at` is `None` for `--customer`.
#[derive(Clone, Debug)]
pub struct Named {
    pub text: String,
    pub at: Option<Loc>,
}

/// What one row states, checked cell by cell.
#[derive(Debug)]
pub struct RowFacts {
    pub customer: Named,
    pub vendor: Named,
    pub services: Vec<String>,
    pub data_shared: Vec<String>,
    pub spend: Option<Spend>,
    pub status: Status,
    pub status_date: Option<Date>,
    pub last_review: Option<Date>,
    pub contract: Contract,
    pub country: Option<(String, Loc)>,
    pub identifiers: Vec<(Identifier, Loc)>,
    pub parent: Option<Named>,
    /// The share as the registry writes it (`30%`).
    pub parent_share: Option<(String, Loc)>,
}

/// A vendor relationship as it will be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    pub customer: String,
    pub vendor: String,
    pub services: Vec<String>,
    pub data_shared: Vec<String>,
    pub spend: Vec<Spend>,
    pub status: Status,
    pub status_date: Option<Date>,
    pub last_review: Option<Date>,
    pub contract: Contract,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spend {
    pub year: i32,
    /// `AMOUNT[SUFFIX] CURRENCY`, as the registry writes money.
    pub amount: String,
    pub planned: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Contract {
    pub start: Option<Date>,
    pub end: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identifier {
    pub scheme: String,
    pub id: String,
}

/// An organisation to declare.
#[derive(Clone, Debug, PartialEq)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub identifiers: Vec<Identifier>,
}

/// A parent's stake in a vendor; `share: None` is `unknown`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stake {
    pub owner: String,
    pub owned: String,
    pub share: Option<String>,
}

/// Everything the rows state, merged.
pub struct Built {
    pub relationships: Vec<Relationship>,
    pub organisations: Vec<Organisation>,
    pub stakes: Vec<Stake>,
    pub existing: Vec<String>,
}

pub struct Builder<'k> {
    known: &'k Known,
    relationships: Vec<Relationship>,
    relationship_index: HashMap<(String, String), usize>,
    organisations: Vec<Organisation>,
    organisation_index: HashMap<String, usize>,
    /// Where an attribute of an organisation was first given: (id, attribute) -> cell.
    given: HashMap<(String, String), Loc>,
    stakes: Vec<Stake>,
    /// (owner, owned) -> the stake's index and the cell its share came from.
    stake_index: HashMap<(String, String), (usize, Option<Loc>)>,
    existing: Vec<String>,
}

impl<'k> Builder<'k> {
    pub fn new(known: &'k Known) -> Self {
        Builder {
            known,
            relationships: Vec::new(),
            relationship_index: HashMap::new(),
            organisations: Vec::new(),
            organisation_index: HashMap::new(),
            given: HashMap::new(),
            stakes: Vec::new(),
            stake_index: HashMap::new(),
            existing: Vec::new(),
        }
    }

    pub fn finish(self) -> Built {
        Built {
            relationships: self.relationships,
            organisations: self.organisations,
            stakes: self.stakes,
            existing: self.existing,
        }
    }

    /// The id of the organisation `named` names, declaring it if the registry does not.
    fn resolve(&mut self, named: &Named) -> String {
        if let Some(id) = self.known.organisation(named.text.trim()) {
            if !self.existing.iter().any(|e| e == id) {
                self.existing.push(id.to_string());
            }
            return id.to_string();
        }
        let id = slugify(named.text.trim());
        if !self.organisation_index.contains_key(&id) {
            self.organisation_index
                .insert(id.clone(), self.organisations.len());
            self.organisations.push(Organisation {
                id: id.clone(),
                name: named.text.trim().to_string(),
                country: None,
                identifiers: Vec::new(),
            });
        }
        id
    }

    pub fn add(&mut self, row: RowFacts, problems: &mut Vec<Problem>) {
        let customer = self.resolve(&row.customer);
        let vendor = self.resolve(&row.vendor);
        // Attributes are written only for organisations this import declares.
        if let Some(&i) = self.organisation_index.get(&vendor) {
            if let Some((country, at)) = row.country {
                let first = self.organisations[i].country.clone();
                match first {
                    None => {
                        self.organisations[i].country = Some(country);
                        self.given.insert((vendor.clone(), "country".into()), at);
                    }
                    Some(first) if first != country => {
                        problems.push(self.conflict(&vendor, "country", &first, &country, at));
                    }
                    Some(_) => {}
                }
            }
            for (identifier, at) in row.identifiers {
                let key = format!("identifier {}", identifier.scheme);
                let first = self.organisations[i]
                    .identifiers
                    .iter()
                    .find(|x| x.scheme == identifier.scheme)
                    .cloned();
                match first {
                    None => {
                        self.organisations[i].identifiers.push(identifier);
                        self.given.insert((vendor.clone(), key), at);
                    }
                    Some(first) if first.id != identifier.id => {
                        problems.push(self.conflict(&vendor, &key, &first.id, &identifier.id, at));
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(parent) = &row.parent {
            let owner = self.resolve(parent);
            self.add_stake(owner, &vendor, parent, row.parent_share, problems);
        }
        self.add_relationship(
            Relationship {
                customer,
                vendor,
                services: row.services,
                data_shared: row.data_shared,
                spend: row.spend.into_iter().collect(),
                status: row.status,
                status_date: row.status_date,
                last_review: row.last_review,
                contract: row.contract,
            },
            row.status_date,
        );
    }

    fn add_stake(
        &mut self,
        owner: String,
        owned: &str,
        parent: &Named,
        share: Option<(String, Loc)>,
        problems: &mut Vec<Problem>,
    ) {
        if owner == owned {
            if let Some(at) = parent.at {
                problems.push(
                    Problem::new(
                        "import::bad-cell",
                        format!("`{}` is given as the parent of itself", parent.text.trim()),
                    )
                    .at(at, "the vendor itself")
                    .with_help("name the company that owns the vendor, or leave the cell empty"),
                );
            }
            return;
        }
        let key = (owner.clone(), owned.to_string());
        match self.stake_index.get(&key) {
            None => {
                self.stake_index
                    .insert(key, (self.stakes.len(), share.as_ref().map(|s| s.1)));
                self.stakes.push(Stake {
                    owner,
                    owned: owned.to_string(),
                    share: share.map(|s| s.0),
                });
            }
            Some(&(i, first_at)) => {
                let Some((text, at)) = share else { return };
                match &self.stakes[i].share {
                    None => {
                        self.stakes[i].share = Some(text);
                        self.stake_index.insert(key, (i, Some(at)));
                    }
                    Some(first) if *first != text => {
                        let mut problem = Problem::new(
                            "import::conflicting-cell",
                            format!(
                                "`{owner}` holds {text} of `{owned}` here, {first} on an earlier row"
                            ),
                        )
                        .at(at, "this share");
                        if let Some(first_at) = first_at {
                            problem = problem.at(first_at, "the share given first");
                        }
                        problems.push(problem.with_help(
                            "give one share for a parent and a vendor, or leave the later cells \
                             empty",
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
    }

    fn conflict(&self, org: &str, what: &str, first: &str, later: &str, at: Loc) -> Problem {
        let mut problem = Problem::new(
            "import::conflicting-cell",
            format!("`{org}` has {what} `{later}` here, `{first}` on an earlier row"),
        )
        .at(at, format!("another {what}"));
        if let Some(first_at) = self.given.get(&(org.to_string(), what.to_string())) {
            problem = problem.at(*first_at, "given first here");
        }
        problem.with_help("make the rows of one vendor agree, or leave the later cells empty")
    }

    fn add_relationship(&mut self, row: Relationship, status_date: Option<Date>) {
        let key = (row.customer.clone(), row.vendor.clone());
        let Some(&at) = self.relationship_index.get(&key) else {
            self.relationship_index
                .insert(key, self.relationships.len());
            self.relationships.push(row);
            return;
        };
        let kept = &mut self.relationships[at];
        for s in row.services {
            if !kept.services.contains(&s) {
                kept.services.push(s);
            }
        }
        for d in row.data_shared {
            if !kept.data_shared.contains(&d) {
                kept.data_shared.push(d);
            }
        }
        kept.spend.extend(row.spend);
        if status_date >= kept.status_date {
            kept.status = row.status;
            kept.status_date = status_date;
        }
        kept.last_review = kept.last_review.max(row.last_review);
        kept.contract.start = match (kept.contract.start, row.contract.start) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        kept.contract.end = kept.contract.end.max(row.contract.end);
    }
}

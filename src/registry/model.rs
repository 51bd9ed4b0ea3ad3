//! The typed registry: organisations, stakes, competitors, vendor relationships, people and
//! sources, each item remembering where it was declared.

use foldhash::HashMap;
use serde::{Deserialize, Serialize};

use crate::input::diagnostic::Problem;
use crate::input::source::Loc;
use crate::value::date::Date;
use crate::value::interval::Interval;
use crate::value::money::Money;

/// A reference to another item by id, with the position of the reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ref {
    pub id: String,
    pub loc: Loc,
    /// The YAML alias or merge key that copied the reference from an anchored node, if one
    /// did: a problem with the reference is labelled there too.
    pub alias: Option<Loc>,
}

/// A value with the position it was read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    Company,
    Person,
    Fund,
    Government,
}

impl OrgKind {
    pub fn parse(text: &str) -> Option<OrgKind> {
        Some(match text {
            "company" => OrgKind::Company,
            "person" => OrgKind::Person,
            "fund" => OrgKind::Fund,
            "government" => OrgKind::Government,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            OrgKind::Company => "company",
            OrgKind::Person => "person",
            OrgKind::Fund => "fund",
            OrgKind::Government => "government",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: At<String>,
    pub title: String,
    pub publisher: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub quote: Option<String>,
    pub secondary: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identifier {
    pub scheme: String,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearAmount {
    pub year: i32,
    pub amount: Money,
    pub source: Option<Ref>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatedAmount {
    pub date: Date,
    pub amount: Money,
    pub source: Option<Ref>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: At<String>,
    pub name: String,
    pub kind: OrgKind,
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub revenue: Vec<YearAmount>,
    pub valuation: Vec<DatedAmount>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

/// A share as written: its interval and where it was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareField {
    pub interval: Interval,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stake {
    pub id: Option<String>,
    pub owner: Ref,
    pub owned: Ref,
    pub economic: ShareField,
    /// `None` when not stated: voting then follows the economic share (ordinary shares).
    pub voting: Option<ShareField>,
    pub start: Option<At<Date>>,
    pub end: Option<At<Date>>,
    pub board: bool,
    /// A declared indirect interest: never added on top of computed chains.
    pub indirect: bool,
    /// The class of shares, for an owner holding several classes of one organisation: stakes
    /// of different classes add up without a warning.
    pub class: Option<String>,
    pub consideration: Option<Money>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

impl Stake {
    pub fn voting_interval(&self) -> Interval {
        self.voting
            .as_ref()
            .map_or(self.economic.interval, |v| v.interval)
    }

    /// Whether the stake counts on `date`: started on or before it and not ended before it.
    pub fn active_on(&self, date: Date) -> bool {
        self.start.as_ref().is_none_or(|s| s.value <= date)
            && self.end.as_ref().is_none_or(|e| e.value >= date)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    Major,
    Minor,
}

impl Tier {
    pub fn name(self) -> &'static str {
        match self {
            Tier::Major => "major",
            Tier::Minor => "minor",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Competitor {
    pub of: Ref,
    pub competitor: Ref,
    pub tier: Tier,
    pub markets: Vec<String>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    Active,
    Exiting,
    Ended,
}

impl Status {
    pub fn parse(text: &str) -> Option<Status> {
        Some(match text {
            "active" => Status::Active,
            "exiting" => Status::Exiting,
            "ended" => Status::Ended,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Exiting => "exiting",
            Status::Ended => "ended",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spend {
    pub year: i32,
    pub amount: Money,
    pub planned: bool,
    pub source: Option<Ref>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attestation {
    pub kind: String,
    pub expires: Option<Date>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VendorRelationship {
    pub customer: Ref,
    pub vendor: Ref,
    pub services: Vec<String>,
    pub data_shared: Vec<String>,
    pub spend: Vec<Spend>,
    pub status: At<Status>,
    pub status_date: Option<Date>,
    pub last_review: Option<At<Date>>,
    pub contract: Option<Contract>,
    pub attestations: Vec<Attestation>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

/// The term of a vendor's contract: its first and its last day, each when known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    pub start: Option<At<Date>>,
    pub end: Option<At<Date>>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub person: Ref,
    pub org: Ref,
    pub role: String,
    pub key: bool,
    pub start: Option<At<Date>>,
    pub end: Option<At<Date>>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Move {
    pub person: Ref,
    pub from: Ref,
    pub to: Ref,
    pub date: At<Date>,
    pub role: Option<String>,
    pub note: Option<String>,
    pub source: Option<Ref>,
    pub loc: Loc,
}

/// One registry: everything read from the registry inputs of a run, merged.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub default_org: Option<Ref>,
    pub sources: Vec<Source>,
    pub organisations: Vec<Organisation>,
    pub stakes: Vec<Stake>,
    pub competitors: Vec<Competitor>,
    pub vendors: Vec<VendorRelationship>,
    pub roles: Vec<Role>,
    pub moves: Vec<Move>,
    /// Warnings found while loading (facts of a BODS file that disagree with the registry, say):
    /// shown to the user, but they do not stop a run.
    pub warnings: Vec<Problem>,
    /// Ids are looked up millions of times in a large registry. foldhash's maps (used for ids
    /// throughout) cost much less than the standard SipHash, and their per-run random seed
    /// still keeps a file from choosing ids that collide.
    org_index: HashMap<String, usize>,
    /// How many organisations (from the start of the list) `org_index` covers.
    indexed: usize,
}

impl Registry {
    /// Rebuilds the id look-up after the lists changed (first declaration of an id wins).
    pub fn reindex(&mut self) {
        self.org_index.clear();
        self.indexed = 0;
        self.index_new();
    }

    /// Indexes the organisations added since the last indexing.
    fn index_new(&mut self) {
        for (i, org) in self.organisations.iter().enumerate().skip(self.indexed) {
            self.org_index.entry(org.id.value.clone()).or_insert(i);
        }
        self.indexed = self.organisations.len();
    }

    pub fn org_index(&self, id: &str) -> Option<usize> {
        self.org_index.get(id).copied()
    }

    pub fn org(&self, id: &str) -> Option<&Organisation> {
        self.org_index(id).map(|i| &self.organisations[i])
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id.value == id)
    }

    /// The display name of an id, or the id itself when it is unknown.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.org(id).map_or(id, |o| o.name.as_str())
    }

    /// Appends the items of `other`; an id already declared keeps its first declaration.
    pub fn merge(&mut self, other: Registry) {
        if self.default_org.is_none() {
            self.default_org = other.default_org;
        }
        if self.organisations.is_empty() {
            // The organisations are taken over as they are, and so is their index.
            self.org_index = other.org_index;
            self.indexed = other.indexed;
        }
        append(&mut self.sources, other.sources);
        append(&mut self.organisations, other.organisations);
        append(&mut self.stakes, other.stakes);
        append(&mut self.competitors, other.competitors);
        append(&mut self.vendors, other.vendors);
        append(&mut self.roles, other.roles);
        append(&mut self.moves, other.moves);
        append(&mut self.warnings, other.warnings);
        // Only the new organisations: re-indexing the whole list at every file made loading
        // quadratic in the number of files.
        self.index_new();
    }
}

/// Appends `items` to `list`; an empty list takes them over without a copy (a file's millions of
/// stakes are not copied, nor held twice).
fn append<T>(list: &mut Vec<T>, items: Vec<T>) {
    if list.is_empty() {
        *list = items;
    } else {
        list.extend(items);
    }
}

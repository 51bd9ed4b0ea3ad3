//! The latest statements of every record -> registry organisations and stakes.
//!
//! Entities and persons become organisations whose id is the record id (or a slug of it);
//! relationships become stakes. An undisclosed interested party becomes an organisation of its
//! own, an "unspecified owner", so that the stake stays visible. A closed record ends: the
//! stakes of a closed relationship, and every stake of a closed entity or person, count up to
//! the day before the closing statement.

use foldhash::HashMap;

use rayon::prelude::*;

use crate::input::diagnostic::Problem;
use crate::input::source::Loc;
use crate::registry::model::*;
use crate::value::date::Date;

use super::history::Pool;
use super::ids::{Ids, is_valid_id};
use super::stakes::{self, Terms};
use super::statement::{Party, PartyRef, Relationship, Stated};

/// The identifier scheme under which a record id that had to be changed is kept.
pub const RECORD_ID_SCHEME: &str = "bods-record-id";

/// Most replacement links followed from one statement (a guard against replacement cycles).
const MAX_REPLACEMENT_HOPS: usize = 1_000;

/// When a record closed: the date of its closing statement, `None` if it has no date.
type Closing = Option<Date>;

pub fn build(pool: Pool, problems: &mut Vec<Problem>) -> Registry {
    let Pool {
        parties,
        relationships,
        replaced,
        incomplete,
        ..
    } = pool;
    let replaced: HashMap<&str, &str> = replaced
        .iter()
        .map(|(old, by)| (old.id.as_str(), by.as_str()))
        .collect();
    let parties = current(parties, &replaced);
    let relationships = current(relationships, &replaced);
    let plan = plan(&parties, &relationships, &replaced, incomplete, problems);

    let mut registry = Registry::default();
    let closings: Vec<Option<Closing>> = parties
        .iter()
        .map(|p| p.closed.then_some(p.date.date))
        .collect();
    registry.organisations.reserve(parties.len());
    for (party, derived) in parties.into_iter().zip(plan.party_ids) {
        registry.organisations.push(organisation(party, derived));
    }
    registry.stakes.reserve(relationships.len());
    for (relationship, links) in relationships.into_iter().zip(plan.relationships) {
        add_stakes(&mut registry, relationship, links, &closings);
    }
    registry.reindex();
    registry
}

/// The statements that no other statement replaces.
fn current<T>(statements: Vec<Stated<T>>, replaced: &HashMap<&str, &str>) -> Vec<Stated<T>> {
    statements
        .into_iter()
        .filter(|s| !replaced.contains_key(s.key.value.as_str()))
        .collect()
}

/// The stakes of a relationship whose links are resolved, and the organisation of its
/// undisclosed owner, if it has one. `closings` are those of the parties, by index.
fn add_stakes(
    registry: &mut Registry,
    relationship: Stated<Relationship>,
    links: Links,
    closings: &[Option<Closing>],
) {
    let Stated {
        key,
        date,
        closed,
        loc,
        body,
        ..
    } = relationship;
    let Relationship {
        subject,
        interested,
        interests,
    } = body;
    let owner = links.interested.map(|link| match link.to {
        Target::Party(index) => Side {
            loc: link.loc,
            index,
            closing: closings[index],
            written: written_id(interested, link.as_written),
        },
        Target::Unspecified(id) => {
            let reason = match interested {
                PartyRef::Unspecified { reason, .. } => reason,
                PartyRef::Record(_) => None,
            };
            registry
                .organisations
                .push(unspecified_owner(id.clone(), reason.as_deref(), link.loc));
            Side {
                loc: link.loc,
                index: registry.organisations.len() - 1,
                closing: None,
                written: Some(id),
            }
        }
    });
    let owned = links.subject.map(|link| Side {
        loc: link.loc,
        index: link.to,
        closing: closings[link.to],
        written: written_id(subject, link.as_written),
    });
    let (Some(mut owned), Some(mut owner)) = (owned, owner) else {
        return;
    };
    let closings = [closed.then_some(date.date), owned.closing, owner.closing];
    let all_terms = stakes::terms(&interests, loc);
    let count = all_terms.len();
    let mut key = key.value;
    for (i, terms) in all_terms.into_iter().enumerate() {
        let Some(end) = ends(&terms, &closings, loc) else {
            continue;
        };
        // The last stake of the relationship takes the strings the others copy.
        let last = i + 1 == count;
        let id = if last {
            std::mem::take(&mut key)
        } else {
            key.clone()
        };
        let owner = owner.reference(&registry.organisations, last);
        let owned = owned.reference(&registry.organisations, last);
        registry
            .stakes
            .push(stake(id, loc, terms, end, owner, owned));
    }
}

/// What becomes of the records, decided while their statements can still be looked up by id:
/// the id of each party, and the parties each relationship links (problems about the links are
/// reported here, in reading order).
struct Plan {
    /// For each party, the id derived for it, or `None` when its record id is valid as written.
    party_ids: Vec<Option<String>>,
    relationships: Vec<Links>,
}

/// The parties a relationship links, where it names them; `None` when a side is left out.
struct Links {
    subject: Option<Link<usize>>,
    interested: Option<Link<Target>>,
}

struct Link<T> {
    loc: Loc,
    /// The party (its index), or for an interested party, what it is.
    to: T,
    /// Whether the id written is the party's id: no replacement followed, no id derived.
    as_written: bool,
}

enum Target {
    /// A party (its index).
    Party(usize),
    /// An undisclosed owner, which becomes an organisation of its own with this id.
    Unspecified(String),
}

fn plan(
    parties: &[Stated<Party>],
    relationships: &[Stated<Relationship>],
    replaced: &HashMap<&str, &str>,
    incomplete: bool,
    problems: &mut Vec<Problem>,
) -> Plan {
    // Ids valid as written are reserved before any slug is derived.
    let mut ids = Ids::new(
        parties
            .iter()
            .map(|p| p.key.value.as_str())
            .filter(|key| is_valid_id(key)),
    );
    let party_ids: Vec<Option<String>> = parties
        .iter()
        .map(|p| (!is_valid_id(&p.key.value)).then(|| ids.derive(&p.key.value)))
        .collect();
    let records = Records {
        index: parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.value.as_str(), i))
            .collect(),
        replaced,
        party_ids: &party_ids,
    };
    // Looking ids up is most of the work, and the same whichever thread does it; what depends
    // on order (problems, derived ids) follows in reading order.
    let found: Vec<(Option<Found>, Option<Found>)> = relationships
        .par_iter()
        .map(|r| {
            (
                records.find(&r.body.subject),
                records.find(&r.body.interested),
            )
        })
        .collect();
    let links = relationships
        .iter()
        .zip(found)
        .map(|(relationship, (subject, interested))| Links {
            subject: subject_link(relationship, subject, incomplete, problems),
            interested: interested_link(relationship, interested, &mut ids, incomplete, problems),
        })
        .collect();
    Plan {
        party_ids,
        relationships: links,
    }
}

/// The parties by record id, for the relationships to name them.
struct Records<'a> {
    index: HashMap<&'a str, usize>,
    replaced: &'a HashMap<&'a str, &'a str>,
    party_ids: &'a [Option<String>],
}

/// The party a relationship names (its index), and whether the id written is the party's id.
type Found = (usize, bool);

impl Records<'_> {
    /// The party a subject or interested party names, if it names a record that is known.
    fn find(&self, party: &PartyRef) -> Option<Found> {
        match party {
            PartyRef::Record(r) => self.resolve(&r.id),
            PartyRef::Unspecified { .. } => None,
        }
    }

    /// The party a record id names. A reference to a replaced statement means the statement
    /// that replaced it.
    fn resolve(&self, written: &str) -> Option<Found> {
        let mut id = written;
        for _ in 0..MAX_REPLACEMENT_HOPS {
            match self.replaced.get(id) {
                Some(by) => id = by,
                None => break,
            }
        }
        let found = *self.index.get(id)?;
        Some((found, id == written && self.party_ids[found].is_none()))
    }
}

/// The link to the subject of a relationship, `found` by [`Records::find`].
fn subject_link(
    relationship: &Stated<Relationship>,
    found: Option<Found>,
    incomplete: bool,
    problems: &mut Vec<Problem>,
) -> Option<Link<usize>> {
    match &relationship.body.subject {
        PartyRef::Record(r) => match found {
            Some((index, as_written)) => Some(Link {
                loc: r.loc,
                to: index,
                as_written,
            }),
            None => {
                if !incomplete {
                    problems.push(unknown_record(r, "subject"));
                }
                None
            }
        },
        PartyRef::Unspecified { loc, .. } => {
            problems.push(
                Problem::warning(
                    "bods::unspecified-subject",
                    format!(
                        "relationship `{}` does not say whose interests it describes; it is left out",
                        relationship.key.value
                    ),
                )
                .at(*loc, "unspecified subject"),
            );
            None
        }
    }
}

/// The link to the interested party of a relationship, `found` by [`Records::find`].
fn interested_link(
    relationship: &Stated<Relationship>,
    found: Option<Found>,
    ids: &mut Ids,
    incomplete: bool,
    problems: &mut Vec<Problem>,
) -> Option<Link<Target>> {
    match &relationship.body.interested {
        PartyRef::Record(r) => match found {
            Some((index, as_written)) => Some(Link {
                loc: r.loc,
                to: Target::Party(index),
                as_written,
            }),
            None => {
                if !incomplete {
                    problems.push(unknown_record(r, "interested party"));
                }
                None
            }
        },
        PartyRef::Unspecified { loc, .. } => {
            let id = ids.derive(&format!("unspecified-{}", relationship.key.value));
            Some(Link {
                loc: *loc,
                to: Target::Unspecified(id),
                as_written: false,
            })
        }
    }
}

/// The end of a stake once the closings of its records are applied: `None` when the stake
/// never counted (its record closed before it started, or closed on a date not stated while the
/// stake states no end of its own).
fn ends(terms: &Terms, closings: &[Option<Closing>], loc: Loc) -> Option<Option<At<Date>>> {
    let mut end = terms.end.clone();
    let mut capped = false;
    for closing in closings.iter().flatten() {
        match closing {
            Some(date) => {
                let last = date.add_days(-1);
                if end.as_ref().is_none_or(|e| e.value > last) {
                    end = Some(At { value: last, loc });
                    capped = true;
                }
            }
            None if end.is_none() => return None,
            None => {}
        }
    }
    // An end written before the start is kept, for the registry checks to report.
    let before_start = terms
        .start
        .as_ref()
        .zip(end.as_ref())
        .is_some_and(|(s, e)| e.value < s.value);
    if capped && before_start {
        return None;
    }
    Some(end)
}

fn stake(
    id: String,
    loc: Loc,
    terms: Terms,
    end: Option<At<Date>>,
    owner: Ref,
    owned: Ref,
) -> Stake {
    Stake {
        id: Some(id),
        owner,
        owned,
        economic: terms.economic,
        voting: terms.voting,
        start: terms.start,
        end,
        board: terms.board,
        indirect: terms.indirect,
        class: None,
        consideration: None,
        source: None,
        loc,
    }
}

/// One side of a relationship once resolved: the organisation (its index) and the id the
/// relationship wrote for it, when that is the organisation's id.
struct Side {
    loc: Loc,
    index: usize,
    closing: Option<Closing>,
    written: Option<String>,
}

impl Side {
    /// A reference to the organisation for a stake. The id as written serves when it is the
    /// organisation's: it is at hand, where the organisation's own may be anywhere in memory.
    fn reference(&mut self, organisations: &[Organisation], last: bool) -> Ref {
        let id = match &mut self.written {
            Some(written) if last => std::mem::take(written),
            Some(written) => written.clone(),
            None => organisations[self.index].id.value.clone(),
        };
        Ref {
            id,
            loc: self.loc,
            alias: None,
        }
    }
}

/// The id a relationship wrote for a party, when it is the id of the party's organisation.
fn written_id(party: PartyRef, as_written: bool) -> Option<String> {
    match party {
        PartyRef::Record(reference) if as_written => Some(reference.id),
        _ => None,
    }
}

/// The organisation of a party, under the id derived for it (`None`: its record id).
fn organisation(party: Stated<Party>, derived: Option<String>) -> Organisation {
    let p = party.body;
    let key = party.key.value;
    let name = match (p.name, &p.unspecified) {
        (Some(name), _) => name,
        (None, Some(anonymity)) => format!(
            "{} ({})",
            anonymity.what,
            reason_text(anonymity.reason.as_deref())
        ),
        (None, None) => key.clone(),
    };
    let mut identifiers = p.identifiers;
    // A derived id differs from the record id, which stays findable as an identifier.
    let id = match derived {
        Some(id) => {
            identifiers.push(Identifier {
                scheme: RECORD_ID_SCHEME.to_string(),
                id: key,
            });
            id
        }
        None => key,
    };
    Organisation {
        id: At {
            value: id,
            loc: party.key.loc,
        },
        name,
        kind: p.kind,
        aliases: p.aliases,
        country: p.country,
        identifiers,
        revenue: Vec::new(),
        valuation: Vec::new(),
        source: None,
        loc: party.loc,
    }
}

fn unspecified_owner(id: String, reason: Option<&str>, loc: Loc) -> Organisation {
    Organisation {
        id: At { value: id, loc },
        name: format!("Unspecified owner ({})", reason_text(reason)),
        kind: OrgKind::Company,
        aliases: Vec::new(),
        country: None,
        identifiers: Vec::new(),
        revenue: Vec::new(),
        valuation: Vec::new(),
        source: None,
        loc,
    }
}

/// The BODS unspecifiedReason codes, as words.
fn reason_text(reason: Option<&str>) -> String {
    match reason {
        None => "no reason given",
        Some("noBeneficialOwners") => "no beneficial owners",
        Some("subjectUnableToConfirmOrIdentifyBeneficialOwner") => {
            "subject unable to confirm or identify beneficial owner"
        }
        Some("interestedPartyHasNotProvidedInformation") => {
            "interested party has not provided information"
        }
        Some("subjectExemptFromDisclosure") => "subject exempt from disclosure",
        Some("interestedPartyExemptFromDisclosure") => "interested party exempt from disclosure",
        Some("unknown") => "unknown reason",
        Some("informationUnknownToPublisher") => "information unknown to the publisher",
        Some(other) => other,
    }
    .to_string()
}

fn unknown_record(reference: &Ref, role: &str) -> Problem {
    Problem::new(
        "bods::unknown-record",
        format!(
            "the {role} `{}` is described by no statement of the BODS inputs",
            reference.id
        ),
    )
    .at(reference.loc, "no statement with this id")
    .with_help(
        "load the file that describes this record alongside (give --registry once per file or \
         a directory), or correct the id",
    )
}

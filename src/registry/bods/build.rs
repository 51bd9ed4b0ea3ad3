//! The latest statements of every record -> registry organisations and stakes.
//!
//! Entities and persons become organisations whose id is the record id (or a slug of it);
//! relationships become stakes. An undisclosed interested party becomes an organisation of its
//! own, an "unspecified owner", so that the stake stays visible. A closed record ends: the
//! stakes of a closed relationship, and every stake of a closed entity or person, count up to
//! the day before the closing statement.

use std::collections::HashMap;

use crate::date::Date;
use crate::diagnostic::Problem;
use crate::registry::model::*;
use crate::source::Loc;

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
    let replaced: HashMap<&str, &str> = pool
        .replaced
        .iter()
        .map(|(old, by)| (old.id.as_str(), by.as_str()))
        .collect();
    let current = |id: &str| !replaced.contains_key(id);
    let parties: Vec<&Stated<Party>> = pool
        .parties
        .iter()
        .filter(|p| current(&p.key.value))
        .collect();

    // Ids valid as written are reserved before any slug is derived.
    let mut ids = Ids::default();
    for party in &parties {
        if is_valid_id(&party.key.value) {
            ids.reserve(&party.key.value);
        }
    }
    let mut registry = Registry::default();
    let mut id_of: HashMap<&str, (String, Option<Closing>)> = HashMap::new();
    for party in &parties {
        let key = &party.key.value;
        let id = if is_valid_id(key) {
            key.clone()
        } else {
            ids.derive(key)
        };
        let closing = party.closed.then_some(party.date.date);
        id_of.insert(key, (id.clone(), closing));
        registry.organisations.push(organisation(party, id));
    }

    // A reference to a replaced statement means the statement that replaced it.
    let resolve = |id: &str| -> Option<(String, Option<Closing>)> {
        let mut id = id;
        for _ in 0..MAX_REPLACEMENT_HOPS {
            match replaced.get(id) {
                Some(by) => id = by,
                None => break,
            }
        }
        id_of.get(id).cloned()
    };

    for relationship in pool.relationships.iter().filter(|r| current(&r.key.value)) {
        let subject = match &relationship.body.subject {
            PartyRef::Record(r) => match resolve(&r.id) {
                Some(found) => Some((r.loc, found)),
                None => {
                    if !pool.incomplete {
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
        };
        let interested = match &relationship.body.interested {
            PartyRef::Record(r) => match resolve(&r.id) {
                Some(found) => Some((r.loc, found)),
                None => {
                    if !pool.incomplete {
                        problems.push(unknown_record(r, "interested party"));
                    }
                    None
                }
            },
            PartyRef::Unspecified { reason, loc } => {
                let id = ids.derive(&format!("unspecified-{}", relationship.key.value));
                registry
                    .organisations
                    .push(unspecified_owner(&id, reason.as_deref(), *loc));
                Some((*loc, (id, None)))
            }
        };
        let (Some((owned_loc, (owned, owned_closing))), Some((owner_loc, (owner, owner_closing)))) =
            (subject, interested)
        else {
            continue;
        };
        let closings = [
            relationship.closed.then_some(relationship.date.date),
            owned_closing,
            owner_closing,
        ];
        for terms in stakes::terms(&relationship.body.interests, relationship.loc) {
            let Some(end) = ends(&terms, &closings, relationship.loc) else {
                continue;
            };
            registry.stakes.push(stake(
                relationship,
                terms,
                end,
                Ref {
                    id: owner.clone(),
                    loc: owner_loc,
                },
                Ref {
                    id: owned.clone(),
                    loc: owned_loc,
                },
            ));
        }
    }
    registry.reindex();
    registry
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
    relationship: &Stated<Relationship>,
    terms: Terms,
    end: Option<At<Date>>,
    owner: Ref,
    owned: Ref,
) -> Stake {
    Stake {
        id: Some(relationship.key.value.clone()),
        owner,
        owned,
        economic: terms.economic,
        voting: terms.voting,
        start: terms.start,
        end,
        board: terms.board,
        indirect: terms.indirect,
        consideration: None,
        source: None,
        loc: relationship.loc,
    }
}

fn organisation(party: &Stated<Party>, id: String) -> Organisation {
    let p = &party.body;
    let name = match (&p.name, &p.unspecified) {
        (Some(name), _) => name.clone(),
        (None, Some(anonymity)) => format!(
            "{} ({})",
            anonymity.what,
            reason_text(anonymity.reason.as_deref())
        ),
        (None, None) => party.key.value.clone(),
    };
    let mut identifiers = p.identifiers.clone();
    if id != party.key.value {
        identifiers.push(Identifier {
            scheme: RECORD_ID_SCHEME.to_string(),
            id: party.key.value.clone(),
        });
    }
    Organisation {
        id: At {
            value: id,
            loc: party.key.loc,
        },
        name,
        kind: p.kind,
        aliases: p.aliases.clone(),
        country: p.country.clone(),
        identifiers,
        revenue: Vec::new(),
        valuation: Vec::new(),
        source: None,
        loc: party.loc,
    }
}

fn unspecified_owner(id: &str, reason: Option<&str>, loc: Loc) -> Organisation {
    Organisation {
        id: At {
            value: id.to_string(),
            loc,
        },
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

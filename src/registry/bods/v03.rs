//! BODS 0.3 statements: entity, person and ownership-or-control statements, each its own record
//! (`statementID`); a statement may replace earlier ones (`replacesStatements`).

use crate::input::diagnostic::Problem;
use crate::input::json::{Json, Kind};
use crate::registry::model::{At, Ref};

use super::Parsed;
use super::fields;
use super::interests::{self, ShareRules};
use super::party;
use super::statement::{Header, PartyRef, Relationship};

const WHAT: &str = "BODS 0.3 statement";

pub fn statement(node: Json, problems: &mut Vec<Problem>) -> Option<Parsed> {
    // The standard spells it `statementID`; accept the 0.4 spelling too.
    let key = if node.get("statementID").is_none() && node.get("statementId").is_some() {
        fields::required_str(node, "statementId", WHAT, problems)
    } else {
        fields::required_str(node, "statementID", WHAT, problems)
    };
    let statement_type = fields::required_str(node, "statementType", WHAT, problems);
    let date = fields::statement_date(node, problems);
    let replaces = fields::list(node, "replacesStatements", problems)
        .filter_map(|n| {
            n.as_str().map(|id| Ref {
                id: id.to_string(),
                loc: n.loc(),
                alias: None,
            })
        })
        .collect();
    let replaces = fields::kept(replaces);
    let (key, statement_type) = (key?, statement_type?);
    let header = Header {
        key: At {
            value: key.value.to_string(),
            loc: key.loc,
        },
        date,
        closed: false,
        loc: node.loc(),
        replaces,
    };
    match statement_type.value {
        "entityStatement" => {
            let entity_type = node.get("entityType").and_then(|t| t.as_str());
            let party = party::entity(node, entity_type, None, problems);
            Some(Parsed::Party(header.with(party)))
        }
        "personStatement" => Some(Parsed::Party(header.with(party::person(node, problems)))),
        "ownershipOrControlStatement" => {
            let subject = subject(node, problems);
            let interested = interested_party(node, problems);
            let interests = interests::interests(node, ShareRules::V03, problems);
            Some(Parsed::Relationship(header.with(Relationship {
                subject: subject?,
                interested: interested?,
                interests,
            })))
        }
        other => {
            problems.push(
                Problem::new(
                    "bods::unknown-record-type",
                    format!("`{other}` is not a BODS statement type"),
                )
                .at(
                    statement_type.loc,
                    "expected entityStatement, personStatement or ownershipOrControlStatement",
                )
                .with_help(
                    "BODS 0.3 statements are entity, person or ownership-or-control statements",
                ),
            );
            None
        }
    }
}

fn subject(node: Json, problems: &mut Vec<Problem>) -> Option<PartyRef> {
    let subject = fields::required(node, "subject", "ownership-or-control statement", problems)?;
    if !subject.is_object() {
        problems.push(fields::wrong_type(subject, "subject", "an object"));
        return None;
    }
    let id = fields::required_str(subject, "describedByEntityStatement", "subject", problems)?;
    Some(PartyRef::Record(Ref {
        id: id.value.to_string(),
        loc: id.loc,
        alias: None,
    }))
}

fn interested_party(node: Json, problems: &mut Vec<Problem>) -> Option<PartyRef> {
    let party = fields::required(
        node,
        "interestedParty",
        "ownership-or-control statement",
        problems,
    )?;
    if !party.is_object() {
        problems.push(fields::wrong_type(party, "interestedParty", "an object"));
        return None;
    }
    for key in ["describedByEntityStatement", "describedByPersonStatement"] {
        if let Some(value) = party.get(key) {
            return match value.kind() {
                Kind::Str(id) => Some(PartyRef::Record(Ref {
                    id: id.to_string(),
                    loc: value.loc(),
                    alias: None,
                })),
                _ => {
                    problems.push(fields::wrong_type(value, key, "a statement id"));
                    None
                }
            };
        }
    }
    if let Some(unspecified) = party.get("unspecified") {
        return Some(PartyRef::Unspecified {
            reason: fields::reason(Some(unspecified)),
            loc: unspecified.loc(),
        });
    }
    problems.push(
        Problem::new(
            "bods::missing-field",
            "the interested party names no statement and is not `unspecified`",
        )
        .at(party.loc(), "interested party")
        .with_help(
            "give `describedByEntityStatement`, `describedByPersonStatement` or `unspecified`",
        ),
    );
    None
}

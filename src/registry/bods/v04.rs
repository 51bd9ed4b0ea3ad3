//! BODS 0.4 statements: records (`recordId`) of type entity, person or relationship, whose
//! details are in `recordDetails`; `recordStatus: closed` ends a record.

use crate::input::diagnostic::Problem;
use crate::input::json::{Json, Kind};
use crate::registry::model::{At, Ref};

use super::Parsed;
use super::fields;
use super::interests::{self, ShareRules};
use super::party;
use super::statement::{Header, PartyRef, Relationship};

const WHAT: &str = "BODS 0.4 statement";

pub fn statement(node: Json, problems: &mut Vec<Problem>) -> Option<Parsed> {
    let key = fields::required_str(node, "recordId", WHAT, problems);
    let record_type = fields::required_str(node, "recordType", WHAT, problems);
    let details = fields::required(node, "recordDetails", WHAT, problems);
    let closed =
        fields::optional_str(node, "recordStatus", problems).is_some_and(|s| s.value == "closed");
    let date = fields::statement_date(node, problems);
    let (key, record_type, details) = (key?, record_type?, details?);
    if !details.is_object() {
        problems.push(fields::wrong_type(details, "recordDetails", "an object"));
        return None;
    }
    let header = Header {
        key: At {
            value: key.value.to_string(),
            loc: key.loc,
        },
        date,
        closed,
        loc: node.loc(),
        replaces: Vec::new(),
    };
    match record_type.value {
        "entity" => {
            let entity_type = details.get("entityType");
            let text = |key: &str| {
                entity_type
                    .and_then(|t| t.get(key))
                    .and_then(|t| t.as_str())
            };
            let party = party::entity(details, text("type"), text("subtype"), problems);
            Some(Parsed::Party(header.with(party)))
        }
        "person" => Some(Parsed::Party(header.with(party::person(details, problems)))),
        "relationship" => {
            let subject = party_ref(details, "subject", problems);
            let interested = party_ref(details, "interestedParty", problems);
            let interests = interests::interests(details, ShareRules::V04, problems);
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
                    format!("`{other}` is not a BODS record type"),
                )
                .at(record_type.loc, "expected entity, person or relationship")
                .with_help("BODS 0.4 records are of type entity, person or relationship"),
            );
            None
        }
    }
}

/// A subject or interested party: a record id, or an unspecified-record object.
fn party_ref(details: Json, key: &str, problems: &mut Vec<Problem>) -> Option<PartyRef> {
    let value = fields::required(details, key, "relationship record", problems)?;
    match value.kind() {
        Kind::Str(id) => Some(PartyRef::Record(Ref {
            id: id.to_string(),
            loc: value.loc(),
            alias: None,
        })),
        Kind::Object => Some(PartyRef::Unspecified {
            reason: fields::reason(Some(value)),
            loc: value.loc(),
        }),
        _ => {
            problems.push(fields::wrong_type(
                value,
                key,
                "a record id or an unspecified-record object",
            ));
            None
        }
    }
}

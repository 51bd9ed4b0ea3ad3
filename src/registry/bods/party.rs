//! Entities and persons: the same fields in BODS 0.3 statements and 0.4 record details, but for
//! the form of the entity type, which the version readers pass in.

use crate::input::diagnostic::Problem;
use crate::input::json::Json;
use crate::registry::model::OrgKind;

use super::fields;
use super::statement::{Anonymity, Party};

/// An entity. Its kind follows the entity type: states and state bodies are governments,
/// arrangements and trusts (funds, nominations, joint holdings) are funds, everything else is a
/// company.
pub fn entity(
    node: Json,
    entity_type: Option<&str>,
    subtype: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Party {
    let kind = match (entity_type, subtype) {
        (Some("state" | "stateBody"), _) => OrgKind::Government,
        (Some("arrangement"), _) | (_, Some("trust")) => OrgKind::Fund,
        _ => OrgKind::Company,
    };
    let unspecified = match entity_type {
        Some(what @ ("anonymousEntity" | "unknownEntity")) => Some(Anonymity {
            what: if what == "anonymousEntity" {
                "Anonymous entity"
            } else {
                "Unknown entity"
            },
            reason: fields::reason(node.get("unspecifiedEntityDetails")),
        }),
        _ => None,
    };
    let name = fields::optional_str(node, "name", problems)
        .map(|n| n.value.trim().to_string())
        .filter(|n| !n.is_empty());
    let aliases = fields::alternate_names(node, name.as_deref(), problems);
    // 0.2 and some 0.3 publishers call the jurisdiction `incorporatedInJurisdiction`.
    let jurisdiction = node
        .get("jurisdiction")
        .or_else(|| node.get("incorporatedInJurisdiction"));
    Party {
        name,
        aliases,
        kind,
        unspecified,
        identifiers: fields::identifiers(node, problems),
        country: fields::country(jurisdiction),
    }
}

/// A person. The country is that of the first nationality, the nearest BODS has to where a
/// person belongs.
pub fn person(node: Json, problems: &mut Vec<Problem>) -> Party {
    let unspecified = match fields::optional_str(node, "personType", problems).map(|t| t.value) {
        Some(what @ ("anonymousPerson" | "unknownPerson")) => Some(Anonymity {
            what: if what == "anonymousPerson" {
                "Anonymous person"
            } else {
                "Unknown person"
            },
            reason: fields::reason(node.get("unspecifiedPersonDetails")),
        }),
        _ => None,
    };
    let (name, aliases) = fields::person_names(node, problems);
    let country =
        fields::list(node, "nationalities", problems).find_map(|n| fields::country(Some(n)));
    Party {
        name,
        aliases,
        kind: OrgKind::Person,
        unspecified,
        identifiers: fields::identifiers(node, problems),
        country,
    }
}

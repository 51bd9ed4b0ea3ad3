//! Links the organisations read from BODS files to those of the YAML registry that list the
//! same identifier (scheme and id, e.g. `GB-COH 01234567`): the BODS organisation takes the
//! registry's id, so that a vendor list written in YAML gets the ownership data of a BODS file
//! without repeating it. The registry's own facts about the organisation stand; where the BODS
//! data says otherwise (another name, country or kind) a warning says so.

use foldhash::{HashMap, HashMapExt};

use crate::input::diagnostic::Problem;
use crate::registry::bods::RECORD_ID_SCHEME;
use crate::registry::model::{Identifier, Organisation, Registry};

/// Renames every BODS organisation that shares an identifier with an organisation of `native`
/// and drops it in favour of that one. Returns warnings about facts that disagree.
pub fn link_identifiers(native: &Registry, bods: &mut Registry) -> Vec<Problem> {
    let mut by_identifier: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (index, org) in native.organisations.iter().enumerate() {
        for identifier in &org.identifiers {
            let holders = by_identifier.entry(key(identifier)).or_default();
            if !holders.contains(&index) {
                holders.push(index);
            }
        }
    }
    if by_identifier.is_empty() {
        return Vec::new();
    }
    let mut warnings = Vec::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    bods.organisations.retain(|org| {
        let mut matches: Vec<usize> = org
            .identifiers
            .iter()
            .filter(|i| i.scheme != RECORD_ID_SCHEME)
            .filter_map(|i| by_identifier.get(&key(i)))
            .flatten()
            .copied()
            .collect();
        matches.sort_unstable();
        matches.dedup();
        let Some(&first) = matches.first() else {
            return true;
        };
        let target = &native.organisations[first];
        if matches.len() > 1 {
            let mut problem = Problem::warning(
                "bods::ambiguous-link",
                format!(
                    "`{}` ({}) shares identifiers with {} of the registry; it is linked to `{}`",
                    org.id.value,
                    org.name,
                    crate::value::count(matches.len(), "organisation"),
                    target.id.value
                ),
            )
            .at(org.loc, "BODS record");
            for &m in &matches {
                problem = problem.at(native.organisations[m].loc, "has a shared identifier");
            }
            warnings.push(problem.with_help(
                "give each identifier to one organisation of the registry, or merge them",
            ));
        }
        warnings.extend(conflicts(org, target));
        renamed.insert(org.id.value.clone(), target.id.value.clone());
        false
    });
    if renamed.is_empty() {
        return warnings;
    }
    for stake in &mut bods.stakes {
        for reference in [&mut stake.owner, &mut stake.owned] {
            if let Some(id) = renamed.get(&reference.id) {
                reference.id = id.clone();
            }
        }
    }
    bods.reindex();
    warnings
}

/// Identifiers compare without regard to case or surrounding spaces.
fn key(identifier: &Identifier) -> (String, String) {
    (
        identifier.scheme.trim().to_ascii_uppercase(),
        identifier.id.trim().to_ascii_uppercase(),
    )
}

fn conflicts(bods: &Organisation, native: &Organisation) -> Vec<Problem> {
    let mut found = Vec::new();
    let simple = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let bods_name = simple(&bods.name);
    let known = std::iter::once(&native.name)
        .chain(&native.aliases)
        .any(|n| simple(n) == bods_name);
    if !known {
        found.push(format!(
            "is named `{}` in the BODS data and `{}` in the registry",
            bods.name, native.name
        ));
    }
    if let (Some(a), Some(b)) = (&bods.country, &native.country)
        && !a.eq_ignore_ascii_case(b)
    {
        found.push(format!(
            "is in {a} according to the BODS data and in {b} according to the registry"
        ));
    }
    if bods.kind != native.kind {
        found.push(format!(
            "is a {} in the BODS data and a {} in the registry",
            bods.kind.name(),
            native.kind.name()
        ));
    }
    found
        .into_iter()
        .map(|what| {
            Problem::warning(
                "bods::link-conflict",
                format!("`{}`, linked by identifier, {what}", native.id.value),
            )
            .at(bods.loc, "BODS record")
            .at(native.loc, "registry organisation")
            .with_help(
                "the registry's facts are used; correct the registry, or add the BODS name as an \
                 alias if both are right",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::Loc;
    use crate::registry::model::{At, OrgKind, Ref, ShareField, Stake};

    fn org(id: &str, name: &str, identifiers: &[(&str, &str)]) -> Organisation {
        Organisation {
            id: At {
                value: id.to_string(),
                loc: Loc::default(),
            },
            name: name.to_string(),
            kind: OrgKind::Company,
            aliases: Vec::new(),
            country: None,
            identifiers: identifiers
                .iter()
                .map(|(scheme, id)| Identifier {
                    scheme: scheme.to_string(),
                    id: id.to_string(),
                })
                .collect(),
            revenue: Vec::new(),
            valuation: Vec::new(),
            source: None,
            loc: Loc::default(),
        }
    }

    fn reference(id: &str) -> Ref {
        Ref {
            id: id.to_string(),
            loc: Loc::default(),
            alias: None,
        }
    }

    #[test]
    fn linked_records_take_the_registry_id_and_conflicts_warn() {
        let mut native = Registry::default();
        native.organisations = vec![
            org("labelco", "LabelCo", &[("GB-COH", "01")]),
            org("twin-a", "Twin", &[("XI-LEI", "L1")]),
            org("twin-b", "Twin", &[("XI-LEI", "L1")]),
        ];
        let mut bods = Registry::default();
        bods.organisations = vec![
            org("rec-1", "LABELCO", &[("gb-coh", " 01 ")]),
            org("rec-2", "Twin", &[("XI-LEI", "L1")]),
            org("rec-3", "Owner", &[]),
        ];
        bods.stakes = vec![Stake {
            id: None,
            owner: reference("rec-3"),
            owned: reference("rec-1"),
            economic: ShareField {
                interval: crate::value::interval::Interval::exact(10.0),
                loc: Loc::default(),
            },
            voting: None,
            start: None,
            end: None,
            board: false,
            indirect: false,
            class: None,
            consideration: None,
            source: None,
            loc: Loc::default(),
        }];
        let warnings = link_identifiers(&native, &mut bods);
        let ids: Vec<&str> = bods
            .organisations
            .iter()
            .map(|o| o.id.value.as_str())
            .collect();
        assert_eq!(ids, ["rec-3"]);
        assert_eq!(bods.stakes[0].owned.id, "labelco");
        // Same name once case and punctuation are set aside; the twins are ambiguous.
        let codes: Vec<&str> = warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["bods::ambiguous-link"]);
    }
}

//! The point of view of a check: `--org`, else the registry's `default_org`, given as an id or
//! as any name the registry knows the organisation by (`google` for `alphabet`).

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::registry::{Organisation, Registry};

/// How many organisations with vendor relationships an unknown `--org` lists.
const LISTED: usize = 20;

/// Resolves the point of view to an organisation id of the registry. `requested` may be the
/// id, or (without regard to case) the organisation's name or one of its aliases, when those
/// name one organisation only.
pub fn resolve_org<'a>(
    registry: &'a Registry,
    requested: Option<&'a str>,
) -> Result<&'a str, Problem> {
    let written = match requested {
        Some(id) => id,
        None => match &registry.default_org {
            Some(r) => r.id.as_str(),
            None => {
                return Err(Problem::new(
                    "check::no-org",
                    "no point of view: the registry has no `default_org` and --org was not given",
                )
                .with_help("pass --org ID, or set `default_org: ID` in the registry"));
            }
        },
    };
    if let Some(org) = registry.org(written) {
        return Ok(org.id.value.as_str());
    }
    let named: Vec<&Organisation> = registry
        .organisations
        .iter()
        .filter(|o| known_as(o, written))
        .collect();
    match named.as_slice() {
        [one] => Ok(one.id.value.as_str()),
        [] => Err(unknown(registry, written)),
        several => {
            let ids: Vec<String> = several
                .iter()
                .map(|o| format!("`{}` ({})", o.id.value, o.name))
                .collect();
            Err(Problem::new(
                "check::ambiguous-org",
                format!("--org `{written}` names more than one organisation"),
            )
            .with_help(format!("give the id of one: {}", ids.join(", "))))
        }
    }
}

/// Whether `name` is the organisation's id, name or an alias, without regard to case.
fn known_as(org: &Organisation, name: &str) -> bool {
    let name = name.trim();
    org.id.value.eq_ignore_ascii_case(name)
        || org.name.trim().to_lowercase() == name.to_lowercase()
        || org
            .aliases
            .iter()
            .any(|a| a.trim().to_lowercase() == name.to_lowercase())
}

/// The error for an `--org` the registry does not know: a did-you-mean among the ids and names
/// of the organisations that buy from vendors (else all of them), and those organisations.
fn unknown(registry: &Registry, written: &str) -> Problem {
    let mut customers: Vec<&Organisation> = registry
        .vendors
        .iter()
        .filter_map(|v| registry.org(&v.customer.id))
        .collect();
    customers.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    customers.dedup_by(|a, b| a.id.value == b.id.value);
    let names = |orgs: &[&'_ Organisation]| -> Vec<(String, String)> {
        orgs.iter()
            .flat_map(|o| {
                std::iter::once(o.id.value.clone())
                    .chain(std::iter::once(o.name.to_lowercase()))
                    .chain(o.aliases.iter().map(|a| a.to_lowercase()))
                    .map(move |name| (name, o.id.value.clone()))
            })
            .collect()
    };
    let lowered = written.to_lowercase();
    let suggest = |orgs: &[&Organisation]| {
        let candidates = names(orgs);
        did_you_mean(&lowered, candidates.iter().map(|(name, _)| name.as_str())).and_then(|name| {
            candidates
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.clone())
        })
    };
    let all: Vec<&Organisation> = registry.organisations.iter().collect();
    let suggestion = suggest(&customers).or_else(|| suggest(&all));
    let problem = Problem::new(
        "check::unknown-org",
        format!("--org `{written}` is no organisation of the registry"),
    );
    let mut help = match suggestion {
        Some(id) => format!("did you mean `{id}` ({})? ", registry.name_of(&id)),
        None => String::new(),
    };
    if customers.is_empty() {
        help.push_str("no organisation of the registry has vendor relationships");
    } else {
        let listed: Vec<String> = customers
            .iter()
            .take(LISTED)
            .map(|o| format!("{} ({})", o.id.value, o.name))
            .collect();
        help.push_str(&format!(
            "organisations with vendor relationships: {}",
            listed.join(", ")
        ));
        if customers.len() > LISTED {
            help.push_str(&format!(", and {} more", customers.len() - LISTED));
        }
    }
    problem.with_help(help)
}

//! Semantic checks on a merged registry: references, duplicates, dates, shares that cannot add
//! up. Every problem found is reported, each at its own position.

use foldhash::{HashMap, HashMapExt, HashSet};

use rayon::prelude::*;

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::registry::closed::closed_cross_holdings;
use crate::registry::model::*;
use crate::registry::restated::restated_stakes;
use crate::value::date::Date;

/// What the registry files may declare that could not be read: the ids of the organisations
/// and sources of items that broke the schema, and whether anything else was lost (a file that
/// did not parse, a document whose own shape is wrong). A reference to an id that may have been
/// declared there is not reported as unknown.
#[derive(Debug, Default)]
pub struct Unread {
    /// Something was lost whose ids are not known: no reference can be called unknown.
    pub ids_lost: bool,
    pub organisations: HashSet<String>,
    pub sources: HashSet<String>,
}

impl Unread {
    /// Everything of another file that was not read.
    pub fn extend(&mut self, other: Unread) {
        self.ids_lost |= other.ids_lost;
        self.organisations.extend(other.organisations);
        self.sources.extend(other.sources);
    }
}

/// Runs every check; the checks are independent and run in parallel, their problems joined in
/// a fixed order (callers sort them by position).
///
/// The registry may hold only the items that could be read. Each check reports only what is
/// certain from those: the checks for too much (duplicates, shares over 100%, cycles, dates)
/// can only find less when items are missing, and the check for references that name nothing
/// leaves out the ids that `unread` may declare.
pub fn check(registry: &Registry, unread: &Unread) -> Vec<Problem> {
    type Check = fn(&Registry, &Unread, &mut Vec<Problem>);
    const CHECKS: [Check; 9] = [
        |r, _, p| duplicate_ids(r, p),
        references,
        |r, _, p| duplicate_relationships(r, p),
        |r, _, p| duplicate_competitors(r, p),
        |r, _, p| date_order(r, p),
        |r, _, p| self_stakes(r, p),
        |r, _, p| owners_over_100(r, p),
        |r, _, p| closed_cross_holdings(r, p),
        |r, _, p| restated_stakes(r, p),
    ];
    CHECKS
        .par_iter()
        .map(|check| {
            let mut found = Vec::new();
            check(registry, unread, &mut found);
            found
        })
        .collect::<Vec<_>>()
        .concat()
}

/// The checks that make a registry hold together: ids are unique and every reference names
/// something declared. What the engine takes for granted, for a registry that did not come
/// through [`check`] in this run (one read back from a snapshot).
pub fn structure(registry: &Registry) -> Vec<Problem> {
    let mut problems = Vec::new();
    duplicate_ids(registry, &mut problems);
    references(registry, &Unread::default(), &mut problems);
    problems
}

fn duplicate_ids(registry: &Registry, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, &At<String>> = HashMap::new();
    for org in &registry.organisations {
        if let Some(first) = seen.get(org.id.value.as_str()) {
            problems.push(
                Problem::new(
                    "registry::duplicate-id",
                    format!("organisation id `{}` is declared twice", org.id.value),
                )
                .at(org.id.loc, "declared again here")
                .at(first.loc, "first declared here")
                .with_help("ids must be unique across all registry files; rename or merge one"),
            );
        } else {
            seen.insert(&org.id.value, &org.id);
        }
    }
    let mut seen: HashMap<&str, &At<String>> = HashMap::new();
    for source in &registry.sources {
        if let Some(first) = seen.get(source.id.value.as_str()) {
            problems.push(
                Problem::new(
                    "registry::duplicate-id",
                    format!("source id `{}` is declared twice", source.id.value),
                )
                .at(source.id.loc, "declared again here")
                .at(first.loc, "first declared here")
                .with_help("source ids must be unique; rename or merge one"),
            );
        } else {
            seen.insert(&source.id.value, &source.id);
        }
    }
}

fn references(registry: &Registry, unread: &Unread, problems: &mut Vec<Problem>) {
    if unread.ids_lost {
        return;
    }
    let org_ids: Vec<&str> = registry
        .organisations
        .iter()
        .map(|o| o.id.value.as_str())
        .collect();
    let source_ids: Vec<&str> = registry
        .sources
        .iter()
        .map(|s| s.id.value.as_str())
        .collect();
    let org_set: HashSet<&str> = org_ids.iter().copied().collect();
    let source_set: HashSet<&str> = source_ids.iter().copied().collect();

    let mut org_refs: Vec<(&Ref, &str)> = Vec::new();
    let mut source_refs: Vec<&Ref> = Vec::new();
    if let Some(default) = &registry.default_org
        && !org_set.contains(default.id.as_str())
        && !unread.organisations.contains(&default.id)
    {
        problems.push(unknown(
            "registry::unknown-default-org",
            default,
            "default_org",
            &org_ids,
        ));
    }
    for org in &registry.organisations {
        source_refs.extend(&org.source);
        source_refs.extend(org.revenue.iter().filter_map(|r| r.source.as_ref()));
        source_refs.extend(org.valuation.iter().filter_map(|r| r.source.as_ref()));
    }
    for s in &registry.stakes {
        org_refs.push((&s.owner, "owner"));
        org_refs.push((&s.owned, "owned"));
        source_refs.extend(&s.source);
    }
    for c in &registry.competitors {
        org_refs.push((&c.of, "of"));
        org_refs.push((&c.competitor, "competitor"));
        source_refs.extend(&c.source);
    }
    for v in &registry.vendors {
        org_refs.push((&v.customer, "customer"));
        org_refs.push((&v.vendor, "vendor"));
        source_refs.extend(&v.source);
        source_refs.extend(v.spend.iter().filter_map(|s| s.source.as_ref()));
        source_refs.extend(v.attestations.iter().filter_map(|a| a.source.as_ref()));
    }
    for r in &registry.roles {
        org_refs.push((&r.person, "person"));
        org_refs.push((&r.org, "org"));
        source_refs.extend(&r.source);
    }
    for m in &registry.moves {
        org_refs.push((&m.person, "person"));
        org_refs.push((&m.from, "from"));
        org_refs.push((&m.to, "to"));
        source_refs.extend(&m.source);
    }
    for (reference, field) in org_refs {
        if !org_set.contains(reference.id.as_str()) && !unread.organisations.contains(&reference.id)
        {
            problems.push(unknown(
                "registry::unknown-organisation",
                reference,
                field,
                &org_ids,
            ));
        }
    }
    for reference in source_refs {
        if !source_set.contains(reference.id.as_str()) && !unread.sources.contains(&reference.id) {
            problems.push(unknown(
                "registry::unknown-source",
                reference,
                "source",
                &source_ids,
            ));
        }
    }
}

fn unknown(code: &'static str, reference: &Ref, field: &str, candidates: &[&str]) -> Problem {
    let what = if code == "registry::unknown-source" {
        "source"
    } else {
        "organisation"
    };
    let problem = Problem::new(
        code,
        format!(
            "`{field}` names `{}`, which is no {what} of the registry",
            reference.id
        ),
    )
    .at(reference.loc, format!("unknown {what}"))
    .through(reference.alias);
    match did_you_mean(&reference.id, candidates.iter().copied()) {
        Some(s) => problem.with_help(format!("did you mean `{s}`?")),
        None => problem.with_help(format!(
            "declare `{}` under `{}` or correct the id",
            reference.id,
            if what == "source" {
                "sources"
            } else {
                "organisations"
            }
        )),
    }
}

fn duplicate_relationships(registry: &Registry, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<(&str, &str), &VendorRelationship> = HashMap::new();
    for v in &registry.vendors {
        let key = (v.customer.id.as_str(), v.vendor.id.as_str());
        if let Some(first) = seen.get(&key) {
            problems.push(
                Problem::new(
                    "registry::duplicate-relationship",
                    format!(
                        "`{}` buys from `{}` in two entries",
                        v.customer.id, v.vendor.id
                    ),
                )
                .at(v.vendor.loc, "declared again here")
                .through(v.vendor.alias)
                .at(first.vendor.loc, "first declared here")
                .with_help("merge the two entries: list every service in one relationship"),
            );
        } else {
            seen.insert(key, v);
        }
    }
}

/// One organisation declares the same competitor twice: redundant at best, contradictory when
/// the tiers differ, and either way the report could cite one or the other.
fn duplicate_competitors(registry: &Registry, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<(&str, &str), &Competitor> = HashMap::new();
    for c in &registry.competitors {
        let key = (c.of.id.as_str(), c.competitor.id.as_str());
        if let Some(first) = seen.get(&key) {
            let contradiction = if first.tier == c.tier {
                String::new()
            } else {
                format!(
                    ", once as {} and once as {}",
                    first.tier.name(),
                    c.tier.name()
                )
            };
            problems.push(
                Problem::new(
                    "registry::duplicate-competitor",
                    format!(
                        "`{}` declares `{}` a competitor twice{contradiction}",
                        c.of.id, c.competitor.id
                    ),
                )
                .at(c.competitor.loc, "declared again here")
                .through(c.competitor.alias)
                .at(first.competitor.loc, "first declared here")
                .with_help("keep one declaration, with one tier and every market in it"),
            );
        } else {
            seen.insert(key, c);
        }
    }
}

fn date_order(registry: &Registry, problems: &mut Vec<Problem>) {
    let spans = registry
        .stakes
        .iter()
        .map(|s| (&s.start, &s.end))
        .chain(registry.roles.iter().map(|r| (&r.start, &r.end)))
        .chain(
            registry
                .vendors
                .iter()
                .filter_map(|v| v.contract.as_ref().map(|c| (&c.start, &c.end))),
        );
    for (start, end) in spans {
        if let (Some(start), Some(end)) = (start, end)
            && end.value < start.value
        {
            problems.push(
                Problem::new(
                    "registry::end-before-start",
                    format!("ends on {} before it starts on {}", end.value, start.value),
                )
                .at(end.loc, "end date")
                .at(start.loc, "start date")
                .with_help("swap the dates, or correct the one that is wrong"),
            );
        }
    }
}

fn self_stakes(registry: &Registry, problems: &mut Vec<Problem>) {
    for s in &registry.stakes {
        if s.owner.id == s.owned.id {
            problems.push(
                Problem::new(
                    "registry::self-stake",
                    format!("`{}` is recorded as owning itself", s.owner.id),
                )
                .at(s.owned.loc, "same as the owner")
                .through(s.owned.alias)
                .with_help("treasury shares are not ownership; remove the stake"),
            );
        }
    }
}

/// The known minimum shares of one organisation's direct owners cannot add up to more than 100%
/// on any date. Checked at every date on which a stake starts (sums only change there).
fn owners_over_100(registry: &Registry, problems: &mut Vec<Problem>) {
    // Problems are sorted by position afterwards, so the groups may come in any order.
    let by_owned = ByOwned::new(registry);
    for stakes in by_owned.groups() {
        // One stake alone is over 100% only if its own share is.
        if let [only] = stakes
            && only.economic.interval.min <= 100.0 + 1e-9
        {
            continue;
        }
        let owned = stakes[0].owned.id.as_str();
        let mut dates: Vec<Option<Date>> = stakes
            .iter()
            .map(|s| s.start.as_ref().map(|d| d.value))
            .collect();
        dates.sort();
        dates.dedup();
        for date in dates {
            let active: Vec<&&Stake> = stakes
                .iter()
                .filter(|s| match date {
                    Some(d) => s.active_on(d),
                    // Before any dated stake starts, only the undated ones count.
                    None => s.start.is_none(),
                })
                .collect();
            let total: f64 = active.iter().map(|s| s.economic.interval.min).sum();
            if total > 100.0 + 1e-9 {
                let mut problem = Problem::new(
                    "registry::owners-over-100",
                    format!(
                        "the owners of `{owned}` hold at least {}% between them{}",
                        (total * 1000.0).round() / 1000.0,
                        date.map(|d| format!(" on {d}")).unwrap_or_default()
                    ),
                )
                .with_help("shares of one company cannot add up to more than 100%; correct a share, or give the stakes dates that do not overlap");
                // The stake that tips the total over 100% comes last; point there first.
                for s in active.iter().rev() {
                    problem = problem.at(s.economic.loc, format!("{}", s.economic.interval));
                }
                problems.push(problem);
                break;
            }
        }
    }
}

/// The direct stakes grouped by the organisation they own, groups in no particular order: group
/// `g` is `stakes[starts[g]..starts[g + 1]]`. One flat list, so that a million organisations
/// owned do not take a million growing lists.
struct ByOwned<'r> {
    stakes: Vec<&'r Stake>,
    starts: Vec<usize>,
}

impl<'r> ByOwned<'r> {
    fn new(registry: &'r Registry) -> Self {
        let direct: Vec<&Stake> = registry.stakes.iter().filter(|s| !s.indirect).collect();
        let mut group_of_id: HashMap<&str, usize> = HashMap::with_capacity(direct.len());
        let group_of_stake: Vec<usize> = direct
            .iter()
            .map(|s| {
                let next = group_of_id.len();
                *group_of_id.entry(s.owned.id.as_str()).or_insert(next)
            })
            .collect();
        // Count the stakes of each group, then place each stake after those of its group
        // placed before it: a stable counting sort by group.
        let mut starts = vec![0usize; group_of_id.len() + 1];
        for &g in &group_of_stake {
            starts[g + 1] += 1;
        }
        for g in 1..starts.len() {
            starts[g] += starts[g - 1];
        }
        let mut free = starts.clone();
        let mut order = vec![0usize; direct.len()];
        for (i, &g) in group_of_stake.iter().enumerate() {
            order[free[g]] = i;
            free[g] += 1;
        }
        ByOwned {
            stakes: order.into_iter().map(|i| direct[i]).collect(),
            starts,
        }
    }

    fn groups(&self) -> impl Iterator<Item = &[&'r Stake]> {
        self.starts
            .windows(2)
            .map(|bounds| &self.stakes[bounds[0]..bounds[1]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::Loc;
    use crate::value::interval::Interval;

    fn stake(owner: &str, owned: &str) -> Stake {
        let at = |id: &str| Ref {
            id: id.to_string(),
            loc: Loc::default(),
            alias: None,
        };
        Stake {
            id: None,
            owner: at(owner),
            owned: at(owned),
            economic: ShareField {
                interval: Interval::exact(100.0),
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
        }
    }

    #[test]
    fn organisations_that_hold_all_of_one_another_are_reported_once_per_set() {
        // a -> b -> c -> a, fed by x, feeding y; d -> e -> d; f -> g on no cycle; h is held half
        // by i and half by j, each wholly held by h; k and l hold 99.9999999999% of each other.
        let shares = [
            ("x", "a", 100.0),
            ("a", "b", 100.0),
            ("b", "c", 100.0),
            ("c", "a", 100.0),
            ("c", "y", 100.0),
            ("d", "e", 100.0),
            ("e", "d", 100.0),
            ("f", "g", 100.0),
            ("i", "h", 50.0),
            ("j", "h", 50.0),
            ("h", "i", 100.0),
            ("h", "j", 100.0),
            ("k", "l", 100.0),
            ("l", "k", 99.9999999999),
        ];
        let mut registry = Registry::default();
        registry.stakes = shares
            .iter()
            .map(|&(owner, owned, share)| {
                let mut s = stake(owner, owned);
                s.economic.interval = Interval::exact(share);
                s
            })
            .collect();
        let mut problems = Vec::new();
        closed_cross_holdings(&registry, &mut problems);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a → b → c → a own each other in full: every share of each is held by the others",
                "d → e → d own each other in full: every share of each is held by the others",
                "`h`, `i` and `j` own each other in full: every share of each is held by the others"
            ]
        );
    }

    #[test]
    fn direct_stakes_are_grouped_by_owned_organisation_in_registry_order() {
        let mut registry = Registry::default();
        registry.stakes = [("p", "a"), ("q", "b"), ("r", "a"), ("s", "c"), ("t", "b")]
            .iter()
            .map(|(owner, owned)| stake(owner, owned))
            .collect();
        registry.stakes[1].indirect = true;
        let by_owned = ByOwned::new(&registry);
        let mut groups: Vec<(&str, Vec<&str>)> = by_owned
            .groups()
            .map(|g| {
                let owners = g.iter().map(|s| s.owner.id.as_str()).collect();
                (g[0].owned.id.as_str(), owners)
            })
            .collect();
        groups.sort();
        assert_eq!(
            groups,
            [("a", vec!["p", "r"]), ("b", vec!["t"]), ("c", vec!["s"])],
            "the indirect stake of q is left out"
        );
    }

    #[test]
    fn owners_over_100_of_several_organisations_are_each_reported() {
        let mut registry = Registry::default();
        let shares = [
            ("p", "a", 60.0),
            ("q", "b", 100.0),
            ("r", "a", 50.0),
            ("s", "c", 101.0),
        ];
        registry.stakes = shares
            .iter()
            .map(|&(owner, owned, share)| {
                let mut s = stake(owner, owned);
                s.economic.interval = Interval::exact(share);
                s
            })
            .collect();
        let mut problems = Vec::new();
        owners_over_100(&registry, &mut problems);
        let mut messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        messages.sort_unstable();
        assert_eq!(
            messages,
            [
                "the owners of `a` hold at least 110% between them",
                "the owners of `c` hold at least 101% between them"
            ]
        );
    }
}

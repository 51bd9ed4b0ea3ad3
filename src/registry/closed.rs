//! Organisations that hold all of one another: a set of organisations in which every share of
//! each member is held by other members, so that nobody outside can hold any of them. The
//! simplest is a cycle of 100% stakes; `a` held 50% by `b` and 50% by `c`, each of them wholly
//! held by `a`, is another. No register can mean it, and the ownership arithmetic has no solution
//! there: walks round such a set never leak, so the effective shares of anyone feeding it
//! diverge. The ownership engine calls a cross-holding singular by the same rule
//! ([`unheld_percent`]), so what this check accepts the engine solves, however nearly a cycle
//! keeps everything (99.9999999999% is not all: 0.0000000001% can be held from outside).
//!
//! Checked on the known minimum shares, economic and voting, of the direct stakes in force on a
//! common date.

use foldhash::{HashMap, HashMapExt};

use crate::input::diagnostic::Problem;
use crate::registry::model::{Registry, Stake};
use crate::value::date::Date;
use crate::value::interval::unheld_percent;

/// Reports every set of organisations that hold all of one another, once, on the first date on
/// which its stakes are in force together; economic shares first, then votes.
pub fn closed_cross_holdings(registry: &Registry, problems: &mut Vec<Problem>) {
    for measure in [Measure::Economic, Measure::Voting] {
        let found = closed_in(registry, measure);
        if !found.is_empty() {
            problems.extend(found);
            return;
        }
    }
}

fn closed_in(registry: &Registry, measure: Measure) -> Vec<Problem> {
    let stakes: Vec<&Stake> = registry
        .stakes
        .iter()
        .filter(|s| !s.indirect && s.owner.id != s.owned.id && measure.min(s) > 0.0)
        .collect();
    // Without dates the sets can only be larger: most registries stop here.
    if Holdings::new(&stakes).closed(measure).is_empty() {
        return Vec::new();
    }
    let mut dates: Vec<Option<Date>> = stakes
        .iter()
        .map(|s| s.start.as_ref().map(|d| d.value))
        .collect();
    dates.sort();
    dates.dedup();
    for date in dates {
        let active: Vec<&Stake> = stakes
            .iter()
            .copied()
            .filter(|s| match date {
                Some(d) => s.active_on(d),
                // Before any dated stake starts, only the undated ones count.
                None => s.start.is_none(),
            })
            .collect();
        let holdings = Holdings::new(&active);
        let groups = holdings.closed(measure);
        if !groups.is_empty() {
            return groups
                .iter()
                .map(|group| holdings.problem(group, measure, date))
                .collect();
        }
    }
    Vec::new()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Measure {
    Economic,
    Voting,
}

impl Measure {
    fn min(self, stake: &Stake) -> f64 {
        match self {
            Measure::Economic => stake.economic.interval.min,
            Measure::Voting => stake.voting_interval().min,
        }
    }
}

/// Stakes numbered by organisation: for each organisation, the stakes held in it and by it.
struct Holdings<'r> {
    ids: Vec<&'r str>,
    stakes: Vec<&'r Stake>,
    /// (owner, owned) numbers of each stake.
    ends: Vec<(u32, u32)>,
    held_in: Vec<Vec<u32>>,
    held_by: Vec<Vec<u32>>,
}

impl<'r> Holdings<'r> {
    fn new(stakes: &[&'r Stake]) -> Holdings<'r> {
        let mut number: HashMap<&str, u32> = HashMap::new();
        let mut ids = Vec::new();
        let mut id_of = |id: &'r str| {
            *number.entry(id).or_insert_with(|| {
                ids.push(id);
                (ids.len() - 1) as u32
            })
        };
        let ends: Vec<(u32, u32)> = stakes
            .iter()
            .map(|s| (id_of(&s.owner.id), id_of(&s.owned.id)))
            .collect();
        let mut held_in = vec![Vec::new(); ids.len()];
        let mut held_by = vec![Vec::new(); ids.len()];
        for (index, &(owner, owned)) in ends.iter().enumerate() {
            held_in[owned as usize].push(index as u32);
            held_by[owner as usize].push(index as u32);
        }
        Holdings {
            ids,
            stakes: stakes.to_vec(),
            ends,
            held_in,
            held_by,
        }
    }

    /// The sets of organisations that hold all of one another, each sorted, in order of their
    /// first member: the greatest set in which every member's shares held by members fill 100%,
    /// less the members that hold no other member, split into groups linked by stakes.
    fn closed(&self, measure: Measure) -> Vec<Vec<u32>> {
        let n = self.ids.len();
        let mut alive = vec![true; n];
        let filled = |node: usize, alive: &[bool]| {
            let held: Vec<f64> = self.held_in[node]
                .iter()
                .filter(|&&s| alive[self.ends[s as usize].0 as usize])
                .map(|&s| measure.min(self.stakes[s as usize]))
                .collect();
            unheld_percent(held.iter().sum(), held.len()) <= 0.0
        };
        // Peel the organisations that something outside the set could hold part of; each
        // removal can only empty others, whose sums are taken afresh (no cancellation).
        let mut queue: Vec<usize> = (0..n).filter(|&v| !filled(v, &alive)).collect();
        for &v in &queue {
            alive[v] = false;
        }
        while let Some(v) = queue.pop() {
            for &s in &self.held_by[v] {
                let owned = self.ends[s as usize].1 as usize;
                if alive[owned] && !filled(owned, &alive) {
                    alive[owned] = false;
                    queue.push(owned);
                }
            }
        }
        // Then those that hold no member: wholly held by the set, but on no cycle of it.
        let holds_member = |v: usize, alive: &[bool]| {
            self.held_by[v]
                .iter()
                .any(|&s| alive[self.ends[s as usize].1 as usize])
        };
        let mut queue: Vec<usize> = (0..n)
            .filter(|&v| alive[v] && !holds_member(v, &alive))
            .collect();
        for &v in &queue {
            alive[v] = false;
        }
        while let Some(v) = queue.pop() {
            for &s in &self.held_in[v] {
                let owner = self.ends[s as usize].0 as usize;
                if alive[owner] && !holds_member(owner, &alive) {
                    alive[owner] = false;
                    queue.push(owner);
                }
            }
        }
        self.linked_groups(&alive)
    }

    /// The live organisations split into groups joined by stakes between them.
    fn linked_groups(&self, alive: &[bool]) -> Vec<Vec<u32>> {
        let mut group_of = vec![u32::MAX; self.ids.len()];
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for start in 0..self.ids.len() {
            if !alive[start] || group_of[start] != u32::MAX {
                continue;
            }
            let id = groups.len() as u32;
            let mut members = vec![start as u32];
            group_of[start] = id;
            let mut next = 0;
            while next < members.len() {
                let v = members[next] as usize;
                next += 1;
                for &s in self.held_in[v].iter().chain(&self.held_by[v]) {
                    let (owner, owned) = self.ends[s as usize];
                    for other in [owner as usize, owned as usize] {
                        if alive[other] && group_of[other] == u32::MAX {
                            group_of[other] = id;
                            members.push(other as u32);
                        }
                    }
                }
            }
            members.sort_unstable();
            groups.push(members);
        }
        groups
    }

    fn problem(&self, group: &[u32], measure: Measure, date: Option<Date>) -> Problem {
        let in_group = |v: u32| group.binary_search(&v).is_ok();
        // The stakes among the members, in registry order.
        let mut inside: Vec<u32> = group
            .iter()
            .flat_map(|&v| self.held_by[v as usize].iter().copied())
            .filter(|&s| in_group(self.ends[s as usize].1))
            .collect();
        inside.sort_unstable();
        let names = match self.simple_cycle(group, &inside) {
            Some(cycle) => cycle.join(" → "),
            None => {
                let mut ids: Vec<&str> = group.iter().map(|&v| self.ids[v as usize]).collect();
                ids.sort_unstable();
                list(ids.iter().map(|id| format!("`{id}`")))
            }
        };
        let what = match measure {
            Measure::Economic => "every share",
            Measure::Voting => "every vote",
        };
        let mut problem = Problem::new(
            "registry::full-ownership-cycle",
            format!(
                "{names} own each other in full: {what} of each is held by the others{}",
                date.map(|d| format!(" on {d}")).unwrap_or_default()
            ),
        )
        .with_help(
            "nobody outside such a cross-holding could own any of it; correct the shares so that \
             at least one member has an owner outside it or a part no recorded owner holds",
        );
        for &s in &inside {
            let stake = self.stakes[s as usize];
            let (loc, share) = match measure {
                Measure::Economic => (stake.economic.loc, stake.economic.interval),
                Measure::Voting => (
                    stake.voting.as_ref().map_or(stake.economic.loc, |v| v.loc),
                    stake.voting_interval(),
                ),
            };
            problem = problem.at(loc, share.to_string());
        }
        problem
    }

    /// `a → b → c → a` when the group is one cycle (each member holds exactly one member), from
    /// its first member.
    fn simple_cycle(&self, group: &[u32], inside: &[u32]) -> Option<Vec<&'r str>> {
        let next_of = |v: u32| {
            let mut held = inside
                .iter()
                .filter(|&&s| self.ends[s as usize].0 == v)
                .map(|&s| self.ends[s as usize].1);
            let first = held.next()?;
            held.next().is_none().then_some(first)
        };
        let mut cycle = vec![self.ids[group[0] as usize]];
        let mut at = group[0];
        for _ in 0..group.len() {
            at = next_of(at)?;
            cycle.push(self.ids[at as usize]);
        }
        (at == group[0] && inside.len() == group.len()).then_some(cycle)
    }
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

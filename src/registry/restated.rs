//! Stakes of one owner in one organisation that are in force at the same time add up: two
//! share classes are two holdings. So a stake copied twice (in one file or two, or a YAML stake
//! restating what a BODS file already says) would silently count twice.
//!
//! - Two stakes equal in every field (owner, owned, shares, dates, board, indirect, class,
//!   consideration, source, id) are the same stake stated twice: an error at both.
//! - Two direct stakes of one owner in one organisation, of the same class, whose periods
//!   overlap are a warning that says what they add up to, so that a restatement is noticed and
//!   two share classes are written as such (`class`).
//!
//! BODS statements about one record are reduced to the latest before any stake is made
//! (`bods::history`), so a register that restates a relationship makes one stake, not two.

use std::cmp::Ordering;

use foldhash::{HashMap, HashMapExt};

use crate::input::diagnostic::Problem;
use crate::registry::model::{Registry, Stake};
use crate::value::date::Date;

pub fn restated_stakes(registry: &Registry, problems: &mut Vec<Problem>) {
    // Most pairs hold one stake: they are counted by hashing, and only the stakes of pairs that
    // hold more are sorted (a register of millions of stakes would otherwise be sorted whole by
    // its id strings).
    let mut stakes_per_pair: HashMap<(&str, &str), u32> = HashMap::new();
    for stake in &registry.stakes {
        *stakes_per_pair
            .entry((&stake.owned.id, &stake.owner.id))
            .or_default() += 1;
    }
    let mut order: Vec<&Stake> = registry
        .stakes
        .iter()
        .filter(|s| {
            stakes_per_pair
                .get(&(s.owned.id.as_str(), s.owner.id.as_str()))
                .is_some_and(|&n| n > 1)
        })
        .collect();
    drop(stakes_per_pair);
    // Registry order within each (owned, owner) pair: the first statement is the original.
    order.sort_by(|a, b| (&a.owned.id, &a.owner.id).cmp(&(&b.owned.id, &b.owner.id)));
    for pair in order.chunk_by(|a, b| a.owned.id == b.owned.id && a.owner.id == b.owner.id) {
        if pair.len() < 2 {
            continue;
        }
        let repeated = identical_repeats(pair, problems);
        overlapping(pair, &repeated, problems);
    }
}

/// Reports every stake of `pair` equal in every field to an earlier one; returns them.
fn identical_repeats<'r>(pair: &[&'r Stake], problems: &mut Vec<Problem>) -> Vec<&'r Stake> {
    let mut sorted: Vec<&Stake> = pair.to_vec();
    sorted.sort_by(|a, b| same_terms_order(a, b).then(a.loc.cmp(&b.loc)));
    let mut repeated = Vec::new();
    for run in sorted.chunk_by(|a, b| same_terms_order(a, b) == Ordering::Equal) {
        let first = run[0];
        for again in &run[1..] {
            problems.push(
                Problem::new(
                    "registry::duplicate-stake",
                    format!(
                        "the stake of `{}` in `{}` is stated twice",
                        first.owner.id, first.owned.id
                    ),
                )
                .at(again.economic.loc, "stated again here")
                .at(first.economic.loc, "first stated here")
                .with_help(
                    "stakes of one owner in one organisation add up; remove the copy (if these \
                     are two holdings of the same size, give each its share `class`)",
                ),
            );
            repeated.push(*again);
        }
    }
    repeated
}

/// Warns, once per pair and class, about two direct stakes in force at the same time.
fn overlapping(pair: &[&Stake], repeated: &[&Stake], problems: &mut Vec<Problem>) {
    let mut direct: Vec<&Stake> = pair
        .iter()
        .copied()
        .filter(|s| !s.indirect && !repeated.iter().any(|r| std::ptr::eq(*r, *s)))
        .collect();
    // By what the stakes say, never by where: the warning must not depend on the order in which
    // the files were read.
    direct.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(start(a).cmp(&start(b)))
            .then(same_terms_order(a, b))
    });
    for class in direct.chunk_by(|a, b| a.class == b.class) {
        // Sweep by start date: the stake in force longest so far overlaps the next one if it has
        // not ended before that one starts.
        let mut longest = class[0];
        for &next in &class[1..] {
            if end(longest).is_none_or(|e| start(next).is_none_or(|s| s <= e)) {
                problems.push(warning(longest, next));
                break;
            }
            if end(next).is_none_or(|e| end(longest).is_some_and(|l| e > l)) {
                longest = next;
            }
        }
    }
}

/// The warning about two stakes in force at once, at `second`, the one that starts later (or,
/// starting together, comes later in the order of their terms): where the overlap begins.
fn warning(first: &Stake, second: &Stake) -> Problem {
    let from = match (start(first), start(second)) {
        (None, None) => String::new(),
        (a, b) => format!(
            " from {}",
            a.max(b).map(|d| d.to_string()).unwrap_or_default()
        ),
    };
    let total = first.economic.interval.plus(&second.economic.interval);
    Problem::warning(
        "registry::overlapping-stakes",
        format!(
            "`{}` holds two stakes in `{}` at once{from}, {} and {}: they add up to {total}",
            first.owner.id, first.owned.id, first.economic.interval, second.economic.interval
        ),
    )
    .at(second.economic.loc, "a second stake")
    .at(first.economic.loc, "in force with this one")
    .with_help(
        "two share classes: give each stake its `class`; one stake replacing the other: end the \
         first where the second starts; one holding stated twice: remove one",
    )
}

fn start(stake: &Stake) -> Option<Date> {
    stake.start.as_ref().map(|d| d.value)
}

fn end(stake: &Stake) -> Option<Date> {
    stake.end.as_ref().map(|d| d.value)
}

/// Orders stakes of one pair by every field but their positions; `Equal` means the same stake.
fn same_terms_order(a: &Stake, b: &Stake) -> Ordering {
    let interval = |i: &crate::value::interval::Interval| {
        (
            i.min.to_bits(),
            i.max.to_bits(),
            i.min_exclusive,
            i.max_exclusive,
        )
    };
    (
        interval(&a.economic.interval),
        interval(&a.voting_interval()),
        (start(a), end(a)),
        (a.board, a.indirect),
        (&a.class, &a.id),
        a.consideration.as_ref().map(|m| (m.amount, &m.currency)),
        a.source.as_ref().map(|s| &s.id),
    )
        .cmp(&(
            interval(&b.economic.interval),
            interval(&b.voting_interval()),
            (start(b), end(b)),
            (b.board, b.indirect),
            (&b.class, &b.id),
            b.consideration.as_ref().map(|m| (m.amount, &m.currency)),
            b.source.as_ref().map(|s| &s.id),
        ))
}

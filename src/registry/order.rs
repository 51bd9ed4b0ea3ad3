//! A canonical order for a loaded registry. The files of a registry are a set of facts: which
//! file says what, and in which order the files are read, must not change a report. Everything
//! downstream numbers organisations and stakes by their place in these lists and breaks ties
//! (equal shares, equal paths, a company in two competitor groups) by those numbers, so the
//! lists are sorted by what they say before anything is computed.

use std::cmp::Ordering;

use rayon::slice::ParallelSliceMut;

use crate::interval::Interval;

use super::model::*;

impl Registry {
    /// Sorts every list by content (ids first), then by position for items that say the same
    /// thing in two places, and rebuilds the id index.
    pub fn canonicalize(&mut self) {
        self.sources
            .sort_by(|a, b| a.id.value.cmp(&b.id.value).then(a.loc.cmp(&b.loc)));
        // The two long lists sort at once, each on all cores: at a million organisations this
        // is seconds of a load. Stable sorts, so the result is the sequential one.
        rayon::join(
            || {
                sort_large(&mut self.organisations, |a, b| {
                    a.id.value.cmp(&b.id.value).then(a.loc.cmp(&b.loc))
                })
            },
            || sort_large(&mut self.stakes, stake_order),
        );
        self.competitors.sort_by(|a, b| {
            (&a.of.id, &a.competitor.id, a.tier, &a.markets)
                .cmp(&(&b.of.id, &b.competitor.id, b.tier, &b.markets))
                .then(a.loc.cmp(&b.loc))
        });
        self.vendors.sort_by(|a, b| {
            (&a.customer.id, &a.vendor.id)
                .cmp(&(&b.customer.id, &b.vendor.id))
                .then(a.loc.cmp(&b.loc))
        });
        self.roles.sort_by(|a, b| {
            let key = |r: &Role| {
                (
                    r.person.id.clone(),
                    r.org.id.clone(),
                    r.role.clone(),
                    r.start.as_ref().map(|d| d.value),
                    r.end.as_ref().map(|d| d.value),
                )
            };
            key(a).cmp(&key(b)).then(a.loc.cmp(&b.loc))
        });
        self.moves.sort_by(|a, b| {
            (&a.person.id, a.date.value, &a.from.id, &a.to.id)
                .cmp(&(&b.person.id, b.date.value, &b.from.id, &b.to.id))
                .then(a.loc.cmp(&b.loc))
        });
        self.reindex();
    }
}

/// A stable sort of a long list of large items, on all cores. The positions of the items are
/// sorted, and then each item is moved once to its place: sorting the items themselves would
/// move every one of them (hundreds of bytes) at each of the twenty levels of a merge sort.
fn sort_large<T: Sync>(list: &mut [T], order: impl Fn(&T, &T) -> Ordering + Sync) {
    if list.is_sorted_by(|a, b| order(a, b) != Ordering::Greater) {
        return;
    }
    let mut sources: Vec<usize> = (0..list.len()).collect();
    sources.par_sort_by(|&a, &b| order(&list[a], &list[b]));
    move_into_place(list, &mut sources);
}

/// Reorders `list` so that position `i` holds the item that was at `sources[i]`, following each
/// cycle of the permutation; a position whose item is in place is marked by `sources[i] == i`.
fn move_into_place<T>(list: &mut [T], sources: &mut [usize]) {
    for start in 0..list.len() {
        let mut at = start;
        while sources[at] != at {
            let from = sources[at];
            sources[at] = at;
            if from == start {
                // The last place of the cycle: the item of `start` was moved here.
                break;
            }
            list.swap(at, from);
            at = from;
        }
    }
}

fn stake_order(a: &Stake, b: &Stake) -> Ordering {
    (&a.owner.id, &a.owned.id, &a.id)
        .cmp(&(&b.owner.id, &b.owned.id, &b.id))
        .then_with(|| {
            let dates = |s: &Stake| {
                (
                    s.start.as_ref().map(|d| d.value),
                    s.end.as_ref().map(|d| d.value),
                )
            };
            dates(a).cmp(&dates(b))
        })
        .then_with(|| interval_order(&a.economic.interval, &b.economic.interval))
        .then_with(|| interval_order(&a.voting_interval(), &b.voting_interval()))
        .then((a.board, a.indirect).cmp(&(b.board, b.indirect)))
        .then(a.loc.cmp(&b.loc))
}

fn interval_order(a: &Interval, b: &Interval) -> Ordering {
    a.min
        .total_cmp(&b.min)
        .then(a.max.total_cmp(&b.max))
        .then((a.min_exclusive, a.max_exclusive).cmp(&(b.min_exclusive, b.max_exclusive)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn moving_into_place_applies_the_permutation(
            permutation in (0usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        ) {
            let mut list: Vec<String> = (0..permutation.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = permutation.iter().map(|&i| list[i].clone()).collect();
            let mut sources = permutation.clone();
            move_into_place(&mut list, &mut sources);
            prop_assert_eq!(list, expected);
        }

        #[test]
        fn the_large_sort_is_the_stable_sort(keys in proptest::collection::vec(0u8..5, 0..200)) {
            // Equal keys keep their order: the second field tells them apart.
            let items: Vec<(u8, usize)> = keys.into_iter().zip(0..).collect();
            let mut stable = items.clone();
            stable.sort_by_key(|item| item.0);
            let mut large = items;
            sort_large(&mut large, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(large, stable);
        }
    }
}

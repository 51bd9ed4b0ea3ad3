//! A canonical order for a loaded registry. The files of a registry are a set of facts: which
//! file says what, and in which order the files are read, must not change a report. Everything
//! downstream numbers organisations and stakes by their place in these lists and breaks ties
//! (equal shares, equal paths, a company in two competitor groups) by those numbers, so the
//! lists are sorted by what they say before anything is computed.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::value::interval::Interval;

use super::model::*;

impl Registry {
    /// Sorts every list by content (ids first), then by position for items that say the same
    /// thing in two places, and rebuilds the id index.
    pub fn canonicalize(&mut self) {
        self.sources
            .sort_by(|a, b| a.id.value.cmp(&b.id.value).then(a.loc.cmp(&b.loc)));
        // The two long lists sort on all cores (at a million organisations this is seconds of
        // a load), with stable sorts, so the result is the sequential one. Organisations come
        // first: the place of an id in their sorted list orders ids as the ids themselves do,
        // and the stakes are sorted by the places of their owners and owned organisations,
        // integers at hand instead of strings elsewhere in memory.
        sort_large(&mut self.organisations, |a, b| {
            a.id.value.cmp(&b.id.value).then(a.loc.cmp(&b.loc))
        });
        self.reindex();
        let places: Option<Vec<(usize, usize)>> = self
            .stakes
            .par_iter()
            .map(|s| Some((self.org_index(&s.owner.id)?, self.org_index(&s.owned.id)?)))
            .collect();
        match places {
            Some(places) => sort_stakes_by_places(&mut self.stakes, &places),
            // A stake names an id no organisation has (the registry checks report it).
            None => sort_large(&mut self.stakes, stake_order),
        }
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

/// Stakes in [`stake_order`], where `places[i]` holds the places of the owner and the owned
/// organisation of stake `i` in the sorted organisations: they order the stakes as the ids do,
/// and only stakes between the same two organisations are compared in full.
fn sort_stakes_by_places(stakes: &mut [Stake], places: &[(usize, usize)]) {
    let mut sources: Vec<usize> = (0..stakes.len()).collect();
    sources.par_sort_by(|&a, &b| {
        places[a]
            .cmp(&places[b])
            .then_with(|| stake_order(&stakes[a], &stakes[b]))
    });
    move_into_place(stakes, &mut sources);
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
        .then_with(|| a.class.cmp(&b.class))
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
    use crate::input::limits::Limits;
    use crate::input::source::{SourceFile, SourceMap};
    use proptest::prelude::*;

    /// Organisations whose ids sort differently from the order they are declared in, and
    /// stakes between them in no order, two of them between the same two organisations.
    fn scrambled_registry() -> Registry {
        let mut text = String::from("organisations:\n");
        for id in ["m", "b", "z", "a", "k"] {
            text.push_str(&format!("  - {{id: {id}, name: {id}, kind: company}}\n"));
        }
        text.push_str("stakes:\n");
        for (owner, owned, share) in [
            ("z", "a", 10),
            ("b", "m", 30),
            ("a", "k", 5),
            ("b", "a", 20),
            ("z", "a", 7),
            ("k", "b", 40),
            ("a", "b", 1),
        ] {
            text.push_str(&format!(
                "  - {{owner: {owner}, owned: {owned}, economic: {share}%}}\n"
            ));
        }
        let file = SourceFile::new("registry.yaml", None, text);
        crate::registry::load_files(vec![file], &mut SourceMap::new(), &Limits::default())
            .expect("the registry loads")
    }

    fn pairs(registry: &Registry) -> Vec<(&str, &str, String)> {
        registry
            .stakes
            .iter()
            .map(|s| {
                let share = s.economic.interval.to_string();
                (s.owner.id.as_str(), s.owned.id.as_str(), share)
            })
            .collect()
    }

    #[test]
    fn stakes_sort_by_owner_then_owned_id_then_share() {
        let registry = scrambled_registry();
        let ids: Vec<&str> = registry
            .organisations
            .iter()
            .map(|o| o.id.value.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "k", "m", "z"]);
        let expected = [
            ("a", "b", "1%"),
            ("a", "k", "5%"),
            ("b", "a", "20%"),
            ("b", "m", "30%"),
            ("k", "b", "40%"),
            ("z", "a", "7%"),
            ("z", "a", "10%"),
        ];
        let expected: Vec<(&str, &str, String)> = expected
            .iter()
            .map(|&(owner, owned, share)| (owner, owned, share.to_string()))
            .collect();
        assert_eq!(pairs(&registry), expected);
    }

    #[test]
    fn a_stake_naming_an_unknown_id_still_sorts_by_ids() {
        let mut registry = scrambled_registry();
        registry.stakes.reverse();
        // "aa" is no organisation's id, and sorts between "a" and "b".
        for stake in registry.stakes.iter_mut().filter(|s| s.owner.id == "k") {
            stake.owner.id = "aa".to_string();
        }
        registry.canonicalize();
        let owners: Vec<&str> = registry
            .stakes
            .iter()
            .map(|s| s.owner.id.as_str())
            .collect();
        assert_eq!(owners, ["a", "a", "aa", "b", "b", "z", "z"]);
        assert!(
            registry
                .stakes
                .is_sorted_by(|a, b| stake_order(a, b) != Ordering::Greater)
        );
    }

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

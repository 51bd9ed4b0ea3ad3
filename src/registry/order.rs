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
                self.organisations
                    .par_sort_by(|a, b| a.id.value.cmp(&b.id.value).then(a.loc.cmp(&b.loc)))
            },
            || self.stakes.par_sort_by(stake_order),
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

//! The four bounds every computation carries side by side (economic min and max, voting min and
//! max), with the open-bound bits, and the conversions between them and [`Interval`]s.
//!
//! Lower and upper bounds are computed separately: every method is monotone in every stake, so
//! the lowest result comes from every stake at its minimum and the highest from every stake at
//! its maximum. Open bounds are tracked as one bit per bound.

use super::Share;
use crate::value::interval::Interval;

pub(crate) const ECON_MIN: usize = 0;
pub(crate) const ECON_MAX: usize = 1;
pub(crate) const VOTE_MIN: usize = 2;
pub(crate) const VOTE_MAX: usize = 3;
pub(crate) const BOUNDS: usize = 4;

pub(crate) const fn bit(bound: usize) -> u8 {
    1 << bound
}

pub(crate) const fn is_lower(bound: usize) -> bool {
    bound.is_multiple_of(2)
}

/// A stake's four percentages (0-100) and which of them are open bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Weights {
    pub pct: [f64; BOUNDS],
    pub open: u8,
}

impl Weights {
    /// Normalises a stake's shares: NaN reads as unknown, values are clamped into [0, 100], a
    /// reversed or empty interval is read as its upper end, and a bound at an end of [0, 100]
    /// that cannot be open (an open 0 maximum) is closed.
    pub fn new(economic: &Interval, voting: &Interval) -> Weights {
        let (econ_min, econ_max, econ_open) = normalise(economic);
        let (vote_min, vote_max, vote_open) = normalise(voting);
        Weights {
            pct: [econ_min, econ_max, vote_min, vote_max],
            open: econ_open | (vote_open << 2),
        }
    }

    /// Whether the stake can carry nothing at all, economically or in votes.
    pub fn is_void(&self) -> bool {
        self.pct[ECON_MAX] <= 0.0 && self.pct[VOTE_MAX] <= 0.0
    }

    pub fn is_open(&self, bound: usize) -> bool {
        self.open & bit(bound) != 0
    }

    /// The bounds `first` (a lower bound) and `first + 1` as an interval, in percent.
    pub fn interval(&self, first: usize) -> Interval {
        Interval {
            min: self.pct[first],
            max: self.pct[first + 1],
            min_exclusive: self.is_open(first),
            max_exclusive: self.is_open(first + 1),
        }
    }

    pub fn economic(&self) -> Interval {
        self.interval(ECON_MIN)
    }

    pub fn voting(&self) -> Interval {
        self.interval(VOTE_MIN)
    }
}

/// (min, max, open bits for min = 1 and max = 2).
fn normalise(share: &Interval) -> (f64, f64, u8) {
    let max = if share.max.is_nan() {
        100.0
    } else {
        share.max.clamp(0.0, 100.0)
    };
    let min = if share.min.is_nan() {
        0.0
    } else {
        share.min.clamp(0.0, 100.0)
    };
    if min >= max {
        return (max, max, 0);
    }
    let min_open = u8::from(share.min_exclusive);
    let max_open = u8::from(share.max_exclusive);
    (min, max, min_open | (max_open << 1))
}

/// A value per bound and the open bits, as accumulated for one node during a computation.
/// Integrated values are fractions (1 = 100%) and may exceed 1 or be infinite before capping;
/// control-chain values are percentages.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Acc {
    pub v: [f64; BOUNDS],
    pub open: u8,
}

impl Acc {
    pub const ZERO: Acc = Acc {
        v: [0.0; BOUNDS],
        open: 0,
    };
    /// The owner itself: all of it, exactly.
    pub const WHOLE: Acc = Acc {
        v: [1.0; BOUNDS],
        open: 0,
    };

    pub fn is_open(&self, bound: usize) -> bool {
        self.open & bit(bound) != 0
    }

    /// Strictly above zero whatever the stakes' true values.
    pub fn is_positive(&self, bound: usize) -> bool {
        self.v[bound] > 0.0 || self.is_open(bound)
    }

    /// Whether anything at all can reach this node (an upper bound above zero).
    pub fn is_reached(&self) -> bool {
        self.v[ECON_MAX] > 0.0 || self.v[VOTE_MAX] > 0.0
    }

    /// Adds this node's walk sums, carried over one stake, to `target` (integrated method).
    ///
    /// The open bits follow [`Interval::times`] and [`Interval::plus`]: the carried amount is
    /// strictly inside its bound when the stake's bound is open and this node's share is
    /// positive, or when this node's bound is open and the stake's is positive.
    pub fn carry(&self, stake: &Weights, target: &mut Acc) {
        for bound in 0..BOUNDS {
            if !self.is_positive(bound) {
                continue;
            }
            let weight = stake.pct[bound];
            if self.v[bound] > 0.0 && weight > 0.0 {
                target.v[bound] += self.v[bound] * (weight * 0.01);
            }
            if stake.is_open(bound) || (self.is_open(bound) && weight > 0.0) {
                target.open |= bit(bound);
            }
        }
    }

    /// The share this accumulator stands for; `scale` turns its values into percent.
    pub fn share(&self, scale: f64) -> Share {
        Share {
            economic: self.interval(ECON_MIN, scale),
            voting: self.interval(VOTE_MIN, scale),
        }
    }

    fn interval(&self, first: usize, scale: f64) -> Interval {
        percent_interval(
            self.v[first] * scale,
            self.is_open(first),
            self.v[first + 1] * scale,
            self.is_open(first + 1),
        )
    }
}

/// Builds a capped interval from raw bounds in percent (which may be above 100 or infinite).
pub(crate) fn percent_interval(min: f64, min_open: bool, max: f64, max_open: bool) -> Interval {
    let cap = |value: f64, if_nan: f64| {
        if value.is_nan() {
            if_nan
        } else {
            snap(value).clamp(0.0, 100.0)
        }
    };
    let hi = cap(max, 100.0);
    let lo = cap(min, 0.0).min(hi);
    if lo == hi {
        return Interval::exact(hi);
    }
    Interval {
        min: lo,
        max: hi,
        min_exclusive: min_open,
        max_exclusive: max_open && hi < 100.0,
    }
}

/// Rounds a percentage to 1e-9 points when it is within floating-point noise of that grid, so
/// that decimal inputs give decimal results (60% of 40% is 24%, not 24.000000000000004%) while
/// tiny genuine values (1e-12%) and repeating decimals (200/3) keep their full precision.
/// Monotone: it never reverses the order of two values.
pub(crate) fn snap(percent: f64) -> f64 {
    if !percent.is_finite() {
        return percent;
    }
    let rounded = (percent * 1e9).round() / 1e9;
    if (rounded - percent).abs() <= 1e-12 * percent.abs() {
        rounded
    } else {
        percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_odd_stakes() {
        let nan = Interval::closed(f64::NAN, f64::NAN);
        let weights = Weights::new(&nan, &Interval::closed(-5.0, 150.0));
        assert_eq!(weights.economic(), Interval::UNKNOWN);
        assert_eq!(weights.voting(), Interval::UNKNOWN);
        let reversed = Weights::new(&Interval::closed(60.0, 40.0), &Interval::exact(10.0));
        assert_eq!(reversed.economic(), Interval::exact(40.0));
        let empty = Interval {
            min: 30.0,
            max: 30.0,
            min_exclusive: true,
            max_exclusive: false,
        };
        assert_eq!(
            Weights::new(&empty, &empty).economic(),
            Interval::exact(30.0)
        );
    }

    #[test]
    fn snapping_removes_noise_only() {
        assert_eq!(snap(0.6 * 0.4 * 100.0), 24.0);
        assert_eq!(snap(1e-12), 1e-12);
        assert_eq!(snap(200.0 / 3.0), 200.0 / 3.0);
    }

    #[test]
    fn capped_intervals_close_at_100() {
        let capped = percent_interval(80.0, true, f64::INFINITY, true);
        assert_eq!((capped.min, capped.max), (80.0, 100.0));
        assert!(capped.min_exclusive && !capped.max_exclusive);
        assert_eq!(percent_interval(150.0, true, 200.0, true), Interval::FULL);
    }
}

//! Percentages as intervals: an exact share is a point, a register band is a range, an unknown
//! share is [0, 100]. Bounds may be open, so that "more than 25%" compared with 25% is decided.

use std::fmt;

use crate::value::truth::Truth;

/// A closed or half-open range of percentages (0-100).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub min: f64,
    pub max: f64,
    pub min_exclusive: bool,
    pub max_exclusive: bool,
}

impl Interval {
    pub const ZERO: Interval = Interval::exact(0.0);
    pub const FULL: Interval = Interval::exact(100.0);
    pub const UNKNOWN: Interval = Interval::closed(0.0, 100.0);

    pub const fn exact(value: f64) -> Self {
        Interval::closed(value, value)
    }

    pub const fn closed(min: f64, max: f64) -> Self {
        Interval {
            min,
            max,
            min_exclusive: false,
            max_exclusive: false,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.min == self.max && !self.min_exclusive && !self.max_exclusive
    }

    pub fn is_unknown(&self) -> bool {
        *self == Interval::UNKNOWN
    }

    /// Whether the interval holds no value at all (min > max, or an open bound at min == max).
    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.min_exclusive || self.max_exclusive))
    }

    /// Product of two shares in percent: (a/100)·(b/100)·100. Monotone, so bounds multiply.
    pub fn times(&self, other: &Interval) -> Interval {
        Interval {
            min: self.min * other.min / 100.0,
            max: self.max * other.max / 100.0,
            // An open bound stays open unless the other factor can be zero there.
            min_exclusive: (self.min_exclusive && (other.min > 0.0 || other.min_exclusive))
                || (other.min_exclusive && (self.min > 0.0 || self.min_exclusive)),
            max_exclusive: (self.max_exclusive && other.max > 0.0)
                || (other.max_exclusive && self.max > 0.0),
        }
    }

    /// Sum of two shares, capped at 100.
    pub fn plus(&self, other: &Interval) -> Interval {
        Interval {
            min: (self.min + other.min).min(100.0),
            max: (self.max + other.max).min(100.0),
            min_exclusive: self.min_exclusive || other.min_exclusive,
            max_exclusive: (self.max_exclusive || other.max_exclusive)
                && self.max + other.max < 100.0,
        }
    }

    /// `self >= threshold`: true when every value in the interval is, false when none is.
    pub fn ge(&self, threshold: f64) -> Truth {
        if self.min >= threshold {
            Truth::True
        } else if self.max < threshold || (self.max == threshold && self.max_exclusive) {
            Truth::False
        } else {
            Truth::Unknown
        }
    }

    /// `self > threshold`.
    pub fn gt(&self, threshold: f64) -> Truth {
        if self.min > threshold || (self.min == threshold && self.min_exclusive) {
            Truth::True
        } else if self.max <= threshold {
            Truth::False
        } else {
            Truth::Unknown
        }
    }

    /// `self <= threshold`.
    pub fn le(&self, threshold: f64) -> Truth {
        self.gt(threshold).not()
    }

    /// `self < threshold`.
    pub fn lt(&self, threshold: f64) -> Truth {
        self.ge(threshold).not()
    }

    /// `self == value`.
    pub fn eq(&self, value: f64) -> Truth {
        if self.is_exact() {
            Truth::from(self.min == value)
        } else if self.contains(value) {
            Truth::Unknown
        } else {
            Truth::False
        }
    }

    pub fn contains(&self, value: f64) -> bool {
        let above_min = value > self.min || (value == self.min && !self.min_exclusive);
        let below_max = value < self.max || (value == self.max && !self.max_exclusive);
        above_min && below_max
    }
}

/// What is left of 100% once shares adding up to `total_percent` (a sum of `terms` shares) are
/// taken: negative when they add up to more. A rest within the floating-point noise of such a
/// sum is exactly 0, so that `99.9999999999%` and `0.0000000001%` fill a company. The registry
/// loader and the ownership engine both decide with this function when organisations hold all
/// of one another, so that they agree on which cross-holdings have no outside owner.
pub fn unheld_percent(total_percent: f64, terms: usize) -> f64 {
    let rest = 100.0 - total_percent;
    let noise = 4.0 * (terms as f64 + 1.0) * f64::EPSILON * 100.0;
    if rest.abs() <= noise { 0.0 } else { rest }
}

/// Formats a percentage without trailing zeros, to at most three decimals: 49, 66.667, 0.5; a
/// share too small for three decimals gets the decimals its first digit needs (0.0000000001),
/// so that a stake never prints as 0% unless it is nothing.
pub fn format_percent(value: f64) -> String {
    let mut decimals = 3;
    while value != 0.0 && (value * 10f64.powi(decimals as i32)).round() == 0.0 && decimals < 15 {
        decimals += 1;
    }
    format_percent_to(value, decimals)
}

fn format_percent_to(value: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let rounded = (value * scale).round() / scale;
    let text = format!("{rounded:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    format!("{text}%")
}

/// [`format_percent`], with as many more decimals as it takes (up to nine) for a value that is
/// not `threshold` not to print as `threshold`: evidence never reads `15% > 15% → true`.
pub fn format_percent_against(value: f64, threshold: f64) -> String {
    let mut decimals = 3;
    let mut text = format_percent(value);
    while value != threshold && decimals < 9 && text == format_percent_to(threshold, decimals) {
        decimals += 1;
        text = format_percent_to(value, decimals);
    }
    text
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            return f.write_str(&format_percent(self.min));
        }
        if self.is_unknown() {
            return f.write_str("unknown");
        }
        let open = if self.min_exclusive { "(" } else { "[" };
        let close = if self.max_exclusive { ")" } else { "]" };
        write!(
            f,
            "{open}{}, {}{close}",
            format_percent(self.min),
            format_percent(self.max)
        )
    }
}

/// Stored as its four fields; read back only when both bounds are numbers and in order.
impl serde::Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(
            &(self.min, self.max, self.min_exclusive, self.max_exclusive),
            serializer,
        )
    }
}

impl<'de> serde::Deserialize<'de> for Interval {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (min, max, min_exclusive, max_exclusive): (f64, f64, bool, bool) =
            serde::Deserialize::deserialize(deserializer)?;
        if !(min.is_finite() && max.is_finite() && min <= max) {
            return Err(serde::de::Error::custom(format!(
                "the interval {min} to {max} is not a range of numbers"
            )));
        }
        Ok(Interval {
            min,
            max,
            min_exclusive,
            max_exclusive,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_times_share() {
        let band = Interval {
            min: 50.0,
            max: 75.0,
            min_exclusive: false,
            max_exclusive: true,
        };
        let product = band.times(&Interval::exact(40.0));
        assert_eq!((product.min, product.max), (20.0, 30.0));
        assert_eq!(product.ge(30.0), Truth::False, "30 is excluded");
        assert_eq!(product.ge(20.0), Truth::True);
        assert_eq!(product.ge(25.0), Truth::Unknown);
    }

    #[test]
    fn comparisons_honour_open_bounds() {
        let more_than_25 = Interval {
            min: 25.0,
            max: 50.0,
            min_exclusive: true,
            max_exclusive: false,
        };
        assert_eq!(more_than_25.gt(25.0), Truth::True);
        assert_eq!(more_than_25.ge(50.0), Truth::Unknown);
        assert_eq!(Interval::exact(49.0).ge(20.0), Truth::True);
        assert_eq!(Interval::exact(0.0).ge(20.0), Truth::False);
        assert_eq!(Interval::UNKNOWN.ge(20.0), Truth::Unknown);
    }

    #[test]
    fn display() {
        assert_eq!(Interval::exact(49.0).to_string(), "49%");
        assert_eq!(Interval::exact(200.0 / 3.0).to_string(), "66.667%");
        assert_eq!(Interval::closed(20.0, 30.0).to_string(), "[20%, 30%]");
        assert_eq!(Interval::UNKNOWN.to_string(), "unknown");
        assert_eq!(format_percent(0.0004), "0.0004%");
        assert_eq!(format_percent(1e-10), "0.0000000001%");
        assert_eq!(format_percent(0.0), "0%");
    }

    #[test]
    fn unheld_rests_are_exact_or_zero() {
        assert_eq!(unheld_percent(99.9999999999 + 0.0000000001, 2), 0.0);
        assert_eq!(unheld_percent(100.0, 1), 0.0);
        assert!((unheld_percent(99.9999999999, 1) - 1e-10).abs() < 1e-13);
        assert!(unheld_percent(100.5, 2) < 0.0);
        assert_eq!(unheld_percent(0.0, 0), 100.0);
    }

    #[test]
    fn a_value_never_prints_as_a_threshold_it_differs_from() {
        assert_eq!(format_percent_against(15.0001, 15.0), "15.0001%");
        assert_eq!(format_percent_against(14.99999, 15.0), "14.99999%");
        assert_eq!(format_percent_against(15.0, 15.0), "15%");
        assert_eq!(format_percent_against(200.0 / 3.0, 20.0), "66.667%");
    }
}

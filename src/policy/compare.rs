//! One leaf comparison in three-valued logic: a fact value, an operator and an operand.
//!
//! An unknown fact gives `Unknown` for every operator but `known`. Percent ranges use the
//! interval comparisons, so a band that straddles the threshold is `Unknown`. Money in two
//! different currencies is `Unknown`: no exchange rate is assumed. A value whose type does not
//! match the fact model (an engine bug) is also `Unknown`, never a panic or a silent false.

use std::cmp::Ordering;

use crate::policy::facts::FactValue;
use crate::value::date::Date;
use crate::value::interval::{Interval, format_percent_against};
use crate::value::truth::Truth;

use super::model::{CmpOp, Op, Value};

pub fn compare(fact: &FactValue, op: Op, operand: &Value, as_of: Date) -> Truth {
    if let Op::Known = op {
        let want = matches!(operand, Value::Bool(true));
        return Truth::from(is_known(fact) == want);
    }
    match (fact, op, operand) {
        (FactValue::Unknown, _, _) => Truth::Unknown,
        (FactValue::Percent(iv), Op::Cmp(c), Value::Percent(p)) => percent(iv, c, *p),
        (FactValue::Number(n), Op::Cmp(c), Value::Number(m)) => ordered(n.partial_cmp(m), c),
        (FactValue::Money(a), Op::Cmp(c), Value::Money(b)) => {
            // `None` across currencies: no exchange rate is assumed.
            ordered(a.compare(b), c)
        }
        (FactValue::Date(a), Op::Cmp(c), Value::Date(b)) => ordered(Some(a.cmp(b)), c),
        (FactValue::Text(a), Op::Cmp(c @ (CmpOp::Eq | CmpOp::Ne)), Value::Text(b)) => {
            equality(a == b, c)
        }
        (FactValue::Bool(a), Op::Cmp(c @ (CmpOp::Eq | CmpOp::Ne)), Value::Bool(b)) => {
            equality(a == b, c)
        }
        (FactValue::Text(a), Op::In, Value::TextList(list)) => Truth::from(list.contains(a)),
        (FactValue::TextSet(set), Op::Contains, Value::Text(t)) => Truth::from(set.contains(t)),
        (FactValue::TextSet(set), Op::AnyOf, Value::TextList(list)) => {
            Truth::from(set.iter().any(|s| list.contains(s)))
        }
        (FactValue::Date(d), Op::Within, Value::Duration(w)) => {
            let start = as_of.add_days(-w.days);
            Truth::from(*d >= start && *d <= as_of)
        }
        (FactValue::Date(d), Op::OlderThan, Value::Duration(w)) => {
            Truth::from(*d < as_of.add_days(-w.days))
        }
        _ => Truth::Unknown,
    }
}

/// The fact's value as evidence shows it next to `operand`: an exact percentage that differs
/// from a percentage threshold gets the decimals it needs not to print as the threshold.
pub fn display_against(fact: &FactValue, operand: &Value) -> String {
    match (fact, operand) {
        (FactValue::Percent(iv), Value::Percent(threshold)) if iv.is_exact() => {
            format_percent_against(iv.min, *threshold)
        }
        _ => fact.to_string(),
    }
}

/// Whether the registry says anything: an unknown share ([0, 100]) counts as not known.
pub fn is_known(fact: &FactValue) -> bool {
    match fact {
        FactValue::Unknown => false,
        FactValue::Percent(iv) => !iv.is_unknown(),
        _ => true,
    }
}

fn percent(iv: &Interval, op: CmpOp, threshold: f64) -> Truth {
    match op {
        CmpOp::Gte => iv.ge(threshold),
        CmpOp::Gt => iv.gt(threshold),
        CmpOp::Lte => iv.le(threshold),
        CmpOp::Lt => iv.lt(threshold),
        CmpOp::Eq => iv.eq(threshold),
        CmpOp::Ne => iv.eq(threshold).not(),
    }
}

fn ordered(ordering: Option<Ordering>, op: CmpOp) -> Truth {
    let Some(o) = ordering else {
        return Truth::Unknown;
    };
    Truth::from(match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Lte => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Gte => o != Ordering::Less,
    })
}

fn equality(equal: bool, op: CmpOp) -> Truth {
    Truth::from(if op == CmpOp::Eq { equal } else { !equal })
}

/// `count OP n` when between `min` and `max` elements match (`max` is `None` when the
/// collection itself is unknown).
pub fn count(min: usize, max: Option<usize>, op: CmpOp, n: f64) -> Truth {
    let lo = min as f64;
    let hi = max.map_or(f64::INFINITY, |m| m as f64);
    let (all, none) = match op {
        CmpOp::Gte => (lo >= n, hi < n),
        CmpOp::Gt => (lo > n, hi <= n),
        CmpOp::Lte => (hi <= n, lo > n),
        CmpOp::Lt => (hi < n, lo >= n),
        CmpOp::Eq => (lo == n && hi == n, n < lo || n > hi || n.fract() != 0.0),
        CmpOp::Ne => (n < lo || n > hi || n.fract() != 0.0, lo == n && hi == n),
    };
    if all {
        Truth::True
    } else if none {
        Truth::False
    } else {
        Truth::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::date::Duration;
    use crate::value::money::Money;
    use Truth::*;

    fn date(s: &str) -> Date {
        Date::parse(s).expect("test date")
    }

    #[test]
    fn percents_use_intervals() {
        let gte = Op::Cmp(CmpOp::Gte);
        let t = Value::Percent(20.0);
        let as_of = date("2025-07-01");
        assert_eq!(
            compare(&FactValue::Percent(Interval::exact(49.0)), gte, &t, as_of),
            True
        );
        assert_eq!(
            compare(&FactValue::Percent(Interval::exact(0.0)), gte, &t, as_of),
            False
        );
        assert_eq!(
            compare(
                &FactValue::Percent(Interval::closed(15.0, 25.0)),
                gte,
                &t,
                as_of
            ),
            Unknown
        );
        assert_eq!(compare(&FactValue::Unknown, gte, &t, as_of), Unknown);
    }

    #[test]
    fn money_of_other_currencies_is_unknown() {
        let usd = |s: &str| Money::parse(s).expect("money");
        let as_of = date("2025-07-01");
        let gt = Op::Cmp(CmpOp::Gt);
        assert_eq!(
            compare(
                &FactValue::Money(usd("200M USD")),
                gt,
                &Value::Money(usd("100M USD")),
                as_of
            ),
            True
        );
        assert_eq!(
            compare(
                &FactValue::Money(usd("200M EUR")),
                gt,
                &Value::Money(usd("100M USD")),
                as_of
            ),
            Unknown
        );
    }

    #[test]
    fn dates_relative_to_as_of() {
        let as_of = date("2025-07-01");
        let year = Value::Duration(Duration { days: 365 });
        let d = |s| FactValue::Date(date(s));
        assert_eq!(compare(&d("2025-06-12"), Op::Within, &year, as_of), True);
        assert_eq!(compare(&d("2024-07-01"), Op::Within, &year, as_of), True);
        assert_eq!(compare(&d("2024-06-30"), Op::Within, &year, as_of), False);
        assert_eq!(
            compare(&d("2025-07-02"), Op::Within, &year, as_of),
            False,
            "future"
        );
        assert_eq!(compare(&d("2024-06-30"), Op::OlderThan, &year, as_of), True);
        assert_eq!(
            compare(&d("2024-07-01"), Op::OlderThan, &year, as_of),
            False
        );
    }

    #[test]
    fn text_sets_and_known() {
        let as_of = date("2025-07-01");
        let set = FactValue::TextSet(vec!["rlhf".into(), "evaluation".into()]);
        let list = Value::TextList(vec!["annotation".into(), "rlhf".into()]);
        assert_eq!(compare(&set, Op::AnyOf, &list, as_of), True);
        assert_eq!(
            compare(&set, Op::Contains, &Value::Text("annotation".into()), as_of),
            False
        );
        assert_eq!(
            compare(&FactValue::Unknown, Op::Known, &Value::Bool(true), as_of),
            False
        );
        assert_eq!(
            compare(
                &FactValue::Percent(Interval::UNKNOWN),
                Op::Known,
                &Value::Bool(false),
                as_of
            ),
            True
        );
        assert_eq!(
            compare(&FactValue::Bool(true), Op::In, &list, as_of),
            Unknown,
            "a value of an unexpected type is unknown, not false"
        );
    }

    #[test]
    fn counts_compare_ranges() {
        assert_eq!(count(2, Some(2), CmpOp::Gte, 2.0), True);
        assert_eq!(count(1, Some(3), CmpOp::Gte, 2.0), Unknown);
        assert_eq!(count(0, Some(1), CmpOp::Gte, 2.0), False);
        assert_eq!(count(0, None, CmpOp::Gte, 1.0), Unknown);
        assert_eq!(count(1, Some(1), CmpOp::Eq, 1.0), True);
        assert_eq!(count(0, Some(2), CmpOp::Eq, 1.0), Unknown);
        assert_eq!(count(0, Some(2), CmpOp::Ne, 3.0), True);
        assert_eq!(count(0, Some(0), CmpOp::Lt, 1.0), True);
    }
}

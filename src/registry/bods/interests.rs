//! The interests of a relationship statement: their type, share, dates and whether they are
//! declared indirect. The same in BODS 0.3 and 0.4 but for one thing: the default openness of a
//! share's bounds.

use crate::input::diagnostic::Problem;
use crate::input::json::{Json, Kind};
use crate::input::source::Loc;
use crate::registry::model::ShareField;
use crate::value::interval::Interval;

use super::fields;
use super::statement::{Interest, InterestKind};

/// Which version's share rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareRules {
    /// 0.4: `minimum`/`maximum` are inclusive; `exclusiveMinimum`/`exclusiveMaximum` are the
    /// open bounds themselves (numbers).
    V04,
    /// 0.3: `minimum` is inclusive and `maximum` exclusive unless the booleans
    /// `exclusiveMinimum`/`exclusiveMaximum` say otherwise.
    V03,
}

pub fn interests(node: Json, rules: ShareRules, problems: &mut Vec<Problem>) -> Vec<Interest> {
    let interests = fields::list(node, "interests", problems)
        .filter_map(|item| interest(item, rules, problems))
        .collect();
    fields::kept(interests)
}

fn interest(node: Json, rules: ShareRules, problems: &mut Vec<Problem>) -> Option<Interest> {
    if !node.is_object() {
        problems.push(fields::wrong_type(node, "interests", "an interest object"));
        return None;
    }
    let kind = match fields::optional_str(node, "type", problems).map(|t| t.value) {
        Some("shareholding") => InterestKind::Shareholding,
        Some("votingRights") => InterestKind::VotingRights,
        Some("appointmentOfBoard") => InterestKind::BoardAppointment,
        _ => InterestKind::Other,
    };
    let indirect = fields::optional_str(node, "directOrIndirect", problems)
        .is_some_and(|d| d.value == "indirect");
    let share = match node.get("share") {
        None => None,
        Some(share_node) if share_node.is_null() => None,
        Some(share_node) => share(share_node, rules, problems),
    };
    Some(Interest {
        kind,
        share,
        indirect,
        start: fields::date(node, "startDate", problems),
        end: fields::date(node, "endDate", problems),
        loc: node.loc(),
    })
}

/// A share object -> its interval; `None` when it states no figure (an empty object).
fn share(node: Json, rules: ShareRules, problems: &mut Vec<Problem>) -> Option<ShareField> {
    if !node.is_object() {
        problems.push(fields::wrong_type(node, "share", "an object"));
        return None;
    }
    let mut ok = true;
    let mut number = |key: &str| -> Option<(f64, Loc)> {
        let value = node.get(key)?;
        let n = match value.kind() {
            Kind::Int(i) => i as f64,
            Kind::Float(f) => f,
            kind => {
                if !matches!(kind, Kind::Bool(_)) {
                    problems.push(fields::wrong_type(value, key, "a number"));
                    ok = false;
                }
                return None;
            }
        };
        if !(0.0..=100.0).contains(&n) {
            problems.push(
                Problem::new(
                    "bods::share-out-of-range",
                    format!("a share of {n}% is outside 0-100%"),
                )
                .at(value.loc(), "must be between 0 and 100")
                .with_help("BODS shares are percentages from 0 to 100"),
            );
            ok = false;
            return None;
        }
        Some((n, value.loc()))
    };
    let exact = number("exact");
    let minimum = number("minimum");
    let maximum = number("maximum");
    let open_minimum = number("exclusiveMinimum");
    let open_maximum = number("exclusiveMaximum");
    if !ok {
        return None;
    }
    if let Some((value, _)) = exact {
        return Some(ShareField {
            interval: Interval::exact(value),
            loc: node.loc(),
        });
    }
    let flag = |key: &str| match node.get(key).map(|n| n.kind()) {
        Some(Kind::Bool(b)) => Some(b),
        _ => None,
    };
    let (min, min_exclusive) = match (open_minimum, minimum) {
        (Some((v, _)), _) => (Some(v), true),
        (None, Some((v, _))) => (Some(v), flag("exclusiveMinimum").unwrap_or(false)),
        (None, None) => (None, false),
    };
    let default_open_max = rules == ShareRules::V03;
    let (max, max_exclusive) = match (open_maximum, maximum) {
        (Some((v, _)), _) => (Some(v), true),
        (None, Some((v, _))) => (
            Some(v),
            flag("exclusiveMaximum").unwrap_or(default_open_max),
        ),
        (None, None) => (None, false),
    };
    if min.is_none() && max.is_none() {
        return None;
    }
    let mut interval = Interval {
        min: min.unwrap_or(0.0),
        max: max.unwrap_or(100.0),
        min_exclusive,
        max_exclusive,
    };
    // 0.3 publishers write an exact share as equal minimum and maximum, relying on the default
    // open maximum nowhere: a range that the defaults alone would empty is the exact value.
    if interval.is_empty()
        && interval.min == interval.max
        && flag("exclusiveMinimum").is_none()
        && flag("exclusiveMaximum").is_none()
        && open_minimum.is_none()
        && open_maximum.is_none()
    {
        interval = Interval::exact(interval.min);
    }
    if interval.is_empty() {
        problems.push(
            Problem::new(
                "bods::empty-range",
                format!("the share range {interval} holds no value"),
            )
            .at(
                node.loc(),
                "minimum above maximum, or an open bound at an equal one",
            )
            .with_help("correct the bounds, or give the `exact` share"),
        );
        return None;
    }
    Some(ShareField {
        interval,
        loc: node.loc(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::json::{Reader, Tape};
    use crate::input::source::{FileId, SourceFile};

    fn read(text: &str, rules: ShareRules) -> (Option<Interval>, Vec<&'static str>) {
        let source = SourceFile::new("t.json", None, text);
        let mut tape = Tape::default();
        let node = Reader::new(FileId(0), &source, 64).read(&mut tape).unwrap();
        let mut problems = Vec::new();
        let share = share(node, rules, &mut problems).map(|s| s.interval);
        (share, problems.iter().map(|p| p.code).collect())
    }

    #[test]
    fn exact_ranges_and_open_bounds() {
        use ShareRules::*;
        assert_eq!(read(r#"{"exact": 60}"#, V04).0, Some(Interval::exact(60.0)));
        assert_eq!(read("{}", V04).0, None);
        let band = read(r#"{"minimum": 50, "exclusiveMaximum": 75}"#, V04)
            .0
            .unwrap();
        assert_eq!(
            (band.min, band.max, band.min_exclusive, band.max_exclusive),
            (50.0, 75.0, false, true)
        );
        let open = read(r#"{"exclusiveMinimum": 25, "maximum": 50}"#, V04)
            .0
            .unwrap();
        assert!(open.min_exclusive && !open.max_exclusive);
        let only_min = read(r#"{"minimum": 75}"#, V04).0.unwrap();
        assert_eq!((only_min.min, only_min.max), (75.0, 100.0));
    }

    #[test]
    fn version_0_3_defaults_to_an_open_maximum() {
        use ShareRules::*;
        let band = read(r#"{"minimum": 25, "maximum": 50}"#, V03).0.unwrap();
        assert!(!band.min_exclusive && band.max_exclusive);
        let closed = read(
            r#"{"minimum": 25, "maximum": 50, "exclusiveMaximum": false}"#,
            V03,
        )
        .0
        .unwrap();
        assert!(!closed.max_exclusive);
        assert_eq!(
            read(r#"{"minimum": 100, "maximum": 100}"#, V03).0,
            Some(Interval::exact(100.0))
        );
        assert_eq!(
            read(r#"{"exact": 50, "minimum": 50, "maximum": 50}"#, V03).0,
            Some(Interval::exact(50.0))
        );
    }

    #[test]
    fn bad_shares_are_reported() {
        use ShareRules::*;
        assert_eq!(
            read(r#"{"exact": 150}"#, V04).1,
            ["bods::share-out-of-range"]
        );
        assert_eq!(
            read(r#"{"minimum": 60, "maximum": 40}"#, V04).1,
            ["bods::empty-range"]
        );
        assert_eq!(read(r#"{"exact": "50"}"#, V04).1, ["bods::wrong-type"]);
        assert_eq!(read(r#"[50]"#, V04).1, ["bods::wrong-type"]);
    }
}

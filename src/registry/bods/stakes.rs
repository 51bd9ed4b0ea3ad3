//! The interests of one relationship -> the terms of vrisk stakes.
//!
//! Interests with the same period (start and end date) and the same directness make one stake:
//! the economic share is what the `shareholding` interests state, the voting share what the
//! `votingRights` interests state, and `appointmentOfBoard` marks board control. What the
//! interests do not state is unknown:
//!
//! - a shareholding without a share figure is an unknown share (0-100%);
//! - voting rights without a shareholding leave the economic share unknown (the holder may hold
//!   voting shares, or non-economic ones);
//! - a shareholding without voting rights has votes like its economic share (ordinary shares);
//! - interests that state no share (board seats, other influence or control, trusts, interests
//!   with no type) make a stake of unknown shares.
//!
//! When a relationship states a kind of share in some period only, the stakes of its other
//! periods carry 0% of that kind: the relationship says what it holds, and a board seat held
//! for a different period than a shareholding must not add an unknown share on top of it.

use crate::input::source::Loc;
use crate::registry::model::{At, ShareField};
use crate::value::date::Date;
use crate::value::interval::Interval;

use super::statement::{Interest, InterestKind};

/// What one vrisk stake says, before its owner and owned entity are resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    pub economic: ShareField,
    pub voting: Option<ShareField>,
    pub board: bool,
    pub indirect: bool,
    pub start: Option<At<Date>>,
    /// The last day the stake counts (vrisk's inclusive end).
    pub end: Option<At<Date>>,
}

type Period = (bool, Option<Date>, Option<Date>);

/// The stakes of a relationship statement located at `loc`.
pub fn terms(interests: &[Interest], loc: Loc) -> Vec<Terms> {
    if interests.is_empty() {
        // A relationship with no interest listed still says the party holds something.
        return vec![Terms {
            economic: ShareField {
                interval: Interval::UNKNOWN,
                loc,
            },
            voting: None,
            board: false,
            indirect: false,
            start: None,
            end: None,
        }];
    }
    let mut groups: Vec<(Period, Vec<&Interest>)> = Vec::new();
    for interest in interests {
        let period = (
            interest.indirect,
            interest.start.as_ref().map(|d| d.value),
            interest.end.as_ref().map(|d| d.value),
        );
        match groups.iter_mut().find(|(p, _)| *p == period) {
            Some((_, members)) => members.push(interest),
            None => groups.push((period, vec![interest])),
        }
    }
    let states = |kind: InterestKind, indirect: bool| {
        interests
            .iter()
            .any(|i| i.indirect == indirect && i.kind == kind)
    };
    groups
        .into_iter()
        .map(|((indirect, _, _), members)| {
            let first = members[0];
            let of = |kind: InterestKind| -> Vec<&Interest> {
                members.iter().copied().filter(|i| i.kind == kind).collect()
            };
            let shareholdings = of(InterestKind::Shareholding);
            let votes = of(InterestKind::VotingRights);
            let stated_elsewhere = |kind| states(kind, indirect);
            let economic = if !shareholdings.is_empty() {
                sum(&shareholdings)
            } else if stated_elsewhere(InterestKind::Shareholding)
                || (votes.is_empty() && stated_elsewhere(InterestKind::VotingRights))
            {
                field(Interval::ZERO, first.loc)
            } else {
                field(Interval::UNKNOWN, first.loc)
            };
            let voting = if !votes.is_empty() {
                Some(sum(&votes))
            } else if stated_elsewhere(InterestKind::VotingRights) {
                Some(field(Interval::ZERO, first.loc))
            } else {
                None
            };
            Terms {
                economic,
                voting,
                board: members
                    .iter()
                    .any(|i| i.kind == InterestKind::BoardAppointment),
                indirect,
                start: first.start.clone(),
                end: first
                    .end
                    .as_ref()
                    .map(|end| last_day(end, first.start.as_ref())),
            }
        })
        .collect()
}

fn field(interval: Interval, loc: Loc) -> ShareField {
    ShareField { interval, loc }
}

/// The sum of the shares of several interests of one kind (two share classes, say); an interest
/// without a figure makes the sum unknown above what the others state.
fn sum(interests: &[&Interest]) -> ShareField {
    let mut total = Interval::ZERO;
    for interest in interests {
        let share = interest
            .share
            .as_ref()
            .map_or(Interval::UNKNOWN, |s| s.interval);
        total = total.plus(&share);
    }
    let loc = interests
        .iter()
        .find_map(|i| i.share.as_ref().map(|s| s.loc))
        .or_else(|| interests.first().map(|i| i.loc))
        .unwrap_or_default();
    ShareField {
        interval: total,
        loc,
    }
}

/// BODS `endDate` is the first day an interest no longer exists; vrisk's `end` is the last day
/// a stake counts. An end on or before the start is kept as written, so that the registry
/// checks report it.
fn last_day(end: &At<Date>, start: Option<&At<Date>>) -> At<Date> {
    let day_before = end.value.add_days(-1);
    if start.is_some_and(|s| day_before < s.value) {
        return end.clone();
    }
    At {
        value: day_before,
        loc: end.loc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interest(kind: InterestKind, share: Option<f64>, start: Option<&str>) -> Interest {
        Interest {
            kind,
            share: share.map(|s| ShareField {
                interval: Interval::exact(s),
                loc: Loc::default(),
            }),
            indirect: false,
            start: start.and_then(Date::parse).map(|value| At {
                value,
                loc: Loc::default(),
            }),
            end: None,
            loc: Loc::default(),
        }
    }

    #[test]
    fn one_period_makes_one_stake() {
        use InterestKind::*;
        let t = terms(
            &[
                interest(Shareholding, Some(49.0), Some("2025-06-12")),
                interest(VotingRights, Some(0.0), Some("2025-06-12")),
                interest(BoardAppointment, None, Some("2025-06-12")),
            ],
            Loc::default(),
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].economic.interval, Interval::exact(49.0));
        assert_eq!(
            t[0].voting.as_ref().map(|v| v.interval),
            Some(Interval::ZERO)
        );
        assert!(t[0].board);
    }

    #[test]
    fn unstated_shares_are_unknown() {
        use InterestKind::*;
        let votes_only = terms(&[interest(VotingRights, Some(30.0), None)], Loc::default());
        assert!(votes_only[0].economic.interval.is_unknown());
        let board_only = terms(&[interest(Other, None, None)], Loc::default());
        assert!(board_only[0].economic.interval.is_unknown());
        assert!(terms(&[], Loc::default())[0].economic.interval.is_unknown());
        let no_figure = terms(&[interest(Shareholding, None, None)], Loc::default());
        assert!(no_figure[0].economic.interval.is_unknown());
    }

    #[test]
    fn control_in_another_period_adds_no_share() {
        use InterestKind::*;
        let t = terms(
            &[
                interest(Shareholding, Some(50.0), Some("2019-09-11")),
                interest(BoardAppointment, None, Some("2020-01-01")),
            ],
            Loc::default(),
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].economic.interval, Interval::ZERO);
        assert!(t[1].board && !t[0].board);
    }

    #[test]
    fn end_dates_become_last_days() {
        let start = At {
            value: Date::parse("2020-01-01").unwrap(),
            loc: Loc::default(),
        };
        let end = At {
            value: Date::parse("2021-04-03").unwrap(),
            loc: Loc::default(),
        };
        assert_eq!(last_day(&end, Some(&start)).value.to_string(), "2021-04-02");
        let same = At {
            value: start.value,
            loc: Loc::default(),
        };
        assert_eq!(last_day(&same, Some(&start)).value, start.value);
    }
}

//! Reading the fields of a statement's JSON value. A field that vrisk needs and that is missing,
//! or that has the wrong JSON type, is a located problem; reading goes on with what is there.

use crate::input::diagnostic::Problem;
use crate::input::json::{Json, Kind};
use crate::registry::model::{At, Identifier};
use crate::value::date::Date;

use super::statement::StatementDate;

/// The value under `key`; reports `bods::missing-field` at `node` when it is absent.
pub fn required<'a>(
    node: Json<'a>,
    key: &str,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Option<Json<'a>> {
    let found = node.get(key);
    if found.is_none() {
        problems.push(
            Problem::new("bods::missing-field", format!("{what} has no `{key}`"))
                .at(node.loc(), format!("`{key}` is required here"))
                .with_help(format!(
                    "add `{key}` to the {what}; see the BODS schema for its form"
                )),
        );
    }
    found
}

/// A string field that must be present.
pub fn required_str<'a>(
    node: Json<'a>,
    key: &str,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Option<At<&'a str>> {
    let value = required(node, key, what, problems)?;
    as_string(value, key, problems)
}

/// A string field that may be absent (a wrong type is still reported).
pub fn optional_str<'a>(
    node: Json<'a>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<At<&'a str>> {
    match node.get(key) {
        None => None,
        Some(value) if value.is_null() => None,
        Some(value) => as_string(value, key, problems),
    }
}

fn as_string<'a>(value: Json<'a>, key: &str, problems: &mut Vec<Problem>) -> Option<At<&'a str>> {
    match value.as_str() {
        Some(s) => Some(At {
            value: s,
            loc: value.loc(),
        }),
        None => {
            problems.push(wrong_type(value, key, "a string"));
            None
        }
    }
}

/// `bods::wrong-type` at `value`.
pub fn wrong_type(value: Json, key: &str, expected: &str) -> Problem {
    Problem::new(
        "bods::wrong-type",
        format!(
            "`{key}` is {} {}, not {expected}",
            article(value.kind_name()),
            value.kind_name()
        ),
    )
    .at(value.loc(), format!("expected {expected}"))
    .with_help("correct the value to the form the BODS schema gives")
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The elements of the list under `key`, or nothing (a value that is not a list is reported).
pub fn list<'a>(
    node: Json<'a>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> impl Iterator<Item = Json<'a>> + use<'a> {
    let items = match node.get(key) {
        None => None,
        Some(value) if value.is_null() => None,
        Some(value) => {
            let items = value.items();
            if items.is_none() {
                problems.push(wrong_type(value, key, "a list"));
            }
            items
        }
    };
    items.into_iter().flatten()
}

/// A date field: `YYYY-MM-DD`, or a date-time whose date part is used. BODS 0.3 also allows
/// `YYYY-MM` and `YYYY`, which count from the first day of the month or year (as the standard
/// advises publishers to round).
pub fn date(node: Json, key: &str, problems: &mut Vec<Problem>) -> Option<At<Date>> {
    let value = optional_str(node, key, problems)?;
    match parse_date(value.value) {
        Some((date, _)) => Some(At {
            value: date,
            loc: value.loc,
        }),
        None => {
            problems.push(invalid_date(&value));
            None
        }
    }
}

/// The `statementDate` of a statement, for ordering statements about one record.
pub fn statement_date(node: Json, problems: &mut Vec<Problem>) -> StatementDate {
    let Some(value) = optional_str(node, "statementDate", problems) else {
        return StatementDate::default();
    };
    match parse_date(value.value) {
        Some((date, time)) => StatementDate {
            date: Some(date),
            time: time.into(),
        },
        None => {
            problems.push(invalid_date(&value));
            StatementDate::default()
        }
    }
}

fn invalid_date(value: &At<&str>) -> Problem {
    Problem::new(
        "bods::invalid-date",
        format!("`{}` is not a date", value.value),
    )
    .at(value.loc, "expected YYYY-MM-DD (or a date-time)")
    .with_help("write dates as YYYY-MM-DD, e.g. 2025-06-12")
}

/// A date and what follows it in a date-time.
fn parse_date(text: &str) -> Option<(Date, &str)> {
    let text = text.trim();
    if let Some(day) = text.get(..10).and_then(Date::parse) {
        let rest = &text[10..];
        return (rest.is_empty() || rest.starts_with(['T', 't', ' '])).then_some((day, rest));
    }
    let year = |s: &str| {
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    match text.split_once('-') {
        Some((y, m)) if m.len() == 2 => {
            Date::from_ymd(year(y)?, m.parse().ok()?, 1).map(|d| (d, ""))
        }
        None => Date::from_ymd(year(text)?, 1, 1).map(|d| (d, "")),
        _ => None,
    }
}

/// A list that a statement keeps, without room to grow: the statements of a large file hold
/// their lists until the registry is built, and a list collected from an iterator of unknown
/// length has room for four items.
pub fn kept<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

/// Identifiers with both a scheme and an id; others (a scheme name only, a URI only) are of no
/// use for linking and are left out.
pub fn identifiers(node: Json, problems: &mut Vec<Problem>) -> Vec<Identifier> {
    let identifiers = list(node, "identifiers", problems)
        .filter_map(|item| {
            let scheme = item.get("scheme")?.as_str()?.trim();
            let id = match item.get("id")?.kind() {
                Kind::Str(s) => s.trim().to_string(),
                Kind::Int(i) => i.to_string(),
                _ => return None,
            };
            (!scheme.is_empty() && !id.is_empty()).then(|| Identifier {
                scheme: scheme.to_string(),
                id,
            })
        })
        .collect();
    kept(identifiers)
}

/// A country from a jurisdiction or country object: its `code`, an ISO 3166-1 code or an
/// ISO 3166-2 subdivision (`GB-SCT`), of which the country part is kept.
pub fn country(node: Option<Json>) -> Option<String> {
    let code = node?.get("code")?.as_str()?.trim();
    let country = code.split('-').next()?.to_ascii_uppercase();
    (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())).then_some(country)
}

/// The reason code of an unspecified-record object.
pub fn reason(node: Option<Json>) -> Option<String> {
    node?.get("reason")?.as_str().map(str::to_string)
}

/// A person's name and other names from `names`: the first legal (0.4) or individual (0.3)
/// name, else the first name; the other full names become aliases.
pub fn person_names(node: Json, problems: &mut Vec<Problem>) -> (Option<String>, Vec<String>) {
    let names: Vec<(Option<&str>, &str)> = list(node, "names", problems)
        .filter_map(|n| {
            let full = n.get("fullName")?.as_str()?.trim();
            (!full.is_empty()).then(|| (n.get("type").and_then(|t| t.as_str()), full))
        })
        .collect();
    let main = names
        .iter()
        .position(|(kind, _)| matches!(kind, Some("legal" | "individual")))
        .or(if names.is_empty() { None } else { Some(0) });
    let Some(main) = main else {
        return (None, Vec::new());
    };
    let name = names[main].1;
    let mut aliases: Vec<String> = Vec::new();
    for &(_, other) in &names {
        if other != name && !aliases.iter().any(|a| a == other) {
            aliases.push(other.to_string());
        }
    }
    (Some(name.to_string()), kept(aliases))
}

/// Entity names other than the main one (`alternateNames`).
pub fn alternate_names(node: Json, name: Option<&str>, problems: &mut Vec<Problem>) -> Vec<String> {
    let mut aliases: Vec<String> = Vec::new();
    for n in list(node, "alternateNames", problems) {
        if let Some(s) = n.as_str().map(str::trim)
            && !s.is_empty()
            && Some(s) != name
            && !aliases.iter().any(|a| a == s)
        {
            aliases.push(s.to_string());
        }
    }
    kept(aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_full_partial_and_date_times() {
        let d = |s: &str| parse_date(s).map(|(d, rest)| (d.to_string(), rest.to_string()));
        assert_eq!(d("2020-09-11"), Some(("2020-09-11".into(), "".into())));
        assert_eq!(
            d("2020-09-11T16:30:23Z"),
            Some(("2020-09-11".into(), "T16:30:23Z".into()))
        );
        assert_eq!(d("2016-04"), Some(("2016-04-01".into(), "".into())));
        assert_eq!(d("2016"), Some(("2016-01-01".into(), "".into())));
        assert_eq!(d("2016-13"), None);
        assert_eq!(d("2020-02-30"), None);
        assert_eq!(d("2020-09-11x"), None);
        assert_eq!(d("é"), None);
    }
}

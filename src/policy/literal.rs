//! Literal values in a policy (`20%`, `100M USD`, `2025-06-12`, `365d`, numbers, texts, lists)
//! and in `--param NAME=VALUE` overrides, parsed by the type the context expects.
//!
//! The expected type always comes from the context (the fact a comparison reads, a parameter's
//! declared type), never from the literal's shape: `20` against a percent is an error that says
//! "write 20%", not a silent fraction.

use crate::input::yaml::{Node, Value as Yaml};
use crate::value::date::{Date, Duration};
use crate::value::money::Money;

use super::model::{Value, ValueType, format_number};

/// Why a literal was rejected.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralError {
    /// The right kind of value in the wrong form: `20 %`, `2025-02-30`, `12x`.
    Malformed {
        code: &'static str,
        reason: String,
        help: String,
    },
    /// A different kind of value: a number where a percent is expected.
    WrongType { found: String, help: String },
}

/// Parses a YAML node as a value of type `ty`.
pub fn from_node(node: &Node, ty: ValueType) -> Result<Value, LiteralError> {
    match (&node.value, ty) {
        (Yaml::Str(s), ValueType::TextList) => Err(wrong(node, format!("write a list: `[{s}]`"))),
        (Yaml::Str(s), ValueType::Number) => Err(wrong(
            node,
            match s.trim().parse::<f64>() {
                Ok(_) => format!("write the number without quotes: `{}`", s.trim()),
                Err(_) => format!("write {}", ty.example()),
            },
        )),
        (Yaml::Str(s), ValueType::Bool) => Err(wrong(
            node,
            match s.as_str() {
                "true" | "false" => format!("write `{s}` without quotes"),
                _ => "write `true` or `false` (yes/no/on/off are texts in YAML 1.2)".to_string(),
            },
        )),
        (Yaml::Str(s), _) => from_str(s, ty),
        (Yaml::Int(_) | Yaml::Float(_), ValueType::Number) => {
            number(node).map(Value::Number).ok_or_else(|| {
                malformed(
                    "policy::invalid-number",
                    "not a finite number",
                    "write a number such as `3`",
                )
            })
        }
        (Yaml::Int(_) | Yaml::Float(_), ValueType::Percent) => {
            let n = number(node).map(format_number).unwrap_or_default();
            Err(wrong(
                node,
                format!("write `{n}%`: a percent needs the `%` sign"),
            ))
        }
        (Yaml::Int(_) | Yaml::Float(_), ValueType::Duration) => {
            let n = number(node).map(format_number).unwrap_or_default();
            Err(wrong(
                node,
                format!("write `{n}d` for days (or use w, m, y for weeks, months, years)"),
            ))
        }
        (Yaml::Int(_) | Yaml::Float(_), ValueType::Money) => {
            let n = number(node).map(format_number).unwrap_or_default();
            Err(wrong(node, format!("add the currency: `{n} USD`")))
        }
        (Yaml::Int(_) | Yaml::Float(_) | Yaml::Bool(_), ValueType::Text) => {
            let text = match &node.value {
                Yaml::Bool(b) => b.to_string(),
                _ => number(node).map(format_number).unwrap_or_default(),
            };
            Err(wrong(
                node,
                format!("quote it to compare with text: `\"{text}\"`"),
            ))
        }
        (Yaml::Bool(b), ValueType::Bool) => Ok(Value::Bool(*b)),
        (Yaml::Seq(items), ValueType::TextList) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match &item.value {
                    Yaml::Str(s) => out.push(s.clone()),
                    Yaml::Int(_) | Yaml::Float(_) | Yaml::Bool(_) => {
                        return Err(wrong(
                            item,
                            "every item must be a text; quote it".to_string(),
                        ));
                    }
                    _ => return Err(wrong(item, "every item must be a text".to_string())),
                }
            }
            Ok(Value::TextList(out))
        }
        _ => Err(wrong(node, format!("write {}", ty.example()))),
    }
}

/// Parses text (a string in the policy, or a `--param` value) as a value of type `ty`.
pub fn from_str(text: &str, ty: ValueType) -> Result<Value, LiteralError> {
    match ty {
        ValueType::Percent => percent(text).map(Value::Percent),
        ValueType::Number => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Number(n)),
            _ => Err(malformed(
                "policy::invalid-number",
                format!("`{text}` is not a number"),
                "write a number such as `3`",
            )),
        },
        ValueType::Money => Money::parse(text).map(Value::Money).ok_or_else(|| {
            malformed(
                "policy::invalid-money",
                format!("`{text}` is not an amount of money"),
                "write AMOUNT[K|M|B|T] CURRENCY, e.g. `100M USD` (ISO 4217 code, upper case)",
            )
        }),
        ValueType::Date => Date::parse(text.trim()).map(Value::Date).ok_or_else(|| {
            malformed(
                "policy::invalid-date",
                format!("`{text}` is not a date"),
                "write a real calendar date as YYYY-MM-DD, e.g. `2025-06-12`",
            )
        }),
        ValueType::Duration => Duration::parse(text).map(Value::Duration).ok_or_else(|| {
            let help = match text.trim().parse::<u32>() {
                Ok(n) => format!("write `{n}d` for days (or use w, m, y)"),
                Err(_) => "write a whole number and a unit: `365d` (days), `12w` (weeks), \
                           `6m` (months of 30 days) or `1y` (years of 365 days)"
                    .to_string(),
            };
            malformed(
                "policy::invalid-duration",
                format!("`{text}` is not a duration"),
                help,
            )
        }),
        ValueType::Text => Ok(Value::Text(text.to_string())),
        ValueType::TextList => Ok(Value::TextList(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )),
        ValueType::Bool => match text.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            other => Err(malformed(
                "policy::invalid-bool",
                format!("`{other}` is not a boolean"),
                "write `true` or `false`",
            )),
        },
    }
}

/// `20%`, `12.5%`: a number from 0 to 100 followed by `%`.
fn percent(text: &str) -> Result<f64, LiteralError> {
    let trimmed = text.trim();
    let Some(number) = trimmed.strip_suffix('%') else {
        let help = match trimmed.parse::<f64>() {
            Ok(n) if n.is_finite() => format!("write `{}%`", format_number(n)),
            _ => "write a percent such as `20%`".to_string(),
        };
        return Err(LiteralError::WrongType {
            found: format!("`{text}`"),
            help,
        });
    };
    match number.parse::<f64>() {
        Ok(n) if n.is_finite() && (0.0..=100.0).contains(&n) && !number.starts_with(['+', ' ']) => {
            Ok(n)
        }
        Ok(n) if n.is_finite() => Err(malformed(
            "policy::invalid-percent",
            format!("`{text}` is outside 0%-100%"),
            "a share is between 0% and 100%",
        )),
        _ => Err(malformed(
            "policy::invalid-percent",
            format!("`{text}` is not a percent"),
            "write a number followed by `%`, e.g. `20%` or `12.5%`",
        )),
    }
}

fn number(node: &Node) -> Option<f64> {
    match node.value {
        Yaml::Int(i) => Some(i as f64),
        Yaml::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn wrong(node: &Node, help: String) -> LiteralError {
    LiteralError::WrongType {
        found: describe(node),
        help,
    }
}

fn malformed(
    code: &'static str,
    reason: impl Into<String>,
    help: impl Into<String>,
) -> LiteralError {
    LiteralError::Malformed {
        code,
        reason: reason.into(),
        help: help.into(),
    }
}

/// A short description of a YAML value for "found ..." messages.
pub fn describe(node: &Node) -> String {
    match &node.value {
        Yaml::Null => "nothing (null)".to_string(),
        Yaml::Bool(b) => format!("the boolean `{b}`"),
        Yaml::Int(_) | Yaml::Float(_) => format!(
            "the number `{}`",
            number(node).map(format_number).unwrap_or_default()
        ),
        Yaml::Str(s) => format!("the text `{s}`"),
        Yaml::Seq(_) => "a list".to_string(),
        Yaml::Map(_) => "a mapping".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::Loc;

    fn node(value: Yaml) -> Node {
        Node {
            loc: Loc::default(),
            alias: None,
            value,
        }
    }

    #[test]
    fn percents() {
        assert_eq!(
            from_str("20%", ValueType::Percent),
            Ok(Value::Percent(20.0))
        );
        assert_eq!(
            from_str("12.5%", ValueType::Percent),
            Ok(Value::Percent(12.5))
        );
        match from_node(&node(Yaml::Int(20)), ValueType::Percent) {
            Err(LiteralError::WrongType { help, .. }) => assert!(help.contains("`20%`"), "{help}"),
            other => panic!("{other:?}"),
        }
        match from_str("120%", ValueType::Percent) {
            Err(LiteralError::Malformed { code, .. }) => {
                assert_eq!(code, "policy::invalid-percent")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            from_str("abc%", ValueType::Percent),
            Err(LiteralError::Malformed { .. })
        ));
    }

    #[test]
    fn durations_dates_money() {
        assert!(matches!(
            from_str("365d", ValueType::Duration),
            Ok(Value::Duration(d)) if d.days == 365
        ));
        match from_str("365", ValueType::Duration) {
            Err(LiteralError::Malformed { code, help, .. }) => {
                assert_eq!(code, "policy::invalid-duration");
                assert!(help.contains("365d"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            from_str("2025-02-30", ValueType::Date),
            Err(LiteralError::Malformed {
                code: "policy::invalid-date",
                ..
            })
        ));
        assert!(matches!(
            from_str("100M USD", ValueType::Money),
            Ok(Value::Money(m)) if m.amount == rust_decimal::Decimal::from(100_000_000)
        ));
        assert!(matches!(
            from_str("100M usd", ValueType::Money),
            Err(LiteralError::Malformed {
                code: "policy::invalid-money",
                ..
            })
        ));
    }

    #[test]
    fn texts_and_lists() {
        assert_eq!(
            from_str("active, exiting", ValueType::TextList),
            Ok(Value::TextList(vec!["active".into(), "exiting".into()]))
        );
        let list = node(Yaml::Seq(vec![
            node(Yaml::Str("a".into())),
            node(Yaml::Int(1)),
        ]));
        assert!(matches!(
            from_node(&list, ValueType::TextList),
            Err(LiteralError::WrongType { .. })
        ));
        assert!(matches!(
            from_node(&node(Yaml::Str("true".into())), ValueType::Bool),
            Err(LiteralError::WrongType { .. })
        ));
    }
}

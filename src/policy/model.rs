//! A loaded, checked policy: the types the engine and the evaluator work with.

use std::fmt;
use std::str::FromStr;

use crate::input::source::{FileId, Loc};
use crate::value::date::{Date, Duration};
use crate::value::interval::format_percent;
use crate::value::money::Money;

use super::fact_model::FactType;
use super::template::Template;

pub use crate::value::severity::Severity;

pub use crate::value::UnknownName;

/// What an indeterminate result (the facts do not decide the condition) counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OnIndeterminate {
    Fail,
    Warn,
    Pass,
}

impl OnIndeterminate {
    pub fn name(self) -> &'static str {
        match self {
            OnIndeterminate::Fail => "fail",
            OnIndeterminate::Warn => "warn",
            OnIndeterminate::Pass => "pass",
        }
    }
}

impl fmt::Display for OnIndeterminate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OnIndeterminate {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fail" => Ok(OnIndeterminate::Fail),
            "warn" => Ok(OnIndeterminate::Warn),
            "pass" => Ok(OnIndeterminate::Pass),
            _ => Err(UnknownName {
                given: s.to_string(),
                expected: &["fail", "warn", "pass"],
            }),
        }
    }
}

/// How the engine computes `owner.economic` / `owner.voting` for this policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OwnershipMethod {
    /// Multiply along each chain and add over chains.
    Integrated,
    /// An entity held at or above `threshold` percent passes its stakes through in full.
    ControlChain { threshold: f64 },
}

impl OwnershipMethod {
    pub fn name(self) -> &'static str {
        match self {
            OwnershipMethod::Integrated => "integrated",
            OwnershipMethod::ControlChain { .. } => "control-chain",
        }
    }
}

impl fmt::Display for OwnershipMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OwnershipMethod::Integrated => f.write_str("integrated"),
            OwnershipMethod::ControlChain { threshold } => {
                write!(f, "control-chain at {}", format_percent(*threshold))
            }
        }
    }
}

/// The type of a parameter or of an operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    Percent,
    Number,
    Money,
    Date,
    Duration,
    Text,
    TextList,
    Bool,
}

impl ValueType {
    pub const ALL: [ValueType; 8] = [
        ValueType::Percent,
        ValueType::Number,
        ValueType::Money,
        ValueType::Date,
        ValueType::Duration,
        ValueType::Text,
        ValueType::TextList,
        ValueType::Bool,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ValueType::Percent => "percent",
            ValueType::Number => "number",
            ValueType::Money => "money",
            ValueType::Date => "date",
            ValueType::Duration => "duration",
            ValueType::Text => "text",
            ValueType::TextList => "text-list",
            ValueType::Bool => "bool",
        }
    }

    pub fn from_name(name: &str) -> Option<ValueType> {
        ValueType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// How a value of this type is written, for "expected ..." messages.
    pub fn example(self) -> &'static str {
        match self {
            ValueType::Percent => "a percent such as `20%`",
            ValueType::Number => "a number such as `3`",
            ValueType::Money => "an amount such as `100M USD`",
            ValueType::Date => "a date such as `2025-06-12`",
            ValueType::Duration => "a duration such as `365d`, `12w`, `6m` or `1y`",
            ValueType::Text => "a text such as `active`",
            ValueType::TextList => "a list of texts such as `[active, exiting]`",
            ValueType::Bool => "`true` or `false`",
        }
    }

    /// The operand type that compares with a fact of type `fact` under an ordering or equality.
    pub fn of_fact(fact: FactType) -> Option<ValueType> {
        match fact {
            FactType::Text => Some(ValueType::Text),
            FactType::TextSet => Some(ValueType::TextList),
            FactType::Bool => Some(ValueType::Bool),
            FactType::Number => Some(ValueType::Number),
            FactType::Date => Some(ValueType::Date),
            FactType::Percent => Some(ValueType::Percent),
            FactType::Money => Some(ValueType::Money),
            FactType::Object(_) | FactType::List(_) => None,
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A literal value: an operand, a parameter value or a default.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// In percent, 0-100.
    Percent(f64),
    Number(f64),
    Money(Money),
    Date(Date),
    Duration(Duration),
    Text(String),
    TextList(Vec<String>),
    Bool(bool),
}

impl Value {
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Percent(_) => ValueType::Percent,
            Value::Number(_) => ValueType::Number,
            Value::Money(_) => ValueType::Money,
            Value::Date(_) => ValueType::Date,
            Value::Duration(_) => ValueType::Duration,
            Value::Text(_) => ValueType::Text,
            Value::TextList(_) => ValueType::TextList,
            Value::Bool(_) => ValueType::Bool,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Percent(p) => f.write_str(&format_percent(*p)),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::Money(m) => write!(f, "{m}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Duration(d) => write!(f, "{d}"),
            Value::Text(t) => f.write_str(t),
            Value::TextList(items) => write!(f, "[{}]", items.join(", ")),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Integers without a fraction, other numbers as Rust prints them.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A declared parameter with the value this load resolved (the default or an override).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub ty: ValueType,
    pub description: String,
    pub default: Value,
    /// The value in force: the override when one was given, else the default.
    pub value: Value,
    pub overridden: bool,
    /// The parameter's key under `params:`.
    pub loc: Loc,
}

/// A loaded and typechecked policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub rationale: String,
    pub references: Vec<String>,
    pub remediation: String,
    /// The policy's documentation (`help_url`), an http(s) URL.
    pub help_url: Option<String>,
    pub on_indeterminate: OnIndeterminate,
    pub ownership: OwnershipMethod,
    pub file: FileId,
    /// The value of `id:`.
    pub id_loc: Loc,
    /// The `fails_when` key.
    pub condition_loc: Loc,
    pub params: Vec<Param>,
    /// `None` when the policy applies to every relationship.
    pub applies_to: Option<Condition>,
    pub fails_when: Condition,
    pub message: Template,
}

impl Policy {
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Whether a fact path the policy reads (in `applies_to`, `fails_when` or its message) goes
    /// through a field named `field`: the engine asks before it builds a costly fact (the paths
    /// of every owner) that no policy of the run could read.
    pub fn reads_field(&self, field: &str) -> bool {
        let in_path = |segments: &[String]| segments.iter().skip(1).any(|s| s == field);
        let in_message = self.message.parts.iter().any(|part| match part {
            super::template::Part::Fact { path, .. } => in_path(path),
            _ => false,
        });
        in_message
            || self.fails_when.reads(&in_path)
            || self.applies_to.as_ref().is_some_and(|c| c.reads(&in_path))
    }
}

impl Condition {
    /// Whether `matches` holds for the segments of a fact path read anywhere in the condition.
    fn reads(&self, matches: &dyn Fn(&[String]) -> bool) -> bool {
        match &self.kind {
            ConditionKind::All(items) | ConditionKind::Any(items) => {
                items.iter().any(|c| c.reads(matches))
            }
            ConditionKind::Not(inner) => inner.reads(matches),
            ConditionKind::Quantified(q) => {
                matches(&q.each.segments) || q.body.as_ref().is_some_and(|b| b.reads(matches))
            }
            ConditionKind::Compare(c) => matches(&c.path.segments),
        }
    }
}

/// A checked condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The key that introduces the condition (`all`, `exists`, ...), or the whole leaf mapping.
    pub loc: Loc,
    pub kind: ConditionKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConditionKind {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Quantified(Box<Quantified>),
    Compare(Box<Comparison>),
}

/// `exists` / `all` / `none` / `count` over a collection.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantified {
    pub quantifier: Quantifier,
    /// The collection (`vendor.owners`).
    pub each: FactPath,
    /// The name each element is bound to inside `where`.
    pub var: String,
    /// `None` means every element matches.
    pub body: Option<Condition>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Quantifier {
    Exists,
    All,
    None,
    /// `count` compared with a number.
    Count {
        op: CmpOp,
        operand: Operand,
    },
}

impl Quantifier {
    pub fn name(&self) -> &'static str {
        match self {
            Quantifier::Exists => "exists",
            Quantifier::All => "all",
            Quantifier::None => "none",
            Quantifier::Count { .. } => "count",
        }
    }
}

/// A dotted path into the fact tree, starting at a root or a bound name.
#[derive(Clone, Debug, PartialEq)]
pub struct FactPath {
    pub segments: Vec<String>,
    pub ty: FactType,
    pub loc: Loc,
}

impl fmt::Display for FactPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.segments.join("."))
    }
}

/// An ordering or equality comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl CmpOp {
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Lte,
        CmpOp::Gt,
        CmpOp::Gte,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CmpOp::Eq => "eq",
            CmpOp::Ne => "ne",
            CmpOp::Lt => "lt",
            CmpOp::Lte => "lte",
            CmpOp::Gt => "gt",
            CmpOp::Gte => "gte",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Lte => "<=",
            CmpOp::Gt => ">",
            CmpOp::Gte => ">=",
        }
    }

    pub fn from_key(key: &str) -> Option<CmpOp> {
        CmpOp::ALL.into_iter().find(|op| op.key() == key)
    }
}

/// The operator of a leaf comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Cmp(CmpOp),
    In,
    Contains,
    AnyOf,
    Within,
    OlderThan,
    Known,
}

impl Op {
    pub const ALL: [Op; 12] = [
        Op::Cmp(CmpOp::Eq),
        Op::Cmp(CmpOp::Ne),
        Op::Cmp(CmpOp::Lt),
        Op::Cmp(CmpOp::Lte),
        Op::Cmp(CmpOp::Gt),
        Op::Cmp(CmpOp::Gte),
        Op::In,
        Op::Contains,
        Op::AnyOf,
        Op::Within,
        Op::OlderThan,
        Op::Known,
    ];

    /// The key the operator is written with in a policy.
    pub fn key(self) -> &'static str {
        match self {
            Op::Cmp(c) => c.key(),
            Op::In => "in",
            Op::Contains => "contains",
            Op::AnyOf => "any_of",
            Op::Within => "within",
            Op::OlderThan => "older_than",
            Op::Known => "known",
        }
    }

    /// How the operator is shown in traces and evidence.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Cmp(c) => c.symbol(),
            Op::In => "in",
            Op::Contains => "contains",
            Op::AnyOf => "any of",
            Op::Within => "within",
            Op::OlderThan => "older than",
            Op::Known => "known",
        }
    }

    pub fn from_key(key: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.key() == key)
    }

    pub fn keys() -> impl Iterator<Item = &'static str> {
        Op::ALL.into_iter().map(Op::key)
    }

    /// The operand type this operator takes against a fact of type `fact`, or `None` when the
    /// operator does not apply to that type.
    pub fn operand_type(self, fact: FactType) -> Option<ValueType> {
        use FactType as F;
        match (self, fact) {
            (Op::Known, _) => Some(ValueType::Bool),
            (_, F::Object(_) | F::List(_)) => None,
            (Op::Cmp(CmpOp::Eq | CmpOp::Ne), F::TextSet) => None,
            (Op::Cmp(CmpOp::Eq | CmpOp::Ne), f) => ValueType::of_fact(f),
            (Op::Cmp(_), F::Number | F::Percent | F::Money | F::Date) => ValueType::of_fact(fact),
            (Op::Cmp(_), _) => None,
            (Op::In, F::Text) => Some(ValueType::TextList),
            (Op::Contains, F::TextSet) => Some(ValueType::Text),
            (Op::AnyOf, F::TextSet) => Some(ValueType::TextList),
            (Op::Within | Op::OlderThan, F::Date) => Some(ValueType::Duration),
            _ => None,
        }
    }

    /// The operators that apply to a fact type, for "use one of ..." hints.
    pub fn applicable_to(fact: FactType) -> Vec<&'static str> {
        Op::ALL
            .into_iter()
            .filter(|op| op.operand_type(fact).is_some())
            .map(Op::key)
            .collect()
    }
}

/// The right-hand side of a comparison, resolved at load time except for `$as_of`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    pub kind: OperandKind,
    /// The parameter it came from (`threshold` for `$threshold`), for traces.
    pub param: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OperandKind {
    Value(Value),
    /// `$as_of`: the evaluation date, known only when the policy runs.
    AsOf,
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            OperandKind::Value(v) => write!(f, "{v}"),
            OperandKind::AsOf => f.write_str("$as_of"),
        }
    }
}

/// `{fact: PATH, OP: OPERAND}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub path: FactPath,
    pub op: Op,
    pub operand: Operand,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_and_round_trips() {
        assert!(Severity::Info < Severity::Low && Severity::High < Severity::Critical);
        for s in Severity::ALL {
            assert_eq!(s.to_string().parse::<Severity>(), Ok(s));
        }
        let err = "severe".parse::<Severity>().unwrap_err();
        assert!(err.to_string().contains("critical"));
    }

    #[test]
    fn operators_by_type() {
        assert_eq!(
            Op::Cmp(CmpOp::Gte).operand_type(FactType::Percent),
            Some(ValueType::Percent)
        );
        assert_eq!(Op::Cmp(CmpOp::Gte).operand_type(FactType::Text), None);
        assert_eq!(Op::Contains.operand_type(FactType::Percent), None);
        assert_eq!(
            Op::applicable_to(FactType::Text),
            vec!["eq", "ne", "in", "known"]
        );
        assert_eq!(
            Op::Known.operand_type(FactType::List("owner")),
            Some(ValueType::Bool)
        );
    }
}

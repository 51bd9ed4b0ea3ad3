//! The policy as written: the shape of the YAML after the structural parse, before names and
//! types are checked. Operands stay YAML nodes here, because how to read `20` or `2025-06-12`
//! depends on the type of the fact it is compared with, which only the typechecker knows.

use crate::input::source::Loc;
use crate::input::yaml::Node;

use super::model::{CmpOp, OnIndeterminate, Op, Severity, ValueType};

/// A string with the position of the YAML scalar it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    pub text: String,
    pub loc: Loc,
    /// The YAML alias or merge key that copied the scalar from an anchored node, if one did.
    pub alias: Option<Loc>,
}

#[derive(Clone, Debug, Default)]
pub struct RawPolicy {
    pub id: Option<Located>,
    pub title: String,
    pub severity: Option<Severity>,
    pub description: String,
    pub rationale: String,
    pub references: Vec<String>,
    pub remediation: String,
    /// Where the policy is documented for the reader of a report: an http(s) URL.
    pub help_url: Option<String>,
    pub on_indeterminate: Option<OnIndeterminate>,
    pub ownership: RawOwnership,
    /// The `params` key, where problems about overrides are reported.
    pub params_loc: Option<Loc>,
    pub params: Vec<RawParam>,
    pub applies_to: Option<Cond>,
    /// The `fails_when` key and its condition.
    pub fails_when: Option<(Loc, Cond)>,
    /// The message template and the YAML scalar it came from.
    pub message: Option<Located>,
}

#[derive(Clone, Debug, Default)]
pub enum RawOwnership {
    #[default]
    Integrated,
    /// `threshold` is a percent literal or a `$param`; `None` means the default 50%.
    ControlChain { threshold: Option<Node> },
}

#[derive(Clone, Debug)]
pub struct RawParam {
    pub name: String,
    pub key_loc: Loc,
    /// `None` when the declared type is missing or invalid (already reported).
    pub ty: Option<ValueType>,
    pub default: Option<Node>,
    pub description: String,
}

/// A condition as written.
#[derive(Clone, Debug)]
pub struct Cond {
    /// The introducing key (`all`, `exists`), or the span of a whole leaf mapping.
    pub loc: Loc,
    pub kind: CondKind,
}

#[derive(Clone, Debug)]
pub enum CondKind {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Quantified(Box<RawQuantified>),
    Leaf(Box<RawLeaf>),
    /// A condition whose shape was wrong; already reported, skipped by the typechecker.
    Invalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawQuantifier {
    Exists,
    All,
    None,
    Count,
}

#[derive(Clone, Debug)]
pub struct RawQuantified {
    pub quantifier: RawQuantifier,
    pub each: Option<Located>,
    pub var: Option<Located>,
    pub body: Option<Cond>,
    /// For `count`: the comparison and its operand.
    pub count: Option<(CmpOp, Node)>,
}

#[derive(Clone, Debug)]
pub struct RawLeaf {
    pub path: Located,
    pub op: Op,
    pub op_loc: Loc,
    pub operand: Node,
}

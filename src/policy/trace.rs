//! What an evaluation hands back: the result, the rendered message, the decisive comparisons
//! (evidence for a finding) and the whole evaluation tree (for `vrisk explain`).

use std::fmt::Write as _;

use crate::input::source::Loc;
use crate::policy::facts::Origin;
use crate::value::truth::Truth;

/// The outcome of evaluating a policy's `fails_when` for one relationship.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// True: the policy fails; false: it passes; unknown: the facts do not decide.
    pub result: Truth,
    /// The message template rendered with the witness bindings; placeholders with no value
    /// render as `unknown`.
    pub message: String,
    /// The decisive leaf comparisons: for a true result, those that made it true (inside the
    /// first witness of each `exists`); for an unknown result, those that were unknown; empty
    /// for a false result.
    pub evidence: Vec<Check>,
    /// The whole evaluation tree; [`crate::policy::decide`] gives a [`Decision`] without it.
    pub trace: TraceNode,
}

/// An [`Evaluation`] without the evaluation tree: what a report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub result: Truth,
    pub message: String,
    pub evidence: Vec<Check>,
}

/// One leaf comparison as evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// The fact path as written (`owner.economic`).
    pub path: String,
    /// The fact's value for display (`49%`, `unknown`).
    pub value: String,
    /// The operator's symbol (`>=`, `in`, `any of`, `within`, `known`).
    pub op: &'static str,
    /// The operand for display (`20%`, `[active, exiting]`).
    pub operand: String,
    pub result: Truth,
    /// Where the fact comes from in the registry.
    pub fact_origin: Origin,
    /// The comparison in the policy file.
    pub condition_loc: Loc,
    /// The quantified names in scope and the elements they were bound to (`("owner", "meta")`).
    pub bindings: Vec<(String, String)>,
}

impl Check {
    /// `owner.economic (49%) >= 20%`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}) {} {}",
            self.path, self.value, self.op, self.operand
        )
    }
}

/// A node of the evaluation tree.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceNode {
    /// `all`, `exists owner in vendor.owners`, `owner = meta`, `owner.economic >= 20%`.
    pub label: String,
    pub result: Truth,
    pub loc: Loc,
    /// The facts a leaf read: (path, value, origin).
    pub facts: Vec<(String, String, Origin)>,
    pub children: Vec<TraceNode>,
}

impl TraceNode {
    /// An indented plain-text rendering, one node a line:
    /// `[true] exists owner in vendor.owners`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_text(&mut out, 0);
        out
    }

    fn write_text(&self, out: &mut String, depth: usize) {
        let mark = match self.result {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        };
        let _ = write!(
            out,
            "{:indent$}[{mark}] {}",
            "",
            self.label,
            indent = depth * 2
        );
        for (path, value, _) in &self.facts {
            let _ = write!(out, "  ({path} = {value})");
        }
        out.push('\n');
        for child in &self.children {
            child.write_text(out, depth + 1);
        }
    }
}

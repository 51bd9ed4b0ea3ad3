//! Three-valued evaluation of a checked condition over the fact tree.
//!
//! Evaluation builds a tree that mirrors the condition (one node per combinator, quantifier,
//! collection element and comparison) and keeps, beside the public [`TraceNode`] data, the
//! element each quantifier node was bound to. The evidence and the witnesses a message reads are
//! then picked from that tree by following the decisive branches (see [`Explainer`]).
//!
//! `vrisk explain` and the coverage of `vrisk test` read the whole tree ([`Keep::All`]); `vrisk
//! check` needs only the decisive branches, so with [`Keep::Decisive`] each node drops, as soon
//! as its result is known, the children the explanation will not walk. The result, the evidence
//! and the message are the same either way.

use crate::policy::facts::{Fact, FactValue, Origin};
use crate::value::date::Date;
use crate::value::truth::Truth;

use super::compare;
use super::fact_model;
use super::model::{
    Condition, ConditionKind, FactPath, OperandKind, Quantified, Quantifier, Value,
};
use super::trace::{Check, TraceNode};

/// The facts one evaluation reads.
pub struct Scope<'a> {
    pub org: &'a Fact,
    pub relationship: &'a Fact,
    pub vendor: &'a Fact,
    pub as_of: Date,
}

impl<'a> Scope<'a> {
    fn root(&self, name: &str) -> Option<&'a Fact> {
        match name {
            "org" => Some(self.org),
            "relationship" => Some(self.relationship),
            "vendor" => Some(self.vendor),
            _ => None,
        }
    }
}

/// A name bound to a collection element.
#[derive(Clone)]
struct Bound<'f> {
    name: String,
    fact: &'f Fact,
    label: String,
}

/// One evaluated node: the public trace data plus what explaining it needs.
pub(super) struct Evaluated<'f> {
    result: Truth,
    label: String,
    loc: crate::input::source::Loc,
    facts: Vec<(String, String, Origin)>,
    children: Vec<Evaluated<'f>>,
    role: Role<'f>,
}

enum Role<'f> {
    All,
    Any,
    Not,
    Exists,
    ForAll,
    NoneOf,
    Count,
    /// A collection element; its only child (if any) is the `where` evaluated for it.
    Element(Bound<'f>),
    Leaf(Box<Check>),
}

impl Evaluated<'_> {
    pub(super) fn result(&self) -> Truth {
        self.result
    }

    /// The node with only the children that [`Explainer`] walks to explain its result: each
    /// node is walked with its own result as the one to explain, so which children matter
    /// depends only on the node's role, its result and theirs.
    fn decisive(mut self) -> Self {
        let result = self.result;
        let first = |children: Vec<Self>, want: Truth| -> Vec<Self> {
            children
                .into_iter()
                .find(|c| c.result == want)
                .into_iter()
                .collect()
        };
        let having = |children: Vec<Self>, want: Truth| -> Vec<Self> {
            children.into_iter().filter(|c| c.result == want).collect()
        };
        let children = std::mem::take(&mut self.children);
        self.children = match (&self.role, result) {
            (Role::All | Role::ForAll, Truth::False) => first(children, Truth::False),
            (Role::Any | Role::Exists, Truth::True) => first(children, Truth::True),
            (Role::NoneOf, Truth::False) => first(children, Truth::True),
            (Role::NoneOf, Truth::True) => having(children, Truth::False),
            (Role::Count, Truth::True | Truth::False) => having(children, Truth::True),
            (
                Role::All | Role::ForAll | Role::Any | Role::Exists | Role::NoneOf | Role::Count,
                _,
            ) => having(children, result),
            (Role::Not | Role::Element(_) | Role::Leaf(_), _) => children,
        };
        self
    }

    pub(super) fn to_trace(&self) -> TraceNode {
        TraceNode {
            label: self.label.clone(),
            result: self.result,
            loc: self.loc,
            facts: self.facts.clone(),
            children: self.children.iter().map(Evaluated::to_trace).collect(),
        }
    }
}

/// How much of the evaluation tree to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Every node, for `explain` and coverage.
    All,
    /// Only the branches that decide the result (what evidence and messages read).
    Decisive,
}

pub(super) fn evaluate<'f>(cond: &Condition, scope: &Scope<'f>, keep: Keep) -> Evaluated<'f> {
    let mut env = Env {
        scope,
        bound: Vec::new(),
        keep,
    };
    let mut root = env.eval(cond);
    // A false result is not explained (see `Explainer::explain`): nothing under it is read.
    if keep == Keep::Decisive && root.result == Truth::False {
        root.children.clear();
    }
    root
}

struct Env<'s, 'f> {
    scope: &'s Scope<'f>,
    bound: Vec<Bound<'f>>,
    keep: Keep,
}

impl<'f> Env<'_, 'f> {
    fn eval(&mut self, cond: &Condition) -> Evaluated<'f> {
        let evaluated = self.eval_node(cond);
        match self.keep {
            Keep::All => evaluated,
            Keep::Decisive => evaluated.decisive(),
        }
    }

    fn eval_node(&mut self, cond: &Condition) -> Evaluated<'f> {
        match &cond.kind {
            ConditionKind::All(items) => {
                let children: Vec<_> = items.iter().map(|c| self.eval(c)).collect();
                let result = children
                    .iter()
                    .fold(Truth::True, |acc, c| acc.and(c.result));
                node(result, "all".into(), cond, children, Role::All)
            }
            ConditionKind::Any(items) => {
                let children: Vec<_> = items.iter().map(|c| self.eval(c)).collect();
                let result = children
                    .iter()
                    .fold(Truth::False, |acc, c| acc.or(c.result));
                node(result, "any".into(), cond, children, Role::Any)
            }
            ConditionKind::Not(inner) => {
                let child = self.eval(inner);
                node(
                    child.result.not(),
                    "not".into(),
                    cond,
                    vec![child],
                    Role::Not,
                )
            }
            ConditionKind::Quantified(q) => self.quantified(q, cond),
            ConditionKind::Compare(c) => {
                let fact = self.lookup(&c.path);
                let value = fact.map_or(&FactValue::Unknown, |f| &f.value);
                let origin = fact.map(|f| f.origin.clone()).unwrap_or_default();
                let operand = match &c.operand.kind {
                    OperandKind::Value(v) => v.clone(),
                    OperandKind::AsOf => Value::Date(self.scope.as_of),
                };
                let result = compare::compare(value, c.op, &operand, self.scope.as_of);
                let path = c.path.to_string();
                let check = Check {
                    path: path.clone(),
                    value: value.to_string(),
                    op: c.op.symbol(),
                    operand: operand.to_string(),
                    result,
                    fact_origin: origin.clone(),
                    condition_loc: cond.loc,
                    bindings: self
                        .bound
                        .iter()
                        .map(|b| (b.name.clone(), b.label.clone()))
                        .collect(),
                };
                Evaluated {
                    result,
                    label: format!("{path} {} {operand}", c.op.symbol()),
                    loc: cond.loc,
                    facts: vec![(path, value.to_string(), origin)],
                    children: Vec::new(),
                    role: Role::Leaf(Box::new(check)),
                }
            }
        }
    }

    fn quantified(&mut self, q: &Quantified, cond: &Condition) -> Evaluated<'f> {
        let collection = self.lookup(&q.each);
        let items = collection.and_then(Fact::list);
        let mut children = Vec::new();
        for (i, element) in items.unwrap_or(&[]).iter().enumerate() {
            let bound = Bound {
                name: q.var.clone(),
                fact: element,
                label: element_label(element, i),
            };
            self.bound.push(bound.clone());
            let body = q.body.as_ref().map(|b| self.eval(b));
            self.bound.pop();
            let result = body.as_ref().map_or(Truth::True, |b| b.result);
            children.push(Evaluated {
                result,
                label: format!("{} = {}", q.var, bound.label),
                loc: cond.loc,
                facts: Vec::new(),
                children: body.into_iter().collect(),
                role: Role::Element(bound),
            });
        }
        let known = items.is_some();
        let trues = children.iter().filter(|c| c.result == Truth::True).count();
        let unknowns = children
            .iter()
            .filter(|c| c.result == Truth::Unknown)
            .count();
        let falses = children.len() - trues - unknowns;
        let head = format!("{} {} in {}", q.quantifier.name(), q.var, q.each);
        let (result, label, role) = match &q.quantifier {
            Quantifier::Exists => (
                if trues > 0 {
                    Truth::True
                } else if unknowns > 0 || !known {
                    Truth::Unknown
                } else {
                    Truth::False
                },
                head,
                Role::Exists,
            ),
            Quantifier::All => (
                if falses > 0 {
                    Truth::False
                } else if unknowns > 0 || !known {
                    Truth::Unknown
                } else {
                    Truth::True
                },
                head,
                Role::ForAll,
            ),
            Quantifier::None => (
                if trues > 0 {
                    Truth::False
                } else if unknowns > 0 || !known {
                    Truth::Unknown
                } else {
                    Truth::True
                },
                head,
                Role::NoneOf,
            ),
            Quantifier::Count { op, operand } => {
                let n = match &operand.kind {
                    OperandKind::Value(Value::Number(n)) => Some(*n),
                    _ => None,
                };
                let max = known.then_some(trues + unknowns);
                let result = n.map_or(Truth::Unknown, |n| compare::count(trues, max, *op, n));
                let range = match max {
                    Some(m) if m == trues => format!("{trues}"),
                    Some(m) => format!("{trues} to {m}"),
                    None => format!("at least {trues}"),
                };
                (
                    result,
                    format!("{head} {} {operand} (counted {range})", op.symbol()),
                    Role::Count,
                )
            }
        };
        let label = if known {
            label
        } else {
            format!("{label} (collection unknown)")
        };
        let facts = vec![(
            q.each.to_string(),
            collection.map_or_else(|| "unknown".to_string(), |f| f.value.to_string()),
            collection.map(|f| f.origin.clone()).unwrap_or_default(),
        )];
        Evaluated {
            result,
            label,
            loc: cond.loc,
            facts,
            children,
            role,
        }
    }

    /// The fact at `path`, or `None` when any step is missing or unknown.
    fn lookup(&self, path: &FactPath) -> Option<&'f Fact> {
        lookup(&path.segments, self.scope, &self.bound)
    }
}

fn lookup<'f>(segments: &[String], scope: &Scope<'f>, bound: &[Bound<'f>]) -> Option<&'f Fact> {
    let (first, rest) = segments.split_first()?;
    let mut fact = match bound.iter().rev().find(|b| &b.name == first) {
        Some(b) => b.fact,
        None => scope.root(first)?,
    };
    for segment in rest {
        fact = fact.object()?.get(segment)?;
    }
    Some(fact)
}

fn node<'f>(
    result: Truth,
    label: String,
    cond: &Condition,
    children: Vec<Evaluated<'f>>,
    role: Role<'f>,
) -> Evaluated<'f> {
    Evaluated {
        result,
        label,
        loc: cond.loc,
        facts: Vec::new(),
        children,
        role,
    }
}

/// How an element is named in traces: its kind's label field (`id` for owners), else its
/// 1-based position.
fn element_label(element: &Fact, index: usize) -> String {
    element
        .object()
        .and_then(|o| {
            let field = fact_model::kind(o.kind)?.label_field;
            match &o.get(field)?.value {
                FactValue::Unknown => None,
                v => Some(v.to_string()),
            }
        })
        .unwrap_or_else(|| format!("#{}", index + 1))
}

/// Walks the decisive branches of an evaluated tree, collecting the comparisons that decided
/// it and the element each `exists` was satisfied (or left undecided) by.
pub(super) struct Explainer<'f> {
    pub evidence: Vec<Check>,
    witnesses: Vec<Bound<'f>>,
}

impl<'f> Explainer<'f> {
    pub(super) fn explain(root: &Evaluated<'f>) -> Self {
        let mut e = Explainer {
            evidence: Vec::new(),
            witnesses: Vec::new(),
        };
        if root.result != Truth::False {
            e.walk(root, root.result, false);
        }
        e
    }

    /// The display value of `path` in the message: from a witness or a root.
    pub(super) fn value(&self, path: &[String], scope: &Scope<'f>) -> String {
        match lookup(path, scope, &self.witnesses) {
            Some(fact) => fact.value.to_string(),
            None => "unknown".to_string(),
        }
    }

    /// Explains why `node` has the result `want`. `witness` marks the children of an `exists`.
    fn walk(&mut self, node: &Evaluated<'f>, want: Truth, witness: bool) {
        let matching = |c: &&Evaluated<'f>| c.result == want;
        match &node.role {
            Role::Leaf(check) => self.evidence.push((**check).clone()),
            Role::Not => {
                for c in &node.children {
                    self.walk(c, want.not(), false);
                }
            }
            Role::Element(bound) => {
                if witness && !self.witnesses.iter().any(|w| w.name == bound.name) {
                    self.witnesses.push(bound.clone());
                }
                for c in &node.children {
                    self.walk(c, want, false);
                }
            }
            // A conjunction is decided by its first false member when false, by all its members
            // when true; a disjunction the other way round; unknown by its unknown members.
            Role::All | Role::ForAll => match want {
                Truth::False => self.first(node, want, false),
                _ => self.each(node, matching, want, false),
            },
            Role::Any => match want {
                Truth::True => self.first(node, want, false),
                _ => self.each(node, matching, want, false),
            },
            Role::Exists => match want {
                Truth::True => self.first(node, want, true),
                Truth::Unknown => {
                    // The first undecided element is the witness the message shows.
                    self.each(node, matching, want, true);
                }
                Truth::False => self.each(node, matching, want, false),
            },
            Role::NoneOf => match want {
                Truth::True => self.each(node, |c| c.result == Truth::False, Truth::False, false),
                Truth::False => self.first_with(node, Truth::True),
                Truth::Unknown => self.each(node, matching, want, false),
            },
            Role::Count => match want {
                Truth::Unknown => self.each(node, matching, want, false),
                _ => self.each(node, |c| c.result == Truth::True, Truth::True, false),
            },
        }
    }

    fn first(&mut self, node: &Evaluated<'f>, want: Truth, witness: bool) {
        if let Some(c) = node.children.iter().find(|c| c.result == want) {
            self.walk(c, want, witness);
        }
    }

    fn first_with(&mut self, node: &Evaluated<'f>, result: Truth) {
        self.first(node, result, false);
    }

    fn each(
        &mut self,
        node: &Evaluated<'f>,
        keep: impl Fn(&&Evaluated<'f>) -> bool,
        want: Truth,
        witness: bool,
    ) {
        for c in node.children.iter().filter(keep) {
            self.walk(c, want, witness);
        }
    }
}

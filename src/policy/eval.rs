//! Three-valued evaluation of a checked condition over the fact tree.
//!
//! Evaluation builds a tree that mirrors the condition (one node per combinator, quantifier,
//! collection element and comparison), holding only results and references into the condition
//! and the facts: most evaluations (a passing vendor) need nothing more. The words a person
//! reads (labels, values, the comparisons behind a finding) are made from those references
//! only when asked for: the evidence and the witnesses a message reads are picked from the tree
//! by following the decisive branches (see [`Explainer`]), and [`Evaluated::to_trace`] writes
//! the whole tree out for `vrisk explain`.

use crate::policy::facts::{Fact, FactValue};
use crate::value::date::Date;
use crate::value::truth::Truth;

use super::compare;
use super::fact_model;
use super::model::{
    Comparison, Condition, ConditionKind, FactPath, OperandKind, Quantified, Quantifier, Value,
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
    pub(super) fn root(&self, name: &str) -> Option<&'a Fact> {
        match name {
            "org" => Some(self.org),
            "relationship" => Some(self.relationship),
            "vendor" => Some(self.vendor),
            _ => None,
        }
    }
}

/// A name bound to a collection element: the element and its position in the collection.
#[derive(Clone, Copy)]
struct Bound<'c, 'f> {
    name: &'c str,
    fact: &'f Fact,
    index: usize,
}

impl Bound<'_, '_> {
    fn label(&self) -> String {
        element_label(self.fact, self.index)
    }
}

/// One evaluated node: its result, the condition it evaluated, and what it read.
pub(super) struct Evaluated<'c, 'f> {
    result: Truth,
    cond: &'c Condition,
    children: Vec<Evaluated<'c, 'f>>,
    role: Role<'c, 'f>,
}

enum Role<'c, 'f> {
    All,
    Any,
    Not,
    Quantifier {
        quantified: &'c Quantified,
        collection: Option<&'f Fact>,
        /// Elements that matched, and elements that may have (counting the unknown ones).
        trues: usize,
        possible: usize,
    },
    /// A collection element; its only child (if any) is the `where` evaluated for it.
    Element(Bound<'c, 'f>),
    Leaf {
        comparison: &'c Comparison,
        fact: Option<&'f Fact>,
    },
}

impl<'c, 'f> Evaluated<'c, 'f> {
    pub(super) fn result(&self) -> Truth {
        self.result
    }

    /// The whole tree as a reader sees it: labels, and the facts each node read.
    pub(super) fn to_trace(&self, as_of: Date) -> TraceNode {
        let (label, facts) = match &self.role {
            Role::All => ("all".to_string(), Vec::new()),
            Role::Any => ("any".to_string(), Vec::new()),
            Role::Not => ("not".to_string(), Vec::new()),
            Role::Quantifier {
                quantified,
                collection,
                trues,
                possible,
            } => (
                quantifier_label(quantified, collection.is_some(), *trues, *possible),
                vec![(
                    quantified.each.to_string(),
                    collection.map_or_else(|| "unknown".to_string(), |f| f.value.to_string()),
                    collection.map(|f| f.origin.clone()).unwrap_or_default(),
                )],
            ),
            Role::Element(bound) => (format!("{} = {}", bound.name, bound.label()), Vec::new()),
            Role::Leaf { comparison, fact } => {
                let operand = operand(comparison, as_of);
                let path = comparison.path.to_string();
                // Shown with enough decimals that a value never reads as the operand it
                // differs from.
                let value = compare::display_against(
                    fact.map_or(&FactValue::Unknown, |f| &f.value),
                    &operand,
                );
                let origin = fact.map(|f| f.origin.clone()).unwrap_or_default();
                (
                    format!("{path} {} {operand}", comparison.op.symbol()),
                    vec![(path, value, origin)],
                )
            }
        };
        TraceNode {
            label,
            result: self.result,
            loc: self.cond.loc,
            facts,
            children: self.children.iter().map(|c| c.to_trace(as_of)).collect(),
        }
    }
}

/// The operand of a comparison, with `as_of` standing for the evaluation date.
fn operand(comparison: &Comparison, as_of: Date) -> Value {
    match &comparison.operand.kind {
        OperandKind::Value(v) => v.clone(),
        OperandKind::AsOf => Value::Date(as_of),
    }
}

fn quantifier_label(q: &Quantified, known: bool, trues: usize, possible: usize) -> String {
    let head = format!("{} {} in {}", q.quantifier.name(), q.var, q.each);
    let label = match &q.quantifier {
        Quantifier::Count { op, operand } => {
            let range = match (known, possible) {
                (true, m) if m == trues => format!("{trues}"),
                (true, m) => format!("{trues} to {m}"),
                (false, _) => format!("at least {trues}"),
            };
            format!("{head} {} {operand} (counted {range})", op.symbol())
        }
        _ => head,
    };
    if known {
        label
    } else {
        format!("{label} (collection unknown)")
    }
}

/// How much of a condition to evaluate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Extent {
    /// Every node, for a trace that shows them all.
    Whole,
    /// Up to what decides each node: a conjunction stops at its first false member, a
    /// disjunction at its first true one, `exists` at its first match, `all` at its first
    /// failure. The result, the evidence and the message's witnesses are the same, since they
    /// are read from the first decisive member in those cases.
    Decisive,
}

pub(super) fn evaluate<'c, 'f>(
    cond: &'c Condition,
    scope: &Scope<'f>,
    extent: Extent,
) -> Evaluated<'c, 'f> {
    let mut env = Env {
        scope,
        bound: Vec::new(),
        extent,
    };
    env.eval(cond)
}

struct Env<'s, 'c, 'f> {
    scope: &'s Scope<'f>,
    bound: Vec<Bound<'c, 'f>>,
    extent: Extent,
}

impl<'c, 'f> Env<'_, 'c, 'f> {
    fn eval(&mut self, cond: &'c Condition) -> Evaluated<'c, 'f> {
        match &cond.kind {
            ConditionKind::All(items) => {
                let children = self.members(items, Truth::False);
                let result = children
                    .iter()
                    .fold(Truth::True, |acc, c| acc.and(c.result));
                node(result, cond, children, Role::All)
            }
            ConditionKind::Any(items) => {
                let children = self.members(items, Truth::True);
                let result = children
                    .iter()
                    .fold(Truth::False, |acc, c| acc.or(c.result));
                node(result, cond, children, Role::Any)
            }
            ConditionKind::Not(inner) => {
                let child = self.eval(inner);
                node(child.result.not(), cond, vec![child], Role::Not)
            }
            ConditionKind::Quantified(q) => self.quantified(q, cond),
            ConditionKind::Compare(c) => {
                let fact = self.lookup(&c.path);
                let value = fact.map_or(&FactValue::Unknown, |f| &f.value);
                let as_of = self.scope.as_of;
                let result = match &c.operand.kind {
                    OperandKind::Value(v) => compare::compare(value, c.op, v, as_of),
                    OperandKind::AsOf => compare::compare(value, c.op, &Value::Date(as_of), as_of),
                };
                node(
                    result,
                    cond,
                    Vec::new(),
                    Role::Leaf {
                        comparison: c,
                        fact,
                    },
                )
            }
        }
    }

    /// The members of a conjunction or disjunction, up to the first whose result `decides`
    /// when the extent allows.
    fn members(&mut self, items: &'c [Condition], decides: Truth) -> Vec<Evaluated<'c, 'f>> {
        let mut children = Vec::with_capacity(items.len());
        for item in items {
            let child = self.eval(item);
            let decided = child.result == decides;
            children.push(child);
            if decided && self.extent == Extent::Decisive {
                break;
            }
        }
        children
    }

    fn quantified(&mut self, q: &'c Quantified, cond: &'c Condition) -> Evaluated<'c, 'f> {
        let collection = self.lookup(&q.each);
        let items = collection.and_then(Fact::list);
        // `exists` is decided by its first match, `all` by its first failure, `none` by its
        // first match; `count` needs every element.
        let decides = match (&q.quantifier, self.extent) {
            (_, Extent::Whole) | (Quantifier::Count { .. }, _) => None,
            (Quantifier::Exists | Quantifier::None, Extent::Decisive) => Some(Truth::True),
            (Quantifier::All, Extent::Decisive) => Some(Truth::False),
        };
        let mut children = Vec::new();
        for (index, element) in items.unwrap_or(&[]).iter().enumerate() {
            let bound = Bound {
                name: &q.var,
                fact: element,
                index,
            };
            self.bound.push(bound);
            let body = q.body.as_ref().map(|b| self.eval(b));
            self.bound.pop();
            let result = body.as_ref().map_or(Truth::True, |b| b.result);
            children.push(node(
                result,
                cond,
                body.into_iter().collect(),
                Role::Element(bound),
            ));
            if Some(result) == decides {
                break;
            }
        }
        let known = items.is_some();
        let trues = children.iter().filter(|c| c.result == Truth::True).count();
        let unknowns = children
            .iter()
            .filter(|c| c.result == Truth::Unknown)
            .count();
        let falses = children.len() - trues - unknowns;
        let result = match &q.quantifier {
            Quantifier::Exists => {
                if trues > 0 {
                    Truth::True
                } else if unknowns > 0 || !known {
                    Truth::Unknown
                } else {
                    Truth::False
                }
            }
            Quantifier::All => {
                if falses > 0 {
                    Truth::False
                } else if unknowns > 0 || !known {
                    Truth::Unknown
                } else {
                    Truth::True
                }
            }
            Quantifier::None => {
                if trues > 0 {
                    Truth::False
                } else if unknowns > 0 || !known {
                    Truth::Unknown
                } else {
                    Truth::True
                }
            }
            Quantifier::Count { op, operand } => {
                let n = match &operand.kind {
                    OperandKind::Value(Value::Number(n)) => Some(*n),
                    _ => None,
                };
                let max = known.then_some(trues + unknowns);
                n.map_or(Truth::Unknown, |n| compare::count(trues, max, *op, n))
            }
        };
        node(
            result,
            cond,
            children,
            Role::Quantifier {
                quantified: q,
                collection,
                trues,
                possible: trues + unknowns,
            },
        )
    }

    /// The fact at `path`, or `None` when any step is missing or unknown.
    fn lookup(&self, path: &FactPath) -> Option<&'f Fact> {
        lookup(&path.segments, self.scope, &self.bound)
    }
}

fn lookup<'f>(segments: &[String], scope: &Scope<'f>, bound: &[Bound<'_, 'f>]) -> Option<&'f Fact> {
    let (first, rest) = segments.split_first()?;
    let mut fact = match bound.iter().rev().find(|b| b.name == first) {
        Some(b) => b.fact,
        None => scope.root(first)?,
    };
    for segment in rest {
        fact = fact.object()?.get(segment)?;
    }
    Some(fact)
}

fn node<'c, 'f>(
    result: Truth,
    cond: &'c Condition,
    children: Vec<Evaluated<'c, 'f>>,
    role: Role<'c, 'f>,
) -> Evaluated<'c, 'f> {
    Evaluated {
        result,
        cond,
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
pub(super) struct Explainer<'c, 'f> {
    pub evidence: Vec<Check>,
    witnesses: Vec<Bound<'c, 'f>>,
    /// The elements bound around the node being walked, outermost first.
    bound: Vec<Bound<'c, 'f>>,
    as_of: Date,
}

impl<'c, 'f> Explainer<'c, 'f> {
    pub(super) fn explain(root: &Evaluated<'c, 'f>, as_of: Date) -> Self {
        let mut e = Explainer {
            evidence: Vec::new(),
            witnesses: Vec::new(),
            bound: Vec::new(),
            as_of,
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
    fn walk(&mut self, node: &Evaluated<'c, 'f>, want: Truth, witness: bool) {
        let matching = |c: &&Evaluated<'c, 'f>| c.result == want;
        match &node.role {
            Role::Leaf { comparison, fact } => {
                let check = self.check(node, comparison, *fact);
                self.evidence.push(check);
            }
            Role::Not => {
                for c in &node.children {
                    self.walk(c, want.not(), false);
                }
            }
            Role::Element(bound) => {
                if witness && !self.witnesses.iter().any(|w| w.name == bound.name) {
                    self.witnesses.push(*bound);
                }
                self.bound.push(*bound);
                for c in &node.children {
                    self.walk(c, want, false);
                }
                self.bound.pop();
            }
            // A conjunction is decided by its first false member when false, by all its members
            // when true; a disjunction the other way round; unknown by its unknown members.
            Role::All => match want {
                Truth::False => self.first(node, want, false),
                _ => self.each(node, matching, want, false),
            },
            Role::Any => match want {
                Truth::True => self.first(node, want, false),
                _ => self.each(node, matching, want, false),
            },
            Role::Quantifier { quantified, .. } => match (&quantified.quantifier, want) {
                (Quantifier::All, Truth::False) => self.first(node, want, false),
                (Quantifier::All, _) => self.each(node, matching, want, false),
                (Quantifier::Exists, Truth::True) => self.first(node, want, true),
                // The first undecided element is the witness the message shows.
                (Quantifier::Exists, Truth::Unknown) => self.each(node, matching, want, true),
                (Quantifier::Exists, Truth::False) => self.each(node, matching, want, false),
                (Quantifier::None, Truth::True) => {
                    self.each(node, |c| c.result == Truth::False, Truth::False, false)
                }
                (Quantifier::None, Truth::False) => self.first(node, Truth::True, false),
                (Quantifier::None, Truth::Unknown) => self.each(node, matching, want, false),
                (Quantifier::Count { .. }, Truth::Unknown) => {
                    self.each(node, matching, want, false)
                }
                (Quantifier::Count { .. }, _) => {
                    self.each(node, |c| c.result == Truth::True, Truth::True, false)
                }
            },
        }
    }

    /// A decisive comparison as a reader sees it, with the elements bound around it.
    fn check(
        &self,
        node: &Evaluated<'c, 'f>,
        comparison: &Comparison,
        fact: Option<&'f Fact>,
    ) -> Check {
        let operand = operand(comparison, self.as_of);
        Check {
            path: comparison.path.to_string(),
            value: compare::display_against(
                fact.map_or(&FactValue::Unknown, |f| &f.value),
                &operand,
            ),
            op: comparison.op.symbol(),
            operand: operand.to_string(),
            result: node.result,
            fact_origin: fact.map(|f| f.origin.clone()).unwrap_or_default(),
            condition_loc: node.cond.loc,
            bindings: self
                .bound
                .iter()
                .map(|b| (b.name.to_string(), b.label()))
                .collect(),
        }
    }

    fn first(&mut self, node: &Evaluated<'c, 'f>, want: Truth, witness: bool) {
        if let Some(c) = node.children.iter().find(|c| c.result == want) {
            self.walk(c, want, witness);
        }
    }

    fn each(
        &mut self,
        node: &Evaluated<'c, 'f>,
        keep: impl Fn(&&Evaluated<'c, 'f>) -> bool,
        want: Truth,
        witness: bool,
    ) {
        for c in node.children.iter().filter(keep) {
            self.walk(c, want, witness);
        }
    }
}

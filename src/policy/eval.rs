//! Three-valued evaluation of a checked condition over the fact tree.
//!
//! Evaluation builds a tree that mirrors the condition (one node per combinator, quantifier,
//! collection element and comparison) and keeps, beside the public [`TraceNode`] data, the
//! element each quantifier node was bound to. The evidence and the witnesses a message reads are
//! then picked from that tree by following the decisive branches (see [`Explainer`]).
//!
//! `vrisk explain` and the coverage of `vrisk test` read the whole tree ([`Keep::All`]); `vrisk
//! check` needs only the decisive branches, so with [`Keep::Decisive`] each node first computes
//! its children's results without building them, then builds only the children the explanation
//! will walk (none under a false root). The result, the evidence and the message are the same
//! either way.

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
        at_root: true,
    };
    env.eval(cond)
}

struct Env<'s, 'f> {
    scope: &'s Scope<'f>,
    bound: Vec<Bound<'f>>,
    keep: Keep,
    /// Whether the node being built is the root: a false root is not explained (see
    /// [`Explainer::explain`]), so with [`Keep::Decisive`] it keeps no children at all.
    at_root: bool,
}

/// Which children [`Explainer`] walks to explain a node of `role` whose result is `result`,
/// from the children's results. Each node is walked with its own result as the one to explain,
/// so this depends on nothing else.
fn decisive(role: &Role, result: Truth, children: &[Truth]) -> Vec<usize> {
    let first = |want: Truth| {
        children
            .iter()
            .position(|&c| c == want)
            .into_iter()
            .collect()
    };
    let having = |want: Truth| {
        (0..children.len())
            .filter(|&i| children[i] == want)
            .collect()
    };
    match (role, result) {
        (Role::All | Role::ForAll, Truth::False) => first(Truth::False),
        (Role::Any | Role::Exists, Truth::True) => first(Truth::True),
        (Role::NoneOf, Truth::False) => first(Truth::True),
        (Role::NoneOf, Truth::True) => having(Truth::False),
        (Role::Count, Truth::True | Truth::False) => having(Truth::True),
        (Role::All | Role::ForAll | Role::Any | Role::Exists | Role::NoneOf | Role::Count, _) => {
            having(result)
        }
        (Role::Not | Role::Element(_) | Role::Leaf(_), _) => (0..children.len()).collect(),
    }
}

impl<'f> Env<'_, 'f> {
    /// The node of `cond`. With [`Keep::All`] every child is built, then the result read from
    /// them. With [`Keep::Decisive`] the children's results come first, from [`Env::truth`],
    /// which builds nothing; then only the decisive children are built, so that no part of the
    /// tree that will be dropped is ever held. That evaluates the decisive path again at each
    /// level, a cost bounded by the budget times the depth, for memory that is the size of the
    /// explanation.
    fn eval(&mut self, cond: &Condition) -> Evaluated<'f> {
        match &cond.kind {
            ConditionKind::All(items) => self.combinator(items, cond, Role::All),
            ConditionKind::Any(items) => self.combinator(items, cond, Role::Any),
            ConditionKind::Not(inner) => {
                let peeked = self.peek(inner).not();
                let child = self.explains(peeked).then(|| self.eval(inner));
                let result = child.as_ref().map_or(peeked, |c| c.result.not());
                node(
                    result,
                    "not".into(),
                    cond,
                    child.into_iter().collect(),
                    Role::Not,
                )
            }
            ConditionKind::Quantified(q) => self.quantified(q, cond),
            ConditionKind::Compare(c) => {
                self.at_root = false;
                self.compare(c, cond)
            }
        }
    }

    /// With [`Keep::Decisive`], the result of `cond` without building it; with [`Keep::All`],
    /// nothing is known before building: `Unknown` stands in, and is not used.
    fn peek(&mut self, cond: &Condition) -> Truth {
        match self.keep {
            Keep::Decisive => self.truth(cond),
            Keep::All => Truth::Unknown,
        }
    }

    /// Whether a node with this result keeps children: always with [`Keep::All`]; with
    /// [`Keep::Decisive`], unless it is a false root. Called once per node, before its
    /// children are built, so the first call is the root's.
    fn explains(&mut self, result: Truth) -> bool {
        let root = std::mem::replace(&mut self.at_root, false);
        self.keep == Keep::All || !(root && result == Truth::False)
    }

    fn combinator(
        &mut self,
        items: &[Condition],
        cond: &Condition,
        role: Role<'f>,
    ) -> Evaluated<'f> {
        let and = matches!(role, Role::All);
        let fold = |truths: &mut dyn Iterator<Item = Truth>| {
            truths.fold(
                Truth::from(and),
                |acc, t| if and { acc.and(t) } else { acc.or(t) },
            )
        };
        let label = if and { "all" } else { "any" };
        let (result, children) = match self.keep {
            Keep::All => {
                self.at_root = false;
                let children: Vec<_> = items.iter().map(|c| self.eval(c)).collect();
                (fold(&mut children.iter().map(|c| c.result)), children)
            }
            Keep::Decisive => {
                let truths: Vec<Truth> = items.iter().map(|c| self.truth(c)).collect();
                let result = fold(&mut truths.iter().copied());
                let kept = if self.explains(result) {
                    decisive(&role, result, &truths)
                } else {
                    Vec::new()
                };
                let children = kept.into_iter().map(|i| self.eval(&items[i])).collect();
                (result, children)
            }
        };
        node(result, label.into(), cond, children, role)
    }

    /// The result of `cond`, as [`Env::eval`] gives it, without building a node.
    fn truth(&mut self, cond: &Condition) -> Truth {
        match &cond.kind {
            ConditionKind::All(items) => {
                let mut acc = Truth::True;
                for c in items {
                    acc = acc.and(self.truth(c));
                }
                acc
            }
            ConditionKind::Any(items) => {
                let mut acc = Truth::False;
                for c in items {
                    acc = acc.or(self.truth(c));
                }
                acc
            }
            ConditionKind::Not(inner) => self.truth(inner).not(),
            ConditionKind::Quantified(q) => {
                let collection = self.lookup(&q.each);
                let elements = collection.and_then(Fact::list);
                let truths: Vec<Truth> = (0..elements.map_or(0, <[Fact]>::len))
                    .map(|i| self.element_truth(q, elements.unwrap_or(&[]), i))
                    .collect();
                outcome(q, &truths, elements.is_some()).0
            }
            ConditionKind::Compare(c) => {
                let value = self
                    .lookup(&c.path)
                    .map_or(&FactValue::Unknown, |f| &f.value);
                compare::compare(value, c.op, &self.operand(c), self.scope.as_of)
            }
        }
    }

    fn operand(&self, c: &super::model::Comparison) -> Value {
        match &c.operand.kind {
            OperandKind::Value(v) => v.clone(),
            OperandKind::AsOf => Value::Date(self.scope.as_of),
        }
    }

    fn compare(&mut self, c: &super::model::Comparison, cond: &Condition) -> Evaluated<'f> {
        let fact = self.lookup(&c.path);
        let value = fact.map_or(&FactValue::Unknown, |f| &f.value);
        let origin = fact.map(|f| f.origin.clone()).unwrap_or_default();
        let operand = self.operand(c);
        let result = compare::compare(value, c.op, &operand, self.scope.as_of);
        let path = c.path.to_string();
        // Shown with enough decimals that a value never reads as the operand it differs from.
        let shown = compare::display_against(value, &operand);
        let check = Check {
            path: path.clone(),
            value: shown.clone(),
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
            facts: vec![(path, shown, origin)],
            children: Vec::new(),
            role: Role::Leaf(Box::new(check)),
        }
    }

    /// The element `i` of a quantifier's collection, bound to its name while `body` runs.
    fn bind(&mut self, q: &Quantified, elements: &'f [Fact], i: usize) -> Bound<'f> {
        let element = &elements[i];
        let bound = Bound {
            name: q.var.clone(),
            fact: element,
            label: element_label(element, i),
        };
        self.bound.push(bound.clone());
        bound
    }

    /// The result of the `where` for element `i` (true without one).
    fn element_truth(&mut self, q: &Quantified, elements: &'f [Fact], i: usize) -> Truth {
        let Some(body) = &q.body else {
            return Truth::True;
        };
        self.bind(q, elements, i);
        let result = self.truth(body);
        self.bound.pop();
        result
    }

    /// The node of element `i`: its `where` evaluated with the element bound.
    fn element(
        &mut self,
        q: &Quantified,
        cond: &Condition,
        elements: &'f [Fact],
        i: usize,
    ) -> Evaluated<'f> {
        let bound = self.bind(q, elements, i);
        let body = q.body.as_ref().map(|b| self.eval(b));
        self.bound.pop();
        Evaluated {
            result: body.as_ref().map_or(Truth::True, |b| b.result),
            label: format!("{} = {}", q.var, bound.label),
            loc: cond.loc,
            facts: Vec::new(),
            children: body.into_iter().collect(),
            role: Role::Element(bound),
        }
    }

    fn quantified(&mut self, q: &Quantified, cond: &Condition) -> Evaluated<'f> {
        let collection = self.lookup(&q.each);
        let items = collection.and_then(Fact::list);
        let elements = items.unwrap_or(&[]);
        let known = items.is_some();
        let (truths, children) = match self.keep {
            Keep::All => {
                self.at_root = false;
                let children: Vec<_> = (0..elements.len())
                    .map(|i| self.element(q, cond, elements, i))
                    .collect();
                (
                    children.iter().map(|c| c.result).collect::<Vec<_>>(),
                    children,
                )
            }
            Keep::Decisive => {
                let truths: Vec<Truth> = (0..elements.len())
                    .map(|i| self.element_truth(q, elements, i))
                    .collect();
                let (result, _, role) = outcome(q, &truths, known);
                let kept = if self.explains(result) {
                    decisive(&role, result, &truths)
                } else {
                    Vec::new()
                };
                let children = kept
                    .into_iter()
                    .map(|i| self.element(q, cond, elements, i))
                    .collect();
                (truths, children)
            }
        };
        let (result, label, role) = outcome(q, &truths, known);
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

/// A quantifier's result, label and role from the results of its elements' `where`, and
/// whether the collection is known at all.
fn outcome<'f>(q: &Quantified, truths: &[Truth], known: bool) -> (Truth, String, Role<'f>) {
    let trues = truths.iter().filter(|&&t| t == Truth::True).count();
    let unknowns = truths.iter().filter(|&&t| t == Truth::Unknown).count();
    let falses = truths.len() - trues - unknowns;
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
    (result, label, role)
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

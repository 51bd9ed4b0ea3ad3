//! What evaluating a policy for one vendor relationship can cost, known before it is evaluated.
//!
//! A condition visits every element of every collection it quantifies over, and a quantifier
//! inside another runs once per element of the outer one: six nested quantifiers over a vendor
//! with 30 owners visit 30^6 = 729 million elements, and the evaluation tree has several nodes
//! per visit. The language has no other loops, so the cost is a product of collection sizes
//! that the facts of the relationship give: [`Costing`] computes it (exactly for collections
//! of the roots, as an upper bound for collections inside elements, from the largest one), and
//! [`Budget::check`] compares it with the limits before anything is evaluated.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::input::limits::{Limit, Limits};
use crate::input::source::Loc;

use super::eval::Scope;
use super::facts::{Fact, FactValue};
use super::model::{Condition, ConditionKind, Policy};

/// How much one (policy, vendor relationship) evaluation may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Collection elements visited by quantifiers, over `applies_to` and `fails_when`.
    pub element_visits: u64,
    /// Nodes of the evaluation tree: every combinator, quantifier, element and comparison
    /// evaluated.
    pub trace_nodes: u64,
}

impl Budget {
    pub fn from_limits(limits: &Limits) -> Budget {
        Budget {
            element_visits: limits.max_element_visits,
            trace_nodes: limits.max_trace_nodes,
        }
    }

    /// The first limit `cost` goes over, with the cost against it.
    pub fn check(&self, cost: &Cost) -> Result<(), (Limit, u64)> {
        if cost.element_visits > self.element_visits {
            return Err((Limit::ElementVisits, cost.element_visits));
        }
        if cost.trace_nodes > self.trace_nodes {
            return Err((Limit::TraceNodes, cost.trace_nodes));
        }
        Ok(())
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::from_limits(&Limits::default())
    }
}

/// The cost of an evaluation, with where most of it comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    pub element_visits: u64,
    pub trace_nodes: u64,
    /// The outermost quantifier of the costliest nesting: where a problem about the cost points.
    pub heaviest: Option<Loc>,
}

impl Cost {
    fn leaf() -> Cost {
        Cost {
            element_visits: 0,
            trace_nodes: 1,
            heaviest: None,
        }
    }

    /// Both costs, one after the other; `heaviest` from the costlier.
    fn then(self, other: Cost) -> Cost {
        let heaviest = if other.element_visits > self.element_visits {
            other.heaviest.or(self.heaviest)
        } else {
            self.heaviest.or(other.heaviest)
        };
        Cost {
            element_visits: self.element_visits.saturating_add(other.element_visits),
            trace_nodes: self.trace_nodes.saturating_add(other.trace_nodes),
            heaviest,
        }
    }
}

/// The costs of conditions over the facts of one vendor relationship: exactly what the
/// evaluator does when every collection inside an element is as large as the largest of its
/// kind in these facts. A collection of the roots (`vendor.owners`) is looked up and counted;
/// the facts are walked for the largest of each kind only when a condition quantifies over a
/// collection inside an element, so that the usual policy costs nothing to price.
pub struct Costing<'s, 'f> {
    scope: &'s Scope<'f>,
    sizes: OnceCell<CollectionSizes>,
}

impl<'s, 'f> Costing<'s, 'f> {
    pub fn new(scope: &'s Scope<'f>) -> Costing<'s, 'f> {
        Costing {
            scope,
            sizes: OnceCell::new(),
        }
    }

    /// The cost of a policy's `applies_to` (nothing without one).
    pub fn applies_to(&self, policy: &Policy) -> Cost {
        policy
            .applies_to
            .as_ref()
            .map_or_else(Cost::default, |c| self.condition(c, &mut Vec::new()))
    }

    /// The cost of `applies_to`, then `fails_when`.
    pub fn policy(&self, policy: &Policy) -> Cost {
        self.applies_to(policy)
            .then(self.condition(&policy.fails_when, &mut Vec::new()))
    }

    /// The size of the collection at `each`, with the names in `bound` standing for elements:
    /// counted for a collection of a root, the largest of its kind otherwise.
    fn size(&self, each: &[String], bound: &[&str]) -> u64 {
        let Some((first, rest)) = each.split_first() else {
            return 0;
        };
        if bound.contains(&first.as_str()) {
            let field = each.last().map_or("", String::as_str);
            return self
                .sizes
                .get_or_init(|| CollectionSizes::in_facts(self.scope))
                .size(field);
        }
        let mut fact = self.scope.root(first);
        for segment in rest {
            fact = fact.and_then(|f| f.object()).and_then(|o| o.get(segment));
        }
        fact.and_then(Fact::list)
            .map_or(0, |items| items.len() as u64)
    }

    fn condition<'c>(&self, cond: &'c Condition, bound: &mut Vec<&'c str>) -> Cost {
        match &cond.kind {
            ConditionKind::Compare(_) => Cost::leaf(),
            ConditionKind::All(items) | ConditionKind::Any(items) => items
                .iter()
                .fold(Cost::leaf(), |acc, c| acc.then(self.condition(c, bound))),
            ConditionKind::Not(inner) => Cost::leaf().then(self.condition(inner, bound)),
            ConditionKind::Quantified(q) => {
                let n = self.size(&q.each.segments, bound);
                bound.push(&q.var);
                let body = q
                    .body
                    .as_ref()
                    .map_or_else(Cost::default, |b| self.condition(b, bound));
                bound.pop();
                quantified_cost(n, body, cond.loc)
            }
        }
    }
}

/// Per element: the visit, an element node, and the body; then the quantifier node.
fn quantified_cost(n: u64, body: Cost, at: Loc) -> Cost {
    Cost {
        element_visits: n.saturating_mul(body.element_visits.saturating_add(1)),
        trace_nodes: n
            .saturating_mul(body.trace_nodes.saturating_add(1))
            .saturating_add(1),
        heaviest: Some(at),
    }
}

/// The length of the longest list held by each collection field (`owners`, `paths`, ...) in a
/// relationship's facts. Collection fields have distinct names in the fact model, so the name
/// says which collection a quantifier's path ends in.
struct CollectionSizes {
    longest: HashMap<&'static str, u64>,
}

impl CollectionSizes {
    fn in_facts(scope: &Scope) -> CollectionSizes {
        let mut sizes = CollectionSizes {
            longest: HashMap::new(),
        };
        // Objects can be shared between places in the tree: each is walked once.
        let mut seen = HashSet::new();
        for root in [scope.org, scope.relationship, scope.vendor] {
            sizes.walk(root, &mut seen);
        }
        sizes
    }

    fn walk(&mut self, fact: &Fact, seen: &mut HashSet<*const ()>) {
        match &fact.value {
            FactValue::Object(object) => {
                if !seen.insert(std::sync::Arc::as_ptr(object).cast()) {
                    return;
                }
                object.for_each_field(&mut |name, field| {
                    if let FactValue::List(items) = &field.value {
                        let longest = self.longest.entry(name).or_default();
                        *longest = (*longest).max(items.len() as u64);
                    }
                    self.walk(field, seen);
                });
            }
            FactValue::List(items) => {
                for item in items {
                    self.walk(item, seen);
                }
            }
            _ => {}
        }
    }

    /// The size to assume for a collection whose path ends in `field`.
    fn size(&self, field: &str) -> u64 {
        self.longest.get(field).copied().unwrap_or(0)
    }
}

//! The facts a policy reads, as a tree of typed values that remember where they came from.
//!
//! The engine builds one tree per (evaluating organisation, vendor relationship) from the
//! registry and the ownership engine; the policy evaluator only reads it. The shape of the tree is
//! the documented fact model (docs/policies.md): `org`, `relationship`, `vendor`, and the objects
//! inside their collections (`owner`, `path`, `person`, `move`, `attestation`).

use std::fmt;
use std::sync::Arc;

use crate::input::source::Loc;
use crate::value::count;
use crate::value::date::Date;
use crate::value::interval::Interval;
use crate::value::money::Money;

/// Where a fact comes from: its position in a registry file and the source it cites.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origin {
    pub loc: Option<Loc>,
    /// Ids of the registry sources that back the fact.
    pub sources: Vec<String>,
    /// Set instead of `loc` and `sources` when finding them is work that only a fact that is
    /// shown should pay for (an owner's share is placed at the first stake of its largest
    /// ownership path, which takes a path search): the builder of the facts resolves it for
    /// the facts a report or a trace shows.
    pub deferred: Option<Deferred>,
}

/// A key the builder of a fact tree gives a position it has not looked up yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Deferred(pub u64);

#[derive(Clone, Debug, PartialEq)]
pub enum FactValue {
    /// The registry does not say.
    Unknown,
    Bool(bool),
    Number(f64),
    Text(String),
    Date(Date),
    Percent(Interval),
    Money(Money),
    /// An unordered set of slugs (services, data categories, markets, aliases).
    TextSet(Vec<String>),
    Object(Arc<FactObject>),
    List(Vec<Fact>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub value: FactValue,
    pub origin: Origin,
}

impl Fact {
    pub fn new(value: FactValue, origin: Origin) -> Self {
        Fact { value, origin }
    }

    pub fn unknown() -> Self {
        Fact::plain(FactValue::Unknown)
    }

    /// A fact derived by vrisk itself, with no single registry position.
    pub fn plain(value: FactValue) -> Self {
        Fact {
            value,
            origin: Origin::default(),
        }
    }

    pub fn object(&self) -> Option<&FactObject> {
        match &self.value {
            FactValue::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn list(&self) -> Option<&[Fact]> {
        match &self.value {
            FactValue::List(items) => Some(items),
            _ => None,
        }
    }
}

/// An object of the fact model: `kind` names its type (`owner`, `person`, ...).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FactObject {
    pub kind: &'static str,
    /// In the order they were set. An object has at most a few dozen fields, set once and read
    /// a few times: a vector scanned by name costs one allocation where a map costs several (a
    /// check builds an object for every owner of every vendor).
    fields: Vec<(&'static str, Fact)>,
    /// Fields shared with other objects, read where this one does not set them (an owner's
    /// name, kind and competitor group are the same in every vendor it owns).
    shared: Option<Arc<FactObject>>,
    /// Where the object as a whole is declared (e.g. the vendor relationship entry).
    pub origin: Origin,
}

impl FactObject {
    pub fn new(kind: &'static str, origin: Origin) -> Self {
        FactObject {
            kind,
            fields: Vec::new(),
            shared: None,
            origin,
        }
    }

    /// An object with room for `fields` fields, for objects built by the thousand.
    pub fn with_capacity(kind: &'static str, origin: Origin, fields: usize) -> Self {
        FactObject {
            kind,
            fields: Vec::with_capacity(fields),
            shared: None,
            origin,
        }
    }

    /// An object with the fields of `shared`, and room for `fields` more of its own.
    pub fn extending(shared: Arc<FactObject>, origin: Origin, fields: usize) -> Self {
        FactObject {
            kind: shared.kind,
            fields: Vec::with_capacity(fields),
            shared: Some(shared),
            origin,
        }
    }

    pub fn set(&mut self, name: &'static str, fact: Fact) -> &mut Self {
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(field) => field.1 = fact,
            None => self.fields.push((name, fact)),
        }
        self
    }

    /// Calls `visit` with every field and its name: the object's own, then those of the shared
    /// object it does not set itself.
    pub fn for_each_field<'a>(&'a self, visit: &mut dyn FnMut(&'static str, &'a Fact)) {
        for (name, fact) in &self.fields {
            visit(name, fact);
        }
        if let Some(shared) = &self.shared {
            shared.for_each_field(&mut |name, fact| {
                if !self.fields.iter().any(|(own, _)| *own == name) {
                    visit(name, fact);
                }
            });
        }
    }

    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, fact)| fact)
            .or_else(|| self.shared.as_ref().and_then(|shared| shared.get(name)))
    }
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Unknown => f.write_str("unknown"),
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    write!(f, "{}", *n as i64)
                } else {
                    write!(f, "{n}")
                }
            }
            FactValue::Text(t) => f.write_str(t),
            FactValue::Date(d) => write!(f, "{d}"),
            FactValue::Percent(p) => write!(f, "{p}"),
            FactValue::Money(m) => write!(f, "{m}"),
            FactValue::TextSet(items) => write!(f, "[{}]", items.join(", ")),
            FactValue::Object(o) => write!(f, "<{}>", o.kind),
            FactValue::List(items) => write!(f, "<{}>", count(items.len(), "item")),
        }
    }
}

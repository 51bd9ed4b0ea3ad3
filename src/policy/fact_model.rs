//! The fact model: a static description of the trees the engine builds for each (evaluating
//! organisation, vendor relationship) pair and the policy evaluator reads.
//!
//! The typechecker resolves every path of a policy against this description, so that a typo or a
//! field of the wrong type is a load-time error rather than a condition that is silently false.
//! docs/policies.md carries the same model as a table; a test keeps the two in step.

use std::fmt;

/// The type of a fact as the condition language sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactType {
    Text,
    /// An unordered set of slugs.
    TextSet,
    Bool,
    Number,
    Date,
    /// A share in percent, possibly a range ([`crate::value::interval::Interval`]).
    Percent,
    Money,
    /// An object of the named kind.
    Object(&'static str),
    /// A collection of objects of the named kind: only a quantifier can read into it.
    List(&'static str),
}

impl FactType {
    /// Whether a leaf comparison can read this type directly.
    pub fn is_value(self) -> bool {
        !matches!(self, FactType::Object(_) | FactType::List(_))
    }
}

impl fmt::Display for FactType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactType::Text => f.write_str("text"),
            FactType::TextSet => f.write_str("text-set"),
            FactType::Bool => f.write_str("bool"),
            FactType::Number => f.write_str("number"),
            FactType::Date => f.write_str("date"),
            FactType::Percent => f.write_str("percent"),
            FactType::Money => f.write_str("money"),
            FactType::Object(kind) => write!(f, "{kind}"),
            FactType::List(kind) => write!(f, "list<{kind}>"),
        }
    }
}

/// One field of an object kind.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FactType,
    pub doc: &'static str,
}

/// An object kind: its fields, and which field names an element in traces and findings.
#[derive(Debug)]
pub struct Kind {
    pub name: &'static str,
    /// The field whose value identifies an element (`owner = meta`); falls back to the position.
    pub label_field: &'static str,
    pub fields: &'static [Field],
}

impl Kind {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }
}

/// A name every condition can start a path from.
#[derive(Debug)]
pub struct Root {
    pub name: &'static str,
    pub kind: &'static str,
    pub doc: &'static str,
}

const fn field(name: &'static str, ty: FactType, doc: &'static str) -> Field {
    Field { name, ty, doc }
}

use FactType::*;

pub const ROOTS: &[Root] = &[
    Root {
        name: "org",
        kind: "org",
        doc: "the organisation from whose point of view the check runs",
    },
    Root {
        name: "relationship",
        kind: "relationship",
        doc: "the vendor relationship under evaluation (customer = `org`)",
    },
    Root {
        name: "vendor",
        kind: "organisation",
        doc: "the vendor of that relationship",
    },
];

pub const KINDS: &[Kind] = &[
    Kind {
        name: "org",
        label_field: "id",
        fields: &[
            field("id", Text, "registry id"),
            field("name", Text, "display name"),
        ],
    },
    Kind {
        name: "relationship",
        label_field: "vendor",
        fields: &[
            field("customer", Text, "id of the customer (the evaluating org)"),
            field("vendor", Text, "id of the vendor"),
            field("services", TextSet, "service categories bought"),
            field(
                "data_shared",
                TextSet,
                "data categories shared with the vendor",
            ),
            field("status", Text, "active | exiting | ended"),
            field("status_date", Date, "when the status took effect"),
            field(
                "last_review",
                Date,
                "date of the last vendor review, if it is not after the as-of date",
            ),
            field("contract_start", Date, "first day of the contract"),
            field("contract_end", Date, "last day of the contract"),
            field(
                "spend",
                Money,
                "spend in the as-of year: actual, else planned",
            ),
            field("spend_kind", Text, "actual | planned: the kind of `spend`"),
            field(
                "spend_year",
                Number,
                "the as-of year: the year of `spend`, `revenue_share` and `category_share`",
            ),
            field(
                "revenue_share",
                Percent,
                "`spend` / the vendor's revenue in the as-of year",
            ),
            field(
                "category_share",
                Percent,
                "the largest share of our spend in the as-of year in any of this vendor's services that this vendor takes",
            ),
            field(
                "attestations",
                List("attestation"),
                "certifications the vendor holds for this relationship",
            ),
        ],
    },
    Kind {
        name: "organisation",
        label_field: "id",
        fields: &[
            field("id", Text, "registry id"),
            field("name", Text, "display name"),
            field("kind", Text, "company | person | fund | government"),
            field("country", Text, "ISO 3166-1 alpha-2 code"),
            field("aliases", TextSet, "other names"),
            field(
                "revenue",
                Money,
                "revenue of the latest year up to and including the as-of year",
            ),
            field("revenue_year", Number, "the year of `revenue`"),
            field("valuation", Money, "latest valuation up to the as-of date"),
            field(
                "competitor",
                Bool,
                "the vendor itself belongs to a competitor group of `org`",
            ),
            field(
                "owners",
                List("owner"),
                "every owner with an effective stake, one per owner",
            ),
            field(
                "people",
                List("person"),
                "key people of the vendor, past and present",
            ),
        ],
    },
    Kind {
        name: "owner",
        label_field: "id",
        fields: &[
            field("id", Text, "registry id of the owner"),
            field("name", Text, "display name"),
            field("kind", Text, "company | person | fund | government"),
            field("economic", Percent, "effective economic share"),
            field("voting", Percent, "effective voting share"),
            field(
                "method",
                Text,
                "ownership method that produced the shares: integrated | control-chain",
            ),
            field(
                "competitor",
                Bool,
                "the owner belongs to a competitor group of `org`",
            ),
            field(
                "group",
                Text,
                "id of the declared competitor whose group the owner is in",
            ),
            field("tier", Text, "major | minor | none"),
            field(
                "competitor_name",
                Text,
                "display name of the declared competitor whose group the owner is in (the owner's own name if none)",
            ),
            field(
                "via",
                Text,
                "the chain of control from the declared competitor to the owner, e.g. `Helix Robotics → Helix Holdings LLC` (the owner's name alone when it is the declared competitor); a chain of more than 6 links is shortened in the middle as reports shorten a route: `Rival → … 29998 links … → c29999`",
            ),
            field(
                "holder",
                Text,
                "who holds the share, for messages: `Helix Robotics (through Helix Holdings LLC)` for a company the declared competitor controls, the owner's name otherwise",
            ),
            field(
                "markets",
                TextSet,
                "markets in which the competitor competes",
            ),
            field(
                "board",
                Bool,
                "the owner's group has board control of the vendor",
            ),
            field("is_self", Bool, "the owner is `org` or in its group"),
            field(
                "paths",
                List("path"),
                "the ownership chains that produce the shares",
            ),
        ],
    },
    Kind {
        name: "path",
        label_field: "route",
        fields: &[
            field("route", Text, "the chain, e.g. `meta → holdco → scale-ai`"),
            field("economic", Percent, "economic share along this chain"),
            field("voting", Percent, "voting share along this chain"),
        ],
    },
    Kind {
        name: "person",
        label_field: "id",
        fields: &[
            field("id", Text, "registry id"),
            field("name", Text, "display name"),
            field(
                "roles",
                TextSet,
                "roles held at the vendor, past or present",
            ),
            field(
                "current",
                Bool,
                "holds a role at the vendor at the as-of date",
            ),
            field(
                "moves",
                List("move"),
                "the person's moves between organisations",
            ),
        ],
    },
    Kind {
        name: "move",
        label_field: "to",
        fields: &[
            field("from", Text, "id of the organisation left"),
            field("to", Text, "id of the organisation joined"),
            field("to_name", Text, "display name of `to`"),
            field("date", Date, "date of the move"),
            field("role", Text, "role taken at `to`"),
            field(
                "competitor",
                Bool,
                "`to` belongs to a competitor group of `org`",
            ),
            field(
                "tier",
                Text,
                "competitor tier of `to`: major | minor | none",
            ),
        ],
    },
    Kind {
        name: "attestation",
        label_field: "kind",
        fields: &[
            field("kind", Text, "e.g. soc2-type2, iso27001"),
            field("expires", Date, "expiry date"),
        ],
    },
];

pub fn root(name: &str) -> Option<&'static Root> {
    ROOTS.iter().find(|r| r.name == name)
}

pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The collections whose elements are of `kind`, as paths from a root or another element
/// (`vendor.owners` for `owner`): used to tell an author where a name could be bound.
pub fn collections_of(kind_name: &str) -> Vec<String> {
    let is_list_of = |ty: FactType| matches!(ty, List(k) if k == kind_name);
    let mut out = Vec::new();
    for root in ROOTS {
        if let Some(k) = kind(root.kind) {
            for f in k.fields {
                if is_list_of(f.ty) {
                    out.push(format!("{}.{}", root.name, f.name));
                }
            }
        }
    }
    for k in KINDS {
        if ROOTS.iter().any(|r| r.kind == k.name) {
            continue;
        }
        for f in k.fields {
            if is_list_of(f.ty) {
                out.push(format!("{}.{}", k.name, f.name));
            }
        }
    }
    out
}

/// One documented path of the fact model.
#[derive(Clone, Debug, PartialEq)]
pub struct FactPathInfo {
    /// `vendor.owners`, or `owner.economic` for the fields of collection elements (written with
    /// the default binding name).
    pub path: String,
    pub ty: FactType,
    pub doc: &'static str,
}

/// Every path of the model: first the roots' fields, then the fields of each element kind.
pub fn fact_model_paths() -> Vec<FactPathInfo> {
    let mut out = Vec::new();
    for root in ROOTS {
        if let Some(k) = kind(root.kind) {
            push_fields(&mut out, root.name, k);
        }
    }
    for k in KINDS {
        if ROOTS.iter().all(|r| r.kind != k.name) {
            push_fields(&mut out, k.name, k);
        }
    }
    out
}

fn push_fields(out: &mut Vec<FactPathInfo>, prefix: &str, kind: &Kind) {
    for f in kind.fields {
        out.push(FactPathInfo {
            path: format!("{prefix}.{}", f.name),
            ty: f.ty,
            doc: f.doc,
        });
    }
}

/// The fact model as the markdown table in docs/policies.md.
pub fn fact_model_markdown() -> String {
    let mut out = String::from("| path | type | meaning |\n|---|---|---|\n");
    for info in fact_model_paths() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            info.path,
            info.ty
                .to_string()
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
            info.doc.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_referenced_kind_exists_and_labels_are_fields() {
        for root in ROOTS {
            assert!(kind(root.kind).is_some(), "root {} kind", root.name);
        }
        for k in KINDS {
            assert!(k.field(k.label_field).is_some(), "label of {}", k.name);
            for f in k.fields {
                if let Object(n) | List(n) = f.ty {
                    assert!(kind(n).is_some(), "{}.{} -> {n}", k.name, f.name);
                }
            }
        }
    }

    #[test]
    fn collections_are_found_by_element_kind() {
        assert_eq!(collections_of("owner"), vec!["vendor.owners"]);
        assert_eq!(collections_of("move"), vec!["person.moves"]);
        assert_eq!(
            collections_of("attestation"),
            vec!["relationship.attestations"]
        );
    }

    #[test]
    fn paths_cover_roots_and_elements() {
        let paths = fact_model_paths();
        assert!(paths.iter().any(|p| p.path == "vendor.owners"));
        assert!(
            paths
                .iter()
                .any(|p| p.path == "owner.economic" && p.ty == Percent)
        );
        assert!(
            !paths.iter().any(|p| p.path.starts_with("organisation.")),
            "root kinds are listed under their root name"
        );
    }
}

//! Schema-valid registry items (each a [`Node`] tree) -> typed items.
//!
//! The schema has already checked shapes and required fields; what is left here is what a schema
//! cannot say well: real calendar dates, money amounts, shares within 0-100, ranges that are not
//! empty. Each problem is reported at the value's own position and parsing goes on, so that one
//! run lists every problem.

use crate::input::diagnostic::Problem;
use crate::input::yaml::{Node, Value};
use crate::registry::model::*;
use crate::value::date::Date;
use crate::value::interval::Interval;
use crate::value::money::Money;

/// The top-level lists of a registry document.
pub const LISTS: &[&str] = &[
    "sources",
    "organisations",
    "stakes",
    "competitors",
    "vendors",
    "roles",
    "moves",
];

/// Reads the document's own fields (`default_org`) into `registry`; its lists are read item by
/// item with [`parse_item`].
pub fn parse_top(document: &Node, registry: &mut Registry, problems: &mut Vec<Problem>) {
    let mut p = Parser { problems };
    registry.default_org = document.get("default_org").and_then(|n| p.reference(n));
}

/// Reads one schema-valid item of the top-level list `list` into `registry` (not indexed: the
/// part is merged into the run's registry, which indexes what it adds).
pub fn parse_item(list: &str, node: &Node, registry: &mut Registry, problems: &mut Vec<Problem>) {
    let mut p = Parser { problems };
    match list {
        "sources" => registry.sources.extend(p.source(node)),
        "organisations" => registry.organisations.extend(p.organisation(node)),
        "stakes" => registry.stakes.extend(p.stake(node)),
        "competitors" => registry.competitors.extend(p.competitor(node)),
        "vendors" => registry.vendors.extend(p.vendor(node)),
        "roles" => registry.roles.extend(p.role(node)),
        "moves" => registry.moves.extend(p.movement(node)),
        _ => {}
    }
}

/// The items of the list under `key`, if it is one.
pub fn items<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key).and_then(Node::as_seq).unwrap_or(&[])
}

struct Parser<'p> {
    problems: &'p mut Vec<Problem>,
}

impl Parser<'_> {
    fn text(&mut self, node: &Node, key: &str) -> Option<String> {
        let value = node.get(key)?;
        match &value.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    fn required_text(&mut self, node: &Node, key: &str) -> Option<String> {
        let text = self.text(node, key);
        if text.is_none() {
            self.problems.push(
                Problem::new("registry::schema", format!("missing field `{key}`"))
                    .at(node.loc, format!("`{key}` is required here"))
                    .through(node.alias),
            );
        }
        text
    }

    fn texts(&mut self, node: &Node, key: &str) -> Vec<String> {
        node.get(key)
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect()
    }

    fn flag(&mut self, node: &Node, key: &str) -> Option<bool> {
        match node.get(key)?.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn reference(&mut self, node: &Node) -> Option<Ref> {
        node.as_str().map(|id| Ref {
            id: id.to_string(),
            loc: node.loc,
            alias: node.alias,
        })
    }

    fn field_ref(&mut self, node: &Node, key: &str) -> Option<Ref> {
        let value = node.get(key)?;
        self.reference(value)
    }

    fn required_ref(&mut self, node: &Node, key: &str) -> Option<Ref> {
        let r = self.field_ref(node, key);
        if r.is_none() {
            self.problems.push(
                Problem::new("registry::schema", format!("missing field `{key}`"))
                    .at(node.loc, format!("`{key}` is required here"))
                    .through(node.alias),
            );
        }
        r
    }

    fn date(&mut self, node: &Node, key: &str) -> Option<At<Date>> {
        let value = node.get(key)?;
        let text = match &value.value {
            Value::Str(s) => s.as_str(),
            _ => return None,
        };
        match Date::parse(text) {
            Some(date) => Some(At {
                value: date,
                loc: value.loc,
            }),
            None => {
                self.problems.push(
                    Problem::new(
                        "registry::invalid-date",
                        format!("`{text}` is not a calendar date"),
                    )
                    .at(value.loc, "expected YYYY-MM-DD, a real date")
                    .through(value.alias)
                    .with_help("write dates as YYYY-MM-DD, e.g. 2025-06-12"),
                );
                None
            }
        }
    }

    fn money(&mut self, node: &Node, key: &str) -> Option<Money> {
        let value = node.get(key)?;
        let text = value.as_str()?;
        let money = Money::parse(text);
        if money.is_none() {
            self.problems.push(
                Problem::new(
                    "registry::invalid-money",
                    format!("`{text}` is not an amount of money"),
                )
                .at(value.loc, "expected AMOUNT[K|M|B] CURRENCY")
                .through(value.alias)
                .with_help("write amounts like `870M USD` or `150000 EUR`"),
            );
        }
        money
    }

    fn share(&mut self, node: &Node, key: &str) -> Option<ShareField> {
        let value = node.get(key)?;
        let interval = match &value.value {
            Value::Int(i) => self.in_range(*i as f64, value)?,
            Value::Float(f) => self.in_range(*f, value)?,
            Value::Str(s) if s.trim() == "unknown" => Interval::UNKNOWN,
            Value::Str(s) => {
                let number = s.trim().trim_end_matches('%').trim();
                match number.parse::<f64>() {
                    Ok(n) if n.is_finite() => self.in_range(n, value)?,
                    _ => {
                        self.problems.push(
                            Problem::new(
                                "registry::invalid-share",
                                format!("`{s}` is not a share"),
                            )
                            .at(value.loc, "expected a percentage")
                            .through(value.alias)
                            .with_help("write `49%`, `49`, `unknown` or `{min: 25, max: 50}`"),
                        );
                        return None;
                    }
                }
            }
            Value::Map(_) => {
                let bound = |k: &str| {
                    let node = value.get(k)?;
                    let number = match node.value {
                        Value::Int(i) => i as f64,
                        Value::Float(f) => f,
                        _ => return None,
                    };
                    Some((number, Some(node)))
                };
                let (min, min_node) = bound("min").unwrap_or((0.0, None));
                let (max, max_node) = bound("max").unwrap_or((100.0, None));
                for (v, node) in [(min, min_node), (max, max_node)] {
                    if let Some(node) = node
                        && !(0.0..=100.0).contains(&v)
                    {
                        self.out_of_range(v, node.loc, node.alias);
                        return None;
                    }
                }
                let interval = Interval {
                    min,
                    max,
                    min_exclusive: self.flag(value, "min_exclusive").unwrap_or(false),
                    max_exclusive: self.flag(value, "max_exclusive").unwrap_or(false),
                };
                if interval.is_empty() {
                    self.problems.push(
                        Problem::new(
                            "registry::empty-range",
                            format!("the range {min}..{max} holds no value"),
                        )
                        .at(value.loc, "min must not be above max")
                        .through(value.alias)
                        .with_help("swap min and max, or drop an exclusive bound"),
                    );
                    return None;
                }
                interval
            }
            _ => return None,
        };
        Some(ShareField {
            interval,
            loc: value.loc,
        })
    }

    fn in_range(&mut self, value: f64, node: &Node) -> Option<Interval> {
        if (0.0..=100.0).contains(&value) {
            Some(Interval::exact(value))
        } else {
            self.out_of_range(value, node.loc, node.alias);
            None
        }
    }

    fn out_of_range(
        &mut self,
        value: f64,
        loc: crate::input::source::Loc,
        alias: Option<crate::input::source::Loc>,
    ) {
        self.problems.push(
            Problem::new(
                "registry::share-out-of-range",
                format!("a share of {value}% is outside 0-100%"),
            )
            .at(loc, "must be between 0 and 100")
            .through(alias)
            .with_help("shares are percentages: write 49 or 49% for forty-nine percent"),
        );
    }

    fn year(&mut self, node: &Node) -> Option<i32> {
        match node.get("year")?.value {
            Value::Int(y) => i32::try_from(y).ok(),
            _ => None,
        }
    }

    fn source(&mut self, node: &Node) -> Option<Source> {
        Some(Source {
            id: self.id(node)?,
            title: self.required_text(node, "title")?,
            publisher: self.text(node, "publisher"),
            authors: self.texts(node, "authors"),
            date: self.date(node, "date").map(|d| d.value),
            url: self.text(node, "url"),
            quote: self.text(node, "quote"),
            secondary: self.flag(node, "secondary").unwrap_or(false),
            loc: node.loc,
        })
    }

    fn id(&mut self, node: &Node) -> Option<At<String>> {
        let value = node.get("id")?;
        Some(At {
            value: value.as_str()?.to_string(),
            loc: value.loc,
        })
    }

    fn organisation(&mut self, node: &Node) -> Option<Organisation> {
        let id = self.id(node)?;
        let name = self.required_text(node, "name")?;
        let kind = self
            .text(node, "kind")
            .and_then(|k| OrgKind::parse(&k))
            .unwrap_or(OrgKind::Company);
        let identifiers = node
            .get("identifiers")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| {
                Some(Identifier {
                    scheme: n.get("scheme")?.as_str()?.to_string(),
                    id: n.get("id")?.as_str()?.to_string(),
                })
            })
            .collect();
        let mut revenue = Vec::new();
        for entry in items(node, "revenue") {
            if let (Some(year), Some(amount)) = (self.year(entry), self.money(entry, "amount")) {
                revenue.push(YearAmount {
                    year,
                    amount,
                    source: self.field_ref(entry, "source"),
                    loc: entry.loc,
                });
            }
        }
        let mut valuation = Vec::new();
        for entry in items(node, "valuation") {
            if let (Some(date), Some(amount)) =
                (self.date(entry, "date"), self.money(entry, "amount"))
            {
                valuation.push(DatedAmount {
                    date: date.value,
                    amount,
                    source: self.field_ref(entry, "source"),
                    loc: entry.loc,
                });
            }
        }
        Some(Organisation {
            id,
            name,
            kind,
            aliases: self.texts(node, "aliases"),
            country: self.text(node, "country"),
            identifiers,
            revenue,
            valuation,
            source: self.field_ref(node, "source"),
            loc: node.loc,
        })
    }

    fn stake(&mut self, node: &Node) -> Option<Stake> {
        let owner = self.required_ref(node, "owner");
        let owned = self.required_ref(node, "owned");
        // An invalid share has been reported already; keep the stake (as unknown) so that its
        // references are still checked in the same run.
        let economic = self.share(node, "economic").or_else(|| {
            node.get("economic").map(|n| ShareField {
                interval: Interval::UNKNOWN,
                loc: n.loc,
            })
        });
        let voting = self.share(node, "voting");
        let start = self.date(node, "start");
        let end = self.date(node, "end");
        let consideration = self.money(node, "consideration");
        Some(Stake {
            id: self.text(node, "id"),
            owner: owner?,
            owned: owned?,
            economic: economic?,
            voting,
            start,
            end,
            board: self.flag(node, "board").unwrap_or(false),
            indirect: self.flag(node, "indirect").unwrap_or(false),
            class: self.text(node, "class"),
            consideration,
            source: self.field_ref(node, "source"),
            loc: node.loc,
        })
    }

    fn competitor(&mut self, node: &Node) -> Option<Competitor> {
        let tier = match self.text(node, "tier").as_deref() {
            Some("minor") => Tier::Minor,
            _ => Tier::Major,
        };
        Some(Competitor {
            of: self.required_ref(node, "of")?,
            competitor: self.required_ref(node, "competitor")?,
            tier,
            markets: self.texts(node, "markets"),
            source: self.field_ref(node, "source"),
            loc: node.loc,
        })
    }

    fn vendor(&mut self, node: &Node) -> Option<VendorRelationship> {
        let customer = self.required_ref(node, "customer");
        let vendor = self.required_ref(node, "vendor");
        let status_node = node.get("status")?;
        let status = At {
            value: status_node.as_str().and_then(Status::parse)?,
            loc: status_node.loc,
        };
        let mut spend = Vec::new();
        for entry in items(node, "spend") {
            if let (Some(year), Some(amount)) = (self.year(entry), self.money(entry, "amount")) {
                spend.push(Spend {
                    year,
                    amount,
                    planned: self.text(entry, "kind").as_deref() == Some("planned"),
                    source: self.field_ref(entry, "source"),
                    loc: entry.loc,
                });
            }
        }
        let mut attestations = Vec::new();
        for entry in items(node, "attestations") {
            if let Some(kind) = self.text(entry, "kind") {
                attestations.push(Attestation {
                    kind,
                    expires: self.date(entry, "expires").map(|d| d.value),
                    source: self.field_ref(entry, "source"),
                    loc: entry.loc,
                });
            }
        }
        let status_date = self.date(node, "status_date").map(|d| d.value);
        let last_review = self.date(node, "last_review");
        let contract = node.get("contract").map(|c| Contract {
            start: self.date(c, "start"),
            end: self.date(c, "end"),
            loc: c.loc,
        });
        Some(VendorRelationship {
            customer: customer?,
            vendor: vendor?,
            services: self.texts(node, "services"),
            data_shared: self.texts(node, "data_shared"),
            spend,
            status,
            status_date,
            last_review,
            contract,
            attestations,
            source: self.field_ref(node, "source"),
            loc: node.loc,
        })
    }

    fn role(&mut self, node: &Node) -> Option<Role> {
        let person = self.required_ref(node, "person");
        let org = self.required_ref(node, "org");
        let start = self.date(node, "start");
        let end = self.date(node, "end");
        Some(Role {
            person: person?,
            org: org?,
            role: self.text(node, "role").unwrap_or_default(),
            key: self.flag(node, "key").unwrap_or(true),
            start,
            end,
            source: self.field_ref(node, "source"),
            loc: node.loc,
        })
    }

    fn movement(&mut self, node: &Node) -> Option<Move> {
        let person = self.required_ref(node, "person");
        let from = self.required_ref(node, "from");
        let to = self.required_ref(node, "to");
        let date = self.date(node, "date");
        Some(Move {
            person: person?,
            from: from?,
            to: to?,
            date: date?,
            role: self.text(node, "role"),
            note: self.text(node, "note"),
            source: self.field_ref(node, "source"),
            loc: node.loc,
        })
    }
}

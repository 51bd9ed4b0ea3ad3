//! A registry back to YAML: what loading reads, written so that loading it again gives the same
//! registry (positions aside). Used to normalise registries and to test that loading keeps the
//! meaning of every fact.
//!
//! Values are written in their exact form, not their display form: a share as a number or a
//! range with its open bounds, money as the full amount (`870000000 USD`, where the report says
//! `870M USD`), so that nothing is rounded on the way.

use serde_json::{Map, Value, json};

use crate::value::interval::Interval;
use crate::value::money::Money;

use super::model::*;

/// The registry as one YAML document, in the order of its lists.
pub fn to_yaml(registry: &Registry) -> String {
    let value = to_value(registry);
    // Serialising a JSON value cannot fail; JSON text is YAML as well, should it ever.
    serde_saphyr::to_string(&value).unwrap_or_else(|_| value.to_string())
}

/// The registry as the JSON value of its YAML document.
pub fn to_value(registry: &Registry) -> Value {
    let mut doc = Map::new();
    doc.insert("version".into(), json!(1));
    if let Some(default) = &registry.default_org {
        doc.insert("default_org".into(), json!(default.id));
    }
    let lists: [(&str, Vec<Value>); 7] = [
        ("sources", registry.sources.iter().map(source).collect()),
        (
            "organisations",
            registry.organisations.iter().map(organisation).collect(),
        ),
        ("stakes", registry.stakes.iter().map(stake).collect()),
        (
            "competitors",
            registry.competitors.iter().map(competitor).collect(),
        ),
        ("vendors", registry.vendors.iter().map(vendor).collect()),
        ("roles", registry.roles.iter().map(role).collect()),
        ("moves", registry.moves.iter().map(movement).collect()),
    ];
    for (key, items) in lists {
        if !items.is_empty() {
            doc.insert(key.into(), Value::Array(items));
        }
    }
    Value::Object(doc)
}

/// Builds a mapping from `(key, value)` pairs, leaving out absent (`Null`) values.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn opt<T: ToString>(value: &Option<T>) -> Value {
    value.as_ref().map_or(Value::Null, |v| json!(v.to_string()))
}

fn reference(r: &Option<Ref>) -> Value {
    r.as_ref().map_or(Value::Null, |r| json!(r.id))
}

fn list(items: &[String]) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        json!(items)
    }
}

/// Exact amount, in plain digits without a suffix.
fn money(m: &Money) -> Value {
    json!(format!("{} {}", m.amount, m.currency))
}

fn share(interval: &Interval) -> Value {
    if interval.is_exact() {
        return json!(interval.min);
    }
    if interval.is_unknown() {
        return json!("unknown");
    }
    let mut range = Map::new();
    range.insert("min".into(), json!(interval.min));
    range.insert("max".into(), json!(interval.max));
    if interval.min_exclusive {
        range.insert("min_exclusive".into(), json!(true));
    }
    if interval.max_exclusive {
        range.insert("max_exclusive".into(), json!(true));
    }
    Value::Object(range)
}

fn flag(value: bool, default: bool) -> Value {
    if value == default {
        Value::Null
    } else {
        json!(value)
    }
}

fn source(s: &Source) -> Value {
    object([
        ("id", json!(s.id.value)),
        ("title", json!(s.title)),
        ("publisher", opt(&s.publisher)),
        ("authors", list(&s.authors)),
        ("date", opt(&s.date)),
        ("url", opt(&s.url)),
        ("quote", opt(&s.quote)),
        ("secondary", flag(s.secondary, false)),
    ])
}

fn organisation(o: &Organisation) -> Value {
    let identifiers: Vec<Value> = o
        .identifiers
        .iter()
        .map(|i| json!({"scheme": i.scheme, "id": i.id}))
        .collect();
    let revenue: Vec<Value> = o
        .revenue
        .iter()
        .map(|r| {
            object([
                ("year", json!(r.year)),
                ("amount", money(&r.amount)),
                ("source", reference(&r.source)),
            ])
        })
        .collect();
    let valuation: Vec<Value> = o
        .valuation
        .iter()
        .map(|v| {
            object([
                ("date", json!(v.date.to_string())),
                ("amount", money(&v.amount)),
                ("source", reference(&v.source)),
            ])
        })
        .collect();
    object([
        ("id", json!(o.id.value)),
        ("name", json!(o.name)),
        ("kind", json!(o.kind.name())),
        ("aliases", list(&o.aliases)),
        ("country", opt(&o.country)),
        ("identifiers", non_empty(identifiers)),
        ("revenue", non_empty(revenue)),
        ("valuation", non_empty(valuation)),
        ("source", reference(&o.source)),
    ])
}

fn non_empty(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

fn stake(s: &Stake) -> Value {
    object([
        ("id", opt(&s.id)),
        ("owner", json!(s.owner.id)),
        ("owned", json!(s.owned.id)),
        ("economic", share(&s.economic.interval)),
        (
            "voting",
            s.voting
                .as_ref()
                .map_or(Value::Null, |v| share(&v.interval)),
        ),
        ("start", opt(&s.start.as_ref().map(|d| d.value))),
        ("end", opt(&s.end.as_ref().map(|d| d.value))),
        ("board", flag(s.board, false)),
        ("indirect", flag(s.indirect, false)),
        ("class", opt(&s.class)),
        (
            "consideration",
            s.consideration.as_ref().map_or(Value::Null, money),
        ),
        ("source", reference(&s.source)),
    ])
}

fn competitor(c: &Competitor) -> Value {
    object([
        ("of", json!(c.of.id)),
        ("competitor", json!(c.competitor.id)),
        ("tier", json!(c.tier.name())),
        ("markets", list(&c.markets)),
        ("source", reference(&c.source)),
    ])
}

fn vendor(v: &VendorRelationship) -> Value {
    let spend: Vec<Value> = v
        .spend
        .iter()
        .map(|s| {
            object([
                ("year", json!(s.year)),
                ("amount", money(&s.amount)),
                ("kind", json!(if s.planned { "planned" } else { "actual" })),
                ("source", reference(&s.source)),
            ])
        })
        .collect();
    let attestations: Vec<Value> = v
        .attestations
        .iter()
        .map(|a| {
            object([
                ("kind", json!(a.kind)),
                ("expires", opt(&a.expires)),
                ("source", reference(&a.source)),
            ])
        })
        .collect();
    object([
        ("customer", json!(v.customer.id)),
        ("vendor", json!(v.vendor.id)),
        ("services", list(&v.services)),
        ("data_shared", list(&v.data_shared)),
        ("spend", non_empty(spend)),
        ("status", json!(v.status.value.name())),
        ("status_date", opt(&v.status_date)),
        ("last_review", opt(&v.last_review.as_ref().map(|d| d.value))),
        (
            "contract",
            v.contract.as_ref().map_or(Value::Null, |c| {
                object([
                    ("start", opt(&c.start.as_ref().map(|d| d.value))),
                    ("end", opt(&c.end.as_ref().map(|d| d.value))),
                ])
            }),
        ),
        ("attestations", non_empty(attestations)),
        ("source", reference(&v.source)),
    ])
}

fn role(r: &Role) -> Value {
    object([
        ("person", json!(r.person.id)),
        ("org", json!(r.org.id)),
        ("role", json!(r.role)),
        ("key", flag(r.key, true)),
        ("start", opt(&r.start.as_ref().map(|d| d.value))),
        ("end", opt(&r.end.as_ref().map(|d| d.value))),
        ("source", reference(&r.source)),
    ])
}

fn movement(m: &Move) -> Value {
    object([
        ("person", json!(m.person.id)),
        ("from", json!(m.from.id)),
        ("to", json!(m.to.id)),
        ("date", json!(m.date.value.to_string())),
        ("role", opt(&m.role)),
        ("note", opt(&m.note)),
        ("source", reference(&m.source)),
    ])
}

#[cfg(test)]
mod tests {
    use crate::input::limits::Limits;
    use crate::input::source::{SourceFile, SourceMap};
    use crate::registry::{load_files, to_value, to_yaml};

    #[test]
    fn the_seeded_registry_reads_back_the_same() {
        let limits = Limits::default();
        let mut sources = SourceMap::new();
        let seeded = load_files(
            crate::input::embedded::registry_files(),
            &mut sources,
            &limits,
        )
        .expect("the seeded registry loads");
        let text = to_yaml(&seeded);
        let again = load_files(
            vec![SourceFile::new("again.yaml", None, text.as_str())],
            &mut sources,
            &limits,
        )
        .unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
        assert_eq!(to_value(&seeded), to_value(&again));
        assert!(text.contains("consideration: 14300000000 USD"), "{text}");
    }
}

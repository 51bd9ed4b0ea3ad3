//! Builds the fact tree a policy reads (the fact model of docs/policies.md) for one vendor
//! relationship, from the registry and the ownership world.

use std::cell::RefCell;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::input::source::Loc;
use crate::ownership::{Explained, Method, NodeId, OwnersView};
use crate::policy::facts::{Deferred, Fact, FactObject, FactValue, Origin};
use crate::policy::{Policy, TraceNode};
use crate::registry::{Organisation, Ref, Spend, VendorRelationship};
use crate::value::date::Date;
use crate::value::interval::Interval;
use crate::value::truth::Truth;

use super::world::{World, spend_in};

/// The three roots of the fact model for one relationship, and what resolves the positions
/// they leave to be found on demand.
pub struct Roots<'w> {
    pub org: Fact,
    pub relationship: Fact,
    pub vendor: Fact,
    owners: Option<Owners<'w>>,
}

/// The vendor's owners under the roots' method, with the explanations already asked for.
struct Owners<'w> {
    world: &'w World<'w>,
    view: OwnersView<'w>,
    explained: RefCell<HashMap<NodeId, Arc<Explained>>>,
}

/// What the policies of a run read that costs more than the rest of the fact tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Demand {
    /// Some policy reads `owner.paths`: every owner's paths are searched. Otherwise the list is
    /// left empty, since nothing reads it.
    pub owner_paths: bool,
}

impl Demand {
    pub fn of<'p>(policies: impl IntoIterator<Item = &'p Policy>) -> Demand {
        Demand {
            owner_paths: policies.into_iter().any(|p| p.reads_field("paths")),
        }
    }
}

fn origin(loc: Loc, source: Option<&Ref>) -> Origin {
    Origin {
        loc: Some(loc),
        sources: source.map(|s| vec![s.id.clone()]).unwrap_or_default(),
        deferred: None,
    }
}

/// The deferred position of an owner's economic or voting share.
fn owner_share_origin(owner: NodeId, voting: bool) -> Origin {
    Origin {
        deferred: Some(Deferred(((owner as u64) << 1) | u64::from(voting))),
        ..Origin::default()
    }
}

fn text(value: impl Into<String>, origin: Origin) -> Fact {
    Fact::new(FactValue::Text(value.into()), origin)
}

fn set(values: &[String], origin: Origin) -> Fact {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    Fact::new(FactValue::TextSet(values), origin)
}

fn truth_fact(truth: Truth, origin: Origin) -> Fact {
    match truth {
        Truth::True => Fact::new(FactValue::Bool(true), origin),
        Truth::False => Fact::new(FactValue::Bool(false), origin),
        Truth::Unknown => Fact::new(FactValue::Unknown, origin),
    }
}

fn object(fact: FactObject) -> Fact {
    let origin = fact.origin.clone();
    Fact::new(FactValue::Object(Arc::new(fact)), origin)
}

pub fn org_fact(org: &Organisation) -> Fact {
    let mut o = FactObject::new("org", origin(org.id.loc, org.source.as_ref()));
    o.set("id", text(&org.id.value, origin(org.id.loc, None)));
    o.set(
        "name",
        text(&org.name, origin(org.loc, org.source.as_ref())),
    );
    object(o)
}

pub fn roots<'w>(
    world: &'w World<'w>,
    relationship: &VendorRelationship,
    method: Method,
    demand: Demand,
) -> Roots<'w> {
    let org = &world.registry.organisations[world.org];
    let owners = owners(world, relationship, method);
    let vendor = vendor_fact(world, relationship, owners.as_ref(), demand);
    Roots {
        org: org_fact(org),
        relationship: relationship_fact(world, relationship),
        vendor,
        owners,
    }
}

fn owners<'w>(
    world: &'w World<'w>,
    relationship: &VendorRelationship,
    method: Method,
) -> Option<Owners<'w>> {
    world
        .registry
        .org_index(&relationship.vendor.id)
        .map(|vendor| Owners {
            world,
            view: world.graph.owners_view(vendor, method),
            explained: RefCell::new(HashMap::new()),
        })
}

impl<'w> Roots<'w> {
    /// The roots of the same relationship under another method: the organisation's and the
    /// relationship's facts do not depend on it and are shared, not built again.
    pub fn under(
        &self,
        world: &'w World<'w>,
        relationship: &VendorRelationship,
        method: Method,
        demand: Demand,
    ) -> Roots<'w> {
        let owners = owners(world, relationship, method);
        Roots {
            org: self.org.clone(),
            relationship: self.relationship.clone(),
            vendor: vendor_fact(world, relationship, owners.as_ref(), demand),
            owners,
        }
    }

    /// `origin` with a deferred position looked up.
    pub fn resolve(&self, origin: &Origin) -> Origin {
        match (origin.deferred, &self.owners) {
            (Some(Deferred(key)), Some(owners)) => {
                owners.share_origin((key >> 1) as NodeId, key & 1 == 1)
            }
            _ => origin.clone(),
        }
    }

    /// Every position in a trace looked up.
    pub fn resolve_trace(&self, trace: &mut TraceNode) {
        for (_, _, origin) in &mut trace.facts {
            if origin.deferred.is_some() {
                *origin = self.resolve(origin);
            }
        }
        for child in &mut trace.children {
            self.resolve_trace(child);
        }
    }

    /// The share of `owner` in the vendor and the paths behind it, under the roots' method.
    pub fn explain(&self, owner: NodeId) -> Option<Arc<Explained>> {
        self.owners.as_ref().map(|owners| owners.explain(owner))
    }
}

impl Owners<'_> {
    fn explain(&self, owner: NodeId) -> Arc<Explained> {
        if let Some(explained) = self.explained.borrow().get(&owner) {
            return explained.clone();
        }
        let explained = Arc::new(self.view.explain(owner));
        self.explained.borrow_mut().insert(owner, explained.clone());
        explained
    }

    /// An owner's position: the first stake of its largest path, else its declaration.
    fn share_origin(&self, owner: NodeId, voting: bool) -> Origin {
        let registry = self.world.registry;
        let explained = self.explain(owner);
        let first_stake = explained
            .paths
            .first()
            .and_then(|p| p.stakes.first())
            .map(|&s| &registry.stakes[s]);
        match first_stake {
            None => {
                let org = &registry.organisations[owner];
                origin(org.loc, org.source.as_ref())
            }
            Some(s) if voting => origin(
                s.voting.as_ref().map_or(s.economic.loc, |v| v.loc),
                s.source.as_ref(),
            ),
            Some(s) => origin(s.economic.loc, s.source.as_ref()),
        }
    }
}

fn relationship_fact(world: &World, rel: &VendorRelationship) -> Fact {
    let here = |loc| origin(loc, rel.source.as_ref());
    let mut o = FactObject::with_capacity("relationship", here(rel.loc), 11);
    o.set("customer", text(&rel.customer.id, here(rel.customer.loc)));
    o.set("vendor", text(&rel.vendor.id, here(rel.vendor.loc)));
    o.set("services", set(&rel.services, here(rel.loc)));
    o.set("data_shared", set(&rel.data_shared, here(rel.loc)));
    o.set(
        "status",
        text(rel.status.value.name(), here(rel.status.loc)),
    );
    o.set(
        "status_date",
        rel.status_date.map_or_else(Fact::unknown, |d| {
            Fact::new(FactValue::Date(d), here(rel.status.loc))
        }),
    );
    // A review recorded after the evaluation date says nothing about the last review before
    // it: as of that date the last review is unknown, not this later one.
    o.set(
        "last_review",
        rel.last_review
            .as_ref()
            .filter(|d| d.value <= world.as_of)
            .map_or_else(Fact::unknown, |d| {
                Fact::new(FactValue::Date(d.value), here(d.loc))
            }),
    );
    let contract = rel.contract.as_ref();
    for (name, date) in [
        ("contract_start", contract.and_then(|c| c.start.as_ref())),
        ("contract_end", contract.and_then(|c| c.end.as_ref())),
    ] {
        o.set(
            name,
            date.map_or_else(Fact::unknown, |d| {
                Fact::new(FactValue::Date(d.value), here(d.loc))
            }),
        );
    }
    // Every spend figure is of the evaluation year; an earlier year's figure never stands in.
    let year = world.as_of.year();
    let spend = spend_in(&rel.spend, year);
    o.set(
        "spend",
        spend.map_or_else(Fact::unknown, |s| {
            Fact::new(FactValue::Money(s.amount.clone()), here(s.loc))
        }),
    );
    o.set(
        "spend_kind",
        spend.map_or_else(Fact::unknown, |s| {
            text(if s.planned { "planned" } else { "actual" }, here(s.loc))
        }),
    );
    o.set(
        "spend_year",
        Fact::plain(FactValue::Number(f64::from(year))),
    );
    o.set("revenue_share", revenue_share(world, rel, spend));
    o.set("category_share", category_share(world, rel, spend));
    let attestations = rel
        .attestations
        .iter()
        .map(|a| {
            let mut att = FactObject::new("attestation", here(a.loc));
            att.set("kind", text(&a.kind, here(a.loc)));
            att.set(
                "expires",
                a.expires.map_or_else(Fact::unknown, |d| {
                    Fact::new(FactValue::Date(d), here(a.loc))
                }),
            );
            object(att)
        })
        .collect();
    o.set("attestations", Fact::plain(FactValue::List(attestations)));
    object(o)
}

/// Our spend in the evaluation year as a share of the vendor's revenue in that same year;
/// unknown when either figure is missing (an earlier year's ratio never stands in).
fn revenue_share(world: &World, rel: &VendorRelationship, spend: Option<&Spend>) -> Fact {
    let (Some(spend), Some(vendor)) = (spend, world.registry.org(&rel.vendor.id)) else {
        return Fact::unknown();
    };
    let Some(revenue) = vendor.revenue.iter().find(|r| r.year == spend.year) else {
        return Fact::unknown();
    };
    let Some(pct) = spend.amount.percent_of(&revenue.amount) else {
        return Fact::unknown();
    };
    let mut sources: Vec<String> = rel.source.iter().map(|s| s.id.clone()).collect();
    sources.extend(revenue.source.iter().map(|s| s.id.clone()));
    sources.sort();
    sources.dedup();
    Fact::new(
        FactValue::Percent(Interval::exact(pct.min(100.0))),
        Origin {
            loc: Some(spend.loc),
            sources,
            deferred: None,
        },
    )
}

/// The largest share of our spend in one of this vendor's services that this vendor takes,
/// in the evaluation year (the year of `spend`). A sibling relationship in the same service
/// whose spend that year is unknown could be any size, so the lower bound drops to 0.
fn category_share(world: &World, rel: &VendorRelationship, spend: Option<&Spend>) -> Fact {
    let Some(spend) = spend else {
        return Fact::unknown();
    };
    let mut best: Option<Interval> = None;
    let customer = rel.customer.id.as_str();
    for service in &rel.services {
        // The relationships of the customer that buy this service and are not ended, from the
        // index: those with a spend figure in this currency that year are known, the others
        // could be any size.
        let members = world
            .index
            .category_members
            .get(&(customer, service.as_str()))
            .copied()
            .unwrap_or(0);
        let known = world
            .index
            .category_spend
            .get(&(customer, service.as_str(), spend.year))
            .and_then(|totals| totals.iter().find(|t| t.currency == spend.amount.currency));
        let Some((Some(total), counted)) = known.map(|k| (k.total.as_ref(), k.relationships))
        else {
            continue;
        };
        let Some(max) = spend.amount.percent_of(total) else {
            continue;
        };
        let max = max.min(100.0);
        let unknown = members > counted;
        let share = Interval::closed(if unknown { 0.0 } else { max }, max);
        best = Some(match best {
            Some(b) if b.max >= share.max => b,
            _ => share,
        });
    }
    best.map_or_else(Fact::unknown, |share| {
        Fact::new(
            FactValue::Percent(share),
            origin(spend.loc, rel.source.as_ref()),
        )
    })
}

fn vendor_fact(
    world: &World,
    rel: &VendorRelationship,
    owners: Option<&Owners>,
    demand: Demand,
) -> Fact {
    let registry = world.registry;
    let Some(node) = registry.org_index(&rel.vendor.id) else {
        return Fact::unknown();
    };
    let vendor = &registry.organisations[node];
    let here = |loc| origin(loc, vendor.source.as_ref());
    let mut o = FactObject::with_capacity("organisation", here(vendor.loc), 11);
    o.set("id", text(&vendor.id.value, here(vendor.id.loc)));
    o.set("name", text(&vendor.name, here(vendor.loc)));
    o.set("kind", text(vendor.kind.name(), here(vendor.loc)));
    o.set(
        "country",
        vendor
            .country
            .as_ref()
            .map_or_else(Fact::unknown, |c| text(c, here(vendor.loc))),
    );
    o.set("aliases", set(&vendor.aliases, here(vendor.loc)));
    let year = world.as_of.year();
    let revenue = vendor
        .revenue
        .iter()
        .filter(|r| r.year <= year)
        .max_by_key(|r| r.year);
    o.set(
        "revenue",
        revenue.map_or_else(Fact::unknown, |r| {
            Fact::new(
                FactValue::Money(r.amount.clone()),
                origin(r.loc, r.source.as_ref()),
            )
        }),
    );
    o.set(
        "revenue_year",
        revenue.map_or_else(Fact::unknown, |r| {
            Fact::new(
                FactValue::Number(r.year as f64),
                origin(r.loc, r.source.as_ref()),
            )
        }),
    );
    let valuation = vendor
        .valuation
        .iter()
        .filter(|v| v.date <= world.as_of)
        .max_by_key(|v| v.date);
    o.set(
        "valuation",
        valuation.map_or_else(Fact::unknown, |v| {
            Fact::new(
                FactValue::Money(v.amount.clone()),
                origin(v.loc, v.source.as_ref()),
            )
        }),
    );
    let competitor = world
        .competitors
        .get(&node)
        .map_or(Truth::False, |m| m.certain);
    o.set("competitor", truth_fact(competitor, here(vendor.loc)));
    o.set(
        "owners",
        Fact::plain(FactValue::List(
            owners.map_or_else(Vec::new, |owners| owner_facts(world, owners, demand)),
        )),
    );
    o.set("people", Fact::plain(FactValue::List(people(world, node))));
    object(o)
}

/// The sources cited by the stakes of an ownership path, in path order.
pub fn path_sources(registry: &crate::registry::Registry, stakes: &[usize]) -> Vec<String> {
    stakes
        .iter()
        .filter_map(|&s| registry.stakes[s].source.as_ref())
        .map(|s| s.id.clone())
        .collect()
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Integrated => "integrated",
        Method::ControlChain { .. } => "control-chain",
    }
}

/// The effective owners of the vendor, largest first, each with its paths when a policy reads
/// them.
fn owner_facts(world: &World, owners: &Owners, demand: Demand) -> Vec<Fact> {
    let vendor = owners.view.entity();
    let method = owners.view.method();
    let board = BoardControl::new(world, vendor);
    owners
        .view
        .owners()
        .iter()
        .map(|&(owner, share)| {
            // With the paths searched anyway, the positions are known; otherwise they are
            // found only for the facts a finding or a trace shows.
            let explained = demand.owner_paths.then(|| owners.explain(owner));
            let (share_origin, voting_origin) = match explained {
                Some(_) => (
                    owners.share_origin(owner, false),
                    owners.share_origin(owner, true),
                ),
                None => (
                    owner_share_origin(owner, false),
                    owner_share_origin(owner, true),
                ),
            };
            let mut o = FactObject::extending(owner_base(world, owner), share_origin.clone(), 6);
            o.set(
                "economic",
                Fact::new(FactValue::Percent(share.economic), share_origin),
            );
            o.set(
                "voting",
                Fact::new(FactValue::Percent(share.voting), voting_origin),
            );
            o.set(
                "method",
                Fact::plain(FactValue::Text(method_name(method).into())),
            );
            o.set("board", board.of(owner));
            let paths = explained.map_or_else(Vec::new, |explained| {
                explained
                    .paths
                    .iter()
                    .map(|path| path_fact(world, path))
                    .collect()
            });
            o.set("paths", Fact::plain(FactValue::List(paths)));
            object(o)
        })
        .collect()
}

/// The facts of `owner` that are the same in every vendor it owns, built once per run.
fn owner_base(world: &World, owner: NodeId) -> Arc<FactObject> {
    world.owner_facts[owner]
        .get_or_init(|| {
            let registry = world.registry;
            let org = &registry.organisations[owner];
            let mut o = FactObject::with_capacity("owner", Origin::default(), 11);
            o.set("id", text(&org.id.value, origin(org.id.loc, None)));
            o.set(
                "name",
                text(&org.name, origin(org.loc, org.source.as_ref())),
            );
            o.set("kind", text(org.kind.name(), origin(org.loc, None)));
            let membership = world.competitors.get(&owner);
            let declaration = membership.map(|m| &registry.competitors[m.declaration]);
            let competitor_origin = declaration.map_or_else(Origin::default, |d| {
                origin(d.competitor.loc, d.source.as_ref())
            });
            o.set(
                "competitor",
                truth_fact(
                    membership.map_or(Truth::False, |m| m.certain),
                    competitor_origin.clone(),
                ),
            );
            o.set(
                "group",
                membership.map_or_else(
                    || text(&org.id.value, Origin::default()),
                    |m| text(world.id(m.group), competitor_origin.clone()),
                ),
            );
            o.set(
                "tier",
                text(
                    membership.map_or("none", |m| m.tier.name()),
                    competitor_origin.clone(),
                ),
            );
            let group = membership.map(|m| m.group);
            let leader = group.unwrap_or(owner);
            let competitor_name = registry.organisations[leader].name.as_str();
            o.set(
                "competitor_name",
                text(competitor_name, competitor_origin.clone()),
            );
            o.set(
                "via",
                text(via(world, owner, group), competitor_origin.clone()),
            );
            let holder = if leader != owner {
                format!("{competitor_name} (through {})", org.name)
            } else {
                org.name.clone()
            };
            o.set("holder", text(holder, competitor_origin.clone()));
            o.set(
                "markets",
                set(
                    &membership.map(|m| m.markets.clone()).unwrap_or_default(),
                    competitor_origin,
                ),
            );
            o.set(
                "is_self",
                truth_fact(
                    world.own_group.get(&owner).copied().unwrap_or(Truth::False),
                    Origin::default(),
                ),
            );
            Arc::new(o)
        })
        .clone()
}

/// The names along [`group_chain`], as `owner.via` reads: in full up to
/// [`super::finding::ROUTE_LINKS`] links, else its two ends around the number of links between
/// them, as reports shorten a route (a chain of 30,000 companies is not spelled out for each of
/// its members).
fn via(world: &World, owner: NodeId, group: Option<NodeId>) -> String {
    let registry = world.registry;
    let name = |node: NodeId| registry.organisations[node].name.as_str();
    let long = group
        .filter(|&leader| leader != owner)
        .and_then(|leader| {
            let length = world
                .group_tree(leader)?
                .chain_length(&world.graph, owner)?;
            Some((leader, length))
        })
        .filter(|&(_, length)| length > super::finding::ROUTE_LINKS);
    if let Some((leader, length)) = long {
        return format!(
            "{} → … {} links … → {}",
            name(leader),
            length - 2,
            name(owner)
        );
    }
    let (chain, _) = group_chain(world, owner, group);
    let names: Vec<&str> = chain.iter().map(|&n| name(n)).collect();
    names.join(" → ")
}

/// The organisations from the declared competitor whose group `owner` is in down to `owner`,
/// along the chain of control that makes it a member (just `owner` when it is the declared
/// competitor, or in no competitor's group), with the stakes between them.
pub fn group_chain(
    world: &World,
    owner: NodeId,
    group: Option<NodeId>,
) -> (Vec<NodeId>, Vec<usize>) {
    let Some(leader) = group.filter(|&leader| leader != owner) else {
        return (vec![owner], Vec::new());
    };
    // The first path `explain` lists from the leader under the control-chain method, from the
    // leader's control tree (one walk for the whole group).
    let chain = match world.group_tree(leader) {
        Some(tree) => tree.chain_to(&world.graph, owner),
        None => world
            .graph
            .explain(
                leader,
                owner,
                Method::ControlChain {
                    threshold: super::world::GROUP_CONTROL_THRESHOLD,
                },
            )
            .paths
            .into_iter()
            .next()
            .map(|path| (path.nodes, path.stakes)),
    };
    // A member is controlled through some chain; were none found, the owner stands alone.
    chain.unwrap_or_else(|| (vec![owner], Vec::new()))
}

fn path_fact(world: &World, path: &crate::ownership::OwnershipPath) -> Fact {
    let registry = world.registry;
    let route: Vec<&str> = path.nodes.iter().map(|&n| world.id(n)).collect();
    let first = path.stakes.first().map(|&s| &registry.stakes[s]);
    let path_origin = Origin {
        loc: first.map(|s| s.loc),
        sources: path_sources(registry, &path.stakes),
        deferred: None,
    };
    let mut p = FactObject::new("path", path_origin.clone());
    p.set("route", text(route.join(" → "), path_origin.clone()));
    p.set(
        "economic",
        Fact::new(FactValue::Percent(path.economic), path_origin.clone()),
    );
    p.set(
        "voting",
        Fact::new(FactValue::Percent(path.voting), path_origin),
    );
    object(p)
}

/// Board control of the vendor: the active stakes marked `board` in it, and for each the
/// groups its holder is in, found once per vendor (one control-chain walk back from the
/// holder) rather than once per owner.
struct BoardControl<'r> {
    registry: &'r crate::registry::Registry,
    /// (stake, holder, the organisations whose group includes the holder, and how certainly).
    stakes: Vec<(usize, NodeId, HashMap<NodeId, Truth>)>,
}

impl<'r> BoardControl<'r> {
    fn new(world: &World<'r>, vendor: NodeId) -> BoardControl<'r> {
        let registry = world.registry;
        let stakes = world
            .index
            .board_stakes
            .get(&vendor)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&index| {
                let holder = registry.org_index(&registry.stakes[index].owner.id)?;
                Some((index, holder, world.groups_including(holder)))
            })
            .collect();
        BoardControl { registry, stakes }
    }

    /// Whether the owner's group holds board control of the vendor: an active stake marked
    /// `board` from the owner, or from something the owner controls, into the vendor.
    fn of(&self, owner: NodeId) -> Fact {
        let mut result = Truth::False;
        let mut at = Origin::default();
        for (index, holder, groups) in &self.stakes {
            let member = if *holder == owner {
                Truth::True
            } else {
                groups.get(&owner).copied().unwrap_or(Truth::False)
            };
            if member > result {
                result = member;
                let stake = &self.registry.stakes[*index];
                at = origin(stake.loc, stake.source.as_ref());
            }
        }
        truth_fact(result, at)
    }
}

/// Key people of the vendor (a key role there started by the evaluation date), with their
/// moves away from it up to that date.
fn people(world: &World, vendor: NodeId) -> Vec<Fact> {
    let registry = world.registry;
    let vendor_id = world.id(vendor);
    let as_of = world.as_of;
    let roles_here: Vec<&crate::registry::Role> = world
        .index
        .roles_by_org
        .get(vendor_id)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|&i| &registry.roles[i])
        .collect();
    let mut ids: Vec<&str> = roles_here
        .iter()
        .filter(|r| {
            r.org.id == vendor_id && r.key && started(r.start.as_ref().map(|d| d.value), as_of)
        })
        .map(|r| r.person.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let person = registry.org(id)?;
            let roles: Vec<&crate::registry::Role> = roles_here
                .iter()
                .copied()
                .filter(|r| r.person.id == id)
                .collect();
            let here = origin(person.loc, person.source.as_ref());
            let mut o = FactObject::new("person", here.clone());
            o.set("id", text(id, origin(person.id.loc, None)));
            o.set("name", text(&person.name, here.clone()));
            let role_names: Vec<String> = roles.iter().map(|r| r.role.clone()).collect();
            o.set("roles", set(&role_names, here.clone()));
            let current = roles.iter().any(|r| {
                started(r.start.as_ref().map(|d| d.value), as_of)
                    && r.end.as_ref().is_none_or(|e| e.value >= as_of)
            });
            o.set("current", Fact::new(FactValue::Bool(current), here));
            let moves = world
                .index
                .moves_by_from
                .get(vendor_id)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .map(|&i| &registry.moves[i])
                .filter(|m| m.person.id == id && m.date.value <= as_of)
                .map(|m| {
                    let at = origin(m.loc, m.source.as_ref());
                    let to = registry.org_index(&m.to.id);
                    let membership = to.and_then(|n| world.competitors.get(&n));
                    let mut mv = FactObject::new("move", at.clone());
                    mv.set("from", text(&m.from.id, origin(m.from.loc, None)));
                    mv.set("to", text(&m.to.id, origin(m.to.loc, m.source.as_ref())));
                    mv.set("to_name", text(registry.name_of(&m.to.id), at.clone()));
                    mv.set(
                        "date",
                        Fact::new(
                            FactValue::Date(m.date.value),
                            origin(m.date.loc, m.source.as_ref()),
                        ),
                    );
                    mv.set(
                        "role",
                        m.role
                            .as_ref()
                            .map_or_else(Fact::unknown, |r| text(r, at.clone())),
                    );
                    let competitor_origin = membership.map_or_else(Origin::default, |mb| {
                        let d = &registry.competitors[mb.declaration];
                        origin(d.competitor.loc, d.source.as_ref())
                    });
                    mv.set(
                        "competitor",
                        truth_fact(
                            membership.map_or(Truth::False, |mb| mb.certain),
                            competitor_origin.clone(),
                        ),
                    );
                    mv.set(
                        "tier",
                        text(
                            membership.map_or("none", |mb| mb.tier.name()),
                            competitor_origin,
                        ),
                    );
                    object(mv)
                })
                .collect();
            o.set("moves", Fact::plain(FactValue::List(moves)));
            Some(object(o))
        })
        .collect()
}

fn started(start: Option<Date>, as_of: Date) -> bool {
    start.is_none_or(|s| s <= as_of)
}

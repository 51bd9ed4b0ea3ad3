//! Derived facts, computed once per run: the ownership graph on the evaluation date, and the
//! competitor groups of the evaluating organisation.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use foldhash::{HashMap, HashMapExt};

use crate::input::diagnostic::Problem;
use crate::ownership::{ControlTree, Edge, Graph, Method, NodeId, Share};
use crate::policy::facts::FactObject;
use crate::registry::{Registry, Tier};
use crate::value::date::Date;
use crate::value::interval::Interval;
use crate::value::money::Money;
use crate::value::truth::Truth;

/// Control threshold used to form groups (a company and what it controls), in percent.
pub const GROUP_CONTROL_THRESHOLD: f64 = 50.0;

/// Membership of a competitor group.
#[derive(Clone, Debug, PartialEq)]
pub struct CompetitorMembership {
    /// Certain when the member is the declared competitor or certainly controlled by it.
    pub certain: Truth,
    /// The declared competitor whose group this is.
    pub group: NodeId,
    pub tier: Tier,
    pub markets: Vec<String>,
    /// Index of the `competitors` entry that declares the group.
    pub declaration: usize,
}

/// The ownership world on one date, seen from one organisation.
pub struct World<'r> {
    pub registry: &'r Registry,
    pub as_of: Date,
    pub org: NodeId,
    pub graph: Graph,
    /// Stake index of each graph edge (graph edges echo it back in paths).
    pub active_stakes: Vec<usize>,
    /// For each organisation that is in a competitor group of `org`: its membership.
    pub competitors: HashMap<NodeId, CompetitorMembership>,
    /// The chains of control from each declared competitor to the members of its group, built
    /// when a member's chain is first asked for ([`World::group_tree`]).
    group_trees: HashMap<NodeId, OnceLock<ControlTree>>,
    /// Whether each organisation belongs to `org`'s own group.
    pub own_group: HashMap<NodeId, Truth>,
    /// Warnings about the data found while deriving (declared indirect interests that disagree
    /// with computed chains).
    pub warnings: Vec<Problem>,
    /// Look-ups that keep fact building linear in the size of the registry.
    pub index: Index<'r>,
    /// The facts of each organisation as an owner that do not depend on what it owns (its
    /// name, kind and competitor group), built the first time it is an owner and shared by
    /// every vendor it owns.
    pub(crate) owner_facts: Vec<OnceLock<Arc<FactObject>>>,
}

/// Registry items grouped by the organisation they hang off.
#[derive(Default)]
pub struct Index<'r> {
    /// Active stakes marked `board`, by the organisation they are in.
    pub board_stakes: HashMap<NodeId, Vec<usize>>,
    /// Vendor relationships by customer id.
    pub vendors_by_customer: HashMap<&'r str, Vec<usize>>,
    /// Roles by the organisation they are held at.
    pub roles_by_org: HashMap<&'r str, Vec<usize>>,
    /// Moves by the organisation they leave.
    pub moves_by_from: HashMap<&'r str, Vec<usize>>,
    /// Per customer and service: how many of its relationships that are not ended buy the
    /// service.
    pub category_members: HashMap<(&'r str, &'r str), usize>,
    /// Per customer, service and year: the spend of those relationships that year, by currency
    /// (total and how many relationships it sums), in registry order.
    pub category_spend: HashMap<(&'r str, &'r str, i32), Vec<CategorySpend<'r>>>,
}

/// What a customer's relationships in one service spent in one year in one currency.
#[derive(Clone, Debug, PartialEq)]
pub struct CategorySpend<'r> {
    pub currency: &'r str,
    /// The exact sum, `None` once it exceeds what an exact amount can hold.
    pub total: Option<Money>,
    pub relationships: usize,
}

/// The spend figure of one year: actual before planned.
pub fn spend_in(spend: &[crate::registry::Spend], year: i32) -> Option<&crate::registry::Spend> {
    spend
        .iter()
        .filter(|s| s.year == year)
        .max_by_key(|s| !s.planned)
}

impl<'r> Index<'r> {
    fn new(registry: &'r Registry, active_stakes: &[usize]) -> Index<'r> {
        let mut index = Index::default();
        for &s in active_stakes {
            let stake = &registry.stakes[s];
            if let (true, Some(owned)) = (stake.board, registry.org_index(&stake.owned.id)) {
                index.board_stakes.entry(owned).or_default().push(s);
            }
        }
        index.vendors_by_customer = group_by(&registry.vendors, |v| &v.customer.id);
        index.roles_by_org = group_by(&registry.roles, |r| &r.org.id);
        index.moves_by_from = group_by(&registry.moves, |m| &m.from.id);
        index.sum_category_spend(&registry.vendors);
        index
    }

    /// Spend and relationship counts per customer, service and year, summed once in registry
    /// order so that every relationship's category share reads a total instead of rescanning
    /// its siblings (and the sums are bit-identical run to run).
    fn sum_category_spend(&mut self, vendors: &'r [crate::registry::VendorRelationship]) {
        for v in vendors
            .iter()
            .filter(|v| v.status.value != crate::registry::Status::Ended)
        {
            let customer = v.customer.id.as_str();
            let mut services: Vec<&str> = v.services.iter().map(String::as_str).collect();
            services.sort_unstable();
            services.dedup();
            let mut years: Vec<i32> = v.spend.iter().map(|s| s.year).collect();
            years.sort_unstable();
            years.dedup();
            for &service in &services {
                *self
                    .category_members
                    .entry((customer, service))
                    .or_default() += 1;
                for &year in &years {
                    let Some(s) = spend_in(&v.spend, year) else {
                        continue;
                    };
                    let totals = self
                        .category_spend
                        .entry((customer, service, year))
                        .or_default();
                    match totals.iter_mut().find(|t| t.currency == s.amount.currency) {
                        Some(t) => {
                            t.total = t.total.as_ref().and_then(|sum| sum.checked_add(&s.amount));
                            t.relationships += 1;
                        }
                        None => totals.push(CategorySpend {
                            currency: &s.amount.currency,
                            total: Some(s.amount.clone()),
                            relationships: 1,
                        }),
                    }
                }
            }
        }
    }
}

/// Positions of `items` grouped by the id `key` gives each.
fn group_by<'r, T>(
    items: &'r [T],
    key: impl Fn(&'r T) -> &'r String,
) -> HashMap<&'r str, Vec<usize>> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        groups.entry(key(item).as_str()).or_default().push(i);
    }
    groups
}

impl<'r> World<'r> {
    pub fn new(registry: &'r Registry, org: NodeId, as_of: Date) -> World<'r> {
        let (graph, active_stakes, warnings) = build_graph(registry, as_of);
        let index = Index::new(registry, &active_stakes);
        let mut world = World {
            registry,
            as_of,
            org,
            graph,
            active_stakes,
            competitors: HashMap::new(),
            group_trees: HashMap::new(),
            own_group: HashMap::new(),
            warnings,
            index,
            owner_facts: (0..registry.organisations.len())
                .map(|_| OnceLock::new())
                .collect(),
        };
        world.competitors = world.competitor_groups();
        let mut leaders: Vec<NodeId> = world.competitors.values().map(|m| m.group).collect();
        leaders.sort_unstable();
        leaders.dedup();
        world.group_trees = leaders
            .into_iter()
            .map(|leader| (leader, OnceLock::new()))
            .collect();
        world.own_group = world.group_of(org);
        world
    }

    /// The control tree of `leader`, a declared competitor heading a group; `None` for any
    /// other organisation.
    pub fn group_tree(&self, leader: NodeId) -> Option<&ControlTree> {
        let tree = self.group_trees.get(&leader)?;
        Some(tree.get_or_init(|| self.graph.control_tree(leader, GROUP_CONTROL_THRESHOLD)))
    }

    pub fn node(&self, id: &str) -> Option<NodeId> {
        self.registry.org_index(id)
    }

    pub fn id(&self, node: NodeId) -> &str {
        &self.registry.organisations[node].id.value
    }

    /// The organisation and everything it controls (certainly or possibly).
    pub fn group_of(&self, leader: NodeId) -> HashMap<NodeId, Truth> {
        let mut group: HashMap<NodeId, Truth> = [(leader, Truth::True)].into_iter().collect();
        let method = Method::ControlChain {
            threshold: GROUP_CONTROL_THRESHOLD,
        };
        for (entity, share) in self.graph.holdings_of(leader, method) {
            let controlled = share.voting.ge(GROUP_CONTROL_THRESHOLD);
            if controlled != Truth::False {
                group.insert(entity, controlled);
            }
        }
        group
    }

    /// Whether `member` is in the group of `leader` ([`World::group_of`]): without computing
    /// the whole group, from the control-chain share of `leader` in `member` alone, which only
    /// looks at `member`'s owners and is the figure `group_of` reads.
    pub fn in_group_of(&self, leader: NodeId, member: NodeId) -> Truth {
        if leader == member {
            return Truth::True;
        }
        let method = Method::ControlChain {
            threshold: GROUP_CONTROL_THRESHOLD,
        };
        self.graph
            .share(leader, member, method)
            .voting
            .ge(GROUP_CONTROL_THRESHOLD)
    }

    /// Every organisation whose group ([`World::group_of`]) includes `member`, with how
    /// certainly, `member` itself excluded: [`World::in_group_of`] for every leader at once, by
    /// one control-chain walk back from `member`.
    pub fn groups_including(&self, member: NodeId) -> HashMap<NodeId, Truth> {
        let method = Method::ControlChain {
            threshold: GROUP_CONTROL_THRESHOLD,
        };
        self.graph
            .owners_of(member, method)
            .into_iter()
            .map(|(leader, share)| (leader, share.voting.ge(GROUP_CONTROL_THRESHOLD)))
            .filter(|&(_, member)| member != Truth::False)
            .collect()
    }

    fn competitor_groups(&self) -> HashMap<NodeId, CompetitorMembership> {
        let mut members: HashMap<NodeId, CompetitorMembership> = HashMap::new();
        let org_id = self.id(self.org).to_string();
        for (index, declaration) in self.registry.competitors.iter().enumerate() {
            if declaration.of.id != org_id {
                continue;
            }
            let Some(leader) = self.node(&declaration.competitor.id) else {
                continue;
            };
            // A leader certainly controlled by an earlier declared competitor of a tier at
            // least as serious: that competitor controls everything this one does, at least as
            // certainly, so this group can win no member (and a list of competitors that
            // control each other in a chain costs one walk, not one per competitor).
            let outranked = members.get(&leader).is_some_and(|m| {
                m.certain == Truth::True && tier_rank(m.tier) >= tier_rank(declaration.tier)
            });
            if outranked {
                continue;
            }
            let mut group: Vec<(NodeId, Truth)> = self.group_of(leader).into_iter().collect();
            group.sort_by_key(|(n, _)| *n);
            for (member, certain) in group {
                let candidate = CompetitorMembership {
                    certain,
                    group: leader,
                    tier: declaration.tier,
                    markets: declaration.markets.clone(),
                    declaration: index,
                };
                // A member of several groups keeps the most certain, then the most serious one.
                let better = members.get(&member).is_none_or(|current| {
                    (candidate.certain, tier_rank(candidate.tier))
                        > (current.certain, tier_rank(current.tier))
                });
                if better {
                    members.insert(member, candidate);
                }
            }
        }
        members
    }

    pub fn share(&self, owner: NodeId, entity: NodeId, method: Method) -> Share {
        self.graph.share(owner, entity, method)
    }
}

fn tier_rank(tier: Tier) -> u8 {
    match tier {
        Tier::Major => 2,
        Tier::Minor => 1,
    }
}

/// The graph of stakes active on `as_of`. Declared indirect interests stand in for a chain only
/// when no chain is known; otherwise they are compared with it.
fn build_graph(registry: &Registry, as_of: Date) -> (Graph, Vec<usize>, Vec<Problem>) {
    let mut edges = Vec::new();
    let mut active = Vec::new();
    let mut indirect = Vec::new();
    for (index, stake) in registry.stakes.iter().enumerate() {
        if !stake.active_on(as_of) {
            continue;
        }
        let (Some(owner), Some(owned)) = (
            registry.org_index(&stake.owner.id),
            registry.org_index(&stake.owned.id),
        ) else {
            continue;
        };
        if stake.indirect {
            indirect.push((index, owner, owned));
            continue;
        }
        edges.push(Edge {
            owner,
            owned,
            economic: stake.economic.interval,
            voting: stake.voting_interval(),
            stake: index,
        });
        active.push(index);
    }
    let direct = Graph::new(registry.organisations.len(), edges.clone());
    let mut warnings = Vec::new();
    let mut stand_ins = BTreeMap::new();
    for (index, owner, owned) in indirect {
        let stake = &registry.stakes[index];
        let computed = direct.share(owner, owned, Method::Integrated);
        if computed.economic.max <= 0.0 {
            stand_ins.insert(index, (owner, owned));
        } else if differs(&computed.economic, &stake.economic.interval) {
            warnings.push(
                Problem::warning(
                    "ownership::indirect-mismatch",
                    format!(
                        "the declared indirect interest of `{}` in `{}` ({}) differs from the chains in the registry ({})",
                        stake.owner.id, stake.owned.id, stake.economic.interval, computed.economic
                    ),
                )
                .at(stake.economic.loc, "declared here")
                .with_help("the computed chains are used; correct the declaration or the chain"),
            );
        }
    }
    if stand_ins.is_empty() {
        return (direct, active, warnings);
    }
    for (index, (owner, owned)) in stand_ins {
        let stake = &registry.stakes[index];
        edges.push(Edge {
            owner,
            owned,
            economic: stake.economic.interval,
            voting: stake.voting_interval(),
            stake: index,
        });
        active.push(index);
    }
    (
        Graph::new(registry.organisations.len(), edges),
        active,
        warnings,
    )
}

/// More than half a percentage point apart at either bound.
fn differs(a: &Interval, b: &Interval) -> bool {
    (a.min - b.min).abs() > 0.5 || (a.max - b.max).abs() > 0.5
}

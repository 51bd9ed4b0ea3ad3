//! One entity's owners, computed once, and the explanations of any of them.
//!
//! A vendor with a thousand effective owners used to cost a thousand walks over its ancestry
//! for their explanations. A view computes the owners with one backward propagation, and builds
//! what ranking paths needs (the entity's [`Region`]) once, on the first explanation asked for;
//! each further explanation costs only its own path search. Nothing is explained until asked:
//! the check explains only the owners its findings show.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::bounds::Acc;
use super::graph::Graph;
use super::region::Region;
use super::scratch::Checkout;
use super::{Explained, Method, NodeId, Share};
use super::{control, explain, integrated};

pub struct OwnersView<'g> {
    graph: &'g Graph,
    entity: NodeId,
    /// The entity, when it is in the graph.
    node: Option<u32>,
    method: Method,
    /// Largest economic upper bound first, then largest voting upper bound, then by id.
    owners: Vec<(NodeId, Share)>,
    /// The integrated walk sums of the owners (fractions, uncapped), by node.
    walks: Vec<(u32, Acc)>,
    region: OnceLock<Region>,
    /// Control-chain explanations: a workspace with the entity's ancestors marked, held from
    /// the first explanation on.
    marked: RefCell<Option<Checkout<'g>>>,
    /// The owners' shares by node, for the explanations that need no walk.
    shares_by_node: OnceLock<Vec<(u32, Share)>>,
}

impl<'g> OwnersView<'g> {
    /// The owners of `entity` under `method`.
    pub(crate) fn new(graph: &'g Graph, entity: NodeId, method: Method) -> OwnersView<'g> {
        let mut view = OwnersView::bare(graph, entity, method);
        let Some(to) = view.node else {
            return view;
        };
        let mut owners = match method {
            Method::Integrated => {
                let mut walks =
                    graph.with_scratch(|scratch| integrated::owners_of(graph, scratch, to));
                let owners = walks
                    .iter()
                    .map(|&(node, acc)| (node as NodeId, acc.share(100.0)))
                    .collect();
                walks.sort_unstable_by_key(|&(node, _)| node);
                view.walks = walks;
                owners
            }
            Method::ControlChain { threshold } => {
                graph.with_scratch(|scratch| control::owners_of(graph, scratch, to, threshold))
            }
        };
        owners.sort_by(|(a, share_a), (b, share_b)| {
            share_b
                .economic
                .max
                .total_cmp(&share_a.economic.max)
                .then(share_b.voting.max.total_cmp(&share_a.voting.max))
                .then(a.cmp(b))
        });
        view.owners = owners;
        view
    }

    /// A view that has not computed the owners: for explaining one owner.
    pub(crate) fn bare(graph: &'g Graph, entity: NodeId, method: Method) -> OwnersView<'g> {
        OwnersView {
            graph,
            entity,
            node: (entity < graph.node_count()).then_some(entity as u32),
            method,
            owners: Vec::new(),
            walks: Vec::new(),
            region: OnceLock::new(),
            marked: RefCell::new(None),
            shares_by_node: OnceLock::new(),
        }
    }

    pub fn entity(&self) -> NodeId {
        self.entity
    }

    pub fn method(&self) -> Method {
        self.method
    }

    /// Every organisation with a share in the entity (economic or voting upper bound above 0),
    /// largest economic upper bound first, then largest voting upper bound, then by id.
    pub fn owners(&self) -> &[(NodeId, Share)] {
        &self.owners
    }

    pub fn into_owners(self) -> Vec<(NodeId, Share)> {
        self.owners
    }

    /// The share of `owner` in the entity and the paths that produce it, as [`Graph::explain`]
    /// gives them, with the share of the view's owners list (computed backwards, so equal to
    /// the owner's own computation up to rounding noise below 1e-9 points).
    pub fn explain(&self, owner: NodeId) -> Explained {
        let graph = self.graph;
        let (Some(from), Some(to)) = (
            (owner < graph.node_count()).then_some(owner as u32),
            self.node,
        ) else {
            return Explained {
                owner,
                entity: self.entity,
                share: Share::ZERO,
                paths: Vec::new(),
                unlisted: None,
                cycle_remainder: None,
                complete: true,
            };
        };
        match self.method {
            Method::Integrated => {
                let walks = match self.walks.binary_search_by_key(&from, |&(node, _)| node) {
                    Ok(i) => self.walks[i].1,
                    // Not in a computed list: nothing reaches the entity from it. A bare view
                    // computes the walk sums from the owner itself.
                    Err(_) if !self.walks.is_empty() || from == to => Acc::ZERO,
                    Err(_) => {
                        graph.with_scratch(|scratch| integrated::share(graph, scratch, from, to))
                    }
                };
                let region = self
                    .region
                    .get_or_init(|| graph.with_scratch(|scratch| Region::new(graph, scratch, to)));
                explain::explain_integrated(graph, region, from, walks)
            }
            Method::ControlChain { threshold } => {
                if let Some(explained) = self.beyond_listed_paths(owner, from, to) {
                    return explained;
                }
                let mut marked = self.marked.borrow_mut();
                let scratch = marked.get_or_insert_with(|| {
                    let mut scratch = graph.checkout_scratch();
                    graph.mark_ancestors(&mut scratch, to);
                    scratch
                });
                explain::explain_control(graph, scratch, from, to, threshold)
            }
        }
    }

    /// The control-chain explanation of an owner every chain of which to the entity is longer
    /// than the longest path listed ([`super::MAX_DEPTH`]): no path, its whole share unlisted.
    /// Known from the fewest stakes between them and the share in the view's list, without the
    /// walk from the owner that listing paths takes (each of the thousands of owners of a long
    /// chain would otherwise walk the chain below it). `None` when a path may be listed, or the
    /// view did not compute the owners.
    fn beyond_listed_paths(&self, owner: NodeId, from: u32, to: u32) -> Option<Explained> {
        if self.owners.is_empty() {
            return None;
        }
        let graph = self.graph;
        let region = self
            .region
            .get_or_init(|| graph.with_scratch(|scratch| Region::new(graph, scratch, to)));
        let hops = region.hops[region.local(from)? as usize];
        if hops == super::region::UNREACHABLE || hops as usize <= super::MAX_DEPTH {
            return None;
        }
        let by_node = self.shares_by_node.get_or_init(|| {
            let mut by_node: Vec<(u32, Share)> = self
                .owners
                .iter()
                .map(|&(node, share)| (node as u32, share))
                .collect();
            by_node.sort_unstable_by_key(|&(node, _)| node);
            by_node
        });
        let share = by_node
            .binary_search_by_key(&from, |&(node, _)| node)
            .map_or(Share::ZERO, |i| by_node[i].1);
        Some(Explained {
            owner,
            entity: self.entity,
            share,
            paths: Vec::new(),
            unlisted: (!share.is_zero()).then_some(share),
            cycle_remainder: None,
            complete: true,
        })
    }
}

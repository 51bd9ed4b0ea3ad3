//! Effective ownership: who holds how much of whom, directly or through chains of companies.
//!
//! The caller numbers organisations densely (`0..n`), keeps only the stakes in force at the date
//! of interest and builds a [`Graph`]. The graph answers, for one owner and one entity, the
//! effective share under a [`Method`], the ownership paths behind it, and whether the owner
//! controls the entity. Shares are percentage [`Interval`]s: bands and unknown stakes carry
//! through as lower and upper bounds, computed separately.
//!
//! The semantics, with worked examples, are in `docs/ownership.md`. In short:
//!
//! - [`Method::Integrated`] multiplies along each chain and adds over every chain, including chains
//!   that loop through cross-holdings (solved exactly per strongly connected component).
//! - [`Method::ControlChain`] passes an entity's stakes through in full once the owner controls
//!   it (holds at least the threshold), as in the OFAC 50% rule.
//!
//! Nothing here reads files or panics: out-of-range ids and odd percentages are tolerated and
//! documented rather than rejected, because rejecting them is the registry loader's job.

mod block;
mod bounds;
mod control;
mod control_tree;
mod explain;
mod graph;
mod gth;
mod integrated;
mod paths;
mod region;
mod scc;
mod scratch;
mod view;

pub use control_tree::ControlTree;
pub use graph::Graph;
pub use paths::{MAX_DEPTH, MAX_ENUMERATED_MEMBERS, MAX_ENUMERATED_STEPS, MAX_PUSHES};
pub use view::OwnersView;

use crate::value::interval::Interval;

/// An organisation, numbered densely from 0 by the caller.
pub type NodeId = usize;

/// The threshold of the control-chain method unless a policy says otherwise: a majority.
pub const DEFAULT_CONTROL_THRESHOLD: f64 = 50.0;

/// Most paths [`Graph::explain`] lists; the rest are summed in [`Explained::unlisted`].
pub const MAX_LISTED_PATHS: usize = 16;

/// One stake: `owner` holds `economic` and `voting` percent of `owned`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub owner: NodeId,
    pub owned: NodeId,
    pub economic: Interval,
    pub voting: Interval,
    /// The caller's index of the stake, echoed back in [`OwnershipPath::stakes`].
    pub stake: usize,
}

/// How shares combine along chains of ownership.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Method {
    /// Multiply along each chain, add over all chains (cycles included).
    #[default]
    Integrated,
    /// Sum the direct stakes held by the owner and by every entity it controls, where it controls
    /// an entity when its attributed share there is at least `threshold` percent.
    ControlChain { threshold: f64 },
}

impl Method {
    /// The control-chain method at the default majority threshold.
    pub const fn control_chain() -> Method {
        Method::ControlChain {
            threshold: DEFAULT_CONTROL_THRESHOLD,
        }
    }
}

/// An effective share: economic (dividends, value) and voting (control) percentages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Share {
    pub economic: Interval,
    pub voting: Interval,
}

impl Share {
    pub const ZERO: Share = Share {
        economic: Interval::ZERO,
        voting: Interval::ZERO,
    };
    pub const FULL: Share = Share {
        economic: Interval::FULL,
        voting: Interval::FULL,
    };

    /// Whether the share is certainly nothing, economically and in votes.
    pub fn is_zero(&self) -> bool {
        self.economic.max <= 0.0 && self.voting.max <= 0.0
    }
}

/// One chain of stakes from an owner to an entity.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnershipPath {
    /// The owner first, the entity last.
    pub nodes: Vec<NodeId>,
    /// The stake between each pair of consecutive nodes (one fewer than `nodes`).
    pub stakes: Vec<usize>,
    /// What this path contributes to the owner's share of the entity.
    pub economic: Interval,
    pub voting: Interval,
}

/// An effective share with the paths that produce it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explained {
    pub owner: NodeId,
    pub entity: NodeId,
    pub share: Share,
    /// The largest contributions first (by economic upper bound, then voting), at most
    /// [`MAX_LISTED_PATHS`].
    pub paths: Vec<OwnershipPath>,
    /// What the paths beyond the listed ones add, when some were left out.
    pub unlisted: Option<Share>,
    /// What chains that go round a cross-holding cycle add beyond all simple paths, if anything.
    pub cycle_remainder: Option<Share>,
    /// False when the search for paths stopped at its budget before it saw every simple path in a
    /// region with cycles: `unlisted` then holds all that the listed paths leave unexplained,
    /// cycles included, and `cycle_remainder` is `None`.
    pub complete: bool,
}

//! Per-query working memory, reused across queries.
//!
//! A query from one owner touches only the part of the graph it reaches, but that part is found
//! through arrays indexed by node. Allocating and zeroing arrays of a million entries for each of
//! a thousand owners would cost more than the computation, so each query borrows a workspace
//! from a pool and marks what it touches with an epoch number instead of clearing.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use super::block::BlockScratch;
use super::bounds::Acc;

pub(crate) struct Scratch {
    epoch: u32,
    /// `seen[v] == epoch` when the current query has reached `v`; only then is `acc[v]` valid.
    seen: Vec<u32>,
    pub acc: Vec<Acc>,
    /// Control bits per node (control-chain method), valid where `seen`.
    pub controlled: Vec<u8>,
    /// The stake through which a node came under control, per bound (control-chain explain).
    pub controller: Vec<[u32; 4]>,
    region_epoch: u32,
    /// `region[v] == region_epoch` when `v` may take part in a restricted query.
    region: Vec<u32>,
    /// A node's index in a region's own numbering, set by whoever numbers the region (valid
    /// only for nodes in the current region, and only once set).
    pub slot: Vec<u32>,
    component_epoch: u32,
    component_seen: Vec<u32>,
    /// The nodes reached by the current query, in the order they were reached.
    pub reached: Vec<u32>,
    /// Components waiting to be processed, smallest key first, each with the node that reached
    /// it (see `integrated::propagate`).
    pub pending: BinaryHeap<Reverse<u64>>,
    pub queue: Vec<u32>,
    pub block: BlockScratch,
}

impl Scratch {
    fn new(node_count: usize, component_count: usize) -> Scratch {
        Scratch {
            epoch: 0,
            seen: vec![0; node_count],
            acc: vec![Acc::ZERO; node_count],
            controlled: vec![0; node_count],
            controller: Vec::new(),
            region_epoch: 0,
            region: vec![0; node_count],
            slot: vec![0; node_count],
            component_epoch: 0,
            component_seen: vec![0; component_count],
            reached: Vec::new(),
            pending: BinaryHeap::new(),
            queue: Vec::new(),
            block: BlockScratch::default(),
        }
    }

    /// Starts a query: forgets what the previous one reached.
    pub fn begin(&mut self) {
        self.epoch = next_epoch(self.epoch, &mut self.seen);
        self.component_epoch = next_epoch(self.component_epoch, &mut self.component_seen);
        self.reached.clear();
        self.pending.clear();
        self.queue.clear();
    }

    pub fn is_seen(&self, node: u32) -> bool {
        self.seen[node as usize] == self.epoch
    }

    /// Marks a node reached with a zero accumulator; returns false when it already was.
    pub fn reach(&mut self, node: u32) -> bool {
        let slot = node as usize;
        if self.seen[slot] == self.epoch {
            return false;
        }
        self.seen[slot] = self.epoch;
        self.acc[slot] = Acc::ZERO;
        self.controlled[slot] = 0;
        self.reached.push(node);
        true
    }

    /// Marks a component as touched; returns false when it already was.
    pub fn touch_component(&mut self, component: u32) -> bool {
        let slot = component as usize;
        if self.component_seen[slot] == self.component_epoch {
            return false;
        }
        self.component_seen[slot] = self.component_epoch;
        true
    }

    /// Starts a new region (the set of nodes a restricted query may use), empty.
    pub fn begin_region(&mut self) {
        self.region_epoch = next_epoch(self.region_epoch, &mut self.region);
    }

    pub fn add_to_region(&mut self, node: u32) {
        self.region[node as usize] = self.region_epoch;
    }

    pub fn in_region(&self, node: u32) -> bool {
        self.region[node as usize] == self.region_epoch
    }

    pub fn ensure_controller(&mut self) {
        if self.controller.len() != self.seen.len() {
            self.controller = vec![[u32::MAX; 4]; self.seen.len()];
        }
    }
}

/// The next epoch number; on wrap-around the marks are cleared so no stale mark matches.
fn next_epoch(epoch: u32, marks: &mut [u32]) -> u32 {
    match epoch.checked_add(1) {
        Some(next) => next,
        None => {
            marks.fill(0);
            1
        }
    }
}

/// Workspaces sized for one graph, handed out one per concurrent query.
pub(crate) struct ScratchPool {
    node_count: usize,
    component_count: usize,
    free: Mutex<Vec<Scratch>>,
}

impl ScratchPool {
    pub fn new(node_count: usize, component_count: usize) -> ScratchPool {
        ScratchPool {
            node_count,
            component_count,
            free: Mutex::new(Vec::new()),
        }
    }

    pub fn with<R>(&self, work: impl FnOnce(&mut Scratch) -> R) -> R {
        work(&mut self.checkout())
    }

    /// A workspace held until the guard is dropped: for a series of queries that share marks
    /// (an entity's ancestors) between them.
    pub fn checkout(&self) -> Checkout<'_> {
        let taken = self.lock().pop();
        Checkout {
            pool: self,
            scratch: taken.unwrap_or_else(|| Scratch::new(self.node_count, self.component_count)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Scratch>> {
        // A panic elsewhere while holding the lock leaves only a list of buffers behind, and a
        // stale buffer is harmless: every query starts a new epoch.
        self.free
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A workspace taken from a [`ScratchPool`], given back when dropped.
pub(crate) struct Checkout<'p> {
    pool: &'p ScratchPool,
    scratch: Scratch,
}

impl std::ops::Deref for Checkout<'_> {
    type Target = Scratch;
    fn deref(&self) -> &Scratch {
        &self.scratch
    }
}

impl std::ops::DerefMut for Checkout<'_> {
    fn deref_mut(&mut self) -> &mut Scratch {
        &mut self.scratch
    }
}

impl Drop for Checkout<'_> {
    fn drop(&mut self) {
        // An empty workspace allocates nothing.
        let scratch = std::mem::replace(&mut self.scratch, Scratch::new(0, 0));
        self.pool.lock().push(scratch);
    }
}

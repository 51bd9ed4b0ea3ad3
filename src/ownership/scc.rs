//! Strongly connected components (Tarjan's algorithm), iterative so that a chain of a million
//! companies cannot overflow the call stack.

/// A graph given as successor lists: the successors of `v` are
/// `targets[starts[v]..starts[v + 1]]`.
#[derive(Clone, Copy)]
pub(crate) struct Successors<'a> {
    pub starts: &'a [usize],
    pub targets: &'a [u32],
}

impl Successors<'_> {
    fn node_count(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn range(&self, node: usize) -> (usize, usize) {
        let start = self.starts.get(node).copied().unwrap_or(0);
        let end = self.starts.get(node + 1).copied().unwrap_or(start);
        (start, end.min(self.targets.len()))
    }
}

/// Components numbered in topological order: every edge goes from a component to itself or to a
/// later one, so owners come before what they own.
pub(crate) struct Components {
    pub of: Vec<u32>,
    pub count: usize,
}

const UNVISITED: u32 = u32::MAX;

struct Search<'a> {
    graph: Successors<'a>,
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    /// The explicit call stack: a node and the position of the next successor to look at.
    frames: Vec<(u32, usize)>,
    next_index: u32,
}

impl Search<'_> {
    fn enter(&mut self, node: usize) {
        self.index[node] = self.next_index;
        self.low[node] = self.next_index;
        self.next_index += 1;
        self.stack.push(node as u32);
        self.on_stack[node] = true;
        self.frames.push((node as u32, self.graph.range(node).0));
    }
}

pub(crate) fn strongly_connected(graph: Successors<'_>) -> Components {
    let n = graph.node_count();
    let mut search = Search {
        graph,
        index: vec![UNVISITED; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        frames: Vec::new(),
        next_index: 0,
    };
    // Tarjan finishes components sinks first; they are renumbered at the end.
    let mut finished = vec![0u32; n];
    let mut count = 0u32;

    for root in 0..n {
        if search.index[root] != UNVISITED {
            continue;
        }
        search.enter(root);
        while let Some(&(node, position)) = search.frames.last() {
            let node = node as usize;
            let (_, end) = graph.range(node);
            if position < end {
                if let Some(frame) = search.frames.last_mut() {
                    frame.1 += 1;
                }
                let next = graph.targets[position] as usize;
                if next >= n {
                    continue;
                }
                if search.index[next] == UNVISITED {
                    search.enter(next);
                } else if search.on_stack[next] {
                    search.low[node] = search.low[node].min(search.index[next]);
                }
                continue;
            }
            search.frames.pop();
            if let Some(&(parent, _)) = search.frames.last() {
                let parent = parent as usize;
                search.low[parent] = search.low[parent].min(search.low[node]);
            }
            if search.low[node] == search.index[node] {
                while let Some(member) = search.stack.pop() {
                    search.on_stack[member as usize] = false;
                    finished[member as usize] = count;
                    if member as usize == node {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    let last = count.saturating_sub(1);
    for component in &mut finished {
        *component = last - *component;
    }
    Components {
        of: finished,
        count: count as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn components(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
        let mut sorted = edges.to_vec();
        sorted.sort();
        let mut starts = vec![0usize; n + 1];
        for &(from, _) in &sorted {
            starts[from as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let targets: Vec<u32> = sorted.iter().map(|&(_, to)| to).collect();
        strongly_connected(Successors {
            starts: &starts,
            targets: &targets,
        })
        .of
    }

    #[test]
    fn cycles_share_a_component_in_topological_order() {
        // 0 -> 1 <-> 2 -> 3, and 4 alone.
        let of = components(5, &[(0, 1), (1, 2), (2, 1), (2, 3)]);
        assert_eq!(of[1], of[2]);
        assert!(of[0] < of[1] && of[2] < of[3]);
        assert_eq!(
            of.iter().collect::<std::collections::BTreeSet<_>>().len(),
            4
        );
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let n = 1_000_000u32;
        let edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let of = components(n as usize, &edges);
        assert!(of.windows(2).all(|pair| pair[0] < pair[1]));
    }
}

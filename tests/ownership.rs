//! The ownership engine through its public API: the worked examples of docs/ownership.md and
//! properties on random graphs.

use proptest::prelude::*;
use vrisk::ownership::{Edge, Explained, Graph, Method, NodeId, Share};
use vrisk::value::interval::Interval;
use vrisk::value::truth::Truth;

const TOLERANCE: f64 = 1e-9;

fn stake(owner: NodeId, owned: NodeId, share: Interval, index: usize) -> Edge {
    Edge {
        owner,
        owned,
        economic: share,
        voting: share,
        stake: index,
    }
}

fn exact(owner: NodeId, owned: NodeId, percent: f64, index: usize) -> Edge {
    stake(owner, owned, Interval::exact(percent), index)
}

fn assert_close(actual: Interval, min: f64, max: f64) {
    assert!(
        (actual.min - min).abs() < TOLERANCE && (actual.max - max).abs() < TOLERANCE,
        "{actual:?} is not [{min}, {max}]"
    );
}

const CONTROL: Method = Method::control_chain();

#[test]
fn chain_of_sixty_then_forty() {
    // X -60%-> H -40%-> V
    let (x, h, v) = (0, 1, 2);
    let graph = Graph::new(3, vec![exact(x, h, 60.0, 0), exact(h, v, 40.0, 1)]);
    let integrated = graph.share(x, v, Method::Integrated);
    assert_close(integrated.economic, 24.0, 24.0);
    assert_close(integrated.voting, 24.0, 24.0);
    assert_close(graph.share(x, v, CONTROL).economic, 40.0, 40.0);
    assert_eq!(graph.controls(x, h, 50.0), Truth::True);
    assert_eq!(graph.controls(x, v, 50.0), Truth::False);
}

#[test]
fn ofac_faq_401_example_3() {
    // X -50%-> A, X -10%-> B, A -40%-> B
    let (x, a, b) = (0, 1, 2);
    let graph = Graph::new(
        3,
        vec![
            exact(x, a, 50.0, 0),
            exact(x, b, 10.0, 1),
            exact(a, b, 40.0, 2),
        ],
    );
    assert_close(graph.share(x, b, Method::Integrated).economic, 30.0, 30.0);
    assert_close(graph.share(x, b, CONTROL).economic, 50.0, 50.0);
    assert_eq!(graph.controls(x, b, 50.0), Truth::True);
}

#[test]
fn cross_holding() {
    // UA -50%-> A, UB -50%-> B, A -50%-> B, B -50%-> A
    let (ua, ub, a, b) = (0, 1, 2, 3);
    let graph = Graph::new(
        4,
        vec![
            exact(ua, a, 50.0, 0),
            exact(ub, b, 50.0, 1),
            exact(a, b, 50.0, 2),
            exact(b, a, 50.0, 3),
        ],
    );
    let in_a = graph.share(ua, a, Method::Integrated).economic;
    let in_b = graph.share(ua, b, Method::Integrated).economic;
    assert_close(in_a, 200.0 / 3.0, 200.0 / 3.0);
    assert_close(in_b, 100.0 / 3.0, 100.0 / 3.0);
    // UB is symmetric.
    assert_close(
        graph.share(ub, a, Method::Integrated).economic,
        100.0 / 3.0,
        100.0 / 3.0,
    );

    // The direct 50% is the only simple path; the cycle adds the rest.
    let explained = graph.explain(ua, a, Method::Integrated);
    assert_eq!(explained.paths.len(), 1);
    assert_eq!(explained.paths[0].nodes, vec![ua, a]);
    assert_eq!(explained.paths[0].stakes, vec![0]);
    let remainder = explained.cycle_remainder.expect("cycles add to the share");
    assert_close(remainder.economic, 50.0 / 3.0, 50.0 / 3.0);
    assert!(explained.complete);
    assert_eq!(explained.unlisted, None);

    let owners = graph.owners_of(a, Method::Integrated);
    let ids: Vec<NodeId> = owners.iter().map(|(node, _)| *node).collect();
    // A's owners: UA 66.7%, B 50% (B is on the cycle, an outside owner), UB 33.3%.
    assert_eq!(ids, vec![ua, b, ub]);
    assert_close(owners[1].1.economic, 50.0, 50.0);
}

#[test]
fn a_band_then_forty_percent() {
    // X holds [50%, 75%) of H; H holds 40% of V: X holds [20%, 30%) of V.
    let band = Interval {
        min: 50.0,
        max: 75.0,
        min_exclusive: false,
        max_exclusive: true,
    };
    let graph = Graph::new(3, vec![stake(0, 1, band, 0), exact(1, 2, 40.0, 1)]);
    let share = graph.share(0, 2, Method::Integrated).economic;
    assert_close(share, 20.0, 30.0);
    assert!(!share.min_exclusive);
    assert!(share.max_exclusive, "30% itself is out of reach");
    assert_eq!(share.ge(30.0), Truth::False);
    assert_eq!(share.ge(25.0), Truth::Unknown);
    // Under control-chain X holds at least 50% of H, so H's 40% passes through in full.
    assert_close(graph.share(0, 2, CONTROL).economic, 40.0, 40.0);
}

#[test]
fn an_unknown_share() {
    let graph = Graph::new(
        3,
        vec![stake(0, 1, Interval::UNKNOWN, 0), exact(1, 2, 100.0, 1)],
    );
    assert_eq!(
        graph.share(0, 1, Method::Integrated).economic,
        Interval::UNKNOWN
    );
    assert_eq!(
        graph.share(0, 2, Method::Integrated).economic,
        Interval::UNKNOWN
    );
    assert_eq!(graph.share(0, 2, CONTROL).economic, Interval::UNKNOWN);
    assert_eq!(graph.controls(0, 2, 50.0), Truth::Unknown);
}

#[test]
fn a_full_cycle_terminates_capped() {
    // X -50%-> A, A -100%-> B, B -100%-> A: the walk sums diverge.
    let graph = Graph::new(
        3,
        vec![
            exact(0, 1, 50.0, 0),
            exact(1, 2, 100.0, 1),
            exact(2, 1, 100.0, 2),
        ],
    );
    for method in [Method::Integrated, CONTROL] {
        for entity in [1, 2] {
            let share = graph.share(0, entity, method);
            assert!(share.economic.max <= 100.0 && share.economic.min >= 0.0);
        }
    }
    assert_eq!(
        graph.share(0, 1, Method::Integrated).economic,
        Interval::FULL
    );
    let explained = graph.explain(0, 2, Method::Integrated);
    assert_eq!(explained.paths[0].nodes, vec![0, 1, 2]);
    assert!(explained.cycle_remainder.is_some());
    // A self-stake of 100% is the smallest such cycle.
    let selfish = Graph::new(2, vec![exact(0, 1, 10.0, 0), exact(1, 1, 100.0, 1)]);
    assert_eq!(
        selfish.share(0, 1, Method::Integrated).economic,
        Interval::FULL
    );
}

#[test]
fn non_voting_stakes_are_kept_apart() {
    // Meta holds 49% of Scale AI without votes.
    let graph = Graph::new(
        2,
        vec![Edge {
            owner: 0,
            owned: 1,
            economic: Interval::exact(49.0),
            voting: Interval::ZERO,
            stake: 7,
        }],
    );
    let share = graph.share(0, 1, Method::Integrated);
    assert_eq!(share.economic, Interval::exact(49.0));
    assert_eq!(share.voting, Interval::ZERO);
    assert_eq!(graph.controls(0, 1, 50.0), Truth::False);
    assert_eq!(graph.owners_of(1, Method::Integrated), vec![(0, share)]);
}

#[test]
fn paths_come_largest_first() {
    // X holds V directly (10%), through A (50% x 60% = 30%) and through B (20% x 50% = 10%).
    let (x, a, b, v) = (0, 1, 2, 3);
    let graph = Graph::new(
        4,
        vec![
            exact(x, v, 10.0, 0),
            exact(x, a, 50.0, 1),
            exact(a, v, 60.0, 2),
            exact(x, b, 20.0, 3),
            exact(b, v, 50.0, 4),
        ],
    );
    let explained = graph.explain(x, v, Method::Integrated);
    assert_close(explained.share.economic, 50.0, 50.0);
    let routes: Vec<Vec<NodeId>> = explained.paths.iter().map(|p| p.nodes.clone()).collect();
    assert_eq!(routes, vec![vec![x, a, v], vec![x, v], vec![x, b, v]]);
    assert_eq!(explained.paths[0].stakes, vec![1, 2]);
    assert_close(explained.paths[0].economic, 30.0, 30.0);
    assert_eq!(explained.cycle_remainder, None);
    assert_eq!(explained.unlisted, None);

    // Control-chain: X controls A (50%), not B; A's 60% and X's own 10% count.
    let explained = graph.explain(x, v, CONTROL);
    assert_close(explained.share.economic, 70.0, 70.0);
    let routes: Vec<Vec<NodeId>> = explained.paths.iter().map(|p| p.nodes.clone()).collect();
    assert_eq!(routes, vec![vec![x, a, v], vec![x, v]]);
    assert_close(explained.paths[0].economic, 60.0, 60.0);
}

/// An explanation with more paths than it lists: it lists the most it may, `first` at the top,
/// and what the listed paths leave of the share is reported as unlisted (`missing` says why
/// there must be some).
fn assert_summarised(explained: &Explained, first: &[NodeId], missing: &str) {
    assert_eq!(explained.paths.len(), vrisk::ownership::MAX_LISTED_PATHS);
    assert_eq!(explained.paths[0].nodes, first);
    let listed: f64 = explained.paths.iter().map(|p| p.economic.max).sum();
    let unlisted = explained.unlisted.expect(missing);
    assert_close(
        unlisted.economic,
        explained.share.economic.min - listed,
        explained.share.economic.max - listed,
    );
}

#[test]
fn many_paths_are_summarised() {
    // X holds 1% of each of 20 intermediates, each holding 50% of V.
    let mut edges = Vec::new();
    for i in 0..20 {
        edges.push(exact(0, i + 1, 1.0 + i as f64 * 0.1, 2 * i));
        edges.push(exact(i + 1, 21, 50.0, 2 * i + 1));
    }
    let graph = Graph::new(22, edges);
    let explained = graph.explain(0, 21, Method::Integrated);
    // Largest first: the intermediate with 2.9% comes first.
    assert_summarised(&explained, &[0, 20, 21], "four paths are left out");
}

#[test]
fn a_lattice_of_equal_shares_lists_the_first_paths_in_the_registry_order() {
    // The owner holds 50% of both companies of layer 1; each company of a layer holds 50% of
    // both of the next; both of layer 30 hold 50% of V: 2^30 paths of 0.5^31 each, 50% in all.
    let layers = 30;
    let node = |layer: usize, j: usize| 1 + 2 * (layer - 1) + j;
    let v = node(layers + 1, 0);
    let mut edges = Vec::new();
    for j in 0..2 {
        edges.push(exact(0, node(1, j), 50.0, edges.len()));
    }
    for layer in 1..layers {
        for from in 0..2 {
            for to in 0..2 {
                edges.push(exact(
                    node(layer, from),
                    node(layer + 1, to),
                    50.0,
                    edges.len(),
                ));
            }
        }
    }
    for j in 0..2 {
        edges.push(exact(node(layers, j), v, 50.0, edges.len()));
    }
    let graph = Graph::new(v + 1, edges);
    let explained = graph.explain(0, v, Method::Integrated);
    assert_close(explained.share.economic, 50.0, 50.0);
    let first: Vec<NodeId> = std::iter::once(0)
        .chain((1..=layers).map(|layer| node(layer, 0)))
        .chain([v])
        .collect();
    assert_summarised(&explained, &first, "2^30 paths are more than the listed");
    // Equal shares: listed in the registry's order of stakes, so the second path leaves the
    // first only at the last company.
    let mut second = first.clone();
    second[layers] = node(layers, 1);
    assert_eq!(explained.paths[1].nodes, second);
    assert!(explained.complete);
}

#[test]
fn a_dense_cross_holding_of_ten_is_summed_exactly() {
    // Ten companies each holding 5% of every other: about 110,000 simple paths between two of
    // them, all summed, so the cycles' part of the share is known.
    let mut edges = vec![exact(0, 1, 10.0, 0)];
    for a in 1..=10 {
        for b in 1..=10 {
            if a != b {
                edges.push(exact(a, b, 5.0, edges.len()));
            }
        }
    }
    let graph = Graph::new(11, edges);
    let explained = graph.explain(0, 2, Method::Integrated);
    assert!(explained.complete);
    assert_eq!(explained.paths.len(), vrisk::ownership::MAX_LISTED_PATHS);
    assert_eq!(explained.paths[0].nodes, vec![0, 1, 2]);
    let listed: f64 = explained.paths.iter().map(|p| p.economic.max).sum();
    let unlisted = explained.unlisted.expect("more simple paths than listed");
    let cycles = explained
        .cycle_remainder
        .expect("walks round the cycles add");
    let total = listed + unlisted.economic.max + cycles.economic.max;
    assert_close(explained.share.economic, total, total);
}

#[test]
fn cycles_too_entangled_to_enumerate_say_so() {
    // Companies each holding 2% of every other, one more than the largest cross-holding whose
    // simple paths are enumerated: billions of simple paths between two of them.
    let members = vrisk::ownership::MAX_ENUMERATED_MEMBERS + 1;
    let mut edges = vec![exact(0, 1, 10.0, 0)];
    for a in 1..=members {
        for b in 1..=members {
            if a != b {
                edges.push(exact(a, b, 2.0, edges.len()));
            }
        }
    }
    let graph = Graph::new(members + 1, edges);
    let explained = graph.explain(0, 2, Method::Integrated);
    assert!(!explained.complete);
    assert_eq!(explained.cycle_remainder, None);
    assert_summarised(&explained, &[0, 1, 2], "the rest is unexplained");
}

/// Down a chain of majority stakes each owner controls everything below it, so the owners of
/// the last company pass its stake on from one to the next: the owners' list gives each the
/// share it would compute alone, exactly, however long the chain.
#[test]
fn a_long_control_chain_gives_every_owner_its_own_share() {
    let n = 2_000;
    // 0 -> 1 -> ... -> n-1, 60% each; a side owner holds 30% of every tenth company, and the
    // owners of the middle company form a cross-holding with it.
    let mut edges: Vec<Edge> = (0..n - 1).map(|i| exact(i, i + 1, 60.0, i)).collect();
    for i in (0..n).step_by(10) {
        edges.push(exact(n, i, 30.0, edges.len()));
    }
    edges.push(exact(n / 2, n / 2 - 1, 10.0, edges.len()));
    let graph = Graph::new(n + 1, edges);
    let owners = graph.owners_of(n - 1, CONTROL);
    assert_eq!(
        owners.len(),
        n - 1,
        "every company above the last; the side owner controls none"
    );
    for (owner, share) in owners {
        assert_eq!(share, graph.share(owner, n - 1, CONTROL), "owner {owner}");
    }
}

#[test]
fn owners_and_holdings_agree_with_share() {
    let (x, a, b) = (0, 1, 2);
    let graph = Graph::new(
        3,
        vec![
            exact(x, a, 50.0, 0),
            exact(x, b, 10.0, 1),
            exact(a, b, 40.0, 2),
        ],
    );
    // Integrated, A's direct 40% outranks X's 30%; control-chain, X's 50% outranks A's 40%.
    for (method, ranking) in [(Method::Integrated, vec![a, x]), (CONTROL, vec![x, a])] {
        let owners = graph.owners_of(b, method);
        assert_eq!(owners.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ranking);
        let of_x = owners
            .iter()
            .find(|(n, _)| *n == x)
            .map(|(_, share)| *share);
        assert_eq!(of_x, Some(graph.share(x, b, method)));
        let holdings = graph.holdings_of(x, method);
        assert_eq!(
            holdings.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            vec![a, b]
        );
        assert_eq!(holdings[1].1, graph.share(x, b, method));
        let among = graph.holdings_among(&[x, a, 99], &[b], method);
        assert_eq!(among.len(), 3);
        assert_eq!(among[0], vec![(b, graph.share(x, b, method))]);
        assert!(among[2].is_empty());
    }
}

#[test]
fn odd_input_never_panics() {
    let nan = Interval::closed(f64::NAN, f64::NAN);
    let graph = Graph::new(
        2,
        vec![
            stake(0, 1, nan, 0),
            exact(5, 1, 50.0, 1),
            exact(0, 7, 50.0, 2),
            stake(1, 0, Interval::closed(80.0, 20.0), 3),
        ],
    );
    assert_eq!(graph.edge_count(), 2);
    assert_eq!(
        graph.share(0, 1, Method::Integrated).economic,
        Interval::UNKNOWN
    );
    assert_eq!(graph.share(0, 9, Method::Integrated), Share::ZERO);
    assert_eq!(graph.share(1, 1, CONTROL), Share::FULL);
    assert_eq!(graph.controls(0, 0, f64::NAN), Truth::True);
    assert!(graph.owners_of(42, Method::Integrated).is_empty());
    let empty = Graph::new(0, Vec::new());
    assert!(empty.holdings_of(0, CONTROL).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Properties

/// A stake share: exact, a band, or unknown, on a 5% grid so that thresholds are hit exactly.
fn share_strategy() -> impl Strategy<Value = Interval> {
    prop_oneof![
        4 => (0u8..=20).prop_map(|k| Interval::exact(k as f64 * 5.0)),
        2 => (0u8..=20, 0u8..=20, any::<bool>(), any::<bool>()).prop_map(|(a, b, lo, hi)| {
            let (min, max) = (a.min(b) as f64 * 5.0, a.max(b) as f64 * 5.0);
            Interval { min, max, min_exclusive: lo && min < max, max_exclusive: hi && min < max }
        }),
        1 => Just(Interval::UNKNOWN),
    ]
}

#[derive(Clone, Debug)]
struct RandomGraph {
    nodes: usize,
    edges: Vec<Edge>,
}

fn graph_strategy(acyclic: bool) -> impl Strategy<Value = RandomGraph> {
    (2usize..7).prop_flat_map(move |nodes| {
        let edge = (0..nodes, 0..nodes, share_strategy(), share_strategy());
        prop::collection::vec(edge, 0..12).prop_map(move |raw| {
            let edges = raw
                .into_iter()
                .enumerate()
                .filter_map(|(index, (a, b, economic, voting))| {
                    let (owner, owned) = if acyclic {
                        (a.min(b), a.max(b))
                    } else {
                        (a, b)
                    };
                    (owner != owned || !acyclic).then_some(Edge {
                        owner,
                        owned,
                        economic,
                        voting,
                        stake: index,
                    })
                })
                .collect();
            RandomGraph { nodes, edges }
        })
    })
}

/// One bound of a stake, and the same bound of a share.
type EdgeBound = fn(&Edge) -> f64;
type ShareBound = fn(&Share) -> f64;

/// Sum over all paths of the product of one bound of the shares, in percent (acyclic graphs),
/// where no organisation passes on more than all of itself: what reaches each one is capped at
/// 100% before it goes further.
fn brute_force(edges: &[Edge], from: NodeId, to: NodeId, bound: EdgeBound) -> f64 {
    fn held(edges: &[Edge], from: NodeId, node: NodeId, bound: EdgeBound) -> f64 {
        if node == from {
            return 1.0;
        }
        let sum: f64 = edges
            .iter()
            .filter(|edge| edge.owned == node)
            .map(|edge| held(edges, from, edge.owner, bound) * bound(edge) / 100.0)
            .sum();
        sum.min(1.0)
    }
    held(edges, from, to, bound) * 100.0
}

fn all_shares(graph: &Graph, nodes: usize, method: Method) -> Vec<Share> {
    let mut shares = Vec::new();
    for owner in 0..nodes {
        for entity in 0..nodes {
            shares.push(graph.share(owner, entity, method));
        }
    }
    shares
}

fn methods() -> [Method; 3] {
    [
        Method::Integrated,
        CONTROL,
        Method::ControlChain { threshold: 25.0 },
    ]
}

proptest! {
    #[test]
    fn integrated_equals_path_enumeration_on_acyclic_graphs(random in graph_strategy(true)) {
        let graph = Graph::new(random.nodes, random.edges.clone());
        let bounds: [(EdgeBound, ShareBound); 4] = [
            (|e| e.economic.min, |s| s.economic.min),
            (|e| e.economic.max, |s| s.economic.max),
            (|e| e.voting.min, |s| s.voting.min),
            (|e| e.voting.max, |s| s.voting.max),
        ];
        for owner in 0..random.nodes {
            for entity in 0..random.nodes {
                let share = graph.share(owner, entity, Method::Integrated);
                for (of_edge, of_share) in bounds {
                    let expected = brute_force(&random.edges, owner, entity, of_edge).min(100.0);
                    prop_assert!((of_share(&share) - expected).abs() < TOLERANCE,
                        "{owner} in {entity}: {share:?}, expected {expected}");
                }
            }
        }
    }

    #[test]
    fn shares_are_percentages(random in graph_strategy(false)) {
        let graph = Graph::new(random.nodes, random.edges);
        for method in methods() {
            for share in all_shares(&graph, random.nodes, method) {
                for interval in [share.economic, share.voting] {
                    prop_assert!(0.0 <= interval.min && interval.min <= interval.max);
                    prop_assert!(interval.max <= 100.0);
                    prop_assert!(!interval.is_empty(), "{interval:?}");
                }
            }
        }
    }

    #[test]
    fn raising_a_stake_never_lowers_a_share(
        random in graph_strategy(false),
        pick in any::<prop::sample::Index>(),
        raise_min in 0u8..=20,
        raise_max in 0u8..=20,
    ) {
        prop_assume!(!random.edges.is_empty());
        let before = Graph::new(random.nodes, random.edges.clone());
        let mut raised = random.edges.clone();
        let edge = &mut raised[pick.index(random.edges.len())];
        for share in [&mut edge.economic, &mut edge.voting] {
            share.max = (share.max + raise_max as f64 * 5.0).min(100.0);
            share.min = (share.min + raise_min as f64 * 5.0).min(share.max);
            share.min_exclusive = false;
            share.max_exclusive = false;
        }
        let after = Graph::new(random.nodes, raised);
        for method in methods() {
            let old = all_shares(&before, random.nodes, method);
            let new = all_shares(&after, random.nodes, method);
            for (index, (old, new)) in old.iter().zip(&new).enumerate() {
                for (o, n) in [(old.economic, new.economic), (old.voting, new.voting)] {
                    prop_assert!(n.min >= o.min - TOLERANCE && n.max >= o.max - TOLERANCE,
                        "{method:?} pair {index}: {o:?} -> {n:?}");
                }
            }
        }
    }

    /// One control-chain walk from a leader gives, for every organisation, the path that
    /// `explain` lists first from that leader to it.
    #[test]
    fn a_control_tree_gives_the_first_path_explain_lists(
        random in graph_strategy(false),
        threshold in prop::sample::select(vec![0.0, 25.0, 50.0, 100.0]),
    ) {
        let graph = Graph::new(random.nodes, random.edges);
        let method = Method::ControlChain { threshold };
        for leader in 0..random.nodes {
            let tree = graph.control_tree(leader, threshold);
            for entity in (0..random.nodes).filter(|&entity| entity != leader) {
                let first = graph
                    .explain(leader, entity, method)
                    .paths
                    .into_iter()
                    .next()
                    .map(|path| (path.nodes, path.stakes));
                let length = first.as_ref().map(|(_, stakes)| stakes.len());
                prop_assert_eq!(tree.chain_to(&graph, entity), first, "{} to {}", leader, entity);
                prop_assert_eq!(tree.chain_length(&graph, entity), length);
            }
        }
    }

    #[test]
    fn owners_and_holdings_match_share(random in graph_strategy(false)) {
        let graph = Graph::new(random.nodes, random.edges);
        for method in methods() {
            for node in 0..random.nodes {
                for (owner, share) in graph.owners_of(node, method) {
                    let direct = graph.share(owner, node, method);
                    for (a, b) in [(share.economic, direct.economic), (share.voting, direct.voting)] {
                        prop_assert!((a.min - b.min).abs() < TOLERANCE && (a.max - b.max).abs() < TOLERANCE,
                            "{method:?} {owner} in {node}: {share:?} vs {direct:?}");
                    }
                }
                let holdings = graph.holdings_of(node, method);
                for &(entity, share) in &holdings {
                    prop_assert_eq!(share, graph.share(node, entity, method));
                }
                // Both lists are complete: every non-zero share appears.
                let owners = graph.owners_of(node, method);
                for other in (0..random.nodes).filter(|&other| other != node) {
                    let held = !graph.share(node, other, method).is_zero();
                    prop_assert_eq!(held, holdings.iter().any(|(n, _)| *n == other));
                    let owning = !graph.share(other, node, method).is_zero();
                    prop_assert_eq!(owning, owners.iter().any(|(n, _)| *n == other));
                }
            }
        }
    }

    #[test]
    fn explained_parts_add_up(random in graph_strategy(false)) {
        let graph = Graph::new(random.nodes, random.edges);
        for owner in 0..random.nodes {
            for entity in 0..random.nodes {
                let explained = graph.explain(owner, entity, Method::Integrated);
                prop_assert_eq!(explained.share, graph.share(owner, entity, Method::Integrated));
                let mut total = [0.0f64; 2];
                for path in &explained.paths {
                    prop_assert_eq!(path.nodes.first(), Some(&owner));
                    prop_assert_eq!(path.nodes.last(), Some(&entity));
                    prop_assert_eq!(path.stakes.len() + 1, path.nodes.len());
                    total[0] += path.economic.max;
                    total[1] += path.voting.max;
                }
                for part in [explained.unlisted, explained.cycle_remainder].into_iter().flatten() {
                    total[0] += part.economic.max;
                    total[1] += part.voting.max;
                }
                // Capping can only make the parts exceed the share, never fall short of it.
                prop_assert!(total[0].min(100.0) >= explained.share.economic.max - TOLERANCE);
                prop_assert!(total[1].min(100.0) >= explained.share.voting.max - TOLERANCE);
                let order: Vec<f64> = explained.paths.iter().map(|p| p.economic.max).collect();
                prop_assert!(order.windows(2).all(|w| w[0] >= w[1] - TOLERANCE));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cross-holdings that keep nearly everything

/// B holds `kept`% of A, a rival `rival`% of A (the rest of A has no recorded owner); A holds
/// 100% of B and 10% of V. Nodes: rival 0, A 1, B 2, V 3.
fn near_singular(kept: f64, rival: f64) -> Graph {
    Graph::new(
        4,
        vec![
            exact(2, 1, kept, 0),
            exact(1, 2, 100.0, 1),
            exact(0, 1, rival, 2),
            exact(1, 3, 10.0, 3),
        ],
    )
}

#[test]
fn a_cycle_keeping_all_but_a_sliver_gives_its_outside_owner_only_what_the_cycle_holds() {
    // The example of a competitor holding 1e-10% of A, whose other owner B it wholly owns: the
    // competitor holds all of A, and through A's 10% stake 10% of V, never 100% of V.
    let graph = near_singular(100.0 - 1e-10, 1e-10);
    assert_close(graph.share(0, 1, Method::Integrated).economic, 100.0, 100.0);
    assert_close(graph.share(0, 3, Method::Integrated).economic, 10.0, 10.0);
    let owners = graph.owners_of(3, Method::Integrated);
    let rival = owners
        .iter()
        .find(|(node, _)| *node == 0)
        .map(|(_, s)| s.economic);
    assert_close(rival.unwrap_or(Interval::ZERO), 10.0, 10.0);
    // Whatever the sliver, the rival's share of A is its part of what the cycle leaves out.
    for exponent in 1..=12 {
        let sliver = 10f64.powi(-exponent);
        for (rival, expected_in_a) in [(sliver, 100.0), (sliver / 10.0, 10.0)] {
            let graph = near_singular(100.0 - sliver, rival);
            // The inputs themselves are binary fractions: 100% less the sliver is off by up to
            // half a unit in the last place of 100, a part of the sliver that grows as it shrinks.
            let precision = 1e-9 + 2e-14 / sliver;
            for share in [
                graph.share(0, 1, Method::Integrated),
                graph
                    .owners_of(1, Method::Integrated)
                    .into_iter()
                    .find(|(node, _)| *node == 0)
                    .map_or(Share::ZERO, |(_, s)| s),
            ] {
                let got = share.economic.max;
                assert!(
                    (got - expected_in_a).abs() <= precision * expected_in_a,
                    "sliver {sliver}, rival {rival}: {got} of A, expected {expected_in_a}"
                );
            }
            let in_v = graph.share(0, 3, Method::Integrated).economic.max;
            assert!(
                (in_v - expected_in_a / 10.0).abs() <= precision * expected_in_a,
                "sliver {sliver}: {in_v} of V"
            );
        }
    }
}

/// A stake share for graphs that may keep nearly everything: the 5% grid, bands and unknown
/// shares, and shares a sliver short of 100% or a sliver above 0.
fn near_whole_share() -> impl Strategy<Value = Interval> {
    prop_oneof![
        3 => share_strategy(),
        2 => (1i32..=13).prop_map(|k| Interval::exact(100.0 - 10f64.powi(-k))),
        1 => (1i32..=13).prop_map(|k| Interval::exact(10f64.powi(-k))),
        1 => Just(Interval::exact(100.0)),
    ]
}

/// Random graphs with cycles: `nodes` organisations, each stake with a share from
/// [`near_whole_share`], voting equal to or apart from economic.
fn cyclic_graph_strategy() -> impl Strategy<Value = RandomGraph> {
    (2usize..8).prop_flat_map(|nodes| {
        let edge = (
            0..nodes,
            0..nodes,
            near_whole_share(),
            near_whole_share(),
            any::<bool>(),
        );
        prop::collection::vec(edge, 1..16).prop_map(move |raw| {
            let edges = raw
                .into_iter()
                .enumerate()
                .map(|(index, (owner, owned, economic, voting, same))| Edge {
                    owner,
                    owned,
                    economic,
                    voting: if same { economic } else { voting },
                    stake: index,
                })
                .collect();
            RandomGraph { nodes, edges }
        })
    })
}

/// The organisations `owner` reaches by chains of stakes that can carry something at the bound
/// `of` reads, itself included.
fn reached(edges: &[Edge], owner: NodeId, of: EdgeBound) -> Vec<NodeId> {
    let mut seen = vec![owner];
    let mut next = 0;
    while next < seen.len() {
        let node = seen[next];
        next += 1;
        for edge in edges.iter().filter(|e| e.owner == node && of(e) > 0.0) {
            // Stakes held in the owner are ignored: it is an outside owner.
            if edge.owned != owner && !seen.contains(&edge.owned) {
                seen.push(edge.owned);
            }
        }
    }
    seen
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn shares_through_cycles_stay_within_the_stakes_that_reach(random in cyclic_graph_strategy()) {
        let graph = Graph::new(random.nodes, random.edges.clone());
        let bounds: [(EdgeBound, ShareBound); 4] = [
            (|e| e.economic.min, |s| s.economic.min),
            (|e| e.economic.max, |s| s.economic.max),
            (|e| e.voting.min, |s| s.voting.min),
            (|e| e.voting.max, |s| s.voting.max),
        ];
        for entity in 0..random.nodes {
            let owners = graph.owners_of(entity, Method::Integrated);
            for owner in (0..random.nodes).filter(|&owner| owner != entity) {
                let share = graph.share(owner, entity, Method::Integrated);
                let listed = owners.iter().find(|(node, _)| *node == owner).map(|(_, s)| *s);
                for candidate in [Some(share), listed].into_iter().flatten() {
                    for interval in [candidate.economic, candidate.voting] {
                        prop_assert!(interval.min.is_finite() && interval.max.is_finite());
                        prop_assert!(0.0 <= interval.min && interval.min <= interval.max);
                        prop_assert!(interval.max <= 100.0, "{interval:?}");
                    }
                    for (of_edge, of_share) in bounds {
                        // The direct stakes in the entity held by what the owner reaches.
                        let reach = reached(&random.edges, owner, of_edge);
                        let held: f64 = random
                            .edges
                            .iter()
                            .filter(|e| e.owned == entity && reach.contains(&e.owner))
                            .map(|e| of_edge(e).clamp(0.0, 100.0))
                            .sum();
                        prop_assert!(
                            of_share(&candidate) <= held + TOLERANCE,
                            "{owner} in {entity}: {candidate:?} above the {held}% held by what it reaches"
                        );
                    }
                }
            }
        }
    }
}

/// Under the control-chain method, as under the integrated one, a path of more than
/// `MAX_DEPTH` stakes is not listed: its share is `unlisted` (each owner of a long chain would
/// otherwise carry a path through all of it).
#[test]
fn a_control_chain_path_past_the_longest_listed_is_unlisted() {
    let n = vrisk::ownership::MAX_DEPTH + 6;
    let edges = (0..n).map(|i| exact(i, i + 1, 100.0, i)).collect();
    let graph = Graph::new(n + 1, edges);
    let control = Method::ControlChain { threshold: 50.0 };
    let far = graph.explain(0, n, control);
    assert!(far.paths.is_empty(), "{} paths listed", far.paths.len());
    let unlisted = far.unlisted.expect("the share is unlisted");
    assert_close(unlisted.economic, 100.0, 100.0);
    let near = graph.explain(n - 3, n, control);
    assert_eq!(near.paths.len(), 1);
    assert_eq!(near.paths[0].stakes.len(), 3);
    assert!(near.unlisted.is_none());
    // A view of all the owners explains the far owner without walking from it, the same way.
    let view = graph.owners_view(n, control);
    let from_view = view.explain(0);
    assert!(from_view.paths.is_empty());
    let unlisted = from_view.unlisted.expect("the share is unlisted");
    assert_close(unlisted.economic, 100.0, 100.0);
    assert_close(from_view.share.economic, 100.0, 100.0);
    assert_eq!(view.explain(n - 3).paths, near.paths);
}

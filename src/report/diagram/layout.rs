//! Places a [`Diagram`] with layout-rs, a layered (Sugiyama-style) layout: ranks, fewer
//! crossings, Brandes-Köpf placement and spline routing, the way Graphviz's `dot` draws.
//!
//! layout-rs expects a graph it can use safely, and this module gives it one:
//! - an ownership graph may have cycles (cross-holdings); they are broken here, by drawing each
//!   link that closes a cycle the other way round with its arrowhead at its start, so the
//!   picture still says who owns whom;
//! - layout-rs checks each new link for a cycle by a search that can take exponential time on
//!   graphs with many paths, and after each one checks the whole graph again. The links go in
//!   in topological order of their owners, so that each search ends at once, and the
//!   whole-graph checks (debugging aids) are switched off;
//! - a link from an organisation to itself is not drawn (it is counted in the note);
//! - the graph is never empty.
//!
//! What layout-rs draws is recorded, not written: [`Placed`] holds the boxes, the links' curves
//! and the labels' positions, and `svg` writes them.

use std::collections::VecDeque;

use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::{Diagram, MAX_LABEL_CHARS, shorten};

/// Pixels per character and per line that the layout reserves for a label.
const CHAR_WIDTH: f64 = 7.5;
const LINE_HEIGHT: f64 = 16.;
/// layout-rs sizes a link's label as characters × font size.
const LABEL_FONT: usize = 7;

/// A box where a node goes.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedNode {
    /// Index into the diagram's nodes.
    pub node: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A link's curve: a start point, then cubic Bézier segments (two control points and an end
/// point each), and where its arrowheads go.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedEdge {
    pub start: Point,
    pub segments: Vec<[Point; 3]>,
    pub head_at_start: bool,
    pub head_at_end: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// The diagram laid out, in a box from (0, 0) to (width, height).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placed {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<PlacedEdge>,
    pub labels: Vec<PlacedLabel>,
    /// Links from an organisation to itself, which are not drawn.
    pub self_links: usize,
}

/// The lines of a node's box: its name, and its detail when it has one.
pub fn node_lines(diagram: &Diagram, node: usize) -> Vec<String> {
    let Some(n) = diagram.nodes.get(node) else {
        return Vec::new();
    };
    let mut lines = vec![shorten(&n.name, MAX_LABEL_CHARS)];
    if let Some(detail) = &n.detail {
        lines.push(shorten(detail, MAX_LABEL_CHARS));
    }
    lines
}

pub fn place(diagram: &Diagram) -> Placed {
    if diagram.nodes.is_empty() {
        return Placed::default();
    }
    let links = acyclic_links(diagram);
    let mut graph = VisualGraph::new(Orientation::LeftToRight);
    // The whole-graph checks after each step cost O(paths); the links below keep the graph
    // acyclic by construction.
    graph.dag.set_validate(false);
    let handles: Vec<_> = (0..diagram.nodes.len())
        .map(|i| {
            let lines = node_lines(diagram, i);
            let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
            let size = Point::new(
                chars.max(4) as f64 * CHAR_WIDTH + 20.,
                lines.len() as f64 * LINE_HEIGHT + 14.,
            );
            graph.add_node(Element::create_with_properties(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::LeftToRight,
                size,
                i.to_string(),
            ))
        })
        .collect();
    let label_look = StyleAttr::new(Color::fast("black"), 1, None, 0, LABEL_FONT);
    for link in &links.kept {
        let (start, end) = if link.reversed {
            (LineEndKind::Arrow, LineEndKind::None)
        } else {
            (LineEndKind::None, LineEndKind::Arrow)
        };
        let arrow = Arrow::new(
            start,
            end,
            layout::core::style::LineStyleKind::Normal,
            &shorten(&link.label, MAX_LABEL_CHARS),
            &label_look,
            &None,
            &None,
        );
        graph.add_edge(arrow, handles[link.from], handles[link.to]);
    }
    let mut recorder = Recorder::default();
    graph.do_it(false, false, false, &mut recorder);
    recorder.into_placed(links.self_links)
}

struct Link {
    from: usize,
    to: usize,
    label: String,
    /// Drawn from `to` to `from` in the diagram: the layout's link runs the other way.
    reversed: bool,
}

struct Links {
    /// In topological order of `from`.
    kept: Vec<Link>,
    self_links: usize,
}

/// The diagram's links as an acyclic graph: a depth-first search from each node in order
/// finds the links that close a cycle, which are turned round; then the links are sorted by
/// the topological rank of their start.
fn acyclic_links(diagram: &Diagram) -> Links {
    let n = diagram.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut self_links = 0;
    for (i, e) in diagram.edges.iter().enumerate() {
        if e.from >= n || e.to >= n {
            continue;
        }
        if e.from == e.to {
            self_links += 1;
        } else {
            out[e.from].push(i);
        }
    }
    // 0: not seen, 1: on the stack, 2: done.
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; diagram.edges.len()];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&(node, next)) = stack.last() {
            if let Some(&edge) = out[node].get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let to = diagram.edges[edge].to;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => reversed[edge] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    let mut kept: Vec<Link> = diagram
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.from < n && e.to < n && e.from != e.to)
        .map(|(i, e)| {
            let (from, to) = if reversed[i] {
                (e.to, e.from)
            } else {
                (e.from, e.to)
            };
            Link {
                from,
                to,
                label: e.label.clone(),
                reversed: reversed[i],
            }
        })
        .collect();
    // Kahn's algorithm, smallest index first, for a rank that does not depend on hashing.
    let mut indegree = vec![0usize; n];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for link in &kept {
        indegree[link.to] += 1;
        successors[link.from].push(link.to);
    }
    let mut rank = vec![0usize; n];
    let mut ready: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut next_rank = 0;
    while let Some(node) = ready.pop_front() {
        rank[node] = next_rank;
        next_rank += 1;
        for &to in &successors[node] {
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push_back(to);
            }
        }
    }
    kept.sort_by_key(|link| rank[link.from]);
    Links { kept, self_links }
}

/// Records what layout-rs draws.
#[derive(Default)]
struct Recorder {
    nodes: Vec<PlacedNode>,
    edges: Vec<PlacedEdge>,
    labels: Vec<PlacedLabel>,
    /// The next text is the (empty) label of the box just drawn.
    skip_text: bool,
}

impl Recorder {
    /// Moves everything so that the drawing starts at a small margin from (0, 0).
    fn into_placed(self, self_links: usize) -> Placed {
        const MARGIN: f64 = 8.;
        let mut min = Point::new(f64::INFINITY, f64::INFINITY);
        let mut max = Point::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
        let mut grow = |p: Point| {
            min = Point::new(min.x.min(p.x), min.y.min(p.y));
            max = Point::new(max.x.max(p.x), max.y.max(p.y));
        };
        for n in &self.nodes {
            grow(Point::new(n.x, n.y));
            grow(Point::new(n.x + n.width, n.y + n.height));
        }
        for e in &self.edges {
            grow(e.start);
            e.segments.iter().flatten().for_each(|p| grow(*p));
        }
        for l in &self.labels {
            let half = l.text.chars().count() as f64 * 3.5 + 4.;
            grow(Point::new(l.x - half, l.y - 8.));
            grow(Point::new(l.x + half, l.y + 8.));
        }
        if !min.x.is_finite() || !max.x.is_finite() {
            return Placed::default();
        }
        let shift = |p: Point| Point::new(p.x - min.x + MARGIN, p.y - min.y + MARGIN);
        Placed {
            width: max.x - min.x + 2. * MARGIN,
            height: max.y - min.y + 2. * MARGIN,
            nodes: self
                .nodes
                .into_iter()
                .map(|n| {
                    let p = shift(Point::new(n.x, n.y));
                    PlacedNode {
                        x: p.x,
                        y: p.y,
                        ..n
                    }
                })
                .collect(),
            edges: self
                .edges
                .into_iter()
                .map(|e| PlacedEdge {
                    start: shift(e.start),
                    segments: e.segments.iter().map(|s| s.map(shift)).collect(),
                    ..e
                })
                .collect(),
            labels: self
                .labels
                .into_iter()
                .map(|l| {
                    let p = shift(Point::new(l.x, l.y));
                    PlacedLabel {
                        x: p.x,
                        y: p.y,
                        ..l
                    }
                })
                .collect(),
            self_links,
        }
    }
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        // Only the diagram's boxes carry properties: their node index.
        if let Some(node) = properties.and_then(|p| p.parse::<usize>().ok()) {
            self.nodes.push(PlacedNode {
                node,
                x: xy.x,
                y: xy.y,
                width: size.x,
                height: size.y,
            });
            self.skip_text = true;
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if std::mem::take(&mut self.skip_text) || text.is_empty() {
            return;
        }
        self.labels.push(PlacedLabel {
            x: xy.x,
            y: xy.y,
            text: text.to_string(),
        });
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        _properties: Option<String>,
        _text: &str,
    ) {
        // layout-rs's path: the first pair is the start and its control point, each later pair
        // a control point and an end point, as in SVG's `M x y C c1 c2 p S c p S c p ...`.
        let Some(&(start, first_control)) = path.first() else {
            return;
        };
        let mut segments = Vec::new();
        let mut previous = (start, first_control);
        for (i, &(control, point)) in path.iter().enumerate().skip(1) {
            // The first segment's first control point is given; each later one mirrors the
            // previous segment's second control point about its end (SVG's `S`).
            let c1 = if i == 1 {
                first_control
            } else {
                Point::new(
                    2. * previous.0.x - previous.1.x,
                    2. * previous.0.y - previous.1.y,
                )
            };
            segments.push([c1, control, point]);
            previous = (point, control);
        }
        self.edges.push(PlacedEdge {
            start,
            segments,
            head_at_start: head.0,
            head_at_end: head.1,
        });
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagram(links: &[(usize, usize)], nodes: usize) -> Diagram {
        let mut d = Diagram::default();
        for i in 0..nodes {
            d.node(&format!("o{i}"), &format!("Org {i}"));
        }
        for &(a, b) in links {
            d.edge(a, b, &format!("{a}→{b}"));
        }
        d
    }

    #[test]
    fn every_node_and_link_is_placed() {
        let placed = place(&diagram(&[(0, 1), (1, 2), (0, 2)], 3));
        assert_eq!(placed.nodes.len(), 3);
        assert_eq!(placed.edges.len(), 3);
        assert_eq!(placed.labels.len(), 3);
        for n in &placed.nodes {
            assert!(n.x >= 0. && n.y >= 0. && n.x + n.width <= placed.width);
        }
    }

    #[test]
    fn cycles_are_turned_round_not_dropped() {
        // A cross-holding and a longer cycle.
        let placed = place(&diagram(&[(0, 1), (1, 0), (1, 2), (2, 3), (3, 1)], 4));
        assert_eq!(placed.edges.len(), 5);
        assert_eq!(placed.edges.iter().filter(|e| e.head_at_start).count(), 2);
    }

    #[test]
    fn self_links_are_counted_not_drawn() {
        let placed = place(&diagram(&[(0, 0), (0, 1)], 2));
        assert_eq!((placed.edges.len(), placed.self_links), (1, 1));
    }

    #[test]
    fn a_lattice_with_many_paths_is_placed_quickly() {
        // 2^30 paths from the first node to the last: an exponential search would not end.
        let layers = 31;
        let mut links = Vec::new();
        for l in 0..layers - 1 {
            for a in 0..2 {
                for b in 0..2 {
                    links.push((l * 2 + a, (l + 1) * 2 + b));
                }
            }
        }
        let placed = place(&diagram(&links, layers * 2));
        assert_eq!(placed.edges.len(), links.len());
    }

    #[test]
    fn an_empty_diagram_places_nothing() {
        assert_eq!(place(&Diagram::default()), Placed::default());
    }
}

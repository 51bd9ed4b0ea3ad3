//! Ownership diagrams: organisations as boxes, stakes as labelled arrows from owner to owned.
//! One [`Diagram`] is drawn as Mermaid (the Markdown report, `vrisk graph`) or as SVG laid out
//! by layout-rs (the HTML report, `vrisk graph --format svg`).
//!
//! A diagram a reader can use is small: past a few hundred links Mermaid stops rendering and
//! a drawing turns into a hairball. [`Diagram::capped`] keeps the first links (the nearest, in
//! the order the caller gives them) and counts the rest, which every drawing then mentions.

pub mod layout;
pub mod mermaid;
pub mod svg;

use crate::engine::PathEvidence;

/// The most links a diagram draws; the rest are counted in a note.
pub const MAX_EDGES: usize = 100;

/// The most characters of a name a box shows; the full name is in the report's text.
pub const MAX_LABEL_CHARS: usize = 48;

/// What a box stands for, which the drawings set apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    Plain,
    /// The organisation the diagram is about (the vendor; the centre of `vrisk graph`).
    Focus,
    /// The owner the finding is about (the competitor).
    Owner,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The organisation's id, which identifies the node.
    pub id: String,
    pub name: String,
    /// A second line under the name (`vrisk graph` shows the id there).
    pub detail: Option<String>,
    pub emphasis: Emphasis,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Indices into [`Diagram::nodes`].
    pub from: usize,
    pub to: usize,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Links of the picture that a cap left out.
    pub left_out: usize,
}

impl Diagram {
    /// The node of `id`, added (with `name`) if it is new.
    pub fn node(&mut self, id: &str, name: &str) -> usize {
        match self.nodes.iter().position(|n| n.id == id) {
            Some(i) => i,
            None => {
                self.nodes.push(Node {
                    id: id.to_string(),
                    name: name.to_string(),
                    detail: None,
                    emphasis: Emphasis::Plain,
                });
                self.nodes.len() - 1
            }
        }
    }

    /// Adds a link, unless the same one (same ends, same label) is there already.
    pub fn edge(&mut self, from: usize, to: usize, label: &str) {
        let edge = Edge {
            from,
            to,
            label: label.to_string(),
        };
        if !self.edges.contains(&edge) {
            self.edges.push(edge);
        }
    }

    /// The ownership paths of a finding: one node per organisation (shared between paths), one
    /// link per step labelled with its share, in order of first appearance. The owner of the
    /// paths is marked [`Emphasis::Owner`], the organisation they end at [`Emphasis::Focus`].
    pub fn from_paths(paths: &[PathEvidence]) -> Diagram {
        let mut diagram = Diagram::default();
        for (number, path) in paths.iter().enumerate() {
            let mut previous = None;
            for (i, id, name) in drawn_nodes(path, number) {
                let current = diagram.node(&id, &name);
                if let Some(from) = previous {
                    let label = path.links.get(i - 1).map(String::as_str).unwrap_or("?");
                    diagram.edge(from, current, label);
                }
                previous = Some(current);
            }
        }
        for path in paths {
            let ends = [
                (path.via.first(), Emphasis::Owner),
                (path.via.last(), Emphasis::Focus),
            ];
            for (id, emphasis) in ends {
                if let Some(node) = id.and_then(|id| diagram.nodes.iter_mut().find(|n| &n.id == id))
                {
                    node.emphasis = emphasis;
                }
            }
        }
        diagram
    }

    /// At most `max_edges` links: the first ones, with the nodes they touch (and every node
    /// marked as focus, so the subject of the picture is never cut), the rest counted in
    /// `left_out`.
    pub fn capped(&self, max_edges: usize) -> Diagram {
        if self.edges.len() <= max_edges {
            return self.clone();
        }
        let kept = &self.edges[..max_edges];
        let mut keep = vec![false; self.nodes.len()];
        for e in kept {
            for end in [e.from, e.to] {
                if let Some(k) = keep.get_mut(end) {
                    *k = true;
                }
            }
        }
        for (i, n) in self.nodes.iter().enumerate() {
            if n.emphasis == Emphasis::Focus {
                keep[i] = true;
            }
        }
        let mut index = vec![usize::MAX; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if keep[i] {
                index[i] = nodes.len();
                nodes.push(n.clone());
            }
        }
        let edges = kept
            .iter()
            .map(|e| Edge {
                from: index[e.from],
                to: index[e.to],
                label: e.label.clone(),
            })
            .collect();
        Diagram {
            nodes,
            edges,
            left_out: self.left_out + self.edges.len() - max_edges,
        }
    }

    /// What a drawing says under itself when a cap left links out.
    pub fn note(&self) -> Option<String> {
        (self.left_out > 0).then(|| {
            format!(
                "{} more link{} not drawn: a diagram shows at most {MAX_EDGES}",
                self.left_out,
                if self.left_out == 1 { "" } else { "s" }
            )
        })
    }
}

/// `text` cut to `max` characters, with an ellipsis when it was longer; line breaks and tabs
/// become spaces, so that a name is one line of a box.
pub fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The nodes a path draws, each with the index of the link into it plus one (the link into node
/// `i` is `links[i - 1]`), its id and its name: every node, or, for a path longer than
/// [`crate::report::ROUTE_LINKS`] links, its two ends around one node standing for the links
/// left out, as the text formats shorten it (never at the competitor's end).
fn drawn_nodes(path: &PathEvidence, number: usize) -> Vec<(usize, String, String)> {
    let node = |i: usize| {
        let id = path.via.get(i).cloned().unwrap_or_default();
        let name = path.names.get(i).cloned().unwrap_or_else(|| id.clone());
        (i, id, name)
    };
    let links = path.via.len().saturating_sub(1);
    if links <= crate::report::ROUTE_LINKS {
        return (0..path.via.len()).map(node).collect();
    }
    // The gap takes the first link in; the last node takes the last link out of the gap.
    let gap = (1, format!("…{number}"), format!("… {} links …", links - 2));
    vec![node(0), gap, node(links)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Diagram {
        let mut d = Diagram::default();
        for i in 0..n {
            let a = d.node(&format!("o{i}"), &format!("O{i}"));
            let b = d.node(&format!("o{}", i + 1), &format!("O{}", i + 1));
            d.edge(a, b, "10%");
        }
        d
    }

    #[test]
    fn capping_keeps_the_first_links_and_counts_the_rest() {
        let mut d = chain(5);
        d.nodes[5].emphasis = Emphasis::Focus;
        let c = d.capped(2);
        assert_eq!(c.edges.len(), 2);
        assert_eq!(c.left_out, 3);
        // o0, o1, o2 for the links, o5 because it is the subject.
        let ids: Vec<&str> = c.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["o0", "o1", "o2", "o5"]);
        assert_eq!(
            c.note().as_deref(),
            Some("3 more links not drawn: a diagram shows at most 100")
        );
        assert_eq!(d.capped(5), d);
    }

    #[test]
    fn names_are_shortened_to_one_line() {
        assert_eq!(shorten("Meta\nPlatforms", 20), "Meta Platforms");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
    }
}

//! `vrisk graph ENTITY`: the ownership graph around an organisation — who owns it and what it
//! owns, a few links out — as Mermaid (renders on GitHub), Graphviz DOT, or SVG drawn by the
//! same renderer as the HTML report; to standard output or to `--output PATH`.
//!
//! The neighbourhood is found breadth-first over adjacency lists (the stakes each organisation
//! owns and is owned by), so a run costs the size of the neighbourhood, not the registry's
//! stakes times the nodes visited. Mermaid and SVG draw at most
//! [`MAX_EDGES`](crate::report::diagram::MAX_EDGES) links, the nearest first, and say how many
//! they left out; DOT, for Graphviz, has every link.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

use crate::cli::args::{GraphArgs, GraphFormat};
use crate::cli::exit::Exit;
use crate::cli::inputs::{limits_from, read_registry};
use crate::cli::output::{Destination, Inputs, Mode, Plan};
use crate::cli::terminal::Terminal;
use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::SourceMap;
use crate::registry::{Registry, Stake};
use crate::report::diagram::{self, Diagram, Emphasis, MAX_EDGES};
use crate::value::date::Date;
use crate::value::text::{defuse_ci_commands, neutralise};

pub fn run(args: GraphArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.limits);
    let mut sources = SourceMap::new();
    let registry = match read_registry(
        &args.registry,
        args.example,
        args.snapshot.check(),
        &mut sources,
        &limits,
    ) {
        Ok(r) => r,
        Err(problems) => {
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    if registry.org(&args.entity).is_none() {
        let problem = Problem::new(
            "graph::unknown-organisation",
            format!("`{}` is no organisation of the registry", args.entity),
        );
        let ids = registry.organisations.iter().map(|o| o.id.value.as_str());
        let problem = match did_you_mean(&args.entity, ids) {
            Some(s) => problem.with_help(format!("did you mean `{s}`?")),
            None => problem.with_help("give the id of an organisation in the registry"),
        };
        terminal.report_problems(&[problem], &sources);
        return Exit::Invalid;
    }
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let stakes = neighbourhood(&registry, &args.entity, as_of, args.depth);
    let whole = diagram_of(&registry, &args.entity, &stakes);
    let drawn = whole.capped(MAX_EDGES);
    let text = match args.format {
        GraphFormat::Mermaid => diagram::mermaid::flowchart(&drawn),
        GraphFormat::Dot => dot(&whole),
        GraphFormat::Svg => diagram::svg::render(
            &drawn,
            &format!(
                "Ownership around {} ({}) as of {as_of}",
                registry.name_of(&args.entity),
                args.entity
            ),
        ),
    };
    if args.format != GraphFormat::Dot
        && let Some(note) = drawn.note()
    {
        eprintln!(
            "vrisk graph: {note}; the nearest are drawn. Lower --depth, or use --format dot \
             for Graphviz, which draws them all."
        );
    }
    // Through the output plan: never over an input, a device written in place, `-` is stdout.
    let destination = Destination::of(args.output.as_deref());
    let mut plan = Plan::new(Inputs::of_sources(&sources));
    let slot = match plan.add(&destination, "the graph", Mode::Replace) {
        Ok(slot) => slot,
        Err(problem) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    plan.fill(slot, defuse_ci_commands(&text).into_owned());
    if let Err(failed) = plan.commit() {
        terminal.report(&[failed.problem], &sources, &failed.outcome);
        return Exit::Invalid;
    }
    Exit::Ok
}

/// The stakes active on `as_of` within `depth` links of `entity`, up and down, nearest first
/// (breadth-first; at one distance, in registry order).
fn neighbourhood<'r>(
    registry: &'r Registry,
    entity: &str,
    as_of: Date,
    depth: usize,
) -> Vec<&'r Stake> {
    // Each organisation's active stakes, as owner and as owned: one pass over the registry.
    let mut adjacent: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, stake) in registry.stakes.iter().enumerate() {
        if stake.active_on(as_of) {
            adjacent
                .entry(stake.owner.id.as_str())
                .or_default()
                .push(index);
            if stake.owned.id != stake.owner.id {
                adjacent
                    .entry(stake.owned.id.as_str())
                    .or_default()
                    .push(index);
            }
        }
    }
    let mut seen: HashMap<&str, ()> = HashMap::from([(entity, ())]);
    let mut chosen = vec![false; registry.stakes.len()];
    let mut order: Vec<usize> = Vec::new();
    let mut queue: VecDeque<(&str, usize)> = VecDeque::from([(entity, 0)]);
    while let Some((id, distance)) = queue.pop_front() {
        if distance >= depth {
            continue;
        }
        let mut around: Vec<usize> = adjacent.get(id).cloned().unwrap_or_default();
        around.sort_unstable();
        for index in around {
            let stake = &registry.stakes[index];
            let other = if stake.owned.id == id {
                stake.owner.id.as_str()
            } else {
                stake.owned.id.as_str()
            };
            if !chosen[index] {
                chosen[index] = true;
                order.push(index);
            }
            if seen.insert(other, ()).is_none() {
                queue.push_back((other, distance + 1));
            }
        }
    }
    order.into_iter().map(|i| &registry.stakes[i]).collect()
}

/// The organisations and stakes as a diagram: the centre first, then each organisation in the
/// order the stakes reach it, one line with its name and one with its id.
fn diagram_of<'a>(registry: &'a Registry, entity: &'a str, stakes: &[&'a Stake]) -> Diagram {
    let mut diagram = Diagram::default();
    let mut index: HashMap<&'a str, usize> = HashMap::new();
    let centre = node_of(&mut diagram, &mut index, registry, entity);
    diagram.nodes[centre].emphasis = Emphasis::Focus;
    for s in stakes {
        let from = node_of(&mut diagram, &mut index, registry, &s.owner.id);
        let to = node_of(&mut diagram, &mut index, registry, &s.owned.id);
        // Two stakes with the same ends and figures are one link of the picture.
        let edge = diagram::Edge {
            from,
            to,
            label: label(s),
        };
        if !diagram.edges.contains(&edge) {
            diagram.edges.push(edge);
        }
    }
    diagram
}

/// The node of organisation `id`, added if it is new.
fn node_of<'a>(
    diagram: &mut Diagram,
    index: &mut HashMap<&'a str, usize>,
    registry: &Registry,
    id: &'a str,
) -> usize {
    *index.entry(id).or_insert_with(|| {
        diagram.nodes.push(diagram::Node {
            id: id.to_string(),
            name: registry.name_of(id).to_string(),
            detail: Some(id.to_string()),
            emphasis: Emphasis::Plain,
        });
        diagram.nodes.len() - 1
    })
}

fn label(stake: &Stake) -> String {
    let economic = stake.economic.interval;
    let voting = stake.voting_interval();
    let mut text = economic.to_string();
    if voting != economic {
        text.push_str(&format!(", {voting} votes"));
    }
    if stake.board {
        text.push_str(", board");
    }
    if stake.indirect {
        text.push_str(", declared indirect");
    }
    text
}

fn dot_text(text: &str) -> String {
    neutralise(text).replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(diagram: &Diagram) -> String {
    let mut out = String::from("digraph ownership {\n  rankdir=LR;\n  node [shape=box];\n");
    for (i, node) in diagram.nodes.iter().enumerate() {
        let bold = if node.emphasis == Emphasis::Focus {
            ", penwidth=3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{i} [label=\"{}\\n{}\"{bold}];",
            dot_text(&node.name),
            dot_text(&node.id)
        );
    }
    for e in &diagram.edges {
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{}\"];",
            e.from,
            e.to,
            dot_text(&e.label)
        );
    }
    out.push_str("}\n");
    out
}

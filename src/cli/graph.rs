//! `vrisk graph ENTITY`: the ownership graph around an organisation — who owns it and what it
//! owns, a few links out — as Mermaid (renders on GitHub) or Graphviz DOT.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write;

use crate::cli::args::{GraphArgs, GraphFormat};
use crate::cli::exit::Exit;
use crate::cli::inputs::{limits_from, load_registry};
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::SourceMap;
use crate::registry::{Registry, Stake};
use crate::report::markdown::mermaid_text;
use crate::value::date::Date;
use crate::value::text::{defuse_ci_commands, neutralise};

pub fn run(args: GraphArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.limits);
    let mut sources = SourceMap::new();
    let registry = match load_registry(&args.registry, &mut sources, &limits) {
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
    let text = match args.format {
        GraphFormat::Mermaid => mermaid(&registry, &args.entity, &stakes),
        GraphFormat::Dot => dot(&registry, &args.entity, &stakes),
    };
    print_stdout(&defuse_ci_commands(&text));
    Exit::Ok
}

/// The stakes active on `as_of` within `depth` links of `entity`, up and down, in registry order.
fn neighbourhood<'r>(
    registry: &'r Registry,
    entity: &str,
    as_of: Date,
    depth: usize,
) -> Vec<&'r Stake> {
    let active: Vec<(usize, &Stake)> = registry
        .stakes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.active_on(as_of))
        .collect();
    let mut seen: BTreeSet<&str> = BTreeSet::from([entity]);
    let mut chosen: BTreeSet<usize> = BTreeSet::new();
    let mut queue: VecDeque<(&str, usize)> = VecDeque::from([(entity, 0)]);
    while let Some((id, distance)) = queue.pop_front() {
        if distance >= depth {
            continue;
        }
        for (index, stake) in &active {
            let other = if stake.owned.id == id {
                stake.owner.id.as_str()
            } else if stake.owner.id == id {
                stake.owned.id.as_str()
            } else {
                continue;
            };
            chosen.insert(*index);
            if seen.insert(other) {
                queue.push_back((other, distance + 1));
            }
        }
    }
    chosen.into_iter().map(|i| &registry.stakes[i]).collect()
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

/// Node ids for the diagram languages: `n0`, `n1`, ... in order of first appearance.
fn node_ids<'a>(entity: &'a str, stakes: &[&'a Stake]) -> BTreeMap<&'a str, String> {
    let mut order: Vec<&str> = vec![entity];
    for s in stakes {
        for id in [s.owner.id.as_str(), s.owned.id.as_str()] {
            if !order.contains(&id) {
                order.push(id);
            }
        }
    }
    order
        .into_iter()
        .enumerate()
        .map(|(i, id)| (id, format!("n{i}")))
        .collect()
}

fn mermaid(registry: &Registry, entity: &str, stakes: &[&Stake]) -> String {
    let ids = node_ids(entity, stakes);
    let mut out = String::from("flowchart LR\n");
    let mut nodes: Vec<(&&str, &String)> = ids.iter().collect();
    nodes.sort_by_key(|(_, n)| n[1..].parse::<usize>().unwrap_or(0));
    for (id, node) in nodes {
        let _ = writeln!(
            out,
            "  {node}[\"{}<br/>{}\"]",
            mermaid_text(registry.name_of(id)),
            mermaid_text(id)
        );
    }
    for s in stakes {
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            ids[s.owner.id.as_str()],
            mermaid_text(&label(s)),
            ids[s.owned.id.as_str()]
        );
    }
    let _ = writeln!(out, "  style {} stroke-width:3px", ids[entity]);
    out
}

/// Text inside a quoted DOT string: neutralised (so a control character shows as `\u{1b}`),
/// then backslashes and quotes escaped.
fn dot_text(text: &str) -> String {
    neutralise(text).replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(registry: &Registry, entity: &str, stakes: &[&Stake]) -> String {
    let ids = node_ids(entity, stakes);
    let mut out = String::from("digraph ownership {\n  rankdir=LR;\n  node [shape=box];\n");
    let mut nodes: Vec<(&&str, &String)> = ids.iter().collect();
    nodes.sort_by_key(|(_, n)| n[1..].parse::<usize>().unwrap_or(0));
    for (id, node) in nodes {
        let bold = if *id == entity { ", penwidth=3" } else { "" };
        let _ = writeln!(
            out,
            "  {node} [label=\"{}\\n{}\"{bold}];",
            dot_text(registry.name_of(id)),
            dot_text(id)
        );
    }
    for s in stakes {
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"];",
            ids[s.owner.id.as_str()],
            ids[s.owned.id.as_str()],
            dot_text(&label(s))
        );
    }
    out.push_str("}\n");
    out
}

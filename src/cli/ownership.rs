//! `vrisk ownership ENTITY`: the effective owners of an organisation, largest first, with the
//! paths behind each share.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::cli::args::{MethodName, OwnershipArgs, ProblemFormat};
use crate::cli::exit::Exit;
use crate::cli::inputs::{limits_from, read_registry};
use crate::cli::terminal::{Terminal, print_stdout};
use crate::engine::World;
use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::SourceMap;
use crate::ownership::{Explained, Method, NodeId};
use crate::registry::Registry;
use crate::value::date::Date;
use crate::value::interval::Interval;
use crate::value::text::{defuse_ci_commands, json_pretty, neutralise, pad_end};

pub fn run(args: OwnershipArgs) -> Exit {
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
    let entity = match find(&registry, &args.entity, "ENTITY") {
        Ok(n) => n,
        Err(p) => {
            terminal.report_problems(&[p], &sources);
            return Exit::Invalid;
        }
    };
    let by = match args.by.as_deref().map(|id| find(&registry, id, "--by")) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(p)) => {
            terminal.report_problems(&[p], &sources);
            return Exit::Invalid;
        }
    };
    let method = match args.method {
        MethodName::Integrated => Method::Integrated,
        MethodName::ControlChain => Method::ControlChain {
            threshold: args.control_threshold,
        },
    };
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let world = World::new(&registry, entity, as_of);
    // One view of the entity's owners explains each of them without walking its ancestry again.
    let view = world.graph.owners_view(entity, method);
    let owners: Vec<Explained> = view
        .owners()
        .iter()
        .filter(|(owner, _)| by.is_none_or(|b| b == *owner))
        .map(|&(owner, _)| view.explain(owner))
        .collect();
    let text = match args.format {
        ProblemFormat::Json => {
            format!(
                "{}\n",
                json_pretty(&to_json(&world, entity, method, &owners))
            )
        }
        ProblemFormat::Human => human(&world, entity, method, &owners),
    };
    print_stdout(&text);
    Exit::Ok
}

fn find(registry: &Registry, id: &str, what: &str) -> Result<NodeId, Problem> {
    registry.org_index(id).ok_or_else(|| {
        let problem = Problem::new(
            "ownership::unknown-organisation",
            format!("{what} `{id}` is no organisation of the registry"),
        );
        let ids = registry.organisations.iter().map(|o| o.id.value.as_str());
        match did_you_mean(id, ids) {
            Some(s) => problem.with_help(format!("did you mean `{s}`?")),
            None => problem.with_help("give the id of an organisation in the registry"),
        }
    })
}

pub fn method_label(method: Method) -> String {
    match method {
        Method::Integrated => "integrated".to_string(),
        Method::ControlChain { .. } => "control-chain".to_string(),
    }
}

/// A percentage as JSON: a number of percent, rounded to 1e-9 so that 200/3 prints stably.
fn pct(value: f64) -> Value {
    json!((value * 1e9).round() / 1e9)
}

fn interval_json(interval: &Interval) -> Value {
    let mut v = json!({"min": pct(interval.min), "max": pct(interval.max)});
    if interval.min_exclusive {
        v["min_exclusive"] = true.into();
    }
    if interval.max_exclusive {
        v["max_exclusive"] = true.into();
    }
    v
}

fn to_json(world: &World, entity: NodeId, method: Method, owners: &[Explained]) -> Value {
    let registry = world.registry;
    let owners: Vec<Value> = owners
        .iter()
        .map(|e| {
            let paths: Vec<Value> = e
                .paths
                .iter()
                .map(|p| {
                    json!({
                        "via": p.nodes.iter().map(|&n| world.id(n)).collect::<Vec<_>>(),
                        "economic": interval_json(&p.economic),
                        "voting": interval_json(&p.voting),
                        "stakes": p.stakes.iter().map(|&s| {
                            let stake = &registry.stakes[s];
                            json!({
                                "owner": stake.owner.id,
                                "owned": stake.owned.id,
                                "economic": interval_json(&stake.economic.interval),
                                "voting": interval_json(&stake.voting_interval()),
                                "source": stake.source.as_ref().map(|r| r.id.clone()),
                            })
                        }).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let mut owner = json!({
                "owner": world.id(e.owner),
                "name": registry.organisations[e.owner].name,
                "economic": interval_json(&e.share.economic),
                "voting": interval_json(&e.share.voting),
                "paths": paths,
            });
            if let Some(rest) = &e.cycle_remainder {
                owner["cycles"] = json!({
                    "economic": interval_json(&rest.economic),
                    "voting": interval_json(&rest.voting),
                });
            }
            if let Some(rest) = &e.unlisted {
                owner["unlisted"] = json!({
                    "economic": interval_json(&rest.economic),
                    "voting": interval_json(&rest.voting),
                });
            }
            owner
        })
        .collect();
    let mut out = json!({
        "entity": world.id(entity),
        "name": registry.organisations[entity].name,
        "as_of": world.as_of.to_string(),
        "method": method_label(method),
        "owners": owners,
    });
    if let Method::ControlChain { threshold } = method {
        out["control_threshold"] = pct(threshold);
    }
    out
}

/// The owners as text. Each line is built, then neutralised as a whole (its own text has no
/// control character, so only data changes, and no data adds a line).
fn human(world: &World, entity: NodeId, method: Method, owners: &[Explained]) -> String {
    let registry = world.registry;
    let mut out = String::new();
    line(
        &mut out,
        format!(
            "Effective owners of {} ({}) as of {}, {} method",
            registry.organisations[entity].name,
            world.id(entity),
            world.as_of,
            method_label(method)
        ),
    );
    if owners.is_empty() {
        out.push_str("  no owner with a share above 0% is recorded\n");
        return defuse_ci_commands(&out).into_owned();
    }
    let ids: Vec<_> = owners
        .iter()
        .map(|e| neutralise(world.id(e.owner)))
        .collect();
    let width = ids
        .iter()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    out.push('\n');
    line(
        &mut out,
        format!(
            "  {}  {:>18}  {:>18}",
            pad_end("owner", width),
            "economic",
            "voting"
        ),
    );
    for (e, id) in owners.iter().zip(&ids) {
        line(
            &mut out,
            format!(
                "  {}  {:>18}  {:>18}",
                pad_end(id, width),
                e.share.economic.to_string(),
                e.share.voting.to_string()
            ),
        );
    }
    out.push('\n');
    for e in owners {
        line(
            &mut out,
            format!(
                "{} ({}): {} economic, {} voting",
                registry.organisations[e.owner].name,
                world.id(e.owner),
                e.share.economic,
                e.share.voting
            ),
        );
        let count = e.paths.len();
        for (i, path) in e.paths.iter().enumerate() {
            let branch = if i + 1 == count && e.cycle_remainder.is_none() && e.unlisted.is_none() {
                "└─"
            } else {
                "├─"
            };
            let mut route = String::new();
            for (j, &node) in path.nodes.iter().enumerate() {
                if j > 0 {
                    let stake = &registry.stakes[path.stakes[j - 1]];
                    let _ = write!(route, " ─{}→ ", stake.economic.interval);
                }
                route.push_str(world.id(node));
            }
            line(&mut out, format!("  {branch} {route}  = {}", path.economic));
        }
        if let Some(rest) = &e.unlisted {
            line(
                &mut out,
                format!("  ├─ (further paths)  = {}", rest.economic),
            );
        }
        if let Some(rest) = &e.cycle_remainder {
            line(
                &mut out,
                format!("  └─ (round cross-holding cycles)  = {}", rest.economic),
            );
        }
    }
    defuse_ci_commands(&out).into_owned()
}

/// Appends one line, neutralised.
fn line(out: &mut String, text: impl AsRef<str>) {
    out.push_str(&neutralise(text.as_ref()));
    out.push('\n');
}

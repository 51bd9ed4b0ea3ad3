//! `vrisk validate`: read the registry (and the policies) and report every problem.

use std::collections::BTreeMap;

use crate::cli::args::{ProblemFormat, ValidateArgs};
use crate::cli::exit::Exit;
use crate::cli::inputs::{limits_from, load_policies, load_registry};
use crate::cli::terminal::{Terminal, plural, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::source::SourceMap;
use crate::value::text::json_pretty;

/// Validates the registry (PATHS, --registry, or the discovered one) and, when --policies is
/// given or no PATHS are, the policies too. Every problem of every file is reported.
pub fn run(args: ValidateArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.inputs.limits);
    let mut paths = args.paths.clone();
    paths.extend(args.inputs.registry.iter().cloned());
    let check_policies = !args.inputs.policies.is_empty() || paths.is_empty();
    let mut sources = SourceMap::new();
    let progress = crate::cli::progress::Progress::start("reading the registry");
    let registry = load_registry(&paths, &mut sources, &limits);
    let registry_files = sources.files().count();
    let policies = check_policies.then(|| {
        load_policies(
            &args.inputs.policies,
            &mut sources,
            &limits,
            &BTreeMap::new(),
        )
    });
    drop(progress);
    let mut problems = Vec::new();
    let mut summary = Vec::new();
    match &registry {
        Ok(registry) => {
            problems.extend(registry.warnings.iter().cloned());
            summary.push(format!(
            "registry valid: {registry_files} file{}, {} organisations, {} stakes, {} competitors, {} vendor relationships, {} sources",
            plural(registry_files),
            registry.organisations.len(),
            registry.stakes.len(),
            registry.competitors.len(),
            registry.vendors.len(),
            registry.sources.len(),
        ))
        }
        Err(p) => problems.extend(p.iter().cloned()),
    }
    match &policies {
        Some(Ok(policies)) => summary.push(format!(
            "policies valid: {} polic{}",
            policies.len(),
            if policies.len() == 1 { "y" } else { "ies" }
        )),
        Some(Err(p)) => problems.extend(p.iter().cloned()),
        None => {}
    }
    if args.format == ProblemFormat::Json {
        let json = crate::input::diagnostic::problems_to_json(&problems, &sources);
        print_stdout(&format!("{}\n", json_pretty(&json)));
    } else if !problems.iter().any(Problem::is_error) {
        terminal.report_warnings(&problems, &sources);
        print_stdout(&format!("{}\n", summary.join("; ")));
    } else {
        terminal.report_problems(&problems, &sources);
    }
    if problems.iter().any(Problem::is_error) {
        Exit::Invalid
    } else {
        Exit::Ok
    }
}

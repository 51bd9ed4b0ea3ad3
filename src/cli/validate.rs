//! `vrisk validate`: read the registry (and the policies) and report every problem.

use std::collections::BTreeMap;

use crate::cli::args::{ProblemFormat, ValidateArgs};
use crate::cli::exit::Exit;
use crate::cli::inputs::{
    Inputs, RegistryInput, Request, limits_from, load_policies, load_registry,
};
use crate::cli::terminal::{Terminal, print_notes, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::source::SourceMap;
use crate::value::count;
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
    let request = Request {
        registry: &paths,
        policies: &args.inputs.policies,
        example: args.inputs.example,
        uses_policies: check_policies,
        registry_optional: check_policies,
    };
    let plan = match Inputs::read(request, None, &mut sources, &limits) {
        Ok(inputs) => inputs.plan,
        Err(problems) => {
            report_invalid(&terminal, args.format, &problems, &sources);
            return Exit::Invalid;
        }
    };
    print_notes(&plan.notes);
    let progress = crate::cli::progress::Progress::start("reading the registry");
    let before = sources.files().count();
    let registry = load_registry(
        &plan.registry,
        args.inputs.snapshot.check(),
        &mut sources,
        &limits,
    );
    let registry_files = sources.files().count() - before;
    let policies = check_policies.then(|| {
        load_policies(&plan.policies, &mut sources, &limits, &BTreeMap::new()).map(
            |(policies, notes)| {
                print_notes(&notes);
                policies
            },
        )
    });
    drop(progress);
    let mut problems = Vec::new();
    let mut summary = Vec::new();
    match &registry {
        // Policies alone: there is no registry to speak of.
        Ok(_) if plan.registry == RegistryInput::None => {}
        Ok(registry) => {
            problems.extend(registry.warnings.iter().cloned());
            summary.push(format!(
                "registry valid: {}, {}, {}, {}, {}, {}",
                count(registry_files, "file"),
                count(registry.organisations.len(), "organisation"),
                count(registry.stakes.len(), "stake"),
                count(registry.competitors.len(), "competitor"),
                count(registry.vendors.len(), "vendor relationship"),
                count(registry.sources.len(), "source"),
            ))
        }
        Err(p) => problems.extend(p.iter().cloned()),
    }
    match &policies {
        Some(Ok(policies)) => summary.push(format!(
            "policies valid: {}",
            count(policies.len(), "policy")
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

/// Problems found before anything was read, in the format asked for.
fn report_invalid(
    terminal: &Terminal,
    format: ProblemFormat,
    problems: &[Problem],
    sources: &SourceMap,
) {
    if format == ProblemFormat::Json {
        let json = crate::input::diagnostic::problems_to_json(problems, sources);
        print_stdout(&format!("{json:#}\n"));
    } else {
        terminal.report_problems(problems, sources);
    }
}

//! Runs one command: loads the inputs, calls the library, prints, and picks the exit code.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, LimitArgs, ProblemFormat, SchemaArgs, SchemaName, ValidateArgs};
use crate::diagnostic::{Problem, render_diagnostic};
use crate::exit::Exit;
use crate::limits::Limits;
use crate::policy::Policy;
use crate::registry::{self, Registry};
use crate::schema::SchemaKind;
use crate::source::SourceMap;

pub fn run(cli: Cli) -> Exit {
    crate::internal::run_guarded(move || match cli.command {
        Command::Check(args) => crate::check::run(args),
        Command::Validate(args) => validate(args),
        Command::Ownership(args) => crate::ownership_cmd::run(args),
        Command::Explain(args) => crate::explain::run(args),
        Command::Graph(args) => crate::graph::run(args),
        Command::Init(args) => crate::init::run(args),
        Command::Schema(args) => schema(args),
        Command::Test(args) => crate::testing::run_command(args),
        Command::New(args) => crate::scaffold::run(args),
        Command::Completions(args) => crate::generate::completions(args),
        Command::Man(args) => crate::generate::man(args),
        Command::Import(args) => crate::import::run(args),
    })
}

/// How problems are shown on stderr: colour only on a terminal and only without NO_COLOR.
pub struct Terminal {
    pub color: bool,
    pub stdout_color: bool,
    pub width: usize,
    /// Also print problems as JSON on stdout (`vrisk check --format json`), for machines.
    pub problems_json: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100);
        Terminal {
            color: std::io::stderr().is_terminal() && !no_color,
            stdout_color: std::io::stdout().is_terminal() && !no_color,
            width,
            problems_json: false,
        }
    }

    /// Prints warnings (nothing stops): the run goes on.
    pub fn report_warnings(&self, problems: &[Problem], sources: &SourceMap) {
        let mut stderr = std::io::stderr().lock();
        for problem in problems {
            let text = render_diagnostic(&problem.to_diagnostic(sources), self.width, self.color);
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.write_all(b"\n");
        }
    }

    pub fn report_problems(&self, problems: &[Problem], sources: &SourceMap) {
        self.report(problems, sources, "nothing was evaluated");
    }

    /// Prints the problems, then, if any is an error, a count and what did not happen.
    pub fn report(&self, problems: &[Problem], sources: &SourceMap, outcome: &str) {
        if self.problems_json {
            let json = crate::diagnostic::problems_to_json(problems, sources);
            print_stdout(&format!("{json:#}\n"));
        }
        let mut stderr = std::io::stderr().lock();
        for problem in problems {
            let text = render_diagnostic(&problem.to_diagnostic(sources), self.width, self.color);
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.write_all(b"\n");
        }
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let warnings = problems.len() - errors;
        if errors > 0 {
            let _ = writeln!(
                stderr,
                "error: {errors} error{}{} found; {outcome}",
                plural(errors),
                if warnings > 0 {
                    format!(" and {warnings} warning{}", plural(warnings))
                } else {
                    String::new()
                }
            );
        }
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes to stdout; a closed pipe (`vrisk check | head -1`) ends the output quietly.
pub fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot write to standard output: {e}"
        );
    }
}

pub fn limits_from(args: &LimitArgs) -> Limits {
    let mut limits = Limits::default();
    if let Some(bytes) = args.max_file_bytes {
        limits.max_file_bytes = bytes;
    }
    if let Some(depth) = args.max_depth {
        limits.max_depth = depth.min(crate::limits::DEPTH_CEILING);
    }
    let counts = [
        (args.max_nodes, &mut limits.max_nodes),
        (args.max_aliases, &mut limits.max_aliases),
        (args.max_alias_expansion, &mut limits.max_alias_expansion),
        (args.max_string_bytes, &mut limits.max_string_bytes),
        (args.max_organisations, &mut limits.max_organisations),
        (args.max_stakes, &mut limits.max_stakes),
        (args.max_policies, &mut limits.max_policies),
    ];
    for (flag, limit) in counts {
        if let Some(n) = flag {
            *limit = n;
        }
    }
    limits
}

/// Where the registry comes from: explicit paths, ./registry, or the embedded copy.
pub fn load_registry(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    if !paths.is_empty() {
        return registry::load(paths, sources, limits);
    }
    let local = PathBuf::from("registry");
    if local.is_dir() {
        return registry::load(&[local], sources, limits);
    }
    registry::load_files(crate::embedded::registry_files(), sources, limits)
}

/// Where the policies come from: explicit paths, ./policies, or the embedded copies.
pub fn load_policies(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
    overrides: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Vec<Policy>, Vec<Problem>> {
    let files = if !paths.is_empty() {
        read_policy_files(paths, limits, sources)?
    } else if Path::new("policies").is_dir() {
        read_policy_files(&[PathBuf::from("policies")], limits, sources)?
    } else {
        crate::embedded::policy_files()
    };
    let no_overrides = BTreeMap::new();
    let mut policies = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let id = sources.add(file);
        // Overrides are keyed by policy id, which is only known once the file is read: peek it.
        let policy_id = crate::policy::peek_id_within(sources.get(id), limits);
        let params = policy_id
            .and_then(|pid| overrides.get(&pid))
            .unwrap_or(&no_overrides);
        match crate::policy::load_policy(id, sources.get(id), params, limits) {
            Ok(policy) => policies.push(policy),
            Err(p) => problems.extend(p),
        }
    }
    let mut seen: BTreeMap<String, crate::source::Loc> = BTreeMap::new();
    for policy in &policies {
        if let Some(first) = seen.get(&policy.id) {
            problems.push(
                Problem::new(
                    "policy::duplicate-id",
                    format!("two policies have the id `{}`", policy.id),
                )
                .at(policy.id_loc, "declared again here")
                .at(*first, "first declared here")
                .with_help("policy ids must be unique; rename one"),
            );
        } else {
            seen.insert(policy.id.clone(), policy.id_loc);
        }
    }
    if policies.is_empty() && problems.is_empty() {
        problems.push(
            Problem::new("policy::none", "no policy to evaluate")
                .with_help("point --policies at a directory of policy files"),
        );
    }
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(policies)
}

fn read_policy_files(
    paths: &[PathBuf],
    limits: &Limits,
    sources: &mut SourceMap,
) -> Result<Vec<crate::source::SourceFile>, Vec<Problem>> {
    let mut files =
        crate::inputs::expand(paths, crate::registry::EXTENSIONS, "policy").map_err(|p| vec![p])?;
    files.retain(|path| !crate::policy::is_test_file(path));
    if files.len() > limits.max_policies {
        return Err(vec![crate::limits::too_many_files(
            crate::limits::Limit::Policies,
            limits,
            &files[limits.max_policies],
            files.len(),
            sources,
        )]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match crate::source::read_file_into(&path, &path.display().to_string(), limits, sources) {
            Ok(file) => out.push(file),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Validates the registry (PATHS, --registry, or the discovered one) and, when --policies is
/// given or no PATHS are, the policies too. Every problem of every file is reported.
fn validate(args: ValidateArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.inputs.limits);
    let mut paths = args.paths.clone();
    paths.extend(args.inputs.registry.iter().cloned());
    let check_policies = !args.inputs.policies.is_empty() || paths.is_empty();
    let mut sources = SourceMap::new();
    let progress = crate::progress::Progress::start("reading the registry");
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
        let json = crate::diagnostic::problems_to_json(&problems, &sources);
        print_stdout(&format!("{json:#}\n"));
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

fn schema(args: SchemaArgs) -> Exit {
    let kind = match args.kind {
        SchemaName::Registry => SchemaKind::Registry,
        SchemaName::Policy => SchemaKind::Policy,
        SchemaName::Waivers => SchemaKind::Waivers,
        SchemaName::Config => SchemaKind::Config,
        SchemaName::Test => SchemaKind::Test,
    };
    print_stdout(kind.text());
    if !kind.text().ends_with('\n') {
        print_stdout("\n");
    }
    Exit::Ok
}

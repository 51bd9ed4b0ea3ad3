//! `vrisk check`: gather the inputs (flags, then vrisk.yaml, then ./registry and ./policies,
//! then the embedded copies), evaluate, write every requested report, pick the exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::args::{CheckArgs, ReportTarget};
use crate::cli::config::{self, Config};
use crate::cli::exit::Exit;
use crate::cli::inputs::{limits_from, load_policies, load_registry};
use crate::cli::output::write_atomically;
use crate::cli::progress::Progress;
use crate::cli::terminal::{Terminal, print_stdout};
use crate::engine::{self, Evaluation};
use crate::engine::{FailOn, Gate, baseline, gate};
use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::SourceMap;
use crate::policy::Budget;
use crate::report::{self, FormatName};
use crate::value::date::Date;

pub fn run(args: CheckArgs) -> Exit {
    let mut terminal = Terminal::detect();
    terminal.problems_json = json_on_stdout(&args.formats, &[]);
    let limits = limits_from(&args.inputs.limits);
    let mut sources = SourceMap::new();
    let config = match read_config(args.config.as_deref(), &mut sources, &limits) {
        Ok(config) => config,
        Err(problems) => {
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    terminal.problems_json = json_on_stdout(&args.formats, &config.formats);
    let missing = config.missing_paths(
        args.inputs.registry.is_empty(),
        args.inputs.policies.is_empty(),
    );
    if !missing.is_empty() {
        terminal.report_problems(&missing, &sources);
        return Exit::Invalid;
    }
    let registry_paths = first_non_empty(&args.inputs.registry, &config.registry);
    let policy_paths = first_non_empty(&args.inputs.policies, &config.policies);
    let overrides = match param_overrides(&args.params, &config) {
        Ok(o) => o,
        Err(problem) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    let progress = Progress::start("reading the registry and the policies");
    let registry = load_registry(&registry_paths, &mut sources, &limits);
    let policies = load_policies(&policy_paths, &mut sources, &limits, &overrides);
    let policies = crate::cli::empty::allow_no_policies(policies, args.allow_empty);
    drop(progress);
    let (registry, policies) = match (registry, policies) {
        (Ok(r), Ok(p)) => (r, p),
        (r, p) => {
            let mut problems = Vec::new();
            if let Err(e) = r {
                problems.extend(e);
            }
            if let Err(e) = p {
                problems.extend(e);
            }
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    if let Some((policy, problem)) = unknown_param_policies(&overrides, &policies) {
        let problem = config.locate(problem, &format!("params.{policy}"), "not a loaded policy");
        terminal.report_problems(&[problem], &sources);
        return Exit::Invalid;
    }
    let requested_org = args.org.as_deref().or(config.org.as_deref());
    let org = match engine::resolve_org(&registry, requested_org) {
        Ok(org) => org.to_string(),
        Err(problem) => {
            let problem = match args.org {
                None => config.locate(problem, "org", "not an organisation of the registry"),
                Some(_) => problem,
            };
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    if let Some(problem) = crate::cli::empty::no_vendors(&registry, &org, args.allow_empty) {
        terminal.report_problems(&[problem], &sources);
        return Exit::Invalid;
    }
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let baseline = match args.baseline.as_deref().map(|p| read_baseline(p, &limits)) {
        None => None,
        Some(Ok(b)) => Some(b),
        Some(Err(problem)) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    let progress = Progress::start("evaluating the policies");
    let evaluated = engine::evaluate_within(
        &Evaluation {
            registry: &registry,
            policies: &policies,
            sources: &sources,
            org: &org,
            as_of,
        },
        &Budget::from_limits(&limits),
    );
    drop(progress);
    // A policy over the evaluation budget fails the run (exit 2) rather than giving an
    // indeterminate finding that the gate could let through.
    let mut report = match evaluated {
        Ok(report) => report,
        Err(problems) => {
            terminal.report(&problems, &sources, "no report was written");
            return Exit::Invalid;
        }
    };
    // Warnings about the inputs (a policy that applies to no vendor) are for the person at
    // the terminal whatever the report format; the reports carry them too.
    crate::cli::empty::print_warnings(&report.warnings);
    let fail_on = match resolve_fail_on(args.fail_on, &config) {
        Ok(f) => f,
        Err(problem) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    let fail_on_indeterminate =
        args.fail_on_indeterminate || config.fail_on_indeterminate.unwrap_or(false);
    let targets = match targets(&args.formats, &config) {
        Ok(t) => t,
        Err(problem) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    let waiver_path = args.waivers.clone().or(config.waivers.clone()).or_else(|| {
        let local = PathBuf::from(crate::engine::waivers::FILE_NAME);
        local.is_file().then_some(local)
    });
    if let Some(path) = waiver_path {
        match crate::engine::waivers::load(&path, &mut sources, &limits, &policies, &registry) {
            Ok(waivers) => {
                let days = args
                    .waiver_warning_days
                    .or(config.waiver_warning_days)
                    .unwrap_or(crate::engine::waivers::DEFAULT_WARNING_DAYS);
                let warnings = crate::engine::waivers::apply(&mut report, &waivers, days);
                terminal.report_warnings(&warnings, &sources);
                for w in &warnings {
                    let place = w
                        .location(&sources)
                        .map(|l| format!("{l}: "))
                        .unwrap_or_default();
                    report.warnings.push(format!("{place}{}", w.message));
                }
            }
            Err(problems) => {
                terminal.report_problems(&problems, &sources);
                return Exit::Invalid;
            }
        }
    }
    report.gate = Gate::from_flags(Some(fail_on), fail_on_indeterminate, args.new_only);
    if let Some(baseline) = &baseline {
        baseline::compare(&mut report, baseline);
    }
    let verdict = gate::verdict(&report);
    let style = report::human::Style {
        color: terminal.stdout_color,
        width: terminal.width,
    };
    // In GitHub Actions, the annotations come with a summary on the run's page.
    if targets.iter().any(|t| t.format == FormatName::Github)
        && let Err(e) =
            report::github::append_step_summary(&report::markdown::render(&report, verdict))
    {
        let problem = Problem::new(
            "output::step-summary",
            format!("cannot append to GITHUB_STEP_SUMMARY: {e}"),
        );
        terminal.report_problems(&[problem], &sources);
        return Exit::Invalid;
    }
    for target in &targets {
        let text = report::render(target.format, &report, &sources, &style, verdict);
        match &target.path {
            None => print_stdout(&text),
            Some(path) => {
                if let Err(problem) = write_atomically(path, &text) {
                    terminal.report_problems(&[problem], &sources);
                    return Exit::Invalid;
                }
            }
        }
    }
    Exit::from(verdict)
}

/// Whether problems should also go to stdout as JSON: a JSON report to stdout was asked for, by
/// flag or else by vrisk.yaml.
fn json_on_stdout(flags: &[ReportTarget], config: &[String]) -> bool {
    let is_json = |t: &ReportTarget| t.format == FormatName::Json && t.path.is_none();
    if flags.is_empty() {
        config
            .iter()
            .filter_map(|f| crate::cli::args::parse_target(f).ok())
            .any(|t| is_json(&t))
    } else {
        flags.iter().any(is_json)
    }
}

fn first_non_empty(flags: &[PathBuf], config: &[PathBuf]) -> Vec<PathBuf> {
    if flags.is_empty() {
        config.to_vec()
    } else {
        flags.to_vec()
    }
}

fn read_config(
    explicit: Option<&Path>,
    sources: &mut SourceMap,
    limits: &crate::input::limits::Limits,
) -> Result<Config, Vec<Problem>> {
    match explicit {
        Some(path) => config::load(path, sources, limits),
        None => Ok(config::discover(Path::new("."), sources, limits)?.unwrap_or_default()),
    }
}

/// `--param POLICY.NAME=VALUE` flags over vrisk.yaml's `params`.
fn param_overrides(
    flags: &[String],
    config: &Config,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, Problem> {
    let mut overrides = config.params.clone();
    for (policy, values) in param_overrides_from(flags)? {
        overrides.entry(policy).or_default().extend(values);
    }
    Ok(overrides)
}

/// Parses `--param POLICY.NAME=VALUE` flags.
pub fn param_overrides_from(
    flags: &[String],
) -> Result<BTreeMap<String, BTreeMap<String, String>>, Problem> {
    let mut overrides: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for flag in flags {
        let parsed = flag
            .split_once('=')
            .and_then(|(key, value)| key.split_once('.').map(|(p, n)| (p, n, value)));
        match parsed {
            Some((policy, name, value)) if !policy.is_empty() && !name.is_empty() => {
                overrides
                    .entry(policy.to_string())
                    .or_default()
                    .insert(name.to_string(), value.to_string());
            }
            _ => {
                return Err(Problem::new(
                    "check::bad-param",
                    format!("--param `{flag}` is not POLICY.NAME=VALUE"),
                )
                .with_help("e.g. --param competitor-ownership.threshold=25%"));
            }
        }
    }
    Ok(overrides)
}

/// A parameter override for a policy that is not loaded: the policy id and the problem.
fn unknown_param_policies<'o>(
    overrides: &'o BTreeMap<String, BTreeMap<String, String>>,
    policies: &[crate::policy::Policy],
) -> Option<(&'o str, Problem)> {
    let ids: Vec<&str> = policies.iter().map(|p| p.id.as_str()).collect();
    overrides
        .keys()
        .find(|k| !ids.contains(&k.as_str()))
        .map(|k| {
            let problem = Problem::new(
                "check::unknown-policy",
                format!("a parameter is given for policy `{k}`, which is not loaded"),
            );
            let problem = match did_you_mean(k, ids.iter().copied()) {
                Some(s) => problem.with_help(format!("did you mean `{s}`?")),
                None => problem.with_help(format!("loaded policies: {}", ids.join(", "))),
            };
            (k.as_str(), problem)
        })
}

fn resolve_fail_on(flag: Option<FailOn>, config: &Config) -> Result<FailOn, Problem> {
    if let Some(f) = flag {
        return Ok(f);
    }
    match config.fail_on.as_deref() {
        None => Ok(FailOn::Low),
        Some(text) => FailOn::parse(text).ok_or_else(|| {
            Problem::new(
                "config::fail-on",
                format!("fail_on `{text}` is not a severity"),
            )
        }),
    }
}

fn targets(flags: &[ReportTarget], config: &Config) -> Result<Vec<ReportTarget>, Problem> {
    if !flags.is_empty() {
        return Ok(flags.to_vec());
    }
    if config.formats.is_empty() {
        return Ok(vec![ReportTarget {
            format: FormatName::Human,
            path: None,
        }]);
    }
    config
        .formats
        .iter()
        .map(|f| {
            crate::cli::args::parse_target(f)
                .map_err(|e| Problem::new("config::format", format!("vrisk.yaml formats: {e}")))
        })
        .collect()
}

fn read_baseline(
    path: &Path,
    limits: &crate::input::limits::Limits,
) -> Result<baseline::Baseline, Problem> {
    let display = path.display().to_string();
    // Through the same reader as every input: size-limited, decoded with a located error.
    let text = crate::input::source::read_file(path, &display, limits)?.text;
    baseline::load_baseline(&text).map_err(|e| {
        Problem::new("check::bad-baseline", format!("{display}: {e}"))
            .with_help("give a report written by `vrisk check --format json=PATH`")
    })
}

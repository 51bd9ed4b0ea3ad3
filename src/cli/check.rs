//! `vrisk check`: gather the inputs (flags, then vrisk.yaml, then ./registry and ./policies;
//! see `cli::inputs`), evaluate, write every requested report, pick the exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::args::{CheckArgs, ReportTarget};
use crate::cli::config::Config;
use crate::cli::exit::Exit;
use crate::cli::inputs::{Inputs, Request, limits_from, load_policies, load_registry, read_config};
use crate::cli::output::{self, Destination, Mode, Plan, Slot};
use crate::cli::progress::Progress;
use crate::cli::terminal::{Terminal, print_notes};
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
    let config = if args.inputs.example {
        // --example checks the example, not this directory: its vrisk.yaml is not read.
        Ok(None)
    } else {
        read_config(args.config.as_deref(), &mut sources, &limits)
    };
    let config = match config {
        Ok(config) => config,
        Err(problems) => {
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    terminal.problems_json = json_on_stdout(
        &args.formats,
        config.as_ref().map_or(&[][..], |c| &c.formats),
    );
    let request = Request {
        registry: &args.inputs.registry,
        policies: &args.inputs.policies,
        example: args.inputs.example,
        uses_policies: true,
        registry_optional: false,
    };
    let Inputs {
        config,
        plan: chosen,
    } = match Inputs::plan(request, config) {
        Ok(inputs) => inputs,
        Err(problems) => {
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    let overrides = match param_overrides(&args.params, &config) {
        Ok(o) => o,
        Err(problem) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    print_notes(&chosen.notes);
    let progress = Progress::start("reading the registry and the policies");
    let registry = load_registry(
        &chosen.registry,
        args.inputs.snapshot.check(),
        &mut sources,
        &limits,
    );
    let policies = load_policies(&chosen.policies, &mut sources, &limits, &overrides);
    let policies = crate::cli::empty::allow_no_policies(policies, args.allow_empty);
    drop(progress);
    // The waivers file is read with the other inputs, so that its problems are reported with
    // theirs; its references are checked against whatever loaded.
    let waivers = waiver_path(&args, &config).map(|path| {
        crate::engine::waivers::load(
            &path,
            &mut sources,
            &limits,
            policies.as_ref().ok().map(|(p, _)| p.as_slice()),
            registry.as_ref().ok(),
        )
    });
    let waiver_problems = waivers.as_ref().map_or(&[][..], |w| w.problems.as_slice());
    let (registry, policies) = match (registry, policies) {
        (Ok(r), Ok((p, notes))) if waiver_problems.is_empty() => {
            print_notes(&notes);
            (r, p)
        }
        (r, p) => {
            let mut problems = Vec::new();
            if let Err(e) = r {
                problems.extend(e);
            }
            if let Err(e) = p {
                problems.extend(e);
            }
            problems.extend(waiver_problems.iter().cloned());
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
    let fail_on = match resolve_fail_on(args.fail_on, &config) {
        Ok(f) => f,
        Err(problem) => {
            terminal.report_problems(&[problem], &sources);
            return Exit::Invalid;
        }
    };
    let fail_on_indeterminate =
        args.fail_on_indeterminate || config.fail_on_indeterminate.unwrap_or(false);
    // Every report target is checked before the evaluation, so that a path that cannot be
    // written stops the run before it costs anything.
    let planned = targets(&args.formats, &config).and_then(|targets| {
        let mut inputs = output::Inputs::of_sources(&sources);
        if let Some(path) = &args.baseline {
            inputs.add(&path.display().to_string(), path);
        }
        plan_reports(targets, inputs)
    });
    let (mut plan, slots) = match planned {
        Ok(planned) => planned,
        Err(problem) => {
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
    if let Some(waivers) = &waivers {
        let days = args
            .waiver_warning_days
            .or(config.waiver_warning_days)
            .unwrap_or(crate::engine::waivers::DEFAULT_WARNING_DAYS);
        let warnings = crate::engine::waivers::apply(&mut report, &waivers.waivers, days);
        terminal.report_warnings(&warnings, &sources);
        for w in &warnings {
            let place = w
                .location(&sources)
                .map(|l| format!("{l}: "))
                .unwrap_or_default();
            report.warnings.push(format!("{place}{}", w.message));
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
    for (slot, format) in slots {
        if plan.is_filled(slot) {
            continue;
        }
        // Each report goes into its file as soon as it is made, so that the reports of a large
        // run are never all in memory at once; the JSON report, gigabytes for 100,000 vendors,
        // is written as it is made.
        let filled = plan.fill_with(slot, &mut |w| match format {
            Rendered::Report(FormatName::Json) => report::json::write(&report, w),
            Rendered::Report(format) => {
                w.write_all(report::render(format, &report, &sources, &style, verdict).as_bytes())
            }
            Rendered::StepSummary { room } => {
                let mut text = report::markdown::render_within(&report, verdict, room);
                // So that a later step's summary starts on a line of its own.
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                w.write_all(text.as_bytes())
            }
        });
        if let Err(failed) = filled {
            let outcome = format!("the evaluation ran, but {}", failed.outcome);
            terminal.report(&[failed.problem], &sources, &outcome);
            return Exit::Invalid;
        }
    }
    if let Err(failed) = plan.commit() {
        let outcome = format!("the evaluation ran, but {}", failed.outcome);
        terminal.report(&[failed.problem], &sources, &outcome);
        return Exit::Invalid;
    }
    Exit::from(verdict)
}

/// What goes into a planned output.
#[derive(Clone, Copy)]
enum Rendered {
    Report(FormatName),
    /// The Markdown report appended to GitHub's job summary, within the `room` left of the
    /// step's 1 MiB (an earlier command of the same step may have written to it already).
    StepSummary {
        room: usize,
    },
}

/// Checks every report target, and, with GitHub annotations in GitHub Actions, the job summary
/// they come with. A format asked for twice with the same target is written once.
fn plan_reports(
    targets: Vec<ReportTarget>,
    inputs: output::Inputs,
) -> Result<(Plan, Vec<(Slot, Rendered)>), Problem> {
    let mut plan = Plan::new(inputs);
    let mut slots = Vec::new();
    for target in &targets {
        let destination = Destination::of(target.path.as_deref());
        let slot = plan.add(&destination, target.format.name(), Mode::Replace)?;
        slots.push((slot, Rendered::Report(target.format)));
    }
    if targets.iter().any(|t| t.format == FormatName::Github)
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        let used = std::fs::metadata(&path).map_or(0, |m| m.len());
        let room = report::github::STEP_SUMMARY_BYTES
            .saturating_sub(usize::try_from(used).unwrap_or(usize::MAX));
        let destination = Destination::Path(PathBuf::from(path));
        let slot = plan
            .add(&destination, "the job summary", Mode::Append)
            .map_err(|problem| Problem {
                code: "output::step-summary",
                message: format!("GITHUB_STEP_SUMMARY: {}", problem.message),
                ..problem
            })?;
        slots.push((slot, Rendered::StepSummary { room }));
    }
    Ok((plan, slots))
}

/// The waivers file: `--waivers`, else vrisk.yaml's, else ./waivers.yaml when there is one (not
/// for `--example`, whose run does not pick up this directory's waivers either). Any file of
/// that name counts, so that one that is not a regular file is reported, not skipped.
fn waiver_path(args: &CheckArgs, config: &Config) -> Option<PathBuf> {
    args.waivers.clone().or(config.waivers.clone()).or_else(|| {
        let local = PathBuf::from(crate::engine::waivers::FILE_NAME);
        (local.symlink_metadata().is_ok() && !args.inputs.example).then_some(local)
    })
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
            let target = crate::cli::args::parse_target(f)
                .map_err(|e| Problem::new("config::format", format!("vrisk.yaml formats: {e}")))?;
            // Relative to vrisk.yaml, like its input paths.
            Ok(ReportTarget {
                path: target.path.map(|p| config.dir.join(p)),
                ..target
            })
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

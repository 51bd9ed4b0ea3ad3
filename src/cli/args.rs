//! Command-line interface: one subcommand per user task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::FailOn;
use crate::report::FormatName;
use crate::value::text::neutralise;

#[derive(Debug, Parser)]
#[command(
    name = "vrisk",
    version,
    about = "Vendor-risk policy checker: declarative YAML policies over a vendor and ownership registry",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate the policies against the vendor relationships of one organisation.
    Check(CheckArgs),
    /// Check registry files (and policies) for errors without evaluating anything.
    Validate(ValidateArgs),
    /// List the effective owners of an organisation, with the paths behind each share.
    Ownership(OwnershipArgs),
    /// Show why a policy fails, passes or is indeterminate for one vendor: the evaluation tree,
    /// the facts it read, the ownership paths, and what would change the outcome.
    Explain(ExplainArgs),
    /// Draw the ownership graph around an organisation (Mermaid, Graphviz DOT or SVG).
    Graph(GraphArgs),
    /// Start a project for your organisation: vrisk.yaml, a registry with the organisation, its
    /// competitors and its vendors (from a CSV export), a waivers file, the schemas and a GitHub
    /// Actions workflow. Asks on a terminal when no flag is given.
    Init(InitArgs),
    /// Print the JSON Schema of a file kind.
    Schema(SchemaArgs),
    /// Run the policy tests (NAME.test.yaml beside each policy) and report condition coverage.
    Test(crate::cli::test::TestArgs),
    /// Create a file from a template: `vrisk new policy ID` writes a policy and its tests.
    New(crate::cli::new::NewArgs),
    /// Print a shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(crate::cli::generate::CompletionsArgs),
    /// Print the man page (roff) to standard output.
    Man(crate::cli::generate::ManArgs),
    /// Turn other data into registry files.
    Import(ImportArgs),
    /// List the policies in use and where each comes from, or export the shipped set to edit.
    Policies(crate::cli::policies::PoliciesArgs),
    /// Save a loaded registry in a binary form that later runs read instead of its inputs.
    Snapshot(crate::cli::snapshot::SnapshotArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Registry file or directory (repeatable; `-` reads standard input). Default: vrisk.yaml's
    /// `registry`, else ./registry. Where there is no registry, no policies and no vrisk.yaml,
    /// the built-in example registry is read and stderr says so (in CI that is an error unless
    /// --example).
    #[arg(long = "registry", short = 'r', value_name = "PATH")]
    pub registry: Vec<PathBuf>,
    /// Policy file or directory, or `builtin` for the shipped set (repeatable; `-p builtin -p
    /// policies` checks both, a local policy taking the place of the shipped one with its id).
    /// Default: vrisk.yaml's `policies`, else ./policies, else `builtin`.
    #[arg(long = "policies", short = 'p', value_name = "PATH|builtin")]
    pub policies: Vec<PathBuf>,
    /// Read vrisk's built-in example registry (the Scale AI case), not this directory's registry
    /// or vrisk.yaml; the policies are --policies, else `builtin`.
    #[arg(long, conflicts_with = "registry")]
    pub example: bool,
    #[command(flatten)]
    pub snapshot: SnapshotCheckArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// How a registry snapshot given as --registry is checked against its inputs.
#[derive(Debug, Args, Clone, Default)]
pub struct SnapshotCheckArgs {
    /// When the registry is a snapshot (`vrisk snapshot build`): check each input's contents
    /// (read and hashed again), not only its size and modification time. A fresh checkout,
    /// whose files all have new times, needs this.
    #[arg(long)]
    pub verify_snapshot: bool,
}

impl SnapshotCheckArgs {
    pub fn check(&self) -> crate::registry::snapshot::Check {
        match self.verify_snapshot {
            true => crate::registry::snapshot::Check::Contents,
            false => crate::registry::snapshot::Check::Stamps,
        }
    }
}

/// Every limit is a whole number of at least 1 (a limit of 0 would reject every input), so
/// each flag is parsed by [`parse_limit`] or, for the nesting depth, [`parse_depth`].
#[derive(Debug, Args, Clone, Default)]
pub struct LimitArgs {
    /// Largest input file, in bytes.
    #[arg(
        long,
        value_name = "BYTES",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<u64>,
    )]
    pub max_file_bytes: Option<u64>,
    /// Deepest YAML or JSON nesting accepted (at most 1000).
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_depth,
    )]
    pub max_depth: Option<usize>,
    /// Most YAML nodes (values and collections) in one file.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_nodes: Option<usize>,
    /// Most alias (`*name`) uses in one YAML file.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_aliases: Option<usize>,
    /// Most nodes that aliases may expand to in one YAML file.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_alias_expansion: Option<usize>,
    /// Longest string (a value or a key), in bytes.
    #[arg(
        long,
        value_name = "BYTES",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_string_bytes: Option<usize>,
    /// Most organisations in the registry.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_organisations: Option<usize>,
    /// Most stakes in the registry.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_stakes: Option<usize>,
    /// Most policy files.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<usize>,
    )]
    pub max_policies: Option<usize>,
    /// Most collection elements that evaluating one policy for one vendor may visit (every
    /// nested quantifier multiplies them).
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<u64>,
    )]
    pub max_element_visits: Option<u64>,
    /// Most nodes in the evaluation tree of one policy for one vendor.
    #[arg(
        long,
        value_name = "N",
        global = true,
        allow_negative_numbers = true,
        value_parser = parse_limit::<u64>,
    )]
    pub max_trace_nodes: Option<u64>,
}

/// A limit flag: a whole number of at least 1.
pub fn parse_limit<T: std::str::FromStr + TryFrom<u64>>(text: &str) -> Result<T, String> {
    let shown = neutralise(text);
    let n = parse_whole(text, 1)?;
    if n == 0 {
        return Err("a limit of 0 would reject every input; give 1 or more".to_string());
    }
    T::try_from(n).map_err(|_| format!("`{shown}` is too large for this limit"))
}

/// `--max-depth`: from 1 to [`DEPTH_CEILING`](crate::input::limits::DEPTH_CEILING), since the
/// loaders recurse once per level.
pub fn parse_depth(text: &str) -> Result<usize, String> {
    let ceiling = crate::input::limits::DEPTH_CEILING;
    let depth: usize = parse_limit(text)?;
    if depth > ceiling {
        return Err(format!(
            "the deepest nesting vrisk can check is {ceiling} (the readers recurse once per \
             level); give 1 to {ceiling}"
        ));
    }
    Ok(depth)
}

/// A whole number; `least` (which the caller checks) is what the messages ask for.
fn parse_whole(text: &str, least: u64) -> Result<u64, String> {
    let shown = neutralise(text);
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!(
            "`{shown}` is negative; give a whole number of {least} or more"
        ));
    }
    trimmed.parse::<u64>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow => {
            format!("`{shown}` is too large (at most {})", u64::MAX)
        }
        _ => format!("`{shown}` is not a whole number of {least} or more"),
    })
}

/// A percent from 0 to 100, written `50` or `50%`: finite, in range.
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let shown = neutralise(text);
    let number = text.trim().strip_suffix('%').unwrap_or(text.trim());
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_nan() => Err(format!(
            "`{shown}` is not a number; give a percent from 0 to 100"
        )),
        Ok(n) if n.is_infinite() => Err(format!(
            "`{shown}` is not a finite number; give a percent from 0 to 100"
        )),
        Ok(n) if !(0.0..=100.0).contains(&n) => Err(format!(
            "`{shown}` is outside 0 to 100; a share is a percent from 0 to 100"
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "`{shown}` is not a number; give a percent such as 50 or 25%"
        )),
    }
}

/// `vrisk graph --depth`: a whole number of 0 or more.
pub fn parse_links(text: &str) -> Result<usize, String> {
    let links = parse_whole(text, 0)?;
    // More links than a usize counts reaches every organisation there is.
    Ok(usize::try_from(links).unwrap_or(usize::MAX))
}

/// The most days ahead `--waiver-warning-days` looks: a hundred years.
pub const MAX_WARNING_DAYS: i64 = 36_500;

/// `--waiver-warning-days`: from 0 to [`MAX_WARNING_DAYS`].
pub fn parse_warning_days(text: &str) -> Result<i64, String> {
    let shown = neutralise(text);
    let days = parse_whole(text, 0)?;
    i64::try_from(days)
        .ok()
        .filter(|d| *d <= MAX_WARNING_DAYS)
        .ok_or_else(|| format!("`{shown}` is more than {MAX_WARNING_DAYS} days (a hundred years)"))
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Registry files or directories to validate (same as --registry); `-` reads standard input.
    #[arg(value_name = "PATHS", conflicts_with = "example")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// How to print problems: human (miette diagnostics on stderr) or json (on stdout).
    #[arg(long, value_enum, default_value = "human")]
    pub format: ProblemFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProblemFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum)]
    pub kind: SchemaName,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaName {
    Registry,
    Policy,
    Waivers,
    Config,
    Test,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// The organisation whose vendors are checked: its id, or its name or an alias (`google`
    /// for `alphabet`). Default: vrisk.yaml's `org`, else the registry's `default_org`.
    #[arg(long, value_name = "ID")]
    pub org: Option<String>,
    /// Evaluate as of this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<crate::value::date::Date>,
    /// Override a policy parameter: POLICY.NAME=VALUE (repeatable).
    #[arg(long = "param", value_name = "POLICY.NAME=VALUE")]
    pub params: Vec<String>,
    /// Report format, NAME or NAME=PATH (repeatable): human, json, sarif, junit, github, markdown,
    /// gitlab, html. Without a path, or with `-`, the report goes to standard output. Every
    /// target is checked before anything is written, and no report is written unless all can be.
    #[arg(long = "format", short = 'f', value_name = "NAME[=PATH]", value_parser = parse_target)]
    pub formats: Vec<ReportTarget>,
    /// Lowest severity whose failures make the run exit 1, or `never`.
    #[arg(long, value_name = "SEVERITY", value_parser = fail_on_parser())]
    pub fail_on: Option<FailOn>,
    /// Count indeterminate findings (at or above --fail-on) as failures for the exit code.
    #[arg(long)]
    pub fail_on_indeterminate: bool,
    /// Configuration file. Default: ./vrisk.yaml when present.
    #[arg(long, value_name = "PATH", conflicts_with = "example")]
    pub config: Option<PathBuf>,
    /// A previous JSON report: mark each finding new or existing and list the ones gone.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Waivers file. Default: vrisk.yaml's `waivers`, else ./waivers.yaml when present.
    #[arg(long, value_name = "PATH")]
    pub waivers: Option<PathBuf>,
    /// Warn about waivers that expire within this many days (0 to 36500).
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true, value_parser = parse_warning_days)]
    pub waiver_warning_days: Option<i64>,
    /// With --baseline: only new findings decide the exit code.
    #[arg(long, requires = "baseline")]
    pub new_only: bool,
    /// Accept a run that checks nothing: no policy, or no vendor relationship for the
    /// organisation (otherwise an error, so that a misconfigured run never passes silently).
    #[arg(long)]
    pub allow_empty: bool,
}

/// `--fail-on`: one of the gate's levels, offered to clap as its possible values (so that help,
/// errors and completions list them) and mapped to the engine's type.
fn fail_on_parser() -> impl clap::builder::TypedValueParser<Value = FailOn> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = FailOn::ALL.iter().map(|f| f.name()).collect();
    clap::builder::PossibleValuesParser::new(names)
        .try_map(|name: String| FailOn::parse(&name).ok_or("not a level"))
}

/// A report to write: its format, and a file (None: standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: FormatName,
    pub path: Option<PathBuf>,
}

/// `NAME` or `NAME=PATH`; `NAME=-` is standard output, like `NAME`.
pub fn parse_target(text: &str) -> Result<ReportTarget, String> {
    let (name, path) = match text.split_once('=') {
        Some((n, "-")) => (n, None),
        Some((n, p)) if !p.is_empty() => (n, Some(PathBuf::from(p))),
        Some((_, _)) => return Err(format!("`{text}`: the path after `=` is empty")),
        None => (text, None),
    };
    let format = FormatName::parse(name).ok_or_else(|| {
        format!(
            "unknown format `{name}`; expected one of {}",
            FormatName::list()
        )
    })?;
    Ok(ReportTarget { format, path })
}

pub fn parse_date(text: &str) -> Result<crate::value::date::Date, String> {
    crate::value::date::Date::parse(text).ok_or_else(|| {
        format!(
            "`{}` is not a date; expected YYYY-MM-DD, e.g. 2025-06-20",
            neutralise(text)
        )
    })
}

#[derive(Debug, Args)]
pub struct OwnershipArgs {
    /// The organisation whose owners to list.
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    /// Only this owner.
    #[arg(long, value_name = "OWNER")]
    pub by: Option<String>,
    /// How shares combine along chains.
    #[arg(long, value_enum, default_value = "integrated")]
    pub method: MethodName,
    /// Control threshold of the control-chain method: a percent from 0 to 100.
    #[arg(
        long,
        value_name = "PERCENT",
        default_value = "50",
        allow_negative_numbers = true,
        value_parser = parse_percent
    )]
    pub control_threshold: f64,
    /// Evaluate as of this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<crate::value::date::Date>,
    /// Registry file or directory (repeatable). Default: vrisk.yaml's `registry`, else
    /// ./registry; with neither (and no policies), the built-in example, said on stderr.
    #[arg(long = "registry", short = 'r', value_name = "PATH")]
    pub registry: Vec<PathBuf>,
    /// Read vrisk's built-in example registry (the Scale AI case).
    #[arg(long, conflicts_with = "registry")]
    pub example: bool,
    #[command(flatten)]
    pub snapshot: SnapshotCheckArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ProblemFormat,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodName {
    Integrated,
    ControlChain,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The policy id.
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// The vendor's organisation id.
    #[arg(value_name = "VENDOR")]
    pub vendor: String,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// The point of view: an id, or a name or alias of the organisation. Default: vrisk.yaml's
    /// `org`, else the registry's `default_org`.
    #[arg(long, value_name = "ID")]
    pub org: Option<String>,
    /// Evaluate as of this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<crate::value::date::Date>,
    /// Override a policy parameter: POLICY.NAME=VALUE (repeatable).
    #[arg(long = "param", value_name = "POLICY.NAME=VALUE")]
    pub params: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ProblemFormat,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The organisation at the centre.
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    /// How many links out to follow, up (owners) and down (holdings): 0 or more.
    #[arg(long, default_value_t = 3, allow_negative_numbers = true, value_parser = parse_links)]
    pub depth: usize,
    /// Stakes active on this date (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<crate::value::date::Date>,
    /// Registry file or directory (repeatable). Default: vrisk.yaml's `registry`, else
    /// ./registry; with neither (and no policies), the built-in example, said on stderr.
    #[arg(long = "registry", short = 'r', value_name = "PATH")]
    pub registry: Vec<PathBuf>,
    /// Read vrisk's built-in example registry (the Scale AI case).
    #[arg(long, conflicts_with = "registry")]
    pub example: bool,
    #[command(flatten)]
    pub snapshot: SnapshotCheckArgs,
    /// Diagram language: Mermaid, Graphviz DOT, or SVG (laid out by vrisk, as in the HTML
    /// report).
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    /// Write the diagram to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Svg,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your organisation's id in the registry (a lower-case slug). Default: made from --name.
    #[arg(long, value_name = "ID")]
    pub org: Option<String>,
    /// Your organisation's name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// A competitor, by id or name (repeatable); declared with `tier: major`.
    #[arg(long = "competitor", value_name = "ID|NAME")]
    pub competitors: Vec<String>,
    /// A procurement export (CSV) to import as registry/vendors.yaml, as `vrisk import csv`
    /// does with --customer set to --org.
    #[arg(long, value_name = "FILE")]
    pub from_csv: Option<PathBuf>,
    /// With --from-csv: read column COLUMN as FIELD (repeatable).
    #[arg(long = "map", value_name = "COLUMN=FIELD", requires = "from_csv")]
    pub map: Vec<String>,
    /// With --from-csv: the cell separator, one character or `tab`.
    #[arg(long, value_name = "CHAR", default_value = ",", requires = "from_csv")]
    pub delimiter: String,
    /// Where to write (the project's root).
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub kind: ImportKind,
}

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// A procurement export (CSV with a header row) -> a registry file: the vendor
    /// relationships, the organisations they name that the registry does not declare yet, and
    /// the vendors' parents as stakes. Columns: customer, vendor, supplier_id, lei, country,
    /// parent, parent_share, services (`;`-separated), data_shared (`;`-separated), spend_year,
    /// spend_amount, currency, spend_kind, status, status_date, last_review, contract_start,
    /// contract_end (docs/data-sources.md lists the other header names read).
    Csv(CsvArgs),
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The CSV file (UTF-8), or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Read column COLUMN as FIELD (repeatable), e.g. --map "Supplier=vendor".
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// The customer of every row that names none (or of all rows, without a customer column):
    /// its id or its name.
    #[arg(long, value_name = "ID")]
    pub customer: Option<String>,
    /// The registry the output joins: organisations it declares are named by their ids and not
    /// declared again (repeatable). Default: vrisk.yaml's `registry`, else ./registry; the
    /// output file itself is not read.
    #[arg(long = "registry", short = 'r', value_name = "PATH")]
    pub registry: Vec<PathBuf>,
    /// The identifier scheme of the `supplier_id` column. Default: ZZ-SUPPLIER (`ZZ`, the ISO
    /// 3166 code for user-assigned use, so that it is no public register's).
    #[arg(long, value_name = "SCHEME")]
    pub supplier_id_scheme: Option<String>,
    /// Write the registry file to this file instead of standard output (`-`); never over the CSV.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The cell separator: one character, or `tab`.
    #[arg(long, value_name = "CHAR", default_value = ",")]
    pub delimiter: String,
    /// The schema the output's editor modeline points at. Default: .vrisk/registry.schema.json
    /// (where `vrisk init` writes it), relative to the output's directory, or to registry/ for
    /// standard output.
    #[arg(long, value_name = "PATH")]
    pub schema: Option<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

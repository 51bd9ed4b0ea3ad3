//! Command-line interface: one subcommand per user task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Check registry files (and policies) for errors without evaluating anything.
    Validate(ValidateArgs),
    /// Print the JSON Schema of a file kind.
    Schema(SchemaArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Registry file or directory (repeatable). Default: vrisk.yaml's, else ./registry, else the
    /// embedded seeded registry.
    #[arg(long = "registry", short = 'r', value_name = "PATH")]
    pub registry: Vec<PathBuf>,
    /// Policy file or directory (repeatable). Default: vrisk.yaml's, else ./policies, else the
    /// embedded shipped policies.
    #[arg(long = "policies", short = 'p', value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct LimitArgs {
    /// Largest input file, in bytes.
    #[arg(long, value_name = "BYTES", global = true)]
    pub max_file_bytes: Option<u64>,
    /// Deepest YAML nesting accepted.
    #[arg(long, value_name = "N", global = true)]
    pub max_depth: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Registry files or directories to validate (same as --registry).
    #[arg(value_name = "PATHS")]
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
}

//! vrisk: a vendor-risk policy checker.
//!
//! Data flows one way, and the modules are its stages:
//!
//! 1. [`input`]: files read within [`input::Limits`], positions, problems, the YAML and JSON
//!    readers, the embedded copies and schema validation;
//! 2. [`registry`] and [`policy`]: the typed, checked vendor registry and policies;
//! 3. [`ownership`]: effective ownership through holding chains;
//! 4. [`engine`]: every policy against every vendor relationship, giving a [`engine::Report`]
//!    of findings with their evidence, then waivers, the baseline and the gate;
//! 5. [`report`]: the report rendered in one output format.
//!
//! [`value`] holds the small value types every stage shares, and [`testing`] runs policy tests
//! through the same stages.
//!
//! ```
//! use std::collections::BTreeMap;
//! use vrisk::engine::{self, Evaluation, Outcome};
//! use vrisk::input::{Limits, SourceMap, embedded};
//! use vrisk::value::Date;
//!
//! // Load: the registry and the policies embedded in vrisk (the Scale AI case).
//! let limits = Limits::default();
//! let mut sources = SourceMap::new();
//! let registry = vrisk::registry::load_files(embedded::registry_files(), &mut sources, &limits)
//!     .expect("the embedded registry is valid");
//! let policies = vrisk::policy::set::load_all(
//!     embedded::policy_files(),
//!     &mut sources,
//!     &limits,
//!     &BTreeMap::new(),
//! )
//! .expect("the embedded policies are valid");
//!
//! // Evaluate from Alphabet's point of view, a week after Meta's stake in Scale AI.
//! let report = engine::evaluate(&Evaluation {
//!     registry: &registry,
//!     policies: &policies,
//!     sources: &sources,
//!     org: "alphabet",
//!     as_of: Date::parse("2025-06-20").expect("a date"),
//! });
//! let flagged = report
//!     .findings
//!     .iter()
//!     .any(|f| f.policy == "competitor-ownership" && f.vendor == "scale-ai" && f.outcome == Outcome::Fail);
//! assert!(flagged);
//!
//! // Render: any format, from the same report.
//! let json = vrisk::report::json::render(&report);
//! assert!(json.contains("competitor-ownership"));
//! ```

pub mod engine;
pub mod input;
pub mod ownership;
pub mod policy;
pub mod registry;
pub mod report;
pub mod testing;
pub mod value;

mod cli;

/// What the `vrisk` binary runs: parses the command line, runs the command, returns its exit
/// code. Not part of the library API.
#[doc(hidden)]
pub fn run_command_line() -> std::process::ExitCode {
    cli::main()
}

//! What an evaluation produces: one finding per (policy, vendor relationship), with the evidence
//! that decided it, gathered in a [`Report`] that every output format renders.
//!
//! The report is self-contained: positions are resolved to file, line and column when it is
//! built, so formatters never look at files.

use std::fmt;

use serde::Serialize;

use crate::input::source::{Loc, SourceMap};
use crate::value::date::Date;
use crate::value::severity::Severity;

use super::baseline::{BaselineState, GoneFinding};
use super::gate::Gate;

/// What one policy says about one vendor relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Fail,
    Indeterminate,
    Waived,
    Pass,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Fail => "fail",
            Outcome::Indeterminate => "indeterminate",
            Outcome::Waived => "waived",
            Outcome::Pass => "pass",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A resolved position in an input file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub file: String,
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// 1-based, in UTF-16 code units (SARIF's default column unit).
    #[serde(skip)]
    pub utf16_column: usize,
    /// Where the span ends: the line of the offset just past it, and that offset's column in
    /// UTF-16 code units (an exclusive end, as SARIF's `endColumn`). The start, for an empty span.
    #[serde(skip)]
    pub end_line: usize,
    #[serde(skip)]
    pub end_utf16_column: usize,
    /// The file is a copy compiled into vrisk, not a file of the user's repository.
    #[serde(skip)]
    pub builtin: bool,
    #[serde(skip)]
    pub loc: Loc,
}

impl Position {
    pub fn resolve(sources: &SourceMap, loc: Loc) -> Position {
        let file = sources.get(loc.file);
        let lc = file.line_col(loc.span.offset);
        // A block value's span may take in the line break that ends it; the region ends
        // before it, on the value's last line.
        let start = loc.span.offset.min(file.text_len());
        let end = loc
            .span
            .offset
            .saturating_add(loc.span.len)
            .min(file.text_len());
        let end = file.trim_line_breaks(start, end);
        Position {
            file: file.name.clone(),
            line: lc.line,
            column: lc.column,
            utf16_column: file.utf16_column(loc.span.offset),
            end_line: file.line_col(end).line,
            end_utf16_column: file.utf16_column(end),
            builtin: file.builtin,
            loc,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A location that decided a finding, with what it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Location {
    #[serde(flatten)]
    pub position: Position,
    /// `registry` or `policy`.
    pub role: &'static str,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRef {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub secondary: bool,
}

/// One fact comparison that decided the finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// `owner.economic >= 20%: 49% (true)`.
    pub text: String,
    pub fact: String,
    pub value: String,
    pub op: String,
    pub operand: String,
    pub result: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<Binding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Position>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Binding {
    pub name: String,
    pub id: String,
}

/// An ownership path behind a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathEvidence {
    /// The owner whose share this path is part of.
    pub owner: String,
    pub owner_name: String,
    /// The declared competitor the path starts at, when the owner is a company it controls
    /// (the path then runs through the chain of control to the owner, and on to the vendor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competitor: Option<String>,
    /// Organisation ids from the owner (or the declared competitor above it) to the vendor.
    pub via: Vec<String>,
    /// Display names along the path.
    pub names: Vec<String>,
    /// The share at each link.
    pub links: Vec<String>,
    pub economic: String,
    pub voting: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub policy: String,
    pub vendor: String,
    pub vendor_name: String,
    pub severity: Severity,
    pub outcome: Outcome,
    pub message: String,
    /// Why an indeterminate result counts as it does, or which waiver applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub evidence: Vec<Evidence>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathEvidence>,
    pub locations: Vec<Location>,
    /// Stable across runs and unrelated edits: policy, customer and vendor ids.
    pub fingerprint: String,
    /// Whether the finding was already in the baseline report (`--baseline`); None without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub rationale: String,
    pub remediation: String,
    pub references: Vec<String>,
    /// The policy's own documentation (`help_url`), an http(s) URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_url: Option<String>,
    pub location: Position,
    /// How many relationships it applied to.
    pub evaluated: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub policies: usize,
    pub vendors: usize,
    pub fail: usize,
    pub indeterminate: usize,
    pub pass: usize,
    pub waived: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub org: String,
    pub org_name: String,
    pub as_of: Date,
    pub policies: Vec<PolicyInfo>,
    /// Every (policy, vendor) outcome, passes included, sorted by policy then vendor.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Warnings about the inputs (data inconsistencies, policies that matched nothing).
    pub warnings: Vec<String>,
    /// Findings of the baseline report that this run no longer has (`--baseline`).
    pub gone: Vec<GoneFinding>,
    /// The rules the exit code follows, so that formats can tell which findings block the run.
    pub gate: Gate,
}

impl Report {
    /// Findings that are not passes: what the reports list.
    pub fn non_passing(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.outcome != Outcome::Pass)
    }

    pub fn policy(&self, id: &str) -> Option<&PolicyInfo> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// How many findings of `policy` have `outcome`.
    pub fn count(&self, policy: &str, outcome: Outcome) -> usize {
        self.findings
            .iter()
            .filter(|f| f.policy == policy && f.outcome == outcome)
            .count()
    }

    /// Recomputes the outcome counts of the summary (after waivers change outcomes).
    pub fn recount(&mut self) {
        let mut summary = Summary {
            policies: self.summary.policies,
            vendors: self.summary.vendors,
            ..Summary::default()
        };
        for f in &self.findings {
            match f.outcome {
                Outcome::Fail => summary.fail += 1,
                Outcome::Indeterminate => summary.indeterminate += 1,
                Outcome::Pass => summary.pass += 1,
                Outcome::Waived => summary.waived += 1,
            }
        }
        self.summary = summary;
    }

    /// Policy ids: the report's policies in order, then any other policy a finding names (so a
    /// format that groups by policy never drops a finding).
    pub fn policy_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.policies.iter().map(|p| p.id.as_str()).collect();
        for f in &self.findings {
            if !ids.contains(&f.policy.as_str()) {
                ids.push(&f.policy);
            }
        }
        ids
    }

    /// Whether the run was compared with a baseline: some finding carries a state, or some
    /// baseline finding is gone. (A baseline with nothing in common and nothing current leaves
    /// nothing to show either way.)
    /// How many findings are in `state` against the baseline.
    pub fn baseline_count(&self, state: BaselineState) -> usize {
        self.findings
            .iter()
            .filter(|f| f.baseline == Some(state))
            .count()
    }

    pub fn has_baseline(&self) -> bool {
        !self.gone.is_empty() || self.findings.iter().any(|f| f.baseline.is_some())
    }
}

impl Finding {
    /// The first registry location, where CI annotations point; else the first location.
    pub fn primary_location(&self) -> Option<&Location> {
        self.locations
            .iter()
            .find(|l| l.role == "registry")
            .or_else(|| self.locations.first())
    }

    /// The policy location, if the finding has one.
    pub fn policy_location(&self) -> Option<&Location> {
        self.locations.iter().find(|l| l.role == "policy")
    }

    /// Whether the finding is new since the baseline report.
    pub fn is_new(&self) -> bool {
        self.baseline == Some(BaselineState::New)
    }
}

/// Most links a route shows in full, in reports and in `owner.via`; a longer one is shortened in
/// the middle.
pub const ROUTE_LINKS: usize = 6;

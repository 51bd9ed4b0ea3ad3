//! Which findings decide the exit code (`--fail-on`, `--fail-on-indeterminate`, `--new-only`).
//!
//! Kept apart from the formats so that the exit code and what the reports call "blocking" can
//! never disagree: both ask [`Gate::blocks`].

use std::fmt;

use crate::value::severity::Severity;

use crate::engine::{BaselineState, Finding, Outcome, Report};

/// The lowest severity whose failures block the run, or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    Never,
}

impl FailOn {
    pub const ALL: [FailOn; 6] = [
        FailOn::Info,
        FailOn::Low,
        FailOn::Medium,
        FailOn::High,
        FailOn::Critical,
        FailOn::Never,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FailOn::Never => "never",
            FailOn::Info => "info",
            FailOn::Low => "low",
            FailOn::Medium => "medium",
            FailOn::High => "high",
            FailOn::Critical => "critical",
        }
    }

    /// The level of this name, ignoring ASCII case.
    pub fn parse(name: &str) -> Option<FailOn> {
        FailOn::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The lowest blocking severity; None for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Never => None,
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
        }
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the gate makes of a report: whether any finding blocks the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    /// The process exit code of the verdict: 0 or 1.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gate {
    /// Lowest severity that blocks; None for `--fail-on never`.
    pub fail_on: Option<Severity>,
    /// Indeterminate findings block too (at or above `fail_on`).
    pub fail_on_indeterminate: bool,
    /// Only findings new since the baseline block.
    pub new_only: bool,
}

impl Default for Gate {
    /// `--fail-on low`: an `info` failure is reported but does not fail the run.
    fn default() -> Self {
        Gate {
            fail_on: Some(Severity::Low),
            fail_on_indeterminate: false,
            new_only: false,
        }
    }
}

impl Gate {
    /// The gate the command-line flags ask for (`None` for --fail-on means the default, low).
    pub fn from_flags(
        fail_on: Option<FailOn>,
        fail_on_indeterminate: bool,
        new_only: bool,
    ) -> Gate {
        let fail_on = match fail_on {
            None => Gate::default().fail_on,
            Some(level) => level.threshold(),
        };
        Gate {
            fail_on,
            fail_on_indeterminate,
            new_only,
        }
    }

    /// Whether this finding makes the run exit 1.
    pub fn blocks(&self, finding: &Finding) -> bool {
        let Some(threshold) = self.fail_on else {
            return false;
        };
        let counted = match finding.outcome {
            Outcome::Fail => true,
            Outcome::Indeterminate => self.fail_on_indeterminate,
            Outcome::Waived | Outcome::Pass => false,
        };
        // With --new-only, a finding without a baseline state counts: no baseline means no
        // finding is known, so every one is new.
        let fresh = !self.new_only || finding.baseline != Some(BaselineState::Existing);
        counted && fresh && finding.severity >= threshold
    }
}

/// The findings that make the run fail, in report order.
pub fn blocking(report: &Report) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(|f| report.gate.blocks(f))
}

/// The verdict the report calls for: fail when any finding blocks, else pass.
pub fn verdict(report: &Report) -> Verdict {
    if blocking(report).next().is_some() {
        Verdict::Fail
    } else {
        Verdict::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sample;

    fn blocks(gate: Gate, severity: Severity, outcome: Outcome) -> bool {
        gate.blocks(&sample::finding("p", "v", severity, outcome))
    }

    #[test]
    fn default_fails_on_low_failures_only() {
        let g = Gate::default();
        assert!(blocks(g, Severity::Low, Outcome::Fail));
        assert!(!blocks(g, Severity::Info, Outcome::Fail));
        assert!(!blocks(g, Severity::Critical, Outcome::Indeterminate));
        assert!(!blocks(g, Severity::Critical, Outcome::Waived));
        assert!(!blocks(g, Severity::Critical, Outcome::Pass));
    }

    #[test]
    fn flags_move_the_threshold_and_count_indeterminate() {
        let high = Gate::from_flags(Some(FailOn::High), true, false);
        assert!(!blocks(high, Severity::Medium, Outcome::Fail));
        assert!(blocks(high, Severity::High, Outcome::Indeterminate));
        assert!(!blocks(high, Severity::Medium, Outcome::Indeterminate));
        let never = Gate::from_flags(Some(FailOn::Never), true, false);
        assert!(!blocks(never, Severity::Critical, Outcome::Fail));
        assert_eq!(Gate::from_flags(None, false, false), Gate::default());
    }

    #[test]
    fn new_only_ignores_existing_findings() {
        let gate = Gate::from_flags(None, false, true);
        let mut f = sample::finding("p", "v", Severity::High, Outcome::Fail);
        f.baseline = Some(BaselineState::Existing);
        assert!(!gate.blocks(&f));
        f.baseline = Some(BaselineState::New);
        assert!(gate.blocks(&f));
        // Without a baseline everything is new.
        f.baseline = None;
        assert!(gate.blocks(&f));
    }

    #[test]
    fn verdict_follows_the_gate() {
        let mut report = sample::report(vec![sample::finding(
            "p",
            "v",
            Severity::Medium,
            Outcome::Fail,
        )]);
        assert_eq!(verdict(&report), Verdict::Fail);
        report.gate.fail_on = Some(Severity::High);
        assert_eq!(verdict(&report), Verdict::Pass);
    }
}

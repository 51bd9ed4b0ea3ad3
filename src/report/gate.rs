//! Which findings decide the exit code (`--fail-on`, `--fail-on-indeterminate`, `--new-only`).
//!
//! Kept apart from the formats so that the exit code and what the reports call "blocking" can
//! never disagree: both ask [`Gate::blocks`].

use crate::cli::FailOn;
use crate::exit::Exit;
use crate::severity::Severity;

use super::{BaselineState, Finding, Outcome, Report};

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
            Some(FailOn::Never) => None,
            Some(FailOn::Info) => Some(Severity::Info),
            Some(FailOn::Low) => Some(Severity::Low),
            Some(FailOn::Medium) => Some(Severity::Medium),
            Some(FailOn::High) => Some(Severity::High),
            Some(FailOn::Critical) => Some(Severity::Critical),
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

/// The exit code the report calls for: 1 when any finding blocks, else 0.
pub fn exit_code(report: &Report) -> Exit {
    if blocking(report).next().is_some() {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

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
    fn exit_code_follows_the_gate() {
        let mut report = sample::report(vec![sample::finding(
            "p",
            "v",
            Severity::Medium,
            Outcome::Fail,
        )]);
        assert_eq!(exit_code(&report), Exit::Failed);
        report.gate.fail_on = Some(Severity::High);
        assert_eq!(exit_code(&report), Exit::Ok);
    }
}

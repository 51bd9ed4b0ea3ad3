//! GitLab Code Quality: the JSON array (a subset of the CodeClimate format) that GitLab's
//! merge-request widget and pipeline Code Quality tab read, declared as
//! `artifacts: reports: codequality:` in `.gitlab-ci.yml`.
//!
//! One issue per failing or indeterminate finding, with the fields GitLab requires:
//! `description`, `check_name` (the policy id), `fingerprint`, `severity` (GitLab's `info`,
//! `minor`, `major`, `critical`, `blocker`) and `location.path` with `location.lines.begin`.
//! Waived findings and passes are left out: GitLab has no way to show an accepted risk, and a
//! listed one would read as open.
//!
//! GitLab compares the fingerprints of the source and the target branch to tell new issues from
//! resolved ones. The fingerprint hashes the policy, the finding's stable fingerprint (policy,
//! customer and vendor ids, never positions) and its outcome, so that editing the registry does
//! not make an issue new, while a change of outcome (indeterminate -> fail) is news, as with
//! `--baseline`.

use serde_json::{Value, json};

use crate::engine::{Finding, Outcome, Position, Report};
use crate::value::severity::Severity;

use super::sarif::{BUILTIN_URI, stable_hash};

pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    text.push('\n');
    text
}

pub fn to_value(report: &Report) -> Value {
    let issues: Vec<Value> = report
        .non_passing()
        .filter(|f| f.outcome != Outcome::Waived)
        .map(|f| issue(report, f))
        .collect();
    Value::Array(issues)
}

fn issue(report: &Report, finding: &Finding) -> Value {
    let position = finding
        .primary_location()
        .map(|l| &l.position)
        .or_else(|| report.policy(&finding.policy).map(|p| &p.location));
    let (path, line) = match position {
        Some(p) => (path(p), p.line.max(1)),
        // Every finding has a policy in a report vrisk builds; a hand-built one may not.
        None => (BUILTIN_URI.to_string(), 1),
    };
    json!({
        "description": description(finding),
        "check_name": finding.policy,
        "fingerprint": fingerprint(finding),
        "severity": severity(finding.severity),
        "location": {"path": path, "lines": {"begin": line}},
    })
}

/// One line, as the widget shows it: the policy, the outcome when it is not a failure, the
/// message.
fn description(finding: &Finding) -> String {
    let message = finding
        .message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match finding.outcome {
        Outcome::Fail => format!("{}: {message}", finding.policy),
        outcome => format!("{} ({outcome}): {message}", finding.policy),
    }
}

pub fn fingerprint(finding: &Finding) -> String {
    let key = format!("{}\u{0}{}", finding.fingerprint, finding.outcome);
    stable_hash(&finding.policy, &key)
}

/// vrisk's five severities onto GitLab's five, in order: a critical finding is a blocker.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// A path relative to the repository root, with `/` separators; a copy compiled into vrisk is
/// under `vrisk-builtin:/`, which is no file of the repository.
fn path(p: &Position) -> String {
    let mut path = p.file.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    if p.builtin {
        format!("{BUILTIN_URI}{path}")
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sample;

    #[test]
    fn severities_keep_their_order() {
        let order = [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .map(severity);
        assert_eq!(order, ["info", "minor", "major", "critical", "blocker"]);
    }

    #[test]
    fn fingerprints_follow_the_outcome_not_the_position() {
        let a = sample::finding("p", "v", Severity::High, Outcome::Fail);
        let mut moved = a.clone();
        moved.locations[0].position.line += 7;
        moved.message = "reworded".to_string();
        assert_eq!(fingerprint(&a), fingerprint(&moved));
        let mut unknown = a.clone();
        unknown.outcome = Outcome::Indeterminate;
        assert_ne!(fingerprint(&a), fingerprint(&unknown));
    }

    #[test]
    fn builtin_files_are_no_path_of_the_repository() {
        let mut p = sample::position(".\\registry\\ownership.yaml", 3, 5);
        assert_eq!(path(&p), "registry/ownership.yaml");
        p.builtin = true;
        assert_eq!(path(&p), "vrisk-builtin:/registry/ownership.yaml");
    }
}

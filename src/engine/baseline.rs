//! Comparing a run with a previous JSON report (`--baseline`), so that CI can tell new findings
//! from known ones and list what has been resolved.
//!
//! Findings are matched on (policy, fingerprint, outcome). The fingerprint holds the policy,
//! customer and vendor ids and no line numbers, so editing unrelated parts of the registry keeps
//! a finding `existing`. The outcome is part of the key because a change of outcome is news: a
//! waiver that lapsed (waived -> fail) or unknown data that became a definite failure
//! (indeterminate -> fail) must count as new under `--new-only`; the old outcome then shows as
//! gone.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::engine::{Outcome, Report};

/// Whether a finding was in the baseline report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    New,
    Existing,
}

impl BaselineState {
    pub fn name(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Existing => "existing",
        }
    }
}

/// A finding of the baseline report that the current run no longer has.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GoneFinding {
    pub policy: String,
    pub vendor: String,
    pub fingerprint: String,
    pub outcome: Outcome,
}

/// The non-pass findings of a previous report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    pub findings: BTreeSet<GoneFinding>,
}

/// Reads a report written by `--format json`. Only `findings` is read; each needs `policy`,
/// `vendor`, `fingerprint` and `outcome`. Passes in it are ignored: they are not findings.
pub fn load_baseline(text: &str) -> Result<Baseline, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("the baseline is not JSON: {e} (expected a `--format json` report)")
    })?;
    match value.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => {
            return Err(format!(
                "the baseline is a version {v} report; this vrisk reads version 1"
            ));
        }
    }
    let Some(items) = value.get("findings").and_then(Value::as_array) else {
        return Err(
            "the baseline has no `findings` list (expected a `--format json` report)".to_string(),
        );
    };
    let mut findings = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let field = |name: &str| -> Result<String, String> {
            item.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    format!("baseline findings[{i}]: `{name}` is missing or not a string")
                })
        };
        let outcome_name = field("outcome")?;
        let outcome = outcome_from_name(&outcome_name).ok_or_else(|| {
            format!(
                "baseline findings[{i}]: unknown outcome `{outcome_name}` \
                 (expected fail, indeterminate, waived or pass)"
            )
        })?;
        if outcome == Outcome::Pass {
            continue;
        }
        findings.insert(GoneFinding {
            policy: field("policy")?,
            vendor: field("vendor")?,
            fingerprint: field("fingerprint")?,
            outcome,
        });
    }
    Ok(Baseline { findings })
}

fn outcome_from_name(name: &str) -> Option<Outcome> {
    [
        Outcome::Fail,
        Outcome::Indeterminate,
        Outcome::Waived,
        Outcome::Pass,
    ]
    .into_iter()
    .find(|o| o.name() == name)
}

/// Marks each non-pass finding `new` or `existing` and lists in `report.gone` the baseline
/// findings that no longer occur. Passes keep `baseline: None`: there is nothing to track.
pub fn compare(report: &mut Report, baseline: &Baseline) {
    let by_key: BTreeMap<(&str, &str, Outcome), &GoneFinding> = baseline
        .findings
        .iter()
        .map(|b| ((b.policy.as_str(), b.fingerprint.as_str(), b.outcome), b))
        .collect();
    let mut seen = BTreeSet::new();
    for finding in &mut report.findings {
        if finding.outcome == Outcome::Pass {
            finding.baseline = None;
            continue;
        }
        let key = (
            finding.policy.as_str(),
            finding.fingerprint.as_str(),
            finding.outcome,
        );
        finding.baseline = Some(match by_key.get(&key) {
            Some(b) => {
                seen.insert(*b);
                BaselineState::Existing
            }
            None => BaselineState::New,
        });
    }
    // BTreeSet order: sorted by policy, vendor, fingerprint, outcome, so the list is stable.
    report.gone = baseline
        .findings
        .iter()
        .filter(|b| !seen.contains(b))
        .cloned()
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sample;
    use crate::report::json;
    use crate::value::severity::Severity;

    fn current() -> Report {
        sample::report(vec![
            sample::finding("p", "kept", Severity::High, Outcome::Fail),
            sample::finding("p", "fresh", Severity::High, Outcome::Fail),
            sample::finding("p", "fine", Severity::High, Outcome::Pass),
        ])
    }

    fn previous() -> Report {
        sample::report(vec![
            sample::finding("p", "kept", Severity::High, Outcome::Fail),
            sample::finding("p", "fixed", Severity::High, Outcome::Indeterminate),
        ])
    }

    #[test]
    fn marks_new_and_existing_and_lists_gone() {
        let baseline = load_baseline(&json::render(&previous())).expect("baseline loads");
        let mut report = current();
        compare(&mut report, &baseline);
        let states: Vec<(&str, Option<BaselineState>)> = report
            .findings
            .iter()
            .map(|f| (f.vendor.as_str(), f.baseline))
            .collect();
        assert_eq!(
            states,
            [
                ("kept", Some(BaselineState::Existing)),
                ("fresh", Some(BaselineState::New)),
                ("fine", None),
            ]
        );
        assert_eq!(
            report.gone,
            [GoneFinding {
                policy: "p".to_string(),
                vendor: "fixed".to_string(),
                fingerprint: "p/alphabet/fixed".to_string(),
                outcome: Outcome::Indeterminate,
            }]
        );
    }

    #[test]
    fn a_changed_outcome_is_new() {
        let mut old = previous();
        old.findings[0].outcome = Outcome::Waived;
        let baseline = load_baseline(&json::render(&old)).expect("baseline loads");
        let mut report = current();
        compare(&mut report, &baseline);
        assert_eq!(report.findings[0].baseline, Some(BaselineState::New));
        assert!(
            report
                .gone
                .iter()
                .any(|g| g.vendor == "kept" && g.outcome == Outcome::Waived)
        );
    }

    #[test]
    fn json_shows_the_state_and_what_is_gone() {
        let baseline = load_baseline(&json::render(&previous())).expect("baseline loads");
        let mut report = current();
        compare(&mut report, &baseline);
        let value = json::to_value(&report);
        assert_eq!(value["findings"][0]["baseline"], "existing");
        assert_eq!(value["findings"][1]["baseline"], "new");
        assert_eq!(value["gone"][0]["vendor"], "fixed");
        assert_eq!(value["gone"][0]["outcome"], "indeterminate");
        // Without a baseline neither appears.
        let plain = json::to_value(&current());
        assert!(plain.get("gone").is_none());
        assert!(plain["findings"][0].get("baseline").is_none());
    }

    #[test]
    fn bad_baselines_are_explained() {
        let err = |text: &str| load_baseline(text).expect_err("should be rejected");
        assert!(err("nope").contains("not JSON"));
        assert!(err("{}").contains("no `findings` list"));
        assert!(err(r#"{"version": 2, "findings": []}"#).contains("version 2"));
        assert!(
            err(r#"{"findings": [{"policy": "p", "vendor": "v", "outcome": "fail"}]}"#)
                .contains("findings[0]: `fingerprint`")
        );
        assert!(
            err(r#"{"findings": [{"policy": "p", "vendor": "v", "fingerprint": "f", "outcome": "bad"}]}"#)
                .contains("unknown outcome `bad`")
        );
        let empty = load_baseline(r#"{"version": 1, "findings": []}"#).expect("empty is fine");
        assert!(empty.findings.is_empty());
    }
}

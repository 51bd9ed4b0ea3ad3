//! The JSON report: stable field names (`version: 1`), findings that are not passes, every
//! position resolved to file, line and column. A run with `--baseline` adds `baseline` to each
//! finding and a `gone` list; `vrisk check --baseline` reads this format back.

use serde_json::{Value, json};

use crate::engine::{Outcome, Report};
use crate::value::text::json_pretty;

/// The data is exact; characters a terminal would act on are `\u` escapes
/// ([`json_pretty`]), so the file can be printed in a log as it is.
pub fn render(report: &Report) -> String {
    let mut text = json_pretty(&to_value(report));
    text.push('\n');
    text
}

pub fn to_value(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .non_passing()
        .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
        .collect();
    let passes: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Pass)
        .map(|f| {
            let mut pass = json!({"policy": f.policy, "vendor": f.vendor});
            if let Some(note) = &f.note {
                pass["note"] = note.clone().into();
            }
            pass
        })
        .collect();
    let mut value = json!({
        "version": 1,
        "org": report.org,
        "org_name": report.org_name,
        "as_of": report.as_of.to_string(),
        "summary": report.summary,
        "policies": report.policies,
        "findings": findings,
        "passes": passes,
        "warnings": report.warnings,
    });
    // Only runs compared with a baseline say what went away; each finding then also carries
    // `baseline: new | existing`.
    if report.has_baseline() {
        value["gone"] = serde_json::to_value(&report.gone).unwrap_or(Value::Null);
    }
    value
}

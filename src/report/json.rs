//! The JSON report: stable field names (`version: 1`), findings that are not passes, every
//! position resolved to file, line and column. A run with `--baseline` adds `baseline` to each
//! finding and a `gone` list; `vrisk check --baseline` reads this format back.

use serde::Serialize;
use serde_json::Value;

use crate::engine::{Finding, GoneFinding, Outcome, PolicyInfo, Report, Summary};
use crate::value::text::{json_pretty, json_pretty_to};

/// Written straight from the report (a report of 100,000 vendors holds hundreds of thousands of
/// findings: building a tree of JSON values first cost as much as writing it). The data is
/// exact; characters a terminal would act on are `\u` escapes ([`json_pretty`]), so the file
/// can be printed in a log as it is.
pub fn render(report: &Report) -> String {
    let mut text = json_pretty(&JsonReport::of(report));
    text.push('\n');
    text
}

/// [`render`] written into `writer` as it is made: a report of 100,000 vendors is gigabytes,
/// which a file target then never holds in memory.
pub fn write(report: &Report, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
    json_pretty_to(writer, &JsonReport::of(report))?;
    writer.write_all(b"\n")
}

pub fn to_value(report: &Report) -> Value {
    serde_json::to_value(JsonReport::of(report)).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct JsonReport<'r> {
    version: u32,
    org: &'r str,
    org_name: &'r str,
    as_of: String,
    summary: &'r Summary,
    policies: &'r [PolicyInfo],
    findings: Vec<&'r Finding>,
    passes: Vec<Pass<'r>>,
    warnings: &'r [String],
    /// Only runs compared with a baseline say what went away; each finding then also carries
    /// `baseline: new | existing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    gone: Option<&'r [GoneFinding]>,
}

#[derive(Serialize)]
struct Pass<'r> {
    policy: &'r str,
    vendor: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'r str>,
}

impl<'r> JsonReport<'r> {
    fn of(report: &'r Report) -> JsonReport<'r> {
        JsonReport {
            version: 1,
            org: &report.org,
            org_name: &report.org_name,
            as_of: report.as_of.to_string(),
            summary: &report.summary,
            policies: &report.policies,
            findings: report.non_passing().collect(),
            passes: report
                .findings
                .iter()
                .filter(|f| f.outcome == Outcome::Pass)
                .map(|f| Pass {
                    policy: &f.policy,
                    vendor: &f.vendor,
                    note: f.note.as_deref(),
                })
                .collect(),
            warnings: &report.warnings,
            gone: report.has_baseline().then_some(report.gone.as_slice()),
        }
    }
}

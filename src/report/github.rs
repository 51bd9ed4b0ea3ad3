//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding that
//! is not a pass, which GitHub turns into annotations on the changed files of a pull request.
//!
//! GitHub keeps at most 10 annotations of each kind per step and drops the rest without a word,
//! so the most severe findings go first, each kind stops at 10, and one last notice says how
//! many findings were not annotated. The job summary (the Markdown report) is held to GitHub's
//! 1 MiB per step the same way: whole findings up to the limit, then a line saying what was left
//! out.
//!
//! Data in a command is neutralised first ([`neutralise`]: control characters, bidi controls and
//! line separators become visible escapes), so that the only line breaks in the message are
//! vrisk's own, and defused ([`defuse_ci_commands`]: no `##[` marker of the runner's older
//! syntax). Then escaping follows the runner's own (actions/toolkit `command.ts`): in the
//! message `%`, CR and LF are percent-encoded; in a property value `:` and `,` are too, since
//! they delimit properties. `%` goes first so that the other escapes are not escaped again.

use std::cmp::Reverse;

use crate::value::severity::Severity;

use super::detail_lines;
use crate::engine::{BaselineState, Finding, Outcome, Report};
use crate::value::text::{defuse_ci_commands, neutralise};

/// How many annotations of each kind (error, warning, notice) GitHub shows for one step.
pub const ANNOTATIONS_PER_KIND: usize = 10;

/// How large GitHub lets a step's job summary grow.
pub const STEP_SUMMARY_BYTES: usize = 1024 * 1024;

const KINDS: [&str; 3] = ["error", "warning", "notice"];

pub fn render(report: &Report) -> String {
    // Errors, then warnings, then notices; within a kind failures before indeterminate
    // results, the most severe first, ties in report order (the sort is stable).
    let mut findings: Vec<&Finding> = report.non_passing().collect();
    findings.sort_by_key(|f| (kind_rank(f), f.outcome, Reverse(f.severity)));
    let count = |kind: &str| findings.iter().filter(|f| command_name(f) == kind).count();
    let overflow = KINDS.iter().any(|kind| count(kind) > ANNOTATIONS_PER_KIND);
    let mut out = String::new();
    let mut left_out = 0;
    for kind in KINDS {
        // The closing notice takes one of the notices' places.
        let room = match (kind, overflow) {
            ("notice", true) => ANNOTATIONS_PER_KIND - 1,
            _ => ANNOTATIONS_PER_KIND,
        };
        let of_kind = findings.iter().filter(|f| command_name(f) == kind);
        for (i, finding) in of_kind.enumerate() {
            if i < room {
                out.push_str(&command(finding));
                out.push('\n');
            } else {
                left_out += 1;
            }
        }
    }
    if left_out > 0 {
        out.push_str(&format!(
            "::notice title=vrisk::{left_out} more finding{} not annotated (GitHub shows at most \
             {ANNOTATIONS_PER_KIND} errors, {ANNOTATIONS_PER_KIND} warnings and \
             {ANNOTATIONS_PER_KIND} notices per step): see the report\n",
            if left_out == 1 { "" } else { "s" }
        ));
    }
    out
}

fn kind_rank(finding: &Finding) -> usize {
    let name = command_name(finding);
    KINDS.iter().position(|k| *k == name).unwrap_or(KINDS.len())
}

/// The command for one finding.
pub fn command(finding: &Finding) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    // A copy compiled into vrisk is no file of the repository: an annotation there would land
    // on the user's file of the same name, or nowhere.
    if let Some(location) = finding.primary_location()
        && !location.position.builtin
    {
        let p = &location.position;
        properties.push(("file", neutralise(&p.file).into_owned()));
        properties.push(("line", p.line.to_string()));
        properties.push(("col", p.column.to_string()));
    }
    properties.push(("title", defuse_ci_commands(&title(finding)).into_owned()));
    let properties: Vec<String> = properties
        .into_iter()
        .map(|(k, v)| format!("{k}={}", escape_property(&v)))
        .collect();
    format!(
        "::{} {}::{}",
        command_name(finding),
        properties.join(","),
        escape_data(&defuse_ci_commands(&message(finding)))
    )
}

/// critical/high failures are errors, medium/low warnings, info notices; an indeterminate
/// result asks for a look (warning); a waived one is only a reminder (notice).
pub fn command_name(finding: &Finding) -> &'static str {
    match finding.outcome {
        Outcome::Fail => match finding.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium | Severity::Low => "warning",
            Severity::Info => "notice",
        },
        Outcome::Indeterminate => "warning",
        Outcome::Waived | Outcome::Pass => "notice",
    }
}

fn title(finding: &Finding) -> String {
    let mut title = format!(
        "vrisk {} [{}] {}: {}",
        finding.outcome,
        finding.severity,
        neutralise(&finding.policy),
        neutralise(&finding.vendor_name)
    );
    if finding.baseline == Some(BaselineState::New) {
        title.push_str(" (new)");
    }
    title
}

fn message(finding: &Finding) -> String {
    let mut text = neutralise(finding.message.trim()).into_owned();
    for line in detail_lines(finding) {
        text.push('\n');
        text.push_str(&line);
    }
    if let Some(location) = finding.primary_location()
        && location.position.builtin
    {
        text.push_str(&format!("\nat {} (built into vrisk)", location.position));
    }
    text
}

/// Escapes the message (the text after `::`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`, ...).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sample;

    #[test]
    fn data_escapes_percent_cr_and_lf_only() {
        assert_eq!(escape_data("100%"), "100%25");
        assert_eq!(escape_data("a\rb"), "a%0Db");
        assert_eq!(escape_data("a\nb"), "a%0Ab");
        assert_eq!(escape_data("a\r\nb"), "a%0D%0Ab");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        // An existing escape is not taken as one: `%0A` in the text stays literal.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("::error::x"), "::error::x");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b"), "a%3Ab");
        assert_eq!(escape_property("a,b"), "a%2Cb");
        assert_eq!(escape_property("50%: x,\ny"), "50%25%3A x%2C%0Ay");
        assert_eq!(escape_property("C:\\dir\\f.yaml"), "C%3A\\dir\\f.yaml");
        assert_eq!(escape_property("é 😀"), "é 😀");
    }

    #[test]
    fn levels_follow_outcome_and_severity() {
        let name = |s, o| command_name(&sample::finding("p", "v", s, o));
        assert_eq!(name(Severity::Critical, Outcome::Fail), "error");
        assert_eq!(name(Severity::High, Outcome::Fail), "error");
        assert_eq!(name(Severity::Medium, Outcome::Fail), "warning");
        assert_eq!(name(Severity::Low, Outcome::Fail), "warning");
        assert_eq!(name(Severity::Info, Outcome::Fail), "notice");
        assert_eq!(name(Severity::Critical, Outcome::Indeterminate), "warning");
        assert_eq!(name(Severity::Critical, Outcome::Waived), "notice");
    }

    /// A line break inside data is shown as `\n`: the message's `%0A`s are vrisk's own lines.
    #[test]
    fn command_points_at_the_registry_and_escapes_every_part() {
        let mut f = sample::finding("p,1", "v", Severity::High, Outcome::Fail);
        f.vendor_name = "Scale: AI, Inc.".to_string();
        f.message = "49% stake\nheld".to_string();
        f.evidence.clear();
        f.paths.clear();
        f.locations[0].position.file = "reg:istry/o,wn.yaml".to_string();
        assert_eq!(
            command(&f),
            "::error file=reg%3Aistry/o%2Cwn.yaml,line=3,col=5,\
             title=vrisk fail [high] p%2C1%3A Scale%3A AI%2C Inc.::49%25 stake\\nheld"
        );
    }

    #[test]
    fn without_a_location_only_the_title_is_given() {
        let mut f = sample::finding("p", "v", Severity::Low, Outcome::Indeterminate);
        f.locations.clear();
        assert!(command(&f).starts_with("::warning title=vrisk indeterminate [low] p%3A V::"));
    }
}

//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding that
//! is not a pass, which GitHub turns into annotations on the changed files of a pull request.
//!
//! Data in a command is neutralised first ([`neutralise`]: control characters, bidi controls and
//! line separators become visible escapes), so that the only line breaks in the message are
//! vrisk's own, and defused ([`defuse_ci_commands`]: no `##[` marker of the runner's older
//! syntax). Then escaping follows the runner's own (actions/toolkit `command.ts`): in the
//! message `%`, CR and LF are percent-encoded; in a property value `:` and `,` are too, since
//! they delimit properties. `%` goes first so that the other escapes are not escaped again.

use std::io::Write;
use std::path::Path;

use crate::value::severity::Severity;

use super::detail_lines;
use crate::engine::{BaselineState, Finding, Outcome, Report};
use crate::value::text::{defuse_ci_commands, neutralise};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for finding in report.non_passing() {
        out.push_str(&command(finding));
        out.push('\n');
    }
    out
}

/// The command for one finding.
pub fn command(finding: &Finding) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(location) = finding.primary_location() {
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

/// Appends the Markdown report to the job summary, the file named by `GITHUB_STEP_SUMMARY`.
/// Outside GitHub Actions (variable unset or empty) it does nothing.
pub fn append_step_summary(markdown: &str) -> std::io::Result<()> {
    match std::env::var_os("GITHUB_STEP_SUMMARY") {
        Some(path) if !path.is_empty() => append_to(Path::new(&path), markdown),
        _ => Ok(()),
    }
}

/// Appends `markdown` to `path`, creating it, and ends it with a newline so that a later step's
/// summary starts on its own line.
pub fn append_to(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(markdown.as_bytes())?;
    if !markdown.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    Ok(())
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

    #[test]
    fn step_summary_appends() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("summary.md");
        std::fs::write(&path, "# earlier step\n").expect("write");
        append_to(&path, "# vrisk").expect("append");
        append_to(&path, "more\n").expect("append");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text, "# earlier step\n# vrisk\nmore\n");
    }
}

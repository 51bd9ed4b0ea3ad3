//! Renders a [`Report`] into an output format, one file per format. A formatter reads only the
//! report (and, for the human format, the source map, to print snippets): it never evaluates,
//! and it knows nothing of the command line.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::fmt;

use crate::engine::{Finding, PathEvidence, Report, Verdict};
use crate::input::source::SourceMap;
use crate::value::text::neutralise;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatName {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
}

impl FormatName {
    pub const ALL: [FormatName; 6] = [
        FormatName::Human,
        FormatName::Json,
        FormatName::Sarif,
        FormatName::Junit,
        FormatName::Github,
        FormatName::Markdown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FormatName::Human => "human",
            FormatName::Json => "json",
            FormatName::Sarif => "sarif",
            FormatName::Junit => "junit",
            FormatName::Github => "github",
            FormatName::Markdown => "markdown",
        }
    }

    /// The format of this name, ignoring ASCII case.
    pub fn parse(name: &str) -> Option<FormatName> {
        FormatName::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for FormatName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Renders the report in one format. `verdict` is what the gate made of the findings: SARIF
/// records it as the exit code and the Markdown title states it.
///
/// A report may be printed in a CI log (to standard output, or by `cat`), so every format keeps
/// data from becoming a command or an escape sequence there (see [`crate::value::text`]): the
/// text formats neutralise each piece of data and defuse whole lines, the JSON formats escape
/// what a terminal would act on, and the `github` format escapes data inside its commands.
pub fn render(
    format: FormatName,
    report: &Report,
    sources: &SourceMap,
    style: &human::Style,
    verdict: Verdict,
) -> String {
    match format {
        FormatName::Human => human::render(report, sources, style),
        FormatName::Json => json::render(report),
        FormatName::Sarif => sarif::render(report, verdict),
        FormatName::Junit => junit::render(report),
        FormatName::Github => github::render(report),
        FormatName::Markdown => markdown::render(report, verdict),
    }
}

/// Text shared by the formats that print one finding as plain lines: the evidence, the
/// ownership paths and the note, one item a line, each neutralised (no data can add a line).
pub fn detail_lines(finding: &Finding) -> Vec<String> {
    raw_detail_lines(finding)
        .iter()
        .map(|line| neutralise(line).into_owned())
        .collect()
}

fn raw_detail_lines(finding: &Finding) -> Vec<String> {
    let mut lines = Vec::new();
    for e in &finding.evidence {
        let mut line = format!("evidence: {}", e.text);
        if !e.sources.is_empty() {
            let ids: Vec<&str> = e.sources.iter().map(|s| s.id.as_str()).collect();
            line.push_str(&format!(" [source: {}]", ids.join(", ")));
        }
        lines.push(line);
    }
    for path in &finding.paths {
        lines.push(format!(
            "path: {} = {} economic, {} voting",
            path_route(path),
            path.economic,
            path.voting
        ));
    }
    if let Some(note) = &finding.note {
        lines.push(format!("note: {note}"));
    }
    lines
}

/// `Meta ─49%→ Scale AI`: the names along a path with the share at each link.
pub fn path_route(path: &PathEvidence) -> String {
    let mut route = String::new();
    for (i, name) in path.names.iter().enumerate() {
        if i > 0 {
            let link = path.links.get(i - 1).map(String::as_str).unwrap_or("?");
            route.push_str(&format!(" ─{link}→ "));
        }
        route.push_str(name);
    }
    route
}

//! Renders a [`Report`] into an output format, one file per format. A formatter reads only the
//! report (and, for the human format, the source map, to print snippets): it never evaluates,
//! and it knows nothing of the command line.

pub mod diagram;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod markup;
pub mod sarif;

use std::fmt;

use crate::engine::{Finding, PathEvidence, PolicyInfo, Report, Verdict};
use crate::input::embedded::embedded_names;
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
    Gitlab,
    Html,
}

impl FormatName {
    pub const ALL: [FormatName; 8] = [
        FormatName::Human,
        FormatName::Json,
        FormatName::Sarif,
        FormatName::Junit,
        FormatName::Github,
        FormatName::Markdown,
        FormatName::Gitlab,
        FormatName::Html,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FormatName::Human => "human",
            FormatName::Json => "json",
            FormatName::Sarif => "sarif",
            FormatName::Junit => "junit",
            FormatName::Github => "github",
            FormatName::Markdown => "markdown",
            FormatName::Gitlab => "gitlab",
            FormatName::Html => "html",
        }
    }

    /// The names of every format, for help and error messages: `human, json, ...`.
    pub fn list() -> String {
        let names: Vec<&str> = FormatName::ALL.iter().map(|f| f.name()).collect();
        names.join(", ")
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
/// records it as the exit code, the Markdown title and the HTML page state it.
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
        FormatName::Gitlab => gitlab::render(report),
        FormatName::Html => html::render(report, verdict),
    }
}

/// The repository vrisk is published from (Cargo.toml's `repository`), when the build names
/// one.
pub fn repository() -> Option<&'static str> {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repository.is_empty()).then_some(repository)
}

/// Where a reader learns about a policy: its own `help_url`; else, for a policy that ships with
/// vrisk, its section of docs/policies.md in vrisk's repository. None for a policy of the
/// user's that names no page: a link to vrisk's documentation would not describe it.
pub fn policy_help_url(policy: &PolicyInfo) -> Option<String> {
    if let Some(url) = &policy.help_url {
        return Some(url.clone());
    }
    let file = format!("{}.yaml", policy.id);
    let shipped = policy.location.builtin || embedded_names().1.contains(&file.as_str());
    match repository() {
        Some(repository) if shipped => Some(format!(
            "{repository}/blob/main/docs/policies.md#{}",
            policy.id
        )),
        _ => None,
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

pub use crate::engine::finding::ROUTE_LINKS;

/// `Meta ─49%→ Scale AI`: the names along a path with the share at each link. A path of more
/// than [`ROUTE_LINKS`] links is shortened in the middle, keeping both ends: the owner (or the
/// declared competitor the path starts at) and the vendor, as `A ─100%→ … 37 links … ─30%→ V`.
pub fn path_route(path: &PathEvidence) -> String {
    let link = |i: usize| path.links.get(i).map(String::as_str).unwrap_or("?");
    let links = path.names.len().saturating_sub(1);
    if let (true, Some(first), Some(last)) =
        (links > ROUTE_LINKS, path.names.first(), path.names.last())
    {
        return format!(
            "{first} ─{}→ … {} links … ─{}→ {last}",
            link(0),
            links - 2,
            link(links - 1)
        );
    }
    let mut route = String::new();
    for (i, name) in path.names.iter().enumerate() {
        if i > 0 {
            route.push_str(&format!(" ─{}→ ", link(i - 1)));
        }
        route.push_str(name);
    }
    route
}

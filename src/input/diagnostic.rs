//! Problems found in the input, with stable codes and located labels, rendered through miette.
//!
//! Every stage reports a [`Problem`]: a stable code (`registry::unknown-organisation`), a message,
//! labelled positions in any of the loaded files, and a help line. A problem does not hold file
//! text; [`Problem::render`] looks the text up in the run's [`SourceMap`] so that labels in
//! different files (a registry fact and a policy condition) each get their own snippet.
//!
//! Messages, labels and help interpolate data (ids, names, file names): a problem keeps them
//! neutralised ([`neutralise`]), one line each, so that no data reaches the terminal or a CI log
//! as a control character or a line break of its own.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NarratableReportHandler,
    SourceCode,
};

use crate::input::snippet::{self, SnippetSource};
use crate::input::source::{FileId, Loc, SourceMap, Span};
use crate::value::text::{defuse_ci_commands, neutralise};

/// The label of an alias that copies a value a problem is about (see [`Problem::through`]).
pub const ALIAS_LABEL: &str = "used again here, through this alias";

/// Labels of one file more than this many lines apart are shown in separate snippets.
pub const MAX_SNIPPET_GAP: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Advice,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Stable code, `stage::name`; documented in docs/diagnostics.md.
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub labels: Vec<(Loc, String)>,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            level: Level::Error,
            message: single_line(message.into()),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            level: Level::Warning,
            ..Problem::new(code, message)
        }
    }

    pub fn io(display: &str, err: &std::io::Error) -> Self {
        let (code, help) = match err.kind() {
            std::io::ErrorKind::NotFound => ("input::not-found", "check the path and its spelling"),
            std::io::ErrorKind::PermissionDenied => {
                ("input::permission-denied", "check the file's permissions")
            }
            _ => (
                "input::unreadable",
                "check that the path is a readable file",
            ),
        };
        Problem::new(code, format!("cannot read {display}: {err}")).with_help(help)
    }

    pub fn at(mut self, loc: Loc, label: impl Into<String>) -> Self {
        self.labels.push((loc, single_line(label.into())));
        self
    }

    /// One line of help (a line break in it is shown as `\n`).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(single_line(help.into()));
        self
    }

    /// Help of several lines, each neutralised on its own.
    pub fn with_help_lines<S: AsRef<str>>(mut self, lines: impl IntoIterator<Item = S>) -> Self {
        let lines: Vec<String> = lines
            .into_iter()
            .map(|line| neutralise(line.as_ref()).into_owned())
            .collect();
        self.help = Some(lines.join("\n"));
        self
    }

    /// Notes the alias that copied the value this problem is about (a YAML `*name` or
    /// `<<: *name`), when one did: the problem is reported where the value is written, inside
    /// the anchored node, and the alias is labelled so that the copy is found too.
    pub fn through(self, alias: Option<Loc>) -> Self {
        match alias {
            Some(loc) => self.at(loc, ALIAS_LABEL),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The first labelled position, which is where the problem is reported.
    pub fn primary(&self) -> Option<Loc> {
        self.labels.first().map(|(loc, _)| *loc)
    }

    /// `file:line:col` of the primary position, if any.
    pub fn location(&self, sources: &SourceMap) -> Option<String> {
        self.primary().map(|loc| sources.describe(loc))
    }

    /// A miette diagnostic that borrows the file texts from `sources`.
    ///
    /// A label in a file whose text is not at hand (a registry read from a snapshot whose source
    /// has changed or gone since) gets no snippet: its position and text are added to the help,
    /// and [`unavailable_sources_note`] says why, once per output.
    pub fn to_diagnostic(&self, sources: &SourceMap) -> RenderedProblem {
        let mut problem = self.clone();
        let unavailable: Vec<String> = self
            .labels
            .iter()
            .filter(|(loc, _)| sources.get(loc.file).with_text().is_none())
            .map(|(loc, label)| {
                format!(
                    "{}: {} (no snippet)",
                    sources.describe(*loc),
                    single_line(label.clone())
                )
            })
            .collect();
        if !unavailable.is_empty() {
            let mut help = problem.help.take().map(|h| vec![h]).unwrap_or_default();
            help.extend(unavailable);
            problem.help = Some(help.join("\n"));
        }
        let mut snippets = self.snippet_groups(sources).into_iter().map(|group| {
            let file = sources
                .get(group.file)
                .with_text()
                .unwrap_or(sources.get(group.file));
            let spans: Vec<Span> = group.labels.iter().map(|(span, _)| *span).collect();
            Snippet {
                source: file.snippet_source(&spans),
                // A snippet's header gives the position of its first label in the problem's
                // order (for the first snippet, where the problem is reported), not of the
                // label that comes first in the file.
                labels: group
                    .labels
                    .into_iter()
                    .enumerate()
                    .map(|(i, (span, label))| {
                        let label = Some(neutralise(&label).into_owned());
                        match i {
                            0 => LabeledSpan::new_primary_with_span(label, span),
                            _ => LabeledSpan::new_with_span(label, span),
                        }
                    })
                    .collect(),
            }
        });
        let first = snippets.next();
        RenderedProblem {
            problem,
            primary: first,
            related: snippets
                .map(|s| RelatedSnippet {
                    snippet: s,
                    level: self.level,
                })
                .collect(),
        }
    }

    /// The labels grouped into snippets, each label's span as it is shown
    /// ([`snippet::shown_span`]).
    ///
    /// One snippet per file, except that labels of one file more than [`MAX_SNIPPET_GAP`] lines
    /// apart, or with a long line between them, get snippets of their own, since a snippet shows
    /// every line between its labels (in a registry of a million lines, the facts behind one
    /// finding can be hundreds of thousands of lines apart). Labels on a long line share a
    /// snippet (a window of that line) only when they are close together on it.
    fn snippet_groups(&self, sources: &SourceMap) -> Vec<SnippetGroup> {
        let mut groups: Vec<SnippetGroup> = Vec::new();
        for (loc, label) in &self.labels {
            let Some(file) = sources.get(loc.file).with_text() else {
                continue;
            };
            let span = snippet::shown_span(file, loc.span);
            let line = file.line_index(span.offset);
            let long = snippet::is_long(file, line);
            let joins = |group: &SnippetGroup| {
                group.file == loc.file
                    && group.long == long
                    && group.labels.iter().any(|(other, _)| {
                        if long {
                            snippet::share_window(file, *other, span)
                        } else {
                            let other_line = file.line_index(other.offset);
                            other_line.abs_diff(line) <= MAX_SNIPPET_GAP
                                && snippet::all_short_between(file, other_line, line)
                        }
                    })
            };
            match groups.iter_mut().find(|g| joins(g)) {
                Some(group) => group.labels.push((span, label.clone())),
                None => groups.push(SnippetGroup {
                    file: loc.file,
                    long,
                    labels: vec![(span, label.clone())],
                }),
            }
        }
        groups
    }

    /// Renders with miette's graphical handler, without colour, at the given width.
    pub fn render(&self, sources: &SourceMap, width: usize) -> String {
        render_diagnostic(&self.to_diagnostic(sources), width, false)
    }
}

/// The note that ends an output in which snippets were left out because the files they come
/// from changed or went after the snapshot that described them was loaded; `None` when none was.
pub fn unavailable_sources_note(sources: &SourceMap) -> Option<String> {
    let names: Vec<String> = sources
        .files()
        .filter(|(_, file)| file.text_unavailable())
        .map(|(_, file)| neutralise(&file.name).into_owned())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "note: no snippets of {}: the registry was read from a snapshot, and the source has              changed or is gone since; positions are as the snapshot recorded them",
            names.join(", ")
        )
    })
}

/// Problems in reading order, each reported once.
///
/// A value inside an anchored YAML node is checked once for every alias that copies it, and
/// each copy's problem is reported where the value is written: the same problem at the same
/// place. Such repeats (the same code, level, primary position and label, and the same message
/// but for the list indexes in it, `/organisations/3` against `/organisations/0`) are merged
/// into the first, which gains the labels of the others: the aliases that used the value.
pub fn merge_repeats(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| p.primary());
    let mut merged: Vec<Problem> = Vec::with_capacity(problems.len());
    // Only problems at one primary position can be repeats: `group` is where those start.
    let mut group = 0;
    for problem in problems {
        if merged
            .get(group)
            .is_some_and(|first| first.primary() != problem.primary())
        {
            group = merged.len();
        }
        match merged[group..]
            .iter_mut()
            .find(|earlier| is_repeat(earlier, &problem))
        {
            Some(earlier) => {
                for label in problem.labels {
                    if !earlier.labels.contains(&label) {
                        earlier.labels.push(label);
                    }
                }
            }
            None => merged.push(problem),
        }
    }
    merged
}

/// Whether `b` is `a` found again (see [`merge_repeats`]).
fn is_repeat(a: &Problem, b: &Problem) -> bool {
    a.code == b.code
        && a.level == b.level
        && a.labels.first() == b.labels.first()
        && without_indexes(&a.message) == without_indexes(&b.message)
}

/// The message with every list index of a JSON pointer (`/3`) written `/#`.
fn without_indexes(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '/' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('#');
        }
    }
    out
}

/// Renders any diagnostic as text: graphical (unicode, no colour unless asked) or narrated.
pub fn render_diagnostic(diagnostic: &dyn Diagnostic, width: usize, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(snippet::CONTEXT_LINES)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        // Rendering into a String cannot fail on I/O; fall back to the narrated form.
        out.clear();
        let _ = NarratableReportHandler::new().render_report(&mut out, diagnostic);
        return defuse_ci_commands(&out).into_owned();
    }
    // miette writes a severity line ("Advice: ") above each related diagnostic, and miette 7 has
    // no setting to leave it out. Ours are only
    // the snippets of the same problem in its other files, which their "☞ also in FILE" header
    // introduces; a severity there would read as a second, different problem.
    let out = out.replace(RELATED_SEVERITY_LINE, "\n");
    // Wrapping can bring a `::` from the middle of a message to the start of a line.
    defuse_ci_commands(&out).into_owned()
}

/// Text that is one line of a problem: every control character escaped (see the module notes).
fn single_line(text: String) -> String {
    match neutralise(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// The line miette writes above a related diagnostic of advice severity, with its line breaks.
const RELATED_SEVERITY_LINE: &str = "\nAdvice: \n";

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// The labels of one snippet: one file, and either short lines or one window of a long line.
struct SnippetGroup {
    file: FileId,
    long: bool,
    labels: Vec<(Span, String)>,
}

#[derive(Debug)]
struct Snippet {
    source: SnippetSource,
    labels: Vec<LabeledSpan>,
}

/// A [`Problem`] paired with the text of the files it points into.
#[derive(Debug)]
pub struct RenderedProblem {
    problem: Problem,
    primary: Option<Snippet>,
    related: Vec<RelatedSnippet>,
}

impl fmt::Display for RenderedProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Already neutralised by the constructors; again here for a message set field by field.
        f.write_str(&neutralise(&self.problem.message))
    }
}

impl std::error::Error for RenderedProblem {}

fn severity(level: Level) -> miette::Severity {
    match level {
        Level::Error => miette::Severity::Error,
        Level::Warning => miette::Severity::Warning,
        Level::Advice => miette::Severity::Advice,
    }
}

impl Diagnostic for RenderedProblem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.problem.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(severity(self.problem.level))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problem.help.as_ref().map(|help| {
            let lines: Vec<_> = help.split('\n').map(neutralise).collect();
            Box::new(lines.join("\n")) as Box<dyn fmt::Display>
        })
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.primary.as_ref().map(|s| &s.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.primary
            .as_ref()
            .map(|s| Box::new(s.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// The labels of a problem that fall in a second (third, ...) file.
#[derive(Debug)]
struct RelatedSnippet {
    snippet: Snippet,
    level: Level,
}

impl fmt::Display for RelatedSnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "also in {}", self.snippet.source.name())
    }
}

impl std::error::Error for RelatedSnippet {}

impl Diagnostic for RelatedSnippet {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.level {
            Level::Error | Level::Warning | Level::Advice => miette::Severity::Advice,
        })
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.snippet.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.snippet.labels.iter().cloned()))
    }
}

/// Names longer than this get no "did you mean": a suggestion for a paragraph-long id helps
/// nobody, and the edit distance costs the product of the two lengths.
const SUGGEST_MAX_CHARS: usize = 128;

/// "did you mean" for a misspelt name: the closest candidate within a small edit distance.
///
/// A name also matches a candidate whose leading words it spells (words end at `-`, `_` or
/// `.`): `paywave` suggests `paywave-payments`, `approver` suggests `approved_by`. A whole-name
/// match beats a leading-words match at the same distance.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if name.chars().count() > SUGGEST_MAX_CHARS {
        return None;
    }
    let mut best: Option<((usize, bool), &str)> = None;
    for candidate in candidates {
        let Some(rank) = closeness(name, candidate) else {
            continue;
        };
        if best.is_none_or(|(r, c)| (rank, candidate) < (r, c)) {
            best = Some((rank, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// How close `name` is to `candidate`, when close enough to suggest: the edit distance, and
/// whether only the candidate's leading words were matched.
fn closeness(name: &str, candidate: &str) -> Option<(usize, bool)> {
    if let Some(d) = within_limit(name, candidate) {
        return Some((d, false));
    }
    // Leading words are only worth matching for a name long enough to mean something.
    if name.chars().count() < 3 {
        return None;
    }
    candidate
        .match_indices(['-', '_', '.'])
        .filter_map(|(end, _)| within_limit(name, &candidate[..end]))
        .min()
        .map(|d| (d, true))
}

/// The edit distance of two names when it is at most a third of the longer one (at least 1).
fn within_limit(name: &str, candidate: &str) -> Option<usize> {
    let name_len = name.chars().count();
    let candidate_len = candidate.chars().count();
    if candidate_len > SUGGEST_MAX_CHARS {
        return None;
    }
    let limit = (name_len.max(candidate_len) / 3).max(1);
    // The distance is at least the difference in length: skip what cannot be close.
    if name_len.abs_diff(candidate_len) > limit {
        return None;
    }
    let distance = edit_distance(name, candidate);
    (distance <= limit).then_some(distance)
}

/// Edit distance over characters, counting a swap of two neighbours as one edit (so that
/// `meat` is one edit from `meta`): the optimal string alignment distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// Problems as JSON, for editors and scripts: one object per problem with its primary position.
pub fn problems_to_json(problems: &[Problem], sources: &SourceMap) -> serde_json::Value {
    let items = problems
        .iter()
        .map(|p| {
            let mut item = serde_json::json!({
                "code": p.code,
                "severity": match p.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Advice => "advice",
                },
                "message": p.message,
            });
            if let Some(loc) = p.primary() {
                let lc = sources.line_col(loc);
                item["file"] = sources.get(loc.file).name.clone().into();
                item["line"] = lc.line.into();
                item["column"] = lc.column.into();
            }
            item["labels"] = p
                .labels
                .iter()
                .map(|(loc, label)| {
                    let lc = sources.line_col(*loc);
                    serde_json::json!({
                        "file": sources.get(loc.file).name,
                        "line": lc.line,
                        "column": lc.column,
                        "label": label,
                    })
                })
                .collect();
            if let Some(help) = &p.help {
                item["help"] = help.clone().into();
            }
            item
        })
        .collect();
    serde_json::Value::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_far_apart_in_one_file_get_snippets_of_their_own() {
        let text: String = (1..=200).map(|i| format!("k{i}: v\n")).collect();
        let mut sources = SourceMap::new();
        let file = sources.add(crate::input::source::SourceFile::new("f.yaml", None, text));
        let at = |line: usize| Loc {
            file,
            span: crate::input::source::Span::new(text_offset(line), 2),
        };
        fn text_offset(line: usize) -> usize {
            (1..line).map(|i| format!("k{i}: v\n").len()).sum()
        }
        let problem = Problem::new("registry::schema", "m")
            .at(at(10), "first")
            .at(at(12), "near")
            .at(at(150), "far");
        let rendered = problem.render(&sources, 80);
        assert!(rendered.contains("k12"), "{rendered}");
        assert!(!rendered.contains("k80"), "{rendered}");
        assert!(rendered.contains("k150"), "{rendered}");
        assert_eq!(problem.to_diagnostic(&sources).related.len(), 1);
    }

    #[test]
    fn labels_in_another_file_follow_under_its_name() {
        let mut sources = SourceMap::new();
        let a = sources.add(crate::input::source::SourceFile::new(
            "a.yaml",
            None,
            "- id: acme\n",
        ));
        let b = sources.add(crate::input::source::SourceFile::new(
            "b.yaml",
            None,
            "- id: acme\n",
        ));
        let at = |file| Loc {
            file,
            span: crate::input::source::Span::new(6, 4),
        };
        let problem = Problem::new("registry::duplicate-id", "`acme` is declared twice")
            .at(at(b), "declared again here")
            .at(at(a), "first declared here");
        let expected = "\
registry::duplicate-id

  × `acme` is declared twice
   ╭─[b.yaml:1:7]
 1 │ - id: acme
   ·       ──┬─
   ·         ╰── declared again here
   ╰────

  ☞ also in a.yaml
   ╭─[a.yaml:1:7]
 1 │ - id: acme
   ·       ──┬─
   ·         ╰── first declared here
   ╰────
";
        assert_eq!(problem.render(&sources, 80), expected);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("scale-a", ["scale-ai", "meta"]),
            Some("scale-ai")
        );
        assert_eq!(did_you_mean("zzz", ["scale-ai", "meta"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("meat", "meta"), 1);
        assert_eq!(did_you_mean("meat", ["meta", "scale-ai"]), Some("meta"));
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
    }

    #[test]
    fn a_name_that_spells_the_leading_words_of_a_candidate_suggests_it() {
        let vendors = ["paywave-payments", "scale-ai", "turing"];
        assert_eq!(did_you_mean("paywave", vendors), Some("paywave-payments"));
        let fields = ["approved_by", "expires", "policy", "reason"];
        assert_eq!(did_you_mean("approver", fields), Some("approved_by"));
        assert_eq!(did_you_mean("expiry", fields), Some("expires"));
        // A whole-name match wins over a leading-words match at the same distance.
        assert_eq!(did_you_mean("scal", ["scale-ai", "scale"]), Some("scale"));
        assert_eq!(did_you_mean("ai", ["ai-lab"]), None);
    }

    #[test]
    fn long_names_get_no_suggestion_and_cost_nothing() {
        let long = "a".repeat(100_000);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
    }
}

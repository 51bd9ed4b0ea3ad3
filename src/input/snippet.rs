//! What a diagnostic shows of a file: the lines around its labels, safe to print and small.
//!
//! miette prints the lines around each label as they are. On hostile or generated input that
//! goes wrong in three ways, each handled here:
//!
//! - **Control characters.** A NUL, ESC, DEL or C1 control in a line would reach the terminal
//!   raw, and a bidi control or a line separator would reorder or break it. In the text shown,
//!   each becomes `?` (one per byte of a one- or two-byte character) or `�` (a three-byte one),
//!   so that byte offsets, and with them the positions of the labels, stay exact. A lone CR,
//!   which ends a line for vrisk's positions but not for miette's printer, is shown as the line
//!   break it is. A tab is left to miette, which expands it.
//! - **Long lines.** Minified JSON, a flow-style YAML line or a long CSV cell can put a problem
//!   millions of characters into one line: miette would print the whole line, and its formatter
//!   panics for a label past column 65,535 (a format width over `u16::MAX`). A line longer than
//!   [`LONG_LINE_BYTES`] is shown as a window of [`MARGIN_CHARS`] characters on each side of its
//!   labels, cut with `…` as rustc cuts with `...`; a label on it covers at most
//!   [`LABEL_CHARS`] characters. Context lines that are long are left out.
//! - **Long spans.** A label over many lines would print every one of them: one that runs over
//!   more than [`MAX_LABEL_LINES`] lines, or across a long line, is cut to its first line.
//!
//! A [`SnippetSource`] holds only the lines a snippet needs (the "view"), copied and made safe,
//! so that miette, which reads from the first byte of what it is given, never scans the file.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::input::source::{SourceFile, Span, language_of};
use crate::value::text::is_unsafe;

/// Lines longer than this, in bytes, are shown as a window around their labels.
pub const LONG_LINE_BYTES: usize = 400;
/// How many characters of a long line are shown before and after its labels.
pub const MARGIN_CHARS: usize = 60;
/// The most characters a label covers on a long line.
pub const LABEL_CHARS: usize = 60;
/// A label over more lines than this is cut to its first line.
pub const MAX_LABEL_LINES: usize = 40;
/// The lines of context miette is asked to show above and below a label.
pub const CONTEXT_LINES: usize = 1;
/// Where a long line is cut. Three bytes, so that it can stand in for three bytes of the line.
const ELLIPSIS: &str = "…";

/// The span a label shows: cut to [`LABEL_CHARS`] on a long line, and to its first line when it
/// runs over more than [`MAX_LABEL_LINES`] lines or across a long line. Its start never moves.
pub fn shown_span(file: &SourceFile, span: Span) -> Span {
    let text = file.text.as_str();
    let offset = span.offset.min(text.len());
    let end = offset.saturating_add(span.len).min(text.len());
    let first = file.line_index(offset);
    let bounds = file.line_bounds(first);
    if is_long(file, first) {
        let end = end
            .min(bounds.content_end)
            .min(advance(text, offset, LABEL_CHARS));
        return Span::new(offset, end.saturating_sub(offset));
    }
    if end <= bounds.end {
        return Span::new(offset, end - offset);
    }
    let last = file.line_index(end - 1);
    let crosses_long = (first..=last).any(|line| is_long(file, line));
    if last - first > MAX_LABEL_LINES || crosses_long {
        return Span::new(offset, bounds.content_end.saturating_sub(offset));
    }
    Span::new(offset, end - offset)
}

/// Whether a 0-based line is shown as a window rather than whole.
pub fn is_long(file: &SourceFile, line: usize) -> bool {
    file.line_bounds(line).len() > LONG_LINE_BYTES
}

/// Whether two labels on long lines can share one window: the same line, close together.
pub fn share_window(file: &SourceFile, a: Span, b: Span) -> bool {
    file.line_index(a.offset) == file.line_index(b.offset)
        && a.offset.abs_diff(b.offset) <= 2 * MARGIN_CHARS
}

/// Whether the lines from `a` to `b` (0-based, either order) are all short.
pub fn all_short_between(file: &SourceFile, a: usize, b: usize) -> bool {
    (a.min(b)..=a.max(b)).all(|line| !is_long(file, line))
}

impl SourceFile {
    /// The part of the file that shows `spans` (already passed through [`shown_span`]): their
    /// lines with [`CONTEXT_LINES`] around them, or, for spans on a long line, a window of it.
    pub fn snippet_source(&self, spans: &[Span]) -> SnippetSource {
        let text = self.text.as_str();
        let lo = spans
            .iter()
            .map(|s| s.offset)
            .min()
            .unwrap_or(0)
            .min(text.len());
        let hi = spans
            .iter()
            .map(|s| s.offset + s.len)
            .max()
            .unwrap_or(0)
            .clamp(lo, text.len());
        let first = self.line_index(lo);
        let last = self.line_index(hi.saturating_sub(1).max(lo));
        if is_long(self, first) {
            return self.window(first, lo, hi);
        }
        // One line more than miette shows on each side, so that its reader sees a line start;
        // long lines are left out, and so is everything past them.
        let reach = CONTEXT_LINES + 1;
        let mut top = first;
        while top > 0 && first - top < reach && !is_long(self, top - 1) {
            top -= 1;
        }
        let mut bottom = last;
        while bottom + 1 < self.line_count() && bottom - last < reach && !is_long(self, bottom + 1)
        {
            bottom += 1;
        }
        let start = self.line_bounds(top).start;
        let end = self.line_bounds(bottom).end;
        SnippetSource {
            name: self.name.clone(),
            view: shown_text(&text[start..end]),
            view_offset: start,
            first_line: top,
            text: self.text.clone(),
            line_start_of_view: start,
        }
    }

    /// A window of the long line `line` around the bytes `lo..hi`.
    fn window(&self, line: usize, lo: usize, hi: usize) -> SnippetSource {
        let text = self.text.as_str();
        let bounds = self.line_bounds(line);
        let lo = lo.clamp(bounds.start, bounds.content_end);
        let hi = hi.clamp(lo, bounds.content_end);
        let mut from = retreat(text, lo, MARGIN_CHARS).max(bounds.start);
        let mut to = advance(text, hi, MARGIN_CHARS).min(bounds.content_end);
        // The ellipsis takes the place of three bytes of the line: cut only where there are
        // that many to leave out.
        let cut_before = from - bounds.start > ELLIPSIS.len();
        if !cut_before {
            from = bounds.start;
        }
        let cut_after = bounds.content_end - to > ELLIPSIS.len();
        if !cut_after {
            // Through the end of the line and its line break.
            to = bounds.end;
        }
        let mut view = String::new();
        if cut_before {
            view.push_str(ELLIPSIS);
        }
        view.push_str(&shown_text(&text[from..to]));
        if cut_after {
            view.push_str(ELLIPSIS);
        }
        SnippetSource {
            name: self.name.clone(),
            view,
            view_offset: if cut_before {
                from - ELLIPSIS.len()
            } else {
                from
            },
            first_line: line,
            text: self.text.clone(),
            line_start_of_view: bounds.start,
        }
    }
}

/// The byte offset `n` characters after `at` (or the end of the text).
fn advance(text: &str, at: usize, n: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    at + rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i)
}

/// The byte offset `n` characters before `at` (or the start of the text).
fn retreat(text: &str, at: usize, n: usize) -> usize {
    let before = text.get(..at).unwrap_or("");
    before
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// `text` as a snippet shows it: the same number of bytes, line breaks where vrisk's positions
/// have them, and nothing a terminal would act on (see the module notes).
fn shown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            '\r' => out.push('\n'),
            c if is_unsafe(c) && c.len_utf8() == 3 => out.push('\u{FFFD}'),
            c if is_unsafe(c) => out.extend(std::iter::repeat_n('?', c.len_utf8())),
            c => out.push(c),
        }
    }
    out
}

/// The lines of a file that one snippet shows, as miette's [`SourceCode`]. Offsets and line
/// numbers are those of the whole file.
#[derive(Debug, Clone)]
pub struct SnippetSource {
    name: String,
    /// The text shown: whole lines, or a window of one long line with `…` where it is cut.
    view: String,
    /// The file offset of the view's first byte.
    view_offset: usize,
    /// The 0-based line of the view's first byte.
    first_line: usize,
    /// The whole text, for columns counted from the start of a line.
    text: Arc<String>,
    /// The file offset at which the line of the view's first byte starts.
    line_start_of_view: usize,
}

impl SnippetSource {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text shown, for tests.
    pub fn view(&self) -> &str {
        &self.view
    }
}

impl SourceCode for SnippetSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span.offset();
        let end = offset.saturating_add(span.len());
        if offset < self.view_offset || end > self.view_offset + self.view.len() {
            return Err(MietteError::OutOfBounds);
        }
        let shifted = SourceSpan::new((offset - self.view_offset).into(), span.len());
        let inner =
            self.view
                .as_bytes()
                .read_span(&shifted, context_lines_before, context_lines_after)?;
        // miette counts the column in bytes from the start of what it read; vrisk's positions
        // count characters from the start of the line (the header must say what every other
        // output says), and a window starts inside its line.
        let column = if context_lines_before == 0 {
            let line_start = if inner.line() == 0 {
                self.line_start_of_view
            } else {
                self.view_offset + line_start_in(&self.view, offset - self.view_offset)
            };
            self.text
                .get(line_start..offset)
                .map_or(0, |prefix| prefix.chars().count())
        } else {
            inner.column()
        };
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.view_offset).into(),
                inner.span().len(),
            ),
            inner.line() + self.first_line,
            column,
            inner.line_count() + self.first_line,
        )
        .with_language(language_of(&self.name));
        Ok(Box::new(contents))
    }
}

/// The offset in `view` at which the line holding `at` starts (the view's line breaks are
/// vrisk's: LF, CRLF, and lone CRs shown as LF).
fn line_start_in(view: &str, at: usize) -> usize {
    view.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_keep_their_bytes_and_lone_crs_break_lines() {
        assert_eq!(shown_text("a\u{1b}[2Jb\0"), "a?[2Jb?");
        assert_eq!(shown_text("c1\u{9b}x"), "c1??x");
        assert_eq!(shown_text("bidi\u{202e}x\u{2028}"), "bidi\u{FFFD}x\u{FFFD}");
        assert_eq!(shown_text("a\rb\r\nc\td\n"), "a\nb\r\nc\td\n");
        for text in ["a\u{1b}b", "c1\u{9b}", "\u{202e}", "é\u{7f}"] {
            assert_eq!(shown_text(text).len(), text.len(), "{text:?}");
        }
    }

    #[test]
    fn a_label_on_a_long_line_is_cut_and_a_label_over_many_lines_too() {
        let line = "x".repeat(10_000);
        let file = SourceFile::new("f.json", None, format!("{line}\nshort\n"));
        assert_eq!(
            shown_span(&file, Span::new(5_000, 4_000)),
            Span::new(5_000, LABEL_CHARS)
        );
        let lines: String = (0..100).map(|i| format!("k{i}: v\n")).collect();
        let file = SourceFile::new("f.yaml", None, lines);
        let whole = Span::new(0, file.text.len());
        assert_eq!(shown_span(&file, whole), Span::new(0, "k0: v".len()));
        let few = Span::new(0, file.text.find("k3").unwrap());
        assert_eq!(shown_span(&file, few), few);
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_with_ellipses() {
        let text = format!("{{\"a\": [{}\"bad\"]}}\n", "1, ".repeat(100_000));
        let file = SourceFile::new("big.json", None, text.as_str());
        let at = text.find("\"bad\"").unwrap();
        let source = file.snippet_source(&[Span::new(at, 5)]);
        assert!(source.view().starts_with(ELLIPSIS), "{}", source.view());
        assert!(source.view().contains("\"bad\"]}"), "{}", source.view());
        assert!(source.view().len() < 200, "{}", source.view().len());
        let contents = source
            .read_span(&SourceSpan::new(at.into(), 5), 0, 0)
            .unwrap();
        assert_eq!(contents.line(), 0);
        assert_eq!(contents.column(), text[..at].chars().count());
    }
}

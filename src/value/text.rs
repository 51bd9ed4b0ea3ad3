//! Text from the inputs, made safe to show.
//!
//! Names, messages, labels and file names come from files that anyone who can open a pull
//! request can edit. Printed raw, a line break in a name starts a new line of vrisk's output
//! (which GitHub Actions reads as a workflow command when it begins with `::`), an escape
//! sequence can clear the terminal and print a forged verdict, and a bidi override can make a
//! name read differently from what it is. Every text output passes data through [`neutralise`],
//! which writes each such character as a visible escape; whole outputs also go through
//! [`defuse_ci_commands`], so that nothing a CI runner executes can start a line, whatever the
//! wrapping did. Structured outputs (JSON, SARIF) keep data exact and write those characters as
//! `\uXXXX` escapes ([`json_pretty`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal or a log raw: a C0 or C1 control (CR, LF and TAB
/// included), DEL, a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), or a
/// line or paragraph separator (U+2028, U+2029).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// `text` with every unsafe character ([`is_unsafe`]) written as a visible escape: `\n`, `\r`,
/// `\t`, and `\u{1b}` (lower-case hex, as Rust writes it) for the others. Text without one is
/// returned as it is, so neutralising twice changes nothing.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_unsafe(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// `text` cut to at most `max` characters, with `…` where it is cut: for a value quoted in a
/// message, which should say which value without repeating a long one whole.
pub fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// `text` padded with spaces to `width` characters, for a column of a table. Written out
/// because `format!("{:<width$}")` panics for a width over 65,535, and a column as wide as its
/// longest id can be that wide.
pub fn pad_end(text: &str, width: usize) -> String {
    let len = text.chars().count();
    let mut out = String::with_capacity(text.len() + width.saturating_sub(len));
    out.push_str(text);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
    out
}

/// The prefixes that CI runners read as commands: GitHub Actions runs a line whose first
/// non-blank characters are `::` (`::add-mask::`, `::stop-commands::`) and, in its older
/// syntax, `##[command]` anywhere in a line; Azure Pipelines runs `##vso[` and TeamCity
/// `##teamcity[` anywhere in a line.
const COMMAND_MARKERS: [&str; 3] = ["##[", "##vso[", "##teamcity["];

/// A whole text output with every line that a CI runner would execute made inert: a line whose
/// first non-blank characters are `::` gets its first colon written `\u{3a}`, and the second
/// `#` of `##[`, `##vso[` and `##teamcity[` is written `\u{23}`.
///
/// vrisk's own text output never has such a line (only the `github` format writes workflow
/// commands, and it does not go through here), so whatever is changed came from data: through
/// a format that puts a value at the start of a line, or through the wrapping of a long
/// message.
pub fn defuse_ci_commands(text: &str) -> Cow<'_, str> {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    let has_marker = |line: &str| COMMAND_MARKERS.iter().any(|m| line.contains(m));
    if !text.split('\n').any(|l| starts_command(l) || has_marker(l)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line = Cow::Borrowed(line);
        if starts_command(&line) {
            let colon = line.len() - line.trim_start().len();
            line = Cow::Owned(format!("{}\\u{{3a}}{}", &line[..colon], &line[colon + 1..]));
        }
        for marker in COMMAND_MARKERS {
            if line.contains(marker) {
                let defused = format!("#\\u{{23}}{}", &marker[2..]);
                line = Cow::Owned(line.replace(marker, &defused));
            }
        }
        out.push_str(&line);
    }
    Cow::Owned(out)
}

/// `value` as pretty-printed JSON (two-space indent, as `{:#}` writes it) in which every unsafe
/// character ([`is_unsafe`]) of a string, and the second `#` of a CI command marker (`##[`),
/// is a `\uXXXX` escape, so that the file can be shown in a terminal or a log as it is, and a
/// parser reads back exactly the data.
pub fn json_pretty(value: &impl serde::Serialize) -> String {
    let mut bytes = Vec::new();
    // Serialising into memory fails only for a map with non-string keys, which no output of
    // vrisk has; an empty output would then show the bug rather than hide it.
    if json_pretty_to(&mut bytes, value).is_err() {
        return String::new();
    }
    // serde_json writes UTF-8 (its escapes are ASCII).
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`json_pretty`] written into `writer` as it is made, for outputs too large to hold twice.
pub fn json_pretty_to(
    writer: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        writer,
        SafeFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)
}

/// serde_json's pretty formatter, with the characters serde_json leaves raw in strings (DEL, C1
/// controls, bidi controls, line separators) escaped too; it already escapes C0 controls.
struct SafeFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for SafeFormatter<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            // The second `#` of a CI command marker, as in `defuse_ci_commands`.
            let marker = c == '#'
                && fragment[..i].ends_with('#')
                && COMMAND_MARKERS
                    .iter()
                    .any(|m| fragment[i - 1..].starts_with(m));
            if is_unsafe(c) || marker {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_separators_become_visible_escapes() {
        assert_eq!(neutralise("Rival\n::error::x"), "Rival\\n::error::x");
        assert_eq!(neutralise("a\r\tb"), "a\\r\\tb");
        assert_eq!(neutralise("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(
            neutralise("nul\0 del\u{7f} csi\u{9b}"),
            "nul\\u{0} del\\u{7f} csi\\u{9b}"
        );
        assert_eq!(neutralise("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
        assert_eq!(neutralise("l\u{2028}p\u{2029}"), "l\\u{2028}p\\u{2029}");
        assert_eq!(neutralise("\u{85}"), "\\u{85}");
    }

    #[test]
    fn ordinary_text_is_borrowed_and_escapes_are_idempotent() {
        for text in [
            "Scale AI",
            "Société Générale",
            "東京",
            "C:\\dir",
            "49% → 20%",
            "😀",
        ] {
            assert!(matches!(neutralise(text), Cow::Borrowed(_)), "{text}");
        }
        let once = neutralise("a\nb\u{1b}").into_owned();
        assert_eq!(neutralise(&once), once);
    }

    #[test]
    fn shortening_cuts_long_text_only() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("exactly10!", 10), "exactly10!");
        assert_eq!(shorten("ééééé", 3), "ééé…");
    }

    #[test]
    fn padding_counts_characters_and_takes_any_width() {
        assert_eq!(pad_end("é", 3), "é  ");
        assert_eq!(pad_end("long", 2), "long");
        assert_eq!(pad_end("", 70_000).len(), 70_000);
    }

    #[test]
    fn a_line_that_a_runner_would_execute_is_defused() {
        assert_eq!(defuse_ci_commands("::error::x"), "\\u{3a}:error::x");
        assert_eq!(
            defuse_ci_commands("ok\n   ::add-mask::s\nok"),
            "ok\n   \\u{3a}:add-mask::s\nok"
        );
        assert_eq!(
            defuse_ci_commands("\u{a0}\u{2003}::x::y"),
            "\u{a0}\u{2003}\\u{3a}:x::y"
        );
        assert_eq!(
            defuse_ci_commands("name ##[error]x ##vso[task.complete] ##teamcity[x]"),
            "name #\\u{23}[error]x #\\u{23}vso[task.complete] #\\u{23}teamcity[x]"
        );
        for fine in ["x ::y", "registry::schema", "## Findings", "#[x]"] {
            assert!(
                matches!(defuse_ci_commands(fine), Cow::Borrowed(_)),
                "{fine}"
            );
        }
    }

    #[test]
    fn json_keeps_the_data_and_escapes_what_a_terminal_would_run() {
        let value = serde_json::json!({"name": "a\u{1b}b\u{7f}\u{9b}\u{202e}\u{2028}\n\"é"});
        let text = json_pretty(&value);
        assert_eq!(
            text,
            "{\n  \"name\": \"a\\u001bb\\u007f\\u009b\\u202e\\u2028\\n\\\"é\"\n}"
        );
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'));
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, value);
        let marker = serde_json::json!(["x ##[error]y ##vso[z]", "## heading"]);
        let text = json_pretty(&marker);
        assert!(!text.contains("##[") && !text.contains("##vso["), "{text}");
        assert!(text.contains("## heading"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, marker);
        let plain = serde_json::json!({"a": [1, {"b": null}], "c": "d"});
        assert_eq!(json_pretty(&plain), format!("{plain:#}"));
    }
}

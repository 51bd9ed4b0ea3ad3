//! JSON text -> [`Node`] trees that keep the span of every key and value, one value at a time.
//!
//! [`crate::yaml::parse`] reads JSON too (JSON is YAML), but it builds one tree for a whole file.
//! A BODS file may hold a million statements: each must be read, used and dropped in turn, with
//! positions into the one copy of the text that the run's [`SourceFile`] keeps. This reader
//! starts at any offset of that text and stops at the end of one value, so a caller can walk a
//! top-level array element by element, or JSON Lines line by line, without a second copy.
//!
//! Containers are located at their opening bracket only: a diagnostic about a statement then
//! points at the line where it starts instead of underlining every line of it.

use std::collections::HashSet;

use crate::diagnostic::Problem;
use crate::source::{FileId, Loc, SourceFile, Span};
use crate::yaml::{Key, Node, Value};

/// Deepest nesting accepted whatever the limits say: the reader recurses once per level, and a
/// thousand levels stay far from the end of any thread's stack.
const HARD_MAX_DEPTH: usize = 1_000;

/// Objects with more members than this check duplicate keys with a hash set.
const LINEAR_KEY_CHECK: usize = 32;

/// A cursor over the text of one file.
pub struct Reader<'t> {
    file: FileId,
    name: &'t str,
    text: &'t str,
    pos: usize,
    max_depth: usize,
}

impl<'t> Reader<'t> {
    pub fn new(file: FileId, source: &'t SourceFile, max_depth: usize) -> Self {
        Reader {
            file,
            name: &source.name,
            text: &source.text,
            pos: 0,
            max_depth: max_depth.min(HARD_MAX_DEPTH),
        }
    }

    /// The byte offset the reader is at.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Moves to `offset` (clamped to the text), e.g. past a line that failed to parse.
    pub fn seek(&mut self, offset: usize) {
        self.pos = offset.min(self.text.len());
    }

    /// Skips whitespace and returns the next byte, if any.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes().get(self.pos).copied()
    }

    /// Consumes `byte` if it is next (after whitespace).
    pub fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The offset just past the end of the line the reader is on.
    pub fn next_line_start(&self) -> usize {
        let from = self.pos.min(self.text.len());
        match self.bytes()[from..].iter().position(|&b| b == b'\n') {
            Some(i) => from + i + 1,
            None => self.text.len(),
        }
    }

    /// A located problem at the current position.
    pub fn error(&self, code: &'static str, message: &str, label: &str) -> Problem {
        let mut at = self.pos.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        Problem::new(code, format!("{}: {message}", self.name))
            .at(self.loc(at, len), label)
            .with_help(match code {
                "json::duplicate-key" => {
                    "each key may appear once in an object; remove or rename one of them"
                }
                "json::limit" => {
                    "the document nests deeper than the limit; flatten it, or raise --max-depth \
                     if the input is trusted"
                }
                _ => "fix the JSON syntax at this position",
            })
    }

    /// Reads one value.
    pub fn value(&mut self) -> Result<Node, Problem> {
        self.value_at(0)
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn loc(&self, offset: usize, len: usize) -> Loc {
        Loc {
            file: self.file,
            span: Span::new(offset, len),
        }
    }

    fn skip_whitespace(&mut self) {
        let bytes = self.bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn syntax(&self, message: &str) -> Problem {
        self.error("json::syntax", message, "here")
    }

    fn value_at(&mut self, depth: usize) -> Result<Node, Problem> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.pos;
                let text = self.string()?;
                Ok(Node {
                    loc: self.loc(start, self.pos - start),
                    value: Value::Str(text),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.syntax("expected a JSON value")),
            None => Err(self.syntax("the text ends where a value was expected")),
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, Problem> {
        if depth >= self.max_depth {
            Err(self.error(
                "json::limit",
                &format!("nesting deeper than {} levels", self.max_depth),
                "limit reached here",
            ))
        } else {
            Ok(depth + 1)
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, Problem> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut seen: Option<HashSet<String>> = None;
        if !self.eat(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.syntax("expected a member name in double quotes"));
                }
                let key_start = self.pos;
                let name = self.string()?;
                let key_loc = self.loc(key_start, self.pos - key_start);
                if self.is_duplicate(&entries, &mut seen, &name) {
                    self.pos = key_start;
                    return Err(self.error(
                        "json::duplicate-key",
                        &format!("duplicate key `{name}`"),
                        "duplicate key",
                    ));
                }
                if !self.eat(b':') {
                    return Err(self.syntax("expected `:` after the member name"));
                }
                let value = self.value_at(depth)?;
                entries.push((Key { name, loc: key_loc }, value));
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b'}') {
                    break;
                }
                return Err(self.syntax("expected `,` or `}` after a member"));
            }
        }
        Ok(Node {
            loc: self.loc(start, 1),
            value: Value::Map(entries),
        })
    }

    fn is_duplicate(
        &self,
        entries: &[(Key, Node)],
        seen: &mut Option<HashSet<String>>,
        name: &str,
    ) -> bool {
        if entries.len() < LINEAR_KEY_CHECK {
            return entries.iter().any(|(k, _)| k.name == name);
        }
        let set = seen.get_or_insert_with(|| entries.iter().map(|(k, _)| k.name.clone()).collect());
        !set.insert(name.to_string())
    }

    fn array(&mut self, depth: usize) -> Result<Node, Problem> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        if !self.eat(b']') {
            loop {
                items.push(self.value_at(depth)?);
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b']') {
                    break;
                }
                return Err(self.syntax("expected `,` or `]` after an element"));
            }
        }
        Ok(Node {
            loc: self.loc(start, 1),
            value: Value::Seq(items),
        })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, Problem> {
        let start = self.pos;
        if self.text[start..].starts_with(word) {
            self.pos += word.len();
            Ok(Node {
                loc: self.loc(start, word.len()),
                value,
            })
        } else {
            Err(self.syntax("expected a JSON value (`true`, `false` and `null` are lower case)"))
        }
    }

    fn number(&mut self) -> Result<Node, Problem> {
        let bytes = self.bytes();
        let start = self.pos;
        let mut end = start;
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        if bytes.get(end) == Some(&b'-') {
            end += 1;
        }
        let int_start = end;
        end = digits(end);
        let int_digits = end - int_start;
        if int_digits == 0 || (int_digits > 1 && bytes[int_start] == b'0') {
            self.pos = int_start;
            return Err(self.syntax("invalid number (no leading zeros, at least one digit)"));
        }
        let mut integral = true;
        if bytes.get(end) == Some(&b'.') {
            integral = false;
            let after = digits(end + 1);
            if after == end + 1 {
                self.pos = end + 1;
                return Err(self.syntax("expected digits after the decimal point"));
            }
            end = after;
        }
        if let Some(b'e' | b'E') = bytes.get(end) {
            integral = false;
            let mut at = end + 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let after = digits(at);
            if after == at {
                self.pos = at;
                return Err(self.syntax("expected digits in the exponent"));
            }
            end = after;
        }
        let text = &self.text[start..end];
        let value = match (integral, text.parse::<i64>()) {
            (true, Ok(i)) => Value::Int(i),
            _ => match text.parse::<f64>() {
                Ok(f) => Value::Float(f),
                Err(_) => {
                    self.pos = start;
                    return Err(self.syntax("invalid number"));
                }
            },
        };
        self.pos = end;
        Ok(Node {
            loc: self.loc(start, end - start),
            value,
        })
    }

    /// Reads a string starting at the opening quote; the position ends after the closing one.
    fn string(&mut self) -> Result<String, Problem> {
        let bytes = self.bytes();
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let Some(&b) = bytes.get(self.pos) else {
                return Err(self.syntax("the text ends inside a string"));
            };
            match b {
                b'"' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0..=0x1f => {
                    return Err(self.syntax(
                        "control character in a string (write it as \\n, \\t or \\u00XX)",
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Reads one escape sequence starting at its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), Problem> {
        let bytes = self.bytes();
        let simple = match bytes.get(self.pos + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(self.pos + 2)?;
                self.pos += 6;
                let c = if (0xd800..0xdc00).contains(&first) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if bytes.get(self.pos) != Some(&b'\\') || bytes.get(self.pos + 1) != Some(&b'u')
                    {
                        return Err(self.syntax("unpaired surrogate in a \\u escape"));
                    }
                    let second = self.hex4(self.pos + 2)?;
                    if !(0xdc00..0xe000).contains(&second) {
                        return Err(self.syntax("unpaired surrogate in a \\u escape"));
                    }
                    self.pos += 6;
                    char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))
                } else {
                    char::from_u32(first)
                };
                return match c {
                    Some(c) => {
                        out.push(c);
                        Ok(())
                    }
                    None => Err(self.syntax("unpaired surrogate in a \\u escape")),
                };
            }
            _ => {
                return Err(self.syntax("invalid escape sequence"));
            }
        };
        out.push(simple);
        self.pos += 2;
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Result<u32, Problem> {
        let digits = self
            .text
            .get(at..at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => Ok(v),
            None => {
                self.pos = at.min(self.text.len());
                Err(self.syntax("expected four hex digits after \\u"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Node, Problem> {
        let source = SourceFile::new("t.json", None, text);
        let mut reader = Reader::new(FileId(0), &source, 64);
        let node = reader.value()?;
        if reader.peek().is_some() {
            return Err(reader.error("json::syntax", "trailing text", "here"));
        }
        Ok(node)
    }

    fn error_at(text: &str) -> (String, usize) {
        let problem = read(text).unwrap_err();
        (problem.code.to_string(), problem.labels[0].0.span.offset)
    }

    #[test]
    fn reads_values_with_spans() {
        let text = "{\"a\": [1, 2.5, -3e2, true, null, \"x\\u00e9\\n\"], \"b\": {}}";
        let node = read(text).unwrap();
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": [1, 2.5, -300.0, true, null, "xé\n"], "b": {}})
        );
        let x = node.pointer("/a/5").unwrap();
        assert_eq!(x.loc.span.offset, text.find("\"x").unwrap());
        assert_eq!(
            node.key("b").unwrap().loc.span.offset,
            text.find("\"b").unwrap()
        );
        assert_eq!(node.loc.span, Span::new(0, 1));
    }

    #[test]
    fn surrogate_pairs_and_big_numbers() {
        let node = read("[\"\\ud83d\\ude00\", 12345678901234567890]").unwrap();
        assert_eq!(node.pointer("/0").unwrap().as_str(), Some("😀"));
        assert!(matches!(node.pointer("/1").unwrap().value, Value::Float(_)));
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(error_at("{\"a\": 1,}"), ("json::syntax".into(), 8));
        assert_eq!(
            error_at("{\"a\": 1, \"a\": 2}"),
            ("json::duplicate-key".into(), 9)
        );
        assert_eq!(error_at("[01]"), ("json::syntax".into(), 1));
        assert_eq!(error_at("[\"a\\x\"]"), ("json::syntax".into(), 3));
        assert_eq!(error_at("[\"\\ud800\"]"), ("json::syntax".into(), 8));
        assert_eq!(error_at("[tru]"), ("json::syntax".into(), 1));
        assert_eq!(error_at("[1 2]"), ("json::syntax".into(), 3));
        assert_eq!(error_at("\"abc"), ("json::syntax".into(), 4));
        assert_eq!(error_at(""), ("json::syntax".into(), 0));
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let text = "[".repeat(100_000);
        assert_eq!(read(&text).unwrap_err().code, "json::limit");
    }

    #[test]
    fn many_keys_still_catch_duplicates() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\": {i}, "));
        }
        text.push_str("\"k3\": 0}");
        assert_eq!(read(&text).unwrap_err().code, "json::duplicate-key");
    }
}

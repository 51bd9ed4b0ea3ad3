//! The flow brackets (`[`, `{`) still open at a position of a YAML text.
//!
//! When a `[` or `{` is never closed, the parser reads on in flow context and gives up wherever
//! the text stops making sense there, often lines later (a `- ` item, a `key:` at the start of a
//! line). Its error says where it gave up; this finds the bracket that was left open, so that
//! the diagnostic can point there too.
//!
//! This is a light scan, not a parser: it knows quoted scalars, comments, block scalars and
//! where a value may start, which is enough to tell a flow bracket from a bracket inside text.
//! It runs only after the parser has failed.

/// The byte offsets of the flow brackets open at byte `end` of `text`, outermost first.
pub fn open_brackets(text: &str, end: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    // Block context: whether a value may start here (start of a line, after `- `, `? ` or
    // `: `, after an anchor or a tag), and the indentation of the current line.
    let mut value_start = true;
    let mut indent = 0;
    while i < end {
        let c = bytes[i];
        if c == b'\n' {
            i += 1;
            indent = bytes[i..end].iter().take_while(|&&b| b == b' ').count();
            value_start = true;
            continue;
        }
        if c == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            i = line_end(bytes, i, end);
            continue;
        }
        if !open.is_empty() {
            // Flow context: brackets nest; a quote starts a scalar only where a value may.
            match c {
                b'[' | b'{' => open.push(i),
                b']' | b'}' => {
                    open.pop();
                }
                b'"' | b'\'' if i == 0 || b"[{,: \t\r\n".contains(&bytes[i - 1]) => {
                    i = quoted_end(bytes, i, end);
                    continue;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        let followed_by_space = bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
        if !value_start {
            // Inside a plain scalar or after a value: only `: ` starts another value.
            value_start = c == b':' && followed_by_space;
            i += 1;
            continue;
        }
        match c {
            b'[' | b'{' => {
                open.push(i);
                i += 1;
            }
            b'"' | b'\'' => {
                i = quoted_end(bytes, i, end);
                value_start = false;
            }
            b'|' | b'>' => i = block_scalar_end(bytes, i, indent, end),
            b'-' | b'?' | b':' if followed_by_space => i += 1,
            b'&' | b'!' => {
                // An anchor or a tag comes before the value it names.
                while i < end && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            _ => {
                value_start = false;
                i += 1;
            }
        }
    }
    open
}

/// The offset of the end of the line holding `from` (its `\n`, or `end`).
fn line_end(bytes: &[u8], from: usize, end: usize) -> usize {
    bytes[from..end]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(end, |p| from + p)
}

/// The offset just after the quoted scalar that starts at `from` (or `end` if it never ends).
fn quoted_end(bytes: &[u8], from: usize, end: usize) -> usize {
    let quote = bytes[from];
    let mut i = from + 1;
    while i < end {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            // `''` is a quote inside a single-quoted scalar.
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    end
}

/// The offset of the line break before the first line after the block scalar whose indicator
/// (`|` or `>`) is at `from`, on a line indented by `indent`: its content is every following
/// line that is blank or indented more.
fn block_scalar_end(bytes: &[u8], from: usize, indent: usize, end: usize) -> usize {
    let mut i = line_end(bytes, from, end);
    while i < end {
        let next = i + 1;
        let spaces = bytes[next..end].iter().take_while(|&&b| b == b' ').count();
        let blank = bytes
            .get(next + spaces)
            .is_none_or(|&b| b == b'\n' || b == b'\r');
        if !blank && spaces <= indent {
            return i;
        }
        i = line_end(bytes, next, end);
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The open brackets at the end of `text`, as `line:column` (1-based).
    fn open_at_end(text: &str) -> Vec<String> {
        open_brackets(text, text.len())
            .into_iter()
            .map(|offset| {
                let line = text[..offset].matches('\n').count() + 1;
                let column = offset - text[..offset].rfind('\n').map_or(0, |n| n + 1) + 1;
                format!("{line}:{column}")
            })
            .collect()
    }

    #[test]
    fn finds_the_brackets_left_open() {
        assert_eq!(
            open_at_end("a: 1\nbad: [unclosed, {\nstakes:\n  - x\n"),
            ["2:6", "2:17"]
        );
        assert_eq!(open_at_end("- [a, {b: c}\n- d\n"), ["1:3"]);
        assert_eq!(open_at_end("a: {b: [1, 2], c: 3\n"), ["1:4"]);
    }

    #[test]
    fn closed_brackets_and_brackets_in_text_are_not_open() {
        for text in [
            "a: [1, 2]\nb: {c: d}\n",
            "a: x[1\nb: y{\n",
            "a: \"[\"\nb: '{it''s'\n",
            "a: [\"]\", '[']\n",
            "a: |\n  [not yaml\n  {either\nb: 1\n",
            "- >-\n    [folded\n- 2\n",
            "a: 1 # [comment\n",
            "a: [x, # ]\n  y]\n",
            "a: [don't, stop]\n",
            "a: &anchor [1]\nb: !!str {x}\n",
        ] {
            assert_eq!(open_at_end(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn stops_at_the_given_position() {
        let text = "a: [1,\nb: 2]\n";
        assert_eq!(open_brackets(text, 5), [3]);
        assert_eq!(open_brackets(text, text.len()), Vec::<usize>::new());
        assert_eq!(open_brackets(text, 10_000), Vec::<usize>::new());
    }
}

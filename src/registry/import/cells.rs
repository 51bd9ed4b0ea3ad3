//! Where each cell of a CSV record starts in the file, so that a bad value is reported at its
//! own line and column. The csv crate gives the offset of a record; the cells are found by
//! walking the raw text from there with the same quoting rules.

use crate::input::source::Span;

/// The spans of the first `count` cells of the record starting at byte `start` of `text`.
/// A quoted cell's span includes its quotes.
pub fn spans(text: &str, start: usize, delimiter: u8, count: usize) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::with_capacity(count);
    let mut at = start.min(bytes.len());
    while spans.len() < count {
        let cell_start = at;
        if bytes.get(at) == Some(&b'"') {
            at += 1;
            while at < bytes.len() {
                if bytes[at] == b'"' {
                    if bytes.get(at + 1) == Some(&b'"') {
                        at += 2;
                        continue;
                    }
                    at += 1;
                    break;
                }
                at += 1;
            }
        }
        while at < bytes.len() && bytes[at] != delimiter && bytes[at] != b'\n' && bytes[at] != b'\r'
        {
            at += 1;
        }
        spans.push(Span::new(cell_start, at - cell_start));
        if bytes.get(at) == Some(&delimiter) {
            at += 1;
        } else {
            // The record ends here: later cells, if any, are missing and located at its end.
            while spans.len() < count {
                spans.push(Span::new(at, 0));
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_plain_and_quoted_cells() {
        let text = "a,b\nx,\"y, \"\"z\"\"\",w\nnext";
        let spans = spans(text, 4, b',', 3);
        let cells: Vec<&str> = spans
            .iter()
            .map(|s| &text[s.offset..s.offset + s.len])
            .collect();
        assert_eq!(cells, ["x", "\"y, \"\"z\"\"\"", "w"]);
    }

    #[test]
    fn missing_cells_point_at_the_end_of_the_record() {
        let text = "x\r\nmore";
        let spans = spans(text, 0, b',', 3);
        assert_eq!(spans[1], Span::new(1, 0));
        assert_eq!(spans[2], Span::new(1, 0));
    }
}

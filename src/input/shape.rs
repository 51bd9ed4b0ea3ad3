//! What positions need of a text that is not held: where its characters of more than one byte
//! are and where its carriage returns are. With a file's line starts, that resolves any byte
//! offset to the line and column (in characters and in UTF-16 code units) that the text itself
//! would give, and finds the line breaks at the end of a span, so that a registry read from a
//! snapshot reports the same `file:line:col` as the files it was built from.

/// A character of more than one byte: where it starts and how many bytes it has (2 to 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WideChar {
    pub offset: usize,
    pub len: u8,
}

/// The layout of a text: its length, its wide characters and its carriage returns, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextShape {
    pub len: usize,
    pub wide: Vec<WideChar>,
    pub carriage_returns: Vec<usize>,
}

impl TextShape {
    /// The shape of `text`. ASCII runs are skipped a word at a time: most registry text is
    /// ASCII, and a register is gigabytes of it.
    pub fn of(text: &str) -> TextShape {
        let bytes = text.as_bytes();
        let mut wide = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if let Some(chunk) = bytes.get(i..i + 8)
                && chunk.is_ascii()
            {
                i += 8;
                continue;
            }
            let b = bytes[i];
            let len = match b {
                0x00..=0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
            if len > 1 {
                wide.push(WideChar {
                    offset: i,
                    len: len as u8,
                });
            }
            i += len;
        }
        let carriage_returns = text.match_indices('\r').map(|(i, _)| i).collect();
        TextShape {
            len: text.len(),
            wide,
            carriage_returns,
        }
    }
}

/// A [`TextShape`] made ready for look-ups: running totals of the bytes that wide characters
/// add over their count in characters and in UTF-16 code units.
#[derive(Clone, Debug)]
pub struct ShapeIndex {
    shape: TextShape,
    /// `extra_bytes[i]`: bytes minus characters over the first `i` wide characters.
    extra_bytes: Vec<usize>,
    /// `extra_utf16[i]`: bytes minus UTF-16 code units over the first `i` wide characters.
    extra_utf16: Vec<usize>,
}

impl ShapeIndex {
    pub fn new(shape: TextShape) -> ShapeIndex {
        let mut extra_bytes = Vec::with_capacity(shape.wide.len() + 1);
        let mut extra_utf16 = Vec::with_capacity(shape.wide.len() + 1);
        let (mut bytes, mut utf16) = (0, 0);
        extra_bytes.push(0);
        extra_utf16.push(0);
        for w in &shape.wide {
            let len = usize::from(w.len);
            bytes += len - 1;
            // A four-byte character is a surrogate pair: two code units.
            utf16 += if len == 4 { 2 } else { len - 1 };
            extra_bytes.push(bytes);
            extra_utf16.push(utf16);
        }
        ShapeIndex {
            shape,
            extra_bytes,
            extra_utf16,
        }
    }

    pub fn shape(&self) -> &TextShape {
        &self.shape
    }

    pub fn len(&self) -> usize {
        self.shape.len
    }

    pub fn is_empty(&self) -> bool {
        self.shape.len == 0
    }

    /// The characters and the UTF-16 code units from `start` to `end` (`start <= end`), as
    /// `text[start..end]` counts them; `(0, 0)` where that slice is not on character boundaries.
    pub fn counts(&self, start: usize, end: usize) -> (usize, usize) {
        let wide = &self.shape.wide;
        let first = wide.partition_point(|w| w.offset < start);
        let last = wide.partition_point(|w| w.offset < end);
        if self.splits_char(start) || self.splits_char(end) {
            return (0, 0);
        }
        let bytes = end - start;
        (
            bytes - (self.extra_bytes[last] - self.extra_bytes[first]),
            bytes - (self.extra_utf16[last] - self.extra_utf16[first]),
        )
    }

    /// Whether `at` falls inside a character rather than at its start (not a place a slice of
    /// the text could begin or end).
    pub fn splits_char(&self, at: usize) -> bool {
        let wide = &self.shape.wide;
        let i = wide.partition_point(|w| w.offset < at);
        i > 0 && at < wide[i - 1].offset + usize::from(wide[i - 1].len)
    }

    /// Whether the byte at `offset` is a carriage return.
    pub fn is_carriage_return(&self, offset: usize) -> bool {
        self.shape.carriage_returns.binary_search(&offset).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_text() {
        let text = "ab\u{e9}c \u{1F600}d\u{20ac}\r\nplain ascii line that is long enough\u{e9}";
        let index = ShapeIndex::new(TextShape::of(text));
        for start in 0..=text.len() {
            for end in start..=text.len() {
                let expected = text
                    .get(start..end)
                    .map_or((0, 0), |s| (s.chars().count(), s.encode_utf16().count()));
                assert_eq!(index.counts(start, end), expected, "{start}..{end}");
            }
        }
        assert!(index.is_carriage_return(text.find('\r').unwrap()));
        assert!(!index.is_carriage_return(0));
    }
}

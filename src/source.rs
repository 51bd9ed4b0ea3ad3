//! Loaded documents and the positions inside them.
//!
//! Every input file is read once into a [`SourceFile`] and parsed into a [`Node`] tree that keeps
//! the byte span of every key and value. Later stages refer to positions with a [`Loc`] (file id +
//! span) and never touch the file system again; line and column are computed on demand.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

use crate::diagnostic::Problem;
use crate::limits::Limits;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range inside one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.offset.into(), span.len)
    }
}

/// A position in a loaded file: what a finding or a diagnostic points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// One loaded file: its display name (as the user gave it) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: Arc<str>,
    /// Byte offsets at which each line starts, for line/column look-ups.
    line_starts: Vec<usize>,
}

/// A 1-based line and a 1-based column counted in Unicode scalar values (characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let prefix = self.text.get(start..offset).unwrap_or("");
        LineCol {
            line: line + 1,
            column: prefix.chars().count() + 1,
        }
    }

    /// The column of a byte offset in UTF-16 code units (SARIF's default unit), 1-based.
    pub fn utf16_column(&self, offset: usize) -> usize {
        let lc = self.line_col(offset);
        let start = self.line_starts[lc.line - 1];
        let prefix = self
            .text
            .get(start..offset.min(self.text.len()))
            .unwrap_or("");
        prefix.encode_utf16().count() + 1
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let in_line = rest
            .char_indices()
            .take_while(|(_, c)| *c != '\n')
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or_else(|| rest.find('\n').unwrap_or(rest.len()));
        start + in_line
    }

    /// The text of one 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let rest = &self.text[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        rest[..end].trim_end_matches('\r')
    }

    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        let lower = self.name.to_ascii_lowercase();
        let language = if lower.ends_with(".json") || lower.ends_with(".jsonl") {
            "json"
        } else if lower.ends_with(".csv") {
            "csv"
        } else {
            "yaml"
        };
        NamedSource::new(self.name.clone(), self.text.clone()).with_language(language)
    }
}

/// Every file loaded in one run, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn line_col(&self, loc: Loc) -> LineCol {
        self.get(loc.file).line_col(loc.span.offset)
    }

    /// `file:line:col`, as printed in reports.
    pub fn describe(&self, loc: Loc) -> String {
        format!("{}:{}", self.get(loc.file).name, self.line_col(loc))
    }
}

/// Reads a file as UTF-8 text, turning every failure into a located diagnostic.
pub fn read_file(path: &Path, display: &str, limits: &Limits) -> Result<SourceFile, Problem> {
    let meta = std::fs::metadata(path).map_err(|e| Problem::io(display, &e))?;
    if meta.is_dir() {
        return Err(
            Problem::new("input::is-directory", format!("{display} is a directory"))
                .with_help("give a file, or a directory to a flag that takes directories"),
        );
    }
    if meta.len() > limits.max_file_bytes {
        return Err(Problem::new(
            "input::too-large",
            format!(
                "{display} is {} bytes, over the limit of {} bytes",
                meta.len(),
                limits.max_file_bytes
            ),
        )
        .with_help("raise the limit with --max-file-bytes, or split the file"));
    }
    let bytes = std::fs::read(path).map_err(|e| Problem::io(display, &e))?;
    let text = decode_utf8(bytes, display)?;
    Ok(SourceFile::new(display, Some(path.to_path_buf()), text))
}

/// Decodes UTF-8, dropping a leading byte-order mark, or says where the first bad byte is.
pub fn decode_utf8(bytes: Vec<u8>, display: &str) -> Result<String, Problem> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // A BOM is legal at the start of a YAML stream; drop it so columns count from
                // the first visible character.
                text.replace_range(..3, "   ");
            }
            Ok(text)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count())
                .unwrap_or(0)
                + 1;
            Err(Problem::new(
                "input::not-utf8",
                format!(
                    "{display}:{line}:{column}: invalid UTF-8 byte 0x{:02x}",
                    bytes.get(valid).copied().unwrap_or(0)
                ),
            )
            .with_help("save the file as UTF-8"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("f", None, "ab\ncé: x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "é" is two bytes but one column.
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), LineCol { line: 2, column: 5 });
        assert_eq!(f.offset_of(2, 5), x);
        assert_eq!(f.line_text(2), "cé: x");
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let f = SourceFile::new("f", None, "a: \u{1F600}x");
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x).column, 5);
        assert_eq!(f.utf16_column(x), 6);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_utf8(b"a: 1\nb: \xff\n".to_vec(), "r.yaml").unwrap_err();
        assert!(err.message.contains("r.yaml:2:4"), "{}", err.message);
    }
}

//! Loaded documents and the positions inside them.
//!
//! Every input file is read once into a [`SourceFile`] and parsed into a [`Node`] tree that keeps
//! the byte span of every key and value. Later stages refer to positions with a [`Loc`] (file id +
//! span) and never touch the file system again; line and column are computed on demand.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use miette::{NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};

use crate::input::diagnostic::Problem;
use crate::input::limits::{Limit, Limits};
use crate::input::shape::{ShapeIndex, TextShape};

/// Index of a file in a [`SourceMap`].
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct FileId(pub u32);

/// A byte range inside one file.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
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
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// One loaded file: its display name (as the user gave it) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: Option<PathBuf>,
    /// The text, shared with every snippet source. An `Arc<String>` rather than an `Arc<str>`:
    /// the text read from a file moves in without a copy, so a large file is never held twice.
    pub text: Arc<String>,
    /// Byte offsets at which each line starts, for line/column look-ups.
    line_starts: Arc<[usize]>,
    /// Whether this is one of the copies compiled into vrisk (the seeded registry, the shipped
    /// policies) rather than a file of the user's: reports for code hosts must not point at a
    /// path the user's repository may not have.
    pub builtin: bool,
    /// Set for a file known by its shape only (a registry input read from a snapshot): `text` is
    /// then empty, positions come from the shape, and snippets from the file on disk.
    detached: Option<Arc<Detached>>,
}

/// A file whose text is not held: its shape, and where to read the text for a snippet.
#[derive(Debug)]
struct Detached {
    shape: ShapeIndex,
    origin: FileStamp,
    /// The file as read again for a snippet; `None` when it has changed or is gone.
    read: OnceLock<Option<SourceFile>>,
}

/// What identifies the contents of a file on disk without reading it: its path, size and
/// modification time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub path: PathBuf,
    pub size: u64,
    pub modified: Modified,
}

/// A modification time as seconds and nanoseconds since 1970 (negative before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Modified {
    pub seconds: i64,
    pub nanos: u32,
}

impl Modified {
    pub fn of(meta: &std::fs::Metadata) -> std::io::Result<Modified> {
        let time = meta.modified()?;
        Ok(match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => Modified {
                seconds: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let seconds = -i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => Modified { seconds, nanos: 0 },
                    n => Modified {
                        seconds: seconds - 1,
                        nanos: 1_000_000_000 - n,
                    },
                }
            }
        })
    }
}

/// `2026-12-04 23:41:37.098624713 UTC`: to the nanosecond, since a rewrite within the same
/// second is a change too.
impl fmt::Display for Modified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let second = self.seconds.rem_euclid(86_400);
        // Day numbers far from today are left as seconds (the calendar arithmetic would overflow).
        match i32::try_from(days).ok().filter(|d| d.abs() < 100_000_000) {
            Some(days) => write!(
                f,
                "{} {:02}:{:02}:{:02}.{:09} UTC",
                crate::value::date::Date::from_days_since_epoch(days),
                second / 3600,
                second / 60 % 60,
                second % 60,
                self.nanos
            ),
            None => write!(f, "{}.{:09} s after 1970", self.seconds, self.nanos),
        }
    }
}

impl FileStamp {
    /// The stamp of the file at `path` as it is now.
    pub fn read(path: &Path) -> std::io::Result<FileStamp> {
        let meta = std::fs::metadata(path)?;
        Ok(FileStamp {
            path: path.to_path_buf(),
            size: meta.len(),
            modified: Modified::of(&meta)?,
        })
    }
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
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: impl Into<String>) -> Self {
        let text = Arc::new(text.into());
        // YAML ends a line at LF, CRLF or a lone CR; so do positions. Most files have no CR
        // at all, and a search for LF alone is much faster on large files.
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let lone_cr = text
            .match_indices('\r')
            .any(|(i, _)| bytes.get(i + 1) != Some(&b'\n'));
        if lone_cr {
            line_starts.extend(bytes.iter().enumerate().filter_map(|(i, &b)| {
                let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
                ends.then_some(i + 1)
            }));
        } else {
            line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts: line_starts.into(),
            builtin: false,
            detached: None,
        }
    }

    /// A file known by its line starts and shape only, as a snapshot records it. `origin` is the
    /// file on disk as it was when the snapshot was checked against it: a snippet reads the file
    /// again only while it still has that size and modification time.
    pub fn detached(
        name: impl Into<String>,
        line_starts: Vec<usize>,
        shape: TextShape,
        origin: FileStamp,
    ) -> Self {
        SourceFile {
            name: name.into(),
            path: Some(origin.path.clone()),
            text: Arc::default(),
            line_starts: line_starts.into(),
            builtin: false,
            detached: Some(Arc::new(Detached {
                shape: ShapeIndex::new(shape),
                origin,
                read: OnceLock::new(),
            })),
        }
    }

    /// The byte offsets at which the lines start.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The shape of the text (see [`TextShape`]).
    pub fn shape(&self) -> TextShape {
        match &self.detached {
            Some(d) => d.shape.shape().clone(),
            None => TextShape::of(&self.text),
        }
    }

    /// Whether the text is not held (the file was read from a snapshot).
    pub fn is_detached(&self) -> bool {
        self.detached.is_some()
    }

    /// The length of the text in bytes, whether or not it is held.
    pub fn text_len(&self) -> usize {
        match &self.detached {
            Some(d) => d.shape.len(),
            None => self.text.len(),
        }
    }

    /// The file with its text, for a snippet: this one, or for a detached file the file read
    /// again from disk (once), if it still has the size and modification time it had when the
    /// snapshot was checked and the same length and lines. `None` when it has not.
    pub fn with_text(&self) -> Option<&SourceFile> {
        let Some(detached) = &self.detached else {
            return Some(self);
        };
        detached
            .read
            .get_or_init(|| {
                let origin = &detached.origin;
                let unchanged = || FileStamp::read(&origin.path).is_ok_and(|now| now == *origin);
                if !unchanged() {
                    return None;
                }
                let limits = Limits {
                    max_file_bytes: origin.size,
                    ..Limits::default()
                };
                let file = read_file(&origin.path, &self.name, &limits).ok()?;
                let same = file.text.len() == detached.shape.len()
                    && file.line_starts == self.line_starts
                    && unchanged();
                same.then_some(SourceFile {
                    builtin: self.builtin,
                    ..file
                })
            })
            .as_ref()
    }

    /// Whether this is a detached file whose text was asked for and could not be read again.
    pub fn text_unavailable(&self) -> bool {
        self.detached
            .as_ref()
            .is_some_and(|d| matches!(d.read.get(), Some(None)))
    }

    /// The end of the span `start..end` without the line breaks it ends with.
    pub fn trim_line_breaks(&self, start: usize, end: usize) -> usize {
        let Some(detached) = &self.detached else {
            let spanned = self.text.get(start..end).unwrap_or("");
            return start + spanned.trim_end_matches(['\n', '\r']).len();
        };
        if detached.shape.splits_char(start) || detached.shape.splits_char(end) {
            return start;
        }
        // Every LF ends a line; a CR is a line break of its own or the first half of a CRLF.
        let is_break = |at: usize| {
            detached.shape.is_carriage_return(at)
                || self.line_starts.binary_search(&(at + 1)).is_ok()
        };
        let mut end = end;
        while end > start && is_break(end - 1) {
            end -= 1;
        }
        end
    }

    /// The same file, marked as a copy compiled into vrisk.
    pub fn into_builtin(mut self) -> Self {
        self.builtin = true;
        self
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text_len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = match &self.detached {
            Some(d) => d.shape.counts(start, offset).0,
            None => self.text.get(start..offset).unwrap_or("").chars().count(),
        };
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The column of a byte offset in UTF-16 code units (SARIF's default unit), 1-based.
    pub fn utf16_column(&self, offset: usize) -> usize {
        let lc = self.line_col(offset);
        let start = self.line_starts[lc.line - 1];
        let offset = offset.min(self.text_len());
        let units = match &self.detached {
            Some(d) => d.shape.counts(start, offset).1,
            None => self
                .text
                .get(start..offset)
                .unwrap_or("")
                .encode_utf16()
                .count(),
        };
        units + 1
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let in_line = rest[..line_end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_end, |(i, _)| i);
        start + in_line
    }

    /// The text of one 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let rest = &self.text[start..];
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        &rest[..end]
    }

    pub fn named_source(&self) -> NamedSource<Arc<String>> {
        NamedSource::new(self.name.clone(), self.text.clone())
            .with_language(language_of(&self.name))
    }

    /// The number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line that holds a byte offset (the last line for an offset past the end).
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The byte range of a 0-based line: from its first byte to the end of its text (without
    /// the line break) and to the end of its line break. Clamped to the text.
    pub fn line_bounds(&self, line: usize) -> LineBounds {
        let len = self.text.len();
        let start = self.line_starts.get(line).copied().unwrap_or(len);
        let end = self.line_starts.get(line + 1).copied().unwrap_or(len);
        let bytes = self.text.as_bytes();
        let mut content_end = end;
        if line + 1 < self.line_starts.len() {
            // Every line but the last ends with LF, CRLF or a lone CR.
            if bytes.get(content_end - 1) == Some(&b'\n') {
                content_end -= 1;
            }
            if content_end > start && bytes.get(content_end - 1) == Some(&b'\r') {
                content_end -= 1;
            }
        }
        LineBounds {
            start,
            content_end,
            end,
        }
    }
}

/// Where one line of a file is, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineBounds {
    pub start: usize,
    /// The end of the line's text, before its line break.
    pub content_end: usize,
    /// The end of its line break: the next line's start.
    pub end: usize,
}

impl LineBounds {
    /// The length of the line's text in bytes.
    pub fn len(&self) -> usize {
        self.content_end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The language of a file for miette's snippets, from its extension.
pub(crate) fn language_of(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") || lower.ends_with(".jsonl") {
        "json"
    } else if lower.ends_with(".csv") {
        "csv"
    } else {
        "yaml"
    }
}

/// Every file loaded in one run, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Files read that are not sources of positions (a snapshot): their names and paths, so
    /// that no output of the run replaces them.
    other_reads: Vec<(String, PathBuf)>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    /// Records a file read that holds no positions (a snapshot), by its name and path.
    pub fn add_other_read(&mut self, name: impl Into<String>, path: &Path) {
        self.other_reads.push((name.into(), path.to_path_buf()));
    }

    /// The files recorded by [`SourceMap::add_other_read`].
    pub fn other_reads(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.other_reads
            .iter()
            .map(|(name, path)| (name.as_str(), path.as_path()))
    }

    /// How many files have been added.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Lets go of the text of file `id`, read from disk, keeping what positions need (its line
    /// starts and shape): a snippet then reads the file again, while it has the size and
    /// modification time it has now (see [`SourceFile::with_text`]). A file without a path
    /// (standard input, a built-in copy) or that can no longer be looked at keeps its text.
    pub fn detach_text(&mut self, id: FileId) {
        let Some(file) = self.files.get_mut(id.0 as usize) else {
            return;
        };
        if file.detached.is_some() || file.builtin {
            return;
        }
        let Some(origin) = file.path.as_deref().and_then(|p| FileStamp::read(p).ok()) else {
            return;
        };
        // The file on disk must still be the text that was read, or a snippet could never be
        // shown again.
        if origin.size != file.text.len() as u64 {
            return;
        }
        let shape = TextShape::of(&file.text);
        *file = SourceFile::detached(
            std::mem::take(&mut file.name),
            file.line_starts.to_vec(),
            shape,
            origin,
        );
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

/// The path that names standard input wherever a file is read.
pub const STDIN_PATH: &str = "-";

/// The name standard input goes by in diagnostics and reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` names standard input (`-`). A file called `-` is `./-`.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_PATH
}

/// Set once standard input has been read: it can be read only once per run, and an output must
/// not replace the file it came from.
static STDIN_READ: AtomicBool = AtomicBool::new(false);

/// Whether this run has read standard input as an input file.
pub fn stdin_was_read() -> bool {
    STDIN_READ.load(Ordering::SeqCst)
}

/// Reads a file as UTF-8 text, turning every failure into a diagnostic. Prefer
/// [`read_file_into`], which can also say where in the file the failure is.
pub fn read_file(path: &Path, display: &str, limits: &Limits) -> Result<SourceFile, Problem> {
    let display = display_name(path, display);
    read(path, display, limits).map_err(|failure| failure.problem(display, limits, None))
}

/// [`read_file`], with the failures that have a place in the file located there: a byte that is
/// not UTF-8 at its line and column (the file is added to `sources` with the bad bytes replaced,
/// for the snippet), a file over the size limit at its start (added empty: it is not read).
pub fn read_file_into(
    path: &Path,
    display: &str,
    limits: &Limits,
    sources: &mut SourceMap,
) -> Result<SourceFile, Problem> {
    let display = display_name(path, display);
    read(path, display, limits).map_err(|failure| failure.problem(display, limits, Some(sources)))
}

/// The name a file goes by in diagnostics: [`STDIN_NAME`] for `-`.
fn display_name<'a>(path: &Path, display: &'a str) -> &'a str {
    if is_stdin(path) { STDIN_NAME } else { display }
}

/// Why a file could not be read.
enum ReadFailure {
    Io(Problem),
    /// `bytes` is the size, or, when `at_least`, how much was read before the limit stopped it
    /// (standard input, or a file that grew while it was read).
    TooLarge {
        path: Option<PathBuf>,
        bytes: u64,
        at_least: bool,
    },
    NotUtf8(BadUtf8),
}

impl ReadFailure {
    fn problem(self, display: &str, limits: &Limits, sources: Option<&mut SourceMap>) -> Problem {
        match self {
            ReadFailure::Io(problem) => problem,
            ReadFailure::TooLarge {
                path,
                bytes,
                at_least,
            } => {
                let bytes_in =
                    |n: u64| crate::value::count(usize::try_from(n).unwrap_or(usize::MAX), "byte");
                let what = match at_least {
                    false => format!("{display} is {}", bytes_in(bytes)),
                    true => format!("{display} is over {}", bytes_in(bytes.saturating_sub(1))),
                };
                let Some(sources) = sources else {
                    return Limit::FileBytes.problem(limits, what);
                };
                let file = sources.add(SourceFile::new(display, path, ""));
                Limit::FileBytes.exceeded(
                    limits,
                    what,
                    Loc {
                        file,
                        span: Span::new(0, 0),
                    },
                )
            }
            ReadFailure::NotUtf8(bad) => {
                let problem = bad.problem(display);
                match sources {
                    None => problem,
                    Some(sources) => {
                        let offset = bad.offset;
                        let file = sources.add(SourceFile::new(display, None, bad.lossy));
                        problem.at(
                            Loc {
                                file,
                                span: Span::new(offset, 0),
                            },
                            "not UTF-8",
                        )
                    }
                }
            }
        }
    }
}

fn read(path: &Path, display: &str, limits: &Limits) -> Result<SourceFile, ReadFailure> {
    if is_stdin(path) {
        return read_stdin(limits);
    }
    let io = |e: std::io::Error| ReadFailure::Io(Problem::io(display, &e));
    // Looked at before it is opened: opening a named pipe waits for a writer, and a device
    // such as /dev/zero never ends.
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ReadFailure::Io(
            Problem::new("input::is-directory", format!("{display} is a directory"))
                .with_help("give a file, or a directory to a flag that takes directories"),
        ));
    }
    if !meta.is_file() {
        return Err(ReadFailure::Io(not_a_file(display, &meta)));
    }
    // The size is checked before reading, so that a huge file costs nothing; the read itself is
    // capped too, in case the file grew in between.
    if meta.len() > limits.max_file_bytes {
        return Err(ReadFailure::TooLarge {
            path: Some(path.to_path_buf()),
            bytes: meta.len(),
            at_least: false,
        });
    }
    // Sized from the metadata: growing by doubling would copy a large file several times over
    // and fault in pages that are thrown away.
    let expected = usize::try_from(meta.len()).unwrap_or(0);
    let file = open_checked(path, display)?;
    let bytes = read_capped(file, expected, limits).map_err(io)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadFailure::TooLarge {
            path: Some(path.to_path_buf()),
            bytes: bytes.len() as u64,
            at_least: true,
        });
    }
    let text = decode(bytes).map_err(ReadFailure::NotUtf8)?;
    Ok(SourceFile::new(display, Some(path.to_path_buf()), text))
}

/// Opens `path`, a regular file when it was looked at, and checks that what was opened still
/// is one: the path may have been replaced by a pipe or a device in between, so the check is
/// made again on the descriptor, before anything is read from it.
fn open_checked(path: &Path, display: &str) -> Result<std::fs::File, ReadFailure> {
    let io = |e: std::io::Error| ReadFailure::Io(Problem::io(display, &e));
    let file = open_regular(path).map_err(io)?;
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() {
        return Err(ReadFailure::Io(not_a_file(display, &opened)));
    }
    Ok(file)
}

/// Opens `path` for reading if it is a regular file, checked on what was opened (see
/// [`open_checked`]); anything else is an error of kind `InvalidInput` that names its kind.
/// For the readers that do not go through [`read_file`] (a snapshot and the inputs it hashes).
pub fn open_regular_file(path: &Path) -> std::io::Result<std::fs::File> {
    let file = open_regular(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            // The caller names the file (`cannot read NAME: ...`).
            format!(
                "it is {}, not a regular file",
                crate::input::files::kind_of(&meta)
            ),
        ));
    }
    Ok(file)
}

/// Opens `path` for reading without waiting: opening a named pipe otherwise blocks until a
/// writer comes, before its type could be checked. On a regular file the flag changes nothing.
#[cfg(unix)]
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads standard input, once, within the size limit; it is named [`STDIN_NAME`].
fn read_stdin(limits: &Limits) -> Result<SourceFile, ReadFailure> {
    if STDIN_READ.swap(true, Ordering::SeqCst) {
        return Err(ReadFailure::Io(
            Problem::new(
                "input::stdin-twice",
                "standard input (`-`) is named as more than one input",
            )
            .with_help(
                "standard input can be read once: give `-` for one input, files for the others",
            ),
        ));
    }
    let bytes = read_capped(std::io::stdin().lock(), 0, limits)
        .map_err(|e| ReadFailure::Io(Problem::io(STDIN_NAME, &e)))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadFailure::TooLarge {
            path: None,
            bytes: bytes.len() as u64,
            at_least: true,
        });
    }
    let text = decode(bytes).map_err(ReadFailure::NotUtf8)?;
    Ok(SourceFile::new(STDIN_NAME, None, text))
}

/// Reads at most one byte more than the size limit, so that going over it is seen without
/// reading an endless input to its end.
fn read_capped(
    reader: impl std::io::Read,
    expected: usize,
    limits: &Limits,
) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(reader, limits.max_file_bytes.saturating_add(1)),
        &mut bytes,
    )?;
    Ok(bytes)
}

/// A path that exists but is neither a regular file nor a directory: refused before it is
/// opened.
pub fn not_a_file(display: &str, meta: &std::fs::Metadata) -> Problem {
    Problem::new(
        "input::not-a-file",
        format!(
            "{display} is {}, not a regular file",
            crate::input::files::kind_of(meta)
        ),
    )
    .with_help(
        "vrisk reads regular files only (a pipe could stall the run, a device feed it without \
         end); give a regular file, or pipe the data to standard input and name it `-`",
    )
}

/// A file that is not UTF-8: where its first bad byte is.
struct BadUtf8 {
    /// The text with each bad sequence replaced by U+FFFD (and no BOM), for the snippet.
    lossy: String,
    /// Byte offset of the first bad byte in `lossy`.
    offset: usize,
    byte: u8,
}

impl BadUtf8 {
    fn problem(&self, display: &str) -> Problem {
        let lc = SourceFile::new("", None, self.lossy.as_str()).line_col(self.offset);
        Problem::new(
            "input::not-utf8",
            format!("{display}:{lc}: invalid UTF-8 byte 0x{:02x}", self.byte),
        )
        .with_help("save the file as UTF-8")
    }
}

const BOM: char = '\u{feff}';

/// Decodes UTF-8, dropping a leading byte-order mark. A BOM is legal at the start of a YAML
/// stream; it is removed (not blanked) so that the first line parses and its columns count from
/// the first visible character, as editors show them.
fn decode(bytes: Vec<u8>) -> Result<String, BadUtf8> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with(BOM) {
                text.drain(..BOM.len_utf8());
            }
            Ok(text)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let byte = bytes.get(valid).copied().unwrap_or(0);
            let mut lossy = String::from_utf8_lossy(&bytes).into_owned();
            let mut offset = valid;
            if lossy.starts_with(BOM) {
                lossy.drain(..BOM.len_utf8());
                offset = offset.saturating_sub(BOM.len_utf8());
            }
            Err(BadUtf8 {
                lossy,
                offset,
                byte,
            })
        }
    }
}

/// Decodes UTF-8, dropping a leading byte-order mark, or says where the first bad byte is.
pub fn decode_utf8(bytes: Vec<u8>, display: &str) -> Result<String, Problem> {
    decode(bytes).map_err(|bad| bad.problem(display))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path that was a regular file when it was looked at, and is a named pipe when it is
    /// opened (replaced in between): opening it does not wait for a writer, and it is refused
    /// by what was opened, before anything is read.
    #[cfg(unix)]
    #[test]
    fn a_path_replaced_by_a_pipe_after_it_was_looked_at_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let pipe = dir.path().join("registry.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let (sent, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome = open_checked(&pipe, "registry.yaml").map(|_| ());
            let _ = sent.send(outcome);
        });
        let outcome = received
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("opening a named pipe does not wait for a writer");
        let Err(ReadFailure::Io(problem)) = outcome else {
            panic!("a named pipe is not read");
        };
        assert_eq!(problem.code, "input::not-a-file");
        assert_eq!(
            problem.message,
            "registry.yaml is a named pipe (FIFO), not a regular file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_path_replaced_by_a_device_is_refused_by_what_was_opened() {
        let Err(ReadFailure::Io(problem)) = open_checked(Path::new("/dev/zero"), "ownership.json")
        else {
            panic!("a device is not read");
        };
        assert_eq!(
            problem.message,
            "ownership.json is a character device, not a regular file"
        );
    }

    #[test]
    fn a_text_read_from_a_file_is_kept_without_a_copy() {
        let text = String::from("organisations:\n  - id: acme\n");
        let buffer = text.as_ptr();
        let file = SourceFile::new("registry.yaml", None, text);
        assert_eq!(file.text.as_ptr(), buffer, "the text was copied");
        assert_eq!(file.named_source().inner().as_ptr(), buffer);
    }

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
    fn a_lone_cr_ends_a_line_and_crlf_ends_one() {
        let f = SourceFile::new("f", None, "a\rb\r\nc\nd");
        let at = |c: char| f.line_col(f.text.find(c).unwrap());
        assert_eq!(at('b'), LineCol { line: 2, column: 1 });
        assert_eq!(at('c'), LineCol { line: 3, column: 1 });
        assert_eq!(at('d'), LineCol { line: 4, column: 1 });
        assert_eq!(f.line_text(2), "b");
        assert_eq!(f.offset_of(3, 1), f.text.find('c').unwrap());
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let f = SourceFile::new("f", None, "a: \u{1F600}x");
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x).column, 5);
        assert_eq!(f.utf16_column(x), 6);
    }

    #[test]
    fn line_bounds_leave_out_the_line_break() {
        let f = SourceFile::new("f", None, "ab\r\ncd\ref\ng");
        let b = |line| {
            let b = f.line_bounds(line);
            (
                &f.text[b.start..b.content_end],
                &f.text[b.content_end..b.end],
            )
        };
        assert_eq!(b(0), ("ab", "\r\n"));
        assert_eq!(b(1), ("cd", "\r"));
        assert_eq!(b(2), ("ef", "\n"));
        assert_eq!(b(3), ("g", ""));
        assert_eq!(f.line_count(), 4);
        assert_eq!(f.line_index(f.text.find('e').unwrap()), 2);
        assert_eq!(f.line_index(f.text.len() + 5), 3);
        let empty = SourceFile::new("f", None, "a\n");
        assert_eq!(empty.line_count(), 2);
        assert!(empty.line_bounds(1).is_empty());
    }

    #[test]
    fn a_detached_file_resolves_positions_as_its_text_does() {
        let text = "a: \u{e9}t\u{e9}\r\nb: \u{1F600} x\rc: \u{2603}\n\n\r\nd: [1, 2]\r\n";
        let file = SourceFile::new("f.yaml", None, text);
        let stamp = FileStamp {
            path: PathBuf::from("f.yaml"),
            size: text.len() as u64,
            modified: Modified {
                seconds: 0,
                nanos: 0,
            },
        };
        let detached =
            SourceFile::detached("f.yaml", file.line_starts().to_vec(), file.shape(), stamp);
        assert!(detached.text.is_empty());
        assert_eq!(detached.text_len(), text.len());
        for offset in 0..=text.len() + 2 {
            assert_eq!(detached.line_col(offset), file.line_col(offset), "{offset}");
            assert_eq!(detached.utf16_column(offset), file.utf16_column(offset));
            for end in offset..=text.len() {
                assert_eq!(
                    detached.trim_line_breaks(offset, end),
                    file.trim_line_breaks(offset, end),
                    "{offset}..{end}"
                );
            }
        }
    }

    #[test]
    fn modification_times_read_as_utc() {
        let at = |seconds, nanos| Modified { seconds, nanos }.to_string();
        assert_eq!(at(0, 5), "1970-01-01 00:00:00.000000005 UTC");
        assert_eq!(
            at(1_796_425_697, 98_624_713),
            "2026-12-04 23:08:17.098624713 UTC"
        );
        assert_eq!(at(-1, 0), "1969-12-31 23:59:59.000000000 UTC");
        assert_eq!(
            at(i64::MAX, 0),
            "9223372036854775807.000000000 s after 1970"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_utf8(b"a: 1\nb: \xff\n".to_vec(), "r.yaml").unwrap_err();
        assert!(err.message.contains("r.yaml:2:4"), "{}", err.message);
    }

    #[test]
    fn a_bom_is_dropped_not_blanked() {
        let text = decode_utf8(b"\xef\xbb\xbfa: 1\n".to_vec(), "r.yaml").unwrap();
        assert_eq!(text, "a: 1\n");
        let err = decode_utf8(b"\xef\xbb\xbfa: \xff\n".to_vec(), "r.yaml").unwrap_err();
        assert!(err.message.contains("r.yaml:1:4"), "{}", err.message);
    }
}

//! Where an output goes, looked at before anything is written: standard output, a file that is
//! replaced through a temporary file (a regular file, a symbolic link to one, or a name that
//! does not exist yet), or a stream written in place (a named pipe, a character device). Every
//! other kind of target is refused, and so is a target that is an input of the run.

use std::path::{Path, PathBuf};

use crate::cli::output::identity::{Identity, Inputs, StdStream};
use crate::cli::output::staged;
use crate::input::diagnostic::Problem;
use crate::input::source::is_stdin;

/// Where the user asked an output to go: `-` (or no path) is standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    Path(PathBuf),
}

impl Destination {
    /// `-` is standard output; anything else a path.
    pub fn of(path: Option<&Path>) -> Destination {
        match path {
            Some(path) if !is_stdin(path) => Destination::Path(path.to_path_buf()),
            _ => Destination::Stdout,
        }
    }

    pub fn display(&self) -> String {
        match self {
            Destination::Stdout => "standard output".to_string(),
            Destination::Path(path) => path.display().to_string(),
        }
    }
}

/// How a file target may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Replace what is there (reports).
    Replace,
    /// Only create: an existing file is never overwritten (`vrisk new`, `vrisk init`).
    CreateNew,
    /// Add to the end, creating the file if needed (GitHub's job summary).
    Append,
}

/// A destination after looking at what is there.
#[derive(Debug)]
pub enum Resolved {
    Stdout,
    Stderr,
    /// A file written through a temporary file in its directory and renamed onto `file` (or,
    /// in [`Mode::Append`], appended to).
    File {
        /// Where the data goes: a symbolic link is resolved, so that the link stays a link.
        file: PathBuf,
        /// The permissions of the file it replaces, which the new one keeps.
        existing: Option<std::fs::Permissions>,
        /// Directories to create first, outermost first (only when the plan creates them).
        missing_dirs: Vec<PathBuf>,
    },
    /// A named pipe or a character device: opened and written in place, never replaced.
    Stream {
        path: PathBuf,
    },
}

/// Looks at `path` and decides how it can be written, or why it cannot.
pub fn resolve(
    path: &Path,
    mode: Mode,
    create_dirs: bool,
    inputs: &Inputs,
) -> Result<(Resolved, Option<Identity>), Problem> {
    let display = path.display().to_string();
    let Some(name) = path.file_name() else {
        return Err(write_problem(&display, "it names no file").with_help(
            "give a file name, such as reports/vrisk.json, or `-` for standard output",
        ));
    };
    let link = match path.symlink_metadata() {
        Ok(link) => link,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return new_file(path, name, create_dirs).map(|r| (r, None));
        }
        Err(e) => return Err(write_problem(&display, e)),
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && link.is_symlink() => {
            let to = std::fs::read_link(path).unwrap_or_default();
            return Err(Problem::new(
                "output::dangling-link",
                format!(
                    "{display} is a symbolic link to {}, which does not exist",
                    to.display()
                ),
            )
            .with_help("create the file it points at, or remove the link"));
        }
        Err(e) => return Err(write_problem(&display, e)),
    };
    let identity = Identity::of(path);
    if let Some(identity) = &identity {
        if let Some(input) = inputs.find(identity) {
            return Err(overwrites_input(&display, input));
        }
        // `/dev/stdout`, `/proc/self/fd/1`, or the file standard output is redirected to: one
        // stream, written in order with the other reports to standard output.
        for (stream, resolved) in [
            (StdStream::Stdout, Resolved::Stdout),
            (StdStream::Stderr, Resolved::Stderr),
        ] {
            if stream.file().is_some_and(|(std, _)| std.same(identity)) {
                return Ok((resolved, Some(identity.clone())));
            }
        }
    }
    if meta.is_dir() {
        return Err(write_problem(&display, "it is a directory")
            .with_help("give a file name inside the directory"));
    }
    if is_stream(&meta) {
        let resolved = Resolved::Stream {
            path: path.to_path_buf(),
        };
        return Ok((resolved, identity));
    }
    if !meta.is_file() {
        return Err(Problem::new(
            "output::special-file",
            format!(
                "{display} is {}, which vrisk does not write to",
                crate::input::files::kind_of(&meta)
            ),
        )
        .with_help(
            "write to a regular file, a named pipe, a character device or standard output (`-`)",
        ));
    }
    if mode == Mode::CreateNew {
        return Err(Problem::new(
            "output::exists",
            format!("{display} already exists; it is not overwritten"),
        )
        .with_help("move it away, or choose another name"));
    }
    // Following a link to its end: the temporary file goes beside the real file, and the rename
    // replaces the file, not the link.
    let file = std::fs::canonicalize(path).map_err(|e| write_problem(&display, e))?;
    let dir = file.parent().unwrap_or(Path::new("/"));
    if mode != Mode::Append {
        staged::probe(dir).map_err(|e| unwritable_dir(dir, e))?;
    }
    let resolved = Resolved::File {
        file,
        existing: Some(meta.permissions()),
        missing_dirs: Vec::new(),
    };
    Ok((resolved, identity))
}

/// A target that does not exist yet: its directory must exist (or, when the plan creates
/// directories, its nearest existing ancestor) and be writable.
fn new_file(path: &Path, name: &std::ffi::OsStr, create_dirs: bool) -> Result<Resolved, Problem> {
    let display = path.display().to_string();
    let parent = parent_of(path);
    let mut missing = Vec::new();
    let mut existing = parent;
    while existing.symlink_metadata().is_err() {
        let Some(dir_name) = existing.file_name().filter(|_| create_dirs) else {
            return Err(write_problem(
                &display,
                format!("the directory {} does not exist", parent.display()),
            )
            .with_help("create the directory first, or give another path"));
        };
        missing.push(dir_name);
        existing = parent_of(existing);
    }
    if !std::fs::metadata(existing).is_ok_and(|m| m.is_dir()) {
        return Err(write_problem(
            &display,
            format!("{} is not a directory", existing.display()),
        ));
    }
    // The real directory, so that the temporary file and the rename meet in one place.
    let mut dir = std::fs::canonicalize(existing).map_err(|e| unwritable_dir(existing, e))?;
    staged::probe(&dir).map_err(|e| unwritable_dir(&dir, e))?;
    let mut missing_dirs = Vec::new();
    for dir_name in missing.iter().rev() {
        dir = dir.join(dir_name);
        missing_dirs.push(dir.clone());
    }
    Ok(Resolved::File {
        file: dir.join(name),
        existing: None,
        missing_dirs,
    })
}

/// The directory a path is in: `.` for a bare name.
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
fn is_stream(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo() || meta.file_type().is_char_device()
}

#[cfg(not(unix))]
fn is_stream(_: &std::fs::Metadata) -> bool {
    false
}

pub fn write_problem(display: &str, why: impl std::fmt::Display) -> Problem {
    Problem::new("output::write", format!("cannot write {display}: {why}"))
        .with_help("check that the directory exists and is writable")
}

fn unwritable_dir(dir: &Path, err: std::io::Error) -> Problem {
    Problem::new(
        "output::write",
        format!("cannot create files in {}: {err}", dir.display()),
    )
    .with_help("check that the directory exists and is writable")
}

fn overwrites_input(display: &str, input: &str) -> Problem {
    let same = match display == input {
        true => "it is an input of this run".to_string(),
        false => format!("it is {input}, an input of this run"),
    };
    Problem::new(
        "output::overwrites-input",
        format!("{display} is not written: {same}"),
    )
    .with_help("write the output somewhere else; vrisk never replaces a file it reads")
}

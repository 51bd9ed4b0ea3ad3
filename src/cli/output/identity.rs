//! When two paths are the same file: the same canonical path, or (on unix) the same device and
//! inode, which also sees through hard links and bind mounts. Used to keep an output off the
//! inputs of a run and to write one file once.

use std::path::{Path, PathBuf};

use crate::input::source::{STDIN_NAME, SourceMap, stdin_was_read};

/// What a file is, whatever path leads to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    canonical: Option<PathBuf>,
    /// (device, inode).
    inode: Option<(u64, u64)>,
}

impl Identity {
    /// The file `path` names, following symbolic links; `None` when there is none.
    pub fn of(path: &Path) -> Option<Identity> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Identity {
            canonical: std::fs::canonicalize(path).ok(),
            inode: inode(&meta),
        })
    }

    pub fn same(&self, other: &Identity) -> bool {
        known_and_equal(&self.canonical, &other.canonical)
            || known_and_equal(&self.inode, &other.inode)
    }
}

fn known_and_equal<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a == b)
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The standard streams of this process, by what they are open on.
pub enum StdStream {
    Stdin,
    Stdout,
    Stderr,
}

impl StdStream {
    /// The file the stream is open on (a terminal, a pipe, a regular file), with its metadata;
    /// `None` when it cannot be known.
    #[cfg(unix)]
    pub fn file(&self) -> Option<(Identity, std::fs::Metadata)> {
        use std::os::fd::AsFd;
        // A duplicate of the descriptor, so that looking at it never closes the stream.
        let fd = match self {
            StdStream::Stdin => std::io::stdin().as_fd().try_clone_to_owned(),
            StdStream::Stdout => std::io::stdout().as_fd().try_clone_to_owned(),
            StdStream::Stderr => std::io::stderr().as_fd().try_clone_to_owned(),
        }
        .ok()?;
        let meta = std::fs::File::from(fd).metadata().ok()?;
        let identity = Identity {
            canonical: None,
            inode: inode(&meta),
        };
        Some((identity, meta))
    }

    #[cfg(not(unix))]
    pub fn file(&self) -> Option<(Identity, std::fs::Metadata)> {
        None
    }
}

/// The files a run has read, which no output may replace.
#[derive(Debug, Default)]
pub struct Inputs {
    files: Vec<(String, Identity)>,
}

impl Inputs {
    /// Every file read from disk into `sources`, and standard input when it was read from a
    /// regular file (`vrisk import csv - --output x.csv < x.csv`).
    pub fn of_sources(sources: &SourceMap) -> Inputs {
        let mut inputs = Inputs::default();
        for (_, file) in sources.files() {
            if let Some(path) = &file.path {
                inputs.add(&file.name, path);
            }
        }
        for (name, path) in sources.other_reads() {
            inputs.add(name, path);
        }
        if stdin_was_read()
            && let Some((identity, meta)) = StdStream::Stdin.file()
            && meta.is_file()
        {
            inputs.files.push((STDIN_NAME.to_string(), identity));
        }
        inputs
    }

    /// Adds an input read outside the source map (a baseline report).
    pub fn add(&mut self, display: &str, path: &Path) {
        if let Some(identity) = Identity::of(path) {
            self.files.push((display.to_string(), identity));
        }
    }

    /// The name of the input that `identity` is, if it is one.
    pub fn find(&self, identity: &Identity) -> Option<&str> {
        self.files
            .iter()
            .find(|(_, input)| input.same(identity))
            .map(|(name, _)| name.as_str())
    }
}

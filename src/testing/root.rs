//! The project a test run may read: every file `vrisk test` reads (test files, the policies
//! they test, the registries their cases name) must be inside the project root, so that a test
//! file cannot print `/proc/self/environ`, `/etc/passwd` or a file beside the repository into
//! a CI log. Paths written in a test file are relative to it; an absolute path, a `..` that
//! climbs out of the root and a symbolic link that leads out of it are located errors.

use std::path::{Component, Path, PathBuf};

use crate::input::diagnostic::Problem;
use crate::input::source::Loc;
use crate::registry::At;

use super::discover::{normalize, relative_to};

/// The directory a test run may read from, and why it is that one (for messages).
#[derive(Debug, Clone)]
pub struct ProjectRoot {
    /// Canonical.
    dir: PathBuf,
    why: &'static str,
}

impl ProjectRoot {
    /// The directory of the configuration file in use (`config_dir`), else the nearest
    /// ancestor of the current directory holding `.git`, else the current directory.
    pub fn find(config_dir: Option<&Path>) -> ProjectRoot {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        if let Some(dir) = config_dir {
            let dir = if dir.as_os_str().is_empty() {
                cwd.clone()
            } else {
                cwd.join(dir)
            };
            return ProjectRoot::at(&dir, "the directory of vrisk.yaml");
        }
        match cwd.ancestors().find(|dir| dir.join(".git").exists()) {
            Some(repo) => ProjectRoot::at(repo, "the root of the git repository"),
            None => ProjectRoot::at(&cwd, "the current directory"),
        }
    }

    /// `dir` as the root (library callers and tests).
    pub fn at(dir: &Path, why: &'static str) -> ProjectRoot {
        ProjectRoot {
            dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
            why,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks that the file at `path` (which exists) is inside the root once every symbolic
    /// link is followed. `written`: where the path was written, for the problem.
    pub fn contains(&self, path: &Path, written: Option<Loc>) -> Result<(), Problem> {
        let real = std::fs::canonicalize(path)
            .map_err(|e| Problem::io(&path.display().to_string(), &e))?;
        if real.starts_with(&self.dir) {
            return Ok(());
        }
        let problem = self.outside(format!(
            "{} is outside the project: it leads to {}",
            path.display(),
            real.display()
        ));
        Err(match written {
            Some(loc) => problem.at(loc, "leads outside the project"),
            None => problem,
        })
    }

    /// The path a test file at `test_file` means by `written`, when it stays inside the root:
    /// relative to the test file, neither absolute nor climbing out with `..`, and, when it
    /// exists, not leading out through a symbolic link.
    pub fn resolve(&self, test_file: &Path, written: &At<String>) -> Result<PathBuf, Problem> {
        let as_written = Path::new(&written.value);
        if as_written.has_root()
            || as_written
                .components()
                .any(|c| matches!(c, Component::Prefix(_)))
        {
            return Err(self
                .outside(format!("`{}` is an absolute path", written.value))
                .at(written.loc, "absolute path"));
        }
        let path = relative_to(test_file, &written.value);
        // Lexically first, so that a path that does not exist is judged too.
        let dir = match test_file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let base = std::fs::canonicalize(dir).unwrap_or_else(|_| self.dir.clone());
        if !normalize(&base.join(as_written)).starts_with(&self.dir) {
            return Err(self
                .outside(format!("`{}` climbs out of the project", written.value))
                .at(written.loc, "outside the project"));
        }
        if path.exists() {
            self.contains(&path, Some(written.loc))?;
        }
        Ok(path)
    }

    fn outside(&self, message: String) -> Problem {
        Problem::new("test::outside-project", message).with_help(format!(
            "a test reads only files inside the project, {} ({}): run `vrisk test` from the \
             project, and write paths in a test file relative to it",
            self.dir.display(),
            self.why
        ))
    }
}

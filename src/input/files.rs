//! Finding input files: a path may be a file, a directory (searched recursively, in sorted
//! order so that runs are deterministic whatever the order on disk), or `-`, standard input.

use std::path::{Path, PathBuf};

use crate::input::diagnostic::Problem;

/// Expands `paths` into files whose extension is one of `extensions`. A file named explicitly is
/// taken whatever its extension; a directory with no matching file is an error.
pub fn expand(paths: &[PathBuf], extensions: &[&str], what: &str) -> Result<Vec<PathBuf>, Problem> {
    let mut files = Vec::new();
    for path in paths {
        if crate::input::source::is_stdin(path) {
            files.push(path.clone());
            continue;
        }
        let meta =
            std::fs::metadata(path).map_err(|e| Problem::io(&path.display().to_string(), &e))?;
        if meta.is_dir() {
            let before = files.len();
            walk(path, extensions, &mut files, &mut Vec::new())?;
            if files.len() == before {
                return Err(Problem::new(
                    "input::no-files",
                    format!(
                        "{} holds no {what} file ({})",
                        path.display(),
                        extensions
                            .iter()
                            .map(|e| format!("*.{e}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_help(format!(
                    "point at the directory that holds the {what} files"
                )));
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// `visiting` holds the directories on the way down (resolved), so that a symbolic link back to
/// one of them is not followed again: two such links would otherwise make the walk exponential.
fn walk(
    dir: &Path,
    extensions: &[&str],
    out: &mut Vec<PathBuf>,
    visiting: &mut Vec<PathBuf>,
) -> Result<(), Problem> {
    let display = dir.display().to_string();
    let resolved = std::fs::canonicalize(dir).map_err(|e| Problem::io(&display, &e))?;
    if visiting.contains(&resolved) {
        return Ok(());
    }
    visiting.push(resolved);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Problem::io(&display, &e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, extensions, out, visiting)?;
        } else if has_extension(&path, extensions) {
            out.push(path);
        }
    }
    visiting.pop();
    Ok(())
}

/// What kind of file system object `meta` describes, for messages: "a named pipe (FIFO)".
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_file() {
        return "a regular file";
    }
    if kind.is_dir() {
        return "a directory";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    extensions.iter().any(|e| name.ends_with(&format!(".{e}")))
}

//! Writing a set of new files together, all of them or none: `vrisk init` and `vrisk policies
//! export`. Every file is first written to a temporary file beside its target, then all are
//! renamed into place; a failure on the way removes what was written, and the directories made
//! for it, so that a failed run leaves the tree as it found it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::input::diagnostic::Problem;

/// Writes every (path, text). Callers check beforehand which targets exist and whether they may
/// be replaced; this only makes the writing all-or-nothing.
pub fn write_all(files: &[(PathBuf, String)]) -> Result<(), Problem> {
    let mut made_dirs = Vec::new();
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    let staged = (|| {
        for (path, text) in files {
            make_parent(path, &mut made_dirs)?;
            let temp = temp_beside(path);
            write_new(&temp, text).map_err(|e| cannot_write(path, &e))?;
            temps.push((temp, path));
        }
        Ok(())
    })();
    if let Err(problem) = staged {
        undo(&temps, &[], &made_dirs);
        return Err(problem);
    }
    let mut placed: Vec<(&Path, bool)> = Vec::new();
    for (temp, path) in &temps {
        let existed = path.exists();
        if let Err(e) = std::fs::rename(temp, path) {
            let rest: Vec<(PathBuf, &Path)> = temps
                .iter()
                .filter(|(t, _)| t.exists())
                .map(|(t, p)| (t.clone(), *p))
                .collect();
            undo(&rest, &placed, &made_dirs);
            return Err(cannot_write(path, &e));
        }
        placed.push((path, existed));
    }
    Ok(())
}

/// A temporary name in the target's directory (so that the rename stays on one file system),
/// unique to this process and this file.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.vrisk-{}.tmp", std::process::id()))
}

fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Creates the missing directories above `path`, remembering each, outermost first.
fn make_parent(path: &Path, made: &mut Vec<PathBuf>) -> Result<(), Problem> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    let mut missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
    missing.reverse();
    for d in missing {
        if d.as_os_str().is_empty() {
            continue;
        }
        std::fs::create_dir(d).map_err(|e| {
            Problem::new(
                "output::mkdir",
                format!("cannot create the directory {}: {e}", d.display()),
            )
            .with_help("check that the parent directory is writable")
        })?;
        made.push(d.to_path_buf());
    }
    Ok(())
}

/// Removes the temporary files, the files placed that did not exist before, and the directories
/// made (innermost first, each only if empty).
fn undo(temps: &[(PathBuf, &Path)], placed: &[(&Path, bool)], made_dirs: &[PathBuf]) {
    for (temp, _) in temps {
        let _ = std::fs::remove_file(temp);
    }
    for (path, existed) in placed {
        if !existed {
            let _ = std::fs::remove_file(path);
        }
    }
    for dir in made_dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

fn cannot_write(path: &Path, err: &std::io::Error) -> Problem {
    Problem::new(
        "output::write",
        format!(
            "cannot write {}: {err}; nothing was written",
            path.display()
        ),
    )
    .with_help("check that the directory is writable and the disk has room")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_file_and_the_directories_they_need() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a.txt");
        let b = dir.path().join("x/y/b.txt");
        write_all(&[(a.clone(), "A".into()), (b.clone(), "B".into())]).expect("written");
        assert_eq!(std::fs::read_to_string(a).expect("a"), "A");
        assert_eq!(std::fs::read_to_string(b).expect("b"), "B");
    }

    #[test]
    fn a_failure_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A file where a directory is needed: the second target cannot be written.
        std::fs::write(dir.path().join("blocker"), "").expect("blocker");
        let files = [
            (dir.path().join("new/a.txt"), "A".to_string()),
            (dir.path().join("blocker/b.txt"), "B".to_string()),
        ];
        assert!(write_all(&files).is_err());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(left, ["blocker"]);
    }
}

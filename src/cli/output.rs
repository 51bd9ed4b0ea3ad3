//! Writing reports and generated files.

use std::path::Path;

use crate::input::diagnostic::Problem;

/// Writes a report through a temporary file and a rename, so that a failed run never leaves a
/// half-written report behind.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Problem> {
    let display = path.display().to_string();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "report".to_string());
    let temp = dir.join(format!(".{name}.vrisk-{}.tmp", std::process::id()));
    std::fs::write(&temp, text)
        .and_then(|_| std::fs::rename(&temp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Problem::new("output::write", format!("cannot write {display}: {e}"))
                .with_help("check that the directory exists and is writable")
        })
}

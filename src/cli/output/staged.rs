//! Temporary files beside their targets: created with `create_new` under a name no one can
//! guess (so that a link planted under the expected name is never written through), filled,
//! and later moved onto the target in one rename.

use std::ffi::OsStr;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many names to try before giving up: each is 64 random bits, so a second try is already
/// a sign that something is creating files to collide with.
const ATTEMPTS: usize = 16;

/// Creates an empty file in `dir`, named after `target`, that did not exist before.
pub fn create(dir: &Path, target: &OsStr) -> std::io::Result<(PathBuf, std::fs::File)> {
    // A short prefix of the target's name keeps the temporary file recognisable and its name
    // within file system limits (255 bytes on most).
    let mut hint = String::new();
    for c in target.to_string_lossy().chars() {
        if hint.len() + c.len_utf8() > 64 {
            break;
        }
        hint.push(c);
    }
    let mut last = None;
    for _ in 0..ATTEMPTS {
        let path = dir.join(format!(".{hint}.{:016x}.vrisk-tmp", unpredictable()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary file name was free")))
}

/// Checks that files can be created in `dir` by creating one and removing it.
pub fn probe(dir: &Path) -> std::io::Result<()> {
    let (path, file) = create(dir, OsStr::new("probe"))?;
    drop(file);
    std::fs::remove_file(path)
}

/// Writes a new temporary file in `dir` for `target` with what `write` writes into it (through
/// a buffer, so that the contents are never held whole in memory) and makes it durable, with
/// `permissions` (those of the file it will replace) when given. Nothing is left behind when it
/// fails.
pub fn stage_with(
    dir: &Path,
    target: &OsStr,
    permissions: Option<&std::fs::Permissions>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<PathBuf> {
    let (path, file) = create(dir, target)?;
    let finished = fill(file, permissions, write);
    if finished.is_err() {
        let _ = std::fs::remove_file(&path);
    }
    finished.map(|()| path)
}

fn fill(
    file: std::fs::File,
    permissions: Option<&std::fs::Permissions>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, file);
    write(&mut buffered)?;
    let file = buffered.into_inner().map_err(|e| e.into_error())?;
    if let Some(p) = permissions {
        file.set_permissions(p.clone())?;
    }
    // On disk before the rename, so that a crash leaves the old file or the new one.
    file.sync_all()
}

/// Moves `temp` onto `target`, replacing it.
pub fn replace(temp: &Path, target: &Path) -> std::io::Result<()> {
    std::fs::rename(temp, target)
}

/// Moves `temp` onto `target` only if `target` does not exist: a hard link fails when the name
/// is taken, where a rename would replace it. On a file system without hard links, the check
/// and the rename are two steps.
pub fn place_new(temp: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(temp, target) {
        Ok(()) => std::fs::remove_file(temp),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if target.symlink_metadata().is_ok() => {
            Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
        }
        Err(_) => std::fs::rename(temp, target),
    }
}

/// 64 bits no other process can predict: std's per-process random hash keys over the clock,
/// the process id and a counter.
fn unpredictable() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_differ_and_are_never_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, _) = create(dir.path(), OsStr::new("report.json")).expect("create");
        let (b, _) = create(dir.path(), OsStr::new("report.json")).expect("create");
        assert_ne!(a, b);
        let name = a.file_name().and_then(OsStr::to_str).unwrap_or_default();
        assert!(name.starts_with(".report.json."), "{name}");
        assert!(name.ends_with(".vrisk-tmp"), "{name}");
    }

    #[test]
    fn a_long_name_gives_a_temporary_name_within_file_system_limits() {
        let dir = tempfile::tempdir().expect("temp dir");
        let long = "é".repeat(127);
        let (path, _) = create(dir.path(), OsStr::new(&long)).expect("create");
        let name = path.file_name().map_or(0, |n| n.len());
        assert!(name <= 100, "{name} bytes");
    }

    #[test]
    fn a_new_file_never_replaces_one_that_appeared() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("policy.yaml");
        std::fs::write(&target, "mine").expect("write");
        let temp = stage_with(dir.path(), OsStr::new("policy.yaml"), None, &mut |w| {
            w.write_all(b"new")
        })
        .expect("stage");
        let err = place_new(&temp, &target).expect_err("refused");
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "mine");
    }
}

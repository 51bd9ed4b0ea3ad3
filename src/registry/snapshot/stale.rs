//! Whether a snapshot's inputs are as they were: each input's size and modification time, or
//! its size and contents; every input that is not is named, with the command that rebuilds the
//! snapshot.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::Check;
use super::format::{Meta, StoredFile};
use crate::input::diagnostic::Problem;
use crate::input::source::{FileStamp, Modified};

/// `rebuild it with \`vrisk snapshot build ...\``, with the inputs the snapshot was built from.
pub(super) fn rebuild_hint(meta: &Meta, path: &Path) -> String {
    let mut command = String::from("vrisk snapshot build");
    for arg in &meta.registry_args {
        command.push_str(" --registry ");
        command.push_str(&shell_word(arg));
    }
    command.push_str(" --out ");
    command.push_str(&shell_word(&path.display().to_string()));
    format!(
        "rebuild it with `{}`",
        crate::value::text::neutralise(&command)
    )
}

/// A word as a POSIX shell reads it back: quoted when it holds anything but plain characters.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,:@".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Checks each recorded input against the file on disk; returns each file's stamp now.
pub(super) fn check_inputs(
    name: &str,
    meta: &Meta,
    check: Check,
    rebuild: &str,
) -> Result<Vec<FileStamp>, Vec<Problem>> {
    let found: Vec<Result<FileStamp, Problem>> = meta
        .files
        .par_iter()
        .map(|stored| check_input(name, stored, check, rebuild))
        .collect();
    let problems: Vec<Problem> = found
        .iter()
        .filter_map(|r| r.as_ref().err())
        .cloned()
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(found.into_iter().filter_map(Result::ok).collect())
}

fn check_input(
    name: &str,
    stored: &StoredFile,
    check: Check,
    rebuild: &str,
) -> Result<FileStamp, Problem> {
    let input = crate::value::text::neutralise(&stored.name).into_owned();
    let stale = |what: String| {
        Problem::new(
            "snapshot::stale",
            format!("the snapshot {name} is out of date: its input {input} {what}"),
        )
        .with_help(rebuild.to_string())
    };
    let path = PathBuf::from(&stored.path);
    let now = match FileStamp::read(&path) {
        Ok(now) => now,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(stale("is gone".to_string()));
        }
        Err(e) => return Err(stale(format!("cannot be read ({e})"))),
    };
    let then = Modified {
        seconds: stored.modified.0,
        nanos: stored.modified.1,
    };
    if now.size != stored.size {
        return Err(stale(format!(
            "has changed: it was {} bytes and is {} now",
            stored.size, now.size
        )));
    }
    match check {
        Check::Stamps if now.modified != then => Err(stale(format!(
            "has been modified since the snapshot was built (modified at {then} then, at {} now)",
            now.modified
        ))),
        Check::Stamps => Ok(now),
        Check::Contents => match text_hash(&path) {
            Ok(hash) if hash == stored.sha256 => Ok(now),
            Ok(_) => Err(stale(
                "has different contents than when the snapshot was built (of the same size)"
                    .to_string(),
            )),
            Err(e) => Err(stale(format!("cannot be read again ({e})"))),
        },
    }
}

/// The SHA-256 of a file's text as vrisk reads it (without a leading byte-order mark), read in
/// blocks: a file of gigabytes is never held whole. A file that is not UTF-8 hashes as its bytes,
/// which no text recorded in a snapshot can match.
fn text_hash(path: &Path) -> std::io::Result<[u8; 32]> {
    use std::io::Read;
    const BOM: &[u8] = "\u{feff}".as_bytes();
    let mut file = crate::input::source::open_regular_file(path)?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(BOM.len());
    (&mut file).take(BOM.len() as u64).read_to_end(&mut head)?;
    hasher.update(head.strip_prefix(BOM).unwrap_or(&head));
    let mut block = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut block)?;
        if read == 0 {
            break;
        }
        hasher.update(&block[..read]);
    }
    Ok(hasher.finalize().into())
}

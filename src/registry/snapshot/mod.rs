//! Snapshots: a loaded registry written in a compact binary form, so that repeated runs over
//! the same large inputs skip parsing and checking them.
//!
//! A snapshot holds the checked registry (every item, warning and position) and, for each input
//! file, its display name, path, size, modification time, the SHA-256 of its text, its line
//! starts and the places of its wide characters and carriage returns: positions resolve to the
//! same `file:line:col` without the text, which is not stored. A snapshot is used only while its
//! inputs are unchanged: each input must still have the size and modification time it had (or,
//! with [`Check::Contents`], the same size and text); anything else is an error that names the
//! input and says how to rebuild. Snippets for diagnostics are read from the input files when a
//! diagnostic needs one, if they are still as they were.

mod assemble;
mod format;
mod locs;
mod stale;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::input::diagnostic::Problem;
use crate::input::limits::{Limit, Limits};
use crate::input::source::{FileId, FileStamp, Loc, SourceFile, SourceMap, is_stdin};
use crate::registry::Registry;
use format::{Meta, Rest, StoredFile, StoredProblem, Unreadable};
use locs::Locs;

pub use format::{FORMAT_VERSION, MAGIC};

/// The extension `snapshot build` suggests; a file with it that is no snapshot is an error,
/// not a registry file.
pub const EXTENSION: &str = "snapshot";

/// How a snapshot's inputs are checked when it is loaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Check {
    /// Each input has the size and modification time it had: cheap, and what a rebuild on the
    /// same machine keeps.
    #[default]
    Stamps,
    /// Each input has the size it had and the same text (hashed again): what a fresh checkout,
    /// whose files all have new modification times, needs. A changed time alone is then no error.
    Contents,
}

/// Whether `path` is meant as a snapshot: a regular file that starts with [`MAGIC`] or is named
/// `*.snapshot`.
pub fn is_snapshot(path: &Path) -> bool {
    if is_stdin(path) || !path.is_file() {
        return false;
    }
    let named = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION));
    named || starts_with_magic(path)
}

fn starts_with_magic(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; MAGIC.len()];
    crate::input::source::open_regular_file(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| &start == MAGIC)
}

/// The snapshot among registry `paths`, if one is: it must then be the only path.
pub fn among(paths: &[PathBuf]) -> Result<Option<&Path>, Vec<Problem>> {
    let Some(snapshot) = paths.iter().find(|p| is_snapshot(p)) else {
        return Ok(None);
    };
    if paths.len() > 1 {
        return Err(vec![
            Problem::new(
                "snapshot::not-alone",
                format!(
                    "{} is a registry snapshot, and other registry inputs are given with it",
                    snapshot.display()
                ),
            )
            .with_help(
                "a snapshot holds a whole registry: give it alone, or build one snapshot of all \
                 the inputs (`vrisk snapshot build --registry A --registry B --out FILE`)",
            ),
        ]);
    }
    Ok(Some(snapshot))
}

/// A snapshot built: its bytes, and what it holds.
#[derive(Debug)]
pub struct Built {
    pub bytes: Vec<u8>,
    pub files: usize,
    pub organisations: usize,
    pub stakes: usize,
}

/// Loads the registry `paths` name, checks it, and encodes it as a snapshot. The inputs must be
/// files (not standard input) that do not change while they are read.
pub fn build(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Built, Vec<Problem>> {
    if paths.iter().any(|p| is_stdin(p)) {
        return Err(vec![
            Problem::new(
                "snapshot::stdin",
                "a snapshot cannot be built from standard input (`-`)",
            )
            .with_help(
                "a snapshot records each input file to check that it is unchanged when it is \
                 used; save the data to a file and give its path",
            ),
        ]);
    }
    if let Some(snapshot) = paths.iter().find(|p| is_snapshot(p)) {
        return Err(vec![
            Problem::new(
                "snapshot::of-snapshot",
                format!("{} is a snapshot already", snapshot.display()),
            )
            .with_help("build a snapshot from the registry files themselves"),
        ]);
    }
    let files = crate::input::files::expand(paths, super::INPUT_EXTENSIONS, "registry")
        .map_err(|p| vec![p])?;
    let stamps = stamp_all(&files)?;
    let first = sources.len();
    let registry = super::load(paths, sources, limits)?;
    let ids: Vec<FileId> = (first..sources.len()).map(|i| FileId(i as u32)).collect();
    let changed: Vec<Problem> = stamp_all(&files)?
        .iter()
        .zip(&stamps)
        .filter(|(now, then)| now != then)
        .map(|(now, _)| {
            Problem::new(
                "snapshot::changed-while-building",
                format!(
                    "{} changed while the snapshot was built",
                    now.path.display()
                ),
            )
            .with_help("build the snapshot again once nothing writes to the inputs")
        })
        .collect();
    if !changed.is_empty() {
        return Err(changed);
    }
    if ids.len() != stamps.len() {
        return Err(vec![Problem::new(
            "snapshot::internal",
            "the registry was read from other files than were listed; this is a bug in vrisk",
        )]);
    }
    let files: Vec<StoredFile> = ids
        .par_iter()
        .zip(&stamps)
        .map(|(&id, stamp)| stored_file(sources.get(id), stamp))
        .collect::<Result<_, _>>()?;
    let meta = Meta {
        vrisk_version: env!("CARGO_PKG_VERSION").to_string(),
        registry_args: paths.iter().map(|p| p.display().to_string()).collect(),
        files,
    };
    let (organisations, stakes) = (registry.organisations.len(), registry.stakes.len());
    let bytes = encode(registry, &meta, first).map_err(|e| {
        vec![Problem::new(
            "snapshot::internal",
            format!("the registry could not be encoded ({e}); this is a bug in vrisk"),
        )]
    })?;
    Ok(Built {
        bytes,
        files: meta.files.len(),
        organisations,
        stakes,
    })
}

fn stamp_all(files: &[PathBuf]) -> Result<Vec<FileStamp>, Vec<Problem>> {
    files
        .iter()
        .map(|path| {
            FileStamp::read(path).map_err(|e| vec![Problem::io(&path.display().to_string(), &e)])
        })
        .collect()
}

fn stored_file(file: &SourceFile, stamp: &FileStamp) -> Result<StoredFile, Vec<Problem>> {
    let path = stamp.path.to_str().ok_or_else(|| {
        vec![
            Problem::new(
                "snapshot::path-not-utf8",
                format!("the path {} is not UTF-8", stamp.path.display()),
            )
            .with_help("a snapshot records its inputs' paths as text: rename the file"),
        ]
    })?;
    Ok(StoredFile::new(
        file.name.clone(),
        path.to_string(),
        stamp,
        Sha256::digest(file.text.as_bytes()).into(),
        file.line_starts(),
        &file.shape(),
    ))
}

/// Encodes the registry with its positions made relative to the first input file (`first`).
fn encode(mut registry: Registry, meta: &Meta, first: usize) -> Result<Vec<u8>, String> {
    let mut relative = |loc: &mut Loc| loc.file = FileId(loc.file.0.saturating_sub(first as u32));
    let mut warnings = std::mem::take(&mut registry.warnings);
    warnings.locs(&mut relative);
    let mut rest = Rest {
        default_org: registry.default_org.take(),
        sources: std::mem::take(&mut registry.sources),
        competitors: std::mem::take(&mut registry.competitors),
        vendors: std::mem::take(&mut registry.vendors),
        roles: std::mem::take(&mut registry.roles),
        moves: std::mem::take(&mut registry.moves),
        warnings: Vec::new(),
    };
    rest.default_org.locs(&mut relative);
    rest.sources.locs(&mut relative);
    rest.competitors.locs(&mut relative);
    rest.vendors.locs(&mut relative);
    rest.roles.locs(&mut relative);
    rest.moves.locs(&mut relative);
    rest.warnings = warnings.iter().map(StoredProblem::from_problem).collect();
    if first > 0 {
        registry.organisations.par_iter_mut().for_each(|o| {
            o.locs(&mut |loc: &mut Loc| loc.file = FileId(loc.file.0 - first as u32))
        });
        registry.stakes.par_iter_mut().for_each(|s| {
            s.locs(&mut |loc: &mut Loc| loc.file = FileId(loc.file.0 - first as u32))
        });
    }
    format::encode(meta, &rest, &registry.organisations, &registry.stakes)
}

/// Loads the registry from the snapshot at `path`, after checking that it is a snapshot this
/// vrisk wrote and that its inputs are unchanged (as `check` says).
pub fn load(
    path: &Path,
    sources: &mut SourceMap,
    limits: &Limits,
    check: Check,
) -> Result<Registry, Vec<Problem>> {
    let name = path.display().to_string();
    let file_meta = std::fs::metadata(path).map_err(|e| vec![Problem::io(&name, &e)])?;
    if file_meta.len() > limits.max_file_bytes {
        return Err(vec![Limit::FileBytes.problem(
            limits,
            format!(
                "{name} is {}",
                crate::value::count(
                    usize::try_from(file_meta.len()).unwrap_or(usize::MAX),
                    "byte"
                )
            ),
        )]);
    }
    let bytes = read_whole(path).map_err(|e| vec![Problem::io(&name, &e)])?;
    sources.add_other_read(&name, path);
    let contents = format::decode(&bytes).map_err(|u| vec![unreadable(&name, u)])?;
    drop(bytes);
    let rebuild = stale::rebuild_hint(&contents.meta, path);
    if contents.meta.vrisk_version != env!("CARGO_PKG_VERSION") {
        return Err(vec![
            Problem::new(
                "snapshot::version",
                format!(
                    "{name} was built by vrisk {}; this is vrisk {}",
                    crate::value::text::neutralise(&contents.meta.vrisk_version),
                    env!("CARGO_PKG_VERSION")
                ),
            )
            .with_help(format!(
                "a snapshot is read only by the vrisk that built it: {rebuild}"
            )),
        ]);
    }
    let shapes: Vec<(Vec<usize>, crate::input::shape::TextShape)> = contents
        .meta
        .files
        .iter()
        .map(StoredFile::shape)
        .collect::<Result<_, _>>()
        .map_err(|what| {
            vec![unreadable(
                &name,
                Unreadable::Corrupt(format!("it records {what}")),
            )]
        })?;
    let origins = stale::check_inputs(&name, &contents.meta, check, &rebuild)?;
    let base = sources.len();
    for ((stored, (line_starts, shape)), origin) in
        contents.meta.files.iter().zip(shapes).zip(origins)
    {
        sources.add(SourceFile::detached(
            stored.name.clone(),
            line_starts,
            shape,
            origin,
        ));
    }
    let registry = assemble::assemble(contents, base)
        .map_err(|what| vec![unreadable(&name, Unreadable::Corrupt(what))])?;
    // The hash finds damage, not a file crafted to pass it (a cache can be swapped): what the
    // engine takes for granted is checked again, so that such a file cannot make references
    // dangle and findings vanish.
    if let Some(broken) = super::check::structure(&registry)
        .into_iter()
        .find(Problem::is_error)
    {
        return Err(vec![unreadable(
            &name,
            Unreadable::Corrupt(format!(
                "its registry does not hold together ({})",
                crate::value::text::neutralise(&broken.message)
            )),
        )]);
    }
    let over = super::over_limits(&registry, limits);
    if !over.is_empty() {
        return Err(over);
    }
    Ok(registry)
}

/// The problem for a file that is not a snapshot this vrisk can read.
fn unreadable(name: &str, why: Unreadable) -> Problem {
    match why {
        Unreadable::Foreign => Problem::new(
            "snapshot::foreign",
            format!("{name} is named as a snapshot but is not one: it does not start as a vrisk snapshot does"),
        )
        .with_help(format!(
            "build one with `vrisk snapshot build --registry PATH --out FILE`; registry files \
             are YAML or JSON and are not named `*.{EXTENSION}`"
        )),
        Unreadable::Version(version) => Problem::new(
            "snapshot::version",
            format!(
                "{name} is a snapshot of format version {version}; this vrisk reads version {FORMAT_VERSION}"
            ),
        )
        .with_help("rebuild it with this vrisk: `vrisk snapshot build --registry PATH --out FILE`"),
        Unreadable::Corrupt(what) => Problem::new(
            "snapshot::corrupt",
            format!("{name} is not a readable snapshot: {what}"),
        )
        .with_help("rebuild it: `vrisk snapshot build --registry PATH --out FILE`"),
    }
}

/// The bytes of the snapshot at `path`, a regular file (checked on what was opened).
fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = crate::input::source::open_regular_file(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

//! The registry from a decoded snapshot: its lists put together, every position moved to where
//! the snapshot's files land in the run's source map (and checked to name one of them), the id
//! index built.

use std::sync::Mutex;

use rayon::prelude::*;

use super::format::{Contents, Rest, StoredProblem};
use super::locs::Locs;
use crate::input::diagnostic::{Level, Problem};
use crate::input::source::{FileId, Loc};
use crate::registry::Registry;

/// The registry from the decoded lists, each position moved to the files added at `base`.
pub(super) fn assemble(contents: Contents, base: usize) -> Result<Registry, String> {
    let files = contents.meta.files.len();
    let bad = std::sync::atomic::AtomicBool::new(false);
    let shift = |loc: &mut Loc| {
        let local = loc.file.0 as usize;
        if local >= files {
            bad.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        loc.file = FileId(u32::try_from(local + base).unwrap_or(u32::MAX));
    };
    let Contents {
        rest,
        organisations,
        mut stakes,
        ..
    } = contents;
    let mut registry = Registry::default();
    let Rest {
        mut default_org,
        mut sources,
        mut competitors,
        mut vendors,
        mut roles,
        mut moves,
        warnings,
    } = rest;
    let mut shift_one = shift;
    default_org.locs(&mut shift_one);
    sources.locs(&mut shift_one);
    competitors.locs(&mut shift_one);
    vendors.locs(&mut shift_one);
    roles.locs(&mut shift_one);
    moves.locs(&mut shift_one);
    let mut warnings: Vec<Problem> = warnings
        .into_iter()
        .map(problem_of)
        .collect::<Result<_, _>>()?;
    warnings.locs(&mut shift_one);
    if bad.load(std::sync::atomic::Ordering::Relaxed) {
        return Err("it points into a file it does not record".to_string());
    }
    registry.default_org = default_org;
    registry.sources = sources;
    registry.organisations = organisations;
    registry.competitors = competitors;
    registry.vendors = vendors;
    registry.roles = roles;
    registry.moves = moves;
    registry.warnings = warnings;
    // The id index is built while the positions of the stakes are moved.
    rayon::join(
        || {
            registry
                .organisations
                .iter_mut()
                .for_each(|o| o.locs(&mut { shift }));
            registry.reindex();
        },
        || stakes.par_iter_mut().for_each(|s| s.locs(&mut { shift })),
    );
    if bad.into_inner() {
        return Err("it points into a file it does not record".to_string());
    }
    registry.stakes = stakes;
    Ok(registry)
}

fn problem_of(stored: StoredProblem) -> Result<Problem, String> {
    let level = match stored.level {
        0 => Level::Error,
        1 => Level::Warning,
        2 => Level::Advice,
        _ => return Err("a warning of no known level".to_string()),
    };
    Ok(Problem {
        code: static_code(stored.code),
        level,
        message: stored.message,
        labels: stored.labels,
        help: stored.help,
    })
}

/// The codes of stored warnings, kept for the rest of the run (problem codes are `'static`):
/// each distinct code once.
fn static_code(code: String) -> &'static str {
    static CODES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut codes = CODES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = codes.iter().find(|c| **c == code) {
        return known;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    codes.push(leaked);
    leaked
}

//! Writing a set of files together, all of them or none: `vrisk init` and `vrisk policies
//! export`. It goes through the output plan ([`crate::cli::output`]) like every other write:
//! every file is staged before any is put in place, and the directories made for them are
//! removed again if one cannot be written, so that a failed run leaves the tree as it found it.

use std::path::PathBuf;

use crate::cli::output::{Destination, Inputs, Mode, Plan};
use crate::input::diagnostic::Problem;

/// Writes every (path, text). With [`Mode::CreateNew`] no file is ever overwritten, even one
/// that appears while the files are written; callers check beforehand which targets exist, to
/// say so with their own hint.
pub fn write_all(files: &[(PathBuf, String)], mode: Mode) -> Result<(), Problem> {
    let mut plan = Plan::new(Inputs::default()).creating_directories();
    for (path, text) in files {
        let destination = Destination::Path(path.clone());
        let slot = plan.add(&destination, &path.display().to_string(), mode)?;
        plan.fill(slot, text.clone());
    }
    plan.commit().map(|_| ()).map_err(|failed| failed.problem)
}

//! Writing what a command produces: reports, imported registry files, generated files. Every
//! command that writes goes through one [`Plan`], all or nothing:
//!
//! 1. each target is looked at when it is added, before anything is written (or evaluated):
//!    its directory exists and is writable, it is not an input of the run, it is not the target
//!    of another output, and it is a kind of file vrisk writes ([`target`]);
//! 2. every file is written to a new temporary file beside it ([`staged`]): when its contents
//!    are given with [`Plan::fill_with`] (as they are made, so that a report of gigabytes is
//!    never held whole), else at [`Plan::commit`];
//! 3. then the streams are written, directly and in order: standard output, named pipes,
//!    character devices, and files appended to;
//! 4. then every temporary file is renamed onto its target.
//!
//! A failure in steps 2 or 3, or a plan dropped without a commit, removes every temporary file,
//! so that no file changes. Streams go
//! after every file is staged, so that a file that cannot be written stops the run before a
//! report reaches a pipe or a log; they go before the renames, because a write to a stream can
//! fail (a full disk behind standard output) and a rename in a directory where a file was just
//! created does not in practice.

pub mod identity;
mod staged;
pub mod stdout;
pub mod target;

use std::io::Write;
use std::path::PathBuf;

pub use identity::Inputs;
pub use target::{Destination, Mode};

use crate::input::diagnostic::Problem;
use target::{Resolved, write_problem};

/// The outputs of one command, checked up front and written together by [`Plan::commit`].
pub struct Plan {
    inputs: Inputs,
    create_dirs: bool,
    outputs: Vec<Output>,
    /// Files written already ([`Plan::fill_with`]), removed again unless the commit is done.
    staging: Staging,
}

/// An output added to a plan: where its text goes once [`Plan::fill`] gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot(usize);

struct Output {
    display: String,
    /// What the output holds (a report format), to tell a repeated request from a clash.
    content: String,
    mode: Mode,
    resolved: Resolved,
    identity: Option<identity::Identity>,
    /// What is written: a report's text, or the bytes of a binary file (a snapshot).
    bytes: Option<Vec<u8>>,
    /// Written into its temporary file already, by [`Plan::fill_with`].
    staged: bool,
}

/// A commit that failed: the problem, and what was and was not written (for the sentence that
/// ends the run, e.g. "the evaluation ran, but nothing was written").
#[derive(Debug)]
pub struct Failed {
    pub problem: Problem,
    pub outcome: String,
}

impl Plan {
    /// A plan whose outputs may not replace any of `inputs`.
    pub fn new(inputs: Inputs) -> Plan {
        Plan {
            inputs,
            create_dirs: false,
            outputs: Vec::new(),
            staging: Staging::default(),
        }
    }

    /// Missing directories of file targets are created at commit (and removed again if the
    /// commit fails), instead of being an error.
    pub fn creating_directories(mut self) -> Plan {
        self.create_dirs = true;
        self
    }

    /// Checks `destination` for an output holding `content`. The same content asked for the
    /// same place twice is written once (the same slot is returned); two different contents for
    /// one file are an error, while several go to standard output one after the other.
    pub fn add(
        &mut self,
        destination: &Destination,
        content: &str,
        mode: Mode,
    ) -> Result<Slot, Problem> {
        let (resolved, identity) = match destination {
            Destination::Stdout => (Resolved::Stdout, None),
            Destination::Path(path) => target::resolve(path, mode, self.create_dirs, &self.inputs)?,
        };
        let display = destination.display();
        let output = Output {
            display,
            content: content.to_string(),
            mode,
            resolved,
            identity,
            bytes: None,
            staged: false,
        };
        for (i, other) in self.outputs.iter().enumerate() {
            if !other.same_place(&output) {
                continue;
            }
            if other.content == output.content {
                return Ok(Slot(i));
            }
            if !matches!(output.resolved, Resolved::Stdout | Resolved::Stderr) {
                return Err(Problem::new(
                    "output::same-target",
                    format!(
                        "{} is the target of two outputs: {} and {}",
                        output.display, other.content, output.content
                    ),
                )
                .with_help("give each output a file of its own"));
            }
        }
        self.outputs.push(output);
        Ok(Slot(self.outputs.len() - 1))
    }

    /// Gives a slot its text.
    pub fn fill(&mut self, slot: Slot, text: String) {
        self.fill_bytes(slot, text.into_bytes());
    }

    /// Gives a slot the bytes of a binary file.
    pub fn fill_bytes(&mut self, slot: Slot, bytes: Vec<u8>) {
        if let Some(output) = self.outputs.get_mut(slot.0) {
            output.bytes = Some(bytes);
        }
    }

    /// Gives a slot its contents by writing them: into the slot's temporary file as they are
    /// made when its target is a file (staged now, in place at [`Plan::commit`], removed if the
    /// commit does not happen), else into memory, since streams are written after every file.
    /// For outputs too large to hold whole (a JSON report of 100,000 vendors).
    pub fn fill_with(
        &mut self,
        slot: Slot,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Failed> {
        let Some(output) = self.outputs.get_mut(slot.0) else {
            return Ok(());
        };
        if output.is_renamed_file() {
            self.staging
                .stage_with(output, write)
                .map_err(|problem| Failed {
                    problem,
                    outcome: "nothing was written".to_string(),
                })?;
            output.staged = true;
            return Ok(());
        }
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| Failed {
            problem: write_problem(&output.display, e),
            outcome: "nothing was written".to_string(),
        })?;
        output.bytes = Some(bytes);
        Ok(())
    }

    /// Whether a slot has its text already (one slot can serve two requests).
    pub fn is_filled(&self, slot: Slot) -> bool {
        self.outputs
            .get(slot.0)
            .is_some_and(|o| o.bytes.is_some() || o.staged)
    }

    /// Writes every output, all or nothing (see the module's documentation). Returns the files
    /// written, as the user named them.
    pub fn commit(mut self) -> Result<Vec<String>, Failed> {
        let mut staging = std::mem::take(&mut self.staging);
        for output in self.outputs.iter().filter(|o| !o.staged) {
            if let Err(problem) = staging.stage(output) {
                return Err(Failed {
                    problem,
                    outcome: "nothing was written".to_string(),
                });
            }
        }
        for output in &self.outputs {
            if let Err(problem) = write_stream(output) {
                return Err(Failed {
                    problem,
                    outcome: format!(
                        "no file was written, and what was sent to {} is incomplete",
                        output.display
                    ),
                });
            }
        }
        staging.publish()
    }
}

impl Output {
    fn same_place(&self, other: &Output) -> bool {
        match (&self.resolved, &other.resolved) {
            (Resolved::Stdout, Resolved::Stdout) | (Resolved::Stderr, Resolved::Stderr) => true,
            (Resolved::File { file: a, .. }, Resolved::File { file: b, .. }) if a == b => true,
            (Resolved::Stream { path: a }, Resolved::Stream { path: b }) if a == b => true,
            _ => matches!((&self.identity, &other.identity), (Some(a), Some(b)) if a.same(b)),
        }
    }

    fn bytes(&self) -> &[u8] {
        self.bytes.as_deref().unwrap_or_default()
    }

    /// Whether the output is a file written whole to a temporary file and renamed into place
    /// (not a stream, and not a file appended to).
    fn is_renamed_file(&self) -> bool {
        matches!(self.resolved, Resolved::File { .. }) && self.mode != Mode::Append
    }
}

/// Temporary files written and directories created so far; what is left of them is removed
/// when the commit fails (or panics) before it is done.
#[derive(Default)]
struct Staging {
    /// (temporary file, target, mode, as the user named it).
    files: Vec<(PathBuf, PathBuf, Mode, String)>,
    created_dirs: Vec<PathBuf>,
}

impl Staging {
    fn stage(&mut self, output: &Output) -> Result<(), Problem> {
        let bytes = output.bytes();
        self.stage_with(output, &mut |w| w.write_all(bytes))
    }

    /// Creates what is missing of the output's directories, then its temporary file, written
    /// by `write`.
    fn stage_with(
        &mut self,
        output: &Output,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Problem> {
        let Resolved::File {
            file,
            existing,
            missing_dirs,
        } = &output.resolved
        else {
            return Ok(());
        };
        for dir in missing_dirs {
            if dir.symlink_metadata().is_ok() {
                continue;
            }
            std::fs::create_dir(dir).map_err(|e| {
                Problem::new(
                    "output::write",
                    format!("cannot create the directory {}: {e}", dir.display()),
                )
                .with_help("check that the parent directory is writable")
            })?;
            self.created_dirs.push(dir.clone());
        }
        if output.mode == Mode::Append {
            return Ok(());
        }
        let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
            return Err(write_problem(&output.display, "it names no file"));
        };
        let temp = staged::stage_with(dir, name, existing.as_ref(), write)
            .map_err(|e| write_problem(&output.display, e))?;
        self.files
            .push((temp, file.clone(), output.mode, output.display.clone()));
        Ok(())
    }

    /// Renames every temporary file onto its target.
    fn publish(mut self) -> Result<Vec<String>, Failed> {
        let mut written = Vec::new();
        let files = std::mem::take(&mut self.files);
        let mut pending = files.into_iter();
        while let Some((temp, target, mode, display)) = pending.next() {
            let placed = match mode {
                Mode::CreateNew => staged::place_new(&temp, &target),
                _ => staged::replace(&temp, &target),
            };
            if let Err(e) = placed {
                // The rest stays unwritten, and this one's temporary file goes too.
                self.files = pending.collect();
                let _ = std::fs::remove_file(&temp);
                let problem = match e.kind() {
                    std::io::ErrorKind::AlreadyExists => Problem::new(
                        "output::exists",
                        format!(
                            "{display} appeared while vrisk was writing; it is not overwritten"
                        ),
                    )
                    .with_help("move it away and run again"),
                    _ => write_problem(&display, e),
                };
                let outcome = match written.is_empty() {
                    true => "no file was written".to_string(),
                    false => format!(
                        "only {} {} written",
                        written.join(", "),
                        were(written.len())
                    ),
                };
                return Err(Failed { problem, outcome });
            }
            written.push(display);
        }
        self.created_dirs.clear();
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temp, ..) in &self.files {
            let _ = std::fs::remove_file(temp);
        }
        // Innermost first; only directories this commit created, and only those left empty.
        for dir in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

/// Writes an output that is not renamed into place: standard output or error, a named pipe, a
/// character device, a file appended to. A closed pipe ends that output quietly.
fn write_stream(output: &Output) -> Result<(), Problem> {
    let bytes = output.bytes();
    let failed = |e: std::io::Error| {
        Problem::new(
            "output::write",
            format!("cannot write {}: {e}", output.display),
        )
        .with_help(
            "what was written is incomplete; check the device, the disk, or the program reading it",
        )
    };
    match &output.resolved {
        Resolved::Stdout => stdout::write(bytes).map_err(|e| {
            Problem::new(
                "output::stdout",
                format!("cannot write to standard output: {e}"),
            )
            .with_help("the output is incomplete; check the disk or the program reading it")
        }),
        Resolved::Stderr => {
            stdout::write_stream(&mut std::io::stderr().lock(), bytes).map_err(failed)?;
            Ok(())
        }
        Resolved::Stream { path } => {
            // Opened without creating or truncating: a pipe or a device is used as it is.
            let mut stream = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(failed)?;
            stdout::write_stream(&mut stream, bytes).map_err(failed)?;
            Ok(())
        }
        Resolved::File { file, .. } if output.mode == Mode::Append => {
            let mut appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .map_err(failed)?;
            appended.write_all(bytes).map_err(failed)
        }
        Resolved::File { .. } => Ok(()),
    }
}

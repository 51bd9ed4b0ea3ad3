//! Helpers shared by the hardening tests: run the real binary and look at what a user sees.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;

/// The corpus directory, with its `base/` registry and policies that cases run against.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// What one run of vrisk showed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// What `output` showed; a panic in it fails the test, whatever the test goes on to check.
    pub fn from(output: Output) -> Run {
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "vrisk panicked: {}",
            run.stderr
        );
        run
    }

    /// stdout parsed as JSON (Null when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or(serde_json::Value::Null)
    }
}

/// Runs vrisk with `args` in `dir`, with no colour and no inherited configuration.
pub fn vrisk_in(dir: &Path, args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("RUST_BACKTRACE")
        .env_remove("VRISK_TEST_INTERNAL_ERROR")
        .args(args)
        .output()
        .expect("run vrisk");
    Run::from(output)
}

/// The day the corpus base is checked on: vendor-a fails then, and vendor-b is indeterminate.
pub const BASE_AS_OF: &str = "2025-06-20";

/// `vrisk check` of a copied corpus base on [`BASE_AS_OF`]: the command line most cases start
/// from before they add the flags they are about.
pub const CHECK_BASE: [&str; 7] = [
    "check",
    "-r",
    "registry.yaml",
    "-p",
    "policies",
    "--as-of",
    BASE_AS_OF,
];

/// A fresh temporary directory holding a copy of the corpus base, for a case that changes it.
pub fn base_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    dir
}

/// Runs [`CHECK_BASE`] in `dir` with `extra` flags after it.
pub fn check_base(dir: &Path, extra: &[&str]) -> Run {
    vrisk_in(dir, &[&CHECK_BASE[..], extra].concat())
}

/// Copies the corpus base (registry.yaml, policies/) into `dir`.
pub fn copy_base(dir: &Path) {
    let base = corpus_dir().join("base");
    std::fs::copy(base.join("registry.yaml"), dir.join("registry.yaml")).expect("copy registry");
    std::fs::create_dir_all(dir.join("policies")).expect("mkdir policies");
    for entry in std::fs::read_dir(base.join("policies")).expect("read base policies") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("file name");
        std::fs::copy(&path, dir.join("policies").join(name)).expect("copy policy");
    }
}

/// Writes `text` to `dir/name`, creating parent directories.
pub fn write(dir: &Path, name: &str, text: &str) {
    write_bytes(dir, name, text.as_bytes());
}

/// [`write`] for content that need not be UTF-8, such as a case about invalid encodings.
pub fn write_bytes(dir: &Path, name: &str, content: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, content).expect("write");
}

/// A fresh temporary directory holding `files` (path, content), for a case that brings its own
/// input rather than the corpus base.
pub fn tree<C: AsRef<[u8]>>(files: &[(&str, C)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, content) in files {
        write_bytes(dir.path(), name, content.as_ref());
    }
    dir
}

pub mod worlds;

/// Starts vrisk with `args` in `dir`, like [`vrisk_in`], with the given standard input and
/// output (standard error piped), for a case that must not be waited on blindly: a run that
/// could hang on a named pipe, or that writes to a device.
pub fn spawn_in(
    dir: &Path,
    args: &[&str],
    stdin: std::process::Stdio,
    stdout: std::process::Stdio,
) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_vrisk"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("RUST_BACKTRACE")
        .env_remove("VRISK_TEST_INTERNAL_ERROR")
        .args(args)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn vrisk")
}

/// How long a run that should end is given before it is taken to hang and killed: far more
/// than any case needs, so that only a hang reaches it.
pub const HANG: std::time::Duration = std::time::Duration::from_secs(60);

/// Waits for `child` to end, reading its piped streams meanwhile; `None` when it has not ended
/// within [`HANG`] (it is killed then), so that a regression fails the test instead of
/// hanging it.
pub fn finish(mut child: std::process::Child) -> Option<Run> {
    fn drain(
        stream: Option<impl std::io::Read + Send + 'static>,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut stream) = stream {
                let _ = stream.read_to_end(&mut bytes);
            }
            bytes
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = std::time::Instant::now() + HANG;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    Some(Run::from(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }))
}

/// Makes a named pipe at `path` with `mkfifo`.
pub fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Makes the character device `major:minor` at `path` with `mknod` (1:3 is a null device, 1:7
/// a full one). Needs root: `false`, with a note, where it cannot be made, and the caller skips
/// its case. Tests never aim at the machine's own /dev files, which an old vrisk replaced.
pub fn mknod(path: &Path, major: u32, minor: u32) -> bool {
    let made = std::process::Command::new("mknod")
        .arg(path)
        .args(["c", &major.to_string(), &minor.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!(
            "note: cannot make a character device with mknod (not root?); case skipped: {}",
            path.display()
        );
    }
    made
}

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

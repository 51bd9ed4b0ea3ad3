//! vrisk as a process: exit codes 0/1/2/3, a closed stdout (`vrisk check | head -1`), and
//! reports written whole or not at all.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use assert_cmd::cargo::cargo_bin_cmd;
use support::{base_dir, check_base, vrisk_in};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AS_OF: &str = "2025-06-20";

/// Starts `vrisk check` of the shipped registry and policies from the repository root, with
/// `args` after it and both streams piped, so that a test can close or read stdout early.
fn spawn_seeded_check(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vrisk"))
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "--as-of", AS_OF])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vrisk")
}

/// Waits for a run whose stdout went away early: a closed pipe must not turn into a complaint
/// on stderr or change the exit code (1: the shipped data has a failing finding).
fn assert_ends_quietly(child: Child, what: &str) {
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
    assert!(stderr.is_empty(), "{what}: {stderr}");
}

#[test]
fn exit_codes_0_1_2() {
    let dir = base_dir();
    // vendor-a fails (30% against 20%), vendor-b is indeterminate.
    assert_eq!(check_base(dir.path(), &[]).code, 1);
    // At 50% nothing fails; the indeterminate finding counts only when asked.
    let lenient = ["--param", "rival-stake.threshold=50%"];
    assert_eq!(check_base(dir.path(), &lenient).code, 0);
    let strict = [&lenient[..], &["--fail-on-indeterminate"]].concat();
    assert_eq!(check_base(dir.path(), &strict).code, 1);
    // Bad input and a bad command line are both 2.
    assert_eq!(
        vrisk_in(dir.path(), &["check", "-r", "nowhere.yaml"]).code,
        2
    );
    assert_eq!(vrisk_in(dir.path(), &["check", "--no-such-flag"]).code, 2);
    assert_eq!(
        vrisk_in(dir.path(), &["check", "--as-of", "2025-02-30"]).code,
        2
    );
}

#[test]
fn an_internal_error_exits_3_with_a_bug_message_not_a_raw_panic() {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(ROOT)
        .env("VRISK_TEST_INTERNAL_ERROR", "1")
        .env_remove("RUST_BACKTRACE")
        .args(["check", "--as-of", AS_OF])
        .output()
        .expect("run vrisk");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("this is a bug in vrisk"), "{stderr}");
    // The panic's own message is kept, for the bug report.
    assert!(
        stderr.contains("internal error requested by VRISK_TEST_INTERNAL_ERROR"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn a_stdout_closed_before_anything_is_written_ends_quietly() {
    for format in ["human", "json", "sarif", "markdown"] {
        let mut child = spawn_seeded_check(&["--format", format]);
        // Close the reading end at once: every write vrisk makes meets a closed pipe.
        drop(child.stdout.take());
        assert_ends_quietly(child, format);
    }
}

#[test]
fn head_1_reads_one_line_and_vrisk_ends_quietly() {
    let mut child =
        spawn_seeded_check(&["--format", "json", "--format", "sarif", "--format", "human"]);
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read a line");
    assert_eq!(first, "{\n");
    assert_ends_quietly(child, "head -1");
}

/// Files in `dir` other than the fixtures: what a run left behind.
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "registry.yaml" && n != "policies")
        .collect();
    names.sort();
    names
}

#[test]
fn an_unwritable_report_path_leaves_no_file_and_exits_2() {
    let dir = base_dir();
    std::fs::create_dir(dir.path().join("taken")).expect("mkdir");
    // A directory that does not exist, and a path that is a directory.
    for target in ["json=missing/report.json", "sarif=taken"] {
        let run = check_base(dir.path(), &["--format", target]);
        assert_eq!(run.code, 2, "{target}: {}", run.stderr);
        assert!(run.stderr.contains("output::write"), "{}", run.stderr);
        assert_eq!(leftovers(dir.path()), ["taken"], "{target}");
        assert!(
            std::fs::read_dir(dir.path().join("taken"))
                .expect("read")
                .next()
                .is_none()
        );
    }
}

#[test]
fn a_report_is_replaced_whole() {
    let dir = base_dir();
    std::fs::write(dir.path().join("report.json"), "an older report").expect("write");
    let run = check_base(dir.path(), &["--format", "json=report.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("report.json")).expect("read");
    let report: serde_json::Value = serde_json::from_str(&text).expect("a whole JSON report");
    assert_eq!(report["summary"]["fail"], 1);
    // No temporary file is left beside it.
    assert_eq!(leftovers(dir.path()), ["report.json"]);
}

#[cfg(unix)]
#[test]
fn a_directory_that_links_back_to_itself_is_read_once() {
    let dir = base_dir();
    let registry = dir.path().join("reg");
    std::fs::create_dir(&registry).expect("mkdir");
    std::fs::rename(dir.path().join("registry.yaml"), registry.join("r.yaml")).expect("mv");
    // Two links back up: followed blindly, the walk would double at every level.
    std::os::unix::fs::symlink(".", registry.join("self")).expect("symlink");
    std::os::unix::fs::symlink("../reg", registry.join("again")).expect("symlink");
    let run = vrisk_in(dir.path(), &["validate", "reg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("registry valid: 1 file,"),
        "{}",
        run.stdout
    );
}

//! Inputs that are not regular files (a named pipe, a socket, a device) are refused before they
//! are opened, whether named or found in a directory, so that a run can neither hang on a pipe
//! nor read /dev/zero up to the size limit; `-` is standard input wherever a file is read,
//! named `<stdin>`, within the size limit, and a registry read from it is JSON or YAML by its
//! content.
//!
//! Every case that could hang if vrisk regressed runs through `support::finish`, which kills
//! the run after a generous limit.

#![cfg(unix)]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use support::{CHECK_BASE, Run, base_dir, finish, mkfifo, spawn_in, write};

/// Runs `args` in `dir` with standard input closed.
fn run(dir: &Path, args: &[&str]) -> Run {
    finish(spawn_in(dir, args, Stdio::null(), Stdio::piped())).expect("vrisk ended")
}

/// Runs `args` in `dir` with `input` on standard input.
fn run_with_stdin(dir: &Path, args: &[&str], input: &str) -> Run {
    let mut child = spawn_in(dir, args, Stdio::piped(), Stdio::piped());
    let mut stdin = child.stdin.take().expect("stdin");
    // A run that refuses its input early closes the pipe: that is not this test's failure.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    finish(child).expect("vrisk ended")
}

fn assert_not_a_file(run: &Run, path: &str, kind: &str) {
    assert_eq!(run.code, 2, "{path}: {}", run.stderr);
    assert!(
        run.stderr.contains("input::not-a-file"),
        "{path}: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{path} is {kind}, not a regular file")),
        "{path}: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: vrisk reads regular files only"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_named_pipe_is_refused_named_or_found_in_a_directory() {
    let dir = base_dir();
    mkfifo(&dir.path().join("pipe.yaml"));
    let named = run(dir.path(), &["validate", "pipe.yaml"]);
    assert_not_a_file(&named, "pipe.yaml", "a named pipe (FIFO)");
    std::fs::create_dir(dir.path().join("reg")).expect("mkdir");
    std::fs::copy(
        dir.path().join("registry.yaml"),
        dir.path().join("reg/r.yaml"),
    )
    .expect("cp");
    mkfifo(&dir.path().join("reg/stuck.yaml"));
    let found = run(dir.path(), &["validate", "reg"]);
    assert_not_a_file(&found, "reg/stuck.yaml", "a named pipe (FIFO)");
    // A policy, a waivers file, a baseline and an export, each named.
    let cases: [&[&str]; 4] = [
        &["-p", "pipe.yaml"],
        &["--waivers", "pipe.yaml"],
        &["--baseline", "pipe.yaml"],
        &["--config", "pipe.yaml"],
    ];
    for flags in cases {
        let args = [&CHECK_BASE[..], flags].concat();
        assert_not_a_file(&run(dir.path(), &args), "pipe.yaml", "a named pipe (FIFO)");
    }
    let csv = run(dir.path(), &["import", "csv", "pipe.yaml"]);
    assert_not_a_file(&csv, "pipe.yaml", "a named pipe (FIFO)");
}

#[test]
fn files_found_by_name_are_refused_when_they_are_pipes() {
    // ./waivers.yaml and ./vrisk.yaml are read when present: a pipe there is an error, not
    // skipped and not waited on.
    for name in ["waivers.yaml", "vrisk.yaml"] {
        let dir = base_dir();
        mkfifo(&dir.path().join(name));
        assert_not_a_file(&run(dir.path(), &CHECK_BASE), name, "a named pipe (FIFO)");
    }
}

#[test]
fn a_device_and_a_socket_are_refused_before_they_are_read() {
    let dir = base_dir();
    let zero = run(dir.path(), &["validate", "/dev/zero"]);
    assert_not_a_file(&zero, "/dev/zero", "a character device");
    std::fs::create_dir(dir.path().join("reg")).expect("mkdir");
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("reg/sock.yaml"))
        .expect("bind a socket");
    let found = run(dir.path(), &["validate", "reg", "registry.yaml"]);
    assert_not_a_file(&found, "reg/sock.yaml", "a socket");
    // In vrisk.yaml, the problem is located where the path is written.
    write(
        dir.path(),
        "vrisk.yaml",
        "registry: [/dev/zero]\npolicies: [policies]\n",
    );
    let config = run(dir.path(), &["check"]);
    assert_not_a_file(&config, "/dev/zero", "a character device");
    assert!(
        config.stderr.contains("vrisk.yaml:1:12]"),
        "{}",
        config.stderr
    );
}

#[test]
fn dash_reads_a_registry_from_standard_input() {
    let dir = base_dir();
    let yaml = std::fs::read_to_string(dir.path().join("registry.yaml")).expect("read");
    let valid = run_with_stdin(dir.path(), &["validate", "-"], &yaml);
    assert_eq!(valid.code, 0, "{}", valid.stderr);
    assert!(
        valid
            .stdout
            .starts_with("registry valid: 1 file, 4 organisations"),
        "{}",
        valid.stdout
    );
    // JSON by its first character, whatever the name.
    let json = r#"  {"organisations": [{"id": "acme", "name": "Acme", "kind": "company"}]}"#;
    let valid = run_with_stdin(dir.path(), &["validate", "-"], json);
    assert_eq!(valid.code, 0, "{}", valid.stderr);
    // A check with the registry from standard input.
    let args = [
        "check",
        "-r",
        "-",
        "-p",
        "policies",
        "--as-of",
        support::BASE_AS_OF,
    ];
    let check = run_with_stdin(dir.path(), &args, &yaml);
    assert_eq!(check.code, 1, "{}", check.stderr);
    // Diagnostics name it `<stdin>`.
    let bad = run_with_stdin(
        dir.path(),
        &["validate", "-"],
        "organisations:\n  - {id: [}\n",
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("[<stdin>:2:"), "{}", bad.stderr);
}

#[test]
fn standard_input_is_read_once_and_within_the_size_limit() {
    let dir = base_dir();
    let twice = run_with_stdin(
        dir.path(),
        &["check", "-r", "-", "-p", "-"],
        "organisations: []\n",
    );
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    assert!(
        twice.stderr.contains("input::stdin-twice"),
        "{}",
        twice.stderr
    );
    let big = "# padding\n".repeat(1000);
    let over = run_with_stdin(
        dir.path(),
        &["validate", "-", "--max-file-bytes", "100"],
        &big,
    );
    assert_eq!(over.code, 2, "{}", over.stderr);
    assert!(over.stderr.contains("limits::file-size"), "{}", over.stderr);
    assert!(
        over.stderr.contains("<stdin> is over 100 bytes"),
        "{}",
        over.stderr
    );
}

#[test]
fn dash_reads_a_csv_export_from_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = "customer,vendor,status\nacme,beta,active\n";
    let run = run_with_stdin(dir.path(), &["import", "csv", "-"], csv);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("vendor: beta"), "{}", run.stdout);
    assert!(
        run.stdout.contains("<stdin>"),
        "the header names the input: {}",
        run.stdout
    );
    let bad = run_with_stdin(
        dir.path(),
        &["import", "csv", "-"],
        "customer,vendor\nacme\n",
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("<stdin>"), "{}", bad.stderr);
}

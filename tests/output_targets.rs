//! Where reports go, and that writing them cannot be abused: a named pipe, a character device and
//! a symbolic link are written through, never replaced; a run writes all its reports or none;
//! no output replaces an input; a failed write to standard output exits 2; `-` is standard
//! output; the same report asked for twice is written once; report paths in vrisk.yaml are
//! relative to it; `vrisk init` and `vrisk new` leave nothing half-made.
//!
//! Every case that could hang on a named pipe if vrisk regressed runs through
//! `support::finish`, which kills the run after a generous limit.

#![cfg(unix)]

mod support;

use std::fs::File;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;

use support::{
    CHECK_BASE, HANG, Run, base_dir, check_base, finish, mkfifo, mknod, spawn_in, vrisk_in, write,
};

/// [`CHECK_BASE`] with `extra` flags, started with stdin closed and stdout piped.
fn spawn_check(dir: &Path, extra: &[&str]) -> std::process::Child {
    let args = [&CHECK_BASE[..], extra].concat();
    spawn_in(dir, &args, Stdio::null(), Stdio::piped())
}

/// Reads the named pipe at `path` to its end on another thread; the text arrives on the
/// channel once a writer has opened, written and closed it.
fn read_pipe(path: &Path) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let _ = sender.send(text);
    });
    receiver
}

fn is_fifo(path: &Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_fifo())
}

fn is_char_device(path: &Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_char_device())
}

/// The names in `dir`, sorted, without the corpus base's own files.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "registry.yaml" && n != "policies")
        .collect();
    names.sort();
    names
}

fn json_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not one JSON document ({e}): {text}"))
}

#[test]
fn a_named_pipe_target_is_written_through_and_stays_a_pipe() {
    let dir = base_dir();
    let pipe = dir.path().join("report.pipe");
    mkfifo(&pipe);
    let received = read_pipe(&pipe);
    let run =
        finish(spawn_check(dir.path(), &["--format", "json=report.pipe"])).expect("vrisk ended");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = received
        .recv_timeout(HANG)
        .expect("the report came through the pipe");
    assert_eq!(json_of(&text)["summary"]["fail"], 1);
    assert!(is_fifo(&pipe), "the named pipe was replaced");
}

#[test]
fn a_character_device_target_is_written_to_never_replaced() {
    let dir = base_dir();
    let null = dir.path().join("null");
    if !mknod(&null, 1, 3) {
        return;
    }
    let run = check_base(dir.path(), &["--format", "json=null"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(is_char_device(&null), "the device was replaced by a file");
    assert_eq!(names(dir.path()), ["null"], "no temporary file is left");
}

#[test]
fn a_full_device_is_an_error_after_the_evaluation_and_no_file_is_written() {
    let dir = base_dir();
    let full = dir.path().join("full");
    if !mknod(&full, 1, 7) {
        return;
    }
    let run = check_base(
        dir.path(),
        &["--format", "sarif=report.sarif", "--format", "json=full"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("output::write"), "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "the evaluation ran, but no file was written, and what was sent to full is incomplete"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("nothing was evaluated"),
        "{}",
        run.stderr
    );
    assert!(is_char_device(&full));
    assert_eq!(
        names(dir.path()),
        ["full"],
        "report.sarif must not be written"
    );
}

/// The JSON report is written into its temporary file while it is made (it can be gigabytes);
/// when a later output fails, that file is removed like any other and the old report stays.
#[test]
fn a_json_report_written_as_it_is_made_is_undone_when_another_output_fails() {
    let dir = base_dir();
    let full = dir.path().join("full");
    if !mknod(&full, 1, 7) {
        return;
    }
    std::fs::write(dir.path().join("report.json"), "old report\n").expect("write");
    let run = check_base(
        dir.path(),
        &["--format", "json=report.json", "--format", "sarif=full"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the evaluation ran, but no file was written, and what was sent to full is incomplete"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.json")).expect("read"),
        "old report\n"
    );
    assert_eq!(
        names(dir.path()),
        ["full", "report.json"],
        "no temporary file is left"
    );
}

#[test]
fn a_symbolic_link_to_a_report_is_followed_and_stays_a_link() {
    let dir = base_dir();
    std::fs::create_dir(dir.path().join("reports")).expect("mkdir");
    write(dir.path(), "reports/latest.json", "an older report");
    std::os::unix::fs::symlink("reports/latest.json", dir.path().join("link.json"))
        .expect("symlink");
    let run = check_base(dir.path(), &["--format", "json=link.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let link = dir.path().join("link.json");
    assert!(
        link.symlink_metadata().expect("link").is_symlink(),
        "the link was replaced"
    );
    assert_eq!(
        std::fs::read_link(&link).expect("read link"),
        Path::new("reports/latest.json")
    );
    let text = std::fs::read_to_string(dir.path().join("reports/latest.json")).expect("read");
    assert_eq!(json_of(&text)["summary"]["fail"], 1);
    assert_eq!(names(&dir.path().join("reports")), ["latest.json"]);
}

#[test]
fn a_link_to_nothing_is_refused() {
    let dir = base_dir();
    std::os::unix::fs::symlink("gone/report.json", dir.path().join("link.json")).expect("link");
    let run = check_base(dir.path(), &["--format", "json=link.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("output::dangling-link"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("gone").exists());
}

#[test]
fn a_target_that_cannot_be_written_stops_the_run_before_anything_is_written() {
    let dir = base_dir();
    let summary = dir.path().join("summary.md");
    let run = Run::from(
        assert_cmd::cargo::cargo_bin_cmd!("vrisk")
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(CHECK_BASE)
            .args(["--format", "json=ok.json", "--format", "human"])
            .args([
                "--format",
                "github",
                "--format",
                "sarif=missing-dir/x.sarif",
            ])
            .output()
            .expect("run vrisk"),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("missing-dir/x.sarif"), "{}", run.stderr);
    // Checked before the evaluation: so it says.
    assert!(
        run.stderr
            .contains("error: 1 error found; nothing was evaluated"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "no report and no annotation on stdout");
    assert!(!summary.exists(), "no job summary");
    assert_eq!(
        names(dir.path()),
        Vec::<String>::new(),
        "ok.json must not be written"
    );
}

#[test]
fn a_named_pipe_gets_nothing_when_another_target_fails() {
    let dir = base_dir();
    let pipe = dir.path().join("report.pipe");
    mkfifo(&pipe);
    // No reader: a run that opened the pipe to write would wait for one for ever.
    let run = finish(spawn_check(
        dir.path(),
        &[
            "--format",
            "json=report.pipe",
            "--format",
            "sarif=missing-dir/x.sarif",
        ],
    ))
    .expect("vrisk ended without opening the pipe");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(is_fifo(&pipe), "the named pipe was replaced");
}

#[test]
fn an_output_never_replaces_an_input() {
    let dir = base_dir();
    write(dir.path(), "waivers.yaml", "waivers: []\n");
    write(
        dir.path(),
        "vrisk.yaml",
        "registry: [registry.yaml]\npolicies: [policies]\n",
    );
    let baseline = check_base(dir.path(), &["--format", "json=baseline.json"]);
    assert_eq!(baseline.code, 1, "{}", baseline.stderr);
    std::fs::hard_link(
        dir.path().join("registry.yaml"),
        dir.path().join("hard.json"),
    )
    .expect("hard link");
    std::os::unix::fs::symlink("policies/rival-stake.yaml", dir.path().join("soft.json"))
        .expect("symlink");
    let inputs: Vec<(&str, Vec<&str>)> = vec![
        ("registry.yaml", vec![]),
        ("./registry.yaml", vec![]),
        ("policies/rival-stake.yaml", vec![]),
        ("waivers.yaml", vec![]),
        ("vrisk.yaml", vec!["--config", "vrisk.yaml"]),
        ("baseline.json", vec!["--baseline", "baseline.json"]),
        ("hard.json", vec![]),
        ("soft.json", vec![]),
    ];
    for (target, extra) in inputs {
        let before = std::fs::read(dir.path().join(target)).expect("read input");
        let format = format!("json={target}");
        let run = check_base(dir.path(), &[&extra[..], &["--format", &format]].concat());
        assert_eq!(run.code, 2, "{target}: {}", run.stderr);
        assert!(
            run.stderr.contains("output::overwrites-input"),
            "{target}: {}",
            run.stderr
        );
        let after = std::fs::read(dir.path().join(target)).expect("read input");
        assert_eq!(before, after, "{target} was changed");
    }
}

#[test]
fn an_import_never_replaces_its_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = "customer,vendor,status\nacme,beta,active\n";
    write(dir.path(), "vendors.csv", csv);
    let run = vrisk_in(
        dir.path(),
        &["import", "csv", "vendors.csv", "-o", "vendors.csv"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("output::overwrites-input"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let after = std::fs::read_to_string(dir.path().join("vendors.csv")).expect("read");
    assert_eq!(after, csv);
    // Nor the file standard input was read from.
    let stdin = File::open(dir.path().join("vendors.csv")).expect("open");
    let run = finish(spawn_in(
        dir.path(),
        &["import", "csv", "-", "-o", "vendors.csv"],
        Stdio::from(stdin),
        Stdio::piped(),
    ))
    .expect("vrisk ended");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("<stdin>, an input"), "{}", run.stderr);
    let after = std::fs::read_to_string(dir.path().join("vendors.csv")).expect("read");
    assert_eq!(after, csv);
}

/// Runs `args` in `dir` with standard output on a full device (the machine's /dev/full, which
/// only fails writes and is never replaced: vrisk does not rename over its standard output).
fn with_stdout_full(dir: &Path, args: &[&str]) -> Run {
    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full");
    finish(spawn_in(dir, args, Stdio::null(), Stdio::from(full))).expect("vrisk ended")
}

#[test]
fn a_failed_write_to_standard_output_exits_2() {
    let dir = base_dir();
    let run = with_stdout_full(
        dir.path(),
        &[&CHECK_BASE[..], &["--format", "json"]].concat(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("output::stdout"), "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the evaluation ran, but"),
        "{}",
        run.stderr
    );
    // The file report that goes with it is not written either.
    let run = with_stdout_full(
        dir.path(),
        &[
            &CHECK_BASE[..],
            &["--format", "human", "--format", "json=r.json"],
        ]
        .concat(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(names(dir.path()), Vec::<String>::new());
    // Every command: a truncated output is never a success.
    for args in [
        &["schema", "registry"][..],
        &["validate", "registry.yaml"],
        &["graph", "rival", "-r", "registry.yaml"],
    ] {
        let run = with_stdout_full(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("cannot write to standard output"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn dash_is_standard_output() {
    let dir = base_dir();
    let run = check_base(dir.path(), &["--format", "json=-"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(json_of(&run.stdout)["summary"]["fail"], 1);
    assert_eq!(names(dir.path()), Vec::<String>::new(), "no file named `-`");
    write(
        dir.path(),
        "vendors.csv",
        "customer,vendor,status\nacme,beta,active\n",
    );
    let run = vrisk_in(
        dir.path(),
        &["import", "csv", "vendors.csv", "--output", "-"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("vendor: beta"), "{}", run.stdout);
    assert_eq!(names(dir.path()), ["vendors.csv"]);
}

#[test]
fn the_same_report_asked_for_twice_is_written_once() {
    let dir = base_dir();
    let pipe = dir.path().join("report.pipe");
    mkfifo(&pipe);
    let received = read_pipe(&pipe);
    let twice = [
        "--format",
        "json=report.pipe",
        "--format",
        "json=./report.pipe",
    ];
    let run = finish(spawn_check(dir.path(), &twice)).expect("vrisk ended");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = received
        .recv_timeout(HANG)
        .expect("the report came through the pipe");
    assert_eq!(json_of(&text)["summary"]["fail"], 1, "one report, not two");
    // On standard output too.
    let run = check_base(dir.path(), &["--format", "json", "--format", "json=-"]);
    assert_eq!(json_of(&run.stdout)["summary"]["fail"], 1);
    // Two formats for one file are a clash, found before the evaluation.
    let run = check_base(
        dir.path(),
        &["--format", "json=r.out", "--format", "sarif=r.out"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("output::same-target"), "{}", run.stderr);
    assert!(
        run.stderr.contains("nothing was evaluated"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("r.out").exists());
}

#[test]
fn report_paths_in_vrisk_yaml_are_relative_to_it() {
    let dir = base_dir();
    write(
        dir.path(),
        "project/vrisk.yaml",
        "registry: [../registry.yaml]\npolicies: [../policies]\nformats: [json=reports/vrisk.json]\n",
    );
    std::fs::create_dir(dir.path().join("project/reports")).expect("mkdir");
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "--as-of",
            support::BASE_AS_OF,
            "--config",
            "project/vrisk.yaml",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("project/reports/vrisk.json"))
        .expect("the report beside vrisk.yaml");
    assert_eq!(json_of(&text)["summary"]["fail"], 1);
}

#[test]
fn init_writes_all_its_files_or_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `.github` is a file: the workflow cannot be written, so nothing is.
    write(dir.path(), ".github", "not a directory");
    let run = vrisk_in(dir.path(), &["init"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(!run.stderr.contains("evaluated"), "{}", run.stderr);
    assert_eq!(names(dir.path()), [".github"], "no vrisk.yaml, no .vrisk/");
    std::fs::remove_file(dir.path().join(".github")).expect("rm");
    let run = vrisk_in(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        names(dir.path()),
        [
            ".github",
            ".vrisk",
            "registry",
            "vrisk.yaml",
            "waivers.yaml"
        ]
    );
    assert!(dir.path().join(".github/workflows/vrisk.yml").is_file());
}

#[test]
fn new_policy_writes_its_files_and_schemas_or_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `.vrisk` is a file: the schemas cannot be written, so neither is the policy.
    write(dir.path(), ".vrisk", "not a directory");
    let run = vrisk_in(dir.path(), &["new", "policy", "my-rule"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("output::write"), "{}", run.stderr);
    assert_eq!(names(dir.path()), [".vrisk"], "no policies/ left behind");
}

#[test]
fn a_link_to_this_process_s_standard_output_is_standard_output() {
    // What /dev/stdout is, made in a temporary directory: the test never aims at the machine's.
    let dir = base_dir();
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path().join("out")).expect("symlink");
    std::os::unix::fs::symlink("/proc/self/fd/2", dir.path().join("err")).expect("symlink");
    let run = check_base(
        dir.path(),
        &["--format", "json=out", "--format", "sarif=err"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(json_of(&run.stdout)["summary"]["fail"], 1);
    assert!(
        run.stderr.contains("\"$schema\""),
        "the SARIF report on stderr: {}",
        run.stderr
    );
    for link in ["out", "err"] {
        let meta = dir.path().join(link).symlink_metadata().expect("link");
        assert!(meta.is_symlink(), "{link} was replaced");
    }
}

#[test]
fn the_job_summary_is_appended_to_what_earlier_steps_wrote() {
    let dir = base_dir();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# earlier step\n").expect("write");
    let run = Run::from(
        assert_cmd::cargo::cargo_bin_cmd!("vrisk")
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(CHECK_BASE)
            .args(["--format", "github"])
            .output()
            .expect("run vrisk"),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("::error "), "{}", run.stdout);
    let text = std::fs::read_to_string(&summary).expect("read");
    assert!(text.starts_with("# earlier step\n"), "{text}");
    assert!(text.len() > "# earlier step\n".len(), "{text}");
    assert!(
        text.ends_with('\n'),
        "a later step starts on a line of its own"
    );
    // An input is no job summary either.
    let run = Run::from(
        assert_cmd::cargo::cargo_bin_cmd!("vrisk")
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("GITHUB_STEP_SUMMARY", dir.path().join("registry.yaml"))
            .args(CHECK_BASE)
            .args(["--format", "github"])
            .output()
            .expect("run vrisk"),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("output::step-summary"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_socket_target_is_refused() {
    let dir = base_dir();
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("report.sock"))
        .expect("bind a socket");
    let run = check_base(dir.path(), &["--format", "json=report.sock"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("output::special-file"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("report.sock is a socket"),
        "{}",
        run.stderr
    );
    let meta = dir
        .path()
        .join("report.sock")
        .symlink_metadata()
        .expect("socket");
    assert!(meta.file_type().is_socket(), "the socket was replaced");
}

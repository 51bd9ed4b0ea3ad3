//! `vrisk test` reads only inside the project: a test file cannot make vrisk print
//! `/etc/passwd`, `/proc/self/environ` or any file outside the project root (the directory of
//! vrisk.yaml, else of `.git`, else the current directory) into a CI log, whether by an
//! absolute path, by climbing out with `..`, or through a symbolic link; and a file inside the
//! project that is not YAML is shown as a short snippet, never whole.

#![cfg(unix)]

mod support;

use std::path::Path;

use support::{Run, tree, vrisk_in, write};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn shipped(path: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join(path)).expect("shipped file")
}

/// A project with the shipped stale-review policy and the seeded registry, whose test file has
/// one case reading `registry_files: [FILES]` (written as given).
fn project(files: &str) -> tempfile::TempDir {
    let test = format!(
        "cases:\n  - name: reads its registry\n    org: alphabet\n    as_of: 2025-06-20\n    \
         registry_files: [{files}]\n    expect:\n      scale-ai: pass\n"
    );
    let dir = tree(&[
        (
            "policies/stale-review.yaml",
            shipped("policies/stale-review.yaml"),
        ),
        ("policies/stale-review.test.yaml", test),
    ]);
    for name in [
        "organisations",
        "ownership",
        "competitors",
        "vendors",
        "sources",
        "people",
    ] {
        let file = format!("registry/{name}.yaml");
        write(dir.path(), &file, &shipped(&file));
    }
    dir
}

/// `text` with its line breaks and indentation (help lines are wrapped) as single spaces.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `run` refused a path at line 5 of the test file and printed nothing of what the
/// path leads to.
fn assert_refused(run: &Run, column: usize, why: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("test::outside-project"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(why), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("[policies/stale-review.test.yaml:5:{column}]")),
        "{}",
        run.stderr
    );
    for leaked in ["root:x:0:0", "PATH=", "the key"] {
        assert!(
            !run.stderr.contains(leaked),
            "{leaked} leaked: {}",
            run.stderr
        );
        assert!(
            !run.stdout.contains(leaked),
            "{leaked} leaked: {}",
            run.stdout
        );
    }
}

#[test]
fn the_shipped_layout_reads_inside_the_project() {
    let dir = project("../registry");
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn absolute_paths_are_refused_at_their_position() {
    for path in ["/etc/passwd", "/proc/self/environ"] {
        let dir = project(path);
        let run = vrisk_in(dir.path(), &["test", "policies"]);
        assert_refused(&run, 22, "is an absolute path");
    }
}

#[test]
fn climbing_out_of_the_project_is_refused() {
    let dir = project("../../../../../../etc/passwd");
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_refused(&run, 22, "climbs out of the project");
    // Out and back in again is no way round it: the project is left on the way.
    let name = dir
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name");
    let dir = project(&format!("../../{name}/registry"));
    let run = vrisk_in(&dir.path().join("policies"), &["test", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("test::outside-project"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_symbolic_link_out_of_the_project_is_refused() {
    let outside = tree(&[("secret.yaml", "secret: the key\n")]);
    let secret = outside.path().join("secret.yaml");
    // A link named in the test file.
    let dir = project("../linked.yaml");
    std::os::unix::fs::symlink(&secret, dir.path().join("linked.yaml")).expect("symlink");
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_refused(&run, 22, "leads to");
    // A link inside a directory the test file names.
    let dir = project("../registry");
    std::os::unix::fs::symlink(&secret, dir.path().join("registry/zz.yaml")).expect("symlink");
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_refused(&run, 22, "registry/zz.yaml is outside the project");
}

#[test]
fn the_policy_and_the_test_files_stay_inside_the_project_too() {
    let outside = tree(&[("secret.yaml", "secret: the key\n")]);
    let secret = outside.path().join("secret.yaml");
    // `policy:` written in the test file.
    let dir = project("../registry");
    let test = dir.path().join("policies/stale-review.test.yaml");
    let text = std::fs::read_to_string(&test).expect("read");
    std::fs::write(&test, format!("policy: {}\n{text}", secret.display())).expect("write");
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is an absolute path"), "{}", run.stderr);
    assert!(
        run.stderr.contains("stale-review.test.yaml:1:9]"),
        "{}",
        run.stderr
    );
    // The policy beside a test file, and a test file found in a directory, as links out.
    let dir = project("../registry");
    std::fs::remove_file(dir.path().join("policies/stale-review.yaml")).expect("rm");
    std::os::unix::fs::symlink(&secret, dir.path().join("policies/stale-review.yaml"))
        .expect("symlink");
    std::os::unix::fs::symlink(&secret, dir.path().join("policies/other.test.yaml"))
        .expect("symlink");
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for path in ["policies/stale-review.yaml", "policies/other.test.yaml"] {
        assert!(
            run.stderr
                .contains(&format!("{path} is outside the project")),
            "{path}: {}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("the key"), "{}", run.stderr);
}

#[test]
fn the_project_root_is_the_git_repository_or_the_current_directory() {
    // From inside `policies/`, `../registry` climbs out of the current directory...
    let dir = project("../registry");
    let run = vrisk_in(&dir.path().join("policies"), &["test", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        flat(&run.stderr).contains("(the current directory)"),
        "{}",
        run.stderr
    );
    // ...but not out of the git repository that holds it.
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    let run = vrisk_in(&dir.path().join("policies"), &["test", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // vrisk.yaml, where there is one, says where the project is.
    write(dir.path(), "policies/vrisk.yaml", "policies: [.]\n");
    let run = vrisk_in(&dir.path().join("policies"), &["test"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        flat(&run.stderr).contains("(the directory of vrisk.yaml)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_yaml_is_shown_as_a_snippet_not_whole() {
    let dir = project("../notes.txt");
    let notes: String = (1..=40).map(|i| format!("note line {i}\n")).collect();
    write(dir.path(), "notes.txt", &notes);
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("registry::schema"), "{}", run.stderr);
    assert!(run.stderr.contains("[notes.txt:1:1]"), "{}", run.stderr);
    assert!(!run.stderr.contains("note line 3"), "{}", run.stderr);
    assert!(!run.stderr.contains("note line 40"), "{}", run.stderr);
}

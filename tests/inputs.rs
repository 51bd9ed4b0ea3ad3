//! Where a run's registry and policies come from, as a user sees it: the built-in example only
//! when the directory has nothing of the user's (said on stderr, refused in CI without
//! `--example`), the built-in policy set for a registry without policies (said once), the set
//! `builtin` combined with local policies (an override said once, unused shipped policies named
//! once), `vrisk policies list` and `vrisk policies export`.
//!
//! Every run sets `CI` explicitly: the rule differs in CI, and CI machines set `CI=true`.

mod support;

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use support::{Run, copy_base, tree, write};

/// Runs vrisk in `dir`, in CI (`CI=true`) or not (`CI` unset).
fn vrisk(dir: &Path, ci: bool, args: &[&str]) -> Run {
    let mut command = cargo_bin_cmd!("vrisk");
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    if ci {
        command.env("CI", "true");
    } else {
        command.env_remove("CI");
    }
    Run::from(command.args(args).output().expect("run vrisk"))
}

fn notes(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("note: "))
        .collect()
}

const EXAMPLE_NOTE: &str = "note: no registry, policies or vrisk.yaml here: reading the built-in \
    example registry (the Scale AI case) with the built-in policies, not your vendors. Start your \
    own with `vrisk init --org ID --name NAME`; pass --example to say the example is meant";

#[test]
fn an_empty_directory_checks_the_example_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(
        dir.path(),
        false,
        &["check", "--as-of", "2025-06-20", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(notes(&run), [EXAMPLE_NOTE]);
    assert_eq!(run.json()["org"], "alphabet");
}

#[test]
fn in_ci_the_example_is_an_error_unless_asked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), true, &["check", "--as-of", "2025-06-20"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("input::no-inputs"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no registry, policies or vrisk.yaml here, and this is a CI run"),
        "{}",
        run.stderr
    );
    for value in ["1", "yes", "True"] {
        let mut command = cargo_bin_cmd!("vrisk");
        let output = command
            .current_dir(dir.path())
            .env("CI", value)
            .args(["check", "--as-of", "2025-06-20"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "CI={value}");
    }
    for value in ["false", "0", ""] {
        let output = cargo_bin_cmd!("vrisk")
            .current_dir(dir.path())
            .env("CI", value)
            .args(["check", "--as-of", "2025-06-20", "--format", "json"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "CI={value:?}");
    }
    let run = vrisk(
        dir.path(),
        true,
        &[
            "check",
            "--example",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        notes(&run),
        [
            "note: --example: reading vrisk's built-in example registry (the Scale AI case) with \
          the built-in policies"
        ]
    );
    let found = run.json()["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["policy"] == "competitor-ownership" && f["vendor"] == "scale-ai")
        .count();
    assert_eq!(found, 1);
}

/// Every command that reads a registry follows the same rule, not only `check`.
#[test]
fn every_command_that_reads_a_registry_refuses_the_example_in_ci() {
    let dir = tempfile::tempdir().expect("temp dir");
    let commands: [&[&str]; 4] = [
        &["validate"],
        &["explain", "competitor-ownership", "scale-ai"],
        &["ownership", "scale-ai"],
        &["graph", "scale-ai"],
    ];
    for args in commands {
        let refused = vrisk(dir.path(), true, args);
        assert_eq!(refused.code, 2, "{args:?}: {}", refused.stderr);
        assert!(refused.stderr.contains("input::no-inputs"), "{args:?}");
        let asked = vrisk(dir.path(), true, &[args, &["--example"]].concat());
        assert_eq!(asked.code, 0, "{args:?} --example: {}", asked.stderr);
        assert!(
            asked
                .stderr
                .contains("note: --example: reading vrisk's built-in example"),
            "{args:?}: {}",
            asked.stderr
        );
    }
}

#[test]
fn policies_without_a_registry_are_an_error_not_the_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    std::fs::remove_file(dir.path().join("registry.yaml")).expect("rm");
    for args in [
        &["check"][..],
        &["ownership", "scale-ai"],
        &["explain", "x", "y"],
    ] {
        let run = vrisk(dir.path(), false, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "no registry to check: no --registry, no `registry` in vrisk.yaml and no ./registry"
            ),
            "{args:?}: {}",
            run.stderr
        );
        assert!(notes(&run).is_empty(), "{args:?}");
    }
    // A vrisk.yaml of the user's own, naming no registry, is not a reason for the example either.
    let dir = tree(&[("vrisk.yaml", "fail_on: high\n")]);
    let run = vrisk(dir.path(), false, &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("input::no-registry"), "{}", run.stderr);
    assert!(run.stderr.contains("vrisk.yaml:1:1"), "{}", run.stderr);
}

#[test]
fn an_empty_registry_list_or_directory_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    write(
        dir.path(),
        "vrisk.yaml",
        "registry: []\npolicies: [policies]\n",
    );
    let run = vrisk(dir.path(), false, &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`registry` in vrisk.yaml is an empty list: there would be nothing to read"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("vrisk.yaml:1:11"), "{}", run.stderr);
    write(
        dir.path(),
        "vrisk.yaml",
        "registry: [registry.yaml]\npolicies: []\n",
    );
    for args in [&["check"][..], &["policies", "list"]] {
        let run = vrisk(dir.path(), false, args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr
                .contains("`policies` in vrisk.yaml is an empty list"),
            "{args:?}: {}",
            run.stderr
        );
    }
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    write(dir.path(), "vrisk.yaml", "registry: [empty]\n");
    let run = vrisk(dir.path(), false, &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("holds no registry file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_registry_without_policies_is_checked_with_the_builtin_set_said_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    std::fs::remove_dir_all(dir.path().join("policies")).expect("rm");
    let run = vrisk(
        dir.path(),
        false,
        &[
            "check",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        notes(&run),
        [
            "note: no policies given: checking with the built-in set `builtin` (`vrisk policies \
          list` shows them; `vrisk policies export DIR` writes them to edit)"
        ]
    );
    let report = run.json();
    let policies: Vec<&str> = report["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(policies.len(), 7, "{policies:?}");
    assert!(policies.contains(&"competitor-ownership"));
}

#[test]
fn builtin_and_local_policies_combine_and_an_override_is_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    // A local version of a shipped policy: the same id, a stricter limit.
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/stale-review.yaml"),
    )
    .expect("read");
    write(
        dir.path(),
        "policies/stale-review.yaml",
        &shipped.replace("default: 365d", "default: 30d"),
    );
    let json = |run: &Run| {
        run.json()["policies"]
            .as_array()
            .expect("policies")
            .iter()
            .map(|p| p["id"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let flags = vrisk(
        dir.path(),
        false,
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "builtin",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        notes(&flags),
        ["note: policies/stale-review.yaml overrides the built-in policy `stale-review`"]
    );
    let ids = json(&flags);
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert!(ids.contains(&"rival-stake".to_string()));
    // The same in vrisk.yaml.
    write(
        dir.path(),
        "vrisk.yaml",
        "registry: [registry.yaml]\npolicies: [builtin, policies]\n",
    );
    let config = vrisk(
        dir.path(),
        false,
        &["check", "--as-of", "2025-06-20", "--format", "json"],
    );
    assert_eq!(notes(&config), notes(&flags));
    assert_eq!(json(&config), ids);
    // The overriding file is the one in use.
    let listed = vrisk(dir.path(), false, &["policies", "list"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.starts_with("stale-review ") && l.contains("  policies/stale-review.yaml  ")),
        "{}",
        listed.stdout
    );
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.starts_with("competitor-ownership ") && l.contains("  builtin  ")),
        "{}",
        listed.stdout
    );
}

#[test]
fn local_policies_alone_name_the_shipped_ones_not_in_use_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    let run = vrisk(
        dir.path(),
        false,
        &["check", "-r", "registry.yaml", "--as-of", "2025-06-20"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        notes(&run),
        [
            "note: built-in policies not in use: competitor-control, competitor-ownership, \
          customer-concentration, expired-attestation, leadership-to-competitor, \
          sensitive-data-competitor-stake, stale-review (add `builtin` to --policies or to \
          `policies` in vrisk.yaml to check them too)"
        ]
    );
}

#[test]
fn policies_list_shows_id_severity_source_and_title() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), false, &["policies", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "id                               severity  source   title"
    );
    assert_eq!(
        lines[2],
        "competitor-ownership             critical  builtin  No data vendor in which a major \
         competitor holds 20% or more"
    );
    assert_eq!(lines.len(), 8);
    let json = vrisk(dir.path(), false, &["policies", "list", "--format", "json"]);
    let items = json.json();
    assert_eq!(items[6]["id"], "stale-review");
    assert_eq!(items[6]["severity"], "low");
    assert_eq!(items[6]["source"], "builtin");
    assert_eq!(
        items[6]["title"],
        "Every active vendor was reviewed in the last year"
    );
}

#[test]
fn policies_export_writes_the_set_with_tests_that_pass_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), false, &["policies", "export", "rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
    let test = written("rules/competitor-ownership.test.yaml");
    assert!(
        test.starts_with("# yaml-language-server: $schema=../.vrisk/test.schema.json\n"),
        "{test}"
    );
    // The exported tests run on the registry built into vrisk, not on a `../registry` that in
    // a user's repository is their own data.
    assert!(test.contains("registry: builtin"));
    assert!(!test.contains("../registry"));
    assert!(
        written("rules/stale-review.yaml")
            .starts_with("# yaml-language-server: $schema=../.vrisk/policy.schema.json\n")
    );
    assert!(dir.path().join(".vrisk/policy.schema.json").is_file());
    assert!(dir.path().join(".vrisk/test.schema.json").is_file());
    let tested = vrisk(dir.path(), false, &["test", "rules"]);
    assert_eq!(tested.code, 0, "{}", tested.stdout);
    assert!(
        tested
            .stdout
            .contains("test result: ok. 56 passed, 0 failed; 7 policies"),
        "{}",
        tested.stdout
    );
    // A second export, into a directory where one of the files was edited, writes nothing.
    let other = tempfile::tempdir().expect("temp dir");
    write(other.path(), "rules/stale-review.yaml", "edited\n");
    let refused = vrisk(other.path(), false, &["policies", "export", "rules"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("rules/stale-review.yaml already exists"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("nothing was written"));
    let left: Vec<_> = std::fs::read_dir(other.path().join("rules"))
        .expect("read")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1);
    assert!(!other.path().join(".vrisk").exists());
    assert_eq!(
        std::fs::read_to_string(other.path().join("rules/stale-review.yaml")).expect("read"),
        "edited\n"
    );
}

/// `vrisk validate` checks policies alone, without a registry and without the example: from
/// `--policies DIR` or from ./policies, in CI as anywhere; a bad policy is located.
#[test]
fn validate_checks_policies_without_a_registry() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_base(dir.path());
    std::fs::remove_file(dir.path().join("registry.yaml")).expect("rm");
    for args in [&["validate", "--policies", "policies"][..], &["validate"]] {
        let run = vrisk(dir.path(), true, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "policies valid: 1 policy\n", "{args:?}");
        assert!(!run.stderr.contains("example"), "{args:?}: {}", run.stderr);
    }
    write(
        dir.path(),
        "policies/broken.yaml",
        "id: broken\ntitle: Broken\n",
    );
    let run = vrisk(dir.path(), true, &["validate", "--policies", "policies"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("policies/broken.yaml:1:1"),
        "{}",
        run.stderr
    );
    // `check` still needs a registry: there is nothing to evaluate against.
    let run = vrisk(dir.path(), true, &["check", "--policies", "policies"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("input::no-registry"), "{}", run.stderr);
}

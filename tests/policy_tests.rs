//! `vrisk test` and `vrisk new policy` through the binary: the shipped policy tests pass, a
//! wrong expectation fails at its line and column, a malformed test file is invalid input, and
//! a new policy starts with passing tests.

mod support;

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use support::{Run, tree};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Runs vrisk in `dir` with a fixed terminal width, so that wrapped output is the same everywhere.
fn vrisk(dir: &Path, args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .expect("run vrisk");
    Run::from(output)
}

fn shipped(name: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join("policies").join(name)).expect("shipped policy")
}

const REGISTRY: &str = concat!(
    "    registry:\n",
    "      organisations:\n",
    "        - {id: acme, name: Acme, kind: company}\n",
    "        - {id: old, name: Old Ltd, kind: company}\n",
    "        - {id: fresh, name: Fresh Ltd, kind: company}\n",
    "      vendors:\n",
    "        - {customer: acme, vendor: old, status: active, last_review: 2023-01-10}\n",
    "        - {customer: acme, vendor: fresh, status: active, last_review: 2025-05-01}\n",
);

/// A test of the shipped stale-review policy with the given expectations for `old`.
fn stale_review_test(expect_old: &str) -> String {
    format!(
        "cases:\n  - name: reviews\n    org: acme\n    as_of: 2025-06-20\n{REGISTRY}    expect:\n      old: {expect_old}\n      fresh: pass\n"
    )
}

#[test]
fn shipped_policy_tests_pass() {
    let run = vrisk(Path::new(REPO), &["test", "policies"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let last = run.stdout.lines().last().unwrap_or("");
    assert_eq!(
        last,
        "test result: ok. 56 passed, 0 failed; 7 policies, 23 of 23 conditions covered"
    );
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
    // Every shipped policy has tests and full coverage.
    assert_eq!(
        run.stdout.matches("\npolicy ").count() + 1,
        7,
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("  coverage: ").count(),
        run.stdout.matches(" seen true and false\n").count()
    );
    assert!(!run.stdout.contains("not covered"), "{}", run.stdout);
}

#[test]
fn no_paths_means_the_policies_directory() {
    let run = vrisk(Path::new(REPO), &["test", "--filter", "Scale AI fails"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("  ok      Scale AI fails from xAI's point of view\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("4 passed, 0 failed; 1 policy, 0 of 6 conditions covered\n")
    );
}

#[test]
fn a_wrong_expectation_fails_with_expected_and_actual_at_its_position() {
    let dir = tree(&[
        ("p/stale-review.yaml", &shipped("stale-review.yaml")),
        ("p/stale-review.test.yaml", &stale_review_test("pass")),
    ]);
    let run = vrisk(dir.path(), &["test", "p"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("  FAILED  reviews\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "p/stale-review.test.yaml:14:12: old: outcome differs\n            expected: pass\n            actual:   fail\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("test result: FAILED. 0 passed, 1 failed")
    );
}

#[test]
fn rendered_failing_test() {
    let test = stale_review_test(
        "{outcome: fail, message: Old Ltd was last reviewed in 2023}\n      fresh: indeterminate",
    )
    .replace("      fresh: pass\n", "");
    let dir = tree(&[
        ("p/stale-review.yaml", &shipped("stale-review.yaml")),
        ("p/stale-review.test.yaml", &test),
    ]);
    let run = vrisk(dir.path(), &["test", "p/stale-review.yaml"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn coverage_names_the_conditions_no_case_decided_both_ways() {
    // Only active vendors: `status in [active, exiting]` is never false.
    let dir = tree(&[
        ("p/stale-review.yaml", &shipped("stale-review.yaml")),
        ("p/stale-review.test.yaml", &stale_review_test("fail")),
    ]);
    let run = vrisk(dir.path(), &["test", "p"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "  coverage: 1 of 2 conditions seen true and false; not covered:\n    \
             p/stale-review.yaml:16:3: relationship.status in [active, exiting]: never false\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_malformed_test_file_is_invalid_input_at_its_position() {
    let bad = stale_review_test("fial");
    let dir = tree(&[
        ("p/stale-review.yaml", &shipped("stale-review.yaml")),
        ("p/stale-review.test.yaml", &bad),
    ]);
    let run = vrisk(dir.path(), &["test", "p"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("test::schema"), "{}", run.stderr);
    assert!(
        run.stderr.contains("[p/stale-review.test.yaml:14:12]"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing runs: {}", run.stdout);
}

#[test]
fn invalid_cases_are_reported_in_the_test_file() {
    let test = stale_review_test("fail")
        .replace("org: acme", "org: acme\n    params: {max_agee: 2y}")
        .replace("      fresh: pass", "      frsh: pass");
    let dir = tree(&[
        ("p/stale-review.yaml", &shipped("stale-review.yaml")),
        ("p/stale-review.test.yaml", &test),
    ]);
    let run = vrisk(dir.path(), &["test", "p"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("test::unknown-param"), "{}", run.stderr);
    assert!(
        run.stderr.contains("[p/stale-review.test.yaml:4:14]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `max_age`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_test_file_without_its_policy_is_invalid() {
    let dir = tree(&[("p/gone.test.yaml", &stale_review_test("fail"))]);
    let run = vrisk(dir.path(), &["test", "p"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("test::no-policy"), "{}", run.stderr);
    assert!(
        run.stderr.contains("p/gone.yaml does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_policy_without_tests_is_named() {
    let dir = tree(&[
        ("p/stale-review.yaml", &shipped("stale-review.yaml")),
        ("p/stale-review.test.yaml", &stale_review_test("fail")),
        (
            "p/expired-attestation.yaml",
            &shipped("expired-attestation.yaml"),
        ),
    ]);
    let run = vrisk(dir.path(), &["test", "p"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("no tests: p/expired-attestation.yaml\n"),
        "{}",
        run.stdout
    );
    let run = vrisk(dir.path(), &["test", "p/expired-attestation.yaml"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("test::no-tests"), "{}", run.stderr);
}

#[test]
fn new_policy_starts_with_passing_tests_in_an_empty_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), &["new", "policy", "my-rule"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "created policies/my-rule.yaml\ncreated policies/my-rule.test.yaml\n\
         next: edit the policy and its tests, then run `vrisk test policies`\n"
    );
    let policy = std::fs::read_to_string(dir.path().join("policies/my-rule.yaml")).expect("read");
    assert!(policy.starts_with("# yaml-language-server: $schema=../.vrisk/policy.schema.json\n"));
    assert!(dir.path().join(".vrisk/policy.schema.json").is_file());
    assert!(policy.contains("\nid: my-rule\n"));
    let tests =
        std::fs::read_to_string(dir.path().join("policies/my-rule.test.yaml")).expect("read");
    assert!(tests.starts_with("# yaml-language-server: $schema=../.vrisk/test.schema.json\n"));
    assert!(dir.path().join(".vrisk/test.schema.json").is_file());

    let run = vrisk(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.ends_with(
            "test result: ok. 5 passed, 0 failed; 1 policy, 2 of 2 conditions covered\n"
        ),
        "{}",
        run.stdout
    );
    // With no PATHS, ./policies is tested.
    assert_eq!(vrisk(dir.path(), &["test"]).code, 0);
}

#[test]
fn new_policy_refuses_to_overwrite_and_checks_the_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        vrisk(dir.path(), &["new", "policy", "r", "--dir", "rules/x"]).code,
        0
    );
    let path = dir.path().join("rules/x/r.test.yaml");
    std::fs::write(&path, "mine").expect("write");
    std::fs::remove_file(dir.path().join("rules/x/r.yaml")).expect("remove");
    let run = vrisk(dir.path(), &["new", "policy", "r", "--dir", "rules/x"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("rules/x/r.test.yaml already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine");
    assert!(
        !dir.path().join("rules/x/r.yaml").exists(),
        "nothing written"
    );

    for bad in ["My-Rule", "-x", "a/b", "x.test", ""] {
        let run = vrisk(dir.path(), &["new", "policy", "--", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("new::invalid-id"),
            "{bad}: {}",
            run.stderr
        );
    }
    assert!(!dir.path().join("policies").exists());
}

/// Mutated test files never panic: each either runs or is reported as invalid input.
mod mutations {
    use proptest::prelude::*;
    use vrisk::input::limits::Limits;
    use vrisk::input::source::SourceMap;
    use vrisk::testing::root::ProjectRoot;
    use vrisk::testing::{discover, prepare, render, run};

    /// Tokens that break a test file in the ways people do: wrong kinds, bad dates, aliases
    /// that point nowhere, empty values.
    const TOKENS: [&str; 12] = [
        "",
        "x",
        "50",
        "50%",
        "[a]",
        "{}",
        "~",
        "2025-02-30",
        "*nowhere",
        "fial",
        ": :",
        "- -",
    ];

    fn mutate(text: &str, line: usize, token: usize, keep_key: bool) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if lines.is_empty() {
            return String::new();
        }
        let i = line % lines.len();
        let replacement = TOKENS[token % TOKENS.len()];
        lines[i] = match lines[i].split_once(": ") {
            Some((key, _)) if keep_key => format!("{key}: {replacement}"),
            _ => replacement.to_string(),
        };
        lines.join("\n")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn mutated_test_files_run_or_are_reported(
            line in 0usize..200,
            token in 0usize..12,
            keep_key in any::<bool>(),
        ) {
            let original = super::shipped("competitor-ownership.test.yaml");
            let dir = super::tree(&[
                ("p/competitor-ownership.yaml", &super::shipped("competitor-ownership.yaml")),
                ("p/competitor-ownership.test.yaml", &mutate(&original, line, token, keep_key)),
            ]);
            // `registry_files: [../registry]` in the shipped tests.
            let registry = std::path::Path::new(super::REPO).join("registry");
            std::fs::create_dir_all(dir.path().join("registry")).expect("mkdir");
            for entry in std::fs::read_dir(registry).expect("registry dir").flatten() {
                std::fs::copy(entry.path(), dir.path().join("registry").join(entry.file_name()))
                    .expect("copy registry");
            }
            let limits = Limits::default();
            let mut sources = SourceMap::new();
            let paths = vec![dir.path().join("p")];
            let root = ProjectRoot::at(dir.path(), "the test's directory");
            let suite = discover::discover(&paths)
                .and_then(|found| prepare::prepare(&found, None, &root, &mut sources, &limits));
            match suite {
                Ok(suite) => {
                    let results = run::run(&suite, &sources, &Default::default())
                        .expect("small worlds stay within the evaluation budget");
                    let text = render::render(&results, &suite.untested, &sources, render::Style::default());
                    prop_assert!(text.contains("test result: "));
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    for p in &problems {
                        let _ = p.render(&sources, 80);
                    }
                }
            }
        }
    }
}

/// The fenced blocks of a markdown section, in order.
fn blocks_of(doc: &str, heading: &str) -> Vec<String> {
    let section = doc.split(heading).nth(1).unwrap_or("");
    let section = section.split("\n## ").next().unwrap_or("");
    section
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').map_or("", |(_, body)| body).to_string())
        .collect()
}

#[test]
fn docs_show_the_rendered_failing_test() {
    let doc = std::fs::read_to_string(Path::new(REPO).join("docs/testing.md")).expect("docs");
    let shown = &blocks_of(&doc, "## Reading the output")[0];
    let snapshot = std::fs::read_to_string(
        Path::new(REPO).join("tests/snapshots/policy_tests__rendered_failing_test.snap"),
    )
    .expect("snapshot");
    let rendered = snapshot.splitn(3, "---\n").nth(2).unwrap_or("");
    assert_eq!(shown.trim(), rendered.trim());
}

/// Replays the walk of docs/policies.md, "From `vrisk new policy` to a passing `vrisk test`",
/// and checks that every output it shows is what vrisk prints.
#[test]
fn docs_walk_from_new_policy_to_passing_tests() {
    let doc = std::fs::read_to_string(Path::new(REPO).join("docs/policies.md")).expect("docs");
    let blocks = blocks_of(&doc, "## From `vrisk new policy` to a passing `vrisk test`");
    assert_eq!(blocks.len(), 8, "blocks of the walk");
    let shown_output = |i: usize| -> String {
        let block = &blocks[i];
        block
            .split_once('\n')
            .map_or("", |(_, out)| out)
            .to_string()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), &["new", "policy", "data-vendor-review"]);
    assert_eq!(run.stdout, shown_output(0));
    assert_eq!(vrisk(dir.path(), &["test"]).stdout, shown_output(1));

    let policy_path = dir.path().join("policies/data-vendor-review.yaml");
    let test_path = dir.path().join("policies/data-vendor-review.test.yaml");
    let edit = |path: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains(from), "{from}");
        std::fs::write(path, text.replacen(from, to, 1)).expect("write");
    };
    // Step 3, as the doc's block shows it.
    edit(
        &policy_path,
        "title: Every active vendor was reviewed within max_age",
        "title: Every vendor that holds our data was reviewed within max_age",
    );
    edit(&policy_path, "default: 365d", "default: 180d");
    edit(
        &policy_path,
        "applies_to:\n  fact: relationship.status\n  in: [active, exiting]\n",
        blocks[2].split("...\n").last().unwrap_or(""),
    );
    assert_eq!(vrisk(dir.path(), &["test"]).stdout, shown_output(3));

    // Step 5: the vendors of the test registry, then the message and the new case.
    let text = std::fs::read_to_string(&test_path).expect("read");
    let start = text.find("      vendors:\n").expect("vendors");
    let end = text[start..].find("    expect:").expect("expect") + start;
    std::fs::write(
        &test_path,
        format!("{}{}{}", &text[..start], blocks[4], &text[end..]),
    )
    .expect("write");
    assert_eq!(vrisk(dir.path(), &["test"]).stdout, shown_output(5));
    edit(&test_path, "more than 365d before", "more than 180d before");
    let text = std::fs::read_to_string(&test_path).expect("read");
    std::fs::write(&test_path, format!("{text}\n{}", blocks[6])).expect("write");
    let run = vrisk(dir.path(), &["test"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, shown_output(7));
}

#[test]
fn without_paths_the_policies_of_vrisk_yaml_are_tested() {
    let dir = tree(&[
        ("vrisk.yaml", "policies: [rules]\n"),
        ("rules/stale-review.yaml", &shipped("stale-review.yaml")),
        ("rules/stale-review.test.yaml", &stale_review_test("fail")),
    ]);
    let run = vrisk(dir.path(), &["test"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("policy stale-review (rules/stale-review.yaml)\n  ok      reviews\n"),
        "{}",
        run.stdout
    );
    // A test file named directly runs the same cases.
    let direct = vrisk(dir.path(), &["test", "rules/stale-review.test.yaml"]);
    assert_eq!(direct.stdout, run.stdout);
    // With neither PATHS, vrisk.yaml nor ./policies there is nothing to test.
    let empty = tempfile::tempdir().expect("temp dir");
    let run = vrisk(empty.path(), &["test"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("test::no-paths"), "{}", run.stderr);
}

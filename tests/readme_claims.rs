//! Every claim README.md makes about the seeded case, checked against the binary as a user runs
//! it after `cargo install`: from a directory with no registry or policies of its own, so that
//! the copies embedded in the binary are used.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{Run, vrisk_in};

const LABS: [&str; 4] = ["alphabet", "microsoft", "openai", "xai"];

/// `vrisk ARGS` in an empty directory, on the built-in example (`--example`, which a run in CI
/// must ask for).
fn vrisk(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all: Vec<&str> = args.to_vec();
    if all
        .first()
        .is_some_and(|c| ["check", "ownership", "explain", "graph"].contains(c))
    {
        all.insert(1, "--example");
    }
    vrisk_in(dir.path(), &all)
}

/// `vrisk check --format json` with `args`; the exit code and the report.
fn check(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let run = vrisk(&all);
    (run.code, run.json())
}

/// The policies that fail on `vendor`, sorted.
fn failing(report: &Value, vendor: &str) -> Vec<String> {
    let mut policies: Vec<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["vendor"] == vendor && f["outcome"] == "fail")
        .filter_map(|f| f["policy"].as_str().map(String::from))
        .collect();
    policies.sort();
    policies
}

fn message(report: &Value, policy: &str, vendor: &str) -> String {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["policy"] == policy && f["vendor"] == vendor)
        .and_then(|f| f["message"].as_str())
        .unwrap_or("")
        .to_string()
}

/// "In June 2025 Meta bought 49% of Scale AI": a non-voting stake from 2025-06-12.
#[test]
fn meta_bought_49_percent_of_scale_ai_in_june_2025() {
    let owners = |as_of: &str| {
        let run = vrisk(&[
            "ownership",
            "scale-ai",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()["owners"].clone()
    };
    let after = owners("2025-06-12");
    assert_eq!(after[0]["owner"], "meta");
    assert_eq!(after[0]["economic"]["max"], 49.0);
    assert_eq!(after[0]["voting"]["max"], 0.0);
    assert_eq!(owners("2025-06-11"), serde_json::json!([]));
}

/// "... the data-labelling vendor that Google, Microsoft, OpenAI and xAI used ... Its
/// customers, all Meta's competitors": from each lab's point of view Meta's stake is a major
/// competitor's, and Scale AI is flagged.
#[test]
fn each_lab_buys_from_scale_ai_and_sees_meta_as_a_major_competitor() {
    for lab in LABS {
        let (code, report) = check(&["--org", lab, "--as-of", "2025-06-20"]);
        assert_eq!(code, 1, "{lab}");
        assert_eq!(
            message(&report, "competitor-ownership", "scale-ai"),
            "Scale AI is 49% owned (0% of the votes) by Meta Platforms, a major competitor (limit 20%)",
            "{lab}"
        );
    }
}

/// "... and hired its CEO".
#[test]
fn meta_hired_scale_ais_ceo() {
    let (_, report) = check(&["--as-of", "2025-06-20"]);
    assert_eq!(
        message(&report, "leadership-to-competitor", "scale-ai"),
        "Alexandr Wang ([ceo, director] at Scale AI) moved to Meta Platforms, a competitor, on 2025-06-12"
    );
}

/// "Its customers ... began to leave": Alphabet, Microsoft and xAI are exiting from the day
/// after the deal was reported; OpenAI had scaled back earlier and stays a customer.
#[test]
fn the_customers_began_to_leave() {
    let dir = tempfile::tempdir().expect("temp dir");
    support::write(
        dir.path(),
        "policies/leaving.yaml",
        "id: leaving
title: Relationships being ended
severity: info
fails_when: {fact: relationship.status, eq: exiting}
on_indeterminate: warn
message: \"{vendor.name}: {relationship.status} since {relationship.status_date}\"
",
    );
    for (lab, leaving) in [
        ("alphabet", true),
        ("microsoft", true),
        ("xai", true),
        ("openai", false),
    ] {
        let run = vrisk_in(
            dir.path(),
            &[
                "check",
                "--example",
                "-p",
                "policies",
                "--org",
                lab,
                "--as-of",
                "2025-06-20",
                "--format",
                "json",
                "--fail-on",
                "never",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let found = message(&run.json(), "leaving", "scale-ai");
        let expected = if leaving {
            "Scale AI: exiting since 2025-06-13"
        } else {
            ""
        };
        assert_eq!(found, expected, "{lab}");
    }
}

/// "From Alphabet's point of view (the registry's default), vrisk flags Scale AI: three policies
/// fail on it ... so it does from Microsoft's, OpenAI's and xAI's."
#[test]
fn from_alphabets_point_of_view_three_policies_fail_on_scale_ai() {
    let (code, report) = check(&["--as-of", "2025-06-20"]);
    assert_eq!(code, 1);
    assert_eq!(report["org"], "alphabet", "the registry's default");
    assert_eq!(
        failing(&report, "scale-ai"),
        [
            "competitor-ownership",
            "leadership-to-competitor",
            "sensitive-data-competitor-stake"
        ]
    );
    for lab in ["microsoft", "openai", "xai"] {
        let (code, report) = check(&["--org", lab, "--as-of", "2025-06-20"]);
        assert_eq!(code, 1, "{lab}");
        assert!(!failing(&report, "scale-ai").is_empty(), "{lab}");
    }
}

/// "As of a date before the deal (`--as-of 2025-06-01`), no policy fails on Scale AI for
/// Alphabet."
#[test]
fn before_the_deal_no_policy_fails_on_scale_ai_for_alphabet() {
    let (code, report) = check(&["--as-of", "2025-06-01"]);
    assert_eq!(report["org"], "alphabet");
    assert_eq!(failing(&report, "scale-ai"), Vec::<String>::new());
    assert_eq!(code, 0, "{report:#}");
}

/// "Meta is not Scale AI's customer in the registry ... `vrisk check --org meta` says that Meta
/// has no vendor relationship and exits 2 (0 with `--allow-empty`)."
#[test]
fn from_metas_point_of_view_there_is_nothing_to_check() {
    let run = vrisk(&["check", "--org", "meta", "--as-of", "2025-06-20"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`meta` has no vendor relationship"),
        "{}",
        run.stderr
    );
    let (code, report) = check(&["--org", "meta", "--as-of", "2025-06-20", "--allow-empty"]);
    assert_eq!(code, 0);
    assert_eq!(report["findings"], serde_json::json!([]));
}

/// "... the policy tests show that, were Meta a customer, its own stake would be no
/// competitor's."
#[test]
fn the_policy_tests_cover_metas_own_point_of_view() {
    let tests = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/competitor-ownership.test.yaml"),
    )
    .expect("shipped tests");
    assert!(tests.contains("name: from Meta's own point of view its stake is no competitor's"));
    let run = vrisk_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "test",
            "policies/competitor-ownership.yaml",
            "--filter",
            "Meta's own point of view",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("ok      from Meta's own point of view its stake is no competitor's"),
        "{}",
        run.stdout
    );
}

/// The "What `vrisk check` prints" example: its first finding and its summary are the output of
/// `vrisk check --as-of 2025-06-20`, and the exit code is 1.
#[test]
fn the_printed_example_is_what_check_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let section = readme
        .split("## What `vrisk check` prints")
        .nth(1)
        .expect("the section");
    let block = section
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the example");
    let (head, tail) = block
        .split_once("\n[... one diagnostic per finding ...]\n")
        .expect("the elision");
    let run = vrisk(&["check", "--as-of", "2025-06-20"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with(head),
        "README:\n{head}\n\nvrisk:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.trim_end().ends_with(tail.trim()),
        "README:\n{tail}\n\nvrisk:\n{}",
        run.stdout
    );
}

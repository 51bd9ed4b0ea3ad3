//! The reports as the CI platforms read them, from the real binary: the built-in example never
//! points at a file of the user's repository, GitLab Code Quality on real inputs, the job
//! summary within GitHub's limit, a policy's own documentation link.

mod support;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use support::{Run, check_base, vrisk_in};

/// `vrisk check` of the built-in example (an empty directory: the embedded registry and
/// policies) in one format, to standard output.
fn builtin(format: &str) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "--example",
            "--as-of",
            "2025-06-20",
            "--format",
            format,
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    run
}

#[test]
fn annotations_of_the_builtin_example_name_no_file() {
    let run = builtin("github");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    for line in &lines {
        assert!(!line.contains(" file="), "{line}");
    }
    assert!(
        lines[0]
            .starts_with("::error title=vrisk fail [critical] competitor-ownership%3A Scale AI::")
    );
    assert!(
        lines[0].ends_with("%0Aat registry/ownership.yaml:12:15 (built into vrisk)"),
        "{}",
        lines[0]
    );
}

#[test]
fn junit_of_the_builtin_example_names_no_file() {
    let run = builtin("junit");
    let doc = roxmltree::Document::parse(&run.stdout).expect("well-formed");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 28);
    assert!(cases.iter().all(|c| c.attribute("file").is_none()));
}

fn gitlab_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/gitlab-code-quality.schema.json"))
            .expect("schema");
    jsonschema::draft7::new(&schema).expect("the Code Quality schema compiles")
}

#[test]
fn gitlab_code_quality_of_the_builtin_example() {
    let run = builtin("gitlab");
    let issues = run.json();
    assert!(gitlab_validator().is_valid(&issues), "{}", run.stdout);
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 7, "4 failures and 3 indeterminate results");
    assert_eq!(
        issues[0]["location"],
        serde_json::json!({"path": "vrisk-builtin:/registry/ownership.yaml", "lines": {"begin": 12}})
    );
    assert_eq!(issues[0]["severity"], "blocker");
    for issue in issues {
        let path = issue["location"]["path"].as_str().unwrap_or("");
        assert!(path.starts_with("vrisk-builtin:/"), "{path}");
    }
}

#[test]
fn gitlab_code_quality_points_at_the_users_files() {
    let dir = support::base_dir();
    let run = check_base(dir.path(), &["--format", "gitlab"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let issues = run.json();
    assert!(gitlab_validator().is_valid(&issues), "{}", run.stdout);
    assert_eq!(
        issues,
        serde_json::json!([
            {
                "description": "rival-stake: Vendor A is 30% owned by Rival (limit 20%)",
                "check_name": "rival-stake",
                "fingerprint": issues[0]["fingerprint"],
                "severity": "critical",
                "location": {"path": "registry.yaml", "lines": {"begin": 13}},
            },
            {
                "description": issues[1]["description"],
                "check_name": "rival-stake",
                "fingerprint": issues[1]["fingerprint"],
                "severity": "critical",
                "location": {"path": "registry.yaml", "lines": {"begin": 14}},
            },
        ])
    );
    assert!(
        issues[1]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("rival-stake (indeterminate): ")),
        "{}",
        issues[1]["description"]
    );
}

#[test]
fn the_job_summary_stays_within_a_mebibyte() {
    const MIB: usize = 1024 * 1024;
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.md");
    // An earlier command of the step has used all but 3,000 bytes: the title and the table
    // fit, the findings do not all fit.
    let earlier = format!("{}\n", "x".repeat(MIB - 3_001));
    std::fs::write(&summary, &earlier).expect("write");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "--example",
            "--as-of",
            "2025-06-20",
            "--format",
            "github",
        ])
        .output()
        .expect("run");
    let run = Run::from(output);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = std::fs::read_to_string(&summary).expect("read");
    assert!(text.len() <= MIB, "{} bytes", text.len());
    let added = &text[earlier.len()..];
    assert!(added.starts_with("# vrisk: Alphabet (`alphabet`) as of 2025-06-20: ❌ failed"));
    assert!(
        added.contains("of 7 findings are left out to stay within GitHub's 1 MiB limit"),
        "{added}"
    );
}

#[test]
fn a_policy_links_its_rule_to_its_own_documentation() {
    let dir = support::base_dir();
    let policy =
        std::fs::read_to_string(dir.path().join("policies/rival-stake.yaml")).expect("read");
    support::write(
        dir.path(),
        "policies/rival-stake.yaml",
        &format!("{policy}help_url: https://wiki.example.com/risk/rival-stake\n"),
    );
    let run = check_base(dir.path(), &["--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log = run.json();
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"],
        "https://wiki.example.com/risk/rival-stake"
    );
}

//! `vrisk check` on the seeded registry and the shipped policies: what must hold from each
//! point of view and date, as a user sees it (exit codes, findings, evidence, positions).

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `vrisk check --format json` from the repository root; returns exit code and report.
fn check(args: &[&str]) -> (i32, Value) {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(ROOT)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run vrisk");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), report)
}

fn findings<'a>(report: &'a Value, policy: &str, vendor: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|f| f["policy"] == policy && f["vendor"] == vendor)
                .collect()
        })
        .unwrap_or_default()
}

fn passes(report: &Value, policy: &str, vendor: &str) -> bool {
    report["passes"].as_array().is_some_and(|all| {
        all.iter()
            .any(|p| p["policy"] == policy && p["vendor"] == vendor)
    })
}

#[test]
fn scale_ai_fails_competitor_ownership_for_each_lab() {
    for org in ["alphabet", "microsoft", "openai", "xai"] {
        let (exit, report) = check(&["--org", org, "--as-of", "2025-06-20"]);
        assert_eq!(exit, 1, "{org}");
        assert_eq!(report["org"], org);
        assert_eq!(report["as_of"], "2025-06-20");
        let found = findings(&report, "competitor-ownership", "scale-ai");
        assert_eq!(found.len(), 1, "{org}: {report:#}");
        let finding = found[0];
        assert_eq!(finding["outcome"], "fail");
        assert_eq!(finding["severity"], "critical");
        assert_eq!(
            finding["message"],
            "Scale AI is 49% owned (0% of the votes) by Meta Platforms, a major competitor (limit 20%)"
        );
        let economic = finding["evidence"]
            .as_array()
            .and_then(|e| e.iter().find(|e| e["fact"] == "owner.economic"))
            .expect("economic evidence");
        assert_eq!(economic["value"], "49%");
        assert_eq!(economic["operand"], "20%");
        assert_eq!(economic["result"], "true");
        assert_eq!(economic["bindings"][0]["id"], "meta");
        assert_eq!(economic["location"]["file"], "registry/ownership.yaml");
        assert_eq!(economic["location"]["line"], 12);
        assert_eq!(economic["location"]["column"], 15);
        assert_eq!(economic["sources"][0]["id"], "secondary-reporting-2025-06");
        // The finding points at the registry fact and at the policy's condition.
        let locations = finding["locations"].as_array().expect("locations");
        assert_eq!(locations[0]["file"], "registry/ownership.yaml");
        assert_eq!(locations[0]["line"], 12);
        assert_eq!(locations[0]["role"], "registry");
        let policy = locations
            .iter()
            .find(|l| l["role"] == "policy")
            .expect("policy location");
        assert_eq!(policy["file"], "policies/competitor-ownership.yaml");
        assert_eq!(
            finding["paths"][0]["via"],
            serde_json::json!(["meta", "scale-ai"])
        );
    }
}

#[test]
fn meta_sees_no_competitor_ownership_finding_on_scale_ai() {
    // The registry records no vendor of Meta's, so from its point of view there is nothing to
    // check: an error unless --allow-empty says the empty run is meant.
    let (code, problems) = check(&["--org", "meta", "--as-of", "2025-06-20"]);
    assert_eq!(code, 2);
    assert_eq!(problems[0]["code"], "check::no-vendors", "{problems:#}");
    let (code, report) = check(&["--org", "meta", "--as-of", "2025-06-20", "--allow-empty"]);
    assert_eq!(code, 0);
    assert_eq!(report["org"], "meta");
    assert!(findings(&report, "competitor-ownership", "scale-ai").is_empty());
}

#[test]
fn before_the_deal_scale_ai_passes_competitor_ownership() {
    let (_, report) = check(&["--org", "alphabet", "--as-of", "2025-06-01"]);
    assert!(
        findings(&report, "competitor-ownership", "scale-ai").is_empty(),
        "{report:#}"
    );
    assert!(passes(&report, "competitor-ownership", "scale-ai"));
}

#[test]
fn leadership_moves_to_a_competitor_fail() {
    let (exit, report) = check(&["--as-of", "2025-06-20"]);
    assert_eq!(exit, 1);
    assert_eq!(
        report["org"], "alphabet",
        "the registry's default point of view"
    );
    let found = findings(&report, "leadership-to-competitor", "scale-ai");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["outcome"], "fail");
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Alexandr Wang") && m.contains("Meta Platforms")),
        "{}",
        found[0]["message"]
    );
}

#[test]
fn rival_vendors_pass_competitor_ownership() {
    let (_, report) = check(&["--org", "alphabet", "--as-of", "2025-06-20"]);
    for vendor in ["turing", "labelbox", "surge-ai"] {
        assert!(passes(&report, "competitor-ownership", vendor), "{vendor}");
    }
    let (_, report) = check(&["--org", "microsoft", "--as-of", "2025-06-20"]);
    assert!(passes(&report, "competitor-ownership", "snorkel-ai"));
}

#[test]
fn summary_counts_every_outcome() {
    let (_, report) = check(&["--org", "alphabet", "--as-of", "2025-06-20"]);
    let summary = &report["summary"];
    assert_eq!(summary["policies"], 7);
    assert_eq!(summary["vendors"], 4);
    let total = ["fail", "indeterminate", "pass", "waived"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap_or(0))
        .sum::<u64>();
    let listed = report["findings"].as_array().map_or(0, Vec::len)
        + report["passes"].as_array().map_or(0, Vec::len);
    assert_eq!(total as usize, listed);
}

#[test]
fn fail_on_never_and_critical() {
    let (exit, _) = check(&["--as-of", "2025-06-20", "--fail-on", "never"]);
    assert_eq!(exit, 0);
    let (exit, _) = check(&["--as-of", "2025-06-01", "--fail-on", "critical"]);
    assert_eq!(exit, 0, "nothing critical fails before the deal");
    let (exit, _) = check(&["--as-of", "2025-06-20", "--fail-on", "critical"]);
    assert_eq!(exit, 1);
}

#[test]
fn a_parameter_override_changes_the_verdict() {
    let (_, report) = check(&[
        "--as-of",
        "2025-06-20",
        "--param",
        "competitor-ownership.threshold=50%",
    ]);
    assert!(findings(&report, "competitor-ownership", "scale-ai").is_empty());
    let (exit, _) = check(&[
        "--as-of",
        "2025-06-20",
        "--param",
        "competitor-ownershp.threshold=50%",
    ]);
    assert_eq!(exit, 2, "a parameter for an unknown policy is an error");
}

#[test]
fn unknown_org_is_an_error() {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .args(["check", "--org", "alphabt"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did you mean `alphabet` (Alphabet)?")
    );
}

#[test]
fn typo_in_a_fact_path_is_rejected_at_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = std::fs::read_to_string(format!("{ROOT}/policies/competitor-ownership.yaml"))
        .expect("read policy")
        .replace("owner.economic", "owner.economc");
    std::fs::write(dir.path().join("p.yaml"), &policy).expect("write");
    let line = policy
        .lines()
        .position(|l| l.contains("owner.economc"))
        .expect("typo line")
        + 1;
    let column = policy
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find("owner.economc"))
        .expect("col")
        + 1;
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--registry",
            &format!("{ROOT}/registry"),
            "--policies",
            "p.yaml",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("p.yaml:{line}:{column}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `owner.economic`?"),
        "{stderr}"
    );
}

#[test]
fn same_inputs_give_identical_reports() {
    let run = || {
        cargo_bin_cmd!("vrisk")
            .current_dir(ROOT)
            .args(["check", "--as-of", "2025-06-20", "--format", "json"])
            .output()
            .expect("run")
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn the_embedded_example_works_from_any_directory_with_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        // In CI too: --example says the built-in example is meant.
        .env("CI", "true")
        .args([
            "check",
            "--example",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        findings(&report, "competitor-ownership", "scale-ai").len(),
        1
    );
}

#[test]
fn human_report() {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(["check", "--as-of", "2025-06-20"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn several_formats_in_one_run_match_separate_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let formats = ["json", "sarif", "junit", "markdown"];
    let mut together = cargo_bin_cmd!("vrisk");
    together
        .current_dir(ROOT)
        .args(["check", "--as-of", "2025-06-20"]);
    for f in formats {
        together.args([
            "--format",
            &format!("{f}={}", dir.path().join(format!("all.{f}")).display()),
        ]);
    }
    assert_eq!(together.output().expect("run").status.code(), Some(1));
    for f in formats {
        let alone = cargo_bin_cmd!("vrisk")
            .current_dir(ROOT)
            .args(["check", "--as-of", "2025-06-20", "--format", f])
            .output()
            .expect("run")
            .stdout;
        let written = std::fs::read(dir.path().join(format!("all.{f}"))).expect("report written");
        assert_eq!(written, alone, "{f}");
    }
}

/// A policy that reads the ownership paths of owners sees them: only the policies of a run that
/// read `owner.paths` make the check search every owner's paths, and this one does.
#[test]
fn a_policy_reading_owner_paths_sees_each_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("registry.yaml"),
        "default_org: acme
organisations:
  - {id: acme, name: Acme, kind: company}
  - {id: rival, name: Rival, kind: company}
  - {id: holdco, name: Holdco, kind: company}
  - {id: vendor, name: Vendor, kind: company}
stakes:
  - {owner: rival, owned: holdco, economic: 100%}
  - {owner: holdco, owned: vendor, economic: 30%}
  - {owner: rival, owned: vendor, economic: 5%}
competitors:
  - {of: acme, competitor: rival, tier: major}
vendors:
  - {customer: acme, vendor: vendor, services: [data-labelling], status: active}
",
    )
    .expect("write registry");
    std::fs::write(
        dir.path().join("indirect.yaml"),
        "id: indirect-stake
title: No competitor stake held through another company
severity: high
fails_when:
  exists:
    each: vendor.owners
    as: owner
    where:
      all:
        - {fact: owner.competitor, eq: true}
        - exists:
            each: owner.paths
            as: path
            where: {fact: path.economic, gte: 25%}
on_indeterminate: warn
message: \"{owner.name} holds {path.economic} of {vendor.name} through {path.route}\"
",
    )
    .expect("write policy");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .args([
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "indirect.yaml",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ])
        .output()
        .expect("run vrisk");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let found = findings(&report, "indirect-stake", "vendor");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["outcome"], "fail");
    assert_eq!(
        found[0]["message"],
        "Rival holds 30% of Vendor through rival → holdco → vendor"
    );
}

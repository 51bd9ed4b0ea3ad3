//! Waivers: a waived finding does not fail, an expired one fails again and says why, expiring
//! and stale waivers warn, and a waiver naming something unknown is an error at its position.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Run {
    exit: i32,
    report: Value,
    stderr: String,
    sarif: Value,
}

/// `vrisk check` as alphabet on 2025-06-20 with the competitor-ownership policy only, and the
/// given waivers file.
fn run_with_waivers(waivers: &str) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("waivers.yaml"), waivers).expect("write");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "--as-of", "2025-06-20"])
        .args(["--registry", &format!("{ROOT}/registry")])
        .args([
            "--policies",
            &format!("{ROOT}/policies/competitor-ownership.yaml"),
        ])
        .args(["--format", "json", "--format", "sarif=out.sarif"])
        .output()
        .expect("run");
    let sarif = std::fs::read_to_string(dir.path().join("out.sarif"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    Run {
        exit: output.status.code().unwrap_or(-1),
        report: serde_json::from_slice(&output.stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
        sarif,
    }
}

fn waiver(expires: &str) -> String {
    format!(
        "waivers:\n  - policy: competitor-ownership\n    vendor: scale-ai\n    reason: exit completes in Q3\n    approved_by: CISO\n    expires: {expires}\n    ticket: https://tracker.example.com/RISK-42\n"
    )
}

#[test]
fn a_valid_waiver_turns_the_failure_into_waived() {
    let run = run_with_waivers(&waiver("2025-12-31"));
    assert_eq!(run.exit, 0, "{}", run.stderr);
    let finding = &run.report["findings"][0];
    assert_eq!(finding["policy"], "competitor-ownership");
    assert_eq!(finding["outcome"], "waived");
    assert_eq!(
        finding["note"],
        "waived until 2025-12-31 by CISO: exit completes in Q3 (https://tracker.example.com/RISK-42)"
    );
    assert_eq!(run.report["summary"]["waived"], 1);
    assert_eq!(run.report["summary"]["fail"], 0);
    let result = &run.sarif["runs"][0]["results"][0];
    assert_eq!(result["suppressions"][0]["kind"], "external");
}

#[test]
fn an_expired_waiver_fails_again_and_names_the_waiver() {
    let run = run_with_waivers(&waiver("2025-06-15"));
    assert_eq!(run.exit, 1);
    assert_eq!(run.report["findings"][0]["outcome"], "fail");
    assert_eq!(
        run.report["findings"][0]["note"],
        "the waiver approved by CISO expired on 2025-06-15"
    );
    assert!(run.stderr.contains("waiver::expired"), "{}", run.stderr);
    assert!(run.stderr.contains("waivers.yaml:6:14"), "{}", run.stderr);
    let warnings = run.report["warnings"].as_array().expect("warnings");
    assert!(warnings.iter().any(|w| w
        .as_str()
        .is_some_and(|w| w.starts_with("waivers.yaml:6:14: the waiver of `competitor-ownership` for `scale-ai` expired on 2025-06-15"))));
}

#[test]
fn a_waiver_expiring_soon_warns() {
    let run = run_with_waivers(&waiver("2025-07-01"));
    assert_eq!(run.exit, 0);
    assert!(run.stderr.contains("waiver::expiring"), "{}", run.stderr);
    assert!(run.stderr.contains("(11 days left)"), "{}", run.stderr);
}

#[test]
fn a_waiver_that_matches_nothing_is_stale() {
    let text = "waivers:\n  - {policy: competitor-ownership, vendor: turing, reason: r, approved_by: a, expires: 2026-01-01}\n";
    let run = run_with_waivers(text);
    assert_eq!(run.exit, 1, "scale-ai still fails");
    assert!(run.stderr.contains("waiver::stale"), "{}", run.stderr);
    assert!(run.stderr.contains("waivers.yaml:2:5"), "{}", run.stderr);
}

#[test]
fn a_waiver_naming_an_unknown_policy_is_an_error() {
    let text = "waivers:\n  - policy: competitor-ownershp\n    vendor: scale-ai\n    reason: r\n    approved_by: a\n    expires: 2026-01-01\n";
    let run = run_with_waivers(text);
    assert_eq!(run.exit, 2);
    assert!(
        run.stderr.contains("waiver::unknown-reference"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("waivers.yaml:2:13"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `competitor-ownership`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_waiver_without_expiry_is_rejected() {
    let text = "waivers:\n  - {policy: competitor-ownership, vendor: scale-ai, reason: r, approved_by: a}\n";
    let run = run_with_waivers(text);
    assert_eq!(run.exit, 2);
    assert!(
        run.stderr.contains("missing field `expires`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_waiver_whose_org_names_no_organisation_is_an_error() {
    let text = "waivers:\n  - policy: competitor-ownership\n    vendor: scale-ai\n    org: alphabt\n    reason: r\n    approved_by: a\n    expires: 2026-01-01\n";
    let run = run_with_waivers(text);
    assert_eq!(run.exit, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the waiver names organisation `alphabt`, which is not loaded"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("waivers.yaml:4:10"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `alphabet`?"),
        "{}",
        run.stderr
    );
}

/// Two waivers for one finding, the old one expired and its renewal in force: whatever their
/// order, the finding stays waived by the renewal, and the warning says so instead of "counts
/// again".
#[test]
fn an_expired_waiver_beside_its_renewal_keeps_the_finding_waived_and_says_so() {
    let old = "  - {policy: competitor-ownership, vendor: scale-ai, reason: old, approved_by: CISO, expires: 2025-06-15}\n";
    let new = "  - {policy: competitor-ownership, vendor: scale-ai, reason: renewed, approved_by: CFO, expires: 2025-12-31}\n";
    for (text, expired_line, in_force_line) in [
        (format!("waivers:\n{old}{new}"), 2, 3),
        (format!("waivers:\n{new}{old}"), 3, 2),
    ] {
        let run = run_with_waivers(&text);
        assert_eq!(run.exit, 0, "{}", run.stderr);
        let finding = &run.report["findings"][0];
        assert_eq!(finding["outcome"], "waived");
        assert_eq!(finding["note"], "waived until 2025-12-31 by CFO: renewed");
        // The warning is at the expired waiver, says the finding stays waived, and shows the
        // waiver in force.
        let warnings = run.report["warnings"].as_array().expect("warnings");
        let expected = "the waiver of `competitor-ownership` for `scale-ai` expired on \
                        2025-06-15; the finding stays waived by another waiver, until 2025-12-31";
        assert!(
            warnings.iter().any(|w| w
                .as_str()
                .is_some_and(|w| w.starts_with(&format!("waivers.yaml:{expired_line}:"))
                    && w.ends_with(expected))),
            "{warnings:?}"
        );
        assert!(!run.stderr.contains("counts again"), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!(" {in_force_line} │ "))
                && run.stderr.contains("╰── in force"),
            "{}",
            run.stderr
        );
    }
}

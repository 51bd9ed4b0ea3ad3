//! `vrisk explain`: the evaluation tree, the facts with their positions and sources, the
//! ownership paths, and what would change the outcome.

use assert_cmd::cargo::cargo_bin_cmd;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn explain(args: &[&str]) -> (i32, String, String) {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .arg("explain")
        .args(args)
        .output()
        .expect("run");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn competitor_ownership_of_scale_ai_shows_the_path_and_the_threshold() {
    let (exit, out, _) = explain(&["competitor-ownership", "scale-ai", "--as-of", "2025-06-20"]);
    assert_eq!(exit, 0);
    assert!(out.starts_with(
        "competitor-ownership × scale-ai (Scale AI), from alphabet as of 2025-06-20: FAIL [critical]"
    ));
    assert!(out.contains("[true] owner.economic >= 20%"), "{out}");
    assert!(out.contains(
        "· owner.economic = 49%  at registry/ownership.yaml:12:15  [source: secondary-reporting-2025-06]"
    ));
    assert!(out.contains("Meta Platforms ─49%→ Scale AI = 49% economic, 0% voting"));
    assert!(out.contains("passes if owner.economic for owner meta fell below 20%, now 49%"));
    insta::assert_snapshot!(out);
}

#[test]
fn before_the_deal_it_passes_and_says_nothing_would_change() {
    let (exit, out, _) = explain(&["competitor-ownership", "scale-ai", "--as-of", "2025-06-01"]);
    assert_eq!(exit, 0);
    assert!(out.contains(": PASS [critical]"), "{out}");
    assert!(
        out.contains("[false] exists owner in vendor.owners"),
        "{out}"
    );
    assert!(!out.contains("what would change"));
}

#[test]
fn indeterminate_names_the_missing_facts() {
    let (_, out, _) = explain(&[
        "customer-concentration",
        "labelbox",
        "--as-of",
        "2025-06-20",
    ]);
    assert!(out.contains(": INDETERMINATE [medium]"), "{out}");
    assert!(
        out.contains("decided once relationship.revenue_share is known (now unknown)"),
        "{out}"
    );
}

#[test]
fn json_output_carries_the_trace() {
    let (exit, out, _) = explain(&[
        "competitor-ownership",
        "scale-ai",
        "--as-of",
        "2025-06-20",
        "--format",
        "json",
    ]);
    assert_eq!(exit, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["outcome"], "fail");
    assert_eq!(json["result"], "true");
    assert_eq!(json["trace"]["label"], "exists owner in vendor.owners");
    assert_eq!(
        json["paths"][0]["via"],
        serde_json::json!(["meta", "scale-ai"])
    );
}

#[test]
fn unknown_vendor_and_policy_are_errors_with_suggestions() {
    let (exit, _, err) = explain(&["competitor-ownership", "scale"]);
    assert_eq!(exit, 2);
    assert!(
        err.contains("`alphabet` has no vendor relationship with `scale`"),
        "{err}"
    );
    let (exit, _, err) = explain(&["competitor-ownershp", "scale-ai"]);
    assert_eq!(exit, 2);
    assert!(
        err.contains("did you mean `competitor-ownership`?"),
        "{err}"
    );
}

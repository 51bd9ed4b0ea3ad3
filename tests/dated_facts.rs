//! Dated facts are read as of the evaluation date: a spend figure is the as-of year's (an
//! earlier year never stands in), a revenue share divides figures of that one year, and the
//! evidence never prints a share as the threshold it differs from.

mod support;

use serde_json::Value;
use support::{tree, vrisk_in};

const REGISTRY: &str = "default_org: acme
organisations:
  - {id: acme, name: Acme, kind: company}
  - id: old-figures
    name: Old Figures Ltd
    kind: company
    revenue: [{year: 2024, amount: 1M USD}]
  - id: planned
    name: Planned Ltd
    kind: company
  - id: both
    name: Both Ltd
    kind: company
  - id: just-over
    name: Just Over Ltd
    kind: company
    revenue: [{year: 2025, amount: 1M USD}]
vendors:
  - customer: acme
    vendor: old-figures
    status: active
    spend: [{year: 2024, amount: 900K USD}]
  - customer: acme
    vendor: planned
    status: active
    spend: [{year: 2025, amount: 2M USD, kind: planned}]
  - customer: acme
    vendor: both
    status: active
    spend:
      - {year: 2025, amount: 5M USD, kind: planned}
      - {year: 2025, amount: 3M USD, kind: actual}
  - customer: acme
    vendor: just-over
    status: active
    spend: [{year: 2025, amount: 150001 USD}]
";

/// A policy that fails when the spend of the year is under 1M USD, and shows it.
const SMALL_SPEND: &str = "id: small-spend
title: Vendors we spend little with
severity: low
fails_when: {fact: relationship.spend, lt: 1M USD}
on_indeterminate: warn
message: \"{vendor.name}: {relationship.spend}\"
";

/// A policy on our share of the vendor's revenue.
const DEPENDENT: &str = "id: dependent
title: Vendors that depend on us
severity: medium
fails_when: {fact: relationship.revenue_share, gt: 15%}
on_indeterminate: warn
message: \"{vendor.name}: {relationship.revenue_share}\"
";

/// `vrisk check` of the registry with one policy as of `as_of`, as JSON: every finding's
/// (policy, vendor) -> (outcome, message, evidence texts).
fn check(policy: (&str, &str), as_of: &str) -> Value {
    let dir = tree(&[("registry.yaml", REGISTRY), (policy.0, policy.1)]);
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            as_of,
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// (outcome, message, evidence texts) of the finding for `vendor`, or `pass`.
fn finding(report: &Value, vendor: &str) -> (String, String, Vec<String>) {
    let found = report["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["vendor"] == vendor));
    match found {
        None => ("pass".into(), String::new(), Vec::new()),
        Some(f) => (
            f["outcome"].as_str().unwrap_or_default().into(),
            f["message"].as_str().unwrap_or_default().into(),
            f["evidence"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .map(|e| e["text"].as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default(),
        ),
    }
}

#[test]
fn an_earlier_years_spend_does_not_stand_in_for_this_year() {
    let report = check(("policies/small-spend.yaml", SMALL_SPEND), "2025-06-20");
    let (outcome, message, evidence) = finding(&report, "old-figures");
    assert_eq!(outcome, "indeterminate");
    assert_eq!(message, "Old Figures Ltd: unknown");
    assert_eq!(
        evidence,
        ["relationship.spend = unknown  [< 1M USD → indeterminate]"]
    );
    // In its own year the same figure decides.
    let report = check(("policies/small-spend.yaml", SMALL_SPEND), "2024-06-20");
    assert_eq!(
        finding(&report, "old-figures").1,
        "Old Figures Ltd: 900K USD"
    );
}

#[test]
fn the_spend_of_the_year_is_actual_else_planned() {
    let report = check(("policies/small-spend.yaml", SMALL_SPEND), "2025-06-20");
    assert_eq!(finding(&report, "planned").0, "pass", "2M USD planned");
    assert_eq!(finding(&report, "both").0, "pass", "3M USD actual");
    let dir = tree(&[("registry.yaml", REGISTRY)]);
    let run = vrisk_in(
        dir.path(),
        &[
            "explain",
            "customer-concentration",
            "both",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
        ],
    );
    assert!(
        run.stdout
            .contains("Our 2025 spend with Both Ltd: 3M USD (actual)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_revenue_share_of_an_earlier_year_does_not_decide_this_year() {
    let report = check(("policies/dependent.yaml", DEPENDENT), "2025-06-20");
    assert_eq!(finding(&report, "old-figures").0, "indeterminate");
    let report = check(("policies/dependent.yaml", DEPENDENT), "2024-06-20");
    assert_eq!(
        finding(&report, "old-figures"),
        (
            "fail".into(),
            "Old Figures Ltd: 90%".into(),
            vec!["relationship.revenue_share = 90%  [> 15% → true]".to_string()]
        )
    );
}

#[test]
fn a_share_just_over_the_limit_does_not_print_as_the_limit() {
    let report = check(("policies/dependent.yaml", DEPENDENT), "2025-06-20");
    let (outcome, _, evidence) = finding(&report, "just-over");
    assert_eq!(outcome, "fail");
    assert_eq!(
        evidence,
        ["relationship.revenue_share = 15.0001%  [> 15% → true]"]
    );
}

//! Amounts of money are exact: a spend written `8.2M USD` equals a limit written
//! `8200000 USD`, and what a report prints is the amount that was compared.

mod support;

use support::{Run, tree, vrisk_in};

/// A registry in which `acme` spends `amount` with `vendor` in 2025.
fn registry(amount: &str) -> String {
    format!(
        "default_org: acme
organisations:
  - {{id: acme, name: Acme, kind: company}}
  - {{id: vendor, name: Vendor Ltd, kind: company}}
vendors:
  - customer: acme
    vendor: vendor
    status: active
    spend: [{{year: 2025, amount: {amount}}}]
"
    )
}

/// A policy that fails when the 2025 spend is `op` the parameter `limit`.
fn policy(op: &str, limit: &str) -> String {
    format!(
        "id: big-spend
title: A limit on what we spend with one vendor
severity: medium
params:
  limit: {{type: money, default: {limit}}}
fails_when: {{fact: relationship.spend, {op}: $limit}}
on_indeterminate: warn
message: \"{{vendor.name}}: {{relationship.spend}} {op} {{params.limit}}\"
"
    )
}

/// Checks `amount` against `op limit` as of 2025-06-20, as JSON.
fn check(amount: &str, op: &str, limit: &str) -> Run {
    let dir = tree(&[
        ("registry.yaml", registry(amount)),
        ("policies/big-spend.yaml", policy(op, limit)),
    ]);
    vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    )
}

fn outcome_and_message(run: &Run) -> (String, String) {
    let report = run.json();
    let finding = report["findings"]
        .as_array()
        .and_then(|f| f.first())
        .cloned()
        .unwrap_or_default();
    let outcome = if finding.is_null() {
        "pass".to_string()
    } else {
        finding["outcome"].as_str().unwrap_or_default().to_string()
    };
    (
        outcome,
        finding["message"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn a_suffixed_amount_equals_the_same_amount_in_digits() {
    let run = check("8.2M USD", "gte", "8200000 USD");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        outcome_and_message(&run),
        ("fail".into(), "Vendor Ltd: 8.2M USD gte 8.2M USD".into())
    );
}

#[test]
fn decimal_fractions_of_a_suffix_are_exact() {
    for (amount, limit) in [
        ("1.005K USD", "1005 USD"),
        ("2.01M USD", "2010000 USD"),
        ("14.3B USD", "14300000000 USD"),
        ("0.3 USD", "0.30 USD"),
    ] {
        let run = check(amount, "eq", limit);
        assert_eq!(run.code, 1, "{amount} == {limit}: {}", run.stderr);
        assert_eq!(outcome_and_message(&run).0, "fail", "{amount} == {limit}");
    }
}

#[test]
fn an_amount_a_cent_below_the_limit_is_below_it_and_prints_differently() {
    let run = check("8199999.99 USD", "gte", "8.2M USD");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(outcome_and_message(&run).0, "pass");
    let run = check("8199999.99 USD", "lt", "8.2M USD");
    assert_eq!(
        outcome_and_message(&run),
        (
            "fail".into(),
            "Vendor Ltd: 8.19999999M USD lt 8.2M USD".into()
        )
    );
}

#[test]
fn explain_shows_the_comparison_that_holds() {
    let dir = tree(&[
        ("registry.yaml", registry("8.2M USD")),
        ("policies/big-spend.yaml", policy("gte", "8200000 USD")),
    ]);
    let run = vrisk_in(
        dir.path(),
        &[
            "explain",
            "big-spend",
            "vendor",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
        ],
    );
    assert!(
        run.stdout.contains("[true] relationship.spend >= 8.2M USD"),
        "{}",
        run.stdout
    );
}

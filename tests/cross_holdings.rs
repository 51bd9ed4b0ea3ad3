//! Cross-holdings that keep nearly everything, through the binary: a competitor's share of a
//! vendor stays within the stakes it reaches, and the loader rejects exactly the cross-holdings
//! the engine cannot solve (organisations that hold all of one another).

mod support;

use serde_json::Value;
use support::{Run, tree, vrisk_in};

/// A holds 100% of B, B holds 99.9999999999% of A, the rival the remaining 0.0000000001% of A,
/// and A holds 10% of the vendor, which receives our proprietary data.
const NEAR_SINGULAR: &str = "default_org: us
organisations:
  - {id: us, name: Us, kind: company}
  - {id: a, name: A Corp, kind: company}
  - {id: b, name: B Corp, kind: company}
  - {id: rival, name: Rival, kind: company}
  - {id: v, name: Vendor, kind: company}
stakes:
  - {owner: a, owned: b, economic: 100%}
  - {owner: b, owned: a, economic: 99.9999999999%}
  - {owner: rival, owned: a, economic: 0.0000000001%}
  - {owner: a, owned: v, economic: 10%}
competitors:
  - {of: us, competitor: rival, tier: major}
vendors:
  - {customer: us, vendor: v, services: [data-labelling], data_shared: [proprietary-data], status: active}
";

fn run(registry: &str, args: &[&str]) -> Run {
    let dir = tree(&[("registry.yaml", registry)]);
    let mut all = args.to_vec();
    all.extend(["-r", "registry.yaml", "--as-of", "2025-06-20"]);
    vrisk_in(dir.path(), &all)
}

fn validate(registry: &str) -> Run {
    let dir = tree(&[("registry.yaml", registry)]);
    vrisk_in(
        dir.path(),
        &["validate", "registry.yaml", "--format", "json"],
    )
}

fn economic(listing: &Value, owner: &str) -> (f64, f64) {
    let found = listing["owners"]
        .as_array()
        .and_then(|owners| owners.iter().find(|o| o["owner"] == owner))
        .unwrap_or(&Value::Null);
    (
        found["economic"]["min"].as_f64().unwrap_or(f64::NAN),
        found["economic"]["max"].as_f64().unwrap_or(f64::NAN),
    )
}

#[test]
fn the_competitor_reaches_the_vendor_only_through_the_ten_percent_stake() {
    let run_a = run(NEAR_SINGULAR, &["ownership", "a", "--format", "json"]);
    assert_eq!(run_a.code, 0, "{}", run_a.stderr);
    assert_eq!(economic(&run_a.json(), "rival"), (100.0, 100.0));
    let run_v = run(NEAR_SINGULAR, &["ownership", "v", "--format", "json"]);
    assert_eq!(economic(&run_v.json(), "rival"), (10.0, 10.0));

    let check = run(
        NEAR_SINGULAR,
        &["check", "--format", "json", "--fail-on", "never"],
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    let report = check.json();
    let outcome = |policy: &str| {
        report["findings"]
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|f| f["policy"] == policy && f["vendor"] == "v")
            })
            .map_or("pass".to_string(), |f| {
                f["outcome"].as_str().unwrap_or("").to_string()
            })
    };
    // 10% is under competitor-ownership's 20%, and over the 5% of the data policy.
    assert_eq!(outcome("competitor-ownership"), "pass");
    assert_eq!(outcome("sensitive-data-competitor-stake"), "fail");
    let evidence: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(
        evidence.contains(&"owner.economic = 10%  [>= 5% → true]"),
        "{evidence:?}"
    );
}

#[test]
fn organisations_that_hold_all_of_one_another_are_rejected_at_every_stake() {
    // h is held half by i and half by j, each wholly held by h: nobody outside can own any of
    // them, although each cycle through them has a link of 50%.
    let registry = "organisations:
  - {id: h, name: H, kind: company}
  - {id: i, name: I, kind: company}
  - {id: j, name: J, kind: company}
stakes:
  - {owner: i, owned: h, economic: 50%}
  - {owner: j, owned: h, economic: 50%}
  - {owner: h, owned: i, economic: 100%}
  - {owner: h, owned: j, economic: 100%, start: 2024-01-01}
";
    let validate = validate(registry);
    assert_eq!(validate.code, 2, "{}", validate.stdout);
    let problems = validate.json();
    let problem = problems
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|p| p["code"] == "registry::full-ownership-cycle")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        problem["message"],
        "`h`, `i` and `j` own each other in full: every share of each is held by the others on 2024-01-01",
        "{problems:#}"
    );
    let lines: Vec<u64> = problem["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["line"].as_u64())
        .collect();
    assert_eq!(lines, [6, 7, 8, 9], "{problem:#}");
}

#[test]
fn a_cycle_short_of_everything_by_a_sliver_is_accepted() {
    let validate = validate(NEAR_SINGULAR);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
}

//! A finding names the declared competitor, not the holding company it owns the vendor
//! through, and shows the whole chain from that competitor in every format; a long chain is
//! shortened in the middle, never at the competitor's end.

mod support;

use support::{Run, tree, vrisk_in};

/// Helix Robotics, Acme's declared competitor, holds all of Helix Holdings LLC, which holds 30%
/// of Labels Inc; and through 38 wholly owned subsidiaries in a row 30% of Deep Labels Inc.
fn registry() -> String {
    let mut text = String::from(
        "default_org: acme
organisations:
  - {id: acme, name: Acme, kind: company}
  - {id: helix-robotics, name: Helix Robotics, kind: company}
  - {id: helix-holdings, name: Helix Holdings LLC, kind: company}
  - {id: labels, name: Labels Inc, kind: company}
  - {id: deep-labels, name: Deep Labels Inc, kind: company}
",
    );
    for i in 1..=38 {
        text.push_str(&format!(
            "  - {{id: sub-{i:02}, name: Helix Sub {i:02}, kind: company}}\n"
        ));
    }
    text.push_str(
        "competitors:
  - {of: acme, competitor: helix-robotics, tier: major}
stakes:
  - {owner: helix-robotics, owned: helix-holdings, economic: 100%}
  - {owner: helix-holdings, owned: labels, economic: 30%}
  - {owner: helix-robotics, owned: sub-01, economic: 100%}
",
    );
    for i in 1..38 {
        text.push_str(&format!(
            "  - {{owner: sub-{i:02}, owned: sub-{:02}, economic: 100%}}\n",
            i + 1
        ));
    }
    text.push_str(
        "  - {owner: sub-38, owned: deep-labels, economic: 30%}
vendors:
  - {customer: acme, vendor: labels, services: [data-labelling], status: active}
  - {customer: acme, vendor: deep-labels, services: [data-labelling], status: active}
",
    );
    text
}

const SHORT: &str = "Helix Robotics ─100%→ Helix Holdings LLC ─30%→ Labels Inc";
const LONG: &str = "Helix Robotics ─100%→ … 37 links … ─30%→ Deep Labels Inc";

fn check(format: &str) -> Run {
    let dir = tree(&[("registry.yaml", registry())]);
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
            "--format",
            format,
        ],
    );
    assert_eq!(run.code, 1, "{format}: {}", run.stderr);
    run
}

#[test]
fn the_message_names_the_declared_competitor_and_the_company_it_holds_through() {
    let report = check("json").json();
    let message = |vendor: &str| {
        report["findings"]
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|f| f["policy"] == "competitor-ownership" && f["vendor"] == vendor)
            })
            .and_then(|f| f["message"].as_str())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        message("labels"),
        "Labels Inc is 30% owned (30% of the votes) by Helix Robotics (through Helix Holdings \
         LLC), a major competitor (limit 20%)"
    );
}

#[test]
fn json_paths_start_at_the_declared_competitor_in_full() {
    let report = check("json").json();
    let first_path = |vendor: &str| {
        report["findings"]
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|f| f["policy"] == "competitor-ownership" && f["vendor"] == vendor)
            })
            .map(|f| f["paths"][0].clone())
            .unwrap_or_default()
    };
    let via = |path: &serde_json::Value| -> Vec<String> {
        path["via"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    // Helix Holdings holds the stake; the path starts at the competitor that controls it.
    let held = first_path("labels");
    assert_eq!(held["owner"], "helix-holdings", "{held:#}");
    assert_eq!(held["competitor"], "helix-robotics", "{held:#}");
    assert_eq!(via(&held), ["helix-robotics", "helix-holdings", "labels"]);
    assert_eq!(held["links"], serde_json::json!(["100%", "30%"]));
    // JSON keeps the long chain whole: 38 subsidiaries between the competitor and the vendor.
    let deep = first_path("deep-labels");
    let deep_via = via(&deep);
    assert_eq!(deep_via.len(), 40, "{deep_via:?}");
    assert_eq!(deep_via.first().map(String::as_str), Some("helix-robotics"));
    assert_eq!(deep_via.last().map(String::as_str), Some("deep-labels"));
    assert_eq!(deep["economic"], "30%");
}

#[test]
fn human_sarif_junit_and_github_show_the_chain_from_the_competitor() {
    for format in ["human", "sarif", "junit", "github"] {
        let run = check(format);
        // GitHub annotations escape `%`.
        let output = run.stdout.replace("%25", "%");
        for route in [SHORT, LONG] {
            assert!(
                output.contains(&format!("path: {route} = 30% economic, 30% voting")),
                "{format}: {route} missing from\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn markdown_lists_the_chain_and_draws_it_shortened_in_the_middle() {
    let run = check("markdown");
    assert!(
        run.stdout
            .contains(&format!("- {SHORT}: 30% economic, 30% voting")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("- {LONG}: 30% economic, 30% voting")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "flowchart LR
  n0[\"Helix Robotics\"]
  n1[\"… 37 links …\"]
  n2[\"Deep Labels Inc\"]
  n0 -->|\"100#37;\"| n1
  n1 -->|\"30#37;\"| n2"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "flowchart LR
  n0[\"Helix Robotics\"]
  n1[\"Helix Holdings LLC\"]
  n2[\"Labels Inc\"]"
        ),
        "{}",
        run.stdout
    );
}

/// `owner.via` spells out a short chain of control and names the two ends of a long one around
/// the number of links between them, as a route is shortened in reports (so a chain of
/// thousands of companies is not written out for each of its members).
#[test]
fn owner_via_is_the_chain_of_control_shortened_past_six_links() {
    let policy = "id: via\ntitle: Via\nseverity: high\nfails_when:\n  exists:\n    \
                  each: vendor.owners\n    as: owner\n    where:\n      \
                  all:\n        - {fact: owner.competitor, eq: true}\n        \
                  - {fact: owner.id, in: [sub-38, helix-holdings]}\n\
                  on_indeterminate: warn\nmessage: \"{owner.name} via {owner.via}\"\n";
    let dir = tree(&[
        ("registry.yaml", registry()),
        ("policies/via.yaml", policy.to_string()),
    ]);
    let run = vrisk_in(
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
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let messages: Vec<String> = run.json()["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| format!("{}: {}", f["vendor"], f["message"].as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        messages,
        [
            "\"deep-labels\": Helix Sub 38 via Helix Robotics → … 36 links … → Helix Sub 38",
            "\"labels\": Helix Holdings LLC via Helix Robotics → Helix Holdings LLC",
        ]
    );
}

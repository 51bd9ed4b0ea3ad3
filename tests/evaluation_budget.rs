//! Evaluation is bounded: each (policy, vendor) evaluation has a budget of element visits and
//! of evaluation-tree nodes. Its worst case is known from the facts before it runs, so a policy
//! over the budget (six nested quantifiers over 30 owners) is rejected without being evaluated:
//! exit 2 with a located `limits::` problem, no report, and fast.

mod support;

use std::path::Path;

use support::vrisk_in;

/// A registry in which `vendor` has `owners` owners, each with a 1% stake, and `acme` buys
/// from it.
fn registry(owners: usize) -> String {
    let mut text = String::from(
        "default_org: acme\norganisations:\n  - {id: acme, name: Acme, kind: company}\n  \
         - {id: vendor, name: Vendor, kind: company}\n",
    );
    for i in 1..=owners {
        text.push_str(&format!(
            "  - {{id: o{i}, name: Owner {i}, kind: company}}\n"
        ));
    }
    text.push_str("stakes:\n");
    for i in 1..=owners {
        text.push_str(&format!(
            "  - {{owner: o{i}, owned: vendor, economic: 1%}}\n"
        ));
    }
    text.push_str("vendors:\n  - {customer: acme, vendor: vendor, status: active}\n");
    text
}

/// A policy of `depth` `exists` over the vendor's owners, one inside the other, around one
/// comparison (`extra` more comparisons beside it, to make the tree larger).
fn nested_policy(depth: usize, extra: usize) -> String {
    let mut text = String::from("id: nested\ntitle: Nested\nseverity: high\nfails_when:\n");
    let mut indent = String::from("  ");
    for level in 1..=depth {
        text.push_str(&format!(
            "{indent}exists:\n{indent}  each: vendor.owners\n{indent}  as: a{level}\n{indent}  where:\n"
        ));
        indent.push_str("    ");
    }
    text.push_str(&format!("{indent}all:\n"));
    for _ in 0..=extra {
        text.push_str(&format!(
            "{indent}  - {{fact: a{depth}.economic, gte: 50%}}\n"
        ));
    }
    text.push_str("on_indeterminate: warn\nmessage: \"{vendor.name}\"\n");
    text
}

fn project(dir: &Path, owners: usize, depth: usize, extra: usize) {
    std::fs::write(dir.join("registry.yaml"), registry(owners)).expect("write registry");
    std::fs::create_dir_all(dir.join("policies")).expect("mkdir");
    std::fs::write(
        dir.join("policies/nested.yaml"),
        nested_policy(depth, extra),
    )
    .expect("write policy");
}

const CHECK: [&str; 7] = [
    "check",
    "-r",
    "registry.yaml",
    "-p",
    "policies",
    "--as-of",
    "2025-06-20",
];

#[test]
fn six_nested_quantifiers_over_30_owners_are_rejected_before_evaluation() {
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), 30, 6, 0);
    let args = [
        &CHECK[..],
        &["--format", "json", "--format", "sarif=report.sarif"],
    ]
    .concat();
    let run = vrisk_in(dir.path(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The problems, as JSON on standard output since a JSON report was asked for there.
    let problem = &run.json()[0];
    assert_eq!(problem["code"], "limits::element-visits");
    // Per level: 30 visits for each visit of the level above; 30 + 30^2 + ... + 30^6.
    assert_eq!(
        problem["message"],
        "evaluating policy `nested` for vendor `vendor` would take up to 754137930 element \
         visits, over the limit of 5000000 element visits"
    );
    // At the outermost quantifier of the nesting, and at the relationship.
    assert_eq!(
        (&problem["file"], &problem["line"], &problem["column"]),
        (&"policies/nested.yaml".into(), &5.into(), &3.into())
    );
    assert_eq!(problem["labels"][1]["file"], "registry.yaml");
    assert!(
        run.stderr.contains("--max-element-visits N"),
        "{}",
        run.stderr
    );
    assert!(
        !dir.path().join("report.sarif").exists(),
        "no report is written for a run that fails"
    );
}

#[test]
fn the_commands_that_evaluate_all_keep_to_the_budget() {
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), 30, 6, 0);
    std::fs::write(
        dir.path().join("policies/nested.test.yaml"),
        "cases:\n  - name: one vendor\n    org: acme\n    as_of: 2025-06-20\n    \
         registry_files: [../registry.yaml]\n    expect:\n      vendor: pass\n",
    )
    .expect("write test");
    let runs = [
        vrisk_in(
            dir.path(),
            &[
                "explain",
                "nested",
                "vendor",
                "-r",
                "registry.yaml",
                "-p",
                "policies",
            ],
        ),
        vrisk_in(dir.path(), &["test", "policies"]),
        vrisk_in(dir.path(), &[&CHECK[..], &["--format", "json"]].concat()),
    ];
    for run in runs {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("limits::element-visits"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("nothing was evaluated"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_policy_within_the_budget_is_evaluated_and_the_flag_sets_the_budget() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Three levels over 30 owners: 27,930 visits, within the default budget.
    project(dir.path(), 30, 3, 0);
    let run = vrisk_in(dir.path(), &[&CHECK[..], &["--format", "json"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(run.json()["summary"]["pass"], 1);
    let lowered = vrisk_in(
        dir.path(),
        &[&CHECK[..], &["--max-element-visits", "27929"]].concat(),
    );
    assert_eq!(lowered.code, 2, "{}", lowered.stderr);
    assert!(
        lowered
            .stderr
            .contains("would take up to 27930 element visits"),
        "{}",
        lowered.stderr
    );
    let exact = vrisk_in(
        dir.path(),
        &[&CHECK[..], &["--max-element-visits", "27930"]].concat(),
    );
    assert_eq!(exact.code, 0, "{}", exact.stderr);
}

#[test]
fn a_wide_condition_goes_over_the_trace_node_budget() {
    let dir = tempfile::tempdir().expect("temp dir");
    // One quantifier over 30 owners around an `all` of 20 comparisons: per owner an element
    // node, the `all` and 20 comparisons, then the quantifier: 1 + 30 × 22 = 661 nodes.
    project(dir.path(), 30, 1, 19);
    let run = vrisk_in(
        dir.path(),
        &[&CHECK[..], &["--max-trace-nodes", "660"]].concat(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("limits::trace-nodes"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("would take up to 661 evaluation nodes, over the"),
        "{}",
        run.stderr
    );
    let enough = vrisk_in(
        dir.path(),
        &[&CHECK[..], &["--max-trace-nodes", "661"]].concat(),
    );
    assert_eq!(enough.code, 0, "{}", enough.stderr);
}

#[test]
fn a_limit_flag_of_zero_or_above_its_ceiling_is_refused() {
    let dir = support::base_dir();
    for (flag, value, message) in [
        (
            "--max-element-visits",
            "0",
            "a limit of 0 would reject every input",
        ),
        ("--max-trace-nodes", "-5", "`-5` is negative"),
        (
            "--max-depth",
            "5000",
            "the deepest nesting vrisk can check is 1000",
        ),
        ("--max-nodes", "lots", "`lots` is not a whole number"),
    ] {
        let run = vrisk_in(
            dir.path(),
            &[&support::CHECK_BASE[..], &[flag, value]].concat(),
        );
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stderr);
        assert!(
            run.stderr.contains(message),
            "{flag} {value}: {}",
            run.stderr
        );
    }
}

/// A collection inside an element (`owner.paths`) is priced as large as the largest of its kind
/// among the vendor's owners; a collection of a root (`vendor.owners`) by its own size. Four
/// owners, the largest with two paths: 4 × (2 + 1) = 12 visits.
#[test]
fn a_collection_inside_an_element_is_priced_by_the_largest_of_its_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("registry.yaml"),
        "default_org: acme\norganisations:\n  - {id: acme, name: Acme, kind: company}\n  \
         - {id: vendor, name: Vendor, kind: company}\n  - {id: a, name: A, kind: company}\n  \
         - {id: b, name: B, kind: company}\n  - {id: h1, name: H1, kind: company}\n  \
         - {id: h2, name: H2, kind: company}\nstakes:\n  \
         - {owner: a, owned: vendor, economic: 30%}\n  - {owner: b, owned: h1, economic: 50%}\n  \
         - {owner: b, owned: h2, economic: 50%}\n  - {owner: h1, owned: vendor, economic: 20%}\n  \
         - {owner: h2, owned: vendor, economic: 20%}\n\
         vendors:\n  - {customer: acme, vendor: vendor, status: active}\n",
    )
    .expect("write registry");
    std::fs::create_dir_all(dir.path().join("policies")).expect("mkdir");
    std::fs::write(
        dir.path().join("policies/paths.yaml"),
        "id: paths\ntitle: Paths\nseverity: high\nfails_when:\n  exists:\n    each: vendor.owners\n    \
         as: owner\n    where:\n      exists:\n        each: owner.paths\n        as: path\n        \
         where: {fact: path.economic, gte: 50%}\non_indeterminate: warn\nmessage: \"{vendor.name}\"\n",
    )
    .expect("write policy");
    let run = vrisk_in(
        dir.path(),
        &[
            &CHECK[..],
            &["--max-element-visits", "11", "--format", "json"],
        ]
        .concat(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.json()[0]["message"],
        "evaluating policy `paths` for vendor `vendor` would take up to 12 element visits, over \
         the limit of 11 element visits"
    );
    let within = vrisk_in(
        dir.path(),
        &[&CHECK[..], &["--max-element-visits", "12"]].concat(),
    );
    assert_ne!(within.code, 2, "{}", within.stderr);
}

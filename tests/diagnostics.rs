//! Diagnostics that do not hide each other: a schema error does not hide the semantic errors of
//! the same run, an error inside an anchored node is reported once (at the anchor, with the
//! aliases that use it), a misspelt name gets a "did you mean", and an unclosed bracket is
//! pointed at where it was opened.

mod support;

use serde_json::Value;
use support::{Run, tree, vrisk_in};

/// `(code, file:line:col, help)` of every problem of a `--format json` run, in order.
fn problems(run: &Run) -> Vec<(String, String, String)> {
    let json = run.json();
    let Some(items) = json.as_array() else {
        panic!(
            "no JSON problems on stdout:\n{}\n{}",
            run.stdout, run.stderr
        );
    };
    items
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or("").to_string();
            let place = format!("{}:{}:{}", text("file"), p["line"], p["column"]);
            (text("code"), place, text("help"))
        })
        .collect()
}

/// The labels of one problem as `line:col label`.
fn labels(problem: &Value) -> Vec<String> {
    problem["labels"]
        .as_array()
        .map(|labels| {
            labels
                .iter()
                .map(|l| {
                    format!(
                        "{}:{} {}",
                        l["line"],
                        l["column"],
                        l["label"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn triple(code: &str, place: &str, help: &str) -> (String, String, String) {
    (code.to_string(), place.to_string(), help.to_string())
}

/// `vrisk validate --format json FILES` on a tree of files.
fn validate(files: &[(&str, &str)]) -> Run {
    let dir = tree(files);
    let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
    vrisk_in(
        dir.path(),
        &[&["validate", "--format", "json"], &names[..]].concat(),
    )
}

// ---- A schema error does not hide the semantic errors of the same run ----

#[test]
fn a_misspelt_field_does_not_hide_an_unknown_organisation() {
    let run = validate(&[(
        "r.yaml",
        "organisations:\n\
         \x20 - {id: a, name: A, kind: company, conutry: US}\n\
         \x20 - {id: b, name: B, kind: company}\n\
         stakes:\n\
         \x20 - {owner: zz, owned: b, economic: 10}\n",
    )]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [
            triple("registry::schema", "r.yaml:2:37", "did you mean `country`?"),
            triple(
                "registry::unknown-organisation",
                "r.yaml:5:13",
                "declare `zz` under `organisations` or correct the id"
            ),
        ]
    );
}

#[test]
fn an_item_that_breaks_the_schema_still_declares_its_id() {
    // `a` and `s1` are declared by items with a misspelt field: naming them is no error of
    // its own, while the unknown `c` is.
    let run = validate(&[(
        "r.yaml",
        "sources:\n\
         \x20 - {id: s1, title: A source, urll: x}\n\
         organisations:\n\
         \x20 - {id: a, name: A, kind: company, conutry: US}\n\
         \x20 - {id: b, name: B, kind: company}\n\
         stakes:\n\
         \x20 - {owner: a, owned: b, economic: 10, source: s1}\n\
         \x20 - {owner: b, owned: c, economic: 10}\n",
    )]);
    assert_eq!(
        problems(&run),
        [
            triple("registry::schema", "r.yaml:2:31", "did you mean `url`?"),
            triple("registry::schema", "r.yaml:4:37", "did you mean `country`?"),
            triple(
                "registry::unknown-organisation",
                "r.yaml:8:23",
                "did you mean `b`?"
            ),
        ]
    );
}

#[test]
fn a_file_that_does_not_parse_does_not_hide_the_problems_of_another() {
    let run = validate(&[
        ("a.yaml", "organisations:\n  - {id: a, name: [A\n"),
        (
            "b.yaml",
            "organisations:\n\
             \x20 - {id: b, name: B, kind: company}\n\
             \x20 - {id: b, name: B again, kind: company}\n\
             stakes:\n\
             \x20 - {owner: b, owned: b, economic: 10}\n\
             \x20 - {owner: b, owned: elsewhere, economic: 10}\n",
        ),
    ]);
    let found = problems(&run);
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, place, _)| (code.as_str(), place.as_str()))
        .collect();
    // Duplicates and self-stakes are certain from what was read; `elsewhere` may be declared
    // in a.yaml, which could not be read, so it is not called unknown.
    assert_eq!(
        codes,
        [
            ("yaml::syntax", "a.yaml:2:19"),
            ("registry::duplicate-id", "b.yaml:3:10"),
            ("registry::self-stake", "b.yaml:5:23"),
        ]
    );
}

#[test]
fn a_misspelt_list_name_hides_no_organisation_behind_a_false_unknown() {
    let run = validate(&[(
        "r.yaml",
        "organisation:\n  - {id: a, name: A, kind: company}\nstakes:\n  - {owner: a, owned: a2, economic: 10}\n",
    )]);
    assert_eq!(
        problems(&run),
        [triple(
            "registry::schema",
            "r.yaml:1:1",
            "did you mean `organisations`?"
        )]
    );
}

/// `vrisk check --format json` of the corpus base with a waivers file.
fn check_with_waivers(waivers: &str) -> Run {
    let dir = support::base_dir();
    support::write(dir.path(), "waivers.yaml", waivers);
    support::check_base(
        dir.path(),
        &["--format", "json", "--waivers", "waivers.yaml"],
    )
}

#[test]
fn a_broken_waiver_does_not_hide_an_unknown_vendor_in_another() {
    let run = check_with_waivers(
        "waivers:\n\
         \x20 - {policy: rival-stake, vendor: vendor-a, reason: r, approved_by: ciso, expires: 2025-12-31, ticket: 42}\n\
         \x20 - {policy: rival-stake, vendor: vendor-c, reason: r, approved_by: ciso, expires: 2025-12-31}\n",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let found = problems(&run);
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, place, _)| (code.as_str(), place.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("waiver::schema", "waivers.yaml:2:104"),
            ("waiver::unknown-reference", "waivers.yaml:3:35"),
        ]
    );
}

#[test]
fn a_broken_registry_does_not_hide_the_problems_of_the_waivers() {
    let dir = support::base_dir();
    let registry = std::fs::read_to_string(dir.path().join("registry.yaml")).expect("registry");
    support::write(
        dir.path(),
        "registry.yaml",
        &registry.replace("{id: rival, name: Rival,", "{id: rival, nme: Rival,"),
    );
    support::write(
        dir.path(),
        "waivers.yaml",
        "waivers:\n  - {policy: rival-stake, vendor: vendor-a, reason: r, approver: ciso, expires: 2025-12-31}\n  - {policy: rival-stak, vendor: vendor-a, reason: r, approved_by: ciso, expires: 2025-12-31}\n",
    );
    let run = support::check_base(
        dir.path(),
        &["--format", "json", "--waivers", "waivers.yaml"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let found = problems(&run);
    let codes: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(code, place, help)| (code.as_str(), place.as_str(), help.as_str()))
        .collect();
    // The registry's own problem, the waiver's misspelt field, and its unknown policy (the
    // policies loaded); its vendors are not judged against a registry that did not load.
    assert_eq!(
        codes,
        [
            (
                "registry::schema",
                "registry.yaml:9:17",
                "did you mean `name`? (`name` is required and missing here)"
            ),
            (
                "waiver::schema",
                "waivers.yaml:2:56",
                "did you mean `approved_by`? (`approved_by` is required and missing here)"
            ),
            (
                "waiver::unknown-reference",
                "waivers.yaml:3:14",
                "did you mean `rival-stake`?"
            ),
        ]
    );
}

#[test]
fn a_test_case_that_breaks_the_schema_does_not_hide_the_problems_of_the_others() {
    let test = "cases:\n\
                \x20 - name: misspelt outcome\n\
                \x20   org: acme\n\
                \x20   as_of: 2025-06-20\n\
                \x20   registry_files: [../registry.yaml]\n\
                \x20   expect: {vendor-a: passed}\n\
                \x20 - name: unknown vendor\n\
                \x20   org: acme\n\
                \x20   as_of: 2025-06-20\n\
                \x20   registry_files: [../registry.yaml]\n\
                \x20   expect: {vendor-z: pass}\n";
    let dir = support::base_dir();
    support::write(dir.path(), "policies/rival-stake.test.yaml", test);
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let heads: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with('×'))
        .collect();
    assert_eq!(heads.len(), 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`passed` is not one of fail, indeterminate, pass, not-applicable")
            && run.stderr.contains("did you mean `pass`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("vendor-z"), "{}", run.stderr);
}

// ---- An error inside an anchored node is reported once, at the anchor ----

#[test]
fn two_typos_in_an_anchor_used_three_times_are_two_problems_at_the_anchor() {
    let run = validate(&[(
        "r.yaml",
        "organisations:\n\
         \x20 - &org {id: a, name: A, kind: compny, conutry: US}\n\
         \x20 - *org\n\
         \x20 - *org\n\
         \x20 - *org\n",
    )]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [
            triple("registry::schema", "r.yaml:2:33", "did you mean `company`?"),
            triple("registry::schema", "r.yaml:2:41", "did you mean `country`?"),
        ]
    );
    let json = run.json();
    for (problem, first) in [
        (
            &json[0],
            "2:33 expected one of company, person, fund, government",
        ),
        (&json[1], "2:41 not a field here"),
    ] {
        assert_eq!(
            labels(problem),
            [
                first,
                "3:5 used again here, through this alias",
                "4:5 used again here, through this alias",
                "5:5 used again here, through this alias",
            ]
        );
    }
}

#[test]
fn an_error_merged_in_by_a_merge_key_is_reported_at_the_anchor() {
    let run = validate(&[(
        "r.yaml",
        "organisations:\n\
         \x20 - {id: a, name: A, kind: company}\n\
         \x20 - {id: b, name: B, kind: company}\n\
         \x20 - {id: c, name: C, kind: company}\n\
         stakes:\n\
         \x20 - &stake {owner: a, owned: b, economic: 10, start: 2025-02-30}\n\
         \x20 - {<<: *stake, owned: c}\n",
    )]);
    let json = run.json();
    assert_eq!(
        problems(&run),
        [triple(
            "registry::invalid-date",
            "r.yaml:6:54",
            "write dates as YYYY-MM-DD, e.g. 2025-06-12"
        )]
    );
    assert_eq!(
        labels(&json[0]),
        [
            "6:54 expected YYYY-MM-DD, a real date",
            "7:10 used again here, through this alias",
        ]
    );
}

#[test]
fn an_unknown_id_in_an_anchored_stake_is_one_problem_with_its_alias() {
    let run = validate(&[(
        "r.yaml",
        "organisations:\n\
         \x20 - {id: b, name: B, kind: company}\n\
         \x20 - {id: c, name: C, kind: company}\n\
         stakes:\n\
         \x20 - &stake {owner: zz, owned: b, economic: 10}\n\
         \x20 - {<<: *stake, owned: c}\n",
    )]);
    assert_eq!(
        problems(&run),
        [triple(
            "registry::unknown-organisation",
            "r.yaml:5:20",
            "declare `zz` under `organisations` or correct the id"
        )]
    );
    assert_eq!(
        labels(&run.json()[0]),
        [
            "5:20 unknown organisation",
            "6:10 used again here, through this alias"
        ]
    );
}

#[test]
fn a_misspelt_fact_in_an_anchored_condition_is_one_problem_with_its_alias() {
    let dir = tree(&[(
        "policies/p.yaml",
        "id: p\ntitle: t\nseverity: low\non_indeterminate: warn\n\
         applies_to: &cond {fact: vendor.nme, eq: x}\n\
         fails_when:\n  all:\n    - *cond\n    - {fact: relationship.status, eq: active}\n\
         message: \"{vendor.name}\"\n",
    )]);
    let run = vrisk_in(
        dir.path(),
        // The policy is checked beside the built-in registry: policies alone are no input.
        &[
            "validate",
            "--example",
            "--policies",
            "policies",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        problems(&run),
        [triple(
            "policy::unknown-fact",
            "policies/p.yaml:5:26",
            "did you mean `vendor.name`?"
        )]
    );
    assert_eq!(
        labels(&run.json()[0]),
        [
            "5:26 organisation has no field `nme`",
            "8:7 used again here, through this alias"
        ]
    );
}

#[test]
fn an_anchored_test_registry_shared_by_four_cases_reports_its_two_typos_once() {
    let registry = "      organisations:\n\
                    \x20       - {id: acme, name: Acme, kind: compny}\n\
                    \x20       - {id: vendor-a, name: Vendor A, kind: company}\n\
                    \x20     vendors:\n\
                    \x20       - {customer: acme, vendor: vendor-a, status: activ}\n";
    let mut test = format!(
        "cases:\n  - name: case 1\n    org: acme\n    as_of: 2025-06-20\n    registry: &shared\n{registry}    expect: {{vendor-a: pass}}\n"
    );
    for n in 2..=4 {
        test.push_str(&format!(
            "  - name: case {n}\n    org: acme\n    as_of: 2025-06-20\n    registry: *shared\n    expect: {{vendor-a: pass}}\n"
        ));
    }
    let dir = support::base_dir();
    support::write(dir.path(), "policies/rival-stake.test.yaml", &test);
    let run = vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let heads: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with('×'))
        .collect();
    assert_eq!(
        heads,
        [
            "  × /organisations/0/kind: `compny` is not one of company, person, fund, government",
            "  × /vendors/0/status: `activ` is not one of active, exiting, ended",
        ],
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr
            .matches("used again here, through this alias")
            .count(),
        6,
        "each problem names the three aliases:\n{}",
        run.stderr
    );
}

// ---- An enum typo gets a "did you mean" ----

#[test]
fn a_misspelt_tier_suggests_the_right_one() {
    let run = validate(&[(
        "r.yaml",
        "organisations:\n\
         \x20 - {id: a, name: A, kind: company}\n\
         \x20 - {id: b, name: B, kind: company}\n\
         competitors:\n\
         \x20 - {of: a, competitor: b, tier: majr}\n",
    )]);
    assert_eq!(
        problems(&run),
        [triple(
            "registry::schema",
            "r.yaml:5:34",
            "did you mean `major`?"
        )]
    );
    assert_eq!(
        run.json()[0]["message"],
        "/competitors/0/tier: `majr` is not one of major, minor"
    );
}

#[test]
fn a_waiver_for_a_vendor_named_by_its_first_word_suggests_the_full_id() {
    let dir = tree(&[
        (
            "registry.yaml",
            "organisations:\n\
             \x20 - {id: acme, name: Acme, kind: company}\n\
             \x20 - {id: rival, name: Rival, kind: company}\n\
             \x20 - {id: paywave-payments, name: PayWave Payments, kind: company}\n\
             stakes:\n\
             \x20 - {owner: rival, owned: paywave-payments, economic: 30%}\n\
             competitors:\n\
             \x20 - {of: acme, competitor: rival, tier: major}\n\
             vendors:\n\
             \x20 - {customer: acme, vendor: paywave-payments, status: active}\n",
        ),
        (
            "policies/rival-stake.yaml",
            include_str!("corpus/base/policies/rival-stake.yaml"),
        ),
        (
            "waivers.yaml",
            "waivers:\n  - {policy: rival-stake, vendor: paywave, reason: r, approved_by: ciso, expires: 2025-12-31}\n",
        ),
    ]);
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "--org",
            "acme",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--waivers",
            "waivers.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        problems(&run),
        [triple(
            "waiver::unknown-reference",
            "waivers.yaml:2:35",
            "did you mean `paywave-payments`?"
        )]
    );
}

// ---- Every unknown field of a waiver, each with its "did you mean" ----

#[test]
fn every_misspelt_field_of_a_waiver_is_reported_with_the_field_it_stands_for() {
    let run = check_with_waivers(
        "waivers:\n\
         \x20 - policy: rival-stake\n\
         \x20   vendor: vendor-a\n\
         \x20   reason: accepted for the migration\n\
         \x20   approver: ciso\n\
         \x20   expiry: 2025-12-31\n\
         \x20   tickt: RISK-42\n",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        problems(&run),
        [
            triple(
                "waiver::schema",
                "waivers.yaml:5:5",
                "did you mean `approved_by`? (`approved_by` is required and missing here)"
            ),
            triple(
                "waiver::schema",
                "waivers.yaml:6:5",
                "did you mean `expires`? (`expires` is required and missing here)"
            ),
            triple(
                "waiver::schema",
                "waivers.yaml:7:5",
                "did you mean `ticket`?"
            ),
        ]
    );
}

// ---- An unclosed flow bracket is pointed at where it was opened ----

const UNCLOSED: &str = "organisations:\n\
                        \x20 - id: a\n\
                        \x20   name: A\n\
                        \x20   kind: company\n\
                        bad: [unclosed, {\n\
                        note: the rest of the file\n\
                        \x20 is read as part of the bracket\n\
                        sources:\n\
                        \x20 - id: s1\n";

#[test]
fn an_unclosed_bracket_is_labelled_beside_where_the_parser_gave_up() {
    let run = validate(&[("r.yaml", UNCLOSED)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{json:#}");
    assert_eq!(json[0]["code"], "yaml::syntax");
    assert_eq!(
        labels(&json[0]),
        [
            "9:3 here",
            "5:17 this `{` is not closed",
            "5:6 this `[` is not closed",
        ]
    );
    assert_eq!(
        json[0]["help"],
        "the `{` opened on line 5 is still open where parsing stopped (2 brackets are open \
         here): close it with `}`, or quote the value if the bracket is meant as text"
    );
}

#[test]
fn the_snippet_of_an_unclosed_bracket_is_headed_where_the_parser_gave_up() {
    let dir = tree(&[("r.yaml", UNCLOSED)]);
    let run = vrisk_in(dir.path(), &["validate", "r.yaml"]);
    assert_eq!(run.code, 2);
    let expected = "\
  × r.yaml: \"-\" is only valid inside a block
   ╭─[r.yaml:9:3]
 4 │     kind: company
 5 │ bad: [unclosed, {
   ·      ┬          ┬
   ·      │          ╰── this `{` is not closed
   ·      ╰── this `[` is not closed
 6 │ note: the rest of the file
 7 │   is read as part of the bracket
 8 │ sources:
 9 │   - id: s1
   ·   ▲
   ·   ╰── here
   ╰────
";
    assert!(run.stderr.contains(expected), "{}", run.stderr);
}

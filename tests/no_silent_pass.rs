//! No silent pass: a run that checks nothing is an error unless asked for, a policy that applies
//! to no vendor says so, and data that is not known stays indeterminate.

mod support;

use support::{BASE_AS_OF, CHECK_BASE, base_dir, check_base, vrisk_in, write};

#[test]
fn no_policy_is_an_error_unless_allowed() {
    let dir = base_dir();
    // A policy directory that holds only policy tests holds no policy.
    std::fs::remove_file(dir.path().join("policies/rival-stake.yaml")).expect("rm");
    write(dir.path(), "policies/rival-stake.test.yaml", "cases: []\n");
    let run = check_base(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()[0]["code"], "policy::none");

    let run = check_base(dir.path(), &["--allow-empty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 policies × 2 vendor relationships"));
}

#[test]
fn an_empty_policy_directory_is_allowed_only_when_asked() {
    let dir = base_dir();
    std::fs::create_dir(dir.path().join("none")).expect("mkdir");
    let args = [
        "check",
        "-r",
        "registry.yaml",
        "-p",
        "none",
        "--as-of",
        BASE_AS_OF,
    ];
    assert_eq!(vrisk_in(dir.path(), &args).code, 2);
    let run = vrisk_in(dir.path(), &[&args[..], &["--allow-empty"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn no_vendor_relationship_is_an_error_at_the_organisation() {
    let dir = base_dir();
    // `rival` buys from nobody: every policy would pass without looking at anything.
    let run = check_base(dir.path(), &["--org", "rival", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let problem = &run.json()[0];
    assert_eq!(problem["code"], "check::no-vendors");
    assert_eq!(
        (&problem["file"], &problem["line"], &problem["column"]),
        (
            &"registry.yaml".into(),
            &serde_json::json!(9),
            &serde_json::json!(10)
        )
    );
    assert!(run.stderr.contains("--allow-empty"), "{}", run.stderr);

    let run = check_base(dir.path(), &["--org", "rival", "--allow-empty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_policy_that_applies_to_no_vendor_warns_on_stderr_and_in_json() {
    let dir = base_dir();
    write(
        dir.path(),
        "policies/evaluation-only.yaml",
        "id: evaluation-only\ntitle: Evaluation vendors are reviewed\nseverity: low\n\
         applies_to: {fact: relationship.services, any_of: [evaluation]}\n\
         fails_when: {fact: relationship.last_review, older_than: 365d}\n\
         on_indeterminate: warn\nmessage: review {vendor.name}\n",
    );
    let expected =
        "policy `evaluation-only` applies to none of the 2 vendor relationships of `acme`";

    let human = check_base(dir.path(), &[]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stderr.contains(&format!("warning: {expected}")),
        "{}",
        human.stderr
    );

    let json = check_base(dir.path(), &["--format", "json"]);
    assert_eq!(json.json()["warnings"], serde_json::json!([expected]));
    assert!(json.stderr.contains(expected), "{}", json.stderr);
}

#[test]
fn an_unknown_share_stays_indeterminate() {
    let dir = base_dir();
    let run = check_base(dir.path(), &["--format", "json"]);
    let report = run.json();
    let outcome = |vendor: &str| {
        report["findings"]
            .as_array()
            .and_then(|all| all.iter().find(|f| f["vendor"] == vendor))
            .map(|f| f["outcome"].clone())
    };
    // vendor-b's competitor stake is `unknown`: neither a pass nor a failure.
    assert_eq!(
        outcome("vendor-b"),
        Some("indeterminate".into()),
        "{report:#}"
    );
    assert_eq!(outcome("vendor-a"), Some("fail".into()));
    assert_eq!(report["passes"], serde_json::json!([]));
    // Indeterminate results fail the run only when asked.
    assert_eq!(run.code, 1);
}

#[test]
fn an_override_reaches_a_policy_that_loads_only_with_a_raised_limit() {
    let dir = base_dir();
    // 70 nested `not`s (an even number: the condition reads as written), deeper than the
    // default nesting limit of 64.
    let mut condition = "{fact: owner.economic, gte: $threshold}".to_string();
    for _ in 0..70 {
        condition = format!("{{not: {condition}}}");
    }
    write(
        dir.path(),
        "policies/rival-stake.yaml",
        &format!(
            "id: rival-stake\ntitle: Deep\nseverity: high\n\
             params:\n  threshold: {{type: percent, default: 20%}}\n\
             fails_when:\n  exists: {{each: vendor.owners, where: {condition}}}\n\
             on_indeterminate: pass\nmessage: \"{{vendor.name}}\"\n"
        ),
    );
    assert_eq!(check_base(dir.path(), &[]).code, 2);
    let raised = [&CHECK_BASE[..], &["--max-depth", "200"]].concat();
    // vendor-a is 30% owned by its competitor: it fails at 20%, and passes at 50% only if the
    // override is applied.
    assert_eq!(vrisk_in(dir.path(), &raised).code, 1);
    let lenient = [&raised[..], &["--param", "rival-stake.threshold=50%"]].concat();
    let run = vrisk_in(dir.path(), &lenient);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

//! A stake stated twice is not summed silently: two stakes equal in every field are an error at
//! both, in one file or across files; two stakes of one owner in one organisation in force at
//! once are a warning that they add up, unless they are of different share classes.

mod support;

use serde_json::Value;
use support::{Run, tree, vrisk_in};

const ORGANISATIONS: &str = "default_org: us
organisations:
  - {id: us, name: Us, kind: company}
  - {id: rival, name: Rival, kind: company}
  - {id: v, name: Vendor, kind: company}
competitors:
  - {of: us, competitor: rival, tier: major}
vendors:
  - {customer: us, vendor: v, services: [data-labelling], status: active}
";

fn validate(files: &[(&str, &str)]) -> Run {
    let dir = tree(files);
    let mut args = vec!["validate", "--format", "json"];
    args.extend(files.iter().map(|(name, _)| *name));
    vrisk_in(dir.path(), &args)
}

/// (code, file:line:col of each label) of every problem.
fn problems(run: &Run) -> Vec<(String, Vec<String>)> {
    run.json()
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let labels = p["labels"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| {
                    format!(
                        "{}:{}:{}",
                        l["file"].as_str().unwrap_or(""),
                        l["line"],
                        l["column"]
                    )
                })
                .collect();
            (p["code"].as_str().unwrap_or("").to_string(), labels)
        })
        .collect()
}

fn message(run: &Run, code: &str) -> String {
    run.json()
        .as_array()
        .and_then(|all| all.iter().find(|p| p["code"] == code))
        .and_then(|p| p["message"].as_str())
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_same_stake_twice_in_one_file_is_an_error_at_both() {
    let registry = format!(
        "{ORGANISATIONS}stakes:
  - {{owner: rival, owned: v, economic: 15%}}
  - {{owner: rival, owned: v, economic: 15%}}
"
    );
    let run = validate(&[("registry.yaml", &registry)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(
        problems(&run),
        [(
            "registry::duplicate-stake".to_string(),
            vec![
                "registry.yaml:12:40".to_string(),
                "registry.yaml:11:40".to_string()
            ]
        )]
    );
    assert_eq!(
        message(&run, "registry::duplicate-stake"),
        "the stake of `rival` in `v` is stated twice"
    );
}

#[test]
fn the_same_stake_in_two_files_is_an_error_at_both() {
    let registry =
        format!("{ORGANISATIONS}stakes:\n  - {{owner: rival, owned: v, economic: 15%}}\n");
    let more = "stakes:\n  - {owner: rival, owned: v, economic: 15%}\n";
    let run = validate(&[("registry.yaml", &registry), ("more.yaml", more)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(
        problems(&run),
        [(
            "registry::duplicate-stake".to_string(),
            vec![
                "more.yaml:2:40".to_string(),
                "registry.yaml:11:40".to_string()
            ]
        )]
    );
    // Nothing is evaluated: the check stops with the same error.
    let dir = tree(&[("registry.yaml", registry.as_str()), ("more.yaml", more)]);
    let check = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-r",
            "more.yaml",
            "--as-of",
            "2025-06-20",
        ],
    );
    assert_eq!(check.code, 2);
    assert!(
        check.stderr.contains("registry::duplicate-stake"),
        "{}",
        check.stderr
    );
    assert!(check.stdout.is_empty(), "{}", check.stdout);
}

#[test]
fn overlapping_stakes_with_different_figures_warn_that_they_add_up() {
    let registry = format!(
        "{ORGANISATIONS}stakes:
  - {{owner: rival, owned: v, economic: 15%, start: 2024-01-01}}
  - {{owner: rival, owned: v, economic: 10%, start: 2025-01-01, end: 2025-12-31}}
"
    );
    let run = validate(&[("registry.yaml", &registry)]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        problems(&run),
        [(
            "registry::overlapping-stakes".to_string(),
            vec![
                "registry.yaml:12:40".to_string(),
                "registry.yaml:11:40".to_string()
            ]
        )]
    );
    assert_eq!(
        message(&run, "registry::overlapping-stakes"),
        "`rival` holds two stakes in `v` at once from 2025-01-01, 15% and 10%: they add up to 25%"
    );
    // And they do add up: 25% of Vendor fails competitor-ownership's 20%.
    let dir = tree(&[("registry.yaml", registry.as_str())]);
    let check = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    );
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("warning: registry.yaml:12:40: `rival` holds two stakes in `v` at once"),
        "{}",
        check.stderr
    );
    let report: Value = check.json();
    let ownership = report["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["policy"] == "competitor-ownership"))
        .and_then(|f| f["message"].as_str())
        .unwrap_or("")
        .to_string();
    assert!(ownership.starts_with("Vendor is 25% owned"), "{ownership}");
}

#[test]
fn share_classes_and_successive_stakes_add_up_without_a_warning() {
    let registry = format!(
        "{ORGANISATIONS}stakes:
  - {{owner: rival, owned: v, economic: 15%, class: ordinary}}
  - {{owner: rival, owned: v, economic: 10%, voting: 0%, class: preferred}}
  - {{owner: rival, owned: v, economic: 5%, class: class-b, end: 2024-12-31}}
  - {{owner: rival, owned: v, economic: 8%, class: class-b, start: 2025-01-01}}
"
    );
    let run = validate(&[("registry.yaml", &registry)]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(problems(&run), []);
}

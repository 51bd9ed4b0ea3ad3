//! `vrisk validate` on bad registry input: every case exits 2 with a diagnostic at the right
//! line and column, and never panics.

mod support;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const SOURCES: &str = "sources:\n  - id: s1\n    title: A source\n";

/// Writes `files` into a fresh directory and runs `vrisk validate --format json` on `args`
/// there. Returns the exit code and the problems printed.
fn validate_in(files: &[(&str, &[u8])], args: &[&str]) -> (i32, Value, String) {
    let dir = support::tree(files);
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .arg("validate")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run vrisk");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "vrisk panicked: {stderr}");
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json, stderr)
}

fn validate_one(content: &[u8]) -> (i32, Value) {
    let (code, json, _) = validate_in(&[("r.yaml", content)], &["r.yaml"]);
    (code, json)
}

/// The first problem's code and `file:line:col`.
fn first(json: &Value) -> (String, String) {
    let p = &json[0];
    let code = p["code"].as_str().unwrap_or("<none>").to_string();
    let place = match (p["file"].as_str(), p["line"].as_u64(), p["column"].as_u64()) {
        (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
        _ => "<no location>".to_string(),
    };
    (code, place)
}

fn assert_invalid(content: &[u8], code: &str, place: &str) {
    let (exit, json) = validate_one(content);
    assert_eq!(exit, 2, "exit code; problems: {json:#}");
    assert_eq!(
        first(&json),
        (code.to_string(), place.to_string()),
        "{json:#}"
    );
}

#[test]
fn yaml_syntax_error() {
    assert_invalid(
        b"organisations:\n  - id: a\n    name: [A\n    kind: company\n",
        "yaml::syntax",
        "r.yaml:4:9",
    );
}

#[test]
fn wrong_type() {
    let text = format!(
        "{SOURCES}organisations:\n  - id: a\n    name: A\n    kind: company\n    aliases: Scale\n"
    );
    assert_invalid(text.as_bytes(), "registry::schema", "r.yaml:8:14");
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let text = "organisations:\n  - id: a\n    name: A\n    knd: company\n";
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    let problem = json
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|p| p["message"].as_str().unwrap_or("").contains("knd"))
        })
        .expect("a problem about `knd`");
    assert_eq!(problem["line"], 4);
    assert_eq!(problem["column"], 5);
    assert_eq!(
        problem["help"],
        "did you mean `kind`? (`kind` is required and missing here)"
    );
    assert!(
        !json.to_string().contains("missing field `kind`"),
        "the misspelt field is not reported missing as well: {json:#}"
    );
}

#[test]
fn duplicate_key() {
    assert_invalid(
        b"organisations:\n  - id: a\n    name: A\n    id: b\n",
        "yaml::duplicate-key",
        "r.yaml:4:5",
    );
}

#[test]
fn norway_stays_a_string() {
    let text =
        "organisations:\n  - id: equinor\n    name: Equinor\n    kind: company\n    country: NO\n";
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 0, "country: NO must be the string \"NO\": {json:#}");
}

#[test]
fn alias_bomb() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..20 {
        let prev = if i == 1 {
            "a".to_string()
        } else {
            format!("a{}", i - 1)
        };
        text.push_str(&format!(
            "a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    assert_eq!(first(&json).0, "limits::alias-expansion", "{json:#}");
}

#[test]
fn nesting_ten_thousand_deep() {
    let text = format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    let (code, place) = first(&json);
    assert_eq!(code, "limits::depth", "{json:#}");
    assert!(place.starts_with("r.yaml:1:"), "{place}");
}

#[test]
fn block_nesting_ten_thousand_deep() {
    let mut text = String::new();
    for depth in 0..10_000 {
        text.push_str(&" ".repeat(depth));
        text.push_str("a:\n");
    }
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    assert_eq!(first(&json).0, "limits::depth", "{json:#}");
}

#[test]
fn empty_file() {
    assert_invalid(b"", "yaml::empty", "r.yaml:1:1");
    assert_invalid(b"\n  \n", "yaml::empty", "r.yaml:1:1");
}

#[test]
fn non_utf8_bytes() {
    let (exit, json) = validate_one(b"organisations:\n  - id: caf\xe9\n");
    assert_eq!(exit, 2);
    assert_eq!(json[0]["code"], "input::not-utf8");
    let message = json[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("r.yaml:2:12"), "{message}");
}

#[test]
fn missing_file() {
    let (exit, json, _) = validate_in(&[], &["nowhere.yaml"]);
    assert_eq!(exit, 2);
    assert_eq!(json[0]["code"], "input::not-found");
    assert!(
        json[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nowhere.yaml")
    );
}

#[test]
fn directory_without_yaml() {
    let (exit, json, _) = validate_in(&[("empty/readme.txt", b"hello")], &["empty"]);
    assert_eq!(exit, 2);
    assert_eq!(json[0]["code"], "input::no-files");
}

#[test]
fn share_of_149() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: b, name: B, kind: company}}\nstakes:\n  - owner: a\n    owned: b\n    economic: 149\n"
    );
    assert_invalid(
        text.as_bytes(),
        "registry::share-out-of-range",
        "r.yaml:10:15",
    );
}

#[test]
fn unknown_owner_id_suggests_the_closest() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: meta, name: Meta, kind: company}}\n  - {{id: scale-ai, name: Scale AI, kind: company}}\nstakes:\n  - owner: meat\n    owned: scale-ai\n    economic: 49%\n"
    );
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    assert_eq!(
        first(&json),
        (
            "registry::unknown-organisation".to_string(),
            "r.yaml:8:12".to_string()
        )
    );
    assert_eq!(json[0]["help"], "did you mean `meta`?");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: a, name: A2, kind: company}}\nstakes:\n  - {{owner: a, owned: x, economic: 20%, source: s9}}\n  - {{owner: a, owned: a, economic: 150}}\n  - {{owner: a, owned: a, economic: 5, start: 2025-06-01, end: 2025-01-01}}\n"
    );
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    let codes: Vec<&str> = json
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["code"].as_str()).collect())
        .unwrap_or_default();
    for code in [
        "registry::duplicate-id",
        "registry::unknown-organisation",
        "registry::unknown-source",
        "registry::share-out-of-range",
        "registry::self-stake",
        "registry::end-before-start",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn owners_adding_up_to_more_than_100() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: b, name: B, kind: company}}\n  - {{id: v, name: V, kind: company}}\nstakes:\n  - {{owner: a, owned: v, economic: 60}}\n  - {{owner: b, owned: v, economic: {{min: 45, max: 50}}}}\n"
    );
    assert_invalid(text.as_bytes(), "registry::owners-over-100", "r.yaml:10:36");
}

#[test]
fn owners_over_100_only_when_dates_overlap() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: b, name: B, kind: company}}\n  - {{id: v, name: V, kind: company}}\nstakes:\n  - {{owner: a, owned: v, economic: 60, end: 2024-12-31}}\n  - {{owner: b, owned: v, economic: 60, start: 2025-01-01}}\n"
    );
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 0, "{json:#}");
}

#[test]
fn full_ownership_cycle() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: b, name: B, kind: company}}\nstakes:\n  - {{owner: a, owned: b, economic: 100}}\n  - {{owner: b, owned: a, economic: 100%}}\n"
    );
    let (exit, json) = validate_one(text.as_bytes());
    assert_eq!(exit, 2);
    assert_eq!(first(&json).0, "registry::full-ownership-cycle", "{json:#}");
}

#[test]
fn invalid_calendar_date() {
    let text = format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: b, name: B, kind: company}}\nstakes:\n  - owner: a\n    owned: b\n    economic: 10\n    start: 2025-02-30\n"
    );
    assert_invalid(text.as_bytes(), "registry::invalid-date", "r.yaml:11:12");
}

#[test]
fn files_in_a_directory_are_merged() {
    let orgs = "organisations:\n  - {id: a, name: A, kind: company}\n  - {id: b, name: B, kind: company}\n";
    let stakes = "stakes:\n  - {owner: a, owned: b, economic: 10}\n";
    let (exit, _, _) = validate_in(
        &[
            ("reg/orgs.yaml", orgs.as_bytes()),
            ("reg/stakes.yml", stakes.as_bytes()),
        ],
        &["reg"],
    );
    assert_eq!(exit, 0);
}

/// The rendered diagnostic, as a person sees it on a terminal without colour.
fn rendered(content: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("r.yaml"), content).expect("write");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .args(["validate", "r.yaml"])
        .output()
        .expect("run vrisk");
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn rendered_unknown_owner() {
    insta::assert_snapshot!(rendered(&format!(
        "{SOURCES}organisations:\n  - {{id: meta, name: Meta, kind: company}}\n  - {{id: scale-ai, name: Scale AI, kind: company}}\nstakes:\n  - owner: meat\n    owned: scale-ai\n    economic: 49%\n"
    )));
}

#[test]
fn rendered_duplicate_key() {
    insta::assert_snapshot!(rendered(
        "organisations:\n  - id: a\n    name: A\n    id: b\n"
    ));
}

#[test]
fn rendered_share_out_of_range() {
    insta::assert_snapshot!(rendered(&format!(
        "{SOURCES}organisations:\n  - {{id: a, name: A, kind: company}}\n  - {{id: b, name: B, kind: company}}\nstakes:\n  - owner: a\n    owned: b\n    economic: 149\n"
    )));
}

#[test]
fn the_shipped_registry_and_policies_are_valid() {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "registry/", "--policies", "policies/"])
        .output()
        .expect("run vrisk");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "registry valid: 6 files, 14 organisations, 1 stake, 20 competitors, 12 vendor relationships, 2 sources; policies valid: 7 policies\n"
    );
}

#[test]
fn a_bad_policy_fails_validation_with_its_position() {
    let (exit, json, _) = validate_in(
        &[
            (
                "r.yaml",
                b"organisations:\n  - {id: a, name: A, kind: company}\n",
            ),
            ("p/bad.yaml", b"id: bad\ntitle: Bad\nseverity: severe\n"),
        ],
        &["r.yaml", "--policies", "p"],
    );
    assert_eq!(exit, 2);
    let codes: Vec<&str> = json
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(codes.iter().all(|c| c.starts_with("policy::")), "{json:#}");
    assert!(
        json.as_array()
            .is_some_and(|a| a.iter().any(|p| p["line"] == 3)),
        "{json:#}"
    );
}

#[test]
fn counts_of_one_take_the_singular() {
    let dir = support::tree(&[
        (
            "registry.yaml",
            "sources:\n  - {id: s1, title: A source}\n\
             organisations:\n  - {id: acme, name: Acme, kind: company}\n  - {id: rival, name: Rival, kind: company}\n\
             stakes:\n  - {owner: rival, owned: acme, economic: 10%, source: s1}\n\
             competitors:\n  - {of: acme, competitor: rival, tier: major}\n\
             vendors:\n  - {customer: acme, vendor: rival, status: active}\n",
        ),
        (
            "policies/exiting.yaml",
            "id: exiting\ntitle: A vendor being exited\nseverity: low\non_indeterminate: warn\n\
             fails_when: {fact: relationship.status, eq: exiting}\nmessage: \"{vendor.name} is being exited\"\n",
        ),
        (
            "policies/exiting.test.yaml",
            "cases:\n  - name: one\n    org: acme\n    as_of: 2025-06-20\n    registry_files: [../registry.yaml]\n    expect: {rival: pass}\n",
        ),
    ]);
    let validate = support::vrisk_in(
        dir.path(),
        &["validate", "registry.yaml", "--policies", "policies"],
    );
    assert_eq!(
        validate.stdout,
        "registry valid: 1 file, 2 organisations, 1 stake, 1 competitor, 1 vendor relationship, 1 source; policies valid: 1 policy\n",
        "{}",
        validate.stderr
    );
    let check = support::vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--org",
            "acme",
            "--as-of",
            "2025-06-20",
        ],
    );
    assert!(
        check
            .stdout
            .contains("vrisk: acme (Acme) as of 2025-06-20: 1 policy × 1 vendor relationship\n"),
        "{}",
        check.stdout
    );
    let test = support::vrisk_in(dir.path(), &["test", "policies"]);
    assert_eq!(
        test.stdout,
        "policy exiting (policies/exiting.yaml)\n\
         \x20 ok      one\n\
         \x20 coverage: 0 of 1 condition seen true and false; not covered:\n\
         \x20   policies/exiting.yaml:5:13: relationship.status == exiting: never true\n\
         \n\
         test result: ok. 1 passed, 0 failed; 1 policy, 0 of 1 condition covered\n"
    );
}

//! BODS files as registry input: effective shares of the project's own 0.4 and 0.3 fixtures
//! through the library (as `vrisk check` builds its ownership world), the CLI on the same files,
//! a YAML vendor list linked to BODS ownership data, located errors, and the reference examples
//! of the standard when `../shared/bods` is present.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use vrisk::engine::World;
use vrisk::input::limits::Limits;
use vrisk::input::source::{SourceFile, SourceMap};
use vrisk::ownership::{Method, Share};
use vrisk::registry::{self, OrgKind, Registry};
use vrisk::value::date::Date;
use vrisk::value::interval::Interval;
use vrisk::value::truth::Truth;

const TOLERANCE: f64 = 1e-9;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bods")
        .join(name)
}

fn load(paths: &[PathBuf]) -> Registry {
    let mut sources = SourceMap::new();
    match registry::load(paths, &mut sources, &Limits::default()) {
        Ok(registry) => registry,
        Err(problems) => panic!(
            "{:?} did not load:\n{}",
            paths,
            problems
                .iter()
                .map(|p| p.render(&sources, 100))
                .collect::<String>()
        ),
    }
}

fn load_fixture(name: &str) -> Registry {
    load(&[fixture(name)])
}

fn day(text: &str) -> Date {
    Date::parse(text).expect("a date")
}

/// The effective share of `owner` in `entity` on `as_of`, as `vrisk check` computes it.
fn share(registry: &Registry, owner: &str, entity: &str, as_of: &str) -> Share {
    let index = |id: &str| {
        registry
            .org_index(id)
            .unwrap_or_else(|| panic!("no organisation `{id}`"))
    };
    let world = World::new(registry, index(owner), day(as_of));
    world.share(index(owner), index(entity), Method::Integrated)
}

fn assert_interval(actual: Interval, min: f64, max: f64) {
    assert!(
        (actual.min - min).abs() < TOLERANCE && (actual.max - max).abs() < TOLERANCE,
        "{actual:?} is not [{min}, {max}]"
    );
}

#[test]
fn chain_of_sixty_then_forty_is_twenty_four_percent() {
    let registry = load_fixture("chain-0.4.json");
    let s = share(&registry, "x-holdings", "v-labels", "2025-01-01");
    assert_interval(s.economic, 24.0, 24.0);
    assert_interval(s.voting, 24.0, 24.0);
    // Before the interests started there is nothing.
    assert!(share(&registry, "x-holdings", "v-labels", "2019-12-31").is_zero());
}

#[test]
fn record_ids_that_are_not_vrisk_ids_get_a_slug_and_keep_the_original() {
    let registry = load_fixture("chain-0.4.json");
    let h = registry.org("h-0002").expect("H-0002 as h-0002");
    assert_eq!(h.name, "H Intermediate Ltd");
    assert!(
        h.identifiers
            .iter()
            .any(|i| i.scheme == "bods-record-id" && i.id == "H-0002")
    );
    // A subdivision code gives its country.
    assert_eq!(h.country.as_deref(), Some("GB"));
    let x = registry.org("x-holdings").expect("x-holdings");
    assert!(
        x.identifiers
            .iter()
            .any(|i| i.scheme == "GB-COH" && i.id == "00000001")
    );
    assert!(
        !x.identifiers.iter().any(|i| i.scheme == "bods-record-id"),
        "a valid id is kept as it is"
    );
}

#[test]
fn version_0_3_chain_honours_replaced_statements() {
    let registry = load_fixture("chain-0.3.json");
    let x = "0a3c0000-0000-4000-8000-00000000000x";
    let v = "0a3c0000-0000-4000-8000-00000000000v";
    // The 50% statement was replaced by the 60% one: 60% x 40%.
    assert_interval(share(&registry, x, v, "2021-01-01").economic, 24.0, 24.0);
    assert_eq!(registry.stakes.len(), 2);
}

#[test]
fn band_then_forty_percent_is_twenty_to_thirty() {
    // JSON Lines, with a blank line between statements.
    let registry = load_fixture("band-0.4.jsonl");
    let s = share(&registry, "p-person", "r-data", "2025-01-01");
    assert_interval(s.economic, 20.0, 30.0);
    assert!(s.economic.max_exclusive, "75% was an exclusive maximum");
    assert_eq!(s.economic.ge(30.0), Truth::False);
    assert_eq!(s.economic.ge(20.0), Truth::True);
    assert_eq!(s.economic.ge(25.0), Truth::Unknown);
    assert_eq!(
        registry.org("p-person").map(|o| o.kind),
        Some(OrgKind::Person)
    );
    assert_eq!(
        registry.org("p-person").and_then(|o| o.country.as_deref()),
        Some("IE")
    );
}

#[test]
fn version_0_3_bands_are_open_at_the_maximum() {
    let registry = load_fixture("band-0.3.json");
    let p = "1b3c0000-0000-4000-8000-0000000000p1";
    let r = "1b3c0000-0000-4000-8000-0000000000r1";
    let s = share(&registry, p, r, "2025-01-01");
    assert_interval(s.economic, 20.0, 30.0);
    assert!(s.economic.max_exclusive);
    // The individual name is the name; the other becomes an alias.
    let person = registry.org(p).expect("person");
    assert_eq!(person.name, "Pat Example");
    assert_eq!(person.aliases, ["P. Example"]);
    // "No beneficial owners" is still shown, as an unspecified owner of unknown share.
    let unspecified = registry
        .organisations
        .iter()
        .find(|o| o.name == "Unspecified owner (no beneficial owners)")
        .expect("unspecified owner");
    let stake = registry
        .stakes
        .iter()
        .find(|s| s.owner.id == unspecified.id.value)
        .expect("its stake");
    assert!(stake.economic.interval.is_unknown());
}

#[test]
fn joint_ownership_through_an_arrangement() {
    let registry = load_fixture("joint-0.4.json");
    for person in ["ann", "bob"] {
        assert_interval(
            share(&registry, person, "joint-co", "2025-01-01").economic,
            50.0,
            50.0,
        );
    }
    assert_eq!(
        registry.org("joint-holding").map(|o| o.kind),
        Some(OrgKind::Fund)
    );
}

#[test]
fn non_voting_stake_keeps_votes_at_zero() {
    let registry = load_fixture("non-voting-0.4.json");
    let s = share(&registry, "big-platform", "label-startup", "2025-06-20");
    assert_interval(s.economic, 49.0, 49.0);
    assert_interval(s.voting, 0.0, 0.0);
    assert!(share(&registry, "big-platform", "label-startup", "2025-06-11").is_zero());
    assert_eq!(
        registry
            .org("big-platform")
            .and_then(|o| o.country.as_deref()),
        Some("US")
    );
}

#[test]
fn a_closed_record_ends_its_stakes_the_day_before_it_closed() {
    let registry = load_fixture("closed-0.4.json");
    assert_interval(
        share(&registry, "old-investor", "target-co", "2022-01-01").economic,
        30.0,
        30.0,
    );
    assert_interval(
        share(&registry, "old-investor", "target-co", "2023-05-31").economic,
        30.0,
        30.0,
    );
    assert!(share(&registry, "old-investor", "target-co", "2023-06-01").is_zero());
    // The latest statement of a record wins, wherever it is in the file.
    assert_eq!(
        registry.org("target-co").map(|o| o.name.as_str()),
        Some("Target Company Ltd")
    );
}

#[test]
fn undisclosed_owners_are_visible() {
    let registry = load_fixture("unspecified-0.4.json");
    let owner = registry
        .org("unspecified-rel-7")
        .expect("unspecified owner");
    assert_eq!(
        owner.name,
        "Unspecified owner (interested party has not provided information)"
    );
    let s = share(
        &registry,
        "unspecified-rel-7",
        "opaque-vendor",
        "2025-01-01",
    );
    assert_interval(s.economic, 25.0, 50.0);
    assert!(!s.economic.max_exclusive, "0.4 maxima are inclusive");
    let anon = registry.org("anon").expect("anonymous person");
    assert_eq!(
        anon.name,
        "Anonymous person (subject exempt from disclosure)"
    );
    // A board seat states no share: unknown.
    let board = registry
        .stakes
        .iter()
        .find(|s| s.owner.id == "anon")
        .expect("board seat stake");
    assert!(board.economic.interval.is_unknown());
    assert!(!board.board, "a board member is not board control");
}

#[test]
fn declared_indirect_interests_are_not_added_to_chains() {
    let registry = load_fixture("indirect-0.4.json");
    // Chain: 50% x 60% = 30%; the declared indirect 30% is not added on top.
    assert_interval(
        share(&registry, "parent", "bottom", "2025-01-01").economic,
        30.0,
        30.0,
    );
    // With no chain known, the declared indirect interest stands in.
    assert_interval(
        share(&registry, "parent", "loner", "2025-01-01").economic,
        35.0,
        35.0,
    );
    let declared = registry
        .stakes
        .iter()
        .find(|s| s.id.as_deref() == Some("rel-parent-bottom"))
        .expect("declared indirect interest");
    assert!(declared.indirect);
}

/// [`support::vrisk_in`] as (exit code, stdout, stderr), the shape these tests take apart.
fn vrisk(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let run = support::vrisk_in(dir, args);
    (run.code, run.stdout, run.stderr)
}

#[test]
fn validate_accepts_every_fixture() {
    let dir = fixture("");
    let cases = [
        ("chain-0.4.json", "3 organisations, 2 stakes"),
        ("chain-0.3.json", "3 organisations, 2 stakes"),
        ("band-0.4.jsonl", "3 organisations, 2 stakes"),
        ("band-0.3.json", "4 organisations, 3 stakes"),
        ("joint-0.4.json", "4 organisations, 3 stakes"),
        ("non-voting-0.4.json", "2 organisations, 1 stake"),
        ("closed-0.4.json", "2 organisations, 1 stake"),
        ("unspecified-0.4.json", "3 organisations, 2 stakes"),
        ("indirect-0.4.json", "4 organisations, 4 stakes"),
    ];
    for (file, counts) in cases {
        let (code, stdout, stderr) = vrisk(&dir, &["validate", "--registry", file]);
        assert_eq!(code, 0, "{file}: {stderr}");
        assert!(
            stdout.starts_with(&format!("registry valid: 1 file, {counts}")),
            "{file}: {stdout}"
        );
    }
    // A directory picks up JSON and JSON Lines next to YAML.
    let (code, stdout, stderr) = vrisk(&dir, &["validate", "--registry", "linked"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("registry valid: 2 files"), "{stdout}");
}

#[test]
fn yaml_vendor_list_and_bods_ownership_check_together() {
    let dir = fixture("linked");
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let policies = policies.to_str().expect("utf-8 path");
    let run = |registries: &[&str], as_of: &str| {
        let mut args = vec!["check"];
        for r in registries {
            args.extend(["--registry", r]);
        }
        args.extend([
            "--policies",
            policies,
            "--org",
            "acme",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        let (code, stdout, stderr) = vrisk(&dir, &args);
        let report: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
        (code, report)
    };
    let failing = |report: &Value| -> Vec<(String, String)> {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["outcome"] == "fail")
            .map(|f| {
                (
                    f["policy"].as_str().unwrap_or("").to_string(),
                    f["vendor"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };

    let (code, report) = run(&["registry", "ownership.json"], "2025-01-01");
    assert_eq!(code, 1, "{report:#}");
    let fails = failing(&report);
    assert!(
        fails.contains(&("competitor-ownership".to_string(), "labelco".to_string())),
        "{fails:?}"
    );
    let finding = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["policy"] == "competitor-ownership")
        .expect("finding");
    assert!(
        finding["message"].as_str().unwrap_or("").contains("35%"),
        "{finding:#}"
    );
    // The linked record's other name is reported, with its place in the BODS file.
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("ownership.json:2:3"), "{warnings}");
    assert!(warnings.contains("LabelCo Ltd"), "{warnings}");

    // Without the BODS file, or before the stake, nothing fails.
    let (code, report) = run(&["registry"], "2025-01-01");
    assert_eq!((code, failing(&report)), (0, vec![]), "{report:#}");
    let (code, report) = run(&["registry", "ownership.json"], "2024-01-14");
    assert_eq!((code, failing(&report)), (0, vec![]), "{report:#}");
}

/// Writes `files` to a temporary directory and runs `vrisk validate --format json` on `args`.
fn validate_files(files: &[(&str, &str)], args: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let mut all = vec!["validate", "--format", "json"];
    all.extend(args);
    let (code, stdout, _) = vrisk(dir.path(), &all);
    (code, serde_json::from_str(&stdout).unwrap_or(Value::Null))
}

fn codes_and_places(problems: &Value) -> Vec<(String, String)> {
    problems
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["code"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}:{}:{}",
                    p["file"].as_str().unwrap_or(""),
                    p["line"],
                    p["column"]
                ),
            )
        })
        .collect()
}

const ENTITY: &str = r#"{"statementId":"s1","recordId":"a","recordType":"entity","recordDetails":{"isComponent":false,"name":"A"}}"#;

#[test]
fn json_lines_syntax_errors_are_located_and_reading_goes_on() {
    let text = format!(
        "{ENTITY}\n{}\n{{\"recordId\": \"b\",, }}\n{}\n{{oops}}\n",
        ENTITY.replace("\"a\"", "\"c\""),
        ENTITY.replace("\"a\"", "\"d\"")
    );
    let (code, problems) = validate_files(&[("o.jsonl", &text)], &["o.jsonl"]);
    assert_eq!(code, 2);
    assert_eq!(
        codes_and_places(&problems),
        [
            ("json::syntax".to_string(), "o.jsonl:3:18".to_string()),
            ("json::syntax".to_string(), "o.jsonl:5:2".to_string()),
        ]
    );
}

#[test]
fn bad_statements_are_reported_where_they_are() {
    let text = r#"[
  {"recordId": "a", "recordDetails": {"name": "A"}},
  {"recordId": "b", "recordType": "entity", "statementDate": "2024-13-01", "recordDetails": {"name": "B"}},
  {"recordId": "r", "recordType": "relationship", "recordDetails": {"subject": "b", "interestedParty": "zz",
    "interests": [{"type": "shareholding", "share": {"exact": 150}}]}},
  {"recordId": "q", "recordType": "membership", "recordDetails": {}},
  42
]"#;
    let (code, problems) = validate_files(&[("s.json", text)], &["s.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        codes_and_places(&problems),
        [
            ("bods::missing-field".to_string(), "s.json:2:3".to_string()),
            ("bods::invalid-date".to_string(), "s.json:3:62".to_string()),
            (
                "bods::share-out-of-range".to_string(),
                "s.json:5:63".to_string()
            ),
            (
                "bods::unknown-record-type".to_string(),
                "s.json:6:35".to_string()
            ),
            (
                "bods::not-a-statement".to_string(),
                "s.json:7:3".to_string()
            ),
        ]
    );
}

#[test]
fn a_relationship_to_a_record_no_file_describes_is_an_error() {
    let text = format!(
        "[{ENTITY},\n {{\"recordId\": \"r\", \"recordType\": \"relationship\", \"recordDetails\": {{\"subject\": \"a\", \"interestedParty\": \"ghost\"}}}}]"
    );
    let (code, problems) = validate_files(&[("u.json", &text)], &["u.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        codes_and_places(&problems),
        [(
            "bods::unknown-record".to_string(),
            "u.json:2:103".to_string()
        )]
    );
}

#[test]
fn json_that_is_not_bods_says_so() {
    let (code, problems) = validate_files(&[("n.json", "{\"hello\": 1}\n")], &["n.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        codes_and_places(&problems),
        [("bods::not-bods".to_string(), "n.json:1:1".to_string())]
    );
    let (_, problems) = validate_files(&[("e.json", "  \n")], &["e.json"]);
    assert_eq!(problems[0]["code"], "json::empty");
    let (_, problems) = validate_files(&[("t.json", "[1, 2]")], &["t.json"]);
    assert_eq!(problems[0]["code"], "bods::not-bods");
}

#[test]
fn a_registry_written_as_json_is_read_as_a_registry() {
    let text = r#"{"organisations": [{"id": "a", "name": "A", "kind": "company"}],
 "stakes": [{"owner": "a", "owned": "b", "economic": 10}]}"#;
    let (code, problems) = validate_files(&[("r.json", text)], &["r.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        codes_and_places(&problems),
        [(
            "registry::unknown-organisation".to_string(),
            "r.json:2:37".to_string()
        )]
    );
}

/// A generated JSON Lines file: `n` companies, each owned 50% by the one before it.
fn generated_jsonl(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "{{\"statementId\":\"e{i}\",\"statementDate\":\"2024-01-01\",\"recordId\":\"C{i}\",\"recordType\":\"entity\",\"recordStatus\":\"new\",\"recordDetails\":{{\"isComponent\":false,\"entityType\":{{\"type\":\"registeredEntity\"}},\"name\":\"Company {i}\",\"identifiers\":[{{\"scheme\":\"GB-COH\",\"id\":\"{i:08}\"}}]}}}}\n"
        ));
        if i > 0 {
            text.push_str(&format!(
                "{{\"statementId\":\"r{i}\",\"statementDate\":\"2024-01-01\",\"recordId\":\"rel-{i}\",\"recordType\":\"relationship\",\"recordStatus\":\"new\",\"recordDetails\":{{\"isComponent\":false,\"subject\":\"C{i}\",\"interestedParty\":\"C{}\",\"interests\":[{{\"type\":\"shareholding\",\"directOrIndirect\":\"direct\",\"share\":{{\"exact\":50}}}}]}}}}\n",
                i - 1
            ));
        }
    }
    text
}

#[test]
fn generated_json_lines_load_in_full() {
    let n = 5_000;
    let file = SourceFile::new("big.jsonl", None, generated_jsonl(n));
    let mut sources = SourceMap::new();
    let registry = registry::load_files(vec![file], &mut sources, &Limits::default())
        .unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(registry.organisations.len(), n);
    assert_eq!(registry.stakes.len(), n - 1);
    assert!(
        registry.org(&format!("c{}", n - 1)).is_some(),
        "record ids that are slugs are kept"
    );
    assert_interval(
        share(&registry, "c0", "c2", "2025-01-01").economic,
        25.0,
        25.0,
    );
}

/// A file large enough that several threads read it (parts of 1 MiB): problems on lines far
/// apart come in line order, at their line and column, whichever thread read them.
#[test]
fn problems_in_a_large_json_lines_file_are_in_line_order() {
    let mut lines: Vec<String> = generated_jsonl(8_000).lines().map(str::to_string).collect();
    lines[2] = "{\"recordId\": \"b\",, }".to_string();
    lines[6_000] = lines[6_000].replacen("\"2024-01-01\"", "\"2024-02-30\"", 1);
    lines[11_000] = lines[11_000].replacen("\"exact\":50", "\"exact\":150", 1);
    let last = lines.len() - 2;
    lines[last] = "{oops}".to_string();
    let text = lines.join("\n");
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let column = |line: usize, token: &str| lines[line].find(token).map_or(0, |c| c + 1);
    let (code, problems) = validate_files(&[("big.jsonl", &text)], &["big.jsonl"]);
    assert_eq!(code, 2);
    assert_eq!(
        codes_and_places(&problems),
        [
            ("json::syntax".to_string(), "big.jsonl:3:18".to_string()),
            (
                "bods::invalid-date".to_string(),
                format!("big.jsonl:6001:{}", column(6_000, "\"2024-02-30\""))
            ),
            (
                "bods::share-out-of-range".to_string(),
                format!("big.jsonl:11001:{}", column(11_000, "150"))
            ),
            (
                "json::syntax".to_string(),
                format!("big.jsonl:{}:2", last + 1)
            ),
        ]
    );
}

/// Statements about one record far apart in a large file: the latest counts, wherever each was
/// read.
#[test]
fn the_latest_statement_of_a_record_wins_in_a_large_file() {
    let statement = |date: &str, name: &str| {
        format!(
            "{{\"statementId\":\"again-{date}\",\"statementDate\":\"{date}\",\"recordId\":\"C5\",\"recordType\":\"entity\",\"recordDetails\":{{\"entityType\":{{\"type\":\"registeredEntity\"}},\"name\":\"{name}\"}}}}\n"
        )
    };
    let all = generated_jsonl(8_000);
    let half = generated_jsonl(4_000);
    let mut text = half.clone();
    text.push_str(&statement("2025-03-01", "Company 5, renamed"));
    text.push_str(&all[half.len()..]);
    text.push_str(&statement("2023-01-01", "Company 5, an older statement"));
    text.push_str(&statement(
        "2025-03-01",
        "Company 5, renamed again the same day",
    ));
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let file = SourceFile::new("big.jsonl", None, text);
    let mut sources = SourceMap::new();
    let registry = registry::load_files(vec![file], &mut sources, &Limits::default())
        .unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(registry.organisations.len(), 8_000);
    let renamed = registry.org("c5").expect("c5");
    assert_eq!(renamed.name, "Company 5, renamed again the same day");
    // The statement read last is on the last line, after 16,000 others.
    assert_eq!(sources.describe(renamed.loc), "big.jsonl:16002:1");
}

#[test]
fn no_prefix_of_a_fixture_makes_the_loader_panic() {
    for name in [
        "chain-0.4.json",
        "band-0.4.jsonl",
        "chain-0.3.json",
        "unspecified-0.4.json",
    ] {
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        let cuts: Vec<usize> = (0..text.len())
            .step_by(7)
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for cut in cuts {
            let file = SourceFile::new(name, None, &text[..cut]);
            let mut sources = SourceMap::new();
            // Either outcome is fine; a panic fails the test.
            let _ = registry::load_files(vec![file], &mut sources, &Limits::default());
        }
    }
}

/// The reference examples of the standard, next to the project in CI (`../shared/bods`). Each
/// file is loaded on its own: they are separate examples, some with the same record ids.
#[test]
fn every_reference_example_of_the_standard_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bods");
    let mut loaded = 0;
    for version in ["0.4", "0.3"] {
        let dir = root.join(version).join("examples");
        if !dir.is_dir() {
            println!(
                "skipped: {} is absent (a fresh clone has no shared/ folder)",
                dir.display()
            );
            continue;
        }
        let mut files = Vec::new();
        collect_json(&dir, &mut files);
        files.sort();
        for file in files {
            let registry = load(std::slice::from_ref(&file));
            assert!(
                !registry.organisations.is_empty(),
                "{}: no organisation",
                file.display()
            );
            loaded += 1;
        }
    }
    println!("loaded {loaded} reference examples");
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The example of docs/data-sources.md, run as documented from the repository root.
#[test]
fn documented_example_flags_the_competitor_stake() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = vrisk(
        root,
        &[
            "validate",
            "--registry",
            "docs/examples/registry",
            "--registry",
            "docs/examples/bods",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(
            "registry valid: 4 files, 6 organisations, 3 stakes, 1 competitor, 2 vendor relationships"
        ),
        "{stdout}"
    );
    let (code, stdout, stderr) = vrisk(
        root,
        &[
            "check",
            "--registry",
            "docs/examples/registry",
            "--registry",
            "docs/examples/bods",
            "--policies",
            "policies",
            "--as-of",
            "2025-07-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    let finding = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["policy"] == "competitor-ownership" && f["vendor"] == "tagwell")
        .expect("competitor-ownership finding for tagwell");
    assert_eq!(finding["outcome"], "fail");
    assert!(
        finding["message"].as_str().unwrap_or("").starts_with(
            "Tagwell Ltd is 40% owned (40% of the votes) by Globex Corporation (through \
                 Globex Ventures Ltd)"
        ),
        "{finding:#}"
    );
    let registry = load(&[
        root.join("docs/examples/registry"),
        root.join("docs/examples/bods"),
    ]);
    assert_interval(
        share(&registry, "globex", "tagwell", "2025-07-01").economic,
        24.0,
        24.0,
    );
    let owner = registry
        .org("unspecified-rel-evalcraft-owner")
        .expect("EvalCraft's undisclosed owner");
    assert_eq!(
        owner.name,
        "Unspecified owner (interested party has not provided information)"
    );
}

/// A relationship stated twice in one file (the same statement), updated later, and the same
/// statements again in a second file: one record, one stake, the latest figure.
#[test]
fn a_relationship_restated_in_one_file_and_another_counts_once() {
    let registry = load(&[
        fixture("restated-0.4.jsonl"),
        fixture("restated-again-0.4.jsonl"),
    ]);
    assert_eq!(registry.stakes.len(), 1, "{:?}", registry.stakes);
    assert!(registry.warnings.is_empty(), "{:?}", registry.warnings);
    let rival = share(&registry, "rival-corp", "v-labels", "2025-06-20");
    assert_interval(rival.economic, 20.0, 20.0);
    // Before the update was stated, the register said 15%; vrisk keeps the latest statement of a
    // record, whose interest started on 2024-01-01.
    let earlier = share(&registry, "rival-corp", "v-labels", "2024-06-01");
    assert_interval(earlier.economic, 20.0, 20.0);
}

/// The same holding written in the YAML registry and in a BODS file is two stakes that add up:
/// a warning says so, at both (first at the BODS interest, which starts later).
#[test]
fn a_yaml_stake_restating_a_bods_relationship_is_a_warning_that_they_add_up() {
    let bods = std::fs::read_to_string(fixture("restated-0.4.jsonl")).expect("fixture");
    let yaml = "organisations:
  - id: rival
    name: Rival Corp
    kind: company
    identifiers: [{scheme: GB-COH, id: \"00000099\"}]
stakes:
  - {owner: rival, owned: v-labels, economic: 20%}
";
    let (code, problems) = validate_files(
        &[("ownership.jsonl", &bods), ("registry.yaml", yaml)],
        &["ownership.jsonl", "registry.yaml"],
    );
    assert_eq!(code, 0, "{problems:#}");
    assert_eq!(
        codes_and_places(&problems),
        [(
            "registry::overlapping-stakes".to_string(),
            "ownership.jsonl:5:323".to_string()
        )],
        "{problems:#}"
    );
    assert_eq!(
        problems[0]["message"],
        "`rival` holds two stakes in `v-labels` at once from 2024-01-01, 20% and 20%: they add up to 40%"
    );
}

/// The text of a file of statements is let go once they are read; a diagnostic that points
/// into it reads the file again for its snippet, which shows the line as it is.
#[test]
fn a_problem_in_a_statement_file_shows_its_snippet() {
    let text = format!(
        "[{ENTITY},\n {{\"recordId\": \"r\", \"recordType\": \"relationship\", \"recordDetails\": {{\"subject\": \"a\", \"interestedParty\": \"ghost\"}}}}]"
    );
    let dir = support::tree(&[("u.json", text.as_str())]);
    let (code, _, stderr) = vrisk(dir.path(), &["validate", "u.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("╭─[u.json:2:103]"), "{stderr}");
    assert!(
        stderr.contains(
            " 2 │  {\"recordId\": \"r\", \"recordType\": \"relationship\", \"recordDetails\": \
             {\"subject\": \"a\", \"interestedParty\": \"ghost\"}}]"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("no snippet"), "{stderr}");
}

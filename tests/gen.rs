//! The synthetic registry generator (`examples/gen`): what it writes is a valid registry that
//! `vrisk check` evaluates with findings, and the same arguments give the same bytes.

#[path = "../examples/gen/generator.rs"]
mod generator;

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use generator::{CUSTOMER_ID, Params, Plan, Shape};
use serde_json::Value;

fn plan(orgs: usize, seed: u64) -> Plan {
    Plan::new(&Params {
        orgs,
        stakes: orgs * 2,
        vendors: orgs / 10,
        seed,
        shape: Shape::Classic,
    })
    .expect("valid parameters")
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_generated_registry_of_1000_organisations_validates_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(1000, 7);
    assert_eq!(plan.vendor_count(), 100);
    plan.write_yaml(dir.path()).unwrap();

    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .arg("validate")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("registry valid: 6 files, 1000 organisations, 2000 stakes"),
        "{stdout}"
    );
    assert!(stdout.contains("100 vendor relationships"), "{stdout}");

    // From a directory without policies: the shipped ones, embedded in the binary.
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .args(["check", "--registry"])
        .arg(dir.path())
        .args([
            "--org",
            CUSTOMER_ID,
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["org"], CUSTOMER_ID);
    assert_eq!(report["summary"]["vendors"], 100);
    assert!(
        report["summary"]["fail"].as_u64().unwrap() > 0,
        "{report:#}"
    );
    // The vendor at the end of the 20-level chain is controlled by a competitor.
    let deep = plan.deep_chain_vendor();
    let controlled = report["findings"].as_array().unwrap().iter().any(|f| {
        f["policy"] == "competitor-control"
            && f["vendor"] == deep.as_str()
            && f["outcome"] == "fail"
    });
    assert!(controlled, "no competitor-control failure for {deep}");
}

#[test]
fn the_same_arguments_give_the_same_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    plan(500, 3).write_yaml(a.path()).unwrap();
    plan(500, 3).write_yaml(b.path()).unwrap();
    plan(500, 4).write_yaml(c.path()).unwrap();
    assert_eq!(files(a.path()), files(b.path()));
    assert_ne!(files(a.path()), files(c.path()));
    let (d, e) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    plan(500, 3).write_bods(d.path()).unwrap();
    plan(500, 3).write_bods(e.path()).unwrap();
    assert_eq!(files(d.path()), files(e.path()));
}

#[test]
fn bods_output_is_one_statement_per_line_with_parties_before_relationships() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(500, 5);
    plan.write_bods(dir.path()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("ownership.jsonl")).unwrap();
    let mut records = std::collections::HashSet::new();
    let (mut parties, mut relationships) = (0, 0);
    for line in text.lines() {
        let statement: Value = serde_json::from_str(line).expect("one JSON object per line");
        let id = statement["statementId"].as_str().unwrap();
        assert!((32..=64).contains(&id.len()), "{id}");
        assert_eq!(statement["publicationDetails"]["bodsVersion"], "0.4");
        let details = &statement["recordDetails"];
        match statement["recordType"].as_str().unwrap() {
            "entity" | "person" => {
                parties += 1;
                records.insert(statement["recordId"].as_str().unwrap().to_string());
            }
            "relationship" => {
                relationships += 1;
                for end in ["subject", "interestedParty"] {
                    let party = details[end].as_str().unwrap();
                    assert!(records.contains(party), "{party} is declared later");
                }
                let interests = details["interests"].as_array().unwrap();
                assert_eq!(interests[0]["type"], "shareholding");
            }
            other => panic!("record type {other}"),
        }
    }
    assert_eq!(parties, plan.org_count());
    assert_eq!(relationships, plan.stake_count());
    assert!(records.contains(CUSTOMER_ID));
    for yaml in [
        "vendors.yaml",
        "competitors.yaml",
        "people.yaml",
        "sources.yaml",
    ] {
        assert!(dir.path().join(yaml).is_file(), "{yaml}");
    }
}

/// Board control asks whether one organisation is in another's group without computing the
/// whole group; on a generated registry the answer is the whole group's, for every pair of
/// owner and direct owner of a vendor.
#[test]
fn group_membership_of_one_organisation_is_that_of_the_whole_group() {
    use vrisk::engine::World;
    use vrisk::value::truth::Truth;
    let dir = tempfile::tempdir().unwrap();
    plan(1000, 11).write_yaml(dir.path()).unwrap();
    let mut sources = vrisk::input::source::SourceMap::new();
    let registry = vrisk::registry::load(
        &[dir.path().to_path_buf()],
        &mut sources,
        &vrisk::input::limits::Limits::default(),
    )
    .unwrap_or_else(|p| panic!("{}", p[0].message));
    let org = registry.org_index(CUSTOMER_ID).unwrap();
    let as_of = vrisk::value::date::Date::parse("2025-06-30").unwrap();
    let world = World::new(&registry, org, as_of);
    let mut checked = 0;
    for leader in (0..registry.organisations.len()).step_by(7) {
        let group = world.group_of(leader);
        for stake in &registry.stakes {
            let member = registry.org_index(&stake.owner.id).unwrap();
            let expected = group.get(&member).copied().unwrap_or(Truth::False);
            assert_eq!(
                world.in_group_of(leader, member),
                expected,
                "{leader} {member}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100_000);
}

/// The BODS output carries the same ownership as the YAML output of the same seed: every
/// finding a check makes from ownership, control, people and vendor data is the same. Only
/// `customer-concentration` differs, since BODS has no revenue figures for the organisations.
#[test]
fn bods_and_yaml_output_of_one_seed_give_the_same_findings() {
    let (yaml, bods) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    plan(500, 5).write_yaml(yaml.path()).unwrap();
    plan(500, 5).write_bods(bods.path()).unwrap();
    let findings = |dir: &Path| -> Vec<(String, String, String, String)> {
        let output = cargo_bin_cmd!("vrisk")
            .args([
                "check",
                "--as-of",
                "2025-06-30",
                "--format",
                "json",
                "--registry",
            ])
            .arg(dir)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut found: Vec<_> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["policy"] != "customer-concentration")
            .map(|f| {
                let field = |k: &str| f[k].as_str().unwrap().to_string();
                (
                    field("policy"),
                    field("vendor"),
                    field("outcome"),
                    field("message"),
                )
            })
            .collect();
        found.sort();
        found
    };
    let from_yaml = findings(yaml.path());
    assert!(from_yaml.len() > 50, "{}", from_yaml.len());
    assert!(
        from_yaml.iter().any(|f| f.0 == "competitor-ownership"),
        "{from_yaml:?}"
    );
    assert_eq!(from_yaml, findings(bods.path()));
}

fn conglomerates(orgs: usize, vendors: usize) -> Plan {
    Plan::new(&Params {
        orgs,
        stakes: orgs * 27 / 10,
        vendors,
        seed: 3,
        shape: Shape::Conglomerates,
    })
    .expect("valid parameters")
}

/// The register of the scale benchmarks is drawn before its vendor list, so checks with few and
/// with many vendors read the same organisations and stakes.
#[test]
fn conglomerates_have_the_same_ownership_for_any_number_of_vendors() {
    let (few, many) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (three, three_hundred) = (conglomerates(2_000, 3), conglomerates(2_000, 300));
    three.write_bods(few.path()).unwrap();
    three_hundred.write_bods(many.path()).unwrap();
    // The vendors of a short list come first in a longer one, in the order they were drawn.
    assert_eq!(three.vendor_ids(), three_hundred.vendor_ids()[..3]);
    let read = |dir: &Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    assert_eq!(
        read(few.path(), "ownership.jsonl"),
        read(many.path(), "ownership.jsonl")
    );
    assert_eq!(
        read(few.path(), "competitors.yaml"),
        read(many.path(), "competitors.yaml")
    );
    assert_ne!(
        read(few.path(), "vendors.yaml"),
        read(many.path(), "vendors.yaml")
    );
}

/// Ten major competitors, each the head of a group and among the register's largest holders;
/// every vendor relationship buys a data service and shares data.
#[test]
fn conglomerates_are_large_holders_and_every_vendor_is_a_data_vendor() {
    let dir = tempfile::tempdir().unwrap();
    let plan = conglomerates(5_000, 200);
    assert_eq!(plan.org_count(), 5_000);
    assert_eq!(plan.stake_count(), 13_500);
    plan.write_yaml(dir.path()).unwrap();
    let text = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let competitors = text("competitors.yaml");
    let majors = (1..=10)
        .filter(|i| {
            competitors.contains(&format!(
                "{{of: northwind, competitor: rival-{i}, tier: major"
            ))
        })
        .count();
    assert_eq!(majors, 10, "{competitors}");
    let vendors = text("vendors.yaml");
    let services: Vec<&str> = vendors
        .lines()
        .filter(|l| l.trim_start().starts_with("services:"))
        .collect();
    assert_eq!(services.len(), 200);
    let data = ["data-labelling", "annotation", "rlhf", "training-data"];
    assert!(
        services.iter().all(|l| data.iter().any(|d| l.contains(d))),
        "{services:?}"
    );
    assert_eq!(
        vendors
            .lines()
            .filter(|l| l.trim_start().starts_with("data_shared:"))
            .count(),
        200
    );
    // Stakes held per owner: the first competitor is among the ten largest holders.
    let mut held: std::collections::HashMap<String, usize> = Default::default();
    for line in text("stakes.yaml").lines() {
        if let Some(rest) = line.trim_start().strip_prefix("- {owner: ") {
            let owner = rest.split(',').next().unwrap().to_string();
            *held.entry(owner).or_default() += 1;
        }
    }
    let mut largest: Vec<(usize, String)> = held.into_iter().map(|(o, n)| (n, o)).collect();
    largest.sort_unstable_by(|a, b| b.cmp(a));
    assert!(
        largest[..10].iter().any(|(_, owner)| owner == "rival-1"),
        "{:?}",
        &largest[..10]
    );
}

//! `vrisk init`: a project for one's own organisation (never the seeded example's point of view),
//! written all together or not at all, that `vrisk check` reads.

mod support;

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use support::Run;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs vrisk in `dir` with standard input a pipe (not a terminal) and CI unset.
fn vrisk(dir: &Path, args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .write_stdin("")
        .output()
        .expect("run vrisk");
    Run::from(output)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every file under `dir`, relative and sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

const WRITTEN: [&str; 10] = [
    "vrisk.yaml",
    "registry/organisations.yaml",
    "registry/vendors.yaml",
    "waivers.yaml",
    ".vrisk/registry.schema.json",
    ".vrisk/policy.schema.json",
    ".vrisk/config.schema.json",
    ".vrisk/waivers.schema.json",
    ".vrisk/test.schema.json",
    ".github/workflows/vrisk.yml",
];

#[test]
fn init_writes_a_project_for_the_organisation_that_check_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = Path::new(ROOT).join("docs/examples/acme-vendors.csv");
    let run = vrisk(
        dir.path(),
        &[
            "init",
            "--org",
            "acme",
            "--name",
            "Acme Robotics",
            "--competitor",
            "Helix Robotics",
            "--from-csv",
            &csv.to_string_lossy(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let wrote: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .collect();
    assert_eq!(wrote, WRITTEN);
    let mut expected: Vec<String> = WRITTEN.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(tree(dir.path()), expected);

    let config = read(dir.path(), "vrisk.yaml");
    assert!(config.starts_with("# yaml-language-server: $schema=.vrisk/config.schema.json\n"));
    for line in [
        "registry: [registry/]",
        "policies: [builtin]",
        "waivers: waivers.yaml",
        "org: acme",
    ] {
        assert!(config.lines().any(|l| l == line), "{line} in\n{config}");
    }
    let organisations = read(dir.path(), "registry/organisations.yaml");
    assert!(organisations.contains("default_org: acme\n"));
    assert!(organisations.contains("  - id: acme\n    name: \"Acme Robotics\"\n"));
    assert!(organisations.contains(
        "  - {of: acme, competitor: helix-robotics, tier: major, source: acme-records}\n"
    ));
    let vendors = read(dir.path(), "registry/vendors.yaml");
    assert!(
        vendors.starts_with("# yaml-language-server: $schema=../.vrisk/registry.schema.json\n")
    );
    // The competitor init declared is the parent the export names: one organisation, one id.
    assert!(vendors.contains(
        "  - {owner: helix-robotics, owned: labelhaus-gmbh, economic: 35%, source: import-acme-vendors}\n"
    ));
    assert!(!vendors.contains("  - id: helix-robotics\n"));
    assert!(!vendors.contains("  - id: acme\n"));
    assert_eq!(
        read(dir.path(), ".github/workflows/vrisk.yml"),
        read(Path::new(ROOT), "docs/examples/github-workflow.yml")
    );
    // Nothing of the seeded example: another organisation's point of view is never the start.
    for name in WRITTEN.iter().filter(|n| !n.ends_with(".json")) {
        let text = read(dir.path(), name).to_lowercase();
        for seeded in ["alphabet", "scale-ai", "scale ai", "meta"] {
            assert!(!text.contains(seeded), "{name} mentions {seeded}");
        }
    }

    let check = vrisk(
        dir.path(),
        &["check", "--as-of", "2025-11-01", "--format", "json"],
    );
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(!check.stderr.contains("note:"), "{}", check.stderr);
    let report = check.json();
    assert_eq!(report["org"], "acme");
    let failed: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["outcome"] == "fail")
        .map(|f| {
            (
                f["policy"].as_str().unwrap_or(""),
                f["vendor"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            ("competitor-ownership", "labelhaus-gmbh"),
            ("sensitive-data-competitor-stake", "labelhaus-gmbh")
        ]
    );
}

#[test]
fn init_without_flags_or_terminal_starts_a_placeholder_never_the_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = read(dir.path(), "vrisk.yaml");
    assert!(config.lines().any(|l| l == "org: my-org"), "{config}");
    assert!(config.contains("CHANGE"), "{config}");
    let organisations = read(dir.path(), "registry/organisations.yaml");
    assert!(organisations.contains("# CHANGE: `my-org` and `My Organisation` are placeholders"));
    assert!(organisations.contains("  - id: my-org\n    name: \"My Organisation\"\n"));
    assert!(run.stdout.contains(
        "  vrisk import csv VENDORS.csv --customer my-org --output registry/vendors.yaml\n"
    ));
    for name in [
        "vrisk.yaml",
        "registry/organisations.yaml",
        "registry/vendors.yaml",
    ] {
        let text = read(dir.path(), name).to_lowercase();
        assert!(
            !text.contains("alphabet") && !text.contains("scale"),
            "{name}"
        );
    }
    // The starter checks the user's registry, which has no vendor yet: an error that says what to
    // do, not a pass and not the built-in example.
    let check = vrisk(dir.path(), &["check"]);
    assert_eq!(check.code, 2, "{}", check.stderr);
    assert!(
        check.stderr.contains("check::no-vendors"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("`my-org` has no vendor relationship in the registry"),
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains("example"), "{}", check.stderr);
    // Every file written is valid for its schema: the registry validates.
    let validate = vrisk(dir.path(), &["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stderr);
}

#[test]
fn init_refuses_to_overwrite_and_then_writes_nothing() {
    let dir = support::tree(&[("registry/vendors.yaml", "vendors: []\n")]);
    let run = vrisk(dir.path(), &["init", "--org", "acme"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("registry/vendors.yaml already exists"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: 1 error found; nothing was written")
    );
    assert!(run.stdout.is_empty());
    assert_eq!(tree(dir.path()), ["registry/vendors.yaml"]);
    // --force replaces it.
    let run = vrisk(dir.path(), &["init", "--org", "acme", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(dir.path(), "registry/vendors.yaml").contains("customer: acme"));
}

#[test]
fn init_with_a_bad_export_writes_nothing() {
    let dir = support::tree(&[(
        "vendors.csv",
        "vendor,status,contract_start\nTagwell,active,2025-02-30\n",
    )]);
    let run = vrisk(
        dir.path(),
        &[
            "init",
            "--name",
            "Acme Robotics",
            "--from-csv",
            "vendors.csv",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("vendors.csv:2:16"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"));
    assert_eq!(tree(dir.path()), ["vendors.csv"]);
}

#[test]
fn init_names_a_bad_organisation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk(dir.path(), &["init", "--org", "Acme Robotics"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--org `Acme Robotics` is not an id"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`acme-robotics`"), "{}", run.stderr);
    let run = vrisk(
        dir.path(),
        &["init", "--org", "acme", "--competitor", "ACME"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is the organisation itself"));
    assert!(tree(dir.path()).is_empty());
}

//! `vrisk import csv`: a generated 1,000-row export round-trips into the registry, the output is
//! a registry that loads on its own (organisations included), organisations the registry already
//! declares are named by their ids, parents become stakes, bad rows are reported at their line
//! and column and a missing column once, and nothing is written on any problem.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use vrisk::input::limits::Limits;
use vrisk::input::source::{SourceFile, SourceMap};
use vrisk::registry::{self, Registry};
use vrisk::value::money::Money;

/// [`support::vrisk_in`] as (exit code, stdout, stderr), the shape these tests take apart.
fn vrisk(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let run = support::vrisk_in(dir, args);
    (run.code, run.stdout, run.stderr)
}

fn load(files: Vec<(&str, String)>) -> Registry {
    let mut sources = SourceMap::new();
    let files = files
        .into_iter()
        .map(|(name, text)| SourceFile::new(name, None, text))
        .collect();
    match registry::load_files(files, &mut sources, &Limits::default()) {
        Ok(r) => r,
        Err(problems) => panic!(
            "{}",
            problems
                .iter()
                .map(|p| p.render(&sources, 100))
                .collect::<String>()
        ),
    }
}

/// What a relationship must look like after the round trip.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    services: Vec<String>,
    data_shared: Vec<String>,
    /// (year, exact amount in digits, currency, planned)
    spend: Vec<(i32, String, String, bool)>,
    status: String,
    status_date: Option<String>,
    last_review: Option<String>,
}

const STATUSES: [&str; 3] = ["active", "exiting", "ended"];
const SERVICES: [&str; 4] = ["Data Labelling", "RLHF", "evaluation", "training-data"];

#[test]
fn a_thousand_rows_round_trip_into_the_registry() {
    let mut csv = String::from(
        "customer,vendor,services,data_shared,spend_year,spend_amount,currency,spend_kind,status,status_date,last_review\n",
    );
    let mut expected: BTreeMap<(String, String), Expected> = BTreeMap::new();
    for row in 0..1_000usize {
        // Every fourth row is a second year of spend with the vendor of the row before.
        let pair = if row % 4 == 3 { row - 1 } else { row };
        let customer = format!("cust-{}", pair % 7);
        let vendor_name = format!("Vendor {pair}, Inc.");
        let vendor = format!("vendor-{pair}-inc");
        let service = SERVICES[pair % SERVICES.len()];
        let service_id = service.to_lowercase().replace(' ', "-");
        let year = 2020 + (row % 5) as i32;
        let amount = (row as u64 + 1) * 1_000;
        let planned = row % 3 == 0;
        let status = STATUSES[pair % 3];
        let date = format!("2025-{:02}-{:02}", pair % 12 + 1, pair % 28 + 1);
        let review = (pair % 2 == 0).then(|| format!("2024-{:02}-15", pair % 12 + 1));
        csv.push_str(&format!(
            "{customer},\"{vendor_name}\",{service};extra-{},proprietary-data,{year},{amount},usd,{},{},{date},{}\n",
            pair % 2,
            if planned { "Planned" } else { "actual" },
            status.to_uppercase(),
            review.clone().unwrap_or_default(),
        ));
        let entry = expected.entry((customer, vendor)).or_default();
        for s in [service_id, format!("extra-{}", pair % 2)] {
            if !entry.services.contains(&s) {
                entry.services.push(s);
            }
        }
        entry.data_shared = vec!["proprietary-data".to_string()];
        entry
            .spend
            .push((year, amount.to_string(), "USD".to_string(), planned));
        entry.status = status.to_string();
        entry.status_date = Some(date);
        entry.last_review = review;
    }

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("export.csv"), &csv).expect("write csv");
    let (code, stdout, stderr) = vrisk(
        dir.path(),
        &["import", "csv", "export.csv", "--output", "vendors.yaml"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "wrote 750 vendor relationships, 757 organisations and 0 stakes from 1000 rows"
        ),
        "{stderr}"
    );
    let yaml = std::fs::read_to_string(dir.path().join("vendors.yaml")).expect("output");
    assert!(
        yaml.starts_with("# yaml-language-server: $schema=.vrisk/registry.schema.json\n"),
        "{yaml}"
    );

    // The output declares every customer and vendor: it loads on its own.
    let registry = load(vec![("vendors.yaml", yaml.clone())]);
    assert_eq!(registry.organisations.len(), 757);
    let vendor = registry.org("vendor-6-inc").expect("vendor 6");
    assert_eq!(vendor.name, "Vendor 6, Inc.");
    assert_eq!(registry.vendors.len(), expected.len());
    for v in &registry.vendors {
        let key = (v.customer.id.clone(), v.vendor.id.clone());
        let want = expected
            .get(&key)
            .unwrap_or_else(|| panic!("unexpected {key:?}"));
        let got = Expected {
            services: v.services.clone(),
            data_shared: v.data_shared.clone(),
            spend: v
                .spend
                .iter()
                .map(|s| {
                    (
                        s.year,
                        s.amount.amount.to_string(),
                        s.amount.currency.clone(),
                        s.planned,
                    )
                })
                .collect(),
            status: v.status.value.name().to_string(),
            status_date: v.status_date.map(|d| d.to_string()),
            last_review: v.last_review.as_ref().map(|d| d.value.to_string()),
        };
        assert_eq!(&got, want, "{key:?}");
    }
    // The written fragment keeps the order of the export.
    let first = yaml.find("vendor: vendor-0-inc").expect("vendor 0");
    let second = yaml.find("vendor: vendor-1-inc").expect("vendor 1");
    assert!(first < second);
}

#[test]
fn output_validates_with_the_cli() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("export.csv"),
        "Buyer;Supplier;Contract Status;Services\n;Scale AI;Active;Data Labelling\n;123;ended;\n",
    )
    .expect("write");
    let (code, yaml, stderr) = vrisk(
        dir.path(),
        &[
            "import",
            "csv",
            "export.csv",
            "--delimiter",
            ";",
            "--map",
            "Supplier=vendor",
            "--map",
            "contract status=status",
            "--customer",
            "Alphabet",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // `Buyer` is a usual name of the customer column; its empty cells take --customer.
    assert!(
        stderr.contains("note: column `Buyer` is read as `customer`"),
        "{stderr}"
    );
    assert!(
        yaml.contains("  - customer: alphabet\n    vendor: scale-ai\n"),
        "{yaml}"
    );
    // An id that YAML would read as a number is quoted.
    assert!(yaml.contains("vendor: \"123\"\n"), "{yaml}");
    std::fs::write(dir.path().join("vendors.yaml"), &yaml).expect("write");
    let (code, stdout, stderr) = vrisk(dir.path(), &["validate", "vendors.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 vendor relationships"), "{stdout}");
}

#[test]
fn bad_rows_are_reported_by_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bad.csv"),
        "customer,vendor,status,status_date,spend_year,spend_amount,currency\n\
         alphabet,scale,active,2025-06-13,2024,150M,USD\n\
         alphabet,other,actve,2025-02-30,,,\n\
         meta,,ended,,2024,lots,USD\n",
    )
    .expect("write");
    let (code, stdout, stderr) = vrisk(
        dir.path(),
        &["import", "csv", "bad.csv", "--output", "out.yaml"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(!dir.path().join("out.yaml").exists(), "nothing is written");
    for place in [
        "bad.csv:3:16",
        "bad.csv:3:22",
        "bad.csv:4:6",
        "bad.csv:4:19",
    ] {
        assert!(stderr.contains(place), "{place} in:\n{stderr}");
    }
    assert!(
        stderr.contains("4 errors found; nothing was written"),
        "{stderr}"
    );
}

#[test]
fn header_problems_stop_the_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("e.csv"), "seller,state\nx,active\n").expect("write");
    let (code, _, stderr) = vrisk(dir.path(), &["import", "csv", "e.csv"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("import::missing-column"), "{stderr}");
    assert!(stderr.contains("no `vendor` column"), "{stderr}");
    assert!(stderr.contains("no `status` column"), "{stderr}");
    assert!(stderr.contains("no `customer` column"), "{stderr}");

    let (code, _, stderr) = vrisk(
        dir.path(),
        &["import", "csv", "e.csv", "--map", "seller=vendr"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `vendor`?"), "{stderr}");

    let (code, _, stderr) = vrisk(
        dir.path(),
        &["import", "csv", "e.csv", "--map", "Supplier=vendor"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("import::unknown-column"), "{stderr}");
}

#[test]
fn money_with_the_currency_in_the_amount_cell_is_accepted() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("m.csv"),
        "customer,vendor,status,spend_year,spend_amount\na,b,active,2024,\"1,500,000 GBP\"\n",
    )
    .expect("write");
    let (code, yaml, stderr) = vrisk(dir.path(), &["import", "csv", "m.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(yaml.contains("amount: \"1,500,000 GBP\""), "{yaml}");
    let money = Money::parse("1,500,000 GBP").expect("money");
    let registry = load(vec![("v.yaml", yaml)]);
    assert_eq!(registry.vendors[0].spend[0].amount, money);
}

/// The shipped example vendor list is what the command in docs/data-sources.md writes: the
/// organisations of the example registry are named by their ids, not declared again.
#[test]
fn documented_example_import_gives_the_shipped_vendor_list() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, yaml, stderr) = vrisk(
        root,
        &[
            "import",
            "csv",
            "docs/examples/procurement.csv",
            "--customer",
            "northwind",
            "--registry",
            "docs/examples/registry/organisations.yaml",
            "--schema",
            "../../../schemas/registry.schema.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "note: column `Supplier` is read as `vendor`\n\
         note: column `Cost centre` is not read (map it to a field with --map \"Cost centre=FIELD\" \
         if it holds one)\n\
         note: already in the registry, so named by id and not declared again: northwind, \
         tagwell, evalcraft\n"
    );
    let shipped = std::fs::read_to_string(root.join("docs/examples/registry/vendors.yaml"))
        .expect("shipped vendors.yaml");
    assert_eq!(yaml, shipped);
}

/// A registry a user has before importing: their organisation and a competitor, as `vrisk init`
/// writes them.
const OWN_REGISTRY: &str = "default_org: acme\n\
organisations:\n  - {id: acme, name: Acme Robotics, kind: company}\n  - {id: helix, name: Helix Robotics, kind: company, aliases: [Helix]}\n\
competitors:\n  - {of: acme, competitor: helix, tier: major}\n";

#[test]
fn an_export_becomes_a_registry_that_checks() {
    let dir = support::tree(&[
        ("registry/organisations.yaml", OWN_REGISTRY),
        (
            "vendors.csv",
            "Supplier ID,Supplier,Country,Parent company,Parent share,Services,Data shared,Status,Contract start,Contract end\n\
             S-1,Labelhaus GmbH,de,Helix Robotics,35%,Data labelling,Proprietary training data,active,2024-01-01,2026-12-31\n\
             S-2,Nestlé S.A.,CH,,,Catering,,active,,\n\
             S-3,Evalon Labs,US,Kestrel Capital,,Model evaluation,,active,2025-03-01,\n",
        ),
    ]);
    let (code, stdout, stderr) = vrisk(
        dir.path(),
        &[
            "import",
            "csv",
            "vendors.csv",
            "--customer",
            "Acme Robotics",
            "--output",
            "registry/vendors.yaml",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "note: already in the registry, so named by id and not declared again: acme, helix\n"
        ),
        "{stderr}"
    );
    let written = std::fs::read_to_string(dir.path().join("registry/vendors.yaml")).expect("read");
    assert_eq!(
        written,
        "# yaml-language-server: $schema=../.vrisk/registry.schema.json\n\
         #\n\
         # Imported by `vrisk import csv` from vendors.csv (3 rows): 3 vendor relationships; 4 organisations\n\
         # and 2 stakes declared here. Declared elsewhere in the registry, and named here by their ids: acme,\n\
         # helix.\n\
         # A new import of the export replaces this file: change the data in the export, or edit this file\n\
         # and stop importing.\n\
         \n\
         sources:\n  - id: import-vendors\n    title: \"Procurement export vendors.csv\"\n\
         \n\
         organisations:\n\
         \x20 - id: labelhaus-gmbh\n    name: Labelhaus GmbH\n    kind: company\n    country: \"DE\"\n\
         \x20   identifiers:\n      - {scheme: ZZ-SUPPLIER, id: \"S-1\"}\n    source: import-vendors\n\
         \x20 - id: nestle-s-a\n    name: Nestlé S.A.\n    kind: company\n    country: \"CH\"\n\
         \x20   identifiers:\n      - {scheme: ZZ-SUPPLIER, id: \"S-2\"}\n    source: import-vendors\n\
         \x20 - id: evalon-labs\n    name: Evalon Labs\n    kind: company\n    country: \"US\"\n\
         \x20   identifiers:\n      - {scheme: ZZ-SUPPLIER, id: \"S-3\"}\n    source: import-vendors\n\
         \x20 - id: kestrel-capital\n    name: Kestrel Capital\n    kind: company\n    source: import-vendors\n\
         \n\
         stakes:\n\
         \x20 - {owner: helix, owned: labelhaus-gmbh, economic: 35%, source: import-vendors}\n\
         \x20 - {owner: kestrel-capital, owned: evalon-labs, economic: unknown, source: import-vendors}\n\
         \n\
         vendors:\n\
         \x20 - customer: acme\n    vendor: labelhaus-gmbh\n    services: [data-labelling]\n\
         \x20   data_shared: [proprietary-training-data]\n    status: active\n\
         \x20   contract: {start: 2024-01-01, end: 2026-12-31}\n    source: import-vendors\n\
         \x20 - customer: acme\n    vendor: nestle-s-a\n    services: [catering]\n    status: active\n\
         \x20   source: import-vendors\n\
         \x20 - customer: acme\n    vendor: evalon-labs\n    services: [model-evaluation]\n    status: active\n\
         \x20   contract: {start: 2025-03-01}\n    source: import-vendors\n"
    );
    // The registry checks: no unknown organisation, and Helix's stake in Labelhaus fails.
    let run = support::vrisk_in(
        dir.path(),
        &["check", "--as-of", "2025-06-20", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
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
fn a_missing_column_is_one_error_naming_the_field_not_one_per_row() {
    let rows: String = (0..5)
        .map(|i| format!("acme,vendor-{i},active,{i}00000\n"))
        .collect();
    let dir = support::tree(&[(
        "e.csv",
        format!("customer,vendor,status,spend_amount\n{rows}"),
    )]);
    let (code, _, stderr) = vrisk(dir.path(), &["import", "csv", "e.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: 1 error found; nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "the `spend_amount` column needs a `spend_year` column, which the header does not have"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("e.csv:1:24"), "{stderr}");
    // With the year there, the amounts without a currency are one problem of the column too.
    let rows: String = (0..5)
        .map(|i| format!("acme,vendor-{i},active,2025,{i}00000\n"))
        .collect();
    let dir = support::tree(&[(
        "e.csv",
        format!("customer,vendor,status,spend_year,spend_amount\n{rows}"),
    )]);
    let (code, _, stderr) = vrisk(dir.path(), &["import", "csv", "e.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: 1 error found; nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("5 spend amounts have no currency, and the header has no `currency` column"),
        "{stderr}"
    );
    assert!(stderr.contains("e.csv:2:27"), "{stderr}");
}

#[test]
fn rows_that_disagree_about_a_vendor_are_a_conflict() {
    let dir = support::tree(&[(
        "e.csv",
        "customer,vendor,country,status,parent,parent_share\n\
         acme,Tagwell,GB,active,Globex,30\n\
         acme,Tagwell,US,active,Globex,40%\n",
    )]);
    let (code, _, stderr) = vrisk(dir.path(), &["import", "csv", "e.csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: 2 errors found; nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`tagwell` has country `US` here, `GB` on an earlier row"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`globex` holds 40% of `tagwell` here, 30% on an earlier row"),
        "{stderr}"
    );
    assert!(stderr.contains("e.csv:3:14"), "{stderr}");
}

#[test]
fn standard_input_is_read_for_a_dash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = assert_cmd::cargo::cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .args(["import", "csv", "-", "--customer", "acme"])
        .write_stdin("vendor,status\nÅngström Labs,active\n")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout.contains("from <stdin> (1 row)"), "{stdout}");
    assert!(
        stdout
            .contains("  - id: import-stdin\n    title: \"Procurement export (standard input)\"\n")
    );
    assert!(stdout.contains("    vendor: angstrom-labs\n"), "{stdout}");
    // Standard output is meant for registry/: the modeline points from there.
    assert!(stdout.starts_with("# yaml-language-server: $schema=../.vrisk/registry.schema.json\n"));
}

#[test]
fn a_contract_that_ends_before_it_starts_is_located() {
    let dir = support::tree(&[(
        "r.yaml",
        "organisations:\n  - {id: a, name: A, kind: company}\n  - {id: b, name: B, kind: company}\n\
         vendors:\n  - customer: a\n    vendor: b\n    status: active\n    contract: {start: 2025-01-01, end: 2024-12-31}\n",
    )]);
    let (code, _, stderr) = vrisk(dir.path(), &["validate", "r.yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("registry::end-before-start"), "{stderr}");
    assert!(stderr.contains("r.yaml:8:40"), "{stderr}");
}

#[test]
fn a_column_that_a_map_cannot_read_unambiguously_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Two columns headed `Supplier`: the mapped one would be the first, the other dropped.
    std::fs::write(
        dir.path().join("two.csv"),
        "customer,Supplier,Supplier,status\na,b,c,active\n",
    )
    .expect("write");
    let (code, stdout, stderr) = vrisk(
        dir.path(),
        &["import", "csv", "two.csv", "--map", "Supplier=vendor"],
    );
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("import::duplicate-column"), "{stderr}");
    assert!(
        stderr.contains("the header has 2 columns named `Supplier`"),
        "{stderr}"
    );
    assert!(stderr.contains("[two.csv:1:19]"), "{stderr}");

    // One column mapped to two fields: the first mapping would be dropped.
    std::fs::write(
        dir.path().join("one.csv"),
        "customer,Supplier,status\na,b,active\n",
    )
    .expect("write");
    let (code, _, stderr) = vrisk(
        dir.path(),
        &[
            "import",
            "csv",
            "one.csv",
            "--map",
            "Supplier=vendor",
            "--map",
            "supplier=customer",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--map reads the column `supplier` as both `vendor` and `customer`"),
        "{stderr}"
    );
}

#[test]
fn a_delimiter_that_is_not_one_ascii_byte_is_refused_for_what_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("e.csv"),
        "customer,vendor,status\na,b,active\n",
    )
    .expect("write");
    for (delimiter, reason) in [
        (
            "é",
            "--delimiter `é` is not an ASCII character (it takes 2 bytes in UTF-8",
        ),
        (";;", "--delimiter `;;` is not one character"),
        ("\"", "is the quote character"),
        ("", "--delimiter `` is empty"),
    ] {
        let (code, _, stderr) = vrisk(
            dir.path(),
            &["import", "csv", "e.csv", "--delimiter", delimiter],
        );
        assert_eq!(code, 2, "{delimiter}: {stderr}");
        assert!(stderr.contains(reason), "{delimiter}: {stderr}");
    }
}

#[test]
fn a_schema_with_a_line_break_or_a_control_character_cannot_inject_yaml() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("e.csv"),
        "customer,vendor,status\na,b,active\n",
    )
    .expect("write");
    for schema in [
        "x.json\nvendors: [{customer: evil, vendor: b, status: active}]",
        "x.json\rdefault_org: evil",
        "x.json\u{1b}[2J",
        "x.json\u{85}next line",
    ] {
        let (code, stdout, stderr) = vrisk(
            dir.path(),
            &[
                "import", "csv", "e.csv", "--schema", schema, "--output", "out.yaml",
            ],
        );
        assert_eq!(code, 2, "{schema:?}: {stdout}");
        assert!(
            stderr.contains("import::bad-schema"),
            "{schema:?}: {stderr}"
        );
        assert!(!dir.path().join("out.yaml").exists(), "{schema:?}");
    }
    let (code, yaml, stderr) = vrisk(
        dir.path(),
        &[
            "import",
            "csv",
            "e.csv",
            "--schema",
            "https://example.com/my schemas/r.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        yaml.starts_with("# yaml-language-server: $schema=https://example.com/my schemas/r.json\n"),
        "{yaml}"
    );
}

#[test]
fn every_cell_is_held_to_the_string_length_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "v".repeat(200_000);
    std::fs::write(
        dir.path().join("big.csv"),
        format!("customer,vendor,status\na,{long},active\na,b,active\n"),
    )
    .expect("write");
    let (code, stdout, stderr) = vrisk(dir.path(), &["import", "csv", "big.csv"]);
    assert_eq!(code, 2, "{}", &stdout[..stdout.len().min(200)]);
    assert!(stdout.is_empty(), "no 200 KB id is written");
    assert!(stderr.contains("limits::string-length"), "{stderr}");
    assert!(
        stderr.contains("big.csv: a cell of 200000 bytes, over the limit of 65536 bytes"),
        "{stderr}"
    );
    assert!(stderr.contains("[big.csv:2:3]"), "{stderr}");
    assert!(stderr.len() < 2_000, "{} bytes", stderr.len());
    // A long header cell too; and the limit can be raised for a trusted export.
    std::fs::write(
        dir.path().join("head.csv"),
        format!("customer,vendor,status,{long}\na,b,active,x\n"),
    )
    .expect("write");
    let (code, _, stderr) = vrisk(dir.path(), &["import", "csv", "head.csv"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("[head.csv:1:24]"), "{stderr}");
    let (code, _, stderr) = vrisk(
        dir.path(),
        &["import", "csv", "big.csv", "--max-string-bytes", "300000"],
    );
    assert_eq!(code, 0, "{stderr}");
}

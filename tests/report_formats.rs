//! Every report format rendered from one hand-built Report: a critical failure behind a 2-link
//! ownership path (its registry line has an emoji before the column, so UTF-16 and character
//! columns differ), an indeterminate, a waived finding and passes.

use roxmltree::Document;
use serde_json::Value;
use vrisk::engine::Verdict;
use vrisk::engine::baseline::{compare, load_baseline};
use vrisk::engine::{
    BaselineState, Evidence, Finding, Gate, Location, Outcome, PathEvidence, PolicyInfo, Position,
    Report, SourceRef, Summary, gate,
};
use vrisk::input::source::{Loc, SourceFile, SourceMap, Span};
use vrisk::report::FormatName;
use vrisk::report::human::Style;
use vrisk::report::{github, json, junit, markdown, render, sarif};
use vrisk::value::date::Date;
use vrisk::value::severity::Severity;

const REGISTRY: &str = "\
stakes:
  - {note: \"🦄 deal\", owner: meta-holdings, owned: scale-ai, economic: 49, voting: 0}
  - {owner: meta, owned: meta-holdings, economic: 100}
";

const POLICY: &str = "\
id: no-competitor-owned-data-vendor
when:
  all:
    - owner.economic >= 20%
";

const FIXED_POLICIES: [(&str, &str, Severity); 3] = [
    (
        "attested-security-review",
        "Vendors with data access have a current security review",
        Severity::Low,
    ),
    (
        "no-competitor-owned-data-vendor",
        "No data vendor in which a major competitor holds 20% or more",
        Severity::Critical,
    ),
    (
        "vendor-data-residency",
        "Vendor data stays in approved jurisdictions",
        Severity::Medium,
    ),
];

struct Fixture {
    sources: SourceMap,
    report: Report,
}

fn loc_of(sources: &SourceMap, file: vrisk::input::source::FileId, needle: &str) -> Loc {
    let text = &sources.get(file).text;
    let offset = text.find(needle).unwrap_or(0);
    Loc {
        file,
        span: Span::new(offset, needle.len()),
    }
}

fn location(sources: &SourceMap, loc: Loc, role: &'static str, label: &str) -> Location {
    Location {
        position: Position::resolve(sources, loc),
        role,
        label: label.to_string(),
    }
}

fn finding(policy: &str, vendor: &str, severity: Severity, outcome: Outcome) -> Finding {
    Finding {
        policy: policy.to_string(),
        vendor: vendor.to_string(),
        vendor_name: match vendor {
            "scale-ai" => "Scale AI".to_string(),
            _ => "Labelbox".to_string(),
        },
        severity,
        outcome,
        message: String::new(),
        note: None,
        evidence: Vec::new(),
        paths: Vec::new(),
        locations: Vec::new(),
        fingerprint: format!("{policy}:alphabet:{vendor}"),
        baseline: None,
    }
}

fn fixture() -> Fixture {
    let mut sources = SourceMap::new();
    let reg = sources.add(SourceFile::new("registry/ownership.yaml", None, REGISTRY));
    let pol = sources.add(SourceFile::new(
        "policies/no-competitor-owned-data-vendor.yaml",
        None,
        POLICY,
    ));
    let stake = loc_of(&sources, reg, "owner: meta-holdings");
    let condition = loc_of(&sources, pol, "owner.economic >= 20%");

    let policies = FIXED_POLICIES
        .iter()
        .map(|(id, title, severity)| PolicyInfo {
            id: id.to_string(),
            title: title.to_string(),
            severity: *severity,
            description: format!("{title}."),
            rationale: "A competitor-owned vendor that sees your data can learn your roadmap."
                .to_string(),
            remediation: "Plan an exit from the vendor or get a waiver.".to_string(),
            references: vec!["https://example.org/policy-notes".to_string()],
            help_url: None,
            location: Position::resolve(
                &sources,
                Loc {
                    file: pol,
                    span: Span::new(0, 2),
                },
            ),
            evaluated: 2,
        })
        .collect();

    // Scale AI has a finding of each kind that is not a pass; Labelbox passes every policy.
    let scale_ai = |policy, severity, outcome| finding(policy, "scale-ai", severity, outcome);
    let labelbox_pass = |policy, severity| finding(policy, "labelbox", severity, Outcome::Pass);

    let mut fail = scale_ai(
        "no-competitor-owned-data-vendor",
        Severity::Critical,
        Outcome::Fail,
    );
    fail.message = "Meta (a competitor) holds 49% of Scale AI, over the 20% limit".to_string();
    fail.evidence = vec![Evidence {
        text: "owner.economic >= 20%: 49% (true)".to_string(),
        fact: "owner.economic".to_string(),
        value: "49%".to_string(),
        op: ">=".to_string(),
        operand: "20%".to_string(),
        result: "true".to_string(),
        bindings: Vec::new(),
        location: Some(Position::resolve(&sources, stake)),
        sources: vec![SourceRef {
            id: "reuters-2025-06-13".to_string(),
            title: Some("Meta to take 49% stake in Scale AI".to_string()),
            url: None,
            secondary: false,
        }],
    }];
    fail.paths = vec![PathEvidence {
        owner: "meta".to_string(),
        owner_name: "Meta Platforms".to_string(),
        competitor: None,
        via: vec![
            "meta".to_string(),
            "meta-holdings".to_string(),
            "scale-ai".to_string(),
        ],
        names: vec![
            "Meta Platforms".to_string(),
            "Meta \"Holdings\" #2 | <LLC> & Co".to_string(),
            "Scale AI".to_string(),
        ],
        links: vec!["100%".to_string(), "49%".to_string()],
        economic: "49%".to_string(),
        voting: "0%".to_string(),
        sources: vec!["reuters-2025-06-13".to_string()],
    }];
    fail.locations = vec![
        location(&sources, stake, "registry", "Meta's 49% stake"),
        location(&sources, condition, "policy", "the 20% threshold"),
    ];

    let mut indeterminate = scale_ai(
        "vendor-data-residency",
        Severity::Medium,
        Outcome::Indeterminate,
    );
    indeterminate.message = "where Scale AI keeps labelled data is not known".to_string();
    indeterminate.note = Some("counts as indeterminate: the registry has no data location".into());
    indeterminate.locations = vec![location(&sources, stake, "registry", "the vendor")];

    let mut waived = scale_ai("attested-security-review", Severity::Low, Outcome::Waived);
    waived.message = "the last security review is older than a year".to_string();
    // As waivers::apply writes it.
    waived.note =
        Some("waived until 2025-09-30 by the CISO: review booked for Q3 (W-7)".to_string());

    let findings = vec![
        labelbox_pass("attested-security-review", Severity::Low),
        waived,
        labelbox_pass("no-competitor-owned-data-vendor", Severity::Critical),
        fail,
        labelbox_pass("vendor-data-residency", Severity::Medium),
        indeterminate,
    ];
    let report = Report {
        org: "alphabet".to_string(),
        org_name: "Alphabet".to_string(),
        as_of: Date::parse("2025-06-20").expect("a date"),
        policies,
        findings,
        summary: Summary {
            policies: 3,
            vendors: 2,
            fail: 1,
            indeterminate: 1,
            pass: 3,
            waived: 1,
        },
        warnings: vec!["vendor `labelbox` has no data-sharing record".to_string()],
        gone: Vec::new(),
        gate: Gate::default(),
    };
    Fixture { sources, report }
}

fn failing(report: &Report) -> &Finding {
    report
        .findings
        .iter()
        .find(|f| f.outcome == Outcome::Fail)
        .expect("the fixture has a failure")
}

/// The crate version changes with every release; snapshots should not.
fn stable(text: &str) -> String {
    text.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[version]\"",
    )
}

// ---------------------------------------------------------------- SARIF

fn sarif_value(report: &Report, exit: Verdict) -> Value {
    serde_json::from_str(&sarif::render(report, exit)).expect("SARIF output is JSON")
}

#[test]
fn fixture_columns_differ_in_utf16() {
    let f = fixture();
    let p = &failing(&f.report).locations[0].position;
    assert_eq!((p.line, p.column), (2, 22));
    assert_eq!(p.utf16_column, 23, "the emoji is two UTF-16 code units");
}

/// The official schema, compiled with format checks (`uri`, `uri-reference`) on.
fn sarif_validator() -> jsonschema::Validator {
    // The `language` patterns in the schema have a stray `]`, which ECMAScript reads as a
    // literal and jsonschema's check of the schema itself rejects. Escaping it keeps its
    // meaning; vrisk never writes `language` anyway.
    const STRAY: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    const ESCAPED: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#;
    let text = include_str!("fixtures/sarif-schema-2.1.0.json");
    assert!(text.contains(STRAY), "the schema fixture changed");
    let schema: Value = serde_json::from_str(&text.replace(STRAY, ESCAPED)).expect("schema");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    let f = fixture();
    let mut with_baseline = f.report.clone();
    compare(
        &mut with_baseline,
        &load_baseline(&json::render(&f.report)).expect("baseline"),
    );
    for (report, exit) in [(&f.report, Verdict::Fail), (&with_baseline, Verdict::Pass)] {
        let instance = sarif_value(report, exit);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    }
}

#[test]
fn the_schema_check_catches_bad_sarif() {
    let validator = sarif_validator();
    let f = fixture();
    let good = sarif_value(&f.report, Verdict::Fail);
    let broken = |pointer: &str, value: Value| {
        let mut v = good.clone();
        if let Some(slot) = v.pointer_mut(pointer) {
            *slot = value;
        }
        validator.is_valid(&v)
    };
    assert!(validator.is_valid(&good));
    assert!(!broken("/runs/0/results/1/kind", "bogus".into()));
    assert!(!broken(
        "/runs/0/results/1/locations/0/physicalLocation/region/startLine",
        0.into()
    ));
    assert!(!broken(
        "/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri",
        "a b:c d".into()
    ));
    assert!(!broken("/runs/0/invocations/0/exitCode", "1".into()));
}

#[test]
fn sarif_maps_rules_results_and_locations() {
    let f = fixture();
    let log = sarif_value(&f.report, Verdict::Fail);
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "vrisk");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 3);
    let critical = &rules[1];
    assert_eq!(critical["id"], "no-competitor-owned-data-vendor");
    assert_eq!(critical["name"], "NoCompetitorOwnedDataVendor");
    assert_eq!(critical["defaultConfiguration"]["level"], "error");
    assert_eq!(critical["properties"]["security-severity"], "9.5");
    assert_eq!(
        critical["properties"]["tags"],
        serde_json::json!(["security", "vendor-risk", "critical"]),
        "GitHub ranks by security-severity only the rules tagged security"
    );
    assert!(
        critical["help"]["markdown"]
            .as_str()
            .is_some_and(|h| h.contains("Plan an exit") && h.contains("learn your roadmap"))
    );
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 3, "passes are not results");
    let (waived, fail, indeterminate) = (&results[0], &results[1], &results[2]);

    assert_eq!(fail["ruleId"], "no-competitor-owned-data-vendor");
    assert_eq!(fail["ruleIndex"], 1);
    assert_eq!(
        (&fail["kind"], &fail["level"]),
        (&"fail".into(), &"error".into())
    );
    let physical = &fail["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"],
        serde_json::json!({"uri": "registry/ownership.yaml", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        physical["region"],
        serde_json::json!({"startLine": 2, "startColumn": 23, "endLine": 2, "endColumn": 43}),
        "UTF-16 columns; the end is just past `owner: meta-holdings`"
    );
    let related = &fail["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "policies/no-competitor-owned-data-vendor.yaml"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 4);
    assert_eq!(related["message"]["text"], "the 20% threshold");
    assert_eq!(related["id"], 1);
    let message = fail["message"]["text"].as_str().expect("message");
    assert!(message.starts_with("Meta (a competitor) holds 49% of Scale AI"));
    assert!(
        message.contains(
            "evidence: owner.economic >= 20%: 49% (true) \\[source: reuters-2025-06-13\\]"
        )
    );
    assert!(message.contains("path: Meta Platforms ─100%→"));
    assert!(
        message.ends_with("\npolicy: [the 20% threshold](1)"),
        "the related location is linked from the message: {message}"
    );
    let hash = sarif::stable_hash(
        "no-competitor-owned-data-vendor",
        "no-competitor-owned-data-vendor:alphabet:scale-ai",
    );
    assert_eq!(
        fail["partialFingerprints"],
        serde_json::json!({"primaryLocationLineHash": hash, "vriskFinding/v1": hash}),
        "GitHub tracks alerts by primaryLocationLineHash"
    );
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"],
        "The directory vrisk ran in: run it from the repository root."
    );
    assert!(
        run["originalUriBaseIds"].get("VRISK_BUILTIN").is_none(),
        "no file of this run is built in"
    );

    assert_eq!(indeterminate["kind"], "review");
    assert_eq!(indeterminate["level"], "none");
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert_eq!(
        waived["suppressions"][0]["justification"],
        "waived until 2025-09-30 by the CISO: review booked for Q3 (W-7)"
    );
    // The waived finding has no location of its own: it points at its policy.
    assert_eq!(
        waived["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "policies/no-competitor-owned-data-vendor.yaml"
    );
}

#[test]
fn sarif_links_each_rule_to_its_documentation() {
    let mut f = fixture();
    f.report.policies[0].help_url = Some("https://wiki.example.com/vrisk/review".to_string());
    let log = sarif_value(&f.report, Verdict::Fail);
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules[0]["helpUri"], "https://wiki.example.com/vrisk/review");
    // A policy of the user's with no `help_url` has no page in vrisk's documentation either.
    assert!(rules[1].get("helpUri").is_none());
}

#[test]
fn sarif_message_brackets_do_not_read_as_links() {
    assert_eq!(sarif::escape_message("a [b](1) c"), "a \\[b\\](1) c");
    assert_eq!(sarif::escape_message("C:\\dir\\[x]"), "C:\\dir\\\\\\[x\\]");
    let mut f = fixture();
    f.report.findings[3].message = "see [here](1)".to_string();
    let log = sarif_value(&f.report, Verdict::Fail);
    let text = log["runs"][0]["results"][1]["message"]["text"]
        .as_str()
        .unwrap_or("");
    assert!(text.starts_with("see \\[here\\](1)\n"), "{text}");
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let f = fixture();
    let mut moved = f.report.clone();
    for finding in &mut moved.findings {
        for l in &mut finding.locations {
            l.position.line += 3;
        }
    }
    let fingerprints = |r: &Report| {
        sarif_value(r, Verdict::Fail)["runs"][0]["results"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .map(|r| r["partialFingerprints"].clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(fingerprints(&f.report), fingerprints(&moved));
}

/// The fixture as `render` shows it of a failed run, once a second rendering has given the same
/// text: a snapshot is only worth keeping of output that does not change from run to run.
fn rendered_twice(render: fn(&Report, Verdict) -> String) -> String {
    let f = fixture();
    let text = render(&f.report, Verdict::Fail);
    assert_eq!(text, render(&f.report, Verdict::Fail), "deterministic");
    text
}

#[test]
fn sarif_snapshot() {
    let text = rendered_twice(sarif::render);
    insta::assert_snapshot!("sarif", stable(&text));
}

// ---------------------------------------------------------------- JUnit

#[test]
fn junit_parses_and_counts() {
    let f = fixture();
    let xml = junit::render(&f.report);
    let doc = Document::parse(&xml).expect("JUnit output is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attrs = |n: roxmltree::Node| {
        ["tests", "failures", "errors", "skipped"]
            .map(|a| n.attribute(a).unwrap_or("-").to_string())
    };
    assert_eq!(attrs(root), ["6", "1", "0", "1"]);

    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert_eq!(
        names,
        [
            "attested-security-review",
            "no-competitor-owned-data-vendor",
            "vendor-data-residency"
        ]
    );
    assert_eq!(attrs(suites[0]), ["2", "0", "0", "1"]);
    assert_eq!(attrs(suites[1]), ["2", "1", "0", "0"]);
    assert_eq!(attrs(suites[2]), ["2", "0", "0", "0"]);

    fn case<'a, 'i>(suite: roxmltree::Node<'a, 'i>, vendor: &str) -> roxmltree::Node<'a, 'i> {
        suite
            .children()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(vendor))
            .expect("testcase")
    }
    let failed = case(suites[1], "scale-ai");
    assert_eq!(
        failed.attribute("classname"),
        Some("no-competitor-owned-data-vendor")
    );
    assert_eq!(failed.attribute("file"), Some("registry/ownership.yaml"));
    let failure = failed
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("failure element");
    assert_eq!(failure.attribute("type"), Some("fail"));
    assert_eq!(
        failure.attribute("message"),
        Some("Meta (a competitor) holds 49% of Scale AI, over the 20% limit")
    );
    let body = failure.text().unwrap_or("");
    assert!(
        body.contains("evidence: owner.economic >= 20%: 49% (true) [source: reuters-2025-06-13]")
    );
    assert!(body.contains("path: Meta Platforms ─100%→ Meta \"Holdings\" #2 | <LLC> & Co ─49%→"));
    assert!(body.contains("registry: registry/ownership.yaml:2:22 Meta's 49% stake"));
    assert!(body.contains("policy: policies/no-competitor-owned-data-vendor.yaml:4:7"));

    let passed = case(suites[1], "labelbox");
    assert_eq!(passed.children().filter(|n| n.is_element()).count(), 0);

    let skipped = case(suites[0], "scale-ai")
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .expect("skipped element");
    assert_eq!(
        skipped.attribute("message"),
        Some("waived until 2025-09-30 by the CISO: review booked for Q3 (W-7)"),
        "the note says it is waived once"
    );

    let unknown = case(suites[2], "scale-ai");
    assert!(unknown.children().all(|n| !n.has_tag_name("failure")));
    let out = unknown
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .and_then(|n| n.text())
        .unwrap_or("");
    assert!(out.starts_with("indeterminate (not counted as a failure): where Scale AI"));
}

#[test]
fn junit_has_the_time_and_timestamp_strict_schemas_require() {
    let mut f = fixture();
    let xml = junit::render(&f.report);
    let doc = Document::parse(&xml).expect("well-formed");
    let root = doc.root_element();
    assert_eq!(root.attribute("time"), Some("0"));
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 3);
    for suite in &suites {
        assert_eq!(suite.attribute("time"), Some("0"));
        assert_eq!(suite.attribute("timestamp"), Some("2025-06-20T00:00:00"));
        for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
            assert_eq!(case.attribute("time"), Some("0"));
        }
    }
    // The timestamp is the evaluation date, not the clock: another --as-of, another timestamp.
    f.report.as_of = Date::parse("2024-02-29").expect("a date");
    assert!(junit::render(&f.report).contains("timestamp=\"2024-02-29T00:00:00\""));
}

#[test]
fn junit_counts_indeterminate_as_failure_when_the_run_does() {
    let mut f = fixture();
    f.report.gate.fail_on_indeterminate = true;
    let xml = junit::render(&f.report);
    let doc = Document::parse(&xml).expect("well-formed");
    assert_eq!(doc.root_element().attribute("failures"), Some("2"));
    let types: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .filter_map(|n| n.attribute("type"))
        .collect();
    assert_eq!(types, ["fail", "indeterminate"]);
}

#[test]
fn junit_survives_hostile_text() {
    let mut f = fixture();
    let nasty = "<tag attr=\"x\"> & 'q' ]]> \u{1}\u{1b}[31m\r\n😀";
    for finding in &mut f.report.findings {
        finding.vendor = nasty.to_string();
        finding.message = nasty.to_string();
        finding.note = Some(nasty.to_string());
    }
    let xml = junit::render(&f.report);
    let doc = Document::parse(&xml).expect("still well-formed");
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("failure");
    // Data in an attribute is neutralised: controls and line breaks are shown as escapes.
    assert_eq!(
        failure.attribute("message"),
        Some("<tag attr=\"x\"> & 'q' ]]> \\u{1}\\u{1b}[31m\\r\\n😀")
    );
}

#[test]
fn junit_snapshot() {
    let f = fixture();
    insta::assert_snapshot!("junit", junit::render(&f.report));
}

// ---------------------------------------------------------------- GitHub

#[test]
fn github_commands_one_per_non_pass_finding() {
    let f = fixture();
    let text = github::render(&f.report);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        "::error file=registry/ownership.yaml,line=2,col=22,\
         title=vrisk fail [critical] no-competitor-owned-data-vendor%3A Scale AI::\
         Meta (a competitor) holds 49%25 of Scale AI, over the 20%25 limit%0A\
         evidence: owner.economic >= 20%25: 49%25 (true) [source: reuters-2025-06-13]%0A\
         path: Meta Platforms ─100%25→ Meta \"Holdings\" #2 | <LLC> & Co ─49%25→ Scale AI \
         = 49%25 economic, 0%25 voting"
    );
    assert!(lines[1].starts_with(
        "::warning file=registry/ownership.yaml,line=2,col=22,\
         title=vrisk indeterminate [medium] vendor-data-residency%3A Scale AI::"
    ));
    assert_eq!(
        lines[2],
        "::notice title=vrisk waived [low] attested-security-review%3A Scale AI::\
         the last security review is older than a year%0A\
         note: waived until 2025-09-30 by the CISO: review booked for Q3 (W-7)"
    );
}

/// The fixture with `extra` more failures of `severity` (one per made-up vendor) for the
/// policy of that severity.
fn with_failures(mut report: Report, severity: Severity, extra: usize) -> Report {
    let template = failing(&report).clone();
    for i in 0..extra {
        let mut f = template.clone();
        f.severity = severity;
        f.vendor = format!("vendor-{severity}-{i:02}");
        f.vendor_name = format!("Vendor {severity} {i:02}");
        f.fingerprint = format!("{}:{}", f.policy, f.vendor);
        report.findings.push(f);
    }
    report
}

#[test]
fn github_annotations_stay_within_ten_of_each_kind() {
    let f = fixture();
    let report = with_failures(f.report, Severity::Critical, 14);
    let report = with_failures(report, Severity::Low, 11);
    let text = github::render(&report);
    let lines: Vec<&str> = text.lines().collect();
    let kind = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    // 15 critical failures (errors); 11 low failures and an indeterminate (warnings); a waiver.
    assert_eq!(kind("::error "), 10);
    assert_eq!(kind("::warning "), 10);
    assert_eq!(kind("::notice "), 2);
    assert_eq!(
        lines.last().copied(),
        Some(
            "::notice title=vrisk::7 more findings not annotated (GitHub shows at most 10 \
             errors, 10 warnings and 10 notices per step): see the report"
        )
    );
    // Most severe first: every error before any warning, failures before the indeterminate.
    assert!(lines[0].starts_with("::error file=registry/ownership.yaml"));
    assert!(lines[10].starts_with("::warning ") && lines[10].contains("[low]"));
    assert!(
        !text.contains("indeterminate [medium]"),
        "the 12th warning is left out"
    );
}

#[test]
fn github_annotations_all_fit_without_a_closing_notice() {
    let f = fixture();
    let report = with_failures(f.report, Severity::Critical, 9);
    let text = github::render(&report);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::error ")).count(),
        10
    );
    assert!(!text.contains("more finding"), "{text}");
}

#[test]
fn job_summary_stops_at_a_whole_finding_and_says_what_is_left_out() {
    let f = fixture();
    let report = with_failures(f.report, Severity::Critical, 40);
    let whole = markdown::render(&report, Verdict::Fail);
    let budget = whole.len() / 3;
    let cut = markdown::render_within(&report, Verdict::Fail, budget);
    assert!(cut.len() <= budget, "{} > {budget}", cut.len());
    let shown = cut.matches("\n### ").count();
    assert!(shown > 0 && shown < 43, "{shown}");
    assert!(
        cut.ends_with(&format!(
            "**This summary stops here: {} of 43 findings (and the sections after them) are left \
             out to stay within GitHub's 1 MiB limit for a job summary.** The full report: \
             `vrisk check --format html=report.html` or `--format markdown=report.md`.\n",
            43 - shown
        )),
        "{cut}"
    );
    // What is shown is the start of the whole report, cut between two findings.
    let before_note = cut.split("\n---\n").next().unwrap_or("");
    assert!(whole.starts_with(before_note));
    assert!(whole[before_note.len()..].starts_with("\n### "));
    // A report that fits is the whole report.
    assert_eq!(
        markdown::render_within(&report, Verdict::Fail, whole.len()),
        whole
    );
}

// ---------------------------------------------------------------- GitLab

fn gitlab_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/gitlab-code-quality.schema.json"))
            .expect("schema");
    jsonschema::draft7::new(&schema).expect("the Code Quality schema compiles")
}

#[test]
fn gitlab_code_quality_has_the_documented_shape() {
    let f = fixture();
    let issues: Value = serde_json::from_str(&render(
        FormatName::Gitlab,
        &f.report,
        &f.sources,
        &Style {
            color: false,
            width: 100,
        },
        Verdict::Fail,
    ))
    .expect("JSON");
    let errors: Vec<String> = gitlab_validator()
        .iter_errors(&issues)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(!gitlab_validator().is_valid(&serde_json::json!([{"description": "x"}])));

    let fail = &issues[0];
    assert_eq!(
        fail,
        &serde_json::json!({
            "description": "no-competitor-owned-data-vendor: Meta (a competitor) holds 49% of \
                            Scale AI, over the 20% limit",
            "check_name": "no-competitor-owned-data-vendor",
            "fingerprint": vrisk::report::gitlab::fingerprint(failing(&f.report)),
            "severity": "blocker",
            "location": {"path": "registry/ownership.yaml", "lines": {"begin": 2}},
        })
    );
    assert_eq!(issues[1]["severity"], "major");
    assert_eq!(
        issues[1]["description"],
        "vendor-data-residency (indeterminate): where Scale AI keeps labelled data is not known"
    );
    assert_eq!(
        issues.as_array().map(Vec::len),
        Some(2),
        "the waived finding and the passes are left out"
    );
    assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_snapshot() {
    let text = rendered_twice(markdown::render);
    insta::assert_snapshot!("markdown", text);
}

#[test]
fn markdown_escapes_names_in_the_diagram() {
    let f = fixture();
    let text = markdown::render(&f.report, Verdict::Fail);
    assert!(text.contains("```mermaid\nflowchart LR\n"));
    assert!(text.contains("  n1[\"Meta #quot;Holdings#quot; #35;2 #124; #lt;LLC#gt; #amp; Co\"]"));
    // `%` is Mermaid syntax (`%%` directives and comments): written as its entity code.
    assert!(text.contains("  n0 -->|\"100#37;\"| n1\n  n1 -->|\"49#37;\"| n2\n"));
    // In prose the same name is backslash-escaped instead.
    assert!(text.contains("Meta \"Holdings\" \\#2 \\| \\<LLC> \\& Co ─49%→ Scale AI"));
}

#[test]
fn markdown_diagrams_are_capped_with_a_note() {
    let f = fixture();
    let mut paths = Vec::new();
    for i in 0..130 {
        paths.push(PathEvidence {
            owner: format!("o{i}"),
            owner_name: format!("Owner {i}"),
            via: vec![format!("o{i}"), "scale-ai".to_string()],
            names: vec![format!("Owner {i}"), "Scale AI".to_string()],
            links: vec!["0.1%".to_string()],
            economic: "0.1%".to_string(),
            voting: "0.1%".to_string(),
            sources: Vec::new(),
            competitor: None,
        });
    }
    let text = markdown::mermaid(&paths);
    assert_eq!(text.matches(" -->|").count(), 100);
    assert!(
        text.ends_with("```\n\n*30 more links not drawn: a diagram shows at most 100.*\n"),
        "{text}"
    );
    assert_eq!(
        markdown::mermaid(&failing(&f.report).paths)
            .matches("not drawn")
            .count(),
        0
    );
}

// ---------------------------------------------------------------- Baseline

/// The fixture compared with a baseline that had the failure, not the indeterminate one, and a
/// finding that has since been resolved.
fn with_baseline() -> Report {
    let f = fixture();
    let mut old = f.report.clone();
    old.findings.retain(|x| x.outcome != Outcome::Indeterminate);
    let mut resolved = finding(
        "no-competitor-owned-data-vendor",
        "surge-ai",
        Severity::Critical,
        Outcome::Fail,
    );
    resolved.message = "gone since".to_string();
    old.findings.push(resolved);
    let baseline = load_baseline(&json::render(&old)).expect("baseline");
    let mut report = f.report;
    compare(&mut report, &baseline);
    report
}

#[test]
fn baseline_marks_new_existing_and_gone() {
    let report = with_baseline();
    let state = |outcome| {
        report
            .findings
            .iter()
            .find(|f| f.outcome == outcome)
            .and_then(|f| f.baseline)
    };
    assert_eq!(state(Outcome::Fail), Some(BaselineState::Existing));
    assert_eq!(state(Outcome::Waived), Some(BaselineState::Existing));
    assert_eq!(state(Outcome::Indeterminate), Some(BaselineState::New));
    assert_eq!(state(Outcome::Pass), None);
    assert_eq!(report.gone.len(), 1);
    assert_eq!(report.gone[0].vendor, "surge-ai");
}

#[test]
fn every_format_shows_the_baseline_state() {
    let f = fixture();
    let report = with_baseline();
    let style = Style {
        color: false,
        width: 100,
    };
    let out = |format| render(format, &report, &f.sources, &style, Verdict::Fail);

    let human = out(FormatName::Human);
    assert!(
        human.contains("[new] [medium] vendor-data-residency"),
        "{human}"
    );
    assert!(
        human.contains(
            "resolved since baseline:\n  fail no-competitor-owned-data-vendor (surge-ai)"
        )
    );

    let json: Value = serde_json::from_str(&out(FormatName::Json)).expect("json");
    let states: Vec<&str> = json["findings"]
        .as_array()
        .map(|fs| fs.iter().filter_map(|f| f["baseline"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(states, ["existing", "existing", "new"]);
    assert_eq!(json["gone"][0]["vendor"], "surge-ai");

    let sarif: Value = serde_json::from_str(&out(FormatName::Sarif)).expect("sarif");
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r["baselineState"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(states, ["unchanged", "unchanged", "new"]);

    assert!(out(FormatName::Junit).contains("baseline: new"));
    assert!(out(FormatName::Github).contains("vendor-data-residency%3A Scale AI (new)::"));

    let md = out(FormatName::Markdown);
    assert!(md.contains("Against the baseline: 1 new, 2 existing, 1 resolved."));
    assert!(md.contains(
        "## Resolved since baseline\n\n- fail: no-competitor-owned-data-vendor / surge-ai\n"
    ));
    insta::assert_snapshot!("markdown_with_baseline", md);
}

#[test]
fn new_only_counts_only_new_findings_for_the_exit_code() {
    let mut report = with_baseline();
    assert_eq!(
        gate::verdict(&report),
        Verdict::Fail,
        "the critical failure"
    );
    report.gate = Gate::from_flags(None, false, true);
    assert_eq!(
        gate::verdict(&report),
        Verdict::Pass,
        "it is in the baseline"
    );
    report.gate = Gate::from_flags(None, true, true);
    assert_eq!(
        gate::verdict(&report),
        Verdict::Fail,
        "the indeterminate finding is new and now counts"
    );
    let blocking: Vec<&str> = gate::blocking(&report).map(|f| f.policy.as_str()).collect();
    assert_eq!(blocking, ["vendor-data-residency"]);
}

// ---------------------------------------------------------------- Dispatch

#[test]
fn render_dispatches_every_format() {
    let f = fixture();
    let style = Style {
        color: false,
        width: 100,
    };
    let out = |format| render(format, &f.report, &f.sources, &style, Verdict::Fail);
    assert!(out(FormatName::Human).contains("vrisk: alphabet (Alphabet) as of 2025-06-20"));
    assert_eq!(
        serde_json::from_str::<Value>(&out(FormatName::Json))
            .map(|v| v["version"].clone())
            .ok(),
        Some(Value::from(1))
    );
    assert_eq!(
        out(FormatName::Sarif),
        sarif::render(&f.report, Verdict::Fail)
    );
    assert_eq!(out(FormatName::Junit), junit::render(&f.report));
    assert_eq!(out(FormatName::Github), github::render(&f.report));
    assert!(
        out(FormatName::Markdown)
            .starts_with("# vrisk: Alphabet (`alphabet`) as of 2025-06-20: ❌ failed")
    );
}

// ---------------------------------------------------------------- The built-in example

/// `vrisk check` in a directory with no registry of its own reads the copies compiled into
/// vrisk: its SARIF must not point at files of the repository it runs in.
#[test]
fn sarif_of_the_builtin_example_points_at_no_file_of_the_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = assert_cmd::cargo::cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .env_remove("GITHUB_STEP_SUMMARY")
        .args([
            "check",
            "--example",
            "--as-of",
            "2025-06-20",
            "--format",
            "sarif",
        ])
        .output()
        .expect("run vrisk");
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");

    let run = &log["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["VRISK_BUILTIN"]["uri"],
        "vrisk-builtin:/"
    );
    let mut artifacts = Vec::new();
    for result in run["results"].as_array().expect("results") {
        for key in ["locations", "relatedLocations"] {
            for location in result[key].as_array().into_iter().flatten() {
                artifacts.push(location["physicalLocation"]["artifactLocation"].clone());
            }
        }
    }
    assert!(artifacts.len() >= 8, "{artifacts:?}");
    for artifact in &artifacts {
        assert_eq!(artifact["uriBaseId"], "VRISK_BUILTIN", "{artifact}");
    }
    assert!(artifacts.contains(
        &serde_json::json!({"uri": "registry/ownership.yaml", "uriBaseId": "VRISK_BUILTIN"})
    ));

    // A shipped policy's rule links to its section of docs/policies.md, when the build knows
    // the repository it comes from.
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let rule = rules
        .iter()
        .find(|r| r["id"] == "competitor-ownership")
        .expect("the rule");
    match vrisk::report::repository() {
        Some(repository) => assert_eq!(
            rule["helpUri"],
            format!("{repository}/blob/main/docs/policies.md#competitor-ownership")
        ),
        None => assert!(rule.get("helpUri").is_none()),
    }
}

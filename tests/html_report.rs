//! The HTML report: a page that parses as HTML5 without an error, refers to nothing outside
//! itself, keeps hostile names inert, stays usable at 10,000 findings, and is committed as
//! docs/examples/report.html.

mod support;

use std::path::Path;

use scraper::{Html, Selector};
use support::{Run, vrisk_in};
use vrisk::engine::{
    Evidence, Finding, Gate, Location, Outcome, PathEvidence, PolicyInfo, Position, Report,
    Summary, Verdict,
};
use vrisk::input::source::{Loc, SourceFile, SourceMap, Span};
use vrisk::report::html;
use vrisk::value::date::Date;
use vrisk::value::severity::Severity;

/// The seeded case as of 2025-06-20, from the repository's own registry and policies: the
/// page docs/examples/report.html holds.
fn seeded_page() -> String {
    let run = vrisk_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "--as-of", "2025-06-20", "--format", "html"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stdout
}

fn select(selector: &str) -> Selector {
    Selector::parse(selector).expect("a valid selector")
}

/// The inline SVG drawings of a page, as text.
fn svgs(page: &str) -> Vec<&str> {
    page.match_indices("<svg ")
        .filter_map(|(start, _)| {
            page[start..]
                .find("</svg>")
                .map(|end| &page[start..start + end + "</svg>".len()])
        })
        .collect()
}

/// What the page refers to outside itself: any `src`, any `<link>`, `@import` or `url(` in its
/// style and attributes, and any `href` that is not a fragment of the page or a data link
/// (`class="data-link"`, an http(s) address of a source or a policy's documentation).
fn outside_references(page: &str) -> Vec<String> {
    let doc = Html::parse_document(page);
    let mut found = Vec::new();
    for element in doc.select(&select("*")) {
        let e = element.value();
        if e.name() == "link" || e.name() == "iframe" || e.name() == "object" {
            found.push(format!("<{}>", e.name()));
        }
        for (name, value) in e.attrs() {
            let lower = value.to_ascii_lowercase();
            if name == "src" || lower.contains("url(") {
                found.push(format!("{name}={value}"));
            }
            if name == "href" && !value.starts_with('#') {
                let data_link = e.classes().any(|c| c == "data-link")
                    && (lower.starts_with("https://") || lower.starts_with("http://"));
                if !data_link {
                    found.push(format!("href={value}"));
                }
            }
        }
    }
    for style in doc.select(&select("style")) {
        let css = style.text().collect::<String>().to_ascii_lowercase();
        for banned in ["@import", "url(", "@font-face"] {
            if css.contains(banned) {
                found.push(format!("style: {banned}"));
            }
        }
    }
    found
}

#[test]
fn the_page_parses_as_html5_and_refers_to_nothing_outside() {
    let page = seeded_page();
    let doc = Html::parse_document(&page);
    assert_eq!(
        doc.errors,
        Vec::<std::borrow::Cow<str>>::new(),
        "HTML5 parse errors"
    );
    assert_eq!(outside_references(&page), Vec::<String>::new());
    // Every fragment link lands on an element of the page.
    for a in doc.select(&select("a[href^='#']")) {
        let id = &a.value().attr("href").unwrap_or("#")[1..];
        let target = format!("[id='{id}']");
        assert!(doc.select(&select(&target)).next().is_some(), "#{id}");
    }
    // One script, inline, and nothing else runs.
    let scripts: Vec<_> = doc.select(&select("script")).collect();
    assert_eq!(scripts.len(), 1);
    assert!(scripts[0].value().attr("src").is_none());
}

#[test]
fn the_verdict_comes_first_then_the_matrix_then_each_finding_with_its_drawing() {
    let page = seeded_page();
    let doc = Html::parse_document(&page);
    let text = |selector: &str| {
        doc.select(&select(selector))
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    assert_eq!(
        text("body > :first-child h1"),
        "✗ Failed: 3 blocking findings"
    );
    assert_eq!(
        text("header.verdict p"),
        "Alphabet (alphabet) as of 2025-06-20: 7 policies × 4 vendor relationships."
    );

    let rows: Vec<_> = doc.select(&select("table.matrix tbody tr")).collect();
    assert_eq!(rows.len(), 4);
    let first_row: Vec<String> = rows[0]
        .select(&select("td"))
        .map(|td| td.text().collect::<String>())
        .collect();
    assert_eq!(
        first_row,
        ["Scale AI scale-ai", "✓", "✗", "?", "✓", "✗", "✗", "✓"],
        "the vendor with failures first; policies in report order"
    );
    let link = rows[0]
        .select(&select("td.fail a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a failing cell links to its finding");
    let finding = doc
        .select(&select(&format!("details[id='{}']", &link[1..])))
        .next()
        .expect("the finding");
    let finding_text = finding.text().collect::<String>();
    assert!(finding_text.contains("Scale AI is 49% owned (0% of the votes) by Meta Platforms"));
    assert!(finding_text.contains("owner.economic = 49%"));
    assert!(finding_text.contains("registry/ownership.yaml:12:15"));
    // Its source links to the article; its ownership is drawn.
    let source = finding
        .select(&select("a.data-link"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap_or("");
    assert!(source.starts_with("https://www.reuters.com/"), "{source}");
    assert_eq!(finding.select(&select("svg")).count(), 1);

    // Seven findings, each drawing well-formed SVG where it has ownership paths.
    assert_eq!(doc.select(&select("details.finding")).count(), 7);
    let drawings = svgs(&page);
    assert!(!drawings.is_empty());
    for svg in drawings {
        roxmltree::Document::parse(svg).expect("well-formed SVG");
    }
}

#[test]
fn the_page_is_snapshotted_and_prints_with_every_section_open() {
    let page = seeded_page();
    assert_eq!(page, seeded_page(), "the same inputs give the same page");
    assert!(page.contains("@media print"));
    assert!(page.contains("details::details-content { content-visibility: visible;"));
    assert!(page.contains("window.addEventListener('beforeprint'"));
    let stable = page.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("seeded_report_html", stable);
}

#[test]
fn the_committed_example_is_up_to_date() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/report.html"),
    )
    .expect("docs/examples/report.html");
    assert!(
        committed == seeded_page(),
        "docs/examples/report.html is not what this build writes; regenerate it with \
         `cargo run -- check --as-of 2025-06-20 --format html=docs/examples/report.html`"
    );
}

#[test]
fn hostile_names_and_links_stay_inert() {
    let dir = support::base_dir();
    let registry = std::fs::read_to_string(dir.path().join("registry.yaml")).expect("read");
    let hostile = registry
        .replace(
            "{id: s1, title: A source}",
            "{id: s1, title: \"<img src=x onerror=alert(1)>\", url: \"javascript:alert(1)\"}",
        )
        .replace(
            "name: Vendor A,",
            "name: \"Vendor <script>alert('a')</script> \\\" onmouseover=\\\"alert(2)\",",
        )
        .replace(
            "name: Rival,",
            "name: \"Rival</title></svg><script>alert(3)</script>\",",
        );
    assert_ne!(hostile, registry);
    support::write(dir.path(), "registry.yaml", &hostile);
    let run: Run = support::check_base(dir.path(), &["--format", "html"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let page = run.stdout;
    let doc = Html::parse_document(&page);
    assert_eq!(doc.errors, Vec::<std::borrow::Cow<str>>::new());
    assert_eq!(
        doc.select(&select("script")).count(),
        1,
        "only vrisk's own script"
    );
    assert_eq!(doc.select(&select("img")).count(), 0);
    assert_eq!(outside_references(&page), Vec::<String>::new());
    assert!(
        !page.contains("javascript:"),
        "a javascript: URL is not even shown as a link"
    );
    for element in doc.select(&select("*")) {
        for (name, value) in element.value().attrs() {
            if name.starts_with("on") {
                assert!(
                    value == "openAll(true)" || value == "openAll(false)",
                    "{name}={value}"
                );
            }
        }
    }
    // The names are there, as text.
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("Vendor <script>alert('a')</script> \" onmouseover=\"alert(2)"));
    for svg in svgs(&page) {
        roxmltree::Document::parse(svg).expect("well-formed SVG");
    }
}

/// A report of `vendors` vendors failing one policy each through a two-link path.
fn large_report(vendors: usize) -> Report {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("registry/big.yaml", None, "stakes: []\n"));
    let position = Position::resolve(
        &sources,
        Loc {
            file,
            span: Span::new(0, 6),
        },
    );
    let policy = |id: &str, severity| PolicyInfo {
        id: id.to_string(),
        title: format!("Policy {id}"),
        severity,
        description: String::new(),
        rationale: String::new(),
        remediation: "Leave the vendor.".to_string(),
        references: Vec::new(),
        help_url: None,
        location: position.clone(),
        evaluated: vendors,
    };
    let mut findings = Vec::new();
    for i in 0..vendors {
        let vendor = format!("v{i:05}");
        findings.push(Finding {
            policy: if i % 2 == 0 { "stake" } else { "control" }.to_string(),
            vendor: vendor.clone(),
            vendor_name: format!("Vendor {i}"),
            severity: if i % 2 == 0 {
                Severity::Critical
            } else {
                Severity::High
            },
            outcome: if i % 3 == 0 {
                Outcome::Indeterminate
            } else {
                Outcome::Fail
            },
            message: format!("Vendor {i} is 30% owned by Rival"),
            note: None,
            evidence: vec![Evidence {
                text: "owner.economic >= 20%: 30% (true)".to_string(),
                fact: "owner.economic".to_string(),
                value: "30%".to_string(),
                op: ">=".to_string(),
                operand: "20%".to_string(),
                result: "true".to_string(),
                bindings: Vec::new(),
                location: None,
                sources: Vec::new(),
            }],
            paths: vec![PathEvidence {
                owner: "rival".to_string(),
                owner_name: "Rival".to_string(),
                via: vec!["rival".to_string(), format!("h{i}"), vendor.clone()],
                names: vec![
                    "Rival".to_string(),
                    format!("Holding {i}"),
                    format!("Vendor {i}"),
                ],
                links: vec!["100%".to_string(), "30%".to_string()],
                economic: "30%".to_string(),
                voting: "30%".to_string(),
                sources: Vec::new(),
                competitor: None,
            }],
            locations: vec![Location {
                position: position.clone(),
                role: "registry",
                label: "the stake".to_string(),
            }],
            fingerprint: format!("stake:acme:{vendor}"),
            baseline: None,
        });
    }
    let fail = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Fail)
        .count();
    Report {
        org: "acme".to_string(),
        org_name: "Acme".to_string(),
        as_of: Date::parse("2025-06-20").expect("a date"),
        policies: vec![
            policy("stake", Severity::Critical),
            policy("control", Severity::High),
        ],
        summary: Summary {
            policies: 2,
            vendors,
            fail,
            indeterminate: vendors - fail,
            pass: 0,
            waived: 0,
        },
        findings,
        warnings: Vec::new(),
        gone: Vec::new(),
        gate: Gate::default(),
    }
}

#[test]
fn ten_thousand_findings_stay_readable() {
    let report = large_report(10_000);
    let page = html::render(&report, Verdict::Fail);
    let doc = Html::parse_document(&page);
    assert_eq!(doc.errors, Vec::<std::borrow::Cow<str>>::new());
    // The summary first; findings grouped by policy, every section closed.
    assert_eq!(doc.select(&select("details.group")).count(), 2);
    assert_eq!(doc.select(&select("details[open]")).count(), 0);
    assert_eq!(doc.select(&select("details.finding")).count(), 10_000);
    // The matrix lists 500 vendors and counts the rest; 500 findings are drawn.
    assert_eq!(
        doc.select(&select("table.matrix tbody tr")).count(),
        html::MAX_MATRIX_VENDORS
    );
    assert!(page.contains("9500 more vendors not listed, 0 of them passing every policy"));
    assert_eq!(svgs(&page).len(), html::MAX_DIAGRAMS);
    assert!(page.contains("Ownership diagrams are drawn for the 500 most severe findings"));
    // The drawn ones are the most severe: critical failures.
    let drawn = doc
        .select(&select("details.finding"))
        .filter(|d| d.select(&select("svg")).next().is_some())
        .all(|d| {
            d.value().classes().any(|c| c == "is-fail")
                && d.text().any(|t| t.contains("[critical]"))
        });
    assert!(drawn);
}

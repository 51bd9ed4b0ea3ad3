//! Diagnostics stay readable on one-line files: a problem millions of characters into a line
//! (minified JSON, a flow-style YAML line, a long CSV cell) is shown as a window of that line
//! cut with `…`, at its exact line and column, without the panic miette's formatter had past
//! column 65,535, and without reprinting the file.

mod support;

use support::vrisk_in;

/// A registry of `count` organisations as one line of JSON, with `last` as the last one.
fn minified_registry(count: usize, last: &str) -> String {
    let mut text = String::from("{\"organisations\":[");
    for i in 0..count {
        text.push_str(&format!(
            "{{\"id\":\"org-{i}\",\"name\":\"Organisation {i}\",\"kind\":\"company\"}},"
        ));
    }
    text.push_str(last);
    text.push_str("]}");
    text
}

/// The 1-based column, in characters, of the first `needle` in the single-line `text`.
fn column_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle in text");
    text[..at].chars().count() + 1
}

/// Shown snippets are a window: the whole report stays small whatever the line's length.
const SMALL: usize = 2_000;

#[test]
fn a_schema_error_at_the_end_of_a_5_mb_json_line_prints_a_window_at_its_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = minified_registry(
        80_000,
        "{\"id\":\"last\",\"name\":\"Last\",\"kind\":\"bogus\"}",
    );
    assert!(text.len() > 5_000_000);
    std::fs::write(dir.path().join("big.json"), &text).expect("write");
    let run = vrisk_in(dir.path(), &["validate", "big.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let column = column_of(&text, "\"bogus\"");
    assert!(column > 65_535);
    assert!(run.stderr.len() < SMALL, "{} bytes", run.stderr.len());
    assert!(
        run.stderr.contains(&format!("[big.json:1:{column}]")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" 1 │ …"),
        "the line is cut before the window: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\"kind\":\"bogus\"}]}"),
        "{}",
        run.stderr
    );
    // The machine-readable form points at the same place.
    let json = vrisk_in(dir.path(), &["validate", "--format", "json", "big.json"]);
    assert_eq!(json.json()[0]["line"], 1);
    assert_eq!(json.json()[0]["column"], column);
}

#[test]
fn a_syntax_error_far_right_on_a_line_does_not_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A missing `,` between the last two organisations, 130,000 characters in.
    let text = minified_registry(2_000, "{\"id\":\"a\"} {\"id\":\"b\"}");
    std::fs::write(dir.path().join("r.json"), &text).expect("write");
    let run = vrisk_in(dir.path(), &["validate", "r.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("json::syntax"), "{}", run.stderr);
    assert!(run.stderr.len() < SMALL, "{} bytes", run.stderr.len());
    let column = column_of(&text, " {\"id\":\"b\"}") + 1;
    assert!(column > 65_535);
    assert!(
        run.stderr.contains(&format!("[r.json:1:{column}]")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_problem_at_the_end_of_a_long_flow_style_yaml_line_prints_a_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let items: String = (0..10_000)
        .map(|i| format!("{{id: org-{i}, name: Organisation {i}, kind: company}}, "))
        .collect();
    let line = format!("organisations: [{items}{{id: last, name: Last, kind: bogus}}]");
    std::fs::write(dir.path().join("r.yaml"), format!("{line}\n")).expect("write");
    let run = vrisk_in(dir.path(), &["validate", "r.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.len() < SMALL, "{} bytes", run.stderr.len());
    let column = column_of(&line, "bogus}]");
    assert!(
        run.stderr.contains(&format!("[r.yaml:1:{column}]")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("{id: last, name: Last, kind: bogus}]"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_cell_after_a_long_csv_cell_prints_a_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "Supplier ".repeat(7_000);
    let text = format!("customer,vendor,status\nacme,{long},bogus\n");
    std::fs::write(dir.path().join("export.csv"), &text).expect("write");
    let run = vrisk_in(dir.path(), &["import", "csv", "export.csv"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.len() < SMALL, "{} bytes", run.stderr.len());
    let column = "acme,".len() + long.len() + 2;
    assert!(column > 60_000);
    assert!(
        run.stderr.contains(&format!("[export.csv:2:{column}]")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Supplier Supplier ,bogus"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_one_line_file_that_is_no_registry_is_not_reprinted() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Say a base64 blob given by mistake: one YAML scalar of 3 MB where a mapping belongs.
    let blob = "QUJD".repeat(750_000);
    std::fs::write(dir.path().join("blob.yaml"), &blob).expect("write");
    let run = vrisk_in(
        dir.path(),
        &["validate", "--max-string-bytes", "10000000", "blob.yaml"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.len() < SMALL,
        "{} bytes: {}",
        run.stderr.len(),
        &run.stderr[..SMALL]
    );
    assert!(run.stderr.contains("[blob.yaml:1:1]"), "{}", run.stderr);
    assert!(run.stderr.contains(" 1 │ QUJDQUJD"), "{}", run.stderr);
    assert!(run.stderr.contains("QUJD…"), "{}", run.stderr);
}

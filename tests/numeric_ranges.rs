//! Numbers are checked for range wherever they come from: a flag, vrisk.yaml, a JSON file or a
//! policy. An out-of-range, negative, infinite or not-a-number value is refused with a message
//! that says what is wrong (exit 2), never silently replaced or reported as a wrong type. The
//! corpus (tests/corpus) holds the file cases: `1e400` in JSON, counts compared with `-3` or
//! `2.5`, `waiver_warning_days: 99999`.

mod support;

use support::vrisk_in;

#[test]
fn the_control_threshold_is_a_finite_percent_from_0_to_100() {
    let dir = support::base_dir();
    for (value, message) in [
        ("150", "`150` is outside 0 to 100"),
        ("-5", "`-5` is outside 0 to 100"),
        ("NaN", "`NaN` is not a number"),
        ("inf", "`inf` is not a finite number"),
        ("1e400", "`1e400` is not a finite number"),
        ("half", "`half` is not a number"),
    ] {
        let run = vrisk_in(
            dir.path(),
            &[
                "ownership",
                "vendor-a",
                "-r",
                "registry.yaml",
                "--method",
                "control-chain",
                "--control-threshold",
                value,
            ],
        );
        assert_eq!(run.code, 2, "{value}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{value}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{value}: {}", run.stdout);
    }
    for value in ["0", "50", "100", "50%", "33.5"] {
        let run = vrisk_in(
            dir.path(),
            &[
                "ownership",
                "vendor-a",
                "-r",
                "registry.yaml",
                "--control-threshold",
                value,
            ],
        );
        assert_eq!(run.code, 0, "{value}: {}", run.stderr);
    }
}

#[test]
fn waiver_warning_days_are_0_to_36500() {
    let dir = support::base_dir();
    for (value, message) in [
        ("-3", "`-3` is negative"),
        ("99999", "`99999` is more than 36500 days"),
        ("soon", "`soon` is not a whole number"),
    ] {
        let run = vrisk_in(
            dir.path(),
            &[&support::CHECK_BASE[..], &["--waiver-warning-days", value]].concat(),
        );
        assert_eq!(run.code, 2, "{value}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{value}: {}", run.stderr);
    }
}

#[test]
fn a_number_too_large_in_json_is_out_of_range_not_a_wrong_type() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "{\"organisations\": [{\"id\": \"a\", \"name\": \"A\", \"kind\": \"company\"}, \
                {\"id\": \"b\", \"name\": \"B\", \"kind\": \"company\"}], \
                \"stakes\": [{\"owner\": \"a\", \"owned\": \"b\", \"economic\": -1e400}]}";
    std::fs::write(dir.path().join("r.json"), text).expect("write");
    let run = vrisk_in(dir.path(), &["validate", "--format", "json", "r.json"]);
    assert_eq!(run.code, 2);
    let problem = &run.json()[0];
    assert_eq!(problem["code"], "json::invalid-number");
    assert_eq!(
        problem["message"],
        "r.json: `-1e400` is out of range for a number"
    );
    assert_eq!(problem["column"], text.find("-1e400").unwrap() + 1);
    assert!(!run.stdout.contains("not of types"), "{}", run.stdout);
}

#[test]
fn a_graph_depth_is_a_whole_number_of_0_or_more() {
    let dir = support::base_dir();
    for (value, message) in [
        ("-1", "`-1` is negative"),
        ("two", "`two` is not a whole number"),
    ] {
        let run = vrisk_in(
            dir.path(),
            &["graph", "vendor-a", "-r", "registry.yaml", "--depth", value],
        );
        assert_eq!(run.code, 2, "{value}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{value}: {}", run.stderr);
    }
    let run = vrisk_in(
        dir.path(),
        &["graph", "vendor-a", "-r", "registry.yaml", "--depth", "0"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

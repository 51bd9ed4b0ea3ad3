//! Files generated from the command line itself: shell completions, the man page, and the test
//! file schema, each printed on standard output.

use assert_cmd::cargo::cargo_bin_cmd;

const SUBCOMMANDS: [&str; 7] = [
    "check",
    "validate",
    "schema",
    "test",
    "new",
    "completions",
    "man",
];

fn stdout_of(args: &[&str]) -> String {
    let output = cargo_bin_cmd!("vrisk")
        .args(args)
        .output()
        .expect("run vrisk");
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(!script.is_empty(), "{shell}");
        assert!(script.contains("vrisk"), "{shell}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks `{sub}`");
        }
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let output = cargo_bin_cmd!("vrisk")
        .args(["completions", "tcsh"])
        .output()
        .expect("run vrisk");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn man_page_lists_every_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(page.starts_with(".ie"), "roff: {page}");
    assert!(page.contains(".TH vrisk 1"), "{page}");
    for sub in SUBCOMMANDS {
        // roff escapes the hyphen: vrisk\-check(1).
        assert!(
            page.contains(&format!("vrisk\\-{sub}(1)")),
            "man page lacks `{sub}`"
        );
    }
    let test_page = stdout_of(&["man", "test"]);
    assert!(test_page.contains(".TH vrisk-test 1"), "{test_page}");
    assert!(test_page.contains("\\-\\-filter"), "{test_page}");
}

#[test]
fn man_page_of_an_unknown_command_suggests_one() {
    let output = cargo_bin_cmd!("vrisk")
        .args(["man", "tset"])
        .output()
        .expect("run vrisk");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `test`?"));
}

#[test]
fn test_schema_is_printed_and_is_draft_2020_12() {
    let text = stdout_of(&["schema", "test"]);
    let schema: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["$defs"]["case"]["additionalProperties"], false);
}

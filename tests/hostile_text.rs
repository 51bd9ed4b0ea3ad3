//! Text from the inputs cannot become a command or an escape sequence in any output: names,
//! messages, reasons and test names with line breaks, `::` workflow commands, `##[` markers, ESC
//! sequences, bidi overrides and line separators reach a terminal or a CI log as visible
//! escapes, in every format and command and in diagnostic snippets; Mermaid labels cannot
//! carry a directive; colour follows NO_COLOR, TERM=dumb and FORCE_COLOR.

mod support;

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use support::{Run, vrisk_in};

/// What must not reach a terminal raw (written out here, independently of vrisk's own list):
/// C0 and C1 controls, DEL, bidi embeddings, overrides and isolates, line and paragraph
/// separators.
fn is_unsafe(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// A name that tries every trick: a new line that starts with a workflow command, the older
/// `##[` syntax, a screen clear and a forged verdict, a bidi override, a line separator, DEL and
/// a C1 control.
const HOSTILE: &str = "Rival\\n::error file=x::pwned ##[add-mask]secret \\e[2J\\e[HALL CLEAR \
                       \\u202E evil \\u2028 del\\x7F csi\\x9B";

const POLICY: &str = "\
id: rival-stake
title: No vendor in which a major competitor holds 20% or more
severity: high
params:
  threshold: {type: percent, default: 20%}
fails_when:
  exists:
    each: vendor.owners
    as: owner
    where:
      all:
        - {fact: owner.competitor, eq: true}
        - {fact: owner.economic, gte: $threshold}
on_indeterminate: warn
message: \"{vendor.name} is {owner.economic} owned by {owner.name} (limit {params.threshold})\"
remediation: \"Exit.\\n::warning::forged fix\"
";

/// The corpus base with `name` (a YAML double-quoted scalar's content) for the competitor,
/// the vendor and the organisation, a policy test whose case name is hostile too, and a waiver
/// whose reason and approver are.
fn hostile_project(dir: &Path, name: &str) {
    let registry = format!(
        "default_org: acme\n\
         sources:\n  - {{id: s1, title: \"{name}\"}}\n\
         organisations:\n\
         \x20 - {{id: acme, name: \"{name}\", kind: company}}\n\
         \x20 - {{id: rival, name: \"{name}\", kind: company}}\n\
         \x20 - {{id: vendor-a, name: \"{name}\", kind: company}}\n\
         \x20 - {{id: vendor-b, name: Vendor B, kind: company}}\n\
         stakes:\n\
         \x20 - {{owner: rival, owned: vendor-a, economic: 30%, source: s1}}\n\
         \x20 - {{owner: rival, owned: vendor-b, economic: unknown}}\n\
         competitors:\n  - {{of: acme, competitor: rival, tier: major}}\n\
         vendors:\n\
         \x20 - {{customer: acme, vendor: vendor-a, services: [data-labelling], status: active}}\n\
         \x20 - {{customer: acme, vendor: vendor-b, services: [data-labelling], status: active}}\n"
    );
    std::fs::write(dir.join("registry.yaml"), registry).expect("write registry");
    std::fs::create_dir_all(dir.join("policies")).expect("mkdir");
    std::fs::write(dir.join("policies/rival-stake.yaml"), POLICY).expect("write policy");
    let test = format!(
        "cases:\n  - name: \"{name}\"\n    org: acme\n    as_of: 2025-06-20\n    \
         registry_files: [../registry.yaml]\n    expect:\n      vendor-a: pass\n"
    );
    std::fs::write(dir.join("policies/rival-stake.test.yaml"), test).expect("write test");
    // A waiver of the indeterminate finding, with the name as its reason: it becomes the
    // finding's note in every format.
    let waivers = format!(
        "waivers:\n  - {{policy: rival-stake, vendor: vendor-b, reason: \"{name}\", \
         approved_by: \"{name}\", expires: 2099-01-01}}\n"
    );
    std::fs::write(dir.join("waivers.yaml"), waivers).expect("write waivers");
}

/// Every command and format that prints data, as (what, arguments).
fn runs() -> Vec<(String, Vec<&'static str>)> {
    let check = [
        "check",
        "-r",
        "registry.yaml",
        "-p",
        "policies",
        "--as-of",
        "2025-06-20",
    ];
    let mut runs: Vec<(String, Vec<&'static str>)> = Vec::new();
    for format in ["human", "json", "sarif", "junit", "github", "markdown"] {
        let mut args = check.to_vec();
        args.extend(["--format", format]);
        runs.push((format!("check --format {format}"), args));
    }
    let rest: [&[&'static str]; 8] = [
        &[
            "explain",
            "rival-stake",
            "vendor-a",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
        ],
        &[
            "explain",
            "rival-stake",
            "vendor-a",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
        &[
            "ownership",
            "vendor-a",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
        ],
        &[
            "ownership",
            "vendor-a",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
        &[
            "graph",
            "vendor-a",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
        ],
        &[
            "graph",
            "vendor-a",
            "-r",
            "registry.yaml",
            "--as-of",
            "2025-06-20",
            "--format",
            "dot",
        ],
        &["validate", "registry.yaml"],
        &["test", "policies"],
    ];
    for args in rest {
        runs.push((args[..2].join(" "), args.to_vec()));
    }
    runs
}

/// What a CI runner or a terminal would act on in `text`: a raw control, bidi or separator
/// character (other than vrisk's own line breaks), a line that starts a workflow command
/// (`::`, after blanks, as GitHub's runner trims them), or a `##[`/`##vso[` marker anywhere.
/// With `commands`, every line must be one of vrisk's own annotations instead.
fn live_text(text: &str, commands: bool) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = line.chars().find(|&c| is_unsafe(c)) {
            found.push(format!("line {}: raw {:?} in {line:?}", i + 1, c));
        }
        let starts_command = line.trim_start().starts_with("::");
        let ours = ["::error ", "::warning ", "::notice "]
            .iter()
            .any(|p| line.starts_with(p));
        if commands && !ours {
            found.push(format!(
                "line {}: not an annotation of vrisk: {line:?}",
                i + 1
            ));
        }
        if !commands && starts_command {
            found.push(format!(
                "line {}: starts a workflow command: {line:?}",
                i + 1
            ));
        }
        if line.contains("##[") || line.contains("##vso[") {
            found.push(format!("line {}: a command marker: {line:?}", i + 1));
        }
    }
    found
}

fn assert_inert(what: &str, run: &Run, commands: bool) {
    let mut found = live_text(&run.stdout, commands);
    found.extend(live_text(&run.stderr, false));
    assert!(
        found.is_empty(),
        "{what}:\n{}\n{}",
        found.join("\n"),
        run.stdout
    );
}

#[test]
fn no_output_of_any_command_lets_data_run_as_a_command_or_an_escape() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_project(dir.path(), HOSTILE);
    for (what, args) in runs() {
        let run = vrisk_in(dir.path(), &args);
        assert!(run.code <= 1, "{what}: exit {}: {}", run.code, run.stderr);
        assert_inert(&what, &run, what == "check --format github");
    }
}

#[test]
fn annotations_are_one_line_per_finding_with_the_data_escaped_inside() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_project(dir.path(), HOSTILE);
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--format",
            "github",
        ],
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::error file=registry.yaml,line=10,col=47,title=vrisk fail [high] "),
        "{}",
        lines[0]
    );
    // The data's line break and escape are shown, the message's own lines are %0A.
    assert!(
        lines[0]
            .contains("owned by Rival\\n::error file=x::pwned #\\u{23}[add-mask]secret \\u{1b}[2J"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("%0Aevidence: "), "{}", lines[0]);
}

#[test]
fn names_are_shown_with_visible_escapes_in_the_text_formats() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_project(dir.path(), HOSTILE);
    let run = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
        ],
    );
    // (miette wraps the message: each piece below is on one line.)
    assert!(
        run.stdout
            .contains("Rival\\n::error file=x::pwned #\\u{23}[add-mask]secret \\u{1b}[2J"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\\u{202e} evil \\u{2028} del\\u{7f} csi\\u{9b} is 30% owned by"),
        "{}",
        run.stdout
    );
    // The JSON report keeps the data exact, escaped so that printing the file is safe.
    let json = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    );
    assert!(
        json.stdout
            .contains("\\u001b[2J\\u001b[HALL CLEAR \\u202e evil \\u2028 del\\u007f csi\\u009b")
    );
    assert_eq!(
        json.json()["findings"][0]["vendor_name"],
        "Rival\n::error file=x::pwned ##[add-mask]secret \u{1b}[2J\u{1b}[HALL CLEAR \u{202e} evil \u{2028} del\u{7f} csi\u{9b}"
    );
}

#[test]
fn a_diagnostic_snippet_shows_control_characters_as_placeholders_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An unknown field after a name holding ESC, NUL-free but with a bidi override and DEL; the
    // label must stay under `colour` whatever the bytes before it.
    std::fs::write(
        dir.path().join("r.yaml"),
        "organisations:\n  - {id: acme, name: \"A\u{1b}[2J\u{202e}\u{7f}\", kind: company, colour: red}\n\
         \u{1b}]0;title\u{7}\n",
    )
    .expect("write");
    let run = vrisk_in(dir.path(), &["validate", "r.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(live_text(&run.stderr, false).is_empty(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(" 2 │   - {id: acme, name: \"A?[2J\u{FFFD}?\", kind: company, colour: red}"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_nul_in_a_source_line_does_not_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("r.yaml"),
        "organisations:\n  - {id: a\0b}\n",
    )
    .expect("write");
    let run = vrisk_in(dir.path(), &["validate", "r.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains('\0'), "{:?}", run.stderr);
    assert!(run.stderr.contains(" 2 │   - {id: a?b}"), "{}", run.stderr);
}

#[test]
fn a_lone_carriage_return_cannot_overwrite_a_snippet_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    // YAML ends a line at a lone CR; printed raw it would return the cursor and let the text
    // after it overwrite the line before.
    std::fs::write(
        dir.path().join("r.yaml"),
        "organisations:\r  - {id: acme, name: A, kind: company, colour: red}\r",
    )
    .expect("write");
    let run = vrisk_in(dir.path(), &["validate", "r.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
    assert!(run.stderr.contains("[r.yaml:2:40]"), "{}", run.stderr);
    assert!(
        run.stderr.contains(" 1 │ organisations:\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_mermaid_label_cannot_carry_a_directive() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_project(
        dir.path(),
        "%%{init: {'theme': 'dark'}}%% A;B[C] \\\"q\\\" %% comment",
    );
    let markdown = vrisk_in(
        dir.path(),
        &[
            "check",
            "-r",
            "registry.yaml",
            "-p",
            "policies",
            "--as-of",
            "2025-06-20",
            "--format",
            "markdown",
        ],
    );
    let graph = vrisk_in(dir.path(), &["graph", "vendor-a", "-r", "registry.yaml"]);
    for (what, text) in [("markdown", &markdown.stdout), ("graph", &graph.stdout)] {
        let diagram = text
            .split("flowchart LR\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_else(|| panic!("{what}: no diagram: {text}"));
        assert!(!diagram.contains('%'), "{what}: {diagram}");
        assert!(
            diagram.contains("#37;#37;#123;init#58; #123;'theme'#58; 'dark'#125;#125;#37;#37; A#59;B#91;C#93; #quot;q#quot;"),
            "{what}: {diagram}"
        );
    }
}

/// Runs vrisk on a pseudo-terminal through util-linux `script`, so that it sees a terminal:
/// the colour rules only apply there. `None` where `script` is not installed.
fn on_a_terminal(dir: &Path, env: &[(&str, &str)]) -> Option<String> {
    let vrisk = env!("CARGO_BIN_EXE_vrisk");
    let command = format!("{vrisk} check -r registry.yaml -p policies --as-of 2025-06-20");
    let mut script = Command::new("script");
    script
        .current_dir(dir)
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (name, value) in env {
        script.env(name, value);
    }
    let output = script.output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_dumb_terminal_and_no_color_get_no_colour() {
    let dir = support::base_dir();
    let Some(xterm) = on_a_terminal(dir.path(), &[("TERM", "xterm")]) else {
        eprintln!("util-linux `script` is not installed: the terminal cases are not run");
        return;
    };
    assert!(
        xterm.contains("\u{1b}["),
        "a colour terminal gets colour: {xterm:?}"
    );
    for env in [
        &[("TERM", "dumb")][..],
        &[("TERM", "xterm"), ("NO_COLOR", "1")][..],
        &[("TERM", "xterm"), ("NO_COLOR", "1"), ("FORCE_COLOR", "1")][..],
    ] {
        let text = on_a_terminal(dir.path(), env).expect("script ran before");
        assert!(!text.contains('\u{1b}'), "{env:?}: {text:?}");
    }
}

#[test]
fn force_color_colours_a_pipe() {
    let dir = support::base_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_vrisk"))
        .current_dir(dir.path())
        .args(support::CHECK_BASE)
        .env_remove("NO_COLOR")
        .env("FORCE_COLOR", "1")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\u{1b}["));
}

/// A name as a YAML double-quoted scalar's content: printable characters as they are, the
/// rest (and `"`, `\`) as escapes, so that any string can be put in the registry.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_unsafe(c) => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// For arbitrary names (controls, bidi, separators, `:`, `#`, `[` and `%` included), no
    /// line of any output is a command a runner executes or holds a raw control character.
    #[test]
    fn arbitrary_names_never_reach_a_log_live(
        before in "[a-zA-Z :#\\[%\\\\\n\r\t\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{2028}\u{2029}é😀]{0,16}",
        after in "[a-zA-Z :#\\[%\n\r\t\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{2028}\u{2029}]{0,16}",
    ) {
        // Whatever the arbitrary parts, the name also tries a line that starts a command.
        let name = format!("N{before}\n::warning::{after}##[x]");
        let dir = tempfile::tempdir().expect("temp dir");
        hostile_project(dir.path(), &yaml_quoted(&name));
        for (what, args) in runs() {
            let run = vrisk_in(dir.path(), &args);
            prop_assert!(run.code <= 1, "{what}: exit {}: {}", run.code, run.stderr);
            let mut found = live_text(&run.stdout, what == "check --format github");
            found.extend(live_text(&run.stderr, false));
            prop_assert!(found.is_empty(), "{what} with {name:?}:\n{}", found.join("\n"));
        }
    }
}

/// An argument clap echoes in its message (an invalid value, an unknown flag) cannot forge a
/// line of a CI log: its line breaks, controls and bidi characters are shown escaped, and the
/// message keeps clap's exit code 2.
#[test]
fn a_command_line_value_echoed_in_an_error_cannot_forge_a_log_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = vrisk_in(
        dir.path(),
        &["check", "--fail-on", "x\n::error::forged\u{202E}"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: invalid value 'x\\n::error::forged\\u{202e}' for '--fail-on <SEVERITY>'\n  \
         [possible values: info, low, medium, high, critical, never]\n\nFor more information, \
         try '--help'.\n"
    );
    let unknown = vrisk_in(dir.path(), &["check", "--\n::warning::x"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        !unknown.stderr.lines().any(|line| line.starts_with("::")),
        "{}",
        unknown.stderr
    );
}

//! `--org` takes an organisation's id, name or alias, and an unknown one is met with the
//! organisations that could be meant.

mod support;

use std::path::Path;

use support::{Run, vrisk_in};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn check(org: &str) -> Run {
    vrisk_in(
        repo(),
        &[
            "check",
            "--org",
            org,
            "--as-of",
            "2025-06-20",
            "--format",
            "json",
        ],
    )
}

#[test]
fn an_alias_or_a_name_is_the_organisation_it_names() {
    for written in ["google", "Google", "Alphabet", "ALPHABET"] {
        let run = check(written);
        assert_eq!(run.code, 1, "{written}: {}", run.stderr);
        assert_eq!(run.json()["org"], "alphabet", "{written}");
    }
    let run = check("Facebook");
    // Meta buys from no vendor in the registry: the alias is resolved, then the empty check is
    // refused as it is for `--org meta`.
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`meta` has no vendor relationship"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_org_suggests_the_closest_and_lists_the_customers() {
    let run = vrisk_in(
        repo(),
        &["check", "--org", "gogle", "--as-of", "2025-06-20"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let help: String = run
        .stderr
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains("× --org `gogle` is no organisation of the registry"),
        "{}",
        run.stderr
    );
    assert!(
        help.contains(
            "help: did you mean `alphabet` (Alphabet)? organisations with vendor relationships: \
             alphabet (Alphabet), microsoft (Microsoft), openai (OpenAI), xai (xAI)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_takes_an_alias_too() {
    let run = vrisk_in(
        repo(),
        &[
            "explain",
            "competitor-ownership",
            "scale-ai",
            "--org",
            "google",
            "--as-of",
            "2025-06-20",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("competitor-ownership × scale-ai (Scale AI), from alphabet"),
        "{}",
        run.stdout
    );
}

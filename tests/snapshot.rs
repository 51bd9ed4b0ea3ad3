//! `vrisk snapshot build` and `--registry FILE.snapshot`: the same reports as the inputs give,
//! byte for byte; a stale, missing, changed, corrupt, truncated or foreign snapshot is an error
//! (exit 2) that says what is wrong; the output plan protects the inputs; and snippets are
//! left out, and said to be, when a source has gone since the snapshot was loaded.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use support::{Run, tree, vrisk_in};
use vrisk::input::limits::Limits;
use vrisk::input::source::SourceMap;
use vrisk::registry::{self, snapshot};

/// A registry in two files, with what positions must get right without the text: a byte-order
/// mark, lines that end in CRLF, characters of two, three and four bytes (in YAML anchors) before the values a
/// finding points at, and a warning (two overlapping stakes of one class) that a snapshot must
/// keep.
const ORGANISATIONS: &str = "\u{feff}default_org: acme\r\n\
sources:\r\n  - {id: s1, title: \"Un rapport – déjà vu 😀\"}\r\n\
organisations:\r\n\
  - {name: \"Açme 😀\", id: acme, kind: company}\r\n\
  - {name: \"Rivâl ☃\", id: rival, kind: company}\r\n\
  - {name: \"Vendör A\", id: vendor-a, kind: company}\r\n\
  - {name: \"Vendor B\", id: vendor-b, kind: company}\r\n";

const RELATIONS: &str = "stakes:\n\
  - {owner: &rivâl😀 rival, class: a, owned: vendor-a, economic: 30%, source: s1}\n\
  - {owner: &rivål☃ rival, class: a, owned: vendor-a, economic: 5%}\n\
  - {owner: rival, owned: vendor-b, economic: unknown}\n\
competitors:\n\
  - {of: acme, competitor: rival, tier: major}\n\
vendors:\n\
  - {customer: &açme acme, vendor: vendor-a, services: [data-labelling], status: active}\n\
  - {customer: acme, vendor: vendor-b, services: [data-labelling], status: active}\n";

const POLICY: &str = include_str!("corpus/base/policies/rival-stake.yaml");

fn project() -> tempfile::TempDir {
    tree(&[
        ("registry/organisations.yaml", ORGANISATIONS),
        ("registry/relations.yaml", RELATIONS),
        ("policies/rival-stake.yaml", POLICY),
    ])
}

fn build(dir: &Path, registry: &[&str], out: &str) -> Run {
    let mut args = vec!["snapshot", "build"];
    for r in registry {
        args.extend(["--registry", r]);
    }
    args.extend(["--out", out]);
    vrisk_in(dir, &args)
}

/// Standard error with miette's wrapping undone: each line break and the margin after it
/// become one space.
fn unwrapped(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_start().trim_start_matches('│').trim_start();
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn check(dir: &Path, registry: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["check", "-p", "policies"];
    if !extra.contains(&"--as-of") {
        args.extend(["--as-of", "2025-06-20"]);
    }
    for r in registry {
        args.extend(["--registry", r]);
    }
    args.extend(extra);
    vrisk_in(dir, &args)
}

/// Each report format, from the inputs and from their snapshot: the same bytes on stdout and
/// stderr, and the same exit code.
fn assert_same_reports(dir: &Path, inputs: &[&str], snapshot: &str, extra: &[&str]) {
    let built = build(dir, inputs, snapshot);
    assert_eq!(built.code, 0, "{}", built.stderr);
    for format in ["human", "json", "sarif", "junit", "markdown", "github"] {
        let mut args = vec!["--format", format];
        args.extend(extra);
        let direct = check(dir, inputs, &args);
        let snapped = check(dir, &[snapshot], &args);
        assert_eq!(direct.code, snapped.code, "{format}: {}", snapped.stderr);
        assert_eq!(direct.stdout, snapped.stdout, "{format}");
        assert_eq!(direct.stderr, snapped.stderr, "{format}");
    }
}

#[test]
fn a_snapshot_of_a_yaml_registry_gives_the_same_reports() {
    let dir = project();
    assert_same_reports(dir.path(), &["registry"], "registry.snapshot", &[]);
    // The report really points past the wide characters and at the warning.
    let run = check(dir.path(), &["registry.snapshot"], &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\"line\": 2,\n            \"column\": 63"),
        "{}",
        run.stdout
    );
    let human = check(dir.path(), &["registry.snapshot"], &[]);
    assert!(
        human
            .stderr
            .contains("warning: registry/relations.yaml:2:63: `rival` holds two stakes"),
        "{}",
        human.stderr
    );
    assert!(
        human.stdout.contains("&rivâl😀 rival"),
        "the snippet is read back: {}",
        human.stdout
    );
}

#[test]
fn a_snapshot_of_bods_data_gives_the_same_reports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["registry", "bods"] {
        let from = root.join("docs/examples").join(sub);
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(&from).expect("read dir") {
            let path = entry.expect("entry").path();
            std::fs::copy(
                &path,
                dir.path().join(sub).join(path.file_name().expect("name")),
            )
            .expect("copy");
        }
    }
    std::fs::create_dir_all(dir.path().join("policies")).expect("mkdir");
    for entry in std::fs::read_dir(root.join("policies")).expect("policies") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(
                &path,
                dir.path()
                    .join("policies")
                    .join(path.file_name().expect("name")),
            )
            .expect("copy");
        }
    }
    let built = build(dir.path(), &["registry", "bods"], "all.snapshot");
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(
        built
            .stderr
            .contains("6 organisations and 3 stakes from 4 input files"),
        "{}",
        built.stderr
    );
    for format in ["human", "json", "sarif"] {
        let args = ["--as-of", "2025-07-01", "--format", format];
        let direct = check(dir.path(), &["registry", "bods"], &args);
        let snapped = check(dir.path(), &["all.snapshot"], &args);
        assert_eq!(direct.code, 1, "{}", direct.stderr);
        assert_eq!(direct.code, snapped.code, "{format}: {}", snapped.stderr);
        assert_eq!(direct.stdout, snapped.stdout, "{format}");
        assert_eq!(direct.stderr, snapped.stderr, "{format}");
    }
}

#[test]
fn ownership_graph_and_validate_read_a_snapshot_too() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    for args in [
        &["ownership", "vendor-a", "--as-of", "2025-06-20"][..],
        &["graph", "vendor-a", "--as-of", "2025-06-20"][..],
    ] {
        let direct = vrisk_in(dir.path(), &[args, &["-r", "registry"]].concat());
        let snapped = vrisk_in(dir.path(), &[args, &["-r", "r.snapshot"]].concat());
        assert_eq!(direct.code, 0, "{}", direct.stderr);
        assert_eq!(
            (direct.stdout, direct.stderr),
            (snapped.stdout, snapped.stderr)
        );
    }
    let validated = vrisk_in(dir.path(), &["validate", "r.snapshot"]);
    assert_eq!(validated.code, 0, "{}", validated.stderr);
    assert!(
        validated
            .stdout
            .starts_with("registry valid: 2 files, 4 organisations, 3 stakes"),
        "{}",
        validated.stdout
    );
}

/// Sets the modification time of `path`.
fn set_modified(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(time)
        .expect("set mtime");
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .expect("meta")
        .modified()
        .expect("mtime")
}

#[test]
fn a_touched_input_makes_the_snapshot_stale() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    let input = dir.path().join("registry/relations.yaml");
    set_modified(&input, modified(&input) + Duration::from_secs(60));
    let run = check(dir.path(), &["r.snapshot"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing is evaluated: {}",
        run.stdout
    );
    assert!(
        unwrapped(&run.stderr).contains("snapshot::stale"),
        "{}",
        run.stderr
    );
    assert!(
        unwrapped(&run.stderr).contains(
            "the snapshot r.snapshot is out of date: its input registry/relations.yaml has been"
        ),
        "{}",
        run.stderr
    );
    assert!(
        unwrapped(&run.stderr).contains(
            "rebuild it with `vrisk snapshot build --registry registry --out r.snapshot`"
        ),
        "{}",
        run.stderr
    );
    // The same contents with a new time (a fresh checkout) pass when the contents are checked.
    let verified = check(dir.path(), &["r.snapshot"], &["--verify-snapshot"]);
    assert_eq!(verified.code, 1, "{}", verified.stderr);
}

#[test]
fn a_changed_input_makes_the_snapshot_stale() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    support::write(
        dir.path(),
        "registry/relations.yaml",
        &RELATIONS.replace("30%", "35%\n"),
    );
    let run = check(dir.path(), &["r.snapshot"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let size = RELATIONS.len();
    assert!(
        unwrapped(&run.stderr).contains(&format!(
            "its input registry/relations.yaml has changed: it was {size} bytes and is {} now",
            size + 1
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_input_makes_the_snapshot_stale() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    std::fs::remove_file(dir.path().join("registry/organisations.yaml")).expect("remove");
    let run = check(dir.path(), &["r.snapshot"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains("its input registry/organisations.yaml is gone"),
        "{}",
        run.stderr
    );
}

#[test]
fn verify_catches_new_contents_of_the_same_size_and_time() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    let input = dir.path().join("registry/relations.yaml");
    let time = modified(&input);
    support::write(
        dir.path(),
        "registry/relations.yaml",
        &RELATIONS.replace("30%", "90%"),
    );
    set_modified(&input, time);
    // Size and time alone cannot tell: the snapshot is used.
    assert_eq!(check(dir.path(), &["r.snapshot"], &[]).code, 1);
    let run = check(dir.path(), &["r.snapshot"], &["--verify-snapshot"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains(
            "its input registry/relations.yaml has different contents than when the snapshot was \
             built (of the same size)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_corrupt_truncated_or_foreign_snapshot_is_an_error() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    let bytes = std::fs::read(dir.path().join("r.snapshot")).expect("read");
    let mut flipped = bytes.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x40;
    let mut version = bytes.clone();
    version[16] = 99;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "flipped.snapshot",
            flipped,
            "flipped.snapshot is not a readable snapshot: its data does not match the hash in its \
             header",
        ),
        (
            "short.snapshot",
            bytes[..bytes.len() / 2].to_vec(),
            "short.snapshot is not a readable snapshot: its header announces",
        ),
        (
            "header.snapshot",
            bytes[..20].to_vec(),
            "header.snapshot is not a readable snapshot: it ends inside its header",
        ),
        (
            "text.snapshot",
            b"organisations: []\n".to_vec(),
            "text.snapshot is named as a snapshot but is not one",
        ),
        (
            "version.snapshot",
            version,
            "version.snapshot is a snapshot of format version 99; this vrisk reads version 1",
        ),
    ];
    for (name, content, message) in cases {
        support::write_bytes(dir.path(), name, &content);
        let run = check(dir.path(), &[name], &[]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(
            unwrapped(&run.stderr).contains(message),
            "{name}: {}",
            run.stderr
        );
    }
    // A snapshot is recognised by its first bytes whatever its name.
    support::write_bytes(dir.path(), "named.yaml", &bytes);
    assert_eq!(check(dir.path(), &["named.yaml"], &[]).code, 1);
}

#[test]
fn a_snapshot_goes_alone_and_is_not_built_from_a_snapshot() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    let run = check(dir.path(), &["r.snapshot", "registry"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains("snapshot::not-alone"),
        "{}",
        run.stderr
    );
    let run = build(dir.path(), &["r.snapshot"], "again.snapshot");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains("r.snapshot is a snapshot already"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_output_plan_protects_inputs_and_the_snapshot() {
    let dir = project();
    let run = build(dir.path(), &["registry"], "registry/relations.yaml");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr)
            .contains("registry/relations.yaml is not written: it is an input of this run"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("registry/relations.yaml")).expect("read"),
        RELATIONS
    );
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    let before = std::fs::read(dir.path().join("r.snapshot")).expect("read");
    let run = check(
        dir.path(),
        &["r.snapshot"],
        &["--format", "json=r.snapshot"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains("it is an input of this run"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(dir.path().join("r.snapshot")).expect("read"),
        before
    );
    let run = build(dir.path(), &["registry"], "-");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains("snapshot::stdout"),
        "{}",
        run.stderr
    );
}

/// Outside CI a directory without inputs falls back to the built-in example, which is not
/// snapshotted; in CI it is the usual error that there are no inputs.
#[test]
fn the_built_in_example_is_not_snapshotted() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (ci, code) in [(false, "snapshot::example"), (true, "input::no-inputs")] {
        let mut command = assert_cmd::cargo::cargo_bin_cmd!("vrisk");
        command.current_dir(dir.path()).env("NO_COLOR", "1");
        if ci {
            command.env("CI", "true");
        } else {
            command.env_remove("CI");
        }
        let run = Run::from(
            command
                .args(["snapshot", "build", "--out", "x.snapshot"])
                .output()
                .expect("run vrisk"),
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(unwrapped(&run.stderr).contains(code), "{}", run.stderr);
        assert!(!dir.path().join("x.snapshot").exists());
    }
}

/// Loads `paths` (inputs or a snapshot) through the library.
fn load(dir: &Path, paths: &[&str], sources: &mut SourceMap) -> registry::Registry {
    let paths: Vec<PathBuf> = paths.iter().map(|p| dir.join(p)).collect();
    match registry::load(&paths, sources, &Limits::default()) {
        Ok(registry) => registry,
        Err(problems) => panic!("{problems:?}"),
    }
}

#[test]
fn a_snippet_whose_source_is_gone_is_left_out_and_said_to_be() {
    let dir = project();
    let mut sources = SourceMap::new();
    let direct = load(dir.path(), &["registry"], &mut sources);
    let expected = direct.warnings[0].render(&sources, 100);
    let built = snapshot::build(
        &[dir.path().join("registry")],
        &mut SourceMap::new(),
        &Limits::default(),
    )
    .expect("build");
    std::fs::write(dir.path().join("r.snapshot"), built.bytes).expect("write");
    let mut sources = SourceMap::new();
    let snapped = load(dir.path(), &["r.snapshot"], &mut sources);
    let warning = &snapped.warnings[0];
    // The file name differs only in the directory: compare from the registry file on.
    let tail = |text: &str| text[text.find("registry/relations").unwrap_or(0)..].to_string();
    assert_eq!(tail(&warning.render(&sources, 100)), tail(&expected));
    assert!(vrisk::input::diagnostic::unavailable_sources_note(&sources).is_none());

    // A second load, whose source goes before a snippet is asked for.
    let mut sources = SourceMap::new();
    let snapped = load(dir.path(), &["r.snapshot"], &mut sources);
    std::fs::remove_file(dir.path().join("registry/relations.yaml")).expect("remove");
    let rendered = snapped.warnings[0].render(&sources, 100);
    assert!(!rendered.contains("&rivâl😀 rival"), "{rendered}");
    assert!(
        rendered.contains("relations.yaml:2:63: a second stake (no snippet)"),
        "{rendered}"
    );
    let note = vrisk::input::diagnostic::unavailable_sources_note(&sources).expect("a note");
    assert!(
        note.contains("relations.yaml: the registry was read from a snapshot"),
        "{note}"
    );
}

/// A snapshot whose payload is `payload`, with a correct header and hash: what the decoder sees
/// once the integrity checks pass.
fn with_header(template: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = template[..20].to_vec();
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(payload);
    out
}

fn load_bytes(dir: &Path, bytes: &[u8]) -> bool {
    let path = dir.join("fuzz.snapshot");
    std::fs::write(&path, bytes).expect("write");
    let mut sources = SourceMap::new();
    registry::load(&[path], &mut sources, &Limits::default()).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Random bytes, truncations and changed bytes behind a valid header and hash: the reader
    /// gives an error or a registry, never a panic, and never allocates past the file's size.
    #[test]
    fn the_reader_never_panics(
        cut in 0usize..100_000,
        flips in proptest::collection::vec((0usize..100_000, any::<u8>()), 0..8),
        noise in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let dir = project();
        prop_assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
        let bytes = std::fs::read(dir.path().join("r.snapshot")).expect("read");
        let payload = &bytes[60..];
        // A truncated payload, re-hashed so that the decoder sees it.
        let truncated = &payload[..cut % payload.len()];
        prop_assert!(!load_bytes(dir.path(), &with_header(&bytes, truncated)));
        let mut changed = payload.to_vec();
        for (at, value) in &flips {
            let at = at % changed.len();
            changed[at] = *value;
        }
        let _ = load_bytes(dir.path(), &with_header(&bytes, &changed));
        prop_assert!(!load_bytes(dir.path(), &with_header(&bytes, &noise)));
        let mut raw = bytes[..cut % bytes.len()].to_vec();
        raw.extend_from_slice(&noise);
        prop_assert!(!load_bytes(dir.path(), &raw) || raw == bytes);
    }
}

/// A snapshot whose registry does not hold together (an id renamed behind a valid hash, so that
/// what referred to it refers to nothing) is refused as corrupt when it is read: the registry a
/// snapshot holds gets the checks that make ids unique and references resolve, since a cached
/// file can be swapped for a crafted one.
#[test]
fn a_snapshot_whose_references_do_not_resolve_is_refused() {
    let dir = project();
    assert_eq!(build(dir.path(), &["registry"], "r.snapshot").code, 0);
    let bytes = std::fs::read(dir.path().join("r.snapshot")).expect("read");
    for (from, to) in [("rival", "rivaX"), ("vendor-b", "vendor-x")] {
        let mut payload = bytes[60..].to_vec();
        // The first occurrence: the organisation's own id, so that every reference to it
        // dangles.
        let at = payload
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .expect("the id is in the snapshot");
        payload[at..at + to.len()].copy_from_slice(to.as_bytes());
        std::fs::write(dir.path().join("r.snapshot"), with_header(&bytes, &payload))
            .expect("write");
        let run = vrisk_in(
            dir.path(),
            &[
                "check",
                "--registry",
                "r.snapshot",
                "-p",
                "policies",
                "--format",
                "json=x.json",
            ],
        );
        assert_eq!(run.code, 2, "{from}: {}", run.stderr);
        assert!(
            unwrapped(&run.stderr).contains("snapshot::corrupt"),
            "{from}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("internal"), "{from}: {}", run.stderr);
        assert!(!dir.path().join("x.json").exists());
    }
}

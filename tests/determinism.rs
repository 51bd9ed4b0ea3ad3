//! The same inputs give byte-identical reports in every format, whatever the order in which the
//! files sort and were created on disk, and whatever the hash seed (each run of vrisk is a new
//! process with a new random seed for hash maps, so two runs compare two seeds).

mod support;

use std::path::Path;

use support::worlds::{self, Seq};
use support::{vrisk_in, write};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const FORMATS: &[(&str, &str)] = &[
    ("human", "report.txt"),
    ("json", "report.json"),
    ("sarif", "report.sarif"),
    ("junit", "report.xml"),
    ("github", "report.github"),
    ("markdown", "report.md"),
];

/// Writes `files` (name, text) into `dir` in the order given.
fn lay_out(dir: &Path, files: &[(String, String)]) {
    for (name, text) in files {
        write(dir, name, text);
    }
}

/// Runs a check in `dir` writing every format to a file; returns the reports, format by format.
fn reports(dir: &Path, org: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "check",
        "-r",
        "registry",
        "-p",
        "policies",
        "--as-of",
        worlds::AS_OF,
        "--org",
        org,
        "--fail-on",
        "never",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (format, file) in FORMATS {
        args.push("--format".into());
        args.push(format!("{format}={file}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = vrisk_in(dir, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    FORMATS
        .iter()
        .map(|(_, file)| std::fs::read_to_string(dir.join(file)).expect("report written"))
        .collect()
}

/// Checks one set of inputs laid out twice: `a` as given, `b` with other names (of the same
/// length, sorting in the other order) created in the other order. Each layout runs twice.
/// `rename` maps each name of `b` back to its name in `a`.
fn assert_deterministic(a: &[(String, String)], b: &[(String, String)], org: &str) {
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    lay_out(dir_a.path(), a);
    lay_out(dir_b.path(), b);
    let first = reports(dir_a.path(), org);
    assert_eq!(first, reports(dir_a.path(), org), "a second run differs");
    let renamed: Vec<String> = reports(dir_b.path(), org)
        .into_iter()
        .map(|report| rename_back(&report, a, b))
        .collect();
    assert_eq!(
        renamed,
        reports(dir_b.path(), org)
            .into_iter()
            .map(|report| rename_back(&report, a, b))
            .collect::<Vec<_>>(),
        "a second run differs"
    );
    for (i, (format, _)) in FORMATS.iter().enumerate() {
        assert_eq!(first[i], renamed[i], "{format} depends on the file layout");
    }
}

/// `b`'s file names back to `a`'s: `a` and `b` hold the same texts under different names.
fn rename_back(report: &str, a: &[(String, String)], b: &[(String, String)]) -> String {
    // Through placeholders, as names may be swapped.
    let mut out = report.to_string();
    for (i, (name, _)) in b.iter().enumerate() {
        out = out.replace(name.as_str(), &format!("\u{1}{i}\u{1}"));
    }
    for (i, (_, text)) in b.iter().enumerate() {
        let original = a.iter().find(|(_, t)| t == text).map(|(n, _)| n.as_str());
        out = out.replace(&format!("\u{1}{i}\u{1}"), original.unwrap_or("?"));
    }
    out
}

fn repository_files(dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter(|p| !p.to_string_lossy().ends_with(".test.yaml"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (
                format!("{dir}/{name}"),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// The same files under names of the same length that sort the other way round (the first
/// character replaced by a descending digit), listed (and so created) in the other order.
fn reversed_names(files: &[(String, String)]) -> Vec<(String, String)> {
    let n = files.len();
    let mut out: Vec<(String, String)> = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let (dir, name) = path.rsplit_once('/').expect("dir/name");
            let digit = char::from_digit((n - i) as u32 % 10, 10).expect("a digit");
            (format!("{dir}/{digit}{}", &name[1..]), text.clone())
        })
        .collect();
    out.reverse();
    out
}

#[test]
fn the_seeded_check_is_byte_identical_whatever_the_layout_and_hash_seed() {
    let a: Vec<(String, String)> =
        [repository_files("registry"), repository_files("policies")].concat();
    let b = [
        reversed_names(&repository_files("registry")),
        reversed_names(&repository_files("policies")),
    ]
    .concat();
    for org in ["alphabet", "openai"] {
        assert_deterministic(&a, &b, org);
    }
}

/// Splits a generated registry into two files, items of each list alternating between them, so
/// that the order of the files decides the order of organisations and stakes once merged.
fn split(registry: &str) -> (String, String) {
    let (mut first, mut second) = (String::new(), String::new());
    let mut turn = false;
    for line in registry.lines() {
        if line.starts_with("  - ") {
            let part = if turn { &mut second } else { &mut first };
            part.push_str(line);
            part.push('\n');
            turn = !turn;
        } else if let Some(key) = line.strip_suffix(':') {
            // A list begins: each file gets its own, possibly empty.
            for part in [&mut first, &mut second] {
                part.push_str(&format!("{key}: []\n"));
            }
        } else {
            first.push_str(line);
            first.push('\n');
        }
    }
    // `key: []` followed by items is not YAML; turn each list that got items into a block.
    let fix = |text: String| {
        let mut out = String::new();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let has_items = lines.get(i + 1).is_some_and(|l| l.starts_with("  - "));
            match line.strip_suffix(": []") {
                Some(key) if has_items => out.push_str(&format!("{key}:\n")),
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    };
    (fix(first), fix(second))
}

#[test]
fn generated_checks_are_byte_identical_whatever_the_layout_and_hash_seed() {
    let shipped = repository_files("policies");
    for seed in 1..=3u32 {
        let numbers: Vec<u32> = (0..400u32)
            .map(|i| (i ^ seed.wrapping_mul(0x9e37_79b9)).wrapping_mul(0x85eb_ca6b) >> 7)
            .collect();
        let mut choices = Seq::new(&numbers);
        let registry = worlds::registry(&mut choices);
        let policy = worlds::policy(&mut choices);
        let (one, two) = split(&registry);
        let mut a = vec![
            ("registry/p.yaml".to_string(), one.clone()),
            ("registry/q.yaml".to_string(), two.clone()),
            ("policies/generated.yaml".to_string(), policy.clone()),
        ];
        a.extend(shipped.iter().cloned());
        // The halves swap names: q.yaml (now the first half) is read second.
        let mut b = vec![
            ("policies/generated.yaml".to_string(), policy),
            ("registry/q.yaml".to_string(), one),
            ("registry/p.yaml".to_string(), two),
        ];
        b.extend(reversed_names(&shipped));
        assert_deterministic(&a, &b, "o0");
    }
}

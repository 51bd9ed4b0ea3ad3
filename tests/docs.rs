//! The documentation keeps up with the code: every diagnostic code the source can emit is
//! documented, and the embedded registry and policies are exactly the files in the repository.

use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// String literals shaped like `stage::name` in the source.
fn codes_in_source() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for piece in text.split('"').skip(1).step_by(2) {
            let Some((stage, name)) = piece.split_once("::") else {
                continue;
            };
            let slug = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if slug(stage) && slug(name) {
                codes.insert(piece.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_diagnostic_code_is_documented() {
    let docs: String = [
        "docs/diagnostics.md",
        "docs/policies.md",
        "docs/registry.md",
        "docs/testing.md",
        "docs/data-sources.md",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(Path::new(ROOT).join(p)).ok())
    .collect();
    let missing: Vec<String> = codes_in_source()
        .into_iter()
        .filter(|code| !docs.contains(&format!("`{code}`")) && !docs.contains(code.as_str()))
        .collect();
    assert!(missing.is_empty(), "undocumented codes: {missing:?}");
}

#[test]
fn embedded_files_match_the_repository() {
    let (registry, policies) = vrisk::input::embedded::embedded_names();
    let listed = |dir: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(dir))
            .expect("read dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".yaml") && !n.ends_with(".test.yaml"))
            .collect();
        names.sort();
        names
    };
    assert_eq!(registry, listed("registry"));
    assert_eq!(policies, listed("policies"));
    // Every shipped policy's tests are embedded too, for `vrisk policies export`.
    let tests: Vec<String> = policies
        .iter()
        .map(|p| p.replace(".yaml", ".test.yaml"))
        .collect();
    assert_eq!(vrisk::input::embedded::embedded_test_names(), tests);
}

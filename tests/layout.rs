//! The tree shows the design (docs/design.md): data flows one way, input -> registry/policy ->
//! ownership -> engine -> report, with the command wing on top. These tests read the sources and
//! fail when an import goes against the flow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level module a file of `src/` belongs to: its folder, or its name.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative
        .components()
        .next()
        .expect("a component")
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The modules a file's non-test code names as `crate::MODULE`. Unit tests (everything after
/// `#[cfg(test)]`) may reach across floors to build fixtures, so they are left out.
fn imports(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

/// module -> the other top-level modules it imports, for every file of src/.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src) {
        let module = module_of(&src, &file);
        let text = std::fs::read_to_string(&file).expect("a source file");
        let entry = graph.entry(module.clone()).or_default();
        for import in imports(&text) {
            if import != module {
                entry.insert(import);
            }
        }
    }
    graph
}

#[test]
fn nothing_outside_the_command_wing_imports_it() {
    let importers: Vec<String> = module_graph()
        .into_iter()
        .filter(|(module, deps)| module != "cli" && module != "lib" && deps.contains("cli"))
        .map(|(module, _)| module)
        .collect();
    assert_eq!(importers, Vec::<String>::new());
}

#[test]
fn each_floor_imports_only_the_floors_below_it() {
    let graph = module_graph();
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("value", &[][..]),
        ("input", &["value"][..]),
        ("registry", &["input", "value"][..]),
        ("policy", &["input", "value", "registry"][..]),
        ("ownership", &["value"][..]),
        (
            "engine",
            &["input", "value", "registry", "policy", "ownership"][..],
        ),
        ("report", &["input", "value", "engine"][..]),
        (
            "testing",
            &[
                "input",
                "value",
                "registry",
                "policy",
                "ownership",
                "engine",
            ][..],
        ),
    ]);
    let mut wrong = Vec::new();
    for (module, deps) in &graph {
        let Some(ok) = allowed.get(module.as_str()) else {
            continue;
        };
        for dep in deps {
            if !ok.contains(&dep.as_str()) {
                wrong.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
}

#[test]
fn the_library_exposes_only_the_documented_stages() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    let public: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert_eq!(
        public,
        [
            "engine",
            "input",
            "ownership",
            "policy",
            "registry",
            "report",
            "testing",
            "value"
        ]
    );
    assert!(lib.contains("\nmod cli;\n"), "the command wing is private");
}

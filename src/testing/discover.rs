//! Which test files a `vrisk test PATHS` run reads: a test file is taken as it is, a policy file
//! brings the test file beside it, and a directory brings every test file under it. The policy
//! files found in directories are kept too, to name the ones that no test covers.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::input::diagnostic::Problem;
use crate::policy::is_test_file;

/// What the paths hold, each list in a stable order with no path twice.
#[derive(Debug, Default, PartialEq)]
pub struct Found {
    pub tests: Vec<PathBuf>,
    /// Non-test YAML files met in directories: possibly policies.
    pub candidates: Vec<PathBuf>,
}

pub fn discover(paths: &[PathBuf]) -> Result<Found, Vec<Problem>> {
    let mut found = Found::default();
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for path in paths {
        let path = normalize(path);
        if path.is_dir() {
            let files = match crate::input::files::expand(
                std::slice::from_ref(&path),
                crate::registry::EXTENSIONS,
                "policy",
            ) {
                Ok(files) => files,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let before = found.tests.len();
            for file in files {
                if is_test_file(&file) {
                    push_once(&mut found.tests, &mut seen, file);
                } else {
                    found.candidates.push(file);
                }
            }
            if found.tests.len() == before {
                problems.push(no_tests_under(&path));
            }
        } else if is_test_file(&path) {
            if !path.is_file() {
                problems.push(missing(&path));
                continue;
            }
            push_once(&mut found.tests, &mut seen, path);
        } else {
            if !path.is_file() {
                problems.push(missing(&path));
                continue;
            }
            match test_beside(&path) {
                Some(test) => push_once(&mut found.tests, &mut seen, test),
                None => problems.push(
                    Problem::new(
                        "test::no-tests",
                        format!("{} has no tests beside it", path.display()),
                    )
                    .with_help(format!(
                        "write them in {} (see docs/testing.md)",
                        test_name_for(&path).display()
                    )),
                ),
            }
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn push_once(list: &mut Vec<PathBuf>, seen: &mut BTreeSet<PathBuf>, path: PathBuf) {
    let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    if seen.insert(key) {
        list.push(path);
    }
}

fn missing(path: &Path) -> Problem {
    Problem::new(
        "input::not-found",
        format!("{} does not exist", path.display()),
    )
    .with_help("give a policy file, a test file (NAME.test.yaml) or a directory of them")
}

fn no_tests_under(dir: &Path) -> Problem {
    Problem::new(
        "test::no-tests",
        format!("{} holds no test file (*.test.yaml)", dir.display()),
    )
    .with_help(
        "write NAME.test.yaml beside each policy NAME.yaml (see docs/testing.md), or start \
         with `vrisk new policy ID`",
    )
}

/// `NAME.test.yaml` (or `.test.yml`) beside `NAME.yaml`, when it exists.
pub fn test_beside(policy: &Path) -> Option<PathBuf> {
    let stem = policy.file_stem()?.to_str()?;
    ["test.yaml", "test.yml"]
        .iter()
        .map(|ext| policy.with_file_name(format!("{stem}.{ext}")))
        .find(|p| p.is_file())
}

/// The name the test file of `policy` should have.
pub fn test_name_for(policy: &Path) -> PathBuf {
    let stem = policy
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("policy");
    policy.with_file_name(format!("{stem}.test.yaml"))
}

/// `NAME.yaml` (or `.yml`) beside `NAME.test.yaml`: the first that exists, else the `.yaml`
/// name, for the message that says it is missing.
pub fn policy_beside(test: &Path) -> PathBuf {
    let name = test.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name
        .strip_suffix(".test.yaml")
        .or_else(|| name.strip_suffix(".test.yml"))
        .unwrap_or(name);
    let yaml = test.with_file_name(format!("{stem}.yaml"));
    let yml = test.with_file_name(format!("{stem}.yml"));
    if !yaml.is_file() && yml.is_file() {
        yml
    } else {
        yaml
    }
}

/// A path relative to the directory of `file`, as written in that file.
pub fn relative_to(file: &Path, written: &str) -> PathBuf {
    let base = file.parent().unwrap_or(Path::new(""));
    normalize(&base.join(written))
}

/// Removes `.` and folds `dir/..` without touching the file system, so that displayed paths
/// stay short (`policies/../registry` -> `registry`). A leading `..` stays.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("policies/../registry")),
            PathBuf::from("registry")
        );
        assert_eq!(normalize(Path::new("./a/./b")), PathBuf::from("a/b"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
    }

    #[test]
    fn pairs_policies_and_tests_by_name() {
        assert_eq!(
            test_name_for(Path::new("p/stale-review.yaml")),
            PathBuf::from("p/stale-review.test.yaml")
        );
        assert_eq!(
            policy_beside(Path::new("p/stale-review.test.yaml")),
            PathBuf::from("p/stale-review.yaml")
        );
        assert_eq!(
            relative_to(Path::new("policies/x.test.yaml"), "../registry"),
            PathBuf::from("registry")
        );
    }
}

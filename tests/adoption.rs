//! Installing vrisk without the source tree: the published crate, the release workflow, the
//! `cargo binstall` metadata, the container image and the GitHub Action must agree with each
//! other on names, targets and the repository's address, and the workflows and the action must be
//! valid for GitHub.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    let full = Path::new(ROOT).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn yaml(path: &str) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

/// The package as Cargo reads Cargo.toml (`cargo metadata`), not as a second TOML parser would.
fn package() -> Value {
    let output = Command::new(env!("CARGO"))
        .current_dir(ROOT)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    metadata["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "vrisk"))
        .cloned()
        .expect("the vrisk package")
}

fn repository() -> String {
    package()["repository"]
        .as_str()
        .expect("Cargo.toml has a repository")
        .to_string()
}

// --- The repository's address -------------------------------------------------------------

#[test]
fn cargo_toml_names_the_repository_and_the_docs() {
    let package = package();
    let repository = package["repository"].as_str().expect("repository");
    let owner = repository
        .strip_prefix("https://github.com/")
        .and_then(|rest| rest.strip_suffix("/vrisk"))
        .expect("repository is https://github.com/<owner>/vrisk");
    assert!(!owner.is_empty() && !owner.contains('/'), "{repository}");
    assert_eq!(package["homepage"], repository);
    assert_eq!(package["documentation"], "https://docs.rs/vrisk");
    assert_eq!(package["readme"], "README.md");
    assert_eq!(package["license"], "Apache-2.0");
    let keywords = package["keywords"].as_array().expect("keywords");
    assert!(
        (1..=5).contains(&keywords.len()),
        "crates.io takes at most 5 keywords: {keywords:?}"
    );
    assert_eq!(
        package["categories"],
        json!(["command-line-utilities", "development-tools"])
    );
}

/// Every place a text names the owner of vrisk's repository: `github.com/<owner>/vrisk`,
/// `ghcr.io/<owner>/vrisk` and `uses: <owner>/vrisk@`, with the line number and the owner found.
/// A name that goes on (`<owner>/vrisk-extra`) is another repository; a trailing `.` or `.git`
/// is not.
fn owners_named(text: &str) -> Vec<(usize, String)> {
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for prefix in ["github.com/", "ghcr.io/", "uses: "] {
            for (at, _) in line.match_indices(prefix) {
                let rest = &line[at + prefix.len()..];
                let owner: String = rest.chars().take_while(|&c| name_char(c)).collect();
                let Some(after) = rest[owner.len()..].strip_prefix("/vrisk") else {
                    continue;
                };
                let more: String = after.chars().take_while(|&c| name_char(c)).collect();
                let more = more.trim_end_matches('.');
                if owner.is_empty() || !(more.is_empty() || more == ".git") {
                    continue;
                }
                found.push((number + 1, owner));
            }
        }
    }
    found
}

fn repository_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != ".git" && name != "target" {
                repository_files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_file_names_the_repository_of_cargo_toml() {
    let repository = repository();
    let owner = repository
        .trim_start_matches("https://github.com/")
        .trim_end_matches("/vrisk");
    let mut files = Vec::new();
    repository_files(Path::new(ROOT), &mut files);
    let mut wrong = Vec::new();
    let mut named_in = BTreeSet::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue; // not UTF-8: not a text file
        };
        let relative = file.strip_prefix(ROOT).expect("under the root").to_owned();
        let relative = relative.to_string_lossy().replace('\\', "/");
        for (line, found) in owners_named(&text) {
            named_in.insert(relative.clone());
            if found != owner {
                wrong.push(format!("{relative}:{line}: {found}/vrisk"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "Cargo.toml's repository is {repository}, but these name another owner: {wrong:#?}"
    );
    // The files that must name it, so that the check above is not vacuous.
    for file in ["action.yml", "docs/install.md", "README.md"] {
        assert!(named_in.contains(file), "{file} does not name {repository}");
    }
    assert!(read("action.yml").contains(&format!("VRISK_REPOSITORY: {repository}\n")));
}

#[test]
fn the_owner_check_sees_another_owner() {
    let other = format!(
        "see https://github.com/{0}/vrisk/releases\nimage: ghcr.io/{0}/vrisk:1\n  - uses: {0}/vrisk@v1\nnot github.com/{0}/vrisk-extra nor uses: actions/checkout@v4\nat github.com/{0}/vrisk. Or git clone https://github.com/{0}/vrisk.git",
        "someone-else"
    );
    let lines: Vec<usize> = owners_named(&other).iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [1, 2, 3, 5, 5]);
    assert!(
        owners_named(&other)
            .iter()
            .all(|(_, o)| o == "someone-else")
    );
}

// --- The workflows and the action are valid for GitHub ------------------------------------

fn validator(fixture: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&read(fixture)).expect("schema is JSON");
    jsonschema::draft7::options()
        .build(&schema)
        .unwrap_or_else(|e| panic!("{fixture} compiles: {e}"))
}

fn workflow_validator() -> jsonschema::Validator {
    validator("tests/fixtures/github-workflow.schema.json")
}

fn action_validator() -> jsonschema::Validator {
    validator("tests/fixtures/github-action.schema.json")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn workflows_are_valid_github_workflows() {
    let validator = workflow_validator();
    for path in [
        ".github/workflows/release.yml",
        ".github/workflows/ci.yml",
        "docs/examples/github-workflow.yml",
    ] {
        let workflow = yaml(path);
        // A YAML 1.1 reader turns the key `on` into `true`; the schema would then reject it.
        assert!(workflow.get("on").is_some(), "{path}: no `on` key");
        let errors = errors(&validator, &workflow);
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
}

#[test]
fn action_is_a_valid_github_action() {
    let action = yaml("action.yml");
    let errors = errors(&action_validator(), &action);
    assert!(errors.is_empty(), "action.yml: {errors:#?}");
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = &action["inputs"];
    assert_eq!(inputs["version"]["default"], "latest");
    assert_eq!(inputs["args"]["default"], "check");
    assert_eq!(inputs["working-directory"]["default"], ".");
    let outputs: Vec<&String> = action["outputs"]
        .as_object()
        .expect("outputs")
        .keys()
        .collect();
    assert_eq!(outputs, ["exit-code", "reports"]);
}

#[test]
fn the_schemas_reject_broken_files() {
    let workflows = workflow_validator();
    let mut no_jobs = yaml(".github/workflows/ci.yml");
    no_jobs.as_object_mut().expect("a mapping").remove("jobs");
    assert!(
        errors(&workflows, &no_jobs)
            .iter()
            .any(|e| e.contains("\"jobs\" is a required property")),
        "{:?}",
        errors(&workflows, &no_jobs)
    );
    let mut no_runner = yaml(".github/workflows/ci.yml");
    no_runner["jobs"]["test"]
        .as_object_mut()
        .expect("the test job")
        .remove("runs-on");
    assert!(!errors(&workflows, &no_runner).is_empty());

    let actions = action_validator();
    let mut no_shell = yaml("action.yml");
    no_shell["runs"]["steps"][0]
        .as_object_mut()
        .expect("a step")
        .remove("shell");
    assert!(!errors(&actions, &no_shell).is_empty());
}

/// No step of a workflow or of the action splices an input or another expression into a
/// script: they reach the scripts through `env:`.
#[test]
fn scripts_take_no_expressions() {
    let mut scripts = Vec::new();
    for step in yaml("action.yml")["runs"]["steps"]
        .as_array()
        .expect("steps")
    {
        scripts.extend(
            step["run"]
                .as_str()
                .map(|s| ("action.yml".to_string(), s.to_string())),
        );
    }
    for path in [".github/workflows/release.yml", ".github/workflows/ci.yml"] {
        let workflow = yaml(path);
        for job in workflow["jobs"].as_object().expect("jobs").values() {
            for step in job["steps"].as_array().expect("steps") {
                scripts.extend(
                    step["run"]
                        .as_str()
                        .map(|s| (path.to_string(), s.to_string())),
                );
            }
        }
    }
    assert!(scripts.len() >= 8, "{scripts:?}");
    for (path, script) in scripts {
        assert!(
            !script.contains("${{"),
            "{path}: an expression in `{script}`"
        );
    }
}

// --- The published crate -------------------------------------------------------------------

fn packaged_files() -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .current_dir(ROOT)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .output()
        .expect("run cargo package --list");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// `a/b/../c` → `a/c`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// The files the sources read at compile time: `include_str!`/`include_bytes!` with a literal
/// path, the registry and policies embedded by `embedded.rs`, and `#[path]` modules of benches.
fn compile_time_files() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut sources = Vec::new();
    walk(&Path::new(ROOT).join("src"), &mut sources);
    walk(&Path::new(ROOT).join("benches"), &mut sources);
    let mut files = BTreeSet::new();
    for source in sources {
        let text = std::fs::read_to_string(&source).expect("read");
        let dir = source
            .parent()
            .expect("a directory")
            .strip_prefix(ROOT)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        for marker in ["include_str!(\"", "include_bytes!(\"", "#[path = \""] {
            for (at, _) in text.match_indices(marker) {
                let rest = &text[at + marker.len()..];
                let literal = &rest[..rest.find('"').expect("a closing quote")];
                files.insert(normalise(&format!("{dir}/{literal}")));
            }
        }
    }
    let (registry, policies) = vrisk::input::embedded::embedded_names();
    files.extend(registry.iter().map(|n| format!("registry/{n}")));
    files.extend(policies.iter().map(|n| format!("policies/{n}")));
    files
}

#[test]
fn the_published_crate_holds_what_it_builds_from_and_no_tests() {
    let files = packaged_files();
    let has = |f: &str| files.iter().any(|p| p == f);
    for expected in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        "src/main.rs",
        "src/lib.rs",
        "schemas/registry.schema.json",
        "policies/competitor-ownership.yaml",
        "registry/ownership.yaml",
        "templates/vrisk.yaml",
        "docs/install.md",
        "benches/ownership.rs",
        "benches/pipeline.rs",
    ] {
        assert!(
            has(expected),
            "{expected} is not in the package: {files:#?}"
        );
    }
    let embedded = compile_time_files();
    assert!(embedded.contains("docs/examples/github-workflow.yml"));
    assert!(embedded.contains("examples/gen/generator.rs"));
    for file in &embedded {
        assert!(has(file), "{file} is read at compile time but not packaged");
    }
    let stray: Vec<&String> = files
        .iter()
        .filter(|f| {
            ["tests/", "fuzz/", ".ci/", ".github/", "target/"]
                .iter()
                .any(|p| f.starts_with(p))
                || (f.starts_with("docs/examples/") || f.starts_with("examples/"))
                    && !embedded.contains(*f)
        })
        .collect();
    assert!(stray.is_empty(), "packaged but not needed: {stray:?}");
}

#[test]
fn license_is_the_apache_license() {
    let license = read("LICENSE");
    assert!(
        license.contains("Apache License\n                           Version 2.0, January 2004")
    );
    assert!(license.contains("END OF TERMS AND CONDITIONS"));
    assert_eq!(package()["license"], "Apache-2.0");
}

// --- Release archives, cargo binstall and the action ---------------------------------------

/// One release build: its target triple and archive extension, from release.yml's matrix.
struct Build {
    target: String,
    archive: String,
}

/// The targets and the asset name pattern (`vrisk-{version}-{target}`) of the release workflow.
fn release_builds() -> (Vec<Build>, String) {
    let workflow = yaml(".github/workflows/release.yml");
    let job = &workflow["jobs"]["build"];
    let pattern = job["env"]["ASSET_NAME"]
        .as_str()
        .expect("ASSET_NAME")
        .to_string();
    let builds = job["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a matrix of targets")
        .iter()
        .map(|b| Build {
            target: b["target"].as_str().expect("target").to_string(),
            archive: b["archive"].as_str().expect("archive").to_string(),
        })
        .collect();
    (builds, pattern)
}

fn asset_stem(pattern: &str, version: &str, target: &str) -> String {
    pattern
        .replace("{version}", version)
        .replace("{target}", target)
}

#[test]
fn release_builds_the_five_targets() {
    let (builds, pattern) = release_builds();
    let targets: Vec<&str> = builds.iter().map(|b| b.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    let names: Vec<String> = builds
        .iter()
        .map(|b| format!("{}.{}", asset_stem(&pattern, "0.1.0", &b.target), b.archive))
        .collect();
    assert_eq!(
        names,
        [
            "vrisk-0.1.0-x86_64-unknown-linux-musl.tar.gz",
            "vrisk-0.1.0-aarch64-unknown-linux-musl.tar.gz",
            "vrisk-0.1.0-x86_64-apple-darwin.tar.gz",
            "vrisk-0.1.0-aarch64-apple-darwin.tar.gz",
            "vrisk-0.1.0-x86_64-pc-windows-msvc.zip",
        ]
    );
    let workflow = yaml(".github/workflows/release.yml");
    assert_eq!(workflow["on"]["push"]["tags"], json!(["v*"]));
    assert_eq!(workflow["permissions"], json!({}));
    assert_eq!(
        workflow["jobs"]["release"]["permissions"],
        json!({"contents": "write"})
    );
    assert_eq!(
        workflow["jobs"]["image"]["permissions"],
        json!({"contents": "read", "packages": "write"})
    );
    assert_eq!(
        workflow["jobs"]["build"]["permissions"],
        json!({"contents": "read"})
    );
}

/// Expands a cargo-binstall template: `{ name }` (spaces optional) for each variable.
fn binstall_expand(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out
            .replace(&format!("{{ {name} }}"), value)
            .replace(&format!("{{{name}}}"), value);
    }
    assert!(!out.contains('{'), "unexpanded variable in {out}");
    out
}

#[test]
fn binstall_downloads_the_assets_the_release_uploads() {
    let package = package();
    let repository = package["repository"].as_str().expect("repository");
    let binstall = &package["metadata"]["binstall"];
    let pkg_url = binstall["pkg-url"].as_str().expect("pkg-url");
    let bin_dir = binstall["bin-dir"].as_str().expect("bin-dir");
    let (builds, pattern) = release_builds();
    for build in &builds {
        let fmt = binstall["overrides"][&build.target]["pkg-fmt"]
            .as_str()
            .or(binstall["pkg-fmt"].as_str())
            .expect("pkg-fmt");
        // cargo-binstall's names for the archive formats the release writes.
        let suffix = match fmt {
            "tgz" => ".tar.gz",
            "zip" => ".zip",
            other => panic!("pkg-fmt {other} is not an archive the release writes"),
        };
        let windows = build.target.contains("-windows-");
        let vars = [
            ("repo", repository),
            ("name", "vrisk"),
            ("version", "0.1.0"),
            ("target", build.target.as_str()),
            ("archive-suffix", suffix),
            ("bin", "vrisk"),
            ("binary-ext", if windows { ".exe" } else { "" }),
        ];
        let stem = asset_stem(&pattern, "0.1.0", &build.target);
        assert_eq!(
            binstall_expand(pkg_url, &vars),
            format!(
                "{repository}/releases/download/v0.1.0/{stem}.{}",
                build.archive
            )
        );
        assert_eq!(
            binstall_expand(bin_dir, &vars),
            format!("{stem}/vrisk{}", if windows { ".exe" } else { "" })
        );
    }
}

#[test]
fn the_action_knows_every_release_target() {
    let action = read("action.yml");
    let (builds, _) = release_builds();
    for build in builds {
        let arm = format!("target={} archive={} ", build.target, build.archive);
        assert!(action.contains(&arm), "action.yml lacks `{arm}`");
    }
}

// --- The action's scripts, run as GitHub runs them -----------------------------------------

fn action_script(step_name: &str) -> String {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let step = steps
        .iter()
        .find(|s| s["name"] == step_name)
        .unwrap_or_else(|| panic!("no step {step_name}"));
    assert_eq!(step["shell"], "bash");
    step["run"].as_str().expect("a script").to_string()
}

/// Runs a script the way GitHub runs a `shell: bash` step.
fn run_step(script: &str, dir: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let file = dir.join("step.sh");
    std::fs::write(&file, script).expect("write the script");
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&file)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .expect("run bash");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[cfg(target_os = "linux")]
mod install {
    use super::*;

    const TARGET: &str = "x86_64-unknown-linux-musl";

    /// A release like the one the release workflow uploads, for one target, in a directory
    /// that stands in for the repository's web address.
    struct FakeRelease {
        dir: tempfile::TempDir,
        asset: String,
    }

    fn sha256(path: &Path) -> String {
        let output = Command::new("sha256sum")
            .arg(path)
            .output()
            .expect("sha256sum");
        String::from_utf8(output.stdout).expect("UTF-8")[..64].to_string()
    }

    fn fake_release() -> FakeRelease {
        let dir = tempfile::tempdir().expect("tempdir");
        let (builds, pattern) = release_builds();
        let build = builds.iter().find(|b| b.target == TARGET).expect(TARGET);
        let stem = asset_stem(&pattern, "0.1.0", TARGET);
        let asset = format!("{stem}.{}", build.archive);
        let stage = dir.path().join("stage").join(&stem);
        std::fs::create_dir_all(&stage).expect("mkdir");
        let binary = stage.join("vrisk");
        std::fs::write(&binary, "#!/bin/sh\necho 'vrisk 0.1.0'\n").expect("write");
        let status = Command::new("chmod")
            .arg("+x")
            .arg(&binary)
            .status()
            .expect("chmod");
        assert!(status.success());
        let downloads = dir.path().join("repo/releases/download/v0.1.0");
        std::fs::create_dir_all(&downloads).expect("mkdir");
        let status = Command::new("tar")
            .arg("-C")
            .arg(dir.path().join("stage"))
            .arg("-czf")
            .arg(downloads.join(&asset))
            .arg(&stem)
            .status()
            .expect("tar");
        assert!(status.success());
        let hash = sha256(&downloads.join(&asset));
        std::fs::write(
            downloads.join(format!("{asset}.sha256")),
            format!("{hash}  {asset}\n"),
        )
        .expect("write");
        std::fs::create_dir_all(dir.path().join("runner-temp")).expect("mkdir");
        FakeRelease { dir, asset }
    }

    fn install(release: &FakeRelease, os: &str, arch: &str, version: &str) -> (i32, String) {
        let root = release.dir.path();
        let repository = format!("file://{}/repo", root.display());
        let runner_temp = root.join("runner-temp");
        let github_path = root.join("github-path");
        run_step(
            &action_script("Install vrisk"),
            root,
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("RUNNER_TEMP", &runner_temp.to_string_lossy()),
                ("GITHUB_PATH", &github_path.to_string_lossy()),
                ("VRISK_VERSION", version),
                ("VRISK_REPOSITORY", &repository),
            ],
        )
    }

    #[test]
    fn installs_the_release_archive_and_puts_it_on_path() {
        let release = fake_release();
        let (code, output) = install(&release, "Linux", "X64", "v0.1.0");
        assert_eq!(code, 0, "{output}");
        let hash = sha256(
            &release
                .dir
                .path()
                .join("repo/releases/download/v0.1.0")
                .join(&release.asset),
        );
        assert!(
            output.contains(&format!(
                "SHA-256 {hash} matches {}.sha256\nvrisk 0.1.0\n",
                release.asset
            )),
            "{output}"
        );
        let bin = release.dir.path().join(format!(
            "runner-temp/vrisk-install-0.1.0-{TARGET}/vrisk-0.1.0-{TARGET}"
        ));
        let path = std::fs::read_to_string(release.dir.path().join("github-path")).expect("path");
        assert_eq!(path, format!("{}\n", bin.display()));
        assert!(bin.join("vrisk").is_file());
    }

    #[test]
    fn refuses_an_archive_whose_checksum_differs() {
        let release = fake_release();
        let sums = release
            .dir
            .path()
            .join("repo/releases/download/v0.1.0")
            .join(format!("{}.sha256", release.asset));
        let wrong = "0".repeat(64);
        std::fs::write(&sums, format!("{wrong}  {}\n", release.asset)).expect("write");
        let (code, output) = install(&release, "Linux", "X64", "0.1.0");
        assert_eq!(code, 1, "{output}");
        assert!(
            output.contains(&format!(
                "::error::SHA-256 mismatch for {}: expected {wrong}, got ",
                release.asset
            )),
            "{output}"
        );
        assert!(!release.dir.path().join("github-path").exists());
    }

    #[test]
    fn refuses_an_unknown_runner_and_a_version_that_is_not_one() {
        let release = fake_release();
        let (code, output) = install(&release, "FreeBSD", "X64", "0.1.0");
        assert_eq!(code, 1, "{output}");
        assert!(output.contains("::error::vrisk has no release binary for FreeBSD on X64"));

        let (code, output) = install(&release, "Linux", "X64", "../../v0.1.0");
        assert_eq!(code, 1, "{output}");
        assert!(
            output.contains("::error::no vrisk release found for version '../../v0.1.0'"),
            "{output}"
        );

        // A version with no release: the download fails and so does the step.
        let (code, output) = install(&release, "Linux", "X64", "0.2.0");
        assert_eq!(code, 1, "{output}");
        assert!(
            output.contains(&format!(
                "/releases/download/v0.2.0/vrisk-0.2.0-{TARGET}.tar.gz: is 0.2.0 a vrisk release?"
            )),
            "{output}"
        );
        assert!(!release.dir.path().join("github-path").exists());
    }
}

#[cfg(unix)]
mod run {
    use super::*;

    /// A PATH with `vrisk` (the given program) first.
    fn path_with_vrisk(dir: &Path, program: &Path) -> String {
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::os::unix::fs::symlink(program, bin.join("vrisk")).expect("symlink");
        format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// The `exit-code` and `reports` outputs written to GITHUB_OUTPUT.
    fn outputs(file: &Path) -> (String, Vec<String>) {
        let text = std::fs::read_to_string(file).expect("GITHUB_OUTPUT");
        let lines: Vec<&str> = text.lines().collect();
        let code = lines[0]
            .strip_prefix("exit-code=")
            .expect("exit-code first");
        let delimiter = lines[1].strip_prefix("reports<<").expect("reports second");
        assert_eq!(lines.last(), Some(&delimiter), "{text}");
        assert!(text.ends_with('\n'));
        let reports = lines[2..lines.len() - 1]
            .iter()
            .map(|s| s.to_string())
            .collect();
        (code.to_string(), reports)
    }

    #[test]
    fn runs_vrisk_records_the_exit_code_and_reports_and_fails_the_step() {
        let dir = tempfile::tempdir().expect("tempdir");
        let workspace = dir.path().join("workspace");
        let work = workspace.join("vendors");
        std::fs::create_dir_all(&work).expect("mkdir");
        let path = path_with_vrisk(dir.path(), Path::new(env!("CARGO_BIN_EXE_vrisk")));
        let output_file = dir.path().join("github-output");
        let args = "check --example --as-of 2025-06-20\n  --format human\n  --format json=report.json\n  --format=markdown=summary.md";
        let (code, output) = run_step(
            &action_script("Run vrisk"),
            &work,
            &[
                ("PATH", path.as_str()),
                ("GITHUB_OUTPUT", &output_file.to_string_lossy()),
                ("VRISK_ARGS", args),
                ("VRISK_WORKING_DIRECTORY", "vendors"),
            ],
        );
        // The embedded registry as of a week after Meta's stake in Scale AI: a finding blocks.
        assert_eq!(code, 1, "{output}");
        assert!(
            output.contains("[critical] competitor-ownership (scale-ai)"),
            "{output}"
        );
        let (exit, reports) = outputs(&output_file);
        assert_eq!(exit, "1");
        assert_eq!(reports, ["vendors/report.json", "vendors/summary.md"]);
        for report in reports {
            assert!(workspace.join(&report).is_file(), "{report} not written");
        }
    }

    #[test]
    fn passes_arguments_as_given_and_exits_like_vrisk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fake = dir.path().join("fake-vrisk");
        let seen = dir.path().join("args");
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit 0\n",
                seen.display()
            ),
        )
        .expect("write");
        let status = Command::new("chmod")
            .arg("+x")
            .arg(&fake)
            .status()
            .expect("chmod");
        assert!(status.success());
        std::fs::write(dir.path().join("a.yaml"), "").expect("write");
        let path = path_with_vrisk(dir.path(), &fake);
        let output_file = dir.path().join("github-output");
        let args = "check -r *.yaml\n\t-f sarif=out/vrisk.sarif -fjunit=/tmp/junit.xml -f=json=r.json --format github $(id) ;x";
        let (code, output) = run_step(
            &action_script("Run vrisk"),
            dir.path(),
            &[
                ("PATH", path.as_str()),
                ("GITHUB_OUTPUT", &output_file.to_string_lossy()),
                ("VRISK_ARGS", args),
                ("VRISK_WORKING_DIRECTORY", "."),
            ],
        );
        assert_eq!(code, 0, "{output}");
        let seen = std::fs::read_to_string(&seen).expect("vrisk ran");
        assert_eq!(
            seen,
            "check\n-r\n*.yaml\n-f\nsarif=out/vrisk.sarif\n-fjunit=/tmp/junit.xml\n-f=json=r.json\n--format\ngithub\n$(id)\n;x\n"
        );
        let (exit, reports) = outputs(&output_file);
        assert_eq!(exit, "0");
        assert_eq!(reports, ["out/vrisk.sarif", "/tmp/junit.xml", "r.json"]);
    }
}

// --- The container image -------------------------------------------------------------------

/// The Dockerfile's instructions, continuation lines joined, comments dropped, split into
/// stages at each `FROM`.
fn dockerfile_stages() -> Vec<Vec<(String, String)>> {
    let text = read("Dockerfile");
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                instructions.push(std::mem::take(&mut current));
            }
        }
    }
    let mut stages: Vec<Vec<(String, String)>> = Vec::new();
    for instruction in instructions {
        let (keyword, rest) = instruction.split_once(' ').expect("an argument");
        let keyword = keyword.to_ascii_uppercase();
        if keyword == "FROM" {
            stages.push(Vec::new());
        }
        stages
            .last_mut()
            .expect("FROM first")
            .push((keyword, rest.trim().to_string()));
    }
    stages
}

fn instruction<'a>(stage: &'a [(String, String)], keyword: &str) -> Vec<&'a str> {
    stage
        .iter()
        .filter(|(k, _)| k == keyword)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn the_image_runs_vrisk_as_a_non_root_user() {
    let stages = dockerfile_stages();
    assert!(stages.len() >= 2, "a multi-stage build");
    let build = &stages[0];
    assert!(instruction(build, "FROM")[0].starts_with("rust:"));
    let runs = instruction(build, "RUN").join("\n");
    let cargo = runs
        .split("&&")
        .find(|c| c.contains("cargo build"))
        .expect("cargo build");
    assert!(
        cargo.contains("--locked") && cargo.contains("--release"),
        "{cargo}"
    );

    let last = stages.last().expect("a final stage");
    let from = instruction(last, "FROM")[0];
    assert!(
        from == "scratch" || from.starts_with("gcr.io/distroless/static"),
        "{from}"
    );
    assert_eq!(instruction(last, "USER"), ["65532:65532"]);
    assert_eq!(instruction(last, "WORKDIR"), ["/work"]);
    let entrypoint = instruction(last, "ENTRYPOINT");
    assert_eq!(entrypoint, [r#"["/usr/local/bin/vrisk"]"#]);
    assert!(
        instruction(last, "COPY").contains(&"--from=build /vrisk /usr/local/bin/vrisk"),
        "the entry point is the binary built in the first stage"
    );
    // The USER comes after every instruction that could need root in the final stage.
    let user_at = last.iter().position(|(k, _)| k == "USER").expect("USER");
    assert!(
        !last[user_at..]
            .iter()
            .any(|(k, _)| k == "RUN" || k == "COPY")
    );
}

/// Docker leaves out of the build context what .dockerignore lists: nothing the published crate
/// holds may be left out, or `cargo build` in the image would miss a file.
#[test]
fn dockerignore_keeps_every_file_of_the_crate() {
    let patterns: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_matches('/').to_string())
        .collect();
    for pattern in &patterns {
        assert!(
            !pattern.contains(['*', '?', '[', '!']),
            "{pattern}: only plain paths, which this test can match exactly"
        );
    }
    let ignored = |file: &str| {
        patterns
            .iter()
            .any(|p| file == p || file.starts_with(&format!("{p}/")))
    };
    let mut files = packaged_files();
    files.retain(|f| f != ".cargo_vcs_info.json" && f != "Cargo.toml.orig");
    let lost: Vec<&String> = files.iter().filter(|f| ignored(f)).collect();
    assert!(lost.is_empty(), "left out of the image build: {lost:?}");
    for heavy in ["target", "fuzz", "tests", ".git"] {
        assert!(ignored(&format!("{heavy}/x")), "{heavy} is sent to Docker");
    }
}

/// The workflow docs/install.md gives for the action is a valid workflow that uses this
/// repository's action.
#[test]
fn the_documented_action_workflow_is_valid() {
    let doc = read("docs/install.md");
    let section = doc
        .split("\n## GitHub Action\n")
        .nth(1)
        .expect("a GitHub Action section");
    let block = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a yaml block");
    let workflow: Value = serde_saphyr::from_str(block).expect("the snippet is YAML");
    let errors = errors(&workflow_validator(), &workflow);
    assert!(errors.is_empty(), "{errors:#?}");
    let steps = workflow["jobs"]["vrisk"]["steps"]
        .as_array()
        .expect("steps");
    let owner = repository()
        .trim_start_matches("https://github.com/")
        .trim_end_matches("/vrisk")
        .to_string();
    let action = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("/vrisk@")))
        .expect("a step that uses the action");
    assert_eq!(action["uses"], format!("{owner}/vrisk@v1"));
    let inputs: BTreeSet<&String> = action["with"].as_object().expect("with").keys().collect();
    let metadata = yaml("action.yml");
    let declared: BTreeSet<&String> = metadata["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .collect();
    assert!(
        inputs.is_subset(&declared),
        "{inputs:?} not in {declared:?}"
    );
}

//! The CI set-ups that `vrisk init` writes and docs/ci.md shows: valid for their platform, run
//! on every change to a check's inputs, and install a released vrisk instead of building it.

use serde_json::Value;

fn load(path: &str) -> Value {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"))
}

/// The workflow `vrisk init` writes: valid for GitHub (against SchemaStore's workflow schema),
/// triggered by every input of a check, running a released vrisk through the action (nothing is
/// built), and skipping only the SARIF upload on a fork's pull request.
#[test]
fn github_workflow_runs_the_released_action_and_skips_the_upload_for_forks() {
    let workflow = load("docs/examples/github-workflow.yml");
    let schema = load("tests/fixtures/github-workflow.schema.json");
    let validator = jsonschema::validator_for(&schema).expect("the workflow schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&workflow)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema does reject a broken workflow: a job without a runner.
    let mut broken = workflow.clone();
    if let Some(job) = broken["jobs"]["vrisk"].as_object_mut() {
        job.remove("runs-on");
    }
    assert!(!validator.is_valid(&broken));

    let inputs = [
        "registry/**",
        "policies/**",
        "vrisk.yaml",
        "waivers.yaml",
        ".github/workflows/vrisk.yml",
    ];
    for event in ["pull_request", "push"] {
        assert_eq!(
            workflow["on"][event]["paths"],
            serde_json::json!(inputs),
            "{event}"
        );
    }
    assert!(workflow["on"]["schedule"][0]["cron"].is_string());
    let job = &workflow["jobs"]["vrisk"];
    assert_eq!(job["permissions"]["security-events"], "write");
    let steps = job["steps"].as_array().expect("a list of steps");
    assert!(
        steps.iter().all(|s| s["run"].is_null()),
        "no step builds or installs vrisk itself: {steps:#?}"
    );
    let check = steps
        .iter()
        .find(|s| s["uses"] == "vrisk-dev/vrisk@v1")
        .expect("the check runs the vrisk action");
    let args = check["with"]["args"].as_str().expect("args");
    assert_eq!(
        args,
        "check --format human --format github --format sarif=vrisk.sarif \
         --format junit=junit.xml --format markdown=summary.md --format html=vrisk-report.html"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload step");
    assert_eq!(upload["with"]["sarif_file"], "vrisk.sarif");
    let condition = upload["if"].as_str().expect("a condition");
    assert!(
        condition.contains("github.event.pull_request.head.repo.full_name == github.repository"),
        "{condition}"
    );
    assert!(condition.contains("github.event_name != 'pull_request'"));
    // The check itself has no condition: a fork's pull request is checked like any other.
    assert!(check["if"].is_null());
    // The HTML page is kept as an artifact a risk owner can download and open.
    let kept = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .and_then(|s| s["with"]["path"].as_str())
        .unwrap_or("");
    assert!(kept.contains("vrisk-report.html"), "{kept}");
}

/// The GitLab job downloads a release binary and checks its SHA-256; it never builds vrisk.
#[test]
fn gitlab_job_runs_a_released_binary_and_reports_junit_code_quality_and_the_page() {
    let ci = load("docs/examples/gitlab-ci.yml");
    let job = &ci["vrisk"];
    assert_eq!(job["artifacts"]["reports"]["junit"], "junit.xml");
    assert_eq!(job["artifacts"]["when"], "always");
    assert_eq!(
        job["artifacts"]["reports"]["codequality"],
        "gl-code-quality.json"
    );
    let paths = job["artifacts"]["paths"].to_string();
    assert!(paths.contains("vrisk-report.html"), "{paths}");
    let lines = |key: &str| -> Vec<String> {
        job[key]
            .as_array()
            .expect(key)
            .iter()
            .filter_map(|l| l.as_str().map(str::to_string))
            .collect()
    };
    let before = lines("before_script").join("\n");
    assert!(before.contains("https://github.com/vrisk-dev/vrisk/releases/download/v"));
    assert!(before.contains("vrisk-${VRISK_VERSION}-${VRISK_TARGET}.tar.gz"));
    assert!(before.contains("sha256sum -c \"$asset.sha256\""));
    let script = lines("script").join("\n");
    assert!(!before.contains("cargo") && !script.contains("cargo"));
    assert!(script.starts_with("vrisk check"), "{script}");
    assert!(
        script.contains("--format gitlab=gl-code-quality.json"),
        "{script}"
    );
    assert!(
        script.contains("--format html=vrisk-report.html"),
        "{script}"
    );
    let changes = &job["rules"][1]["changes"];
    assert_eq!(
        changes,
        &serde_json::json!([
            "registry/**/*",
            "policies/**/*",
            "vrisk.yaml",
            "waivers.yaml"
        ])
    );
}

#[test]
fn pre_commit_hooks_are_complete() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().filter_map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["vrisk-validate", "vrisk-check"]);
    for hook in hooks {
        for key in ["name", "entry", "language"] {
            assert!(hook[key].is_string(), "{key} missing in {hook}");
        }
    }
}

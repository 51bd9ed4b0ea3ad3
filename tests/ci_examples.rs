//! The CI examples that docs/ci.md points users at must stay valid YAML, and must keep running
//! the formats the docs describe.

use serde_json::Value;

fn load(path: &str) -> Value {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"))
}

#[test]
fn github_workflow_runs_every_format_and_uploads_sarif() {
    let workflow = load("docs/examples/github-workflow.yml");
    let steps = workflow["jobs"]["vrisk"]["steps"]
        .as_array()
        .expect("a list of steps");
    let run: String = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for format in [
        "--format human",
        "--format sarif=vrisk.sarif",
        "--format junit=junit.xml",
        "--format markdown=summary.md",
        "--format github",
        "--format html=vrisk-report.html",
    ] {
        assert!(run.contains(format), "missing `{format}` in {run}");
    }
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
    assert_eq!(workflow["permissions"]["security-events"], "write");
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

#[test]
fn gitlab_job_reports_junit_code_quality_and_the_page() {
    let ci = load("docs/examples/gitlab-ci.yml");
    assert_eq!(ci["vrisk"]["artifacts"]["reports"]["junit"], "junit.xml");
    assert_eq!(
        ci["vrisk"]["artifacts"]["reports"]["codequality"],
        "gl-code-quality.json"
    );
    let script = ci["vrisk"]["script"].to_string();
    assert!(
        script.contains("--format gitlab=gl-code-quality.json"),
        "{script}"
    );
    assert!(
        script.contains("--format html=vrisk-report.html"),
        "{script}"
    );
    let paths = ci["vrisk"]["artifacts"]["paths"].to_string();
    assert!(paths.contains("vrisk-report.html"), "{paths}");
    assert_eq!(ci["vrisk"]["artifacts"]["when"], "always");
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

//! `vrisk graph` and `vrisk init` at the command line.

use assert_cmd::cargo::cargo_bin_cmd;

#[test]
fn graph_of_scale_ai_in_mermaid_and_dot() {
    let run = |format: &str| {
        let output = cargo_bin_cmd!("vrisk")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "graph",
                "scale-ai",
                "--as-of",
                "2025-07-01",
                "--format",
                format,
            ])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    assert_eq!(
        run("mermaid"),
        "flowchart LR\n  n0[\"Scale AI<br/>scale-ai\"]\n  n1[\"Meta Platforms<br/>meta\"]\n  n1 -->|\"49#37;, 0#37; votes\"| n0\n  style n0 stroke-width:3px\n"
    );
    assert!(run("dot").contains("n1 -> n0 [label=\"49%, 0% votes\"];"));
}

#[test]
fn graph_follows_chains_to_the_requested_depth() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("r.yaml"),
        "organisations:\n  - {id: x, name: X, kind: company}\n  - {id: h, name: H, kind: company}\n  - {id: v, name: V, kind: company}\nstakes:\n  - {owner: x, owned: h, economic: 60}\n  - {owner: h, owned: v, economic: 40}\n",
    )
    .expect("write");
    let run = |depth: &str| {
        let output = cargo_bin_cmd!("vrisk")
            .current_dir(dir.path())
            .args(["graph", "v", "--registry", "r.yaml", "--depth", depth])
            .output()
            .expect("run");
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    assert!(!run("1").contains("X<br/>x"));
    // Nodes are numbered from the centre out: v, then h, then x.
    assert!(run("2").contains("n2 -->|\"60#37;\"| n1"), "{}", run("2"));
}

#[test]
fn init_writes_a_config_that_check_accepts_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("vrisk.yaml").is_file());
    assert!(dir.path().join(".vrisk/config.schema.json").is_file());
    let workflow = std::fs::read_to_string(dir.path().join(".github/workflows/vendor-risk.yml"))
        .expect("workflow");
    assert!(workflow.contains("vrisk check"));
    // The starter config is valid: check runs with it (embedded registry and policies).
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .args(["check", "--as-of", "2025-06-01", "--fail-on", "critical"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A second init changes nothing.
    std::fs::write(dir.path().join("vrisk.yaml"), "fail_on: high\n").expect("write");
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .arg("init")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("already exists; nothing was written")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vrisk.yaml")).expect("read"),
        "fail_on: high\n"
    );
}

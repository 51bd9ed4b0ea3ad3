//! `vrisk graph` at the command line (`vrisk init` is tested in tests/init.rs).

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

/// `vrisk graph ARGS` in `dir`: exit code, stdout, stderr.
fn graph_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("graph")
        .args(args)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        stderr,
    )
}

#[test]
fn graph_as_svg_to_a_file_is_well_formed_and_self_contained() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = dir.path().join("scale-ai.svg");
    let out_arg = out.to_string_lossy().to_string();
    let (code, stdout, stderr) = graph_in(
        std::path::Path::new(root),
        &[
            "scale-ai",
            "--as-of",
            "2025-07-01",
            "--format",
            "svg",
            "--output",
            &out_arg,
        ],
    );
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let svg = std::fs::read_to_string(&out).expect("the file is written");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        texts,
        [
            "Scale AI",
            "scale-ai",
            "Meta Platforms",
            "meta",
            "49%, 0% votes"
        ]
    );
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("rect")).count(),
        2
    );
    for banned in ["href", "url(", "<script", "@import", "http://", "https://"] {
        let outside_namespace = svg.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(!outside_namespace.contains(banned), "{banned}");
    }
    insta::assert_snapshot!("graph_scale_ai_svg", svg);
}

/// A vendor with `owners` direct owners, each owning it 1%.
fn star(owners: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut yaml = String::from("organisations:\n  - {id: v, name: V, kind: company}\n");
    for i in 0..owners {
        yaml.push_str(&format!(
            "  - {{id: o{i:04}, name: \"Owner <{i}>\", kind: company}}\n"
        ));
    }
    yaml.push_str("stakes:\n");
    for i in 0..owners {
        yaml.push_str(&format!(
            "  - {{owner: o{i:04}, owned: v, economic: 0.1}}\n"
        ));
    }
    std::fs::write(dir.path().join("r.yaml"), yaml).expect("write");
    dir
}

#[test]
fn a_large_neighbourhood_is_capped_with_a_note_except_in_dot() {
    let dir = star(250);
    let (code, mermaid, stderr) = graph_in(dir.path(), &["v", "--registry", "r.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(mermaid.lines().filter(|l| l.contains("-->")).count(), 100);
    assert!(mermaid.ends_with("  %% 150 more links not drawn: a diagram shows at most 100\n"));
    assert_eq!(
        stderr,
        "vrisk graph: 150 more links not drawn: a diagram shows at most 100; the nearest are \
         drawn. Lower --depth, or use --format dot for Graphviz, which draws them all.\n"
    );
    // The first hundred owners in registry order are drawn.
    assert!(mermaid.contains("Owner #lt;99#gt;") && !mermaid.contains("Owner #lt;100#gt;"));

    let (_, svg, _) = graph_in(
        dir.path(),
        &["v", "--registry", "r.yaml", "--format", "svg"],
    );
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("path")).count(),
        100
    );
    assert!(svg.contains(">150 more links not drawn: a diagram shows at most 100</text>"));

    let (_, dot, stderr) = graph_in(
        dir.path(),
        &["v", "--registry", "r.yaml", "--format", "dot"],
    );
    assert_eq!(dot.matches(" -> ").count(), 250);
    assert_eq!(stderr, "");
}

#[test]
fn a_neighbourhood_of_cross_holdings_is_drawn_both_ways() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("r.yaml"),
        "organisations:\n  - {id: a, name: A, kind: company}\n  - {id: b, name: B, kind: company}\n  - {id: v, name: V, kind: company}\nstakes:\n  - {owner: a, owned: b, economic: 30}\n  - {owner: b, owned: a, economic: 20}\n  - {owner: a, owned: v, economic: 40}\n",
    )
    .expect("write");
    let (code, svg, stderr) = graph_in(
        dir.path(),
        &["v", "--registry", "r.yaml", "--format", "svg"],
    );
    assert_eq!(code, 0, "{stderr}");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("path")).count(),
        3
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .count(),
        3
    );
}

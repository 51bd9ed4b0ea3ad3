//! `vrisk ownership` at the command line: the worked cases of docs/ownership.md, on small
//! registries, and the seeded Meta / Scale AI stake.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

/// Organisations `ids` (companies) and stakes `(owner, owned, economic)`, as registry YAML.
fn registry(ids: &[&str], stakes: &[(&str, &str, &str)]) -> String {
    let mut text = String::from("organisations:\n");
    for id in ids {
        text.push_str(&format!(
            "  - {{id: {id}, name: {}, kind: company}}\n",
            id.to_uppercase()
        ));
    }
    text.push_str("stakes:\n");
    for (owner, owned, economic) in stakes {
        text.push_str(&format!(
            "  - {{owner: {owner}, owned: {owned}, economic: {economic}}}\n"
        ));
    }
    text
}

/// Runs `vrisk ownership` in `dir` with `args`, as JSON on the day of these cases; it must
/// succeed, and its listing is returned.
fn ownership_json(dir: &Path, args: &[&str]) -> Value {
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir)
        .args(["ownership", "--format", "json", "--as-of", "2025-07-01"])
        .args(args)
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

/// `vrisk ownership` with `args` on a registry of `registry_text` alone.
fn ownership(registry_text: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("r.yaml"), registry_text).expect("write");
    ownership_json(dir.path(), &[&["--registry", "r.yaml"][..], args].concat())
}

/// (min, max) economic share of `owner` in the listing.
fn economic(listing: &Value, owner: &str) -> (f64, f64) {
    let owners = listing["owners"].as_array().expect("owners");
    let entry = owners
        .iter()
        .find(|o| o["owner"] == owner)
        .unwrap_or_else(|| panic!("{owner} not listed: {listing:#}"));
    (
        entry["economic"]["min"].as_f64().expect("min"),
        entry["economic"]["max"].as_f64().expect("max"),
    )
}

fn close(actual: (f64, f64), expected: (f64, f64)) {
    assert!(
        (actual.0 - expected.0).abs() < 1e-6 && (actual.1 - expected.1).abs() < 1e-6,
        "{actual:?} != {expected:?}"
    );
}

#[test]
fn chain_integrated_and_control_chain() {
    let text = registry(&["x", "h", "v"], &[("x", "h", "60"), ("h", "v", "40")]);
    close(economic(&ownership(&text, &["v"]), "x"), (24.0, 24.0));
    let chain = ownership(&text, &["v", "--method", "control-chain"]);
    assert_eq!(chain["method"], "control-chain");
    close(economic(&chain, "x"), (40.0, 40.0));
}

#[test]
fn ofac_faq_401_example_3() {
    let text = registry(
        &["x", "a", "b"],
        &[("x", "a", "50"), ("x", "b", "10"), ("a", "b", "40")],
    );
    close(
        economic(&ownership(&text, &["b", "--by", "x"]), "x"),
        (30.0, 30.0),
    );
    close(
        economic(
            &ownership(&text, &["b", "--by", "x", "--method", "control-chain"]),
            "x",
        ),
        (50.0, 50.0),
    );
}

#[test]
fn cross_holding() {
    let text = registry(
        &["ua", "ub", "a", "b"],
        &[
            ("ua", "a", "50"),
            ("ub", "b", "50"),
            ("a", "b", "50"),
            ("b", "a", "50"),
        ],
    );
    close(
        economic(&ownership(&text, &["a"]), "ua"),
        (200.0 / 3.0, 200.0 / 3.0),
    );
    close(
        economic(&ownership(&text, &["b"]), "ua"),
        (100.0 / 3.0, 100.0 / 3.0),
    );
}

#[test]
fn band_then_share_and_unknown() {
    let text = registry(
        &["x", "h", "v", "y"],
        &[
            ("x", "h", "{min: 50, max: 75, max_exclusive: true}"),
            ("h", "v", "40"),
            ("y", "h", "unknown"),
        ],
    );
    let listing = ownership(&text, &["v"]);
    close(economic(&listing, "x"), (20.0, 30.0));
    let x = listing["owners"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["owner"] == "x"))
        .expect("x");
    assert_eq!(
        x["economic"]["max_exclusive"], true,
        "the 75% bound stays open"
    );
    close(economic(&ownership(&text, &["h"]), "y"), (0.0, 100.0));
}

#[test]
fn seeded_meta_holds_49_economic_and_no_votes() {
    let listing = ownership_json(Path::new(env!("CARGO_MANIFEST_DIR")), &["scale-ai"]);
    assert_eq!(listing["entity"], "scale-ai");
    assert_eq!(listing["as_of"], "2025-07-01");
    assert_eq!(listing["method"], "integrated");
    let meta = &listing["owners"][0];
    assert_eq!(meta["owner"], "meta");
    assert_eq!(meta["name"], "Meta Platforms");
    assert_eq!(
        meta["economic"],
        serde_json::json!({"min": 49.0, "max": 49.0})
    );
    assert_eq!(meta["voting"], serde_json::json!({"min": 0.0, "max": 0.0}));
    assert_eq!(
        meta["paths"][0]["via"],
        serde_json::json!(["meta", "scale-ai"])
    );
    assert_eq!(
        meta["paths"][0]["economic"],
        serde_json::json!({"min": 49.0, "max": 49.0})
    );
}

#[test]
fn before_the_deal_meta_is_no_owner() {
    let output = cargo_bin_cmd!("vrisk")
        .args([
            "ownership",
            "scale-ai",
            "--format",
            "json",
            "--as-of",
            "2025-06-01",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    let listing: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(listing["owners"], serde_json::json!([]));
}

#[test]
fn human_output_shows_table_and_paths() {
    let output = cargo_bin_cmd!("vrisk")
        .args(["ownership", "scale-ai", "--as-of", "2025-07-01"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn unknown_entity_is_an_error_with_a_suggestion() {
    let output = cargo_bin_cmd!("vrisk")
        .env("NO_COLOR", "1")
        .args(["ownership", "scale-a"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean `scale-ai`?"), "{stderr}");
}

/// `vrisk ownership` on a BODS file gives the same shares as the same graph in YAML.
fn bods_ownership(file: &str, entity: &str, args: &[&str]) -> Value {
    let registry = format!("tests/fixtures/bods/{file}");
    ownership_json(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[&[entity, "--registry", &registry][..], args].concat(),
    )
}

#[test]
fn bods_chain_gives_the_same_shares_as_yaml() {
    close(
        economic(
            &bods_ownership("chain-0.4.json", "v-labels", &[]),
            "x-holdings",
        ),
        (24.0, 24.0),
    );
    close(
        economic(
            &bods_ownership("chain-0.4.json", "v-labels", &["--method", "control-chain"]),
            "x-holdings",
        ),
        (40.0, 40.0),
    );
    // BODS 0.3: the statement id is the organisation's id.
    close(
        economic(
            &bods_ownership(
                "chain-0.3.json",
                "0a3c0000-0000-4000-8000-00000000000v",
                &[],
            ),
            "0a3c0000-0000-4000-8000-00000000000x",
        ),
        (24.0, 24.0),
    );
}

#[test]
fn bods_band_then_share() {
    let listing = bods_ownership("band-0.4.jsonl", "r-data", &[]);
    close(economic(&listing, "p-person"), (20.0, 30.0));
    let person = listing["owners"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["owner"] == "p-person"))
        .expect("p-person");
    assert_eq!(person["economic"]["max_exclusive"], true);
}

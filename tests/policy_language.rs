//! The policy language through the library API: shipped policies, typecheck diagnostics with
//! their positions, three-valued evaluation, evidence and messages.

use std::collections::BTreeMap;

use vrisk::limits::Limits;
use vrisk::policy::{self, Policy};
use vrisk::source::{FileId, SourceFile, SourceMap};

const SHIPPED: &[&str] = &[
    "competitor-ownership",
    "competitor-control",
    "sensitive-data-competitor-stake",
    "leadership-to-competitor",
    "customer-concentration",
    "stale-review",
    "expired-attestation",
];

fn shipped_source(id: &str) -> SourceFile {
    let path = format!("{}/policies/{id}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    SourceFile::new(format!("policies/{id}.yaml"), None, text)
}

fn shipped(id: &str) -> Policy {
    let source = shipped_source(id);
    match policy::load_policy(FileId(0), &source, &BTreeMap::new(), &Limits::default()) {
        Ok(p) => p,
        Err(problems) => {
            let mut sources = SourceMap::new();
            sources.add(source);
            let text: Vec<String> = problems.iter().map(|p| p.render(&sources, 100)).collect();
            panic!("{id} does not load:\n{}", text.join("\n"));
        }
    }
}

#[test]
fn every_shipped_policy_loads() {
    for id in SHIPPED {
        let p = shipped(id);
        assert_eq!(&p.id, id);
    }
}

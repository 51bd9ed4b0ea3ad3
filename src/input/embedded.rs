//! The seeded registry and the shipped policies, compiled into the binary so that `vrisk check`
//! works from any directory after `cargo install`.

use crate::input::source::SourceFile;

/// Each embedded file with the name it has in the repository.
macro_rules! embed {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../", $dir, "/", $name)))),*]
    };
}

const REGISTRY: &[(&str, &str)] = embed!("registry":
    "competitors.yaml",
    "organisations.yaml",
    "ownership.yaml",
    "people.yaml",
    "sources.yaml",
    "vendors.yaml",
);

const POLICIES: &[(&str, &str)] = embed!("policies":
    "competitor-control.yaml",
    "competitor-ownership.yaml",
    "customer-concentration.yaml",
    "expired-attestation.yaml",
    "leadership-to-competitor.yaml",
    "sensitive-data-competitor-stake.yaml",
    "stale-review.yaml",
);

const POLICY_TESTS: &[(&str, &str)] = embed!("policies":
    "competitor-control.test.yaml",
    "competitor-ownership.test.yaml",
    "customer-concentration.test.yaml",
    "expired-attestation.test.yaml",
    "leadership-to-competitor.test.yaml",
    "sensitive-data-competitor-stake.test.yaml",
    "stale-review.test.yaml",
);

/// The names of the embedded files, for the test that keeps them in step with the repository.
pub fn embedded_names() -> (Vec<&'static str>, Vec<&'static str>) {
    (
        REGISTRY.iter().map(|(n, _)| *n).collect(),
        POLICIES.iter().map(|(n, _)| *n).collect(),
    )
}

/// The names of the embedded policy tests, for the same test.
pub fn embedded_test_names() -> Vec<&'static str> {
    POLICY_TESTS.iter().map(|(n, _)| *n).collect()
}

/// The shipped policies and their tests as (file name, text), for `vrisk policies export`.
/// The tests run on `registry: builtin`, so they pass wherever they are written.
pub fn policy_set_texts() -> Vec<(&'static str, &'static str)> {
    POLICIES.iter().chain(POLICY_TESTS).copied().collect()
}

/// The embedded shipped policies, named as in the repository.
pub fn policy_files() -> Vec<SourceFile> {
    files("policies", POLICIES)
}

/// The embedded registry files, named as in the repository.
pub fn registry_files() -> Vec<SourceFile> {
    files("registry", REGISTRY)
}

fn files(dir: &str, list: &[(&str, &str)]) -> Vec<SourceFile> {
    list.iter()
        .map(|(name, text)| SourceFile::new(format!("{dir}/{name}"), None, *text).into_builtin())
        .collect()
}

//! A set of policies: policy files read within the limits, each loaded with its parameter
//! overrides, and the ids checked to be unique across the set.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::source::{Loc, SourceFile, SourceMap};

use super::Policy;

/// Loads every file as a policy with the parameter `overrides` of its id (policy id -> name ->
/// value); duplicate ids and an empty set are errors.
pub fn load_all(
    files: Vec<SourceFile>,
    sources: &mut SourceMap,
    limits: &Limits,
    overrides: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Vec<Policy>, Vec<Problem>> {
    let no_overrides = BTreeMap::new();
    let mut policies = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let id = sources.add(file);
        // Overrides are keyed by policy id, which is only known once the file is read: peek it.
        let policy_id = super::peek_id_within(sources.get(id), limits);
        let params = policy_id
            .and_then(|pid| overrides.get(&pid))
            .unwrap_or(&no_overrides);
        match super::load_policy(id, sources.get(id), params, limits) {
            Ok(policy) => policies.push(policy),
            Err(p) => problems.extend(p),
        }
    }
    let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
    for policy in &policies {
        if let Some(first) = seen.get(&policy.id) {
            problems.push(
                Problem::new(
                    "policy::duplicate-id",
                    format!("two policies have the id `{}`", policy.id),
                )
                .at(policy.id_loc, "declared again here")
                .at(*first, "first declared here")
                .with_help("policy ids must be unique; rename one"),
            );
        } else {
            seen.insert(policy.id.clone(), policy.id_loc);
        }
    }
    if policies.is_empty() && problems.is_empty() {
        problems.push(
            Problem::new("policy::none", "no policy to evaluate")
                .with_help("point --policies at a directory of policy files"),
        );
    }
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(policies)
}

/// Reads the policy files under `paths` (test files excluded), within the limits.
pub fn read_files(
    paths: &[PathBuf],
    limits: &Limits,
    sources: &mut SourceMap,
) -> Result<Vec<SourceFile>, Vec<Problem>> {
    let mut files = crate::input::files::expand(paths, crate::registry::EXTENSIONS, "policy")
        .map_err(|p| vec![p])?;
    files.retain(|path| !super::is_test_file(path));
    if files.len() > limits.max_policies {
        return Err(vec![crate::input::limits::too_many_files(
            crate::input::limits::Limit::Policies,
            limits,
            &files[limits.max_policies],
            files.len(),
            sources,
        )]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match crate::input::source::read_file_into(
            &path,
            &path.display().to_string(),
            limits,
            sources,
        ) {
            Ok(file) => out.push(file),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

//! Where a command's inputs come from when the command line does not say: the limits from the
//! flags, and the registry and policies from the flags, ./registry and ./policies, else the
//! embedded copies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::args::LimitArgs;
use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::source::SourceMap;
use crate::policy::{self, Policy};
use crate::registry::{self, Registry};

pub fn limits_from(args: &LimitArgs) -> Limits {
    let mut limits = Limits::default();
    if let Some(bytes) = args.max_file_bytes {
        limits.max_file_bytes = bytes;
    }
    if let Some(depth) = args.max_depth {
        // `parse_depth` keeps it under the ceiling; the `min` is for a caller that did not.
        limits.max_depth = depth.min(crate::input::limits::DEPTH_CEILING);
    }
    if let Some(n) = args.max_element_visits {
        limits.max_element_visits = n;
    }
    if let Some(n) = args.max_trace_nodes {
        limits.max_trace_nodes = n;
    }
    let counts = [
        (args.max_nodes, &mut limits.max_nodes),
        (args.max_aliases, &mut limits.max_aliases),
        (args.max_alias_expansion, &mut limits.max_alias_expansion),
        (args.max_string_bytes, &mut limits.max_string_bytes),
        (args.max_organisations, &mut limits.max_organisations),
        (args.max_stakes, &mut limits.max_stakes),
        (args.max_policies, &mut limits.max_policies),
    ];
    for (flag, limit) in counts {
        if let Some(n) = flag {
            *limit = n;
        }
    }
    limits
}

/// Where the registry comes from: explicit paths, ./registry, or the embedded copy.
pub fn load_registry(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    if !paths.is_empty() {
        return registry::load(paths, sources, limits);
    }
    let local = PathBuf::from("registry");
    if local.is_dir() {
        return registry::load(&[local], sources, limits);
    }
    registry::load_files(crate::input::embedded::registry_files(), sources, limits)
}

/// Where the policies come from: explicit paths, ./policies, or the embedded copies.
pub fn load_policies(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
    overrides: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<Vec<Policy>, Vec<Problem>> {
    let files = if !paths.is_empty() {
        policy::set::read_files(paths, limits, sources)?
    } else if Path::new("policies").is_dir() {
        policy::set::read_files(&[PathBuf::from("policies")], limits, sources)?
    } else {
        crate::input::embedded::policy_files()
    };
    policy::set::load_all(files, sources, limits, overrides)
}

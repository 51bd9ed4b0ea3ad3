//! The project configuration file, `vrisk.yaml`: paths, point of view, parameters, failing
//! threshold and reports. Paths in it (inputs and report targets) are relative to the file.
//! Command-line flags win.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::schema::{self, SchemaKind};
use crate::input::source::{Loc, SourceMap, read_file_into};
use crate::input::yaml::{self, Node, Value};

pub const FILE_NAME: &str = "vrisk.yaml";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub registry: Vec<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub waivers: Option<PathBuf>,
    pub org: Option<String>,
    pub fail_on: Option<String>,
    pub fail_on_indeterminate: Option<bool>,
    pub waiver_warning_days: Option<i64>,
    /// policy id -> parameter name -> value text.
    pub params: BTreeMap<String, BTreeMap<String, String>>,
    /// `NAME` or `NAME=PATH`, as written; a PATH is relative to [`Config::dir`].
    pub formats: Vec<String>,
    /// The directory of the file, which its paths are relative to (empty: no file).
    pub dir: PathBuf,
    /// Where each setting is written, for problems about a value that came from this file:
    /// `org`, `waivers`, `registry.0`, `policies.1`, `params.POLICY`.
    pub locs: BTreeMap<String, Loc>,
}

/// Reads `vrisk.yaml` from `dir` if it exists.
pub fn discover(
    dir: &Path,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Option<Config>, Vec<Problem>> {
    let path = dir.join(FILE_NAME);
    // Anything of that name is read, so that one that is not a regular file is reported
    // rather than skipped.
    if path.symlink_metadata().is_err() {
        return Ok(None);
    }
    load(&path, sources, limits).map(Some)
}

pub fn load(path: &Path, sources: &mut SourceMap, limits: &Limits) -> Result<Config, Vec<Problem>> {
    let file =
        read_file_into(path, &path.display().to_string(), limits, sources).map_err(|p| vec![p])?;
    let id = sources.add(file);
    let document = yaml::parse(id, sources.get(id), limits).map_err(|p| vec![p])?;
    let problems = schema::validate(SchemaKind::Config, &document);
    if !problems.is_empty() {
        return Err(problems);
    }
    let base = path.parent().unwrap_or(Path::new("."));
    Ok(from_document(&document, base))
}

fn from_document(document: &Node, base: &Path) -> Config {
    let strings = |key: &str| -> Vec<String> {
        document
            .get(key)
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect()
    };
    let text = |key: &str| {
        document
            .get(key)
            .and_then(|n| n.as_str())
            .map(str::to_string)
    };
    let mut params = BTreeMap::new();
    for (policy, values) in document.get("params").and_then(Node::as_map).unwrap_or(&[]) {
        let mut map = BTreeMap::new();
        for (name, value) in values.as_map().unwrap_or(&[]) {
            let value = match &value.value {
                Value::Str(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => continue,
            };
            map.insert(name.name.clone(), value);
        }
        params.insert(policy.name.clone(), map);
    }
    let mut locs = BTreeMap::new();
    for (key, value) in document.as_map().unwrap_or(&[]) {
        locs.insert(key.name.clone(), value.loc);
        for (i, item) in value.as_seq().unwrap_or(&[]).iter().enumerate() {
            locs.insert(format!("{}.{i}", key.name), item.loc);
        }
        for (inner, _) in value.as_map().unwrap_or(&[]) {
            locs.insert(format!("{}.{}", key.name, inner.name), inner.loc);
        }
    }
    Config {
        registry: strings("registry").iter().map(|p| base.join(p)).collect(),
        policies: strings("policies").iter().map(|p| base.join(p)).collect(),
        waivers: text("waivers").map(|p| base.join(p)),
        org: text("org"),
        fail_on: text("fail_on"),
        fail_on_indeterminate: match document.get("fail_on_indeterminate").map(|n| &n.value) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        },
        waiver_warning_days: match document.get("waiver_warning_days").map(|n| &n.value) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        },
        params,
        formats: strings("formats"),
        dir: base.to_path_buf(),
        locs,
    }
}

impl Config {
    /// Labels `problem` with where `key` is set in the configuration, if it is.
    pub fn locate(&self, problem: Problem, key: &str, label: &str) -> Problem {
        match self.locs.get(key) {
            Some(loc) => problem.at(*loc, label),
            None => problem,
        }
    }

    /// Paths named in the file that do not exist, or are neither a file nor a directory (a
    /// named pipe, a device), each reported where it is written. Only the settings in use are
    /// checked (`registry` and `policies` unless given by flag).
    pub fn missing_paths(&self, registry: bool, policies: bool) -> Vec<Problem> {
        let mut lists: Vec<(&str, &[PathBuf])> = Vec::new();
        if registry {
            lists.push(("registry", &self.registry));
        }
        if policies {
            lists.push(("policies", &self.policies));
        }
        let mut problems = Vec::new();
        for (key, paths) in lists {
            for (i, path) in paths.iter().enumerate() {
                let place = format!("{key}.{i}");
                match std::fs::metadata(path) {
                    Err(_) => {
                        let problem = Problem::new(
                            "config::missing-path",
                            format!("`{key}` names {}, which does not exist", path.display()),
                        )
                        .with_help("paths in vrisk.yaml are relative to the file itself");
                        problems.push(self.locate(problem, &place, "not found"));
                    }
                    Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                        let problem =
                            crate::input::source::not_a_file(&path.display().to_string(), &meta);
                        problems.push(self.locate(problem, &place, "not a file or directory"));
                    }
                    Ok(_) => {}
                }
            }
        }
        problems
    }
}

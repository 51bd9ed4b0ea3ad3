//! The project configuration file, `vrisk.yaml`: paths, point of view, parameters, failing
//! threshold and reports. Paths in it (inputs and report targets) are relative to the file;
//! in `policies`, the word `builtin` names the shipped policy set. Command-line flags win.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::inputs::PolicySource;
use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::schema::{self, SchemaKind};
use crate::input::source::{Loc, SourceMap, read_file_into};
use crate::input::yaml::{self, Node, Value};

pub const FILE_NAME: &str = "vrisk.yaml";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// `None` when the file does not say; an empty list is kept, to be reported.
    pub registry: Option<Vec<PathBuf>>,
    pub policies: Option<Vec<PolicySource>>,
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
    /// The start of the file, for problems about what it does not say.
    pub start: Option<Loc>,
}

/// Reads `vrisk.yaml` from `dir` if it exists.
pub fn discover(
    dir: &Path,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Option<Config>, Vec<Problem>> {
    // `vrisk.yaml`, not `./vrisk.yaml`: the name diagnostics show, and the base of its paths.
    let path = if dir == Path::new(".") {
        PathBuf::from(FILE_NAME)
    } else {
        dir.join(FILE_NAME)
    };
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
    let listed = |key: &str| -> Option<Vec<String>> {
        document.get(key).and_then(Node::as_seq).map(|items| {
            items
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
    };
    let strings = |key: &str| listed(key).unwrap_or_default();
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
        registry: listed("registry").map(|l| l.iter().map(|p| base.join(p)).collect()),
        policies: listed("policies")
            .map(|l| l.iter().map(|p| PolicySource::parse(p, base)).collect()),
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
        start: Some(document.loc),
    }
}

impl Config {
    /// Labels `problem` with where `key` is set in the configuration, if it is; the empty key
    /// is the start of the file.
    pub fn locate(&self, problem: Problem, key: &str, label: &str) -> Problem {
        let loc = if key.is_empty() {
            self.start.as_ref()
        } else {
            self.locs.get(key)
        };
        match loc {
            Some(loc) => problem.at(*loc, label),
            None => problem,
        }
    }

    /// Paths named in the file that do not exist, or are neither a file nor a directory (a
    /// named pipe, a device), each reported where it is written. Only the settings in use are
    /// checked (`registry` and `policies` unless given by flag).
    pub fn missing_paths(&self, registry: bool, policies: bool) -> Vec<Problem> {
        let mut lists: Vec<(&str, Vec<Option<&PathBuf>>)> = Vec::new();
        if registry {
            let paths = self.registry.iter().flatten().map(Some).collect();
            lists.push(("registry", paths));
        }
        if policies {
            let paths = self
                .policies
                .iter()
                .flatten()
                .map(|s| match s {
                    PolicySource::Path(p) => Some(p),
                    PolicySource::Builtin => None,
                })
                .collect();
            lists.push(("policies", paths));
        }
        let mut problems = Vec::new();
        for (key, paths) in lists {
            for (i, path) in paths.iter().enumerate() {
                let Some(path) = path else {
                    continue;
                };
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

//! Test files -> a suite ready to run: each test file read and checked, its policy loaded once
//! (and again per case with that case's parameters), each case's registry loaded, its point of
//! view and expected vendors checked against that registry.
//!
//! Everything that can be wrong with the input is found here, before anything runs, so that a
//! run either reports located problems (exit 2) or runs every case.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::limits::Limits;
use crate::input::source::{FileId, Loc, SourceMap, read_file};
use crate::input::yaml::{self, Node, Value};
use crate::policy::{self, Policy, literal, params};
use crate::registry::{self, At, Registry};
use crate::value::date::Date;

use super::discover::{Found, normalize, policy_beside};
use super::format::{self, CaseSpec, Expectation, RegistrySpec, TestFile};
use super::root::ProjectRoot;

/// Every case to run, grouped by the policy it tests.
pub struct Suite {
    pub groups: Vec<Group>,
    /// Policy files met in the given directories that no test file tests.
    pub untested: Vec<String>,
}

/// One policy and its cases, from one or more test files.
pub struct Group {
    pub policy_file: String,
    /// The policy with its defaults: where the coverage leaves come from.
    pub base: Policy,
    pub cases: Vec<Case>,
}

pub struct Case {
    pub name: String,
    pub name_loc: Loc,
    /// The policy with this case's parameters.
    pub policy: Policy,
    pub registry: Rc<Registry>,
    pub org: String,
    pub as_of: Date,
    pub expect: Vec<Expectation>,
}

/// Loads everything `found` names, reading only inside `root`. `filter` keeps only the cases
/// whose name contains it.
pub fn prepare(
    found: &Found,
    filter: Option<&str>,
    root: &ProjectRoot,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Suite, Vec<Problem>> {
    let mut loader = Loader {
        root,
        sources,
        limits,
        problems: Vec::new(),
        groups: Vec::new(),
        registries: BTreeMap::new(),
        builtin: None,
    };
    for test in &found.tests {
        loader.test_file(test, filter);
    }
    let mut problems = loader.problems;
    if problems.is_empty() && filter.is_some() && loader.groups.iter().all(|g| g.cases.is_empty()) {
        problems.push(
            Problem::new(
                "test::no-match",
                format!("no case name contains `{}`", filter.unwrap_or_default()),
            )
            .with_help("check the spelling, or run without --filter to list every case"),
        );
    }
    if !problems.is_empty() {
        // An inline registry that cases share through an alias is loaded once per case: its
        // problems are reported once, with the aliases.
        return Err(crate::input::diagnostic::merge_repeats(problems));
    }
    let tested: Vec<&PathBuf> = loader.groups.iter().map(|g| &g.key).collect();
    let untested = found
        .candidates
        .iter()
        .filter(|c| !tested.contains(&&identity(c)))
        .filter(|c| root.contains(c, None).is_ok() && looks_like_policy(c, limits))
        .map(|c| c.display().to_string())
        .collect();
    Ok(Suite {
        groups: loader
            .groups
            .into_iter()
            .filter(|g| !g.cases.is_empty())
            .map(|g| Group {
                policy_file: g.display,
                base: g.base,
                cases: g.cases,
            })
            .collect(),
        untested,
    })
}

struct Loader<'a> {
    root: &'a ProjectRoot,
    sources: &'a mut SourceMap,
    limits: &'a Limits,
    problems: Vec<Problem>,
    groups: Vec<GroupBuilder>,
    /// Registries loaded from files, by their paths; `None` when loading failed (reported once).
    registries: BTreeMap<Vec<PathBuf>, Option<Rc<Registry>>>,
    /// The built-in registry, once loaded.
    builtin: Option<Rc<Registry>>,
}

struct GroupBuilder {
    key: PathBuf,
    display: String,
    file: FileId,
    base: Policy,
    cases: Vec<Case>,
}

/// The identity of a file: its canonical path when it has one.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Loader<'_> {
    fn test_file(&mut self, path: &Path, filter: Option<&str>) {
        if let Err(problem) = self.root.contains(path, None) {
            self.problems.push(problem);
            return;
        }
        let Some((test, document_loc)) = self.read_test(path) else {
            return;
        };
        let policy_path = match &test.policy {
            Some(p) => match self.root.resolve(path, p) {
                Ok(policy_path) => policy_path,
                Err(problem) => {
                    self.problems.push(problem);
                    return;
                }
            },
            None => policy_beside(path),
        };
        if !policy_path.is_file() {
            let (loc, label) = match &test.policy {
                Some(p) => (p.loc, "no such file"),
                None => (document_loc, "the tests of a policy that is not there"),
            };
            self.problems.push(
                Problem::new(
                    "test::no-policy",
                    format!("the policy {} does not exist", policy_path.display()),
                )
                .at(loc, label)
                .with_help(
                    "put the policy beside its tests with the same NAME (NAME.yaml and \
                     NAME.test.yaml), or name it with `policy: PATH` relative to the test file",
                ),
            );
            return;
        }
        if let Err(problem) = self.root.contains(&policy_path, Some(document_loc)) {
            self.problems.push(problem);
            return;
        }
        let Some(group) = self.group(&policy_path) else {
            return;
        };
        for spec in &test.cases {
            if filter.is_some_and(|f| !spec.name.value.contains(f)) {
                continue;
            }
            if let Some(case) = self.case(path, group, spec) {
                self.groups[group].cases.push(case);
            }
        }
    }

    fn read_test(&mut self, path: &Path) -> Option<(TestFile, Loc)> {
        let display = normalize(path).display().to_string();
        let file = match read_file(path, &display, self.limits) {
            Ok(file) => file,
            Err(problem) => {
                self.problems.push(problem);
                return None;
            }
        };
        let id = self.sources.add(file);
        let document = match yaml::parse(id, self.sources.get(id), self.limits) {
            Ok(document) => document,
            Err(problem) => {
                self.problems.push(problem);
                return None;
            }
        };
        let (test, problems) = format::parse(&document);
        self.problems.extend(problems);
        test.map(|t| (t, document.loc))
    }

    /// The index of the group of the policy at `path`, loading the policy the first time.
    fn group(&mut self, path: &Path) -> Option<usize> {
        let key = identity(path);
        if let Some(i) = self.groups.iter().position(|g| g.key == key) {
            return Some(i);
        }
        let display = path.display().to_string();
        let file = match read_file(path, &display, self.limits) {
            Ok(file) => file,
            Err(problem) => {
                self.problems.push(problem);
                return None;
            }
        };
        let id = self.sources.add(file);
        match policy::load_policy(id, self.sources.get(id), &BTreeMap::new(), self.limits) {
            Ok(base) => {
                self.groups.push(GroupBuilder {
                    key,
                    display,
                    file: id,
                    base,
                    cases: Vec::new(),
                });
                Some(self.groups.len() - 1)
            }
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }

    fn case(&mut self, test_path: &Path, group: usize, spec: &CaseSpec) -> Option<Case> {
        let policy = self.policy_with_params(group, spec)?;
        let registry = self.registry(test_path, &spec.registry)?;
        self.check_org(&registry, &spec.org)?;
        let vendors: Vec<&str> = registry
            .vendors
            .iter()
            .filter(|v| v.customer.id == spec.org.value)
            .map(|v| v.vendor.id.as_str())
            .collect();
        let before = self.problems.len();
        for e in &spec.expect {
            if !vendors.contains(&e.vendor.value.as_str()) {
                self.problems
                    .push(unknown_vendor(&e.vendor, &spec.org.value, &vendors));
            }
        }
        if self.problems.len() > before {
            return None;
        }
        Some(Case {
            name: spec.name.value.clone(),
            name_loc: spec.name.loc,
            policy,
            registry,
            org: spec.org.value.clone(),
            as_of: spec.as_of.value,
            expect: spec.expect.clone(),
        })
    }

    /// The group's policy loaded again with the case's parameters, each checked first so that
    /// a wrong one is reported in the test file rather than in the policy.
    fn policy_with_params(&mut self, group: usize, spec: &CaseSpec) -> Option<Policy> {
        let base = &self.groups[group].base;
        if spec.params.is_empty() {
            return Some(base.clone());
        }
        let mut overrides = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, node) in &spec.params {
            let Some(param) = base.param(&name.value) else {
                problems.push(unknown_param(name, base));
                continue;
            };
            match literal::from_node(node, param.ty) {
                Ok(_) => {
                    overrides.insert(name.value.clone(), override_text(node));
                }
                Err(err) => problems.push(params::literal_problem(
                    err,
                    "test::invalid-param",
                    node.loc,
                    format!("parameter `{}` of `{}`", name.value, base.id),
                    param.ty.example(),
                )),
            }
        }
        if !problems.is_empty() {
            self.problems.extend(problems);
            return None;
        }
        let file = self.groups[group].file;
        match policy::load_policy(file, self.sources.get(file), &overrides, self.limits) {
            Ok(policy) => Some(policy),
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }

    fn registry(&mut self, test_path: &Path, spec: &RegistrySpec) -> Option<Rc<Registry>> {
        match spec {
            RegistrySpec::Inline(node) => match registry::load_node(node) {
                Ok(r) => Some(Rc::new(r)),
                Err(problems) => {
                    self.problems.extend(problems);
                    None
                }
            },
            RegistrySpec::Builtin => {
                if self.builtin.is_none() {
                    let files = crate::input::embedded::registry_files();
                    match registry::load_files(files, self.sources, self.limits) {
                        Ok(r) => self.builtin = Some(Rc::new(r)),
                        // The built-in registry is valid: vrisk's own tests load it.
                        Err(problems) => self.problems.extend(problems),
                    }
                }
                self.builtin.clone()
            }
            RegistrySpec::Files(entries) => {
                let mut paths = Vec::new();
                let mut files = Vec::new();
                for entry in entries {
                    let path = match self.root.resolve(test_path, entry) {
                        Ok(path) => path,
                        Err(problem) => {
                            self.problems.push(problem);
                            return None;
                        }
                    };
                    if !path.exists() {
                        self.problems.push(
                            Problem::new(
                                "test::no-registry",
                                format!("registry path {} does not exist", path.display()),
                            )
                            .at(entry.loc, "no such file or directory")
                            .with_help("registry_files are relative to the test file"),
                        );
                        return None;
                    }
                    // The files under a directory stay inside the project too: a link among
                    // them must not lead out.
                    let found = crate::input::files::expand(
                        std::slice::from_ref(&path),
                        registry::INPUT_EXTENSIONS,
                        "registry",
                    )
                    .and_then(|found| {
                        for file in &found {
                            self.root.contains(file, Some(entry.loc))?;
                        }
                        Ok(found)
                    });
                    match found {
                        Ok(found) => files.extend(found),
                        Err(problem) => {
                            self.problems.push(problem);
                            return None;
                        }
                    }
                    paths.push(path);
                }
                let key: Vec<PathBuf> = paths.iter().map(|p| identity(p)).collect();
                if let Some(cached) = self.registries.get(&key) {
                    return cached.clone();
                }
                let loaded = match registry::load(&files, self.sources, self.limits) {
                    Ok(r) => Some(Rc::new(r)),
                    Err(problems) => {
                        self.problems.extend(problems);
                        None
                    }
                };
                self.registries.insert(key, loaded.clone());
                loaded
            }
        }
    }

    fn check_org(&mut self, registry: &Registry, org: &At<String>) -> Option<()> {
        if registry.org(&org.value).is_some() {
            return Some(());
        }
        let ids = registry.organisations.iter().map(|o| o.id.value.as_str());
        let problem = Problem::new(
            "test::unknown-org",
            format!("`{}` is no organisation of this case's registry", org.value),
        )
        .at(org.loc, "the point of view must be in the registry");
        self.problems.push(match did_you_mean(&org.value, ids) {
            Some(s) => problem.with_help(format!("did you mean `{s}`?")),
            None => problem.with_help("add the organisation to the registry, or fix the id"),
        });
        None
    }
}

fn unknown_vendor(vendor: &At<String>, org: &str, vendors: &[&str]) -> Problem {
    let problem = Problem::new(
        "test::unknown-vendor",
        format!(
            "`{}` is not a vendor of `{org}` in this case's registry",
            vendor.value
        ),
    )
    .at(vendor.loc, "no such vendor relationship");
    match did_you_mean(&vendor.value, vendors.iter().copied()) {
        Some(s) => problem.with_help(format!("did you mean `{s}`?")),
        None if vendors.is_empty() => problem.with_help(format!(
            "the registry has no vendor relationship with `customer: {org}`"
        )),
        None => problem.with_help(format!("vendors of `{org}`: {}", vendors.join(", "))),
    }
}

fn unknown_param(name: &At<String>, policy: &Policy) -> Problem {
    let declared: Vec<&str> = policy.params.iter().map(|p| p.name.as_str()).collect();
    let problem = Problem::new(
        "test::unknown-param",
        format!("policy `{}` has no parameter `{}`", policy.id, name.value),
    )
    .at(name.loc, "not a parameter of the policy");
    match did_you_mean(&name.value, declared.iter().copied()) {
        Some(s) => problem.with_help(format!("did you mean `{s}`?")),
        None if declared.is_empty() => {
            problem.with_help(format!("policy `{}` has no parameters", policy.id))
        }
        None => problem.with_help(format!("its parameters are: {}", declared.join(", "))),
    }
}

/// A checked parameter value as the text an override is given in (`--param` style); a list
/// becomes the comma-separated form of a text-list.
fn override_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(","),
        Value::Null | Value::Map(_) => String::new(),
    }
}

/// Whether a YAML file met in a directory is a policy (it has `fails_when`), so that registry
/// files kept beside policies are not reported as untested policies.
fn looks_like_policy(path: &Path, limits: &Limits) -> bool {
    let Ok(file) = read_file(path, &path.display().to_string(), limits) else {
        return false;
    };
    yaml::parse(FileId::default(), &file, limits).is_ok_and(|d| d.get("fails_when").is_some())
}

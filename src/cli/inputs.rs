//! Where a command's inputs come from: the limits from the flags; the registry and the policies
//! from the flags, else vrisk.yaml, else ./registry and ./policies. The built-in example (the
//! seeded registry) is used only when the user has nothing of their own, or asks for it with
//! `--example`; a user registry without policies gets the built-in policy set. Each of those
//! choices is said once on stderr, so that no run checks something the user did not mean.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::cli::args::{InputArgs, LimitArgs};
use crate::cli::config::{self, Config};
use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::source::SourceMap;
use crate::policy::{self, Policy};
use crate::registry::snapshot::Check;
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

/// The name of the shipped policy set, in `--policies` and in vrisk.yaml's `policies`.
pub const BUILTIN: &str = "builtin";

/// One entry of a policy list: the shipped set, or a policy file or directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySource {
    Builtin,
    Path(PathBuf),
}

impl PolicySource {
    /// `builtin` names the shipped set; anything else is a path, joined to `base` when relative
    /// (a directory that happens to be called `builtin` is written `./builtin`).
    pub fn parse(text: &str, base: &Path) -> PolicySource {
        if text == BUILTIN {
            PolicySource::Builtin
        } else {
            PolicySource::Path(base.join(text))
        }
    }

    fn from_flag(path: &Path) -> PolicySource {
        if path.as_os_str() == BUILTIN {
            PolicySource::Builtin
        } else {
            PolicySource::Path(path.to_path_buf())
        }
    }
}

/// Where the registry comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryInput {
    Paths(Vec<PathBuf>),
    /// The seeded registry compiled into the binary.
    Example,
    /// No registry: `vrisk validate` of policies alone.
    None,
}

/// What the command line asked for.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub registry: &'a [PathBuf],
    pub policies: &'a [PathBuf],
    pub example: bool,
    /// Whether the command evaluates policies (`ownership` and `graph` read only a registry).
    pub uses_policies: bool,
    /// Whether the command can do without a registry when there are policies (`vrisk
    /// validate` checks policies alone).
    pub registry_optional: bool,
}

/// The inputs a command reads, and what to say about them on stderr first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub registry: RegistryInput,
    pub policies: Vec<PolicySource>,
    pub notes: Vec<String>,
}

/// Whether the run is in CI: `CI` set to anything but empty, `false` or `0`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Reads `--config PATH`, else `./vrisk.yaml` when there is one.
pub fn read_config(
    explicit: Option<&Path>,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Option<Config>, Vec<Problem>> {
    match explicit {
        Some(path) => config::load(path, sources, limits).map(Some),
        None => config::discover(Path::new("."), sources, limits),
    }
}

/// A command's configuration (empty without vrisk.yaml) and the inputs it reads.
pub struct Inputs {
    pub config: Config,
    pub plan: Plan,
}

impl Inputs {
    /// For a command with the common input flags: reads ./vrisk.yaml (not with --example) and
    /// plans the inputs.
    pub fn gather(
        args: &InputArgs,
        sources: &mut SourceMap,
        limits: &Limits,
    ) -> Result<Inputs, Vec<Problem>> {
        let request = Request {
            registry: &args.registry,
            policies: &args.policies,
            example: args.example,
            uses_policies: true,
            registry_optional: false,
        };
        Inputs::read(request, None, sources, limits)
    }

    /// Reads the configuration (`explicit`, else ./vrisk.yaml; none with --example) and plans.
    pub fn read(
        request: Request,
        explicit: Option<&Path>,
        sources: &mut SourceMap,
        limits: &Limits,
    ) -> Result<Inputs, Vec<Problem>> {
        let config = if request.example {
            None
        } else {
            read_config(explicit, sources, limits)?
        };
        Inputs::plan(request, config)
    }

    /// Plans the inputs of `request` under `config`, and checks that the paths the plan takes
    /// from the configuration exist.
    pub fn plan(request: Request, config: Option<Config>) -> Result<Inputs, Vec<Problem>> {
        let plan = plan(&request, config.as_ref(), in_ci())?;
        let config = config.unwrap_or_default();
        let missing = config.missing_paths(
            request.registry.is_empty(),
            request.policies.is_empty() && request.uses_policies,
        );
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Inputs { config, plan })
    }
}

/// Decides where the registry and the policies come from (see the module comment). `ci`: the
/// run is in CI, where the example is never used unless asked for.
pub fn plan(request: &Request, config: Option<&Config>, ci: bool) -> Result<Plan, Vec<Problem>> {
    let flag_policies: Vec<PolicySource> = request
        .policies
        .iter()
        .map(|p| PolicySource::from_flag(p))
        .collect();
    if request.example {
        let policies = if flag_policies.is_empty() {
            vec![PolicySource::Builtin]
        } else {
            flag_policies
        };
        let notes = vec![example_note(request.uses_policies, &policies)];
        return Ok(Plan {
            registry: RegistryInput::Example,
            policies,
            notes,
        });
    }
    let mut problems = Vec::new();
    let registry: Option<Vec<PathBuf>> = if !request.registry.is_empty() {
        Some(request.registry.to_vec())
    } else if let Some(list) = config.and_then(|c| c.registry.as_ref()) {
        if list.is_empty() {
            problems.extend(config.map(|c| empty_list(c, "registry")));
        }
        Some(list.clone())
    } else {
        Path::new("registry")
            .is_dir()
            .then(|| vec![PathBuf::from("registry")])
    };
    let policies: Option<Vec<PolicySource>> = if !flag_policies.is_empty() {
        Some(flag_policies)
    } else if let Some(list) = config.and_then(|c| c.policies.as_ref()) {
        if list.is_empty() && request.uses_policies {
            problems.extend(config.map(|c| empty_list(c, "policies")));
        }
        Some(list.clone())
    } else {
        Path::new("policies")
            .is_dir()
            .then(|| vec![PolicySource::Path(PathBuf::from("policies"))])
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut notes = Vec::new();
    let registry = match (registry, &policies, config) {
        (Some(paths), _, _) => RegistryInput::Paths(paths),
        (None, None, None) if ci => return Err(vec![example_in_ci()]),
        (None, None, None) => {
            notes.push(fallback_note(request.uses_policies));
            RegistryInput::Example
        }
        (None, Some(_), _) if request.registry_optional => RegistryInput::None,
        (None, _, _) => return Err(vec![no_registry(config)]),
    };
    let policies = match policies {
        Some(list) => list,
        None => {
            if request.uses_policies && registry != RegistryInput::Example {
                notes.push(format!(
                    "no policies given: checking with the built-in set `{BUILTIN}` (`vrisk policies \
                     list` shows them; `vrisk policies export DIR` writes them to edit)"
                ));
            }
            vec![PolicySource::Builtin]
        }
    };
    Ok(Plan {
        registry,
        policies,
        notes,
    })
}

fn example_note(uses_policies: bool, policies: &[PolicySource]) -> String {
    let with = if !uses_policies {
        String::new()
    } else if policies == [PolicySource::Builtin] {
        " with the built-in policies".to_string()
    } else {
        " with the policies given".to_string()
    };
    format!("--example: reading vrisk's built-in example registry (the Scale AI case){with}")
}

fn fallback_note(uses_policies: bool) -> String {
    let what = if uses_policies {
        "the built-in example registry (the Scale AI case) with the built-in policies"
    } else {
        "the built-in example registry (the Scale AI case)"
    };
    format!(
        "no registry, policies or vrisk.yaml here: reading {what}, not your vendors. Start your \
         own with `vrisk init --org ID --name NAME`; pass --example to say the example is meant"
    )
}

fn example_in_ci() -> Problem {
    Problem::new(
        "input::no-inputs",
        "no registry, policies or vrisk.yaml here, and this is a CI run: vrisk would check its \
         built-in example instead of your vendors",
    )
    .with_help(
        "run vrisk in the directory that holds vrisk.yaml (or registry/), give --registry or \
         --config, or pass --example if checking the built-in example is meant",
    )
}

fn no_registry(config: Option<&Config>) -> Problem {
    let problem = Problem::new(
        "input::no-registry",
        "no registry to check: no --registry, no `registry` in vrisk.yaml and no ./registry",
    )
    .with_help(
        "give --registry PATH, set `registry: [PATH]` in vrisk.yaml, or create ./registry \
         (`vrisk init` writes a starter); --example reads the built-in example instead",
    );
    match config {
        Some(c) => c.locate(problem, "", "this configuration names no registry"),
        None => problem,
    }
}

pub fn empty_list(config: &Config, key: &str) -> Problem {
    let problem = Problem::new(
        "config::empty-list",
        format!("`{key}` in vrisk.yaml is an empty list: there would be nothing to read"),
    )
    .with_help(format!(
        "name at least one file or directory under `{key}`, or remove the key to use the default"
    ));
    config.locate(problem, key, "empty")
}

/// Loads the registry the plan names.
///
/// A registry given as one snapshot is read from it, its inputs checked as `check` says.
pub fn load_registry(
    input: &RegistryInput,
    check: Check,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    match input {
        RegistryInput::Paths(paths) => registry::load_checked(paths, sources, limits, check),
        RegistryInput::Example => {
            registry::load_files(crate::input::embedded::registry_files(), sources, limits)
        }
        RegistryInput::None => Ok(Registry::default()),
    }
}

/// For a command that reads only a registry (`ownership`, `graph`): plans it as `check` would,
/// prints the notes, and loads it.
pub fn read_registry(
    flags: &[PathBuf],
    example: bool,
    check: Check,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    let request = Request {
        registry: flags,
        policies: &[],
        example,
        uses_policies: false,
        registry_optional: false,
    };
    let inputs = Inputs::read(request, None, sources, limits)?;
    crate::cli::terminal::print_notes(&inputs.plan.notes);
    load_registry(&inputs.plan.registry, check, sources, limits)
}

/// Loads the policy sources: the built-in set and the local files, a local policy with the id
/// of a built-in one taking its place. Returns the policies and the notes to print: which
/// built-in policies a local one overrides, and, when local policies are used without the
/// built-in set, which built-in policies are not in use.
pub fn load_policies(
    list: &[PolicySource],
    sources: &mut SourceMap,
    limits: &Limits,
    overrides: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<(Vec<Policy>, Vec<String>), Vec<Problem>> {
    let paths: Vec<PathBuf> = list
        .iter()
        .filter_map(|s| match s {
            PolicySource::Path(p) => Some(p.clone()),
            PolicySource::Builtin => None,
        })
        .collect();
    let with_builtin = list.contains(&PolicySource::Builtin);
    let local = if paths.is_empty() {
        Ok(Vec::new())
    } else {
        policy::set::read_files(&paths, limits, sources)
            .and_then(|files| policy::set::load_all(files, sources, limits, overrides))
    };
    let builtin = if with_builtin {
        policy::set::load_all(builtin_files(), sources, limits, overrides)
    } else {
        Ok(Vec::new())
    };
    let (local, builtin) = match (local, builtin) {
        (Ok(l), Ok(b)) => (l, b),
        (l, b) => {
            let mut problems = l.err().unwrap_or_default();
            problems.extend(b.err().unwrap_or_default());
            return Err(problems);
        }
    };
    let local_ids: BTreeSet<&str> = local.iter().map(|p| p.id.as_str()).collect();
    let mut notes = Vec::new();
    if with_builtin {
        for policy in local.iter() {
            if builtin.iter().any(|b| b.id == policy.id) {
                notes.push(format!(
                    "{} overrides the built-in policy `{}`",
                    sources.get(policy.file).name,
                    policy.id
                ));
            }
        }
    } else {
        let unused: Vec<String> = builtin_ids(limits)
            .into_iter()
            .filter(|id| !local_ids.contains(id.as_str()))
            .collect();
        if !unused.is_empty() {
            notes.push(format!(
                "built-in policies not in use: {} (add `{BUILTIN}` to --policies or to \
                 `policies` in vrisk.yaml to check them too)",
                unused.join(", ")
            ));
        }
    }
    let local_ids: BTreeSet<String> = local_ids.into_iter().map(str::to_string).collect();
    let mut policies = local;
    policies.extend(builtin.into_iter().filter(|p| !local_ids.contains(&p.id)));
    Ok((policies, notes))
}

/// The shipped policy files (tests excluded), as compiled into the binary.
pub fn builtin_files() -> Vec<crate::input::source::SourceFile> {
    crate::input::embedded::policy_files()
}

/// The ids of the shipped policies, read without loading them.
fn builtin_ids(limits: &Limits) -> Vec<String> {
    builtin_files()
        .iter()
        .filter_map(|f| policy::peek_id_within(f, limits))
        .collect()
}

//! The `vrisk test` command: which paths to test and the project they may read from, then load,
//! run, print, and the exit code (0 all cases pass, 1 some case fails, 2 the input is invalid).

use std::path::{Path, PathBuf};

use clap::Args;

use crate::cli::args::LimitArgs;
use crate::cli::config::{self, Config};
use crate::cli::exit::Exit;
use crate::cli::inputs::{PolicySource, limits_from};
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::source::SourceMap;
use crate::policy::Budget;

use crate::testing::render::{self, Style, Totals};
use crate::testing::root::ProjectRoot;
use crate::testing::{discover, prepare, run};

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test files (NAME.test.yaml), policy files (their NAME.test.yaml) or directories of them.
    /// Default: vrisk.yaml's `policies`, else ./policies.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Run only the cases whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Configuration file, for its `policies` paths; its directory is the project root, which
    /// tests read only inside. Default: ./vrisk.yaml when present.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: TestArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.limits);
    let mut sources = SourceMap::new();
    let config = match &args.config {
        Some(path) => config::load(path, &mut sources, &limits).map(Some),
        None => config::discover(Path::new("."), &mut sources, &limits),
    };
    let paths = config.and_then(|config| {
        let root = ProjectRoot::find(config.as_ref().map(|c| c.dir.as_path()));
        Ok((default_paths(&args, config)?, root))
    });
    let (paths, root) = match paths {
        Ok(found) => found,
        Err(problems) => {
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    let filter = args.filter.as_deref();
    let suite = discover::discover(&paths)
        .and_then(|found| prepare::prepare(&found, filter, &root, &mut sources, &limits));
    let suite = match suite {
        Ok(suite) => suite,
        Err(problems) => {
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    let results = match run::run(&suite, &sources, &Budget::from_limits(&limits)) {
        Ok(results) => results,
        Err(problems) => {
            terminal.report(&problems, &sources, "no test result was printed");
            return Exit::Invalid;
        }
    };
    let style = Style {
        color: terminal.stdout_color,
    };
    print_stdout(&render::render(&results, &suite.untested, &sources, style));
    if Totals::of(&results).failed == 0 {
        Exit::Ok
    } else {
        Exit::Failed
    }
}

/// PATHS, else the policy paths of vrisk.yaml (not `builtin`), else ./policies.
fn default_paths(args: &TestArgs, config: Option<Config>) -> Result<Vec<PathBuf>, Vec<Problem>> {
    if !args.paths.is_empty() {
        return Ok(args.paths.clone());
    }
    if let Some(list) = config.and_then(|c| c.policies) {
        // The built-in set is tested with vrisk itself; `vrisk policies export` makes a copy
        // whose tests run here.
        let paths: Vec<PathBuf> = list
            .into_iter()
            .filter_map(|s| match s {
                PolicySource::Path(p) => Some(p),
                PolicySource::Builtin => None,
            })
            .collect();
        if !paths.is_empty() {
            return Ok(paths);
        }
    }
    let local = PathBuf::from("policies");
    if local.is_dir() {
        return Ok(vec![local]);
    }
    Err(vec![
        Problem::new(
            "test::no-paths",
            "nothing to test: no PATHS and no ./policies",
        )
        .with_help(
            "give test files, policy files or directories, set `policies` in vrisk.yaml, \
                 or start with `vrisk new policy ID`",
        ),
    ])
}

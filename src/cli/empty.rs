//! No silent pass: a run that would check nothing is an error unless `--allow-empty` says it is
//! meant. A CI job pointed at the wrong directory, or at an organisation whose vendors were never
//! entered, must not go green because there was nothing to fail.

use std::io::Write;

use crate::input::diagnostic::Problem;
use crate::policy::Policy;
use crate::registry::Registry;
use crate::value::text::{defuse_ci_commands, neutralise};

/// With `--allow-empty`, a policy input that holds no policy is an empty list, not an error.
pub fn allow_no_policies(
    loaded: Result<(Vec<Policy>, Vec<String>), Vec<Problem>>,
    allow_empty: bool,
) -> Result<(Vec<Policy>, Vec<String>), Vec<Problem>> {
    match loaded {
        Err(problems)
            if allow_empty
                && problems
                    .iter()
                    .all(|p| p.code == "policy::none" || p.code == "input::no-files") =>
        {
            Ok((Vec::new(), Vec::new()))
        }
        other => other,
    }
}

/// The organisation has no vendor relationship: every policy would pass vacuously.
pub fn no_vendors(registry: &Registry, org: &str, allow_empty: bool) -> Option<Problem> {
    if allow_empty || registry.vendors.iter().any(|v| v.customer.id == org) {
        return None;
    }
    let problem = Problem::new(
        "check::no-vendors",
        format!("`{org}` has no vendor relationship in the registry: nothing would be checked"),
    )
    .with_help(format!(
        "add its vendors under `vendors:` with `customer: {org}`, choose another --org, or pass \
         --allow-empty if an empty check is meant"
    ));
    Some(match registry.org(org) {
        Some(o) => problem.at(o.id.loc, "declared here, with no vendor"),
        None => problem,
    })
}

/// Prints report warnings on stderr, one a line (each neutralised: a warning quotes data);
/// never fails (stderr may be closed).
pub fn print_warnings(warnings: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for warning in warnings {
        let line = format!("warning: {}", neutralise(warning));
        let _ = writeln!(stderr, "{}", defuse_ci_commands(&line));
    }
}

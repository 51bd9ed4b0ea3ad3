//! Parameters: declared types, defaults, and the `--param NAME=VALUE` overrides of one run.

use std::collections::BTreeMap;

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::Loc;

use super::ast::RawParam;
use super::literal::{self, LiteralError};
use super::model::Param;

/// Resolves each declared parameter to its value: the override when one is given, else the
/// default. Parameters whose declaration is broken (already reported) are left out.
pub fn resolve(
    raw: &[RawParam],
    overrides: &BTreeMap<String, String>,
    policy_id: &str,
    fallback: Loc,
) -> (Vec<Param>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut params = Vec::new();
    for p in raw {
        let (Some(ty), Some(default_node)) = (p.ty, p.default.as_ref()) else {
            continue;
        };
        let default = match literal::from_node(default_node, ty) {
            Ok(v) => v,
            Err(err) => {
                problems.push(literal_problem(
                    err,
                    "policy::invalid-default",
                    default_node.loc,
                    format!("the default of parameter `{}`", p.name),
                    ty.example(),
                ));
                continue;
            }
        };
        let (value, overridden) = match overrides.get(&p.name) {
            None => (default.clone(), false),
            Some(text) => match literal::from_str(text, ty) {
                Ok(v) => (v, true),
                Err(err) => {
                    let help = match err {
                        LiteralError::Malformed { help, .. }
                        | LiteralError::WrongType { help, .. } => help,
                    };
                    problems.push(
                        Problem::new(
                            "policy::invalid-param-override",
                            format!(
                                "--param {policy_id}.{}={text}: `{text}` is not a {ty}",
                                p.name
                            ),
                        )
                        .at(p.key_loc, format!("declared here as {ty}"))
                        .with_help(format!("give {}; {help}", ty.example())),
                    );
                    continue;
                }
            },
        };
        params.push(Param {
            name: p.name.clone(),
            ty,
            description: p.description.clone(),
            default,
            value,
            overridden,
            loc: p.key_loc,
        });
    }
    for name in overrides.keys() {
        if raw.iter().any(|p| &p.name == name) {
            continue;
        }
        let declared: Vec<&str> = raw.iter().map(|p| p.name.as_str()).collect();
        let help = match did_you_mean(name, declared.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if declared.is_empty() => format!("policy `{policy_id}` has no parameters"),
            None => format!("its parameters are: {}", declared.join(", ")),
        };
        problems.push(
            Problem::new(
                "policy::unknown-param-override",
                format!(
                    "--param {policy_id}.{name}: policy `{policy_id}` has no parameter `{name}`"
                ),
            )
            .at(fallback, "parameters are declared here")
            .with_help(help),
        );
    }
    (params, problems)
}

/// A problem for a literal that does not parse as the type its context expects.
/// `wrong_type_code` is the code for a value of another kind (a number for a percent); a
/// malformed value of the right kind has the code of its form (`policy::invalid-percent`).
pub fn literal_problem(
    err: LiteralError,
    wrong_type_code: &'static str,
    loc: Loc,
    what: String,
    expected: &str,
) -> Problem {
    match err {
        LiteralError::Malformed { code, reason, help } => {
            Problem::new(code, format!("{what}: {reason}"))
                .at(loc, "malformed")
                .with_help(help)
        }
        LiteralError::WrongType { found, help } => Problem::new(
            wrong_type_code,
            format!("{what} must be {expected}, found {found}"),
        )
        .at(loc, format!("expected {expected}"))
        .with_help(help),
    }
}

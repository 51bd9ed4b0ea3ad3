//! The policy test file (`NAME.test.yaml`, `schemas/test.schema.json`): a parsed document ->
//! typed cases that keep the position of every value a result or a diagnostic points at.
//!
//! The JSON Schema checks the shapes first; what is left here is what the schema does not say
//! well: exactly one of `registry` and `registry_files`, real calendar dates, unique case names,
//! and a message expected of a vendor the policy does not apply to.

use std::fmt;

use crate::engine::Outcome;
use crate::input::diagnostic::Problem;
use crate::input::schema::{self, SchemaKind};
use crate::input::source::Loc;
use crate::input::yaml::{Node, Value};
use crate::registry::At;
use crate::value::date::Date;

/// One test file, as written.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// `policy:`, a path relative to the test file; `None`: the policy beside it.
    pub policy: Option<At<String>>,
    pub cases: Vec<CaseSpec>,
    /// The start of the document, where problems about the whole file are reported.
    pub loc: Loc,
}

/// One case, as written.
#[derive(Debug, Clone)]
pub struct CaseSpec {
    pub name: At<String>,
    pub registry: RegistrySpec,
    pub org: At<String>,
    pub as_of: At<Date>,
    /// Parameter name -> the value node (checked against the parameter's type later).
    pub params: Vec<(At<String>, Node)>,
    pub expect: Vec<Expectation>,
}

/// The word that names the registry compiled into vrisk (the seeded example) in a test file:
/// `registry: builtin`.
pub const BUILTIN_REGISTRY: &str = "builtin";

/// Where a case's registry comes from.
#[derive(Debug, Clone)]
pub enum RegistrySpec {
    /// Written under `registry:`, in the registry format.
    Inline(Node),
    /// `registry: builtin`: the registry compiled into vrisk, which the shipped policies' tests
    /// use, so that they run the same in any repository.
    Builtin,
    /// `registry_files:`, paths relative to the test file.
    Files(Vec<At<String>>),
}

/// What one vendor must get.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub vendor: At<String>,
    pub outcome: At<Expected>,
    pub message: Option<At<String>>,
    pub message_contains: Option<At<String>>,
}

/// An expected outcome: a finding's outcome, or no finding at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Fail,
    Indeterminate,
    Pass,
    /// `applies_to` excludes the vendor, so the engine reports nothing for it.
    NotApplicable,
}

impl Expected {
    fn parse(text: &str) -> Option<Expected> {
        match text {
            "fail" => Some(Expected::Fail),
            "indeterminate" => Some(Expected::Indeterminate),
            "pass" => Some(Expected::Pass),
            "not-applicable" => Some(Expected::NotApplicable),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Expected::Fail => "fail",
            Expected::Indeterminate => "indeterminate",
            Expected::Pass => "pass",
            Expected::NotApplicable => "not-applicable",
        }
    }

    /// Whether the engine's result for a vendor (`None`: no finding) is this outcome.
    pub fn matches(self, actual: Option<Outcome>) -> bool {
        matches!(
            (self, actual),
            (Expected::Fail, Some(Outcome::Fail))
                | (Expected::Indeterminate, Some(Outcome::Indeterminate))
                | (Expected::Pass, Some(Outcome::Pass))
                | (Expected::NotApplicable, None)
        )
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name of an actual result, in the words of the test format.
pub fn actual_name(actual: Option<Outcome>) -> &'static str {
    actual.map_or("not-applicable", Outcome::name)
}

/// Validates a parsed test file against its schema and reads it. Returns the file (`None` when
/// its shape is wrong) with the cases that are right, and every problem found: a run goes on to
/// check the good cases, so that one run reports everything wrong.
pub fn parse(document: &Node) -> (Option<TestFile>, Vec<Problem>) {
    let mut validation = schema::validate_by_item(SchemaKind::Test, document);
    let mut problems = std::mem::take(&mut validation.problems);
    if validation.document_broken {
        return (None, problems);
    }
    let policy = document.get("policy").and_then(text);
    let mut cases = Vec::new();
    let nodes = document.get("cases").and_then(Node::as_seq).unwrap_or(&[]);
    for (index, node) in nodes.iter().enumerate() {
        // A case that breaks the schema is not run; the others are, so that one run reports
        // the problems of every case.
        if validation.is_broken("cases", index) {
            continue;
        }
        if let Some(case) = case(node, &mut problems) {
            if let Some(first) = cases
                .iter()
                .find(|c: &&CaseSpec| c.name.value == case.name.value)
            {
                problems.push(
                    Problem::new(
                        "test::duplicate-case",
                        format!("two cases are named `{}`", case.name.value),
                    )
                    .at(case.name.loc, "named again here")
                    .at(first.name.loc, "first named here")
                    .with_help(
                        "give each case a name of its own, so that results can be told apart",
                    ),
                );
            }
            cases.push(case);
        }
    }
    let file = TestFile {
        policy,
        cases,
        loc: document.loc,
    };
    (Some(file), problems)
}

fn text(node: &Node) -> Option<At<String>> {
    node.as_str().map(|s| At {
        value: s.to_string(),
        loc: node.loc,
    })
}

fn case(node: &Node, problems: &mut Vec<Problem>) -> Option<CaseSpec> {
    let name = node.get("name").and_then(text)?;
    let org = node.get("org").and_then(text)?;
    let registry = match (node.get("registry"), node.get("registry_files")) {
        // The schema allows no other string.
        (Some(named), None) if named.as_str() == Some(BUILTIN_REGISTRY) => RegistrySpec::Builtin,
        (Some(inline), None) => RegistrySpec::Inline(inline.clone()),
        (None, Some(files)) => RegistrySpec::Files(
            files
                .as_seq()
                .unwrap_or(&[])
                .iter()
                .filter_map(text)
                .collect(),
        ),
        (Some(_), Some(_)) => {
            let loc = node.key("registry_files").map_or(node.loc, |k| k.loc);
            problems.push(
                Problem::new(
                    "test::registry",
                    format!(
                        "case `{}` has both `registry` and `registry_files`",
                        name.value
                    ),
                )
                .at(loc, "remove this or `registry`")
                .with_help("a case runs on one registry: write it inline, or name its files"),
            );
            return None;
        }
        (None, None) => {
            problems.push(
                Problem::new(
                    "test::registry",
                    format!("case `{}` has no registry", name.value),
                )
                .at(name.loc, "this case")
                .with_help(
                    "add `registry:` with a small registry in the registry format (or \
                     `registry: builtin` for the registry built into vrisk), or \
                     `registry_files: [PATH]` relative to the test file",
                ),
            );
            return None;
        }
    };
    let as_of_node = node.get("as_of")?;
    let as_of = match as_of_node.as_str().and_then(Date::parse) {
        Some(date) => At {
            value: date,
            loc: as_of_node.loc,
        },
        None => {
            problems.push(
                Problem::new("test::invalid-date", "`as_of` is not a calendar date")
                    .at(as_of_node.loc, "not a date")
                    .with_help("write a real date as YYYY-MM-DD, e.g. 2025-06-20"),
            );
            return None;
        }
    };
    let params = node
        .get("params")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|(key, value)| {
            (
                At {
                    value: key.name.clone(),
                    loc: key.loc,
                },
                value.clone(),
            )
        })
        .collect();
    let mut expect = Vec::new();
    for (key, value) in node.get("expect").and_then(Node::as_map).unwrap_or(&[]) {
        let vendor = At {
            value: key.name.clone(),
            loc: key.loc,
        };
        if let Some(e) = expectation(vendor, value, problems) {
            expect.push(e);
        }
    }
    Some(CaseSpec {
        name,
        registry,
        org,
        as_of,
        params,
        expect,
    })
}

fn expectation(
    vendor: At<String>,
    node: &Node,
    problems: &mut Vec<Problem>,
) -> Option<Expectation> {
    let (outcome_node, message, message_contains) = match &node.value {
        Value::Str(_) => (node, None, None),
        _ => (
            node.get("outcome")?,
            node.get("message").and_then(text),
            node.get("message_contains").and_then(text),
        ),
    };
    let outcome = At {
        value: outcome_node.as_str().and_then(Expected::parse)?,
        loc: outcome_node.loc,
    };
    if outcome.value == Expected::NotApplicable
        && let Some(m) = message.as_ref().or(message_contains.as_ref())
    {
        problems.push(
            Problem::new(
                "test::message-without-finding",
                format!(
                    "`{}` is expected to be not-applicable, which has no message to compare",
                    vendor.value
                ),
            )
            .at(m.loc, "nothing to compare this with")
            .with_help("remove the message, or expect fail, indeterminate or pass"),
        );
        return None;
    }
    Some(Expectation {
        vendor,
        outcome,
        message,
        message_contains,
    })
}

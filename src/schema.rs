//! The JSON Schemas of every file kind, embedded in the binary, and validation of parsed
//! documents against them with errors mapped back to line and column.

use std::sync::OnceLock;

use jsonschema::Validator;

use crate::diagnostic::{Problem, did_you_mean};
use crate::yaml::Node;

/// A kind of input file that has a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    Registry,
    Policy,
    Config,
    Waivers,
    Test,
}

impl SchemaKind {
    pub const ALL: [SchemaKind; 5] = [
        SchemaKind::Registry,
        SchemaKind::Policy,
        SchemaKind::Config,
        SchemaKind::Waivers,
        SchemaKind::Test,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Registry => "registry",
            SchemaKind::Policy => "policy",
            SchemaKind::Config => "config",
            SchemaKind::Waivers => "waivers",
            SchemaKind::Test => "test",
        }
    }

    /// The schema text as shipped in schemas/.
    pub fn text(self) -> &'static str {
        match self {
            SchemaKind::Registry => include_str!("../schemas/registry.schema.json"),
            SchemaKind::Policy => include_str!("../schemas/policy.schema.json"),
            SchemaKind::Config => include_str!("../schemas/config.schema.json"),
            SchemaKind::Waivers => include_str!("../schemas/waivers.schema.json"),
            SchemaKind::Test => include_str!("../schemas/test.schema.json"),
        }
    }

    fn code(self) -> &'static str {
        match self {
            SchemaKind::Registry => "registry::schema",
            SchemaKind::Policy => "policy::schema",
            SchemaKind::Config => "config::schema",
            SchemaKind::Waivers => "waiver::schema",
            SchemaKind::Test => "test::schema",
        }
    }

    fn validator(self) -> &'static Validator {
        static REGISTRY: OnceLock<Validator> = OnceLock::new();
        static POLICY: OnceLock<Validator> = OnceLock::new();
        static CONFIG: OnceLock<Validator> = OnceLock::new();
        static WAIVERS: OnceLock<Validator> = OnceLock::new();
        static TEST: OnceLock<Validator> = OnceLock::new();
        let cell = match self {
            SchemaKind::Registry => &REGISTRY,
            SchemaKind::Policy => &POLICY,
            SchemaKind::Config => &CONFIG,
            SchemaKind::Waivers => &WAIVERS,
            SchemaKind::Test => &TEST,
        };
        cell.get_or_init(|| {
            let schema: serde_json::Value = serde_json::from_str(self.text())
                .unwrap_or_else(|e| panic!("embedded {} schema is not JSON: {e}", self.name()));
            jsonschema::draft202012::options()
                .offline()
                .should_validate_formats(false)
                .build(&schema)
                .unwrap_or_else(|e| panic!("embedded {} schema is invalid: {e}", self.name()))
        })
    }
}

/// Validates a parsed document; every schema violation becomes a located problem.
pub fn validate(kind: SchemaKind, document: &Node) -> Vec<Problem> {
    let instance = document.to_json();
    let validator = kind.validator();
    let mut problems: Vec<Problem> = validator
        .iter_errors(&instance)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            describe(kind, document, &pointer, &error)
        })
        .collect();
    problems.sort_by_key(|p| p.primary());
    problems.dedup_by(|a, b| a.primary() == b.primary() && a.message == b.message);
    problems
}

fn describe(
    kind: SchemaKind,
    document: &Node,
    pointer: &str,
    error: &jsonschema::ValidationError<'_>,
) -> Problem {
    use jsonschema::error::ValidationErrorKind as K;
    let node = document.nearest(pointer);
    let place = if pointer.is_empty() {
        "the document"
    } else {
        pointer
    };
    match error.kind() {
        K::AdditionalProperties { unexpected } => {
            let name = unexpected.first().cloned().unwrap_or_default();
            let known = known_properties(kind, pointer);
            let key_loc = node.key(&name).map(|k| k.loc).unwrap_or(node.loc);
            let mut problem =
                Problem::new(kind.code(), format!("unknown field `{name}` in {place}"))
                    .at(key_loc, "not a field here");
            problem = match did_you_mean(&name, known.iter().map(String::as_str)) {
                Some(s) => problem.with_help(format!("did you mean `{s}`?")),
                None => problem.with_help(format!("known fields: {}", known.join(", "))),
            };
            problem
        }
        K::Required { property } => {
            let name = property.as_str().unwrap_or("?").to_string();
            Problem::new(kind.code(), format!("missing field `{name}` in {place}"))
                .at(node.loc, format!("`{name}` is required here"))
                .with_help(format!("add `{name}: ...`"))
        }
        _ => {
            let message = error.masked().to_string();
            Problem::new(kind.code(), format!("{place}: {message}"))
                .at(node.loc, expected_label(error))
                .with_help(format!(
                    "see `vrisk schema {}` for the expected shape",
                    kind.name()
                ))
        }
    }
}

fn expected_label(error: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    match error.kind() {
        K::Type { kind } => format!("expected {}", type_names(kind)),
        K::Enum { options } => format!("expected one of {options}"),
        K::Pattern { pattern } => format!("does not match {pattern}"),
        K::Format { format } => format!("not a valid {format}"),
        K::Minimum { limit } | K::ExclusiveMinimum { limit } => {
            format!("below the minimum {limit}")
        }
        K::Maximum { limit } | K::ExclusiveMaximum { limit } => {
            format!("above the maximum {limit}")
        }
        _ => "invalid value".to_string(),
    }
}

fn type_names(kind: &jsonschema::error::TypeKind) -> String {
    use jsonschema::error::TypeKind;
    match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(ts) => {
            let names: Vec<String> = (*ts).into_iter().map(|t| t.to_string()).collect();
            names.join(" or ")
        }
    }
}

/// The property names the schema allows at `pointer`, for "did you mean".
fn known_properties(kind: SchemaKind, pointer: &str) -> Vec<String> {
    let schema: serde_json::Value = match serde_json::from_str(kind.text()) {
        Ok(s) => s,
        Err(_) => return Vec::new(),
    };
    let mut names = Vec::new();
    collect_properties(&schema, &schema, pointer, &mut names);
    names.sort();
    names.dedup();
    names
}

/// Walks the schema along the instance path, following `$ref`, `items`, `properties`,
/// `additionalProperties` and the branches of `oneOf`/`anyOf`/`allOf`.
fn collect_properties(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    pointer: &str,
    out: &mut Vec<String>,
) {
    let schema = resolve(root, schema);
    for branch in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(branch).and_then(|v| v.as_array()) {
            for s in list {
                collect_properties(root, s, pointer, out);
            }
        }
    }
    for branch in ["then", "else"] {
        if let Some(s) = schema.get(branch).filter(|s| s.is_object()) {
            collect_properties(root, s, pointer, out);
        }
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
            out.extend(props.keys().cloned());
        }
        return;
    };
    let (segment, tail) = match rest.split_once('/') {
        Some((s, t)) => (s, format!("/{t}")),
        None => (rest, String::new()),
    };
    let next = if segment.parse::<usize>().is_ok() && schema.get("items").is_some() {
        schema.get("items")
    } else {
        schema
            .get("properties")
            .and_then(|p| p.get(segment))
            .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))
    };
    if let Some(next) = next {
        collect_properties(root, next, &tail, out);
    }
}

fn resolve<'a>(
    root: &'a serde_json::Value,
    schema: &'a serde_json::Value,
) -> &'a serde_json::Value {
    let mut current = schema;
    for _ in 0..16 {
        match current.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(target) => current = target,
                None => return current,
            },
            None => return current,
        }
    }
    current
}

//! The JSON Schemas of every file kind, embedded in the binary, and validation of parsed
//! documents against them with errors mapped back to line and column.

use std::sync::OnceLock;

use jsonschema::Validator;
use rayon::prelude::*;

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::{Loc, Span};
use crate::input::yaml::{Node, Value};

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
            SchemaKind::Registry => include_str!("../../schemas/registry.schema.json"),
            SchemaKind::Policy => include_str!("../../schemas/policy.schema.json"),
            SchemaKind::Config => include_str!("../../schemas/config.schema.json"),
            SchemaKind::Waivers => include_str!("../../schemas/waivers.schema.json"),
            SchemaKind::Test => include_str!("../../schemas/test.schema.json"),
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

    fn validators(self) -> &'static Validators {
        static REGISTRY: OnceLock<Validators> = OnceLock::new();
        static POLICY: OnceLock<Validators> = OnceLock::new();
        static CONFIG: OnceLock<Validators> = OnceLock::new();
        static WAIVERS: OnceLock<Validators> = OnceLock::new();
        static TEST: OnceLock<Validators> = OnceLock::new();
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
            let build = |schema: &serde_json::Value| {
                jsonschema::draft202012::options()
                    .offline()
                    .should_validate_formats(false)
                    .build(schema)
                    .unwrap_or_else(|e| panic!("embedded {} schema is invalid: {e}", self.name()))
            };
            let lists = list_properties(&schema)
                .into_iter()
                .map(|(name, items)| (name, build(&items)))
                .collect();
            Validators {
                whole: build(&schema),
                lists,
            }
        })
    }
}

/// A schema's validator, and one for the items of each top-level list that can be checked item
/// by item.
struct Validators {
    whole: Validator,
    lists: Vec<(String, Validator)>,
}

/// The top-level properties whose schema says only "a list of items of this schema", with that
/// item schema made self-contained (the root's `$defs` beside it). Validating a document with
/// such lists left empty, and then each item on its own, finds exactly the errors the whole
/// document has: nothing else in the schema looks into the lists. A root schema with any keyword
/// that could (`allOf`, `if`, `unevaluatedProperties`, ...) gets no such lists.
fn list_properties(schema: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    const PLAIN_ROOT: &[&str] = &[
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "title",
        "description",
        "examples",
        "type",
        "properties",
        "additionalProperties",
        "required",
    ];
    const PLAIN_LIST: &[&str] = &[
        "title",
        "description",
        "examples",
        "$comment",
        "type",
        "items",
    ];
    let Some(root) = schema.as_object() else {
        return Vec::new();
    };
    if root.keys().any(|k| !PLAIN_ROOT.contains(&k.as_str())) {
        return Vec::new();
    }
    let Some(properties) = root.get("properties").and_then(|p| p.as_object()) else {
        return Vec::new();
    };
    properties
        .iter()
        .filter_map(|(name, property)| {
            let property = property.as_object()?;
            let plain = property.keys().all(|k| PLAIN_LIST.contains(&k.as_str()))
                && property.get("type")?.as_str()? == "array";
            let mut items = property.get("items")?.as_object()?.clone();
            if !plain || items.contains_key("$defs") {
                return None;
            }
            if let Some(defs) = root.get("$defs") {
                items.insert("$defs".to_string(), defs.clone());
            }
            if let Some(dialect) = root.get("$schema") {
                items.insert("$schema".to_string(), dialect.clone());
            }
            Some((name.clone(), serde_json::Value::Object(items)))
        })
        .collect()
}

/// Validates a parsed document; every schema violation becomes a located problem.
///
/// Top-level lists (a registry's organisations and stakes) are validated item by item, in
/// parallel, each item converted to JSON on its own: the document is never copied whole.
pub fn validate(kind: SchemaKind, document: &Node) -> Vec<Problem> {
    let validators = kind.validators();
    let is_list = |name: &str| validators.lists.iter().position(|(n, _)| n == name);
    // The document with its item lists emptied (lists that are not lists stay as they are, for
    // the whole schema to report).
    let shallow = match &document.value {
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let json = match (is_list(&key.name), &value.value) {
                        (Some(_), Value::Seq(_)) => serde_json::Value::Array(Vec::new()),
                        _ => value.to_json(),
                    };
                    (key.name.clone(), json)
                })
                .collect(),
        ),
        _ => document.to_json(),
    };
    let mut problems: Vec<Problem> = validators
        .whole
        .iter_errors(&shallow)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            describe(kind, document.nearest(&pointer), &pointer, &error)
        })
        .collect();
    drop(shallow);
    if let Value::Map(entries) = &document.value {
        for (key, value) in entries {
            let (Some(index), Value::Seq(items)) = (is_list(&key.name), &value.value) else {
                continue;
            };
            let validator = &validators.lists[index].1;
            let prefix = format!("/{}", key.name.replace('~', "~0").replace('/', "~1"));
            let found: Vec<Vec<Problem>> = items
                .par_iter()
                .enumerate()
                .map(|(i, item)| item_problems(kind, validator, &prefix, i, item))
                .collect();
            problems.extend(found.into_iter().flatten());
        }
    }
    sort_problems(problems)
}

/// Whether the top-level property `list` of a document of this kind is a list whose items
/// [`validate_item`] can check one at a time.
pub fn is_item_list(kind: SchemaKind, list: &str) -> bool {
    kind.validators().lists.iter().any(|(n, _)| n == list)
}

/// Validates item `index` of the top-level list `list` (see [`is_item_list`]) on its own, as
/// [`validate`] would within its document.
pub fn validate_item(kind: SchemaKind, list: &str, index: usize, item: &Node) -> Vec<Problem> {
    let Some((_, validator)) = kind.validators().lists.iter().find(|(n, _)| n == list) else {
        return Vec::new();
    };
    let prefix = format!("/{}", list.replace('~', "~0").replace('/', "~1"));
    item_problems(kind, validator, &prefix, index, item)
}

/// The problems of one item of a top-level list, at their pointers in the whole document.
fn item_problems(
    kind: SchemaKind,
    validator: &Validator,
    prefix: &str,
    index: usize,
    item: &Node,
) -> Vec<Problem> {
    let instance = item.to_json();
    validator
        .iter_errors(&instance)
        .map(|error| {
            let within = error.instance_path().to_string();
            let pointer = format!("{prefix}/{index}{within}");
            describe(kind, item.nearest(&within), &pointer, &error)
        })
        .collect()
}

/// Problems in reading order; the same error found twice at one place is reported once.
pub fn sort_problems(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| p.primary());
    problems.dedup_by(|a, b| a.primary() == b.primary() && a.message == b.message);
    problems
}

/// A schema error as a problem; `node` is the deepest node on the way to `pointer`.
fn describe(
    kind: SchemaKind,
    node: &Node,
    pointer: &str,
    error: &jsonschema::ValidationError<'_>,
) -> Problem {
    use jsonschema::error::ValidationErrorKind as K;
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
            // A document that is one scalar is a file that is not YAML at all (a text file, a
            // key file): point at its start rather than reprint it whole.
            let loc = match (pointer.is_empty(), &node.value) {
                (true, Value::Map(_) | Value::Seq(_)) | (false, _) => node.loc,
                (true, _) => Loc {
                    span: Span::new(node.loc.span.offset, 0),
                    ..node.loc
                },
            };
            Problem::new(kind.code(), format!("{place}: {message}"))
                .at(loc, expected_label(error))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::limits::Limits;
    use crate::input::source::{FileId, SourceFile};

    /// The problems of the whole document validated at once, as before lists were itemised.
    fn whole(kind: SchemaKind, document: &Node) -> Vec<Problem> {
        let instance = document.to_json();
        let problems = kind
            .validators()
            .whole
            .iter_errors(&instance)
            .map(|error| {
                let pointer = error.instance_path().to_string();
                describe(kind, document.nearest(&pointer), &pointer, &error)
            })
            .collect();
        sort_problems(problems)
    }

    #[test]
    fn items_validated_alone_give_the_problems_of_the_whole_document() {
        let texts = [
            "organisations:\n  - {id: a, name: A, kind: company, colour: red}\n  - {id: B!, kind: person}\nstakes:\n  - {owner: a, owned: b, economic: 200%}\n  - {owner: a}\nextra: 1\n",
            "version: 2\nstakes: {owner: a}\nvendors:\n  - customer: a\n    vendor: b\n    status: gone\n    services: [x, x]\n",
            "sources: [{id: s, title: T, url: 5}]\nroles: [{person: p, org: o}]\nmoves: []\n",
            "- not a mapping\n",
        ];
        assert_eq!(
            list_properties(&serde_json::from_str(SchemaKind::Registry.text()).unwrap()).len(),
            7
        );
        for text in texts {
            let source = SourceFile::new("r.yaml", None, text);
            let document =
                crate::input::yaml::parse(FileId(0), &source, &Limits::default()).unwrap();
            let expected = whole(SchemaKind::Registry, &document);
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(
                validate(SchemaKind::Registry, &document),
                expected,
                "{text}"
            );
        }
    }
}

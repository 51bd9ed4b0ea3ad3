//! The JSON Schemas of every file kind, embedded in the binary, and validation of parsed
//! documents against them with errors mapped back to line and column.

use std::sync::OnceLock;

use jsonschema::Validator;
use rayon::prelude::*;

use crate::input::diagnostic::{Problem, did_you_mean, merge_repeats};
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
    let mut problems = validate_top(kind, document);
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

/// Validates a document with the items of its item lists (see [`is_item_list`]) left out: the
/// problems of the document itself, which [`validate_item`] does not find.
pub fn validate_top(kind: SchemaKind, document: &Node) -> Vec<Problem> {
    let validators = kind.validators();
    let is_list = |name: &str| validators.lists.iter().any(|(n, _)| n == name);
    // The document with its item lists emptied (lists that are not lists stay as they are, for
    // the whole schema to report).
    let shallow = match &document.value {
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let json = match (is_list(&key.name), &value.value) {
                        (true, Value::Seq(_)) => serde_json::Value::Array(Vec::new()),
                        _ => value.to_json(),
                    };
                    (key.name.clone(), json)
                })
                .collect(),
        ),
        _ => document.to_json(),
    };
    let errors: Vec<Located> = validators
        .whole
        .iter_errors(&shallow)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            (document.nearest(&pointer), pointer, error)
        })
        .collect();
    describe_all(kind, errors)
}

/// The schema problems of a document, and which items of its top-level lists they are in: a
/// reader can then read the items that are right and report the problems of the others.
pub struct ItemValidation {
    pub problems: Vec<Problem>,
    /// `(list, index)` of every item of a top-level list with a problem inside it.
    pub broken_items: Vec<(String, usize)>,
    /// Whether a problem is in the document itself rather than inside an item.
    pub document_broken: bool,
}

impl ItemValidation {
    pub fn is_broken(&self, list: &str, index: usize) -> bool {
        self.broken_items
            .iter()
            .any(|(l, i)| l == list && *i == index)
    }
}

/// Validates a small document whole (a waivers or test file) and sorts its problems into those
/// of the items of its top-level lists and those of the document itself.
pub fn validate_by_item(kind: SchemaKind, document: &Node) -> ItemValidation {
    let instance = document.to_json();
    let errors: Vec<Located> = kind
        .validators()
        .whole
        .iter_errors(&instance)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            (document.nearest(&pointer), pointer, error)
        })
        .collect();
    let mut broken_items = Vec::new();
    let mut document_broken = false;
    for (_, pointer, _) in &errors {
        match item_of(document, pointer) {
            Some(item) => broken_items.push(item),
            None => document_broken = true,
        }
    }
    broken_items.sort();
    broken_items.dedup();
    ItemValidation {
        problems: sort_problems(describe_all(kind, errors)),
        broken_items,
        document_broken,
    }
}

/// The top-level list and index of the item `pointer` is in (`/cases/2/org` -> `(cases, 2)`).
fn item_of(document: &Node, pointer: &str) -> Option<(String, usize)> {
    let mut segments = pointer.strip_prefix('/')?.split('/');
    let list = segments.next()?.replace("~1", "/").replace("~0", "~");
    let index: usize = segments.next()?.parse().ok()?;
    document.get(&list)?.as_seq()?.get(index)?;
    Some((list, index))
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
    let errors: Vec<Located> = validator
        .iter_errors(&instance)
        .map(|error| {
            let within = error.instance_path().to_string();
            let pointer = format!("{prefix}/{index}{within}");
            (item.nearest(&within), pointer, error)
        })
        .collect();
    describe_all(kind, errors)
}

/// Problems in reading order; the same error found twice at one place (a value copied by
/// aliases) is reported once, with the aliases (see [`merge_repeats`]).
pub fn sort_problems(problems: Vec<Problem>) -> Vec<Problem> {
    merge_repeats(problems)
}

/// A schema error with the JSON pointer of its instance in the whole document, and the deepest
/// node on the way there.
type Located<'n, 'e> = (&'n Node, String, jsonschema::ValidationError<'e>);

/// The problems of the schema errors found in one instance.
///
/// A misspelt field is both unknown and, when it stands for a required field, missing: the
/// unknown field is reported with the field it stands for, and the missing field is not
/// reported again.
fn describe_all(kind: SchemaKind, errors: Vec<Located>) -> Vec<Problem> {
    use jsonschema::error::ValidationErrorKind as K;
    let missing: Vec<(&str, &str)> = errors
        .iter()
        .filter_map(|(_, pointer, error)| match error.kind() {
            K::Required { property } => Some((pointer.as_str(), property.as_str()?)),
            _ => None,
        })
        .collect();
    let mut explained: Vec<(&str, String)> = Vec::new();
    let mut problems = Vec::new();
    for (node, pointer, error) in &errors {
        match error.kind() {
            K::AdditionalProperties { unexpected } => {
                let known = known_properties(kind, pointer);
                for name in unexpected {
                    let suggestion = did_you_mean(name, known.iter().map(String::as_str));
                    let stands_for_missing =
                        suggestion.is_some_and(|s| missing.contains(&(pointer.as_str(), s)));
                    if let (true, Some(s)) = (stands_for_missing, suggestion) {
                        explained.push((pointer, s.to_string()));
                    }
                    problems.push(unknown_field(
                        kind,
                        node,
                        pointer,
                        name,
                        suggestion,
                        stands_for_missing,
                        &known,
                    ));
                }
            }
            _ => problems.push(describe(kind, node, pointer, error)),
        }
    }
    problems.retain(|p| {
        !explained.iter().any(|(pointer, name)| {
            p.code == kind.code() && p.message == missing_message(name, place(pointer))
        })
    });
    problems
}

/// How a problem names the place of a pointer.
fn place(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the document"
    } else {
        pointer
    }
}

fn missing_message(name: &str, place: &str) -> String {
    format!("missing field `{name}` in {place}")
}

/// A field the schema does not allow here, at its key, with the field it likely stands for.
fn unknown_field(
    kind: SchemaKind,
    node: &Node,
    pointer: &str,
    name: &str,
    suggestion: Option<&str>,
    stands_for_missing: bool,
    known: &[String],
) -> Problem {
    let key_loc = node.key(name).map_or(node.loc, |k| k.loc);
    let alias = node.get(name).and_then(|v| v.alias).or(node.alias);
    let problem = Problem::new(
        kind.code(),
        format!("unknown field `{name}` in {}", place(pointer)),
    )
    .at(key_loc, "not a field here")
    .through(alias);
    match suggestion {
        Some(s) if stands_for_missing => problem.with_help(format!(
            "did you mean `{s}`? (`{s}` is required and missing here)"
        )),
        Some(s) => problem.with_help(format!("did you mean `{s}`?")),
        None => problem.with_help(format!("known fields: {}", known.join(", "))),
    }
}

/// A schema error (other than an unknown field) as a problem; `node` is the deepest node on the
/// way to `pointer`.
fn describe(
    kind: SchemaKind,
    node: &Node,
    pointer: &str,
    error: &jsonschema::ValidationError<'_>,
) -> Problem {
    use jsonschema::error::ValidationErrorKind as K;
    let place = place(pointer);
    match error.kind() {
        K::Required { property } => {
            let name = property.as_str().unwrap_or("?").to_string();
            Problem::new(kind.code(), missing_message(&name, place))
                .at(node.loc, format!("`{name}` is required here"))
                .through(node.alias)
                .with_help(format!("add `{name}: ...`"))
        }
        K::Enum { options } => {
            let names = option_names(options);
            let given = match error.instance().as_ref() {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let problem = Problem::new(
                kind.code(),
                format!("{place}: `{given}` is not one of {}", names.join(", ")),
            )
            .at(node.loc, format!("expected one of {}", names.join(", ")))
            .through(node.alias);
            match did_you_mean(&given, names.iter().map(String::as_str)) {
                Some(s) => problem.with_help(format!("did you mean `{s}`?")),
                None => problem.with_help(format!("write one of {}", names.join(", "))),
            }
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
                .through(node.alias)
                .with_help(format!(
                    "see `vrisk schema {}` for the expected shape",
                    kind.name()
                ))
        }
    }
}

/// The values an `enum` allows, as a user writes them: strings bare, anything else as JSON.
fn option_names(options: &serde_json::Value) -> Vec<String> {
    options
        .as_array()
        .map(|values| {
            values
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn expected_label(error: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    match error.kind() {
        K::Type { kind } => format!("expected {}", type_names(kind)),
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
        let errors = kind
            .validators()
            .whole
            .iter_errors(&instance)
            .map(|error| {
                let pointer = error.instance_path().to_string();
                (document.nearest(&pointer), pointer, error)
            })
            .collect();
        sort_problems(describe_all(kind, errors))
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

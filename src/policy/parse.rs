//! The structural parse: a YAML [`Node`] tree -> [`RawPolicy`], collecting every problem with
//! the shape of the document (unknown or missing keys, wrong kinds of value, malformed
//! conditions) rather than stopping at the first.

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::{Loc, SourceFile, Span};
use crate::input::yaml::{Key, Node, Value as Yaml};

use super::ast::{
    Cond, CondKind, Located, RawLeaf, RawOwnership, RawParam, RawPolicy, RawQuantified,
    RawQuantifier,
};
use super::literal::describe;
use super::model::{CmpOp, Op, ValueType};

const TOP_KEYS: &[&str] = &[
    "id",
    "title",
    "severity",
    "description",
    "rationale",
    "references",
    "params",
    "ownership",
    "applies_to",
    "fails_when",
    "on_indeterminate",
    "message",
    "remediation",
    "help_url",
];
const REQUIRED_KEYS: &[&str] = &[
    "id",
    "title",
    "severity",
    "fails_when",
    "on_indeterminate",
    "message",
];
const CONDITION_KEYS: &[&str] = &["all", "any", "not", "exists", "none", "count", "fact"];
const PARAM_KEYS: &[&str] = &["type", "default", "description"];
const OWNERSHIP_KEYS: &[&str] = &["method", "threshold"];

/// Parses the document, returning what could be read and every problem found.
pub fn parse_policy(doc: &Node, source: &SourceFile) -> (RawPolicy, Vec<Problem>) {
    let mut parser = Parser {
        source,
        problems: Vec::new(),
    };
    let policy = parser.policy(doc);
    (policy, parser.problems)
}

struct Parser<'s> {
    source: &'s SourceFile,
    problems: Vec<Problem>,
}

impl Parser<'_> {
    fn policy(&mut self, doc: &Node) -> RawPolicy {
        let mut policy = RawPolicy::default();
        let Some(entries) = doc.as_map() else {
            self.problems.push(
                Problem::new(
                    "policy::not-a-mapping",
                    format!("{} is not a policy", self.source.name),
                )
                .at(
                    doc.loc,
                    format!("expected a mapping, found {}", describe(doc)),
                )
                .with_help(
                    "a policy file is a mapping with `id`, `title`, `severity`, `fails_when`, ...",
                ),
            );
            return policy;
        };
        for required in REQUIRED_KEYS {
            if doc.get(required).is_none() {
                self.problems.push(
                    Problem::new(
                        "policy::missing-key",
                        format!("the policy has no `{required}`"),
                    )
                    .at(first_key_loc(doc), format!("`{required}` is required"))
                    .with_help(required_help(required)),
                );
            }
        }
        for (key, value) in entries {
            match key.name.as_str() {
                "id" => policy.id = self.id(value),
                "title" => policy.title = self.text(key, value).unwrap_or_default(),
                "description" => policy.description = self.text(key, value).unwrap_or_default(),
                "rationale" => policy.rationale = self.text(key, value).unwrap_or_default(),
                "remediation" => policy.remediation = self.text(key, value).unwrap_or_default(),
                "severity" => {
                    policy.severity = self
                        .text(key, value)
                        .and_then(|t| self.choice(value, &t, "severity"))
                }
                "on_indeterminate" => {
                    policy.on_indeterminate = self
                        .text(key, value)
                        .and_then(|t| self.choice(value, &t, "on_indeterminate"))
                }
                "references" => policy.references = self.references(value),
                "help_url" => policy.help_url = self.help_url(key, value),
                "params" => {
                    policy.params_loc = Some(key.loc);
                    policy.params = self.params(value);
                }
                "ownership" => policy.ownership = self.ownership(value),
                "applies_to" => policy.applies_to = Some(self.condition(value)),
                "fails_when" => policy.fails_when = Some((key.loc, self.condition(value))),
                "message" => {
                    policy.message = self.text(key, value).map(|text| Located {
                        text,
                        loc: value.loc,
                        alias: value.alias,
                    })
                }
                _ => self.unknown_key(key, TOP_KEYS, "a policy"),
            }
        }
        policy
    }

    fn id(&mut self, value: &Node) -> Option<Located> {
        let text = self.expect_str(value, "`id`")?;
        let valid = text
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && text.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            });
        if !valid {
            self.problems.push(
                Problem::new(
                    "policy::invalid-value",
                    format!("`{text}` is not a valid policy id"),
                )
                .at(value.loc, "not a lower-case slug")
                .through(value.alias)
                .with_help(format!(
                    "ids are lower-case slugs (`a-z`, `0-9`, `.`, `_`, `-`), e.g. `{}`",
                    slug(&text)
                )),
            );
        }
        Some(Located {
            text,
            loc: value.loc,
            alias: value.alias,
        })
    }

    fn text(&mut self, key: &Key, value: &Node) -> Option<String> {
        self.expect_str(value, &format!("`{}`", key.name))
    }

    fn expect_str(&mut self, value: &Node, what: &str) -> Option<String> {
        match &value.value {
            Yaml::Str(s) => Some(s.clone()),
            _ => {
                self.problems.push(
                    Problem::new("policy::invalid-value", format!("{what} must be a text"))
                        .at(value.loc, format!("found {}", describe(value)))
                        .through(value.alias)
                        .with_help("quote the value if it looks like a number or a boolean"),
                );
                None
            }
        }
    }

    fn choice<T: std::str::FromStr<Err = super::model::UnknownName>>(
        &mut self,
        value: &Node,
        text: &str,
        what: &str,
    ) -> Option<T> {
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(err) => {
                let help = match did_you_mean(text, err.expected.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use one of {}", err.expected.join(", ")),
                };
                self.problems.push(
                    Problem::new("policy::invalid-value", format!("invalid `{what}`: {err}"))
                        .at(value.loc, format!("not a valid {what}"))
                        .through(value.alias)
                        .with_help(help),
                );
                None
            }
        }
    }

    /// `help_url`: reports link the policy's rule to it, so only a web address is accepted (a
    /// `javascript:` or `file:` link would run or open something on the reader's machine).
    fn help_url(&mut self, key: &Key, value: &Node) -> Option<String> {
        let text = self.text(key, value)?;
        let web = ["https://", "http://"].iter().any(|scheme| {
            text.get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                && text.len() > scheme.len()
        });
        if web && !text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Some(text);
        }
        self.problems.push(
            Problem::new(
                "policy::invalid-value",
                format!("`help_url` `{text}` is not an http(s) URL"),
            )
            .at(value.loc, "not a web address")
            .with_help("write the address of the policy's documentation, e.g. `https://wiki.example.com/vendor-risk/my-policy`"),
        );
        None
    }

    fn references(&mut self, value: &Node) -> Vec<String> {
        let Some(items) = value.as_seq() else {
            self.problems.push(
                Problem::new("policy::invalid-value", "`references` must be a list")
                    .at(value.loc, format!("found {}", describe(value)))
                    .through(value.alias)
                    .with_help("write `references: [source-id, \"https://...\"]`"),
            );
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.expect_str(item, "a reference"))
            .collect()
    }

    fn params(&mut self, value: &Node) -> Vec<RawParam> {
        let Some(entries) = self.mapping(
            value,
            "`params`",
            "`params: {threshold: {type: percent, default: 20%}}`",
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, spec) in entries {
            if !is_identifier(&key.name) {
                self.problems.push(
                    Problem::new(
                        "policy::invalid-name",
                        format!("`{}` is not a valid parameter name", key.name),
                    )
                    .at(key.loc, "not a name")
                    .with_help("parameter names are lower-case letters, digits and `_`, starting with a letter"),
                );
            }
            if key.name == "as_of" {
                self.problems.push(
                    Problem::new("policy::reserved-name", "`as_of` is a built-in name")
                        .at(key.loc, "reserved")
                        .with_help("`$as_of` is always the evaluation date; choose another name"),
                );
            }
            let mut param = RawParam {
                name: key.name.clone(),
                key_loc: key.loc,
                ty: None,
                default: None,
                description: String::new(),
            };
            let example = "`{type: percent, default: 20%, description: \"...\"}`";
            let Some(fields) = self.mapping(spec, &format!("parameter `{}`", key.name), example)
            else {
                continue;
            };
            for (field, v) in fields {
                match field.name.as_str() {
                    "type" => param.ty = self.param_type(v),
                    "default" => param.default = Some(v.clone()),
                    "description" => param.description = self.text(field, v).unwrap_or_default(),
                    _ => self.unknown_key(field, PARAM_KEYS, "a parameter"),
                }
            }
            for required in ["type", "default"] {
                if spec.get(required).is_none() {
                    self.problems.push(
                        Problem::new(
                            "policy::missing-key",
                            format!("parameter `{}` has no `{required}`", key.name),
                        )
                        .at(key.loc, format!("`{required}` is required"))
                        .with_help(format!("declare it as {example}")),
                    );
                }
            }
            out.push(param);
        }
        out
    }

    fn param_type(&mut self, value: &Node) -> Option<ValueType> {
        let text = self.expect_str(value, "a parameter type")?;
        let names: Vec<&str> = ValueType::ALL.iter().map(|t| t.name()).collect();
        match ValueType::from_name(&text) {
            Some(t) => Some(t),
            None => {
                let help = match did_you_mean(&text, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use one of {}", names.join(", ")),
                };
                self.problems.push(
                    Problem::new(
                        "policy::param-type",
                        format!("unknown parameter type `{text}`"),
                    )
                    .at(value.loc, "not a type")
                    .through(value.alias)
                    .with_help(help),
                );
                None
            }
        }
    }

    fn ownership(&mut self, value: &Node) -> RawOwnership {
        let example = "`{method: integrated}` or `{method: control-chain, threshold: 50%}`";
        let Some(entries) = self.mapping(value, "`ownership`", example) else {
            return RawOwnership::Integrated;
        };
        let mut method: Option<(String, Loc)> = None;
        let mut threshold: Option<(Node, Loc)> = None;
        for (key, v) in entries {
            match key.name.as_str() {
                "method" => method = self.text(key, v).map(|t| (t, v.loc)),
                "threshold" => threshold = Some((v.clone(), key.loc)),
                _ => self.unknown_key(key, OWNERSHIP_KEYS, "`ownership`"),
            }
        }
        match method.as_ref().map(|(m, loc)| (m.as_str(), *loc)) {
            None | Some(("integrated", _)) => {
                if let Some((_, loc)) = threshold {
                    self.problems.push(
                        Problem::new(
                            "policy::invalid-ownership",
                            "`threshold` only applies to the control-chain method",
                        )
                        .at(loc, "not used by the integrated method")
                        .with_help("remove it, or write `method: control-chain`"),
                    );
                }
                RawOwnership::Integrated
            }
            Some(("control-chain", _)) => RawOwnership::ControlChain {
                threshold: threshold.map(|(n, _)| n),
            },
            Some((other, loc)) => {
                let help = match did_you_mean(other, ["integrated", "control-chain"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "use `integrated` or `control-chain`".to_string(),
                };
                self.problems.push(
                    Problem::new(
                        "policy::invalid-ownership",
                        format!("unknown ownership method `{other}`"),
                    )
                    .at(loc, "not a method")
                    .with_help(help),
                );
                RawOwnership::Integrated
            }
        }
    }

    fn condition(&mut self, node: &Node) -> Cond {
        let invalid = Cond {
            loc: node.loc,
            kind: CondKind::Invalid,
        };
        let Some(entries) = node.as_map() else {
            self.problems.push(
                Problem::new(
                    "policy::invalid-condition",
                    format!("expected a condition, found {}", describe(node)),
                )
                .at(node.loc, "not a condition")
                .through(node.alias)
                .with_help(
                    "a condition is a mapping: `{fact: PATH, OP: VALUE}`, `all: [...]`, \
                     `any: [...]`, `not: ...`, or `exists|all|none|count: {each: ..., where: ...}`",
                ),
            );
            return invalid;
        };
        if node.get("fact").is_some() {
            return self.leaf(node, entries);
        }
        let Some((key, value)) = entries.first() else {
            self.problems.push(
                Problem::new("policy::invalid-condition", "empty condition")
                    .at(node.loc, "nothing here")
                    .through(node.alias)
                    .with_help(
                        "write a condition such as `{fact: relationship.status, eq: active}`",
                    ),
            );
            return invalid;
        };
        if entries.len() > 1 {
            let names: Vec<String> = entries
                .iter()
                .map(|(k, _)| format!("`{}`", k.name))
                .collect();
            self.problems.push(
                Problem::new(
                    "policy::multiple-conditions",
                    format!("one mapping holds several conditions: {}", names.join(", ")),
                )
                .at(entries[1].0.loc, "a second condition in the same mapping")
                .with_help("a condition mapping has one key; combine conditions with `all: [...]` or `any: [...]`"),
            );
            return invalid;
        }
        match (key.name.as_str(), &value.value) {
            ("all", Yaml::Seq(items)) => self.list(key, items, CondKind::All),
            ("any", Yaml::Seq(items)) => self.list(key, items, CondKind::Any),
            ("not", _) => Cond {
                loc: key.loc,
                kind: CondKind::Not(Box::new(self.condition(value))),
            },
            ("all", Yaml::Map(_)) => self.quantified(key, value, RawQuantifier::All),
            ("exists", _) => self.quantified(key, value, RawQuantifier::Exists),
            ("none", _) => self.quantified(key, value, RawQuantifier::None),
            ("count", _) => self.quantified(key, value, RawQuantifier::Count),
            ("all" | "any", _) => {
                let help = if key.name == "all" {
                    "write `all: [cond, ...]` for a conjunction, or `all: {each: PATH, where: cond}` \
                     for a quantifier"
                } else {
                    "write `any: [cond, ...]`"
                };
                self.problems.push(
                    Problem::new(
                        "policy::invalid-condition",
                        format!("`{}` takes a list of conditions", key.name),
                    )
                    .at(value.loc, format!("found {}", describe(value)))
                    .through(value.alias)
                    .with_help(help),
                );
                invalid
            }
            (name, _) => {
                let is_operator = Op::from_key(name).is_some();
                let help = if is_operator {
                    format!("a comparison names its fact: `{{fact: PATH, {name}: ...}}`")
                } else {
                    match did_you_mean(name, CONDITION_KEYS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            format!("conditions start with one of {}", CONDITION_KEYS.join(", "))
                        }
                    }
                };
                let (code, message) = if is_operator {
                    ("policy::missing-key", format!("`{name}` without `fact`"))
                } else {
                    (
                        "policy::unknown-condition",
                        format!("unknown condition `{name}`"),
                    )
                };
                self.problems.push(
                    Problem::new(code, message)
                        .at(key.loc, "not a condition")
                        .with_help(help),
                );
                invalid
            }
        }
    }

    fn list(&mut self, key: &Key, items: &[Node], make: fn(Vec<Cond>) -> CondKind) -> Cond {
        if items.is_empty() {
            self.problems.push(
                Problem::new(
                    "policy::empty-condition-list",
                    format!("`{}` has no conditions", key.name),
                )
                .at(key.loc, "empty list")
                .with_help("an empty `all` is always true and an empty `any` always false; list at least one condition"),
            );
            return Cond {
                loc: key.loc,
                kind: CondKind::Invalid,
            };
        }
        Cond {
            loc: key.loc,
            kind: make(items.iter().map(|item| self.condition(item)).collect()),
        }
    }

    fn quantified(&mut self, key: &Key, value: &Node, quantifier: RawQuantifier) -> Cond {
        let name = key.name.as_str();
        let example = format!("`{name}: {{each: vendor.owners, as: owner, where: ...}}`");
        let Some(entries) = self.mapping(value, &format!("`{name}`"), &example) else {
            return Cond {
                loc: key.loc,
                kind: CondKind::Invalid,
            };
        };
        let mut q = RawQuantified {
            quantifier,
            each: None,
            var: None,
            body: None,
            count: None,
        };
        let mut allowed = vec!["each", "as", "where"];
        if quantifier == RawQuantifier::Count {
            allowed.extend(CmpOp::ALL.iter().map(|op| op.key()));
        }
        for (k, v) in entries {
            match k.name.as_str() {
                "each" => {
                    q.each = self.expect_str(v, "`each`").map(|text| Located {
                        text,
                        loc: v.loc,
                        alias: v.alias,
                    })
                }
                "as" => {
                    q.var = self.expect_str(v, "`as`").map(|text| Located {
                        text,
                        loc: v.loc,
                        alias: v.alias,
                    })
                }
                "where" => q.body = Some(self.condition(v)),
                other => match CmpOp::from_key(other) {
                    Some(op) if quantifier == RawQuantifier::Count => {
                        if q.count.is_some() {
                            self.problems.push(
                                Problem::new(
                                    "policy::multiple-operators",
                                    "`count` compares with one operator",
                                )
                                .at(k.loc, "a second comparison")
                                .with_help("combine several counts with `all: [...]`"),
                            );
                        } else {
                            q.count = Some((op, v.clone()));
                        }
                    }
                    _ => self.unknown_key(k, &allowed, &format!("`{name}`")),
                },
            }
        }
        if q.each.is_none() && value.get("each").is_none() {
            self.problems.push(
                Problem::new("policy::missing-key", format!("`{name}` has no `each`"))
                    .at(key.loc, "`each` is required")
                    .with_help(format!("name the collection: {example}")),
            );
        }
        let where_required = matches!(quantifier, RawQuantifier::All | RawQuantifier::None);
        if where_required && value.get("where").is_none() {
            self.problems.push(
                Problem::new("policy::missing-key", format!("`{name}` has no `where`"))
                    .at(key.loc, "`where` is required")
                    .with_help(format!("say what every element must satisfy: {example}")),
            );
        }
        if quantifier == RawQuantifier::Count && q.count.is_none() {
            self.problems.push(
                Problem::new("policy::missing-operator", "`count` has no comparison")
                    .at(key.loc, "compare the count with a number")
                    .with_help("add one of `eq`, `ne`, `lt`, `lte`, `gt`, `gte`: `count: {each: ..., where: ..., gte: 2}`"),
            );
        }
        Cond {
            loc: key.loc,
            kind: CondKind::Quantified(Box::new(q)),
        }
    }

    fn leaf(&mut self, node: &Node, entries: &[(Key, Node)]) -> Cond {
        let loc = self.mapping_span(node);
        let mut path: Option<Located> = None;
        let mut ops: Vec<(Op, Loc, &Node)> = Vec::new();
        for (key, value) in entries {
            if key.name == "fact" {
                path = self.expect_str(value, "`fact`").map(|text| Located {
                    text,
                    loc: value.loc,
                    alias: value.alias,
                });
            } else if let Some(op) = Op::from_key(&key.name) {
                ops.push((op, key.loc, value));
            } else {
                let candidates = Op::keys().chain(["fact"]);
                let help = match did_you_mean(&key.name, candidates) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("operators: {}", Op::keys().collect::<Vec<_>>().join(", ")),
                };
                let message = if CONDITION_KEYS.contains(&key.name.as_str()) {
                    format!("`{}` inside a comparison", key.name)
                } else {
                    format!("unknown operator `{}`", key.name)
                };
                self.problems.push(
                    Problem::new("policy::unknown-operator", message)
                        .at(key.loc, "not an operator")
                        .with_help(help),
                );
            }
        }
        let invalid = Cond {
            loc,
            kind: CondKind::Invalid,
        };
        let Some(path) = path else {
            return invalid;
        };
        match ops.as_slice() {
            [] => {
                if entries.len() == 1 {
                    self.problems.push(
                        Problem::new(
                            "policy::missing-operator",
                            format!("comparison on `{}` has no operator", path.text),
                        )
                        .at(loc, "no operator")
                        .with_help(format!(
                            "add one of {}: `{{fact: {}, eq: ...}}`",
                            Op::keys().collect::<Vec<_>>().join(", "),
                            path.text
                        )),
                    );
                }
                invalid
            }
            [(op, op_loc, operand)] => Cond {
                loc,
                kind: CondKind::Leaf(Box::new(RawLeaf {
                    path,
                    op: *op,
                    op_loc: *op_loc,
                    operand: (*operand).clone(),
                })),
            },
            [_, (_, second, _), ..] => {
                self.problems.push(
                    Problem::new(
                        "policy::multiple-operators",
                        format!("comparison on `{}` has several operators", path.text),
                    )
                    .at(*second, "a second operator")
                    .with_help("a comparison has exactly one operator; combine comparisons with `all: [...]` or `any: [...]`"),
                );
                invalid
            }
        }
    }

    fn mapping<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        example: &str,
    ) -> Option<&'n [(Key, Node)]> {
        match node.as_map() {
            Some(entries) => Some(entries),
            None => {
                self.problems.push(
                    Problem::new("policy::invalid-value", format!("{what} must be a mapping"))
                        .at(node.loc, format!("found {}", describe(node)))
                        .through(node.alias)
                        .with_help(format!("write {example}")),
                );
                None
            }
        }
    }

    fn unknown_key(&mut self, key: &Key, known: &[&str], place: &str) {
        let help = match did_you_mean(&key.name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("known keys: {}", known.join(", ")),
        };
        self.problems.push(
            Problem::new(
                "policy::unknown-key",
                format!("unknown key `{}` in {place}", key.name),
            )
            .at(key.loc, "not a key here")
            .with_help(help),
        );
    }

    /// The span of a whole mapping: serde-saphyr gives a mapping's start only, so extend it to
    /// the end of its last value (and the closing `}` of a flow mapping).
    fn mapping_span(&self, node: &Node) -> Loc {
        let start = node.loc.span.offset;
        let mut end = node_end(node).max(start);
        let text = self.source.text.as_bytes();
        if text.get(start) == Some(&b'{') {
            let mut i = end;
            while i < text.len() && text[i] == b' ' {
                i += 1;
            }
            if text.get(i) == Some(&b'}') {
                end = i + 1;
            }
        }
        Loc {
            file: node.loc.file,
            span: Span::new(start, end - start),
        }
    }
}

/// The end offset of a node and everything inside it.
fn node_end(node: &Node) -> usize {
    let own = node.loc.span.offset + node.loc.span.len;
    match &node.value {
        Yaml::Seq(items) => items.iter().map(node_end).fold(own, usize::max),
        Yaml::Map(entries) => entries
            .iter()
            .map(|(k, v)| (k.loc.span.offset + k.loc.span.len).max(node_end(v)))
            .fold(own, usize::max),
        _ => own,
    }
}

fn first_key_loc(doc: &Node) -> Loc {
    doc.as_map()
        .and_then(|m| m.first())
        .map(|(k, _)| k.loc)
        .unwrap_or(doc.loc)
}

fn required_help(key: &str) -> &'static str {
    match key {
        "id" => "add `id: my-policy` (a lower-case slug, usually the file name)",
        "title" => "add `title: ...`: one line that says what the policy forbids",
        "severity" => "add `severity: critical | high | medium | low | info`",
        "fails_when" => "add `fails_when: <condition>`: the violation, true means fail",
        "on_indeterminate" => {
            "add `on_indeterminate: fail | warn | pass`: what a result the facts cannot decide counts as"
        }
        "message" => "add `message: \"...\"`: the finding's text, with `{fact.path}` placeholders",
        _ => "add it",
    }
}

/// A lower-case slug suggestion for an invalid id.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "my-policy".to_string()
    } else {
        out
    }
}

/// A name for a parameter or a binding: `[a-z][a-z0-9_]*`.
pub fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

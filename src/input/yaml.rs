//! YAML text -> a [`Node`] tree that keeps the span of every key and value.
//!
//! serde-saphyr does the parsing (YAML 1.2 booleans only, duplicate keys rejected, alias
//! expansion and nesting capped); we deserialize into a generic tree of `Spanned` values so that
//! one parse serves schema validation (through [`Node::to_json`]), typed loading and diagnostics
//! (through [`Node::pointer`], which maps a JSON pointer back to a span).

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::input::diagnostic::Problem;
use crate::input::limits::{DEPTH_CEILING, Limit, Limits};
use crate::input::source::{FileId, Loc, SourceFile, Span};
use crate::value::count;

/// A parsed YAML (or JSON) value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is written. For a value that an alias (`*name`) or a merge key
    /// (`<<: *name`) copies from an anchor, that is its place inside the anchored node: an
    /// error in it is an error there, whichever copy it was found in.
    pub loc: Loc,
    /// The alias or merge key that copied this value here, if one did.
    pub alias: Option<Loc>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order, each with its own position.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub loc: Loc,
}

impl Node {
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The key node named `key` in a mapping (for diagnostics about the key itself).
    pub fn key(&self, key: &str) -> Option<&Key> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k)
    }

    /// Follows an RFC 6901 JSON pointer (`/stakes/3/owner`).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let segment = raw.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Map(_) => node.get(&segment)?,
                Value::Seq(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The deepest node on the way to `pointer` that exists, for errors about missing members.
    pub fn nearest(&self, pointer: &str) -> &Node {
        let mut node = self;
        let Some(path) = pointer.strip_prefix('/') else {
            return node;
        };
        for raw in path.split('/') {
            let segment = raw.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                Value::Map(_) => node.get(&segment),
                Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// The JSON value of this tree, for schema validation and serde.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses YAML text into a node tree. `file` is the id the text has in the run's source map.
pub fn parse(file: FileId, source: &SourceFile, limits: &Limits) -> Result<Node, Problem> {
    if !has_content(&source.text) {
        return Err(
            Problem::new("yaml::empty", format!("{} is empty", source.name))
                .at(
                    Loc {
                        file,
                        span: Span::new(0, 0),
                    },
                    "no content",
                )
                .with_help("an empty file is not a valid document; delete it or give it content"),
        );
    }
    let parsed: Result<Spanned<RawNode>, _> =
        serde_saphyr::from_str_with_options(&source.text, options(limits));
    match parsed {
        Ok(raw) => {
            let node = convert(raw, file, source);
            match long_string(&node, limits.max_string_bytes) {
                Some((loc, bytes)) => Err(Limit::StringBytes.exceeded(
                    limits,
                    format!("{}: a string of {}", source.name, count(bytes, "byte")),
                    loc,
                )),
                None => Ok(node),
            }
        }
        Err(err) => Err(syntax_problem(&err, file, source, limits)),
    }
}

/// Receives the items of a document's top-level lists one at a time, as they are parsed.
pub trait ItemSink {
    /// Item `index` of the top-level list `list`.
    fn item(&mut self, list: &str, index: usize, item: Node);
}

/// Parses a document whose top-level lists may be long (a registry's organisations and stakes)
/// without keeping them: each item of a top-level list named in `lists` goes to `sink` as soon
/// as it is parsed and is then dropped. The tree returned is the document with those lists left
/// empty. Positions, values, limits and errors are exactly those of [`parse`]; on an error,
/// items already given to the sink belong to a document that is invalid.
pub fn parse_streaming<S: ItemSink + 'static>(
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
    lists: &[&str],
    sink: S,
) -> (Result<Node, Problem>, S) {
    if !has_content(&source.text) {
        return (parse(file, source, limits), sink);
    }
    let sink = Rc::new(RefCell::new(sink));
    let context = StreamContext {
        file,
        source: source.clone(),
        lists: lists.iter().map(|l| l.to_string()).collect(),
        sink: sink.clone(),
        max_string_bytes: limits.max_string_bytes,
        long_string: None,
    };
    STREAMS.with(|s| s.borrow_mut().push(context));
    let parsed: Result<Spanned<StreamTop>, _> =
        serde_saphyr::from_str_with_options(&source.text, options(limits));
    let long_item_string = STREAMS
        .with(|s| s.borrow_mut().pop())
        .and_then(|c| c.long_string);
    let result = match parsed {
        Ok(top) => {
            let node = convert(
                Spanned::new(top.value.0, top.referenced, top.defined),
                file,
                source,
            );
            // The first over-long string in document order, as `parse` reports it: the
            // streamed items and the rest of the document were searched separately.
            let long = [
                long_item_string,
                long_string(&node, limits.max_string_bytes),
            ]
            .into_iter()
            .flatten()
            .min_by_key(|(loc, _)| loc.span.offset);
            match long {
                Some((loc, bytes)) => Err(Limit::StringBytes.exceeded(
                    limits,
                    format!("{}: a string of {}", source.name, count(bytes, "byte")),
                    loc,
                )),
                None => Ok(node),
            }
        }
        Err(err) => Err(syntax_problem(&err, file, source, limits)),
    };
    let sink = match Rc::try_unwrap(sink) {
        Ok(cell) => cell.into_inner(),
        Err(_) => unreachable!("the stream context holding the sink was dropped"),
    };
    (result, sink)
}

/// What a streaming parse on this thread needs while serde-saphyr calls our visitors. A stack,
/// so that a parse nested on the same thread (none today) would not disturb an outer one.
struct StreamContext {
    file: FileId,
    source: SourceFile,
    lists: Vec<String>,
    sink: Rc<RefCell<dyn ItemSink>>,
    max_string_bytes: usize,
    /// The first streamed item string over `max_string_bytes` (that item is not handed over).
    long_string: Option<(Loc, usize)>,
}

thread_local! {
    static STREAMS: RefCell<Vec<StreamContext>> = const { RefCell::new(Vec::new()) };
}

/// The methods of a visitor that reads scalars exactly as [`RawVisitor`] does; the streaming
/// visitors differ from it only in how they read collections.
macro_rules! forward_scalars_to_raw_visitor {
    () => {
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<RawNode, E> {
            RawVisitor.visit_unit()
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<RawNode, E> {
            RawVisitor.visit_none()
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawNode, E> {
            RawVisitor.visit_bool(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawNode, E> {
            RawVisitor.visit_i64(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawNode, E> {
            RawVisitor.visit_u64(v)
        }
        fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<RawNode, E> {
            RawVisitor.visit_i128(v)
        }
        fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<RawNode, E> {
            RawVisitor.visit_u128(v)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawNode, E> {
            RawVisitor.visit_f64(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawNode, E> {
            RawVisitor.visit_str(v)
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawNode, E> {
            RawVisitor.visit_string(v)
        }
    };
}

/// The document root of a streaming parse: a mapping whose streamed lists are left empty, or
/// any other value, kept whole.
struct StreamTop(RawNode);

impl<'de> Deserialize<'de> for StreamTop {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StreamTop, D::Error> {
        deserializer
            .deserialize_any(StreamTopVisitor)
            .map(StreamTop)
    }
}

struct StreamTopVisitor;

impl<'de> Visitor<'de> for StreamTopVisitor {
    type Value = RawNode;

    forward_scalars_to_raw_visitor!();
    fn visit_seq<A: SeqAccess<'de>>(self, access: A) -> Result<RawNode, A::Error> {
        RawVisitor.visit_seq(access)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = access.next_key::<Spanned<String>>()? {
            let streamed = STREAMS.with(|s| {
                s.borrow()
                    .last()
                    .is_some_and(|c| c.lists.contains(&key.value))
            });
            let value = if streamed {
                LIST.with(|l| *l.borrow_mut() = Some(key.value.clone()));
                let list: Spanned<StreamList> = access.next_value()?;
                Spanned::new(list.value.0, list.referenced, list.defined)
            } else {
                access.next_value::<Spanned<RawNode>>()?
            };
            entries.push((key, value));
        }
        Ok(RawNode::Map(entries))
    }
}

thread_local! {
    /// The name of the top-level list whose value is being read.
    static LIST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A top-level list read item by item: a sequence ends up empty (its items went to the sink);
/// any other value is kept whole, for the schema to report.
struct StreamList(RawNode);

impl<'de> Deserialize<'de> for StreamList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StreamList, D::Error> {
        deserializer
            .deserialize_any(StreamListVisitor)
            .map(StreamList)
    }
}

struct StreamListVisitor;

impl<'de> Visitor<'de> for StreamListVisitor {
    type Value = RawNode;

    forward_scalars_to_raw_visitor!();
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<RawNode, A::Error> {
        RawVisitor.visit_map(access)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<RawNode, A::Error> {
        let list = LIST.with(|l| l.borrow_mut().take()).unwrap_or_default();
        let context = STREAMS.with(|s| {
            s.borrow()
                .last()
                .map(|c| (c.file, c.source.clone(), c.sink.clone(), c.max_string_bytes))
        });
        let mut index = 0;
        while let Some(item) = access.next_element::<Spanned<RawNode>>()? {
            if let Some((file, source, sink, max_string_bytes)) = &context {
                let node = convert(item, *file, source);
                match long_string(&node, *max_string_bytes) {
                    Some(found) => STREAMS.with(|s| {
                        if let Some(c) = s.borrow_mut().last_mut() {
                            c.long_string.get_or_insert(found);
                        }
                    }),
                    None => sink.borrow_mut().item(&list, index, node),
                }
            }
            index += 1;
        }
        Ok(RawNode::Seq(Vec::new()))
    }
}

/// Whether the text holds anything but blank lines, comments and document markers: a file of
/// comments only is as empty as a file of nothing.
fn has_content(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        !(line.is_empty() || line.starts_with('#') || line == "---" || line == "...")
    })
}

/// The parser options: YAML 1.2 scalars (`yes`, `on`, `NO` stay strings; `0755` stays a
/// string, not an octal) and a budget derived from the run's limits.
fn options(limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    let depth = limits.max_depth.min(DEPTH_CEILING);
    budget.max_depth = depth;
    // Flow collections (`[[[...`) are counted by the scanner, which runs ahead of the depth
    // budget: cap them at the same depth so that both kinds of nesting stop at the same level.
    budget.flow_nesting_limit = depth;
    budget.max_nodes = limits.max_nodes;
    // Every node is at most a start and an end event; the event cap must not be the one that
    // binds, or a large registry would fail with a message about "events".
    budget.max_events = limits.max_nodes.saturating_mul(2).saturating_add(16);
    budget.max_aliases = limits.max_aliases;
    budget.max_anchors = limits.max_aliases.max(budget.max_anchors);
    // Scalar text beyond the file's own size can only come from alias expansion, which the alias
    // limits bound; this cap must not bind before the file-size limit.
    budget.max_total_scalar_bytes = usize::try_from(limits.max_file_bytes)
        .unwrap_or(usize::MAX)
        .max(budget.max_total_scalar_bytes);
    // A node replays as one event, a collection as two (start and end).
    let alias_limits = serde_saphyr::alias_limits! {
        max_total_replayed_events: limits.max_alias_expansion.saturating_mul(2),
    };
    serde_saphyr::options! {
        strict_booleans: true,
        budget: Some(budget),
        alias_limits: alias_limits,
        legacy_octal_numbers: false,
        leading_zero_numbers_as_strings: true,
    }
}

/// The first string (a value or a key) longer than `max` bytes, in document order.
fn long_string(node: &Node, max: usize) -> Option<(Loc, usize)> {
    match &node.value {
        Value::Str(s) if s.len() > max => Some((node.loc, s.len())),
        Value::Seq(items) => items.iter().find_map(|n| long_string(n, max)),
        Value::Map(entries) => entries.iter().find_map(|(key, value)| {
            if key.name.len() > max {
                Some((key.loc, key.name.len()))
            } else {
                long_string(value, max)
            }
        }),
        _ => None,
    }
}

fn syntax_problem(
    err: &serde_saphyr::Error,
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
) -> Problem {
    let text = err.without_snippet().to_string();
    let first_line = text.lines().next().unwrap_or("invalid YAML");
    let loc = err
        .location()
        .map(|l| location_to_loc(&l, file, source))
        .unwrap_or(Loc {
            file,
            span: Span::new(0, 0),
        });
    if let Some(limit) = limit_of(err.without_snippet(), first_line) {
        let what = match limit {
            Limit::Depth => format!("{}: the nesting is too deep", source.name),
            Limit::Aliases => format!("{}: too many alias uses", source.name),
            Limit::AliasExpansion => format!("{}: aliases expand too much", source.name),
            _ => format!("{}: too many YAML nodes", source.name),
        };
        return limit.exceeded(limits, what, loc);
    }
    if let serde_saphyr::Error::NonFiniteFloat { .. } = err.without_snippet() {
        return Problem::new(
            "yaml::invalid-number",
            format!(
                "{}: {} is not a finite number",
                source.name,
                quoted_scalar(first_line)
            ),
        )
        .at(loc, "not a finite number")
        .with_help("write a number such as 49 or 12.5; quote the value if it is meant as text");
    }
    let (code, help, label) = classify(first_line);
    let message = tidy_message(first_line);
    let problem = Problem::new(code, format!("{}: {message}", source.name)).at(loc, label);
    if code == "yaml::syntax" {
        return with_open_brackets(problem, loc, source);
    }
    problem.with_help(help)
}

/// Brackets beyond this many open at once are not labelled one by one.
const MAX_BRACKET_LABELS: usize = 3;

/// A syntax error with the flow brackets still open where the parser gave up: an unclosed `[`
/// or `{` lets the parser read on, often lines further, and the bracket is what to fix.
fn with_open_brackets(problem: Problem, at: Loc, source: &SourceFile) -> Problem {
    let open: Vec<usize> = crate::input::flow::open_brackets(&source.text, at.span.offset)
        .into_iter()
        // The parser may report the bracket itself; it is labelled already.
        .filter(|&offset| offset != at.span.offset)
        .collect();
    let Some(&innermost) = open.last() else {
        return problem.with_help(
            "fix the YAML syntax at this position (check indentation, quotes and colons)",
        );
    };
    let bracket = |offset: usize| char::from(source.text.as_bytes()[offset]);
    let closing = |offset: usize| if bracket(offset) == '[' { ']' } else { '}' };
    let mut problem = problem;
    for &offset in open.iter().rev().take(MAX_BRACKET_LABELS) {
        problem = problem.at(
            Loc {
                file: at.file,
                span: Span::new(offset, 1),
            },
            format!("this `{}` is not closed", bracket(offset)),
        );
    }
    let line = source.line_col(innermost).line;
    let more = match open.len() {
        1 => String::new(),
        n => format!(" ({} are open here)", count(n, "bracket")),
    };
    problem.with_help(format!(
        "the `{}` opened on line {line} is still open where parsing stopped{more}: close it \
         with `{}`, or quote the value if the bracket is meant as text",
        bracket(innermost),
        closing(innermost),
    ))
}

/// Which limit a parse error is about, if any: budget breaches by kind, alias replay guards,
/// and the parser's own nesting guard (reported only as a message).
fn limit_of(err: &serde_saphyr::Error, message: &str) -> Option<Limit> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    match err {
        E::Budget { breach, .. } => Some(match breach {
            B::Depth { .. } => Limit::Depth,
            B::Aliases { .. } | B::Anchors { .. } | B::AliasAnchorRatio { .. } => Limit::Aliases,
            B::RecordedAnchorEvents { .. }
            | B::RecordedAnchorBytes { .. }
            | B::ScalarBytes { .. } => Limit::AliasExpansion,
            _ => Limit::Nodes,
        }),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => Some(Limit::AliasExpansion),
        #[allow(deprecated)]
        E::AliasError { error, .. } => limit_of(error, message),
        _ => {
            let lower = message.to_ascii_lowercase();
            (lower.contains("recursion limit") || lower.contains("nesting limit"))
                .then_some(Limit::Depth)
        }
    }
}

/// serde-saphyr's messages carry the position and advice about its own options; the label
/// already shows the position, and the options are ours to choose, not the user's.
fn tidy_message(message: &str) -> String {
    let mut message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => message,
    };
    if let Some(i) = message.find(", set DuplicateKeyPolicy") {
        message = &message[..i];
    }
    if let Some(i) = message.rfind(" at line ") {
        message = &message[..i];
    }
    // Advice addressed to programmers using the parser's API, not to the author of the file.
    if let Some(i) = message.find("; use from_str_multiple") {
        message = &message[..i];
    }
    message.trim().replace(
        "multiple YAML documents detected",
        "more than one YAML document (`---`) in one file",
    )
}

/// The first `` `...` `` quoted part of a parser message (the offending scalar), or `a value`.
fn quoted_scalar(message: &str) -> &str {
    message
        .split_once('`')
        .and_then(|(_, rest)| rest.split_once('`'))
        .map_or("a value", |(inner, _)| inner)
}

fn classify(message: &str) -> (&'static str, &'static str, &'static str) {
    let lower = message.to_ascii_lowercase();
    if lower.contains("duplicate") && lower.contains("key") {
        (
            "yaml::duplicate-key",
            "each key may appear once in a mapping; remove or rename one of them",
            "duplicate key",
        )
    } else {
        (
            "yaml::syntax",
            "fix the YAML syntax at this position (check indentation, quotes and colons)",
            "here",
        )
    }
}

fn location_to_loc(location: &Location, file: FileId, source: &SourceFile) -> Loc {
    let span = location.span();
    let text = &source.text;
    // Offsets from the parser are trusted only when they fall on character boundaries inside
    // the text: a span that cut a character in two would break the snippet renderer.
    let offset = match span.byte_offset().and_then(|b| usize::try_from(b).ok()) {
        Some(b) if text.is_char_boundary(b) => b,
        _ => source.offset_of(location.line() as usize, location.column() as usize),
    };
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .filter(|&l| {
            offset
                .checked_add(l)
                .is_some_and(|end| text.is_char_boundary(end))
        })
        .unwrap_or(0);
    Loc {
        file,
        span: Span::new(offset, len),
    }
}

fn convert(raw: Spanned<RawNode>, file: FileId, source: &SourceFile) -> Node {
    let loc = location_to_loc(&raw.defined, file, source);
    let alias =
        (raw.referenced != raw.defined).then(|| location_to_loc(&raw.referenced, file, source));
    let value = match raw.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(f) => Value::Float(f),
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|n| convert(n, file, source))
                .collect(),
        ),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        loc: location_to_loc(&k.defined, file, source),
                        name: k.value,
                    };
                    (key, convert(v, file, source))
                })
                .collect(),
        ),
    };
    Node { loc, alias, value }
}

/// The shape serde-saphyr fills in; converted to [`Node`] once parsing succeeded.
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = access.next_entry()? {
            entries.push(entry);
        }
        Ok(RawNode::Map(entries))
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawNode, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<(SourceFile, Node), Problem> {
        let source = SourceFile::new("t.yaml", None, text);
        let node = parse(FileId(0), &source, &Limits::default())?;
        Ok((source, node))
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let (source, node) = parse_str("orgs:\n  - id: scale-ai\n    country: NO\n").unwrap();
        let country = node.pointer("/orgs/0/country").unwrap();
        assert_eq!(country.as_str(), Some("NO"), "country codes stay strings");
        let lc = source.line_col(country.loc.span.offset);
        assert_eq!((lc.line, lc.column), (3, 14));
        let key = node.pointer("/orgs/0").unwrap().key("id").unwrap();
        assert_eq!(source.line_col(key.loc.span.offset).column, 5);
    }

    #[test]
    fn converts_to_json() {
        let (_, node) = parse_str("a: [1, 2.5, true, ~, x]\n").unwrap();
        assert_eq!(
            node.to_json(),
            serde_json::json!({"a": [1, 2.5, true, null, "x"]})
        );
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let err = parse_str("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.code, "yaml::duplicate-key");
        let (loc, _) = &err.labels[0];
        assert_eq!(loc.span.offset, 10);
    }

    #[test]
    fn only_our_limits_bound_the_size_of_a_document() {
        // A document of 20 nodes passes a node limit of 20 whatever its count of events.
        let limits = Limits {
            max_nodes: 20,
            ..Limits::default()
        };
        let text = format!("[{}]\n", ["{a: 1}"; 6].join(", "));
        let source = SourceFile::new("t.yaml", None, text.as_str());
        assert!(parse(FileId(0), &source, &limits).is_ok());
        let text = format!("[{}]\n", ["{a: 1}"; 7].join(", "));
        let source = SourceFile::new("t.yaml", None, text.as_str());
        assert_eq!(
            parse(FileId(0), &source, &limits).unwrap_err().code,
            "limits::nodes"
        );
    }

    struct Collect(Vec<(String, usize, Node)>);

    impl ItemSink for Collect {
        fn item(&mut self, list: &str, index: usize, item: Node) {
            self.0.push((list.to_string(), index, item));
        }
    }

    #[test]
    fn streaming_gives_the_items_and_positions_of_a_full_parse() {
        let texts = [
            "a: 1\nstakes:\n  - {owner: x, n: 2}\n  - owner: y\n    deep: [1, {b: c}]\nother: [1, 2]\n",
            "# comment\nstakes: 5\n",
            "- 1\n- 2\n",
            "{stakes: [a, b], roles: [{x: 1}], x: y}\n",
            "stakes: []\nroles:\n",
            "roles:\n- person: a\n  org: b\nstakes:\n- {owner: c}\n",
        ];
        let limits = Limits::default();
        for text in texts {
            let source = SourceFile::new("t.yaml", None, text);
            let full = parse(FileId(3), &source, &limits).unwrap();
            let (root, sink) = parse_streaming(
                FileId(3),
                &source,
                &limits,
                &["stakes", "roles"],
                Collect(Vec::new()),
            );
            let mut expected = Vec::new();
            let mut emptied = full.clone();
            if let Value::Map(entries) = &mut emptied.value {
                for (key, value) in entries {
                    if let (true, Value::Seq(items)) = (
                        key.name == "stakes" || key.name == "roles",
                        &mut value.value,
                    ) {
                        for (i, item) in items.drain(..).enumerate() {
                            expected.push((key.name.clone(), i, item));
                        }
                    }
                }
            }
            assert_eq!(sink.0, expected, "{text}");
            assert_eq!(root.unwrap(), emptied, "{text}");
        }
        for bad in [
            "stakes:\n  - a: 1\n    a: 2\n",
            "stakes:\n  - [unclosed\n",
            "stakes: [1]\nstakes: [2]\n",
            "",
        ] {
            let source = SourceFile::new("t.yaml", None, bad);
            let full = parse(FileId(0), &source, &limits).unwrap_err();
            let (streamed, _) = parse_streaming(
                FileId(0),
                &source,
                &limits,
                &["stakes"],
                Collect(Vec::new()),
            );
            assert_eq!(streamed.unwrap_err(), full, "{bad}");
        }
    }

    #[test]
    fn empty_documents_are_errors() {
        assert_eq!(parse_str("  \n").unwrap_err().code, "yaml::empty");
    }
}

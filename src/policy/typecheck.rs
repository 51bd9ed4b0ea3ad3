//! The typechecker: raw conditions -> checked [`Condition`]s, resolving every fact path against
//! the fact model, every operator against the type of its fact, and every operand against the
//! type the operator expects. All problems are collected; a condition that has one is dropped.

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::Loc;
use crate::input::yaml::{Node, Value as Yaml};

use super::ast::{Cond, CondKind, Located, RawLeaf, RawQuantified, RawQuantifier};
use super::fact_model::{self, FactType};
use super::literal;
use super::model::{
    Comparison, Condition, ConditionKind, FactPath, Op, Operand, OperandKind, Param, Quantified,
    Quantifier, Value, ValueType,
};
use super::params::literal_problem;

/// A name bound by a quantifier, visible inside its `where`.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub name: String,
    pub kind: &'static str,
}

pub struct Checker<'p> {
    params: &'p [Param],
    /// Every declared parameter name, including those whose declaration is broken, so that a
    /// use of a broken parameter is not also reported as unknown.
    declared: &'p [String],
    pub problems: Vec<Problem>,
    /// Names bound by `exists` (the witnesses a message template may read), with their kinds.
    pub witnesses: Vec<Binding>,
    /// Names an `exists` would have bound but for a problem already reported: the message may
    /// use them without a second, misleading "not bound" report.
    pub broken_witnesses: Vec<String>,
    collect_witnesses: bool,
}

impl<'p> Checker<'p> {
    pub fn new(params: &'p [Param], declared: &'p [String]) -> Self {
        Checker {
            params,
            declared,
            problems: Vec::new(),
            witnesses: Vec::new(),
            broken_witnesses: Vec::new(),
            collect_witnesses: false,
        }
    }

    /// Checks a top-level condition; `witnesses` says whether its `exists` bindings are the
    /// ones the message may read (true for `fails_when`).
    pub fn check_top(&mut self, cond: &Cond, witnesses: bool) -> Option<Condition> {
        self.collect_witnesses = witnesses;
        let mut scope = Vec::new();
        self.check(cond, &mut scope)
    }

    fn check(&mut self, cond: &Cond, scope: &mut Vec<Binding>) -> Option<Condition> {
        let kind = match &cond.kind {
            CondKind::Invalid => return None,
            CondKind::All(items) => ConditionKind::All(self.check_all(items, scope)?),
            CondKind::Any(items) => ConditionKind::Any(self.check_all(items, scope)?),
            CondKind::Not(inner) => ConditionKind::Not(Box::new(self.check(inner, scope)?)),
            CondKind::Quantified(q) => {
                ConditionKind::Quantified(Box::new(self.quantified(q, cond.loc, scope)?))
            }
            CondKind::Leaf(leaf) => ConditionKind::Compare(Box::new(self.leaf(leaf, scope)?)),
        };
        Some(Condition {
            loc: cond.loc,
            kind,
        })
    }

    /// Checks every item (to report all problems) and keeps them only if all are valid.
    fn check_all(&mut self, items: &[Cond], scope: &mut Vec<Binding>) -> Option<Vec<Condition>> {
        let checked: Vec<Option<Condition>> = items.iter().map(|c| self.check(c, scope)).collect();
        checked.into_iter().collect()
    }

    fn quantified(
        &mut self,
        q: &RawQuantified,
        key_loc: Loc,
        scope: &mut Vec<Binding>,
    ) -> Option<Quantified> {
        let each = q.each.as_ref().and_then(|each| {
            let path = self.path(each, scope)?;
            match path.ty {
                FactType::List(_) => Some(path),
                other => {
                    self.problems
                        .push(not_a_collection(each, other, &collections_in_scope(scope)));
                    None
                }
            }
        });
        let kind = match each.as_ref().map(|p| p.ty) {
            Some(FactType::List(kind)) => Some(kind),
            _ => None,
        };
        let var = match (&q.var, kind) {
            (Some(var), _) => self.binding_name(var, scope).then(|| var.text.clone()),
            (None, Some(kind)) => {
                if let Some(outer) = scope.iter().find(|b| b.name == kind) {
                    self.problems.push(
                        Problem::new(
                            "policy::duplicate-binding",
                            format!(
                                "`{}` is already bound by an enclosing quantifier",
                                outer.name
                            ),
                        )
                        .at(key_loc, format!("would bind `{kind}` again"))
                        .with_help("name the inner element with `as: other_name`"),
                    );
                    None
                } else {
                    Some(kind.to_string())
                }
            }
            (None, None) => None,
        };
        let count = match &q.count {
            Some((op, node)) => {
                let operand = self.operand(node, ValueType::Number, &|| {
                    format!(
                        "the count of `{}`",
                        q.each.as_ref().map_or("?", |e| e.text.as_str())
                    )
                })?;
                self.count_operand(&operand)?;
                Some((*op, operand))
            }
            None => None,
        };
        let (Some(each), Some(var), Some(kind)) = (each, var, kind) else {
            // Still check the body for its own problems. The element's name is bound to a
            // placeholder (every element kind's name when `as` is absent), so that a typo in
            // `each` is not also reported as an unbound name at every use inside `where`.
            let names: Vec<String> = match &q.var {
                Some(var) => vec![var.text.clone()],
                None => fact_model::KINDS
                    .iter()
                    .filter(|k| !fact_model::collections_of(k.name).is_empty())
                    .map(|k| k.name.to_string())
                    .collect(),
            };
            if self.collect_witnesses && q.quantifier == RawQuantifier::Exists {
                self.broken_witnesses.extend(names.iter().cloned());
            }
            if let Some(body) = &q.body {
                let depth = scope.len();
                scope.extend(names.iter().map(|n| placeholder(n)));
                let _ = self.check(body, scope);
                scope.truncate(depth);
            }
            return None;
        };
        if self.collect_witnesses && q.quantifier == RawQuantifier::Exists {
            let binding = Binding {
                name: var.clone(),
                kind,
            };
            if !self.witnesses.contains(&binding) {
                self.witnesses.push(binding);
            }
        }
        scope.push(Binding {
            name: var.clone(),
            kind,
        });
        let body = match &q.body {
            Some(b) => self.check(b, scope).map(Some),
            None => Some(None),
        };
        scope.pop();
        let quantifier = match q.quantifier {
            RawQuantifier::Exists => Quantifier::Exists,
            RawQuantifier::All => Quantifier::All,
            RawQuantifier::None => Quantifier::None,
            RawQuantifier::Count => {
                let (op, operand) = count?;
                Quantifier::Count { op, operand }
            }
        };
        Some(Quantified {
            quantifier,
            each,
            var,
            body: body?,
        })
    }

    /// Whether `as: NAME` is a usable binding name here; reports why not.
    fn binding_name(&mut self, var: &Located, scope: &[Binding]) -> bool {
        let name = var.text.as_str();
        if !super::parse::is_identifier(name) {
            self.problems.push(
                Problem::new(
                    "policy::invalid-name",
                    format!("`{name}` is not a valid name"),
                )
                .at(var.loc, "not a name")
                .through(var.alias)
                .with_help("names are lower-case letters, digits and `_`, starting with a letter"),
            );
            return false;
        }
        if fact_model::root(name).is_some() || name == "params" || name == "as_of" {
            self.problems.push(
                Problem::new(
                    "policy::reserved-name",
                    format!("`{name}` is a built-in name"),
                )
                .at(var.loc, "would hide the built-in")
                .through(var.alias)
                .with_help("choose another name for the element"),
            );
            return false;
        }
        if scope.iter().any(|b| b.name == name) {
            self.problems.push(
                Problem::new(
                    "policy::duplicate-binding",
                    format!("`{name}` is already bound by an enclosing quantifier"),
                )
                .at(var.loc, "bound twice")
                .through(var.alias)
                .with_help("choose another name for the inner element"),
            );
            return false;
        }
        true
    }

    fn leaf(&mut self, leaf: &RawLeaf, scope: &[Binding]) -> Option<Comparison> {
        let path = self.path(&leaf.path, scope)?;
        let Some(expected) = leaf.op.operand_type(path.ty) else {
            self.problems.push(operator_problem(leaf, &path));
            return None;
        };
        if leaf.op == Op::Known && !matches!(leaf.operand.value, Yaml::Bool(_)) {
            self.problems.push(
                Problem::new("policy::operand-type", "`known` takes `true` or `false`")
                    .at(leaf.operand.loc, format!("found {}", literal::describe(&leaf.operand)))
                    .through(leaf.operand.alias)
                    .with_help(format!(
                        "write `{{fact: {path}, known: true}}` (or `false` to test that it is unknown)"
                    )),
            );
            return None;
        }
        let what = || {
            format!(
                "the operand of `{}` on `{}` ({})",
                leaf.op.key(),
                path,
                path.ty
            )
        };
        let operand = self.operand(&leaf.operand, expected, &what)?;
        Some(Comparison {
            path,
            op: leaf.op,
            operand,
        })
    }

    /// An operand: `$as_of`, `$param`, or a literal read as `expected`.
    /// A count is compared with a whole number of 0 or more: `gte: -3` or `gte: 2.5` would
    /// always or never hold, which is a mistake rather than a rule. `None` (reported) otherwise.
    fn count_operand(&mut self, operand: &Operand) -> Option<()> {
        let OperandKind::Value(Value::Number(n)) = operand.kind else {
            return Some(());
        };
        if n >= 0.0 && n.fract() == 0.0 {
            return Some(());
        }
        let via = operand
            .param
            .as_ref()
            .map(|name| format!(" (the value of `${name}`)"))
            .unwrap_or_default();
        self.problems.push(
            Problem::new(
                "policy::invalid-count",
                format!(
                    "a count is compared with `{}`{via}, which is not a count",
                    Value::Number(n)
                ),
            )
            .at(operand.loc, "not a whole number of 0 or more")
            .with_help("compare a count with a whole number such as 0, 1 or 3"),
        );
        None
    }

    fn operand(
        &mut self,
        node: &Node,
        expected: ValueType,
        what: &dyn Fn() -> String,
    ) -> Option<Operand> {
        if let Some(name) = node.as_str().and_then(|s| s.strip_prefix('$')) {
            return self.param_operand(name, node.loc, expected, what);
        }
        if let Some(items) = node.as_seq()
            && let Some(item) = items
                .iter()
                .find(|i| i.as_str().is_some_and(|s| s.starts_with('$')))
        {
            self.problems.push(
                Problem::new("policy::operand-type", "a list cannot hold a parameter")
                    .at(item.loc, "a parameter inside a list")
                    .through(item.alias)
                    .with_help(
                        "declare the whole list as a `text-list` parameter and write `$name`",
                    ),
            );
            return None;
        }
        match literal::from_node(node, expected) {
            Ok(value) => Some(Operand {
                kind: OperandKind::Value(value),
                param: None,
                loc: node.loc,
            }),
            Err(err) => {
                self.problems.push(literal_problem(
                    err,
                    "policy::operand-type",
                    node.loc,
                    what(),
                    expected.example(),
                ));
                None
            }
        }
    }

    fn param_operand(
        &mut self,
        name: &str,
        loc: Loc,
        expected: ValueType,
        what: &dyn Fn() -> String,
    ) -> Option<Operand> {
        if name == "as_of" {
            if expected == ValueType::Date {
                return Some(Operand {
                    kind: OperandKind::AsOf,
                    param: None,
                    loc,
                });
            }
            self.problems.push(
                Problem::new(
                    "policy::operand-type",
                    format!(
                        "{} must be {}, but `$as_of` is a date",
                        what(),
                        expected.example()
                    ),
                )
                .at(loc, "a date")
                .with_help("`$as_of` compares with date facts only"),
            );
            return None;
        }
        let Some(param) = self.params.iter().find(|p| p.name == name) else {
            if !self.declared.iter().any(|d| d == name) {
                let names = self.declared.iter().map(String::as_str).chain(["as_of"]);
                let help = match did_you_mean(name, names) {
                    Some(s) => format!("did you mean `${s}`?"),
                    None if self.declared.is_empty() => format!(
                        "declare it: `params: {{{name}: {{type: {expected}, default: ...}}}}`"
                    ),
                    None => format!(
                        "declared parameters: {}",
                        self.declared
                            .iter()
                            .map(|d| format!("${d}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.problems.push(
                    Problem::new(
                        "policy::unknown-param",
                        format!("unknown parameter `${name}`"),
                    )
                    .at(loc, "not declared under `params`")
                    .with_help(help),
                );
            }
            return None;
        };
        if param.ty != expected {
            self.problems.push(
                Problem::new(
                    "policy::operand-type",
                    format!(
                        "{} must be {}, but `${name}` is a {} parameter",
                        what(),
                        expected.example(),
                        param.ty
                    ),
                )
                .at(loc, format!("a {}", param.ty))
                .at(param.loc, format!("declared as {}", param.ty))
                .with_help(format!("declare `{name}` with `type: {expected}`")),
            );
            return None;
        }
        Some(Operand {
            kind: OperandKind::Value(param.value.clone()),
            param: Some(name.to_string()),
            loc,
        })
    }

    /// Resolves a path in a condition; reports and returns `None` when it does not resolve.
    fn path(&mut self, path: &Located, scope: &[Binding]) -> Option<FactPath> {
        match resolve_path(path, scope) {
            Ok(p) => Some(p),
            Err(problem) => {
                self.problems.extend(problem);
                None
            }
        }
    }

    /// Checks the `threshold` of the control-chain method: a percent or a percent parameter.
    pub fn threshold(&mut self, node: &Node) -> Option<f64> {
        let what = || "the control-chain `threshold`".to_string();
        match self.operand(node, ValueType::Percent, &what)?.kind {
            OperandKind::Value(Value::Percent(p)) => Some(p),
            _ => None,
        }
    }
}

/// The kind of a name whose quantifier is broken (already reported).
const PLACEHOLDER: &str = "?";

fn placeholder(name: &str) -> Binding {
    Binding {
        name: name.to_string(),
        kind: PLACEHOLDER,
    }
}

/// Resolves a dotted path against the roots and the names in `scope`. `Err(None)` means the
/// path starts at a name whose quantifier is broken and was reported already.
pub fn resolve_path(path: &Located, scope: &[Binding]) -> Result<FactPath, Option<Problem>> {
    let first = path.text.split('.').next().unwrap_or("");
    let bound = scope.iter().rev().find(|b| b.name == first);
    if bound.is_some_and(|b| b.kind == PLACEHOLDER) {
        return Err(None);
    }
    resolve(path, scope).map_err(Some)
}

fn resolve(path: &Located, scope: &[Binding]) -> Result<FactPath, Problem> {
    let segments: Vec<String> = path.text.split('.').map(str::to_string).collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(Problem::new(
            "policy::unknown-fact",
            format!("`{}` is not a fact path", path.text),
        )
        .at(path.loc, "malformed path")
        .through(path.alias)
        .with_help("a path is dot-separated names, e.g. `vendor.name` or `owner.economic`"));
    }
    let first = segments[0].as_str();
    let kind_name = if let Some(b) = scope.iter().rev().find(|b| b.name == first) {
        b.kind
    } else if let Some(root) = fact_model::root(first) {
        root.kind
    } else {
        return Err(unknown_root(path, first, scope));
    };
    let mut ty = FactType::Object(kind_name);
    for (i, segment) in segments.iter().enumerate().skip(1) {
        let so_far = segments[..i].join(".");
        let kind = match ty {
            FactType::Object(k) => k,
            FactType::List(k) => {
                return Err(Problem::new(
                    "policy::through-collection",
                    format!("`{so_far}` is a collection; `{}` reads into it", path.text),
                )
                .at(path.loc, format!("`{so_far}` is a {ty}"))
                .through(path.alias)
                .with_help(format!(
                    "read each element with a quantifier: `exists: {{each: {so_far}, as: {k}, where: {{fact: {k}.{segment}, ...}}}}`"
                )));
            }
            value => {
                return Err(Problem::new(
                    "policy::unknown-fact",
                    format!("unknown fact `{}`", path.text),
                )
                .at(path.loc, format!("`{so_far}` is {value} and has no fields"))
                .through(path.alias)
                .with_help(format!("compare `{so_far}` itself")));
            }
        };
        let Some(model) = fact_model::kind(kind) else {
            return Err(Problem::new(
                "policy::unknown-fact",
                format!("unknown fact `{}`", path.text),
            )
            .at(path.loc, "not in the fact model")
            .through(path.alias));
        };
        match model.field(segment) {
            Some(field) => ty = field.ty,
            None => {
                let help = match did_you_mean(segment, model.field_names()) {
                    Some(s) => format!("did you mean `{so_far}.{s}`?"),
                    None => format!(
                        "the fields of `{so_far}` ({kind}) are: {}",
                        model.field_names().collect::<Vec<_>>().join(", ")
                    ),
                };
                return Err(Problem::new(
                    "policy::unknown-fact",
                    format!("unknown fact `{}`", path.text),
                )
                .at(path.loc, format!("{kind} has no field `{segment}`"))
                .through(path.alias)
                .with_help(help));
            }
        }
    }
    Ok(FactPath {
        segments,
        ty,
        loc: path.loc,
    })
}

/// The first name of a path is neither a root nor bound: either an element name used outside
/// its quantifier, or a misspelling.
fn unknown_root(path: &Located, first: &str, scope: &[Binding]) -> Problem {
    let collections = fact_model::collections_of(first);
    if !collections.is_empty() {
        return Problem::new(
            "policy::unbound-variable",
            format!("`{first}` is not bound here"),
        )
        .at(
            path.loc,
            format!("no quantifier around this binds `{first}`"),
        )
        .with_help(format!(
            "`{first}` names an element of {}; read it inside a quantifier: \
             `exists: {{each: {}, as: {first}, where: {{fact: {}, ...}}}}`",
            collections.join(" or "),
            collections[0],
            path.text
        ));
    }
    if first == "params" {
        return Problem::new(
            "policy::unknown-fact",
            format!("`{}` is not a fact", path.text),
        )
        .at(path.loc, "parameters are operands")
        .through(path.alias)
        .with_help("compare a fact with a parameter: `{fact: owner.economic, gte: $threshold}`");
    }
    let names: Vec<&str> = fact_model::ROOTS
        .iter()
        .map(|r| r.name)
        .chain(scope.iter().map(|b| b.name.as_str()))
        .collect();
    let help = match did_you_mean(first, names.iter().copied()) {
        Some(s) => {
            let rest = path.text.strip_prefix(first).unwrap_or("");
            format!("did you mean `{s}{rest}`?")
        }
        None => format!("paths start with one of: {}", names.join(", ")),
    };
    Problem::new(
        "policy::unknown-fact",
        format!("unknown fact `{}`", path.text),
    )
    .at(path.loc, format!("`{first}` is not a root or a bound name"))
    .through(path.alias)
    .with_help(help)
}

fn operator_problem(leaf: &RawLeaf, path: &FactPath) -> Problem {
    let ty = path.ty;
    if !ty.is_value() {
        return Problem::new(
            "policy::not-a-value",
            format!("`{path}` is a {ty}, not a value"),
        )
        .at(path.loc, format!("a {ty}"))
        .through(leaf.path.alias)
        .with_help(match ty {
            FactType::List(kind) => format!(
                "use a quantifier over it: `exists: {{each: {path}, as: {kind}, where: ...}}`, or `count`"
            ),
            _ => "compare one of its fields".to_string(),
        });
    }
    let ops = Op::applicable_to(ty);
    let hint = match (leaf.op, ty) {
        (Op::Cmp(_), FactType::TextSet) => " (use `contains` for one value, `any_of` for several)",
        (Op::Contains | Op::AnyOf, FactType::Text) => " (use `eq` or `in`)",
        _ => "",
    };
    Problem::new(
        "policy::operator-type",
        format!(
            "`{}` does not apply to `{path}`, which is {ty}",
            leaf.op.key()
        ),
    )
    .at(leaf.op_loc, format!("not an operator for {ty}"))
    .at(path.loc, format!("this fact is {ty}"))
    .through(leaf.path.alias)
    .with_help(format!("{ty} supports: {}{hint}", ops.join(", ")))
}

fn not_a_collection(each: &Located, ty: FactType, collections: &[String]) -> Problem {
    Problem::new(
        "policy::not-a-collection",
        format!("`{}` is {ty}, not a collection", each.text),
    )
    .at(each.loc, "not a collection")
    .through(each.alias)
    .with_help(if collections.is_empty() {
        "`each` names a list of objects".to_string()
    } else {
        format!("collections here: {}", collections.join(", "))
    })
}

/// The collections a quantifier at this point could range over.
fn collections_in_scope(scope: &[Binding]) -> Vec<String> {
    let mut out = Vec::new();
    let starts = fact_model::ROOTS
        .iter()
        .map(|r| (r.name, r.kind))
        .chain(scope.iter().map(|b| (b.name.as_str(), b.kind)));
    for (name, kind) in starts {
        if let Some(k) = fact_model::kind(kind) {
            for f in k.fields {
                if let FactType::List(_) = f.ty {
                    out.push(format!("{name}.{}", f.name));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::input::limits::Limits;
    use crate::input::source::{FileId, SourceFile};

    /// The codes and `line:col`s of the problems of a policy whose `fails_when` is `condition`.
    fn problems(condition: &str) -> Vec<(&'static str, String)> {
        let text = format!(
            "id: t\ntitle: T\nseverity: low\non_indeterminate: warn\nmessage: m\nfails_when:\n{condition}"
        );
        let source = SourceFile::new("t.yaml", None, text);
        match super::super::load_policy(FileId(0), &source, &BTreeMap::new(), &Limits::default()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems
                .iter()
                .map(|p| {
                    let at = p
                        .primary()
                        .map(|l| source.line_col(l.span.offset).to_string());
                    (p.code, at.unwrap_or_default())
                })
                .collect(),
        }
    }

    #[test]
    fn nested_quantifiers_bind_names() {
        let ok = "  exists:\n    each: vendor.people\n    where:\n      exists:\n        each: person.moves\n        where: {fact: move.competitor, eq: true}\n";
        assert_eq!(problems(ok), vec![]);
        let twice = "  exists:\n    each: vendor.owners\n    where:\n      all:\n        each: vendor.owners\n        where: {fact: owner.competitor, eq: true}\n";
        assert_eq!(
            problems(twice),
            vec![("policy::duplicate-binding", "10:7".into())]
        );
        let renamed = twice.replace("      all:\n", "      all:\n        as: other\n");
        assert_eq!(
            problems(&renamed),
            vec![],
            "`owner` stays visible; `other` is the inner element"
        );
    }

    #[test]
    fn paths_do_not_read_through_collections() {
        assert_eq!(
            problems("  {fact: vendor.owners.economic, gte: 20%}\n"),
            vec![("policy::through-collection", "7:10".into())]
        );
        assert_eq!(
            problems("  {fact: vendor.owners, eq: x}\n"),
            vec![("policy::not-a-value", "7:10".into())]
        );
        assert_eq!(problems("  {fact: vendor.owners, known: true}\n"), vec![]);
    }

    #[test]
    fn a_broken_each_is_reported_once() {
        let text =
            "  exists:\n    each: vendor.ownrs\n    where: {fact: owner.economic, gte: 20%}\n";
        assert_eq!(
            problems(text),
            vec![("policy::unknown-fact", "8:11".into())]
        );
    }

    #[test]
    fn reserved_and_invalid_names() {
        let text = "  exists:\n    each: vendor.owners\n    as: vendor\n    where: {fact: vendor.name, eq: x}\n";
        assert_eq!(
            problems(text),
            vec![("policy::reserved-name", "9:9".into())]
        );
        let text = "  exists:\n    each: vendor.owners\n    as: Owner\n";
        assert_eq!(problems(text), vec![("policy::invalid-name", "9:9".into())]);
    }

    #[test]
    fn parameters_must_have_the_operand_type() {
        let text = "id: t\ntitle: T\nseverity: low\non_indeterminate: warn\nmessage: m\n\
                    params:\n  n: {type: number, default: 20}\n\
                    fails_when: {fact: vendor.revenue, gte: $n}\n";
        let source = SourceFile::new("t.yaml", None, text);
        let err =
            super::super::load_policy(FileId(0), &source, &BTreeMap::new(), &Limits::default())
                .expect_err("money against a number");
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].code, "policy::operand-type");
        assert_eq!(
            err[0].labels.len(),
            2,
            "points at the use and the declaration"
        );
        assert_eq!(
            err[0].help.as_deref(),
            Some("declare `n` with `type: money`")
        );
    }

    #[test]
    fn as_of_compares_with_dates_only() {
        assert_eq!(
            problems("  {fact: relationship.last_review, lt: $as_of}\n"),
            vec![]
        );
        assert_eq!(
            problems("  {fact: relationship.status, eq: $as_of}\n"),
            vec![("policy::operand-type", "7:35".into())]
        );
    }

    #[test]
    fn count_takes_one_comparison_with_a_number() {
        let ok =
            "  count: {each: vendor.owners, where: {fact: owner.competitor, eq: true}, gte: 2}\n";
        assert_eq!(problems(ok), vec![]);
        let none = "  count: {each: vendor.owners}\n";
        assert_eq!(
            problems(none),
            vec![("policy::missing-operator", "7:3".into())]
        );
        let text = "  count: {each: vendor.owners, gte: 20%}\n";
        assert_eq!(
            problems(text),
            vec![("policy::operand-type", "7:37".into())]
        );
    }
}

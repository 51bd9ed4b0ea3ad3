//! Message templates: text with `{fact.path}`, `{params.name}` and `{as_of}` placeholders
//! (`{{` and `}}` for literal braces), checked at load time and rendered with the witnesses of
//! an evaluation.

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::{Loc, SourceFile, Span};

use super::ast::Located;
use super::fact_model;
use super::typecheck::{Binding, resolve_path};

#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub text: String,
    pub loc: Loc,
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    /// `{vendor.name}`, `{owner.economic}`.
    Fact {
        path: Vec<String>,
        loc: Loc,
    },
    /// `{params.threshold}`.
    Param {
        name: String,
        loc: Loc,
    },
    /// `{as_of}`.
    AsOf,
}

impl Template {
    /// Renders the template; `value` gives the display text of each placeholder.
    pub fn render(&self, value: &dyn Fn(&Part) -> String) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                other => out.push_str(&value(other)),
            }
        }
        out
    }
}

/// Splits a template into parts; reports unclosed or empty placeholders.
pub fn parse(text: &str, loc: Loc, source: &SourceFile) -> (Template, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut search_from = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(_, n)| *n == '{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().is_some_and(|(_, n)| *n == '}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let Some(len) = text[i..].find('}') else {
                    problems.push(
                        Problem::new("policy::template-syntax", "unclosed `{` in the message")
                            .at(loc, "a `{` without its `}`")
                            .with_help("close the placeholder, or write `{{` for a literal brace"),
                    );
                    literal.push_str(&text[i..]);
                    break;
                };
                let raw = &text[i..=i + len];
                let inner = raw[1..raw.len() - 1].trim();
                let (place, next) = locate(source, loc, raw, search_from);
                search_from = next;
                while chars.peek().is_some_and(|(j, _)| *j <= i + len) {
                    chars.next();
                }
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                if inner.is_empty() {
                    problems.push(
                        Problem::new("policy::template-syntax", "empty placeholder `{}`")
                            .at(place, "names nothing")
                            .with_help("write a fact path such as `{vendor.name}`, or `{{}}` for literal braces"),
                    );
                } else if inner == "as_of" {
                    parts.push(Part::AsOf);
                } else if let Some(name) = inner.strip_prefix("params.") {
                    parts.push(Part::Param {
                        name: name.to_string(),
                        loc: place,
                    });
                } else {
                    parts.push(Part::Fact {
                        path: inner.split('.').map(str::to_string).collect(),
                        loc: place,
                    });
                }
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    (
        Template {
            text: text.to_string(),
            loc,
            parts,
        },
        problems,
    )
}

/// The position of a placeholder in the file: searched for in the text of the YAML scalar, as
/// quoting and escapes make offsets in the value differ from offsets in the file. Falls back to
/// the whole scalar. Returns the location and where to continue searching.
fn locate(source: &SourceFile, scalar: Loc, needle: &str, from: usize) -> (Loc, usize) {
    let start = scalar.span.offset.min(source.text.len());
    let end = if scalar.span.len > 0 {
        (start + scalar.span.len).min(source.text.len())
    } else {
        source.text.len()
    };
    let haystack = source.text.get(start..end).unwrap_or("");
    match haystack.get(from..).and_then(|h| h.find(needle)) {
        Some(pos) => {
            let at = from + pos;
            (
                Loc {
                    file: scalar.file,
                    span: Span::new(start + at, needle.len()),
                },
                at + needle.len(),
            )
        }
        None => (scalar, from),
    }
}

/// Checks every placeholder: facts must exist and be values, and names other than the roots must
/// be bound by an `exists` in `fails_when` (`witnesses`); parameters must be declared.
/// Placeholders starting with a name in `broken` are skipped: the quantifier that would bind
/// it has a problem of its own.
pub fn check(
    template: &Template,
    declared: &[String],
    witnesses: &[Binding],
    broken: &[String],
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for part in &template.parts {
        match part {
            Part::Text(_) | Part::AsOf => {}
            Part::Param { name, loc } => {
                if !declared.iter().any(|d| d == name) {
                    let help = match did_you_mean(name, declared.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{{params.{s}}}`?"),
                        None => "declare the parameter under `params`".to_string(),
                    };
                    problems.push(
                        Problem::new(
                            "policy::unknown-param",
                            format!("unknown parameter `{name}` in the message"),
                        )
                        .at(*loc, "not declared under `params`")
                        .with_help(help),
                    );
                }
            }
            Part::Fact { path, .. } if path.first().is_some_and(|f| broken.contains(f)) => {}
            Part::Fact { path, loc } => {
                if let Some(p) = check_fact(path, *loc, witnesses) {
                    problems.push(p);
                }
            }
        }
    }
    problems
}

fn check_fact(path: &[String], loc: Loc, witnesses: &[Binding]) -> Option<Problem> {
    let text = path.join(".");
    let first = path.first().map(String::as_str).unwrap_or("");
    let is_root = fact_model::root(first).is_some();
    let is_witness = witnesses.iter().any(|w| w.name == first);
    if !is_root && !is_witness {
        let collections = fact_model::collections_of(first);
        if !collections.is_empty() {
            return Some(
                Problem::new(
                    "policy::unbound-template-variable",
                    format!("`{{{text}}}`: `{first}` is not bound by an `exists` in `fails_when`"),
                )
                .at(loc, format!("`{first}` has no value when the message is rendered"))
                .with_help(format!(
                    "the message can read the element an `exists` found: bind it with \
                     `exists: {{each: {}, as: {first}, where: ...}}` in `fails_when`, or use a root \
                     (org, relationship, vendor)",
                    collections[0]
                )),
            );
        }
        let names: Vec<&str> = fact_model::ROOTS
            .iter()
            .map(|r| r.name)
            .chain(witnesses.iter().map(|w| w.name.as_str()))
            .chain(["params", "as_of"])
            .collect();
        let help = match did_you_mean(first, names.iter().copied()) {
            Some(s) => format!(
                "did you mean `{{{s}{}}}`?",
                text.strip_prefix(first).unwrap_or("")
            ),
            None => format!("placeholders start with one of: {}", names.join(", ")),
        };
        return Some(
            Problem::new(
                "policy::unbound-template-variable",
                format!("`{{{text}}}`: `{first}` is not a root or a name bound by an `exists`"),
            )
            .at(loc, "unknown name")
            .with_help(help),
        );
    }
    let located = Located {
        text,
        loc,
        alias: None,
    };
    match resolve_path(&located, witnesses) {
        Ok(p) if p.ty.is_value() => None,
        Ok(p) => Some(
            Problem::new(
                "policy::not-a-value",
                format!(
                    "`{{{}}}` is a {}, not a value a message can show",
                    located.text, p.ty
                ),
            )
            .at(loc, format!("a {}", p.ty))
            .with_help("name one of its fields, or an element bound by `exists`"),
        ),
        Err(problem) => problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::source::FileId;

    fn parse_text(text: &str) -> (Template, Vec<Problem>) {
        let yaml = format!("message: \"{text}\"\n");
        let source = SourceFile::new("t.yaml", None, yaml.as_str());
        let loc = Loc {
            file: FileId(0),
            span: Span::new(9, text.len() + 2),
        };
        parse(text, loc, &source)
    }

    #[test]
    fn splits_placeholders_and_escapes() {
        let (t, problems) = parse_text("{vendor.name} is {{x}} {params.threshold} on {as_of}");
        assert!(problems.is_empty());
        assert_eq!(t.parts.len(), 5);
        let rendered = t.render(&|p| match p {
            Part::Fact { path, .. } => path.join("."),
            Part::Param { name, .. } => format!("${name}"),
            _ => "DATE".to_string(),
        });
        assert_eq!(rendered, "vendor.name is {x} $threshold on DATE");
    }

    #[test]
    fn placeholders_are_located_in_the_file() {
        let (t, _) = parse_text("a {vendor.name} b {vendor.name}");
        let locs: Vec<usize> = t
            .parts
            .iter()
            .filter_map(|p| match p {
                Part::Fact { loc, .. } => Some(loc.span.offset),
                _ => None,
            })
            .collect();
        assert_eq!(locs, vec![12, 28]);
    }

    #[test]
    fn unclosed_and_unbound() {
        let (_, problems) = parse_text("{vendor.name");
        assert_eq!(problems[0].code, "policy::template-syntax");
        let (t, _) = parse_text("{owner.name} {vendor.nme}");
        let problems = check(&t, &[], &[], &[]);
        assert_eq!(problems[0].code, "policy::unbound-template-variable");
        assert_eq!(problems[1].code, "policy::unknown-fact");
        assert_eq!(
            problems[1].help.as_deref(),
            Some("did you mean `vendor.name`?")
        );
    }
}

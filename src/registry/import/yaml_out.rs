//! Vendor relationships -> a registry YAML fragment (a `vendors:` list) with the editor modeline.
//! Scalars are written plain where YAML reads them back as the same string, quoted otherwise.

use std::fmt::Write;

use crate::input::diagnostic::Problem;
use crate::value::text::{is_unsafe, neutralise};

use super::rows::Relationship;

/// Checks `--schema` for the modeline: a line break in it would end the comment and put the
/// rest into the YAML (`x\nvendors: [...]`), and another control character would be written
/// into the file as it is. Such a value is refused rather than quoted: a comment has no quoting.
pub fn check_schema(schema: &str) -> Result<(), Problem> {
    match schema.chars().find(|&c| is_unsafe(c)) {
        None => Ok(()),
        Some(c) => Err(Problem::new(
            "import::bad-schema",
            format!(
                "--schema `{}` holds {}",
                neutralise(schema),
                match c {
                    '\n' | '\r' => "a line break, which would end the modeline comment and \
                                   write the rest into the YAML"
                        .to_string(),
                    c => format!("the control character {}", neutralise(&c.to_string())),
                }
            ),
        )
        .with_help(
            "give a path or URL on one line, e.g. --schema ../schemas/registry.schema.json",
        )),
    }
}

pub struct Header<'a> {
    /// The `$schema` the modeline points at.
    pub schema: &'a str,
    /// The input's name, for the comment.
    pub input: &'a str,
    pub rows: usize,
}

/// The fragment. The comment lines hold the schema and the input's name: both are written
/// neutralised, so neither can end its comment (`check_schema` refuses such a schema first).
pub fn render(header: &Header, relationships: &[Relationship]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# yaml-language-server: $schema={}",
        neutralise(header.schema)
    );
    let _ = writeln!(out, "#");
    let _ = writeln!(
        out,
        "# Imported by `vrisk import csv` from {}: {} vendor relationship{} from {} row{}.",
        neutralise(header.input),
        relationships.len(),
        if relationships.len() == 1 { "" } else { "s" },
        header.rows,
        if header.rows == 1 { "" } else { "s" },
    );
    let _ = writeln!(
        out,
        "# Every customer and vendor must be an organisation of the registry (in another file)."
    );
    let _ = writeln!(out);
    if relationships.is_empty() {
        let _ = writeln!(out, "vendors: []");
        return out;
    }
    let _ = writeln!(out, "vendors:");
    for r in relationships {
        let _ = writeln!(out, "  - customer: {}", scalar(&r.customer));
        let _ = writeln!(out, "    vendor: {}", scalar(&r.vendor));
        if !r.services.is_empty() {
            let _ = writeln!(out, "    services: {}", flow_list(&r.services));
        }
        if !r.data_shared.is_empty() {
            let _ = writeln!(out, "    data_shared: {}", flow_list(&r.data_shared));
        }
        if !r.spend.is_empty() {
            let _ = writeln!(out, "    spend:");
            for s in &r.spend {
                let _ = writeln!(
                    out,
                    "      - {{year: {}, amount: {}, kind: {}}}",
                    s.year,
                    quoted(&s.amount),
                    if s.planned { "planned" } else { "actual" }
                );
            }
        }
        let _ = writeln!(out, "    status: {}", r.status.name());
        if let Some(d) = r.status_date {
            let _ = writeln!(out, "    status_date: {d}");
        }
        if let Some(d) = r.last_review {
            let _ = writeln!(out, "    last_review: {d}");
        }
    }
    out
}

fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A slug written plain unless YAML would read it as something else (a number, `null`, a
/// YAML 1.1 boolean that other tools may still honour, `.inf`).
fn scalar(slug: &str) -> String {
    let lower = slug.to_ascii_lowercase();
    let reserved = [
        "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    ];
    let plain = slug.starts_with(|c: char| c.is_ascii_alphanumeric())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && !reserved.contains(&lower.as_str())
        && slug.parse::<f64>().is_err()
        && !slug.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        slug.to_string()
    } else {
        quoted(slug)
    }
}

/// A double-quoted scalar: JSON string syntax, which YAML reads the same way.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_that_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("scale-ai"), "scale-ai");
        assert_eq!(scalar("null"), "\"null\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("123"), "\"123\"");
        assert_eq!(scalar("1e5"), "\"1e5\"");
        assert_eq!(scalar("3m"), "\"3m\"");
        assert_eq!(quoted("1,500,000 USD"), "\"1,500,000 USD\"");
    }

    #[test]
    fn a_schema_on_one_line_is_kept_and_any_other_refused() {
        assert!(check_schema("../schemas/registry.schema.json").is_ok());
        assert!(check_schema("https://example.com/my schemas/r.json").is_ok());
        for bad in ["x\nvendors: []", "x\r", "x\u{1b}[2J", "x\u{2028}y", "x\ty"] {
            let problem = check_schema(bad).expect_err(bad);
            assert_eq!(problem.code, "import::bad-schema");
        }
    }
}

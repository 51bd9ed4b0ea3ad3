//! What an export held -> a registry YAML file with the editor modeline: the source the entries
//! cite, the organisations to declare, the parents' stakes and the vendor relationships. Scalars
//! are written plain where YAML reads them back as the same string, quoted otherwise.

use std::fmt::Write;

use crate::input::diagnostic::Problem;
use crate::value::text::{is_unsafe, neutralise};

use super::rows::Imported;

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
    /// The source every entry cites, and whether to declare it (the registry may already).
    pub source: Option<SourceEntry<'a>>,
}

pub struct SourceEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub declare: bool,
}

/// The fragment. The comment lines hold the schema and the input's name: both are written
/// neutralised, so neither can end its comment (`check_schema` refuses such a schema first).
pub fn render(header: &Header, imported: &Imported) -> String {
    let relationships = &imported.relationships;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# yaml-language-server: $schema={}",
        neutralise(header.schema)
    );
    let _ = writeln!(out, "#");
    let mut about = format!(
        "Imported by `vrisk import csv` from {} ({} row{}): {} vendor relationship{}; {} \
         organisation{} and {} stake{} declared here.",
        neutralise(header.input),
        header.rows,
        plural(header.rows),
        relationships.len(),
        plural(relationships.len()),
        imported.organisations.len(),
        plural(imported.organisations.len()),
        imported.stakes.len(),
        plural(imported.stakes.len()),
    );
    if !imported.existing.is_empty() {
        about.push_str(&format!(
            " Declared elsewhere in the registry, and named here by their ids: {}.",
            imported.existing.join(", ")
        ));
    }
    comment(&mut out, &about);
    comment(
        &mut out,
        "A new import of the export replaces this file: change the data in the export, or edit \
         this file and stop importing.",
    );
    let cite = header.source.as_ref().map(|s| s.id);
    if let Some(source) = header.source.as_ref().filter(|s| s.declare) {
        let _ = writeln!(out, "\nsources:");
        let _ = writeln!(out, "  - id: {}", scalar(source.id));
        let _ = writeln!(out, "    title: {}", quoted(&neutralise(source.title)));
    }
    if !imported.organisations.is_empty() {
        let _ = writeln!(out, "\norganisations:");
        for o in &imported.organisations {
            let _ = writeln!(out, "  - id: {}", scalar(&o.id));
            let _ = writeln!(out, "    name: {}", text(&o.name));
            let _ = writeln!(out, "    kind: company");
            if let Some(country) = &o.country {
                let _ = writeln!(out, "    country: {}", quoted(country));
            }
            if !o.identifiers.is_empty() {
                let _ = writeln!(out, "    identifiers:");
                for i in &o.identifiers {
                    let _ = writeln!(
                        out,
                        "      - {{scheme: {}, id: {}}}",
                        i.scheme,
                        quoted(&i.id)
                    );
                }
            }
            if let Some(id) = cite {
                let _ = writeln!(out, "    source: {}", scalar(id));
            }
        }
    }
    if !imported.stakes.is_empty() {
        let _ = writeln!(out, "\nstakes:");
        for s in &imported.stakes {
            let cited = cite.map_or(String::new(), |id| format!(", source: {}", scalar(id)));
            let _ = writeln!(
                out,
                "  - {{owner: {}, owned: {}, economic: {}{cited}}}",
                scalar(&s.owner),
                scalar(&s.owned),
                s.share.as_deref().unwrap_or("unknown"),
            );
        }
    }
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
        let contract: Vec<String> = [("start", r.contract.start), ("end", r.contract.end)]
            .into_iter()
            .filter_map(|(k, d)| d.map(|d| format!("{k}: {d}")))
            .collect();
        if !contract.is_empty() {
            let _ = writeln!(out, "    contract: {{{}}}", contract.join(", "));
        }
        if let Some(id) = cite {
            let _ = writeln!(out, "    source: {}", scalar(id));
        }
    }
    out
}

/// `text` as comment lines of at most 100 characters (a longer word stays whole).
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() > 1 && line.len() + 1 + word.len() > 100 {
            let _ = writeln!(out, "{line}");
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    let _ = writeln!(out, "{line}");
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A name, written plain when YAML reads it back as the same string (letters, digits, spaces
/// and a few marks, not a word YAML reads as something else), quoted otherwise.
fn text(name: &str) -> String {
    let plain = name.starts_with(char::is_alphabetic)
        && !name.ends_with(' ')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || " .,-&'()/".contains(c))
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str())
        && name.parse::<f64>().is_err();
    if plain {
        name.to_string()
    } else {
        quoted(name)
    }
}

/// Plain scalars YAML (1.2, or 1.1 in other tools) reads as something other than a string.
const RESERVED: [&str; 14] = [
    "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity",
];

fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A slug written plain unless YAML would read it as something else (a number, `null`, a
/// YAML 1.1 boolean that other tools may still honour, `.inf`).
fn scalar(slug: &str) -> String {
    let lower = slug.to_ascii_lowercase();
    let plain = slug.starts_with(|c: char| c.is_ascii_alphanumeric())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && !RESERVED.contains(&lower.as_str())
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
    fn names_are_plain_unless_yaml_would_misread_them() {
        assert_eq!(text("Nestlé S.A."), "Nestlé S.A.");
        assert_eq!(text("Tagwell Ltd"), "Tagwell Ltd");
        assert_eq!(text("No"), "\"No\"");
        assert_eq!(text("Acme: Robotics"), "\"Acme: Robotics\"");
        assert_eq!(text("#1 Labs"), "\"#1 Labs\"");
        assert_eq!(text("3M"), "\"3M\"");
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

//! `vrisk import`: other data -> registry files. `vrisk import csv` turns a procurement export
//! into a registry file (vendors, the organisations they name, their parents' stakes), naming the
//! organisations the registry already declares by their ids; nothing is written unless every
//! row is good.

use std::path::{Path, PathBuf};

use crate::cli::args::{CsvArgs, ImportArgs, ImportKind};
use crate::cli::exit::Exit;
use crate::cli::inputs::{limits_from, read_config};
use crate::cli::output::{Destination, Inputs, Mode, Plan};
use crate::cli::project::modeline_for;
use crate::cli::terminal::{Terminal, plural, print_notes};
use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::schema::SchemaKind;
use crate::input::source::{SourceMap, read_file, read_file_into};
use crate::value::text::neutralise;

use crate::registry::import::yaml_out::SourceEntry;
use crate::registry::import::{Header, Known, check_schema, columns, render, rows};

pub fn run(args: ImportArgs) -> Exit {
    match args.kind {
        ImportKind::Csv(args) => csv(args),
    }
}

fn csv(args: CsvArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.limits);
    let mut sources = SourceMap::new();
    let fail = |problems: &[Problem], sources: &SourceMap| {
        terminal.report(problems, sources, "nothing was written");
        Exit::Invalid
    };
    let mut problems = Vec::new();
    let mut mappings = Vec::new();
    for flag in &args.map {
        match columns::parse_mapping(flag) {
            Ok(m) => mappings.push(m),
            Err(p) => problems.push(p),
        }
    }
    if let Some(text) = &args.customer
        && rows::slugify(text).is_empty()
    {
        problems.push(
            Problem::new(
                "import::bad-customer",
                format!("--customer `{text}` is no id"),
            )
            .with_help("give the customer's registry id or name, e.g. --customer acme"),
        );
    }
    let scheme = args
        .supplier_id_scheme
        .clone()
        .unwrap_or_else(|| rows::DEFAULT_SUPPLIER_ID_SCHEME.to_string());
    if !is_scheme(&scheme) {
        problems.push(
            Problem::new(
                "import::bad-scheme",
                format!("--supplier-id-scheme `{scheme}` is not an identifier scheme"),
            )
            .with_help(
                "a scheme is two capitals, `-`, then capitals or digits, as on org-id.guide: \
                 ZZ-SUPPLIER, GB-COH",
            ),
        );
    }
    let delimiter = match delimiter(&args.delimiter) {
        Ok(d) => d,
        Err(p) => {
            problems.push(p);
            b','
        }
    };
    if let Some(schema) = &args.schema
        && let Err(p) = check_schema(schema)
    {
        problems.push(p);
    }
    if !problems.is_empty() {
        return fail(&problems, &sources);
    }
    let known = match known_organisations(&args, &mut sources, &limits) {
        Ok(known) => known,
        Err(problems) => return fail(&problems, &sources),
    };
    // `-` is standard input.
    let file = match read_file(&args.file, &args.file.display().to_string(), &limits) {
        Ok(file) => file,
        Err(p) => return fail(&[p], &sources),
    };
    // `<stdin>` for `-`.
    let display = file.name.clone();
    let id = sources.add(file);
    let destination = Destination::of(args.output.as_deref());
    let mut plan = Plan::new(Inputs::of_sources(&sources));
    let slot = match plan.add(&destination, "the registry fragment", Mode::Replace) {
        Ok(slot) => slot,
        Err(p) => return fail(&[p], &sources),
    };
    let options = rows::Options {
        customer: args.customer.clone(),
        delimiter,
        supplier_id_scheme: scheme,
        known,
        max_cell_bytes: limits.max_string_bytes,
    };
    let imported = match rows::read(id, sources.get(id), &mappings, &options) {
        Ok(imported) => imported,
        Err(problems) => return fail(&problems, &sources),
    };
    let mut notes = Vec::new();
    for (header, field) in &imported.other_names {
        notes.push(format!("column `{header}` is read as `{}`", field.name()));
    }
    for column in &imported.unused_columns {
        notes.push(format!(
            "column `{column}` is not read (map it to a field with --map \"{column}=FIELD\" if it holds one)"
        ));
    }
    if !imported.existing.is_empty() {
        notes.push(format!(
            "already in the registry, so named by id and not declared again: {}",
            imported.existing.join(", ")
        ));
    }
    print_notes(&notes);
    let source_id = format!("import-{}", rows::slugify(&stem(&args.file)));
    let file_name = args
        .file
        .file_name()
        .map_or_else(|| display.clone(), |n| n.to_string_lossy().to_string());
    let source_title = if args.file.as_os_str() == "-" {
        "Procurement export (standard input)".to_string()
    } else {
        format!("Procurement export {file_name}")
    };
    let schema = args.schema.clone().unwrap_or_else(|| default_schema(&args));
    let text = render(
        &Header {
            schema: &schema,
            input: &display,
            rows: imported.rows,
            source: Some(SourceEntry {
                id: &source_id,
                title: &source_title,
                declare: !options.known.has_source(&source_id),
            }),
        },
        &imported,
    );
    plan.fill(slot, text);
    if let Err(failed) = plan.commit() {
        terminal.report(&[failed.problem], &sources, &failed.outcome);
        return Exit::Invalid;
    }
    if let Destination::Path(path) = &destination {
        let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
        eprintln!(
            "wrote {}, {} and {} from {} to {}",
            count(imported.relationships.len(), "vendor relationship"),
            count(imported.organisations.len(), "organisation"),
            count(imported.stakes.len(), "stake"),
            count(imported.rows, "row"),
            neutralise(&path.display().to_string())
        );
    }
    Exit::Ok
}

/// The organisations the registry already declares: `--registry`, else vrisk.yaml's registry,
/// else ./registry; the output file itself is left out (an import replaces it).
fn known_organisations(
    args: &CsvArgs,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Known, Vec<Problem>> {
    let paths = if !args.registry.is_empty() {
        args.registry.clone()
    } else {
        let config = read_config(None, sources, limits)?;
        match config.and_then(|c| c.registry) {
            Some(paths) => paths,
            None if Path::new("registry").is_dir() => vec![PathBuf::from("registry")],
            None => Vec::new(),
        }
    };
    let mut known = Known::default();
    if paths.is_empty() {
        return Ok(known);
    }
    let files = match crate::input::files::expand(&paths, crate::registry::EXTENSIONS, "registry") {
        Ok(files) => files,
        // A registry directory with nothing in it yet declares nothing.
        Err(problem) if problem.code == "input::no-files" => return Ok(known),
        Err(problem) => return Err(vec![problem]),
    };
    let output = args
        .output
        .as_deref()
        .and_then(|p| std::fs::canonicalize(p).ok());
    let mut problems = Vec::new();
    for path in files {
        if output.is_some() && std::fs::canonicalize(&path).ok() == output {
            continue;
        }
        let file = match read_file_into(&path, &path.display().to_string(), limits, sources) {
            Ok(file) => file,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let id = sources.add(file);
        match crate::input::yaml::parse(id, sources.get(id), limits) {
            Ok(document) => known.add_document(&document),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(known)
    } else {
        Err(problems)
    }
}

fn stem(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".to_string();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Where the modeline points when --schema is not given: at `.vrisk/registry.schema.json`
/// (where `vrisk init` writes it) from the output's directory; for standard output, from
/// `registry/`, where the file is meant to go.
fn default_schema(args: &CsvArgs) -> String {
    let file = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("registry/vendors.yaml"));
    let line = modeline_for(&file, SchemaKind::Registry);
    line.trim_start_matches("# yaml-language-server: $schema=")
        .to_string()
}

/// An identifier scheme as the registry schema writes it: `^[A-Z]{2}-[A-Z0-9]+$`.
fn is_scheme(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() > 3
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2] == b'-'
        && bytes[3..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// `,` by default; any single ASCII character but the quote and the line breaks, or `tab`.
pub fn delimiter(text: &str) -> Result<u8, Problem> {
    let reason = match text {
        "tab" | "\\t" | "\t" => return Ok(b'\t'),
        "" => "is empty".to_string(),
        "\"" => "is the quote character, which CSV uses around cells".to_string(),
        "\n" | "\r" => "is a line break, which ends rows".to_string(),
        _ if text.chars().count() > 1 => "is not one character".to_string(),
        // One character, but CSV splits cells on one byte: `é` is two.
        _ if !text.is_ascii() => format!(
            "is not an ASCII character (it takes {} bytes in UTF-8; cells are split on one byte)",
            text.len()
        ),
        _ => return Ok(text.as_bytes()[0]),
    };
    Err(Problem::new(
        "import::bad-delimiter",
        format!("--delimiter `{}` {reason}", neutralise(text)),
    )
    .with_help("give one ASCII character such as `,`, `;` or `|`, or `tab`"))
}

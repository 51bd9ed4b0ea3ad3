//! `vrisk import`: other data -> registry files. `vrisk import csv` turns a procurement export
//! into a `vendors:` fragment; nothing is written unless every row is good.

use crate::cli::args::{CsvArgs, ImportArgs, ImportKind};
use crate::cli::exit::Exit;
use crate::cli::inputs::limits_from;
use crate::cli::output::write_atomically;
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::source::{SourceMap, read_file};
use crate::value::text::neutralise;

use crate::registry::import::{Header, check_schema, columns, render, rows};

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
    let customer = match &args.customer {
        None => None,
        Some(text) => {
            let id = rows::slugify(text);
            if id.is_empty() {
                problems.push(
                    Problem::new(
                        "import::bad-customer",
                        format!("--customer `{text}` is no id"),
                    )
                    .with_help("give the customer's registry id, e.g. --customer alphabet"),
                );
            }
            Some(id)
        }
    };
    let delimiter = match delimiter(&args.delimiter) {
        Ok(d) => d,
        Err(p) => {
            problems.push(p);
            b','
        }
    };
    if let Err(p) = check_schema(&args.schema) {
        problems.push(p);
    }
    if !problems.is_empty() {
        return fail(&problems, &sources);
    }
    let display = args.file.display().to_string();
    let file = match read_file(&args.file, &display, &limits) {
        Ok(file) => file,
        Err(p) => return fail(&[p], &sources),
    };
    let id = sources.add(file);
    let options = rows::Options {
        customer,
        delimiter,
        max_cell_bytes: limits.max_string_bytes,
    };
    let imported = match rows::read(id, sources.get(id), &mappings, &options) {
        Ok(imported) => imported,
        Err(problems) => return fail(&problems, &sources),
    };
    for column in &imported.unused_columns {
        let column = neutralise(column);
        eprintln!(
            "note: column `{column}` is not read (map it to a field with --map \"{column}=FIELD\" if it holds one)"
        );
    }
    let text = render(
        &Header {
            schema: &args.schema,
            input: &display,
            rows: imported.rows,
        },
        &imported.relationships,
    );
    match &args.output {
        None => print_stdout(&text),
        Some(path) => {
            if let Err(problem) = write_atomically(path, &text) {
                return fail(&[problem], &sources);
            }
            eprintln!(
                "wrote {} vendor relationship{} from {} row{} to {}",
                imported.relationships.len(),
                crate::cli::terminal::plural(imported.relationships.len()),
                imported.rows,
                crate::cli::terminal::plural(imported.rows),
                neutralise(&path.display().to_string())
            );
        }
    }
    Exit::Ok
}

/// `,` by default; any single ASCII character but the quote and the line breaks, or `tab`.
fn delimiter(text: &str) -> Result<u8, Problem> {
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

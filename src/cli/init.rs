//! `vrisk init`: a starter project for one's own organisation. It writes, all together or not at
//! all: `vrisk.yaml` (the registry, the built-in policies, the waivers, `org`), a registry with
//! the organisation, its competitors and a source (`registry/organisations.yaml`), its vendors
//! (`registry/vendors.yaml`, imported from a CSV export when one is given), a waivers file with an
//! example, the JSON Schemas the files' modelines point at (`.vrisk/`), and a GitHub Actions
//! workflow that runs a released vrisk on every change.
//!
//! The organisation comes from the flags; without flags, from questions on a terminal; without
//! flags and without a terminal, a placeholder organisation with comments saying what to change.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::args::InitArgs;
use crate::cli::exit::Exit;
use crate::cli::output::Mode;
use crate::cli::project::schema_path;
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::limits::Limits;
use crate::input::schema::SchemaKind;
use crate::input::source::{SourceFile, SourceMap, read_file};
use crate::registry::import::yaml_out::SourceEntry;
use crate::registry::import::{Header, Known, columns, render, rows};
use crate::value::text::neutralise;

const CONFIG: &str = include_str!("../../templates/vrisk.yaml");
const VENDORS: &str = include_str!("../../templates/vendors.yaml");
const WAIVERS: &str = include_str!("../../templates/waivers.yaml");
const WORKFLOW: &str = include_str!("../../docs/examples/github-workflow.yml");

/// Where the workflow goes, relative to the project's root.
pub const WORKFLOW_PATH: &str = ".github/workflows/vrisk.yml";

/// The organisation a project is started for.
#[derive(Debug, Clone, PartialEq)]
struct Project {
    org: String,
    name: String,
    /// (id, name) of each competitor.
    competitors: Vec<(String, String)>,
    /// No organisation was given: the files say what to change.
    placeholder: bool,
    csv: Option<PathBuf>,
}

pub fn run(args: InitArgs) -> Exit {
    let terminal = Terminal::detect();
    let mut sources = SourceMap::new();
    let project = match project(&args) {
        Ok(project) => project,
        Err(problems) => {
            terminal.report(&problems, &sources, "nothing was written");
            return Exit::Invalid;
        }
    };
    let files = match files(&project, &args, &mut sources) {
        Ok(files) => files,
        Err(problems) => {
            terminal.report(&problems, &sources, "nothing was written");
            return Exit::Invalid;
        }
    };
    // Check everything before writing anything, so that a refusal leaves no half-made setup.
    if !args.force {
        let existing: Vec<Problem> = files
            .iter()
            .filter(|(path, _)| path.symlink_metadata().is_ok())
            .map(|(path, _)| {
                Problem::new("init::exists", format!("{} already exists", path.display()))
                    .with_help("move it away, or pass --force to overwrite it")
            })
            .collect();
        if !existing.is_empty() {
            terminal.report(&existing, &sources, "nothing was written");
            return Exit::Invalid;
        }
    }
    let mode = if args.force {
        Mode::Replace
    } else {
        Mode::CreateNew
    };
    if let Err(problem) = crate::cli::staging::write_all(&files, mode) {
        terminal.report(&[problem], &sources, "nothing was written");
        return Exit::Invalid;
    }
    let mut out = String::new();
    for (path, _) in &files {
        out.push_str(&format!(
            "wrote {}\n",
            neutralise(&path.display().to_string())
        ));
    }
    out.push_str(&next_steps(&project, &args.dir));
    print_stdout(&out);
    Exit::Ok
}

/// The organisation: from the flags, else asked on a terminal, else a placeholder.
fn project(args: &InitArgs) -> Result<Project, Vec<Problem>> {
    let given = args.org.is_some()
        || args.name.is_some()
        || !args.competitors.is_empty()
        || args.from_csv.is_some();
    if given {
        return from_answers(
            args.org.as_deref(),
            args.name.as_deref(),
            &args.competitors,
            args.from_csv.clone(),
        );
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        return ask();
    }
    Ok(Project {
        org: "my-org".to_string(),
        name: "My Organisation".to_string(),
        competitors: Vec::new(),
        placeholder: true,
        csv: None,
    })
}

/// Checks the answers: an id is a slug (from the name when not given), a competitor is an id or
/// a name, and not the organisation itself.
fn from_answers(
    org: Option<&str>,
    name: Option<&str>,
    competitors: &[String],
    csv: Option<PathBuf>,
) -> Result<Project, Vec<Problem>> {
    let mut problems = Vec::new();
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let org = match (org.map(str::trim), name) {
        (Some(id), _) if is_id(id) => id.to_string(),
        (Some(id), _) => {
            problems.push(
                Problem::new("init::bad-org", format!("--org `{id}` is not an id")).with_help(
                    format!(
                        "an id is a lower-case slug such as `{}`; give the full name with --name",
                        rows::slugify(id)
                    ),
                ),
            );
            String::new()
        }
        (None, Some(name)) => rows::slugify(name),
        (None, None) => {
            problems.push(
                Problem::new(
                    "init::bad-org",
                    "no organisation: give --org ID or --name NAME",
                )
                .with_help("e.g. vrisk init --org acme --name \"Acme Robotics\""),
            );
            String::new()
        }
    };
    if org.is_empty() && problems.is_empty() {
        problems.push(
            Problem::new(
                "init::bad-org",
                "the name has no letter or digit to make an id of",
            )
            .with_help("give the id with --org"),
        );
    }
    let mut list: Vec<(String, String)> = Vec::new();
    for text in competitors.iter().map(|c| c.trim()) {
        let id = rows::slugify(text);
        if id.is_empty() {
            problems.push(Problem::new(
                "init::bad-competitor",
                format!("--competitor `{text}` has no letter or digit to make an id of"),
            ));
        } else if id == org {
            problems.push(
                Problem::new(
                    "init::bad-competitor",
                    format!("--competitor `{text}` is the organisation itself"),
                )
                .with_help("name the organisations you compete with"),
            );
        } else if !list.iter().any(|(i, _)| *i == id) {
            list.push((id, text.to_string()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Project {
        name: name.map_or_else(|| org.clone(), str::to_string),
        org,
        competitors: list,
        placeholder: false,
        csv,
    })
}

/// Asks for the organisation on the terminal (stderr, so that stdout stays the file list).
fn ask() -> Result<Project, Vec<Problem>> {
    let mut stderr = std::io::stderr();
    let _ = writeln!(
        stderr,
        "vrisk init: a starter registry for your organisation. Press Enter to take the [default]."
    );
    let name = question("Your organisation's name", "My Organisation");
    let org = question("Its id in the registry", &rows::slugify(&name));
    let competitors = question("Its competitors (names, separated by commas)", "");
    let csv = question("A CSV export of its vendors (a file, or nothing)", "");
    let competitors: Vec<String> = competitors
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let csv = (!csv.is_empty()).then(|| PathBuf::from(csv));
    from_answers(Some(&org), Some(&name), &competitors, csv)
}

fn question(text: &str, default: &str) -> String {
    let mut stderr = std::io::stderr();
    if default.is_empty() {
        let _ = write!(stderr, "{text}: ");
    } else {
        let _ = write!(stderr, "{text} [{default}]: ");
    }
    let _ = stderr.flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    let answer = line.trim();
    if answer.is_empty() {
        default.to_string()
    } else {
        answer.to_string()
    }
}

/// Every file to write, under `args.dir`.
fn files(
    project: &Project,
    args: &InitArgs,
    sources: &mut SourceMap,
) -> Result<Vec<(PathBuf, String)>, Vec<Problem>> {
    let organisations = organisations_file(project);
    let vendors = match &project.csv {
        None => VENDORS
            .replace("__ORG__", &project.org)
            .replace("__NAME__", &one_line(&project.name)),
        Some(csv) => vendors_from_csv(project, csv, &organisations, args, sources)?,
    };
    let org_note = if project.placeholder {
        " CHANGE: the placeholder\n# `my-org` stands for your organisation (see registry/organisations.yaml)."
    } else {
        ""
    };
    let config = CONFIG
        .replace("__ORG_NOTE__", org_note)
        .replace("__ORG__", &project.org);
    let mut files = vec![
        (PathBuf::from(crate::cli::config::FILE_NAME), config),
        (PathBuf::from("registry/organisations.yaml"), organisations),
        (PathBuf::from("registry/vendors.yaml"), vendors),
        (PathBuf::from("waivers.yaml"), WAIVERS.to_string()),
    ];
    // The schemas the modelines point at, so that editors check every file offline.
    for kind in SchemaKind::ALL {
        files.push((schema_path(kind), kind.text().to_string()));
    }
    files.push((PathBuf::from(WORKFLOW_PATH), WORKFLOW.to_string()));
    // Shown as written: `vrisk.yaml`, not `./vrisk.yaml`.
    let here = args.dir == Path::new(".");
    Ok(files
        .into_iter()
        .map(|(path, text)| (if here { path } else { args.dir.join(path) }, text))
        .collect())
}

/// The organisation, its competitors, and the source they cite.
fn organisations_file(project: &Project) -> String {
    let org = &project.org;
    let name = quoted_name(&project.name);
    let source = format!("{org}-records");
    let mut out =
        String::from("# yaml-language-server: $schema=../.vrisk/registry.schema.json\n#\n");
    if project.placeholder {
        out.push_str(
            "# CHANGE: `my-org` and `My Organisation` are placeholders for your organisation. Put\n\
             # its id and name below, the same id as `org` in vrisk.yaml and as the customer of\n\
             # every vendor (or run `vrisk init --org ID --name NAME` again with --force).\n#\n",
        );
    }
    out.push_str(&format!(
        "# {} and its competitors, written by `vrisk init`. The format is in docs/registry.md.\n\n",
        one_line(&project.name)
    ));
    out.push_str(&format!("default_org: {org}\n\n"));
    out.push_str(
        "# Where facts come from. Cite a source with `source: ID` on any entry; add the documents\n\
         # behind your facts (a register entry, a filing, an article) with their `url` and `date`.\n",
    );
    out.push_str(&format!(
        "sources:\n  - id: {source}\n    title: {}\n\n",
        quoted_name(&format!("{}'s own records", project.name))
    ));
    out.push_str("organisations:\n");
    out.push_str(&format!(
        "  - id: {org}\n    name: {name}\n    kind: company\n    # country: GB\n"
    ));
    for (id, competitor) in &project.competitors {
        out.push_str(&format!(
            "  - id: {id}\n    name: {}\n    kind: company\n    source: {source}\n",
            quoted_name(competitor)
        ));
    }
    out.push_str(
        "\n# Who competes with you: a competitor is a group, the organisation and everything it\n\
         # controls. `tier: major` is what most shipped policies look for.\n",
    );
    if project.competitors.is_empty() {
        out.push_str(&format!(
            "# competitors:\n#   - {{of: {org}, competitor: rival-inc, tier: major, source: {source}}}\n\
             competitors: []\n"
        ));
    } else {
        out.push_str("competitors:\n");
        for (id, _) in &project.competitors {
            out.push_str(&format!(
                "  - {{of: {org}, competitor: {id}, tier: major, source: {source}}}\n"
            ));
        }
    }
    out
}

/// The vendors file, imported from the CSV export with the organisations of `organisations`
/// (the customer, its competitors) named by their ids.
fn vendors_from_csv(
    project: &Project,
    csv: &Path,
    organisations: &str,
    args: &InitArgs,
    sources: &mut SourceMap,
) -> Result<String, Vec<Problem>> {
    let limits = Limits::default();
    let mut known = Known::default();
    let own = SourceFile::new(
        "registry/organisations.yaml",
        None,
        organisations.to_string(),
    );
    let document =
        crate::input::yaml::parse(Default::default(), &own, &limits).map_err(|p| vec![p])?;
    known.add_document(&document);
    let mut mappings = Vec::new();
    let mut problems = Vec::new();
    for flag in &args.map {
        match columns::parse_mapping(flag) {
            Ok(m) => mappings.push(m),
            Err(p) => problems.push(p),
        }
    }
    let delimiter = match crate::cli::import::delimiter(&args.delimiter) {
        Ok(d) => d,
        Err(p) => {
            problems.push(p);
            b','
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let display = csv.display().to_string();
    let file = read_file(csv, &display, &limits).map_err(|p| vec![p])?;
    let id = sources.add(file);
    let options = rows::Options {
        customer: Some(project.org.clone()),
        delimiter,
        supplier_id_scheme: rows::DEFAULT_SUPPLIER_ID_SCHEME.to_string(),
        known,
        max_cell_bytes: limits.max_string_bytes,
    };
    let imported = rows::read(id, sources.get(id), &mappings, &options)?;
    let file_name = csv
        .file_name()
        .map_or_else(|| display.clone(), |n| n.to_string_lossy().to_string());
    let source_id = format!(
        "import-{}",
        rows::slugify(&csv.file_stem().unwrap_or_default().to_string_lossy())
    );
    Ok(render(
        &Header {
            schema: "../.vrisk/registry.schema.json",
            input: &display,
            rows: imported.rows,
            source: Some(SourceEntry {
                id: &source_id,
                title: &format!("Procurement export {file_name}"),
                declare: true,
            }),
        },
        &imported,
    ))
}

fn next_steps(project: &Project, dir: &Path) -> String {
    let mut out = String::from("next:\n");
    if dir != Path::new(".") {
        out.push_str(&format!("  cd {}\n", dir.display()));
    }
    if project.placeholder {
        out.push_str(
            "  put your organisation in registry/organisations.yaml and vrisk.yaml (CHANGE marks the \
             placeholders)\n",
        );
    }
    if project.csv.is_none() {
        out.push_str(&format!(
            "  vrisk import csv VENDORS.csv --customer {} --output registry/vendors.yaml\n",
            project.org
        ));
    }
    out.push_str("  vrisk check\n");
    out.push_str(&format!(
        "  commit, and {WORKFLOW_PATH} checks every change in GitHub Actions\n"
    ));
    out
}

fn is_id(text: &str) -> bool {
    !text.is_empty() && rows::slugify(text) == text
}

/// A name as a YAML scalar: JSON string syntax, which YAML reads the same way.
fn quoted_name(name: &str) -> String {
    serde_json::to_string(name.trim()).unwrap_or_else(|_| "\"?\"".to_string())
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(org: Option<&str>, name: Option<&str>, competitors: &[&str]) -> Project {
        let competitors: Vec<String> = competitors.iter().map(|c| c.to_string()).collect();
        from_answers(org, name, &competitors, None).expect("valid")
    }

    #[test]
    fn ids_come_from_the_flags_or_the_name() {
        let p = project(
            None,
            Some("Acme Robotics"),
            &["Helix Robotics", "helix-robotics"],
        );
        assert_eq!(p.org, "acme-robotics");
        assert_eq!(
            p.competitors,
            [("helix-robotics".to_string(), "Helix Robotics".to_string())]
        );
        let p = project(Some("acme"), None, &[]);
        assert_eq!((p.org.as_str(), p.name.as_str()), ("acme", "acme"));
        assert!(from_answers(Some("Acme Robotics"), None, &[], None).is_err());
        assert!(from_answers(Some("acme"), None, &["Acme".to_string()], None).is_err());
    }

    #[test]
    fn the_starter_registry_loads() {
        for p in [
            project(
                Some("acme"),
                Some("Acme \"Robotics\": Ltd"),
                &["Helix Robotics"],
            ),
            Project {
                org: "my-org".into(),
                name: "My Organisation".into(),
                competitors: Vec::new(),
                placeholder: true,
                csv: None,
            },
        ] {
            let vendors = VENDORS
                .replace("__ORG__", &p.org)
                .replace("__NAME__", &p.name);
            let files = vec![
                SourceFile::new("organisations.yaml", None, organisations_file(&p)),
                SourceFile::new("vendors.yaml", None, vendors),
            ];
            let mut sources = SourceMap::new();
            let registry = crate::registry::load_files(files, &mut sources, &Limits::default())
                .unwrap_or_else(|problems| panic!("{problems:?}"));
            assert_eq!(
                registry.default_org.as_ref().map(|r| r.id.as_str()),
                Some(p.org.as_str())
            );
            assert_eq!(registry.competitors.len(), p.competitors.len());
        }
    }
}

//! Rows of a procurement export -> the registry entries they state: vendor relationships, the
//! organisations they name (customer, vendors, vendors' parents) and the parents' stakes. Every
//! bad cell is reported at its line and column; a problem with a whole column (missing, or
//! needed by another) is reported once, at the header. Rows of one (customer, vendor) pair are
//! merged into one relationship (see `merge`).

use crate::input::diagnostic::Problem;
use crate::input::limits::{Limit, Limits};
use crate::input::source::{FileId, Loc, SourceFile, Span};
use crate::registry::Status;
use crate::value::date::Date;
use crate::value::money::Money;
use crate::value::text::shorten;

use super::cells;
use super::columns::{self, Field, Mapping};
use super::known::Known;
use super::merge::{Builder, Named, RowFacts};

pub use super::merge::{Contract, Identifier, Organisation, Relationship, Spend, Stake};

/// What an export held.
#[derive(Debug)]
pub struct Imported {
    pub relationships: Vec<Relationship>,
    /// Organisations to declare, in order of first appearance: the customer, the vendors and
    /// their parents that the registry does not declare yet.
    pub organisations: Vec<Organisation>,
    pub stakes: Vec<Stake>,
    /// Ids of organisations the rows name that the registry already declares.
    pub existing: Vec<String>,
    /// Data rows read (blank rows excluded).
    pub rows: usize,
    /// Headers of the columns that hold no field, as written.
    pub unused_columns: Vec<String>,
    /// Columns read under another name than their field's: (header, field).
    pub other_names: Vec<(String, Field)>,
}

pub struct Options {
    /// The customer of rows without one: an id or a name.
    pub customer: Option<String>,
    pub delimiter: u8,
    /// The identifier scheme of the `supplier_id` column (`ZZ-SUPPLIER` unless told).
    pub supplier_id_scheme: String,
    /// What the registry already declares.
    pub known: Known,
    /// The longest cell, in bytes (`--max-string-bytes`): a cell is a string of the registry
    /// it becomes, and a longer one would become an id or a category as long.
    pub max_cell_bytes: usize,
}

/// The scheme of supplier ids when `--supplier-id-scheme` is not given: `ZZ` is the ISO 3166
/// code for user-assigned use, so the scheme cannot be mistaken for a public register's.
pub const DEFAULT_SUPPLIER_ID_SCHEME: &str = "ZZ-SUPPLIER";

pub fn read(
    file: FileId,
    source: &SourceFile,
    mappings: &[Mapping],
    options: &Options,
) -> Result<Imported, Vec<Problem>> {
    let text: &str = &source.text;
    let loc = |span: Span| Loc { file, span };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(options.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(err)) => return Err(vec![csv_error(&err, source, file)]),
        None => {
            return Err(vec![
                Problem::new(
                    "import::empty",
                    format!("{} has no header row", source.name),
                )
                .at(loc(Span::new(0, 0)), "empty")
                .with_help(format!(
                    "the first row names the columns: {}",
                    Field::ALL.map(Field::name).join(", ")
                )),
            ]);
        }
    };
    let header_start = header.position().map_or(0, |p| p.byte() as usize);
    let headers: Vec<String> = header.iter().map(str::to_string).collect();
    let header_spans = cells::spans(text, header_start, options.delimiter, headers.len());
    let long = long_cells(&header, &header_spans, file, source, options.max_cell_bytes);
    if !long.is_empty() {
        return Err(long);
    }
    let fields = columns::assign(&headers, mappings).map_err(|found| {
        found
            .into_iter()
            .map(|(cell, problem)| match cell {
                Some(i) => problem.at(loc(header_spans[i]), "this column"),
                None => problem.at(loc(Span::new(header_start, 0)), "header row"),
            })
            .collect::<Vec<_>>()
    })?;
    let column = |field: Field| fields.iter().position(|f| *f == Some(field));
    let header_loc = loc(Span::new(header_start, 0));
    let column_loc = |field: Field| column(field).map_or(header_loc, |i| loc(header_spans[i]));
    let problems = column_problems(&column, &column_loc, header_loc, options);
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut problems = Vec::new();
    let mut builder = Builder::new(&options.known);
    let mut no_currency: Vec<Loc> = Vec::new();
    let mut rows = 0;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                problems.push(csv_error(&err, source, file));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows += 1;
        let start = record.position().map_or(0, |p| p.byte() as usize);
        if record.len() != headers.len() {
            problems.push(
                Problem::new(
                    "import::row-length",
                    format!(
                        "this row has {}, the header {}",
                        crate::value::count(record.len(), "cell"),
                        headers.len()
                    ),
                )
                .at(loc(Span::new(start, 0)), "row")
                .with_help(
                    "every row needs one cell per column; quote cells that hold the delimiter",
                ),
            );
            continue;
        }
        let spans = cells::spans(text, start, options.delimiter, record.len());
        let long = long_cells(&record, &spans, file, source, options.max_cell_bytes);
        if !long.is_empty() {
            problems.extend(long);
            continue;
        }
        let row = Row {
            cells: &record,
            spans: &spans,
            file,
            column: &column,
            options,
        };
        match row.facts(&mut no_currency) {
            Ok(facts) => builder.add(facts, &mut problems),
            Err(found) => problems.extend(found),
        }
    }
    if let Some(first) = no_currency.first() {
        // One problem for the column, not one per row.
        problems.push(
            Problem::new(
                "import::missing-column",
                format!(
                    "{} spend amount{} no currency, and the header has no `currency` column",
                    no_currency.len(),
                    if no_currency.len() == 1 {
                        " has"
                    } else {
                        "s have"
                    }
                ),
            )
            .at(*first, "the first amount without a currency")
            .at(
                column_loc(Field::SpendAmount),
                "no `currency` column beside it",
            )
            .with_help(
                "add a `currency` column (or map one with --map \"COLUMN=currency\"), or write \
                 the currency in the amount: 150M USD",
            ),
        );
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.primary().map(|l| l.span.offset));
        return Err(problems);
    }
    let unused_columns = headers
        .iter()
        .zip(&fields)
        .filter(|(_, f)| f.is_none())
        .map(|(h, _)| h.trim().to_string())
        .collect();
    let other_names = headers
        .iter()
        .zip(&fields)
        .filter_map(|(h, f)| {
            let field = (*f)?;
            let mapped = mappings.iter().any(|m| m.field == field);
            (!mapped && Field::parse(h) != Some(field)).then(|| (h.trim().to_string(), field))
        })
        .collect();
    let built = builder.finish();
    Ok(Imported {
        relationships: built.relationships,
        organisations: built.organisations,
        stakes: built.stakes,
        existing: built.existing,
        rows,
        unused_columns,
        other_names,
    })
}

/// Problems with whole columns: a required one missing, or one that needs another.
fn column_problems(
    column: &dyn Fn(Field) -> Option<usize>,
    column_loc: &dyn Fn(Field) -> Loc,
    header: Loc,
    options: &Options,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let has = |field: Field| column(field).is_some();
    for field in [Field::Vendor, Field::Status] {
        if !has(field) {
            problems.push(missing_column(field, header));
        }
    }
    if !has(Field::Customer) && options.customer.is_none() {
        problems.push(missing_column(Field::Customer, header).with_help(
            "add a `customer` column, or give the customer of every row with --customer ID",
        ));
    }
    // (a column that is there, the column it needs)
    let needs = [
        (Field::SpendAmount, Field::SpendYear),
        (Field::SpendYear, Field::SpendAmount),
        (Field::Currency, Field::SpendAmount),
        (Field::SpendKind, Field::SpendAmount),
        (Field::ParentShare, Field::Parent),
    ];
    for (present, needed) in needs {
        if has(present) && !has(needed) {
            problems.push(
                Problem::new(
                    "import::missing-column",
                    format!(
                        "the `{}` column needs a `{}` column, which the header does not have",
                        present.name(),
                        needed.name()
                    ),
                )
                .at(column_loc(present), format!("needs `{}`", needed.name()))
                .with_help(format!(
                    "add the column, read another as it with --map \"COLUMN={}\", or remove \
                     the `{}` column",
                    needed.name(),
                    present.name()
                )),
            );
        }
    }
    problems
}

/// The cells of a record longer than `max` bytes, each a `limits::string-length` problem at
/// the cell.
fn long_cells(
    record: &csv::StringRecord,
    spans: &[Span],
    file: FileId,
    source: &SourceFile,
    max: usize,
) -> Vec<Problem> {
    let limits = Limits {
        max_string_bytes: max,
        ..Limits::default()
    };
    record
        .iter()
        .zip(spans)
        .filter(|(cell, _)| cell.len() > max)
        .map(|(cell, span)| {
            Limit::StringBytes.exceeded(
                &limits,
                format!("{}: a cell of {} bytes", source.name, cell.len()),
                Loc { file, span: *span },
            )
        })
        .collect()
}

fn missing_column(field: Field, at: Loc) -> Problem {
    Problem::new(
        "import::missing-column",
        format!("the header has no `{}` column", field.name()),
    )
    .at(at, "header row")
    .with_help(format!(
        "add the column, or read another column as it with --map \"COLUMN={}\"",
        field.name()
    ))
}

fn csv_error(err: &csv::Error, source: &SourceFile, file: FileId) -> Problem {
    let offset = err.position().map_or(0, |p| p.byte() as usize);
    Problem::new("import::csv", format!("{}: {err}", source.name))
        .at(
            Loc {
                file,
                span: Span::new(offset, 0),
            },
            "here",
        )
        .with_help("save the export as UTF-8 CSV with one header row")
}

/// One data row, with the position of each cell.
struct Row<'r> {
    cells: &'r csv::StringRecord,
    spans: &'r [Span],
    file: FileId,
    column: &'r dyn Fn(Field) -> Option<usize>,
    options: &'r Options,
}

impl Row<'_> {
    /// The trimmed text of a field's cell and its position; `None` for an empty cell or a
    /// field no column holds.
    fn cell(&self, field: Field) -> Option<(&str, Loc)> {
        let i = (self.column)(field)?;
        let text = self.cells.get(i)?.trim();
        (!text.is_empty()).then(|| {
            (
                text,
                Loc {
                    file: self.file,
                    span: self.spans[i],
                },
            )
        })
    }

    /// Where a field's cell is (empty or not), else the start of the row.
    fn place(&self, field: Field, row: Loc) -> Loc {
        (self.column)(field)
            .and_then(|i| self.spans.get(i))
            .map_or(row, |span| Loc {
                file: self.file,
                span: *span,
            })
    }

    /// What the row states. `no_currency` collects the amounts without a currency when there
    /// is no currency column, reported once for the column.
    fn facts(&self, no_currency: &mut Vec<Loc>) -> Result<RowFacts, Vec<Problem>> {
        let mut problems = Vec::new();
        let row_loc = Loc {
            file: self.file,
            span: Span::new(self.spans.first().map_or(0, |s| s.offset), 0),
        };
        let customer = match self.cell(Field::Customer) {
            Some((text, at)) => named(text, at, Field::Customer, &mut problems),
            None => match &self.options.customer {
                Some(c) => Some(Named {
                    text: c.clone(),
                    at: None,
                }),
                None => {
                    problems.push(empty(
                        Field::Customer,
                        self.place(Field::Customer, row_loc),
                        "or give --customer ID",
                    ));
                    None
                }
            },
        };
        let vendor = match self.cell(Field::Vendor) {
            Some((text, at)) => named(text, at, Field::Vendor, &mut problems),
            None => {
                problems.push(empty(Field::Vendor, self.place(Field::Vendor, row_loc), ""));
                None
            }
        };
        let status = match self.cell(Field::Status) {
            Some((text, at)) => match Status::parse(&text.to_lowercase()) {
                Some(s) => Some(s),
                None => {
                    problems.push(bad(at, Field::Status, text, "active, exiting or ended"));
                    None
                }
            },
            None => {
                problems.push(empty(
                    Field::Status,
                    self.place(Field::Status, row_loc),
                    "active, exiting or ended",
                ));
                None
            }
        };
        let services = self.list(Field::Services, &mut problems);
        let data_shared = self.list(Field::DataShared, &mut problems);
        let status_date = self.date(Field::StatusDate, &mut problems);
        let last_review = self.date(Field::LastReview, &mut problems);
        let contract = Contract {
            start: self.date(Field::ContractStart, &mut problems),
            end: self.date(Field::ContractEnd, &mut problems),
        };
        if let (Some(start), Some(end)) = (contract.start, contract.end)
            && end < start
            && let (Some((text, at)), Some((_, start_at))) = (
                self.cell(Field::ContractEnd),
                self.cell(Field::ContractStart),
            )
        {
            problems.push(
                bad(at, Field::ContractEnd, text, "a date on or after the start")
                    .at(start_at, format!("the contract starts on {start}")),
            );
        }
        let spend = self.spend(row_loc, no_currency, &mut problems);
        let country = self.country(&mut problems);
        let identifiers = self.identifiers(&mut problems);
        let parent = self
            .cell(Field::Parent)
            .and_then(|(text, at)| named(text, at, Field::Parent, &mut problems));
        let parent_share = self.share(&mut problems);
        if parent.is_none()
            && let Some((_, at)) = parent_share
        {
            problems.push(
                Problem::new(
                    "import::empty-cell",
                    "this row gives a parent share but no parent",
                )
                .at(at, "a share of no one")
                .at(self.place(Field::Parent, row_loc), "`parent` is empty")
                .with_help("name the parent company, or leave the share empty"),
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(customer), Some(vendor), Some(status)) = (customer, vendor, status) else {
            return Err(problems);
        };
        Ok(RowFacts {
            customer,
            vendor,
            services,
            data_shared,
            spend,
            status,
            status_date,
            last_review,
            contract,
            country,
            identifiers,
            parent,
            parent_share,
        })
    }

    /// A `;`-separated list of categories, each made a slug.
    fn list(&self, field: Field, problems: &mut Vec<Problem>) -> Vec<String> {
        let Some((text, at)) = self.cell(field) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            if let Some(slug) = id(item, at, field, problems)
                && !out.contains(&slug)
            {
                out.push(slug);
            }
        }
        out
    }

    fn date(&self, field: Field, problems: &mut Vec<Problem>) -> Option<Date> {
        let (text, at) = self.cell(field)?;
        let date = Date::parse(text);
        if date.is_none() {
            problems.push(bad(at, field, text, "a date written YYYY-MM-DD"));
        }
        date
    }

    /// ISO 3166-1 alpha-2, in any case.
    fn country(&self, problems: &mut Vec<Problem>) -> Option<(String, Loc)> {
        let (text, at) = self.cell(Field::Country)?;
        let code = text.to_uppercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Some((code, at))
        } else {
            problems.push(bad(
                at,
                Field::Country,
                text,
                "a two-letter ISO 3166-1 country code such as GB or US",
            ));
            None
        }
    }

    /// The supplier id (in the scheme of the options) and the LEI, when given.
    fn identifiers(&self, problems: &mut Vec<Problem>) -> Vec<(Identifier, Loc)> {
        let mut out = Vec::new();
        if let Some((text, at)) = self.cell(Field::SupplierId) {
            out.push((
                Identifier {
                    scheme: self.options.supplier_id_scheme.clone(),
                    id: text.to_string(),
                },
                at,
            ));
        }
        if let Some((text, at)) = self.cell(Field::Lei) {
            let lei = text.to_uppercase();
            if lei.len() == 20 && lei.bytes().all(|b| b.is_ascii_alphanumeric()) {
                out.push((
                    Identifier {
                        scheme: "XI-LEI".to_string(),
                        id: lei,
                    },
                    at,
                ));
            } else {
                problems.push(bad(
                    at,
                    Field::Lei,
                    text,
                    "20 letters and digits (ISO 17442)",
                ));
            }
        }
        out
    }

    /// A percentage of 0-100: `30`, `30%`, `12.5 %`. Written back as `30%`.
    fn share(&self, problems: &mut Vec<Problem>) -> Option<(String, Loc)> {
        let (text, at) = self.cell(Field::ParentShare)?;
        let number = text.trim_end_matches('%').trim();
        let plain = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && number.bytes().filter(|b| *b == b'.').count() <= 1
            && !number.starts_with('.')
            && !number.ends_with('.');
        match number.parse::<f64>() {
            Ok(value) if plain && (0.0..=100.0).contains(&value) => {
                Some((format!("{number}%"), at))
            }
            _ => {
                problems.push(bad(
                    at,
                    Field::ParentShare,
                    text,
                    "a percentage from 0 to 100, such as 30 or 12.5%",
                ));
                None
            }
        }
    }

    fn spend(
        &self,
        row: Loc,
        no_currency: &mut Vec<Loc>,
        problems: &mut Vec<Problem>,
    ) -> Option<Spend> {
        let year = self.cell(Field::SpendYear);
        let amount = self.cell(Field::SpendAmount);
        let currency = self.cell(Field::Currency);
        let kind = self.cell(Field::SpendKind);
        let (year, amount) = match (year, amount) {
            (None, None) => {
                if let Some((_, at)) = currency.or(kind) {
                    problems.push(
                        Problem::new(
                            "import::empty-cell",
                            "this row has no spend_amount for its currency or spend_kind",
                        )
                        .at(at, "of no amount")
                        .at(
                            self.place(Field::SpendAmount, row),
                            "`spend_amount` is empty",
                        )
                        .with_help("give the amount and its year, or leave these cells empty"),
                    );
                }
                return None;
            }
            (Some(_), None) => {
                problems.push(empty(
                    Field::SpendAmount,
                    self.place(Field::SpendAmount, row),
                    "the spend year needs an amount",
                ));
                return None;
            }
            (None, Some(_)) => {
                problems.push(empty(
                    Field::SpendYear,
                    self.place(Field::SpendYear, row),
                    "the amount needs the year it was spent in",
                ));
                return None;
            }
            (Some(y), Some(a)) => (y, a),
        };
        let year_value = year
            .0
            .parse::<i32>()
            .ok()
            .filter(|y| (1000..=9999).contains(y));
        if year_value.is_none() {
            problems.push(bad(year.1, Field::SpendYear, year.0, "a four-digit year"));
        }
        let money_text = match currency {
            Some((code, _)) => format!("{} {}", amount.0, code.to_uppercase()),
            None => amount.0.to_string(),
        };
        let money_ok = is_money(&money_text);
        if !money_ok {
            match currency {
                Some((code, at)) if !is_currency(&code.to_uppercase()) => problems.push(bad(
                    at,
                    Field::Currency,
                    code,
                    "an ISO 4217 currency code such as USD",
                )),
                Some(_) => problems.push(bad(
                    amount.1,
                    Field::SpendAmount,
                    amount.0,
                    "an amount such as 150000, 1,500,000 or 150M",
                )),
                // Without a currency column, an amount without one is a problem of the column.
                None if (self.column)(Field::Currency).is_none() && !amount.0.contains(' ') => {
                    no_currency.push(amount.1);
                }
                None => problems.push(bad(
                    amount.1,
                    Field::SpendAmount,
                    amount.0,
                    "an amount with its currency (150M USD), or a currency in its column",
                )),
            }
        }
        let planned = match kind.map(|(k, at)| (k.to_lowercase(), k, at)) {
            None => false,
            Some((k, _, _)) if k == "actual" => false,
            Some((k, _, _)) if k == "planned" => true,
            Some((_, text, at)) => {
                problems.push(bad(at, Field::SpendKind, text, "actual or planned"));
                false
            }
        };
        Some(Spend {
            year: year_value?,
            amount: money_ok.then_some(money_text)?,
            planned,
        })
    }
}

/// The registry's money syntax (the schema's pattern): `\d[\d_,]*(\.\d+)?[KkMBGT]? [A-Z]{3}`.
fn is_money(text: &str) -> bool {
    let Some((number, currency)) = text.split_once(' ') else {
        return false;
    };
    let number = number
        .strip_suffix(['K', 'k', 'M', 'B', 'G', 'T'])
        .unwrap_or(number);
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (number, None),
    };
    whole.starts_with(|c: char| c.is_ascii_digit())
        && whole
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'_' || b == b',')
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        && is_currency(currency)
        && Money::parse(text).is_some()
}

fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Names become ids: a category cell made a slug; a cell with no letter or digit is reported.
fn id(text: &str, at: Loc, field: Field, problems: &mut Vec<Problem>) -> Option<String> {
    let slug = slugify(text);
    if slug.is_empty() {
        problems.push(bad(at, field, text, "a name or id with letters or digits"));
        return None;
    }
    Some(slug)
}

/// An organisation named in a cell, kept as written: its id is decided when the rows are
/// merged (the registry's own id when it declares the organisation, else the slug).
fn named(text: &str, at: Loc, field: Field, problems: &mut Vec<Problem>) -> Option<Named> {
    id(text, at, field, problems).map(|_| Named {
        text: text.to_string(),
        at: Some(at),
    })
}

/// Names become ids. An id (`^[a-z0-9][a-z0-9._-]*$`) stays as it is; any other text is
/// transliterated to ASCII (`Nestlé` is `nestle`, `Łódź` is `lodz`), lower-cased, and every run
/// of other characters becomes one `-`: `Scale AI, Inc.` is `scale-ai-inc`, `Nestlé S.A.` is
/// `nestle-s-a`. Text with no letter or digit gives the empty string.
pub fn slugify(text: &str) -> String {
    if is_id(text) {
        return text.to_string();
    }
    let ascii = deunicode::deunicode(text);
    let mut out = String::new();
    let mut dash = false;
    for c in ascii.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

fn is_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

fn bad(at: Loc, field: Field, text: &str, expected: &str) -> Problem {
    Problem::new(
        "import::bad-cell",
        format!("`{}` is not a valid {}", shorten(text, 80), field.name()),
    )
    .at(at, format!("expected {expected}"))
    .with_help("correct the cell in the export, or map another column with --map")
}

fn empty(field: Field, row: Loc, hint: &str) -> Problem {
    let problem = Problem::new(
        "import::empty-cell",
        format!("this row has no {}", field.name()),
    )
    .at(row, format!("`{}` is empty", field.name()));
    if hint.is_empty() {
        problem.with_help(format!("every row needs a {}", field.name()))
    } else {
        problem.with_help(format!("every row needs a {}: {hint}", field.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids() {
        assert_eq!(slugify("Scale AI, Inc."), "scale-ai-inc");
        assert_eq!(slugify("scale-ai"), "scale-ai");
        assert_eq!(slugify("  Data Labelling "), "data-labelling");
        assert_eq!(slugify("soc2_type2"), "soc2_type2");
        assert_eq!(slugify("—"), "");
        assert_eq!(slugify("Nestlé S.A."), "nestle-s-a");
        assert_eq!(slugify("Ünïcode Co"), "unicode-co");
        assert_eq!(slugify("Łódź Data Sp. z o.o."), "lodz-data-sp-z-o-o");
    }

    #[test]
    fn money_follows_the_schema() {
        assert!(is_money("150000 USD"));
        assert!(is_money("1,500,000 GBP"));
        assert!(is_money("14.3B USD"));
        assert!(!is_money("1e5 USD"));
        assert!(!is_money(".5 USD"));
        assert!(!is_money("$150 USD"));
        assert!(!is_money("150 usd"));
        assert!(!is_money("150"));
    }
}

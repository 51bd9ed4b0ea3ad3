//! Rows of a procurement export -> vendor relationships. Every bad cell is reported at its line
//! and column; rows of one (customer, vendor) pair are merged into one relationship.
//!
//! Merging: services and kinds of data shared are the union over the rows (in order of first
//! appearance); every row with a spend amount adds a spend entry; the status and status date
//! are those of the row with the latest status date (of rows without one, the last); the last
//! review is the latest given.

use std::collections::HashMap;

use crate::input::diagnostic::Problem;
use crate::input::limits::{Limit, Limits};
use crate::input::source::{FileId, Loc, SourceFile, Span};
use crate::registry::Status;
use crate::value::date::Date;
use crate::value::money::Money;
use crate::value::text::shorten;

use super::cells;
use super::columns::{self, Field, Mapping};

/// A vendor relationship as it will be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    pub customer: String,
    pub vendor: String,
    pub services: Vec<String>,
    pub data_shared: Vec<String>,
    pub spend: Vec<Spend>,
    pub status: Status,
    pub status_date: Option<Date>,
    pub last_review: Option<Date>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spend {
    pub year: i32,
    /// `AMOUNT[SUFFIX] CURRENCY`, as the registry writes money.
    pub amount: String,
    pub planned: bool,
}

/// What an export held.
#[derive(Debug)]
pub struct Imported {
    pub relationships: Vec<Relationship>,
    /// Data rows read (blank rows excluded).
    pub rows: usize,
    /// Headers of the columns that hold no field, as written.
    pub unused_columns: Vec<String>,
}

pub struct Options {
    /// The customer of rows without one.
    pub customer: Option<String>,
    pub delimiter: u8,
    /// The longest cell, in bytes (`--max-string-bytes`): a cell is a string of the registry
    /// it becomes, and a longer one would become an id or a category as long.
    pub max_cell_bytes: usize,
}

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
    let mut problems = Vec::new();
    let header_loc = loc(Span::new(header_start, 0));
    if column(Field::Vendor).is_none() {
        problems.push(missing_column(Field::Vendor, header_loc));
    }
    if column(Field::Status).is_none() {
        problems.push(missing_column(Field::Status, header_loc));
    }
    if column(Field::Customer).is_none() && options.customer.is_none() {
        problems.push(missing_column(Field::Customer, header_loc).with_help(
            "add a `customer` column, or give the customer of every row with --customer ID",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut merged = Merged::default();
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
                        "this row has {} cells, the header {}",
                        record.len(),
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
        };
        match row.relationship(options.customer.as_deref()) {
            Ok((relationship, date)) => merged.add(relationship, date),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let unused_columns = headers
        .iter()
        .zip(&fields)
        .filter(|(_, f)| f.is_none())
        .map(|(h, _)| h.trim().to_string())
        .collect();
    Ok(Imported {
        relationships: merged.relationships,
        rows,
        unused_columns,
    })
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

    fn relationship(
        &self,
        default_customer: Option<&str>,
    ) -> Result<(Relationship, Option<Date>), Vec<Problem>> {
        let mut problems = Vec::new();
        let row_loc = Loc {
            file: self.file,
            span: Span::new(self.spans.first().map_or(0, |s| s.offset), 0),
        };
        let customer = match self.cell(Field::Customer) {
            Some((text, at)) => id(text, at, Field::Customer, &mut problems),
            None => match default_customer {
                Some(c) => Some(c.to_string()),
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
            Some((text, at)) => id(text, at, Field::Vendor, &mut problems),
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
        let spend = self.spend(row_loc, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        match (customer, vendor, status) {
            (Some(customer), Some(vendor), Some(status)) => Ok((
                Relationship {
                    customer,
                    vendor,
                    services,
                    data_shared,
                    spend: spend.into_iter().collect(),
                    status,
                    status_date,
                    last_review,
                },
                status_date,
            )),
            _ => Err(problems),
        }
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

    fn spend(&self, row: Loc, problems: &mut Vec<Problem>) -> Option<Spend> {
        let year = self.cell(Field::SpendYear);
        let amount = self.cell(Field::SpendAmount);
        let currency = self.cell(Field::Currency);
        let kind = self.cell(Field::SpendKind);
        let (year, amount) = match (year, amount) {
            (None, None) => {
                if let Some((text, at)) = currency.or(kind) {
                    problems.push(bad(
                        at,
                        Field::SpendAmount,
                        text,
                        "a spend amount and year with it",
                    ));
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
            let (at, what) = match currency {
                Some((code, at)) if !is_currency(&code.to_uppercase()) => {
                    (at, "an ISO 4217 currency code such as USD")
                }
                Some(_) => (amount.1, "an amount such as 150000, 1,500,000 or 150M"),
                None => (
                    amount.1,
                    "an amount with its currency (150M USD), or a currency column",
                ),
            };
            let field = if at == amount.1 {
                Field::SpendAmount
            } else {
                Field::Currency
            };
            let text = if field == Field::SpendAmount {
                amount.0
            } else {
                currency.map_or("", |c| c.0)
            };
            problems.push(bad(at, field, text, what));
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

/// Names become ids: lower case, every run of other characters one `-` (`Scale AI, Inc.` is
/// `scale-ai-inc`). A cell that holds no letter or digit is reported.
fn id(text: &str, at: Loc, field: Field, problems: &mut Vec<Problem>) -> Option<String> {
    let slug = slugify(text);
    if slug.is_empty() {
        problems.push(bad(at, field, text, "a name or id with letters or digits"));
        return None;
    }
    Some(slug)
}

pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if matches!(c, '.' | '_') && !out.is_empty() && !dash {
            out.push(c);
        } else {
            dash = true;
        }
    }
    out.trim_end_matches(['.', '_']).to_string()
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

/// Relationships in order of first appearance, merged by (customer, vendor).
#[derive(Default)]
struct Merged {
    relationships: Vec<Relationship>,
    index: HashMap<(String, String), usize>,
}

impl Merged {
    fn add(&mut self, row: Relationship, status_date: Option<Date>) {
        let key = (row.customer.clone(), row.vendor.clone());
        let Some(&at) = self.index.get(&key) else {
            self.index.insert(key, self.relationships.len());
            self.relationships.push(row);
            return;
        };
        let kept = &mut self.relationships[at];
        for s in row.services {
            if !kept.services.contains(&s) {
                kept.services.push(s);
            }
        }
        for d in row.data_shared {
            if !kept.data_shared.contains(&d) {
                kept.data_shared.push(d);
            }
        }
        kept.spend.extend(row.spend);
        if status_date >= kept.status_date {
            kept.status = row.status;
            kept.status_date = status_date;
        }
        kept.last_review = kept.last_review.max(row.last_review);
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
        assert_eq!(slugify("Ünïcode Co"), "n-code-co");
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

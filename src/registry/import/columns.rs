//! The columns of a procurement export: the fields vrisk reads, their header names (the field's
//! own, and a few other names exports use), and `--map COLUMN=FIELD` to read a differently named
//! column as a field.

use crate::input::diagnostic::{Problem, did_you_mean};

/// A field that a column can hold: of the vendor relationship, of the vendor organisation, or
/// of its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Customer,
    Vendor,
    SupplierId,
    Lei,
    Country,
    Parent,
    ParentShare,
    Services,
    DataShared,
    SpendYear,
    SpendAmount,
    Currency,
    SpendKind,
    Status,
    StatusDate,
    LastReview,
    ContractStart,
    ContractEnd,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Customer,
        Field::Vendor,
        Field::SupplierId,
        Field::Lei,
        Field::Country,
        Field::Parent,
        Field::ParentShare,
        Field::Services,
        Field::DataShared,
        Field::SpendYear,
        Field::SpendAmount,
        Field::Currency,
        Field::SpendKind,
        Field::Status,
        Field::StatusDate,
        Field::LastReview,
        Field::ContractStart,
        Field::ContractEnd,
    ];

    /// The field's name, which is also its default column header.
    pub fn name(self) -> &'static str {
        match self {
            Field::Customer => "customer",
            Field::Vendor => "vendor",
            Field::SupplierId => "supplier_id",
            Field::Lei => "lei",
            Field::Country => "country",
            Field::Parent => "parent",
            Field::ParentShare => "parent_share",
            Field::Services => "services",
            Field::DataShared => "data_shared",
            Field::SpendYear => "spend_year",
            Field::SpendAmount => "spend_amount",
            Field::Currency => "currency",
            Field::SpendKind => "spend_kind",
            Field::Status => "status",
            Field::StatusDate => "status_date",
            Field::LastReview => "last_review",
            Field::ContractStart => "contract_start",
            Field::ContractEnd => "contract_end",
        }
    }

    /// Other headers procurement exports use for the field, read as it unless a column has the
    /// field's own name (normalised, see [`normalise`]).
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Customer => &["buyer", "client"],
            Field::Vendor => &["supplier", "supplier_name", "vendor_name"],
            Field::SupplierId => &[
                "supplier_number",
                "supplier_no",
                "vendor_id",
                "vendor_number",
                "vendor_no",
            ],
            Field::Lei => &["legal_entity_identifier"],
            Field::Country => &["supplier_country", "vendor_country"],
            // Not `owner`: exports use it for the person in charge of the vendor.
            Field::Parent => &["parent_company", "ultimate_parent"],
            Field::ParentShare => &[
                "parent_stake",
                "owner_share",
                "ownership",
                "ownership_share",
            ],
            Field::Services => &["service"],
            Field::DataShared => &["data_categories"],
            Field::SpendYear => &["fiscal_year"],
            Field::SpendAmount => &["spend", "annual_spend"],
            Field::Currency => &[],
            Field::SpendKind => &[],
            Field::Status => &["contract_status", "vendor_status", "supplier_status"],
            Field::StatusDate => &[],
            Field::LastReview => &["last_reviewed", "review_date", "last_review_date"],
            Field::ContractStart => &["contract_start_date", "start_date"],
            Field::ContractEnd => &["contract_end_date", "end_date", "expiry_date"],
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        let name = normalise(name);
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The field whose synonym `header` is.
    pub fn by_synonym(header: &str) -> Option<Field> {
        let header = normalise(header);
        Field::ALL
            .into_iter()
            .find(|f| f.synonyms().contains(&header.as_str()))
    }
}

/// Header cells compare without regard to case, surrounding spaces, or spaces and hyphens
/// written for underscores: `Spend Year` is `spend_year`.
pub fn normalise(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// One `--map COLUMN=FIELD` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub column: String,
    pub field: Field,
}

pub fn parse_mapping(flag: &str) -> Result<Mapping, Problem> {
    let Some((column, field)) = flag.rsplit_once('=') else {
        return Err(Problem::new(
            "import::bad-map",
            format!("--map `{flag}` is not COLUMN=FIELD"),
        )
        .with_help("e.g. --map \"Supplier Name=vendor\""));
    };
    if column.trim().is_empty() {
        return Err(
            Problem::new("import::bad-map", format!("--map `{flag}` names no column"))
                .with_help("write the column header before `=`"),
        );
    }
    match Field::parse(field) {
        Some(field) => Ok(Mapping {
            column: column.trim().to_string(),
            field,
        }),
        None => {
            let names = Field::ALL.map(Field::name);
            let problem = Problem::new(
                "import::bad-map",
                format!("--map `{flag}`: `{field}` is not a field"),
            );
            Err(match did_you_mean(&normalise(field), names) {
                Some(s) => problem.with_help(format!("did you mean `{s}`?")),
                None => problem.with_help(format!("fields: {}", names.join(", "))),
            })
        }
    }
}

/// A problem with the header row, with the index of the cell it is about (`None`: the row).
pub type HeaderProblem = (Option<usize>, Problem);

/// Which column holds each field, from the header row and the mappings: a mapped column holds
/// its field; any other column whose header is a field name holds that field, unless a mapping
/// gave the field to another column. Returns the field of each column (`None`: not read) or
/// the problems with the header, each with the index of the cell it is about.
pub fn assign(
    headers: &[String],
    mappings: &[Mapping],
) -> Result<Vec<Option<Field>>, Vec<HeaderProblem>> {
    let mut fields: Vec<Option<Field>> = vec![None; headers.len()];
    let mut problems = Vec::new();
    for mapping in mappings {
        let wanted = mapping.column.to_lowercase();
        let matching: Vec<usize> = (0..headers.len())
            .filter(|&i| headers[i].trim().to_lowercase() == wanted)
            .collect();
        match matching[..] {
            // Two columns with the mapped header: reading either would drop the other.
            [_, second, ..] => problems.push((
                Some(second),
                Problem::new(
                    "import::duplicate-column",
                    format!(
                        "the header has {} columns named `{}`: --map cannot tell which holds `{}`",
                        matching.len(),
                        mapping.column,
                        mapping.field.name()
                    ),
                )
                .with_help("rename one of the columns in the export"),
            )),
            // The same column given two fields: one would be dropped.
            [i] if fields[i].is_some_and(|f| f != mapping.field) => problems.push((
                Some(i),
                Problem::new(
                    "import::bad-map",
                    format!(
                        "--map reads the column `{}` as both `{}` and `{}`",
                        mapping.column,
                        fields[i].map_or("", Field::name),
                        mapping.field.name()
                    ),
                )
                .with_help("a column holds one field: keep one of the two --map flags"),
            )),
            [i] => fields[i] = Some(mapping.field),
            [] => problems.push((
                None,
                Problem::new(
                    "import::unknown-column",
                    format!(
                        "--map names the column `{}`, which the header does not have",
                        mapping.column
                    ),
                )
                .with_help(format!(
                    "the columns are: {}",
                    headers
                        .iter()
                        .map(|h| h.trim())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )),
        }
    }
    let mapped: Vec<Field> = mappings.iter().map(|m| m.field).collect();
    for (i, header) in headers.iter().enumerate() {
        if fields[i].is_none()
            && let Some(field) = Field::parse(header)
            && !mapped.contains(&field)
        {
            fields[i] = Some(field);
        }
    }
    // Then the usual other names, for the fields no column holds by name or mapping.
    let taken: Vec<Field> = fields.iter().flatten().copied().collect();
    for (i, header) in headers.iter().enumerate() {
        if fields[i].is_none()
            && let Some(field) = Field::by_synonym(header)
            && !taken.contains(&field)
        {
            fields[i] = Some(field);
        }
    }
    for field in Field::ALL {
        let columns: Vec<usize> = (0..headers.len())
            .filter(|&i| fields[i] == Some(field))
            .collect();
        if columns.len() > 1 {
            problems.push((
                Some(columns[1]),
                Problem::new(
                    "import::duplicate-column",
                    format!("two columns hold `{}`", field.name()),
                )
                .with_help("remove one, or map one of them to another field with --map"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn default_headers_and_mappings() {
        let h = headers(&["Customer", "Supplier", "Spend Year", "notes"]);
        let map = vec![parse_mapping("supplier=vendor").unwrap()];
        let fields = assign(&h, &map).unwrap();
        assert_eq!(
            fields,
            vec![
                Some(Field::Customer),
                Some(Field::Vendor),
                Some(Field::SpendYear),
                None
            ]
        );
    }

    #[test]
    fn usual_other_names_are_read_unless_a_column_has_the_field_s_own_name() {
        let h = headers(&["Supplier", "Supplier ID", "Parent Company", "Start date"]);
        assert_eq!(
            assign(&h, &[]).unwrap(),
            vec![
                Some(Field::Vendor),
                Some(Field::SupplierId),
                Some(Field::Parent),
                Some(Field::ContractStart)
            ]
        );
        let h = headers(&["vendor", "Supplier"]);
        assert_eq!(assign(&h, &[]).unwrap(), vec![Some(Field::Vendor), None]);
    }

    #[test]
    fn a_mapping_takes_the_field_from_the_default_column() {
        let h = headers(&["vendor", "Supplier"]);
        let fields = assign(&h, &[parse_mapping("Supplier=vendor").unwrap()]).unwrap();
        assert_eq!(fields, vec![None, Some(Field::Vendor)]);
    }

    #[test]
    fn bad_mappings_are_reported() {
        assert!(parse_mapping("no-equals").is_err());
        let err = parse_mapping("Supplier=vendr").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `vendor`?"));
        let h = headers(&["vendor"]);
        assert!(assign(&h, &[parse_mapping("Supplier=vendor").unwrap()]).is_err());
        assert!(assign(&headers(&["vendor", "Vendor"]), &[]).is_err());
    }
}

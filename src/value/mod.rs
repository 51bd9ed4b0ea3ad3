//! Small value types shared by every stage: dates, exact money, share intervals, three-valued
//! truth, severities, text from the inputs made safe to show, and counts written with their
//! noun in the right number.

pub mod count;
pub mod date;
pub mod interval;
pub mod money;
pub mod severity;
pub mod text;
pub mod truth;

use std::fmt;

pub use count::count;
pub use date::Date;
pub use interval::Interval;
pub use money::Money;
pub use severity::Severity;
pub use truth::Truth;

/// The error of parsing a name that is not one of a closed set; says which names are valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub given: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not one of {}",
            self.given,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

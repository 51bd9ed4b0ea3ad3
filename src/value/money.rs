//! Amounts of money with a currency, written `14.3B USD`, `870M USD`, `150000 EUR`.
//!
//! Amounts are exact decimals (`rust_decimal`), never binary floating point: `8.2M USD` is
//! 8,200,000 exactly, so it equals `8200000 USD`, and `1.005K USD` is 1,005. Parsing, comparing,
//! summing and printing are all exact; only a ratio of two amounts (a percentage) leaves the
//! decimals, once, at the end.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    /// The exact amount, in units of the currency (not minor units), never negative.
    pub amount: Decimal,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

/// The suffixes an amount may carry, with their powers of ten, largest first.
const SUFFIXES: [(&str, u32); 4] = [("T", 12), ("B", 9), ("M", 6), ("K", 3)];

impl Money {
    /// Reads `AMOUNT[SUFFIX] CURRENCY`: digits that may be grouped with `_` or `,`, an optional
    /// fraction, an optional suffix (K or k, M, B or G, T), a space and an ISO 4217 code in
    /// capitals. Anything else, or an amount too large to hold exactly (about 7.9 × 10^28),
    /// is `None`.
    pub fn parse(text: &str) -> Option<Money> {
        let (number, currency) = text.trim().split_once(' ')?;
        let currency = currency.trim();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let (digits, power) = match number.chars().last()? {
            'K' | 'k' => (&number[..number.len() - 1], 3),
            'M' => (&number[..number.len() - 1], 6),
            'B' | 'G' => (&number[..number.len() - 1], 9),
            'T' => (&number[..number.len() - 1], 12),
            _ => (number, 0),
        };
        let amount = exact_decimal(digits)?.checked_mul(Decimal::from(10u64.pow(power)))?;
        Some(Money {
            amount: amount.normalize(),
            currency: currency.to_string(),
        })
    }

    /// The sum of two amounts in one currency; `None` in different currencies or beyond the
    /// largest amount that can be held exactly.
    pub fn checked_add(&self, other: &Money) -> Option<Money> {
        (self.currency == other.currency).then_some(())?;
        Some(Money {
            amount: self.amount.checked_add(other.amount)?,
            currency: self.currency.clone(),
        })
    }

    /// How the amounts of one currency order; `None` across currencies (no exchange rate is
    /// assumed).
    pub fn compare(&self, other: &Money) -> Option<Ordering> {
        (self.currency == other.currency).then(|| self.amount.cmp(&other.amount))
    }

    /// `self` as a percentage of `whole` (both in one currency, `whole` above zero), computed
    /// exactly and converted to a float once: 30M of 200M is exactly 15.
    pub fn percent_of(&self, whole: &Money) -> Option<f64> {
        if self.currency != whole.currency || whole.amount <= Decimal::ZERO {
            return None;
        }
        let ratio = self
            .amount
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|scaled| scaled.checked_div(whole.amount))
            // An amount too large to scale by 100 still has a ratio.
            .or_else(|| {
                (self.amount.checked_div(whole.amount)?).checked_mul(Decimal::ONE_HUNDRED)
            })?;
        ratio.to_f64()
    }
}

/// Digits with optional `_`/`,` grouping and an optional fraction, as an exact decimal.
fn exact_decimal(text: &str) -> Option<Decimal> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let whole_ok = whole.starts_with(|c: char| c.is_ascii_digit())
        && whole
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'_' || b == b',');
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !whole_ok || !fraction_ok {
        return None;
    }
    let digits: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    Decimal::from_str_exact(&digits).ok()
}

impl fmt::Display for Money {
    /// The exact amount with the largest suffix it reaches (`150K EUR`, `8.2M USD`,
    /// `1.005K USD`, `14.3B USD`), never rounded: two amounts that print alike are equal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (value, suffix) = SUFFIXES
            .iter()
            .find_map(|&(suffix, power)| {
                let unit = Decimal::from(10u64.pow(power));
                (self.amount >= unit).then(|| (self.amount / unit, suffix))
            })
            .unwrap_or((self.amount, ""));
        write!(f, "{}{suffix} {}", value.normalize(), self.currency)
    }
}

/// Stored exactly, as the decimal's mantissa and scale with the currency; read back only when
/// the decimal is one `rust_decimal` can hold.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(
            &(self.amount.mantissa(), self.amount.scale(), &self.currency),
            serializer,
        )
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (mantissa, scale, currency): (i128, u32, String) =
            serde::Deserialize::deserialize(deserializer)?;
        let amount = Decimal::try_from_i128_with_scale(mantissa, scale)
            .map_err(|e| serde::de::Error::custom(format!("an amount that is no decimal: {e}")))?;
        Ok(Money { amount, currency })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Money {
        Money::parse(text).expect("valid amount")
    }

    #[test]
    fn parses_suffixes_exactly() {
        assert_eq!(usd("14.3B USD").amount, Decimal::from(14_300_000_000u64));
        assert_eq!(usd("8.2M USD"), usd("8200000 USD"));
        assert_eq!(usd("1.005K USD").amount, Decimal::from(1005));
        assert_eq!(usd("2.01M USD").amount, Decimal::from(2_010_000));
        assert_eq!(usd("1,500,000 GBP").amount, Decimal::from(1_500_000));
        assert_eq!(usd("1_500k GBP").amount, Decimal::from(1_500_000));
    }

    #[test]
    fn rejects_what_the_grammar_does_not_allow() {
        for text in [
            "12 usd", "lots USD", "-5 USD", "1e5 USD", ".5 USD", "5. USD", "inf USD", "NaN USD",
            "5 US", "5USD", "M USD", "",
        ] {
            assert_eq!(Money::parse(text), None, "{text}");
        }
        // Beyond what a 96-bit decimal holds exactly.
        assert_eq!(Money::parse("99999999999999999999T USD"), None);
    }

    #[test]
    fn prints_exactly_with_the_largest_suffix() {
        for (text, printed) in [
            ("870M USD", "870M USD"),
            ("150000 EUR", "150K EUR"),
            ("14.3B USD", "14.3B USD"),
            ("8200000 USD", "8.2M USD"),
            ("1005 USD", "1.005K USD"),
            ("2.01M USD", "2.01M USD"),
            ("1234567.89 USD", "1.23456789M USD"),
            ("999.5 USD", "999.5 USD"),
            ("0 USD", "0 USD"),
            ("1000T USD", "1000T USD"),
        ] {
            assert_eq!(usd(text).to_string(), printed, "{text}");
        }
    }

    #[test]
    fn compares_and_sums_within_one_currency() {
        assert_eq!(
            usd("8.2M USD").compare(&usd("8200000 USD")),
            Some(Ordering::Equal)
        );
        assert_eq!(usd("1M USD").compare(&usd("1M EUR")), None);
        assert_eq!(
            usd("0.1 USD").checked_add(&usd("0.2 USD")),
            Some(usd("0.3 USD"))
        );
        assert_eq!(usd("1 USD").checked_add(&usd("1 EUR")), None);
    }

    #[test]
    fn percentages_are_exact_until_the_end() {
        assert_eq!(usd("30M USD").percent_of(&usd("200M USD")), Some(15.0));
        let share = usd("150M USD")
            .percent_of(&usd("870M USD"))
            .expect("a share");
        assert!((share - 17.241_379_310_344_8).abs() < 1e-12, "{share}");
        assert_eq!(usd("1 USD").percent_of(&usd("0 USD")), None);
        assert_eq!(usd("1 USD").percent_of(&usd("1 EUR")), None);
    }
}

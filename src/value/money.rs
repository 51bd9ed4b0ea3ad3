//! Amounts of money with a currency, written `14.3B USD`, `870M USD`, `150000 EUR`.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub struct Money {
    pub amount: f64,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

impl Money {
    pub fn parse(text: &str) -> Option<Money> {
        let (number, currency) = text.trim().split_once(' ')?;
        let currency = currency.trim();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let (digits, scale) = match number.chars().last()? {
            'K' | 'k' => (&number[..number.len() - 1], 1e3),
            'M' => (&number[..number.len() - 1], 1e6),
            'B' | 'G' => (&number[..number.len() - 1], 1e9),
            'T' => (&number[..number.len() - 1], 1e12),
            _ => (number, 1.0),
        };
        let digits = digits.replace(['_', ','], "");
        let value: f64 = digits.parse().ok()?;
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        Some(Money {
            amount: value * scale,
            currency: currency.to_string(),
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (value, suffix) = if self.amount >= 1e12 {
            (self.amount / 1e12, "T")
        } else if self.amount >= 1e9 {
            (self.amount / 1e9, "B")
        } else if self.amount >= 1e6 {
            (self.amount / 1e6, "M")
        } else if self.amount >= 1e3 {
            (self.amount / 1e3, "K")
        } else {
            (self.amount, "")
        };
        let text = format!("{:.2}", (value * 100.0).round() / 100.0);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{text}{suffix} {}", self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes() {
        assert_eq!(Money::parse("14.3B USD").unwrap().amount, 14.3e9);
        assert_eq!(Money::parse("870M USD").unwrap().to_string(), "870M USD");
        assert_eq!(Money::parse("150000 EUR").unwrap().to_string(), "150K EUR");
        assert!(Money::parse("12 usd").is_none());
        assert!(Money::parse("lots USD").is_none());
        assert!(Money::parse("-5 USD").is_none());
    }
}

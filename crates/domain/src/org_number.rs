//! Swedish organisationsnummer: ten digits, the last a Luhn check digit.

use crate::ParseError;

/// An organisation number, normalised to `NNNNNN-NNNN`. Accepts the ten
/// digits with or without the dash, and the twelve-digit form with a `16`
/// prefix that some registers use.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct OrgNumber(String);

impl OrgNumber {
    pub fn parse(text: &str) -> Result<OrgNumber, ParseError> {
        let trimmed = text.trim();
        let digits: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError(format!(
                "'{trimmed}' is not an organisation number: write ten digits, e.g. 802012-3456"
            )));
        }
        let ten = match digits.len() {
            10 => digits,
            12 if digits.starts_with("16") => digits[2..].to_owned(),
            12 => {
                return Err(ParseError(format!(
                    "'{trimmed}' has twelve digits but does not start with 16; write the ten-digit number"
                )));
            }
            n => {
                return Err(ParseError(format!(
                    "'{trimmed}' has {n} digits; an organisation number has ten, e.g. 802012-3456"
                )));
            }
        };
        if !luhn_ok(&ten) {
            return Err(ParseError(format!(
                "'{trimmed}' has a wrong check digit: check the number against the registration certificate"
            )));
        }
        Ok(OrgNumber(format!("{}-{}", &ten[..6], &ten[6..])))
    }

    /// The check digit that makes nine digits (ASCII) a valid number.
    pub fn check_digit(nine: &str) -> u32 {
        (10 - luhn_sum(nine) % 10) % 10
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Luhn check over all ten digits: doubled every second digit from the
/// left, digit sums added, total divisible by ten.
fn luhn_ok(ten: &str) -> bool {
    luhn_sum(ten).is_multiple_of(10)
}

/// The Luhn sum of `digits` (ASCII digits), doubling every second digit
/// from the left, starting with the first.
fn luhn_sum(digits: &str) -> u32 {
    digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_forms_in_use_and_normalises_them() {
        for text in [
            "802012-3454",
            "8020123454",
            " 802012 3454 ",
            "16802012-3454",
            "168020123454",
        ] {
            assert_eq!(
                OrgNumber::parse(text).unwrap().as_str(),
                "802012-3454",
                "{text:?}"
            );
        }
    }

    #[test]
    fn refuses_wrong_check_digits_and_lengths_with_a_reason() {
        assert!(
            OrgNumber::parse("802012-3457")
                .unwrap_err()
                .0
                .contains("check digit")
        );
        assert!(
            OrgNumber::parse("80201234")
                .unwrap_err()
                .0
                .contains("8 digits")
        );
        assert!(
            OrgNumber::parse("198020123454")
                .unwrap_err()
                .0
                .contains("does not start with 16")
        );
        assert!(
            OrgNumber::parse("80201A-3454")
                .unwrap_err()
                .0
                .contains("ten digits")
        );
        assert!(OrgNumber::parse("").is_err());
    }
}

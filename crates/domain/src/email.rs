//! E-mail addresses, checked for shape at the edge (delivery is checked by
//! sending a confirmation, not by parsing).

use crate::ParseError;

/// An e-mail address, trimmed and lower-cased so that one address is one
/// account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(text: &str) -> Result<Email, ParseError> {
        let address = text.trim().to_lowercase();
        let invalid = || {
            ParseError(format!(
                "'{}' is not an e-mail address: write it as name@example.se",
                text.trim()
            ))
        };
        if address.is_empty()
            || address.len() > Self::MAX_LEN
            || address.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = address.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Anna.Berg@Förening.SE ").unwrap().as_str(),
            "anna.berg@förening.se"
        );
    }

    #[test]
    fn malformed_addresses_say_how_to_write_them() {
        for bad in [
            "",
            "anna",
            "anna@",
            "@x.se",
            "anna@se",
            "an na@x.se",
            "a@b@c.se",
            "anna@x..se",
            "anna@.x.se",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert!(err.0.contains("name@example.se"), "{bad:?}: {err}");
        }
    }
}

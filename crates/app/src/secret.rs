//! Secrets: a value whose `Debug` and `Display` never show it, and the one
//! constant-time comparison of secrets, tokens and their hashes.

use serde::{Deserialize, Deserializer};
use subtle::ConstantTimeEq;

/// A secret text (e.g. the SMTP password): printed as `***` by `{:?}` and
/// `{}`, so no struct that holds it can leak it into logs; read it with
/// [`Secret::expose`] where it is used.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret::new(s))
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// Whether two secrets (tokens, session hashes) are equal, in time that
/// depends on their lengths only, not on where they first differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "*** ***");
        assert_eq!(
            format!("{:?}", Some(("user", s.clone()))),
            "Some((\"user\", ***))"
        );
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn same_is_equality() {
        assert!(same("abc123", "abc123"));
        assert!(same("", ""));
        assert!(!same("abc123", "abc124"));
        assert!(!same("abc123", "abc12"));
        assert!(!same("abc", "abcd"));
    }
}

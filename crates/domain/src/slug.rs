//! URL-safe identifiers of agreements, challenges, plans and roles.

use crate::ParseError;

/// A slug: 1–80 characters of a–z, 0–9 and single dashes, not starting or
/// ending with a dash. Parsed once at the edge; a `Slug` is always valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let ok_chars = text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if text.is_empty() || text.len() > Self::MAX_LEN {
            return Err(ParseError(format!(
                "a slug has 1 to {} characters",
                Self::MAX_LEN
            )));
        }
        if !ok_chars || text.starts_with('-') || text.ends_with('-') || text.contains("--") {
            return Err(ParseError(format!(
                "'{text}' is not a valid slug: use a–z, 0–9 and single dashes inside"
            )));
        }
        Ok(Slug(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Slug::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A slug made from a name: lower case, å, ä, ö and other accents to their
/// letter, anything else to single dashes, at most 60 characters;
/// `fallback` when nothing is left.
pub fn slugify_or(name: &str, fallback: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    match slug.trim_end_matches('-') {
        "" => fallback.to_owned(),
        s => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs_and_refuses_others() {
        for ok in ["malmoandan", "2018-2022", "ungas-halsa-och-livsstil"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Malmo",
            "-a",
            "a-",
            "a--b",
            "å",
            "a b",
            "a/b",
            &"a".repeat(81),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }
}

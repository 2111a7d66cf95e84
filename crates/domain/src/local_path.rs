//! Where to send a person after signing in (`next=`): only a path on this
//! site, never another site.

use crate::ParseError;

/// A same-site path with an optional query, such as `/agreements/sjovik?lang=en`.
///
/// Browsers are lenient with `Location`: they drop tabs and line breaks and
/// read `\` as `/`, so `/\t/evil.example/` or `/\evil.example` would take
/// a person to another site. A `LocalPath` is therefore printable ASCII only
/// (a link the site made is percent-encoded), starts with one `/` followed
/// by anything but `/` or `\`, and holds no backslash. It is also a valid
/// header value, so a redirect to it cannot fail after a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    pub const MAX_LEN: usize = 2000;

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let refuse = |why: &str| Err(ParseError(format!("not a path on this site: {why}")));
        if text.is_empty() || text.len() > Self::MAX_LEN {
            return refuse("empty or too long");
        }
        if !text.bytes().all(|b| b.is_ascii_graphic()) {
            return refuse("only printable ASCII without spaces (percent-encode the rest)");
        }
        if !text.starts_with('/') || text.starts_with("//") || text.contains('\\') {
            return refuse("it must start with a single / and hold no backslash");
        }
        Ok(LocalPath(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LocalPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::LocalPath;

    #[test]
    fn paths_on_this_site_pass() {
        for good in [
            "/",
            "/account",
            "/agreements/malmoandan?lang=en",
            "/organisations/x%C3%B6/members?done=ok#top",
            "/login?next=%2Faccount",
        ] {
            assert_eq!(LocalPath::parse(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_is_refused() {
        for bad in [
            "",
            "account",
            "//evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\n/evil.example/",
            "\t//evil.example",
            "/\\evil.example",
            "/x\\y",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a b",
            "/\u{0}",
            "/\u{7f}",
            "/ö",
            " /account",
        ] {
            assert!(LocalPath::parse(bad).is_err(), "{bad:?}");
        }
        assert!(LocalPath::parse(&format!("/{}", "a".repeat(2000))).is_err());
    }
}

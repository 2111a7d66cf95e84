//! The small Markdown of the agreement's paragraphs: *emphasis*, **strong**,
//! `code` and [links](https://…). Rendered once per snapshot and sanitised
//! with ammonia: any other HTML (typed or made by Markdown) is removed and
//! its text kept, links keep only http, https and mailto, and open with
//! `rel="noopener noreferrer"`. Pages insert the result as it is.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The tags a paragraph may hold once rendered.
const TAGS: &[&str] = &["em", "strong", "code", "a", "br"];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.tags(TAGS.iter().copied().collect::<HashSet<_>>())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .generic_attributes(HashSet::new());
    b
});

/// A paragraph's body as safe HTML: only its inline Markdown is rendered (a
/// paragraph that starts like a list, a quote or a rule is taken as text).
pub fn inline_html(body: &str) -> String {
    let source = escape_block_start(body.trim());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&source));
    CLEANER.clean(&html).to_string().trim().to_owned()
}

/// Escapes what would make a paragraph a block (a numbered or bulleted list,
/// a quote, a heading, a rule, a table), so it stays the writer's text.
fn escape_block_start(body: &str) -> String {
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let after_digits = body[digits..].chars().next();
    let mut chars = body.chars();
    let (first, second) = (chars.next(), chars.next());
    let block = matches!(first, Some('>' | '#' | '|'))
        || (matches!(first, Some('-' | '+' | '*' | '_' | '=' | '~' | '`'))
            && (second.is_none_or(char::is_whitespace) || second == first))
        || (digits > 0 && matches!(after_digits, Some('.' | ')')));
    match (block, digits) {
        (false, _) => body.to_owned(),
        (true, 0) => format!("\\{body}"),
        (true, n) => format!("{}\\{}", &body[..n], &body[n..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_inline_markdown_only() {
        assert_eq!(
            inline_html("Vi *lyssnar* och **agerar**, se [Malmö](https://malmo.se)."),
            "Vi <em>lyssnar</em> och <strong>agerar</strong>, se <a href=\"https://malmo.se\" rel=\"noopener noreferrer\">Malmö</a>."
        );
        assert_eq!(inline_html("1. Först"), "1. Först", "not a list");
        assert_eq!(inline_html("> citat"), "&gt; citat");
        assert_eq!(inline_html("- inte en lista"), "- inte en lista");
        assert_eq!(
            inline_html("[x](javascript:alert(1))"),
            "<a rel=\"noopener noreferrer\">x</a>"
        );
        assert_eq!(inline_html("*betoning* först"), "<em>betoning</em> först");
    }

    #[test]
    fn leaves_unsafe_html_inert() {
        let html = inline_html(
            "<script>alert(1)</script><img src=x onerror=alert(2)> [klick](javascript:alert(3)) <b onclick=\"x\">fet</b>",
        );
        assert!(
            !html.contains("<script") && !html.contains("alert(1)"),
            "{html}"
        );
        assert!(
            !html.contains("<img") && !html.contains("onerror"),
            "{html}"
        );
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("onclick") && html.contains("fet"), "{html}");
    }
}

//! Small text helpers shared by views.

use time::Date;

/// Splits stored text into paragraphs at blank lines.
pub fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Today's date in Sweden's calendar (UTC+1 is close enough for "which term
/// is current"; the snapshot is reloaded within seconds anyway).
pub fn today() -> Date {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(1)).date()
}

//! A small iCalendar (RFC 5545) writer for the milestone feeds: CRLF line
//! endings, content lines folded at 75 octets without splitting a UTF-8
//! character, and TEXT values escaped (`\`, `;`, `,` and line breaks).
//!
//! Written here rather than taken from a crate: the feed needs one calendar
//! of all-day events, and the `icalendar` crate (the well-kept choice) brings
//! `chrono` next to the workspace's `time`, writes parameters in hash order
//! and folds by a char index mixed with byte offsets. Its output is checked
//! against a standard parser in the HTTP tests.

use std::fmt::Write;
use time::{Date, OffsetDateTime, UtcOffset};

/// The longest content line, in octets, not counting the CRLF.
const LINE_OCTETS: usize = 75;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (RFC 5545 §3.1): no physical line is longer than
/// 75 octets (a continuation's leading space included), every split falls
/// on a character boundary, and no piece ends in white space (some readers
/// trim it before unfolding). Returns the line with its CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut rest = line;
    let mut limit = LINE_OCTETS;
    while rest.len() > limit {
        let mut end = limit;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        // Keep white space at the start of the next piece, not the end of this one.
        let mut cut = end;
        while let Some(last) = rest[..cut].chars().next_back() {
            if !last.is_whitespace() || cut == last.len_utf8() {
                break;
            }
            cut -= last.len_utf8();
        }
        if rest[..cut].chars().all(char::is_whitespace) {
            cut = end;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
    out
}

fn date_value(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

fn utc_value(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{}T{:02}{:02}{:02}Z",
        date_value(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// One all-day event.
pub struct Event<'a> {
    pub uid: &'a str,
    /// When the event's information last changed.
    pub stamp: OffsetDateTime,
    pub date: Date,
    pub summary: &'a str,
    pub description: &'a str,
    pub url: &'a str,
}

/// A calendar being written.
pub struct Calendar {
    out: String,
}

impl Calendar {
    pub fn new(prodid: &str, name: &str) -> Calendar {
        let mut cal = Calendar { out: String::new() };
        cal.line("BEGIN:VCALENDAR");
        cal.line("VERSION:2.0");
        cal.line(&format!("PRODID:{prodid}"));
        cal.line("CALSCALE:GREGORIAN");
        cal.line("METHOD:PUBLISH");
        cal.text("X-WR-CALNAME", name);
        cal
    }

    fn line(&mut self, line: &str) {
        self.out.push_str(&fold(line));
    }

    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    pub fn event(&mut self, e: &Event<'_>) {
        self.line("BEGIN:VEVENT");
        self.text("UID", e.uid);
        self.line(&format!("DTSTAMP:{}", utc_value(e.stamp)));
        self.line(&format!("DTSTART;VALUE=DATE:{}", date_value(e.date)));
        let next = e.date.next_day().unwrap_or(e.date);
        self.line(&format!("DTEND;VALUE=DATE:{}", date_value(next)));
        self.text("SUMMARY", e.summary);
        self.text("DESCRIPTION", e.description);
        let mut url = String::new();
        // A URI value is not escaped; control characters cannot be in one.
        let _ = write!(url, "URL:{}", e.url.replace(|c: char| c.is_control(), ""));
        self.line(&url);
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }

    pub fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a\\b;c,d\r\ne\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    }

    #[test]
    fn lines_fold_at_75_octets_on_character_boundaries() {
        let line = format!("SUMMARY:{}slut", "åäö ".repeat(40));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 3);
        for (i, p) in physical.iter().enumerate() {
            assert!(p.len() <= 75, "{p:?} has {} octets", p.len());
            if i > 0 {
                assert!(p.starts_with(' '));
            }
            assert!(!p.ends_with(' '), "{p:?} ends in a space");
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn a_short_line_is_left_alone() {
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn a_line_of_spaces_still_folds() {
        let line = format!("X:{}", " ".repeat(200));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|p| p.len() <= 75));
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
    }

    #[test]
    fn an_event_is_all_day() {
        let mut cal = Calendar::new("-//Samverkan//SV", "Milstolpar");
        cal.event(&Event {
            uid: "milestone-a-1@x",
            stamp: time::macros::datetime!(2024-01-02 10:00 +01:00),
            date: time::macros::date!(2024 - 12 - 31),
            summary: "Start",
            description: "",
            url: "http://x/a",
        });
        let text = cal.finish();
        assert!(text.contains("DTSTART;VALUE=DATE:20241231\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20250101\r\n"));
        assert!(text.contains("DTSTAMP:20240102T090000Z\r\n"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}

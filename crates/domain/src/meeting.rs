//! Meetings (a working group's now; later others of the same shape), their
//! minutes and the action items that follow from them.

use crate::ParseError;
use crate::text_enum::text_enum;

text_enum! {
    /// What a meeting is: only the working group's so far.
    MeetingKind {
        WorkingGroup => "working_group",
    }
}

text_enum! {
    /// Where a meeting's minutes stand: a draft the coordinators see, or
    /// approved (public, and never edited in place).
    MinutesStatus {
        Draft => "draft",
        Approved => "approved",
    }
}

text_enum! {
    /// Where an action item stands.
    ActionStatus {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        Dropped => "dropped",
    }
}

impl ActionStatus {
    /// Whether the item still asks for work (open or in progress).
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }

    /// The statuses of items still asking for work, as stored.
    pub const OPEN: &'static [ActionStatus] = &[ActionStatus::Open, ActionStatus::InProgress];
}

/// A time of day as a meeting's start is written, `HH:MM` (24 hours), in
/// the municipality's own time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    hour: u8,
    minute: u8,
}

impl ClockTime {
    /// Reads `HH:MM` or `H:MM` (a dot is taken for the colon, as Swedes
    /// often write `13.30`).
    pub fn parse(text: &str) -> Result<ClockTime, ParseError> {
        let problem = || {
            ParseError(format!(
                "'{text}' is not a time of day; write it as HH:MM, e.g. 13:30"
            ))
        };
        let text = text.trim();
        let (h, m) = text
            .split_once(':')
            .or_else(|| text.split_once('.'))
            .ok_or_else(problem)?;
        let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
            (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u8>().ok())
                .flatten()
        };
        match (digits(h, 1..=2), digits(m, 2..=2)) {
            (Some(hour), Some(minute)) if hour < 24 && minute < 60 => {
                Ok(ClockTime { hour, minute })
            }
            _ => Err(problem()),
        }
    }

    /// As stored and shown: `HH:MM`.
    pub fn as_text(self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_text())
    }
}

/// The most items an agenda may have.
pub const AGENDA_ITEMS: usize = 40;
/// The longest agenda item, in characters.
pub const AGENDA_ITEM_CHARS: usize = 300;

/// What is wrong with an agenda as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AgendaProblem {
    #[error("write the agenda, one item a line")]
    Empty,
    #[error("the agenda has {0} items; keep it to {AGENDA_ITEMS}")]
    TooManyItems(usize),
    /// The item (from 1) that is too long.
    #[error("item {0} of the agenda is longer than {AGENDA_ITEM_CHARS} characters")]
    ItemTooLong(usize),
}

/// An agenda's items as written, one a line: blank lines are dropped, a
/// leading list mark (`-`, `*`, `1.`) too. At least one item, at most
/// [`AGENDA_ITEMS`], each at most [`AGENDA_ITEM_CHARS`] characters.
pub fn agenda_items(text: &str) -> Result<Vec<String>, AgendaProblem> {
    let items: Vec<String> = text
        .lines()
        .map(strip_mark)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if items.is_empty() {
        return Err(AgendaProblem::Empty);
    }
    if items.len() > AGENDA_ITEMS {
        return Err(AgendaProblem::TooManyItems(items.len()));
    }
    match items
        .iter()
        .position(|i| i.chars().count() > AGENDA_ITEM_CHARS)
    {
        Some(long) => Err(AgendaProblem::ItemTooLong(long + 1)),
        None => Ok(items),
    }
}

/// A line without its list mark and surrounding spaces.
fn strip_mark(line: &str) -> &str {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix(['-', '*', '•']) {
        return rest.trim();
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match line[digits..].strip_prefix(['.', ')']) {
        Some(rest) if digits > 0 => rest.trim(),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_from_their_text_and_only_that() {
        assert_eq!(
            ActionStatus::parse("in_progress"),
            Ok(ActionStatus::InProgress)
        );
        let e = ActionStatus::parse("klar").unwrap_err();
        assert!(e.0.contains("open, in_progress, done, dropped"), "{e}");
        assert_eq!(
            MinutesStatus::parse("approved"),
            Ok(MinutesStatus::Approved)
        );
        assert!(MinutesStatus::parse("Approved").is_err());
        assert_eq!(
            MeetingKind::parse("working_group"),
            Ok(MeetingKind::WorkingGroup)
        );
        assert!(ActionStatus::Open.is_open() && ActionStatus::InProgress.is_open());
        assert!(!ActionStatus::Done.is_open() && !ActionStatus::Dropped.is_open());
        assert!(ActionStatus::OPEN.iter().all(|s| s.is_open()));
    }

    #[test]
    fn a_time_is_read_with_a_colon_or_a_dot_and_shown_with_two_digits() {
        assert_eq!(ClockTime::parse("9:05").unwrap().as_text(), "09:05");
        assert_eq!(ClockTime::parse(" 13.30 ").unwrap().to_string(), "13:30");
        assert_eq!(ClockTime::parse("23:59").unwrap().as_text(), "23:59");
        for bad in [
            "24:00", "12:60", "12", "12:5", "ab:cd", "", "123:00", "-1:00", "12:+5",
        ] {
            let e = ClockTime::parse(bad).unwrap_err();
            assert!(e.0.contains("HH:MM"), "{bad}: {e}");
        }
    }

    #[test]
    fn an_agenda_is_one_item_a_line_without_list_marks() {
        assert_eq!(
            agenda_items("1. Mötet öppnas\n\n- Uppföljning av handlingsplanen\n  * Övriga frågor  \n2) Nästa möte\n2030 års budget").unwrap(),
            [
                "Mötet öppnas",
                "Uppföljning av handlingsplanen",
                "Övriga frågor",
                "Nästa möte",
                "2030 års budget"
            ]
        );
        assert_eq!(agenda_items(" \n - \n"), Err(AgendaProblem::Empty));
        let many = "punkt\n".repeat(AGENDA_ITEMS + 1);
        assert_eq!(agenda_items(&many), Err(AgendaProblem::TooManyItems(41)));
        assert_eq!(
            AgendaProblem::TooManyItems(41).to_string(),
            "the agenda has 41 items; keep it to 40"
        );
        let long = format!("kort\n{}", "å".repeat(AGENDA_ITEM_CHARS + 1));
        assert_eq!(agenda_items(&long), Err(AgendaProblem::ItemTooLong(2)));
        // Exactly the longest item passes.
        assert!(agenda_items(&"å".repeat(AGENDA_ITEM_CHARS)).is_ok());
    }
}

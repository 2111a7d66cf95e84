//! The action plan and its follow-up: the parts a plan must have, where an
//! activity stands, and the measured values (progress, money, hours, the
//! self-assessment scale) parsed once at the edge.

use crate::ParseError;
use crate::text_enum::text_enum;

text_enum! {
    /// The four parts every action plan must cover, in the agreement's
    /// guidelines ("Riktlinjer för handlingsplan").
    PlanPart {
        Challenges => "challenges",
        Conditions => "conditions",
        Learning => "learning",
        Organisation => "organisation",
    }
}

text_enum! {
    /// Where an action plan stands: a draft being written, adopted (with
    /// the decision that adopted it), or closed (its period is over and it
    /// is kept as it was).
    PlanStatus {
        Draft => "draft",
        Adopted => "adopted",
        Closed => "closed",
    }
}

impl PlanStatus {
    /// Whether a plan may be saved with this status: an adopted or closed
    /// plan names the decision that adopted it.
    pub fn check(self, decision: bool) -> Result<(), crate::agreement::Refused> {
        match (self, decision) {
            (PlanStatus::Adopted | PlanStatus::Closed, false) => Err(crate::agreement::Refused {
                code: "plan-status-needs-decision",
                message: "an adopted plan names the decision that adopted it: choose it".into(),
            }),
            _ => Ok(()),
        }
    }
}

text_enum! {
    /// Where an activity stands.
    ActivityStatus {
        Planned => "planned",
        Ongoing => "ongoing",
        Paused => "paused",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl ActivityStatus {
    /// Whether the activity is still being worked on, so that progress
    /// updates are expected of it.
    pub fn is_active(self) -> bool {
        matches!(self, ActivityStatus::Planned | ActivityStatus::Ongoing)
    }
}

text_enum! {
    /// How a party takes part in an activity.
    PartyRole {
        Responsible => "responsible",
        Partner => "partner",
    }
}

text_enum! {
    /// A progress update is published at once when a responsible party
    /// writes it; a partner's update is a proposal until a responsible party
    /// accepts or declines it.
    UpdateState {
        Published => "published",
        Proposed => "proposed",
        Declined => "declined",
    }
}

/// Progress of an activity in whole per cent, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Progress(u8);

impl Progress {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim().trim_end_matches('%').trim();
        match t.parse::<u8>() {
            Ok(n) if n <= 100 => Ok(Progress(n)),
            _ => Err(ParseError(format!(
                "'{}' is not a progress; give a whole number of per cent from 0 to 100",
                text.trim()
            ))),
        }
    }

    pub fn new(percent: i64) -> Result<Self, ParseError> {
        Self::parse(&percent.to_string())
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

/// An amount of money in whole Swedish kronor, not negative. Accepts
/// `12000`, `12 000`, `12 000 kr` and `12000 SEK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Sek(i64);

impl Sek {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let lowered = text.trim().to_lowercase();
        let t = lowered
            .trim_end_matches("sek")
            .trim_end_matches("kr")
            .trim()
            .replace([' ', '\u{a0}', '\u{202f}'], "");
        match t.parse::<i64>() {
            Ok(n) if (0..=1_000_000_000_000).contains(&n) => Ok(Sek(n)),
            _ => Err(ParseError(format!(
                "'{}' is not an amount; give whole kronor, such as 25000",
                text.trim()
            ))),
        }
    }

    pub fn kronor(self) -> i64 {
        self.0
    }
}

/// A number of hours of work, not negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hours(i64);

impl Hours {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let t = text.trim().trim_end_matches('h').trim().replace(' ', "");
        match t.parse::<i64>() {
            Ok(n) if (0..=10_000_000).contains(&n) => Ok(Hours(n)),
            _ => Err(ParseError(format!(
                "'{}' is not a number of hours; give whole hours, such as 120",
                text.trim()
            ))),
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// The self-assessment scale: how far an activity lives up to a principle,
/// from 1 (not yet) to 4 (fully).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 4;

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        match text.trim().parse::<u8>() {
            Ok(n) if (Self::MIN..=Self::MAX).contains(&n) => Ok(Score(n)),
            _ => Err(ParseError(format!(
                "'{}' is not on the scale; give a whole number from {} to {}",
                text.trim(),
                Self::MIN,
                Self::MAX
            ))),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A year in which money is budgeted.
pub fn parse_year(text: &str) -> Result<i32, ParseError> {
    match text.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(ParseError(format!(
            "'{}' is not a year; give four digits, such as 2022",
            text.trim()
        ))),
    }
}

/// Days without a published update after which an active activity's
/// follow-up is due.
pub const UPDATE_DUE_AFTER_DAYS: i64 = 90;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_takes_whole_per_cent() {
        assert_eq!(Progress::parse("45").unwrap().percent(), 45);
        assert_eq!(Progress::parse(" 100 % ").unwrap().percent(), 100);
        assert!(Progress::parse("101").is_err());
        assert!(Progress::parse("-1").is_err());
        assert!(Progress::parse("halvvägs").is_err());
    }

    #[test]
    fn money_takes_spaces_and_units() {
        assert_eq!(Sek::parse("12 000 kr").unwrap().kronor(), 12000);
        assert_eq!(Sek::parse("250000 SEK").unwrap().kronor(), 250000);
        assert!(Sek::parse("-5").is_err());
        assert!(Sek::parse("12,5").is_err());
    }

    #[test]
    fn hours_and_scores_have_bounds() {
        assert_eq!(Hours::parse("120 h").unwrap().get(), 120);
        assert!(Hours::parse("-3").is_err());
        assert_eq!(Score::parse("4").unwrap().get(), 4);
        assert!(Score::parse("0").is_err());
        assert!(Score::parse("5").is_err());
        assert_eq!(parse_year("2022").unwrap(), 2022);
        assert!(parse_year("22").is_err());
    }

    #[test]
    fn only_planned_and_ongoing_are_followed_up() {
        assert!(ActivityStatus::Ongoing.is_active());
        assert!(!ActivityStatus::Completed.is_active());
    }
}

//! The rules of a role's term, written once: a period has a first day and
//! an optional last day, never before the first; a term is past, current or
//! coming by today's date (so it ends by itself); one holder cannot hold the
//! same role twice at once; a term is ended early on a day within it.

use crate::FieldError;
use samverkan_domain::date::parse_iso_date;
use time::Date;

/// Where a term stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Ended before the day.
    Past,
    /// Covers the day: its holder holds the role (and a coordinator's term
    /// gives the coordinator's rights).
    Current,
    /// Starts after the day.
    Coming,
}

/// A term's first and (when set) last day, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

impl Period {
    /// Where the period stands on `today`.
    pub fn standing(&self, today: Date) -> Standing {
        if self.starts_on > today {
            Standing::Coming
        } else if self.ends_on.is_some_and(|end| end < today) {
            Standing::Past
        } else {
            Standing::Current
        }
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = other.ends_on.is_none_or(|end| self.starts_on <= end);
        let other_starts_before_this_ends = self.ends_on.is_none_or(|end| other.starts_on <= end);
        starts_before_other_ends && other_starts_before_this_ends
    }
}

/// Reads a period as typed: a start date (required), an end date
/// (optional), the end not before the start. Each problem at its field.
pub fn check_period(starts_on: &str, ends_on: &str) -> Result<Period, Vec<FieldError>> {
    let mut errors = Vec::new();
    let start = match starts_on.trim() {
        "" => {
            errors.push(FieldError::new(
                "starts_on",
                "term-start-missing",
                "write the first day of the term as YYYY-MM-DD",
            ));
            None
        }
        text => match parse_iso_date(text) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(date_problem("starts_on", e.0));
                None
            }
        },
    };
    let end = match ends_on.trim() {
        "" => None,
        text => match parse_iso_date(text) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(date_problem("ends_on", e.0));
                None
            }
        },
    };
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.push(end_before_start());
    }
    match (start, errors.is_empty()) {
        (Some(starts_on), true) => Ok(Period {
            starts_on,
            ends_on: end,
        }),
        _ => Err(errors),
    }
}

/// The first of `others` (periods the same holder holds the same role for)
/// that shares a day with `period`, if any.
pub fn first_overlap<'a>(
    period: &Period,
    others: impl IntoIterator<Item = &'a Period>,
) -> Option<&'a Period> {
    others.into_iter().find(|o| o.overlaps(period))
}

/// The problem of a term that overlaps another of the same holder in the
/// same role.
pub fn overlap_problem(other: &Period) -> FieldError {
    let shown = match other.ends_on {
        Some(end) => format!("{} – {}", other.starts_on, end),
        None => format!("{} –", other.starts_on),
    };
    FieldError {
        detail: Some(shown.clone()),
        ..FieldError::new(
            "starts_on",
            "term-overlap",
            format!("the same person already holds this role for {shown}; choose other dates"),
        )
    }
}

/// Reads the new last day of a term ended early: a date, not before the
/// term's first day, and not after a last day it already has.
pub fn check_end(term: &Period, ends_on: &str) -> Result<Date, FieldError> {
    let end = match ends_on.trim() {
        "" => {
            return Err(FieldError::new(
                "ends_on",
                "term-end-missing",
                "write the last day of the term as YYYY-MM-DD",
            ));
        }
        text => parse_iso_date(text).map_err(|e| date_problem("ends_on", e.0))?,
    };
    if end < term.starts_on {
        return Err(end_before_start());
    }
    if term.ends_on.is_some_and(|old| end > old) {
        return Err(FieldError::new(
            "ends_on",
            "term-end-later",
            "a term is ended early here; choose a day no later than its present last day",
        ));
    }
    Ok(end)
}

fn date_problem(field: &'static str, message: String) -> FieldError {
    FieldError::new(field, "term-date-invalid", message)
}

fn end_before_start() -> FieldError {
    FieldError::new(
        "ends_on",
        "term-end-before-start",
        "the last day cannot be before the first",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn period(starts_on: Date, ends_on: Option<Date>) -> Period {
        Period { starts_on, ends_on }
    }

    #[test]
    fn a_term_is_coming_current_or_past_by_the_day() {
        let today = date!(2026 - 12 - 03);
        let p = period(date!(2026 - 12 - 04), None);
        assert_eq!(p.standing(today), Standing::Coming);
        let p = period(date!(2026 - 01 - 01), Some(date!(2026 - 12 - 02)));
        assert_eq!(p.standing(today), Standing::Past);
        // The first and the last day are both in the term.
        let p = period(today, Some(today));
        assert_eq!(p.standing(today), Standing::Current);
        let p = period(date!(2020 - 01 - 01), None);
        assert_eq!(p.standing(today), Standing::Current);
    }

    #[test]
    fn the_end_may_not_come_before_the_start() {
        let errors = check_period("2026-05-01", "2026-04-30").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "term-end-before-start");
        assert_eq!(errors[0].field, "ends_on");
        let p = check_period("2026-05-01", "2026-05-01").unwrap();
        assert_eq!(p.ends_on, Some(date!(2026 - 05 - 01)));
        let p = check_period(" 2026-05-01 ", "").unwrap();
        assert_eq!(p, period(date!(2026 - 05 - 01), None));
    }

    #[test]
    fn a_missing_or_malformed_date_is_named_at_its_field() {
        let errors = check_period("", "1 maj").unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("starts_on", "term-start-missing"),
                ("ends_on", "term-date-invalid")
            ]
        );
        let errors = check_period("2026-02-30", "").unwrap_err();
        assert_eq!(errors[0].code, "term-date-invalid");
    }

    #[test]
    fn periods_overlap_when_they_share_a_day() {
        let a = period(date!(2024 - 01 - 01), Some(date!(2024 - 12 - 31)));
        let next = period(date!(2025 - 01 - 01), None);
        assert!(!a.overlaps(&next) && !next.overlaps(&a));
        let last_day = period(date!(2024 - 12 - 31), None);
        assert!(a.overlaps(&last_day) && last_day.overlaps(&a));
        let open = period(date!(2020 - 01 - 01), None);
        assert!(open.overlaps(&next) && next.overlaps(&open));
        let before = period(date!(2019 - 01 - 01), Some(date!(2019 - 12 - 31)));
        assert!(!before.overlaps(&open));
        let inside = period(date!(2024 - 03 - 01), Some(date!(2024 - 03 - 31)));
        assert_eq!(first_overlap(&inside, [&next, &a]), Some(&a));
        assert_eq!(first_overlap(&before, [&next, &a]), None);
    }

    #[test]
    fn an_early_end_falls_within_the_term() {
        let term = period(date!(2024 - 01 - 01), Some(date!(2024 - 12 - 31)));
        assert_eq!(
            check_end(&term, "2024-06-30").unwrap(),
            date!(2024 - 06 - 30)
        );
        assert_eq!(
            check_end(&term, "2023-12-31").unwrap_err().code,
            "term-end-before-start"
        );
        assert_eq!(
            check_end(&term, "2025-01-01").unwrap_err().code,
            "term-end-later"
        );
        assert_eq!(check_end(&term, "").unwrap_err().code, "term-end-missing");
        let open = period(date!(2024 - 01 - 01), None);
        assert_eq!(
            check_end(&open, "2030-01-01").unwrap(),
            date!(2030 - 01 - 01)
        );
    }
}

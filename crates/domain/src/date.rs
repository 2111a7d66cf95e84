//! Dates known to the day, the month or only the year ("2014", "March 2016").

use crate::text_enum::text_enum;
use time::Date;

text_enum! {
    DatePrecision {
        Day => "day",
        Month => "month",
        Year => "year",
    }
}

/// A date with the precision it is known to. Stored as the first day of the
/// period it names, so that it sorts with exact dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PartialDate {
    pub date: Date,
    pub precision: DatePrecision,
}

impl PartialDate {
    /// ISO-style text at its precision: `2017-06-14`, `2016-03` or `2014`.
    pub fn iso(&self) -> String {
        let d = self.date;
        match self.precision {
            DatePrecision::Day => {
                format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
            }
            DatePrecision::Month => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
            DatePrecision::Year => format!("{:04}", d.year()),
        }
    }
}

/// Parses an ISO date `YYYY-MM-DD` with a message that says what to fix.
pub fn parse_iso_date(text: &str) -> Result<Date, crate::ParseError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| {
        crate::ParseError(format!(
            "'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2017-06-14"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn partial_dates_print_at_their_precision() {
        let d = |precision| PartialDate {
            date: date!(2016 - 03 - 01),
            precision,
        };
        assert_eq!(d(DatePrecision::Day).iso(), "2016-03-01");
        assert_eq!(d(DatePrecision::Month).iso(), "2016-03");
        assert_eq!(d(DatePrecision::Year).iso(), "2016");
    }

    #[test]
    fn bad_dates_say_how_to_write_them() {
        assert_eq!(parse_iso_date("2017-06-14").unwrap(), date!(2017 - 06 - 14));
        assert!(
            parse_iso_date("14/6 2017")
                .unwrap_err()
                .0
                .contains("YYYY-MM-DD")
        );
        assert!(parse_iso_date("2017-02-30").is_err());
    }
}

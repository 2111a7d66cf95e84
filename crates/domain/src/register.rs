//! The collaboration register and the committees' yearly reports: the forms
//! a collaboration takes, where a report stands, and what an organisation
//! may say about a record that names it.

use crate::text_enum::text_enum;

text_enum! {
    /// The form a collaboration between a city body and organisations takes.
    CollaborationForm {
        Dialogue => "dialogue",
        Iop => "iop",
        OperatingGrant => "operating-grant",
        ProjectGrant => "project-grant",
        Premises => "premises",
        JointProject => "joint-project",
        Network => "network",
        Procurement => "procurement",
    }
}

text_enum! {
    /// Where a committee's yearly report stands. A report with no row yet
    /// is `NotStarted`; a correction of a published report starts again
    /// as a draft.
    ReportStatus {
        NotStarted => "not-started",
        Draft => "draft",
        Submitted => "submitted",
        Approved => "approved",
        Published => "published",
    }
}

impl ReportStatus {
    /// Whether the sector may still add contributions and the committee
    /// may still edit its sections.
    pub fn is_open(self) -> bool {
        matches!(self, ReportStatus::NotStarted | ReportStatus::Draft)
    }

    /// Whether the report has been handed in (counts as submitted in the
    /// coordinator's overview).
    pub fn is_submitted(self) -> bool {
        !self.is_open()
    }
}

text_enum! {
    /// What an organisation says about a record that names it: a comment,
    /// or a flag that something in it is wrong.
    RemarkKind {
        Comment => "comment",
        Mistake => "mistake",
    }
}

text_enum! {
    /// The written sections every yearly report must have, besides a
    /// reflection per principle.
    ReportSection {
        WentWell => "went-well",
        WentBadly => "went-badly",
        NextYear => "next-year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_reports_take_contributions() {
        assert!(ReportStatus::NotStarted.is_open());
        assert!(ReportStatus::Draft.is_open());
        assert!(!ReportStatus::Submitted.is_open());
        assert!(!ReportStatus::Published.is_open());
        assert!(ReportStatus::Approved.is_submitted());
    }

    #[test]
    fn forms_parse_from_their_text() {
        for f in CollaborationForm::ALL {
            assert_eq!(CollaborationForm::parse(f.as_str()), Ok(*f));
        }
        assert!(CollaborationForm::parse("grant").is_err());
    }
}

#[cfg(test)]
mod json {
    use super::*;

    #[test]
    fn the_json_spells_values_as_the_database_and_forms_do() {
        assert_eq!(
            serde_json::to_string(&CollaborationForm::OperatingGrant).unwrap(),
            "\"operating-grant\""
        );
        assert_eq!(
            serde_json::from_str::<ReportStatus>("\"not-started\"").unwrap(),
            ReportStatus::NotStarted
        );
    }
}

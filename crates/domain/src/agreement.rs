//! The agreement's life cycle and the parts of its text.

use crate::text_enum::text_enum;

text_enum! {
    /// Where an agreement is in its life cycle: draft → consultation → adopted
    /// → (revised) → wound down or superseded by a successor.
    AgreementStatus {
        Draft => "draft",
        Consultation => "consultation",
        Adopted => "adopted",
        WoundDown => "wound_down",
        Superseded => "superseded",
    }
}

text_enum! {
    /// The status of one text of the agreement.
    VersionStatus {
        Draft => "draft",
        Consultation => "consultation",
        Adopted => "adopted",
        Superseded => "superseded",
    }
}

text_enum! {
    /// A paragraph is running text or one item of a bulleted list.
    ParagraphKind {
        Text => "text",
        Item => "item",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_and_rejects_unknown_values() {
        for status in AgreementStatus::ALL {
            assert_eq!(AgreementStatus::parse(status.as_str()), Ok(*status));
        }
        let err = AgreementStatus::parse("approved").unwrap_err();
        assert!(err.0.contains("draft, consultation, adopted"), "{err}");
    }
}

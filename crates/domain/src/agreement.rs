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

text_enum! {
    /// A step of the life cycle, as the public history names it.
    AgreementStep {
        Created => "created",
        Consultation => "consultation",
        Adopted => "adopted",
        NewVersion => "new_version",
        WoundDown => "wound_down",
        Superseded => "superseded",
    }
}

/// Where an agreement stands: its status and its latest version's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: AgreementStatus,
    /// `None` before the first version is written.
    pub latest: Option<VersionStatus>,
}

/// What a step changes when it is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The agreement's status after the step.
    pub status: AgreementStatus,
    /// The latest version's status after the step (`None`: unchanged, or a
    /// new draft version is made, for [`AgreementStep::NewVersion`]).
    pub latest: Option<VersionStatus>,
}

/// A step or an edit the rules do not allow, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    /// A stable code the pages word in their language.
    pub code: &'static str,
    pub message: String,
}

fn refused(code: &'static str, message: impl Into<String>) -> Refused {
    Refused {
        code,
        message: message.into(),
    }
}

impl AgreementStep {
    /// Adopting (a first text or a revision), winding down and being
    /// superseded are decided by someone: the step names the decision.
    pub fn needs_decision(self) -> bool {
        matches!(
            self,
            AgreementStep::Adopted | AgreementStep::WoundDown | AgreementStep::Superseded
        )
    }

    /// The steps a writer may take from here (for the workspace's forms).
    pub fn possible(at: Standing) -> Vec<AgreementStep> {
        AgreementStep::ALL
            .iter()
            .copied()
            .filter(|s| *s != AgreementStep::Created && s.check(at, true, true).is_ok())
            .collect()
    }

    /// Whether the step is allowed from `at`, with a decision or not, and
    /// (for [`AgreementStep::Superseded`]) a named successor; the change it
    /// makes, or the reason it is refused.
    ///
    /// draft → consultation → adopted → (a new version, consulted or not,
    /// adopted) → wound down, or superseded by a successor. The first text
    /// is adopted only after a consultation: the agreement is written with
    /// the sector, not for it.
    pub fn check(
        self,
        at: Standing,
        decision: bool,
        successor: bool,
    ) -> Result<Transition, Refused> {
        use AgreementStatus as A;
        use VersionStatus as V;
        if matches!(at.status, A::WoundDown | A::Superseded) && self != AgreementStep::Superseded {
            return Err(refused(
                "step-closed",
                "the agreement is wound down or superseded: nothing more can be done to it",
            ));
        }
        if self.needs_decision() && !decision {
            return Err(refused(
                "step-needs-decision",
                "this step needs the decision behind it: who decided, when, and its reference",
            ));
        }
        let keep = |latest| Transition {
            status: at.status,
            latest,
        };
        match (self, at.latest) {
            (AgreementStep::Created, _) => Err(refused(
                "step-unknown",
                "an agreement is created once, from the new agreement form",
            )),
            (AgreementStep::Consultation, Some(V::Draft)) => Ok(Transition {
                status: if at.status == A::Draft {
                    A::Consultation
                } else {
                    at.status
                },
                latest: Some(V::Consultation),
            }),
            (AgreementStep::Consultation, _) => Err(refused(
                "step-no-draft",
                "only a draft text is opened for consultation: start a new version first",
            )),
            (AgreementStep::Adopted, _) if at.status == A::Draft => Err(refused(
                "step-consult-first",
                "open the text for consultation with the sector before it is adopted",
            )),
            (AgreementStep::Adopted, Some(V::Draft | V::Consultation)) => Ok(Transition {
                status: A::Adopted,
                latest: Some(V::Adopted),
            }),
            (AgreementStep::Adopted, _) => Err(refused(
                "step-nothing-to-adopt",
                "the latest text is already adopted: start a new version to revise it",
            )),
            (AgreementStep::NewVersion, Some(V::Consultation | V::Adopted)) => Ok(keep(None)),
            (AgreementStep::NewVersion, _) => Err(refused(
                "step-draft-open",
                "the latest version is still a draft: edit it rather than start another",
            )),
            (AgreementStep::WoundDown, _) if at.status == A::Adopted => Ok(Transition {
                status: A::WoundDown,
                latest: None,
            }),
            (AgreementStep::WoundDown, _) => Err(refused(
                "step-not-adopted",
                "only an adopted agreement is wound down",
            )),
            (AgreementStep::Superseded, _) if !successor => Err(refused(
                "step-needs-successor",
                "name the agreement that takes over",
            )),
            (AgreementStep::Superseded, _) if matches!(at.status, A::Adopted | A::WoundDown) => {
                Ok(Transition {
                    status: A::Superseded,
                    latest: None,
                })
            }
            (AgreementStep::Superseded, _) => Err(refused(
                "step-not-adopted",
                "only an adopted or wound down agreement is superseded",
            )),
        }
    }
}

/// Whether the latest version's text may be edited: only a draft is; an
/// adopted text or one under consultation stays as it was read.
pub fn check_text_edit(at: Standing) -> Result<(), Refused> {
    match (at.status, at.latest) {
        (AgreementStatus::WoundDown | AgreementStatus::Superseded, _) => Err(refused(
            "step-closed",
            "the agreement is wound down or superseded: its text is kept as it was",
        )),
        (_, Some(VersionStatus::Draft) | None) => Ok(()),
        (_, Some(VersionStatus::Consultation)) => Err(refused(
            "text-under-consultation",
            "this text is out for consultation and stays as the sector read it: start a new version to change it",
        )),
        (_, Some(_)) => Err(refused(
            "text-adopted",
            "an adopted text is never edited in place: start a new version to revise it",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: AgreementStatus, latest: Option<VersionStatus>) -> Standing {
        Standing { status, latest }
    }

    #[test]
    fn the_life_cycle_goes_through_consultation_and_decisions() {
        use AgreementStatus as A;
        use VersionStatus as V;
        let draft = at(A::Draft, Some(V::Draft));
        let step = |s: AgreementStep, from: Standing| s.check(from, true, true);
        let code = |r: Result<Transition, Refused>| r.unwrap_err().code;
        assert_eq!(
            code(step(AgreementStep::Adopted, draft)),
            "step-consult-first"
        );
        let consulted = step(AgreementStep::Consultation, draft).unwrap();
        assert_eq!(
            (consulted.status, consulted.latest),
            (A::Consultation, Some(V::Consultation))
        );
        let open = at(A::Consultation, Some(V::Consultation));
        assert_eq!(
            check_text_edit(open).unwrap_err().code,
            "text-under-consultation"
        );
        assert_eq!(
            code(AgreementStep::Adopted.check(open, false, false)),
            "step-needs-decision"
        );
        let adopted = step(AgreementStep::Adopted, open).unwrap();
        assert_eq!(adopted.status, A::Adopted);
        let adopted = at(A::Adopted, Some(V::Adopted));
        assert_eq!(check_text_edit(adopted).unwrap_err().code, "text-adopted");
        assert_eq!(
            code(step(AgreementStep::Adopted, adopted)),
            "step-nothing-to-adopt"
        );
        assert_eq!(
            step(AgreementStep::NewVersion, adopted).unwrap().latest,
            None
        );
        let revising = at(A::Adopted, Some(V::Draft));
        assert!(check_text_edit(revising).is_ok());
        assert_eq!(
            code(step(AgreementStep::NewVersion, revising)),
            "step-draft-open"
        );
        assert_eq!(
            step(AgreementStep::Adopted, revising).unwrap().status,
            A::Adopted,
            "a revision may skip consultation"
        );
        assert_eq!(
            code(AgreementStep::Superseded.check(adopted, true, false)),
            "step-needs-successor"
        );
        let wound = step(AgreementStep::WoundDown, adopted).unwrap();
        let wound = at(wound.status, Some(V::Adopted));
        assert_eq!(code(step(AgreementStep::NewVersion, wound)), "step-closed");
        assert_eq!(
            step(AgreementStep::Superseded, wound).unwrap().status,
            A::Superseded
        );
        assert_eq!(
            AgreementStep::possible(draft),
            [AgreementStep::Consultation]
        );
    }

    #[test]
    fn status_round_trips_and_rejects_unknown_values() {
        for status in AgreementStatus::ALL {
            assert_eq!(AgreementStatus::parse(status.as_str()), Ok(*status));
        }
        let err = AgreementStatus::parse("approved").unwrap_err();
        assert!(err.0.contains("draft, consultation, adopted"), "{err}");
    }
}

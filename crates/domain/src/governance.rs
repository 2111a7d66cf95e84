//! Governance roles held for a term: samordnare, processtöd, arbetsgrupp …

use crate::text_enum::text_enum;

text_enum! {
    RoleKind {
        ProjectLead => "project_lead",
        Coordinator => "coordinator",
        ProcessSupport => "process_support",
        WorkingGroup => "working_group",
        ChallengeHost => "challenge_host",
    }
}

text_enum! {
    /// Which side of the agreement a role or party stands on.
    Side {
        City => "city",
        Sector => "sector",
        Joint => "joint",
    }
}

//! Idea-based organisations: legal forms and roles within an organisation.

use crate::text_enum::text_enum;

text_enum! {
    /// The legal form, as Swedish registers name them.
    LegalForm {
        IdeellForening => "ideell_forening",
        Stiftelse => "stiftelse",
        RegistreratTrossamfund => "registrerat_trossamfund",
        EkonomiskForening => "ekonomisk_forening",
        Natverk => "natverk",
    }
}

text_enum! {
    /// A person's role in an organisation.
    MemberRole {
        Admin => "admin",
        Member => "member",
    }
}

text_enum! {
    /// Where an application to join an agreement stands.
    AccessionStatus {
        Applied => "applied",
        Approved => "approved",
        Declined => "declined",
        Withdrawn => "withdrawn",
    }
}

//! Pure domain types and rules for Samverkan: the vocabulary of
//! `shared/design/DOMAIN.md` as Rust types. No IO here: values are parsed at
//! the edge (`Slug::parse`, `AgreementStatus::parse`) and are valid from then on.

mod text_enum;

pub mod agreement;
pub mod agreement_text;
pub mod city_body;
pub mod date;
pub mod document;
pub mod email;
pub mod governance;
pub mod local_path;
pub mod meeting;
pub mod municipality;
pub mod org_number;
pub mod organisation;
pub mod password;
pub mod plan;
pub mod register;
pub mod slug;

pub use agreement::{AgreementStatus, AgreementStep, ParagraphKind, VersionStatus};
pub use city_body::CityBodyKind;
pub use date::{DatePrecision, PartialDate};
pub use document::{DocumentKind, NotADocument, safe_file_name};
pub use email::Email;
pub use governance::{RoleKind, Side};
pub use local_path::LocalPath;
pub use meeting::{ActionStatus, AgendaProblem, ClockTime, MeetingKind, MinutesStatus};
pub use municipality::MunicipalityKind;
pub use org_number::OrgNumber;
pub use organisation::{AccessionStatus, LegalForm, MemberRole};
pub use password::{NewPassword, PasswordProblem};
pub use plan::{
    ActivityStatus, Hours, PartyRole, PlanPart, PlanStatus, Progress, Score, Sek, UpdateState,
};
pub use register::{CollaborationForm, RemarkKind, ReportSection, ReportStatus};
pub use slug::Slug;

/// A value that did not parse, with a message that says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

//! The public views: what a page shows and what the API returns, one struct
//! for both. Field names are the API's; templates read the same fields.

use crate::text::paragraphs;
use samverkan_domain::{
    AgreementStatus, AgreementStep, CityBodyKind, DatePrecision, MunicipalityKind, ParagraphKind,
    PlanStatus, RoleKind, Side, VersionStatus,
};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Municipality {
    pub slug: String,
    pub name: String,
    /// A municipality (kommun) or a region.
    pub kind: MunicipalityKind,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CityBody {
    pub slug: String,
    pub name: String,
    pub kind: CityBodyKind,
    pub municipality: String,
    /// Slug of the committee an administration serves.
    pub parent: Option<String>,
    pub parent_name: Option<String>,
    pub description: String,
}

/// An agreement as listed: who, what and where in its life cycle.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementSummary {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub status: AgreementStatus,
    pub status_since: Date,
    pub summary: String,
    pub municipality: Municipality,
    /// Number of the version in force (or the latest draft).
    pub current_version: Option<i32>,
}

/// An agreement with its vision and the counts of its parts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementDetail {
    #[serde(flatten)]
    pub summary: AgreementSummary,
    pub vision: String,
    pub successor: Option<String>,
    pub principles: Vec<Principle>,
    pub commitments: Vec<Commitment>,
    pub challenges: Vec<Challenge>,
    pub recent_decisions: Vec<Decision>,
    /// The agreement's own fields, principles and challenges in other
    /// languages than Swedish, where translated (the fields above are as
    /// written, in Swedish).
    pub translations: Vec<FieldTranslation>,
}

/// One field of the agreement, a principle or a challenge in another
/// language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldTranslation {
    /// The language, e.g. `en`.
    pub lang: String,
    /// `agreement`, `principle` or `challenge`.
    pub part: String,
    /// The principle's or challenge's slug; empty for the agreement.
    pub slug: String,
    /// The field translated: `name`, `short_name`, `summary`, `vision`
    /// (the agreement), `name`, `summary`, `description` (its parts).
    pub field: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    pub id: i64,
    /// The date, as the first day of the period when only month or year is known.
    pub date: Date,
    pub precision: DatePrecision,
    /// The date at its precision: `2017-06-14`, `2016-03` or `2014`.
    pub date_text: String,
    pub decided_by: String,
    /// Slug of the city body that decided, when it was one.
    pub city_body: Option<String>,
    /// Reference number (diarienummer).
    pub reference: Option<String>,
    pub url: Option<String>,
    pub title: String,
    pub summary: String,
    /// The files attached to the decision (the minutes, the signed text).
    pub documents: Vec<crate::documents::DocumentRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionSummary {
    pub number: i32,
    pub label: String,
    pub status: VersionStatus,
    pub published_on: Date,
    pub decision: Option<Decision>,
    pub note: String,
    pub is_current: bool,
    /// The files attached to the version (the text as it was sent out or
    /// signed, say).
    pub documents: Vec<crate::documents::DocumentRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionText {
    #[serde(flatten)]
    pub version: VersionSummary,
    pub sections: Vec<Section>,
    /// The headings and paragraphs in other languages: language → anchor
    /// → text (the pages show them; the API gives the text as written).
    #[serde(skip)]
    #[schema(ignore)]
    pub translations: HashMap<String, HashMap<String, String>>,
}

/// The language the agreements are written in; others are translations.
pub const SOURCE_LANG: &str = "sv";

impl VersionText {
    /// The text in `lang` where it is translated, the written text where
    /// not; `true` when some part is not translated (the page says so and
    /// marks those parts with their language).
    pub fn in_language(&self, lang: &str) -> (VersionText, bool) {
        let mut text = self.clone();
        let Some(tr) = self.translations.get(lang).filter(|_| lang != SOURCE_LANG) else {
            return (text, lang != SOURCE_LANG);
        };
        let mut fell_back = false;
        let mut take =
            |anchor: &str, into: &mut String, mark: &mut &'static str| match tr.get(anchor) {
                Some(t) => {
                    *into = t.clone();
                    *mark = lang_tag(lang);
                }
                None => fell_back = true,
            };
        for s in &mut text.sections {
            take(&s.anchor, &mut s.heading, &mut s.lang);
            for p in &mut s.paragraphs {
                take(&p.anchor, &mut p.body, &mut p.lang);
                if p.lang != SOURCE_LANG {
                    p.html = crate::markdown::inline_html(&p.body);
                }
            }
        }
        (text, fell_back)
    }
}

/// The static tag of a page language (the pages speak Swedish and English).
pub(crate) fn lang_tag(lang: &str) -> &'static str {
    match lang {
        "en" => "en",
        _ => SOURCE_LANG,
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Section {
    /// Stable id: the same in every version for the same section.
    pub anchor: String,
    pub heading: String,
    pub paragraphs: Vec<Paragraph>,
    /// The language the heading is shown in.
    #[serde(skip)]
    pub lang: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Paragraph {
    /// Stable id: the same in every version for the same paragraph.
    pub anchor: String,
    pub kind: ParagraphKind,
    /// As written: text with inline Markdown (emphasis, links).
    pub body: String,
    /// The body rendered: HTML holding only `em`, `strong`, `code` and
    /// `a` (http, https, mailto), sanitised.
    pub html: String,
    /// The language the paragraph is shown in.
    #[serde(skip)]
    pub lang: &'static str,
}

/// Consecutive paragraphs rendered together: running text, or one list.
pub enum Block<'a> {
    Text(&'a Paragraph),
    List(Vec<&'a Paragraph>),
}

impl Section {
    pub fn blocks(&self) -> Vec<Block<'_>> {
        let mut blocks: Vec<Block<'_>> = Vec::new();
        for p in &self.paragraphs {
            match (p.kind, blocks.last_mut()) {
                (ParagraphKind::Item, Some(Block::List(items))) => items.push(p),
                (ParagraphKind::Item, _) => blocks.push(Block::List(vec![p])),
                (ParagraphKind::Text, _) => blocks.push(Block::Text(p)),
            }
        }
        blocks
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Principle {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The language each field is shown in.
    #[serde(skip)]
    pub langs: PartLangs,
}

/// The language each field of a principle or challenge is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartLangs {
    pub name: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
}

impl Default for PartLangs {
    fn default() -> Self {
        PartLangs {
            name: SOURCE_LANG,
            summary: SOURCE_LANG,
            description: SOURCE_LANG,
        }
    }
}

/// One "this is how we work" statement (förhållningssätt).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Commitment {
    pub number: i32,
    pub body: String,
    /// The language it is shown in.
    #[serde(skip)]
    pub lang: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Challenge {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
    /// Slugs of the action plans that prioritise this challenge.
    pub plans: Vec<String>,
    /// The language each field is shown in.
    #[serde(skip)]
    pub langs: PartLangs,
}

impl Challenge {
    pub fn description_paragraphs(&self) -> Vec<&str> {
        paragraphs(&self.description)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionPlan {
    pub slug: String,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// The period was continued to this date.
    pub extended_to: Option<Date>,
    pub decision: Option<Decision>,
    pub summary: String,
    pub status: PlanStatus,
    /// Slugs of the prioritised challenges.
    pub challenges: Vec<String>,
    /// The texts of the plan's four parts, in the guidelines' order.
    pub parts: Vec<crate::plans::views::PlanPartText>,
    /// The files attached to the plan.
    pub documents: Vec<crate::documents::DocumentRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Role {
    pub slug: String,
    pub kind: RoleKind,
    pub side: Side,
    /// The public contact title.
    pub title: String,
    /// A functional mailbox; never a personal address.
    pub mailbox: Option<String>,
    pub description: String,
    /// Who held the role when, oldest first.
    pub terms: Vec<Term>,
}

impl Role {
    pub fn current_terms(&self) -> Vec<&Term> {
        self.terms.iter().filter(|t| t.current).collect()
    }

    /// Earlier holders, the most recent first.
    pub fn past_terms(&self) -> Vec<&Term> {
        (self.terms.iter().rev())
            .filter(|t| !t.current && !t.coming)
            .collect()
    }

    /// Terms that start after today, the soonest first.
    pub fn coming_terms(&self) -> Vec<&Term> {
        self.terms.iter().filter(|t| t.coming).collect()
    }

    pub fn has_current(&self) -> bool {
        self.terms.iter().any(|t| t.current)
    }

    pub fn has_past(&self) -> bool {
        self.terms.iter().any(|t| !t.current && !t.coming)
    }

    pub fn has_coming(&self) -> bool {
        self.terms.iter().any(|t| t.coming)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Term {
    pub holder: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// Whether the term covers today.
    pub current: bool,
    /// Whether the term starts after today.
    pub coming: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct District {
    pub slug: String,
    pub name: String,
    pub municipality: String,
}

/// A named link to a challenge of an agreement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChallengeRef {
    pub agreement: String,
    pub slug: String,
    pub name: String,
}

/// An agreement an organisation has joined, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Membership {
    pub agreement: String,
    pub joined_on: Date,
}

/// An organisation in the public register. Never a person's e-mail address:
/// `contact_email` is the organisation's own public mailbox.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    /// `NNNNNN-NNNN`, or none (e.g. informal networks).
    pub org_number: Option<String>,
    pub legal_form: samverkan_domain::LegalForm,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub municipality: String,
    pub districts: Vec<District>,
    pub challenges: Vec<ChallengeRef>,
    /// The agreements it is party to.
    pub agreements: Vec<Membership>,
    pub registered_on: Date,
}

impl Organisation {
    pub fn has_joined(&self) -> bool {
        !self.agreements.is_empty()
    }
}

/// A party to an agreement and since when: an organisation, a city body or
/// a person as active citizen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Party {
    /// `organisation`, `city_body` or `person`.
    pub kind: String,
    /// The organisation's slug, for organisations.
    pub organisation: Option<String>,
    /// The city body's key `municipality/slug`, for city bodies.
    pub city_body: Option<String>,
    /// The party's name; empty for a person whose account was deleted.
    pub name: String,
    pub legal_form: Option<samverkan_domain::LegalForm>,
    pub org_number: Option<String>,
    pub joined_on: Date,
}

/// A signatory of the agreement: a public-sector party or a signatory body
/// of the sector.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Signatory {
    pub side: Side,
    pub name: String,
    /// The municipality's or region's slug, for a public-sector party.
    pub municipality: Option<String>,
}

/// One step of the agreement's public history: who took it and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryStep {
    pub at: OffsetDateTime,
    pub step: AgreementStep,
    /// The name of who took the step (empty once their account is removed).
    pub by: String,
    /// The version the step concerns.
    pub version: Option<i32>,
    pub decision: Option<Decision>,
    pub note: String,
}

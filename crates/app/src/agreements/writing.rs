//! Writing an agreement in the browser: a new agreement (its municipality,
//! name, summary, vision and signatories), its fields, and the text of its
//! latest version as one small Markdown document in Swedish with its
//! English translation. A draft agreement is seen only by its writers (the
//! public record leaves it out); every edit is made on the revision the
//! writer saw, or refused as stale.

use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::text::today;
use crate::views::HistoryStep;
use crate::{App, Error, FieldError, Result};
use samverkan_db::agreements::{NewAgreement, NewVersion};
use samverkan_db::snapshot::{ParagraphRow, SectionRow};
use samverkan_db::writing::{AgreementFields, NewEvent, SignatoryRow, VersionHead, WritingRow};
use samverkan_domain::agreement::{Refused, Standing, check_text_edit};
use samverkan_domain::agreement_text::{self, TextParagraph, TextSection};
use samverkan_domain::{AgreementStatus, AgreementStep, ParagraphKind, Side, VersionStatus};
use std::collections::{BTreeSet, HashMap};
use time::OffsetDateTime;

/// The agreement form as typed.
#[derive(Debug, Clone, Default)]
pub struct AgreementForm {
    /// The municipality or region whose agreement it is (slug; new only).
    pub municipality: String,
    pub name: String,
    pub short_name: String,
    pub summary: String,
    pub vision: String,
    /// The same four fields in English (each may be left empty: the pages
    /// then show the Swedish and say so).
    pub english: EnglishFields,
    /// Other public-sector parties (municipality or region slugs).
    pub parties: Vec<String>,
    /// The sector's signatory bodies, one per line.
    pub signatories: String,
}

/// The agreement's own fields in English, as typed.
#[derive(Debug, Clone, Default)]
pub struct EnglishFields {
    pub name: String,
    pub short_name: String,
    pub summary: String,
    pub vision: String,
}

impl EnglishFields {
    /// The translation rows (part, slug, field, text) of the fields given.
    fn rows(&self) -> Vec<(&str, &str, &str, &str)> {
        use super::translated::AGREEMENT;
        [
            ("name", &self.name),
            ("short_name", &self.short_name),
            ("summary", &self.summary),
            ("vision", &self.vision),
        ]
        .into_iter()
        .map(|(f, text)| (AGREEMENT, "", f, text.trim()))
        .filter(|(_, _, _, text)| !text.is_empty())
        .collect()
    }
}

/// The text form as typed: the latest version's label and its text.
#[derive(Debug, Clone, Default)]
pub struct TextForm {
    pub label: String,
    /// Swedish, as written.
    pub text: String,
    /// English, section by section and paragraph by paragraph.
    pub text_en: String,
}

/// What the writers' workspace shows.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub slug: String,
    pub status: AgreementStatus,
    pub revision: i64,
    pub form: AgreementForm,
    /// (number, label, status)
    pub versions: Vec<(i32, String, VersionStatus)>,
    /// The latest version: number, status, revision and its text.
    pub latest: Option<LatestVersion>,
    /// Why the latest text cannot be edited, if it cannot.
    pub locked: Option<Refused>,
    pub steps: Vec<AgreementStep>,
    /// The parties' bodies, for a decision: (`municipality/body`, name).
    pub bodies: Vec<(String, String)>,
    /// The other agreements, for a successor: (slug, name).
    pub successors: Vec<(String, String)>,
    /// The municipalities and regions, for the parties: (slug, name).
    pub municipalities: Vec<(String, String)>,
    pub history: Vec<HistoryStep>,
    /// The principles and challenges as the parts form shows them.
    pub parts: super::parts::PartsForm,
}

#[derive(Debug, Clone)]
pub struct LatestVersion {
    pub number: i32,
    pub status: VersionStatus,
    pub revision: i64,
    pub form: TextForm,
}

/// The language of the translation the editor takes.
pub const TRANSLATION_LANG: &str = "en";

fn field(field: &'static str, code: &'static str, message: &str) -> FieldError {
    FieldError::new(field, code, message)
}

/// The form's values, checked (the demonstration data's agreements too).
pub(crate) fn check_form(form: &AgreementForm) -> Result<()> {
    let mut errors = Vec::new();
    let len = |s: &str| s.trim().chars().count();
    let en = &form.english;
    // An English field may be left empty; one given follows the Swedish
    // field's rule.
    let given =
        |s: &str, range: std::ops::RangeInclusive<usize>| len(s) == 0 || range.contains(&len(s));
    let names: [(&'static str, bool, &'static str, &'static str); 8] = [
        (
            "name",
            (3..=200).contains(&len(&form.name)),
            "agreement-name-length",
            "write the name, 3 to 200 characters",
        ),
        (
            "name_en",
            given(&en.name, 3..=200),
            "agreement-name-length",
            "write the name, 3 to 200 characters",
        ),
        (
            "short_name",
            (2..=60).contains(&len(&form.short_name)),
            "agreement-short-name-length",
            "write a short name, 2 to 60 characters, e.g. Malmöandan",
        ),
        (
            "short_name_en",
            given(&en.short_name, 2..=60),
            "agreement-short-name-length",
            "write a short name, 2 to 60 characters, e.g. Malmöandan",
        ),
        (
            "summary",
            len(&form.summary) <= 2_000,
            "agreement-summary-length",
            "the summary has at most 2,000 characters",
        ),
        (
            "summary_en",
            len(&en.summary) <= 2_000,
            "agreement-summary-length",
            "the summary has at most 2,000 characters",
        ),
        (
            "vision",
            len(&form.vision) <= 10_000,
            "agreement-vision-length",
            "the vision has at most 10,000 characters",
        ),
        (
            "vision_en",
            len(&en.vision) <= 10_000,
            "agreement-vision-length",
            "the vision has at most 10,000 characters",
        ),
    ];
    for (f, ok, code, message) in names {
        if !ok {
            errors.push(field(f, code, message));
        }
    }
    let lines = signatory_lines(&form.signatories);
    if lines.len() > 50 || lines.iter().any(|l| l.chars().count() > 200) {
        errors.push(field(
            "signatories",
            "agreement-signatories",
            "name at most 50 signatory bodies, one per line, each at most 200 characters",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

fn signatory_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

fn standing(a: &WritingRow, versions: &[VersionHead]) -> Result<Standing> {
    Ok(Standing {
        status: AgreementStatus::parse(&a.agreement.status).map_err(crate::snapshot::corrupt)?,
        latest: versions
            .last()
            .map(|v| VersionStatus::parse(&v.version.status))
            .transpose()
            .map_err(crate::snapshot::corrupt)?,
    })
}

/// Sections of a stored text, with their anchors.
pub(crate) fn stored_sections(
    sections: Vec<SectionRow>,
    paragraphs: Vec<ParagraphRow>,
) -> Result<Vec<TextSection>> {
    let mut of: HashMap<i64, Vec<TextParagraph>> = HashMap::new();
    for p in paragraphs {
        of.entry(p.section_id).or_default().push(TextParagraph {
            anchor: p.anchor,
            kind: ParagraphKind::parse(&p.kind).map_err(crate::snapshot::corrupt)?,
            body: p.body,
        });
    }
    Ok(sections
        .into_iter()
        .map(|s| TextSection {
            paragraphs: of.remove(&s.id).unwrap_or_default(),
            anchor: s.anchor,
            heading: s.heading,
        })
        .collect())
}

/// The sections with their headings and paragraphs in `tr` where given.
fn translated(sections: &[TextSection], tr: &HashMap<String, String>) -> Vec<TextSection> {
    let mut out = sections.to_vec();
    for s in &mut out {
        if let Some(h) = tr.get(&s.anchor) {
            s.heading = h.clone();
        }
        for p in &mut s.paragraphs {
            if let Some(b) = tr.get(&p.anchor) {
                p.body = b.clone();
            }
        }
    }
    out
}

/// What the agreements page shows a writer (who may start an agreement):
/// the drafts they write and the agreements they coordinate (slugs).
#[derive(Debug, Clone)]
pub struct Writer {
    /// (slug, name)
    pub drafts: Vec<(String, String)>,
    pub coordinates: Vec<String>,
    /// A platform administrator writes every agreement.
    pub writes_all: bool,
}

impl App {
    /// What a signed-in person may write, or `None` when nothing.
    pub async fn writer(&self, roles: &Roles) -> Result<Option<Writer>> {
        if !roles.keeps_city_bodies() {
            return Ok(None);
        }
        let drafts = self.db().draft_agreements().await?;
        Ok(Some(Writer {
            drafts: drafts
                .into_iter()
                .filter(|d| roles.coordinates(&d.agreement.slug))
                .map(|d| (d.agreement.slug, d.agreement.name))
                .collect(),
            coordinates: roles.coordinates.iter().map(|(s, _)| s.clone()).collect(),
            writes_all: roles.platform_admin,
        }))
    }

    /// The agreement as its writers see it, or not found; coordinators of
    /// the agreement (and platform administrators) only.
    pub(super) async fn writable(&self, roles: &Roles, slug: &str) -> Result<WritingRow> {
        if !roles.coordinates(slug) {
            return Err(Error::Forbidden(
                "only the agreement's coordinators write it",
            ));
        }
        self.db()
            .agreement_for_writing(slug)
            .await?
            .ok_or(Error::NotFound("agreement"))
    }

    /// Creates an agreement in draft with an empty first version; returns
    /// its slug. Platform administrators and coordinators; the creator
    /// becomes a coordinator of it.
    pub async fn create_agreement(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        form: &AgreementForm,
    ) -> Result<String> {
        if !roles.keeps_city_bodies() {
            return Err(Error::Forbidden(
                "only coordinators and administrators create agreements",
            ));
        }
        let municipality = self.db().municipality_id(form.municipality.trim()).await?;
        let mut check = check_form(form);
        if municipality.is_none() {
            let e = field(
                "municipality",
                "agreement-municipality",
                "choose the municipality or region",
            );
            check = match check {
                Err(Error::Validation(mut errors)) => {
                    errors.insert(0, e);
                    Err(Error::Validation(errors))
                }
                _ => Err(Error::Validation(vec![e])),
            };
        }
        check?;
        let municipality_id = municipality.unwrap_or_default();
        let parties = self.party_ids(form).await?;
        let base = crate::organisations::slugify(form.short_name.trim());
        let mut slug = base.clone();
        let mut n = 2;
        while self.db().agreement_for_writing(&slug).await?.is_some() {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let (now, day) = (OffsetDateTime::now_utc(), today());
        let position = self.db().next_agreement_position().await?;
        let mut tx = self.db().begin().await?;
        let draft = NewDraft {
            municipality_id,
            slug: &slug,
            form,
            parties: &parties,
            position,
            day,
            label: "Utkast",
            note: "",
        };
        let (id, _) = insert_draft(&mut tx, &draft, &Actor::of(user)).await?;
        tx.grant_coordinator(id, user.id, now).await?;
        tx.audit(
            now,
            Some(user.id),
            "agreement-created",
            &slug,
            form.name.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(slug)
    }

    /// The ids and names of the other public-sector parties named.
    async fn party_ids(&self, form: &AgreementForm) -> Result<Vec<(i64, String)>> {
        let snapshot = self.public().await?;
        let mut ids = Vec::new();
        for slug in form.parties.iter().filter(|p| **p != form.municipality) {
            let m = (snapshot.rows.municipalities.iter())
                .find(|m| m.slug == *slug)
                .ok_or_else(|| {
                    Error::Validation(vec![field(
                        "parties",
                        "agreement-party-unknown",
                        "choose the parties from the list",
                    )])
                })?;
            ids.push((m.id, m.name.clone()));
        }
        Ok(ids)
    }

    /// The workspace of an agreement: its fields, versions, latest text,
    /// the steps it can take and its history.
    pub async fn workspace(&self, roles: &Roles, slug: &str) -> Result<Workspace> {
        let a = self.writable(roles, slug).await?;
        let versions = self.db().versions_for_writing(a.agreement.id).await?;
        let at = standing(&a, &versions)?;
        let snapshot = self.public().await?;
        let latest = match versions.last() {
            Some(v) => Some(self.latest_version(v).await?),
            None => None,
        };
        let signatories = self.db().signatories_of(a.agreement.id).await?;
        let municipality = self.municipality_slug(a.agreement.municipality_id, &snapshot);
        let english_rows = (self.db())
            .field_translations(a.agreement.id, TRANSLATION_LANG)
            .await?;
        let english_of = |part: &str, slug: &str, f: &str| {
            (english_rows.iter())
                .find(|t| t.part == part && t.slug == slug && t.field == f)
                .map(|t| t.body.clone())
                .unwrap_or_default()
        };
        let agreement_en = |f: &str| english_of(super::translated::AGREEMENT, "", f);
        let form = AgreementForm {
            municipality: municipality.clone().unwrap_or_default(),
            english: EnglishFields {
                name: agreement_en("name"),
                short_name: agreement_en("short_name"),
                summary: agreement_en("summary"),
                vision: agreement_en("vision"),
            },
            name: a.agreement.name.clone(),
            short_name: a.agreement.short_name.clone(),
            summary: a.agreement.summary.clone(),
            vision: a.agreement.vision.clone(),
            parties: signatories
                .iter()
                .filter(|s| {
                    s.municipality_id
                        .is_some_and(|id| id != a.agreement.municipality_id)
                })
                .filter_map(|s| self.municipality_slug(s.municipality_id?, &snapshot))
                .collect(),
            signatories: signatories
                .iter()
                .filter(|s| s.side == Side::Sector.as_str())
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        let decisions: HashMap<i64, crate::views::Decision> = snapshot
            .agreement(slug)
            .map(|p| p.decisions.iter().map(|d| (d.id, d.clone())).collect())
            .unwrap_or_default();
        let events = self.db().events_of(a.agreement.id).await?;
        let history = (events.iter())
            .map(|e| super::history::step_of(e, &decisions))
            .collect::<Result<Vec<_>>>()?;
        let bodies = snapshot
            .city_bodies
            .iter()
            .filter(|b| {
                Some(&b.municipality) == municipality.as_ref()
                    || form.parties.contains(&b.municipality)
            })
            .map(|b| (format!("{}/{}", b.municipality, b.slug), b.name.clone()))
            .collect();
        let (principles, challenges) = self.db().parts_of(a.agreement.id).await?;
        let commitments = self.db().commitments_of(a.agreement.id).await?;
        let parts = super::parts::PartsForm {
            principles: super::parts::format(&principles, false),
            challenges: super::parts::format(&challenges, true),
            principles_en: super::parts::format_english(&principles, false, &english_rows),
            challenges_en: super::parts::format_english(&challenges, true, &english_rows),
            commitments: commitments.join("\n"),
            commitments_en: super::parts::commitments_english(&commitments, &english_rows),
        };
        Ok(Workspace {
            parts,
            slug: a.agreement.slug.clone(),
            status: at.status,
            revision: a.revision,
            form,
            versions: versions
                .iter()
                .map(|v| {
                    let status =
                        VersionStatus::parse(&v.version.status).unwrap_or(VersionStatus::Draft);
                    (v.version.number, v.version.label.clone(), status)
                })
                .collect(),
            latest,
            locked: check_text_edit(at).err(),
            steps: AgreementStep::possible(at),
            bodies,
            successors: snapshot
                .agreements
                .iter()
                .filter(|o| o.summary.slug != a.agreement.slug)
                .map(|o| (o.summary.slug.clone(), o.summary.name.clone()))
                .collect(),
            municipalities: snapshot
                .municipalities
                .iter()
                .map(|m| (m.slug.clone(), m.name.clone()))
                .collect(),
            history,
        })
    }

    fn municipality_slug(
        &self,
        id: i64,
        snapshot: &crate::snapshot::PublicSnapshot,
    ) -> Option<String> {
        let row = snapshot.rows.municipalities.iter().find(|m| m.id == id)?;
        Some(row.slug.clone())
    }

    async fn latest_version(&self, v: &VersionHead) -> Result<LatestVersion> {
        let (sections, paragraphs) = self.db().version_text(v.version.id).await?;
        let sections = stored_sections(sections, paragraphs)?;
        let tr: HashMap<String, String> = self
            .db()
            .version_translations(v.version.id, TRANSLATION_LANG)
            .await?
            .into_iter()
            .map(|t| (t.anchor, t.body))
            .collect();
        Ok(LatestVersion {
            number: v.version.number,
            status: VersionStatus::parse(&v.version.status).map_err(crate::snapshot::corrupt)?,
            revision: v.revision,
            form: TextForm {
                label: v.version.label.clone(),
                text: agreement_text::format(&sections),
                text_en: if tr.is_empty() {
                    String::new()
                } else {
                    agreement_text::format(&translated(&sections, &tr))
                },
            },
        })
    }

    /// Saves the agreement's fields, if nobody saved since `revision`.
    pub async fn update_agreement(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        revision: i64,
        form: &AgreementForm,
    ) -> Result<()> {
        let a = self.writable(roles, slug).await?;
        check_form(form)?;
        let parties = self.party_ids(form).await?;
        let mut tx = self.db().begin().await?;
        let fields = AgreementFields {
            name: form.name.trim(),
            short_name: form.short_name.trim(),
            summary: form.summary.trim(),
            vision: form.vision.trim(),
        };
        if !tx
            .update_agreement_fields(a.agreement.id, revision, &fields)
            .await?
        {
            return Err(Error::stale(
                "stale-agreement",
                "someone saved the agreement after you opened it",
            ));
        }
        let english = form.english.rows();
        tx.replace_field_translations(
            a.agreement.id,
            TRANSLATION_LANG,
            &[super::translated::AGREEMENT],
            &english,
        )
        .await?;
        tx.delete_signatories(a.agreement.id).await?;
        let home = a.agreement.municipality_id;
        write_signatories(&mut tx, a.agreement.id, home, &parties, form).await?;
        let now = OffsetDateTime::now_utc();
        tx.audit(
            now,
            Some(user.id),
            "agreement-saved",
            slug,
            form.name.trim(),
        )
        .await?;
        self.commit_public(tx).await
    }

    /// Saves the latest version's text (Swedish, and English where given),
    /// if it is a draft and nobody saved since `revision`. Anchors are kept
    /// for the paragraphs that continue ([`agreement_text::assign_anchors`]).
    pub async fn save_text(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        revision: i64,
        form: &TextForm,
    ) -> Result<()> {
        let a = self.writable(roles, slug).await?;
        let versions = self.db().versions_for_writing(a.agreement.id).await?;
        check_text_edit(standing(&a, &versions)?)
            .map_err(|r| Error::conflict(r.code, r.message))?;
        let Some(v) = versions.last() else {
            return Err(Error::NotFound("version"));
        };
        let mut sections = agreement_text::parse(&form.text)
            .map_err(|p| Error::Validation(vec![text_problem("text", p)]))?;
        let english = match form.text_en.trim() {
            "" => None,
            text => Some(
                agreement_text::parse(text)
                    .map_err(|p| Error::Validation(vec![text_problem("text_en", p)]))?,
            ),
        };
        let label = form.label.trim();
        if !(1..=100).contains(&label.chars().count()) {
            return Err(Error::Validation(vec![field(
                "label",
                "version-label-length",
                "name the version, 1 to 100 characters, e.g. Utkast hösten 2026",
            )]));
        }
        let (old_sections, old_paragraphs) = self.db().version_text(v.version.id).await?;
        let old = stored_sections(old_sections, old_paragraphs)?;
        let used: BTreeSet<String> = self
            .db()
            .anchors_used(a.agreement.id)
            .await?
            .into_iter()
            .collect();
        agreement_text::assign_anchors(&mut sections, &old, &used);
        let translations = match &english {
            Some(en) => translations(&sections, en)?,
            None => Vec::new(),
        };
        let mut tx = self.db().begin().await?;
        if !tx.claim_version(v.version.id, revision).await? {
            return Err(Error::stale(
                "stale-text",
                "someone saved the text after you opened it",
            ));
        }
        tx.clear_version_text(v.version.id).await?;
        write_text(&mut tx, v.version.id, &sections).await?;
        tx.replace_translations(v.version.id, TRANSLATION_LANG, &translations)
            .await?;
        tx.set_version_label(v.version.id, label).await?;
        let now = OffsetDateTime::now_utc();
        let detail = format!("version {}", v.version.number);
        tx.audit(now, Some(user.id), "agreement-text-saved", slug, &detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A text problem as a field's: its code, with the line as the detail.
fn text_problem(f: &'static str, p: agreement_text::TextProblem) -> FieldError {
    FieldError {
        field: f,
        code: p.code,
        message: format!("line {}: {}", p.line, p.message),
        detail: Some(p.line.to_string()),
    }
}

/// The English text matched to the Swedish, part by part: (anchor, text)
/// for each part that differs from the Swedish (one left as the Swedish is
/// not a translation). The two must have the same sections and paragraphs.
fn translations(sv: &[TextSection], en: &[TextSection]) -> Result<Vec<(String, String)>> {
    let shape = |s: &[TextSection]| s.iter().map(|s| s.paragraphs.len()).collect::<Vec<_>>();
    if shape(sv) != shape(en) {
        let detail = format!(
            "{} / {}",
            shape(sv)
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("+"),
            shape(en)
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("+"),
        );
        return Err(Error::Validation(vec![FieldError {
            field: "text_en",
            code: "text-translation-shape",
            message: format!(
                "the English text must have the same sections and paragraphs as the Swedish, in the same order (paragraphs per section, Swedish / English: {detail})"
            ),
            detail: Some(detail),
        }]));
    }
    let mut out = Vec::new();
    for (s, e) in sv.iter().zip(en) {
        if s.heading != e.heading {
            out.push((s.anchor.clone(), e.heading.clone()));
        }
        for (p, q) in s.paragraphs.iter().zip(&e.paragraphs) {
            if p.body != q.body {
                out.push((p.anchor.clone(), q.body.clone()));
            }
        }
    }
    Ok(out)
}

/// A new agreement as it is written into the database: checked, with its
/// slug and place in the list chosen.
pub(crate) struct NewDraft<'a> {
    pub municipality_id: i64,
    pub slug: &'a str,
    pub form: &'a AgreementForm,
    /// The other public-sector parties: (municipality id, name).
    pub parties: &'a [(i64, String)],
    pub position: i32,
    /// The day it is created.
    pub day: time::Date,
    /// The first version's label and note.
    pub label: &'a str,
    pub note: &'a str,
}

/// Who takes a step, and when: a signed-in person now, or (the
/// demonstration data) a named party on the day of the step.
pub(crate) struct Actor<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
    pub at: OffsetDateTime,
}

impl<'a> Actor<'a> {
    /// `user`, now.
    pub(crate) fn of(user: &'a CurrentUser) -> Self {
        Actor {
            id: Some(user.id),
            name: &user.display_name,
            at: OffsetDateTime::now_utc(),
        }
    }
}

/// Writes a new agreement in draft: the agreement, its empty first
/// version, its signatories and the first step of its history. The ids of
/// the agreement and the version.
pub(crate) async fn insert_draft(
    tx: &mut samverkan_db::Tx,
    d: &NewDraft<'_>,
    actor: &Actor<'_>,
) -> Result<(i64, i64)> {
    let id = tx
        .insert_agreement(&NewAgreement {
            municipality_id: d.municipality_id,
            slug: d.slug,
            name: d.form.name.trim(),
            short_name: d.form.short_name.trim(),
            status: AgreementStatus::Draft.as_str(),
            status_since: d.day,
            summary: d.form.summary.trim(),
            vision: d.form.vision.trim(),
            position: d.position,
        })
        .await?;
    let version = tx
        .insert_version(&NewVersion {
            agreement_id: id,
            number: 1,
            label: d.label,
            status: VersionStatus::Draft.as_str(),
            published_on: d.day,
            decision_id: None,
            note: d.note,
        })
        .await?;
    write_signatories(tx, id, d.municipality_id, d.parties, d.form).await?;
    let english = d.form.english.rows();
    tx.replace_field_translations(id, TRANSLATION_LANG, &[], &english)
        .await?;
    tx.insert_event(&event(id, actor, AgreementStep::Created, Some(1), None, ""))
        .await?;
    Ok((id, version))
}

/// Writes sections and paragraphs of a version in order.
pub(crate) async fn write_text(
    tx: &mut samverkan_db::Tx,
    version_id: i64,
    sections: &[TextSection],
) -> Result<()> {
    for (i, s) in sections.iter().enumerate() {
        let section = tx
            .insert_section(version_id, i as i32 + 1, &s.anchor, &s.heading)
            .await?;
        for (j, p) in s.paragraphs.iter().enumerate() {
            tx.insert_paragraph(section, j as i32 + 1, &p.anchor, p.kind.as_str(), &p.body)
                .await?;
        }
    }
    Ok(())
}

/// Writes the signatories: the home municipality, the other public-sector
/// parties, then the sector's bodies.
async fn write_signatories(
    tx: &mut samverkan_db::Tx,
    agreement_id: i64,
    home: i64,
    parties: &[(i64, String)],
    form: &AgreementForm,
) -> Result<()> {
    let home_name = tx.municipality_name(home).await?;
    let city = std::iter::once((home, home_name)).chain(parties.iter().cloned());
    let mut position = 0;
    for (id, name) in city {
        position += 1;
        let row = SignatoryRow {
            agreement_id,
            side: Side::City.as_str().to_owned(),
            municipality_id: Some(id),
            name,
        };
        tx.insert_signatory(&row, position).await?;
    }
    for name in signatory_lines(&form.signatories) {
        position += 1;
        let row = SignatoryRow {
            agreement_id,
            side: Side::Sector.as_str().to_owned(),
            municipality_id: None,
            name: name.to_owned(),
        };
        tx.insert_signatory(&row, position).await?;
    }
    Ok(())
}

/// A step of the history taken by `actor`.
pub(crate) fn event<'a>(
    agreement_id: i64,
    actor: &'a Actor<'a>,
    step: AgreementStep,
    version_number: Option<i32>,
    decision_id: Option<i64>,
    note: &'a str,
) -> NewEvent<'a> {
    NewEvent {
        agreement_id,
        at: actor.at,
        step: step.as_str(),
        actor_id: actor.id,
        actor_name: actor.name,
        version_number,
        decision_id,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_follows_the_swedish_part_by_part() {
        let mut sv = agreement_text::parse("## Vision\n\nEn stad för alla.\n\n- Dialog\n").unwrap();
        agreement_text::assign_anchors(&mut sv, &[], &BTreeSet::new());
        let en = agreement_text::parse("## Vision\n\nA city for all.\n\n- Dialogue\n").unwrap();
        let t = translations(&sv, &en).unwrap();
        assert_eq!(
            t,
            [
                ("vision-1".to_owned(), "A city for all.".to_owned()),
                ("vision-2".to_owned(), "Dialogue".to_owned())
            ],
            "the same heading is not a translation"
        );
        let short = agreement_text::parse("## Vision\n\nA city for all.\n").unwrap();
        let Err(Error::Validation(e)) = translations(&sv, &short) else {
            panic!("refused")
        };
        assert_eq!(
            (e[0].code, e[0].detail.as_deref()),
            ("text-translation-shape", Some("2 / 1"))
        );
    }
}

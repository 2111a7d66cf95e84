//! The public snapshot: the rows of the public record grouped into views once
//! per load, and the lookups the pages and the API make on it.

use crate::documents::DocumentRef;
use crate::views::*;
use crate::{Error, Result};
use samverkan_db::snapshot::{CityBodyRow, PublicRows};
use samverkan_domain::{
    AgreementStatus, CityBodyKind, DatePrecision, MunicipalityKind, ParagraphKind, PartialDate,
    PlanStatus, RoleKind, Side, VersionStatus,
};
use std::collections::HashMap;
use time::Date;

/// Everything an agreement holds, ready to show.
#[derive(Debug, Clone)]
pub struct AgreementRecord {
    /// The row id, by which its activities are read and kept
    /// ([`App::activities`](crate::App::activities)).
    pub id: i64,
    pub summary: AgreementSummary,
    pub vision: String,
    pub successor: Option<String>,
    /// Oldest first.
    pub decisions: Vec<Decision>,
    /// By number, oldest first.
    pub versions: Vec<VersionText>,
    pub principles: Vec<Principle>,
    pub commitments: Vec<Commitment>,
    pub challenges: Vec<Challenge>,
    pub plans: Vec<ActionPlan>,
    pub roles: Vec<Role>,
    pub signatories: Vec<Signatory>,
    /// The steps of its life cycle, oldest first.
    pub history: Vec<HistoryStep>,
    /// Its own fields, principles and challenges in other languages.
    pub translations: Vec<FieldTranslation>,
    /// The language each of its own fields is shown in.
    pub langs: crate::agreements::translated::FieldLangs,
}

#[derive(Debug)]
pub struct PublicSnapshot {
    /// The change counter the rows were read at (`samverkan_db::changes`).
    pub epoch: i64,
    pub municipalities: Vec<Municipality>,
    pub city_bodies: Vec<CityBody>,
    pub agreements: Vec<AgreementRecord>,
    /// The agreements in each other language the pages speak, in the same
    /// order ([`PublicSnapshot::agreement_in`]).
    pub translated: HashMap<&'static str, Vec<AgreementRecord>>,
    pub districts: Vec<District>,
    pub today: Date,
    /// The rows the snapshot was built from: the small structure (no
    /// activities), by which an agreement's activities are named.
    pub(crate) rows: std::sync::Arc<PublicRows>,
}

/// Derived values of one snapshot, by key. Keys are built from names that
/// exist in the snapshot (checked before), so the memo stays small; it is
/// dropped with the snapshot when the record is reloaded.
#[derive(Default)]
pub struct Memo(std::sync::Mutex<HashMap<String, std::sync::Arc<dyn std::any::Any + Send + Sync>>>);

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    /// The value under `key`, made by `make` the first time. Two callers
    /// racing may both make it; the first stored wins.
    pub fn get_or<T: Send + Sync + 'static>(
        &self,
        key: String,
        make: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        if let Some(v) = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .and_then(|v| v.clone().downcast::<T>().ok())
        {
            return v;
        }
        let made = std::sync::Arc::new(make());
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key)
            .or_insert_with(|| made.clone())
            .clone()
            .downcast::<T>()
            .unwrap_or(made)
    }
}

/// How many decisions the agreement's start page lists.
pub const RECENT_DECISIONS: usize = 3;

impl PublicSnapshot {
    /// Groups the rows. A stored value that does not parse is reported as an
    /// internal error rather than skipped.
    pub fn build(rows: PublicRows, today: Date) -> Result<PublicSnapshot> {
        let municipalities = municipalities_by_id(&rows);
        let body_by_id: HashMap<i64, &CityBodyRow> =
            rows.city_bodies.iter().map(|b| (b.id, b)).collect();
        let city_bodies = build_city_bodies(&rows, &body_by_id, &municipalities)?;
        let (decisions, decisions_of) = build_decisions(&rows, &body_by_id)?;
        let versions_of = build_versions(&rows, &decisions)?;
        let (challenges_of, plans_of) = build_challenges_and_plans(&rows, &decisions);
        let parts = AgreementParts {
            decisions_of,
            versions_of,
            principles_of: build_principles(&rows),
            commitments_of: build_commitments(&rows),
            challenges_of,
            plans_of,
            roles_of: build_roles(&rows, today)?,
            signatories_of: crate::agreements::history::signatories(&rows),
            history_of: crate::agreements::history::steps(&rows, &decisions)?,
            translations_of: crate::agreements::translated::of_rows(&rows),
        };
        let slug_of: HashMap<i64, &str> = rows
            .agreements
            .iter()
            .map(|a| (a.id, a.slug.as_str()))
            .collect();
        let mut agreements = build_agreements(&rows, parts, &decisions, &municipalities, &slug_of)?;
        crate::plans::views::attach(&rows, &mut agreements)?;
        let translated = crate::agreements::translated::TRANSLATED
            .iter()
            .map(|lang| {
                let list = (agreements.iter())
                    .map(|a| crate::agreements::translated::translate(a, lang))
                    .collect();
                (*lang, list)
            })
            .collect();

        let districts = build_districts(&rows, &municipalities);
        Ok(PublicSnapshot {
            epoch: rows.epoch,
            districts,
            municipalities: rows.municipalities.iter().map(municipality_of).collect(),
            city_bodies,
            agreements,
            translated,
            today,
            rows: std::sync::Arc::new(rows),
        })
    }

    pub fn agreement_by_id(&self, id: i64) -> Option<&AgreementRecord> {
        self.agreements.iter().find(|a| a.id == id)
    }

    pub fn agreement(&self, slug: &str) -> Result<&AgreementRecord> {
        self.agreements
            .iter()
            .find(|a| a.summary.slug == slug)
            .ok_or(Error::NotFound("agreement"))
    }

    /// The agreement as shown in `lang`: translated where a translation is
    /// kept, in Swedish where not (and then marked so).
    pub fn agreement_in(&self, slug: &str, lang: &str) -> Result<&AgreementRecord> {
        self.agreements_in(lang)
            .iter()
            .find(|a| a.summary.slug == slug)
            .ok_or(Error::NotFound("agreement"))
    }

    /// Every agreement as shown in `lang`.
    pub fn agreements_in(&self, lang: &str) -> &[AgreementRecord] {
        self.translated
            .get(lang)
            .map(Vec::as_slice)
            .unwrap_or(&self.agreements)
    }

    /// The agreement named in the configuration, or else the first one.
    pub fn default_agreement(&self, configured: Option<&str>) -> Option<&AgreementSummary> {
        configured
            .and_then(|slug| self.agreement(slug).ok())
            .or_else(|| self.agreements.first())
            .map(|a| &a.summary)
    }

    /// The municipality whose city bodies are shown: the one asked for (not
    /// found when there is none by that slug), else that of the agreement
    /// the start page shows, else the first; `None` when there is none.
    pub fn municipality_shown(
        &self,
        asked: Option<&str>,
        configured: Option<&str>,
    ) -> Result<Option<&Municipality>> {
        let by_slug = |slug: &str| self.municipalities.iter().find(|m| m.slug == slug);
        match asked {
            Some(slug) => by_slug(slug)
                .map(Some)
                .ok_or(Error::NotFound("municipality")),
            None => Ok(self
                .default_agreement(configured)
                .and_then(|a| by_slug(&a.municipality.slug))
                .or(self.municipalities.first())),
        }
    }

    pub fn agreement_summaries(&self) -> Vec<&AgreementSummary> {
        self.agreements.iter().map(|a| &a.summary).collect()
    }
}

impl AgreementRecord {
    pub fn slug(&self) -> &str {
        &self.summary.slug
    }

    pub fn detail(&self) -> AgreementDetail {
        AgreementDetail {
            summary: self.summary.clone(),
            vision: self.vision.clone(),
            successor: self.successor.clone(),
            principles: self.principles.clone(),
            commitments: self.commitments.clone(),
            challenges: self.challenges.clone(),
            recent_decisions: self.recent_decisions().into_iter().cloned().collect(),
            translations: self.translations.clone(),
        }
    }

    pub fn vision_paragraphs(&self) -> Vec<&str> {
        crate::text::paragraphs(&self.vision)
    }

    /// The latest decisions, newest first.
    pub fn recent_decisions(&self) -> Vec<&Decision> {
        self.decisions.iter().rev().take(RECENT_DECISIONS).collect()
    }

    /// Decisions newest first, as on the timeline.
    pub fn decisions_newest_first(&self) -> Vec<&Decision> {
        self.decisions.iter().rev().collect()
    }

    pub fn version(&self, number: i32) -> Result<&VersionText> {
        self.versions
            .iter()
            .find(|v| v.version.number == number)
            .ok_or(Error::NotFound("version"))
    }

    /// The version in force, or the latest draft when none is adopted yet.
    pub fn current_version(&self) -> Option<&VersionText> {
        self.versions.iter().find(|v| v.version.is_current)
    }

    pub fn version_summaries(&self) -> Vec<VersionSummary> {
        self.versions.iter().map(|v| v.version.clone()).collect()
    }

    pub fn challenge(&self, slug: &str) -> Result<&Challenge> {
        self.challenges
            .iter()
            .find(|c| c.slug == slug)
            .ok_or(Error::NotFound("challenge"))
    }

    pub fn challenge_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.challenges
            .iter()
            .find(|c| c.slug == slug)
            .map(|c| c.name.as_str())
            .unwrap_or(slug)
    }

    pub fn plan(&self, slug: &str) -> Option<&ActionPlan> {
        self.plans.iter().find(|p| p.slug == slug)
    }
}

/// The municipalities by id.
fn municipalities_by_id(rows: &PublicRows) -> HashMap<i64, Municipality> {
    rows.municipalities
        .iter()
        .map(|m| (m.id, municipality_of(m)))
        .collect()
}

/// The municipality with this id; a missing one is an internal error.
fn municipality(municipalities: &HashMap<i64, Municipality>, id: i64) -> Result<Municipality> {
    municipalities
        .get(&id)
        .cloned()
        .ok_or_else(|| Error::internal_bare(format!("municipality {id} missing")))
}

/// The city bodies, each with its municipality and parent.
fn build_city_bodies(
    rows: &PublicRows,
    body_by_id: &HashMap<i64, &CityBodyRow>,
    municipalities: &HashMap<i64, Municipality>,
) -> Result<Vec<CityBody>> {
    let mut city_bodies = Vec::with_capacity(rows.city_bodies.len());
    for b in &rows.city_bodies {
        let parent = b.parent_id.and_then(|id| body_by_id.get(&id));
        city_bodies.push(CityBody {
            slug: b.slug.clone(),
            name: b.name.clone(),
            kind: CityBodyKind::parse(&b.kind).map_err(corrupt)?,
            municipality: municipality(municipalities, b.municipality_id)?.slug,
            parent: parent.map(|p| p.slug.clone()),
            parent_name: parent.map(|p| p.name.clone()),
            description: b.description.clone(),
        });
    }
    Ok(city_bodies)
}

/// The ids of each agreement's decisions, by agreement id.
type DecisionIds = HashMap<i64, Vec<i64>>;

/// The decisions by id, and the ids of each agreement's decisions (by
/// agreement id, in the rows' order).
fn build_decisions(
    rows: &PublicRows,
    body_by_id: &HashMap<i64, &CityBodyRow>,
) -> Result<(HashMap<i64, Decision>, DecisionIds)> {
    let mut documents = documents_of("decision", rows);
    let mut decisions: HashMap<i64, Decision> = HashMap::new();
    let mut decisions_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for d in &rows.decisions {
        let precision = DatePrecision::parse(&d.date_precision).map_err(corrupt)?;
        let body = d.city_body_id.and_then(|id| body_by_id.get(&id));
        decisions.insert(
            d.id,
            Decision {
                id: d.id,
                date: d.decided_on,
                precision,
                date_text: PartialDate {
                    date: d.decided_on,
                    precision,
                }
                .iso(),
                decided_by: body
                    .map(|b| b.name.clone())
                    .or_else(|| d.decided_by_name.clone())
                    .unwrap_or_default(),
                city_body: body.map(|b| b.slug.clone()),
                reference: d.reference.clone(),
                url: d.url.clone(),
                title: d.title.clone(),
                summary: d.summary.clone(),
                documents: documents.remove(&d.id).unwrap_or_default(),
            },
        );
        decisions_of.entry(d.agreement_id).or_default().push(d.id);
    }
    Ok((decisions, decisions_of))
}

/// The documents of the owners of one kind, by the owner's id, in the
/// rows' order (oldest first).
fn documents_of(owner_kind: &str, rows: &PublicRows) -> HashMap<i64, Vec<DocumentRef>> {
    let mut of: HashMap<i64, Vec<DocumentRef>> = HashMap::new();
    for row in rows.documents.iter().filter(|d| d.owner_kind == owner_kind) {
        if let Some(doc) = DocumentRef::of(row) {
            of.entry(row.owner_id).or_default().push(doc);
        }
    }
    of
}

/// The decision with this id, if any.
fn decision(decisions: &HashMap<i64, Decision>, id: Option<i64>) -> Option<Decision> {
    id.and_then(|id| decisions.get(&id).cloned())
}

/// The versions of each agreement (by agreement id) with their sections and
/// paragraphs; none is marked current yet.
fn build_versions(
    rows: &PublicRows,
    decisions: &HashMap<i64, Decision>,
) -> Result<HashMap<i64, Vec<VersionText>>> {
    let mut paragraphs_of: HashMap<i64, Vec<Paragraph>> = HashMap::new();
    for p in &rows.paragraphs {
        paragraphs_of
            .entry(p.section_id)
            .or_default()
            .push(Paragraph {
                anchor: p.anchor.clone(),
                kind: ParagraphKind::parse(&p.kind).map_err(corrupt)?,
                body: p.body.clone(),
                html: crate::markdown::inline_html(&p.body),
                lang: SOURCE_LANG,
            });
    }
    let mut sections_of: HashMap<i64, Vec<Section>> = HashMap::new();
    for s in &rows.sections {
        sections_of.entry(s.version_id).or_default().push(Section {
            anchor: s.anchor.clone(),
            heading: s.heading.clone(),
            paragraphs: paragraphs_of.remove(&s.id).unwrap_or_default(),
            lang: SOURCE_LANG,
        });
    }
    let mut translations_of: HashMap<i64, HashMap<String, HashMap<String, String>>> =
        HashMap::new();
    for t in &rows.translations {
        translations_of
            .entry(t.version_id)
            .or_default()
            .entry(t.lang.clone())
            .or_default()
            .insert(t.anchor.clone(), t.body.clone());
    }
    let mut documents = documents_of("version", rows);
    let mut versions_of: HashMap<i64, Vec<VersionText>> = HashMap::new();
    for v in &rows.versions {
        versions_of
            .entry(v.agreement_id)
            .or_default()
            .push(VersionText {
                version: VersionSummary {
                    number: v.number,
                    label: v.label.clone(),
                    status: VersionStatus::parse(&v.status).map_err(corrupt)?,
                    published_on: v.published_on,
                    decision: decision(decisions, v.decision_id),
                    note: v.note.clone(),
                    is_current: false,
                    documents: documents.remove(&v.id).unwrap_or_default(),
                },
                sections: sections_of.remove(&v.id).unwrap_or_default(),
                translations: translations_of.remove(&v.id).unwrap_or_default(),
            });
    }
    Ok(versions_of)
}

/// The principles of each agreement, by agreement id.
fn build_principles(rows: &PublicRows) -> HashMap<i64, Vec<Principle>> {
    let mut principles_of: HashMap<i64, Vec<Principle>> = HashMap::new();
    for p in &rows.principles {
        principles_of
            .entry(p.agreement_id)
            .or_default()
            .push(Principle {
                slug: p.slug.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
                langs: PartLangs::default(),
            });
    }
    principles_of
}

/// The commitments of each agreement, numbered from 1, by agreement id.
fn build_commitments(rows: &PublicRows) -> HashMap<i64, Vec<Commitment>> {
    let mut commitments_of: HashMap<i64, Vec<Commitment>> = HashMap::new();
    for c in &rows.commitments {
        let list = commitments_of.entry(c.agreement_id).or_default();
        list.push(Commitment {
            number: list.len() as i32 + 1,
            body: c.body.clone(),
            lang: SOURCE_LANG,
        });
    }
    commitments_of
}

/// The challenges and the action plans of each agreement (by agreement id),
/// each naming the other's slugs; the plans' parts are attached later.
fn build_challenges_and_plans(
    rows: &PublicRows,
    decisions: &HashMap<i64, Decision>,
) -> (HashMap<i64, Vec<Challenge>>, HashMap<i64, Vec<ActionPlan>>) {
    let plan_slug: HashMap<i64, &str> =
        rows.plans.iter().map(|p| (p.id, p.slug.as_str())).collect();
    let challenge_slug: HashMap<i64, &str> = rows
        .challenges
        .iter()
        .map(|c| (c.id, c.slug.as_str()))
        .collect();
    let mut plans_of_challenge: HashMap<i64, Vec<String>> = HashMap::new();
    let mut challenges_of_plan: HashMap<i64, Vec<String>> = HashMap::new();
    for pc in &rows.plan_challenges {
        if let (Some(plan), Some(challenge)) = (
            plan_slug.get(&pc.plan_id),
            challenge_slug.get(&pc.challenge_id),
        ) {
            plans_of_challenge
                .entry(pc.challenge_id)
                .or_default()
                .push(plan.to_string());
            challenges_of_plan
                .entry(pc.plan_id)
                .or_default()
                .push(challenge.to_string());
        }
    }
    let mut challenges_of: HashMap<i64, Vec<Challenge>> = HashMap::new();
    for c in &rows.challenges {
        challenges_of
            .entry(c.agreement_id)
            .or_default()
            .push(Challenge {
                slug: c.slug.clone(),
                name: c.name.clone(),
                summary: c.summary.clone(),
                description: c.description.clone(),
                plans: plans_of_challenge.remove(&c.id).unwrap_or_default(),
                langs: PartLangs::default(),
            });
    }
    let mut documents = documents_of("plan", rows);
    let mut plans_of: HashMap<i64, Vec<ActionPlan>> = HashMap::new();
    for p in &rows.plans {
        plans_of
            .entry(p.agreement_id)
            .or_default()
            .push(ActionPlan {
                slug: p.slug.clone(),
                title: p.title.clone(),
                starts_on: p.starts_on,
                ends_on: p.ends_on,
                extended_to: p.extended_to,
                decision: decision(decisions, p.decision_id),
                summary: p.summary.clone(),
                status: PlanStatus::parse(&p.status).unwrap_or(PlanStatus::Adopted),
                challenges: challenges_of_plan.remove(&p.id).unwrap_or_default(),
                parts: Vec::new(),
                documents: documents.remove(&p.id).unwrap_or_default(),
            });
    }
    (challenges_of, plans_of)
}

/// The roles of each agreement (by agreement id) with their terms, a term
/// current when it covers `today`.
use crate::governance::terms::Standing;

fn build_roles(rows: &PublicRows, today: Date) -> Result<HashMap<i64, Vec<Role>>> {
    let mut terms_of: HashMap<i64, Vec<Term>> = HashMap::new();
    for t in &rows.terms {
        let standing = crate::governance::terms::Period {
            starts_on: t.starts_on,
            ends_on: t.ends_on,
        }
        .standing(today);
        terms_of.entry(t.role_id).or_default().push(Term {
            holder: t.holder.clone(),
            starts_on: t.starts_on,
            ends_on: t.ends_on,
            current: standing == Standing::Current,
            coming: standing == Standing::Coming,
        });
    }
    let mut roles_of: HashMap<i64, Vec<Role>> = HashMap::new();
    for r in &rows.roles {
        roles_of.entry(r.agreement_id).or_default().push(Role {
            slug: r.slug.clone(),
            kind: RoleKind::parse(&r.kind).map_err(corrupt)?,
            side: Side::parse(&r.side).map_err(corrupt)?,
            title: r.title.clone(),
            mailbox: r.mailbox.clone(),
            description: r.description.clone(),
            terms: terms_of.remove(&r.id).unwrap_or_default(),
        });
    }
    Ok(roles_of)
}

/// What belongs to each agreement, by agreement id, before it is assembled.
struct AgreementParts {
    decisions_of: DecisionIds,
    versions_of: HashMap<i64, Vec<VersionText>>,
    principles_of: HashMap<i64, Vec<Principle>>,
    commitments_of: HashMap<i64, Vec<Commitment>>,
    challenges_of: HashMap<i64, Vec<Challenge>>,
    plans_of: HashMap<i64, Vec<ActionPlan>>,
    roles_of: HashMap<i64, Vec<Role>>,
    signatories_of: HashMap<i64, Vec<Signatory>>,
    history_of: HashMap<i64, Vec<HistoryStep>>,
    translations_of: HashMap<i64, Vec<FieldTranslation>>,
}

/// The agreements with their parts, the version in force marked; the
/// activities are attached later.
fn build_agreements(
    rows: &PublicRows,
    mut parts: AgreementParts,
    decisions: &HashMap<i64, Decision>,
    municipalities: &HashMap<i64, Municipality>,
    slug_of: &HashMap<i64, &str>,
) -> Result<Vec<AgreementRecord>> {
    let mut agreements = Vec::with_capacity(rows.agreements.len());
    for a in &rows.agreements {
        let mut versions = parts.versions_of.remove(&a.id).unwrap_or_default();
        let current = current_version(&versions);
        if let Some(i) = current {
            versions[i].version.is_current = true;
        }
        agreements.push(AgreementRecord {
            id: a.id,
            summary: AgreementSummary {
                slug: a.slug.clone(),
                name: a.name.clone(),
                short_name: a.short_name.clone(),
                status: AgreementStatus::parse(&a.status).map_err(corrupt)?,
                status_since: a.status_since,
                summary: a.summary.clone(),
                municipality: municipality(municipalities, a.municipality_id)?,
                current_version: current.map(|i| versions[i].version.number),
            },
            vision: a.vision.clone(),
            successor: a
                .successor_id
                .and_then(|id| slug_of.get(&id))
                .map(|s| s.to_string()),
            decisions: parts
                .decisions_of
                .remove(&a.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|id| decisions.get(&id).cloned())
                .collect(),
            versions,
            principles: parts.principles_of.remove(&a.id).unwrap_or_default(),
            commitments: parts.commitments_of.remove(&a.id).unwrap_or_default(),
            challenges: parts.challenges_of.remove(&a.id).unwrap_or_default(),
            plans: parts.plans_of.remove(&a.id).unwrap_or_default(),
            roles: parts.roles_of.remove(&a.id).unwrap_or_default(),
            signatories: parts.signatories_of.remove(&a.id).unwrap_or_default(),
            history: parts.history_of.remove(&a.id).unwrap_or_default(),
            translations: parts.translations_of.remove(&a.id).unwrap_or_default(),
            langs: Default::default(),
        });
    }
    Ok(agreements)
}

/// The districts of every municipality, in their order.
fn build_districts(
    rows: &PublicRows,
    municipalities: &HashMap<i64, Municipality>,
) -> Vec<District> {
    rows.districts
        .iter()
        .map(|d| District {
            slug: d.slug.clone(),
            name: d.name.clone(),
            municipality: municipalities
                .get(&d.municipality_id)
                .map(|m| m.slug.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// The adopted version with the highest number; failing that, the latest.
fn current_version(versions: &[VersionText]) -> Option<usize> {
    versions
        .iter()
        .rposition(|v| v.version.status == VersionStatus::Adopted)
        .or_else(|| versions.len().checked_sub(1))
}

pub(crate) fn corrupt(err: samverkan_domain::ParseError) -> Error {
    Error::internal("stored value is invalid", err)
}

/// A stored municipality as shown (an unknown kind reads as a municipality).
fn municipality_of(m: &samverkan_db::snapshot::MunicipalityRow) -> Municipality {
    Municipality {
        slug: m.slug.clone(),
        name: m.name.clone(),
        kind: MunicipalityKind::parse(&m.kind).unwrap_or(MunicipalityKind::Municipality),
    }
}

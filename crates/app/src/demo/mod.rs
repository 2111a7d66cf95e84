//! Demonstration data: Malmö and Malmöandan, and a small second agreement in a
//! fictional municipality, from the TOML files in `demo/` (embedded in the
//! binary). Loaded in one transaction: all of it or nothing. The action
//! plans are loaded by `demo_plan`, the collaboration register and the
//! committees' reports by `demo_register`.

mod plans;
mod register;
pub mod scale;
mod working_group;

use crate::agreements::life_cycle::{Course, Taken, apply_step};
use crate::agreements::translated::{CHALLENGE, COMMITMENT, PRINCIPLE};
use crate::agreements::writing::{
    Actor, AgreementForm, EnglishFields, NewDraft, TRANSLATION_LANG, check_form, insert_draft,
    write_text,
};
use crate::{App, Error, Result};
use samverkan_db::agreements::{NewActionPlan, NewCityBody, NewDecision, NewRole};
use samverkan_domain::PlanStatus;
use samverkan_domain::agreement::Standing;
use samverkan_domain::agreement_text::{TextParagraph, TextSection};
use samverkan_domain::date::parse_iso_date;
use samverkan_domain::{
    AccessionStatus, AgreementStatus, AgreementStep, CityBodyKind, DatePrecision, ParagraphKind,
    RoleKind, Side, Slug, VersionStatus,
};
use samverkan_domain::{Email, LegalForm, MemberRole, NewPassword, OrgNumber};
use serde::Deserialize;
use std::collections::HashMap;
use time::Date;

/// The demonstration files, in load order.
pub const DEMO_FILES: &[(&str, &str)] = &[
    (
        "demo/malmo.toml",
        include_str!("../../../../demo/malmo.toml"),
    ),
    (
        "demo/sjovik.toml",
        include_str!("../../../../demo/sjovik.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoFile {
    municipality: DemoMunicipality,
    #[serde(default)]
    city_bodies: Vec<DemoCityBody>,
    #[serde(default)]
    agreements: Vec<DemoAgreement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMunicipality {
    slug: Slug,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCityBody {
    slug: Slug,
    name: String,
    kind: CityBodyKind,
    parent: Option<Slug>,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAgreement {
    slug: Slug,
    name: String,
    short_name: String,
    summary: String,
    vision: String,
    /// The four fields in English, as the workspace's fields form takes
    /// them.
    #[serde(default)]
    english: Option<DemoEnglish>,
    /// The sector's signatory bodies.
    #[serde(default)]
    signatories: Vec<String>,
    /// The steps of its life cycle, in order, from `created`: taken as the
    /// step form takes them, so the rules hold and the history is public.
    history: Vec<DemoStep>,
    #[serde(default)]
    decisions: Vec<DemoDecision>,
    #[serde(default)]
    principles: Vec<DemoPrinciple>,
    #[serde(default)]
    commitments: Vec<DemoCommitment>,
    #[serde(default)]
    challenges: Vec<DemoChallenge>,
    #[serde(default)]
    plans: Vec<DemoPlan>,
    #[serde(default)]
    versions: Vec<DemoVersion>,
    #[serde(default)]
    roles: Vec<DemoRole>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoEnglish {
    name: String,
    short_name: String,
    summary: String,
    vision: String,
}

/// A principle or challenge in English (a field left out is shown in
/// Swedish, and the page says so).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPartEnglish {
    name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDecision {
    key: String,
    decided_on: String,
    precision: DatePrecision,
    decided_by: Option<Slug>,
    decided_by_name: Option<String>,
    reference: Option<String>,
    url: Option<String>,
    title: String,
    summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPrinciple {
    slug: Slug,
    name: String,
    description: String,
    #[serde(default)]
    english: Option<DemoPartEnglish>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoCommitment {
    body: String,
    /// The statement in English.
    #[serde(default)]
    english: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoChallenge {
    slug: Slug,
    name: String,
    summary: String,
    description: String,
    #[serde(default)]
    english: Option<DemoPartEnglish>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPlan {
    slug: Slug,
    title: String,
    starts_on: String,
    ends_on: String,
    extended_to: Option<String>,
    decision: Option<String>,
    summary: String,
    #[serde(default)]
    challenges: Vec<Slug>,
}

/// A step of an agreement's life cycle: on its decision's day, or on `on`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoStep {
    step: AgreementStep,
    on: Option<String>,
    /// The key of the decision behind it.
    decision: Option<String>,
    #[serde(default)]
    note: String,
}

/// A version's label, note and text; the first is written when the
/// agreement is created, each next one by a `new_version` step.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoVersion {
    number: i32,
    label: String,
    note: String,
    #[serde(default)]
    sections: Vec<DemoSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoSection {
    anchor: Slug,
    heading: String,
    #[serde(default)]
    paragraphs: Vec<DemoParagraph>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoParagraph {
    anchor: Slug,
    kind: ParagraphKind,
    body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRole {
    slug: Slug,
    kind: RoleKind,
    side: Side,
    title: String,
    mailbox: Option<String>,
    description: String,
    #[serde(default)]
    terms: Vec<DemoTerm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoTerm {
    holder: String,
    starts_on: String,
    ends_on: Option<String>,
}

/// The organisation registers, loaded after the agreements they refer to.
pub const REGISTER_FILES: &[(&str, &str)] = &[(
    "demo/malmo-organisations.toml",
    include_str!("../../../../demo/malmo-organisations.toml"),
)];

/// Demo-only accounts, loaded last.
pub const ACCOUNTS_FILE: (&str, &str) = (
    "demo/accounts.toml",
    include_str!("../../../../demo/accounts.toml"),
);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    accounts: Vec<DemoAccount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAccount {
    email: String,
    display_name: String,
    password: String,
    organisation: Option<Slug>,
    role: Option<MemberRole>,
    /// Agreements the person coordinates.
    #[serde(default)]
    coordinates: Vec<Slug>,
    /// City bodies (`municipality/slug`) the person is an official of.
    #[serde(default)]
    official_of: Vec<String>,
    #[serde(default)]
    platform_admin: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    municipality: Slug,
    agreement: Slug,
    #[serde(default)]
    districts: Vec<DemoDistrict>,
    #[serde(default)]
    organisations: Vec<DemoOrganisation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDistrict {
    slug: Slug,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOrganisation {
    slug: Slug,
    name: String,
    org_number: Option<String>,
    legal_form: LegalForm,
    description: String,
    website: Option<String>,
    contact_email: Option<String>,
    #[serde(default)]
    districts: Vec<Slug>,
    #[serde(default)]
    challenges: Vec<Slug>,
    joined_on: Option<String>,
}

/// Ids made while loading, by slug, for later files to refer to.
#[derive(Default)]
pub(crate) struct LoadedIds {
    municipalities: HashMap<String, i64>,
    pub(crate) agreements: HashMap<String, i64>,
    /// (agreement slug, challenge slug) → id
    challenges: HashMap<(String, String), i64>,
    organisations: HashMap<String, i64>,
    /// `municipality/slug` → id
    city_bodies: HashMap<String, i64>,
    /// (agreement slug, decision key) → id
    pub(crate) decisions: HashMap<(String, String), i64>,
    /// The demonstration accounts: e-mail address → (id, name).
    pub(crate) users: HashMap<String, (i64, String)>,
}

/// What a load put in the database.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub municipalities: usize,
    pub city_bodies: usize,
    pub agreements: usize,
    pub decisions: usize,
    pub versions: usize,
    pub paragraphs: usize,
    pub organisations: usize,
    pub accounts: usize,
    pub activities: usize,
    pub updates: usize,
    /// Records in the collaboration register.
    pub records: usize,
    /// Committee reports started (in any status).
    pub reports: usize,
    /// Published versions of reports (a correction is a second one).
    pub publications: usize,
    pub contributions: usize,
    /// Meetings of working groups.
    pub meetings: usize,
}

/// Parses one demonstration file; the error names the file and what is wrong.
pub fn parse_file(name: &str, text: &str) -> Result<DemoFile> {
    toml::from_str(text)
        .map_err(|e| Error::bad_request("demo-data-invalid", format!("{name}: {e}")))
}

fn date(field: &str, text: &str) -> Result<Date> {
    parse_iso_date(text)
        .map_err(|e| Error::bad_request("demo-data-invalid", format!("{field}: {e}")))
}

fn opt_date(field: &str, text: Option<&str>) -> Result<Option<Date>> {
    text.map(|t| date(field, t)).transpose()
}

impl App {
    /// Loads the demonstration data unless the database already holds an
    /// agreement. Returns `None` when it skipped the load.
    pub async fn load_demo(&self) -> Result<Option<DemoReport>> {
        if self.db().count_agreements().await? > 0 {
            return Ok(None);
        }
        let files = DEMO_FILES
            .iter()
            .map(|(name, text)| parse_file(name, text))
            .collect::<Result<Vec<_>>>()?;
        let mut report = DemoReport::default();
        let mut tx = self.db().begin().await?;
        let registers = REGISTER_FILES
            .iter()
            .map(|(name, text)| {
                toml::from_str::<RegisterFile>(text)
                    .map_err(|e| Error::bad_request("demo-data-invalid", format!("{name}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut position = 0;
        let mut ids = LoadedIds::default();
        for file in &files {
            load_file(&mut tx, file, &mut position, &mut report, &mut ids).await?;
        }
        for register in &registers {
            load_register(&mut tx, register, &mut ids, &mut report).await?;
        }
        let accounts: AccountsFile = toml::from_str(ACCOUNTS_FILE.1).map_err(|e| {
            Error::bad_request("demo-data-invalid", format!("{}: {e}", ACCOUNTS_FILE.0))
        })?;
        load_accounts(&mut tx, &accounts, &mut ids, &mut report).await?;
        for (name, text) in crate::demo::plans::PLAN_FILES {
            let file = crate::demo::plans::parse(name, text)?;
            crate::demo::plans::load(&mut tx, name, &file, &ids, &mut report).await?;
        }
        for (name, agreement, text) in crate::demo::register::FILES {
            let file = crate::demo::register::parse(name, text)?;
            crate::demo::register::load(&mut tx, name, agreement, &file, &ids, &mut report).await?;
        }
        let (name, text) = crate::demo::working_group::FILE;
        let file = crate::demo::working_group::parse(name, text)?;
        crate::demo::working_group::load(&mut tx, name, &file, &ids, &mut report).await?;
        self.commit_public(tx).await?;
        Ok(Some(report))
    }
}

/// Loads one agreements file: its municipality, city bodies and agreements.
async fn load_file(
    tx: &mut samverkan_db::Tx,
    file: &DemoFile,
    position: &mut i32,
    report: &mut DemoReport,
    ids: &mut LoadedIds,
) -> Result<()> {
    let municipality_id = tx
        .insert_municipality(
            file.municipality.slug.as_str(),
            &file.municipality.name,
            samverkan_domain::MunicipalityKind::Municipality.as_str(),
        )
        .await?;
    report.municipalities += 1;
    ids.municipalities
        .insert(file.municipality.slug.to_string(), municipality_id);
    let bodies = load_city_bodies(tx, file, municipality_id, report, ids).await?;

    for a in &file.agreements {
        let (agreement_id, first_version) =
            create_agreement(tx, file, a, municipality_id, *position).await?;
        *position += 1;
        ids.agreements.insert(a.slug.to_string(), agreement_id);
        report.agreements += 1;

        let decisions = load_decisions(tx, a, agreement_id, &bodies, report, ids).await?;
        load_principles_and_commitments(tx, a, agreement_id).await?;
        load_challenges_and_plans(tx, a, agreement_id, &decisions, ids).await?;
        load_history(
            tx,
            file,
            a,
            (agreement_id, first_version),
            &decisions,
            report,
        )
        .await?;
        load_roles(tx, a, agreement_id).await?;
    }
    Ok(())
}

/// The demonstration data's party that takes the steps of `a`'s history,
/// on the step's day.
fn actor<'a>(file: &'a DemoFile, day: Date) -> Actor<'a> {
    Actor {
        id: None,
        name: &file.municipality.name,
        at: day.midnight().assume_utc(),
    }
}

/// Creates an agreement as the new agreement form does (checked by the
/// same rules), on the day of its first step: the ids of the agreement
/// and of its first version.
async fn create_agreement(
    tx: &mut samverkan_db::Tx,
    file: &DemoFile,
    a: &DemoAgreement,
    municipality_id: i64,
    position: i32,
) -> Result<(i64, i64)> {
    let invalid = |m: String| Error::bad_request("demo-data-invalid", format!("{}: {m}", a.slug));
    let form = AgreementForm {
        municipality: file.municipality.slug.to_string(),
        name: a.name.clone(),
        short_name: a.short_name.clone(),
        summary: a.summary.clone(),
        vision: a.vision.clone(),
        english: a
            .english
            .as_ref()
            .map(|e| EnglishFields {
                name: e.name.clone(),
                short_name: e.short_name.clone(),
                summary: e.summary.clone(),
                vision: e.vision.clone(),
            })
            .unwrap_or_default(),
        parties: Vec::new(),
        signatories: a.signatories.join("\n"),
    };
    check_form(&form).map_err(|e| invalid(e.to_string()))?;
    let (Some(first), Some(version)) = (a.history.first(), a.versions.first()) else {
        return Err(invalid("an agreement has a history and a version".into()));
    };
    if first.step != AgreementStep::Created || version.number != 1 {
        return Err(invalid(
            "the history starts with the step created, the versions with number 1".into(),
        ));
    }
    let day = date("on", first.on.as_deref().unwrap_or_default())?;
    let draft = NewDraft {
        municipality_id,
        slug: a.slug.as_str(),
        form: &form,
        parties: &[],
        position,
        day,
        label: &version.label,
        note: &version.note,
    };
    insert_draft(tx, &draft, &actor(file, day)).await
}

/// Writes the first version's text, then takes the rest of the agreement's
/// history step by step as the step form does; each new version's text,
/// label and note come from the next of the agreement's versions.
async fn load_history(
    tx: &mut samverkan_db::Tx,
    file: &DemoFile,
    a: &DemoAgreement,
    (agreement_id, first_version): (i64, i64),
    decisions: &HashMap<&str, i64>,
    report: &mut DemoReport,
) -> Result<()> {
    let invalid = |m: String| Error::bad_request("demo-data-invalid", format!("{}: {m}", a.slug));
    let mut versions = a.versions.iter();
    if let Some(v) = versions.next() {
        write_version_text(tx, first_version, v, report).await?;
    }
    let mut course = Course {
        agreement_id,
        standing: Standing {
            status: AgreementStatus::Draft,
            latest: Some(VersionStatus::Draft),
        },
        latest: Some((first_version, 1)),
    };
    for s in a.history.iter().skip(1) {
        let decision = decision_id(decisions, &s.decision)?;
        let day = match (&s.on, &s.decision) {
            (Some(on), _) => date("on", on)?,
            (None, Some(key)) => {
                let d = (a.decisions.iter().find(|d| d.key == *key))
                    .ok_or_else(|| invalid(format!("no decision with key {key}")))?;
                date("decided_on", &d.decided_on)?
            }
            (None, None) => {
                return Err(invalid(format!(
                    "step {}: give its day (on) or its decision",
                    s.step.as_str()
                )));
            }
        };
        let next = match s.step {
            AgreementStep::NewVersion => Some(versions.next().ok_or_else(|| {
                invalid("a new_version step needs the next of the versions".into())
            })?),
            _ => None,
        };
        let taken = Taken {
            step: s.step,
            decision_id: decision,
            day,
            successor: None,
            note: next.map_or(s.note.as_str(), |v| v.note.as_str()),
        };
        course = apply_step(tx, &course, &taken, &actor(file, day))
            .await
            .map_err(|e| invalid(format!("step {}: {e}", s.step.as_str())))?;
        if let (Some(v), Some((id, number))) = (next, course.latest) {
            if v.number != number {
                return Err(invalid(format!("version {} is number {number}", v.number)));
            }
            tx.clear_version_text(id).await?;
            tx.set_version_label(id, &v.label).await?;
            write_version_text(tx, id, v, report).await?;
        }
    }
    if versions.next().is_some() {
        return Err(invalid(
            "every version after the first comes with a new_version step".into(),
        ));
    }
    Ok(())
}

/// Writes the municipality's city bodies (a parent before its children):
/// their ids by slug.
async fn load_city_bodies<'a>(
    tx: &mut samverkan_db::Tx,
    file: &'a DemoFile,
    municipality_id: i64,
    report: &mut DemoReport,
    ids: &mut LoadedIds,
) -> Result<HashMap<&'a str, i64>> {
    let mut bodies: HashMap<&str, i64> = HashMap::new();
    for (i, b) in file.city_bodies.iter().enumerate() {
        let parent_id = match &b.parent {
            Some(parent) => Some(*bodies.get(parent.as_str()).ok_or_else(|| {
                Error::bad_request(
                    "demo-data-invalid",
                    format!(
                        "city body {}: parent {} must be listed before it",
                        b.slug, parent
                    ),
                )
            })?),
            None => None,
        };
        let id = tx
            .insert_city_body(&NewCityBody {
                municipality_id,
                slug: b.slug.as_str(),
                name: &b.name,
                kind: b.kind.as_str(),
                parent_id,
                description: &b.description,
                position: i as i32,
            })
            .await?;
        bodies.insert(b.slug.as_str(), id);
        ids.city_bodies
            .insert(format!("{}/{}", file.municipality.slug, b.slug), id);
        report.city_bodies += 1;
    }
    Ok(bodies)
}

/// Writes an agreement's decisions: their ids by key.
async fn load_decisions<'a>(
    tx: &mut samverkan_db::Tx,
    a: &'a DemoAgreement,
    agreement_id: i64,
    bodies: &HashMap<&str, i64>,
    report: &mut DemoReport,
    ids: &mut LoadedIds,
) -> Result<HashMap<&'a str, i64>> {
    let mut decisions: HashMap<&str, i64> = HashMap::new();
    for d in &a.decisions {
        let city_body_id = match &d.decided_by {
            Some(slug) => Some(*bodies.get(slug.as_str()).ok_or_else(|| {
                Error::bad_request(
                    "demo-data-invalid",
                    format!("decision {}: no city body {}", d.key, slug),
                )
            })?),
            None => None,
        };
        let id = tx
            .insert_decision(&NewDecision {
                agreement_id,
                decided_on: date("decided_on", &d.decided_on)?,
                date_precision: d.precision.as_str(),
                city_body_id,
                decided_by_name: d.decided_by_name.as_deref(),
                reference: d.reference.as_deref(),
                url: d.url.as_deref(),
                title: &d.title,
                summary: &d.summary,
            })
            .await?;
        decisions.insert(d.key.as_str(), id);
        ids.decisions
            .insert((a.slug.to_string(), d.key.clone()), id);
        report.decisions += 1;
    }
    Ok(decisions)
}

/// The id of the decision a key names, if a key is given.
fn decision_id(decisions: &HashMap<&str, i64>, key: &Option<String>) -> Result<Option<i64>> {
    key.as_deref()
        .map(|k| {
            decisions.get(k).copied().ok_or_else(|| {
                Error::bad_request("demo-data-invalid", format!("no decision with key {k}"))
            })
        })
        .transpose()
}

/// Writes an agreement's principles and commitments, in order.
async fn load_principles_and_commitments(
    tx: &mut samverkan_db::Tx,
    a: &DemoAgreement,
    agreement_id: i64,
) -> Result<()> {
    for (i, p) in a.principles.iter().enumerate() {
        tx.insert_principle(
            agreement_id,
            i as i32,
            p.slug.as_str(),
            &p.name,
            &p.description,
        )
        .await?;
    }
    for (i, c) in a.commitments.iter().enumerate() {
        tx.insert_commitment(agreement_id, i as i32, &c.body)
            .await?;
    }
    let numbers: Vec<String> = (1..=a.commitments.len()).map(|n| n.to_string()).collect();
    let mut rows = Vec::new();
    for (n, c) in numbers.iter().zip(&a.commitments) {
        if let Some(e) = c.english.as_deref().filter(|e| !e.trim().is_empty()) {
            rows.push((COMMITMENT, n.as_str(), "body", e.trim()));
        }
    }
    let principles = a.principles.iter().map(|p| (p.slug.as_str(), &p.english));
    let challenges = a.challenges.iter().map(|c| (c.slug.as_str(), &c.english));
    for (part, slug, e) in (principles.map(|(s, e)| (PRINCIPLE, s, e)))
        .chain(challenges.map(|(s, e)| (CHALLENGE, s, e)))
    {
        let Some(e) = e else { continue };
        for (field, text) in [
            ("name", &e.name),
            ("summary", &e.summary),
            ("description", &e.description),
        ] {
            if !text.trim().is_empty() {
                rows.push((part, slug, field, text.trim()));
            }
        }
    }
    tx.replace_field_translations(agreement_id, TRANSLATION_LANG, &[], &rows)
        .await?;
    Ok(())
}

/// Writes an agreement's challenges and its action plans with the
/// challenges each plan names.
async fn load_challenges_and_plans(
    tx: &mut samverkan_db::Tx,
    a: &DemoAgreement,
    agreement_id: i64,
    decisions: &HashMap<&str, i64>,
    ids: &mut LoadedIds,
) -> Result<()> {
    let mut challenges: HashMap<&str, i64> = HashMap::new();
    for (i, c) in a.challenges.iter().enumerate() {
        let id = tx
            .insert_challenge(
                agreement_id,
                i as i32,
                c.slug.as_str(),
                &c.name,
                &c.summary,
                &c.description,
            )
            .await?;
        challenges.insert(c.slug.as_str(), id);
        ids.challenges
            .insert((a.slug.to_string(), c.slug.to_string()), id);
    }
    for p in &a.plans {
        let plan_id = tx
            .insert_action_plan(&NewActionPlan {
                agreement_id,
                slug: p.slug.as_str(),
                title: &p.title,
                starts_on: date("starts_on", &p.starts_on)?,
                ends_on: date("ends_on", &p.ends_on)?,
                extended_to: opt_date("extended_to", p.extended_to.as_deref())?,
                decision_id: decision_id(decisions, &p.decision)?,
                summary: &p.summary,
                status: match p.decision {
                    Some(_) => PlanStatus::Adopted,
                    None => PlanStatus::Draft,
                }
                .as_str(),
            })
            .await?;
        for slug in &p.challenges {
            let challenge_id = *challenges.get(slug.as_str()).ok_or_else(|| {
                Error::bad_request(
                    "demo-data-invalid",
                    format!("plan {}: no challenge {}", p.slug, slug),
                )
            })?;
            tx.insert_plan_challenge(plan_id, challenge_id).await?;
        }
    }
    Ok(())
}

/// Writes a version's text as the workspace writes it; the demonstration
/// data gives its anchors.
async fn write_version_text(
    tx: &mut samverkan_db::Tx,
    version_id: i64,
    v: &DemoVersion,
    report: &mut DemoReport,
) -> Result<()> {
    let sections: Vec<TextSection> = (v.sections.iter())
        .map(|s| TextSection {
            anchor: s.anchor.to_string(),
            heading: s.heading.clone(),
            paragraphs: (s.paragraphs.iter())
                .map(|p| TextParagraph {
                    anchor: p.anchor.to_string(),
                    kind: p.kind,
                    body: p.body.clone(),
                })
                .collect(),
        })
        .collect();
    report.versions += 1;
    report.paragraphs += sections.iter().map(|s| s.paragraphs.len()).sum::<usize>();
    write_text(tx, version_id, &sections).await
}

/// Writes an agreement's roles with their terms.
async fn load_roles(tx: &mut samverkan_db::Tx, a: &DemoAgreement, agreement_id: i64) -> Result<()> {
    for (i, r) in a.roles.iter().enumerate() {
        let role_id = tx
            .insert_role(&NewRole {
                agreement_id,
                position: i as i32,
                slug: r.slug.as_str(),
                kind: r.kind.as_str(),
                side: r.side.as_str(),
                title: &r.title,
                mailbox: r.mailbox.as_deref(),
                description: &r.description,
            })
            .await?;
        for t in &r.terms {
            tx.insert_term(
                role_id,
                &t.holder,
                date("starts_on", &t.starts_on)?,
                opt_date("ends_on", t.ends_on.as_deref())?,
            )
            .await?;
        }
    }
    Ok(())
}

async fn load_register(
    tx: &mut samverkan_db::Tx,
    file: &RegisterFile,
    ids: &mut LoadedIds,
    report: &mut DemoReport,
) -> Result<()> {
    let missing = |what: &str, slug: &str| {
        Error::bad_request(
            "demo-data-invalid",
            format!("organisation register: no {what} {slug}"),
        )
    };
    let municipality_id = *ids
        .municipalities
        .get(file.municipality.as_str())
        .ok_or_else(|| missing("municipality", file.municipality.as_str()))?;
    let agreement_id = *ids
        .agreements
        .get(file.agreement.as_str())
        .ok_or_else(|| missing("agreement", file.agreement.as_str()))?;
    let mut districts: HashMap<&str, i64> = HashMap::new();
    for (i, d) in file.districts.iter().enumerate() {
        let id = tx
            .insert_district(municipality_id, d.slug.as_str(), &d.name, i as i32)
            .await?;
        districts.insert(d.slug.as_str(), id);
    }
    let first_day = time::macros::date!(2016 - 01 - 01);
    for (i, o) in file.organisations.iter().enumerate() {
        let org_number = o
            .org_number
            .as_deref()
            .map(|n| {
                OrgNumber::parse(n).map_err(|e| {
                    Error::bad_request("demo-data-invalid", format!("{}: {e}", o.slug))
                })
            })
            .transpose()?;
        let joined_on = opt_date("joined_on", o.joined_on.as_deref())?;
        // Registered a month before joining, or spread over 2016–2024 when not joined.
        let registered = joined_on.map_or(first_day + time::Duration::days(60 * i as i64), |j| {
            j - time::Duration::days(30)
        });
        let org_id = tx
            .insert_organisation(&samverkan_db::agreements::NewOrganisation {
                municipality_id,
                slug: o.slug.as_str(),
                name: &o.name,
                org_number: org_number.as_ref().map(OrgNumber::as_str),
                legal_form: o.legal_form.as_str(),
                description: &o.description,
                website: o.website.as_deref(),
                contact_email: o.contact_email.as_deref(),
                created_at: registered.midnight().assume_utc(),
            })
            .await?;
        for d in &o.districts {
            let id = *districts
                .get(d.as_str())
                .ok_or_else(|| missing("district", d.as_str()))?;
            tx.insert_organisation_district(org_id, id).await?;
        }
        for c in &o.challenges {
            let key = (file.agreement.to_string(), c.to_string());
            let id = *ids
                .challenges
                .get(&key)
                .ok_or_else(|| missing("challenge", c.as_str()))?;
            tx.insert_organisation_challenge(org_id, id).await?;
        }
        if let Some(joined) = joined_on {
            tx.insert_accession(
                agreement_id,
                org_id,
                AccessionStatus::Approved.as_str(),
                joined - time::Duration::days(14),
                Some(joined),
            )
            .await?;
        }
        ids.organisations.insert(o.slug.to_string(), org_id);
        report.organisations += 1;
    }
    Ok(())
}

/// Demo accounts: confirmed, with the stated password, and members of their
/// organisation when one is named.
async fn load_accounts(
    tx: &mut samverkan_db::Tx,
    file: &AccountsFile,
    ids: &mut LoadedIds,
    report: &mut DemoReport,
) -> Result<()> {
    let now = time::OffsetDateTime::now_utc();
    for a in &file.accounts {
        let email = Email::parse(&a.email)
            .map_err(|e| Error::bad_request("demo-data-invalid", format!("demo account: {e}")))?;
        NewPassword::parse(&a.password, &[email.as_str(), &a.display_name]).map_err(|e| {
            Error::bad_request("demo-data-invalid", format!("demo account {email}: {e}"))
        })?;
        let hash = crate::accounts::hash_password(a.password.clone()).await?;
        let user_id = tx
            .insert_user(email.as_str(), &a.display_name, &hash, now)
            .await?;
        tx.confirm_email(user_id, now).await?;
        (ids.users).insert(a.email.clone(), (user_id, a.display_name.clone()));
        if let Some(slug) = &a.organisation {
            let org = *ids.organisations.get(slug.as_str()).ok_or_else(|| {
                Error::bad_request(
                    "demo-data-invalid",
                    format!("demo account {email}: no organisation {slug}"),
                )
            })?;
            tx.insert_member(
                org,
                user_id,
                a.role.unwrap_or(MemberRole::Member).as_str(),
                now,
            )
            .await?;
        }
        for agreement in &a.coordinates {
            let id = *ids.agreements.get(agreement.as_str()).ok_or_else(|| {
                Error::bad_request(
                    "demo-data-invalid",
                    format!("demo account {email}: no agreement {agreement}"),
                )
            })?;
            tx.grant_coordinator(id, user_id, now).await?;
        }
        for body in &a.official_of {
            let id = *ids.city_bodies.get(body.as_str()).ok_or_else(|| {
                Error::bad_request(
                    "demo-data-invalid",
                    format!("demo account {email}: no city body {body}"),
                )
            })?;
            tx.grant_official(id, user_id, now).await?;
        }
        if a.platform_admin {
            tx.set_platform_admin(user_id, true).await?;
        }
        report.accounts += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_file_parses() {
        for (name, text) in DEMO_FILES {
            let file = parse_file(name, text).unwrap();
            assert!(!file.agreements.is_empty(), "{name} has no agreement");
        }
    }

    #[test]
    fn unknown_fields_are_refused_with_the_file_name() {
        let err = parse_file(
            "x.toml",
            "[municipality]\nslug = \"x\"\nname = \"X\"\nmayor = \"?\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("x.toml"), "{err}");
        assert!(err.to_string().contains("mayor"), "{err}");
    }
}

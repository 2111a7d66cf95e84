//! What the public sees of the action plans: activities with their parties,
//! milestones, communication, resources, updates, self-assessments and
//! history, grouped from the plan rows once per snapshot load; and the sums
//! per challenge, part and plan that the overview and charts show.

use crate::snapshot::AgreementRecord;
use crate::{Error, Result};
use samverkan_db::plans::PlanRows;
use samverkan_db::snapshot::PublicRows;
use samverkan_domain::plan::UPDATE_DUE_AFTER_DAYS;
use samverkan_domain::{ActivityStatus, PartyRole, PlanPart, Score};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// A responsible party or partner of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PartyRef {
    /// `organisation` or `city_body`.
    pub kind: String,
    /// The organisation's slug, or the city body's slug within the
    /// agreement's municipality.
    pub slug: String,
    pub name: String,
}

impl PartyRef {
    pub fn is_organisation(&self) -> bool {
        self.kind == "organisation"
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Milestone {
    /// Stable for the life of the milestone (an edit that keeps its title
    /// keeps it), so calendar subscribers see one event per milestone.
    pub id: i64,
    pub title: String,
    pub due_on: Date,
    pub reached_on: Option<Date>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Funding {
    pub source: String,
    pub year: i32,
    pub amount_sek: i64,
}

/// Who must know, through which channels, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Communication {
    pub audiences: String,
    pub channels: String,
    pub timing: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resources {
    pub funding: Vec<Funding>,
    pub total_sek: i64,
    pub hours_city: i64,
    pub hours_sector: i64,
    pub premises: String,
}

/// A published progress update.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressUpdate {
    pub id: i64,
    pub written_on: Date,
    pub body: String,
    pub progress: Option<u8>,
    /// The status the activity changed to with this update.
    pub status: Option<ActivityStatus>,
    /// The milestone reached with this update.
    pub milestone: Option<String>,
    pub author: String,
    /// The party the author wrote for.
    pub party: String,
}

/// A self-assessment against one principle: 1 (not yet) to 4 (fully).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assessment {
    pub principle: String,
    pub principle_name: String,
    pub score: u8,
    pub comment: String,
    pub assessed_on: Date,
}

/// One changed field in an activity's public history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Change {
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    pub author: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Activity {
    #[serde(skip)]
    pub id: i64,
    pub agreement: String,
    pub plan: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub goal: String,
    pub part: PlanPart,
    /// Slug of the challenge, for activities of the part `challenges`.
    pub challenge: Option<String>,
    pub district: Option<String>,
    pub district_name: Option<String>,
    /// Why only one side is responsible, when that is so.
    pub one_sided_reason: Option<String>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub status: ActivityStatus,
    /// Per cent, 0–100.
    pub progress: u8,
    pub responsible: Vec<PartyRef>,
    pub partners: Vec<PartyRef>,
    pub milestones: Vec<Milestone>,
    pub communication: Communication,
    pub resources: Resources,
    /// Slugs of the principles it advances.
    pub principles: Vec<String>,
    /// Ids of the decisions it rests on.
    pub decisions: Vec<i64>,
    /// Published updates, newest first.
    pub updates: Vec<ProgressUpdate>,
    pub assessments: Vec<Assessment>,
    pub last_update_on: Option<Date>,
    /// Active, and no update in the last 90 days.
    pub update_due: bool,
    /// The version an edit must name.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Every recorded change, newest first.
    pub history: Vec<Change>,
}

impl Activity {
    pub fn is_responsible(&self, kind: &str, slug: &str) -> bool {
        self.responsible
            .iter()
            .any(|p| p.kind == kind && p.slug == slug)
    }

    pub fn all_parties(&self) -> impl Iterator<Item = &PartyRef> {
        self.responsible.iter().chain(self.partners.iter())
    }

    pub fn description_paragraphs(&self) -> Vec<&str> {
        crate::text::paragraphs(&self.description)
    }

    /// The history grouped by version, newest first.
    pub fn history_by_version(&self) -> Vec<(i64, &Change, Vec<&Change>)> {
        let mut out: Vec<(i64, &Change, Vec<&Change>)> = Vec::new();
        for ch in &self.history {
            match out.last_mut() {
                Some((v, _, list)) if *v == ch.version => list.push(ch),
                _ => out.push((ch.version, ch, vec![ch])),
            }
        }
        out
    }
}

/// The text of one of a plan's four parts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanPartText {
    pub part: PlanPart,
    pub description: String,
}

fn corrupt(e: samverkan_domain::ParseError) -> Error {
    Error::internal("stored value is invalid", e)
}

/// An activity's (responsible parties, partners).
type Parties = (Vec<PartyRef>, Vec<PartyRef>);

/// Where each plan belongs, by plan id: (agreement id, plan slug).
type PlanOf<'a> = HashMap<i64, (i64, &'a str)>;

/// Adds the text of each plan's parts to its plan.
pub(crate) fn attach(rows: &PublicRows, agreements: &mut [AgreementRecord]) -> Result<()> {
    let plan_of: PlanOf = rows
        .plans
        .iter()
        .map(|pl| (pl.id, (pl.agreement_id, pl.slug.as_str())))
        .collect();
    let agreement_index: HashMap<i64, usize> = rows
        .agreements
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id, i))
        .collect();
    attach_parts(rows, &plan_of, &agreement_index, agreements)
}

/// Groups one agreement's plan rows into its activities, in the rows'
/// order; `structure` gives the names of what they refer to.
pub(crate) fn activities_of(
    structure: &PublicRows,
    plan: &PlanRows,
    agreement_slug: &str,
    today: Date,
) -> Result<Vec<Activity>> {
    let plan_slug: HashMap<i64, &str> = structure
        .plans
        .iter()
        .map(|pl| (pl.id, pl.slug.as_str()))
        .collect();
    let names = Names::of(structure, plan);
    let mut links = LinksByActivity::of(plan, &names)?;
    let mut activities = Vec::with_capacity(plan.activities.len());
    for a in &plan.activities {
        let Some(plan_slug) = plan_slug.get(&a.plan_id) else {
            continue;
        };
        activities.push(activity_of(
            a,
            agreement_slug,
            plan_slug,
            &names,
            &mut links,
            today,
        )?);
    }
    Ok(activities)
}

/// Adds the text of each plan's parts to its plan, in the parts' order.
fn attach_parts(
    rows: &PublicRows,
    plan_of: &PlanOf,
    agreement_index: &HashMap<i64, usize>,
    agreements: &mut [AgreementRecord],
) -> Result<()> {
    for part in &rows.plan_parts {
        let Some((agreement_id, plan_slug)) = plan_of.get(&part.plan_id) else {
            continue;
        };
        let Some(&i) = agreement_index.get(agreement_id) else {
            continue;
        };
        if let Some(plan) = agreements[i]
            .plans
            .iter_mut()
            .find(|x| x.slug == *plan_slug)
        {
            plan.parts.push(PlanPartText {
                part: PlanPart::parse(&part.part).map_err(corrupt)?,
                description: part.description.clone(),
            });
            plan.parts
                .sort_by_key(|x| PlanPart::ALL.iter().position(|p| *p == x.part));
        }
    }
    Ok(())
}

/// The slugs (and names) an activity refers to, by id.
struct Names<'a> {
    challenge: HashMap<i64, &'a str>,
    district: HashMap<i64, (&'a str, &'a str)>,
    body: HashMap<i64, (&'a str, &'a str)>,
    organisation: HashMap<i64, (&'a str, &'a str)>,
    principle: HashMap<i64, (&'a str, &'a str)>,
    milestone_title: HashMap<i64, &'a str>,
}

impl<'a> Names<'a> {
    /// Reads the names from the rows.
    fn of(rows: &'a PublicRows, plan: &'a PlanRows) -> Names<'a> {
        Names {
            challenge: rows
                .challenges
                .iter()
                .map(|c| (c.id, c.slug.as_str()))
                .collect(),
            district: rows
                .districts
                .iter()
                .map(|d| (d.id, (d.slug.as_str(), d.name.as_str())))
                .collect(),
            body: rows
                .city_bodies
                .iter()
                .map(|b| (b.id, (b.slug.as_str(), b.name.as_str())))
                .collect(),
            organisation: plan
                .organisations
                .iter()
                .map(|o| (o.id, (o.slug.as_str(), o.name.as_str())))
                .collect(),
            principle: rows
                .principles
                .iter()
                .map(|x| (x.id, (x.slug.as_str(), x.name.as_str())))
                .collect(),
            milestone_title: plan
                .milestones
                .iter()
                .map(|m| (m.id, m.title.as_str()))
                .collect(),
        }
    }
}

/// What hangs off each activity, by activity id; each activity takes its
/// own out.
struct LinksByActivity {
    /// (responsible, partners)
    parties: HashMap<i64, Parties>,
    milestones: HashMap<i64, Vec<Milestone>>,
    funding: HashMap<i64, Vec<Funding>>,
    principles: HashMap<i64, Vec<String>>,
    decisions: HashMap<i64, Vec<i64>>,
    updates: HashMap<i64, Vec<ProgressUpdate>>,
    assessments: HashMap<i64, Vec<Assessment>>,
    history: HashMap<i64, Vec<Change>>,
}

impl LinksByActivity {
    /// Groups the plan's link rows by activity.
    fn of(p: &PlanRows, names: &Names) -> Result<LinksByActivity> {
        let parties = parties_by_activity(p, names)?;
        let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
        for m in &p.milestones {
            milestones
                .entry(m.activity_id)
                .or_default()
                .push(Milestone {
                    id: m.id,
                    title: m.title.clone(),
                    due_on: m.due_on,
                    reached_on: m.reached_on,
                });
        }
        let mut funding: HashMap<i64, Vec<Funding>> = HashMap::new();
        for f in &p.funding {
            funding.entry(f.activity_id).or_default().push(Funding {
                source: f.source.clone(),
                year: f.year,
                amount_sek: f.amount_sek,
            });
        }
        let mut principles: HashMap<i64, Vec<String>> = HashMap::new();
        for l in &p.principles {
            if let Some((slug, _)) = names.principle.get(&l.other_id) {
                principles
                    .entry(l.activity_id)
                    .or_default()
                    .push(slug.to_string());
            }
        }
        let mut decisions: HashMap<i64, Vec<i64>> = HashMap::new();
        for l in &p.decisions {
            decisions.entry(l.activity_id).or_default().push(l.other_id);
        }
        Ok(LinksByActivity {
            parties,
            milestones,
            funding,
            principles,
            decisions,
            updates: updates_by_activity(p, names)?,
            assessments: assessments_by_activity(p, names),
            history: history_by_activity(p),
        })
    }
}

/// The responsible parties and the partners of each activity.
fn parties_by_activity(plan: &PlanRows, names: &Names) -> Result<HashMap<i64, Parties>> {
    let mut parties: HashMap<i64, Parties> = HashMap::new();
    for x in &plan.parties {
        let party = if let Some((slug, name)) =
            x.organisation_id.and_then(|id| names.organisation.get(&id))
        {
            PartyRef {
                kind: "organisation".into(),
                slug: slug.to_string(),
                name: name.to_string(),
            }
        } else if let Some((slug, name)) = x.city_body_id.and_then(|id| names.body.get(&id)) {
            PartyRef {
                kind: "city_body".into(),
                slug: slug.to_string(),
                name: name.to_string(),
            }
        } else {
            continue;
        };
        let entry = parties.entry(x.activity_id).or_default();
        match PartyRole::parse(&x.role).map_err(corrupt)? {
            PartyRole::Responsible => entry.0.push(party),
            PartyRole::Partner => entry.1.push(party),
        }
    }
    Ok(parties)
}

/// The published updates of each activity.
fn updates_by_activity(
    plan: &PlanRows,
    names: &Names,
) -> Result<HashMap<i64, Vec<ProgressUpdate>>> {
    let mut updates: HashMap<i64, Vec<ProgressUpdate>> = HashMap::new();
    for u in &plan.updates {
        updates
            .entry(u.activity_id)
            .or_default()
            .push(ProgressUpdate {
                id: u.id,
                written_on: u.written_on,
                body: u.body.clone(),
                progress: u.progress.map(|v| v.clamp(0, 100) as u8),
                status: u
                    .status
                    .as_deref()
                    .map(ActivityStatus::parse)
                    .transpose()
                    .map_err(corrupt)?,
                milestone: u
                    .milestone_id
                    .and_then(|id| names.milestone_title.get(&id))
                    .map(|t| t.to_string()),
                author: u.author_name.clone(),
                party: u.party_name.clone(),
            });
    }
    Ok(updates)
}

/// The self-assessments of each activity, per principle.
fn assessments_by_activity(plan: &PlanRows, names: &Names) -> HashMap<i64, Vec<Assessment>> {
    let mut assessments: HashMap<i64, Vec<Assessment>> = HashMap::new();
    for a in &plan.assessments {
        if let Some((slug, name)) = names.principle.get(&a.principle_id) {
            assessments
                .entry(a.activity_id)
                .or_default()
                .push(Assessment {
                    principle: slug.to_string(),
                    principle_name: name.to_string(),
                    score: a.score.clamp(Score::MIN as i32, Score::MAX as i32) as u8,
                    comment: a.comment.clone(),
                    assessed_on: a.assessed_on,
                });
        }
    }
    assessments
}

/// The history of each activity: every changed field.
fn history_by_activity(plan: &PlanRows) -> HashMap<i64, Vec<Change>> {
    let mut history: HashMap<i64, Vec<Change>> = HashMap::new();
    for c in &plan.changes {
        history.entry(c.activity_id).or_default().push(Change {
            version: c.version,
            changed_at: c.changed_at,
            author: c.author_name.clone(),
            field: c.field.clone(),
            before: c.before_value.clone(),
            after: c.after_value.clone(),
        });
    }
    history
}

/// One activity as the public sees it, its links taken out of `links`; its
/// update is due when it is active and nothing was published for
/// [`UPDATE_DUE_AFTER_DAYS`].
fn activity_of(
    a: &samverkan_db::plans::ActivityRow,
    agreement_slug: &str,
    plan_slug: &str,
    names: &Names,
    links: &mut LinksByActivity,
    today: Date,
) -> Result<Activity> {
    let (responsible, partners) = links.parties.remove(&a.id).unwrap_or_default();
    let funding = links.funding.remove(&a.id).unwrap_or_default();
    let updates = links.updates.remove(&a.id).unwrap_or_default();
    let status = ActivityStatus::parse(&a.status).map_err(corrupt)?;
    let last_update_on = updates.iter().map(|u| u.written_on).max();
    let since = last_update_on.unwrap_or(a.starts_on);
    let update_due = status.is_active()
        && a.starts_on <= today
        && (today - since).whole_days() > UPDATE_DUE_AFTER_DAYS;
    Ok(Activity {
        id: a.id,
        agreement: agreement_slug.to_owned(),
        plan: plan_slug.to_string(),
        slug: a.slug.clone(),
        title: a.title.clone(),
        description: a.description.clone(),
        goal: a.goal.clone(),
        part: PlanPart::parse(&a.part).map_err(corrupt)?,
        challenge: a
            .challenge_id
            .and_then(|id| names.challenge.get(&id))
            .map(|s| s.to_string()),
        district: a
            .district_id
            .and_then(|id| names.district.get(&id))
            .map(|d| d.0.to_string()),
        district_name: a
            .district_id
            .and_then(|id| names.district.get(&id))
            .map(|d| d.1.to_string()),
        one_sided_reason: a.one_sided_reason.clone(),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        status,
        progress: a.progress.clamp(0, 100) as u8,
        responsible,
        partners,
        milestones: links.milestones.remove(&a.id).unwrap_or_default(),
        communication: Communication {
            audiences: a.audiences.clone(),
            channels: a.channels.clone(),
            timing: a.timing.clone(),
        },
        resources: Resources {
            total_sek: funding.iter().map(|f| f.amount_sek).sum(),
            funding,
            hours_city: a.hours_city,
            hours_sector: a.hours_sector,
            premises: a.premises.clone(),
        },
        principles: links.principles.remove(&a.id).unwrap_or_default(),
        decisions: links.decisions.remove(&a.id).unwrap_or_default(),
        updates,
        assessments: links.assessments.remove(&a.id).unwrap_or_default(),
        last_update_on,
        update_due,
        version: a.version,
        updated_at: a.updated_at,
        history: links.history.remove(&a.id).unwrap_or_default(),
    })
}

/// Counts of activities per status, in the order of `ActivityStatus::ALL`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: ActivityStatus,
    pub count: u32,
}

/// The mean self-assessment against one principle.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PrincipleScore {
    pub principle: String,
    pub name: String,
    /// Mean score, 1–4, with one decimal; `None` when nobody assessed it.
    pub mean: Option<f32>,
    pub assessments: u32,
}

/// A group of activities summed up: a challenge, a part or a whole plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    /// The challenge's slug or the part's name.
    pub key: String,
    pub label: String,
    pub activities: u32,
    /// Mean progress in per cent (0 when there are no activities).
    pub progress: u8,
    pub statuses: Vec<StatusCount>,
    pub updates_due: u32,
    pub total_sek: i64,
    pub principles: Vec<PrincipleScore>,
}

impl Summary {
    pub fn of<'a>(
        key: &str,
        label: &str,
        activities: impl IntoIterator<Item = &'a Activity>,
        principles: &[crate::views::Principle],
    ) -> Summary {
        let list: Vec<&Activity> = activities.into_iter().collect();
        let n = list.len() as u32;
        let progress = if n == 0 {
            0
        } else {
            (list.iter().map(|a| a.progress as u32).sum::<u32>() as f32 / n as f32).round() as u8
        };
        let statuses = ActivityStatus::ALL
            .iter()
            .map(|s| StatusCount {
                status: *s,
                count: list.iter().filter(|a| a.status == *s).count() as u32,
            })
            .collect();
        let principles = principles
            .iter()
            .map(|p| {
                let scores: Vec<u8> = list
                    .iter()
                    .flat_map(|a| a.assessments.iter())
                    .filter(|x| x.principle == p.slug)
                    .map(|x| x.score)
                    .collect();
                PrincipleScore {
                    principle: p.slug.clone(),
                    name: p.name.clone(),
                    mean: (!scores.is_empty()).then(|| {
                        let m = scores.iter().map(|s| *s as f32).sum::<f32>() / scores.len() as f32;
                        (m * 10.0).round() / 10.0
                    }),
                    assessments: scores.len() as u32,
                }
            })
            .collect();
        Summary {
            key: key.to_owned(),
            label: label.to_owned(),
            activities: n,
            progress,
            statuses,
            updates_due: list.iter().filter(|a| a.update_due).count() as u32,
            total_sek: list.iter().map(|a| a.resources.total_sek).sum(),
            principles,
        }
    }

    /// The mean as text with one decimal, Swedish style ("2,5").
    pub fn mean_text(mean: &Option<f32>, lang_sv: bool) -> String {
        match mean {
            None => "–".into(),
            Some(m) => {
                let s = format!("{m:.1}");
                if lang_sv { s.replace('.', ",") } else { s }
            }
        }
    }
}

/// Filters on the activities of a challenge page.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub status: Option<ActivityStatus>,
    /// `organisation:<slug>` or `city_body:<slug>`.
    pub party: Option<String>,
    pub district: Option<String>,
    pub principle: Option<String>,
    pub plan: Option<String>,
}

impl ActivityFilter {
    pub fn matches(&self, a: &Activity) -> bool {
        self.status.is_none_or(|s| a.status == s)
            && self.plan.as_deref().is_none_or(|p| a.plan == p)
            && self
                .district
                .as_deref()
                .is_none_or(|d| a.district.as_deref() == Some(d))
            && self
                .principle
                .as_deref()
                .is_none_or(|p| a.principles.iter().any(|x| x == p))
            && self.party.as_deref().is_none_or(|key| {
                a.all_parties()
                    .any(|x| format!("{}:{}", x.kind, x.slug) == key)
            })
    }
}

impl AgreementRecord {
    /// The summary of a plan per challenge (those it prioritises), per part,
    /// and as a whole.
    /// `of_plan` are the plan's activities (see
    /// [`crate::plans::record::AgreementActivities::plan_summaries`]).
    pub fn plan_summaries<'a>(
        &self,
        of_plan: impl Iterator<Item = &'a Activity>,
        plan: &str,
    ) -> Result<PlanSummaries> {
        let p = self.plan(plan).ok_or(Error::NotFound("plan"))?;
        let of_plan: Vec<&Activity> = of_plan.collect();
        let by_challenge = p
            .challenges
            .iter()
            .map(|slug| {
                Summary::of(
                    slug,
                    self.challenge_name(slug),
                    of_plan
                        .iter()
                        .copied()
                        .filter(|a| a.challenge.as_deref() == Some(slug)),
                    &self.principles,
                )
            })
            .collect();
        let by_part = PlanPart::ALL
            .iter()
            .map(|part| {
                Summary::of(
                    part.as_str(),
                    part.as_str(),
                    of_plan.iter().copied().filter(|a| a.part == *part),
                    &self.principles,
                )
            })
            .collect();
        Ok(PlanSummaries {
            plan: Summary::of(plan, &p.title, of_plan.iter().copied(), &self.principles),
            by_challenge,
            by_part,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanSummaries {
    pub plan: Summary,
    pub by_challenge: Vec<Summary>,
    pub by_part: Vec<Summary>,
}

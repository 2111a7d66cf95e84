//! Demonstration data of the action plans: the parts of each plan, and
//! activities with their host pairs, milestones, money, progress updates and
//! self-assessments (`demo/*-plan.toml`). Activities go through the same
//! check as the form and the import; the loader only adds what a form cannot
//! give: updates and assessments dated in the past.

use crate::demo::{DemoReport, LoadedIds};
use crate::plans::activities::{self, ActivityForm, Author};
use crate::{Error, Result};
use samverkan_db::Tx;
use samverkan_db::plans::{NewUpdate, PlanRefs};
use samverkan_domain::{ActivityStatus, PlanPart, Progress, Score, UpdateState};
use serde::Deserialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime, Time};

/// The plan files, loaded after the agreements, the register and the accounts.
pub const PLAN_FILES: &[(&str, &str)] = &[
    (
        "demo/malmo-plan.toml",
        include_str!("../../../../demo/malmo-plan.toml"),
    ),
    (
        "demo/sjovik-plan.toml",
        include_str!("../../../../demo/sjovik-plan.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    #[serde(default)]
    parts: Vec<DemoPart>,
    #[serde(default)]
    activities: Vec<DemoActivity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPart {
    agreement: String,
    plan: String,
    part: PlanPart,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoActivity {
    agreement: String,
    plan: String,
    slug: String,
    title: String,
    description: String,
    goal: String,
    part: String,
    challenge: Option<String>,
    district: Option<String>,
    status: String,
    progress: i64,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    responsible_city_bodies: Vec<String>,
    #[serde(default)]
    responsible_organisations: Vec<String>,
    #[serde(default)]
    partner_city_bodies: Vec<String>,
    #[serde(default)]
    partner_organisations: Vec<String>,
    one_sided_reason: Option<String>,
    #[serde(default)]
    principles: Vec<String>,
    /// Decision keys of the agreement's file.
    #[serde(default)]
    decisions: Vec<String>,
    audiences: String,
    channels: String,
    timing: String,
    hours_city: i64,
    hours_sector: i64,
    premises: String,
    #[serde(default)]
    funding: Vec<DemoFunding>,
    #[serde(default)]
    milestones: Vec<DemoMilestone>,
    #[serde(default)]
    updates: Vec<DemoUpdate>,
    #[serde(default)]
    assessments: Vec<DemoAssessment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFunding {
    source: String,
    year: i32,
    amount_sek: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMilestone {
    title: String,
    due_on: String,
    reached_on: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoUpdate {
    written_on: String,
    body: String,
    progress: Option<i64>,
    status: Option<String>,
    milestone: Option<String>,
    author_name: String,
    /// Slug of one of the activity's responsible parties.
    party: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAssessment {
    principle: String,
    score: i64,
    comment: String,
    assessed_on: String,
}

pub fn parse(name: &str, text: &str) -> Result<PlanFile> {
    toml::from_str(text)
        .map_err(|e| Error::bad_request("demo-data-invalid", format!("{name}: {e}")))
}

fn midnight(d: Date) -> OffsetDateTime {
    d.with_time(Time::MIDNIGHT).assume_utc()
}

impl DemoActivity {
    fn form(&self, ids: &LoadedIds) -> Result<ActivityForm> {
        let decisions = self
            .decisions
            .iter()
            .map(|key| {
                ids.decisions
                    .get(&(self.agreement.clone(), key.clone()))
                    .map(|id| id.to_string())
                    .ok_or_else(|| {
                        Error::bad_request(
                            "demo-data-invalid",
                            format!("no decision with key {key}"),
                        )
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ActivityForm {
            slug: self.slug.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            goal: self.goal.clone(),
            part: self.part.clone(),
            challenge: self.challenge.clone().unwrap_or_default(),
            district: self.district.clone().unwrap_or_default(),
            status: self.status.clone(),
            progress: self.progress.to_string(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            responsible_city_bodies: self.responsible_city_bodies.join(", "),
            responsible_organisations: self.responsible_organisations.join(", "),
            partner_city_bodies: self.partner_city_bodies.join(", "),
            partner_organisations: self.partner_organisations.join(", "),
            one_sided_reason: self.one_sided_reason.clone().unwrap_or_default(),
            principles: self.principles.join(", "),
            decisions: decisions.join(", "),
            milestones: self
                .milestones
                .iter()
                .map(|m| match &m.reached_on {
                    Some(r) => format!("{} | {} | {r}", m.due_on, m.title),
                    None => format!("{} | {}", m.due_on, m.title),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            audiences: self.audiences.clone(),
            channels: self.channels.clone(),
            timing: self.timing.clone(),
            funding: self
                .funding
                .iter()
                .map(|f| format!("{} | {} | {}", f.year, f.amount_sek, f.source))
                .collect::<Vec<_>>()
                .join("\n"),
            hours_city: self.hours_city.to_string(),
            hours_sector: self.hours_sector.to_string(),
            premises: self.premises.clone(),
        })
    }
}

/// Every organisation slug the plan file names (as a party of an activity
/// or of an update).
fn named_organisations(file: &PlanFile) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for a in &file.activities {
        slugs.extend(a.responsible_organisations.iter().cloned());
        slugs.extend(a.partner_organisations.iter().cloned());
        slugs.extend(a.updates.iter().map(|u| u.party.clone()));
    }
    slugs.sort();
    slugs.dedup();
    slugs
}

/// Loads one plan file inside the demo transaction.
pub(crate) async fn load(
    tx: &mut Tx,
    name: &str,
    file: &PlanFile,
    ids: &LoadedIds,
    report: &mut DemoReport,
) -> Result<()> {
    let mut refs_of: HashMap<String, PlanRefs> = HashMap::new();
    let bad = |what: String| Error::bad_request("demo-data-invalid", format!("{name}: {what}"));
    for agreement in file
        .parts
        .iter()
        .map(|p| &p.agreement)
        .chain(file.activities.iter().map(|a| &a.agreement))
    {
        if !refs_of.contains_key(agreement) {
            let id = *ids
                .agreements
                .get(agreement)
                .ok_or_else(|| bad(format!("no agreement {agreement}")))?;
            let mut refs = tx.plan_refs(id).await?;
            tx.name_plan_organisations(&mut refs, &named_organisations(file), &[])
                .await?;
            refs_of.insert(agreement.clone(), refs);
        }
    }
    for p in &file.parts {
        let refs = &refs_of[&p.agreement];
        let plan_id = *refs
            .plans
            .get(&p.plan)
            .ok_or_else(|| bad(format!("no plan {}", p.plan)))?;
        tx.set_plan_part(plan_id, p.part.as_str(), p.description.trim())
            .await?;
    }
    let author = Author {
        user_id: None,
        name: "Demonstrationsdata".into(),
    };
    for a in &file.activities {
        let refs = refs_of
            .get_mut(&a.agreement)
            .ok_or_else(|| bad(format!("{}: no agreement {}", a.slug, a.agreement)))?;
        let plan_id = *refs
            .plans
            .get(&a.plan)
            .ok_or_else(|| bad(format!("{}: no plan {}", a.slug, a.plan)))?;
        let checked = activities::check(&a.form(ids)?, refs, plan_id).map_err(|errors| {
            bad(format!(
                "activity {}: {}",
                a.slug,
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        let created = midnight(checked.values.starts_on);
        let (activity_id, _) =
            activities::write(tx, refs, &checked, None, &author, created).await?;
        report.activities += 1;
        for u in &a.updates {
            load_update(tx, refs, a, activity_id, u, &bad).await?;
            report.updates += 1;
        }
        load_assessments(tx, refs, a, activity_id, &bad).await?;
    }
    Ok(())
}

/// Writes one published update of an activity, by the party it names.
async fn load_update(
    tx: &mut Tx,
    refs: &PlanRefs,
    a: &DemoActivity,
    activity_id: i64,
    u: &DemoUpdate,
    bad: &impl Fn(String) -> Error,
) -> Result<()> {
    let written_on = activities::parse_date(&u.written_on)
        .ok_or_else(|| bad(format!("{}: bad date {}", a.slug, u.written_on)))?;
    let progress = u
        .progress
        .map(Progress::new)
        .transpose()
        .map_err(|e| bad(format!("{}: {e}", a.slug)))?
        .map(|p| p.percent() as i32);
    let status = u
        .status
        .as_deref()
        .map(ActivityStatus::parse)
        .transpose()
        .map_err(|e| bad(format!("{}: {e}", a.slug)))?;
    let milestone_id = match &u.milestone {
        Some(title) => Some(
            tx.milestone_id(activity_id, title)
                .await?
                .ok_or_else(|| bad(format!("{}: no milestone {title}", a.slug)))?,
        ),
        None => None,
    };
    let party = refs
        .organisations
        .get(&u.party)
        .or_else(|| refs.city_bodies.get(&u.party))
        .map(|(_, n)| n.clone())
        .ok_or_else(|| bad(format!("{}: no party {}", a.slug, u.party)))?;
    tx.insert_update(&NewUpdate {
        activity_id,
        written_on,
        state: UpdateState::Published.as_str(),
        body: u.body.trim(),
        progress,
        status: status.map(|s| s.as_str()),
        milestone_id,
        author_id: None,
        author_name: &u.author_name,
        party_name: &party,
        created_at: midnight(written_on),
    })
    .await?;
    Ok(())
}

/// Writes an activity's self-assessments, one per principle.
async fn load_assessments(
    tx: &mut Tx,
    refs: &PlanRefs,
    a: &DemoActivity,
    activity_id: i64,
    bad: &impl Fn(String) -> Error,
) -> Result<()> {
    for x in &a.assessments {
        let principle_id = *refs
            .principles
            .get(&x.principle)
            .ok_or_else(|| bad(format!("{}: no principle {}", a.slug, x.principle)))?;
        let score =
            Score::parse(&x.score.to_string()).map_err(|e| bad(format!("{}: {e}", a.slug)))?;
        let on = activities::parse_date(&x.assessed_on)
            .ok_or_else(|| bad(format!("{}: bad date {}", a.slug, x.assessed_on)))?;
        tx.set_assessment(
            activity_id,
            principle_id,
            score.get() as i32,
            x.comment.trim(),
            on,
            None,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_file_parses() {
        for (name, text) in PLAN_FILES {
            let file = parse(name, text).unwrap();
            assert!(!file.activities.is_empty(), "{name} has no activity");
        }
    }
}

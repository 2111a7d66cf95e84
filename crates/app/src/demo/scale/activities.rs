//! Activities in a target's action plans, with a responsible city body and
//! organisation (the host pair), partners, principles, the plan's decision,
//! milestones, money and hours, and their published progress updates, as
//! the demonstration loader writes them: the activity at its present state
//! with its "created" history entry, the updates beside it.

use super::organisations::midnight;
use super::places::{ActivityRef, Body, OrgRef, State, Target, person};
use super::words::{
    ACTIVITY_KINDS, AUDIENCES, CHANNELS, MILESTONES, PREMISES, TIMINGS, UPDATE_SENTENCES,
};
use super::{AUTHOR, Dice, ScaleKind, ScaleProgress, apportion};
use crate::Result;
use crate::organisations::slugify;
use samverkan_db::Tx;
use samverkan_db::plans::{ActivityLinks, ActivityValues, MilestoneValues};
use samverkan_db::scale::{PlanPeriod, ScaleActivity, ScaleUpdate};
use samverkan_domain::{ActivityStatus, PartyRole, PlanPart};
use time::{Date, Duration};

/// Activities per batch (their updates go with them).
const BATCH: usize = 2_000;

/// The last day of a plan (its extension, if it was extended).
fn last_day(plan: &PlanPeriod) -> Date {
    plan.extended_to.unwrap_or(plan.ends_on)
}

/// When an activity runs, drawn first for all of a target's activities so
/// that the updates can be shared among those that have started.
#[derive(Debug, Clone, Copy)]
struct Span {
    plan: usize,
    starts_on: Date,
    ends_on: Date,
}

/// The spans of the target's activities: shared among its plans by their
/// length, each within its plan's period (the first of each plan starts on
/// the plan's first day).
fn spans(dice: &mut Dice, target: &Target) -> Vec<Span> {
    let lengths: Vec<u64> = target
        .plans
        .iter()
        .map(|p| (last_day(p) - p.starts_on).whole_days().max(1) as u64)
        .collect();
    let per_plan = apportion(target.counts.activities, &lengths, 0);
    let mut spans = Vec::with_capacity(target.counts.activities);
    for (i, (plan, count)) in target.plans.iter().zip(per_plan).enumerate() {
        let last = last_day(plan);
        let latest_start = (last - Duration::days(30)).max(plan.starts_on);
        for k in 0..count {
            let starts_on = if k == 0 {
                plan.starts_on
            } else {
                dice.day(plan.starts_on, latest_start)
            };
            let ends_on = (starts_on + Duration::days(30 * dice.range(2, 36))).min(last);
            spans.push(Span {
                plan: i,
                starts_on,
                ends_on,
            });
        }
    }
    spans
}

/// The status and progress an activity has on the day follow-up ends.
fn state_on(dice: &mut Dice, span: &Span, today: Date) -> (ActivityStatus, i32) {
    let round = |p: i64| (p / 5 * 5).clamp(5, 95) as i32;
    if span.starts_on > today {
        (ActivityStatus::Planned, 0)
    } else if span.ends_on < today {
        if dice.chance(850) {
            (ActivityStatus::Completed, 100)
        } else {
            (ActivityStatus::Cancelled, round(dice.range(10, 90)))
        }
    } else {
        let whole = (span.ends_on - span.starts_on).whole_days().max(1);
        let done = round((today - span.starts_on).whole_days() * 100 / whole);
        if dice.chance(900) {
            (ActivityStatus::Ongoing, done)
        } else {
            (ActivityStatus::Paused, done)
        }
    }
}

/// The activity's parties, as `check` reads them from the form: the
/// responsible city body and organisation (one organisation that has
/// joined, when there is one), then partner bodies and organisations, each
/// named once.
struct Parties<'a> {
    body: &'a Body,
    organisation: Option<&'a OrgRef>,
    partner_body: Option<&'a Body>,
    partners: Vec<&'a OrgRef>,
}

impl<'a> Parties<'a> {
    fn draw(
        dice: &mut Dice,
        target: &'a Target,
        bodies: &[&'a Body],
        joined: &[&'a OrgRef],
    ) -> Self {
        let body = *dice.pick(bodies);
        let one_sided = dice.chance(50);
        let organisation = (!one_sided).then(|| {
            if joined.is_empty() {
                dice.pick(&target.organisations)
            } else {
                *dice.pick(joined)
            }
        });
        let partner_body = Some(*dice.pick(bodies)).filter(|b| b.id != body.id && dice.chance(300));
        let wanted = dice.range(0, 2) as usize;
        let partners = dice
            .some(&target.organisations, wanted)
            .into_iter()
            .filter(|o| organisation.is_none_or(|r| r.id != o.id))
            .collect();
        Parties {
            body,
            organisation,
            partner_body,
            partners,
        }
    }

    /// (role, organisation id, city body id), in the check's order.
    fn rows(&self) -> Vec<(String, Option<i64>, Option<i64>)> {
        let responsible = PartyRole::Responsible.as_str().to_owned();
        let partner = PartyRole::Partner.as_str().to_owned();
        let mut rows = vec![(responsible.clone(), None, Some(self.body.id))];
        rows.extend(self.organisation.map(|o| (responsible, Some(o.id), None)));
        rows.extend(
            self.partner_body
                .map(|b| (partner.clone(), None, Some(b.id))),
        );
        rows.extend(
            self.partners
                .iter()
                .map(|o| (partner.clone(), Some(o.id), None)),
        );
        rows
    }

    /// The names an update may be written in: the responsible parties'.
    fn responsible_names(&self) -> Vec<String> {
        let mut names = vec![self.body.name.clone()];
        names.extend(self.organisation.map(|o| o.name.clone()));
        names
    }
}

/// A slug for the activity, unique in its plan: the title's, or with
/// `-2`, `-3` … added.
fn activity_slug(state: &mut State, plan_id: i64, title: &str) -> String {
    let taken = &mut state.keys.activity_slugs;
    super::first_free(
        &slugify(title),
        |base, n| format!("{base}-{n}"),
        |slug| taken.insert((plan_id, slug.to_owned())),
    )
}

/// Milestones (each title once, due within the span), reached when due
/// before follow-up ended, sorted as `check` sorts them.
fn milestones(
    dice: &mut Dice,
    span: &Span,
    status: ActivityStatus,
    today: Date,
) -> Vec<MilestoneValues> {
    let count = dice.range(0, 3) as usize;
    let mut list: Vec<MilestoneValues> = dice
        .some(MILESTONES, count)
        .into_iter()
        .map(|title| {
            let due_on = dice.day(span.starts_on, span.ends_on);
            let reached = status != ActivityStatus::Planned && due_on <= today.min(span.ends_on);
            MilestoneValues {
                title: title.to_string(),
                due_on,
                reached_on: reached.then_some(due_on),
            }
        })
        .collect();
    list.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.title.cmp(&b.title)));
    list
}

/// One to three of the agreement's principles, by id (as `check` sorts them).
fn principles(dice: &mut Dice, target: &Target) -> Vec<i64> {
    let count = dice.range(1, 3) as usize;
    let mut principles: Vec<i64> = dice
        .some(&target.principles, count)
        .into_iter()
        .map(|p| p.0)
        .collect();
    principles.sort_unstable();
    principles
}

/// Money from the responsible body in the first one or two years:
/// (source, year, kronor).
fn funding(dice: &mut Dice, span: &Span, source: &str) -> Vec<(String, i32, i64)> {
    let first = span.starts_on.year();
    let mut funding = Vec::new();
    for year in first..=span.ends_on.year().min(first + 1) {
        if dice.chance(600) {
            funding.push((source.to_owned(), year, dice.range(20, 400) * 1000));
        }
    }
    funding
}

/// A completed activity's self-assessment: a score per principle, on its
/// last day.
fn assessments(dice: &mut Dice, principles: &[i64], on: Date) -> Vec<(i64, i32, String, Date)> {
    principles
        .iter()
        .map(|p| {
            let comment = "Vi har arbetat efter principen och lärt oss mycket på vägen.";
            (*p, dice.range(1, 4) as i32, comment.to_owned(), on)
        })
        .collect()
}

/// One activity of the target, at its state on the day follow-up ends.
fn activity(
    dice: &mut Dice,
    target: &Target,
    state: &mut State,
    span: &Span,
    parties: &Parties<'_>,
) -> (ScaleActivity, &'static str) {
    let today = target.follow_up_until;
    let plan = &target.plans[span.plan];
    let kind = *dice.pick(ACTIVITY_KINDS);
    let audience = *dice.pick(AUDIENCES);
    let district = dice.pick(&target.districts);
    let title = format!("{kind} för {audience} i {}", district.1);
    let (status, progress) = state_on(dice, span, today);
    let (part, challenge_id) = if target.challenges.is_empty() || !dice.chance(700) {
        (
            *dice.pick(&[
                PlanPart::Conditions,
                PlanPart::Learning,
                PlanPart::Organisation,
            ]),
            None,
        )
    } else {
        (PlanPart::Challenges, Some(dice.pick(&target.challenges).0))
    };
    let principles = principles(dice, target);
    let funding = funding(dice, span, &parties.body.name);
    let organisation = parties
        .organisation
        .map_or(parties.body.name.as_str(), |o| o.name.as_str());
    let assessments = if status == ActivityStatus::Completed {
        assessments(dice, &principles, span.ends_on)
    } else {
        Vec::new()
    };
    let id = state.next.activity;
    state.next.activity += 1;
    let activity = ScaleActivity {
        id,
        values: ActivityValues {
            plan_id: plan.id,
            slug: activity_slug(state, plan.id, &title),
            description: format!(
                "{organisation} och {} ordnar {} för {audience} i {}. Aktiviteten bygger på det som deltagarna själva efterfrågar.",
                parties.body.name,
                kind.to_lowercase(),
                district.1
            ),
            goal: format!(
                "Minst {} deltagare per termin och {} nya ledare före {}.",
                dice.range(10, 200),
                dice.range(2, 20),
                span.ends_on.year() + 1
            ),
            title,
            part: part.as_str().to_owned(),
            challenge_id,
            district_id: dice.chance(700).then_some(district.0),
            one_sided_reason: parties.organisation.is_none().then(|| {
                "Aktiviteten genomförs av kommunen, och föreningarna deltar som partner.".to_owned()
            }),
            starts_on: span.starts_on,
            ends_on: span.ends_on,
            status: status.as_str().to_owned(),
            progress,
            audiences: format!("{audience} i {}", district.1),
            channels: dice.pick(CHANNELS).to_string(),
            timing: dice.pick(TIMINGS).to_string(),
            hours_city: dice.range(0, 800),
            hours_sector: dice.range(0, 2000),
            premises: dice.pick(PREMISES).to_string(),
        },
        links: ActivityLinks {
            parties: parties.rows(),
            milestones: milestones(dice, span, status, today),
            funding,
            principles,
            decisions: plan.decision_id.into_iter().collect(),
        },
        created_at: midnight(span.starts_on.min(today)),
        created_by: AUTHOR.to_owned(),
        assessments,
    };
    (activity, kind)
}

/// `count` published updates of an activity, dated between its start and
/// the end of follow-up, its progress rising to where it stands, the last
/// one giving its status when it is no longer ongoing.
fn updates(
    dice: &mut Dice,
    a: &ScaleActivity,
    names: &[String],
    count: usize,
    today: Date,
) -> Vec<ScaleUpdate> {
    let v = &a.values;
    let mut days: Vec<Date> = (0..count)
        .map(|_| dice.day(v.starts_on, v.ends_on.min(today)))
        .collect();
    days.sort_unstable();
    let last_status = ActivityStatus::parse(&v.status).ok().filter(|s| {
        matches!(
            s,
            ActivityStatus::Completed | ActivityStatus::Cancelled | ActivityStatus::Paused
        )
    });
    days.into_iter()
        .enumerate()
        .map(|(k, written_on)| {
            let progress = (v.progress as usize * (k + 1) / count / 5 * 5) as i32;
            let sentences = dice.range(1, 2) as usize;
            let body = (0..sentences)
                .map(|_| {
                    dice.pick(UPDATE_SENTENCES)
                        .replace("{n}", &dice.range(3, 60).to_string())
                        .replace("{grupp}", dice.pick::<&str>(AUDIENCES))
                })
                .collect::<Vec<_>>()
                .join(" ");
            ScaleUpdate {
                activity_id: a.id,
                written_on,
                body,
                progress: Some(progress),
                status: last_status.filter(|_| k + 1 == count).map(|s| s.as_str()),
                author_name: person(dice),
                party_name: dice.pick(names).clone(),
            }
        })
        .collect()
}

/// Generates and writes the target's activities and their updates: how
/// many of each.
pub(crate) async fn write(
    tx: &mut Tx,
    target: &mut Target,
    state: &mut State,
    progress: ScaleProgress<'_>,
) -> Result<(usize, usize)> {
    if target.organisations.is_empty() || target.bodies.is_empty() || target.plans.is_empty() {
        return Ok((0, 0));
    }
    let today = target.follow_up_until;
    let spans = spans(&mut Dice::new(target.index, 2), target);
    let weights: Vec<u64> = {
        let mut dice = Dice::new(target.index, 3);
        spans
            .iter()
            .map(|s| {
                if s.starts_on <= today {
                    dice.range(1, 8) as u64
                } else {
                    0
                }
            })
            .collect()
    };
    let shares = if weights.iter().any(|w| *w > 0) {
        apportion(target.counts.updates, &weights, 0)
    } else {
        vec![0; spans.len()]
    };
    let hosts: Vec<&Body> = target
        .bodies
        .iter()
        .filter(|b| b.kind == "committee" || b.kind == "administration")
        .collect();
    let hosts = if hosts.is_empty() {
        target.bodies.iter().collect()
    } else {
        hosts
    };
    let joined: Vec<&OrgRef> = target.organisations.iter().filter(|o| o.joined).collect();
    let mut dice = Dice::new(target.index, 4);
    let (mut activities, mut written, mut refs) = (
        Vec::with_capacity(BATCH),
        (0, 0),
        Vec::with_capacity(spans.len()),
    );
    let mut batch_updates: Vec<ScaleUpdate> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let parties = Parties::draw(&mut dice, target, &hosts, &joined);
        let (a, kind) = activity(&mut dice, target, state, span, &parties);
        batch_updates.extend(updates(
            &mut dice,
            &a,
            &parties.responsible_names(),
            shares[i],
            today,
        ));
        refs.push(ActivityRef {
            id: a.id,
            kind,
            starts_on: span.starts_on,
            ends_on: span.ends_on,
        });
        activities.push(a);
        if activities.len() == BATCH || i + 1 == spans.len() {
            tx.write_activities(&activities).await?;
            tx.write_updates(&batch_updates).await?;
            progress(ScaleKind::Activities, activities.len());
            progress(ScaleKind::Updates, batch_updates.len());
            written = (
                written.0 + activities.len(),
                written.1 + batch_updates.len(),
            );
            activities.clear();
            batch_updates.clear();
        }
    }
    target.activities = refs;
    Ok(written)
}

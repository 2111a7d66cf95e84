//! The action plan's pages as views: a plan's activities per part and the
//! span of its timeline, a challenge's activities with the choices of its
//! filters, and what a person may do on an activity's page. Computed here so
//! the handlers only parse, call and render.

pub use crate::paged::Paged;
use crate::plans::activities::ActivityRef;
use crate::plans::follow_up::UpdateRow;
use crate::plans::record::AgreementActivities;
use crate::plans::views::{Activity, ActivityFilter, Summary};
use crate::roles::Roles;
use crate::snapshot::AgreementRecord;
use crate::views::{ActionPlan, Challenge};
use crate::{App, Error, Message, Result};
use samverkan_domain::{ActivityStatus, PlanPart};
use serde::Serialize;
use time::Date;

/// How many activities a part of a plan's overview lists a page.
pub const PART_PAGE: usize = 25;

/// How many activities a challenge page lists a page.
pub const CHALLENGE_PAGE: usize = 50;

/// How many activities a plan's timeline shows at most.
pub const TIMELINE_ROWS: usize = 40;

/// A plan's activities under each of its parts, in the parts' order, a
/// page of [`PART_PAGE`] each: page `page` of the part `chosen`, the first
/// of the others.
pub fn by_part<'a>(
    acts: &'a AgreementActivities,
    plan: &str,
    (chosen, page): (Option<PlanPart>, usize),
) -> Vec<(PlanPart, Paged<&'a Activity>)> {
    let activities: Vec<&Activity> = acts.activities.iter().filter(|x| x.plan == plan).collect();
    PlanPart::ALL
        .iter()
        .map(|part| {
            let of_part = activities
                .iter()
                .copied()
                .filter(|x| x.part == *part)
                .collect();
            let page = if chosen == Some(*part) { page } else { 1 };
            (*part, Paged::of(of_part, page, PART_PAGE))
        })
        .collect()
}

/// The activities a plan's timeline shows: the plan's active ones first
/// (planned and ongoing, by start), then the others, at most
/// [`TIMELINE_ROWS`].
pub fn timeline_rows<'a>(activities: &[&'a Activity]) -> Vec<&'a Activity> {
    let mut rows: Vec<&Activity> = activities.to_vec();
    rows.sort_by_key(|a| (!a.status.is_active(), a.starts_on));
    rows.truncate(TIMELINE_ROWS);
    rows.sort_by_key(|a| a.starts_on);
    rows
}

/// The span of a plan's timeline: from the earliest start (of the plan or
/// an activity) to the latest end (the plan's, extended, or an activity's).
pub fn plan_span(p: &ActionPlan, activities: &[&Activity]) -> (Date, Date) {
    let end = p.extended_to.unwrap_or(p.ends_on).max(
        activities
            .iter()
            .map(|a| a.ends_on)
            .max()
            .unwrap_or(p.ends_on),
    );
    let start = activities
        .iter()
        .map(|a| a.starts_on)
        .min()
        .unwrap_or(p.starts_on)
        .min(p.starts_on);
    (start, end)
}

/// The span of an activity's timeline: its own and its plan's.
pub fn activity_span(p: &ActionPlan, x: &Activity) -> (Date, Date) {
    (
        x.starts_on.min(p.starts_on),
        x.ends_on.max(p.extended_to.unwrap_or(p.ends_on)),
    )
}

/// The choices each filter of a challenge page offers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FilterChoices {
    pub statuses: Vec<ActivityStatus>,
    /// (`kind:slug`, name)
    pub parties: Vec<(String, String)>,
    /// (slug, name)
    pub districts: Vec<(String, String)>,
    /// (slug, name)
    pub principles: Vec<(String, String)>,
    /// (slug, title)
    pub plans: Vec<(String, String)>,
}

/// The filter of a challenge page as chosen (each value trimmed; empty
/// when not chosen).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Chosen {
    pub status: String,
    pub party: String,
    pub district: String,
    pub principle: String,
    pub plan: String,
}

impl Chosen {
    /// Whether any filter is chosen.
    pub fn any(&self) -> bool {
        !(self.status.is_empty()
            && self.party.is_empty()
            && self.district.is_empty()
            && self.principle.is_empty()
            && self.plan.is_empty())
    }

    /// The filter these choices make: a value that is not one of `choices`
    /// is a 400 naming it.
    pub fn filter(&self, choices: &FilterChoices) -> Result<ActivityFilter> {
        let known =
            |value: &str, list: &[(String, String)], name: &str| -> Result<Option<String>> {
                if value.is_empty() {
                    Ok(None)
                } else if list.iter().any(|(k, _)| k == value) {
                    Ok(Some(value.to_owned()))
                } else {
                    Err(Error::BadRequest(
                        Message::new(
                            "filter-not-a-choice",
                            format!(
                                "the filter {name}='{value}' is not one of the choices on the page"
                            ),
                        )
                        .arg("name", name)
                        .arg("value", value),
                    ))
                }
            };
        Ok(ActivityFilter {
            status: if self.status.is_empty() {
                None
            } else {
                Some(ActivityStatus::parse(&self.status).map_err(|e| {
                    Error::BadRequest(
                        Message::new("filter-status", e.0).arg("value", self.status.as_str()),
                    )
                })?)
            },
            party: known(&self.party, &choices.parties, "party")?,
            district: known(&self.district, &choices.districts, "district")?,
            principle: known(&self.principle, &choices.principles, "principle")?,
            plan: known(&self.plan, &choices.plans, "plan")?,
        })
    }
}

/// A challenge's page: its activities that pass the filter, how many it
/// has in all, the filter's choices and the sums of those shown.
pub struct ChallengeView<'a> {
    pub challenge: &'a Challenge,
    /// The page of the activities the filter lets through.
    pub activities: Paged<&'a Activity>,
    /// The challenge's activities, filtered or not.
    pub total: usize,
    pub choices: FilterChoices,
    pub chosen: Chosen,
    pub summary: Summary,
}

/// The choices of a challenge page's filters, from the challenge's
/// activities and the agreement's principles and plans.
pub fn challenge_choices(
    a: &AgreementRecord,
    c: &Challenge,
    of_challenge: &[&Activity],
) -> FilterChoices {
    let mut parties: Vec<(String, String)> = of_challenge
        .iter()
        .flat_map(|x| x.all_parties())
        .map(|p| (format!("{}:{}", p.kind, p.slug), p.name.clone()))
        .collect();
    parties.sort_by(|x, y| x.1.cmp(&y.1));
    parties.dedup();
    let mut districts: Vec<(String, String)> = of_challenge
        .iter()
        .filter_map(|x| Some((x.district.clone()?, x.district_name.clone()?)))
        .collect();
    districts.sort_by(|x, y| x.1.cmp(&y.1));
    districts.dedup();
    FilterChoices {
        statuses: ActivityStatus::ALL.to_vec(),
        parties,
        districts,
        principles: a
            .principles
            .iter()
            .map(|p| (p.slug.clone(), p.name.clone()))
            .collect(),
        plans: a
            .plans
            .iter()
            .filter(|p| p.challenges.contains(&c.slug))
            .map(|p| (p.slug.clone(), p.title.clone()))
            .collect(),
    }
}

/// The challenge `slug`'s page with the filter `chosen`.
pub fn challenge_view<'a>(
    a: &'a AgreementRecord,
    acts: &'a AgreementActivities,
    slug: &str,
    (chosen, page): (Chosen, usize),
) -> Result<ChallengeView<'a>> {
    let c = a.challenge(slug)?;
    let of_challenge: Vec<&Activity> = acts
        .activities
        .iter()
        .filter(|x| x.challenge.as_deref() == Some(c.slug.as_str()))
        .collect();
    let choices = challenge_choices(a, c, &of_challenge);
    let filter = chosen.filter(&choices)?;
    let total = of_challenge.len();
    let activities: Vec<&Activity> = of_challenge
        .into_iter()
        .filter(|x| filter.matches(x))
        .collect();
    let summary = Summary::of(&c.slug, &c.name, activities.iter().copied(), &a.principles);
    Ok(ChallengeView {
        challenge: c,
        activities: Paged::of(activities, page, CHALLENGE_PAGE),
        total,
        choices,
        chosen,
        summary,
    })
}

/// What a person may do on an activity's page.
#[derive(Debug, Clone, Default)]
pub struct ActivityRights {
    /// May edit and publish: coordinator or responsible.
    pub responsible: bool,
    /// May propose updates.
    pub partner: bool,
    /// The parties the person may write for, as (`kind:slug`, name).
    pub party_choices: Vec<(String, String)>,
    /// The partners' proposals waiting (only for the responsible).
    pub proposals: Vec<UpdateRow>,
}

impl App {
    /// What `roles` (none for a visitor) may do on the activity `x`.
    pub async fn activity_rights(
        &self,
        roles: Option<&Roles>,
        a: &AgreementRecord,
        x: &Activity,
        at: ActivityRef<'_>,
    ) -> Result<ActivityRights> {
        let Some(roles) = roles else {
            return Ok(ActivityRights::default());
        };
        let responsible = roles.answers_for(a, x);
        let proposals = if responsible {
            self.proposals(roles, at).await?
        } else {
            Vec::new()
        };
        Ok(ActivityRights {
            responsible,
            partner: roles.is_partner_in(a, x),
            party_choices: App::parties_for(roles, a, x),
            proposals,
        })
    }
}

//! Keeping the activities of an action plan: the form as typed, the one
//! check every way in goes through (the web form, the API, the CSV import
//! and the demonstration data), and the writes. Every write compares the
//! activity before and after, field by field, and records what changed in
//! its public history, in the same transaction. An edit names the version it
//! started from; an edit of a version someone else has replaced is refused.

use crate::plans::record::AgreementActivities;
use crate::roles::Roles;
use crate::snapshot::AgreementRecord;
use crate::{App, Error, FieldError, Result};
use samverkan_db::Tx;
use samverkan_db::plans::{
    ActivityLinks, ActivityRow, ActivityValues, MilestoneValues, NewChange, PlanRefs,
};
use samverkan_domain::plan::parse_year;
use samverkan_domain::{ActivityStatus, Hours, PartyRole, PlanPart, Progress, Sek, Slug};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// Declares the activity form: its fields in order (which are also the
/// columns of the CSV format) and the struct.
macro_rules! activity_form {
    ($($field:ident),* $(,)?) => {
        /// An activity as typed, every field as text. Lists of parties and
        /// principles are slugs separated by commas; milestones and money
        /// are one per line, their parts separated by `|`.
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
        #[serde(default)]
        pub struct ActivityForm {
            $(pub $field: String,)*
        }

        /// The fields of [`ActivityForm`], in order: the CSV header.
        pub const ACTIVITY_FIELDS: &[&str] = &[$(stringify!($field)),*];

        impl ActivityForm {
            /// The fields as (name, value), in order.
            pub fn fields(&self) -> Vec<(&'static str, &str)> {
                vec![$((stringify!($field), self.$field.as_str())),*]
            }

            /// Sets a field by name; false for an unknown name.
            pub fn set(&mut self, name: &str, value: String) -> bool {
                match name {
                    $(stringify!($field) => { self.$field = value; true })*
                    _ => false,
                }
            }
        }
    };
}

activity_form!(
    slug,
    title,
    description,
    goal,
    part,
    challenge,
    district,
    status,
    progress,
    starts_on,
    ends_on,
    responsible_city_bodies,
    responsible_organisations,
    partner_city_bodies,
    partner_organisations,
    one_sided_reason,
    principles,
    decisions,
    milestones,
    audiences,
    channels,
    timing,
    funding,
    hours_city,
    hours_sector,
    premises,
);

/// An activity that passed every check, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedActivity {
    pub values: ActivityValues,
    pub links: ActivityLinks,
}

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

fn problem_about(
    field: &'static str,
    code: &'static str,
    message: impl Into<String>,
    detail: impl Into<String>,
) -> FieldError {
    FieldError {
        detail: Some(detail.into()),
        ..FieldError::new(field, code, message)
    }
}

fn field_name(name: &str) -> &'static str {
    ACTIVITY_FIELDS
        .iter()
        .find(|f| **f == name)
        .copied()
        .unwrap_or("form")
}

/// Slugs in a list typed with commas, semicolons, spaces or new lines.
/// The organisation slugs an activity form names (to read only those).
pub fn organisation_slugs(form: &ActivityForm) -> Vec<String> {
    [&form.responsible_organisations, &form.partner_organisations]
        .into_iter()
        .flat_map(|text| split_list(text))
        .map(str::to_owned)
        .collect()
}

/// The ids of the organisations among an activity's parties.
pub fn organisation_ids(links: &ActivityLinks) -> Vec<i64> {
    links.parties.iter().filter_map(|(_, o, _)| *o).collect()
}

pub fn split_list(text: &str) -> Vec<&str> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect()
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i + 1, l))
}

pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> String {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        errors.push(problem(
            field,
            "activity-text-length",
            if min > 0 {
                format!("write {field} in {min} to {max} characters")
            } else {
                format!("write {field} in at most {max} characters")
            },
        ));
    }
    v.replace("\r\n", "\n")
}

/// The activity's texts and its slug (made from the title when left empty).
struct Texts {
    slug: String,
    title: String,
    description: String,
    goal: String,
}

/// Checks the title, description and goal, and the slug.
fn check_texts(form: &ActivityForm, errors: &mut Vec<FieldError>) -> Texts {
    let title = text_field(errors, "title", &form.title, 3, 200);
    let description = text_field(errors, "description", &form.description, 1, 5000);
    let goal = text_field(errors, "goal", &form.goal, 1, 2000);
    let slug_text = if form.slug.trim().is_empty() {
        crate::organisations::slugify(&title)
    } else {
        form.slug.trim().to_owned()
    };
    let slug = match Slug::parse(&slug_text) {
        Ok(s) => s.as_str().to_owned(),
        Err(e) => {
            errors.push(problem("slug", "activity-slug", e.0));
            String::new()
        }
    };
    Texts {
        slug,
        title,
        description,
        goal,
    }
}

/// Where the activity belongs: its part of the plan, its challenge and its
/// district.
struct Place {
    part: Option<PlanPart>,
    challenge_id: Option<i64>,
    district_id: Option<i64>,
}

/// Checks the part, the challenge (named by activities of the part
/// "challenges" only) and the district.
fn check_place(form: &ActivityForm, refs: &PlanRefs, errors: &mut Vec<FieldError>) -> Place {
    let part = match PlanPart::parse(form.part.trim()) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(problem("part", "activity-part", e.0));
            None
        }
    };
    let challenge_text = form.challenge.trim();
    let challenge_id = match (part, challenge_text) {
        (Some(PlanPart::Challenges), "") => {
            errors.push(problem(
                "challenge",
                "activity-challenge-missing",
                "an activity of the part 'challenges' names the challenge it works on",
            ));
            None
        }
        (_, "") => None,
        (Some(p), _) if p != PlanPart::Challenges => {
            errors.push(problem(
                "challenge",
                "activity-challenge-part",
                "only activities of the part 'challenges' name a challenge; choose that part or leave the challenge out",
            ));
            None
        }
        (_, slug) => match refs.challenges.get(slug) {
            Some(id) => Some(*id),
            None => {
                errors.push(problem_about(
                    "challenge",
                    "activity-unknown",
                    format!("'{slug}' is not a challenge of this agreement"),
                    slug,
                ));
                None
            }
        },
    };
    let district_text = form.district.trim();
    let district_id = if district_text.is_empty() {
        None
    } else {
        match refs.districts.get(district_text) {
            Some(id) => Some(*id),
            None => {
                errors.push(problem_about(
                    "district",
                    "activity-unknown",
                    format!("'{district_text}' is not a district of this municipality"),
                    district_text,
                ));
                None
            }
        }
    };
    Place {
        part,
        challenge_id,
        district_id,
    }
}

/// Checks the status and the progress (empty is 0 %): (status, percent).
fn check_state(form: &ActivityForm, errors: &mut Vec<FieldError>) -> (String, i32) {
    let status = match ActivityStatus::parse(form.status.trim()) {
        Ok(s) => s.as_str().to_owned(),
        Err(e) => {
            errors.push(problem("status", "activity-status", e.0));
            String::new()
        }
    };
    let progress = match Progress::parse(if form.progress.trim().is_empty() {
        "0"
    } else {
        &form.progress
    }) {
        Ok(p) => p.percent() as i32,
        Err(e) => {
            errors.push(problem("progress", "activity-progress", e.0));
            0
        }
    };
    (status, progress)
}

/// Checks the start and end dates, and that the end is not before the start.
fn check_dates(form: &ActivityForm, errors: &mut Vec<FieldError>) -> (Option<Date>, Option<Date>) {
    let mut date = |field: &'static str, text: &str| match parse_date(text) {
        Some(d) => Some(d),
        None => {
            errors.push(problem(
                field,
                "activity-date",
                format!("'{}' is not a date; write it as 2024-03-31", text.trim()),
            ));
            None
        }
    };
    let starts_on = date("starts_on", &form.starts_on);
    let ends_on = date("ends_on", &form.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push(problem(
            "ends_on",
            "activity-ends-before",
            "the activity cannot end before it starts",
        ));
    }
    (starts_on, ends_on)
}

/// Checks the four lists of parties (known, each named once):
/// (role, organisation id, city body id) per party.
fn check_parties(
    form: &ActivityForm,
    refs: &PlanRefs,
    errors: &mut Vec<FieldError>,
) -> Vec<(String, Option<i64>, Option<i64>)> {
    let mut parties: Vec<(String, Option<i64>, Option<i64>)> = Vec::new();
    let mut seen: HashMap<(bool, i64), &'static str> = HashMap::new();
    for (field, role, is_org, text) in [
        (
            "responsible_city_bodies",
            PartyRole::Responsible,
            false,
            &form.responsible_city_bodies,
        ),
        (
            "responsible_organisations",
            PartyRole::Responsible,
            true,
            &form.responsible_organisations,
        ),
        (
            "partner_city_bodies",
            PartyRole::Partner,
            false,
            &form.partner_city_bodies,
        ),
        (
            "partner_organisations",
            PartyRole::Partner,
            true,
            &form.partner_organisations,
        ),
    ] {
        for slug in split_list(text) {
            let found = if is_org {
                refs.organisations.get(slug)
            } else {
                refs.city_bodies.get(slug)
            };
            let Some((id, _)) = found else {
                errors.push(problem_about(
                    field,
                    "activity-unknown",
                    if is_org {
                        format!("'{slug}' is not an organisation in the register")
                    } else {
                        format!("'{slug}' is not a city body of this municipality")
                    },
                    slug,
                ));
                continue;
            };
            if let Some(first) = seen.insert((is_org, *id), field) {
                if first != field {
                    errors.push(problem_about(
                        field,
                        "activity-party-twice",
                        format!(
                            "'{slug}' is named both as responsible and as partner; name it once"
                        ),
                        slug,
                    ));
                }
                continue;
            }
            let (org, body) = if is_org {
                (Some(*id), None)
            } else {
                (None, Some(*id))
            };
            parties.push((role.as_str().to_owned(), org, body));
        }
    }
    parties
}

/// Checks the host pair: a responsible city body and a responsible
/// organisation, or else a reason for a one-sided activity.
fn check_one_sided(form: &ActivityForm, errors: &mut Vec<FieldError>) -> Option<String> {
    let responsible_bodies = split_list(&form.responsible_city_bodies).len();
    let responsible_orgs = split_list(&form.responsible_organisations).len();
    let reason = form.one_sided_reason.trim();
    if responsible_bodies > 0 && responsible_orgs > 0 {
        if !reason.is_empty() {
            errors.push(problem(
                "one_sided_reason",
                "activity-reason-two-sided",
                "the activity has responsible parties on both sides; leave the reason for a one-sided activity empty",
            ));
        }
        None
    } else if responsible_bodies + responsible_orgs == 0 {
        errors.push(problem(
            "responsible_city_bodies",
            "activity-no-host",
            "name the responsible parties: at least one city body and one organisation",
        ));
        None
    } else if reason.is_empty() {
        errors.push(problem(
            "one_sided_reason",
            "activity-one-sided",
            "an activity has a responsible city body and a responsible organisation; if it is one-sided on purpose, say why",
        ));
        None
    } else {
        Some(text_field(errors, "one_sided_reason", reason, 1, 1000))
    }
}

/// Checks the principles (known to the agreement): their ids, sorted, once each.
fn check_principles(
    form: &ActivityForm,
    refs: &PlanRefs,
    errors: &mut Vec<FieldError>,
) -> Vec<i64> {
    let mut principles = Vec::new();
    for slug in split_list(&form.principles) {
        match refs.principles.get(slug) {
            Some(id) if !principles.contains(id) => principles.push(*id),
            Some(_) => {}
            None => errors.push(problem_about(
                "principles",
                "activity-unknown",
                format!("'{slug}' is not a principle of this agreement"),
                slug,
            )),
        }
    }
    principles.sort_unstable();
    principles
}

/// Checks the decisions (numbers of the agreement's decisions): sorted, once each.
fn check_decisions(form: &ActivityForm, refs: &PlanRefs, errors: &mut Vec<FieldError>) -> Vec<i64> {
    let mut decisions = Vec::new();
    for text in split_list(&form.decisions) {
        match text
            .parse::<i64>()
            .ok()
            .filter(|id| refs.decisions.contains_key(id))
        {
            Some(id) if !decisions.contains(&id) => decisions.push(id),
            Some(_) => {}
            None => errors.push(problem_about(
                "decisions",
                "activity-unknown",
                format!("'{text}' is not the number of a decision of this agreement"),
                text,
            )),
        }
    }
    decisions.sort_unstable();
    decisions
}

/// Checks the milestones, one per line (`date | title | date reached`),
/// each title once: sorted by date, then title.
fn check_milestones(form: &ActivityForm, errors: &mut Vec<FieldError>) -> Vec<MilestoneValues> {
    let mut milestones: Vec<MilestoneValues> = Vec::new();
    for (n, line) in lines(&form.milestones) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let due = parts.first().and_then(|d| parse_date(d));
        let title = parts.get(1).copied().unwrap_or("");
        let reached = match parts.get(2).copied().unwrap_or("") {
            "" => Some(None),
            d => parse_date(d).map(Some),
        };
        match (due, title, reached) {
            (Some(due_on), t, Some(reached_on)) if !t.is_empty() && t.chars().count() <= 200 && parts.len() <= 3 => {
                if milestones.iter().any(|m| m.title == t) {
                    errors.push(problem_about("milestones", "activity-milestone-twice", format!("line {n}: the milestone '{t}' is named twice"), n.to_string()));
                } else {
                    milestones.push(MilestoneValues { title: t.to_owned(), due_on, reached_on });
                }
            }
            _ => errors.push(problem_about(
                "milestones",
                "activity-milestone-line",
                format!("line {n}: write a milestone as 'date | title' or 'date | title | date reached', such as 2024-05-01 | Första träffen"),
                n.to_string(),
            )),
        }
    }
    milestones.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.title.cmp(&b.title)));
    milestones
}

/// Checks the money, one line per year and source (`year | kronor | source`):
/// (source, year, kronor) per line.
fn check_funding(form: &ActivityForm, errors: &mut Vec<FieldError>) -> Vec<(String, i32, i64)> {
    let mut funding = Vec::new();
    for (n, line) in lines(&form.funding) {
        let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        match (
            parts.first().map(|y| parse_year(y)),
            parts.get(1).map(|a| Sek::parse(a)),
            parts.get(2).copied().filter(|s| !s.is_empty() && s.chars().count() <= 200),
        ) {
            (Some(Ok(year)), Some(Ok(amount)), Some(source)) => {
                funding.push((source.to_owned(), year, amount.kronor()))
            }
            _ => errors.push(problem_about(
                "funding",
                "activity-funding-line",
                format!("line {n}: write money as 'year | amount in kronor | source', such as 2024 | 150000 | Kulturnämnden"),
                n.to_string(),
            )),
        }
    }
    funding
}

/// What the activity takes and reaches: hours on each side, audiences,
/// channels, timing and premises.
struct Resources {
    hours_city: i64,
    hours_sector: i64,
    audiences: String,
    channels: String,
    timing: String,
    premises: String,
}

/// Checks the hours (empty is 0) and the texts on audiences, channels,
/// timing and premises.
fn check_resources(form: &ActivityForm, errors: &mut Vec<FieldError>) -> Resources {
    let mut hours = |field: &'static str, text: &str| -> i64 {
        if text.trim().is_empty() {
            return 0;
        }
        match Hours::parse(text) {
            Ok(h) => h.get(),
            Err(e) => {
                errors.push(problem(field, "activity-hours", e.0));
                0
            }
        }
    };
    let hours_city = hours("hours_city", &form.hours_city);
    let hours_sector = hours("hours_sector", &form.hours_sector);
    Resources {
        hours_city,
        hours_sector,
        audiences: text_field(errors, "audiences", &form.audiences, 0, 2000),
        channels: text_field(errors, "channels", &form.channels, 0, 2000),
        timing: text_field(errors, "timing", &form.timing, 0, 2000),
        premises: text_field(errors, "premises", &form.premises, 0, 1000),
    }
}

/// Checks an activity as typed against what the agreement holds. `plan_id`
/// is the plan it belongs to. Every problem is reported, each with its field.
pub fn check(
    form: &ActivityForm,
    refs: &PlanRefs,
    plan_id: i64,
) -> std::result::Result<CheckedActivity, Vec<FieldError>> {
    let mut errors = Vec::new();
    let texts = check_texts(form, &mut errors);
    let place = check_place(form, refs, &mut errors);
    let (status, progress) = check_state(form, &mut errors);
    let (starts_on, ends_on) = check_dates(form, &mut errors);
    let parties = check_parties(form, refs, &mut errors);
    let one_sided_reason = check_one_sided(form, &mut errors);
    let principles = check_principles(form, refs, &mut errors);
    let decisions = check_decisions(form, refs, &mut errors);
    let milestones = check_milestones(form, &mut errors);
    let funding = check_funding(form, &mut errors);
    let resources = check_resources(form, &mut errors);

    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(part), Some(starts_on), Some(ends_on)) = (place.part, starts_on, ends_on) else {
        return Err(vec![problem(
            "form",
            "activity-invalid",
            "the activity is incomplete",
        )]);
    };
    Ok(CheckedActivity {
        values: ActivityValues {
            plan_id,
            slug: texts.slug,
            title: texts.title,
            description: texts.description,
            goal: texts.goal,
            part: part.as_str().to_owned(),
            challenge_id: place.challenge_id,
            district_id: place.district_id,
            one_sided_reason,
            starts_on,
            ends_on,
            status,
            progress,
            audiences: resources.audiences,
            channels: resources.channels,
            timing: resources.timing,
            hours_city: resources.hours_city,
            hours_sector: resources.hours_sector,
            premises: resources.premises,
        },
        links: ActivityLinks {
            parties,
            milestones,
            funding,
            principles,
            decisions,
        },
    })
}

/// The form of a stored (or checked) activity, in the canonical text that
/// `check` reads back to the same values. Histories compare these texts.
pub fn form_of(values: &ActivityValues, links: &ActivityLinks, refs: &PlanRefs) -> ActivityForm {
    let slug_of = |map: &HashMap<String, i64>, id: i64| {
        map.iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| k.clone())
            .unwrap_or_default()
    };
    let party_slugs = |role: PartyRole, org: bool| {
        links
            .parties
            .iter()
            .filter(|(r, o, _)| r == role.as_str() && o.is_some() == org)
            .filter_map(|(_, o, b)| {
                let id = o.or(*b)?;
                let map = if org {
                    &refs.organisations
                } else {
                    &refs.city_bodies
                };
                map.iter()
                    .find(|(_, (i, _))| *i == id)
                    .map(|(k, _)| k.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let iso = |d: Date| d.to_string();
    ActivityForm {
        slug: values.slug.clone(),
        title: values.title.clone(),
        description: values.description.clone(),
        goal: values.goal.clone(),
        part: values.part.clone(),
        challenge: values
            .challenge_id
            .map(|id| slug_of(&refs.challenges, id))
            .unwrap_or_default(),
        district: values
            .district_id
            .map(|id| slug_of(&refs.districts, id))
            .unwrap_or_default(),
        status: values.status.clone(),
        progress: values.progress.to_string(),
        starts_on: iso(values.starts_on),
        ends_on: iso(values.ends_on),
        responsible_city_bodies: party_slugs(PartyRole::Responsible, false),
        responsible_organisations: party_slugs(PartyRole::Responsible, true),
        partner_city_bodies: party_slugs(PartyRole::Partner, false),
        partner_organisations: party_slugs(PartyRole::Partner, true),
        one_sided_reason: values.one_sided_reason.clone().unwrap_or_default(),
        principles: links
            .principles
            .iter()
            .map(|id| slug_of(&refs.principles, *id))
            .collect::<Vec<_>>()
            .join(", "),
        decisions: links
            .decisions
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        milestones: links
            .milestones
            .iter()
            .map(|m| match m.reached_on {
                Some(r) => format!("{} | {} | {}", iso(m.due_on), m.title, iso(r)),
                None => format!("{} | {}", iso(m.due_on), m.title),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        audiences: values.audiences.clone(),
        channels: values.channels.clone(),
        timing: values.timing.clone(),
        funding: links
            .funding
            .iter()
            .map(|(source, year, amount)| format!("{year} | {amount} | {source}"))
            .collect::<Vec<_>>()
            .join("\n"),
        hours_city: values.hours_city.to_string(),
        hours_sector: values.hours_sector.to_string(),
        premises: values.premises.clone(),
    }
}

pub(crate) fn values_of(row: &ActivityRow) -> ActivityValues {
    ActivityValues {
        plan_id: row.plan_id,
        slug: row.slug.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        goal: row.goal.clone(),
        part: row.part.clone(),
        challenge_id: row.challenge_id,
        district_id: row.district_id,
        one_sided_reason: row.one_sided_reason.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        status: row.status.clone(),
        progress: row.progress,
        audiences: row.audiences.clone(),
        channels: row.channels.clone(),
        timing: row.timing.clone(),
        hours_city: row.hours_city,
        hours_sector: row.hours_sector,
        premises: row.premises.clone(),
    }
}

/// The fields whose canonical text differs, as (field, before, after).
pub fn changed_fields(
    before: &ActivityForm,
    after: &ActivityForm,
) -> Vec<(&'static str, String, String)> {
    before
        .fields()
        .into_iter()
        .zip(after.fields())
        .filter(|((_, b), (_, a))| b != a)
        .map(|((name, b), (_, a))| (field_name(name), b.to_owned(), a.to_owned()))
        .collect()
}

/// Who wrote a change, for the history.
#[derive(Debug, Clone)]
pub struct Author {
    pub user_id: Option<i64>,
    pub name: String,
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Changed(Vec<&'static str>),
    Unchanged,
}

/// Writes a checked activity: new when `existing` is `None`, else an edit of
/// the activity at `version` (refused as stale when it moved on). Records
/// every changed field. Used by the form, the import and the demo loader.
pub(crate) async fn write(
    tx: &mut Tx,
    refs: &mut PlanRefs,
    checked: &CheckedActivity,
    existing: Option<(i64, Option<i64>)>,
    author: &Author,
    now: OffsetDateTime,
) -> Result<(i64, Outcome)> {
    let after = form_of(&checked.values, &checked.links, refs);
    let Some((id, version)) = existing else {
        let id = tx.insert_activity(&checked.values, now).await?;
        tx.write_activity_links(id, &checked.links).await?;
        tx.record_change(&NewChange {
            activity_id: id,
            version: 1,
            changed_at: now,
            author_id: author.user_id,
            author_name: &author.name,
            field: "created",
            before: "",
            after: &after.title,
        })
        .await?;
        return Ok((id, Outcome::Created));
    };
    let (row, links) = tx.activity(id).await?.ok_or(Error::NotFound("activity"))?;
    let version = version.unwrap_or(row.version);
    if row.version != version {
        return Err(Error::stale(
            "stale-activity",
            format!(
                "the activity was changed by someone else (now version {}, the edit started from {version})",
                row.version
            ),
        ));
    }
    (tx.name_plan_organisations(refs, &[], &organisation_ids(&links))).await?;
    let before = form_of(&values_of(&row), &links, refs);
    let changes = changed_fields(&before, &after);
    if changes.is_empty() {
        return Ok((id, Outcome::Unchanged));
    }
    if !tx
        .update_activity(id, version, &checked.values, now)
        .await?
    {
        return Err(Error::stale(
            "stale-activity",
            "the activity was changed by someone else meanwhile",
        ));
    }
    tx.write_activity_links(id, &checked.links).await?;
    for (field, b, a) in &changes {
        tx.record_change(&NewChange {
            activity_id: id,
            version: version + 1,
            changed_at: now,
            author_id: author.user_id,
            author_name: &author.name,
            field,
            before: b,
            after: a,
        })
        .await?;
    }
    Ok((id, Outcome::Changed(changes.iter().map(|c| c.0).collect())))
}

/// Names one activity: its agreement, plan and slug.
#[derive(Debug, Clone, Copy)]
pub struct ActivityRef<'a> {
    pub agreement: &'a str,
    pub plan: &'a str,
    pub slug: &'a str,
}

impl<'a> ActivityRef<'a> {
    /// The agreement in a snapshot, and the activity among its activities
    /// (see [`App::with_activities`]).
    pub fn find<'s>(
        &self,
        snapshot: &'s crate::PublicSnapshot,
        activities: &'s AgreementActivities,
    ) -> Result<(&'s AgreementRecord, &'s crate::plans::views::Activity)> {
        let record = snapshot.agreement(self.agreement)?;
        Ok((record, activities.activity(self.plan, self.slug)?))
    }

    /// The same, for someone who answers for the activity (else Forbidden).
    pub fn find_for_team<'s>(
        &self,
        snapshot: &'s crate::PublicSnapshot,
        activities: &'s AgreementActivities,
        roles: &Roles,
    ) -> Result<(&'s AgreementRecord, &'s crate::plans::views::Activity)> {
        let (record, activity) = self.find(snapshot, activities)?;
        if roles.answers_for(record, activity) {
            Ok((record, activity))
        } else {
            Err(Error::Forbidden("not responsible for this activity"))
        }
    }
}

/// An activity's stored form, for the edit page.
#[derive(Debug, Clone)]
pub struct EditableActivity {
    pub form: ActivityForm,
    pub version: i64,
}

/// What someone may do with an activity, written once.
impl Roles {
    /// Acts for the party: a member of the organisation, or an official of
    /// the city body (in the agreement's municipality).
    pub fn acts_for(&self, municipality: &str, party: &crate::plans::views::PartyRef) -> bool {
        if party.is_organisation() {
            self.is_member_of(&party.slug)
        } else {
            self.is_official_of(&format!("{municipality}/{}", party.slug))
        }
    }

    /// May edit the activity and publish its updates: a coordinator of the
    /// agreement, or someone acting for a responsible party.
    pub fn answers_for(
        &self,
        agreement: &AgreementRecord,
        activity: &crate::plans::views::Activity,
    ) -> bool {
        self.coordinates(agreement.slug())
            || activity
                .responsible
                .iter()
                .any(|p| self.acts_for(&agreement.summary.municipality.slug, p))
    }

    /// May propose updates: someone acting for a partner.
    pub fn is_partner_in(
        &self,
        agreement: &AgreementRecord,
        activity: &crate::plans::views::Activity,
    ) -> bool {
        activity
            .partners
            .iter()
            .any(|p| self.acts_for(&agreement.summary.municipality.slug, p))
    }
}

impl App {
    /// What an activity of the agreement may refer to, without its
    /// organisations (see [`App::refs_naming`]).
    pub(crate) async fn refs_of(&self, agreement: &str) -> Result<PlanRefs> {
        self.refs_naming(agreement, (&[], &[])).await
    }

    /// What an activity of the agreement may refer to, with the
    /// organisations of these slugs and ids (never the whole register).
    pub(crate) async fn refs_naming(
        &self,
        agreement: &str,
        named: (&[String], &[i64]),
    ) -> Result<PlanRefs> {
        let id = self
            .db()
            .agreement_id(agreement)
            .await?
            .ok_or(Error::NotFound("agreement"))?;
        Ok(self.db().plan_refs(id, named).await?)
    }

    /// The form to create an activity in a plan, with sensible defaults.
    pub async fn new_activity_form(
        &self,
        roles: &Roles,
        agreement: &str,
        plan: &str,
    ) -> Result<ActivityForm> {
        let snapshot = self.public().await?;
        let record = snapshot.agreement(agreement)?;
        let p = record.plan(plan).ok_or(Error::NotFound("plan"))?;
        if !roles.coordinates(agreement) {
            return Err(Error::Forbidden("only coordinators add activities"));
        }
        Ok(ActivityForm {
            part: PlanPart::Challenges.as_str().into(),
            status: ActivityStatus::Planned.as_str().into(),
            progress: "0".into(),
            starts_on: p.starts_on.to_string(),
            ends_on: p.extended_to.unwrap_or(p.ends_on).to_string(),
            ..ActivityForm::default()
        })
    }

    /// Adds an activity to a plan (coordinators); its slug.
    pub async fn create_activity(
        &self,
        user: &crate::accounts::CurrentUser,
        roles: &Roles,
        agreement: &str,
        plan: &str,
        form: &ActivityForm,
    ) -> Result<String> {
        if !roles.coordinates(agreement) {
            return Err(Error::Forbidden("only coordinators add activities"));
        }
        let mut refs = (self.refs_naming(agreement, (&organisation_slugs(form), &[]))).await?;
        let plan_id = *refs.plans.get(plan).ok_or(Error::NotFound("plan"))?;
        let checked = check(form, &refs, plan_id).map_err(Error::Validation)?;
        let mut tx = self.db().begin().await?;
        if tx
            .activity_id(plan_id, &checked.values.slug)
            .await?
            .is_some()
        {
            return Err(Error::Validation(vec![problem(
                "slug",
                "activity-slug-taken",
                format!(
                    "the plan already has an activity '{}'; choose another short name",
                    checked.values.slug
                ),
            )]));
        }
        let author = Author {
            user_id: Some(user.id),
            name: user.display_name.clone(),
        };
        write(
            &mut tx,
            &mut refs,
            &checked,
            None,
            &author,
            OffsetDateTime::now_utc(),
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(checked.values.slug)
    }

    /// The stored form of an activity, for someone who answers for it.
    pub async fn editable_activity(
        &self,
        roles: &Roles,
        at: ActivityRef<'_>,
    ) -> Result<EditableActivity> {
        let (snapshot, activities) = self.with_activities(at.agreement).await?;
        let (_, activity) = at.find_for_team(&snapshot, &activities, roles)?;
        let mut tx = self.db().begin().await?;
        let (row, links) = tx
            .activity(activity.id)
            .await?
            .ok_or(Error::NotFound("activity"))?;
        tx.commit().await?;
        let refs = (self.refs_naming(at.agreement, (&[], &organisation_ids(&links)))).await?;
        Ok(EditableActivity {
            form: form_of(&values_of(&row), &links, &refs),
            version: row.version,
        })
    }

    /// Saves an edit made from `version`. The slug and plan stay as they
    /// are (links to the activity keep working). A stale version is refused
    /// with [`Error::Stale`] and nothing is written.
    pub async fn update_activity(
        &self,
        user: &crate::accounts::CurrentUser,
        roles: &Roles,
        at: ActivityRef<'_>,
        version: i64,
        form: &ActivityForm,
    ) -> Result<Outcome> {
        let (agreement, plan, slug) = (at.agreement, at.plan, at.slug);
        let (snapshot, activities) = self.with_activities(at.agreement).await?;
        let (_, activity) = at.find_for_team(&snapshot, &activities, roles)?;
        let mut refs = (self.refs_naming(agreement, (&organisation_slugs(form), &[]))).await?;
        let plan_id = *refs.plans.get(plan).ok_or(Error::NotFound("plan"))?;
        let mut form = form.clone();
        form.slug = slug.to_owned();
        let checked = check(&form, &refs, plan_id).map_err(Error::Validation)?;
        let mut tx = self.db().begin().await?;
        let author = Author {
            user_id: Some(user.id),
            name: user.display_name.clone(),
        };
        let (_, outcome) = write(
            &mut tx,
            &mut refs,
            &checked,
            Some((activity.id, Some(version))),
            &author,
            OffsetDateTime::now_utc(),
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(outcome)
    }
}

impl ActivityForm {
    /// The form of a public activity, in the canonical text (the CSV export
    /// writes these, so an export imports back unchanged).
    pub fn from_view(a: &crate::plans::views::Activity) -> ActivityForm {
        let slugs = |list: &[crate::plans::views::PartyRef], org: bool| {
            list.iter()
                .filter(|p| p.is_organisation() == org)
                .map(|p| p.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        ActivityForm {
            slug: a.slug.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            goal: a.goal.clone(),
            part: a.part.as_str().to_owned(),
            challenge: a.challenge.clone().unwrap_or_default(),
            district: a.district.clone().unwrap_or_default(),
            status: a.status.as_str().to_owned(),
            progress: a.progress.to_string(),
            starts_on: a.starts_on.to_string(),
            ends_on: a.ends_on.to_string(),
            responsible_city_bodies: slugs(&a.responsible, false),
            responsible_organisations: slugs(&a.responsible, true),
            partner_city_bodies: slugs(&a.partners, false),
            partner_organisations: slugs(&a.partners, true),
            one_sided_reason: a.one_sided_reason.clone().unwrap_or_default(),
            principles: a.principles.join(", "),
            decisions: a
                .decisions
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            milestones: a
                .milestones
                .iter()
                .map(|m| match m.reached_on {
                    Some(r) => format!("{} | {} | {}", m.due_on, m.title, r),
                    None => format!("{} | {}", m.due_on, m.title),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            audiences: a.communication.audiences.clone(),
            channels: a.communication.channels.clone(),
            timing: a.communication.timing.clone(),
            funding: a
                .resources
                .funding
                .iter()
                .map(|f| format!("{} | {} | {}", f.year, f.amount_sek, f.source))
                .collect::<Vec<_>>()
                .join("\n"),
            hours_city: a.resources.hours_city.to_string(),
            hours_sector: a.resources.hours_sector.to_string(),
            premises: a.resources.premises.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> PlanRefs {
        let mut r = PlanRefs::default();
        r.plans.insert("p".into(), 1);
        r.challenges.insert("unga".into(), 10);
        r.principles.insert("dialog".into(), 20);
        r.principles.insert("insyn".into(), 21);
        r.decisions.insert(30, "Beslut".into());
        r.districts.insert("rosengard".into(), 40);
        r.city_bodies
            .insert("kulturnamnden".into(), (50, "Kulturnämnden".into()));
        r.organisations
            .insert("stjarnan".into(), (60, "Stjärnan".into()));
        r.organisations
            .insert("natverket".into(), (61, "Nätverket".into()));
        r
    }

    fn form() -> ActivityForm {
        ActivityForm {
            title: "Läxhjälp i Rosengård".into(),
            description: "Unga hjälper yngre.".into(),
            goal: "50 elever".into(),
            part: "challenges".into(),
            challenge: "unga".into(),
            district: "rosengard".into(),
            status: "ongoing".into(),
            progress: "40 %".into(),
            starts_on: "2021-01-01".into(),
            ends_on: "2022-12-31".into(),
            responsible_city_bodies: "kulturnamnden".into(),
            responsible_organisations: "stjarnan".into(),
            partner_organisations: "natverket".into(),
            principles: "insyn, dialog".into(),
            decisions: "30".into(),
            milestones: "2021-06-01 | Start | 2021-06-03\n2022-06-01 | Halvtid".into(),
            funding: "2021 | 150 000 | Kulturnämnden".into(),
            hours_city: "100".into(),
            hours_sector: "200 h".into(),
            ..ActivityForm::default()
        }
    }

    #[test]
    fn a_full_form_passes_and_reads_back_the_same() {
        let r = refs();
        let checked = check(&form(), &r, 1).unwrap();
        assert_eq!(checked.values.slug, "laxhjalp-i-rosengard");
        assert_eq!(checked.values.progress, 40);
        assert_eq!(checked.links.parties.len(), 3);
        assert_eq!(
            checked.links.funding,
            vec![("Kulturnämnden".into(), 2021, 150000)]
        );
        let canonical = form_of(&checked.values, &checked.links, &r);
        assert_eq!(canonical.principles, "dialog, insyn");
        let again = check(&canonical, &r, 1).unwrap();
        assert_eq!(again, checked);
        assert!(changed_fields(&canonical, &form_of(&again.values, &again.links, &r)).is_empty());
    }

    #[test]
    fn every_problem_is_named_with_its_field() {
        let mut f = form();
        f.responsible_organisations.clear();
        f.challenge = "okand".into();
        f.ends_on = "2020-01-01".into();
        f.milestones = "inte ett datum | X".into();
        f.funding = "2021 | massor | X".into();
        let errors = check(&f, &refs(), 1).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        for expected in [
            "challenge",
            "ends_on",
            "one_sided_reason",
            "milestones",
            "funding",
        ] {
            assert!(
                fields.contains(&expected),
                "{expected} missing in {fields:?}"
            );
        }
        assert!(errors.iter().any(|e| e.message.contains("line 1")));
    }

    #[test]
    fn one_sided_needs_a_reason_and_a_party_is_named_once() {
        let mut f = form();
        f.responsible_city_bodies.clear();
        f.one_sided_reason = "Sektorns egen satsning".into();
        assert!(check(&f, &refs(), 1).is_ok());
        let mut g = form();
        g.partner_organisations = "stjarnan".into();
        let errors = check(&g, &refs(), 1).unwrap_err();
        assert_eq!(errors[0].code, "activity-party-twice");
    }
}

/// What an activity's form offers to pick from, as (slug, name) pairs in
/// the agreement's order; decisions as (id, title, date).
#[derive(Debug, Default, Clone)]
pub struct ActivityChoices {
    pub challenges: Vec<(String, String)>,
    pub districts: Vec<(String, String)>,
    pub bodies: Vec<(String, String)>,
    /// The municipality's organisations by name; empty when there are more
    /// than [`crate::register::page::ORGANISATION_CHOICES`], and the form
    /// asks for their short names instead.
    pub organisations: Vec<(String, String)>,
    pub organisations_by_slug: bool,
    pub principles: Vec<(String, String)>,
    pub decisions: Vec<(i64, String, String)>,
}

impl ActivityChoices {
    /// The choices for an activity of `a`, whose municipality's districts
    /// and bodies `snapshot` holds.
    /// `organisations` are the municipality's, at most one more than
    /// [`crate::register::page::ORGANISATION_CHOICES`] (see
    /// [`App::organisation_choices`]).
    pub fn of(
        snapshot: &crate::snapshot::PublicSnapshot,
        a: &AgreementRecord,
        organisations: Vec<(String, String)>,
    ) -> ActivityChoices {
        let organisations_by_slug =
            organisations.len() as i64 > crate::register::page::ORGANISATION_CHOICES;
        let municipality = &a.summary.municipality.slug;
        let pair = |slug: &String, name: &String| (slug.clone(), name.clone());
        ActivityChoices {
            challenges: a
                .challenges
                .iter()
                .map(|c| pair(&c.slug, &c.name))
                .collect(),
            districts: (snapshot.districts.iter())
                .filter(|d| &d.municipality == municipality)
                .map(|d| pair(&d.slug, &d.name))
                .collect(),
            bodies: (snapshot.city_bodies.iter())
                .filter(|b| &b.municipality == municipality)
                .map(|b| pair(&b.slug, &b.name))
                .collect(),
            organisations: if organisations_by_slug {
                Vec::new()
            } else {
                organisations
            },
            organisations_by_slug,
            principles: a
                .principles
                .iter()
                .map(|x| pair(&x.slug, &x.name))
                .collect(),
            decisions: (a.decisions.iter())
                .map(|d| (d.id, d.title.clone(), d.date_text.clone()))
                .collect(),
        }
    }
}

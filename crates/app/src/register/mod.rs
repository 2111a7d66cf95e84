//! The collaboration register: each city body's records of collaboration
//! with organisations under an agreement, keyed by organisation number. One
//! check ([`check`]) serves the form, the API and the CSV import; the views
//! ([`Record`]) are what the pages, the API and the reports show.

pub mod import;
pub mod page;

use crate::accounts::CurrentUser;
use crate::paged::Paged;
use crate::plans::activities::parse_date;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Message, Result};
use samverkan_db::register::{
    NewRemark, OrganisationRef, Page, RecordLinks, RecordRows, RecordScope, RecordValues,
    RegisterRefs, RemarkRow,
};
use samverkan_domain::{CollaborationForm, OrgNumber, RemarkKind, Sek, plan::parse_year};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// A record as typed: every value is text, as in the form and the CSV.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RecordForm {
    /// The city body's slug.
    pub body: String,
    /// One of the collaboration forms (`dialogue`, `iop`, `operating-grant` …).
    pub form: String,
    pub title: String,
    pub description: String,
    pub outcome: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    /// Organisation numbers (`NNNNNN-NNNN`), one per line or separated by `;`.
    pub organisations: String,
    /// Money per year, one `YYYY: amount` per line or separated by `;`.
    pub money: String,
    /// The total in SEK, if given: must equal the sum of the years.
    pub total: String,
    /// A district's slug, or empty for the whole municipality.
    pub district: String,
    /// A challenge's slug, or empty.
    pub challenge: String,
    /// `plan/activity`, or empty.
    pub activity: String,
    /// Principle slugs, separated by `;` or given as repeated fields.
    pub principles: String,
    /// The version the edit was made on (empty for a new record).
    pub version: String,
}

/// The CSV columns of a record, in order: the form's fields (the version
/// apart, and the record's id first for updates).
pub const RECORD_FIELDS: &[&str] = &[
    "body",
    "form",
    "title",
    "description",
    "outcome",
    "starts_on",
    "ends_on",
    "organisations",
    "money",
    "total",
    "district",
    "challenge",
    "activity",
    "principles",
];

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

fn with_detail(mut e: FieldError, detail: impl Into<String>) -> FieldError {
    e.detail = Some(detail.into());
    e
}

/// Splits a list field on new lines and `;`.
pub fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// What record forms name beyond the register's structure, to be read by
/// name: the organisations (each text as a short name, and as an
/// organisation number when it reads as one) and the `plan/activity` keys.
#[derive(Debug, Default)]
struct FormNames {
    slugs: Vec<String>,
    numbers: Vec<String>,
    activities: Vec<(String, String)>,
}

impl FormNames {
    fn of(forms: &[&RecordForm]) -> FormNames {
        let mut names = FormNames::default();
        for form in forms {
            for text in list(&form.organisations) {
                names.slugs.push(text.to_owned());
                if let Ok(number) = OrgNumber::parse(text) {
                    names.numbers.push(number.as_str().to_owned());
                }
            }
            if let Some((plan, slug)) = form.activity.trim().split_once('/') {
                names.activities.push((plan.to_owned(), slug.to_owned()));
            }
        }
        for list in [&mut names.slugs, &mut names.numbers] {
            list.sort_unstable();
            list.dedup();
        }
        names.activities.sort_unstable();
        names.activities.dedup();
        names
    }
}

/// The organisation a record names: by its organisation number, or by its
/// short name (slug) when it has no number (a network, or an organisation
/// whose number was removed), so that every organisation a stored record
/// names can be written in its form and its CSV and read back.
fn organisation_named(text: &str, refs: &RegisterRefs) -> std::result::Result<i64, FieldError> {
    if let Some(o) = refs
        .organisations
        .iter()
        .find(|o| o.3.is_none() && o.1 == text)
    {
        return Ok(o.0);
    }
    let number = OrgNumber::parse(text)
        .map_err(|e| with_detail(problem("organisations", "record-org-number", e.0), text))?;
    refs.organisations
        .iter()
        .find(|o| o.3.as_deref() == Some(number.as_str()))
        .map(|o| o.0)
        .ok_or_else(|| {
            with_detail(
                problem(
                    "organisations",
                    "record-org-unknown",
                    format!(
                        "no organisation with number {} is in the register; register it first, or check the number",
                        number.as_str()
                    ),
                ),
                number.as_str(),
            )
        })
}

/// Checks the city body and the form of collaboration: (body id, form).
fn check_body_and_form(
    form: &RecordForm,
    refs: &RegisterRefs,
    errors: &mut Vec<FieldError>,
) -> (Option<i64>, Option<CollaborationForm>) {
    let body = refs.bodies.iter().find(|b| b.1 == form.body.trim());
    if body.is_none() {
        errors.push(with_detail(
            problem(
                "body",
                "record-body",
                format!(
                    "'{}' is not a city body of this municipality",
                    form.body.trim()
                ),
            ),
            form.body.trim(),
        ));
    }
    let kind = CollaborationForm::parse(form.form.trim());
    if let Err(e) = &kind {
        errors.push(problem("form", "record-form", e.0.clone()));
    }
    (body.map(|b| b.0), kind.ok())
}

/// A record's texts as written (line ends made `\n`).
struct RecordTexts {
    title: String,
    description: String,
    outcome: String,
}

/// Checks the title, the description and the outcome.
fn check_texts(form: &RecordForm, errors: &mut Vec<FieldError>) -> RecordTexts {
    let title = form.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(problem(
            "title",
            "record-title",
            "give the collaboration a title of at most 200 characters",
        ));
    }
    let description = form.description.trim().replace("\r\n", "\n");
    if description.is_empty() || description.chars().count() > 4000 {
        errors.push(problem(
            "description",
            "record-description",
            "say briefly what the collaboration is, in at most 4,000 characters",
        ));
    }
    let outcome = form.outcome.trim().replace("\r\n", "\n");
    if outcome.chars().count() > 4000 {
        errors.push(problem(
            "outcome",
            "record-outcome",
            "keep the outcome to at most 4,000 characters",
        ));
    }
    RecordTexts {
        title,
        description,
        outcome,
    }
}

/// Checks the period: both dates, and the end not before the start.
fn check_period(form: &RecordForm, errors: &mut Vec<FieldError>) -> (Option<Date>, Option<Date>) {
    let starts_on = parse_date(&form.starts_on);
    let ends_on = parse_date(&form.ends_on);
    for (field, value, date) in [
        ("starts_on", &form.starts_on, starts_on),
        ("ends_on", &form.ends_on, ends_on),
    ] {
        if date.is_none() {
            errors.push(with_detail(
                problem(
                    field,
                    "record-date",
                    format!("'{}' is not a date; write it as 2024-03-31", value.trim()),
                ),
                value.trim(),
            ));
        }
    }
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push(problem(
            "ends_on",
            "record-period",
            "the collaboration ends before it starts; check the two dates",
        ));
    }
    (starts_on, ends_on)
}

/// Checks the organisations (at least one, each in the register): their
/// ids, once each.
fn check_organisations(
    form: &RecordForm,
    refs: &RegisterRefs,
    errors: &mut Vec<FieldError>,
) -> Vec<i64> {
    let mut organisations = Vec::new();
    for text in list(&form.organisations) {
        match organisation_named(text, refs) {
            Ok(id) if !organisations.contains(&id) => organisations.push(id),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    if organisations.is_empty() && !errors.iter().any(|e| e.field == "organisations") {
        errors.push(problem(
            "organisations",
            "record-organisations",
            "name at least one organisation by its organisation number",
        ));
    }
    organisations
}

/// Checks the money per year (each year once, within the period):
/// (year, kronor), sorted by year.
fn check_money(
    form: &RecordForm,
    (starts_on, ends_on): (Option<Date>, Option<Date>),
    errors: &mut Vec<FieldError>,
) -> Vec<(i32, i64)> {
    let mut money: Vec<(i32, i64)> = Vec::new();
    for line in list(&form.money) {
        let parsed = line
            .split_once([':', ' '])
            .map(|(y, a)| (parse_year(y), Sek::parse(a.trim())));
        match parsed {
            Some((Ok(year), Ok(amount))) => {
                if money.iter().any(|(y, _)| *y == year) {
                    errors.push(with_detail(
                        problem(
                            "money",
                            "record-money-twice",
                            format!("{year} is given twice; give each year once"),
                        ),
                        year.to_string(),
                    ));
                } else if let (Some(s), Some(e)) = (starts_on, ends_on)
                    && (year < s.year() || year > e.year())
                {
                    errors.push(with_detail(
                        problem(
                            "money",
                            "record-money-year",
                            format!(
                                "{year} lies outside the period {}–{}; give money only for the years of the collaboration",
                                s.year(),
                                e.year()
                            ),
                        ),
                        year.to_string(),
                    ));
                } else {
                    money.push((year, amount.kronor()));
                }
            }
            _ => errors.push(with_detail(
                problem(
                    "money",
                    "record-money-line",
                    format!("'{line}' is not a year and an amount; write it as 2022: 150000"),
                ),
                line,
            )),
        }
    }
    money.sort();
    money
}

/// Checks the total, if given: a sum in kronor equal to the years' money.
fn check_total(form: &RecordForm, money: &[(i32, i64)], errors: &mut Vec<FieldError>) {
    let sum: i64 = money.iter().map(|(_, a)| a).sum();
    match form.total.trim() {
        "" => {}
        t => match Sek::parse(t) {
            Err(e) => errors.push(problem("total", "record-total", e.0)),
            Ok(total) if total.kronor() != sum => errors.push(with_detail(
                problem(
                    "total",
                    "record-money-sum",
                    format!(
                        "the years add up to {sum} kr but the total says {} kr; correct a year or the total",
                        total.kronor()
                    ),
                ),
                format!("{sum}|{}", total.kronor()),
            )),
            Ok(_) => {}
        },
    }
}

/// Checks one slug against the agreement's (id, slug, name) rows: its id,
/// or `None` when empty or unknown (the latter a problem).
fn named(
    field: &'static str,
    code: &'static str,
    rows: &[(i64, String, String)],
    text: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let found = rows.iter().find(|r| r.1 == text).map(|r| r.0);
    if found.is_none() {
        errors.push(with_detail(
            problem(field, code, format!("'{text}' is not known here")),
            text,
        ));
    }
    found
}

/// Checks the principles (known to the agreement): their ids, once each.
fn check_principles(
    form: &RecordForm,
    refs: &RegisterRefs,
    errors: &mut Vec<FieldError>,
) -> Vec<i64> {
    let mut principles = Vec::new();
    for slug in list(&form.principles) {
        if let Some(id) = named(
            "principles",
            "record-principle",
            &refs.principles,
            slug,
            errors,
        ) && !principles.contains(&id)
        {
            principles.push(id);
        }
    }
    principles
}

/// Checks the activity (`plan/activity`, running during the period), if
/// given: its id.
fn check_activity(
    form: &RecordForm,
    refs: &RegisterRefs,
    (starts_on, ends_on): (Option<Date>, Option<Date>),
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    match form.activity.trim() {
        "" => None,
        text => {
            let found = text.split_once('/').and_then(|(plan, slug)| {
                refs.activities
                    .iter()
                    .find(|a| a.plan_slug == plan && a.slug == slug)
            });
            match (found, starts_on, ends_on) {
                (None, ..) => {
                    errors.push(with_detail(
                        problem(
                            "activity",
                            "record-activity",
                            format!("'{text}' is not an activity; write it as plan/activity"),
                        ),
                        text,
                    ));
                    None
                }
                (Some(a), Some(s), Some(e)) if a.ends_on < s || a.starts_on > e => {
                    errors.push(with_detail(
                        problem(
                            "activity",
                            "record-activity-period",
                            "the activity does not run during the collaboration's period",
                        ),
                        a.title.clone(),
                    ));
                    None
                }
                (Some(a), ..) => Some(a.id),
            }
        }
    }
}

/// Checks a record against the agreement's register: every name must be
/// known, the money must lie within the period and add up to the total.
pub fn check(
    form: &RecordForm,
    refs: &RegisterRefs,
) -> std::result::Result<(RecordValues, RecordLinks), Vec<FieldError>> {
    let mut errors = Vec::new();
    let (body, kind) = check_body_and_form(form, refs, &mut errors);
    let texts = check_texts(form, &mut errors);
    let period = check_period(form, &mut errors);
    let organisations = check_organisations(form, refs, &mut errors);
    let money = check_money(form, period, &mut errors);
    check_total(form, &money, &mut errors);
    let district_id = named(
        "district",
        "record-district",
        &refs.districts,
        &form.district,
        &mut errors,
    );
    let challenge_id = named(
        "challenge",
        "record-challenge",
        &refs.challenges,
        &form.challenge,
        &mut errors,
    );
    let principles = check_principles(form, refs, &mut errors);
    let activity_id = check_activity(form, refs, period, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(city_body_id), Some(kind), (Some(starts_on), Some(ends_on))) = (body, kind, period)
    else {
        return Err(errors);
    };
    Ok((
        RecordValues {
            agreement_id: refs.agreement_id,
            city_body_id,
            form: kind.as_str().to_owned(),
            title: texts.title,
            description: texts.description,
            outcome: texts.outcome,
            starts_on,
            ends_on,
            district_id,
            challenge_id,
            activity_id,
        },
        RecordLinks {
            organisations,
            money,
            principles,
        },
    ))
}

/// A named link: a city body, district, challenge or principle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

/// An organisation a record names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct RecordOrganisation {
    pub slug: String,
    pub name: String,
    pub org_number: Option<String>,
}

/// The plan activity a record serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct RecordActivity {
    pub plan: String,
    pub slug: String,
    pub title: String,
}

/// Money of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct YearAmount {
    pub year: i32,
    pub amount_sek: i64,
}

/// A record of collaboration, as the public sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Record {
    pub id: i64,
    pub body: Named,
    pub form: CollaborationForm,
    pub title: String,
    pub description: String,
    pub outcome: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub organisations: Vec<RecordOrganisation>,
    pub money: Vec<YearAmount>,
    pub total_sek: i64,
    pub district: Option<Named>,
    pub challenge: Option<Named>,
    pub activity: Option<RecordActivity>,
    pub principles: Vec<Named>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Record {
    /// The money of one year (0 when none).
    pub fn amount_in(&self, year: i32) -> i64 {
        self.money
            .iter()
            .filter(|m| m.year == year)
            .map(|m| m.amount_sek)
            .sum()
    }

    /// Whether the record's period touches the year.
    pub fn touches(&self, year: i32) -> bool {
        self.starts_on.year() <= year && self.ends_on.year() >= year
    }

    /// The record as its form (canonical text), for editing and CSV.
    pub fn to_form(&self) -> RecordForm {
        let join = |items: Vec<String>| items.join("; ");
        RecordForm {
            body: self.body.slug.clone(),
            form: self.form.as_str().to_owned(),
            title: self.title.clone(),
            description: self.description.clone(),
            outcome: self.outcome.clone(),
            starts_on: self.starts_on.to_string(),
            ends_on: self.ends_on.to_string(),
            organisations: join(
                self.organisations
                    .iter()
                    .map(|o| o.org_number.clone().unwrap_or_else(|| o.slug.clone()))
                    .collect(),
            ),
            money: join(
                self.money
                    .iter()
                    .map(|m| format!("{}: {}", m.year, m.amount_sek))
                    .collect(),
            ),
            total: String::new(),
            district: self
                .district
                .as_ref()
                .map(|d| d.slug.clone())
                .unwrap_or_default(),
            challenge: self
                .challenge
                .as_ref()
                .map(|c| c.slug.clone())
                .unwrap_or_default(),
            activity: self
                .activity
                .as_ref()
                .map(|a| format!("{}/{}", a.plan, a.slug))
                .unwrap_or_default(),
            principles: join(self.principles.iter().map(|p| p.slug.clone()).collect()),
            version: self.version.to_string(),
        }
    }
}

fn named_of(rows: &[(i64, String, String)], id: i64) -> Option<Named> {
    rows.iter().find(|r| r.0 == id).map(|r| Named {
        slug: r.1.clone(),
        name: r.2.clone(),
    })
}

/// Turns stored rows into views, in the rows' order.
pub fn records_of(rows: RecordRows, refs: &RegisterRefs) -> Vec<Record> {
    let mut orgs: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in &rows.organisations {
        orgs.entry(l.collaboration_id).or_default().push(l.other_id);
    }
    let mut money: HashMap<i64, Vec<YearAmount>> = HashMap::new();
    for m in &rows.money {
        money
            .entry(m.collaboration_id)
            .or_default()
            .push(YearAmount {
                year: m.year,
                amount_sek: m.amount_sek,
            });
    }
    let mut principles: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in &rows.principles {
        principles
            .entry(l.collaboration_id)
            .or_default()
            .push(l.other_id);
    }
    let org_by_id: HashMap<i64, &(i64, String, String, Option<String>)> =
        refs.organisations.iter().map(|o| (o.0, o)).collect();
    rows.records
        .into_iter()
        .map(|r| {
            let money = money.remove(&r.id).unwrap_or_default();
            let body = refs
                .bodies
                .iter()
                .find(|b| b.0 == r.city_body_id)
                .map(|b| Named {
                    slug: b.1.clone(),
                    name: b.2.clone(),
                })
                .unwrap_or(Named {
                    slug: String::new(),
                    name: String::new(),
                });
            Record {
                id: r.id,
                body,
                form: CollaborationForm::parse(&r.form).unwrap_or(CollaborationForm::Dialogue),
                title: r.title,
                description: r.description,
                outcome: r.outcome,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                organisations: orgs
                    .remove(&r.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|id| org_by_id.get(&id))
                    .map(|o| RecordOrganisation {
                        slug: o.1.clone(),
                        name: o.2.clone(),
                        org_number: o.3.clone(),
                    })
                    .collect(),
                total_sek: money.iter().map(|m| m.amount_sek).sum(),
                money,
                district: r.district_id.and_then(|id| named_of(&refs.districts, id)),
                challenge: r.challenge_id.and_then(|id| named_of(&refs.challenges, id)),
                activity: r.activity_id.and_then(|id| {
                    refs.activities
                        .iter()
                        .find(|a| a.id == id)
                        .map(|a| RecordActivity {
                            plan: a.plan_slug.clone(),
                            slug: a.slug.clone(),
                            title: a.title.clone(),
                        })
                }),
                principles: principles
                    .remove(&r.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|id| named_of(&refs.principles, id))
                    .collect(),
                version: r.version,
                updated_at: r.updated_at,
            }
        })
        .collect()
}

/// Which records a list shows; every field narrows it.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct RecordFilter {
    /// A city body's slug.
    pub body: String,
    /// A collaboration form.
    pub form: String,
    /// Records whose period touches this year.
    pub year: String,
    /// An organisation's slug.
    pub organisation: String,
}

/// A remark by an organisation on a record that names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Remark {
    pub id: i64,
    pub organisation: Named,
    pub kind: RemarkKind,
    pub body: String,
    /// Empty when the person's account was deleted.
    pub author: String,
    #[serde(with = "time::serde::rfc3339")]
    pub written_at: OffsetDateTime,
    pub response: Option<String>,
    pub answered_by: Option<String>,
}

/// A remark as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RemarkForm {
    /// The organisation's slug the person writes for.
    pub organisation: String,
    /// `comment` or `mistake`.
    pub kind: String,
    pub body: String,
}

/// The `index`th page (from 0) of `size` rows.
fn page_at(index: usize, size: usize) -> Page {
    Page {
        limit: size as i64,
        offset: (index * size) as i64,
    }
}

/// The register of one agreement with the names its ids stand for.
pub struct RegisterScope {
    pub agreement_id: i64,
    pub refs: RegisterRefs,
}

impl RegisterScope {
    /// The city body's key in [`Roles::bodies`] (`municipality/slug`).
    pub fn body_key(&self, municipality: &str, body: &str) -> String {
        format!("{municipality}/{body}")
    }

    pub fn body_id(&self, slug: &str) -> Option<i64> {
        self.refs.bodies.iter().find(|b| b.1 == slug).map(|b| b.0)
    }
}

impl Roles {
    /// Who may keep the records of a city body under an agreement: its
    /// officials, and the agreement's coordinators.
    pub fn keeps_records_of(&self, agreement: &str, body_key: &str) -> bool {
        self.is_official_of(body_key) || self.coordinates(agreement)
    }
}

/// What a person may do with one record.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordRights {
    pub keep: bool,
    /// May write a remark (acts for an organisation the record names).
    pub remark: bool,
}

impl App {
    /// The register of `agreement` with only its small names (bodies,
    /// districts, challenges, principles), whose size does not grow with
    /// the register. Organisations and activities are read when a page
    /// names them ([`App::naming`], [`App::records`]).
    pub async fn register_of(&self, agreement: &str) -> Result<RegisterScope> {
        let agreement_id = self
            .db()
            .agreement_id(agreement)
            .await?
            .ok_or(Error::NotFound("agreement"))?;
        let mut conn = self.db().acquire().await?;
        let refs = conn.conn().register_structure(agreement_id).await?;
        Ok(RegisterScope { agreement_id, refs })
    }

    /// `register` with the organisations and plan activities that `forms`
    /// name added, read by name (never the whole register), so that
    /// [`check`] finds them.
    pub async fn naming(
        &self,
        register: &RegisterScope,
        forms: &[&RecordForm],
    ) -> Result<RegisterScope> {
        let names = FormNames::of(forms);
        let mut refs = register.refs.clone();
        let mut conn = self.db().acquire().await?;
        let mut conn = conn.conn();
        let found = conn
            .organisations_named(&names.slugs, &names.numbers)
            .await?;
        refs.add_organisations(found);
        let found = conn
            .activities_named(register.agreement_id, &names.activities)
            .await?;
        refs.add_activities(found);
        Ok(RegisterScope {
            agreement_id: register.agreement_id,
            refs,
        })
    }

    /// Stored records as views, with the names of the organisations and
    /// activities they (and only they) name.
    pub async fn name_records(
        &self,
        register: &RegisterScope,
        rows: RecordRows,
    ) -> Result<Vec<Record>> {
        let mut refs = register.refs.clone();
        let mut conn = self.db().acquire().await?;
        conn.conn().name_records(&mut refs, &rows).await?;
        Ok(records_of(rows, &refs))
    }

    /// An organisation's id by its slug (not found when none has it).
    pub async fn organisation_id_of(&self, slug: &str) -> Result<i64> {
        (self.db().acquire().await?.conn())
            .organisation_ref(slug)
            .await?
            .map(|o| o.0)
            .ok_or(Error::NotFound("organisation"))
    }

    /// The records of an agreement that pass the filter, newest first.
    pub async fn records(
        &self,
        register: &RegisterScope,
        filter: &RecordFilter,
    ) -> Result<Vec<Record>> {
        let (scope, _) = self.scope_of(register, filter).await?;
        let rows = self.db().records(scope).await?;
        self.name_records(register, rows).await
    }

    /// Page `page` (from 1; past the last, the last) of the records that
    /// pass the filter, `per` a page: counted and paged in SQL, with the
    /// names of what those records name only.
    pub async fn records_paged(
        &self,
        register: &RegisterScope,
        filter: &RecordFilter,
        (page, per): (usize, usize),
    ) -> Result<Paged<Record>> {
        let (scope, year) = self.scope_of(register, filter).await?;
        // Read before the count, so what is kept is at least this new.
        let epoch = self.change_stamp();
        let mut tx = self.db().begin_read().await?;
        let mut conn = tx.conn();
        let figures = self.figures_of(&mut conn, (scope, year), epoch).await?;
        let total = figures.records as usize;
        let (page, pages) = crate::paged::clamp(total, page, per);
        let rows = (conn.records_page(scope, page_at(page - 1, per))).await?;
        let mut refs = register.refs.clone();
        conn.name_records(&mut refs, &rows).await?;
        tx.commit().await?;
        Ok(Paged {
            items: records_of(rows, &refs),
            total,
            page,
            pages,
        })
    }

    /// The `batch`th `size` records in `scope`, in the list's order (empty
    /// past the last): an export reads them batch by batch, so its memory
    /// is one batch whatever the register's size.
    pub async fn records_batch(
        &self,
        register: &RegisterScope,
        scope: RecordScope,
        (batch, size): (usize, usize),
    ) -> Result<Vec<Record>> {
        let mut c = self.db().acquire().await?;
        let mut conn = c.conn();
        let rows = conn.records_page(scope, page_at(batch, size)).await?;
        let mut refs = register.refs.clone();
        conn.name_records(&mut refs, &rows).await?;
        Ok(records_of(rows, &refs))
    }

    /// The stored scope a filter chooses, and its year: an unknown value is
    /// a 400 naming it, not an empty list. Bodies are known from `register`;
    /// an organisation is looked up by its slug.
    pub async fn scope_of(
        &self,
        register: &RegisterScope,
        filter: &RecordFilter,
    ) -> Result<(RecordScope, Option<i32>)> {
        let mut scope = RecordScope {
            agreement: register.agreement_id,
            ..RecordScope::default()
        };
        let unknown = |what: &'static str, value: &str| {
            Error::BadRequest(
                Message::new(
                    "filter-unknown",
                    format!(
                        "{what} '{value}' is not known; leave it empty or pick one from the list"
                    ),
                )
                .arg("name", what)
                .arg("value", value),
            )
        };
        if !filter.body.is_empty() {
            scope.city_body = Some(
                register
                    .body_id(&filter.body)
                    .ok_or_else(|| unknown("body", &filter.body))?,
            );
        }
        if !filter.organisation.is_empty() {
            let known = (self.db().acquire().await?.conn())
                .organisation_ref(&filter.organisation)
                .await?
                .map(|o| o.0);
            scope.organisation =
                Some(known.ok_or_else(|| unknown("organisation", &filter.organisation))?);
        }
        let mut year = None;
        if !filter.year.is_empty() {
            let y = parse_year(&filter.year).map_err(|e| {
                Error::BadRequest(
                    Message::new("filter-year", e.0).arg("value", filter.year.as_str()),
                )
            })?;
            scope.from = Date::from_calendar_date(y, time::Month::January, 1).ok();
            scope.to = Date::from_calendar_date(y, time::Month::December, 31).ok();
            year = Some(y);
        }
        if !filter.form.is_empty() {
            let form = CollaborationForm::parse(&filter.form).map_err(|e| {
                Error::BadRequest(
                    Message::new("filter-form", e.0).arg("value", filter.form.as_str()),
                )
            })?;
            scope.form = Some(form.as_str());
        }
        Ok((scope, year))
    }

    /// One record of the agreement.
    pub async fn record(&self, register: &RegisterScope, id: i64) -> Result<Record> {
        let rows = self
            .db()
            .records(RecordScope {
                agreement: register.agreement_id,
                record: Some(id),
                ..RecordScope::default()
            })
            .await?;
        (self.name_records(register, rows).await?)
            .pop()
            .ok_or(Error::NotFound("record"))
    }

    /// What a person may do with a record.
    pub fn record_rights(
        &self,
        roles: Option<&Roles>,
        agreement: &str,
        municipality: &str,
        record: &Record,
    ) -> RecordRights {
        let Some(roles) = roles else {
            return RecordRights::default();
        };
        RecordRights {
            keep: roles
                .keeps_records_of(agreement, &format!("{municipality}/{}", record.body.slug)),
            remark: record
                .organisations
                .iter()
                .any(|o| roles.is_member_of(&o.slug)),
        }
    }

    /// The remarks a person may read on a record: all of them for those who
    /// keep it, their own organisations' for the organisations named.
    pub async fn remarks(
        &self,
        roles: Option<&Roles>,
        rights: RecordRights,
        record: &Record,
    ) -> Result<Vec<Remark>> {
        if !rights.keep && !rights.remark {
            return Ok(Vec::new());
        }
        let rows = self.db().remarks(&[record.id]).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.organisation_id).collect();
        let mut conn = self.db().acquire().await?;
        let organisations = conn.conn().organisations_with_ids(&ids).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| remark_view(r, &organisations))
            .filter(|r| {
                rights.keep || roles.is_some_and(|roles| roles.is_member_of(&r.organisation.slug))
            })
            .collect())
    }

    /// Writes a new record; the person must keep the body's records.
    pub async fn create_record(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        agreement: &str,
        municipality: &str,
        register: &RegisterScope,
        form: &RecordForm,
    ) -> Result<i64> {
        // What was typed is checked first, so a form without a body is
        // told what to fix; then whether the person keeps the body named.
        let named = self.naming(register, &[form]).await?;
        let (values, links) = check(form, &named.refs).map_err(Error::Validation)?;
        if !roles.keeps_records_of(agreement, &format!("{municipality}/{}", form.body.trim())) {
            return Err(Error::Forbidden("record"));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let id = tx.insert_record(&values, Some(user.id), now).await?;
        tx.write_record_links(id, &links).await?;
        // The register is public: the change counter moves with it.
        self.commit_public(tx).await?;
        Ok(id)
    }

    /// Changes a record made on `form.version`; a stale version is refused
    /// with [`Error::Stale`], and a move to another body needs rights there too.
    pub async fn update_record(
        &self,
        roles: &Roles,
        agreement: &str,
        municipality: &str,
        register: &RegisterScope,
        id: i64,
        form: &RecordForm,
    ) -> Result<()> {
        let current = self.record(register, id).await?;
        let keeps =
            |body: &str| roles.keeps_records_of(agreement, &format!("{municipality}/{body}"));
        if !keeps(&current.body.slug) {
            return Err(Error::Forbidden("record"));
        }
        let version: i64 = form.version.trim().parse().map_err(|_| {
            Error::bad_request(
                "unversioned-record-form",
                "the form has no version; open the record again",
            )
        })?;
        let named = self.naming(register, &[form]).await?;
        let (values, links) = check(form, &named.refs).map_err(Error::Validation)?;
        // Moving a record to another body needs the right to keep that one too.
        if !keeps(form.body.trim()) {
            return Err(Error::Forbidden("record"));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if !tx.update_record(id, version, &values, now).await? {
            return Err(Error::stale(
                "stale-record",
                "someone changed this record after you opened it",
            ));
        }
        tx.write_record_links(id, &links).await?;
        self.commit_public(tx).await?;
        Ok(())
    }

    /// An organisation named on a record comments on it or flags a mistake.
    pub async fn add_remark(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        record: &Record,
        form: &RemarkForm,
    ) -> Result<()> {
        let mut errors = Vec::new();
        let kind = RemarkKind::parse(form.kind.trim());
        if let Err(e) = &kind {
            errors.push(problem("kind", "remark-kind", e.0.clone()));
        }
        let body = form.body.trim().replace("\r\n", "\n");
        if body.is_empty() || body.chars().count() > 2000 {
            errors.push(problem(
                "body",
                "remark-body",
                "write your comment, or what is wrong and what is right, in at most 2,000 characters",
            ));
        }
        let (Ok(kind), true) = (kind, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let org = record
            .organisations
            .iter()
            .find(|o| o.slug == form.organisation.trim())
            .ok_or(Error::Forbidden("remark"))?;
        if !roles.is_member_of(&org.slug) {
            return Err(Error::Forbidden("remark"));
        }
        let org_id = self.organisation_id_of(&org.slug).await?;
        let mut tx = self.db().begin().await?;
        tx.insert_remark(&NewRemark {
            record_id: record.id,
            organisation_id: org_id,
            kind: kind.as_str(),
            body: &body,
            author_id: user.id,
            author_name: &user.display_name,
            created_at: OffsetDateTime::now_utc(),
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whoever keeps the record answers a remark (and so closes it).
    pub async fn answer_remark(
        &self,
        user: &CurrentUser,
        rights: RecordRights,
        record: &Record,
        remark_id: i64,
        response: &str,
    ) -> Result<()> {
        if !rights.keep {
            return Err(Error::Forbidden("remark"));
        }
        let response = response.trim();
        if response.is_empty() || response.chars().count() > 2000 {
            return Err(Error::Validation(vec![problem(
                "response",
                "remark-response",
                "write your answer, in at most 2,000 characters",
            )]));
        }
        let mut tx = self.db().begin().await?;
        if !tx
            .resolve_remark(
                record.id,
                remark_id,
                response,
                &user.display_name,
                OffsetDateTime::now_utc(),
            )
            .await?
        {
            return Err(Error::conflict(
                "answered-remark",
                "this remark has been answered already",
            ));
        }
        tx.commit().await?;
        Ok(())
    }
}

fn remark_view(r: RemarkRow, organisations: &[OrganisationRef]) -> Option<Remark> {
    let org = organisations.iter().find(|o| o.0 == r.organisation_id)?;
    Some(Remark {
        id: r.id,
        organisation: Named {
            slug: org.1.clone(),
            name: org.2.clone(),
        },
        kind: RemarkKind::parse(&r.kind).ok()?,
        body: r.body,
        author: r.author_name,
        written_at: r.created_at,
        response: r.response,
        answered_by: r.resolved_by_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use samverkan_db::register::ActivityRef;

    fn refs() -> RegisterRefs {
        RegisterRefs {
            agreement_id: 1,
            municipality_id: 1,
            bodies: vec![(
                7,
                "kulturnamnden".into(),
                "Kulturnämnden".into(),
                "committee".into(),
            )],
            organisations: vec![(
                3,
                "ff".into(),
                "Föreningen".into(),
                Some("802451-3387".into()),
            )],
            districts: vec![(4, "soder".into(), "Söder".into())],
            challenges: vec![(5, "fritid".into(), "Fritid".into())],
            principles: vec![(6, "dialog".into(), "Dialog".into())],
            activities: vec![ActivityRef {
                id: 9,
                plan_slug: "2021-2026".into(),
                slug: "lov".into(),
                title: "Lov".into(),
                starts_on: time::macros::date!(2021 - 01 - 01),
                ends_on: time::macros::date!(2022 - 12 - 31),
                status: "ongoing".into(),
            }],
        }
    }

    fn form() -> RecordForm {
        RecordForm {
            body: "kulturnamnden".into(),
            form: "iop".into(),
            title: "IOP om läxhjälp".into(),
            description: "Läxhjälp i Rosengård.".into(),
            starts_on: "2021-01-01".into(),
            ends_on: "2022-12-31".into(),
            organisations: "802451-3387".into(),
            money: "2021: 100000; 2022: 150 000".into(),
            total: "250000".into(),
            district: "soder".into(),
            challenge: "fritid".into(),
            activity: "2021-2026/lov".into(),
            principles: "dialog".into(),
            ..RecordForm::default()
        }
    }

    fn codes(form: &RecordForm) -> Vec<&'static str> {
        check(form, &refs())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn a_good_record_passes_and_reads_back() {
        let (values, links) = check(&form(), &refs()).expect("valid");
        assert_eq!(values.city_body_id, 7);
        assert_eq!(links.money, vec![(2021, 100_000), (2022, 150_000)]);
        assert_eq!(values.activity_id, Some(9));
    }

    #[test]
    fn figures_that_do_not_add_up_are_refused() {
        let mut f = form();
        f.total = "300000".into();
        assert_eq!(codes(&f), vec!["record-money-sum"]);
        f.total = String::new();
        f.money = "2020: 5000".into();
        assert_eq!(codes(&f), vec!["record-money-year"]);
        f.money = "2021: 5000; 2021: 6000".into();
        assert_eq!(codes(&f), vec!["record-money-twice"]);
        f.money = "lots".into();
        assert_eq!(codes(&f), vec!["record-money-line"]);
    }

    #[test]
    fn unknown_numbers_and_names_are_named() {
        let mut f = form();
        f.organisations = "556016-0680".into();
        let errors = check(&f, &refs()).unwrap_err();
        assert_eq!(errors[0].code, "record-org-unknown");
        assert_eq!(errors[0].detail.as_deref(), Some("556016-0680"));
        f.organisations = "12345".into();
        assert_eq!(codes(&f), vec!["record-org-number"]);
        let mut f = form();
        f.activity = "2021-2026/nope".into();
        f.body = "nowhere".into();
        assert_eq!(codes(&f), vec!["record-body", "record-activity"]);
        let mut f = form();
        f.starts_on = "2023-01-01".into();
        f.ends_on = "2023-12-31".into();
        f.money = String::new();
        f.total = String::new();
        assert_eq!(codes(&f), vec!["record-activity-period"]);
    }
}

/// Up to how many plan activities a record's form offers as a list; with
/// more, the form asks for the activity as `plan/activity` instead.
pub const ACTIVITY_CHOICES: i64 = 300;

/// What a record's form offers to pick from, as (slug, name) pairs; each
/// activity as ("plan/activity", "title (plan)").
#[derive(Debug, Default, Clone)]
pub struct RecordChoices {
    pub bodies: Vec<(String, String)>,
    pub districts: Vec<(String, String)>,
    pub challenges: Vec<(String, String)>,
    pub principles: Vec<(String, String)>,
    /// Empty when the agreement has more than [`ACTIVITY_CHOICES`].
    pub activities: Vec<(String, String)>,
    /// Whether there were too many activities to list.
    pub activities_by_key: bool,
}

impl App {
    /// The choices of a record's form for someone with `roles`: the bodies
    /// whose records they keep, and `current` (the body the form names), so
    /// an edit never silently moves a record; the agreement's activities
    /// when there are at most [`ACTIVITY_CHOICES`].
    pub async fn record_choices(
        &self,
        register: &RegisterScope,
        roles: &Roles,
        (agreement, municipality): (&str, &str),
        current: &str,
    ) -> Result<RecordChoices> {
        let pairs = |rows: &[(i64, String, String)]| -> Vec<(String, String)> {
            rows.iter().map(|r| (r.1.clone(), r.2.clone())).collect()
        };
        let activities = (self.db().acquire().await?.conn())
            .activities_of(register.agreement_id, ACTIVITY_CHOICES + 1)
            .await?;
        let activities_by_key = activities.len() as i64 > ACTIVITY_CHOICES;
        let refs = &register.refs;
        Ok(RecordChoices {
            bodies: (refs.bodies.iter())
                .filter(|b| {
                    roles.keeps_records_of(agreement, &register.body_key(municipality, &b.1))
                        || b.1 == current.trim()
                })
                .map(|b| (b.1.clone(), b.2.clone()))
                .collect(),
            districts: pairs(&refs.districts),
            challenges: pairs(&refs.challenges),
            principles: pairs(&refs.principles),
            activities: if activities_by_key {
                Vec::new()
            } else {
                (activities.iter())
                    .map(|x| {
                        let key = format!("{}/{}", x.plan_slug, x.slug);
                        (key, format!("{} ({})", x.title, x.plan_slug))
                    })
                    .collect()
            },
            activities_by_key,
        })
    }
}

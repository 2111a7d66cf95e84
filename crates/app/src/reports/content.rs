//! What a committee's yearly report says: the records of the year with the
//! figures computed from them (never typed twice), the committee's written
//! sections and the sector's contributions. Publishing freezes this
//! document as JSON; the city-wide report rolls the frozen documents up.

use crate::register::{Named, Record, RecordActivity, RecordOrganisation};
use samverkan_domain::CollaborationForm;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use time::Date;
use utoipa::ToSchema;

/// One record as the report of a year shows it: the money is that year's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportRecord {
    pub id: i64,
    pub title: String,
    pub form: CollaborationForm,
    pub description: String,
    pub outcome: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub organisations: Vec<RecordOrganisation>,
    /// The money of the report's year.
    pub amount_sek: i64,
    pub district: Option<Named>,
    pub challenge: Option<Named>,
    pub activity: Option<RecordActivity>,
    pub principles: Vec<Named>,
}

impl ReportRecord {
    pub fn of(record: &Record, year: i32) -> ReportRecord {
        ReportRecord {
            id: record.id,
            title: record.title.clone(),
            form: record.form,
            description: record.description.clone(),
            outcome: record.outcome.clone(),
            starts_on: record.starts_on,
            ends_on: record.ends_on,
            organisations: record.organisations.clone(),
            amount_sek: record.amount_in(year),
            district: record.district.clone(),
            challenge: record.challenge.clone(),
            activity: record.activity.clone(),
            principles: record.principles.clone(),
        }
    }
}

/// A reflection on one principle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Reflection {
    pub principle: Named,
    pub body: String,
}

/// A contribution from the sector, as published: by the organisation (or
/// party) it was written for, without the person's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Contribution {
    pub party: String,
    /// The organisation's slug, when written for one.
    pub organisation: Option<String>,
    pub written_on: Date,
    pub body: String,
}

/// Counts and money under one heading (a form, challenge, principle or
/// district); `key` is empty for "none" (no challenge, the whole city).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tally {
    pub key: String,
    pub name: String,
    pub records: i64,
    pub amount_sek: i64,
}

/// The figures of a set of records in one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    pub records: i64,
    /// Distinct organisations named.
    pub organisations: i64,
    pub amount_sek: i64,
    /// Every form, in the forms' order (zero rows included).
    pub by_form: Vec<Tally>,
    /// Challenges, principles and districts with at least one record, by
    /// name; "none" last.
    pub by_challenge: Vec<Tally>,
    pub by_principle: Vec<Tally>,
    pub by_district: Vec<Tally>,
}

fn add(
    tallies: &mut Vec<Tally>,
    index: &mut HashMap<String, usize>,
    key: &str,
    name: &str,
    amount: i64,
) {
    let i = *index.entry(key.to_owned()).or_insert_with(|| {
        tallies.push(Tally {
            key: key.to_owned(),
            name: name.to_owned(),
            ..Tally::default()
        });
        tallies.len() - 1
    });
    tallies[i].records += 1;
    tallies[i].amount_sek += amount;
}

fn sorted(mut tallies: Vec<Tally>) -> Vec<Tally> {
    tallies.sort_by(|a, b| {
        a.key
            .is_empty()
            .cmp(&b.key.is_empty())
            .then_with(|| b.amount_sek.cmp(&a.amount_sek))
            .then_with(|| a.name.cmp(&b.name))
    });
    tallies
}

impl Figures {
    /// Computes the figures of records (of one year).
    pub fn of<'a>(records: impl IntoIterator<Item = &'a ReportRecord>) -> Figures {
        let mut f = Figures {
            by_form: CollaborationForm::ALL
                .iter()
                .map(|form| Tally {
                    key: form.as_str().to_owned(),
                    name: form.as_str().to_owned(),
                    ..Tally::default()
                })
                .collect(),
            ..Figures::default()
        };
        let mut organisations: BTreeSet<&str> = BTreeSet::new();
        let (mut ci, mut pi, mut di) = (HashMap::new(), HashMap::new(), HashMap::new());
        let (mut challenges, mut principles, mut districts) = (Vec::new(), Vec::new(), Vec::new());
        for r in records {
            f.records += 1;
            f.amount_sek += r.amount_sek;
            for o in &r.organisations {
                organisations.insert(o.slug.as_str());
            }
            if let Some(t) = f.by_form.iter_mut().find(|t| t.key == r.form.as_str()) {
                t.records += 1;
                t.amount_sek += r.amount_sek;
            }
            match &r.challenge {
                Some(c) => add(&mut challenges, &mut ci, &c.slug, &c.name, r.amount_sek),
                None => add(&mut challenges, &mut ci, "", "", r.amount_sek),
            }
            match &r.district {
                Some(d) => add(&mut districts, &mut di, &d.slug, &d.name, r.amount_sek),
                None => add(&mut districts, &mut di, "", "", r.amount_sek),
            }
            if r.principles.is_empty() {
                add(&mut principles, &mut pi, "", "", r.amount_sek);
            }
            for p in &r.principles {
                add(&mut principles, &mut pi, &p.slug, &p.name, r.amount_sek);
            }
        }
        f.organisations = organisations.len() as i64;
        f.by_challenge = sorted(challenges);
        f.by_principle = sorted(principles);
        f.by_district = sorted(districts);
        f
    }
}

/// A committee's yearly report as a document: what is frozen when it is
/// published, and what the working draft shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportContent {
    pub agreement: String,
    pub body: Named,
    pub year: i32,
    pub records: Vec<ReportRecord>,
    pub figures: Figures,
    pub went_well: String,
    pub went_badly: String,
    pub next_year: String,
    pub reflections: Vec<Reflection>,
    pub contributions: Vec<Contribution>,
    pub approved_on: Option<Date>,
    pub decision_reference: Option<String>,
}

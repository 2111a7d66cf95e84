//! Records of a target's collaboration register: a committee's (or the
//! executive board's) collaboration with one to three of the
//! municipality's organisations, money in each year of the period for the
//! forms that pay, and now and then a district, a challenge, principles or
//! an activity that runs during the period.

use super::organisations::midnight;
use super::places::{ActivityRef, Body, State, Target};
use super::words::{AUDIENCES, RECORD_FORMS, RECORD_TITLES};
use super::{Dice, ScaleKind, ScaleProgress};
use crate::Result;
use samverkan_db::Tx;
use samverkan_db::register::{RecordLinks, RecordValues};
use samverkan_db::scale::ScaleRecord;
use time::{Date, Month};

/// Records per batch.
const BATCH: usize = 5_000;

fn day(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

/// The record's period: a year, a few years, or part of a year; the year
/// of an activity when it serves one (so that the activity runs during it).
fn period(dice: &mut Dice, target: &Target, activity: Option<&ActivityRef>) -> (Date, Date) {
    if let Some(a) = activity {
        let year = dice.range(a.starts_on.year().into(), a.ends_on.year().into()) as i32;
        return (day(year, Month::January, 1), day(year, Month::December, 31));
    }
    let year = dice.range(target.years.0.into(), target.years.1.into()) as i32;
    let roll = dice.below(10);
    if roll < 6 {
        (day(year, Month::January, 1), day(year, Month::December, 31))
    } else if roll < 9 {
        let last = year + dice.range(1, 2) as i32;
        (day(year, Month::January, 1), day(last, Month::December, 31))
    } else {
        let from = dice.day(day(year, Month::January, 1), day(year, Month::November, 30));
        let to = dice.day(from, day(year, Month::December, 31));
        (from, to)
    }
}

/// `title`, or with ` (2)`, ` (3)` … added, so that no two records of a
/// body share title and start (what an import matches a record by);
/// marked taken.
fn unique_title(state: &mut State, (body, title, starts_on): (i64, String, Date)) -> String {
    let taken = &mut state.keys.record_keys;
    super::first_free(
        &title,
        |base, n| format!("{base} ({n})"),
        |t| taken.insert((body, t.to_owned(), starts_on)),
    )
}

/// One record of the target's register.
fn record(dice: &mut Dice, target: &Target, keepers: &[&Body], state: &mut State) -> ScaleRecord {
    let (form, amounts) = *dice.share(
        &RECORD_FORMS
            .iter()
            .map(|(f, share, money)| ((*f, *money), *share))
            .collect::<Vec<_>>(),
    );
    let body = *dice.pick(keepers);
    let org_count = dice.range(1, 3) as usize;
    let organisations = dice.some(&target.organisations, org_count);
    let activity =
        (!target.activities.is_empty() && dice.chance(200)).then(|| dice.pick(&target.activities));
    let (starts_on, ends_on) = period(dice, target, activity);
    let money: Vec<(i32, i64)> = match amounts {
        Some((lo, hi)) => (starts_on.year()..=ends_on.year())
            .map(|year| (year, dice.range(lo, hi) * 1000))
            .collect(),
        None => Vec::new(),
    };
    let kind = activity.map_or_else(|| *dice.pick(super::words::ACTIVITY_KINDS), |a| a.kind);
    let what = format!("{} för {}", kind.to_lowercase(), dice.pick(AUDIENCES));
    let first = &organisations[0].name;
    let title = RECORD_TITLES
        .iter()
        .find(|(f, _)| *f == form)
        .map_or("{vad} {år}", |(_, t)| t)
        .replace("{org}", first)
        .replace("{vad}", &what)
        .replace("{år}", &starts_on.year().to_string());
    let title = unique_title(state, (body.id, title, starts_on));
    let principle_count = dice.range(0, 3) as usize;
    let id = state.next.record;
    state.next.record += 1;
    ScaleRecord {
        id,
        values: RecordValues {
            agreement_id: target.agreement_id,
            city_body_id: body.id,
            form: form.to_owned(),
            title,
            description: format!("{} och {first} samverkar kring {what}.", body.name),
            outcome: if ends_on < target.follow_up_until {
                format!(
                    "Omkring {} personer deltog under perioden.",
                    dice.range(10, 400)
                )
            } else {
                String::new()
            },
            starts_on,
            ends_on,
            district_id: dice.chance(600).then(|| dice.pick(&target.districts).0),
            challenge_id: (!target.challenges.is_empty() && dice.chance(500))
                .then(|| dice.pick(&target.challenges).0),
            activity_id: activity.map(|a| a.id),
        },
        links: RecordLinks {
            organisations: organisations.iter().map(|o| o.id).collect(),
            money,
            principles: dice
                .some(&target.principles, principle_count)
                .into_iter()
                .map(|p| p.0)
                .collect(),
        },
        created_at: midnight(starts_on.min(target.follow_up_until)),
    }
}

/// Generates and writes the target's records; how many.
pub(crate) async fn write(
    tx: &mut Tx,
    target: &mut Target,
    state: &mut State,
    progress: ScaleProgress<'_>,
) -> Result<usize> {
    let keepers: Vec<&Body> = target
        .bodies
        .iter()
        .filter(|b| b.kind == "committee" || b.kind == "executive_board")
        .collect();
    if keepers.is_empty() || target.organisations.is_empty() {
        return Ok(0);
    }
    let mut dice = Dice::new(target.index, 5);
    let mut batch: Vec<ScaleRecord> = Vec::with_capacity(BATCH);
    let mut written = 0;
    for i in 0..target.counts.records {
        batch.push(record(&mut dice, target, &keepers, state));
        if batch.len() == BATCH || i + 1 == target.counts.records {
            tx.write_records(&batch).await?;
            progress(ScaleKind::Records, batch.len());
            written += batch.len();
            batch.clear();
        }
    }
    Ok(written)
}

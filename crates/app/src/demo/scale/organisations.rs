//! The organisations of a target's municipality: named from the word lists,
//! slugs as `create_organisation` makes them, organisation numbers unique
//! and with a valid check digit, about a third of them parties to the
//! agreement.

use super::places::{OrgRef, State, Target, genitive};
use super::words::{LEGAL_FORM_SHARES, ORG_DOINGS, ORG_NAMES, ORG_WORDS};
use super::{Dice, FOLLOW_UP_UNTIL, ScaleKind, ScaleProgress};
use crate::Result;
use crate::organisations::slugify;
use samverkan_db::Tx;
use samverkan_db::scale::ScaleOrganisation;
use time::Date;

/// Rows per batch (and per progress step).
const BATCH: usize = 5_000;

/// Of a thousand organisations, how many have joined the agreement.
const JOINED_PER_MILLE: u64 = 330;

/// The first three digits of a legal form's organisation numbers (none for
/// a network, which has no number).
fn number_prefix(legal_form: &str) -> Option<&'static str> {
    match legal_form {
        "ideell_forening" | "stiftelse" => Some("802"),
        "registrerat_trossamfund" => Some("252"),
        "ekonomisk_forening" => Some("769"),
        _ => None,
    }
}

/// The next free number of the prefix: the counter runs through a
/// permutation of the million six-digit tails, skipping numbers taken.
fn org_number(prefix: &'static str, state: &mut State) -> String {
    loop {
        let counter = state.number_counters.entry(prefix).or_insert(0);
        let tail = (*counter * 7_919 + 104_729) % 1_000_000;
        *counter += 1;
        let nine = format!("{prefix}{tail:06}");
        let number = format!(
            "{}-{}{}",
            &nine[..6],
            &nine[6..],
            samverkan_domain::OrgNumber::check_digit(&nine)
        );
        if state.keys.org_numbers.insert(number.clone()) {
            return number;
        }
    }
}

/// One organisation of the target's municipality.
fn organisation(dice: &mut Dice, target: &Target, state: &mut State) -> ScaleOrganisation {
    let legal_form = *dice.share::<&'static str>(LEGAL_FORM_SHARES);
    let templates = ORG_NAMES
        .iter()
        .find(|(form, _)| *form == legal_form)
        .map_or(&[][..], |(_, t)| *t);
    let place = dice.pick(&target.places).clone();
    let name = dice
        .pick(templates)
        .replace("{ort}", &genitive(&place))
        .replace("{plats}", &place)
        .replace("{ord}", dice.pick::<&str>(ORG_WORDS));
    let slug = state.organisation_slug(&slugify(&name));
    let org_number = number_prefix(legal_form).map(|p| org_number(p, state));
    let description = format!(
        "{name} {} i {place}. Verksamheten bygger på ideellt engagemang och är öppen för alla som vill vara med.",
        dice.pick(ORG_DOINGS)
    );
    let joined = dice.chance(JOINED_PER_MILLE).then(|| {
        let approved = dice.day(target.joins.0, target.joins.1);
        (
            target.agreement_id,
            approved - time::Duration::days(14),
            approved,
        )
    });
    let registered = match joined {
        Some((_, _, approved)) => approved - time::Duration::days(30),
        None => dice.day(time::macros::date!(2005 - 01 - 01), FOLLOW_UP_UNTIL),
    };
    let district_count = if dice.chance(700) {
        dice.range(1, 2)
    } else {
        0
    };
    let challenge_count = dice.range(0, 2) as usize;
    let id = state.next.organisation;
    state.next.organisation += 1;
    ScaleOrganisation {
        id,
        municipality_id: target.municipality_id,
        website: dice.chance(700).then(|| format!("https://{slug}.example")),
        contact_email: dice.chance(600).then(|| format!("info@{slug}.example")),
        slug,
        name,
        org_number,
        legal_form,
        description,
        created_at: midnight(registered),
        districts: dice
            .some(&target.districts, district_count as usize)
            .into_iter()
            .map(|d| d.0)
            .collect(),
        challenges: dice
            .some(&target.challenges, challenge_count)
            .into_iter()
            .map(|c| c.0)
            .collect(),
        joined,
    }
}

pub(crate) fn midnight(d: Date) -> time::OffsetDateTime {
    d.midnight().assume_utc()
}

/// Generates and writes the target's organisations; how many.
pub(crate) async fn write(
    tx: &mut Tx,
    target: &mut Target,
    state: &mut State,
    progress: ScaleProgress<'_>,
) -> Result<usize> {
    let mut dice = Dice::new(target.index, 1);
    let mut batch: Vec<ScaleOrganisation> = Vec::with_capacity(BATCH);
    for i in 0..target.counts.organisations {
        let o = organisation(&mut dice, target, state);
        target.organisations.push(OrgRef {
            id: o.id,
            name: o.name.clone(),
            joined: o.joined.is_some(),
        });
        batch.push(o);
        if batch.len() == BATCH || i + 1 == target.counts.organisations {
            tx.write_organisations(&batch).await?;
            progress(ScaleKind::Organisations, batch.len());
            batch.clear();
        }
    }
    Ok(target.organisations.len())
}

#[cfg(test)]
mod tests {
    use samverkan_domain::OrgNumber;

    #[test]
    fn the_check_digit_makes_a_valid_number() {
        for nine in ["802451338", "769608395", "252000001", "802000000"] {
            let number = format!(
                "{}-{}{}",
                &nine[..6],
                &nine[6..],
                OrgNumber::check_digit(nine)
            );
            assert!(OrgNumber::parse(&number).is_ok(), "{number}");
        }
        assert_eq!(OrgNumber::check_digit("802451338"), 7);
    }
}

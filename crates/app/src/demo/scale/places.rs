//! The places the scale data goes to: Malmöandan (the demonstration's own
//! agreement) and the generated agreements, each in a made-up municipality
//! of its own, written by the demonstration loader (`load_file`) so that
//! every slug, status, kind and date is parsed as the demonstration files'
//! are.

use super::words::{CHALLENGES, COMMITMENTS, COMMITTEES, DISTRICTS, PLACE_ENDS, PLACE_STARTS};
use super::words::{FIRST_NAMES, PRINCIPLES, SURNAMES, VILLAGE_ENDS};
use super::{Counts, Dice, FOLLOW_UP_UNTIL, Scale, ScaleKind, ScaleProgress, apportion};
use crate::demo::{
    DemoAgreement, DemoChallenge, DemoCityBody, DemoCommitment, DemoDecision, DemoFile,
    DemoMunicipality, DemoParagraph, DemoPlan, DemoPrinciple, DemoReport, DemoRole, DemoSection,
    DemoStep, DemoTerm, DemoVersion, LoadedIds,
};
use crate::organisations::slugify;
use crate::{App, Error, Result};
use samverkan_db::Tx;
use samverkan_db::scale::{PlanPeriod, ScaleIds, TakenKeys};
use samverkan_domain::{
    AgreementStep, CityBodyKind, DatePrecision, ParagraphKind, PlanPart, RoleKind, Side, Slug,
};
use std::collections::HashMap;
use time::{Date, Month};

/// A city body records and activities can name.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

/// An organisation generated for a target, as activities and records name
/// it.
#[derive(Debug, Clone)]
pub(crate) struct OrgRef {
    pub id: i64,
    pub name: String,
    pub joined: bool,
}

/// An activity generated for a target, as records name it.
#[derive(Debug, Clone)]
pub(crate) struct ActivityRef {
    pub id: i64,
    pub kind: &'static str,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// An agreement that gets generated rows, with what they may refer to.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// 0 for Malmöandan, then 1, 2, … for the generated agreements.
    pub index: usize,
    pub agreement_id: i64,
    pub municipality_id: i64,
    /// Names organisations are named after: the town and its villages.
    pub places: Vec<String>,
    /// When organisations joined the agreement: from, to.
    pub joins: (Date, Date),
    /// No update, reached milestone or outcome after this day.
    pub follow_up_until: Date,
    /// The years records start in: from, to.
    pub years: (i32, i32),
    pub plans: Vec<PlanPeriod>,
    /// (id, slug), in the agreement's order.
    pub challenges: Vec<(i64, String)>,
    pub principles: Vec<(i64, String)>,
    /// (id, name)
    pub districts: Vec<(i64, String)>,
    pub bodies: Vec<Body>,
    pub counts: Counts,
    /// Filled as the target's organisations are written.
    pub organisations: Vec<OrgRef>,
    /// Filled as the target's activities are written.
    pub activities: Vec<ActivityRef>,
}

/// What stays unique across targets: keys taken and the next ids.
pub(crate) struct State {
    pub keys: TakenKeys,
    pub next: ScaleIds,
    /// The next number to try for each base slug.
    pub slug_counters: HashMap<String, u32>,
    /// Organisation numbers handed out per three-digit prefix.
    pub number_counters: HashMap<&'static str, u64>,
}

impl State {
    pub(crate) fn new(keys: TakenKeys, next: ScaleIds) -> State {
        State {
            keys,
            next,
            slug_counters: HashMap::new(),
            number_counters: HashMap::new(),
        }
    }

    /// `base`, or `base-2`, `base-3` … when taken, as `create_organisation`
    /// names a new organisation; marked taken.
    pub(crate) fn organisation_slug(&mut self, base: &str) -> String {
        let n = self.slug_counters.entry(base.to_owned()).or_insert(1);
        loop {
            let slug = if *n == 1 {
                base.to_owned()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if self.keys.organisation_slugs.insert(slug.clone()) {
                return slug;
            }
        }
    }
}

/// A person's name: a first name and a surname drawn apart.
pub(crate) fn person(dice: &mut Dice) -> String {
    format!("{} {}", dice.pick(FIRST_NAMES), dice.pick(SURNAMES))
}

/// The genitive of a place name: `Björkvik` → `Björkviks`, `Björkås` stays.
pub(crate) fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z']) {
        name.to_owned()
    } else {
        format!("{name}s")
    }
}

fn slug(text: &str) -> Result<Slug> {
    Slug::parse(text).map_err(|e| Error::bad_request("demo-data-invalid", e.0))
}

fn iso(d: Date) -> String {
    d.to_string()
}

fn date(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).unwrap_or(FOLLOW_UP_UNTIL)
}

/// Reads what an agreement holds into a target (its organisations and
/// activities are filled in later).
async fn target_of(tx: &mut Tx, index: usize, agreement_id: i64, counts: Counts) -> Result<Target> {
    let refs = tx.conn().register_structure(agreement_id).await?;
    let plans = tx.plan_periods(agreement_id).await?;
    let two = |rows: &[(i64, String, String)], name: bool| {
        rows.iter()
            .map(|r| (r.0, if name { r.2.clone() } else { r.1.clone() }))
            .collect::<Vec<_>>()
    };
    Ok(Target {
        index,
        agreement_id,
        municipality_id: refs.municipality_id,
        places: Vec::new(),
        joins: (FOLLOW_UP_UNTIL, FOLLOW_UP_UNTIL),
        follow_up_until: FOLLOW_UP_UNTIL,
        years: (FOLLOW_UP_UNTIL.year(), FOLLOW_UP_UNTIL.year()),
        plans,
        challenges: two(&refs.challenges, false),
        principles: two(&refs.principles, false),
        districts: two(&refs.districts, true),
        bodies: refs
            .bodies
            .iter()
            .map(|b| Body {
                id: b.0,
                name: b.2.clone(),
                kind: b.3.clone(),
            })
            .collect(),
        counts,
        organisations: Vec::new(),
        activities: Vec::new(),
    })
}

/// Malmöandan as a target: follow-up ends when it was wound down.
pub(crate) async fn home(_app: &App, tx: &mut Tx, counts: Counts) -> Result<Target> {
    let facts = tx
        .agreement_facts("malmoandan")
        .await?
        .ok_or(Error::NotFound("agreement"))?;
    let mut target = target_of(tx, 0, facts.id, counts).await?;
    let ended = matches!(facts.status.as_str(), "wound_down" | "superseded");
    target.follow_up_until = if ended {
        facts.status_since.min(FOLLOW_UP_UNTIL)
    } else {
        FOLLOW_UP_UNTIL
    };
    let first = target
        .plans
        .first()
        .map_or(target.follow_up_until, |p| p.starts_on);
    target.joins = (first - time::Duration::days(365), target.follow_up_until);
    target.years = (first.year(), target.follow_up_until.year());
    let town = facts
        .municipality
        .trim_end_matches(" stad")
        .trim_end_matches(" kommun")
        .to_owned();
    target.places = std::iter::once(town)
        .chain(
            target
                .districts
                .iter()
                .map(|d| d.1.clone())
                .filter(|d| !DISTRICTS.contains(&d.as_str())),
        )
        .collect();
    Ok(target)
}

/// The names of the municipalities, in a fixed shuffled order, without
/// those whose slug is taken.
fn town_names(keys: &TakenKeys, wanted: usize) -> Result<Vec<String>> {
    let mut all: Vec<String> = Vec::new();
    for start in PLACE_STARTS {
        for end in PLACE_ENDS {
            all.push(format!("{start}{end}"));
        }
    }
    let mut dice = Dice::new(0, 100);
    for i in (1..all.len()).rev() {
        let j = dice.below(i + 1);
        all.swap(i, j);
    }
    let names: Vec<String> = all
        .into_iter()
        .filter(|n| {
            let s = slugify(n);
            !keys.municipality_slugs.contains(&s) && !keys.agreement_slugs.contains(&s)
        })
        .take(wanted)
        .collect();
    if names.len() < wanted {
        return Err(Error::bad_request(
            "demo-data-invalid",
            format!("only {} municipality names can be made", names.len()),
        ));
    }
    Ok(names)
}

/// Generates the agreements of `scale` (each in a municipality of its own)
/// with their districts and plan parts, and shares the scale's counts
/// among them.
pub(crate) async fn generate(
    tx: &mut Tx,
    scale: &Scale,
    keys: &mut TakenKeys,
    progress: ScaleProgress<'_>,
) -> Result<Vec<Target>> {
    let n = scale.agreements;
    let names = town_names(keys, n)?;
    let weights: Vec<u64> = (1..=n as u64).map(|rank| 1_000_000 / (rank + 4)).collect();
    let c = scale.country;
    let organisations = apportion(c.organisations, &weights, 5);
    let activities = apportion(c.activities, &weights, 0);
    let updates = apportion(
        c.updates,
        &activities.iter().map(|a| *a as u64).collect::<Vec<_>>(),
        0,
    );
    let records = apportion(c.records, &weights, 0);
    let mut position = keys.agreement_slugs.len() as i32;
    let mut targets = Vec::with_capacity(n);
    for (i, town) in names.iter().enumerate() {
        let mut dice = Dice::new(i + 1, 0);
        let town = Town::new(town, &mut dice);
        let file = town.file(&mut dice)?;
        let mut ids = LoadedIds::default();
        crate::demo::load_file(
            tx,
            &file,
            &mut position,
            &mut DemoReport::default(),
            &mut ids,
        )
        .await?;
        let agreement_id = ids.agreements[&town.slug];
        let municipality_id = ids.municipalities[&town.slug];
        for (p, district) in town.districts.iter().enumerate() {
            tx.insert_district(municipality_id, &slugify(district), district, p as i32)
                .await?;
        }
        let counts = Counts {
            organisations: organisations[i],
            activities: activities[i],
            updates: updates[i],
            records: records[i],
        };
        let mut target = target_of(tx, i + 1, agreement_id, counts).await?;
        for plan in &target.plans {
            for part in PlanPart::ALL {
                tx.set_plan_part(plan.id, part.as_str(), &town.part_text(*part))
                    .await?;
            }
        }
        target.places = std::iter::once(town.name.clone())
            .chain(
                town.districts
                    .iter()
                    .skip(DISTRICTS.len().min(town.compass))
                    .cloned(),
            )
            .collect();
        target.joins = (town.adopted, FOLLOW_UP_UNTIL);
        target.years = (town.adopted.year(), FOLLOW_UP_UNTIL.year());
        keys.municipality_slugs.insert(town.slug.clone());
        keys.agreement_slugs.insert(town.slug.clone());
        targets.push(target);
        progress(ScaleKind::Agreements, 1);
    }
    Ok(targets)
}

/// A made-up municipality and the facts its agreement is written from.
struct Town {
    name: String,
    slug: String,
    adopted: Date,
    /// How many of the districts are compass districts (the rest villages).
    compass: usize,
    districts: Vec<String>,
}

impl Town {
    fn new(name: &str, dice: &mut Dice) -> Town {
        let adopted = dice.day(date(2018, Month::January, 15), date(2025, Month::June, 30));
        let compass = dice.range(3, DISTRICTS.len() as i64) as usize;
        let mut districts: Vec<String> =
            DISTRICTS[..compass].iter().map(|d| d.to_string()).collect();
        let villages = dice.range(1, 3);
        while districts.len() < compass + villages as usize {
            let village = format!("{}{}", dice.pick(PLACE_STARTS), dice.pick(VILLAGE_ENDS));
            if !districts.contains(&village) && village != name {
                districts.push(village);
            }
        }
        Town {
            name: name.to_owned(),
            slug: slugify(name),
            adopted,
            compass,
            districts,
        }
    }

    fn municipality(&self) -> String {
        format!("{} kommun", genitive(&self.name))
    }

    /// The plan's first and last day: the four years after adoption.
    fn plan_period(&self) -> (Date, Date) {
        let first = self.adopted.year() + 1;
        (
            date(first, Month::January, 1),
            date(first + 3, Month::December, 31),
        )
    }

    fn part_text(&self, part: PlanPart) -> String {
        let what = match part {
            PlanPart::Challenges => {
                "de prioriterade samhällsutmaningarna, med ett värdpar för varje utmaning"
            }
            PlanPart::Conditions => {
                "enklare och mer förutsägbara villkor för samverkan, med fleråriga bidrag"
            }
            PlanPart::Learning => {
                "utbildning och erfarenhetsutbyte mellan kommunens anställda och föreningslivet"
            }
            PlanPart::Organisation => "hur planen leds, följs upp och kommuniceras av båda parter",
        };
        format!(
            "Den här delen av handlingsplanen handlar om {what}. Den är framtagen av {} och den idéburna sektorn i {} tillsammans.",
            self.municipality(),
            self.name
        )
    }

    /// The municipality's city bodies: the council, the executive board and
    /// some committees, each with its administration.
    fn bodies(&self, dice: &mut Dice) -> Result<Vec<DemoCityBody>> {
        let town = &self.name;
        let mut bodies = vec![
            DemoCityBody {
                slug: slug("kommunfullmaktige")?,
                name: "Kommunfullmäktige".into(),
                kind: CityBodyKind::MunicipalCouncil,
                parent: None,
                description: format!("{} högsta beslutande organ.", self.municipality()),
            },
            DemoCityBody {
                slug: slug("kommunstyrelsen")?,
                name: "Kommunstyrelsen".into(),
                kind: CityBodyKind::ExecutiveBoard,
                parent: None,
                description: format!("Leder och samordnar verksamheterna i {town}."),
            },
        ];
        let count = dice.range(4, COMMITTEES.len() as i64) as usize;
        for (committee, administration, area) in dice.some(COMMITTEES, count) {
            let committee_slug = slug(&slugify(committee))?;
            bodies.push(DemoCityBody {
                slug: committee_slug.clone(),
                name: committee.to_string(),
                kind: CityBodyKind::Committee,
                parent: None,
                description: format!("Ansvarar för {area} i {town}."),
            });
            bodies.push(DemoCityBody {
                slug: slug(&slugify(administration))?,
                name: administration.to_string(),
                kind: CityBodyKind::Administration,
                parent: Some(committee_slug),
                description: format!("Genomför {}s uppdrag.", committee.to_lowercase()),
            });
        }
        Ok(bodies)
    }

    /// The decisions: the commission, the adoption and the plan's.
    fn decisions(&self, dice: &mut Dice) -> Result<Vec<DemoDecision>> {
        let commissioned = self.adopted - time::Duration::days(dice.range(200, 400));
        let planned = self.adopted + time::Duration::days(dice.range(14, 60));
        let made =
            |key: &str, on: Date, by: &str, title: &str, summary: String| -> Result<DemoDecision> {
                let prefix = if by == "kommunfullmaktige" {
                    "KF"
                } else {
                    "KS"
                };
                Ok(DemoDecision {
                    key: key.into(),
                    decided_on: iso(on),
                    precision: DatePrecision::Day,
                    decided_by: Some(slug(by)?),
                    decided_by_name: None,
                    reference: Some(format!("{prefix} {}/{}", on.year(), 10 + on.ordinal())),
                    url: Some(format!(
                        "https://{}.example/protokoll/{}-{on}",
                        self.slug,
                        prefix.to_lowercase()
                    )),
                    title: title.into(),
                    summary,
                })
            };
        Ok(vec![
            made(
                "uppdrag",
                commissioned,
                "kommunstyrelsen",
                "Uppdrag att ta fram en överenskommelse",
                format!(
                    "Kommunstyrelsen gav i uppdrag att tillsammans med den idéburna sektorn i {} ta fram en överenskommelse.",
                    self.name
                ),
            )?,
            made(
                "antagande",
                self.adopted,
                "kommunfullmaktige",
                "Överenskommelsen antas",
                "Kommunfullmäktige antog överenskommelsen efter en dialog med föreningslivet."
                    .into(),
            )?,
            made(
                "plan",
                planned,
                "kommunstyrelsen",
                "Handlingsplanen beslutas",
                "Kommunstyrelsen beslutade om den första handlingsplanen till överenskommelsen."
                    .into(),
            )?,
        ])
    }

    /// The adopted text: three sections.
    fn version(&self) -> Result<DemoVersion> {
        let section = |anchor: &str,
                       heading: &str,
                       paragraphs: Vec<(ParagraphKind, String)>|
         -> Result<DemoSection> {
            Ok(DemoSection {
                anchor: slug(anchor)?,
                heading: heading.into(),
                paragraphs: paragraphs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (kind, body))| {
                        Ok(DemoParagraph {
                            anchor: slug(&format!("{anchor}-{}", i + 1))?,
                            kind,
                            body,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
            })
        };
        let town = &self.name;
        Ok(DemoVersion {
            number: 1,
            label: "Överenskommelsen".into(),
            note: "Antagen av kommunfullmäktige.".into(),
            sections: vec![
                section("om-overenskommelsen", "Om överenskommelsen", vec![
                    (ParagraphKind::Text, format!("Överenskommelsen beskriver hur den idéburna sektorn i {town} och {} samverkar.", self.municipality())),
                    (ParagraphKind::Text, "Den bygger på dialog och på de nationella principerna för samverkan.".into()),
                ])?,
                section("parternas-ataganden", "Parternas åtaganden", COMMITMENTS.iter().take(3).map(|c| (ParagraphKind::Item, c.to_string())).collect())?,
                section("uppfoljning", "Uppföljning", vec![
                    (ParagraphKind::Text, "Parterna följer upp överenskommelsen varje år och redovisar resultatet öppet.".into()),
                ])?,
            ],
        })
    }

    /// The whole municipality with its agreement, as a demonstration file.
    fn file(&self, dice: &mut Dice) -> Result<DemoFile> {
        let (plan_from, plan_to) = self.plan_period();
        let count = dice.range(4, 6) as usize;
        let challenges = dice.some(CHALLENGES, count);
        let municipality = self.municipality();
        let decisions = self.decisions(dice)?;
        let step = |step, on: Option<String>, decision: Option<&str>| DemoStep {
            step,
            on,
            decision: decision.map(str::to_owned),
            note: String::new(),
        };
        let history = vec![
            step(
                AgreementStep::Created,
                Some(decisions[0].decided_on.clone()),
                None,
            ),
            step(
                AgreementStep::Consultation,
                Some(iso(self.adopted - time::Duration::days(120))),
                None,
            ),
            step(AgreementStep::Adopted, None, Some("antagande")),
        ];
        let agreement = DemoAgreement {
            slug: slug(&self.slug)?,
            name: format!("Överenskommelsen {} – idéburen sektor och {municipality}", self.name),
            short_name: format!("Överenskommelsen {}", self.name),
            summary: format!("Överenskommelsen mellan den idéburna sektorn i {} och {municipality} om hur parterna ska samverka.", self.name),
            vision: format!("{} är en plats där föreningslivet och kommunen tillsammans skapar gemenskap för alla.", self.name),
            english: None,
            signatories: vec![format!("Föreningsrådet i {}", self.name)],
            history,
            decisions,
            principles: PRINCIPLES
                .iter()
                .map(|(s, n, d)| Ok(DemoPrinciple { slug: slug(s)?, name: n.to_string(), description: d.to_string(), english: None }))
                .collect::<Result<Vec<_>>>()?,
            commitments: dice.some(COMMITMENTS, 4).into_iter().map(|c| DemoCommitment { body: c.to_string(), english: None }).collect(),
            challenges: challenges
                .iter()
                .map(|(s, n, summary)| Ok(DemoChallenge {
                    slug: slug(s)?,
                    name: n.to_string(),
                    summary: summary.to_string(),
                    description: format!("{summary} I {} arbetar kommunen och föreningslivet med det tillsammans.", self.name),
                    english: None,
                }))
                .collect::<Result<Vec<_>>>()?,
            plans: vec![DemoPlan {
                slug: slug(&format!("{}-{}", plan_from.year(), plan_to.year()))?,
                title: format!("Handlingsplan {}–{}", plan_from.year(), plan_to.year()),
                starts_on: iso(plan_from),
                ends_on: iso(plan_to),
                extended_to: None,
                decision: Some("plan".into()),
                summary: format!("Den första handlingsplanen för överenskommelsen i {}.", self.name),
                challenges: challenges.iter().map(|c| slug(c.0)).collect::<Result<Vec<_>>>()?,
            }],
            versions: vec![self.version()?],
            roles: self.roles(dice)?,
        };
        Ok(DemoFile {
            municipality: DemoMunicipality {
                slug: slug(&self.slug)?,
                name: municipality,
            },
            city_bodies: self.bodies(dice)?,
            agreements: vec![agreement],
        })
    }

    /// The two coordinators, one on each side.
    fn roles(&self, dice: &mut Dice) -> Result<Vec<DemoRole>> {
        [
            ("samordnare-kommunen", Side::City, "Samordnare i kommunen"),
            (
                "samordnare-sektorn",
                Side::Sector,
                "Samordnare för den idéburna sektorn",
            ),
        ]
        .into_iter()
        .map(|(s, side, title)| {
            Ok(DemoRole {
                slug: slug(s)?,
                kind: RoleKind::Coordinator,
                side,
                title: title.into(),
                mailbox: Some(format!("{s}@{}.example", self.slug)),
                description:
                    "Håller ihop arbetet med överenskommelsen och är första kontakt för frågor."
                        .into(),
                terms: vec![DemoTerm {
                    holder: person(dice),
                    starts_on: iso(self.adopted),
                    ends_on: None,
                }],
            })
        })
        .collect()
    }
}

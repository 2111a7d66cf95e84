//! The generated scale data (`samverkan demo --scale`, `App::load_scale`)
//! on a small scale (the national scale divided by 100: three agreements,
//! 2,500 organisations, 5,000 activities, 20,000 updates, 10,000 records):
//! a sample of every kind of generated row, read back through the app,
//! passes the checks the app uses for real input, and two generations
//! write the same rows.

use samverkan_app::PublicSnapshot;
use samverkan_app::demo::scale::{FOLLOW_UP_UNTIL, Scale};
use samverkan_app::organisations::directory::{DirectoryQuery, EXPORT_BATCH};
use samverkan_app::organisations::{OrganisationForm, slugify};
use samverkan_app::plans::activities::{self, ActivityForm};
use samverkan_app::plans::follow_up::{UpdateForm, check_update};
use samverkan_app::register::{self, RecordFilter};
use samverkan_app::views::Organisation;
use samverkan_db::{Db, tx_run};
use samverkan_testkit::{TestApp, both_backends};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

both_backends!(
    generated_rows_pass_the_checks_of_real_input,
    two_generations_write_the_same_rows
);

fn small() -> Scale {
    Scale::NATIONAL.divided(100)
}

/// `COUNT(*)` or another whole number of a table.
async fn number(db: &Db, what: &str, table: &str) -> i64 {
    let mut tx = db.begin_read().await.expect("begin");
    let sql = format!("SELECT CAST({what} AS BIGINT) FROM {table}");
    tx_run!(tx, |c| sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(
        sql
    ))
    .fetch_one(c)
    .await)
    .expect("count")
}

async fn generated_rows_pass_the_checks_of_real_input(t: TestApp) {
    let demo_orgs: HashSet<String> = every_organisation(&t)
        .await
        .into_iter()
        .map(|o| o.slug)
        .collect();
    let demo_activities = number(&t.db.db, "COUNT(*)", "activities").await;
    let last_demo_activity = number(&t.db.db, "MAX(id)", "activities").await;
    let scale = small();
    let report = t
        .app
        .load_scale(&scale, &|_, _| {})
        .await
        .expect("generate");
    let totals = scale.totals();
    assert_eq!(report.agreements, 3);
    assert_eq!(report.rows, totals, "every row asked for is written");
    assert_eq!(
        number(&t.db.db, "COUNT(*)", "activities").await,
        demo_activities + totals.activities as i64
    );
    let snapshot = t.app.public().await.expect("snapshot at scale");
    assert_eq!(snapshot.agreements.len(), 5);

    check_organisations(&t, &demo_orgs).await;
    let (activities, updates, records) =
        check_plans_and_registers(&t, &snapshot, last_demo_activity).await;
    assert!(activities > 600, "{activities} activities checked");
    assert!(updates > 2000, "{updates} updates checked");
    assert!(records > 800, "{records} records checked");
}

/// Every organisation of the register, as the directory's export reads them.
async fn every_organisation(t: &TestApp) -> Vec<Organisation> {
    let everyone = DirectoryQuery::default();
    let mut all = Vec::new();
    for batch in 0.. {
        let found = t.app.matching_batch(&everyone, batch).await.unwrap();
        let last = found.len() < EXPORT_BATCH;
        all.extend(found);
        if last {
            return all;
        }
    }
    unreachable!()
}

/// A sample of the generated organisations passes the profile's check, and
/// each is named as `create_organisation` names a new one.
async fn check_organisations(t: &TestApp, demo_orgs: &HashSet<String>) {
    let mut checked = 0;
    for o in every_organisation(t)
        .await
        .iter()
        .filter(|o| !demo_orgs.contains(&o.slug))
        .step_by(13)
    {
        let form = OrganisationForm::of(o);
        t.app
            .check_organisation(&form, Some(&o.slug))
            .await
            .unwrap_or_else(|e| panic!("organisation {}: {e:?}", o.slug));
        let base = slugify(&o.name);
        let suffix = o.slug.strip_prefix(&base).unwrap_or("?");
        assert!(
            suffix.is_empty()
                || suffix
                    .strip_prefix('-')
                    .is_some_and(|n| n.parse::<u32>().is_ok()),
            "{} is named as create_organisation names {}",
            o.slug,
            o.name
        );
        checked += 1;
    }
    assert!(checked > 150, "{checked} organisations checked");
}

/// A sample of each agreement's generated activities (with every update
/// of theirs) and records passes the checks of real input: how many of
/// each were checked.
async fn check_plans_and_registers(
    t: &TestApp,
    snapshot: &PublicSnapshot,
    last_demo_activity: i64,
) -> (usize, usize, usize) {
    let (mut activities_checked, mut updates_checked, mut records_checked) = (0, 0, 0);
    for record in &snapshot.agreements {
        let slug = &record.summary.slug;
        let id = t.app.db().agreement_id(slug).await.unwrap().unwrap();
        let activities = t.app.activities(record).await.unwrap();
        let generated = activities
            .activities
            .iter()
            .filter(|a| a.id > last_demo_activity);
        for a in generated.step_by(7) {
            let form = ActivityForm::from_view(a);
            let named = activities::organisation_slugs(&form);
            let refs = (t.app.db().plan_refs(id, (&named, &[])))
                .await
                .expect("refs");
            let plan_id = refs.plans[&a.plan];
            let ok = activities::check(&form, &refs, plan_id)
                .unwrap_or_else(|e| panic!("activity {slug}/{}/{}: {e:?}", a.plan, a.slug));
            assert_eq!(
                activities::form_of(&ok.values, &ok.links, &refs),
                form,
                "the stored activity is what the check makes of its form"
            );
            let plan = record.plans.iter().find(|p| p.slug == a.plan).unwrap();
            let last = plan.extended_to.unwrap_or(plan.ends_on);
            assert!(
                a.starts_on >= plan.starts_on && a.ends_on <= last,
                "{} within its plan",
                a.slug
            );
            let responsible: Vec<&str> = a.responsible.iter().map(|p| p.name.as_str()).collect();
            for u in &a.updates {
                let form = UpdateForm {
                    written_on: u.written_on.to_string(),
                    body: u.body.clone(),
                    progress: u.progress.map(|p| p.to_string()).unwrap_or_default(),
                    status: u.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                    milestone: u.milestone.clone().unwrap_or_default(),
                    party: String::new(),
                };
                check_update(&form, a, snapshot.today)
                    .unwrap_or_else(|e| panic!("update of {}: {e:?}", a.slug));
                assert!(
                    u.written_on >= a.starts_on && u.written_on <= FOLLOW_UP_UNTIL.min(a.ends_on)
                );
                assert!(
                    responsible.contains(&u.party.as_str()),
                    "{} writes for a responsible party",
                    u.author
                );
                updates_checked += 1;
            }
            activities_checked += 1;
        }
        let register = t.app.register_of(slug).await.expect("register");
        let records = t
            .app
            .records(&register, &RecordFilter::default())
            .await
            .expect("records");
        for r in records.iter().step_by(11) {
            let form = r.to_form();
            let named = t.app.naming(&register, &[&form]).await.expect("names");
            register::check(&form, &named.refs)
                .unwrap_or_else(|e| panic!("record {slug}/{}: {e:?}", r.id));
            records_checked += 1;
        }
    }
    (activities_checked, updates_checked, records_checked)
}

/// The tables the demonstration and the generated data fill, without those
/// that hold the time of loading (accounts, reports).
const GENERATED: &[&str] = &[
    "municipalities",
    "city_bodies",
    "districts",
    "agreements",
    "decisions",
    "agreement_versions",
    "version_sections",
    "version_paragraphs",
    "principles",
    "commitments",
    "challenges",
    "action_plans",
    "action_plan_challenges",
    "action_plan_parts",
    "governance_roles",
    "role_terms",
    "organisations",
    "organisation_districts",
    "organisation_challenges",
    "accessions",
    "activities",
    "activity_parties",
    "activity_milestones",
    "activity_funding",
    "activity_principles",
    "activity_decisions",
    "activity_changes",
    "progress_updates",
    "self_assessments",
    "collaborations",
    "collaboration_organisations",
    "collaboration_money",
    "collaboration_principles",
];

/// A digest of every row of the tables in [`GENERATED`], each value as
/// text, the rows in order; and how many rows there were.
async fn digest(db: &Db) -> (u64, usize) {
    let schema = db.schema().await.expect("schema");
    let mut hasher = DefaultHasher::new();
    let mut rows_seen = 0;
    let mut tx = db.begin_read().await.expect("begin");
    for table in GENERATED {
        let columns: Vec<&str> = schema
            .columns
            .iter()
            .filter(|c| c.0 == *table)
            .map(|c| c.1.as_str())
            .collect();
        assert!(!columns.is_empty(), "{table} has columns");
        let list: Vec<String> = columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY {}",
            list.join(", "),
            order.join(", ")
        );
        let rows: Vec<Vec<Option<String>>> = tx_run!(tx, |c| {
            use sqlx::Row;
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(c)
                .await
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            (0..columns.len())
                                .map(|i| r.get::<Option<String>, _>(i))
                                .collect()
                        })
                        .collect()
                })
        })
        .expect("read the table");
        table.hash(&mut hasher);
        rows_seen += rows.len();
        rows.hash(&mut hasher);
    }
    (hasher.finish(), rows_seen)
}

async fn two_generations_write_the_same_rows(t: TestApp) {
    let other = TestApp::spawn(t.db.backend).await;
    for app in [&t, &other] {
        app.app
            .load_scale(&small(), &|_, _| {})
            .await
            .expect("generate");
    }
    let (first, rows) = digest(&t.db.db).await;
    assert!(rows > 100_000, "{rows} rows compared");
    assert_eq!(
        first,
        digest(&other.db.db).await.0,
        "the same scale gives the same rows"
    );
}

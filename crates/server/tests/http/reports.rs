//! The committees' yearly reports on the web, from the records to the
//! published city-wide report: deadlines, the officials' workspace (save,
//! a stale save, submit with sections missing, the committee's decision,
//! publication), the sector's contributions (and one to a closed report),
//! a correction after publication with the earlier version still readable,
//! and the reminders that reach the officials through the SMTP server.

use crate::assert_has;
use samverkan_app::register::page::RegisterFigures;
use samverkan_app::register::{Record, RecordFilter, RecordForm};
use samverkan_testkit::{TestApp, both_backends, smtp};
use std::collections::BTreeSet;

both_backends!(
    a_report_goes_from_records_to_the_published_city_wide_report_and_is_corrected,
    contributions_are_taken_while_a_report_is_open_and_refused_after,
    a_deadline_must_fall_after_its_year,
    reminders_reach_the_officials_before_and_after_the_deadline,
    report_pages_refuse_unknown_years_and_speak_both_languages,
    the_figures_counted_in_sql_are_those_of_the_records_counted_one_by_one,
);

const AGREEMENT: &str = "malmoandan";
const BODY: &str = "kulturnamnden";
const ORG: &str = "bollklubben-rosengardsstjarnan";
/// Bollklubben Rosengårdsstjärnan's organisation number.
const ORG_NUMBER: &str = "802451-3387";
/// A year the demonstration data has no reports for.
const YEAR: i32 = 2025;

fn report_path() -> String {
    format!("/agreements/{AGREEMENT}/reports/{YEAR}/{BODY}")
}

/// The city-wide report of the year.
fn city_path() -> String {
    format!("/agreements/{AGREEMENT}/reports/{YEAR}")
}

/// Opens the reporting year (as a coordinator) with a deadline.
async fn open_year(app: &TestApp, due_on: &str) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let path = format!("/agreements/{AGREEMENT}/reports");
    let year = YEAR.to_string();
    let res = app
        .post_from(
            &coordinator,
            &path,
            &format!("{path}/deadlines"),
            &[("year", year.as_str()), ("due_on", due_on)],
        )
        .await;
    assert_eq!(res.status(), 303, "the deadline is saved");
}

/// A record of the committee's, written through the application as the
/// official `email` (the register's own pages are tested in register.rs).
async fn a_record(app: &TestApp, email: &str, title: &str, money: &str) -> i64 {
    let (current, roles) = app.current_user_and_roles(email).await;
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let form = RecordForm {
        body: BODY.into(),
        form: "operating-grant".into(),
        title: title.into(),
        description: "Verksamhetsbidrag till föreningens fritidsverksamhet.".into(),
        outcome: "Fyrtio barn tränade varje vecka.".into(),
        starts_on: format!("{YEAR}-01-01"),
        ends_on: format!("{YEAR}-12-31"),
        organisations: ORG_NUMBER.into(),
        money: money.into(),
        district: "soder".into(),
        challenge: "jamlik-fritid-och-kultur".into(),
        principles: "dialog; langsiktighet".into(),
        ..RecordForm::default()
    };
    app.app
        .create_record(&current, &roles, AGREEMENT, "malmo", &register, &form)
        .await
        .expect("the record is valid")
}

/// Every section and reflection of the workspace's form, with `text`.
async fn full_form(app: &TestApp, client: &reqwest::Client, text: &str) -> Vec<(String, String)> {
    let (_, html) = app.page(client, &format!("{}/edit", report_path())).await;
    let mut fields = vec![
        ("went_well".to_owned(), format!("{text} Det gick bra.")),
        ("went_badly".to_owned(), format!("{text} Det gick sämre.")),
        ("next_year".to_owned(), format!("{text} Nästa år.")),
    ];
    for name in html.split("name=\"reflection-").skip(1) {
        let slug = &name[..name.find('"').unwrap()];
        fields.push((format!("reflection-{slug}"), format!("{text} Om {slug}.")));
    }
    let version = html
        .split("name=\"version\" value=\"")
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .unwrap_or_default();
    fields.push(("version".into(), version));
    fields
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    action: &str,
    fields: &[(String, String)],
) -> (u16, String) {
    let page_path = format!("{}/edit", report_path());
    let res = app
        .post_form(
            client,
            &page_path,
            &format!("{}/{action}", report_path()),
            fields,
        )
        .await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

async fn a_report_goes_from_records_to_the_published_city_wide_report_and_is_corrected(
    app: TestApp,
) {
    open_year(&app, &format!("{}-03-31", YEAR + 1)).await;
    let (official, email) = app.official_of(&format!("malmo/{BODY}")).await;
    a_record(
        &app,
        &email,
        "Bidrag till Rosengårdsstjärnan",
        &format!("{YEAR}: 150000"),
    )
    .await;
    the_workspace_shows_the_record_and_its_figures(&app, &official).await;
    a_partial_draft_is_saved_but_cannot_be_handed_in(&app, &official).await;
    a_stale_save_is_refused_with_its_text_kept(&app, &official).await;
    official_hands_in_records_the_decision_and_publishes(&app, &official).await;
    the_public_report_is_the_document_as_frozen(&app).await;
    a_later_change_to_the_record_does_not_reach_it(&app, &email).await;
    the_city_wide_report_counts_it_and_draws_its_charts(&app).await;
    let reason = "Beloppet till Rosengårdsstjärnan var fel i registret.";
    official_corrects_it_as_version_2(&app, &official, reason).await;
    the_correction_is_public_and_the_first_version_still_readable(&app, reason).await;
}

/// The workspace shows the record and the figures computed from it.
async fn the_workspace_shows_the_record_and_its_figures(app: &TestApp, official: &reqwest::Client) {
    let (status, html) = app.page(official, &format!("{}/edit", report_path())).await;
    assert_eq!(status, 200);
    assert_has(&html, "Bidrag till Rosengårdsstjärnan");
    assert_has(&html, "150\u{a0}000\u{a0}kr");
    assert_has(&html, "Inte påbörjad");
}

/// A draft with only one section is saved, but cannot be handed in: the
/// problems name every missing section and principle, and the text stays.
async fn a_partial_draft_is_saved_but_cannot_be_handed_in(
    app: &TestApp,
    official: &reqwest::Client,
) {
    let mut partial = full_form(app, official, "Första utkastet.").await;
    partial.retain(|(k, _)| k == "went_well" || k == "version");
    let (status, _) = post(app, official, "edit", &partial).await;
    assert_eq!(status, 303);
    let (status, html) = post(app, official, "submit", &[]).await;
    assert_eq!(status, 422, "sections missing");
    assert_has(&html, "Skriv vad som gick mindre bra innan ni lämnar in.");
    assert_has(
        &html,
        "Skriv en reflektion kring principen Dialog innan ni lämnar in.",
    );
    assert_has(&html, "Första utkastet. Det gick bra.");
}

/// Two saves on the same version: the second is refused with its text kept.
async fn a_stale_save_is_refused_with_its_text_kept(app: &TestApp, official: &reqwest::Client) {
    let fields = full_form(app, official, "Version A.").await;
    let (status, _) = post(app, official, "edit", &fields).await;
    assert_eq!(status, 303);
    let mut late = fields.clone();
    late[0].1 = "Sent skrivet, på en gammal version.".into();
    let (status, html) = post(app, official, "edit", &late).await;
    assert_eq!(status, 409, "a stale save is refused");
    assert_has(&html, "Sent skrivet, på en gammal version.");
    assert_has(&html, "har ändrats av någon annan");
    let (_, html) = app.page(official, &format!("{}/edit", report_path())).await;
    assert_has(&html, "Version A. Det gick bra.");
}

/// Handed in, the committee's decision recorded (a bad date first), published.
async fn official_hands_in_records_the_decision_and_publishes(
    app: &TestApp,
    official: &reqwest::Client,
) {
    let (status, _) = post(app, official, "submit", &[]).await;
    assert_eq!(status, 303);
    let reference = ("decision_reference".to_owned(), "KN-2026-0042".to_owned());
    let (status, html) = post(
        app,
        official,
        "approve",
        &[("approved_on".into(), "i våras".into()), reference.clone()],
    )
    .await;
    assert_eq!(status, 422);
    assert_has(&html, "Skriv beslutsdatumet som 2024-03-31.");
    assert_has(&html, "KN-2026-0042");
    let (status, _) = post(
        app,
        official,
        "approve",
        &[
            ("approved_on".into(), format!("{}-02-20", YEAR + 1)),
            reference,
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _) = post(app, official, "publish", &[]).await;
    assert_eq!(status, 303);
}

/// The public report: the document as frozen, with the decision.
async fn the_public_report_is_the_document_as_frozen(app: &TestApp) {
    let (status, public) = app.text(&report_path()).await;
    assert_eq!(status, 200);
    assert_has(&public, "Version A. Det gick bra.");
    assert_has(&public, "Bidrag till Rosengårdsstjärnan");
    assert_has(&public, "KN-2026-0042");
    assert_has(&public, "version 1");
}

/// Published means fixed: a later change to the record (by the official
/// `email`) does not reach it.
async fn a_later_change_to_the_record_does_not_reach_it(app: &TestApp, email: &str) {
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let records = app
        .app
        .records(&register, &Default::default())
        .await
        .unwrap();
    let record = records
        .iter()
        .find(|r| r.title == "Bidrag till Rosengårdsstjärnan")
        .unwrap();
    let mut changed = record.to_form();
    changed.money = format!("{YEAR}: 90000");
    let (_, roles) = app.current_user_and_roles(email).await;
    app.app
        .update_record(&roles, AGREEMENT, "malmo", &register, record.id, &changed)
        .await
        .unwrap();
    let (_, public) = app.text(&report_path()).await;
    assert_has(&public, "150\u{a0}000\u{a0}kr");
}

/// The city-wide report counts it, lists who has not reported, and draws
/// its charts as images with text alternatives.
async fn the_city_wide_report_counts_it_and_draws_its_charts(app: &TestApp) {
    let (status, html) = app.text(&city_path()).await;
    assert_eq!(status, 200);
    assert_has(&html, "Stadsövergripande rapport 2025");
    assert_has(&html, "Nämnder som inte har rapporterat");
    assert_has(&html, "Fritidsnämnden");
    assert_has(&html, &format!("href=\"{}\"", report_path()));
    assert_eq!(html.matches("role=\"img\"").count(), 4, "four charts");
    assert_has(&html, "<desc id=\"chart-forms-desc\">");
    assert_has(&html, "Verksamhetsbidrag");
}

/// A correction: a reason is required; the corrected text goes through
/// the same steps and is published as version 2.
async fn official_corrects_it_as_version_2(
    app: &TestApp,
    official: &reqwest::Client,
    reason: &str,
) {
    let (status, html) = post(app, official, "correct", &[("reason".into(), " ".into())]).await;
    assert_eq!(status, 422);
    assert_has(&html, "Skriv vad som rättas och varför");
    let (status, _) = post(
        app,
        official,
        "correct",
        &[("reason".into(), reason.into())],
    )
    .await;
    assert_eq!(status, 303);
    let fields = full_form(app, official, "Rättad text.").await;
    assert_eq!(post(app, official, "edit", &fields).await.0, 303);
    assert_eq!(post(app, official, "submit", &[]).await.0, 303);
    let decision = [
        ("approved_on".to_owned(), format!("{}-04-10", YEAR + 1)),
        ("decision_reference".to_owned(), "KN-2026-0077".to_owned()),
    ];
    assert_eq!(post(app, official, "approve", &decision).await.0, 303);
    assert_eq!(post(app, official, "publish", &[]).await.0, 303);
}

/// The corrected report is public with its reason and the record's new
/// amount; the earlier version stays readable as it was; the city-wide
/// report and the JSON count the latest version.
async fn the_correction_is_public_and_the_first_version_still_readable(
    app: &TestApp,
    reason: &str,
) {
    let (_, public) = app.text(&report_path()).await;
    assert_has(&public, "Rättad text. Det gick bra.");
    assert_has(&public, reason);
    assert_has(&public, "90\u{a0}000\u{a0}kr");
    assert_has(&public, &format!("{}/versions/1", report_path()));
    // The earlier version stays readable as it was.
    let (status, first) = app.text(&format!("{}/versions/1", report_path())).await;
    assert_eq!(status, 200);
    assert_has(&first, "Version A. Det gick bra.");
    assert_has(&first, "150\u{a0}000\u{a0}kr");
    assert_has(&first, "Det här är en tidigare version.");
    assert_eq!(
        app.get(&format!("{}/versions/3", report_path()))
            .await
            .status(),
        404
    );
    // The city-wide report counts the latest version.
    let (_, html) = app.text(&city_path()).await;
    assert_has(&html, "(version 2)");
    // And the JSON says the same.
    let (status, json) = app
        .json(&format!(
            "/api/v1/agreements/{AGREEMENT}/reports/{YEAR}/{BODY}"
        ))
        .await;
    if status == 200 {
        assert!(json.to_string().contains("Rättad text."));
    }
}

async fn contributions_are_taken_while_a_report_is_open_and_refused_after(app: TestApp) {
    open_year(&app, &format!("{}-03-31", YEAR + 1)).await;
    let (official, email) = app.official_of(&format!("malmo/{BODY}")).await;
    a_record(&app, &email, "Lokaler för träning", "").await;
    let (member, _) = app.member_of(ORG, "member").await;
    let (stranger, _) = app.person("stranger", &[]).await;

    // The organisation named in the year's records finds the report.
    let (_, mine) = app.page(&member, "/account/reports").await;
    assert_has(&mine, "Rapporter ni kan lämna bidrag till");
    assert_has(&mine, &format!("href=\"{}\"", report_path()));
    let (_, html) = app.page(&member, &report_path()).await;
    assert_has(&html, "Lämna ett bidrag");

    let action = format!("{}/contributions", report_path());
    // Empty: 422, worded.
    let res = app
        .post_from(
            &member,
            &report_path(),
            &action,
            &[("organisation", ORG), ("body", " ")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "Skriv ert bidrag");
    // Someone who acts for no named organisation or party is refused.
    let res = app
        .post_from(
            &stranger,
            &report_path(),
            &action,
            &[("organisation", ORG), ("body", "Hej")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The organisation's contribution is saved; the committee sees who wrote it.
    let text = "Samarbetet om lokalerna har fungerat mycket bra i år.";
    let res = app
        .post_from(
            &member,
            &report_path(),
            &action,
            &[("organisation", ORG), ("body", text)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, work) = app
        .page(&official, &format!("{}/edit", report_path()))
        .await;
    assert_has(&work, text);
    assert_has(&work, "Bollklubben Rosengårdsstjärnan");

    // Handed in: a contribution is refused with 409 and the text is kept.
    let fields = full_form(&app, &official, "Klart.").await;
    assert_eq!(post(&app, &official, "edit", &fields).await.0, 303);
    assert_eq!(post(&app, &official, "submit", &[]).await.0, 303);
    let late = "Ett sent bidrag som inte får försvinna.";
    let res = app
        .post_from(
            &member,
            &report_path(),
            &action,
            &[("organisation", ORG), ("body", late)],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "tar inte emot fler bidrag");
    assert_has(&html, late);

    // Published, the contribution stands in the organisation's name only.
    let decision = [
        ("approved_on".to_owned(), format!("{}-02-20", YEAR + 1)),
        ("decision_reference".to_owned(), "KN-1".to_owned()),
    ];
    assert_eq!(post(&app, &official, "approve", &decision).await.0, 303);
    assert_eq!(post(&app, &official, "publish", &[]).await.0, 303);
    let (_, public) = app.text(&report_path()).await;
    assert_has(&public, text);
    assert_has(&public, "Bollklubben Rosengårdsstjärnan");
    assert!(
        !public.contains("Anna Berg"),
        "no person's name is published"
    );
}

async fn a_deadline_must_fall_after_its_year(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let path = format!("/agreements/{AGREEMENT}/reports");
    let res = app
        .post_from(
            &coordinator,
            &path,
            &format!("{path}/deadlines"),
            &[("year", "2025"), ("due_on", "2025-06-30")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "kan bara lämnas efter att året är slut");
    assert_has(&html, "value=\"2025-06-30\"");
    let res = app
        .post_from(
            &coordinator,
            &path,
            &format!("{path}/deadlines"),
            &[("year", "tjugo"), ("due_on", "2026-03-31")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Skriv rapportåret med fyra siffror",
    );
    // The overview shows the year once it is opened, every committee not started.
    open_year(&app, "2026-03-31").await;
    let (_, html) = app.text(&path).await;
    assert_has(&html, "<h2 id=\"year-2025\">2025</h2>");
    assert_has(&html, "Kulturnämnden");
    assert_has(&html, "Inte påbörjad");
}

async fn reminders_reach_the_officials_before_and_after_the_deadline(app: TestApp) {
    let today = time::OffsetDateTime::now_utc().date();
    let due = today + time::Duration::days(10);
    open_year(&app, &due.to_string()).await;
    let (_, email) = app.official_of(&format!("malmo/{BODY}")).await;
    // Ten days before: the "soon" reminder, once.
    let sent = app.app.send_report_reminders(today).await.unwrap();
    assert!(sent >= 1, "at least kulturnämnden is reminded");
    assert_eq!(
        app.app.send_report_reminders(today).await.unwrap(),
        0,
        "once"
    );
    app.run_jobs().await;
    let mails = smtp::server().messages_to(&email);
    let soon = mails
        .iter()
        .find(|m| m.subject.contains("Påminnelse"))
        .expect("the reminder arrives at the SMTP server");
    assert_has(&soon.subject, "Kulturnämnden");
    assert_has(
        &soon.body,
        &format!("/agreements/{AGREEMENT}/reports/{YEAR}/{BODY}/edit"),
    );
    assert_has(&soon.body, &due.to_string());
    // Long before the deadline nothing is sent.
    assert_eq!(
        app.app
            .send_report_reminders(due - time::Duration::days(60))
            .await
            .unwrap(),
        0
    );
    // The day after: "overdue", once.
    let after = due + time::Duration::days(1);
    assert!(app.app.send_report_reminders(after).await.unwrap() >= 1);
    app.run_jobs().await;
    let mails = smtp::server().messages_to(&email);
    assert!(mails.iter().any(|m| m.subject.contains("Försenad")));
    assert_eq!(app.app.send_report_reminders(after).await.unwrap(), 0);
}

async fn report_pages_refuse_unknown_years_and_speak_both_languages(app: TestApp) {
    let base = format!("/agreements/{AGREEMENT}/reports");
    let (status, html) = app.text(&base).await;
    assert_eq!(status, 200);
    assert_has(&html, "Årsrapporter om samverkan");
    let (status, html) = app.text(&format!("{base}?lang=en")).await;
    assert_eq!(status, 200);
    assert_has(&html, "Yearly reports on collaboration");
    for bad in ["tjugo", "1999"] {
        assert_eq!(
            app.get(&format!("{base}/{bad}")).await.status(),
            404,
            "{bad}"
        );
    }
    assert_eq!(
        app.get(&format!("{base}/2022/no-such-committee"))
            .await
            .status(),
        404
    );
    let (status, html) = app.text(&format!("{base}/2022?lang=en")).await;
    assert_eq!(status, 200);
    assert_has(&html, "City-wide report 2022");
    assert_has(&html, "Year by year");
}

/// The figures the register page, the reports' overview and a committee's
/// report read by SQL aggregates are those of the demonstration's records
/// counted one by one in memory (as they were computed before), for every
/// filter of one value and every year.
async fn the_figures_counted_in_sql_are_those_of_the_records_counted_one_by_one(app: TestApp) {
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let records = app
        .app
        .records(&register, &RecordFilter::default())
        .await
        .unwrap();
    assert!(records.len() > 20, "the demonstration has records");
    let years: BTreeSet<i32> = records
        .iter()
        .flat_map(|r| r.starts_on.year()..=r.ends_on.year())
        .collect();
    let mut filters = vec![RecordFilter::default()];
    for y in &years {
        filters.push(RecordFilter {
            year: y.to_string(),
            ..RecordFilter::default()
        });
    }
    for b in &register.refs.bodies {
        filters.push(RecordFilter {
            body: b.1.clone(),
            ..RecordFilter::default()
        });
    }
    for o in [
        "bollklubben-rosengardsstjarnan",
        "kroksbacks-box-och-kampsportsklubb",
    ] {
        filters.push(RecordFilter {
            organisation: o.into(),
            ..RecordFilter::default()
        });
    }
    for filter in filters {
        let index = (app.app)
            .register_index(&register, filter.clone(), 1)
            .await
            .unwrap();
        assert_eq!(index.figures, counted(&records, &filter), "{filter:?}");
    }
    let overview = app.app.report_overview(&register).await.unwrap();
    assert!(!overview.is_empty(), "the demonstration has report years");
    for y in &overview {
        for row in &y.rows {
            let of_year = records
                .iter()
                .filter(|r| r.body.slug == row.body.slug && r.touches(y.year));
            assert_eq!(
                row.records,
                of_year.count() as i64,
                "{} {}",
                y.year,
                row.body.slug
            );
        }
    }
    let mut missing = 0;
    for y in &years {
        for b in &register.refs.bodies {
            let report = (app.app)
                .committee_report(AGREEMENT, &register, &b.1, *y)
                .await
                .unwrap();
            let named: BTreeSet<(String, String)> = (records.iter())
                .filter(|r| r.body.slug == b.1 && r.touches(*y))
                .filter_map(|r| r.activity.as_ref())
                .map(|a| (a.plan.clone(), a.slug.clone()))
                .collect();
            for a in &report.missing {
                assert!(!named.contains(&(a.plan.clone(), a.slug.clone())), "{a:?}");
            }
            missing += report.missing.len();
        }
    }
    assert!(missing > 0, "some committee's activity has no record");
}

/// The register page's key figures of `filter`, counted in memory.
fn counted(records: &[Record], filter: &RecordFilter) -> RegisterFigures {
    let year: Option<i32> = filter.year.parse().ok();
    let chosen: Vec<&Record> = records
        .iter()
        .filter(|r| filter.body.is_empty() || r.body.slug == filter.body)
        .filter(|r| year.is_none_or(|y| r.touches(y)))
        .filter(|r| {
            filter.organisation.is_empty()
                || r.organisations
                    .iter()
                    .any(|o| o.slug == filter.organisation)
        })
        .collect();
    let organisations: BTreeSet<&str> = (chosen.iter())
        .flat_map(|r| r.organisations.iter().map(|o| o.slug.as_str()))
        .collect();
    RegisterFigures {
        records: chosen.len(),
        organisations: organisations.len(),
        money: chosen
            .iter()
            .map(|r| year.map_or(r.total_sek, |y| r.amount_in(y)))
            .sum(),
    }
}

//! The action plan on the web: the public overview, challenge and activity
//! pages; keeping activities (create, edit, history); refusing a stale edit
//! with 409 and the changes made meanwhile; progress updates, partners'
//! proposals and the self-assessment; the signed-in person's activities.

use crate::assert_has;
use samverkan_app::plans::activities::ActivityForm;
use samverkan_testkit::{TestApp, both_backends, smtp};

both_backends!(
    the_plan_overview_shows_progress_per_challenge_with_accessible_charts,
    a_challenge_page_filters_its_activities,
    an_activity_page_shows_its_timeline_resources_and_history,
    a_coordinator_adds_an_activity_with_a_host_pair,
    a_stale_edit_is_refused_with_the_changes_made_meanwhile,
    two_edits_at_the_same_moment_save_one_and_refuse_the_other,
    responsible_parties_publish_updates_and_partners_propose_them,
    the_self_assessment_is_kept_per_principle,
    a_person_sees_the_activities_they_answer_for_and_updates_due,
    coordinators_add_and_edit_plans_and_a_stale_plan_edit_is_refused,
);

const AGREEMENT: &str = "malmoandan";
/// Kulturnämnden is responsible and organisation X a partner.
const PLAN: &str = "2018-2022";
const ACTIVITY: &str = "avgiftsfria-lovaktiviteter";
/// The plan in force now.
const PLAN_NOW: &str = "2021-2026";
const ORG: &str = "bollklubben-rosengardsstjarnan";

fn activity_path(plan: &str, slug: &str) -> String {
    format!("/agreements/{AGREEMENT}/plans/{plan}/activities/{slug}")
}

/// The stored activity as the form shows it, and its version.
async fn stored(app: &TestApp, plan: &str, slug: &str) -> (ActivityForm, i64) {
    let (_, activities) = app.app.with_activities(AGREEMENT).await.unwrap();
    let a = activities.activity(plan, slug).unwrap();
    (ActivityForm::from_view(a), a.version)
}

fn with_version(form: &ActivityForm, version: i64) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = form
        .fields()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    fields.push(("version".into(), version.to_string()));
    fields
}

async fn the_plan_overview_shows_progress_per_challenge_with_accessible_charts(app: TestApp) {
    let (status, html) = app
        .text(&format!("/agreements/{AGREEMENT}/plans/2021-2026"))
        .await;
    assert_eq!(status, 200);
    assert_has(&html, "<h1>Samarbetsplan 2021–2026</h1>");
    // Three charts, each an image with a title and a text alternative.
    assert_eq!(html.matches("role=\"img\"").count(), 3, "three charts");
    for id in ["chart-progress", "chart-status", "chart-timeline"] {
        assert_has(&html, &format!("aria-labelledby=\"{id}-title {id}-desc\""));
        assert_has(&html, &format!("<desc id=\"{id}-desc\">"));
    }
    // The table beside the progress chart names every challenge.
    assert_has(&html, "Ungas hälsa och livsstil");
    assert_has(&html, "<caption>Aktiviteter, genomsnittligt framsteg");
    // The four parts, each with its text, and the self-assessment per principle.
    for part in [
        "Prioriterade samhällsutmaningar",
        "Lärande, kunskap och innovation",
        "Organisation, tidplan, kommunikation och resurser",
    ] {
        assert_has(&html, part);
    }
    assert_has(&html, "Självskattning mot principerna");
    // Activities without an update in 90 days are flagged.
    assert_has(&html, "Uppdatering saknas sedan 90 dagar");
    // The open-data links of the page answer.
    for link in ["activities?format=csv", "activities", "milestones.ics"] {
        let href = format!("/api/v1/agreements/{AGREEMENT}/plans/2021-2026/{link}");
        assert_has(&html, &format!("href=\"{href}\""));
        assert_eq!(app.get(&href).await.status(), 200, "{href}");
    }
    let (_, en) = app
        .text(&format!("/agreements/{AGREEMENT}/plans/2021-2026?lang=en"))
        .await;
    assert_has(&en, "Mean progress per challenge");
    assert_eq!(
        app.get(&format!("/agreements/{AGREEMENT}/plans/1999"))
            .await
            .status(),
        404
    );
}

async fn a_challenge_page_filters_its_activities(app: TestApp) {
    let base = format!("/agreements/{AGREEMENT}/challenges/jamlik-fritid-och-kultur");
    let (status, all) = app.text(&base).await;
    assert_eq!(status, 200);
    assert_has(&all, "Visar 6");
    assert_has(&all, "Avgiftsfria lovaktiviteter");
    let (_, completed) = app.text(&format!("{base}?status=cancelled")).await;
    assert!(
        !completed.contains("Avgiftsfria lovaktiviteter"),
        "a completed activity is not among the cancelled"
    );
    let (_, by_party) = app
        .text(&format!(
            "{base}?party=city_body:kulturnamnden&plan=2018-2022"
        ))
        .await;
    assert_has(&by_party, "Avgiftsfria lovaktiviteter");
    assert!(
        !by_party.contains("Visar 6"),
        "the party filter narrows the list"
    );
    let (_, by_principle) = app
        .text(&format!("{base}?principle=oppenhet-och-insyn"))
        .await;
    assert!(
        !by_principle.contains("Visar 0"),
        "some activities advance openness"
    );
    // An unknown value is a clear 400, not an empty list.
    let (status, html) = app.text(&format!("{base}?status=halvklar")).await;
    assert_eq!(status, 400);
    assert_has(&html, "halvklar");
    let (status, _) = app.text(&format!("{base}?party=organisation:okand")).await;
    assert_eq!(status, 400);
}

async fn an_activity_page_shows_its_timeline_resources_and_history(app: TestApp) {
    let (status, html) = app.text(&activity_path(PLAN, ACTIVITY)).await;
    assert_eq!(status, 200);
    assert_has(&html, "Avgiftsfria lovaktiviteter");
    assert_has(&html, "Ansvariga (värdpar)");
    assert_has(&html, "Kulturnämnden");
    assert_has(&html, "Kommunikationsplan");
    assert_has(&html, "Pengar per år och källa");
    assert_has(&html, "\u{a0}kr");
    assert_has(&html, "role=\"img\"");
    assert_has(&html, "Ändringshistorik");
    assert_has(&html, "Demonstrationsdata");
    // The updates are a dated timeline, newest first.
    let (_, activities) = app.app.with_activities(AGREEMENT).await.unwrap();
    let a = activities.activity(PLAN, ACTIVITY).unwrap();
    assert_eq!(
        a.updates.len(),
        6,
        "the demonstration's updates of the activity"
    );
    let first = html.find(&a.updates[0].written_on.to_string()).unwrap();
    let last = html
        .find(&a.updates.last().unwrap().written_on.to_string())
        .unwrap();
    assert!(first < last, "newest first");
    // A visitor gets no forms.
    assert!(!html.contains("/updates\""), "no update form for visitors");
    assert_eq!(
        app.get(&activity_path(PLAN, "finns-inte")).await.status(),
        404
    );
}

/// A new activity from a coordinator, with kulturnämnden and `host` as
/// the host pair and organisation X as partner.
fn new_activity(host: &str) -> Vec<(String, String)> {
    let form = ActivityForm {
        title: "Läxhjälp på biblioteket".into(),
        description: "Unga vuxna hjälper elever med läxor två kvällar i veckan.".into(),
        goal: "60 elever deltar varje termin.".into(),
        part: "challenges".into(),
        challenge: "jamlik-fritid-och-kultur".into(),
        district: "oster".into(),
        status: "ongoing".into(),
        progress: "10".into(),
        starts_on: "2021-09-01".into(),
        ends_on: "2026-06-30".into(),
        responsible_city_bodies: "kulturnamnden".into(),
        responsible_organisations: host.into(),
        partner_organisations: ORG.into(),
        principles: "oppenhet-och-insyn".into(),
        milestones: "2022-06-01 | Första terminen klar".into(),
        funding: "2022 | 120 000 | Kulturnämnden".into(),
        audiences: "Elever och föräldrar".into(),
        channels: "Skolorna, biblioteket".into(),
        timing: "Inför varje termin".into(),
        hours_city: "80".into(),
        hours_sector: "300".into(),
        premises: "Rosengårds bibliotek".into(),
        ..ActivityForm::default()
    };
    form.fields()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

const NEW: &str = "laxhjalp-pa-biblioteket";
const HOST: &str = "kroksbacks-box-och-kampsportsklubb";

async fn create(app: &TestApp, coordinator: &reqwest::Client) {
    let new_page = format!("/agreements/{AGREEMENT}/plans/2021-2026/activities/new");
    let res = app
        .post_form(coordinator, &new_page, &new_page, &new_activity(HOST))
        .await;
    if res.status() != 303 {
        let html = res.text().await.unwrap();
        let summary = html
            .split("error-summary")
            .nth(1)
            .unwrap_or(&html)
            .chars()
            .take(1500)
            .collect::<String>();
        panic!("the activity was refused: {summary}");
    }
    assert_eq!(
        res.headers()["location"],
        format!("{}?done=activity-created", activity_path("2021-2026", NEW)).as_str()
    );
}

async fn a_coordinator_adds_an_activity_with_a_host_pair(app: TestApp) {
    let coordinator = app.coordinator_of(AGREEMENT).await.0;
    let new_page = format!("/agreements/{AGREEMENT}/plans/2021-2026/activities/new");
    // A one-sided activity without a reason comes back with what was typed.
    let mut one_sided = new_activity("");
    one_sided.retain(|(k, _)| k != "responsible_organisations");
    let res = app
        .post_form(&coordinator, &new_page, &new_page, &one_sided)
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Är den ensidig med avsikt, skriv varför");
    assert_has(&html, "value=\"Läxhjälp på biblioteket\"");
    assert_has(&html, "Rosengårds bibliotek");
    // Unknown parties and a bad money line are named.
    let mut bad = new_activity("finns-inte");
    bad.retain(|(k, _)| k != "funding");
    bad.push(("funding".into(), "2022 | mycket | Kulturnämnden".into()));
    let res = app
        .post_form(&coordinator, &new_page, &new_page, &bad)
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "finns-inte finns inte");
    assert_has(&html, "Rad 1: skriv pengarna");
    create(&app, &coordinator).await;
    let (status, html) = app.text(&activity_path("2021-2026", NEW)).await;
    assert_eq!(status, 200);
    assert_has(&html, "Kroksbäcks");
    assert_has(&html, "120\u{a0}000\u{a0}kr");
    // The same short name twice is refused.
    let res = app
        .post_form(&coordinator, &new_page, &new_page, &new_activity(HOST))
        .await;
    assert_eq!(res.status(), 422);
    // An organisation administrator may not add activities.
    let (admin, _) = app.member_of(ORG, "admin").await;
    let res = app
        .post_form(&admin, "/", &new_page, &new_activity(HOST))
        .await;
    assert_eq!(res.status(), 403);
}

async fn a_stale_edit_is_refused_with_the_changes_made_meanwhile(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let coordinator = app.coordinator_of(AGREEMENT).await.0;
    let edit = format!("{}/edit", activity_path(PLAN, ACTIVITY));
    let (form, version) = stored(&app, PLAN, ACTIVITY).await;
    // Both open the form on the same version.
    assert_eq!(app.page(&official, &edit).await.0, 200);
    assert_eq!(app.page(&coordinator, &edit).await.0, 200);
    let mut first = form.clone();
    first.goal = "Fler barn i alla stadsområden deltar på loven.".into();
    let res = app
        .post_form(&official, &edit, &edit, &with_version(&first, version))
        .await;
    assert_eq!(res.status(), 303);
    let mut second = form.clone();
    second.title = "Lovaktiviteter för alla".into();
    let res = app
        .post_form(&coordinator, &edit, &edit, &with_version(&second, version))
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan har ändrat aktiviteten medan du skrev");
    // What changed meanwhile, before and after…
    assert_has(&html, "Fler barn i alla stadsområden deltar på loven.");
    // …and what this person typed, kept, with the newer version to save over.
    assert_has(&html, "value=\"Lovaktiviteter för alla\"");
    assert_has(
        &html,
        &format!("name=\"version\" value=\"{}\"", version + 1),
    );
    let (now, now_version) = stored(&app, PLAN, ACTIVITY).await;
    assert_eq!(now.title, form.title, "the stale edit wrote nothing");
    assert_eq!(now.goal, first.goal);
    assert_eq!(now_version, version + 1);
    // Saving again on purpose, from the newer version, goes through.
    second.goal = first.goal.clone();
    let res = app
        .post_form(
            &coordinator,
            &edit,
            &edit,
            &with_version(&second, version + 1),
        )
        .await;
    assert_eq!(res.status(), 303);
    // The public history shows both edits, who made them and the values.
    let (_, html) = app.text(&activity_path(PLAN, ACTIVITY)).await;
    assert_has(&html, &format!("Version {}", version + 2));
    assert_has(&html, "Lovaktiviteter för alla");
    assert_has(&html, "<th scope=\"row\">Mål</th>");
    assert_has(&html, "<th scope=\"row\">Titel</th>");
}

async fn two_edits_at_the_same_moment_save_one_and_refuse_the_other(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let coordinator = app.coordinator_of(AGREEMENT).await.0;
    let edit = format!("{}/edit", activity_path(PLAN, ACTIVITY));
    let (form, version) = stored(&app, PLAN, ACTIVITY).await;
    let mut a = form.clone();
    a.premises = "Folkets park".into();
    let mut b = form.clone();
    b.premises = "Pildammsparken".into();
    let (fa, fb) = (with_version(&a, version), with_version(&b, version));
    let (ra, rb) = tokio::join!(
        app.post_form(&official, &edit, &edit, &fa),
        app.post_form(&coordinator, &edit, &edit, &fb),
    );
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409], "one saved, the other refused");
    let (now, now_version) = stored(&app, PLAN, ACTIVITY).await;
    assert_eq!(now_version, version + 1);
    let winner = if ra.status() == 303 { &a } else { &b };
    assert_eq!(
        now.premises, winner.premises,
        "the saved edit is the one stored"
    );
}

async fn responsible_parties_publish_updates_and_partners_propose_them(app: TestApp) {
    let coordinator = app.coordinator_of(AGREEMENT).await.0;
    create(&app, &coordinator).await;
    let path = activity_path("2021-2026", NEW);
    let (partner, partner_email) = app.member_of(ORG, "member").await;
    let (host, host_email) = app.member_of(HOST, "member").await;
    partner_proposes_an_update_which_is_not_public(&app, &partner, &path).await;
    the_host_is_told_by_mail_and_the_partner_is_not(&app, &host_email, &partner_email, &path).await;
    let (_, partner_view) = app.page(&partner, &path).await;
    assert_has(&partner_view, "Föreslå en uppdatering");
    assert!(!partner_view.contains("/edit\""), "a partner does not edit");
    host_accepts_the_proposal_once(&app, &host, &path).await;
    host_publishes_an_update_reaching_a_milestone(&app, &host, &path).await;
    bad_update_input_comes_back_with_the_text_kept(&app, &host, &path).await;
    // Someone who is no party cannot post.
    let (other, _) = app.member_of("tjejjouren-lyktan", "admin").await;
    let res = app
        .post_form(
            &other,
            &path,
            &format!("{path}/updates"),
            &[("body", "Kapat")],
        )
        .await;
    assert_eq!(res.status(), 403);
    a_deleted_hosts_updates_stay_by_a_removed_person(&app, &host, &path).await;
}

/// A partner's update is a proposal: not public until accepted.
async fn partner_proposes_an_update_which_is_not_public(
    app: &TestApp,
    partner: &reqwest::Client,
    path: &str,
) {
    let res = app
        .post_form(
            partner,
            path,
            &format!("{path}/updates"),
            &[
                ("body", "Vi har rekryterat tolv läxhjälpare."),
                ("progress", "35"),
                ("written_on", "2022-02-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("update-proposed")
    );
    let (_, public) = app.text(path).await;
    assert!(
        !public.contains("tolv läxhjälpare"),
        "a proposal is not public"
    );
}

/// The responsible parties' people are told by e-mail; the partner is not.
async fn the_host_is_told_by_mail_and_the_partner_is_not(
    app: &TestApp,
    host_email: &str,
    partner_email: &str,
    path: &str,
) {
    app.run_jobs().await;
    let told = smtp::server().messages_to(host_email);
    let told = told.last().expect("the host is told of the proposal");
    assert_has(&told.subject, "förslag till uppdatering");
    assert_has(&told.body, "tolv läxhjälpare");
    assert_has(&told.body, &format!("{path}#updates"));
    assert!(
        !smtp::server()
            .messages_to(partner_email)
            .iter()
            .any(|m| m.subject.contains("förslag till uppdatering")),
        "the partner who proposed is not told of their own proposal"
    );
}

/// The host sees the proposal and accepts it: published, progress applied.
/// A second decision on the same proposal changes nothing.
async fn host_accepts_the_proposal_once(app: &TestApp, host: &reqwest::Client, path: &str) {
    let (_, host_view) = app.page(host, path).await;
    assert_has(&host_view, "Förslag som väntar på beslut");
    assert_has(&host_view, "tolv läxhjälpare");
    let proposals = app
        .app
        .db()
        .proposals_of(
            app.app
                .with_activities(AGREEMENT)
                .await
                .unwrap()
                .1
                .activity("2021-2026", NEW)
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let id = proposals[0].id.to_string();
    let decide = format!("{path}/proposals");
    let res = app
        .post_form(
            host,
            path,
            &decide,
            &[("proposal", id.as_str()), ("decision", "accept")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, public) = app.text(path).await;
    assert_has(&public, "tolv läxhjälpare");
    assert_has(&public, "35 % genomfört");
    let res = app
        .post_form(
            host,
            path,
            &decide,
            &[("proposal", id.as_str()), ("decision", "decline")],
        )
        .await;
    assert_eq!(res.status(), 409);
    // Said on the Swedish page in Swedish, from the catalogue.
    assert_has(&res.text().await.unwrap(), "Förslaget är redan avgjort.");
}

/// The host publishes at once, reaching a milestone and changing status.
async fn host_publishes_an_update_reaching_a_milestone(
    app: &TestApp,
    host: &reqwest::Client,
    path: &str,
) {
    let res = app
        .post_form(
            host,
            path,
            &format!("{path}/updates"),
            &[
                ("body", "Första terminen är klar med 64 elever."),
                ("progress", "50"),
                ("status", "ongoing"),
                ("milestone", "Första terminen klar"),
                ("written_on", "2022-06-10"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, public) = app.text(path).await;
    assert_has(&public, "64 elever");
    assert_has(&public, "nådd 10 juni 2022");
    assert_has(&public, "50 % genomfört");
    // The change of progress is in the history, as the host's.
    assert_has(&public, "<th scope=\"row\">Framsteg i procent</th>");
}

/// Bad input comes back with the text kept.
async fn bad_update_input_comes_back_with_the_text_kept(
    app: &TestApp,
    host: &reqwest::Client,
    path: &str,
) {
    let res = app
        .post_form(
            host,
            path,
            &format!("{path}/updates"),
            &[
                ("body", "Något i framtiden"),
                ("written_on", "2999-01-01"),
                ("progress", "140"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Något i framtiden");
    assert_has(&html, "Ange dagens datum eller ett tidigare");
    assert_has(&html, "heltal från 0 till 100");
}

/// When the host deletes their account, their name leaves the public
/// follow-up; the updates stay, by "a removed person". Their export of
/// personal data, before, holds the updates they wrote.
async fn a_deleted_hosts_updates_stay_by_a_removed_person(
    app: &TestApp,
    host: &reqwest::Client,
    path: &str,
) {
    let (status, export) = app.page(host, "/account/export").await;
    assert_eq!(status, 200);
    let export: serde_json::Value = serde_json::from_str(&export).unwrap();
    let written = export["activity_updates_written"].as_array().unwrap();
    assert!(
        written
            .iter()
            .any(|u| u["text"].as_str().unwrap().contains("64 elever") && u["activity"] == NEW),
        "{written:?}"
    );
    let (_, before) = app.text(path).await;
    assert_has(&before, "· Anna Berg, Kroksb");
    let res = app
        .post_form(
            host,
            "/account",
            "/account/delete",
            &[("password", samverkan_testkit::PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, after) = app.text(path).await;
    assert_has(&after, "64 elever");
    assert_has(&after, "· Borttagen person, Kroksb");
    assert!(!after.contains("· Anna Berg, Kroksb"), "the name is gone");
    assert_has(&after, "· Anna Berg, Bollklubben");
}

async fn the_self_assessment_is_kept_per_principle(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let path = activity_path(PLAN, ACTIVITY);
    let action = format!("{path}/assessment");
    let res = app
        .post_form(
            &official,
            &path,
            &action,
            &[
                ("score-oppenhet-och-insyn", "2"),
                (
                    "comment-oppenhet-och-insyn",
                    "Vi redovisar ännu inte öppet.",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text(&path).await;
    assert_has(&html, "Vi redovisar ännu inte öppet.");
    assert_has(&html, "2 / 4");
    let res = app
        .post_form(
            &official,
            &path,
            &action,
            &[("score-oppenhet-och-insyn", "9")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "Välj en poäng från 1 till 4");
    // A partner may not assess.
    let (partner, _) = app.member_of(ORG, "member").await;
    let res = app
        .post_form(
            &partner,
            &path,
            &action,
            &[("score-oppenhet-och-insyn", "4")],
        )
        .await;
    assert_eq!(res.status(), 403);
}

async fn a_person_sees_the_activities_they_answer_for_and_updates_due(app: TestApp) {
    let body = a_body_with_four_activities(&app).await;
    let (official, email) = app.official_of(&body).await;
    let (user, official_roles) = app.current_user_and_roles(&email).await;
    app.app
        .post_update(
            &user,
            &official_roles,
            samverkan_app::plans::activities::ActivityRef {
                agreement: AGREEMENT,
                plan: PLAN_NOW,
                slug: "prov-b-aktuell",
            },
            &samverkan_app::plans::follow_up::UpdateForm {
                body: "Det går bra.".into(),
                ..Default::default()
            },
        )
        .await
        .expect("the update is published");

    let (status, html) = app.page(&official, "/account/activities").await;
    assert_eq!(status, 200);
    assert_has(&html, "Mina aktiviteter");
    // Exactly the body's activities: the one due first, then the active
    // ones, the finished one last.
    let rows: Vec<&str> = html
        .split("<tbody>")
        .nth(1)
        .expect("a table")
        .split("</tbody>")
        .next()
        .unwrap()
        .split("<tr>")
        .skip(1)
        .collect();
    let titles: Vec<&str> = rows
        .iter()
        .map(|r| {
            let link = &r[..r.find("</a>").expect("a link to the activity")];
            &link[link.rfind('>').unwrap() + 1..]
        })
        .collect();
    assert_eq!(
        titles,
        [
            "D utan uppdatering",
            "B uppdaterad nyss",
            "C planerad",
            "A avslutad"
        ]
    );
    assert_has(rows[0], "Uppdatering saknas sedan 90 dagar");
    for row in &rows[1..] {
        assert!(!row.contains("Uppdatering saknas"), "{row}");
    }
    let (_, nobody) = app
        .page(&app.person("nobody", &[]).await.0, "/account/activities")
        .await;
    assert_has(&nobody, "Du företräder ingen part");
}

/// A city body of the test's own (returned as `municipality/slug`),
/// answering for four activities of its own in the plan in force, made by
/// a coordinator: the order of the list is then known exactly.
async fn a_body_with_four_activities(app: &TestApp) -> String {
    let (_, coordinator) = app.coordinator_of(AGREEMENT).await;
    let (coordinator, roles) = app.current_user_and_roles(&coordinator).await;
    let body = app
        .app
        .create_city_body(
            &coordinator,
            &roles,
            &samverkan_app::agreements::city_bodies::CityBodyForm {
                municipality: "malmo".into(),
                name: "Provnämnden".into(),
                kind: "committee".into(),
                ..Default::default()
            },
        )
        .await
        .expect("the body is created");
    let today = time::OffsetDateTime::now_utc().date();
    let started = (today - time::Duration::days(200)).to_string();
    let ends = (today + time::Duration::days(200)).to_string();
    // Titles in the opposite order of the list's: the list sorts by what
    // is due and active first, and by title only within that.
    for (slug, title, status, starts_on) in [
        (
            "prov-a-avslutad",
            "A avslutad",
            "completed",
            started.as_str(),
        ),
        (
            "prov-b-aktuell",
            "B uppdaterad nyss",
            "ongoing",
            started.as_str(),
        ),
        ("prov-c-planerad", "C planerad", "planned", ends.as_str()),
        (
            "prov-d-sen",
            "D utan uppdatering",
            "ongoing",
            started.as_str(),
        ),
    ] {
        let form = ActivityForm {
            slug: slug.into(),
            title: title.into(),
            description: "En aktivitet för testet.".into(),
            goal: "Ett mål".into(),
            part: "conditions".into(),
            status: status.into(),
            progress: "10".into(),
            starts_on: starts_on.into(),
            ends_on: ends.clone(),
            responsible_city_bodies: body.trim_start_matches("malmo/").into(),
            one_sided_reason: "Nämndens egen uppföljning.".into(),
            principles: "dialog".into(),
            ..ActivityForm::default()
        };
        app.app
            .create_activity(&coordinator, &roles, AGREEMENT, PLAN_NOW, &form)
            .await
            .unwrap_or_else(|e| panic!("create {slug}: {e:?}"));
    }
    body
}

fn plan_fields(title: &str, version: Option<i64>) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("slug", "2027-2030"),
        ("title", title),
        ("starts_on", "2027-01-01"),
        ("ends_on", "2030-12-31"),
        ("summary", "Nästa plan bygger vidare på erfarenheterna."),
        ("challenges", "ungas-halsa-och-livsstil"),
        ("challenges", "jamlik-fritid-och-kultur"),
        ("part_challenges", "Två utmaningar prioriteras."),
        ("part_learning", "Samverkansskolan fortsätter."),
        ("status", "draft"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if let Some(v) = version {
        fields.push(("version".into(), v.to_string()));
    }
    fields
}

async fn coordinators_add_and_edit_plans_and_a_stale_plan_edit_is_refused(app: TestApp) {
    let coordinator = app.coordinator_of(AGREEMENT).await.0;
    let second = app.coordinator_of(AGREEMENT).await.0;
    let new_plan = format!("/agreements/{AGREEMENT}/plans/new");
    assert_eq!(app.page(&coordinator, &new_plan).await.0, 200);
    // Bad dates come back with what was typed.
    let mut bad = plan_fields("Handlingsplan 2027–2030", None);
    bad.retain(|(k, _)| k != "ends_on");
    bad.push(("ends_on".into(), "2026-01-01".into()));
    let res = app
        .post_form(&coordinator, &new_plan, &new_plan, &bad)
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Aktiviteten kan inte sluta innan den börjar");
    assert_has(&html, "Samverkansskolan fortsätter.");
    let res = app
        .post_form(
            &coordinator,
            &new_plan,
            &new_plan,
            &plan_fields("Handlingsplan 2027–2030", None),
        )
        .await;
    assert_eq!(res.status(), 303);
    let overview = format!("/agreements/{AGREEMENT}/plans/2027-2030");
    assert_eq!(
        res.headers()["location"],
        format!("{overview}?done=plan-saved").as_str()
    );
    let (status, html) = app.text(&overview).await;
    assert_eq!(status, 200);
    assert_has(&html, "<h1>Handlingsplan 2027–2030</h1>");
    assert_has(&html, "Två utmaningar prioriteras.");
    assert_has(&html, "Jämlik fritid och kultur");
    // The same short name again is refused.
    let res = app
        .post_form(
            &coordinator,
            &new_plan,
            &new_plan,
            &plan_fields("Igen", None),
        )
        .await;
    assert_eq!(res.status(), 422);
    // Two coordinators edit from version 1: the second is refused (409).
    let edit = format!("{overview}/edit");
    let (_, form) = app.page(&coordinator, &edit).await;
    assert_has(&form, "name=\"version\" value=\"1\"");
    let res = app
        .post_form(
            &coordinator,
            &edit,
            &edit,
            &plan_fields("Handlingsplan 2027–2031", Some(1)),
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(
            &second,
            &edit,
            &edit,
            &plan_fields("Plan för framtiden", Some(1)),
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan har sparat planen medan du skrev");
    assert_has(&html, "value=\"Plan för framtiden\"");
    assert_has(&html, "name=\"version\" value=\"2\"");
    let (_, html) = app.text(&overview).await;
    assert_has(&html, "<h1>Handlingsplan 2027–2031</h1>");
    assert_has(&html, "<dd>Utkast</dd>");
    a_closed_plan_names_its_decision_and_is_kept_as_it_was(&app, &coordinator, &edit).await;
    // An organisation's administrator may not keep plans.
    let (admin, _) = app.member_of(ORG, "admin").await;
    let res = app
        .post_form(&admin, "/", &edit, &plan_fields("Kapad", Some(3)))
        .await;
    assert_eq!(res.status(), 403);
}

async fn a_closed_plan_names_its_decision_and_is_kept_as_it_was(
    app: &TestApp,
    coordinator: &reqwest::Client,
    edit: &str,
) {
    let with = |status: &str, decision: &str, version: i64| {
        let mut f = plan_fields("Handlingsplan 2027–2031", Some(version));
        f.retain(|(k, _)| k != "status");
        f.push(("status".into(), status.into()));
        f.push(("decision".into(), decision.into()));
        f
    };
    let res = app
        .post_form(coordinator, edit, edit, &with("adopted", "", 2))
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "En antagen plan anger beslutet som antog den",
    );
    let (_, form) = app.page(coordinator, edit).await;
    let options = form.split("name=\"decision\"").nth(1).unwrap();
    let decision = options
        .split("<option value=\"")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let res = app
        .post_form(coordinator, edit, edit, &with("closed", decision, 2))
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_form(coordinator, edit, edit, &with("closed", decision, 3))
        .await;
    assert_eq!(res.status(), 409);
    assert_has(
        &res.text().await.unwrap(),
        "Planen är avslutad och ligger kvar som den var.",
    );
}

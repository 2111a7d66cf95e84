//! The working group as working data: a coordinator plans a meeting with
//! its agenda, writes the minutes and decisions, which the public sees only
//! once approved (and which are never edited after); action items are
//! added and moved on; documents are attached to a meeting; stale edits,
//! bad input and other people are refused, with what was typed kept.

use crate::{assert_has, visitor};
use samverkan_testkit::{Grant, TestApp, both_backends, csrf_in};
use time::Duration;

both_backends!(
    minutes_are_public_only_once_approved_in_both_languages,
    approved_minutes_agenda_and_decisions_are_not_edited,
    an_action_item_is_added_and_its_status_changed,
    edits_made_on_an_old_version_are_refused_with_409_and_kept,
    bad_input_is_refused_with_what_to_fix_and_what_was_typed_kept,
    a_document_is_attached_to_a_meeting_and_a_disguised_file_refused,
    nobody_but_the_agreements_coordinators_keeps_the_working_group,
    the_overview_shows_the_members_by_side_and_pages_the_meetings,
);

const AGREEMENT: &str = "malmoandan";
const WG: &str = "/agreements/malmoandan/working-group";
const NEW_MEETING: &str = "/agreements/malmoandan/working-group/meetings/new";
const NEW_ACTION: &str = "/agreements/malmoandan/working-group/actions/new";
const AGENDA: &str = "1. Mötet öppnas\n2. Uppföljning av handlingsplanen\n3. Övriga frågor";
const MINUTES: &str = "Gruppen gick igenom handlingsplanens aktiviteter.";
const DECISION: &str = "Arbetsgruppen föreslår en gemensam sommarsatsning.";

fn day(offset: i64) -> String {
    (samverkan_app::text::today() + Duration::days(offset)).to_string()
}

/// The rows of `table` (meetings, their decisions, action items) of
/// Malmöandan's working group (the demo's working group meets in Sjövik).
async fn malmo_count(app: &TestApp, table: &str) -> i64 {
    let agreement = "(SELECT id FROM agreements WHERE slug = 'malmoandan')";
    let sql = match table {
        "meeting_decisions" => format!(
            "SELECT COUNT(*) FROM meeting_decisions
             WHERE meeting_id IN (SELECT id FROM meetings WHERE agreement_id = {agreement})"
        ),
        _ => format!("SELECT COUNT(*) FROM {table} WHERE agreement_id = {agreement}"),
    };
    app.scalar(&sql).await
}

fn meeting_path(id: i64) -> String {
    format!("{WG}/meetings/{id}")
}

/// Plans a meeting `in_days` from today as `client`; its id.
async fn plan(app: &TestApp, client: &reqwest::Client, title: &str, in_days: i64) -> i64 {
    let res = app
        .post_form(
            client,
            NEW_MEETING,
            NEW_MEETING,
            &[
                ("title", title),
                ("meets_on", &day(in_days)),
                ("starts_at", "13.30"),
                ("place", "Stadshuset, rum 3"),
                ("agenda", AGENDA),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location
        .strip_prefix(&format!("{WG}/meetings/"))
        .and_then(|rest| rest.strip_suffix("?done=meeting-planned"))
        .expect("the meeting's page")
        .parse()
        .unwrap();
    id
}

/// The meeting's version as stored.
async fn version(app: &TestApp, id: i64) -> String {
    app.scalar(&format!("SELECT version FROM meetings WHERE id = {id}"))
        .await
        .to_string()
}

async fn save_minutes(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    (text, version): (&str, &str),
) -> reqwest::Response {
    let page = meeting_path(id);
    app.post_from(
        client,
        &page,
        &format!("{page}/minutes"),
        &[("minutes", text), ("version", version)],
    )
    .await
}

async fn approve(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    version: &str,
) -> reqwest::Response {
    let page = meeting_path(id);
    app.post_from(
        client,
        &page,
        &format!("{page}/minutes/approve"),
        &[("version", version)],
    )
    .await
}

async fn add_decision(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    (text, challenge): (&str, &str),
) -> reqwest::Response {
    let page = meeting_path(id);
    app.post_from(
        client,
        &page,
        &format!("{page}/decisions"),
        &[("decision", text), ("decision_challenge", challenge)],
    )
    .await
}

/// A meeting with saved minutes and a decision, approved.
async fn approved_meeting(app: &TestApp, client: &reqwest::Client) -> i64 {
    let id = plan(app, client, "Arbetsgruppens möte i januari", -3).await;
    let res = save_minutes(app, client, id, (MINUTES, "1")).await;
    assert_eq!(res.status(), 303);
    let res = add_decision(app, client, id, (DECISION, "ungas-halsa-och-livsstil")).await;
    assert_eq!(res.status(), 303);
    let res = approve(app, client, id, &version(app, id).await).await;
    assert_eq!(res.status(), 303);
    id
}

async fn minutes_are_public_only_once_approved_in_both_languages(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    // The overview read (and kept) before the meeting is planned shows it
    // once it is: a write moves the change counter the kept copy is read at.
    let (_, before) = visitor(&app, WG, "sv").await;
    assert!(!before.contains("Arbetsgruppens möte i januari"));
    let id = plan(&app, &coordinator, "Arbetsgruppens möte i januari", 7).await;
    let page = meeting_path(id);

    // The agenda is public at once, item by item, without an account.
    let (status, html) = visitor(&app, &page, "sv").await;
    assert_eq!(status, 200);
    assert_has(&html, "<li>Uppföljning av handlingsplanen</li>");
    assert_has(&html, "13:30 · <span lang=\"sv\">Stadshuset, rum 3</span>");
    assert_has(&html, "Protokollet är inte godkänt ännu.");
    let (_, overview) = visitor(&app, WG, "sv").await;
    assert_has(&overview, "Arbetsgruppens möte i januari");
    assert_has(&overview, &format!("href=\"{page}\""));

    // The draft minutes and a decision: the coordinators see them, nobody else.
    let res = save_minutes(&app, &coordinator, id, (MINUTES, "1")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{page}?done=minutes-saved")
    );
    let res = add_decision(
        &app,
        &coordinator,
        id,
        (DECISION, "ungas-halsa-och-livsstil"),
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, html) = visitor(&app, &page, "sv").await;
    assert!(
        !html.contains(MINUTES) && !html.contains(DECISION),
        "drafts are not public"
    );
    let (_, mine) = app.page(&coordinator, &page).await;
    assert_has(&mine, MINUTES);
    assert_has(&mine, DECISION);
    let (person, _) = app.person("person", &[]).await;
    let (_, theirs) = app.page(&person, &page).await;
    assert!(
        !theirs.contains(MINUTES),
        "a signed-in person is not a coordinator"
    );
    // The API gives what a visitor sees: the agenda, no draft minutes.
    let api = format!("/api/v1/agreements/{AGREEMENT}/meetings/{id}");
    let (status, json) = app.json(&api).await;
    assert_eq!(status, 200);
    assert_eq!(json["title"], "Arbetsgruppens möte i januari");
    assert_eq!(json["agenda"][1], "Uppföljning av handlingsplanen");
    assert_eq!(json["minutes_status"], "draft");
    assert!(json["minutes"].is_null(), "{json}");
    assert_eq!(json["decisions"].as_array().map(Vec::len), Some(0));
    let list = format!("/api/v1/agreements/{AGREEMENT}/meetings");
    let res = app.get(&list).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-total-count"], "1");
    let coming: serde_json::Value = res.json().await.unwrap();
    assert_eq!(coming[0]["id"], id);
    let (_, past) = app.json(&format!("{list}?when=past")).await;
    assert_eq!(past.as_array().map(Vec::len), Some(0));
    let (status, body) = app.json(&format!("{list}?when=later")).await;
    assert_eq!(status, 400);
    assert_has(&body.to_string(), "when");

    // Approved on the version seen, they are public in both languages.
    let res = approve(&app, &coordinator, id, &version(&app, id).await).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{page}?done=minutes-approved")
    );
    let (_, sv) = visitor(&app, &page, "sv").await;
    assert_has(&sv, MINUTES);
    assert_has(&sv, DECISION);
    assert_has(&sv, "Godkänt");
    assert_has(&sv, "Anna Berg");
    assert_has(
        &sv,
        "href=\"/agreements/malmoandan/challenges/ungas-halsa-och-livsstil\"",
    );
    let (_, json) = app.json(&api).await;
    assert_eq!(json["minutes"], MINUTES);
    assert_eq!(json["decisions"][0]["text"], DECISION);
    assert_eq!(
        json["decisions"][0]["challenge"],
        "ungas-halsa-och-livsstil"
    );
    let (_, en) = visitor(&app, &page, "en").await;
    assert_has(&en, "Minutes");
    assert_has(&en, "Approved");
    assert_has(&en, MINUTES);
    assert_has(&en, "Decisions");
    assert!(
        !sv.contains("name=\"minutes\""),
        "no form for approved minutes"
    );
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('meeting-planned', 'minutes-saved', 'meeting-decision-added', 'minutes-approved')")
        .await;
    assert_eq!(audited, 4);
}

async fn approved_minutes_agenda_and_decisions_are_not_edited(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let id = approved_meeting(&app, &coordinator).await;
    let page = meeting_path(id);
    let now = version(&app, id).await;

    // Even on the current version, with the reason, in the reader's language.
    let res = save_minutes(&app, &coordinator, id, ("Ett annat protokoll.", &now)).await;
    assert_eq!(res.status(), 409);
    assert_has(&res.text().await.unwrap(), "Mötets protokoll är godkänt.");
    let res = approve(&app, &coordinator, id, &now).await;
    assert_eq!(res.status(), 409);
    let res = add_decision(&app, &coordinator, id, ("Ett beslut till.", "")).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Mötets protokoll är godkänt.");
    let res = app
        .post_from(
            &coordinator,
            &page,
            &format!("{page}/edit"),
            &[
                ("title", "Ett nytt namn"),
                ("meets_on", &day(-3)),
                ("starts_at", "10:00"),
                ("place", "Stadshuset"),
                ("agenda", "Något annat"),
                ("version", &now),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "value=\"Ett nytt namn\"");
    let res = app
        .client
        .post(app.url(&format!("{page}/minutes")))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "no token, no change");

    // Nothing changed.
    let stored = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM meetings WHERE id = {id} AND minutes = '{MINUTES}' AND title = 'Arbetsgruppens möte i januari' AND version = {now}"
        ))
        .await;
    assert_eq!(stored, 1);
    assert_eq!(malmo_count(&app, "meeting_decisions").await, 1);
    let (_, html) = visitor(&app, &page, "en").await;
    assert_has(&html, MINUTES);
}

/// The id of the action item titled `title`.
async fn item_of(app: &TestApp, title: &str) -> i64 {
    app.scalar(&format!(
        "SELECT id FROM action_items WHERE title = '{title}'"
    ))
    .await
}

async fn an_action_item_is_added_and_its_status_changed(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let (_, owner) = app.person("owner", &[]).await;
    let id = plan(&app, &coordinator, "Arbetsgruppens möte i januari", -3).await;
    let new_form = format!("{NEW_ACTION}?meeting={id}");
    let (_, form) = app.page(&coordinator, &new_form).await;
    assert_has(&form, &format!("name=\"meeting\" value=\"{id}\""));
    let meeting = id.to_string();
    let res = app
        .post_from(
            &coordinator,
            &new_form,
            NEW_ACTION,
            &[
                ("meeting", meeting.as_str()),
                ("title", "Bjuda in föreningarna till dialog"),
                ("owner", owner.as_str()),
                ("due_on", &day(-1)),
                ("challenge", "ungas-halsa-och-livsstil"),
                ("activity", "2018-2022/avgiftsfria-lovaktiviteter"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{}?done=action-item-added", meeting_path(id))
    );
    // Public: the account's name, never its address; overdue; its links.
    let (_, overview) = visitor(&app, WG, "sv").await;
    assert_has(&overview, "Bjuda in föreningarna till dialog");
    assert_has(&overview, "Anna Berg");
    assert!(!overview.contains(&owner));
    assert_has(&overview, "Försenad");
    assert_has(&overview, "Inte påbörjad");
    assert_has(
        &overview,
        "href=\"/agreements/malmoandan/plans/2018-2022/activities/avgiftsfria-lovaktiviteter\"",
    );
    let (_, meeting_page) = visitor(&app, &meeting_path(id), "en").await;
    assert_has(&meeting_page, "Bjuda in föreningarna till dialog");
    assert_has(&meeting_page, "Not started");
    // The open items as open data: the owner, the day, the links.
    let res = app.get("/api/v1/agreements/malmoandan/action-items").await;
    assert_eq!(res.headers()["x-total-count"], "1");
    let items: serde_json::Value = res.json().await.unwrap();
    assert_eq!(items[0]["title"], "Bjuda in föreningarna till dialog");
    assert_eq!(items[0]["owner"], "Anna Berg");
    assert_eq!(items[0]["status"], "open");
    assert_eq!(items[0]["overdue"], true);
    assert_eq!(items[0]["meeting"], id);
    assert_eq!(items[0]["activity"], "2018-2022/avgiftsfria-lovaktiviteter");

    // In progress, then done: the owner's name typed back keeps the account.
    let item = item_of(&app, "Bjuda in föreningarna till dialog").await;
    let edit = format!("{WG}/actions/{item}");
    let (status, form) = app.page(&coordinator, &edit).await;
    assert_eq!(status, 200);
    assert_has(
        &form,
        "name=\"owner\" type=\"text\" autocomplete=\"off\" maxlength=\"200\" value=\"Anna Berg\"",
    );
    for (status, version) in [("in_progress", "1"), ("done", "2")] {
        let res = app
            .post_from(
                &coordinator,
                &edit,
                &edit,
                &[
                    ("title", "Bjuda in föreningarna till dialog"),
                    ("owner", "Anna Berg"),
                    ("due_on", &day(-1)),
                    ("status", status),
                    ("challenge", "ungas-halsa-och-livsstil"),
                    ("activity", "2018-2022/avgiftsfria-lovaktiviteter"),
                    ("version", version),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{status}");
    }
    let owner_id = app.user_id(&owner).await;
    let kept = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM action_items WHERE id = {item} AND status = 'done' AND owner_user_id = {owner_id} AND version = 3"
        ))
        .await;
    assert_eq!(kept, 1);
    let (_, overview) = visitor(&app, WG, "sv").await;
    assert!(
        !overview.contains("Bjuda in föreningarna"),
        "a done item is not open"
    );
    assert_has(&overview, "Inga öppna åtgärder.");
    let (_, meeting_page) = visitor(&app, &meeting_path(id), "sv").await;
    assert_has(&meeting_page, "Klar");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('action-item-added', 'action-item-updated')")
            .await,
        3
    );

    // The owner deletes the account: the item stays, by a removed person.
    let owner_client = samverkan_testkit::browser();
    let res = app
        .sign_in_with(&owner_client, &owner, samverkan_testkit::PASSWORD)
        .await;
    assert_eq!(res.status(), 303);
    // The owner's personal data names the item.
    let (status, export) = app.page(&owner_client, "/account/export").await;
    assert_eq!(status, 200);
    let export: serde_json::Value = serde_json::from_str(&export).unwrap();
    let owned = export["action_items_owned"].as_array().unwrap();
    assert_eq!(owned.len(), 1);
    assert_eq!(owned[0]["title"], "Bjuda in föreningarna till dialog");
    assert_eq!(owned[0]["status"], "done");
    assert_eq!(owned[0]["agreement"], AGREEMENT);
    let res = app
        .post_from(
            &owner_client,
            "/account",
            "/account/delete",
            &[("password", samverkan_testkit::PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, meeting_page) = visitor(&app, &meeting_path(id), "sv").await;
    assert_has(&meeting_page, "Bjuda in föreningarna till dialog");
    assert_has(&meeting_page, "Borttagen person");
    assert!(!meeting_page.contains("Anna Berg"), "the name is gone");
}

async fn edits_made_on_an_old_version_are_refused_with_409_and_kept(app: TestApp) {
    let (first, _) = app.coordinator_of(AGREEMENT).await;
    let (second, _) = app.coordinator_of(AGREEMENT).await;
    let id = plan(&app, &first, "Arbetsgruppens möte i januari", 7).await;
    let page = meeting_path(id);
    // Both start on version 1; the first saves.
    let res = save_minutes(&app, &first, id, ("Den förstas text.", "1")).await;
    assert_eq!(res.status(), 303);
    let res = save_minutes(&app, &second, id, ("Den andras text.", "1")).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan ändrade mötet medan du arbetade.");
    assert_has(&html, ">Den andras text.</textarea>");
    assert_has(&html, "Den förstas text.");
    assert_has(&html, "name=\"version\" value=\"2\"");
    // An approval of what the approver did not see is stale too.
    let res = approve(&app, &second, id, "1").await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM meetings WHERE id = {id} AND minutes_status = 'draft'"
        ))
        .await,
        1
    );
    // The meeting's own form.
    let res = app
        .post_from(
            &second,
            &page,
            &format!("{page}/edit"),
            &[
                ("title", "Flyttat möte"),
                ("meets_on", &day(8)),
                ("starts_at", "09:00"),
                ("place", "Rådhuset"),
                ("agenda", "Mötet öppnas"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "value=\"Flyttat möte\"");
    assert_has(&html, "value=\"Rådhuset\"");
    assert_has(&html, "Mötet som det är sparat nu");
    assert_has(&html, "name=\"version\" value=\"2\"");

    // An action item.
    let res = app
        .post_from(
            &first,
            NEW_ACTION,
            NEW_ACTION,
            &[("title", "Boka lokal"), ("owner", "Lina Ek")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let item = item_of(&app, "Boka lokal").await;
    let edit = format!("{WG}/actions/{item}");
    for (client, title, expected) in [
        (&first, "Boka lokal i tid", 303),
        (&second, "Boka stora salen", 409),
    ] {
        let res = app
            .post_from(
                client,
                &edit,
                &edit,
                &[
                    ("title", title),
                    ("owner", "Lina Ek"),
                    ("status", "open"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), expected, "{title}");
        if expected == 409 {
            let html = res.text().await.unwrap();
            assert_has(&html, "Någon annan ändrade åtgärden medan du arbetade.");
            assert_has(&html, "value=\"Boka stora salen\"");
            assert_has(&html, "Boka lokal i tid");
        }
    }
}

async fn bad_input_is_refused_with_what_to_fix_and_what_was_typed_kept(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let before = malmo_count(&app, "meetings").await;
    let res = app
        .post_from(
            &coordinator,
            NEW_MEETING,
            NEW_MEETING,
            &[
                ("title", "Arbetsgruppens möte"),
                ("meets_on", "14 januari"),
                ("starts_at", "25:00"),
                ("place", "Stadshuset"),
                ("agenda", " \n- \n"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Skriv dagen som ÅÅÅÅ-MM-DD");
    assert_has(&html, "Skriv klockslaget som TT:MM");
    assert_has(&html, "Skriv dagordningen, en punkt per rad.");
    assert_has(&html, "href=\"#starts_at\"");
    assert_has(&html, "value=\"Arbetsgruppens möte\"");
    assert_has(&html, "value=\"14 januari\"");
    assert_has(&html, "value=\"25:00\"");
    assert_eq!(malmo_count(&app, "meetings").await, before);

    // In English for an English reader, an agenda too long.
    app.page(&coordinator, "/?lang=en").await;
    let agenda = "punkt\n".repeat(41);
    let res = app
        .post_from(
            &coordinator,
            NEW_MEETING,
            NEW_MEETING,
            &[
                ("title", "x"),
                ("meets_on", &day(3)),
                ("starts_at", "10:00"),
                ("place", "Stadshuset"),
                ("agenda", &agenda),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    // (askama writes the apostrophe as `&#39;`.)
    assert_has(&html, "Write the meeting&#39;s title, 2 to 200 characters.");
    assert_has(&html, "The agenda has 41 items. Keep it to 40 at most.");
    assert_eq!(malmo_count(&app, "meetings").await, before);

    // Minutes approved while empty; a decision too short.
    let id = plan(&app, &coordinator, "Arbetsgruppens möte", 3).await;
    let res = approve(&app, &coordinator, id, "1").await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Write and save the minutes before they are approved.",
    );
    let res = add_decision(&app, &coordinator, id, ("x", "no-such-challenge")).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Write the decision, 2 to 2,000 characters.");
    assert_has(
        &html,
        "Choose one of the agreement&#39;s challenges, or none.",
    );
    assert_eq!(malmo_count(&app, "meeting_decisions").await, 0);
    // A meeting holds at most 100 decisions, so its page stays bounded.
    let fill = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
         INSERT INTO meeting_decisions (meeting_id, position, text) SELECT {id}, i, 'Beslut' FROM n"
    );
    app.execute(fill.leak()).await;
    let res = add_decision(&app, &coordinator, id, ("Beslut nummer 101", "")).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "The meeting has 100 decisions, the most it may have.",
    );
    assert_has(&html, ">Beslut nummer 101</textarea>");
    assert_eq!(malmo_count(&app, "meeting_decisions").await, 100);

    // An action item: an address without an account, an activity that is
    // not the agreement's, a day that is not one, a status that is not one.
    let res = app
        .post_from(
            &coordinator,
            NEW_ACTION,
            NEW_ACTION,
            &[
                ("title", "Boka lokal"),
                ("owner", "ingen@example.org"),
                ("due_on", "snart"),
                ("status", "finished"),
                ("activity", "2018-2022/finns-inte"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Nobody has a confirmed account with this address.");
    assert_has(
        &html,
        "No activity of the agreement&#39;s action plans is called 2018-2022/finns-inte.",
    );
    assert_has(&html, "Write the day as YYYY-MM-DD");
    assert_has(&html, "Choose where the action stands.");
    assert_has(&html, "value=\"Boka lokal\"");
    assert_has(&html, "value=\"ingen@example.org\"");
    assert_has(&html, "value=\"2018-2022/finns-inte\"");
    assert_eq!(malmo_count(&app, "action_items").await, 0);
    // A meeting of no such id is not found.
    let res = app
        .post_from(
            &coordinator,
            NEW_ACTION,
            NEW_ACTION,
            &[
                ("title", "Boka lokal"),
                ("owner", "Lina Ek"),
                ("meeting", "999999"),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(malmo_count(&app, "action_items").await, 0);
}

/// A small but whole PDF.
fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// Sends the attach form of meeting `id` with `file` named `name`.
async fn attach(
    app: &TestApp,
    client: &reqwest::Client,
    id: i64,
    (title, name, file): (&str, &str, &[u8]),
) -> reqwest::Response {
    let path = format!("{}/documents", meeting_path(id));
    let (status, html) = app.page(client, &path).await;
    assert_eq!(status, 200);
    let token = csrf_in(&html).expect("the form's token");
    let boundary = "----samverkanMeetingBoundary";
    let mut body = Vec::new();
    for (field, value) in [("csrf_token", token.as_str()), ("title", title)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    client
        .post(app.url(&path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept-language", "sv")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn a_document_is_attached_to_a_meeting_and_a_disguised_file_refused(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let id = plan(&app, &coordinator, "Arbetsgruppens möte i januari", 7).await;

    // A web page named as a PDF is refused with what it looks like.
    let disguised = b"<html><script>alert(document.cookie)</script></html>";
    let res = attach(
        &app,
        &coordinator,
        id,
        ("Underlag", "underlag.pdf", disguised),
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "den ser ut att vara text/html");
    assert_has(&html, "value=\"Underlag\"");
    assert_eq!(app.count("documents").await, 0);

    let res = attach(
        &app,
        &coordinator,
        id,
        ("Underlag till mötet", "underlag.pdf", &pdf()),
    )
    .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!(
            "{}/documents?done=meeting-document-attached",
            meeting_path(id)
        )
    );
    let (_, html) = app.page(&coordinator, &location).await;
    assert_has(&html, "Handlingen är bifogad och syns nu med mötet.");
    let (_, html) = visitor(&app, &meeting_path(id), "sv").await;
    assert_has(&html, "Underlag till mötet");
    let url = app
        .scalar(&format!(
            "SELECT id FROM documents WHERE owner_kind = 'meeting' AND owner_id = {id}"
        ))
        .await;
    let path = format!("/documents/{url}/underlag.pdf");
    assert_has(&html, &format!("href=\"{path}\""));
    let res = app.get(&path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf().as_slice());

    // Only the agreement's coordinators attach; a meeting of another
    // agreement is not found through this one.
    let (sjovik, _) = app.coordinator_of("sjovik").await;
    let (status, _) = app
        .page(&sjovik, &format!("{}/documents", meeting_path(id)))
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .page(
            &sjovik,
            &format!("/agreements/sjovik/working-group/meetings/{id}/documents"),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.count("documents").await, 1);
}

async fn nobody_but_the_agreements_coordinators_keeps_the_working_group(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let id = plan(&app, &coordinator, "Arbetsgruppens möte i januari", 7).await;
    let res = app
        .post_from(
            &coordinator,
            NEW_ACTION,
            NEW_ACTION,
            &[("title", "Boka lokal"), ("owner", "Lina Ek")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let item = item_of(&app, "Boka lokal").await;
    let page = meeting_path(id);
    let (sjovik, _) = app.coordinator_of("sjovik").await;
    let (member, _) = app
        .person(
            "member",
            &[Grant::Member("bollklubben-rosengardsstjarnan", "admin")],
        )
        .await;
    let (official, _) = app.official_of("malmo/kulturnamnden").await;
    let (person, _) = app.person("person", &[]).await;
    let edit = format!("{WG}/actions/{item}");
    for client in [&sjovik, &member, &official, &person] {
        // They read what the public reads, without the keepers' links.
        let (status, html) = app.page(client, &page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("name=\"minutes\""));
        let (_, html) = app.page(client, WG).await;
        assert!(!html.contains("/working-group/meetings/new"));
        for path in [
            NEW_MEETING.to_owned(),
            format!("{page}/edit"),
            edit.clone(),
            NEW_ACTION.to_owned(),
        ] {
            let (status, _) = app.page(client, &path).await;
            assert_eq!(status, 403, "GET {path}");
        }
        for (action, fields) in [
            (
                NEW_MEETING.to_owned(),
                vec![
                    ("title", "Möte"),
                    ("meets_on", "2030-01-01"),
                    ("starts_at", "10:00"),
                    ("place", "Hemma"),
                    ("agenda", "En punkt"),
                ],
            ),
            (
                format!("{page}/edit"),
                vec![("title", "Möte"), ("version", "1")],
            ),
            (
                format!("{page}/minutes"),
                vec![("minutes", "Kapat"), ("version", "1")],
            ),
            (format!("{page}/minutes/approve"), vec![("version", "1")]),
            (
                format!("{page}/decisions"),
                vec![("decision", "Kapat beslut")],
            ),
            (
                NEW_ACTION.to_owned(),
                vec![("title", "Kapad åtgärd"), ("owner", "Lina Ek")],
            ),
            (
                edit.clone(),
                vec![
                    ("title", "Kapad"),
                    ("owner", "Lina Ek"),
                    ("status", "done"),
                    ("version", "1"),
                ],
            ),
        ] {
            let res = app.post_from(client, "/account", &action, &fields).await;
            assert_eq!(res.status(), 403, "POST {action}");
        }
    }
    // A visitor is sent to sign in from a keeper's page, and reads the rest.
    let res = app.get(NEW_MEETING).await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    let (status, _) = visitor(&app, WG, "sv").await;
    assert_eq!(status, 200);
    let (status, _) = visitor(
        &app,
        &format!("/agreements/sjovik/working-group/meetings/{id}"),
        "sv",
    )
    .await;
    assert_eq!(
        status, 404,
        "a meeting is found through its own agreement only"
    );
    assert_eq!(malmo_count(&app, "meetings").await, 1);
    assert_eq!(malmo_count(&app, "action_items").await, 1);
    assert_eq!(malmo_count(&app, "meeting_decisions").await, 0);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM action_items WHERE id = {item} AND status = 'open' AND version = 1"))
            .await,
        1
    );
    // A platform administrator may, as on every coordinator's page.
    let (admin, _) = app.platform_admin().await;
    let (status, _) = app.page(&admin, NEW_MEETING).await;
    assert_eq!(status, 200);
}

async fn the_overview_shows_the_members_by_side_and_pages_the_meetings(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    // The demonstration data's working group, joint; a member named today.
    let res = app
        .post_from(
            &coordinator,
            "/agreements/malmoandan/governance",
            "/agreements/malmoandan/governance/terms",
            &[
                ("role", "arbetsgruppen"),
                ("holder", "Lina Ek"),
                ("starts_on", &day(-10)),
                ("ends_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // A working-group role of the city's side, with a member.
    let res = app
        .post_from(
            &coordinator,
            "/agreements/malmoandan/governance",
            "/agreements/malmoandan/governance/roles",
            &[
                ("kind", "working_group"),
                ("side", "city"),
                ("title", "Stadens ledamöter i arbetsgruppen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_from(
            &coordinator,
            "/agreements/malmoandan/governance",
            "/agreements/malmoandan/governance/terms",
            &[
                ("role", "stadens-ledamoter-i-arbetsgruppen"),
                ("holder", "Omar Said"),
                ("starts_on", &day(-1)),
                ("ends_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, sv) = visitor(&app, WG, "sv").await;
    assert_has(&sv, "<h3>Gemensamt</h3>");
    assert_has(&sv, "Lina Ek");
    assert_has(&sv, "<h3>Kommunens sida</h3>");
    assert_has(&sv, "Omar Said");
    assert!(
        sv.find("Kommunens sida").unwrap() < sv.find("<h3>Gemensamt</h3>").unwrap(),
        "the sides in their order"
    );
    let (_, en) = visitor(&app, WG, "en").await;
    assert_has(&en, "<h3>Joint</h3>");
    assert_has(&en, "Coming meetings");

    // Twelve past meetings: ten on the first page, the latest first; two on the second.
    for n in 1..=12 {
        plan(&app, &coordinator, &format!("Möte nummer {n:02}"), -n).await;
    }
    let (_, first) = visitor(&app, WG, "sv").await;
    assert_has(&first, "Möte nummer 01");
    assert_has(&first, "Möte nummer 10");
    assert!(!first.contains("Möte nummer 11"));
    assert_has(
        &first,
        "href=\"/agreements/malmoandan/working-group?coming=1&#38;past=2&#38;items=1#past\" rel=\"next\"",
    );
    let (status, second) = visitor(&app, &format!("{WG}?past=2"), "sv").await;
    assert_eq!(status, 200);
    assert_has(&second, "Möte nummer 12");
    assert!(!second.contains("Möte nummer 10"));
    let (status, _) = visitor(&app, &format!("{WG}?past=zwei"), "sv").await;
    assert_eq!(status, 400);
    // Linked from the contact page and the governance page.
    let (_, contact) = visitor(&app, "/agreements/malmoandan/contact", "sv").await;
    assert_has(&contact, "href=\"/agreements/malmoandan/working-group\"");
    let (_, governance) = app
        .page(&coordinator, "/agreements/malmoandan/governance")
        .await;
    assert_has(&governance, "href=\"/agreements/malmoandan/working-group\"");
}

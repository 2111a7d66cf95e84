//! Governance as working data: an agreement's coordinators keep its roles
//! and who holds them when; a coordinator's term of an account gives the
//! coordinator's rights for its period only; the contact page is built from
//! the current terms; bad input, stale edits and other people are refused.

use crate::assert_has;
use samverkan_testkit::{Grant, TestApp, both_backends};
use time::{Date, Duration};

both_backends!(
    a_coordinators_term_gives_the_rights_for_its_period_only,
    bad_input_is_refused_with_what_to_fix_and_what_was_typed_kept,
    ending_a_term_changed_meanwhile_is_refused_with_409,
    the_contact_page_shows_the_holders_named_in_both_languages,
    nobody_but_the_agreements_coordinators_may_use_the_governance_routes,
    a_role_is_edited_on_the_version_seen_and_removed_only_while_nobody_held_it,
);

const AGREEMENT: &str = "malmoandan";
const PAGE: &str = "/agreements/malmoandan/governance";
const TERMS: &str = "/agreements/malmoandan/governance/terms";
const END: &str = "/agreements/malmoandan/governance/terms/end";
const ROLES: &str = "/agreements/malmoandan/governance/roles";
/// The demonstration data's joint coordinator's role of Malmöandan.
const COORDINATOR_ROLE: &str = "samordnare-malmoandan";

fn day(offset: i64) -> String {
    (samverkan_app::text::today() + Duration::days(offset)).to_string()
}

async fn name_holder(
    app: &TestApp,
    client: &reqwest::Client,
    role: &str,
    holder: &str,
    (starts_on, ends_on): (&str, &str),
) -> reqwest::Response {
    app.post_from(
        client,
        PAGE,
        TERMS,
        &[
            ("role", role),
            ("holder", holder),
            ("starts_on", starts_on),
            ("ends_on", ends_on),
        ],
    )
    .await
}

async fn status_of(app: &TestApp, client: &reqwest::Client, path: &str) -> u16 {
    app.page(client, path).await.0
}

async fn a_coordinators_term_gives_the_rights_for_its_period_only(app: TestApp) {
    let (admin, _) = app.platform_admin().await;
    let (person, email) = app.person("holder", &[]).await;
    let applications = "/agreements/malmoandan/applications";
    assert_eq!(status_of(&app, &person, applications).await, 403);

    // A term from tomorrow gives nothing today.
    let res = name_holder(&app, &admin, COORDINATOR_ROLE, &email, (&day(1), &day(5))).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/agreements/malmoandan/governance?done=term-added"
    );
    assert_eq!(status_of(&app, &person, applications).await, 403);
    assert_eq!(status_of(&app, &person, PAGE).await, 403);

    // Nor does one that ended yesterday.
    let res = name_holder(
        &app,
        &admin,
        COORDINATOR_ROLE,
        &email,
        (&day(-30), &day(-1)),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, &person, applications).await, 403);

    // A term of another kind of role gives no coordinator's rights.
    let res = name_holder(&app, &admin, "arbetsgruppen", &email, (&day(-1), "")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, &person, applications).await, 403);

    // A term that covers today does, for its agreement only, with no grant
    // of the platform's.
    let res = name_holder(&app, &admin, COORDINATOR_ROLE, &email, (&day(0), &day(0))).await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, &person, applications).await, 200);
    assert_eq!(status_of(&app, &person, PAGE).await, 200);
    assert_eq!(
        status_of(&app, &person, "/agreements/sjovik/applications").await,
        403
    );
    let holder = app.user_id(&email).await;
    let granted = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM coordinators WHERE user_id = {holder}"
        ))
        .await;
    assert_eq!(granted, 0, "the rights come from the term, not a grant");
    let (_, account) = app.page(&person, "/account").await;
    assert_has(&account, "href=\"/agreements/malmoandan/governance\"");

    // The holder's personal data names the terms.
    let (status, export) = app.page(&person, "/account/export").await;
    assert_eq!(status, 200);
    let export: serde_json::Value = serde_json::from_str(&export).unwrap();
    let held = export["role_terms"].as_array().unwrap();
    assert_eq!(held.len(), 4);
    assert_eq!(held[0]["role"], "Samordnare för Malmöandan");
    assert_eq!(held[0]["agreement"], AGREEMENT);

    // Each naming is on the audit record, with who did it.
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'governance-term-added'")
        .await;
    assert_eq!(audited, 4);
}

async fn bad_input_is_refused_with_what_to_fix_and_what_was_typed_kept(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let terms_before = app.count("role_terms").await;

    // The end before the start.
    let res = name_holder(
        &app,
        &coordinator,
        COORDINATOR_ROLE,
        "Lina Ek",
        ("2030-05-01", "2030-04-30"),
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Den sista dagen kan inte komma före den första.");
    assert_has(&html, "value=\"Lina Ek\"");
    assert_has(&html, "value=\"2030-05-01\"");
    assert_has(&html, "value=\"2030-04-30\"");
    assert_has(
        &html,
        &format!("<option value=\"{COORDINATOR_ROLE}\" selected>"),
    );

    // An address without an account, a role that is not the agreement's.
    let res = name_holder(
        &app,
        &coordinator,
        "no-such-role",
        "ingen@example.org",
        ("2030-01-01", ""),
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Välj en av överenskommelsens roller.");
    assert_has(&html, "Ingen har ett bekräftat konto med den adressen.");
    assert_has(&html, "value=\"ingen@example.org\"");

    // The same person twice in the same role on one day.
    let res = name_holder(
        &app,
        &coordinator,
        COORDINATOR_ROLE,
        "Lina Ek",
        ("2030-01-01", "2030-12-31"),
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = name_holder(
        &app,
        &coordinator,
        COORDINATOR_ROLE,
        "lina ek",
        ("2030-12-31", ""),
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "Samma person har redan rollen under perioden 2030-01-01 – 2030-12-31.",
    );
    assert_has(&html, "value=\"lina ek\"");
    // Another person may, and so may the same person in another role.
    let res = name_holder(
        &app,
        &coordinator,
        COORDINATOR_ROLE,
        "Omar Said",
        ("2030-06-01", ""),
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = name_holder(
        &app,
        &coordinator,
        "arbetsgruppen",
        "Lina Ek",
        ("2030-06-01", ""),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("role_terms").await, terms_before + 3);

    // A role of an unknown kind, in English for an English reader.
    let roles_before = app.count("governance_roles").await;
    app.page(&coordinator, "/?lang=en").await;
    let res = app
        .post_from(
            &coordinator,
            PAGE,
            ROLES,
            &[
                ("kind", "chair"),
                ("side", "city"),
                ("title", "Ordförande i styrgruppen"),
                ("mailbox", "not an address"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Choose what kind of role it is.");
    assert_has(&html, "Write a valid e-mail address");
    assert_has(&html, "value=\"Ordförande i styrgruppen\"");
    assert_has(&html, "<option value=\"city\" selected>");
    assert_eq!(app.count("governance_roles").await, roles_before);

    // Typed right, the role is added and can be held.
    let res = app
        .post_from(
            &coordinator,
            PAGE,
            ROLES,
            &[
                ("kind", "challenge_host"),
                ("side", "joint"),
                ("title", "Värdpar för ungas hälsa"),
                ("mailbox", "unga@malmoandan.example"),
                ("description", "Håller ihop arbetet med utmaningen."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{PAGE}?done=role-added"));
    let (_, html) = app.page(&coordinator, &location).await;
    assert_has(&html, "Värdpar för ungas hälsa");
    assert_has(&html, "The role has been added.");
    let res = name_holder(
        &app,
        &coordinator,
        "vardpar-for-ungas-halsa",
        "Lina Ek",
        ("2030-01-01", ""),
    )
    .await;
    assert_eq!(res.status(), 303);
}

/// The id of the term held by `holder` (a name typed).
async fn term_of(app: &TestApp, holder: &str) -> i64 {
    app.scalar(&format!(
        "SELECT id FROM role_terms WHERE holder = '{holder}'"
    ))
    .await
}

async fn ending_a_term_changed_meanwhile_is_refused_with_409(app: TestApp) {
    let (coordinator, coordinator_email) = app.coordinator_of(AGREEMENT).await;
    let (other, _) = app.coordinator_of(AGREEMENT).await;
    let res = name_holder(
        &app,
        &coordinator,
        "arbetsgruppen",
        "Lina Ek",
        (&day(-10), ""),
    )
    .await;
    assert_eq!(res.status(), 303);
    let term = term_of(&app, "Lina Ek").await.to_string();
    // Both open the page at version 1; the other coordinator ends it first.
    let res = app
        .post_from(
            &other,
            PAGE,
            END,
            &[
                ("term", term.as_str()),
                ("version", "1"),
                ("ends_on", &day(2)),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/agreements/malmoandan/governance?done=term-ended"
    );
    let res = app
        .post_from(
            &coordinator,
            PAGE,
            END,
            &[
                ("term", term.as_str()),
                ("version", "1"),
                ("ends_on", &day(0)),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "Någon annan ändrade mandatperioden medan du arbetade.",
    );
    // The page shows the term as it is now, at its new version.
    assert_has(&html, "name=\"version\" value=\"2\"");
    let ends = end_of(&app, &coordinator_email, &term).await;
    assert_eq!(ends.map(|d| d.to_string()), Some(day(2)));

    // An end before the start is refused at the term's own form, kept.
    let res = app
        .post_from(
            &coordinator,
            PAGE,
            END,
            &[
                ("term", term.as_str()),
                ("version", "2"),
                ("ends_on", &day(-11)),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Den sista dagen kan inte komma före den första.");
    assert_has(
        &html,
        &format!(
            "id=\"end_on\" name=\"ends_on\" type=\"date\" value=\"{}\"",
            day(-11)
        ),
    );
    let ends = end_of(&app, &coordinator_email, &term).await;
    assert_eq!(ends.map(|d| d.to_string()), Some(day(2)));

    // A term of another agreement is not found through this one.
    let (sjovik, _) = app.coordinator_of("sjovik").await;
    let res = app
        .post_from(
            &sjovik,
            "/agreements/sjovik/governance",
            "/agreements/sjovik/governance/terms/end",
            &[
                ("term", term.as_str()),
                ("version", "2"),
                ("ends_on", &day(0)),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'governance-term-ended'")
            .await,
        1
    );
}

/// The last day of term `term` as the coordinators' page reads it.
async fn end_of(app: &TestApp, coordinator: &str, term: &str) -> Option<Date> {
    let (_, roles) = app.current_user_and_roles(coordinator).await;
    let g = app.app.governance(&roles, AGREEMENT).await.unwrap();
    let id: i64 = term.parse().unwrap();
    g.roles
        .iter()
        .flat_map(|r| r.current.iter().chain(&r.coming).chain(&r.past))
        .find(|t| t.id == id)
        .expect("the term")
        .ends_on
}

async fn the_contact_page_shows_the_holders_named_in_both_languages(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let (_, email) = app.person("holder", &[]).await;
    let contact = "/agreements/malmoandan/contact";
    let (_, before) = app.text(contact).await;
    assert!(!before.contains("Anna Berg") && !before.contains("Lina Ek"));
    let res = name_holder(
        &app,
        &coordinator,
        COORDINATOR_ROLE,
        &email,
        ("2025-01-01", ""),
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = name_holder(
        &app,
        &coordinator,
        "arbetsgruppen",
        "Lina Ek",
        ("2025-01-01", ""),
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = name_holder(
        &app,
        &coordinator,
        "processtod",
        "Omar Said",
        (&day(30), ""),
    )
    .await;
    assert_eq!(res.status(), 303);

    // The account's name, not its address; the side, the period, the mailbox.
    let (_, sv) = app.text(contact).await;
    assert_has(&sv, "Anna Berg (från 1 januari 2025)");
    assert!(!sv.contains(&email), "the holder's address is never shown");
    assert_has(&sv, "Lina Ek (från 1 januari 2025)");
    assert_has(&sv, "Gemensamt");
    assert_has(&sv, "mailto:samordnare@malmoandan.example");
    // A coming term is told as coming, not as an earlier holder.
    assert_has(&sv, "Tillträder");
    assert_has(&sv, "Omar Said (");
    let (_, en) = app.text(&format!("{contact}?lang=en")).await;
    assert_has(&en, "Held now by");
    assert_has(&en, "Anna Berg (from 1 January 2025)");
    assert_has(&en, "Lina Ek (from 1 January 2025)");
    assert_has(&en, "Takes over");
}

async fn nobody_but_the_agreements_coordinators_may_use_the_governance_routes(app: TestApp) {
    let (sjovik, _) = app.coordinator_of("sjovik").await;
    let (member, _) = app
        .person(
            "member",
            &[Grant::Member("bollklubben-rosengardsstjarnan", "admin")],
        )
        .await;
    let (official, _) = app.official_of("malmo/kulturnamnden").await;
    let (person, _) = app.person("person", &[]).await;
    let terms_before = app.count("role_terms").await;
    for client in [&sjovik, &member, &official, &person] {
        assert_eq!(status_of(&app, client, PAGE).await, 403);
        for (action, fields) in [
            (
                ROLES,
                vec![
                    ("kind", "coordinator"),
                    ("side", "city"),
                    ("title", "Samordnare"),
                ],
            ),
            (
                TERMS,
                vec![
                    ("role", COORDINATOR_ROLE),
                    ("holder", "Lina Ek"),
                    ("starts_on", "2030-01-01"),
                ],
            ),
            (
                END,
                vec![("term", "1"), ("version", "1"), ("ends_on", "2030-01-01")],
            ),
            (
                &format!("{ROLES}/{COORDINATOR_ROLE}"),
                vec![("version", "1"), ("side", "city"), ("title", "Samordnare")],
            ),
            (
                &format!("{ROLES}/{COORDINATOR_ROLE}/remove"),
                vec![("version", "1")],
            ),
        ] {
            let res = app.post_from(client, "/account", action, &fields).await;
            assert_eq!(res.status(), 403, "{action}");
        }
    }
    assert_eq!(app.count("role_terms").await, terms_before);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM governance_roles WHERE version <> 1")
            .await,
        0,
        "no role changed"
    );
    // A platform administrator may, as for every coordinator's page.
    let (admin, _) = app.platform_admin().await;
    assert_eq!(status_of(&app, &admin, PAGE).await, 200);
}

async fn a_role_is_edited_on_the_version_seen_and_removed_only_while_nobody_held_it(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    // A role added, then edited from its page: its side, title, mailbox and
    // description change; its kind is kept.
    let res = app
        .post_from(
            &coordinator,
            PAGE,
            ROLES,
            &[
                ("kind", "process_support"),
                ("side", "city"),
                ("title", "Stöd till arbetsgruppen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let role = format!("{ROLES}/stod-till-arbetsgruppen");
    let (status, html) = app.page(&coordinator, &role).await;
    assert_eq!(status, 200);
    assert_has(&html, "value=\"Stöd till arbetsgruppen\"");
    assert_has(&html, "name=\"version\" value=\"1\"");
    let (_, overview) = app.page(&coordinator, PAGE).await;
    assert_has(&overview, &format!("href=\"{role}\""));
    let edit = [
        ("version", "1"),
        ("side", "joint"),
        ("title", "Stöd för överenskommelsen"),
        ("mailbox", "process@malmo.example"),
        ("description", "Stöttar arbetsgruppen."),
    ];
    let res = app.post_from(&coordinator, &role, &role, &edit).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/agreements/malmoandan/governance?done=role-edited"
    );
    let (_, contact) = app.text("/agreements/malmoandan/contact").await;
    assert_has(&contact, "Stöd för överenskommelsen");
    assert_has(&contact, "process@malmo.example");
    // The same version again is stale: 409, what was typed kept, nothing
    // changed.
    let again = [
        ("version", "1"),
        ("side", "city"),
        ("title", "Ett annat namn"),
    ];
    let res = app.post_from(&coordinator, &role, &role, &again).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan ändrade rollen");
    assert_has(&html, "value=\"Ett annat namn\"");
    // Bad input: 422 at its field, typed kept.
    let bad = [
        ("version", "2"),
        ("side", "city"),
        ("title", "X"),
        ("mailbox", "inte en adress"),
    ];
    let res = app.post_from(&coordinator, &role, &role, &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "id=\"title-error\"");
    assert_has(&html, "value=\"inte en adress\"");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM governance_roles WHERE title = 'Stöd för överenskommelsen' AND kind = 'process_support' AND side = 'joint' AND version = 2")
            .await,
        1
    );
    // A role someone has held is kept: no remove button, and 409 if asked.
    let held = format!("{ROLES}/{COORDINATOR_ROLE}");
    let (_, html) = app.page(&coordinator, &held).await;
    assert!(
        !html.contains("/remove\""),
        "no remove form for a held role"
    );
    let res = app
        .post_from(
            &coordinator,
            &held,
            &format!("{held}/remove"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_has(&res.text().await.unwrap(), "finns kvar med sin historia");
    // Nobody held the new one: it is removed, on its version.
    let remove = format!("{role}/remove");
    let res = app
        .post_from(&coordinator, &role, &remove, &[("version", "1")])
        .await;
    assert_eq!(res.status(), 409, "an old version");
    let res = app
        .post_from(&coordinator, &role, &remove, &[("version", "2")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, &coordinator, &role).await, 404);
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('governance-role-edited', 'governance-role-removed')")
        .await;
    assert_eq!(audited, 2);
}

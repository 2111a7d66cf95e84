//! Keeping the city bodies and their officials, people and roles for
//! platform administrators with the audit record, and the change of e-mail
//! address with its notice to the old address.

use crate::assert_has;
use samverkan_testkit::smtp;
use samverkan_testkit::{PASSWORD, TestApp, both_backends, browser, link_in};

both_backends!(
    a_coordinator_adds_a_city_body_and_names_its_official,
    a_platform_administrator_finds_people_and_grants_roles_on_the_record,
    a_change_of_address_is_confirmed_from_the_new_one_and_told_to_the_old,
);

async fn a_coordinator_adds_a_city_body_and_names_its_official(app: TestApp) {
    let (coordinator, _) = app.coordinator_of("malmoandan").await;
    let (_, official_email) = app.person("official", &[]).await;
    // Bad input says what to fix and keeps what was typed.
    let res = app
        .post_from(
            &coordinator,
            "/city-bodies/new",
            "/city-bodies/new",
            &[
                ("municipality", "malmo"),
                ("name", "Valnämnden"),
                ("kind", "planet"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Välj vilket slags organ det är.");
    assert_has(&html, "value=\"Valnämnden\"");
    let res = app
        .post_from(
            &coordinator,
            "/city-bodies/new",
            "/city-bodies/new",
            &[
                ("municipality", "malmo"),
                ("name", "Valnämnden"),
                ("kind", "committee"),
                ("description", "Ansvarar för val och folkomröstningar."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/city-bodies/malmo/valnamnden?done=saved"
    );
    let (_, list) = app.text("/city-bodies").await;
    assert_has(&list, "Valnämnden");

    // An address without an account is refused with what to do.
    let body = "/city-bodies/malmo/valnamnden";
    let res = app
        .post_from(
            &coordinator,
            body,
            &format!("{body}/officials"),
            &[("email", "ingen@example.org")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Be personen registrera sig först",
    );
    let res = app
        .post_from(
            &coordinator,
            body,
            &format!("{body}/officials"),
            &[("email", &official_email)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.page(&coordinator, body).await;
    assert_has(&html, &official_email);
    // The official may now apply for the body.
    let official = browser();
    app.sign_in_with(&official, &official_email, PASSWORD).await;
    let (_, join) = app.page(&official, "/agreements/sjovik/join").await;
    assert_has(&join, "value=\"city-body:malmo/valnamnden\"");

    // Editing keeps the body in its municipality.
    let res = app
        .post_from(
            &coordinator,
            body,
            body,
            &[
                ("municipality", "sjovik"),
                ("name", "Valnämnden i Malmö"),
                ("kind", "committee"),
                ("description", "Val."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (status, html) = app.page(&coordinator, body).await;
    assert_eq!(status, 200);
    assert_has(&html, "Valnämnden i Malmö");
}

async fn a_platform_administrator_finds_people_and_grants_roles_on_the_record(app: TestApp) {
    let (admin, admin_email) = app.platform_admin().await;
    let (_, email) = app.person("future-coordinator", &[]).await;
    let (status, html) = app.page(&admin, "/admin?q=future-coordinator").await;
    assert_eq!(status, 200);
    assert_has(&html, &email);
    assert_has(&html, "En person");
    let id = app.user_id(&email).await.to_string();
    let res = app
        .post_from(
            &admin,
            "/admin",
            "/admin/roles",
            &[
                ("person", &id),
                ("role", "coordinator:sjovik"),
                ("action", "grant"),
                ("q", "future"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.page(&admin, "/admin?q=future-coordinator").await;
    assert_has(&html, "Samordnare för Överenskommelsen Sjövik");
    // The new coordinator reaches the applications.
    let coordinator = browser();
    app.sign_in_with(&coordinator, &email, PASSWORD).await;
    let (status, _) = app
        .page(&coordinator, "/agreements/sjovik/applications")
        .await;
    assert_eq!(status, 200);
    // An administrator cannot end their own role; the record shows the grant.
    let me = app.user_id(&admin_email).await.to_string();
    let res = app
        .post_from(
            &admin,
            "/admin",
            "/admin/roles",
            &[
                ("person", &me),
                ("role", "platform-admin"),
                ("action", "revoke"),
            ],
        )
        .await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("done=own-admin")
    );
    let (_, audit) = app.page(&admin, "/admin/audit").await;
    assert_has(&audit, "gav rollen samordnare");
    assert_has(&audit, "Anna Berg");
    // Search matches % and _ literally, not as wildcards.
    let (_, none) = app.page(&admin, "/admin?q=%25").await;
    assert_has(&none, "0 personer");
}

async fn a_change_of_address_is_confirmed_from_the_new_one_and_told_to_the_old(app: TestApp) {
    let (client, old) = app.person("mover", &[]).await;
    let new = app.address("moved");
    // Without the right password nothing happens, and the new address is kept in the form.
    let res = app
        .post_from(
            &client,
            "/account",
            "/account/email",
            &[("new_email", &new), ("password", "fel lösenord")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, &format!("value=\"{new}\""));
    let res = app
        .post_from(
            &client,
            "/account",
            "/account/email",
            &[("new_email", &new), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    let notice = smtp::server().messages_to(&old);
    assert_has(&notice.last().unwrap().body, &new);
    let link = link_in(
        &smtp::server().messages_to(&new).last().unwrap().body,
        "/confirm-email/",
    );
    let res = app.post_from(&client, &link, &link, &[]).await;
    assert_eq!(res.status(), 200);
    assert_has(&res.text().await.unwrap(), "använder nu den nya adressen");
    app.run_jobs().await;
    assert!(
        smtp::server()
            .messages_to(&old)
            .iter()
            .any(|m| m.subject.contains("din e-postadress är bytt"))
    );
    // The new address signs in; the old one no longer does; the link works once.
    assert_eq!(
        app.sign_in_with(&browser(), &new, PASSWORD).await.status(),
        303
    );
    assert_ne!(
        app.sign_in_with(&browser(), &old, PASSWORD).await.status(),
        303
    );
    let res = app.post_from(&client, &link, &link, &[]).await;
    assert_eq!(res.status(), 404);
}

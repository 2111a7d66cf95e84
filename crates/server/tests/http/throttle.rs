//! Forms that send e-mail are rate-limited per source and per target e-mail
//! address, with 429, `Retry-After` and the form as typed; a new reset link
//! voids the earlier ones. The counters are in the database, so every
//! instance shares them.

use crate::assert_has;
use samverkan_app::throttle::MailAction;
use samverkan_testkit::{TestApp, both_backends, link_in, smtp};

both_backends!(
    sign_ups_for_one_address_send_at_most_three_mails_an_hour,
    sign_ups_from_one_network_address_are_limited,
    reset_requests_are_limited_and_only_the_newest_link_works,
    invitations_to_one_address_are_limited_with_the_form_kept,
);

async fn sign_up(app: &TestApp, email: &str) -> reqwest::Response {
    app.submit(
        "/register",
        "/register",
        &[
            ("display_name", "Nils Holm"),
            ("email", email),
            ("password", samverkan_testkit::PASSWORD),
        ],
    )
    .await
}

/// Checks a refused answer: 429, a `Retry-After` within the hour, the
/// message in Swedish, and the typed address kept in the form.
async fn assert_throttled(res: reqwest::Response, typed: &str) {
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "För många försök från ditt nätverk eller till den här e-postadressen",
    );
    assert_has(&html, &format!("value=\"{typed}\""));
}

async fn sign_ups_for_one_address_send_at_most_three_mails_an_hour(app: TestApp) {
    let email = app.address("owner");
    for _ in 0..MailAction::SignUp.per_target() {
        assert_eq!(sign_up(&app, &email).await.status(), 200);
    }
    assert_throttled(sign_up(&app, &email).await, &email).await;
    assert_throttled(sign_up(&app, &email).await, &email).await;
    app.run_jobs().await;
    let mails = smtp::server().messages_to(&email);
    assert_eq!(mails.len(), 3, "one confirmation and two notices, no more");
    // The limit is per target: another address still signs up.
    assert_eq!(sign_up(&app, &app.address("other")).await.status(), 200);
}

async fn sign_ups_from_one_network_address_are_limited(app: TestApp) {
    let limit = MailAction::SignUp.per_source();
    for n in 0..limit {
        let res = sign_up(&app, &app.address(&format!("person{n}"))).await;
        assert_eq!(res.status(), 200, "sign-up {n}");
    }
    let last = app.address("one-too-many");
    assert_throttled(sign_up(&app, &last).await, &last).await;
    app.run_jobs().await;
    assert!(smtp::server().messages_to(&last).is_empty());
    let accounts: i64 = samverkan_db::db_run!(app.app.db(), |pool| sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE email LIKE 'person%'"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(accounts, limit);
}

async fn reset_requests_are_limited_and_only_the_newest_link_works(app: TestApp) {
    let email = app.confirmed_account("glomsk").await;
    let mut links = Vec::new();
    for _ in 0..MailAction::PasswordReset.per_target() {
        let res = app
            .submit("/forgot-password", "/forgot-password", &[("email", &email)])
            .await;
        assert_eq!(res.status(), 200);
        app.run_jobs().await;
        let mails = smtp::server().messages_to(&email);
        links.push(link_in(&mails.last().unwrap().body, "/reset/"));
    }
    let res = app
        .submit("/forgot-password", "/forgot-password", &[("email", &email)])
        .await;
    assert_throttled(res, &email).await;
    app.run_jobs().await;
    let resets = smtp::server()
        .messages_to(&email)
        .iter()
        .filter(|m| m.body.contains("/reset/"))
        .count();
    assert_eq!(resets, 3, "the refused request sent nothing");
    // Each new link voided the earlier ones: only the newest works.
    let (newest, earlier) = links.split_last().unwrap();
    for link in earlier {
        assert_eq!(app.text(link).await.0, 400, "{link} was voided");
    }
    assert_eq!(app.text(newest).await.0, 200);
    // Unknown addresses count alike (no telling which addresses have
    // accounts), and the per-address limit holds across targets.
    let limit = MailAction::PasswordReset.per_source() - 4;
    for n in 0..limit {
        let res = app
            .submit(
                "/forgot-password",
                "/forgot-password",
                &[("email", &app.address(&format!("nobody{n}")))],
            )
            .await;
        assert_eq!(res.status(), 200, "request {n}");
    }
    let typed = app.address("nobody-more");
    let res = app
        .submit("/forgot-password", "/forgot-password", &[("email", &typed)])
        .await;
    assert_throttled(res, &typed).await;
}

async fn invitations_to_one_address_are_limited_with_the_form_kept(app: TestApp) {
    let org = "bollklubben-rosengardsstjarnan";
    let (admin, _) = app.member_of(org, "admin").await;
    let members = format!("/organisations/{org}/members");
    let invitee = app.address("invitee");
    for _ in 0..MailAction::Invitation.per_target() {
        let res = app
            .post_from(
                &admin,
                &members,
                &format!("{members}/invite"),
                &[("email", &invitee), ("role", "admin")],
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    let res = app
        .post_from(
            &admin,
            &members,
            &format!("{members}/invite"),
            &[("email", &invitee), ("role", "admin")],
        )
        .await;
    assert_throttled(res, &invitee).await;
    app.run_jobs().await;
    assert_eq!(smtp::server().messages_to(&invitee).len(), 3);
}

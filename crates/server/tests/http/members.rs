//! Keeping an organisation: invitations by e-mail (single use, expiring),
//! roles within the organisation, the last administrator, and editing the
//! profile without overwriting someone else's edit.

use crate::assert_has;
use samverkan_testkit::smtp;
use samverkan_testkit::{TestApp, both_backends, link_in};

both_backends!(
    an_administrator_invites_a_member_by_a_link_that_works_once,
    an_expired_or_withdrawn_invitation_does_not_work,
    roles_change_and_the_last_administrator_stays,
    an_administrator_edits_the_profile_and_a_stale_edit_is_refused,
    bad_invitations_say_what_to_fix_and_keep_what_was_typed,
    only_the_invited_address_can_accept_an_invitation,
);

const ORG: &str = "bollklubben-rosengardsstjarnan";

fn members() -> String {
    format!("/organisations/{ORG}/members")
}

/// Posts one of the members page's forms (`invite`, `role`, `remove`).
async fn manage(
    app: &TestApp,
    admin: &reqwest::Client,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_from(
        admin,
        &members(),
        &format!("{}/{action}", members()),
        fields,
    )
    .await
}

async fn invite(app: &TestApp, admin: &reqwest::Client, email: &str, role: &str) -> String {
    let res = manage(app, admin, "invite", &[("email", email), ("role", role)]).await;
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    let mail = smtp::server().messages_to(email);
    let mail = mail.last().expect("the invitation arrives");
    assert_has(
        &mail.subject,
        "inbjudan till Bollklubben Rosengårdsstjärnan",
    );
    link_in(&mail.body, "/invitations/")
}

async fn an_administrator_invites_a_member_by_a_link_that_works_once(app: TestApp) {
    let (admin, _) = app.member_of(ORG, "admin").await;
    let (invitee, invitee_email) = app.person("invitee", &[]).await;
    let link = invite(&app, &admin, &invitee_email, "member").await;
    let (_, html) = app.page(&admin, &members()).await;
    assert_has(&html, &invitee_email);

    // A signed-out visitor of the link is asked to sign in and come back.
    let res = samverkan_testkit::browser()
        .get(app.url(&link))
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=%2Finvitations%2F")
    );

    let (status, html) = app.page(&invitee, &link).await;
    assert_eq!(status, 200);
    assert_has(
        &html,
        "Du är inbjuden att gå med i Bollklubben Rosengårdsstjärnan",
    );
    let res = app.post_from(&invitee, &link, &link, &[]).await;
    assert_eq!(res.status(), 303);
    let (status, html) = app.page(&invitee, &members()).await;
    assert_eq!(status, 200);
    assert_has(&html, "Anna Berg");
    // Members see the list but cannot manage it.
    assert!(!html.contains("/members/invite"));
    // The link works once.
    let res = app.post_from(&invitee, "/account", &link, &[]).await;
    assert_eq!(res.status(), 409);
    assert_has(&res.text().await.unwrap(), "har redan använts");
}

async fn an_expired_or_withdrawn_invitation_does_not_work(app: TestApp) {
    let (admin, _) = app.member_of(ORG, "admin").await;
    let (invitee, invitee_email) = app.person("invitee", &[]).await;
    let link = invite(&app, &admin, &invitee_email, "admin").await;
    // Expire it in the database, as seven days would.
    app.execute("UPDATE invitations SET expires_at = created_at")
        .await;
    let res = app.post_from(&invitee, "/account", &link, &[]).await;
    assert_eq!(res.status(), 409);

    let link = invite(&app, &admin, &invitee_email, "member").await;
    let (_, html) = app.page(&admin, &members()).await;
    let start = html.find("name=\"invitation\" value=\"").unwrap() + 25;
    let id: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let res = app
        .post_from(
            &admin,
            &members(),
            &format!("/organisations/{ORG}/invitations/revoke"),
            &[("invitation", &id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app.post_from(&invitee, "/account", &link, &[]).await;
    assert_eq!(res.status(), 409);
    let (status, _) = app.page(&invitee, &members()).await;
    assert_eq!(status, 403, "not a member");
}

async fn roles_change_and_the_last_administrator_stays(app: TestApp) {
    let (admin, admin_email) = app.member_of(ORG, "admin").await;
    let (_, member_email) = app.member_of(ORG, "member").await;
    let member = app.user_id(&member_email).await.to_string();
    let me = app.user_id(&admin_email).await.to_string();
    // The demo's own administrator is there too; remove them so ours is the last.
    let demo_admin = app
        .user_id("ordforande@rosengardsstjarnan.example")
        .await
        .to_string();
    let res = manage(&app, &admin, "remove", &[("member", &demo_admin)]).await;
    assert_eq!(res.status(), 303);
    // The last administrator cannot step down or be removed.
    for (action, fields) in [
        ("role", vec![("member", me.as_str()), ("role", "member")]),
        ("remove", vec![("member", me.as_str())]),
    ] {
        let res = manage(&app, &admin, action, &fields).await;
        assert_eq!(
            res.headers()["location"],
            format!("{}?done=last-admin", members())
        );
    }
    // Make the member an administrator; now ours may step down.
    let res = manage(
        &app,
        &admin,
        "role",
        &[("member", &member), ("role", "admin")],
    )
    .await;
    assert_eq!(
        res.headers()["location"],
        format!("{}?done=role-changed", members())
    );
    let res = manage(&app, &admin, "role", &[("member", &me), ("role", "member")]).await;
    assert_eq!(
        res.headers()["location"],
        format!("{}?done=role-changed", members())
    );
    // An unknown role is refused.
    let res = manage(
        &app,
        &admin,
        "role",
        &[("member", &member), ("role", "owner")],
    )
    .await;
    assert_eq!(res.status(), 403, "no longer an administrator");
}

async fn an_administrator_edits_the_profile_and_a_stale_edit_is_refused(app: TestApp) {
    let (admin, _) = app.member_of(ORG, "admin").await;
    let edit = format!("/organisations/{ORG}/edit");
    let (status, form) = app.page(&admin, &edit).await;
    assert_eq!(status, 200);
    assert_has(&form, "name=\"version\" value=\"1\"");
    let fields = |description: &'static str, version: &'static str| {
        vec![
            ("name", "Bollklubben Rosengårdsstjärnan"),
            ("legal_form", "ideell_forening"),
            ("org_number", ""),
            ("description", description),
            ("website", ""),
            ("contact_email", ""),
            ("district", "oster"),
            ("version", version),
        ]
    };
    let res = app
        .post_from(
            &admin,
            &edit,
            &edit,
            &fields("Fotboll för alla i Rosengård.", "1"),
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text(&format!("/organisations/{ORG}")).await;
    assert_has(&html, "Fotboll för alla i Rosengård.");
    // A second edit made on version 1 is refused, keeping what was typed.
    let res = app
        .post_from(&admin, &edit, &edit, &fields("Min äldre text.", "1"))
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan sparade profilen medan du skrev");
    assert_has(&html, "Min äldre text.");
    assert_has(&html, "name=\"version\" value=\"2\"");
    let (_, public) = app.text(&format!("/organisations/{ORG}")).await;
    assert_has(&public, "Fotboll för alla i Rosengård.");
    // Taking another organisation's number is refused, naming it.
    let (_, other) = app
        .json("/api/v1/organisations/kroksbacks-box-och-kampsportsklubb")
        .await;
    let number = other["org_number"].as_str().expect("a number");
    let mut taken = fields("Fotboll.", "2");
    taken[2] = ("org_number", number);
    let res = app.post_from(&admin, &edit, &edit, &taken).await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "redan registrerat av Kroksbäcks",
    );
}

async fn bad_invitations_say_what_to_fix_and_keep_what_was_typed(app: TestApp) {
    let (admin, _) = app.member_of(ORG, "admin").await;
    let res = manage(
        &app,
        &admin,
        "invite",
        &[
            ("email", "inte-en-adress"),
            ("role", "owner"),
            ("organisation", "annan"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "value=\"inte-en-adress\"");
    assert_has(&html, "Välj roll: medlem eller administratör.");
}

async fn only_the_invited_address_can_accept_an_invitation(app: TestApp) {
    let (admin, _) = app.member_of(ORG, "admin").await;
    let (invitee, invitee_email) = app.person("invitee", &[]).await;
    let (stranger, _) = app.person("stranger", &[]).await;
    let link = invite(&app, &admin, &invitee_email, "admin").await;
    // Someone else who got hold of the link sees whom it is for, and no button.
    let (status, html) = app.page(&stranger, &link).await;
    assert_eq!(status, 200);
    let hint = format!("i…@{}", invitee_email.split_once('@').unwrap().1);
    assert_has(&html, &format!("Inbjudan skickades till {hint}"));
    assert!(
        !html.contains(&format!("action=\"{link}\"")),
        "no accept form"
    );
    // Posting anyway is refused, and the page says why.
    let res = app.post_from(&stranger, &link, &link, &[]).await;
    assert_eq!(res.status(), 403);
    assert_has(&res.text().await.unwrap(), "Inbjudan gäller fortfarande");
    let (status, _) = app.page(&stranger, &members()).await;
    assert_eq!(status, 403, "the stranger did not become a member");
    // The invitation is still there for its owner, who becomes administrator.
    let (status, html) = app.page(&invitee, &link).await;
    assert_eq!(status, 200);
    assert_has(&html, &format!("action=\"{link}\""));
    let res = app.post_from(&invitee, &link, &link, &[]).await;
    assert_eq!(res.status(), 303);
    let (status, html) = app.page(&invitee, &members()).await;
    assert_eq!(status, 200);
    assert_has(&html, "/members/invite");
}

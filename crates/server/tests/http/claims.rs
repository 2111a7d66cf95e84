//! Claiming an organisation that has no members (one the directory import
//! brought in, say): the link goes to the organisation's own mailbox
//! through a real SMTP exchange, only the person who asked can use it, it
//! works once, and only while the organisation has no members.

use crate::{assert_has, visitor};
use samverkan_testkit::{TestApp, both_backends, link_in, smtp};

both_backends!(
    a_person_claims_an_organisation_without_members_by_the_link_sent_to_its_mailbox,
    an_organisation_with_members_or_without_a_mailbox_is_not_claimed,
);

/// A demo organisation nobody keeps, with a public mailbox.
const ORG: &str = "kroksbacks-box-och-kampsportsklubb";
const MAILBOX: &str = "kansli@kroksbacksbox.example";

async fn a_person_claims_an_organisation_without_members_by_the_link_sent_to_its_mailbox(
    app: TestApp,
) {
    let page = format!("/organisations/{ORG}");
    // A visitor is told how, and asked to sign in.
    let (_, html) = visitor(&app, &page, "sv").await;
    assert_has(&html, "Förvaltar du den här organisationen?");
    assert_has(&html, MAILBOX);
    assert_has(&html, &format!("href=\"/login?next=/organisations/{ORG}\""));
    // Signed in, the person asks; the link goes to the organisation's
    // mailbox, naming who asked.
    let (asker, _) = app.person("asker", &[]).await;
    let (_, html) = app.page(&asker, &page).await;
    assert_has(&html, &format!("action=\"/organisations/{ORG}/claim\""));
    let claim = format!("{page}/claim");
    let res = app.post_from(&asker, &page, &claim, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("{page}?done=claim-sent"));
    let (_, html) = app.page(&asker, &format!("{page}?done=claim-sent")).await;
    assert_has(&html, "Länken har skickats till organisationens adress.");
    app.run_jobs().await;
    let mail = smtp::server().messages_to(MAILBOX);
    let mail = mail.last().expect("the link arrives at the mailbox");
    assert_has(
        &mail.subject,
        "vill förvalta Kroksbäcks Box- och Kampsportsklubb",
    );
    assert_has(&mail.body, "Anna Berg");
    let link = link_in(&mail.body, "/organisations/claims/");

    // Someone else who gets hold of the link cannot use it, nor use it up.
    let (other, _) = app.person("other", &[]).await;
    let (status, html) = app.page(&other, &link).await;
    assert_eq!(status, 200);
    assert_has(&html, "Länken skickades för ett annat konto.");
    let res = app.post_from(&other, &link, &link, &[]).await;
    assert_eq!(res.status(), 403);
    // The person who asked confirms and keeps the organisation.
    let (status, html) = app.page(&asker, &link).await;
    assert_eq!(status, 200);
    assert_has(&html, "Bekräfta att du blir administratör för Kroksbäcks");
    let res = app.post_from(&asker, &link, &link, &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("{page}/members"));
    let (status, _) = app.page(&asker, &format!("{page}/edit")).await;
    assert_eq!(status, 200, "an administrator now");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id
             WHERE o.slug = '{ORG}' AND m.role = 'admin'"
        ))
        .await,
        1
    );
    // It works once; and the organisation has a keeper now, so nobody else
    // claims it.
    let res = app.post_from(&asker, &page, &link, &[]).await;
    assert_eq!(res.status(), 404);
    let (_, html) = app.page(&other, &page).await;
    assert!(!html.contains("claim-h"), "no claim offered any more");
    let res = app.post_from(&other, &page, &claim, &[]).await;
    assert_eq!(res.status(), 409);
    assert_has(
        &res.text().await.unwrap(),
        "Organisationen har redan administratörer.",
    );
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('organisation-claim-requested', 'organisation-claimed')")
        .await;
    assert_eq!(audited, 2);
}

async fn an_organisation_with_members_or_without_a_mailbox_is_not_claimed(app: TestApp) {
    let (person, _) = app.person("person", &[]).await;
    // Kept by its administrators: nothing offered, and a request is 409.
    let kept = "/organisations/bollklubben-rosengardsstjarnan";
    let (_, html) = app.page(&person, kept).await;
    assert!(!html.contains("claim-h"));
    let res = app
        .post_from(&person, kept, &format!("{kept}/claim"), &[])
        .await;
    assert_eq!(res.status(), 409);
    // No mailbox to send the link to: the page says whom to ask, in
    // either language, and a request is 409 with the same.
    let bare = "/organisations/kvinnoforeningen-nakhla";
    let (_, html) = app.page(&person, bare).await;
    assert_has(&html, "Kontakta plattformens administratör.");
    assert!(!html.contains("/claim\""));
    let (_, html) = visitor(&app, bare, "en").await;
    assert_has(&html, "Contact the platform&#39;s administrator.");
    let res = app
        .post_from(&person, bare, &format!("{bare}/claim"), &[])
        .await;
    assert_eq!(res.status(), 409);
    app.run_jobs().await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM user_tokens WHERE purpose = 'claim-organisation'")
            .await,
        0,
        "no link was made"
    );
}

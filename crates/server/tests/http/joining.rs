//! Joining an agreement: apply accepting the principles, a coordinator
//! approves or declines with a reason, the public list of parties, withdrawal,
//! and the e-mail at each step as the SMTP server received it.

use crate::assert_has;
use samverkan_testkit::smtp;
use samverkan_testkit::{TestApp, both_backends};

both_backends!(
    an_organisation_applies_a_coordinator_approves_and_it_is_listed_as_a_party,
    a_decline_needs_a_reason_which_the_applicant_receives,
    officials_and_active_citizens_join_too,
    only_an_adopted_agreement_takes_applications,
    forged_join_and_decision_fields_change_nothing,
);

const ORG: &str = "bollklubben-rosengardsstjarnan";
const ORG_NAME: &str = "Bollklubben Rosengårdsstjärnan";

/// Posts the application form for Sjövik from `client`.
async fn join(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_from(
        client,
        "/agreements/sjovik/join",
        "/agreements/sjovik/join",
        fields,
    )
    .await
}

/// Posts a decision on a Sjövik application from `coordinator`.
async fn decide(
    app: &TestApp,
    coordinator: &reqwest::Client,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_from(
        coordinator,
        "/agreements/sjovik/applications",
        "/agreements/sjovik/applications/decide",
        fields,
    )
    .await
}

/// The id of the newest application in the coordinator's list.
fn first_application(html: &str) -> String {
    let start = html.find("id=\"application-").expect("an application") + 16;
    html[start..].split('"').next().unwrap().to_owned()
}

async fn an_organisation_applies_a_coordinator_approves_and_it_is_listed_as_a_party(app: TestApp) {
    let (admin, admin_email) = app.member_of(ORG, "admin").await;
    let (coordinator, coordinator_email) = app.coordinator_of("sjovik").await;
    the_organisation_applies(&app, &admin, &admin_email, &coordinator_email).await;
    let id = the_coordinator_approves(&app, &coordinator, &admin_email).await;
    it_is_listed_as_a_party_on_the_page_and_in_the_api(&app).await;

    // A second decision on the same application changes nothing.
    let res = decide(
        &app,
        &coordinator,
        &[
            ("application", &id),
            ("decision", "decline"),
            ("reason", "Ångrade mig"),
        ],
    )
    .await;
    assert_eq!(
        res.headers()["location"],
        "/agreements/sjovik/applications?done=already-decided"
    );

    the_organisation_withdraws_and_is_no_longer_listed(&app, &admin, &coordinator_email, &id).await;

    // Every step is in the audit record.
    let (admin_client, _) = app.platform_admin().await;
    let (_, audit) = app.page(&admin_client, "/admin/audit").await;
    for action in [
        "ansökte om anslutning",
        "godkände anslutning",
        "drog tillbaka anslutning",
    ] {
        assert_has(&audit, action);
    }
}

/// The organisation's administrator applies: the form lists the
/// organisation and the principles; without accepting them it is refused
/// with the choice kept; accepted, the applicant gets a receipt and the
/// coordinator a notice; applying twice is refused; the applicant sees it
/// waiting on the account page, and the public does not see it yet.
async fn the_organisation_applies(
    app: &TestApp,
    admin: &reqwest::Client,
    admin_email: &str,
    coordinator_email: &str,
) {
    let (status, html) = app.page(admin, "/agreements/sjovik/join").await;
    assert_eq!(status, 200);
    assert_has(&html, ORG_NAME);
    assert_has(&html, "Självständighet och oberoende");

    // Without accepting the principles: refused, the choice kept.
    let party = format!("organisation:{ORG}");
    let res = join(app, admin, &[("party", &party)]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "förbinda er till principerna");
    assert_has(&html, &format!("value=\"{party}\" checked"));

    let res = join(app, admin, &[("party", &party), ("accept", "yes")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/account?done=applied");
    app.run_jobs().await;
    let receipt = smtp::server().messages_to(admin_email);
    assert!(
        receipt
            .iter()
            .any(|m| m.subject.contains("ansökan om anslutning"))
    );
    let notice = smtp::server().messages_to(coordinator_email);
    let notice = notice.last().expect("the coordinator is told");
    assert_has(&notice.body, "/agreements/sjovik/applications");

    // Applying twice is refused.
    let res = join(app, admin, &[("party", &party), ("accept", "yes")]).await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "redan ansökt");

    // The applicant sees it on the account page; the public does not yet.
    let (_, account) = app.page(admin, "/account").await;
    assert_has(&account, "ansökan väntar på beslut");
    let (_, parties) = app.text("/agreements/sjovik/parties").await;
    assert!(!parties.contains(ORG_NAME));
}

/// The coordinator finds the application in the list and approves it; the
/// applicant is told by e-mail. Returns the application's id.
async fn the_coordinator_approves(
    app: &TestApp,
    coordinator: &reqwest::Client,
    admin_email: &str,
) -> String {
    let (status, list) = app
        .page(coordinator, "/agreements/sjovik/applications")
        .await;
    assert_eq!(status, 200);
    assert_has(&list, ORG_NAME);
    let id = first_application(&list);
    let res = decide(
        app,
        coordinator,
        &[
            ("application", &id),
            ("decision", "approve"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    let decision = smtp::server().messages_to(admin_email);
    let decision = decision.last().unwrap();
    assert_has(&decision.subject, "beslut om anslutning");
    assert_has(&decision.body, "är godkänd");
    id
}

/// Listed as a party with the date, on the page and in the API.
async fn it_is_listed_as_a_party_on_the_page_and_in_the_api(app: &TestApp) {
    let (_, parties) = app.text("/agreements/sjovik/parties").await;
    assert_has(&parties, ORG_NAME);
    let (_, json) = app.json("/api/v1/agreements/sjovik/parties").await;
    let listed = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation"] == ORG)
        .expect("in the API");
    assert_eq!(listed["kind"], "organisation");
    assert!(listed["joined_on"].is_string());
}

/// The organisation withdraws application `id`; the coordinator hears; the
/// list drops it.
async fn the_organisation_withdraws_and_is_no_longer_listed(
    app: &TestApp,
    admin: &reqwest::Client,
    coordinator_email: &str,
    id: &str,
) {
    let res = app
        .post_from(
            admin,
            "/account",
            "/account/applications/withdraw",
            &[("application", id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    assert!(
        smtp::server()
            .messages_to(coordinator_email)
            .iter()
            .any(|m| m.subject.contains("dragit tillbaka"))
    );
    let (_, parties) = app.text("/agreements/sjovik/parties").await;
    assert!(!parties.contains(ORG_NAME));
}

async fn a_decline_needs_a_reason_which_the_applicant_receives(app: TestApp) {
    let (person, email) = app.person("citizen", &[]).await;
    let (coordinator, _) = app.coordinator_of("sjovik").await;
    let res = join(&app, &person, &[("party", "person"), ("accept", "yes")]).await;
    assert_eq!(res.status(), 303);
    let (_, list) = app
        .page(&coordinator, "/agreements/sjovik/applications")
        .await;
    let id = first_application(&list);
    let res = decide(
        &app,
        &coordinator,
        &[
            ("application", &id),
            ("decision", "decline"),
            ("reason", "  "),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "Skriv varför ansökan avslås");

    let reason = "Ansökan gäller en annan kommun <b>än</b> Sjövik.";
    let res = decide(
        &app,
        &coordinator,
        &[
            ("application", &id),
            ("decision", "decline"),
            ("reason", reason),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    app.run_jobs().await;
    let mail = smtp::server().messages_to(&email);
    let mail = mail.last().unwrap();
    assert_has(&mail.body, "har avslagits");
    assert_has(&mail.body, reason);
    let (_, account) = app.page(&person, "/account").await;
    assert_has(&account, "avslagen");
    assert_has(
        &account,
        "Ansökan gäller en annan kommun &#60;b&#62;än&#60;/b&#62; Sjövik.",
    );
}

async fn officials_and_active_citizens_join_too(app: TestApp) {
    let (official, _) = app.official_of("sjovik/socialnamnden").await;
    let (citizen, _) = app.person("citizen", &[]).await;
    let (coordinator, _) = app.coordinator_of("sjovik").await;
    for (client, party) in [
        (&official, "city-body:sjovik/socialnamnden"),
        (&citizen, "person"),
    ] {
        let res = join(&app, client, &[("party", party), ("accept", "yes")]).await;
        assert_eq!(res.status(), 303, "{party}");
        let (_, list) = app
            .page(&coordinator, "/agreements/sjovik/applications")
            .await;
        let id = first_application(&list);
        let res = decide(
            &app,
            &coordinator,
            &[("application", &id), ("decision", "approve")],
        )
        .await;
        assert_eq!(res.status(), 303);
    }
    let (_, parties) = app.text("/agreements/sjovik/parties").await;
    assert_has(&parties, "Socialnämnden");
    assert_has(&parties, "stadens organ");
    assert_has(&parties, "aktiv medborgare");
    let (_, json) = app.json("/api/v1/agreements/sjovik/parties").await;
    let kinds: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"city_body") && kinds.contains(&"person"));
    // No e-mail address of a person anywhere in the open data.
    assert!(!json.to_string().contains('@'));
}

async fn only_an_adopted_agreement_takes_applications(app: TestApp) {
    let (person, _) = app.person("citizen", &[]).await;
    let (status, html) = app.page(&person, "/agreements/malmoandan/join").await;
    assert_eq!(status, 200);
    assert_has(&html, "bara emot ansökningar när den är antagen");
    let res = app
        .post_from(
            &person,
            "/agreements/malmoandan/join",
            "/agreements/malmoandan/join",
            &[("party", "person"), ("accept", "yes")],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_has(
        &res.text().await.unwrap(),
        "bara emot ansökningar när den är antagen",
    );
    let (_, parties) = app.text("/agreements/malmoandan/parties").await;
    assert!(!parties.contains("/agreements/malmoandan/join"));
    let (_, parties) = app.text("/agreements/sjovik/parties").await;
    assert_has(&parties, "/agreements/sjovik/join");
}

/// Fields a person may not set are refused or ignored: applying for an
/// organisation one does not administer, slipping "approved" into an
/// application, deciding on another agreement's application.
async fn forged_join_and_decision_fields_change_nothing(app: TestApp) {
    let (person, _) = app.member_of(ORG, "member").await;
    let (coordinator, _) = app.coordinator_of("sjovik").await;
    let (other_coordinator, _) = app.coordinator_of("malmoandan").await;
    // A plain member cannot apply for the organisation.
    let res = join(
        &app,
        &person,
        &[("party", &format!("organisation:{ORG}")), ("accept", "yes")],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Välj någon av dem du får ansöka för",
    );
    // Extra fields on the application are ignored: it is still only applied.
    let res = join(
        &app,
        &person,
        &[
            ("party", "person"),
            ("accept", "yes"),
            ("status", "approved"),
            ("decision", "approve"),
            ("role", "coordinator"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, parties) = app.json("/api/v1/agreements/sjovik/parties").await;
    assert_eq!(parties.as_array().unwrap().len(), 0);
    // A coordinator of another agreement cannot decide it through their own.
    let (_, list) = app
        .page(&coordinator, "/agreements/sjovik/applications")
        .await;
    let id = first_application(&list);
    let res = app
        .post_from(
            &other_coordinator,
            "/agreements/malmoandan/applications",
            "/agreements/malmoandan/applications/decide",
            &[("application", &id), ("decision", "approve")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .post_from(
            &other_coordinator,
            "/agreements/malmoandan/applications",
            "/agreements/sjovik/applications/decide",
            &[("application", &id), ("decision", "approve")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // Someone else cannot withdraw it.
    let res = app
        .post_from(
            &coordinator,
            "/account",
            "/account/applications/withdraw",
            &[("application", &id)],
        )
        .await;
    assert_eq!(res.status(), 404);
    let (_, list) = app
        .page(&coordinator, "/agreements/sjovik/applications")
        .await;
    assert_has(&list, "ansökan väntar på beslut");
}

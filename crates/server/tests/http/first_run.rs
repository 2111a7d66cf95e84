//! The first run of a fresh install: the empty start page says what to do,
//! `samverkan admin create` makes the first platform administrator and
//! prints a one-time link that sets the password, and the administrator
//! signs in and adds the region and its first city body.

use crate::{assert_has, run_cli};
use samverkan_testkit::{Backend, TestApp, TestOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_install_gets_its_administrator_from_the_command_line_sqlite() {
    a_fresh_install_gets_its_administrator_from_the_command_line(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_install_gets_its_administrator_from_the_command_line_postgres() {
    a_fresh_install_gets_its_administrator_from_the_command_line(Backend::Postgres).await
}

const EMAIL: &str = "kansli@kommun.example";
const PASSWORD: &str = "vår första fras för plattformen";

/// The `/reset/…` path of the link the command printed.
fn link_of(stdout: &str) -> String {
    let start = stdout
        .find("http://kommun.test/reset/")
        .unwrap_or_else(|| panic!("no link in:\n{stdout}"))
        + "http://kommun.test".len();
    stdout[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

async fn a_fresh_install_gets_its_administrator_from_the_command_line(backend: Backend) {
    let options = TestOptions {
        demo: false,
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(backend, options).await;
    let url = app.database_url().await;
    // The empty start page says what to do, in either language.
    let (status, html) = app.text("/").await;
    assert_eq!(status, 200);
    assert_has(&html, "Så kommer ni i gång");
    assert_has(&html, "samverkan admin create --email");
    let res = app.get_in("/", "en").await;
    assert_has(&res.text().await.unwrap(), "How to get started");

    let (code, help, _) = run_cli(&url, &["admin", "create", "--help"]);
    assert_eq!(code, 0);
    assert_has(&help, "--email <EMAIL>");
    assert_has(&help, "works once and for 24 hours");
    // A bad address is refused with what is wrong, and nothing is made.
    let (code, _, stderr) = run_cli(&url, &["admin", "create", "--email", "kansli"]);
    assert_eq!(code, 1);
    assert_has(&stderr, "e-mail");
    assert_eq!(app.count("users").await, 0);

    let create = [
        "admin",
        "create",
        "--email",
        EMAIL,
        "--name",
        "Kommunens kansli",
        "--base-url",
        "http://kommun.test/",
    ];
    let (code, stdout, stderr) = run_cli(&url, &create);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(
        &stdout,
        &format!("Created the platform administrator Kommunens kansli <{EMAIL}>."),
    );
    let first_link = link_of(&stdout);
    // No password signs in until the link sets one.
    assert_eq!(app.sign_in(EMAIL, "unset").await.status(), 401);
    // Asking again gives a new link and voids the first; the account and
    // its role are not made twice.
    let (code, stdout, _) = run_cli(&url, &create);
    assert_eq!(code, 0);
    assert_has(
        &stdout,
        &format!("Platform administrator Kommunens kansli <{EMAIL}>."),
    );
    let link = link_of(&stdout);
    assert_ne!(link, first_link);
    assert_eq!(app.text(&first_link).await.0, 400, "the first link is void");
    assert_eq!(app.count("users").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'role-admin-granted'")
            .await,
        1
    );

    // The link sets the password, once; then the administrator signs in
    // and reaches the administration, where the step is on the record.
    let res = app.submit(&link, &link, &[("password", PASSWORD)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.text(&link).await.0, 400, "the link works once");
    assert_eq!(app.sign_in(EMAIL, PASSWORD).await.status(), 303);
    let (status, html) = app.text("/admin").await;
    assert_eq!(status, 200);
    assert_has(&html, "Personer och roller");
    let (status, audit) = app.text("/admin/audit").await;
    assert_eq!(status, 200);
    assert_has(&audit, "Kommunens kansli");
    the_administrator_adds_a_region_and_its_first_body(&app).await;
}

async fn the_administrator_adds_a_region_and_its_first_body(app: &TestApp) {
    let (_, html) = app.text("/city-bodies").await;
    assert_has(&html, "Här finns ännu ingen kommun eller region.");
    assert_has(&html, "href=\"/municipalities/new\"");
    // Bad input says what to fix and keeps what was typed.
    let new = "/municipalities/new";
    let res = app
        .submit(new, new, &[("name", "X"), ("kind", "county")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Skriv namnet, 2–100 tecken");
    assert_has(&html, "Välj om det är en kommun eller en region.");
    assert_has(&html, "value=\"X\"");
    let res = app
        .submit(new, new, &[("name", " Region Skåne "), ("kind", "region")])
        .await;
    assert_eq!(res.status(), 303);
    let next = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        next,
        "/city-bodies/new?municipality=region-skane&done=municipality-saved"
    );
    let (status, html) = app.text(&next).await;
    assert_eq!(status, 200);
    assert_has(&html, "Kommunen eller regionen är tillagd.");
    assert_has(
        &html,
        "<option value=\"region-skane\" selected>Region Skåne</option>",
    );
    let res = app
        .submit(
            &next,
            "/city-bodies/new",
            &[
                ("municipality", "region-skane"),
                ("name", "Regionstyrelsen"),
                ("kind", "executive_board"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text("/city-bodies").await;
    assert_has(&html, "Region Skåne");
    assert_has(&html, "Regionstyrelsen");
    // The same name again gets a slug of its own.
    let res = app
        .submit(new, new, &[("name", "Region Skåne"), ("kind", "region")])
        .await;
    assert_has(
        res.headers()["location"].to_str().unwrap(),
        "municipality=region-skane-2",
    );
    let (_, audit) = app.text("/admin/audit").await;
    assert_has(&audit, "region-skane");
}

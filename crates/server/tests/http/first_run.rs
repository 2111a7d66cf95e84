//! The first run of a fresh install: the empty start page says what to do,
//! `samverkan admin create` makes the first platform administrator and
//! prints a one-time link that sets the password, and the administrator
//! signs in, adds the region and its first city body, writes the region's
//! agreement through its life cycle (adopted with a signed PDF), makes a
//! plan with a challenge and names a coordinator for a period.

use crate::{assert_has, between, run_cli};
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
    the_administrator_writes_an_agreement(app).await;
}

/// The administrator writes the region's agreement: a draft only its
/// writers see, a text of three sections in Swedish and English, opened for
/// consultation, adopted with a decision; each step in the public history.
async fn the_administrator_writes_an_agreement(app: &TestApp) {
    let (_, html) = app.text("/agreements").await;
    assert_has(&html, "href=\"/agreements/new\"");
    let new = "/agreements/new";
    let res = app
        .submit(new, new, &[("name", "X"), ("short_name", "")])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Välj kommunen eller regionen.");
    assert_has(&html, "Skriv namnet, 3 till 200 tecken.");
    assert_has(&html, "value=\"X\"");
    let fields = [
        ("municipality", "region-skane"),
        ("name", "Överenskommelse om samverkan i Skåne"),
        ("short_name", "Skåneandan"),
        (
            "summary",
            "Hur regionen och den idéburna sektorn samverkar.",
        ),
        ("vision", "Ett Skåne där alla kan delta."),
        ("signatories", "Skånes idéburna råd\n"),
    ];
    let res = app.submit(new, new, &fields).await;
    assert_eq!(res.status(), 303);
    let edit = "/agreements/skaneandan/edit";
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        "/agreements/skaneandan/edit?done=agreement-created"
    );
    let (status, _) = app.text("/agreements/skaneandan").await;
    assert_eq!(status, 404, "a draft is not public");
    let (_, html) = app.text("/agreements").await;
    assert_has(
        &html,
        "<a href=\"/agreements/skaneandan/edit\">Överenskommelse om samverkan i Skåne</a>",
    );
    the_text_is_written(app, edit).await;
    the_agreement_is_consulted_and_adopted(app, edit).await;
}

const TEXT: &str = "## Vision\n\nEtt Skåne där *alla* kan delta. <script>alert(1)</script>\n\n## Principer\n\nVi utgår från [dialog](https://example.org).\n\n- Självständighet\n- Öppenhet\n\n## Uppföljning\n\nVi följer upp varje år.\n";
const TEXT_EN: &str = "## Vision\n\nA Skåne where *everyone* can take part.\n\n## Principles\n\nWe start from [dialogue](https://example.org).\n\n- Independence\n- Openness\n\n## Follow-up\n\nWe follow up every year.\n";

async fn the_text_is_written(app: &TestApp, edit: &str) {
    let text = format!("{edit}/text");
    let (_, html) = app.text(edit).await;
    let revision = between(&html, "name=\"text_revision\" value=\"", "\"");
    let res = app
        .submit(
            edit,
            &text,
            &[
                ("text_revision", revision.as_str()),
                ("label", "Utkast"),
                ("text", "Utan rubrik\n"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Rad 1: texten ska börja med en rubrik");
    assert_has(&html, "aria-invalid=\"true\">Utan rubrik");
    // An English text of another shape is refused, saying how they differ.
    let shape = [
        ("text_revision", revision.as_str()),
        ("label", "Utkast"),
        ("text", TEXT),
        ("text_en", "## Vision\n\nOnly one.\n"),
    ];
    let res = app.submit(edit, &text, &shape).await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "1+3+1 / 1");
    let good = [
        ("text_revision", revision.as_str()),
        ("label", "Utkast till remiss"),
        ("text", TEXT),
        ("text_en", TEXT_EN),
    ];
    let res = app.submit(edit, &text, &good).await;
    assert_eq!(res.status(), 303);
    // A text typed on the older revision is refused (409) and kept, and the
    // page shows how it differs from the one saved meanwhile.
    let typed = TEXT.replace("Vi följer upp varje år.", "Vi följer upp varannan vecka.");
    let stale = [
        ("text_revision", revision.as_str()),
        ("label", "Utkast till remiss"),
        ("text", typed.as_str()),
    ];
    let res = app.submit(edit, &text, &stale).await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan sparade texten");
    assert_eq!(
        html.matches("Vi följer upp varannan vecka.").count(),
        2,
        "in the box and among the lines"
    );
    assert_has(
        &html,
        "Bara i den sparade texten: </span>Vi följer upp varje år.</del>",
    );
    assert_has(
        &html,
        "Bara i din text: </span>Vi följer upp varannan vecka.</ins>",
    );
    let (_, html) = app.text(edit).await;
    assert_has(&html, "## Principer");
    assert_has(&html, "- Självständighet");
    // The principles and the challenges, written the same way.
    let parts = format!("{edit}/parts");
    let agreement_revision = between(&html, "name=\"revision\" value=\"", "\"");
    let form = [
        ("revision", agreement_revision.as_str()),
        (
            "principles",
            "## Dialog\n\nVi lyssnar på varandra.\n\n## Självständighet\n\nSektorn är fri.\n",
        ),
        (
            "challenges",
            "## Unga i hela regionen\n\nAlla unga ska kunna delta.\n\nFler mötesplatser på landsbygden.\n",
        ),
    ];
    let res = app.submit(edit, &parts, &form).await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text(edit).await;
    assert_has(
        &html,
        "## Unga i hela regionen\n\nAlla unga ska kunna delta.\n\nFler mötesplatser",
    );
}

async fn the_agreement_is_consulted_and_adopted(app: &TestApp, edit: &str) {
    let step = format!("{edit}/step");
    let revision = |html: &str| between(html, "name=\"revision\" value=\"", "\"");
    let (_, html) = app.text(edit).await;
    // Adopting before consultation is refused with the reason.
    let res = app
        .submit(
            edit,
            &step,
            &[("step", "adopted"), ("revision", &revision(&html))],
        )
        .await;
    assert_eq!(res.status(), 409);
    assert_has(&res.text().await.unwrap(), "Skicka texten på remiss");
    let res = app
        .submit(
            edit,
            &step,
            &[("step", "consultation"), ("revision", &revision(&html))],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Now public: the text in Swedish, its Markdown rendered and the
    // script inert; and in English.
    let (status, html) = app.text("/agreements/skaneandan/text").await;
    assert_eq!(status, 200);
    assert_has(&html, "Ett Skåne där <em>alla</em> kan delta.");
    assert!(!html.contains("<script>alert"), "no script from the text");
    assert_has(
        &html,
        "<li id=\"principer-2\" lang=\"sv\">Självständighet</li>",
    );
    let res = app.get_in("/agreements/skaneandan/text", "en").await;
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "<li id=\"principer-2\" lang=\"en\">Independence</li>",
    );
    assert_has(&html, "A Skåne where <em>everyone</em> can take part.");
    // The text under consultation stays as it was read.
    let (_, html) = app.text(edit).await;
    let text = [("text_revision", "1"), ("label", "x"), ("text", TEXT)];
    let res = app.submit(edit, &format!("{edit}/text"), &text).await;
    assert_eq!(res.status(), 409);
    assert_has(&res.text().await.unwrap(), "ute på remiss");
    // Adopting needs the decision; a missing one says what to fix.
    let rev = revision(&html);
    let res = app
        .submit(
            edit,
            &step,
            &[("step", "adopted"), ("revision", &rev), ("reference", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert_has(&body, "Skriv beslutsdatumet som 2026-09-28.");
    assert_has(&body, "Skriv beslutets diarienummer");
    // The decision with its signed document, sent as the browser sends a
    // form with a file; a disguised file is refused, nothing is saved.
    let token = app.csrf(edit).await;
    let decision = |name: &'static str, file: &'static str| {
        vec![
            ("csrf_token", None, token.clone()),
            ("step", None, "adopted".to_owned()),
            ("revision", None, rev.clone()),
            ("decided_on", None, "2026-11-30".to_owned()),
            (
                "decided_by",
                None,
                "region-skane/regionstyrelsen".to_owned(),
            ),
            ("reference", None, "RS-2026-42".to_owned()),
            ("title", None, "Regionstyrelsen antar Skåneandan".to_owned()),
            ("document", Some(name), file.to_owned()),
        ]
    };
    let disguised = decision("protokoll.pdf", "<html><script>alert(1)</script></html>");
    let sent: Vec<(&str, Option<&str>, &str)> = disguised
        .iter()
        .map(|(k, f, v)| (*k, *f, v.as_str()))
        .collect();
    let res = app.upload(&app.client, &step, &sent).await;
    assert_eq!(res.status(), 422);
    assert_has(&res.text().await.unwrap(), "value=\"RS-2026-42\"");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM documents").await, 0);
    let signed = decision("protokoll.pdf", PDF);
    let sent: Vec<(&str, Option<&str>, &str)> = signed
        .iter()
        .map(|(k, f, v)| (*k, *f, v.as_str()))
        .collect();
    let res = app.upload(&app.client, &step, &sent).await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text("/agreements/skaneandan/history").await;
    let link = between(&html, "<a href=\"/documents/", "\"");
    let (status, body) = app.text(&format!("/documents/{link}")).await;
    assert_eq!(
        (status, body.as_str()),
        (200, PDF),
        "the signed decision is served"
    );
    for shown in [
        "Regionstyrelsen antar Skåneandan</a> <span class=\"meta\" lang=\"sv\">(PDF",
        "Skapad som utkast",
        "Skickad på remiss",
        "Antagen",
        "av Kommunens kansli",
        "RS-2026-42",
        "Skånes idéburna råd",
    ] {
        assert_has(&html, shown);
    }
    let res = app.get_in("/agreements/skaneandan/history", "en").await;
    assert_has(&res.text().await.unwrap(), "Opened for consultation");
    let (_, html) = app.text("/agreements/skaneandan/decisions").await;
    assert_has(&html, "Regionstyrelsen antar Skåneandan");
    let (_, html) = app.text("/agreements/skaneandan/principles").await;
    assert_has(&html, "Vi lyssnar på varandra.");
    // A plan for the adopted agreement, with its challenge.
    let plans = "/agreements/skaneandan/plans/new";
    let plan = [
        ("slug", "2027-2028"),
        ("title", "Handlingsplan 2027–2028"),
        ("starts_on", "2027-01-01"),
        ("ends_on", "2028-12-31"),
        ("summary", "Den första handlingsplanen."),
        ("challenges", "unga-i-hela-regionen"),
        ("status", "draft"),
    ];
    let res = app.submit(plans, plans, &plan).await;
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let (_, html) = app.text("/agreements/skaneandan/plans/2027-2028").await;
    assert_has(&html, "Unga i hela regionen");
    a_coordinator_is_named_for_a_period(app).await;
    // An adopted text is never edited in place; a new version keeps the
    // anchors of the paragraphs it continues.
    let (_, html) = app.text(edit).await;
    assert_has(&html, "En antagen text ändras aldrig i efterhand.");
    let res = app
        .submit(
            edit,
            &step,
            &[("step", "new_version"), ("revision", &revision(&html))],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text(edit).await;
    let text_revision = between(&html, "name=\"text_revision\" value=\"", "\"");
    let edited = TEXT.replace(
        "Vi följer upp varje år.",
        "Vi följer upp varje år tillsammans.",
    );
    let form = [
        ("text_revision", text_revision.as_str()),
        ("label", "Revidering 2027"),
        ("text", edited.as_str()),
    ];
    let res = app.submit(edit, &format!("{edit}/text"), &form).await;
    assert_eq!(res.status(), 303);
    let anchors = app
        .scalar("SELECT COUNT(*) FROM version_paragraphs p JOIN version_sections s ON s.id = p.section_id
                 JOIN agreement_versions v ON v.id = s.version_id WHERE v.number = 2 AND p.anchor = 'uppfoljning-1'")
        .await;
    assert_eq!(anchors, 1, "the edited paragraph keeps its anchor");
}

/// The coordinator's role and its first term, held by an account for a
/// period; the contact page shows it, in Swedish and English.
async fn a_coordinator_is_named_for_a_period(app: &TestApp) {
    let page = "/agreements/skaneandan/governance";
    let role = [
        ("kind", "coordinator"),
        ("side", "joint"),
        ("title", "Samordnare"),
        ("mailbox", "samverkan@skane.example"),
        ("description", "Håller ihop arbetet med överenskommelsen."),
    ];
    let res = app.submit(page, &format!("{page}/roles"), &role).await;
    assert_eq!(res.status(), 303);
    let term = [
        ("role", "samordnare"),
        ("holder", EMAIL),
        ("starts_on", "2026-12-01"),
        ("ends_on", "2028-12-31"),
    ];
    let res = app.submit(page, &format!("{page}/terms"), &term).await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.text("/agreements/skaneandan/contact").await;
    assert_has(&html, "Samordnare");
    assert_has(&html, "Kommunens kansli");
    assert_has(&html, "samverkan@skane.example");
    let res = app.get_in("/agreements/skaneandan/contact", "en").await;
    assert_has(&res.text().await.unwrap(), "Kommunens kansli");
}

/// A small PDF, as a scanner or an office program would make it.
const PDF: &str = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

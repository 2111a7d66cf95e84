//! Script-injection payloads typed into every text field of the register
//! come out as text: escaped on every page that shows them, as data in JSON
//! and CSV, and as plain text in e-mail.

use samverkan_testkit::smtp;
use samverkan_testkit::{TestApp, both_backends};

both_backends!(injected_markup_is_shown_as_text_everywhere);

/// Payloads from the usual lists: tags, attributes breaking out of quotes,
/// event handlers, URLs and template syntax.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}<b>fet</b>",
    "</textarea><script>alert(2)</script>",
];

fn assert_no_live_markup(where_: &str, html: &str) {
    for needle in [
        "<script>alert",
        "<img src=x",
        "<svg onload",
        "<b>fet</b>",
        "</textarea><script>",
    ] {
        assert!(
            !html.contains(needle),
            "{where_} shows {needle:?} as markup"
        );
    }
}

async fn injected_markup_is_shown_as_text_everywhere(app: TestApp) {
    let (admin, admin_email) = app.person("payload", &[]).await;
    let (coordinator, _) = app.coordinator_of("sjovik").await;
    let (platform, _) = app.platform_admin().await;
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let name = format!("Förening {i} {payload}");
        let description = format!("Beskrivning {payload}");
        let res = app
            .post_from(
                &admin,
                "/organisations/new",
                "/organisations/new",
                &[
                    ("name", &name),
                    ("legal_form", "ideell_forening"),
                    ("description", &description),
                    ("website", &format!("https://example.org/{payload}")),
                    ("contact_email", payload),
                ],
            )
            .await;
        // The address and website are refused; the form shows them back as text.
        assert_eq!(res.status(), 422, "{payload}");
        let html = res.text().await.unwrap();
        assert_no_live_markup("the refused form", &html);
        let res = app
            .post_from(
                &admin,
                "/organisations/new",
                "/organisations/new",
                &[
                    ("name", &name),
                    ("legal_form", "ideell_forening"),
                    ("description", &description),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{payload}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let slug = location.trim_start_matches("/organisations/").to_owned();
        assert!(
            slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{slug}"
        );

        // Apply to join and invite someone, so the name reaches mails and lists.
        let party = format!("organisation:{slug}");
        app.post_from(
            &admin,
            "/agreements/sjovik/join",
            "/agreements/sjovik/join",
            &[("party", &party), ("accept", "yes")],
        )
        .await;
        app.post_from(
            &admin,
            &format!("/organisations/{slug}/members"),
            &format!("/organisations/{slug}/members/invite"),
            &[
                ("email", &app.address(&format!("invitee{i}"))),
                ("role", "member"),
            ],
        )
        .await;
        for path in [
            location.clone(),
            "/organisations".to_owned(),
            format!("/organisations/{slug}/members"),
            format!("/organisations/{slug}/edit"),
            "/account".to_owned(),
        ] {
            let html = app.page(&admin, &path).await.1;
            assert_no_live_markup(&path, &html);
        }
        for (client, path) in [
            (&coordinator, "/agreements/sjovik/applications".to_owned()),
            (&platform, "/admin/audit".to_owned()),
            (&platform, "/admin?q=payload".to_owned()),
        ] {
            let html = app.page(client, &path).await.1;
            assert_no_live_markup(&path, &html);
        }
        // JSON and CSV carry the text as data.
        let (_, json) = app.json(&format!("/api/v1/organisations/{slug}")).await;
        assert_eq!(json["name"], name.as_str());
        let csv = app
            .get("/api/v1/organisations?format=csv&per_page=100")
            .await
            .text()
            .await
            .unwrap();
        assert!(csv.contains(&format!("Förening {i}")), "the CSV lists it");
        for line in csv.lines().filter(|l| l.contains(&format!("Förening {i}"))) {
            // A field with a quote or a comma is quoted, quotes doubled.
            if payload.contains('"') {
                assert!(line.contains("\"\""), "{line}");
            }
            // Nothing starts a cell with a formula character.
            assert!(!line.contains(",="), "{line}");
        }
    }
    // E-mail is plain text: the names arrive as typed, never as HTML.
    app.run_jobs().await;
    let mails = smtp::server().messages_to(&app.address("invitee0"));
    let mail = mails.last().expect("an invitation");
    assert!(mail.body.contains("<script>alert(1)</script>"));
    let raw = std::fs::read_dir(smtp::server().maildir.join("new"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .find(|m| m.contains("invitee0"))
        .unwrap();
    assert!(raw.contains("Content-Type: text/plain"));
    let _ = admin_email;
}

//! The agreement's own fields, principles and challenges in English: the
//! pages show the visitor's language where a translation is kept, mark
//! what is shown in Swedish with `lang="sv"` and say so; a coordinator
//! writes the English in the workspace's two forms, a translation of
//! another shape is refused with what was typed kept, and the API gives
//! the translations beside the Swedish.

use crate::{assert_has, between, visitor};
use samverkan_testkit::{TestApp, both_backends};

both_backends!(
    the_demo_agreement_is_shown_in_english_where_translated_and_says_where_not,
    a_coordinator_writes_the_fields_principles_and_challenges_in_english,
    a_translation_of_another_shape_or_an_old_revision_is_refused_and_kept,
);

const NOTICE_EN: &str = "Parts of this page are not translated and are shown in Swedish.";
const NOTICE_SV: &str = "Delar av sidan finns inte översatta";

async fn the_demo_agreement_is_shown_in_english_where_translated_and_says_where_not(app: TestApp) {
    let (status, html) = visitor(&app, "/agreements/malmoandan", "en").await;
    assert_eq!(status, 200);
    assert_has(
        &html,
        "<h1 lang=\"en\">The Malmö Spirit – the Malmö Agreement</h1>",
    );
    assert_has(&html, "<div class=\"vision\" lang=\"en\">");
    assert_has(&html, "Equal leisure and culture</a></h3>");
    assert!(
        !html.contains(NOTICE_EN),
        "everything on the start page is translated"
    );
    // The navigation and the title name it in English too.
    assert_has(&html, "The Malmö Spirit");
    let (_, html) = visitor(&app, "/agreements/malmoandan/principles", "en").await;
    assert_has(&html, "<h2 lang=\"en\">Dialogue</h2>");
    assert!(!html.contains(NOTICE_EN));
    // A challenge's description is kept in Swedish only: shown so, marked
    // so, and said.
    let challenge = "/agreements/malmoandan/challenges/jamlik-fritid-och-kultur";
    let (_, html) = visitor(&app, challenge, "en").await;
    assert_has(&html, "<h1 lang=\"en\">Equal leisure and culture</h1>");
    assert_has(&html, NOTICE_EN);
    assert_has(&html, "<div lang=\"sv\">\n<p>Tillgången till föreningsliv");
    // In Swedish, the Swedish, and nothing is said.
    let (_, html) = visitor(&app, challenge, "sv").await;
    assert_has(&html, "<h1 lang=\"sv\">Jämlik fritid och kultur</h1>");
    assert!(!html.contains(NOTICE_SV));
    let (_, html) = visitor(&app, "/agreements", "en").await;
    assert_has(&html, "The Malmö Spirit – the Malmö Agreement</a></h2>");
    // An agreement with no translation is shown in Swedish, marked and
    // said, in English.
    let (_, html) = visitor(&app, "/agreements/sjovik", "en").await;
    assert_has(&html, "<h1 lang=\"sv\">");
    assert_has(&html, NOTICE_EN);
    // The API gives the text as written, and the translations beside it.
    let (status, json) = app.json("/api/v1/agreements/malmoandan").await;
    assert_eq!(status, 200);
    assert_eq!(json["name"], "Malmöandan – Överenskommelsen Malmö");
    let translations = json["translations"].as_array().expect("translations");
    assert!(translations.iter().any(|t| t["lang"] == "en"
        && t["part"] == "agreement"
        && t["field"] == "short_name"
        && t["text"] == "The Malmö Spirit"));
    assert!(translations.iter().any(|t| t["part"] == "principle"
        && t["slug"] == "dialog"
        && t["field"] == "name"
        && t["text"] == "Dialogue"));
}

/// The workspace's agreement fields as they stand, with `english`.
fn fields_with<'a>(revision: &'a str, english: [(&'a str, &'a str); 4]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("revision", revision),
        ("name", "Överenskommelsen i Sjövik"),
        ("short_name", "Sjövikandan"),
        ("summary", "Hur kommunen och föreningslivet samverkar."),
        ("vision", "Ett Sjövik där alla kan delta."),
        ("signatories", "Föreningsrådet i Sjövik"),
    ];
    f.extend(english);
    f
}

const PRINCIPLES_EN: &str = "## Dialogue\n\nWe listen to each other.\n";

/// A textarea's text as typed (the page escapes it).
fn textarea(html: &str, id: &str) -> String {
    let start = format!("id=\"{id}\"");
    let from = html.find(&start).unwrap_or_else(|| panic!("no {id}"));
    let text = between(&html[from..], ">", "</textarea>");
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `n` parts in English: a name and one paragraph each.
fn english_parts(what: &str, n: usize) -> String {
    (1..=n)
        .map(|i| format!("## {what} {i}\n\n{what} {i} in English.\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_coordinator_writes_the_fields_principles_and_challenges_in_english(app: TestApp) {
    let (client, _) = app.coordinator_of("sjovik").await;
    let edit = "/agreements/sjovik/edit";
    let (_, html) = app.page(&client, edit).await;
    let revision = between(&html, "name=\"revision\" value=\"", "\"");
    let english = [
        ("name_en", "The Sjövik agreement"),
        ("short_name_en", "The Sjövik spirit"),
        (
            "summary_en",
            "How the municipality and the associations work together.",
        ),
        ("vision_en", ""),
    ];
    let res = app
        .post_from(&client, edit, edit, &fields_with(&revision, english))
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = visitor(&app, "/agreements/sjovik", "en").await;
    assert_has(&html, "<h1 lang=\"en\">The Sjövik agreement</h1>");
    assert_has(
        &html,
        "How the municipality and the associations work together.",
    );
    // The vision is left in Swedish: shown, marked and said.
    assert_has(&html, "<div class=\"vision\" lang=\"sv\">");
    assert_has(&html, NOTICE_EN);
    let (_, html) = visitor(&app, "/agreements/sjovik", "sv").await;
    assert_has(&html, "<h1 lang=\"sv\">Överenskommelsen i Sjövik</h1>");

    // The workspace shows the English kept, and the parts are written in
    // English beside the Swedish, one section each.
    let (_, html) = app.page(&client, edit).await;
    assert_has(&html, "value=\"The Sjövik spirit\"");
    let revision = between(&html, "name=\"revision\" value=\"", "\"");
    let (principles, challenges) = (textarea(&html, "principles"), textarea(&html, "challenges"));
    let (p, c) = (
        principles.matches("## ").count(),
        challenges.matches("## ").count(),
    );
    assert!(p > 1 && c > 1, "the demo has principles and challenges");
    assert_eq!(textarea(&html, "principles_en"), "", "none translated yet");
    let parts = "/agreements/sjovik/edit/parts";
    let (principles_en, challenges_en) =
        (english_parts("Principle", p), english_parts("Challenge", c));
    // The ways of working, one statement a line, the English line by line.
    let commitments = textarea(&html, "commitments");
    let n = commitments.lines().count();
    assert!(n > 1, "the demo has ways of working: {commitments}");
    let commitments_en = (1..=n)
        .map(|i| format!("We work this way, {i}."))
        .collect::<Vec<_>>()
        .join("\n");
    let form = [
        ("revision", revision.as_str()),
        ("principles", principles.as_str()),
        ("challenges", challenges.as_str()),
        ("principles_en", principles_en.as_str()),
        ("challenges_en", challenges_en.as_str()),
        ("commitments", commitments.as_str()),
        ("commitments_en", commitments_en.as_str()),
    ];
    let res = app.post_from(&client, edit, parts, &form).await;
    let status = res.status();
    assert_eq!(status, 303, "{}", res.text().await.unwrap());
    let (_, html) = visitor(&app, "/agreements/sjovik/principles", "en").await;
    assert_has(&html, &format!("<h2 lang=\"en\">Principle {p}</h2>"));
    assert_has(&html, "<p lang=\"en\">Principle 1 in English.</p>");
    assert_has(&html, "<li lang=\"en\">We work this way, 2.</li>");
    assert!(
        !html.contains(NOTICE_EN),
        "the principles page is all in English"
    );
    let (_, html) = visitor(&app, "/agreements/sjovik/challenges", "en").await;
    assert_has(&html, "Challenge 2</a></h2>");
    assert_has(&html, "<p lang=\"en\">Challenge 2 in English.</p>");
    assert!(
        !html.contains(NOTICE_EN),
        "names and summaries are translated"
    );
    // The descriptions were not: a challenge's page says so.
    let first = between(&html, "href=\"/agreements/sjovik/challenges/", "\"");
    let path = format!("/agreements/sjovik/challenges/{first}");
    let (_, html) = visitor(&app, &path, "en").await;
    assert_has(&html, "<h1 lang=\"en\">Challenge 1</h1>");
    assert_has(&html, NOTICE_EN);
    assert_has(&html, "<div lang=\"sv\">");
    // The workspace gives the English back as written, an untranslated
    // description in Swedish for the writer to translate.
    let (_, html) = app.page(&client, edit).await;
    let kept = textarea(&html, "challenges_en");
    assert!(
        kept.starts_with("## Challenge 1\n\nChallenge 1 in English.\n\n"),
        "{kept}"
    );
    assert_eq!(
        textarea(&html, "principles_en").trim(),
        principles_en.trim()
    );
    // Emptied, the English is gone and the Swedish is shown, said.
    let revision = between(&html, "name=\"revision\" value=\"", "\"");
    assert_eq!(textarea(&html, "commitments_en"), commitments_en);
    let form = [
        ("revision", revision.as_str()),
        ("principles", principles.as_str()),
        ("challenges", challenges.as_str()),
        ("principles_en", ""),
        ("challenges_en", ""),
        ("commitments", commitments.as_str()),
        ("commitments_en", ""),
    ];
    assert_eq!(
        app.post_from(&client, edit, parts, &form).await.status(),
        303
    );
    let (_, html) = visitor(&app, "/agreements/sjovik/principles", "en").await;
    assert_has(&html, "<h2 lang=\"sv\">");
    assert_has(&html, NOTICE_EN);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM agreement_translations WHERE part <> 'agreement'
             AND agreement_id = (SELECT id FROM agreements WHERE slug = 'sjovik')"
        )
        .await,
        0
    );
}

async fn a_translation_of_another_shape_or_an_old_revision_is_refused_and_kept(app: TestApp) {
    let (client, _) = app.coordinator_of("sjovik").await;
    let edit = "/agreements/sjovik/edit";
    let (_, html) = app.page(&client, edit).await;
    let revision = between(&html, "name=\"revision\" value=\"", "\"");
    let parts = "/agreements/sjovik/edit/parts";
    let two = "## Dialog\n\nVi lyssnar.\n\n## Mångfald\n\nAlla får plats.\n";
    let form = [
        ("revision", revision.as_str()),
        ("principles", two),
        ("challenges", ""),
        ("principles_en", PRINCIPLES_EN),
    ];
    let res = app.post_from(&client, edit, parts, &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "Skriv ett avsnitt (## Namn) för varje del på svenska",
    );
    assert_has(&html, "svenska / engelska: 2 / 1");
    assert_has(&html, "aria-invalid=\"true\">## Dialogue");
    assert_has(&html, "## Mångfald");
    // The ways of working in English must be as many lines as in Swedish.
    let form = [
        ("revision", revision.as_str()),
        ("principles", two),
        ("challenges", ""),
        ("commitments", "Vi möts ofta.\n- Vi säger som det är."),
        ("commitments_en", "We meet often."),
    ];
    let res = app.post_from(&client, edit, parts, &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "svenska / engelska: 2 / 1");
    assert_has(&html, "aria-invalid=\"true\">We meet often.</textarea>");
    // A bad English name is refused at its field, in the visitor's
    // language, with everything typed kept.
    let english = [
        ("name_en", "X"),
        ("short_name_en", "Sjövik"),
        ("summary_en", "Kept as typed."),
        ("vision_en", ""),
    ];
    let res = app
        .post_from(&client, edit, edit, &fields_with(&revision, english))
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "id=\"name_en-error\"");
    assert_has(&html, "Kept as typed.");
    // Saved once, the same revision is stale: 409, the form kept.
    let english = [
        ("name_en", "The Sjövik agreement"),
        ("short_name_en", ""),
        ("summary_en", ""),
        ("vision_en", ""),
    ];
    let form = fields_with(&revision, english);
    assert_eq!(
        app.post_from(&client, edit, edit, &form).await.status(),
        303
    );
    let mut again = fields_with(&revision, english);
    again[6] = ("name_en", "A later name");
    let res = app.post_from(&client, edit, edit, &again).await;
    assert_eq!(res.status(), 409);
    assert_has(&res.text().await.unwrap(), "value=\"A later name\"");
    let (_, html) = visitor(&app, "/agreements/sjovik", "en").await;
    assert_has(&html, "<h1 lang=\"en\">The Sjövik agreement</h1>");
}

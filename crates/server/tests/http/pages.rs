use crate::assert_has;
use samverkan_testkit::{TestApp, both_backends};

both_backends!(
    start_page_shows_vision_status_challenges_and_recent_decisions,
    agreement_text_has_section_navigation_and_stable_anchors,
    an_older_version_is_readable_and_marked_as_not_in_force,
    comparing_versions_shows_what_was_inserted_and_deleted,
    decisions_are_on_a_timeline_newest_first,
    the_demo_agreements_history_is_taken_step_by_step_as_the_forms_take_it,
    principles_page_lists_principles_and_ways_of_working,
    challenges_have_a_list_and_a_page_each,
    plans_show_their_periods_and_deciding_decisions,
    contact_page_shows_who_holds_each_role_now_and_before,
    city_bodies_are_listed_with_the_committee_they_serve,
    accessibility_statement_has_every_element_digg_requires,
    a_second_agreement_shows_that_agreements_are_data,
    unknown_slugs_give_the_sites_404_page,
    malformed_query_parameters_give_400_with_what_to_fix,
    language_follows_parameter_then_cookie_then_accept_language,
    text_from_the_database_is_escaped,
);

async fn start_page_shows_vision_status_challenges_and_recent_decisions(app: TestApp) {
    let (status, html) = app.text("/").await;
    assert_eq!(status, 200);
    assert_has(&html, "<html lang=\"sv\">");
    assert_has(&html, "Malmöandan – Överenskommelsen Malmö");
    assert_has(&html, "Avvecklad");
    assert_has(&html, "sedan 6 mars 2024");
    assert_has(&html, "öppen, demokratisk och jämlik stad");
    for challenge in [
        "Ungas hälsa och livsstil",
        "Jämlik fritid och kultur",
        "Nya vägar till arbete och aktivitet",
    ] {
        assert_has(&html, challenge);
    }
    assert_has(&html, "Senaste besluten");
    assert_has(&html, "6 mars 2024");
    assert_has(&html, "href=\"/agreements\"");
}

async fn agreement_text_has_section_navigation_and_stable_anchors(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/text").await;
    assert_eq!(status, 200);
    assert_has(&html, "Antagen överenskommelse");
    assert_has(&html, "href=\"#vision\"");
    assert_has(&html, "<section id=\"vision\"");
    assert_has(&html, "Självständighet och oberoende");
    assert_has(&html, "id=\"ansvar-arlig-uppfoljning\"");
    // A list of items renders as one list.
    assert_has(&html, "<ul><li id=");
}

async fn an_older_version_is_readable_and_marked_as_not_in_force(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/text?version=1").await;
    assert_eq!(status, 200);
    assert_has(&html, "Utkast till överenskommelse");
    assert_has(&html, "Det här är inte den gällande versionen.");
    assert_has(&html, "Själständighet");
    assert_has(&html, "href=\"/agreements/malmoandan/text?version=2\"");
    let (status, html) = app.text("/agreements/malmoandan/versions").await;
    assert_eq!(status, 200);
    assert_has(&html, "Gällande");
    assert_has(&html, "action=\"/agreements/malmoandan/versions/compare\"");
}

async fn comparing_versions_shows_what_was_inserted_and_deleted(app: TestApp) {
    let (status, html) = app
        .text("/agreements/malmoandan/versions/compare?from=1&to=2")
        .await;
    assert_eq!(status, 200);
    assert_has(&html, "<del>Själständighet</del>");
    assert_has(&html, "<ins>Självständighet</ins>");
    assert_has(&html, "ett stycke tillagt");
    assert_has(&html, "Nytt");
}

async fn decisions_are_on_a_timeline_newest_first(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/decisions").await;
    assert_eq!(status, 200);
    let wound_down = html.find("6 mars 2024").expect("the 2024 decision");
    let adopted = html.find("14 juni 2017").expect("the adoption");
    assert!(wound_down < adopted, "newest first");
    assert_has(&html, "mars 2016");
    assert_has(&html, "<time datetime=\"2014\">2014</time>");
    assert_has(&html, "Saknas i registret");
}

/// The demonstration data is loaded through the step form's own code: its
/// agreements have signatories and a public history whose steps keep the
/// life cycle's rules, each on its day and with its decision.
async fn the_demo_agreements_history_is_taken_step_by_step_as_the_forms_take_it(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/history").await;
    assert_eq!(status, 200);
    assert_has(&html, "Malmö Ideella");
    let order = [
        "Skapad som utkast",
        "Skickad på remiss",
        "Ny version påbörjad",
        "Överenskommelsen antas",
        "Malmöandan avvecklas i nuvarande form",
    ];
    let at: Vec<usize> = (order.iter())
        .map(|s| html.find(s).unwrap_or_else(|| panic!("no {s}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "oldest first: {at:?}");
    assert_has(&html, "av Malmö stad");
    assert_has(&html, "<time datetime=\"2017-06-14\">");
    // The first version was consulted on, then gave way to the adopted one.
    let (_, html) = app.text("/agreements/sjovik/versions").await;
    assert_has(&html, "Utkast på dialog");
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id
             WHERE a.slug = 'sjovik' AND v.number = 1 AND v.status = 'superseded'"
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM agreement_events WHERE actor_id IS NULL")
            .await,
        9,
        "five steps of Malmöandan, four of Sjövik"
    );
}

async fn principles_page_lists_principles_and_ways_of_working(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/principles").await;
    assert_eq!(status, 200);
    for principle in [
        "Självständighet och oberoende",
        "Dialog",
        "Kvalitet och delaktighet",
        "Långsiktighet",
        "Öppenhet och insyn",
        "Mångfald",
    ] {
        assert_has(&html, principle);
    }
    assert_has(&html, "Så här jobbar vi");
    assert_has(&html, "Vi visar mod, öppenhet, tillit och prestigelöshet");
}

async fn challenges_have_a_list_and_a_page_each(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/challenges").await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("/agreements/malmoandan/challenges/").count(),
        5
    );
    let (status, html) = app
        .text("/agreements/malmoandan/challenges/ungas-halsa-och-livsstil")
        .await;
    assert_eq!(status, 200);
    assert_has(&html, "<h1 lang=\"sv\">Ungas hälsa och livsstil</h1>");
    assert_has(&html, "Samarbetsplan 2021–2026");
}

async fn plans_show_their_periods_and_deciding_decisions(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/plans").await;
    assert_eq!(status, 200);
    assert_has(&html, "Samarbetsplan 2018–2019");
    assert_has(&html, "Förlängd till");
    assert_has(&html, "31 december 2022");
    assert_has(&html, "Kommunstyrelsen, 13 juni 2018");
}

async fn contact_page_shows_who_holds_each_role_now_and_before(app: TestApp) {
    let (status, html) = app.text("/agreements/malmoandan/contact").await;
    assert_eq!(status, 200);
    // Malmöandan is wound down: nobody holds a role now, all are history.
    assert_has(&html, "Ingen innehar uppdraget just nu.");
    for holder in [
        "Mikael Johansson",
        "Lari Pitkä-Kangas",
        "Ulf Bingsgård",
        "Ivar Scotte",
        "Verenice Bengtsson",
    ] {
        assert_has(&html, holder);
    }
    assert_has(&html, "mailto:");
    assert!(!html.contains("[e-post borttagen]"));
    let (_, html) = app.text("/agreements/sjovik/contact").await;
    assert_has(&html, "Innehas nu av");
}

async fn city_bodies_are_listed_with_the_committee_they_serve(app: TestApp) {
    let (status, html) = app.text("/city-bodies").await;
    assert_eq!(status, 200);
    assert_has(&html, "Kulturförvaltningen");
    assert_has(&html, "Kulturnämnden");
    // One municipality at a time (the start page's, by default); the
    // others are a choice.
    assert_has(
        &html,
        "href=\"/city-bodies?municipality=sjovik\">Sjöviks kommun</a>",
    );
    assert!(
        !html.contains("Kultur- och fritidsnämnden"),
        "Sjövik's bodies"
    );
    let (status, html) = app.text("/city-bodies?municipality=sjovik").await;
    assert_eq!(status, 200);
    assert_has(&html, "Kultur- och fritidsnämnden");
    assert_has(&html, "aria-current=\"page\">Sjöviks kommun</a>");
    assert!(!html.contains("Kulturförvaltningen"), "Malmö's bodies");
    assert_eq!(app.text("/city-bodies?municipality=ingen").await.0, 404);
}

async fn accessibility_statement_has_every_element_digg_requires(app: TestApp) {
    let (status, html) = app.text("/accessibility").await;
    assert_eq!(status, 200);
    for element in [
        "Hur tillgänglig är webbplatsen?",         // compliance status
        "Innehåll som inte är tillgängligt",       // non-accessible content
        "Om du behöver innehållet på annat sätt",  // alternatives
        "id=\"feedback\"",                         // feedback mechanism
        "mailto:tillganglighet@samverkan.example", // how to give feedback
        "https://www.digg.se/tdosanmalan",         // enforcement procedure
        "Hur vi testat webbplatsen",               // how it was prepared
        "uppdaterades senast",                     // date of the statement
        "lagen (2018:1937)",
    ] {
        assert_has(&html, element);
    }
}

async fn a_second_agreement_shows_that_agreements_are_data(app: TestApp) {
    let (_, html) = app.text("/agreements").await;
    assert_has(&html, "Malmöandan – Överenskommelsen Malmö");
    assert_has(&html, "Överenskommelsen Sjövik");
    let (status, html) = app.text("/agreements/sjovik").await;
    assert_eq!(status, 200);
    assert_has(&html, "Antagen");
    assert_has(&html, "href=\"/agreements/sjovik/text\"");
}

async fn unknown_slugs_give_the_sites_404_page(app: TestApp) {
    for path in [
        "/agreements/no-such-agreement",
        "/agreements/no-such-agreement/text",
        "/agreements/malmoandan/challenges/no-such-challenge",
        "/agreements/malmoandan/text?version=99",
        "/agreements/malmoandan/versions/compare?from=1&to=99",
        "/no/such/page",
    ] {
        let (status, html) = app.text(path).await;
        assert_eq!(status, 404, "{path}");
        assert_has(&html, "Sidan finns inte");
        assert_has(&html, "Till startsidan");
    }
}

async fn malformed_query_parameters_give_400_with_what_to_fix(app: TestApp) {
    let cases = [
        (
            "/agreements/malmoandan/text?version=abc",
            "Parametern ”version” ska vara ett heltal från 1 och uppåt, till exempel version=2. Du angav ”abc”.",
        ),
        ("/agreements/malmoandan/text?version=0", "Du angav ”0”."),
        (
            "/agreements/malmoandan/versions/compare?from=1",
            "Parametern ”to” saknas",
        ),
        (
            "/agreements/malmoandan/versions/compare?from=x&to=2",
            "Parametern ”from” ska vara ett heltal",
        ),
    ];
    for (path, message) in cases {
        let (status, html) = app.text(path).await;
        assert_eq!(status, 400, "{path}");
        assert_has(&html, "Frågan gick inte att förstå");
        assert_has(&html, message);
    }
}

async fn language_follows_parameter_then_cookie_then_accept_language(app: TestApp) {
    // Accept-Language alone.
    let res = app
        .get_in("/agreements/malmoandan/principles", "en-GB,en;q=0.9")
        .await;
    let html = res.text().await.unwrap();
    assert_has(&html, "<html lang=\"en\">");
    assert_has(&html, "How we work");
    // Unknown language falls back to Swedish.
    let html = app.get_in("/", "tlh").await.text().await.unwrap();
    assert_has(&html, "<html lang=\"sv\">");
    let (status, html) = app.text("/?lang=xx").await;
    assert_eq!(status, 200);
    assert_has(&html, "<html lang=\"sv\">");
    // The switch sets a cookie that later pages follow.
    let (_, html) = app.text("/?lang=en").await;
    assert_has(&html, "Wound down");
    assert_has(&html, "href=\"/?lang=sv\"");
    let (_, html) = app.text("/agreements/malmoandan/decisions").await;
    assert_has(&html, "<html lang=\"en\">");
    assert_has(&html, "14 June 2017");
    // The switch keeps other parameters.
    let (_, html) = app.text("/agreements/malmoandan/text?version=1").await;
    assert_has(
        &html,
        "href=\"/agreements/malmoandan/text?version=1&#38;lang=sv\"",
    );
}

async fn text_from_the_database_is_escaped(app: TestApp) {
    let payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    let mut tx = app.db.db.begin().await.unwrap();
    tx.insert_municipality("xss", payload, "municipality")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.app.invalidate();
    let (status, html) = app.text("/city-bodies?municipality=xss").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert"), "raw script in page");
    assert!(!html.contains("<img src=x"), "raw tag in page");
    assert_has(&html, "&#60;script&#62;alert(1)&#60;/script&#62;");
}

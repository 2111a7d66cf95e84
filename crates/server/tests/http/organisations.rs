use crate::assert_has;
use samverkan_testkit::{PASSWORD, TestApp, both_backends};
use serde_json::Value;

both_backends!(
    the_directory_lists_the_register_and_filters_it,
    filters_and_sorting_accept_only_known_values,
    an_organisation_has_a_page_and_an_api_record,
    the_register_is_open_data_as_json_and_csv,
    a_signed_in_person_registers_an_organisation_and_becomes_its_administrator,
    a_second_organisation_with_the_same_number_is_refused_naming_the_holder,
    bad_organisation_input_says_what_to_fix_and_keeps_what_was_typed,
    the_parties_to_an_agreement_are_listed_with_their_dates,
    an_organisation_is_registered_in_the_municipality_chosen,
);

/// Registers, confirms and signs in a person on the app's own client.
async fn signed_in(app: &TestApp) {
    let email = app.confirmed_account("org-admin").await;
    assert_eq!(app.sign_in(&email, PASSWORD).await.status(), 303);
}

async fn the_directory_lists_the_register_and_filters_it(app: TestApp) {
    let (_, all) = app.json("/api/v1/organisations").await;
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 2);
    let (status, html) = app.text("/organisations").await;
    assert_eq!(status, 200);
    assert_has(&html, &format!("{total} organisationer"));
    for o in all["items"].as_array().unwrap() {
        assert_has(
            &html,
            &format!("/organisations/{}", o["slug"].as_str().unwrap()),
        );
    }
    // Each filter narrows to organisations that have that property.
    let (_, joined) = app.json("/api/v1/organisations?joined=yes").await;
    let (_, not_joined) = app.json("/api/v1/organisations?joined=no").await;
    assert_eq!(
        joined["total"].as_u64().unwrap() + not_joined["total"].as_u64().unwrap(),
        total
    );
    for o in joined["items"].as_array().unwrap() {
        assert!(!o["agreements"].as_array().unwrap().is_empty());
    }
    let (_, networks) = app.json("/api/v1/organisations?legal_form=natverk").await;
    for o in networks["items"].as_array().unwrap() {
        assert_eq!(o["legal_form"], "natverk");
        assert!(o["org_number"].is_null());
    }
    let (_, youth) = app
        .json("/api/v1/organisations?challenge=ungas-halsa-och-livsstil&district=innerstaden")
        .await;
    for o in youth["items"].as_array().unwrap() {
        assert!(
            o["challenges"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["slug"] == "ungas-halsa-och-livsstil")
        );
        assert!(
            o["districts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["slug"] == "innerstaden")
        );
    }
    // The page shows the same selection and keeps the filter selected.
    let (_, html) = app.text("/organisations?legal_form=natverk").await;
    assert_has(&html, "<option value=\"natverk\" selected>");
    let count = networks["total"].as_u64().unwrap();
    let expected = if count == 1 {
        "En organisation".to_owned()
    } else {
        format!("{count} organisationer")
    };
    assert_has(&html, &expected);
}

async fn filters_and_sorting_accept_only_known_values(app: TestApp) {
    for (query, name) in [
        ("legal_form=aktiebolag", "legal_form"),
        ("district=manhattan", "district"),
        ("challenge=nope", "challenge"),
        ("joined=maybe", "joined"),
        ("sort=password_hash", "sort"),
        ("page=0", "page"),
    ] {
        let (status, html) = app.text(&format!("/organisations?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_has(&html, &format!("Parametern ”{name}”"));
        let (status, json) = app.json(&format!("/api/v1/organisations?{query}")).await;
        // The API: a slug that names nothing is a 404 (see api::organisations).
        let expected = if name == "district" || name == "challenge" {
            404
        } else {
            400
        };
        assert_eq!(status, expected, "{query}");
        assert_has(json["error"]["message"].as_str().unwrap(), name);
    }
    // A page past the end shows the last page rather than an error.
    let (status, json) = app.json("/api/v1/organisations?page=999").await;
    assert_eq!(status, 200);
    assert_eq!(json["page"], json["pages"]);
    // Newest first is a different order from by name, over the same set.
    let (_, by_name) = app.json("/api/v1/organisations").await;
    let (_, newest) = app.json("/api/v1/organisations?sort=newest").await;
    assert_eq!(by_name["total"], newest["total"]);
}

async fn an_organisation_has_a_page_and_an_api_record(app: TestApp) {
    let (_, all) = app.json("/api/v1/organisations").await;
    let first = &all["items"][0];
    let slug = first["slug"].as_str().unwrap();
    let (status, o) = app.json(&format!("/api/v1/organisations/{slug}")).await;
    assert_eq!(status, 200);
    let (status, html) = app.text(&format!("/organisations/{slug}")).await;
    assert_eq!(status, 200);
    assert_has(&html, &o["name"].as_str().unwrap().replace('&', "&#38;"));
    match o["org_number"].as_str() {
        Some(n) => assert_has(&html, n),
        None => assert_has(&html, "Saknar organisationsnummer"),
    }
    for c in o["challenges"].as_array().unwrap() {
        assert_has(
            &html,
            &format!(
                "/agreements/{}/challenges/{}",
                c["agreement"].as_str().unwrap(),
                c["slug"].as_str().unwrap()
            ),
        );
    }
    assert_eq!(
        app.get("/organisations/no-such-organisation")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/api/v1/organisations/no-such-organisation")
            .await
            .status(),
        404
    );
}

async fn the_register_is_open_data_as_json_and_csv(app: TestApp) {
    let (_, all) = app.json("/api/v1/organisations").await;
    let res = app.get("/api/v1/organisations?format=csv").await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count() as u64;
    assert_eq!(
        rows,
        all["total"].as_u64().unwrap(),
        "CSV holds every match, not one page"
    );
    // Public contact mailboxes only: never a person's account address.
    let text = all.to_string();
    assert!(!text.contains("password"));
    for o in all["items"].as_array().unwrap() {
        if let Some(m) = o["contact_email"].as_str() {
            assert!(m.ends_with(".example"), "{m}");
        }
    }
    let (_, districts) = app.json("/api/v1/districts").await;
    assert!(
        districts
            .as_array()
            .unwrap()
            .iter()
            .any(|d: &Value| d["slug"] == "innerstaden")
    );
}

async fn a_signed_in_person_registers_an_organisation_and_becomes_its_administrator(app: TestApp) {
    assert_eq!(
        app.get("/organisations/new").await.status(),
        303,
        "signed out: to the sign-in page"
    );
    signed_in(&app).await;
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &[
                ("name", "Kirsebergs Kulturkollo"),
                ("legal_form", "ideell_forening"),
                ("org_number", "8020123454"),
                (
                    "description",
                    "Sommarkollo med teater och musik för barn på Kirseberg.",
                ),
                ("challenge", "jamlik-fritid-och-kultur"),
                ("challenge", "ungas-halsa-och-livsstil"),
                ("district", "oster"),
                ("website", "https://kulturkollo.example"),
                ("contact_email", "info@kulturkollo.example"),
                ("role", "platform_admin"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/organisations/kirsebergs-kulturkollo"
    );
    let (status, html) = app.text("/organisations/kirsebergs-kulturkollo").await;
    assert_eq!(status, 200);
    assert_has(&html, "802012-3454");
    assert_has(&html, "Jämlik fritid och kultur");
    let (_, o) = app
        .json("/api/v1/organisations/kirsebergs-kulturkollo")
        .await;
    assert_eq!(o["org_number"], "802012-3454");
    assert_eq!(o["challenges"].as_array().unwrap().len(), 2);
    assert_eq!(o["districts"][0]["slug"], "oster");
    assert!(
        !o.to_string().contains("org-admin."),
        "no person's address in the record"
    );
}

async fn a_second_organisation_with_the_same_number_is_refused_naming_the_holder(app: TestApp) {
    signed_in(&app).await;
    let fields = |name: &'static str, number: &'static str| {
        vec![
            ("name", name),
            ("legal_form", "ideell_forening"),
            ("org_number", number),
            ("description", "Vi spelar boule."),
        ]
    };
    assert_eq!(
        app.submit(
            "/organisations/new",
            "/organisations/new",
            &fields("Boulevännerna", "802012-3454")
        )
        .await
        .status(),
        303
    );
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &fields("Boulevännerna igen", "16802012-3454"),
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        "Organisationsnumret är redan registrerat av Boulevännerna.",
    );
    assert_has(&html, "value=\"Boulevännerna igen\"");
}

async fn bad_organisation_input_says_what_to_fix_and_keeps_what_was_typed(app: TestApp) {
    signed_in(&app).await;
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &[
                ("name", "Fel<script>"),
                ("legal_form", "aktiebolag"),
                ("org_number", "802012-3457"),
                ("description", ""),
                ("website", "kulturkollo.example"),
                ("contact_email", "info-at-example"),
                ("district", "manhattan"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    for message in [
        "Välj organisationsform.",
        "Beskriv organisationen med högst 2 000 tecken.",
        "Skriv hela adressen, med https:// först.",
        "Skriv e-postadressen som namn@exempel.se.",
        "Välj bland alternativen i listan.",
    ] {
        assert_has(&html, message);
    }
    assert_has(&html, "value=\"Fel&#60;script&#62;\"");
    assert_has(&html, "value=\"802012-3457\"");
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &[
                ("name", "Nätverket"),
                ("legal_form", "ideell_forening"),
                ("org_number", "802012-3457"),
                ("description", "x"),
            ],
        )
        .await;
    assert_has(
        &res.text().await.unwrap(),
        "Organisationsnumret stämmer inte",
    );
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &[
                ("name", "Nätverket"),
                ("legal_form", "natverk"),
                ("org_number", "802012-3454"),
                ("description", "x"),
            ],
        )
        .await;
    assert_has(
        &res.text().await.unwrap(),
        "Ett nätverk utan organisationsnummer har inget nummer.",
    );
}

async fn the_parties_to_an_agreement_are_listed_with_their_dates(app: TestApp) {
    let (status, parties) = app.json("/api/v1/agreements/malmoandan/parties").await;
    assert_eq!(status, 200);
    let parties = parties.as_array().unwrap().clone();
    let (_, joined) = app.json("/api/v1/organisations?joined=yes").await;
    assert_eq!(parties.len() as u64, joined["total"].as_u64().unwrap());
    let dates: Vec<&str> = parties
        .iter()
        .map(|p| p["joined_on"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "earliest first");
    let (status, html) = app.text("/agreements/malmoandan/parties").await;
    assert_eq!(status, 200);
    assert_has(&html, &format!("{} anslutna parter", parties.len()));
    assert_has(&html, parties[0]["name"].as_str().unwrap());
    let (_, none) = app.json("/api/v1/agreements/sjovik/parties").await;
    assert!(none.as_array().unwrap().is_empty());
    assert_eq!(
        app.get("/api/v1/agreements/nope/parties").await.status(),
        404
    );
}

async fn an_organisation_is_registered_in_the_municipality_chosen(app: TestApp) {
    signed_in(&app).await;
    let (_, form) = app.text("/organisations/new").await;
    assert!(
        form.contains("<option value=\"sjovik\""),
        "the form offers Sjövik"
    );
    let fields = |municipality: &'static str, district: Option<&'static str>| {
        let mut f = vec![
            ("name", "Sjöviks Hembygdsförening"),
            ("legal_form", "ideell_forening"),
            ("description", "Hembygdsgården och bygdens historia."),
            ("municipality", municipality),
        ];
        f.extend(district.map(|d| ("district", d)));
        f
    };
    // A Malmö district does not belong to Sjövik; an unknown municipality is refused.
    for (municipality, district) in [("sjovik", Some("oster")), ("atlantis", None)] {
        let res = app
            .submit(
                "/organisations/new",
                "/organisations/new",
                &fields(municipality, district),
            )
            .await;
        assert_eq!(res.status(), 422, "{municipality}");
        let html = res.text().await.unwrap();
        assert_has(&html, "Välj bland alternativen i listan.");
        assert_has(&html, "Sjöviks Hembygdsförening");
    }
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &fields("sjovik", None),
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, json) = app
        .json("/api/v1/organisations/sjoviks-hembygdsforening")
        .await;
    assert_eq!(json["municipality"], "sjovik");
}

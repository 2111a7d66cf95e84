use crate::assert_has;
use samverkan_testkit::{TestApp, both_backends};
use serde_json::Value;

both_backends!(
    agreements_are_listed_as_json_and_csv,
    the_api_shows_what_the_agreement_page_shows,
    version_text_and_comparison_are_available_as_json,
    every_list_endpoint_answers_json_and_csv,
    api_errors_are_json_with_a_message,
    every_path_in_the_openapi_document_answers,
);

async fn agreements_are_listed_as_json_and_csv(app: TestApp) {
    let (status, json) = app.json("/api/v1/agreements").await;
    assert_eq!(status, 200);
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["slug"], "malmoandan");
    assert_eq!(list[0]["status"], "wound_down");
    assert_eq!(list[0]["status_since"], "2024-03-06");
    assert_eq!(list[0]["municipality"]["name"], "Malmö stad");
    assert_eq!(list[1]["status"], "adopted");

    let res = app.get("/api/v1/agreements?format=csv").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "slug,name,short_name,status,status_since,summary,municipality.slug,municipality.name,municipality.kind,current_version"
    );
    assert!(lines.next().unwrap().starts_with(
        "malmoandan,Malmöandan – Överenskommelsen Malmö,Malmöandan,wound_down,2024-03-06,"
    ));
}

async fn the_api_shows_what_the_agreement_page_shows(app: TestApp) {
    let (status, json) = app.json("/api/v1/agreements/malmoandan").await;
    assert_eq!(status, 200);
    let (_, html) = app.text("/agreements/malmoandan").await;
    for c in json["challenges"].as_array().unwrap() {
        assert_has(&html, c["name"].as_str().unwrap());
        assert_has(&html, c["summary"].as_str().unwrap());
    }
    for d in json["recent_decisions"].as_array().unwrap() {
        assert_has(&html, d["title"].as_str().unwrap());
    }
    assert_eq!(json["recent_decisions"].as_array().unwrap().len(), 3);
    assert_eq!(json["principles"].as_array().unwrap().len(), 6);
    assert_eq!(json["commitments"].as_array().unwrap().len(), 6);
    // No personal e-mail addresses: only functional mailboxes on roles.
    let (_, roles) = app.json("/api/v1/agreements/malmoandan/roles").await;
    for r in roles.as_array().unwrap() {
        if let Some(m) = r["mailbox"].as_str() {
            assert!(m.ends_with(".example"), "{m}");
        }
    }
}

async fn version_text_and_comparison_are_available_as_json(app: TestApp) {
    let (status, v) = app.json("/api/v1/agreements/malmoandan/versions/2").await;
    assert_eq!(status, 200);
    assert_eq!(v["status"], "adopted");
    assert_eq!(v["is_current"], true);
    assert_eq!(v["sections"][1]["anchor"], "vision");
    assert!(v["sections"][1]["paragraphs"][0]["anchor"].is_string());
    let (status, cmp) = app
        .json("/api/v1/agreements/malmoandan/versions/compare?from=1&to=2")
        .await;
    assert_eq!(status, 200);
    assert_eq!(cmp["paragraphs_added"], 1);
    assert_eq!(cmp["paragraphs_changed"], 7);
    let text = cmp.to_string();
    assert_has(&text, r#"{"kind":"deleted","text":"Själständighet"}"#);
}

async fn every_list_endpoint_answers_json_and_csv(app: TestApp) {
    for path in [
        "/api/v1/agreements",
        "/api/v1/city-bodies",
        "/api/v1/agreements/malmoandan/versions",
        "/api/v1/agreements/malmoandan/decisions",
        "/api/v1/agreements/malmoandan/principles",
        "/api/v1/agreements/malmoandan/commitments",
        "/api/v1/agreements/malmoandan/challenges",
        "/api/v1/agreements/malmoandan/plans",
        "/api/v1/agreements/malmoandan/roles",
        "/api/v1/agreements/malmoandan/parties",
        "/api/v1/districts",
    ] {
        let (status, json) = app.json(path).await;
        assert_eq!(status, 200, "{path}");
        let items = json
            .as_array()
            .unwrap_or_else(|| panic!("{path} is not a list"));
        assert!(!items.is_empty(), "{path} is empty");
        let res = app.get(&format!("{path}?format=csv")).await;
        assert_eq!(res.status(), 200, "{path} csv");
        let csv = res.text().await.unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        assert_eq!(
            reader.records().count(),
            items.len(),
            "{path}: one CSV row per item"
        );
    }
}

async fn api_errors_are_json_with_a_message(app: TestApp) {
    let cases = [
        ("/api/v1/agreements/nope", 404, "agreement not found"),
        (
            "/api/v1/agreements/malmoandan/versions/9",
            404,
            "version not found",
        ),
        (
            "/api/v1/agreements/malmoandan/versions/abc",
            400,
            "whole number",
        ),
        (
            "/api/v1/agreements/malmoandan/challenges/nope",
            404,
            "challenge not found",
        ),
        ("/api/v1/agreements?format=xml", 400, "must be json or csv"),
        (
            "/api/v1/agreements/malmoandan/versions/compare?from=1",
            400,
            "'to' is required",
        ),
        ("/api/v1/no/such/thing", 404, "not found"),
    ];
    for (path, status, message) in cases {
        let res = app.get(path).await;
        assert_eq!(res.status().as_u16(), status, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{path}"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["status"], status, "{path}");
        assert_has(body["error"]["message"].as_str().unwrap(), message);
    }
}

/// Every path of `/api/v1` (but `openapi.json` itself), in the document's
/// (alphabetical) order.
const API_PATHS: [&str; 33] = [
    "/agreements",
    "/agreements/{slug}",
    "/agreements/{slug}/action-items",
    "/agreements/{slug}/challenges",
    "/agreements/{slug}/challenges/{challenge}",
    "/agreements/{slug}/commitments",
    "/agreements/{slug}/decisions",
    "/agreements/{slug}/meetings",
    "/agreements/{slug}/meetings/{meeting}",
    "/agreements/{slug}/milestones.ics",
    "/agreements/{slug}/parties",
    "/agreements/{slug}/plans",
    "/agreements/{slug}/plans/{plan}",
    "/agreements/{slug}/plans/{plan}/activities",
    "/agreements/{slug}/plans/{plan}/activities/{activity}",
    "/agreements/{slug}/plans/{plan}/activities/{activity}/form",
    "/agreements/{slug}/plans/{plan}/milestones.ics",
    "/agreements/{slug}/plans/{plan}/updates",
    "/agreements/{slug}/principles",
    "/agreements/{slug}/register",
    "/agreements/{slug}/register/{record}",
    "/agreements/{slug}/reports",
    "/agreements/{slug}/reports/{year}",
    "/agreements/{slug}/reports/{year}/{body}",
    "/agreements/{slug}/reports/{year}/{body}/versions/{number}",
    "/agreements/{slug}/roles",
    "/agreements/{slug}/versions",
    "/agreements/{slug}/versions/compare",
    "/agreements/{slug}/versions/{number}",
    "/city-bodies",
    "/districts",
    "/organisations",
    "/organisations/{slug}",
];

async fn every_path_in_the_openapi_document_answers(app: TestApp) {
    let (status, doc) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let paths = doc["paths"].as_object().unwrap();
    // Exactly the API's routes: one added without documentation, or
    // documented without a route, shows here.
    let documented: Vec<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(documented, API_PATHS, "the documented paths");
    let (_, orgs) = app.json("/api/v1/organisations").await;
    let org = orgs["items"][0]["slug"].as_str().unwrap().to_owned();
    // A record and a committee's report published twice, for the register
    // and report paths.
    let published = crate::register_api::publish_a_report(&app).await;
    // The demo's working group meets in Sjövik.
    let (_, past) = app
        .json("/api/v1/agreements/sjovik/meetings?when=past")
        .await;
    let meeting = format!("sjovik/meetings/{}", past[0]["id"]);
    for (path, item) in paths {
        assert!(item.get("get").is_some(), "{path} has no GET");
        let concrete = path
            .replace("/organisations/{slug}", &format!("/organisations/{org}"))
            .replace("{slug}/meetings/{meeting}", &meeting)
            .replace("{slug}", "malmoandan")
            .replace("{challenge}", "ungas-halsa-och-livsstil")
            .replace("{number}", "1")
            .replace("{plan}", "2018-2022")
            .replace("{activity}", "fredagsfotboll-rosengard")
            .replace("{record}", &published.record.to_string())
            .replace("{year}", &published.year.to_string())
            .replace("{body}", published.body)
            .replace("/compare", "/compare?from=1&to=2");
        let res = app.get(&format!("/api/v1{concrete}")).await;
        assert_eq!(res.status(), 200, "{concrete}");
    }
}

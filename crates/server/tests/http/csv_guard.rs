//! Every CSV the platform writes guards cells that a spreadsheet would read
//! as a formula: anyone who can name an organisation (or any other thing the
//! lists show) must not be able to plant `=HYPERLINK(…)` in a coordinator's
//! spreadsheet.

use samverkan_testkit::{TestApp, both_backends};
use std::collections::BTreeMap;

both_backends!(every_csv_endpoint_guards_formula_cells);

/// Text columns given a formula start, one kind of start per table.
const PLANTED: &[&str] = &[
    "UPDATE organisations SET name = '=HYPERLINK(\"http://evil.example\",\"x\")' || name",
    "UPDATE municipalities SET name = '=' || name",
    "UPDATE city_bodies SET name = '@SUM(1+1)' || name",
    "UPDATE agreements SET summary = '+' || summary",
    "UPDATE decisions SET title = '-' || title",
    "UPDATE principles SET name = '=' || name",
    "UPDATE commitments SET body = '@' || body",
    "UPDATE challenges SET name = '+' || name",
    "UPDATE action_plans SET title = '=' || title",
    "UPDATE governance_roles SET title = '-' || title",
    "UPDATE districts SET name = '@' || name",
    "UPDATE activities SET title = '@' || title",
    "UPDATE progress_updates SET body = '=' || body",
    "UPDATE collaborations SET title = '+' || title",
];

fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// The CSV endpoints: every GET operation of the OpenAPI document that takes
/// `format`, with its path filled from the demonstration data.
async fn csv_endpoints(app: &TestApp) -> Vec<String> {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let (_, records) = app.json("/api/v1/agreements/malmoandan/register").await;
    let record = records
        .as_array()
        .and_then(|r| r.first())
        .expect("a record")["id"]
        .to_string();
    let values: BTreeMap<&str, String> = [
        ("{slug}", "malmoandan".to_owned()),
        ("{plan}", "2021-2026".to_owned()),
        ("{year}", "2022".to_owned()),
        ("{record}", record),
    ]
    .into();
    let mut paths = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(get) = item.get("get") else { continue };
        let takes_format = get["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "format"));
        if !takes_format {
            continue;
        }
        let mut filled = path.clone();
        for (name, value) in &values {
            filled = filled.replace(name, value);
        }
        assert!(!filled.contains('{'), "no demo value for {path}");
        paths.push(format!("/api/v1{filled}?format=csv"));
    }
    paths
}

async fn every_csv_endpoint_guards_formula_cells(app: TestApp) {
    for sql in PLANTED {
        app.execute(sql).await;
    }
    app.app.invalidate();
    let endpoints = csv_endpoints(&app).await;
    assert!(
        endpoints.len() >= 15,
        "the OpenAPI document names {} CSV endpoints: {endpoints:?}",
        endpoints.len()
    );
    let mut guarded_somewhere = Vec::new();
    for path in &endpoints {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            res.headers()["content-type"],
            "text/csv; charset=utf-8",
            "{path}"
        );
        let body = res.text().await.expect("body");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut guarded = 0;
        for (line, record) in reader.records().enumerate() {
            let record = record.unwrap_or_else(|e| panic!("{path}: not CSV: {e}"));
            for cell in record.iter() {
                assert!(
                    !cell.starts_with(is_formula_start),
                    "{path}, row {}: unguarded cell {cell:?}",
                    line + 1
                );
                if cell.starts_with('\'') && cell[1..].starts_with(is_formula_start) {
                    guarded += 1;
                }
            }
        }
        if guarded > 0 {
            guarded_somewhere.push(path.clone());
        }
    }
    // The planted values reached the lists that show them, guarded.
    for list in [
        "/api/v1/organisations?format=csv",
        "/api/v1/city-bodies?format=csv",
        "/api/v1/agreements?format=csv",
        "/api/v1/agreements/malmoandan/decisions?format=csv",
        "/api/v1/agreements/malmoandan/principles?format=csv",
        "/api/v1/agreements/malmoandan/commitments?format=csv",
        "/api/v1/agreements/malmoandan/challenges?format=csv",
        "/api/v1/agreements/malmoandan/roles?format=csv",
        "/api/v1/agreements/malmoandan/parties?format=csv",
        "/api/v1/districts?format=csv",
        "/api/v1/agreements/malmoandan/plans/2021-2026/activities?format=csv",
        "/api/v1/agreements/malmoandan/plans/2021-2026/updates?format=csv",
        "/api/v1/agreements/malmoandan/register?format=csv",
    ] {
        assert!(
            guarded_somewhere.iter().any(|p| p == list),
            "{list} shows no guarded cell; guarded: {guarded_somewhere:?}"
        );
    }
    let organisations = app.text("/api/v1/organisations?format=csv").await.1;
    assert!(
        organisations.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")"),
        "{}",
        &organisations[..organisations.len().min(600)]
    );
}

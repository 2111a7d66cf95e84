use crate::assert_has;
use samverkan_app::AppConfig;
use samverkan_testkit::{Backend, TestApp, TestOptions, both_backends};
use std::time::Duration;

both_backends!(
    health_checks_the_database,
    pages_and_api_carry_security_headers_and_a_request_id,
    static_assets_are_embedded_with_long_cache_headers,
    oversized_requests_are_refused_with_413,
    responses_are_compressed_when_the_client_accepts_it,
    demonstration_data_is_loaded_once,
);

async fn health_checks_the_database(app: TestApp) {
    let (status, json) = app.json("/health").await;
    assert_eq!(status, 200);
    assert_eq!(json["database"], "ok");
    app.db.db.close().await;
    let (status, json) = app.json("/health").await;
    assert_eq!(status, 503);
    assert_eq!(json["database"], "unreachable");
}

async fn pages_and_api_carry_security_headers_and_a_request_id(app: TestApp) {
    for path in ["/", "/api/v1/agreements", "/no-such-page"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(h["x-request-id"].to_str().unwrap().len(), 36, "{path}");
    }
    // A request id sent by a proxy is kept.
    let res = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

async fn static_assets_are_embedded_with_long_cache_headers(app: TestApp) {
    let (_, html) = app.text("/").await;
    let start = html.find("/static/app.").expect("stylesheet link");
    let end = start + html[start..].find('"').unwrap();
    let res = app.get(&html[start..end]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
    assert_has(&res.text().await.unwrap(), ".skip-link");
    assert_eq!(app.get("/static/app.0000.css").await.status(), 404);
}

async fn oversized_requests_are_refused_with_413(app: TestApp) {
    // Announce a 2 MiB body and read the answer before sending it: the
    // server refuses on the announced length alone.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for path in ["/api/v1/agreements", "/"] {
        let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Length: 2097152\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
    }
}

async fn responses_are_compressed_when_the_client_accepts_it(app: TestApp) {
    let res = app
        .client
        .get(app.url("/agreements/malmoandan/text"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

async fn demonstration_data_is_loaded_once(app: TestApp) {
    assert_eq!(app.app.load_demo().await.unwrap(), None);
    let (_, json) = app.json("/api/v1/agreements").await;
    assert_eq!(json.as_array().unwrap().len(), 2);

    // The register and the reports of Malmöandan 2019–2024.
    let register = app.app.register_of("malmoandan").await.unwrap();
    let records = app
        .app
        .records(&register, &Default::default())
        .await
        .unwrap();
    assert!(records.len() >= 150, "{} records", records.len());
    let versions = app
        .app
        .db()
        .publications(register.agreement_id, false)
        .await
        .unwrap();
    assert_eq!(versions.len(), 30, "published versions in all");
    let mut reports: Vec<(i64, i32)> = versions.iter().map(|p| (p.city_body_id, p.year)).collect();
    reports.dedup();
    assert_eq!(reports.len(), 29, "published reports");
    let corrected: Vec<_> = versions.iter().filter(|p| p.number == 2).collect();
    assert_eq!(corrected.len(), 1, "one correction");
    assert_has(
        corrected[0].reason.as_deref().unwrap_or_default(),
        "Rätt belopp enligt registret är 90 000 kronor.",
    );
    assert!(
        versions
            .iter()
            .all(|p| (p.number == 1) == p.reason.is_none()),
        "only a correction carries a reason"
    );
    let (version, content, all) = app
        .app
        .published_report(&register, "kulturnamnden", 2021, None)
        .await
        .unwrap();
    assert_eq!((version.number, all.len()), (2, 2));
    assert_has(&content.went_well, "fick 90 000 kronor");

    // Each frozen document is exactly what the app builds for the report
    // (the same records, figures, sections, reflections and contributions).
    for body in samverkan_app::reports::expected_bodies(&register) {
        for year in 2019..=2024 {
            let Ok((_, frozen, _)) = app
                .app
                .published_report(&register, &body.slug, year, None)
                .await
            else {
                continue;
            };
            let live = app
                .app
                .committee_report("malmoandan", &register, &body.slug, year)
                .await
                .unwrap();
            assert_eq!(frozen, live.content, "{} {year}", body.slug);
        }
    }
    let (_, first, _) = app
        .app
        .published_report(&register, "kommunstyrelsen", 2019, Some(1))
        .await
        .unwrap();
    assert!(!first.records.is_empty() && first.figures.records == first.records.len() as i64);
    assert_eq!(first.contributions.len(), 1);
    assert_eq!(first.decision_reference.as_deref(), Some("STK-2020-0412"));

    // Sjövik's 2026 reports are open, due 2027-03-31.
    let sjovik = app.app.register_of("sjovik").await.unwrap();
    let deadlines = app.app.db().deadlines(sjovik.agreement_id).await.unwrap();
    assert!(
        deadlines
            .iter()
            .any(|d| d.year == 2026 && d.due_on.to_string() == "2027-03-31")
    );
}

async fn a_database_failure_shows_the_500_page(backend: Backend) {
    let options = TestOptions {
        app: AppConfig {
            snapshot_ttl: Duration::ZERO,
            ..AppConfig::default()
        },
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(backend, options).await;
    assert_eq!(app.get("/").await.status(), 200);
    // Break the database under the running app.
    let mut tx = app.db.db.begin().await.unwrap();
    match &mut tx {
        samverkan_db::Tx::Sqlite(t) => {
            sqlx::query("DROP TABLE role_terms")
                .execute(&mut **t)
                .await
                .unwrap();
        }
        samverkan_db::Tx::Postgres(t) => {
            sqlx::query("DROP TABLE role_terms")
                .execute(&mut **t)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    // A failed background refresh keeps serving the copy in hand …
    assert_eq!(app.get("/").await.status(), 200);
    // … but a page that must read the record again shows the 500 page.
    app.app.invalidate();
    let (status, html) = app.text("/").await;
    assert_eq!(status, 500);
    assert_has(&html, "Något gick fel hos oss");
    assert!(
        !html.contains("role_terms"),
        "internal details must not be shown"
    );
    let (status, json) = app.json("/api/v1/agreements").await;
    assert_eq!(status, 500);
    assert_eq!(json["error"]["message"], "internal error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_failure_shows_the_500_page_sqlite() {
    a_database_failure_shows_the_500_page(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_failure_shows_the_500_page_postgres() {
    a_database_failure_shows_the_500_page(Backend::Postgres).await
}

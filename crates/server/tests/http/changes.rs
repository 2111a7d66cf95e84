//! Several instances on one database: a write reaches the other instances'
//! cached public record by the shared change counter (LISTEN/NOTIFY on
//! PostgreSQL, polling on both), and the writer sees their own change on
//! another instance at once by the `samverkan_seen` cookie. The second
//! instance here is a second `App` (its own cache) on the same database;
//! `tests/instances.rs` runs three real processes behind nginx.

use crate::assert_has;
use samverkan_app::{App, AppConfig};
use samverkan_testkit::{PASSWORD, TestApp, both_backends};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

both_backends!(
    a_write_reaches_another_instance_without_waiting_for_its_ttl,
    the_writer_sees_their_change_on_another_instance_at_once,
);

/// Signs in a new person on `app` and registers an organisation through
/// the form; returns the answer to the form.
async fn register_organisation(app: &TestApp) -> reqwest::Response {
    let email = app.confirmed_account("writer").await;
    assert_eq!(app.sign_in(&email, PASSWORD).await.status(), 303);
    let res = app
        .submit(
            "/organisations/new",
            "/organisations/new",
            &[
                ("name", "Kirsebergs Kulturkollo"),
                ("legal_form", "ideell_forening"),
                ("org_number", "8020123454"),
                ("description", "Sommarkollo med teater och musik."),
                ("district", "oster"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    res
}

/// A second instance on the same database, with the default time-to-live
/// (60 s), so only the change counter can make it see a write soon.
async fn second_instance(app: &TestApp) -> App {
    let other = App::new(app.app.db().clone(), AppConfig::default());
    let before = other.public().await.unwrap();
    assert!(before.organisation("kirsebergs-kulturkollo").is_err());
    other
}

async fn a_write_reaches_another_instance_without_waiting_for_its_ttl(app: TestApp) {
    let other = second_instance(&app).await;
    let watcher = tokio::spawn(other.clone().watch_changes(Duration::from_millis(100)));
    register_organisation(&app).await;
    let written = Instant::now();
    // Bounded far below the 60 s time-to-live: only the counter can do it.
    while other
        .public()
        .await
        .unwrap()
        .organisation("kirsebergs-kulturkollo")
        .is_err()
    {
        assert!(
            written.elapsed() < Duration::from_secs(10),
            "the other instance never heard of the change"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    watcher.abort();
}

/// Serves `app` on an ephemeral port.
async fn serve(app: App) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let router = samverkan_web::router(app, samverkan_web::WebConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service).await.unwrap();
    });
    (addr, server)
}

async fn the_writer_sees_their_change_on_another_instance_at_once(app: TestApp) {
    // No watcher: the other instance learns of the write only from the
    // writer's cookie.
    let other = second_instance(&app).await;
    let (addr, server) = serve(other).await;
    let res = register_organisation(&app).await;
    let seen = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("samverkan_seen="))
        .expect("the form's answer carries the change counter")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = format!("http://{addr}/organisations/kirsebergs-kulturkollo");
    let client = reqwest::Client::new();
    let stranger = client.get(&page).send().await.unwrap();
    assert_eq!(
        stranger.status(),
        404,
        "without the cookie the other instance still serves its copy in hand"
    );
    let writer = client
        .get(&page)
        .header("cookie", &seen)
        .send()
        .await
        .unwrap();
    assert_eq!(writer.status(), 200, "the writer sees their change at once");
    assert_has(&writer.text().await.unwrap(), "802012-3454");
    server.abort();
}

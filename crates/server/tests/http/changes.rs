//! Several instances on one database: a write reaches the other instances'
//! cached public record by the shared change counter (LISTEN/NOTIFY on
//! PostgreSQL, polling on both), and the writer sees their own change on
//! another instance at once by the `samverkan_seen` cookie. The second
//! instance here is a second `App` (its own cache) on the same database;
//! `tests/instances.rs` runs three real processes behind nginx.

use crate::assert_has;
use samverkan_app::{App, AppConfig};
use samverkan_testkit::{TestApp, both_backends};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

both_backends!(
    a_write_reaches_another_instance_without_waiting_for_its_ttl,
    the_writer_sees_their_change_on_another_instance_at_once,
);

const AGREEMENT: &str = "malmoandan";
const PLAN: &str = "2021-2026";
/// An ongoing demonstration activity of which Tjejjouren Lyktan answers.
const ACTIVITY: &str = "unga-stodjer-unga";
const HOST: &str = "tjejjouren-lyktan";
const NEWS: &str = "Vi har startat en andra samtalsgrupp.";

fn activity_path() -> String {
    format!("/agreements/{AGREEMENT}/plans/{PLAN}/activities/{ACTIVITY}")
}

/// A member of the responsible organisation publishes a progress update
/// through the form; returns the answer to the form.
async fn post_update(app: &TestApp) -> reqwest::Response {
    let (host, _) = app.member_of(HOST, "member").await;
    let path = activity_path();
    let res = app
        .post_form(
            &host,
            &path,
            &format!("{path}/updates"),
            &[
                ("body", NEWS),
                ("progress", "60"),
                ("written_on", "2026-11-02"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    res
}

/// Whether `app`'s copy of the activity shows the update.
async fn shows_update(app: &App) -> bool {
    let (_, activities) = app.with_activities(AGREEMENT).await.unwrap();
    let activity = activities.activity(PLAN, ACTIVITY).unwrap();
    activity.updates.iter().any(|u| u.body == NEWS)
}

/// A second instance on the same database, with the default time-to-live
/// (60 s), so only the change counter can make it see a write soon. It has
/// read the activities before the write.
async fn second_instance(app: &TestApp) -> App {
    let other = App::new(app.app.db().clone(), AppConfig::default());
    assert!(!shows_update(&other).await);
    other
}

async fn a_write_reaches_another_instance_without_waiting_for_its_ttl(app: TestApp) {
    let other = second_instance(&app).await;
    let watcher = tokio::spawn(other.clone().watch_changes(Duration::from_millis(100)));
    post_update(&app).await;
    let written = Instant::now();
    // Bounded far below the 60 s time-to-live: only the counter can do it.
    while !shows_update(&other).await {
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
    let res = post_update(&app).await;
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
    let page = format!("http://{addr}{}", activity_path());
    let client = reqwest::Client::new();
    let stranger = client.get(&page).send().await.unwrap();
    assert_eq!(stranger.status(), 200);
    assert!(
        !stranger.text().await.unwrap().contains(NEWS),
        "without the cookie the other instance still serves its copy in hand"
    );
    let writer = client
        .get(&page)
        .header("cookie", &seen)
        .send()
        .await
        .unwrap();
    assert_eq!(writer.status(), 200, "the writer sees their change at once");
    assert_has(&writer.text().await.unwrap(), NEWS);
    server.abort();
}

//! Documents attached to decisions and plans, through HTTP as a browser
//! sends them: a coordinator attaches a PDF, the decisions page and the API
//! list it, it is served byte for byte with the safe headers (by a second
//! instance too); a disguised or oversized file is refused with the reason
//! and nothing is stored; only coordinators attach; a draft version's
//! document is not served to the public.

use crate::assert_has;
use samverkan_app::documents::DocumentOwner;
use samverkan_app::{App, AppConfig};
use samverkan_testkit::{Backend, TestApp, TestOptions, both_backends, csrf_in};
use std::net::SocketAddr;

both_backends!(
    a_coordinator_attaches_a_pdf_that_pages_and_api_list,
    the_file_is_served_with_safe_headers,
    a_disguised_file_is_refused_and_nothing_is_stored,
    only_coordinators_of_the_agreement_attach,
    another_instance_serves_the_same_document,
    a_draft_versions_document_is_only_for_coordinators,
    a_document_is_attached_to_a_plan,
    a_document_is_attached_to_a_version_of_the_text,
);

const AGREEMENT: &str = "malmoandan";
const TITLE: &str = "Kommunfullmäktiges protokoll § 123";

/// A small but whole PDF, with a byte above 127 so any re-encoding shows.
fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n".to_vec();
    bytes.extend_from_slice(b"%%EOF\n");
    bytes
}

/// A `multipart/form-data` body as a browser sends the form: the title,
/// the file (any bytes) and the token.
fn form_body(title: &str, file_name: &str, file: &[u8], token: &str) -> (String, Vec<u8>) {
    let boundary = "----samverkanDocumentBoundary";
    let mut body = Vec::new();
    let mut text = |s: &str| body.extend_from_slice(s.as_bytes());
    text(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
    ));
    text(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n"
    ));
    text(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    ));
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The id of one of the agreement's decisions (the oldest).
async fn decision_id(app: &TestApp, agreement: &str) -> i64 {
    let (status, json) = app
        .json(&format!("/api/v1/agreements/{agreement}/decisions"))
        .await;
    assert_eq!(status, 200);
    json[0]["id"].as_i64().expect("a decision id")
}

fn form_path(decision: i64) -> String {
    format!("/agreements/{AGREEMENT}/decisions/{decision}/documents")
}

/// Posts the form at `path` from `client` in `lang` (`sv` or `en`).
async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    (title, file_name, file): (&str, &str, &[u8]),
    lang: &str,
) -> reqwest::Response {
    let (_, html) = app.page(client, path).await;
    let token = csrf_in(&html).expect("the form's token");
    let (content_type, body) = form_body(title, file_name, file, &token);
    client
        .post(app.url(path))
        .header("content-type", content_type)
        .header("accept-language", lang)
        .body(body)
        .send()
        .await
        .expect("request")
}

/// A coordinator attaches the PDF to the decision; returns the document's
/// path as the API lists it.
async fn attach_pdf(app: &TestApp, decision: i64) -> String {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let path = form_path(decision);
    let res = send(
        app,
        &coordinator,
        &path,
        (TITLE, "protokoll.pdf", &pdf()),
        "sv",
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, json) = app
        .json(&format!("/api/v1/agreements/{AGREEMENT}/decisions"))
        .await;
    let decision = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == decision)
        .unwrap();
    decision["documents"][0]["url"].as_str().unwrap().to_owned()
}

async fn a_coordinator_attaches_a_pdf_that_pages_and_api_list(app: TestApp) {
    let decision = decision_id(&app, AGREEMENT).await;
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let path = form_path(decision);
    let (status, html) = app.page(&coordinator, &path).await;
    assert_eq!(status, 200);
    assert_has(&html, "enctype=\"multipart/form-data\"");
    assert_has(&html, "<label for=\"title\">");
    assert_has(&html, "<label for=\"file\">");
    assert_has(&html, "Högst 20 MB");
    // The decisions page offers the form to the coordinator.
    let (_, decisions) = app
        .page(&coordinator, &format!("/agreements/{AGREEMENT}/decisions"))
        .await;
    assert_has(&decisions, &format!("href=\"{path}\""));

    let res = send(
        &app,
        &coordinator,
        &path,
        (TITLE, "protokoll.pdf", &pdf()),
        "sv",
    )
    .await;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("{path}?done=document-attached"));
    let (_, after) = app.page(&coordinator, &to).await;
    assert_has(&after, "Handlingen är bifogad");
    assert_has(&after, TITLE);
    assert_eq!(app.count("documents").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'document-attached'")
            .await,
        1
    );

    // The public page and the API list it, with its kind and size.
    let (status, page) = app
        .text(&format!("/agreements/{AGREEMENT}/decisions"))
        .await;
    assert_eq!(status, 200);
    assert_has(&page, TITLE);
    assert_has(&page, "(PDF, 1 kB)");
    let (_, json) = app
        .json(&format!("/api/v1/agreements/{AGREEMENT}/decisions"))
        .await;
    let listed = json
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == decision)
        .unwrap()["documents"]
        .clone();
    let url = listed[0]["url"].as_str().unwrap();
    assert!(url.starts_with("/documents/"), "{url}");
    assert!(url.ends_with("/protokoll.pdf"), "{url}");
    assert_has(&page, &format!("href=\"{url}\""));
    assert_eq!(listed[0]["title"], TITLE);
    assert_eq!(listed[0]["media_type"], "application/pdf");
    assert_eq!(listed[0]["kind"], "pdf");
    assert_eq!(listed[0]["size_bytes"], pdf().len() as i64);
    // The English page words the kind in English.
    let res = app
        .get_in(&format!("/agreements/{AGREEMENT}/decisions"), "en")
        .await;
    assert_has(&res.text().await.unwrap(), "(PDF, 1 kB)");
}

async fn the_file_is_served_with_safe_headers(app: TestApp) {
    let decision = decision_id(&app, AGREEMENT).await;
    let url = attach_pdf(&app, decision).await;
    let res = app.get(&url).await;
    assert_eq!(res.status(), 200);
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        "inline; filename=\"protokoll.pdf\"; filename*=UTF-8''protokoll.pdf"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("content-security-policy"),
        "sandbox; default-src 'none'"
    );
    assert!(header("cache-control").starts_with("public, max-age="));
    let etag = header("etag");
    assert_eq!(etag.len(), 66, "the sha256 in quotes: {etag}");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf(), "the same bytes");

    // The ETag answers a repeated request with 304.
    let again = app
        .client
        .get(app.url(&url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // A wrong name is sent to the right one; an unknown id is 404.
    let (id_path, _) = url.rsplit_once('/').unwrap();
    let wrong = app.get(&format!("{id_path}/annat.pdf")).await;
    assert_eq!(wrong.status(), 308);
    assert_eq!(wrong.headers()["location"], url.as_str());
    assert_eq!(
        app.get("/documents/999999/protokoll.pdf").await.status(),
        404
    );
    assert_eq!(app.get("/documents/x/protokoll.pdf").await.status(), 404);
}

async fn a_disguised_file_is_refused_and_nothing_is_stored(app: TestApp) {
    let decision = decision_id(&app, AGREEMENT).await;
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let path = form_path(decision);
    let html_file = b"<html><script>alert(document.cookie)</script></html>";
    let res = send(&app, &coordinator, &path, (TITLE, "x.pdf", html_file), "sv").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert_has(&page, "error-summary");
    assert_has(&page, "Filen är inte en PDF");
    assert_has(&page, "den ser ut att vara text/html");
    assert_has(&page, "href=\"#file\"");
    assert_has(&page, "value=\"Kommunfullmäktiges protokoll § 123\"");

    // In English too.
    let res = send(&app, &coordinator, &path, (TITLE, "x.pdf", html_file), "en").await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "The file is not a PDF, an OpenDocument file, a Word, Excel or PowerPoint document or an image: it looks like text/html",
    );

    // A program named as a PDF, and no title.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(256, 0);
    let res = send(&app, &coordinator, &path, ("", "rapport.pdf", &exe), "sv").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert_has(&page, "application/vnd.microsoft.portable-executable");
    assert_has(&page, "Skriv en rubrik");
    assert_eq!(app.count("documents").await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'document-attached'")
            .await,
        0
    );
}

async fn only_coordinators_of_the_agreement_attach(app: TestApp) {
    let decision = decision_id(&app, AGREEMENT).await;
    let path = form_path(decision);
    // Signed out: sent to sign in.
    let res = app.get(&path).await;
    assert_eq!(res.status(), 303);
    // A person, an official and another agreement's coordinator: 403.
    let (person, _) = app.person("someone", &[]).await;
    let (official, _) = app.official_of("malmo/kulturnamnden").await;
    let (other, _) = app.coordinator_of("sjovik").await;
    for client in [&person, &official, &other] {
        let (status, _) = app.page(client, &path).await;
        assert_eq!(status, 403);
        let token = app.csrf_of(client, "/account").await;
        let (content_type, body) = form_body(TITLE, "p.pdf", &pdf(), &token);
        let res = client
            .post(app.url(&path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
    // Sjövik's coordinator on Sjövik's path naming Malmö's decision: none.
    let sjovik_path = format!("/agreements/sjovik/decisions/{decision}/documents");
    let (status, _) = app.page(&other, &sjovik_path).await;
    assert_eq!(status, 404);
    let token = app.csrf_of(&other, "/account").await;
    let (content_type, body) = form_body(TITLE, "p.pdf", &pdf(), &token);
    let res = other
        .post(app.url(&sjovik_path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // The use case asks again, whatever the route.
    let (_, email) = app.coordinator_of("sjovik").await;
    let (user, roles) = app.current_user_and_roles(&email).await;
    let refused = app
        .app
        .attach_document(
            &user,
            &roles,
            DocumentOwner::Decision(decision),
            TITLE,
            "p.pdf",
            &pdf(),
        )
        .await;
    assert!(
        matches!(refused, Err(samverkan_app::Error::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(app.count("documents").await, 0);
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

async fn another_instance_serves_the_same_document(app: TestApp) {
    let other = App::new(app.app.db().clone(), AppConfig::default());
    let (addr, server) = serve(other).await;
    let decision = decision_id(&app, AGREEMENT).await;
    let url = attach_pdf(&app, decision).await;
    let res = reqwest::get(format!("http://{addr}{url}")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());
    server.abort();
}

async fn a_draft_versions_document_is_only_for_coordinators(app: TestApp) {
    app.execute(
        "INSERT INTO agreement_versions (agreement_id, number, label, status, published_on, note)
         VALUES ((SELECT id FROM agreements WHERE slug = 'malmoandan'), 99, 'Utkast 2027', 'draft',
                 '2026-11-01', '')",
    )
    .await;
    let version = app
        .scalar("SELECT id FROM agreement_versions WHERE number = 99")
        .await;
    let (coordinator, email) = app.coordinator_of(AGREEMENT).await;
    let (user, roles) = app.current_user_and_roles(&email).await;
    let id = app
        .app
        .attach_document(
            &user,
            &roles,
            DocumentOwner::Version(version),
            "Utkast",
            "utkast.pdf",
            &pdf(),
        )
        .await
        .unwrap();
    let url = format!("/documents/{id}/utkast.pdf");
    assert_eq!(app.get(&url).await.status(), 404, "not for the public");
    let (person, _) = app.person("reader", &[]).await;
    assert_eq!(
        person.get(app.url(&url)).send().await.unwrap().status(),
        404
    );
    let res = coordinator.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());
    // Adopted, it is public.
    app.execute("UPDATE agreement_versions SET status = 'adopted' WHERE number = 99")
        .await;
    assert_eq!(app.get(&url).await.status(), 200);
}

async fn a_document_is_attached_to_a_plan(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let plan = format!("/agreements/{AGREEMENT}/plans/2021-2026");
    let path = format!("{plan}/documents");
    let (_, overview) = app.page(&coordinator, &plan).await;
    assert_has(&overview, &format!("href=\"{path}\""));
    let res = send(
        &app,
        &coordinator,
        &path,
        ("Handlingsplanen", "plan.pdf", &pdf()),
        "sv",
    )
    .await;
    assert_eq!(res.status(), 303);
    let (status, page) = app.text(&plan).await;
    assert_eq!(status, 200);
    assert_has(&page, "Handlingsplanen");
    assert_has(&page, "/plan.pdf\"");
    let (_, json) = app
        .json(&format!("/api/v1/agreements/{AGREEMENT}/plans/2021-2026"))
        .await;
    assert_eq!(
        json["plan"]["documents"][0]["title"], "Handlingsplanen",
        "{json}"
    );
    assert_eq!(app.get(&format!("{plan}/documents")).await.status(), 303);
    assert_eq!(
        app.get(&format!("/agreements/{AGREEMENT}/plans/nope/documents"))
            .await
            .status(),
        303,
        "signed out: sent to sign in first"
    );
    let (status, _) = app
        .page(
            &coordinator,
            &format!("/agreements/{AGREEMENT}/plans/nope/documents"),
        )
        .await;
    assert_eq!(status, 404);
}

/// The text as it was signed, attached to its version: listed on the
/// versions page and in the API; a disguised file is refused there too.
async fn a_document_is_attached_to_a_version_of_the_text(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let versions = format!("/agreements/{AGREEMENT}/versions");
    let path = format!("{versions}/2/documents");
    let (_, page) = app.page(&coordinator, &versions).await;
    assert_has(&page, &format!("href=\"{path}\""));
    let (_, page) = app.text(&versions).await;
    assert!(!page.contains(&path), "no attach link for a visitor");
    let (status, form) = app.page(&coordinator, &path).await;
    assert_eq!(status, 200);
    assert_has(&form, "Antagen överenskommelse (2)");
    let disguised = (
        "Den undertecknade texten",
        "text.pdf",
        b"<html>hej</html>".as_slice(),
    );
    let res = send(&app, &coordinator, &path, disguised, "sv").await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "value=\"Den undertecknade texten\"",
    );
    let signed = ("Den undertecknade texten", "text.pdf", pdf());
    let res = send(
        &app,
        &coordinator,
        &path,
        (signed.0, signed.1, &signed.2),
        "sv",
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, page) = app.text(&versions).await;
    assert_has(&page, "Den undertecknade texten");
    assert_has(&page, "/text.pdf\"");
    let (_, json) = app
        .json(&format!("/api/v1/agreements/{AGREEMENT}/versions"))
        .await;
    let v2 = (json.as_array().unwrap().iter())
        .find(|v| v["number"] == 2)
        .unwrap();
    assert_eq!(
        v2["documents"][0]["title"], "Den undertecknade texten",
        "{json}"
    );
    let (status, _) = app
        .page(&coordinator, &format!("{versions}/9/documents"))
        .await;
    assert_eq!(status, 404);
}

/// With a small document limit (4 kB): a file over it reaches the form,
/// which names the limit and keeps the title; a body far over it is
/// refused before it is read, naming the limit too.
async fn a_file_over_the_limit_is_refused_naming_it(backend: Backend) {
    let options = TestOptions {
        app: AppConfig {
            max_document_bytes: 4096,
            ..TestOptions::default().app
        },
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(backend, options).await;
    let decision = decision_id(&app, AGREEMENT).await;
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let path = form_path(decision);
    let (_, form) = app.page(&coordinator, &path).await;
    assert_has(&form, "Högst 4 kB");
    let mut big = pdf();
    big.resize(6000, b' ');
    let res = send(&app, &coordinator, &path, (TITLE, "stor.pdf", &big), "sv").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert_has(&page, "Filen är för stor: gränsen är 4 kB");
    assert_has(&page, "value=\"Kommunfullmäktiges protokoll § 123\"");
    let res = send(&app, &coordinator, &path, (TITLE, "stor.pdf", &big), "en").await;
    assert_has(
        &res.text().await.unwrap(),
        "The file is too large: the limit is 4 kB",
    );

    // Over the route's whole body limit (the document's plus 1 MiB): 413.
    let mut huge = pdf();
    huge.resize(1024 * 1024 + 8192, b' ');
    let res = send(&app, &coordinator, &path, (TITLE, "enorm.pdf", &huge), "sv").await;
    assert_eq!(res.status(), 413);
    assert_eq!(
        res.headers()["connection"],
        "close",
        "the unread body's connection is not used again"
    );
    assert_has(&res.text().await.unwrap(), "gränsen är 4 kB");
    assert_eq!(app.count("documents").await, 0);

    // Other routes keep the ordinary limit: 1 MiB.
    let token = app.csrf_of(&coordinator, "/account").await;
    let res = coordinator
        .post(app.url("/municipalities/new"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("name", &"x".repeat(1024 * 1024 + 10)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_limit_is_refused_naming_it_sqlite() {
    a_file_over_the_limit_is_refused_naming_it(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_limit_is_refused_naming_it_postgres() {
    a_file_over_the_limit_is_refused_naming_it(Backend::Postgres).await
}

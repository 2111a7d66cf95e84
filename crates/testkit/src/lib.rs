//! The test harness: [`TestApp`] runs the real router on `127.0.0.1:0` over a
//! fresh database, SQLite (a temporary file) or PostgreSQL (a database cloned
//! from a migrated template and dropped afterwards). [`both_backends!`] turns
//! one async test into one test per backend.
//!
//! PostgreSQL is found at `TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); when it cannot be reached
//! the PostgreSQL tests fail with a message saying so.

mod browse;
mod people;
mod pg;
pub mod smtp;

pub use browse::{bare, multipart, set_cookie, set_cookie_header};
pub use people::{Grant, PASSWORD, browser, link_in};
use samverkan_app::{App, AppConfig};
use samverkan_db::{ConnectOptions, Db};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Expands `name` (an `async fn(TestApp)`) into `name::sqlite` and
/// `name::postgres`, each on a fresh database with the demonstration data.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::TestApp::spawn($crate::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::TestApp::spawn($crate::Backend::Postgres).await).await
            }
        }
    )+};
}

/// A fresh, migrated database on one backend; removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub backend: Backend,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    PgDatabase(String),
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A number no other call in this process gets.
pub(crate) fn next_number() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        next_number(),
        nanos % 1_000_000_000
    )
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let path =
                    std::env::temp_dir().join(format!("samverkan_test_{}.db", unique_name()));
                let url = format!("sqlite://{}", path.display());
                let db = Db::connect(&url, &ConnectOptions::default())
                    .await
                    .expect("open a test SQLite file");
                db.migrate().await.expect("migrate SQLite");
                TestDb {
                    db,
                    backend,
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres => {
                let name = format!("samverkan_t_{}", unique_name());
                let url = pg::create_database(&name).await;
                let options = ConnectOptions {
                    max_connections: 5,
                    ..ConnectOptions::default()
                };
                let db = Db::connect(&url, &options)
                    .await
                    .expect("open the test PostgreSQL database");
                TestDb {
                    db,
                    backend,
                    cleanup: Cleanup::PgDatabase(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PgDatabase(name) => pg::drop_database_blocking(name),
        }
    }
}

/// Options for [`TestApp::spawn_with`].
#[derive(Clone)]
pub struct TestOptions {
    pub demo: bool,
    pub app: AppConfig,
    pub web: samverkan_web::WebConfig,
}

impl Default for TestOptions {
    fn default() -> Self {
        let smtp = smtp::server();
        let mail = samverkan_app::mail::MailConfig {
            transport: samverkan_app::mail::MailTransport::Smtp {
                host: "127.0.0.1".into(),
                port: smtp.port,
                security: samverkan_app::mail::SmtpSecurity::None,
                credentials: None,
            },
            from: "Samverkan <noreply@samverkan.example>".into(),
            base_url: "http://samverkan.test".into(),
        };
        TestOptions {
            demo: true,
            app: AppConfig {
                mail,
                ..AppConfig::default()
            },
            web: samverkan_web::WebConfig::default(),
        }
    }
}

/// The application served on an ephemeral port, with a client.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub app: App,
    pub db: TestDb,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// The app with the demonstration data.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, TestOptions::default()).await
    }

    pub async fn spawn_with(backend: Backend, options: TestOptions) -> TestApp {
        let db = TestDb::new(backend).await;
        let app = App::new(db.db.clone(), options.app);
        if options.demo {
            app.load_demo().await.expect("load the demonstration data");
        }
        let router = samverkan_web::router(app.clone(), options.web);
        // Bound before serving starts, so requests can be sent at once.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral port");
        let addr = listener.local_addr().expect("local address");
        let server = tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service).await.expect("serve");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        TestApp {
            addr,
            client,
            app,
            db,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// GET with an `Accept-Language` header and no language cookie.
    pub async fn get_in(&self, path: &str, accept_language: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url(path))
            .header("accept-language", accept_language)
            .send()
            .await
            .expect("request")
    }

    /// GET and return status and body text.
    pub async fn text(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }

    /// GET and parse the body as JSON.
    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON body"))
    }
}

impl TestApp {
    /// The CSRF token of the form on `path` (the client keeps its cookie).
    pub async fn csrf(&self, path: &str) -> String {
        let (_, html) = self.text(path).await;
        csrf_in(&html).unwrap_or_else(|| panic!("no CSRF token in the form on {path}"))
    }

    /// POSTs a form from `page` (fetched first for its CSRF token).
    pub async fn submit(
        &self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(page).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .expect("request")
    }

    /// Runs one SQL statement on the test's database (for what only time
    /// would do, such as letting a link expire).
    pub async fn execute(&self, sql: &'static str) {
        samverkan_db::db_run!(self.app.db(), |pool| sqlx::query(sql)
            .execute(pool)
            .await
            .map(|_| ())
            .expect("statement"));
    }

    /// The one number a query answers (cast it to BIGINT on both backends).
    pub async fn scalar(&self, sql: &str) -> i64 {
        samverkan_db::db_run!(self.app.db(), |pool| sqlx::query_scalar::<_, i64>(
            sqlx::AssertSqlSafe(sql.to_owned())
        )
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}")))
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        assert!(
            table.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "a table name: {table}"
        );
        self.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
            .await
    }

    /// Runs the job queue now (sends pending e-mail).
    pub async fn run_jobs(&self) -> usize {
        self.app.run_due_jobs().await.expect("run jobs")
    }

    /// The URL of the test's own database, for running the binary on it.
    pub async fn database_url(&self) -> String {
        match self.db.backend {
            Backend::Sqlite => {
                let path: String = samverkan_db::db_run!(self.app.db(), |pool| {
                    sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                        .fetch_one(pool)
                        .await
                        .expect("the file")
                });
                format!("sqlite://{path}")
            }
            Backend::Postgres => {
                let name: String = samverkan_db::db_run!(self.app.db(), |pool| {
                    sqlx::query_scalar("SELECT current_database()::text")
                        .fetch_one(pool)
                        .await
                        .expect("the name")
                });
                pg::url_for(&name)
            }
        }
    }

    /// A unique address for this test's mail.
    pub fn address(&self, name: &str) -> String {
        format!("{name}.{}@example.se", self.addr.port())
    }
}

/// The value of the hidden `csrf_token` field in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

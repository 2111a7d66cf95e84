//! Black-box HTTP tests: the real router on an ephemeral port, a fresh
//! database per test, every test on SQLite and on PostgreSQL.

mod accounts;
mod administration;
mod api;
mod changes;
mod claims;
mod csrf;
mod csv_guard;
mod directory_import;
mod documents;
mod error_language;
mod first_run;
mod governance;
mod injection;
mod joining;
mod members;
mod openapi_contract;
mod ops;
mod organisations;
mod pages;
mod paging;
mod permissions;
mod plan_import;
mod plans;
mod plans_api;
mod register;
mod register_api;
mod register_import;
mod reports;
mod scale;
mod schema;
mod throttle;
mod translations;
mod working_group;

/// Asserts that `haystack` contains `needle`, showing a short excerpt if not.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find {needle:?} in:\n{}",
        haystack.chars().take(3000).collect::<String>()
    );
}

/// A GET by a visitor with no cookies, in `lang`: status and body.
pub async fn visitor(app: &samverkan_testkit::TestApp, path: &str, lang: &str) -> (u16, String) {
    let res = app.get_in(path, lang).await;
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// The text between `start` and the next `end`.
#[track_caller]
pub fn between(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in page"))
        + start.len();
    html[from..].split(end).next().unwrap().to_owned()
}

/// Runs the `samverkan` binary on the database at `url`: exit code, stdout
/// and stderr.
pub fn run_cli(url: &str, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env_remove("SAMVERKAN_CONFIG")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

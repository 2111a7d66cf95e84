//! Black-box HTTP tests: the real router on an ephemeral port, a fresh
//! database per test, every test on SQLite and on PostgreSQL.

mod accounts;
mod administration;
mod api;
mod csrf;
mod csv_guard;
mod error_language;
mod injection;
mod joining;
mod members;
mod openapi_contract;
mod ops;
mod organisations;
mod pages;
mod permissions;
mod plan_import;
mod plans;
mod plans_api;
mod register;
mod register_api;
mod register_import;
mod reports;
mod schema;
mod throttle;

/// Asserts that `haystack` contains `needle`, showing a short excerpt if not.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find {needle:?} in:\n{}",
        haystack.chars().take(3000).collect::<String>()
    );
}

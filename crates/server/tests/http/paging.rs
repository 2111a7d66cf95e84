//! Lists read a page at a time: at a scale of thousands of organisations
//! and activities the directory and an agreement's parties are counted and
//! paged in SQL, a plan's activities and updates are paged from the
//! agreement's cached activities, their pages link to each other, and the
//! CSV exports (the register's streamed batch by batch) hold every row
//! exactly once in the pages' order.

use crate::assert_has;
use samverkan_app::demo::scale::Scale;
use samverkan_testkit::{TestApp, both_backends};
use std::collections::HashSet;

both_backends!(
    the_directory_pages_and_exports_every_organisation_once,
    the_parties_page_by_a_hundred_and_export_every_party_once,
    a_plans_lists_page_and_its_pages_stay_small,
    the_register_pages_by_a_hundred_and_exports_every_record_once,
);

/// The demonstration data grown by a hundredth of the national scale.
async fn grown(t: &TestApp) {
    t.app
        .load_scale(&Scale::NATIONAL.divided(100), &|_, _| {})
        .await
        .expect("generate");
}

/// The rows of a CSV answer, each a record by column name.
async fn csv_rows(t: &TestApp, path: &str) -> Vec<std::collections::HashMap<String, String>> {
    let res = t.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let body = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

async fn the_directory_pages_and_exports_every_organisation_once(t: TestApp) {
    grown(&t).await;
    let stored = t.count("organisations").await as u64;
    assert!(stored > 2000, "{stored} organisations");
    let (_, first) = t.json("/api/v1/organisations").await;
    assert_eq!(first["total"].as_u64(), Some(stored));
    assert_eq!(first["pages"].as_u64(), Some(stored.div_ceil(20)));
    let page_one: Vec<&str> = (first["items"].as_array().unwrap().iter())
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(page_one.len(), 20);
    // The export holds every organisation once, in the directory's order,
    // although it is read in batches of 500.
    let rows = csv_rows(&t, "/api/v1/organisations?format=csv").await;
    assert_eq!(rows.len() as u64, stored);
    let slugs: HashSet<&str> = rows.iter().map(|r| r["slug"].as_str()).collect();
    assert_eq!(slugs.len(), rows.len(), "no organisation twice");
    let exported: Vec<&str> = rows[..20].iter().map(|r| r["slug"].as_str()).collect();
    assert_eq!(exported, page_one);
    // A filter counts in SQL what the export of the same filter holds.
    let joined = "/api/v1/organisations?joined=yes";
    let (_, page) = t.json(joined).await;
    let rows = csv_rows(&t, &format!("{joined}&format=csv")).await;
    assert_eq!(page["total"].as_u64(), Some(rows.len() as u64));
    assert!(rows.iter().all(|r| !r["agreements"].is_empty()));
    // The last page, and past it, is the last page.
    let last = stored.div_ceil(20);
    let (_, past) = t
        .json(&format!("/api/v1/organisations?page={}", last + 5))
        .await;
    assert_eq!(past["page"].as_u64(), Some(last));
    let (status, html) = t.text(&format!("/organisations?page={last}")).await;
    assert_eq!(status, 200);
    assert_has(&html, "rel=\"prev\"");
}

/// The number of parties the answer counts.
fn total_of(res: &reqwest::Response) -> usize {
    res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The agreement whose API list `/api/v1/agreements/{slug}/{list}` holds
/// the most, and how many.
async fn largest_agreement(t: &TestApp, list: &str) -> (String, usize) {
    let (_, agreements) = t.json("/api/v1/agreements").await;
    let mut largest = (String::new(), 0);
    for a in agreements.as_array().unwrap() {
        let slug = a["slug"].as_str().unwrap();
        let res = t.get(&format!("/api/v1/agreements/{slug}/{list}")).await;
        assert_eq!(res.status(), 200);
        if total_of(&res) > largest.1 {
            largest = (slug.to_owned(), total_of(&res));
        }
    }
    largest
}

async fn the_parties_page_by_a_hundred_and_export_every_party_once(t: TestApp) {
    grown(&t).await;
    let (agreement, total) = largest_agreement(&t, "parties").await;
    assert!(total > 200, "{total} parties");
    let path = format!("/api/v1/agreements/{agreement}/parties");
    let res = t.get(&path).await;
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    assert_eq!(link, format!("<{path}?page=2>; rel=\"next\""));
    let first: Vec<serde_json::Value> = res.json().await.unwrap();
    assert_eq!(first.len(), 100);
    // Every page after the first links back; together they are the export.
    let mut paged: Vec<String> = Vec::new();
    for page in 1..=total.div_ceil(100) {
        let res = t.get(&format!("{path}?page={page}")).await;
        if page > 1 {
            assert_has(res.headers()["link"].to_str().unwrap(), "rel=\"prev\"");
        }
        let items: Vec<serde_json::Value> = res.json().await.unwrap();
        paged.extend(items.iter().map(|p| p["name"].as_str().unwrap().to_owned()));
    }
    assert_eq!(paged.len(), total);
    let rows = csv_rows(&t, &format!("{path}?format=csv")).await;
    let exported: Vec<String> = rows.iter().map(|r| r["name"].clone()).collect();
    assert_eq!(exported, paged, "the export is the pages, in order");
    // The page shows the count and a pager; a page that is not a whole
    // number from 1 is a 400.
    let (status, html) = t
        .text(&format!("/agreements/{agreement}/parties?page=2"))
        .await;
    assert_eq!(status, 200);
    assert_has(&html, &format!("{total} anslutna"));
    assert_has(&html, "rel=\"next\"");
    assert_has(&html, "rel=\"prev\"");
    let (status, _) = t
        .text(&format!("/agreements/{agreement}/parties?page=0"))
        .await;
    assert_eq!(status, 400);
    let (status, _) = t.text(&format!("{path}?page=x")).await;
    assert_eq!(status, 400);
}

/// The plan with the most activities: (agreement, plan, number).
async fn largest_plan(t: &TestApp) -> (String, String, usize) {
    let (_, agreements) = t.json("/api/v1/agreements").await;
    let mut largest = (String::new(), String::new(), 0);
    for a in agreements.as_array().unwrap() {
        let slug = a["slug"].as_str().unwrap();
        let (_, plans) = t.json(&format!("/api/v1/agreements/{slug}/plans")).await;
        for p in plans.as_array().unwrap() {
            let plan = p["slug"].as_str().unwrap();
            let res = t
                .get(&format!(
                    "/api/v1/agreements/{slug}/plans/{plan}/activities"
                ))
                .await;
            if total_of(&res) > largest.2 {
                largest = (slug.to_owned(), plan.to_owned(), total_of(&res));
            }
        }
    }
    largest
}

async fn a_plans_lists_page_and_its_pages_stay_small(t: TestApp) {
    grown(&t).await;
    let (agreement, plan, total) = largest_plan(&t).await;
    assert!(total > 200, "{total} activities");
    let api = format!("/api/v1/agreements/{agreement}/plans/{plan}");
    // The API pages by a hundred; the pages are the export, in order.
    let mut paged: Vec<String> = Vec::new();
    for page in 1..=total.div_ceil(100) {
        let res = t.get(&format!("{api}/activities?page={page}")).await;
        assert_eq!(total_of(&res), total);
        let items: Vec<serde_json::Value> = res.json().await.unwrap();
        assert!(items.len() <= 100);
        paged.extend(items.iter().map(|a| a["slug"].as_str().unwrap().to_owned()));
    }
    let rows = csv_rows(&t, &format!("{api}/activities?format=csv")).await;
    let exported: Vec<String> = rows.iter().map(|r| r["slug"].clone()).collect();
    assert_eq!(exported, paged);
    // A filter keeps its value in the links.
    let res = t.get(&format!("{api}/activities?status=ongoing")).await;
    if total_of(&res) > 100 {
        assert_has(
            res.headers()["link"].to_str().unwrap(),
            "status=ongoing&page=2",
        );
    }
    let res = t.get(&format!("{api}/updates")).await;
    assert!(total_of(&res) > 100);
    assert_has(
        res.headers()["link"].to_str().unwrap(),
        "page=2>; rel=\"next\"",
    );
    let updates: Vec<serde_json::Value> = res.json().await.unwrap();
    assert_eq!(updates.len(), 100);
    // The overview lists 25 of a part, pages each part on its own, and
    // bounds its timeline.
    let page = format!("/agreements/{agreement}/plans/{plan}");
    let (status, html) = t.text(&page).await;
    assert_eq!(status, 200);
    assert_has(&html, "Tidslinjen visar högst 40 aktiviteter");
    let part = ["challenges", "conditions", "learning", "organisation"]
        .into_iter()
        .find(|p| html.contains(&format!("?part={p}&#38;page=2")))
        .expect("a part with more than 25 activities");
    let (status, second) = t.text(&format!("{page}?part={part}&page=2")).await;
    assert_eq!(status, 200);
    assert_has(
        &second,
        &format!("?part={part}&#38;page=1#part-{part}\" rel=\"prev\""),
    );
    let (status, _) = t.text(&format!("{page}?part=nothing")).await;
    assert_eq!(status, 400);
    // A challenge page lists 50 at a time, its filter kept in the pager.
    let (_, plan_json) = t.json(&api).await;
    for c in plan_json["summaries"]["by_challenge"].as_array().unwrap() {
        if c["activities"].as_u64().unwrap() > 50 {
            let key = c["key"].as_str().unwrap();
            let path = format!("/agreements/{agreement}/challenges/{key}?plan={plan}");
            let (status, html) = t.text(&path).await;
            assert_eq!(status, 200);
            // The filter is kept (askama writes `&` as `&#38;`).
            assert_has(&html, &format!("?plan={plan}&#38;page=2#activities-h"));
            assert_eq!(html.matches("class=\"status status-").count(), 50);
            return;
        }
    }
    panic!("no challenge with more than 50 activities");
}

async fn the_register_pages_by_a_hundred_and_exports_every_record_once(t: TestApp) {
    grown(&t).await;
    let (agreement, total) = largest_agreement(&t, "register").await;
    assert!(
        total > 1000,
        "{total} records: more than two export batches"
    );
    let path = format!("/api/v1/agreements/{agreement}/register");
    let res = t.get(&path).await;
    assert_eq!(
        res.headers()["link"].to_str().unwrap(),
        format!("<{path}?page=2>; rel=\"next\"")
    );
    let first: Vec<serde_json::Value> = res.json().await.unwrap();
    assert_eq!(first.len(), 100);
    // The last page, and past it, is the last page and links back.
    let last = total.div_ceil(100);
    let res = t.get(&format!("{path}?page={}", last + 3)).await;
    assert_has(
        res.headers()["link"].to_str().unwrap(),
        &format!("page={}>; rel=\"prev\"", last - 1),
    );
    let tail: Vec<serde_json::Value> = res.json().await.unwrap();
    assert_eq!(tail.len(), total - (last - 1) * 100);
    // The export is every record once, the first page's first, although
    // it is read in batches of 500.
    let rows = csv_rows(&t, &format!("{path}?format=csv")).await;
    assert_eq!(rows.len(), total);
    let titles: Vec<&str> = rows.iter().map(|r| r["title"].as_str()).collect();
    let shown: Vec<&str> = first.iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles[..100],
        shown[..],
        "the export is in the list's order"
    );
    let keys: HashSet<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["body"].as_str(),
                r["title"].as_str(),
                r["starts_on"].as_str(),
            )
        })
        .collect();
    assert_eq!(keys.len(), total, "no record twice");
    // A filter pages what it chooses, and counts it in SQL.
    let year = first[0]["starts_on"].as_str().unwrap()[..4].to_owned();
    let filtered = format!("{path}?year={year}");
    let res = t.get(&filtered).await;
    let chosen = total_of(&res);
    assert!(chosen > 0 && chosen <= total);
    let rows = csv_rows(&t, &format!("{filtered}&format=csv")).await;
    assert_eq!(rows.len(), chosen);
    let (status, _) = t.text(&format!("{path}?page=0")).await;
    assert_eq!(status, 400);
}

//! The role-by-route table: every page route, for every role, is allowed or
//! denied exactly as its rule says. The router is built from the same table,
//! so a route cannot exist without a rule.

use samverkan_testkit::{PASSWORD, TestApp, both_backends, browser, csrf_in};
use samverkan_web::access::{Access, allows};
use samverkan_web::html::RULES;
use std::collections::HashSet;

both_backends!(every_page_route_allows_or_denies_each_role_by_its_rule);

async fn signed_in_browser(app: &TestApp) -> reqwest::Client {
    let email = app.confirmed_account("roles").await;
    let client = browser();
    assert_eq!(
        app.sign_in_with(&client, &email, PASSWORD).await.status(),
        303
    );
    client
}

fn concrete(path: &str) -> String {
    path.replace(
        "/organisations/{slug}",
        "/organisations/bollklubben-rosengardsstjarnan",
    )
    .replace("{slug}", "malmoandan")
    .replace("{challenge}", "ungas-halsa-och-livsstil")
    .replace("{token}", &"0".repeat(64))
}

async fn every_page_route_allows_or_denies_each_role_by_its_rule(app: TestApp) {
    let mut seen = HashSet::new();
    for rule in RULES {
        assert!(
            seen.insert((rule.method, rule.path)),
            "{} {} is declared twice",
            rule.method,
            rule.path
        );
    }
    let anonymous = browser();
    let person = signed_in_browser(&app).await;
    // Signing out ends the person's session, so it goes last.
    let mut rules: Vec<_> = RULES.iter().collect();
    rules.sort_by_key(|r| r.path == "/logout");
    for rule in rules {
        let url = app.url(&concrete(rule.path));
        for (role, client, signed_in) in
            [("anonymous", &anonymous, false), ("person", &person, true)]
        {
            let res = if rule.method == "get" {
                client.get(&url).send().await.unwrap()
            } else {
                let html = client
                    .get(app.url("/login"))
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let token = csrf_in(&html).unwrap();
                client
                    .post(&url)
                    .form(&[("csrf_token", token.as_str())])
                    .send()
                    .await
                    .unwrap()
            };
            let status = res.status().as_u16();
            let location = res
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned())
                .unwrap_or_default();
            let denied = status == 403
                || status == 401 && rule.path != "/login"
                || location.starts_with("/login?next=");
            let expected = allows(rule.access, signed_in);
            assert_eq!(
                !denied, expected,
                "{role} {} {}: got {status} {location}",
                rule.method, rule.path
            );
            if rule.access == Access::SignedIn && !signed_in && rule.method == "get" {
                assert!(
                    location.starts_with("/login?next="),
                    "{role} is sent to sign in from {}",
                    rule.path
                );
            }
        }
    }
}

//! The role-by-route table: every page route, for every role, is allowed or
//! denied exactly as its rule says. The router is built from the same table,
//! so a route cannot exist without a rule; the expectations come from
//! [`allows`] with each role's actual roles, and a second table spells out
//! the object rules (this organisation, this agreement) by hand.

use samverkan_testkit::{Grant, TestApp, both_backends, browser};
use samverkan_web::access::{Access, allows, allows_activity, allows_register, allows_report};
use samverkan_web::html::RULES;
use std::collections::HashSet;

both_backends!(every_page_route_allows_or_denies_each_role_by_its_rule);
both_backends!(object_rules_hold_for_the_organisation_and_agreement_named);
both_backends!(another_organisations_admin_cannot_change_the_organisation_named);
both_backends!(every_state_changing_route_refuses_a_request_without_the_csrf_token);

/// The organisation and agreement the concrete paths name.
const ORG: &str = "bollklubben-rosengardsstjarnan";
const OTHER_ORG: &str = "kroksbacks-box-och-kampsportsklubb";
const AGREEMENT: &str = "malmoandan";
/// The activity the concrete paths name: the official's committee
/// (kulturnämnden) is responsible for it and organisation X is a partner.
const PLAN: &str = "2018-2022";
const ACTIVITY: &str = "avgiftsfria-lovaktiviteter";

/// The yearly report the concrete paths name: kulturnämnden's, in a year
/// the demonstration data has a draft for.
const YEAR: &str = "2024";

fn concrete(path: &str, record: i64) -> String {
    path.replace("{record}", &record.to_string())
        .replace("{year}", YEAR)
        .replace("{number}", "1")
        .replace("/organisations/{slug}", &format!("/organisations/{ORG}"))
        .replace("{slug}", AGREEMENT)
        .replace("{challenge}", "ungas-halsa-och-livsstil")
        .replace("{token}", &"0".repeat(64))
        .replace("{municipality}", "malmo")
        .replace("{body}", "kulturnamnden")
        .replace("{plan}", PLAN)
        .replace("{activity}", ACTIVITY)
        .replace("{decision}", "1")
        .replace("{meeting}", "1")
        .replace("{item}", "1")
        .replace("{role}", "samordnare-malmoandan")
        .replace("{id}/{file_name}", "1/protokoll.pdf")
}

/// A record of kulturnämnden (the official's committee) that names
/// organisation X, made for the test.
async fn the_record(app: &TestApp) -> samverkan_app::register::Record {
    let (_, email) = app.official_of("malmo/kulturnamnden").await;
    let (current, roles) = app.current_user_and_roles(&email).await;
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let org_number = app.app.organisation(ORG).await.unwrap().org_number.unwrap();
    let form = samverkan_app::register::RecordForm {
        body: "kulturnamnden".into(),
        form: "dialogue".into(),
        title: "Dialogmöten om kulturlokaler".into(),
        description: "Fyra dialogmöten under året.".into(),
        starts_on: "2024-01-01".into(),
        ends_on: "2024-12-31".into(),
        organisations: org_number,
        ..Default::default()
    };
    let id = app
        .app
        .create_record(&current, &roles, AGREEMENT, "malmo", &register, &form)
        .await
        .unwrap();
    app.app.record(&register, id).await.unwrap()
}

struct Role {
    name: &'static str,
    client: reqwest::Client,
    roles: Option<samverkan_web::access::Roles>,
}

async fn roles(app: &TestApp) -> Vec<Role> {
    let specs: [(&str, &[Grant]); 7] = [
        ("person", &[]),
        ("member", &[Grant::Member(ORG, "member")]),
        ("org-admin", &[Grant::Member(ORG, "admin")]),
        ("other-org-admin", &[Grant::Member(OTHER_ORG, "admin")]),
        ("official", &[Grant::Official("malmo/kulturnamnden")]),
        ("coordinator", &[Grant::Coordinator(AGREEMENT)]),
        ("platform-admin", &[Grant::PlatformAdmin]),
    ];
    let mut out = vec![Role {
        name: "anonymous",
        client: browser(),
        roles: None,
    }];
    for (name, grants) in specs {
        let (client, email) = app.person(name, grants).await;
        let (_, roles) = app.current_user_and_roles(&email).await;
        out.push(Role {
            name,
            client,
            roles: Some(roles),
        });
    }
    out
}

async fn send(app: &TestApp, client: &reqwest::Client, method: &str, url: &str) -> (u16, String) {
    let res = if method == "get" {
        client.get(url).send().await.unwrap()
    } else {
        let token = app.csrf_of(client, "/login").await;
        client
            .post(url)
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap()
    };
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (res.status().as_u16(), location)
}

fn is_denied(path: &str, status: u16, location: &str) -> bool {
    status == 403 || status == 401 && path != "/login" || location.starts_with("/login?next=")
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
    let roles = roles(&app).await;
    let (snapshot, activities) = app.app.with_activities(AGREEMENT).await.unwrap();
    let agreement = snapshot.agreement(AGREEMENT).unwrap();
    let activity = activities.activity(PLAN, ACTIVITY).unwrap();
    let record = the_record(&app).await;
    // Signing out ends the person's session, and deleting an account ends
    // it too, so they go last.
    let mut rules: Vec<_> = RULES.iter().collect();
    rules.sort_by_key(|r| (r.path == "/logout", r.path == "/account/delete"));
    for rule in rules {
        let url = app.url(&concrete(rule.path, record.id));
        let slug = if rule.path.starts_with("/organisations/{slug}") {
            Some(ORG)
        } else if rule.path.starts_with("/agreements/{slug}") {
            Some(AGREEMENT)
        } else {
            None
        };
        for role in &roles {
            let (status, location) = send(&app, &role.client, rule.method, &url).await;
            let denied = is_denied(rule.path, status, &location);
            let expected = match (rule.access, &role.roles) {
                (Access::ActivityTeam | Access::ActivityParty, Some(roles)) => {
                    allows_activity(rule.access, roles, agreement, activity)
                }
                (
                    Access::RegisterKeeper | Access::RecordKeeper | Access::RecordParty,
                    Some(roles),
                ) => allows_register(rule.access, roles, AGREEMENT, "malmo", Some(&record)),
                (Access::ReportKeeper, Some(roles)) => {
                    allows_report(roles, "malmo", "kulturnamnden")
                }
                _ => allows(rule.access, role.roles.as_ref(), slug),
            };
            assert_eq!(
                !denied, expected,
                "{} {} {}: got {status} {location}",
                role.name, rule.method, rule.path
            );
            if rule.access != Access::Public && role.roles.is_none() && rule.method == "get" {
                assert!(
                    location.starts_with("/login?next="),
                    "{} is sent to sign in from {}",
                    role.name,
                    rule.path
                );
            }
        }
    }
}

/// The object rules by hand, so a mistake in [`allows`] cannot hide itself:
/// who may do what to organisation X, agreement A and the city bodies
/// (method, path, the roles allowed).
const OBJECT_RULES: &[(&str, &str, &[&str])] = &[
    ("get", "/organisations/{slug}/edit", &["org-admin"]),
    (
        "get",
        "/organisations/{slug}/members",
        &["member", "org-admin"],
    ),
    (
        "post",
        "/organisations/{slug}/members/invite",
        &["org-admin"],
    ),
    ("post", "/organisations/{slug}/members/role", &["org-admin"]),
    (
        "get",
        "/agreements/{slug}/applications",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/applications/decide",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/city-bodies/new",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/city-bodies/{municipality}/{body}",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/plans/{plan}/activities/{activity}/edit",
        &["official", "coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/plans/{plan}/activities/{activity}/updates",
        &[
            "member",
            "org-admin",
            "official",
            "coordinator",
            "platform-admin",
        ],
    ),
    (
        "post",
        "/agreements/{slug}/plans/{plan}/activities/{activity}/assessment",
        &["official", "coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/plans/{plan}/activities/new",
        &["coordinator", "platform-admin"],
    ),
    // The register: officials of the municipality's bodies and
    // coordinators keep records; the record's committee keeps it; the
    // organisations it names may comment on it.
    (
        "get",
        "/agreements/{slug}/register/new",
        &["official", "coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/register/{record}/edit",
        &["official", "coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/register/{record}/remarks",
        &[
            "member",
            "org-admin",
            "official",
            "coordinator",
            "platform-admin",
        ],
    ),
    // The yearly report: only the committee's officials write it; the
    // coordinators set the deadlines.
    (
        "get",
        "/agreements/{slug}/reports/{year}/{body}/edit",
        &["official"],
    ),
    (
        "post",
        "/agreements/{slug}/reports/{year}/{body}/publish",
        &["official"],
    ),
    (
        "post",
        "/agreements/{slug}/reports/deadlines",
        &["coordinator", "platform-admin"],
    ),
    ("get", "/agreements/new", &["coordinator", "platform-admin"]),
    (
        "post",
        "/agreements/new",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/edit",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/edit",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/edit/text",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/edit/parts",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/edit/step",
        &["coordinator", "platform-admin"],
    ),
    // Governance: the agreement's coordinators keep its roles and terms.
    (
        "get",
        "/agreements/{slug}/governance",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/governance/roles",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/governance/terms",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/governance/terms/end",
        &["coordinator", "platform-admin"],
    ),
    // The working group: anyone reads its pages; the agreement's
    // coordinators keep its meetings, minutes and action items.
    (
        "get",
        "/agreements/{slug}/working-group",
        &[
            "anonymous",
            "person",
            "member",
            "org-admin",
            "other-org-admin",
            "official",
            "coordinator",
            "platform-admin",
        ],
    ),
    (
        "get",
        "/agreements/{slug}/working-group/meetings/{meeting}",
        &[
            "anonymous",
            "person",
            "member",
            "org-admin",
            "other-org-admin",
            "official",
            "coordinator",
            "platform-admin",
        ],
    ),
    (
        "get",
        "/agreements/{slug}/working-group/meetings/new",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/meetings/new",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/working-group/meetings/{meeting}/edit",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/meetings/{meeting}/edit",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/meetings/{meeting}/minutes",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/meetings/{meeting}/minutes/approve",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/meetings/{meeting}/decisions",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/working-group/meetings/{meeting}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/meetings/{meeting}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/working-group/actions/new",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/actions/new",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/working-group/actions/{item}",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/working-group/actions/{item}",
        &["coordinator", "platform-admin"],
    ),
    // Documents: the agreement's coordinators attach them; anyone reads
    // a public one.
    (
        "get",
        "/agreements/{slug}/decisions/{decision}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/decisions/{decision}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/versions/{number}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/versions/{number}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/agreements/{slug}/plans/{plan}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/agreements/{slug}/plans/{plan}/documents",
        &["coordinator", "platform-admin"],
    ),
    (
        "get",
        "/documents/{id}/{file_name}",
        &[
            "anonymous",
            "person",
            "member",
            "org-admin",
            "other-org-admin",
            "official",
            "coordinator",
            "platform-admin",
        ],
    ),
    ("get", "/municipalities/new", &["platform-admin"]),
    ("post", "/municipalities/new", &["platform-admin"]),
    (
        "get",
        "/city-bodies/import",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/city-bodies/import",
        &["coordinator", "platform-admin"],
    ),
    (
        "post",
        "/city-bodies/import/apply",
        &["coordinator", "platform-admin"],
    ),
    ("get", "/organisations/import", &["platform-admin"]),
    ("post", "/organisations/import", &["platform-admin"]),
    ("post", "/organisations/import/apply", &["platform-admin"]),
    ("get", "/admin", &["platform-admin"]),
    ("get", "/admin/audit", &["platform-admin"]),
    ("post", "/admin/roles", &["platform-admin"]),
];

/// Each role is allowed or denied each route of [`OBJECT_RULES`] exactly as
/// the table says.
async fn object_rules_hold_for_the_organisation_and_agreement_named(app: TestApp) {
    let roles = roles(&app).await;
    let record = the_record(&app).await;
    for (method, path, allowed) in OBJECT_RULES {
        let url = app.url(&concrete(path, record.id));
        for role in &roles {
            let (status, location) = send(&app, &role.client, method, &url).await;
            let denied = is_denied(path, status, &location);
            assert_eq!(
                !denied,
                allowed.contains(&role.name),
                "{} {method} {path}: got {status} {location}",
                role.name
            );
        }
    }
}

/// The administrator of another organisation cannot read or change X's
/// private data, nor reach it through its own organisation's paths.
async fn another_organisations_admin_cannot_change_the_organisation_named(app: TestApp) {
    let (other, _) = app
        .person("other-org-admin", &[Grant::Member(OTHER_ORG, "admin")])
        .await;
    let (_, member_email) = app.person("member", &[Grant::Member(ORG, "member")]).await;
    let member = app.user_id(&member_email).await.to_string();
    for (path, fields) in [
        (
            format!("/organisations/{ORG}/members/role"),
            vec![("member", member.as_str()), ("role", "admin")],
        ),
        (
            format!("/organisations/{ORG}/members/remove"),
            vec![("member", member.as_str())],
        ),
        (
            format!("/organisations/{ORG}/edit"),
            vec![("name", "Kapad"), ("version", "1")],
        ),
    ] {
        let res = app
            .post_from(
                &other,
                &format!("/organisations/{OTHER_ORG}/members"),
                &path,
                &fields,
            )
            .await;
        assert_eq!(res.status(), 403, "{path}");
    }
    // Its own members page answers; asking it to change X's member by id
    // does nothing to X (the member id is looked up within its own organisation).
    let res = app
        .post_from(
            &other,
            &format!("/organisations/{OTHER_ORG}/members"),
            &format!("/organisations/{OTHER_ORG}/members/role"),
            &[("member", member.as_str()), ("role", "admin")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let member_roles = app
        .app
        .db()
        .roles_of(member.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        member_roles.organisations,
        vec![(
            ORG.to_owned(),
            "Bollklubben Rosengårdsstjärnan".to_owned(),
            "member".to_owned()
        )],
        "X's member is untouched"
    );
}

/// Every POST route in the table, by a person whom every rule allows, is
/// refused without the CSRF token or with a wrong one: there is no exception
/// list, and the check comes before the handler.
async fn every_state_changing_route_refuses_a_request_without_the_csrf_token(app: TestApp) {
    let (client, _) = app
        .person(
            "everything",
            &[
                Grant::Member(ORG, "admin"),
                Grant::Coordinator(AGREEMENT),
                Grant::Official("malmo/kulturnamnden"),
                Grant::PlatformAdmin,
            ],
        )
        .await;
    // The browser holds a CSRF cookie, as after any form page.
    client.get(app.url("/account")).send().await.unwrap();
    let posts: Vec<_> = RULES.iter().filter(|r| r.method == "post").collect();
    assert_eq!(posts.len(), 77, "the state-changing routes of the table");
    for rule in posts {
        let url = app.url(&concrete(rule.path, 1));
        for token in [None, Some("0".repeat(64))] {
            let mut form = vec![("email", "a@example.org".to_owned())];
            if let Some(t) = &token {
                form.push(("csrf_token", t.clone()));
            }
            let res = client.post(&url).form(&form).send().await.unwrap();
            assert_eq!(res.status(), 403, "POST {} with token {token:?}", rule.path);
        }
    }
    // The person is still signed in: nothing was done.
    let res = client.get(app.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

//! The action-plan API: a plan with its sums, activities with filters and
//! the CSV import format, updates, the activity edit (sign-in, roles, stale
//! versions, field errors) and the milestone calendars, read back with a
//! standard iCalendar parser. Each test makes its own activities.

use samverkan_app::accounts::CurrentUser;
use samverkan_app::plans::activities::{ACTIVITY_FIELDS, ActivityForm};
use samverkan_app::plans::follow_up::UpdateForm;
use samverkan_testkit::{TestApp, both_backends};
use serde_json::{Value, json};

both_backends!(
    the_plan_as_json_sums_its_activities_per_part_and_challenge,
    activities_as_json_narrow_by_each_filter,
    a_malformed_filter_is_a_400_and_one_naming_nothing_a_404,
    one_activity_as_json_and_its_form,
    the_plans_updates_are_listed_newest_first,
    unknown_plans_agreements_and_activities_are_404,
    csv_exports_are_the_import_formats,
    openapi_documents_the_plan_routes,
    editing_an_activity_needs_a_role_and_the_current_version,
    milestone_feeds_are_icalendar,
    the_agreements_feed_has_every_plans_milestones_in_either_language,
    calendar_uids_stay_when_an_earlier_milestone_is_added,
);

const AGREEMENT: &str = "malmoandan";
const PLAN: &str = "2021-2026";
const BASE: &str = "/api/v1/agreements/malmoandan/plans/2021-2026";
const CHALLENGE: &str = "ungas-halsa-och-livsstil";
/// Long, with å/ä/ö, a comma and a semicolon: folded and escaped in iCalendar.
const LONG_TITLE: &str = "Läxhjälp, idrott och språkcafé; för unga i Rosengård och Östra förstaden – \
                          gemensamt ansvar för skolgården även på kvällar och helger";
const MILESTONE: &str = "Första träffen, med föräldrar; och barn";

/// The activity with milestones, money, a district and a formula-looking description.
fn homework_form() -> ActivityForm {
    ActivityForm {
        slug: "api-laxhjalp".into(),
        title: LONG_TITLE.into(),
        description: "=HYPERLINK(\"http://evil.example\")\nUnga hjälper yngre.".into(),
        goal: "50 elever, varje vecka".into(),
        part: "challenges".into(),
        challenge: CHALLENGE.into(),
        district: "oster".into(),
        status: "ongoing".into(),
        progress: "40".into(),
        starts_on: "2021-01-01".into(),
        ends_on: "2022-12-31".into(),
        responsible_city_bodies: "kulturnamnden".into(),
        responsible_organisations: "bollklubben-rosengardsstjarnan".into(),
        principles: "dialog".into(),
        milestones: format!("2021-06-01 | {MILESTONE} | 2021-06-03\n2022-06-01 | Halvtid"),
        funding: "2021 | 150000 | Kulturnämnden".into(),
        hours_city: "100".into(),
        hours_sector: "200".into(),
        ..ActivityForm::default()
    }
}

/// A second activity in another part, with other parties and no district.
fn premises_form() -> ActivityForm {
    ActivityForm {
        slug: "api-lokaler".into(),
        title: "Öppna lokaler".into(),
        description: "Föreningar får låna skolans lokaler.".into(),
        goal: "Tio föreningar".into(),
        part: "conditions".into(),
        status: "planned".into(),
        progress: "0".into(),
        starts_on: "2022-01-01".into(),
        ends_on: "2023-12-31".into(),
        responsible_city_bodies: "fritidsnamnden".into(),
        responsible_organisations: "kroksbacks-box-och-kampsportsklubb".into(),
        principles: "kvalitet-och-delaktighet".into(),
        milestones: "2022-03-01 | Avtal klart".into(),
        ..ActivityForm::default()
    }
}

/// Creates the two test activities, and a published update on each.
async fn two_activities(app: &TestApp) -> (reqwest::Client, CurrentUser) {
    let (client, email) = app.coordinator_of(AGREEMENT).await;
    let (user, roles) = app.current_user_and_roles(&email).await;
    for form in [homework_form(), premises_form()] {
        app.app
            .create_activity(&user, &roles, AGREEMENT, PLAN, &form)
            .await
            .unwrap_or_else(|e| panic!("create {}: {e:?}", form.slug));
    }
    for (slug, written_on, body, milestone) in [
        (
            "api-laxhjalp",
            "2021-06-03",
            "=1+1 Första träffen hölls, 30 kom.",
            MILESTONE,
        ),
        ("api-lokaler", "2022-02-01", "Avtalet är skrivet.", ""),
        ("api-laxhjalp", "2021-03-01", "Vi har börjat.", ""),
    ] {
        let form = UpdateForm {
            written_on: written_on.into(),
            body: body.into(),
            milestone: milestone.into(),
            ..UpdateForm::default()
        };
        let published = app
            .app
            .post_update(
                &user,
                &roles,
                samverkan_app::plans::activities::ActivityRef {
                    agreement: AGREEMENT,
                    plan: PLAN,
                    slug,
                },
                &form,
            )
            .await
            .unwrap_or_else(|e| panic!("update {slug}: {e:?}"));
        assert!(published);
    }
    (client, user)
}

/// The slugs of the test activities in a list answer, in order.
fn ours(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a["slug"].as_str())
        .filter(|s| s.starts_with("api-"))
        .collect()
}

/// The plan with its sums: per part, in order, and per challenge.
async fn the_plan_as_json_sums_its_activities_per_part_and_challenge(app: TestApp) {
    two_activities(&app).await;
    let (status, plan) = app.json(BASE).await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["plan"]["slug"], PLAN);
    assert!(plan["plan"]["parts"].is_array());
    let summaries = &plan["summaries"];
    assert!(summaries["plan"]["activities"].as_u64().unwrap() >= 2);
    let parts: Vec<&str> = summaries["by_part"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        ["challenges", "conditions", "learning", "organisation"]
    );
    let youth = summaries["by_challenge"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == CHALLENGE)
        .expect("the challenge is summed");
    assert!(youth["activities"].as_u64().unwrap() >= 1);
    assert!(youth["statuses"].is_array() && youth["principles"].is_array());
}

/// The activities of the plan, each filter alone and two together.
async fn activities_as_json_narrow_by_each_filter(app: TestApp) {
    two_activities(&app).await;
    let (status, list) = app.json(&format!("{BASE}/activities")).await;
    assert_eq!(status, 200);
    assert_eq!(ours(&list), ["api-laxhjalp", "api-lokaler"]);

    for (query, expected) in [
        ("status=ongoing", &["api-laxhjalp"][..]),
        ("status=planned", &["api-lokaler"]),
        ("status=cancelled", &[]),
        (&format!("challenge={CHALLENGE}"), &["api-laxhjalp"]),
        ("part=conditions", &["api-lokaler"]),
        (
            "party=organisation:bollklubben-rosengardsstjarnan",
            &["api-laxhjalp"],
        ),
        ("party=city_body:fritidsnamnden", &["api-lokaler"]),
        ("district=oster", &["api-laxhjalp"]),
        ("principle=kvalitet-och-delaktighet", &["api-lokaler"]),
        ("status=ongoing&part=conditions", &[]),
    ] {
        let (status, list) = app.json(&format!("{BASE}/activities?{query}")).await;
        assert_eq!(status, 200, "{query}: {list}");
        assert_eq!(ours(&list), expected, "{query}");
    }
}

/// A value not of the parameter's declared form is a 400 naming what is
/// allowed; a well-formed one that names nothing, a 404.
async fn a_malformed_filter_is_a_400_and_one_naming_nothing_a_404(app: TestApp) {
    two_activities(&app).await;
    for (query, code, allowed) in [
        (
            "status=klar",
            400,
            "planned, ongoing, paused, completed, cancelled",
        ),
        (
            "part=ovrigt",
            400,
            "challenges, conditions, learning, organisation",
        ),
        ("status=", 400, "is empty"),
        (
            "challenge=okand",
            404,
            "challenge (the parameter 'challenge') not found",
        ),
        ("challenge=Okänd", 400, "must be a slug"),
        (
            "district=okand",
            404,
            "district (the parameter 'district') not found",
        ),
        (
            "principle=okand",
            404,
            "principle (the parameter 'principle') not found",
        ),
        (
            "party=bollklubben-rosengardsstjarnan",
            400,
            "organisation:<slug>",
        ),
        (
            "party=organisation:finns-inte",
            404,
            "party (the parameter 'party') not found",
        ),
        ("party=person:finns-inte", 400, "city_body:<slug>"),
        (
            "party=city_body:en-mycket-lang-kortadress-som-ingen-namnd-har-for-den-ar-langre-an-attio-tecken-x",
            404,
            "party (the parameter 'party') not found",
        ),
        ("format=xml", 400, "json or csv"),
    ] {
        let (status, body) = app.json(&format!("{BASE}/activities?{query}")).await;
        assert_eq!(status, code, "{query}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(allowed), "{query}: {message}");
        assert!(
            message.contains(query.split('=').next().unwrap()),
            "{message}"
        );
    }
}

/// One activity: its fields, milestones, money, updates newest first and
/// history, without the row id; and its edit form with the same version.
async fn one_activity_as_json_and_its_form(app: TestApp) {
    two_activities(&app).await;
    let (status, a) = app.json(&format!("{BASE}/activities/api-laxhjalp")).await;
    assert_eq!(status, 200);
    assert_eq!(a["title"], LONG_TITLE);
    assert_eq!(a["agreement"], AGREEMENT);
    assert_eq!(a["plan"], PLAN);
    assert_eq!(a["challenge"], CHALLENGE);
    assert_eq!(a["status"], "ongoing");
    assert_eq!(a["responsible"][0]["kind"], "city_body");
    assert_eq!(a["milestones"][0]["title"], MILESTONE);
    assert_eq!(a["milestones"][0]["reached_on"], "2021-06-03");
    assert_eq!(a["resources"]["total_sek"], 150000);
    assert_eq!(a["updates"][0]["written_on"], "2021-06-03", "newest first");
    assert_eq!(a["updates"][1]["written_on"], "2021-03-01");
    assert!(a["version"].as_i64().unwrap() >= 1);
    assert!(!a["history"].as_array().unwrap().is_empty());
    assert!(a.get("id").is_none(), "the row id stays inside");

    let (status, form) = app
        .json(&format!("{BASE}/activities/api-laxhjalp/form"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(form["version"], a["version"]);
    assert_eq!(form["activity"]["district"], "oster");
    assert_eq!(form["activity"]["responsible_city_bodies"], "kulturnamnden");
}

/// The plan's updates, newest first, each with its activity's title.
/// Every item of a paged list, page by page (100 a page).
async fn every_page(app: &TestApp, path: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let (status, items) = app.json(&format!("{path}?page={page}")).await;
        assert_eq!(status, 200);
        let items = items.as_array().unwrap().clone();
        let last = items.len() < 100;
        all.extend(items);
        if last {
            return all;
        }
    }
    unreachable!()
}

async fn the_plans_updates_are_listed_newest_first(app: TestApp) {
    two_activities(&app).await;
    let updates = every_page(&app, &format!("{BASE}/updates")).await;
    let dates: Vec<&str> = (updates.iter())
        .map(|u| u["written_on"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let listed: Vec<(&str, &str)> = updates
        .iter()
        .filter(|u| u["activity"].as_str().unwrap().starts_with("api-"))
        .map(|u| {
            (
                u["activity"].as_str().unwrap(),
                u["written_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("api-lokaler", "2022-02-01"),
            ("api-laxhjalp", "2021-06-03"),
            ("api-laxhjalp", "2021-03-01"),
        ]
    );
    assert!(updates[0]["activity_title"].is_string());
}

/// A plan, agreement or activity that does not exist: 404, as JSON.
async fn unknown_plans_agreements_and_activities_are_404(app: TestApp) {
    two_activities(&app).await;
    for path in [
        "/api/v1/agreements/malmoandan/plans/1999-2000".to_owned(),
        "/api/v1/agreements/malmoandan/plans/1999-2000/activities".to_owned(),
        "/api/v1/agreements/malmoandan/plans/1999-2000/updates".to_owned(),
        format!("{BASE}/activities/finns-inte"),
        "/api/v1/agreements/finns-inte/plans/2021-2026".to_owned(),
    ] {
        let (status, body) = app.json(&path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["status"], 404);
    }
}

async fn csv_exports_are_the_import_formats(app: TestApp) {
    two_activities(&app).await;
    let res = app.get(&format!("{BASE}/activities?format=csv")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, ACTIVITY_FIELDS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows
        .iter()
        .find(|r| &r[0] == "api-laxhjalp")
        .expect("the activity's row");
    let (_, view) = app
        .json(&format!("{BASE}/activities/api-laxhjalp/form"))
        .await;
    for (i, field) in ACTIVITY_FIELDS.iter().enumerate() {
        let expected = view["activity"][*field].as_str().unwrap();
        if *field == "description" {
            // A cell a spreadsheet would read as a formula gets a leading '.
            assert_eq!(row[i], format!("'{expected}"));
        } else {
            assert_eq!(&row[i], expected, "{field}");
        }
    }
    assert!(
        row[ACTIVITY_FIELDS
            .iter()
            .position(|f| *f == "milestones")
            .unwrap()]
        .starts_with(&format!("2021-06-01 | {MILESTONE} | 2021-06-03\n"))
    );
    let filtered = app
        .get(&format!("{BASE}/activities?format=csv&part=conditions"))
        .await
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("api-lokaler") && !filtered.contains("api-laxhjalp"));

    let res = app.get(&format!("{BASE}/updates?format=csv")).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "activity",
            "written_on",
            "body",
            "progress",
            "status",
            "milestone",
            "party"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| r[0].starts_with("api-"))
        .collect();
    // Per activity, oldest first: an import replays them in order.
    let order: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[1])).collect();
    assert_eq!(
        order,
        [
            ("api-laxhjalp", "2021-03-01"),
            ("api-laxhjalp", "2021-06-03"),
            ("api-lokaler", "2022-02-01"),
        ]
    );
    assert_eq!(&rows[1][2], "'=1+1 Första träffen hölls, 30 kom.");
    assert_eq!(&rows[1][5], MILESTONE);
    assert_eq!(&rows[0][5], "");
    assert!(!rows[1][6].is_empty(), "the party written for");
}

async fn openapi_documents_the_plan_routes(app: TestApp) {
    let (status, doc) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let paths = &doc["paths"];
    for path in [
        "/agreements/{slug}/plans",
        "/agreements/{slug}/plans/{plan}",
        "/agreements/{slug}/plans/{plan}/activities",
        "/agreements/{slug}/plans/{plan}/activities/{activity}",
        "/agreements/{slug}/plans/{plan}/activities/{activity}/form",
        "/agreements/{slug}/plans/{plan}/updates",
        "/agreements/{slug}/plans/{plan}/milestones.ics",
        "/agreements/{slug}/milestones.ics",
    ] {
        assert!(paths[path]["get"].is_object(), "{path} is documented");
    }
    let list = &paths["/agreements/{slug}/plans/{plan}/activities"]["get"];
    let names: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "status",
        "challenge",
        "part",
        "party",
        "district",
        "principle",
        "format",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let put = &paths["/agreements/{slug}/plans/{plan}/activities/{activity}"]["put"];
    assert!(put.is_object(), "the edit is documented");
    assert!(put["description"].as_str().unwrap().contains("coordinator"));
    assert_eq!(
        put["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ActivityEdit"
    );
    for (code, schema) in [
        ("200", "Activity"),
        ("401", "ErrorBody"),
        ("409", "StaleEdit"),
        ("422", "InvalidEdit"),
    ] {
        assert_eq!(
            put["responses"][code]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}"),
            "{code}"
        );
    }
    assert!(put["security"].is_array());
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["csrf"]["name"], "x-csrf-token");
    let schemas = &doc["components"]["schemas"];
    for name in [
        "Activity",
        "ActivityForm",
        "ActivityEdit",
        "PlanDetail",
        "PlanSummaries",
        "Summary",
        "PlanUpdate",
        "StaleEdit",
        "Change",
        "Milestone",
        "ActivityStatus",
        "PlanPart",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    let ics = &paths["/agreements/{slug}/milestones.ics"]["get"]["responses"]["200"]["content"];
    assert!(ics["text/calendar"].is_object(), "{ics}");
}

async fn put(
    app: &TestApp,
    client: &reqwest::Client,
    token: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut req = client
        .put(app.url(&format!("{BASE}/activities/api-laxhjalp")))
        .json(body);
    if let Some(token) = token {
        req = req.header("x-csrf-token", token);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn editing_an_activity_needs_a_role_and_the_current_version(app: TestApp) {
    let (coordinator, _) = two_activities(&app).await;
    let (_, form) = app
        .json(&format!("{BASE}/activities/api-laxhjalp/form"))
        .await;
    let version = form["version"].as_i64().unwrap();
    let mut edit = form.clone();
    edit["activity"]["status"] = json!("paused");
    edit["activity"]["goal"] = json!("60 elever");

    // Signed out, with a valid CSRF token: 401 as JSON.
    let anonymous = samverkan_testkit::browser();
    let token = app.csrf_of(&anonymous, "/login").await;
    let (status, body) = put(&app, &anonymous, Some(&token), &edit).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["status"], 401);

    // A signed-in person with no role in it: 403.
    let (stranger, _) = app.person("stranger", &[]).await;
    let token = app.csrf_of(&stranger, "/account").await;
    let (status, body) = put(&app, &stranger, Some(&token), &edit).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["status"], 403);

    // The coordinator without the CSRF header: refused before the handler.
    let (status, _) = put(&app, &coordinator, None, &edit).await;
    assert_eq!(status, 403);

    // The coordinator: saved.
    let token = app.csrf_of(&coordinator, "/account").await;
    let (status, saved) = put(&app, &coordinator, Some(&token), &edit).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["status"], "paused");
    assert_eq!(saved["goal"], "60 elever");
    assert_eq!(saved["version"], version + 1);

    // A second edit from the same version: 409 with the activity as it is
    // now and what changed since, and nothing of it written.
    let mut second = form.clone();
    second["activity"]["goal"] = json!("70 elever");
    let (status, stale) = put(&app, &coordinator, Some(&token), &second).await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(stale["error"]["status"], 409);
    assert_eq!(stale["current"]["version"], version + 1);
    assert_eq!(stale["current"]["goal"], "60 elever");
    let changes = stale["changes"].as_array().unwrap();
    let fields: Vec<&str> = changes
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"status") && fields.contains(&"goal"),
        "{fields:?}"
    );
    assert!(
        changes
            .iter()
            .all(|c| c["version"].as_i64().unwrap() > version)
    );
    let goal = changes.iter().find(|c| c["field"] == "goal").unwrap();
    assert_eq!(goal["before"], "50 elever, varje vecka");
    assert_eq!(goal["after"], "60 elever");
    let (_, stored) = app.json(&format!("{BASE}/activities/api-laxhjalp")).await;
    assert_eq!(stored["goal"], "60 elever");
    assert_eq!(stored["status"], "paused");

    // A bad field from the current version: 422 naming it, nothing written.
    let mut bad = form.clone();
    bad["version"] = json!(version + 1);
    bad["activity"]["status"] = json!("klar");
    bad["activity"]["ends_on"] = json!("2020-01-01");
    let (status, invalid) = put(&app, &coordinator, Some(&token), &bad).await;
    assert_eq!(status, 422, "{invalid}");
    let fields: Vec<&str> = invalid["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"status") && fields.contains(&"ends_on"),
        "{fields:?}"
    );
    assert!(invalid["fields"][0]["message"].as_str().unwrap().len() > 5);
    let (_, stored) = app.json(&format!("{BASE}/activities/api-laxhjalp")).await;
    assert_eq!(stored["version"], version + 1);

    // A body that is not the JSON described: 400.
    let (status, _) = put(&app, &coordinator, Some(&token), &json!({"activity": 3})).await;
    assert_eq!(status, 400);
}

/// A property's raw value and its unescaped text.
fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> &'a str {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The plan's feed: folded CRLF lines that a standard parser reads, one
/// event per milestone with a UID of its own, escaped and dated as
/// iCalendar says, linking to the activity.
async fn milestone_feeds_are_icalendar(app: TestApp) {
    two_activities(&app).await;
    let res = app.get(&format!("{BASE}/milestones.ics")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = res.text().await.unwrap();

    // Every line ends in CRLF and is at most 75 octets; the long title folds.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    for line in &lines {
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
    }
    let summary_at = lines
        .iter()
        .position(|l| l.starts_with("SUMMARY:Första"))
        .expect("the milestone's summary");
    assert!(
        lines[summary_at + 1].starts_with(' '),
        "the long summary is folded"
    );

    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("a standard parser reads the feed");
    assert_eq!(calendars.len(), 1);
    let cal = &calendars[0];
    assert_eq!(prop(&cal.properties, "VERSION"), "2.0");
    assert!(prop(&cal.properties, "PRODID").contains("Samverkan"));
    assert!(prop(&cal.properties, "X-WR-CALNAME").contains("Samarbetsplan 2021–2026"));

    let ours: Vec<_> = cal
        .events
        .iter()
        .filter(|e| prop(&e.properties, "URL").contains("/activities/api-"))
        .collect();
    assert_eq!(ours.len(), 3, "one event per milestone");
    let mut uids: Vec<&str> = cal
        .events
        .iter()
        .map(|e| prop(&e.properties, "UID"))
        .collect();
    let n = uids.len();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), n, "UIDs are unique");
    assert!(
        uids.iter().all(|u| u
            .strip_prefix("milestone-")
            .and_then(|u| u.strip_suffix("@samverkan.test"))
            .is_some_and(|id| id.parse::<i64>().is_ok())),
        "{uids:?}"
    );

    let first = ours
        .iter()
        .find(|e| prop(&e.properties, "DTSTART") == "20210601")
        .expect("the first milestone");
    let summary = prop(&first.properties, "SUMMARY");
    assert!(
        summary.contains("\\,") && summary.contains("\\;"),
        "{summary}"
    );
    assert_eq!(unescape(summary), format!("{MILESTONE} — {LONG_TITLE}"));
    let start = first
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .unwrap();
    assert_eq!(start.value.as_deref(), Some("20210601"));
    assert_eq!(
        start.params.as_ref().unwrap()[0],
        ("VALUE".to_owned(), vec!["DATE".to_owned()])
    );
    assert_eq!(prop(&first.properties, "DTEND"), "20210602");
    assert!(prop(&first.properties, "DTSTAMP").ends_with('Z'));
    let url = "http://samverkan.test/agreements/malmoandan/plans/2021-2026/activities/api-laxhjalp";
    assert_eq!(prop(&first.properties, "URL"), url);
    let description = unescape(prop(&first.properties, "DESCRIPTION"));
    assert!(description.contains("Uppnådd 2021-06-03"), "{description}");
    assert!(description.contains(url) && description.contains(LONG_TITLE));
    let halfway = ours
        .iter()
        .find(|e| prop(&e.properties, "DTSTART") == "20220601")
        .expect("the second milestone");
    assert!(unescape(prop(&halfway.properties, "DESCRIPTION")).contains("Ännu inte uppnådd"));
}

/// The agreement's feed has every plan's milestones; English on request;
/// an unknown language is a 400 and an unknown agreement a 404.
async fn the_agreements_feed_has_every_plans_milestones_in_either_language(app: TestApp) {
    two_activities(&app).await;
    let res = app
        .get("/api/v1/agreements/malmoandan/milestones.ics?lang=en")
        .await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("a standard parser reads the feed");
    let events = &calendars[0].events;
    assert!(events.len() >= 3);
    assert!(text.contains("Not reached yet"));
    assert!(prop(&calendars[0].properties, "X-WR-CALNAME").starts_with("Milestones"));

    let (status, _) = app.text(&format!("{BASE}/milestones.ics?lang=fi")).await;
    assert_eq!(status, 400);
    let (status, _) = app
        .text("/api/v1/agreements/finns-inte/milestones.ics")
        .await;
    assert_eq!(status, 404);
}

/// The UID of each event of the plan's feed, by its summary.
async fn uids_by_summary(app: &TestApp) -> std::collections::BTreeMap<String, String> {
    let text = app.text(&format!("{BASE}/milestones.ics")).await.1;
    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("a standard parser reads the feed");
    calendars[0]
        .events
        .iter()
        .filter(|e| prop(&e.properties, "URL").contains("/activities/api-"))
        .map(|e| {
            (
                unescape(prop(&e.properties, "SUMMARY")),
                prop(&e.properties, "UID").to_owned(),
            )
        })
        .collect()
}

async fn calendar_uids_stay_when_an_earlier_milestone_is_added(app: TestApp) {
    let (_, user) = two_activities(&app).await;
    let before = uids_by_summary(&app).await;
    assert_eq!(before.len(), 3, "{before:?}");
    // A milestone earlier than the others is written in first; the due date
    // of "Halvtid" moves too.
    let roles = app.app.roles(&user).await.unwrap();
    let at = samverkan_app::plans::activities::ActivityRef {
        agreement: AGREEMENT,
        plan: PLAN,
        slug: "api-laxhjalp",
    };
    let (_, activities) = app.app.with_activities(AGREEMENT).await.unwrap();
    let version = activities
        .activities
        .iter()
        .find(|a| a.slug == "api-laxhjalp")
        .unwrap()
        .version;
    let mut form = homework_form();
    form.milestones = format!(
        "2021-02-01 | Uppstart\n2021-06-01 | {MILESTONE} | 2021-06-03\n2022-09-01 | Halvtid"
    );
    app.app
        .update_activity(&user, &roles, at, version, &form)
        .await
        .expect("the edit is saved");
    let after = uids_by_summary(&app).await;
    assert_eq!(after.len(), 4, "{after:?}");
    for (summary, uid) in &before {
        assert_eq!(after.get(summary), Some(uid), "{summary} kept its UID");
    }
    let new = after
        .iter()
        .find(|(s, _)| s.starts_with("Uppstart"))
        .expect("the new milestone")
        .1;
    assert!(
        !before.values().any(|u| u == new),
        "a UID of its own: {new}"
    );
}

//! The API keeps the promise of its OpenAPI document: the enums list the
//! texts the JSON uses, real responses match their schemas, every status an
//! operation can give is documented with its body, parameters are refused
//! or accepted as declared, and a method a path lacks answers 405 with
//! `Allow` before any CSRF check. `scripts/test` runs schemathesis over the
//! whole document as well; these tests pin the rules it found broken.

use crate::assert_has;
use samverkan_domain::*;
use samverkan_testkit::{TestApp, both_backends};
use serde_json::Value;

both_backends!(
    every_text_enum_lists_exactly_the_texts_the_json_uses,
    real_responses_match_their_documented_schemas,
    a_method_a_path_lacks_is_405_with_allow_not_403,
    state_changes_on_existing_routes_still_need_the_csrf_token,
    format_and_page_are_typed_alike_in_document_and_parser,
    every_operation_documents_the_errors_it_can_give,
    bad_parameters_get_the_documented_400_and_unknown_names_404,
);

const PLAN: &str = "/api/v1/agreements/malmoandan/plans/2018-2022";

fn texts<T: Copy>(all: &[T], text: impl Fn(T) -> &'static str) -> Vec<Value> {
    all.iter().map(|v| Value::from(text(*v))).collect()
}

async fn every_text_enum_lists_exactly_the_texts_the_json_uses(app: TestApp) {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    let expected = [
        (
            "AgreementStatus",
            texts(AgreementStatus::ALL, AgreementStatus::as_str),
        ),
        (
            "VersionStatus",
            texts(VersionStatus::ALL, VersionStatus::as_str),
        ),
        (
            "ParagraphKind",
            texts(ParagraphKind::ALL, ParagraphKind::as_str),
        ),
        (
            "DatePrecision",
            texts(DatePrecision::ALL, DatePrecision::as_str),
        ),
        ("RoleKind", texts(RoleKind::ALL, RoleKind::as_str)),
        ("Side", texts(Side::ALL, Side::as_str)),
        (
            "CityBodyKind",
            texts(CityBodyKind::ALL, CityBodyKind::as_str),
        ),
        ("LegalForm", texts(LegalForm::ALL, LegalForm::as_str)),
        (
            "ActivityStatus",
            texts(ActivityStatus::ALL, ActivityStatus::as_str),
        ),
        ("PlanPart", texts(PlanPart::ALL, PlanPart::as_str)),
        (
            "CollaborationForm",
            texts(CollaborationForm::ALL, CollaborationForm::as_str),
        ),
        (
            "ReportStatus",
            texts(ReportStatus::ALL, ReportStatus::as_str),
        ),
    ];
    for (name, values) in &expected {
        assert_eq!(schemas[name]["type"], "string", "{name}");
        assert_eq!(schemas[name]["enum"], Value::from(values.clone()), "{name}");
    }
    // The spellings as they stand, so that a change to them is seen here.
    assert_eq!(
        schemas["AgreementStatus"]["enum"],
        serde_json::json!([
            "draft",
            "consultation",
            "adopted",
            "wound_down",
            "superseded"
        ])
    );
    assert_eq!(
        schemas["ReportStatus"]["enum"],
        serde_json::json!(["not-started", "draft", "submitted", "approved", "published"])
    );
    assert_eq!(
        schemas["Format"]["enum"],
        serde_json::json!(["json", "csv"])
    );
    assert_eq!(schemas["FeedLang"]["enum"], serde_json::json!(["sv", "en"]));
    assert_eq!(
        schemas["ParagraphChange"]["enum"],
        serde_json::json!(["unchanged", "changed", "added", "removed"])
    );

    // The values real responses carry are among the listed ones.
    let (_, agreements) = app.json("/api/v1/agreements").await;
    let statuses: Vec<&Value> = agreements
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["status"])
        .collect();
    assert_eq!(
        statuses,
        [&Value::from("wound_down"), &Value::from("adopted")]
    );
    let (_, decisions) = app.json("/api/v1/agreements/malmoandan/decisions").await;
    for d in decisions.as_array().unwrap() {
        assert!(
            schemas["DatePrecision"]["enum"]
                .as_array()
                .unwrap()
                .contains(&d["precision"]),
            "{d}"
        );
    }
    // And each is accepted back as a filter, as the schema says.
    for status in ActivityStatus::ALL {
        let (code, _) = app
            .json(&format!("{PLAN}/activities?status={}", status.as_str()))
            .await;
        assert_eq!(code, 200, "{status}");
    }
    for form in CollaborationForm::ALL {
        let (code, _) = app
            .json(&format!(
                "/api/v1/agreements/malmoandan/register?form={}",
                form.as_str()
            ))
            .await;
        assert_eq!(code, 200, "{form}");
    }
}

/// Resolves a `$ref` to `#/components/schemas/…`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.strip_prefix("#/components/schemas/").expect(r);
            let found = &doc["components"]["schemas"][name];
            assert!(found.is_object(), "unresolved {r}");
            resolve(doc, found)
        }
        None => schema,
    }
}

/// Checks `value` against the subset of JSON Schema the document uses;
/// returns what does not match, with where.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let matching = options
            .iter()
            .filter(|o| {
                let mut p = Vec::new();
                check(doc, o, value, at, &mut p);
                p.is_empty()
            })
            .count();
        if matching == 0 {
            problems.push(format!("{at}: {value} matches none of {options:?}"));
        }
        return;
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(doc, part, value, at, problems);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let ok = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            problems.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        problems.push(format!("{at}: {value} is not one of {values:?}"));
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, item) in list.iter().enumerate() {
            check(doc, items, item, &format!("{at}[{i}]"), problems);
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema["required"].as_array().into_iter().flatten() {
            if !object.contains_key(required.as_str().unwrap()) {
                problems.push(format!("{at}: no {required}"));
            }
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            if let Some(v) = object.get(name) {
                check(doc, property, v, &format!("{at}.{name}"), problems);
            }
        }
    }
}

/// `sjovik/meetings/{id}` of the demo's past working-group meeting (its
/// minutes approved).
async fn demo_meeting(app: &TestApp) -> String {
    let (_, past) = app
        .json("/api/v1/agreements/sjovik/meetings?when=past")
        .await;
    format!("sjovik/meetings/{}", past[0]["id"])
}

async fn real_responses_match_their_documented_schemas(app: TestApp) {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    // The history item is the object the JSON has, not a string.
    let activity = resolve(&doc, &doc["components"]["schemas"]["Activity"]);
    let item = resolve(&doc, &activity["properties"]["history"]["items"]);
    assert_eq!(item["type"], "object", "{item}");
    for field in [
        "version",
        "changed_at",
        "author",
        "field",
        "before",
        "after",
    ] {
        assert!(item["properties"][field].is_object(), "{field} in {item}");
    }
    let published = crate::register_api::publish_a_report(&app).await;
    let (_, orgs) = app.json("/api/v1/organisations").await;
    let org = orgs["items"][0]["slug"].as_str().unwrap().to_owned();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let op = &item["get"];
        let Some(schema) = op["responses"]["200"]["content"]["application/json"].get("schema")
        else {
            continue;
        };
        let concrete = path
            .replace("/organisations/{slug}", &format!("/organisations/{org}"))
            .replace("{slug}/meetings/{meeting}", &demo_meeting(&app).await)
            .replace("{slug}", "malmoandan")
            .replace("{challenge}", "ungas-halsa-och-livsstil")
            .replace("{number}", "1")
            .replace("{plan}", "2018-2022")
            .replace("{activity}", "samordning-och-vardpar")
            .replace("{record}", &published.record.to_string())
            .replace("{year}", &published.year.to_string())
            .replace("{body}", published.body)
            .replace("/compare", "/compare?from=1&to=2");
        let (status, json) = app.json(&format!("/api/v1{concrete}")).await;
        assert_eq!(status, 200, "{concrete}");
        let mut problems = Vec::new();
        check(&doc, schema, &json, &concrete, &mut problems);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        checked += 1;
    }
    assert!(checked >= 25, "{checked} JSON answers checked");
    // The activity picked has a history entry, so its items were checked.
    let (_, a) = app
        .json(&format!("{PLAN}/activities/samordning-och-vardpar"))
        .await;
    assert!(a["history"][0]["changed_at"].is_string(), "{a}");
}

async fn a_method_a_path_lacks_is_405_with_allow_not_403(app: TestApp) {
    let client = reqwest::Client::new();
    // No cookie and no token: a 405 all the same, for every method the
    // path lacks (QUERY included, which schemathesis sends).
    for (method, path, allow) in [
        ("POST", "/api/v1/agreements".to_owned(), "GET,HEAD"),
        (
            "DELETE",
            "/api/v1/agreements/malmoandan".to_owned(),
            "GET,HEAD",
        ),
        ("PATCH", "/api/v1/organisations".to_owned(), "GET,HEAD"),
        ("QUERY", "/api/v1/city-bodies".to_owned(), "GET,HEAD"),
        ("PUT", "/api/v1/openapi.json".to_owned(), "GET,HEAD"),
        (
            "POST",
            format!("{PLAN}/activities/samordning-och-vardpar"),
            "GET,HEAD,PUT",
        ),
        (
            "DELETE",
            format!("{PLAN}/activities/samordning-och-vardpar"),
            "GET,HEAD,PUT",
        ),
    ] {
        let res = client
            .request(method.parse().unwrap(), app.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method} {path}"
        );
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["status"], 405, "{method} {path}");
        assert_has(body["error"]["message"].as_str().unwrap(), method);
    }
    // Pages: the site's error page, with Allow.
    for (method, path, allow) in [
        ("POST", "/agreements", "GET,HEAD"),
        ("DELETE", "/organisations", "GET,HEAD"),
        ("GET", "/logout", "POST"),
        ("PUT", "/login", "GET,HEAD,POST"),
        ("POST", "/health", "GET,HEAD"),
    ] {
        let res = client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
    }
    let res = client.post(app.url("/agreements")).send().await.unwrap();
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_has(&res.text().await.unwrap(), "405");
}

async fn state_changes_on_existing_routes_still_need_the_csrf_token(app: TestApp) {
    let client = reqwest::Client::new();
    let res = client
        .put(app.url(&format!("{PLAN}/activities/samordning-och-vardpar")))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["message"], "forbidden: csrf");
    for path in ["/logout", "/login", "/register"] {
        let res = client
            .post(app.url(path))
            .form(&[("x", "y")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "POST {path}");
        assert_has(&res.text().await.unwrap(), "403");
    }
}

async fn format_and_page_are_typed_alike_in_document_and_parser(app: TestApp) {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let params = |path: &str| -> Vec<Value> {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone()
    };
    let param = |path: &str, name: &str| -> Value {
        params(path)
            .into_iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} of {path}"))
    };
    // Every `format` is the enum json|csv, and an empty or other one is a 400.
    let mut with_format = 0;
    for path in doc["paths"].as_object().unwrap().keys() {
        if let Some(f) = params(path).into_iter().find(|p| p["name"] == "format") {
            assert_eq!(
                resolve(&doc, &f["schema"])["enum"],
                serde_json::json!(["json", "csv"]),
                "{path}"
            );
            with_format += 1;
        }
    }
    assert_eq!(with_format, 16);
    for query in ["format=", "format=JSON", "format=xml"] {
        let (status, body) = app.json(&format!("/api/v1/agreements?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_has(
            body["error"]["message"].as_str().unwrap(),
            "must be json or csv",
        );
    }
    let page = param("/organisations", "page");
    assert_eq!(page["schema"]["type"], "integer");
    assert_eq!(page["schema"]["minimum"], 1);
    assert_eq!(page["schema"]["maximum"], 2147483647);
    for (query, status) in [
        ("page=", 400),
        ("page=0", 400),
        ("page=-1", 400),
        ("page=1.5", 400),
        ("page=%201", 400),
        ("page=2147483648", 400),
        ("page=1", 200),
        ("page=2147483647", 200),
    ] {
        let (code, body) = app.json(&format!("/api/v1/organisations?{query}")).await;
        assert_eq!(code, status, "{query}: {body}");
    }
    let (_, body) = app.json("/api/v1/organisations?page=").await;
    assert_eq!(
        body["error"]["message"],
        "the parameter 'page' is empty: give a value or leave the parameter out"
    );
    let lang = param("/agreements/{slug}/milestones.ics", "lang");
    assert_eq!(
        resolve(&doc, &lang["schema"])["enum"],
        serde_json::json!(["sv", "en"])
    );
    for (query, status) in [("lang=", 400), ("lang=de", 400), ("lang=en", 200)] {
        let res = app
            .get(&format!(
                "/api/v1/agreements/malmoandan/milestones.ics?{query}"
            ))
            .await;
        assert_eq!(res.status(), status, "{query}");
    }
}

async fn every_operation_documents_the_errors_it_can_give(app: TestApp) {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let in_path = params.iter().any(|p| p["in"] == "path");
            let typed_path = params
                .iter()
                .any(|p| p["in"] == "path" && p["schema"]["type"] == "integer");
            let in_query = params.iter().any(|p| p["in"] == "query");
            if in_path {
                assert!(responses.contains_key("404"), "{method} {path}: 404");
            }
            if in_query || typed_path || method == "put" {
                assert!(responses.contains_key("400"), "{method} {path}: 400");
            }
            assert!(responses.contains_key("500"), "{method} {path}: 500");
            for (code, response) in responses {
                if code.starts_with('2') || code == "413" {
                    continue;
                }
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                let expected = match (method.as_str(), code.as_str()) {
                    ("put", "409") => "#/components/schemas/StaleEdit",
                    ("put", "422") => "#/components/schemas/InvalidEdit",
                    _ => "#/components/schemas/ErrorBody",
                };
                assert_eq!(schema, expected, "{method} {path} {code}");
            }
        }
    }
    assert_eq!(operations, 34);
}

async fn bad_parameters_get_the_documented_400_and_unknown_names_404(app: TestApp) {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let published = crate::register_api::publish_a_report(&app).await;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let op = &item["get"];
        let concrete = path
            .replace(
                "/organisations/{slug}",
                "/organisations/kroksbacks-box-och-kampsportsklubb",
            )
            .replace("{slug}/meetings/{meeting}", &demo_meeting(&app).await)
            .replace("{slug}", "malmoandan")
            .replace("{challenge}", "ungas-halsa-och-livsstil")
            .replace("{number}", "1")
            .replace("{plan}", "2018-2022")
            .replace("{activity}", "samordning-och-vardpar")
            .replace("{record}", &published.record.to_string())
            .replace("{year}", &published.year.to_string())
            .replace("{body}", published.body);
        let base = if path.ends_with("/compare") {
            format!("/api/v1{concrete}?from=1&to=2")
        } else {
            format!("/api/v1{concrete}?")
        };
        let documented = |code: u16| op["responses"].get(code.to_string()).is_some();
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            if p["in"] == "query" {
                // Empty, and of the wrong form: 400, documented.
                for bad in ["", "Not%20valid!"] {
                    let res = app.get(&format!("{base}&{name}={bad}")).await;
                    assert_eq!(res.status(), 400, "{path} {name}={bad}");
                    assert!(documented(400), "{path}");
                }
                // A well-formed slug that names nothing: 404, documented.
                if p["schema"]["pattern"].is_string() {
                    let value = if name == "party" {
                        "organisation:no-such-one"
                    } else {
                        "no-such-one"
                    };
                    let res = app.get(&format!("{base}&{name}={value}")).await;
                    assert_eq!(res.status(), 404, "{path} {name}={value}");
                    assert!(documented(404), "{path}");
                }
            } else if p["schema"]["type"] == "integer" {
                let min = p["schema"]["minimum"].as_i64().unwrap();
                let max = p["schema"]["maximum"].as_i64().unwrap();
                for bad in [
                    "x".to_owned(),
                    (min - 1).to_string(),
                    (max as i128 + 1).to_string(),
                ] {
                    let url = format!("/api/v1{}", path_with(path, name, &bad, &concrete));
                    let res = app.get(&url).await;
                    assert_eq!(res.status(), 400, "{url}");
                    assert!(documented(400), "{path}");
                }
            }
        }
        if path.contains("{slug}") && !path.starts_with("/organisations") {
            let known = if base.contains("/sjovik/") {
                "sjovik"
            } else {
                "malmoandan"
            };
            let res = app.get(&base.replacen(known, "no-such-one", 1)).await;
            assert_eq!(res.status(), 404, "{path}");
            assert!(documented(404), "{path}");
        }
    }
}

/// `concrete` with the segment of `name` in `path` replaced by `value`.
fn path_with(path: &str, name: &str, value: &str, concrete: &str) -> String {
    let template: Vec<&str> = path.split('/').collect();
    concrete
        .split('/')
        .zip(&template)
        .map(|(c, t)| {
            if *t == format!("{{{name}}}") {
                value
            } else {
                c
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

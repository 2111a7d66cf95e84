//! The open-data API of the collaboration register and the yearly reports:
//! records as JSON and as CSV in the import format, with filters and 400s
//! naming the allowed values; the overview of the reports per year, the
//! city-wide report (JSON and its CSV layout) and a committee's published
//! versions. Each test makes its own records and reports through the use
//! cases, in city bodies the demonstration register does not use.

use crate::assert_has;
use samverkan_app::accounts::CurrentUser;
use samverkan_app::csv_rows::no_progress;
use samverkan_app::register::import::RecordImportRequest;
use samverkan_app::register::{RECORD_FIELDS, RecordForm};
use samverkan_app::reports::{ApprovalForm, CommitteeYear, ReportForm};
use samverkan_testkit::{TestApp, both_backends};
use serde_json::Value;

both_backends!(
    records_as_json_newest_first_and_by_each_filter,
    a_record_as_json_in_the_list_and_by_its_id,
    records_as_csv_are_the_import_format_and_import_back_unchanged,
    unknown_filter_values_are_refused_with_the_allowed_ones,
    the_reports_overview_places_each_expected_committee,
    the_city_wide_report_rolls_up_the_published_documents,
    the_city_wide_report_as_csv_has_its_reports_gaps_forms_and_total,
    a_committees_published_versions_are_listed_and_each_stays_as_frozen,
    nothing_published_is_a_404_and_a_year_without_reports_an_empty_roll_up,
    openapi_documents_the_register_and_report_routes,
);

const AGREEMENT: &str = "malmoandan";
const BASE: &str = "/api/v1/agreements/malmoandan";

/// Three records in two city bodies, forms, periods and sets of organisations.
async fn three_records(app: &TestApp) {
    let csv = format!(
        "{}\n{}",
        RECORD_FIELDS.join(","),
        "miljonamnden,iop,API: läxhjälp,Läxhjälp varje vecka.,,2021-01-01,2022-12-31,802451-3387; 802467-1029,2021: 100000; 2022: 150000,250000,oster,ungas-halsa-och-livsstil,,dialog\n\
         miljonamnden,premises,API: skolgårdar,\"=Föreningar lånar\nskolgårdar.\",,2023-01-01,2023-12-31,802438-7717,,,,,,\n\
         servicenamnden,dialogue,API: dialog,Samtal om lokaler.,Bra samtal,2022-03-01,2022-06-30,802467-1029,,,,,,dialog; mangfald\n"
    );
    let report = app
        .app
        .import_records_csv(
            None,
            None,
            &RecordImportRequest {
                agreement: AGREEMENT,
                csv: csv.as_bytes(),
                dry_run: false,
            },
            &no_progress,
        )
        .await
        .expect("the import runs");
    assert!(report.applied, "{report:?}");
}

fn titles(json: &Value) -> Vec<&str> {
    json.as_array()
        .expect("a list")
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .filter(|t| t.starts_with("API: "))
        .collect()
}

/// The register as JSON, the newest period first, and each filter alone
/// and together.
async fn records_as_json_newest_first_and_by_each_filter(app: TestApp) {
    three_records(&app).await;
    let (status, all) = app.json(&format!("{BASE}/register")).await;
    assert_eq!(status, 200);
    assert_eq!(
        titles(&all),
        vec!["API: skolgårdar", "API: dialog", "API: läxhjälp"],
        "the newest period first"
    );
    for (query, expected) in [
        (
            "body=miljonamnden",
            vec!["API: skolgårdar", "API: läxhjälp"],
        ),
        ("body=servicenamnden", vec!["API: dialog"]),
        ("form=iop", vec!["API: läxhjälp"]),
        ("year=2022", vec!["API: dialog", "API: läxhjälp"]),
        ("year=2023&body=miljonamnden", vec!["API: skolgårdar"]),
        (
            "organisation=kroksbacks-box-och-kampsportsklubb",
            vec!["API: dialog", "API: läxhjälp"],
        ),
        ("organisation=simsallskapet-oresundsvagen&form=iop", vec![]),
        // The form as the import writes it and the JSON names it.
        ("form=premises&body=miljonamnden", vec!["API: skolgårdar"]),
        ("form=operating-grant", vec![]),
    ] {
        let (status, json) = app.json(&format!("{BASE}/register?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(titles(&json), expected, "{query}");
    }
}

/// A record's view: body, form, period, money per year, district,
/// challenge, principles and organisations; the same by its id.
async fn a_record_as_json_in_the_list_and_by_its_id(app: TestApp) {
    three_records(&app).await;
    let (_, list) = app
        .json(&format!("{BASE}/register?form=iop&body=miljonamnden"))
        .await;
    let record = &list[0];
    assert_eq!(record["body"]["slug"], "miljonamnden");
    assert_eq!(record["form"], "iop");
    assert_eq!(record["starts_on"], "2021-01-01");
    assert_eq!(record["total_sek"], 250000);
    assert_eq!(record["money"][1]["year"], 2022);
    assert_eq!(record["money"][1]["amount_sek"], 150000);
    assert_eq!(record["district"]["slug"], "oster");
    assert_eq!(record["challenge"]["slug"], "ungas-halsa-och-livsstil");
    assert_eq!(record["principles"][0]["slug"], "dialog");
    let numbers: Vec<&str> = record["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["org_number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.len(), 2);
    assert!(numbers.contains(&"802451-3387"), "{numbers:?}");

    // One record by its id: the same view; not found elsewhere.
    let id = record["id"].as_i64().unwrap();
    let (status, one) = app.json(&format!("{BASE}/register/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(&one, record);
    let (status, _) = app.json(&format!("{BASE}/register/999999")).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .json(&format!("/api/v1/agreements/sjovik/register/{id}"))
        .await;
    assert_eq!(status, 404, "a record of another agreement is not found");
}

/// CSV: the import format, filtered, guarded against formulas; importing
/// it back changes nothing.
async fn records_as_csv_are_the_import_format_and_import_back_unchanged(app: TestApp) {
    three_records(&app).await;
    let res = app
        .get(&format!("{BASE}/register?format=csv&body=miljonamnden"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_has(
        res.headers()["content-disposition"].to_str().unwrap(),
        "malmoandan-register.csv",
    );
    let csv = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, RECORD_FIELDS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ours: Vec<&csv::StringRecord> = rows.iter().filter(|r| r[2].starts_with("API: ")).collect();
    assert_eq!(ours.len(), 2);
    assert_eq!(&ours[0][3], "'=Föreningar lånar\nskolgårdar.");
    let homework = ours[1];
    assert_eq!(&homework[0], "miljonamnden");
    assert_eq!(&homework[8], "2021: 100000; 2022: 150000");
    assert_eq!(&homework[9], "250000");
    assert_eq!(&homework[13], "dialog");
    // Importing the export back changes nothing.
    let report = app
        .app
        .import_records_csv(
            None,
            None,
            &RecordImportRequest {
                agreement: AGREEMENT,
                csv: csv.as_bytes(),
                dry_run: true,
            },
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(report.count("unchanged"), report.rows.len(), "{report:?}");
}

async fn unknown_filter_values_are_refused_with_the_allowed_ones(app: TestApp) {
    // A value not of the parameter's declared form is a 400 naming what is
    // allowed; a well-formed slug that names nothing in the register, a 404.
    for (query, status, message) in [
        (
            "body=nowhere",
            404,
            "city body (the parameter 'body') not found",
        ),
        ("body=Nowhere", 400, "the parameter 'body' must be a slug"),
        ("form=grant", 400, "dialogue, iop, operating-grant"),
        ("form=grant", 400, "got 'grant'"),
        ("form=operating_grant", 400, "got 'operating_grant'"),
        ("year=20x2", 400, "the parameter 'year' must be a year"),
        ("year=1850", 400, "got '1850'"),
        ("year=%2B2022", 400, "got '+2022'"),
        (
            "organisation=nobody",
            404,
            "organisation (the parameter 'organisation') not found",
        ),
        ("format=xml", 400, "must be json or csv"),
        ("format=", 400, "must be json or csv; got ''"),
        ("format=csv&form=grant", 400, "got 'grant'"),
        ("body=&form=", 400, "the parameter 'body' is empty"),
        ("form=", 400, "the parameter 'form' is empty"),
    ] {
        let res = app.get(&format!("{BASE}/register?{query}")).await;
        assert_eq!(res.status(), status, "{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["status"], status);
        assert_has(body["error"]["message"].as_str().unwrap(), message);
    }
    for (path, status, message) in [
        (
            "/api/v1/agreements/nope/register".to_owned(),
            404,
            "agreement not found",
        ),
        (
            "/api/v1/agreements/nope/reports".to_owned(),
            404,
            "agreement not found",
        ),
        (format!("{BASE}/register/abc"), 400, "whole number"),
        (format!("{BASE}/reports/20x5"), 400, "four digits"),
        (
            format!("{BASE}/reports/2025?format=xml"),
            400,
            "json or csv",
        ),
        (
            format!("{BASE}/reports/2025/nowhere"),
            404,
            "city body not found",
        ),
        (
            format!("{BASE}/reports/2025/kulturnamnden/versions/0"),
            400,
            "whole number from 1",
        ),
    ] {
        let res = app.get(&path).await;
        assert_eq!(res.status().as_u16(), status, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_has(body["error"]["message"].as_str().unwrap(), message);
    }
}

/// A published report made through the use cases: what the API tests need.
pub struct Published {
    /// A record of the committee in the year reported on.
    pub record: i64,
    pub year: i32,
    pub body: &'static str,
}

/// Writes, submits, approves and publishes the committee's report of the
/// year with the given section text.
async fn write_and_publish(
    app: &TestApp,
    user: &CurrentUser,
    body: &str,
    year: i32,
    went_well: &str,
) -> i32 {
    let roles = app.app.roles(user).await.unwrap();
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let report = app
        .app
        .committee_report(AGREEMENT, &register, body, year)
        .await
        .unwrap();
    let form = ReportForm {
        went_well: went_well.into(),
        went_badly: "Lokalfrågan är olöst.".into(),
        next_year: "Fler föreningar.".into(),
        reflections: register
            .refs
            .principles
            .iter()
            .map(|p| (p.1.clone(), format!("Om {}.", p.2)))
            .collect(),
        version: report.version.to_string(),
    };
    let report = CommitteeYear {
        municipality: "malmo",
        agreement: AGREEMENT,
        register: &register,
        body,
        year,
    };
    app.app
        .save_report(&roles, report, &form)
        .await
        .expect("saved");
    app.app
        .submit_report(&roles, report)
        .await
        .expect("submitted");
    let today = time::OffsetDateTime::now_utc().date();
    app.app
        .approve_report(
            &roles,
            report,
            &ApprovalForm {
                approved_on: today.to_string(),
                decision_reference: "MN-2026-17 § 4".into(),
            },
        )
        .await
        .expect("approved");
    app.app
        .publish_report(user, &roles, report)
        .await
        .expect("published")
}

/// The environment committee's report of last year, published twice (a
/// correction with its reason), with one record of that year.
pub async fn publish_a_report(app: &TestApp) -> Published {
    let body = "miljonamnden";
    let year = time::OffsetDateTime::now_utc().year() - 1;
    let (_, email) = app.official_of(&format!("malmo/{body}")).await;
    let user = app.current_user(&email).await;
    let roles = app.app.roles(&user).await.unwrap();
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let record = app
        .app
        .create_record(
            &user,
            &roles,
            AGREEMENT,
            "malmo",
            &register,
            &RecordForm {
                body: body.into(),
                form: "project-grant".into(),
                title: "Stadsodling i Sofielund".into(),
                description: "Odlingslotter för grannar.".into(),
                starts_on: format!("{year}-03-01"),
                ends_on: format!("{year}-10-31"),
                organisations: "802451-3387; 802438-7717".into(),
                money: format!("{year}: 45000"),
                district: "soder".into(),
                principles: "dialog".into(),
                ..RecordForm::default()
            },
        )
        .await
        .expect("the record is created");
    let first = write_and_publish(app, &user, body, year, "Odlingen kom i gång.").await;
    assert_eq!(first, 1);
    app.app
        .correct_report(
            &roles,
            CommitteeYear {
                municipality: "malmo",
                agreement: AGREEMENT,
                register: &register,
                body,
                year,
            },
            "Beloppet var fel i första versionen.",
        )
        .await
        .expect("opened for a correction");
    let second = write_and_publish(app, &user, body, year, "Odlingen kom i gång, 40 lotter.").await;
    assert_eq!(second, 2);
    Published { record, year, body }
}

/// The reports overview: the year, each expected committee's place.
async fn the_reports_overview_places_each_expected_committee(app: TestApp) {
    let Published { year, body, .. } = publish_a_report(&app).await;
    let (status, overview) = app.json(&format!("{BASE}/reports")).await;
    assert_eq!(status, 200);
    let this_year = overview
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == year)
        .unwrap_or_else(|| panic!("{year} in {overview}"));
    let rows = this_year["rows"].as_array().unwrap();
    let ours = rows.iter().find(|r| r["body"]["slug"] == body).unwrap();
    // As the status serialises (see the report on the enums' JSON names).
    let status_json = |s: samverkan_domain::ReportStatus| serde_json::to_value(s).unwrap();
    assert_eq!(
        ours["status"],
        status_json(samverkan_domain::ReportStatus::Published)
    );
    assert_eq!(ours["published_version"], 2);
    assert_eq!(ours["records"], 1);
    let other = rows
        .iter()
        .find(|r| r["body"]["slug"] == "kulturnamnden")
        .unwrap();
    assert_eq!(
        other["status"],
        status_json(samverkan_domain::ReportStatus::NotStarted)
    );
    assert!(
        rows.iter()
            .all(|r| r["body"]["slug"] != "miljoforvaltningen"),
        "administrations do not report"
    );
}

/// The city-wide report of the year, from the published documents.
async fn the_city_wide_report_rolls_up_the_published_documents(app: TestApp) {
    let Published { year, body, .. } = publish_a_report(&app).await;
    let (status, city) = app.json(&format!("{BASE}/reports/{year}")).await;
    assert_eq!(status, 200);
    assert_eq!(city["year"], year);
    let reports = city["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{city}");
    assert_eq!(reports[0]["body"]["slug"], body);
    assert_eq!(reports[0]["version"], 2);
    assert_eq!(reports[0]["records"], 1);
    assert_eq!(reports[0]["amount_sek"], 45000);
    assert_eq!(city["figures"]["records"], 1);
    assert_eq!(city["figures"]["organisations"], 2);
    assert!(
        city["not_reported"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["slug"] == "kulturnamnden")
    );
    let grant = city["figures"]["by_form"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "project-grant")
        .unwrap();
    assert_eq!(grant["amount_sek"], 45000);
}

/// The city-wide report's CSV: one row per published report, the
/// committees without one (as many as the JSON names), the totals by form
/// and the year's total.
async fn the_city_wide_report_as_csv_has_its_reports_gaps_forms_and_total(app: TestApp) {
    let Published { year, body, .. } = publish_a_report(&app).await;
    let (_, city) = app.json(&format!("{BASE}/reports/{year}")).await;
    let res = app.get(&format!("{BASE}/reports/{year}?format=csv")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        vec![
            "section",
            "key",
            "name",
            "version",
            "published_at",
            "records",
            "organisations",
            "amount_sek",
            "contributions"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let section = |s: &str| rows.iter().filter(|r| &r[0] == s).collect::<Vec<_>>();
    let report_rows = section("report");
    assert_eq!(report_rows.len(), 1);
    assert_eq!(&report_rows[0][1], body);
    assert_eq!(&report_rows[0][3], "2");
    let this_year = time::OffsetDateTime::now_utc().year().to_string();
    assert!(report_rows[0][4].starts_with(&this_year), "{csv}");
    assert_eq!(&report_rows[0][5], "1");
    assert_eq!(&report_rows[0][7], "45000");
    assert_eq!(
        section("not-reported").len(),
        city["not_reported"].as_array().unwrap().len()
    );
    let forms = section("form");
    assert_eq!(forms.len(), samverkan_domain::CollaborationForm::ALL.len());
    let grant = forms.iter().find(|r| &r[1] == "project-grant").unwrap();
    assert_eq!((&grant[5], &grant[7]), ("1", "45000"));
    let total = section("total");
    assert_eq!(total.len(), 1);
    assert_eq!(
        (&total[0][5], &total[0][6], &total[0][7], &total[0][8]),
        ("1", "2", "45000", "0")
    );
    assert_eq!(rows.last().unwrap()[0].to_owned(), "total");
}

/// The latest published version, with the list of versions; an earlier
/// version stays as it was frozen.
async fn a_committees_published_versions_are_listed_and_each_stays_as_frozen(app: TestApp) {
    let Published { year, body, .. } = publish_a_report(&app).await;
    let (status, doc) = app.json(&format!("{BASE}/reports/{year}/{body}")).await;
    assert_eq!(status, 200);
    assert_eq!(doc["version"]["number"], 2);
    assert_eq!(
        doc["version"]["reason"],
        "Beloppet var fel i första versionen."
    );
    assert_eq!(
        doc["report"]["went_well"],
        "Odlingen kom i gång, 40 lotter."
    );
    assert_eq!(doc["report"]["body"]["slug"], body);
    assert_eq!(
        doc["report"]["records"][0]["title"],
        "Stadsodling i Sofielund"
    );
    assert_eq!(doc["report"]["records"][0]["amount_sek"], 45000);
    assert_eq!(doc["report"]["decision_reference"], "MN-2026-17 § 4");
    let versions = doc["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["number"], 1);
    assert_eq!(versions[0]["reason"], Value::Null);

    // An earlier version stays as it was frozen.
    let (status, first) = app
        .json(&format!("{BASE}/reports/{year}/{body}/versions/1"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(first["version"]["number"], 1);
    assert_eq!(first["report"]["went_well"], "Odlingen kom i gång.");
    assert_eq!(first["versions"], doc["versions"]);
}

/// Nothing published: 404; a year without published reports: an empty
/// roll-up, not an error.
async fn nothing_published_is_a_404_and_a_year_without_reports_an_empty_roll_up(app: TestApp) {
    let Published { year, body, .. } = publish_a_report(&app).await;
    for path in [
        format!("{BASE}/reports/{year}/kulturnamnden"),
        format!("{BASE}/reports/{year}/{body}/versions/3"),
        format!("{BASE}/reports/{}/{body}", year - 1),
    ] {
        let (status, json) = app.json(&path).await;
        assert_eq!(status, 404, "{path}");
        assert_has(json["error"]["message"].as_str().unwrap(), "not found");
    }
    // A year without published reports: an empty roll-up, not an error.
    let (status, empty) = app.json(&format!("{BASE}/reports/2001")).await;
    assert_eq!(status, 200);
    assert_eq!(empty["reports"].as_array().unwrap().len(), 0);
    assert_eq!(empty["figures"]["records"], 0);
}

async fn openapi_documents_the_register_and_report_routes(app: TestApp) {
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        tags.contains(&"register") && tags.contains(&"reports"),
        "{tags:?}"
    );
    for path in [
        "/agreements/{slug}/register",
        "/agreements/{slug}/register/{record}",
        "/agreements/{slug}/reports",
        "/agreements/{slug}/reports/{year}",
        "/agreements/{slug}/reports/{year}/{body}",
        "/agreements/{slug}/reports/{year}/{body}/versions/{number}",
    ] {
        let get = &doc["paths"][path]["get"];
        assert!(get.is_object(), "{path} is documented");
        assert!(
            get["description"].as_str().is_some_and(|d| !d.is_empty())
                || get["summary"].as_str().is_some_and(|d| !d.is_empty()),
            "{path} is described"
        );
        assert!(get["responses"]["200"].is_object(), "{path}");
        assert!(get["responses"]["404"].is_object(), "{path}");
    }
    let list = &doc["paths"]["/agreements/{slug}/register"]["get"];
    let params: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["slug", "body", "form", "year", "organisation", "format"] {
        assert!(params.contains(&p), "{p} in {params:?}");
    }
    assert!(list["responses"]["400"].is_object());
    assert_has(
        list["description"].as_str().unwrap(),
        "body,form,title,description,outcome,starts_on,ends_on,organisations,money,total,district,challenge,activity,principles",
    );
    let city = &doc["paths"]["/agreements/{slug}/reports/{year}"]["get"];
    assert_has(
        city["description"].as_str().unwrap(),
        "section,key,name,version,published_at,records,organisations,amount_sek,contributions",
    );
    for schema in [
        "Record",
        "CityReport",
        "YearOverview",
        "PublishedReportDocument",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} is in the components"
        );
    }
}

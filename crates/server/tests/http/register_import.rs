//! Importing records of the collaboration register from CSV: the dry run,
//! all or nothing (every table untouched when one row fails), problems by
//! line and column worded from the record form's codes, the export
//! importing back unchanged, changes by matching, the web flow for
//! coordinators and the command line. Each test makes its own records, in
//! city bodies the demonstration register does not use.

use crate::assert_has;
use samverkan_app::csv_rows::no_progress;
use samverkan_app::plans::import::RowOutcome;
use samverkan_app::register::import::{RecordImportReport, RecordImportRequest};
use samverkan_app::register::{RECORD_FIELDS, RecordFilter, RecordForm};
use samverkan_testkit::{Grant, TestApp, both_backends, csrf_in};

both_backends!(
    a_dry_run_writes_nothing_and_names_each_row_by_its_line,
    a_file_whose_third_row_fails_writes_nothing,
    an_organisation_number_not_in_the_register_is_named,
    figures_that_do_not_add_up_are_refused,
    an_export_imports_back_unchanged,
    a_changed_row_updates_its_record,
    coordinators_check_and_apply_an_upload_from_the_web,
    officials_and_others_may_not_import,
    the_command_line_checks_and_refuses_a_bad_file,
);

const AGREEMENT: &str = "malmoandan";
/// A committee of Malmö with no records in the demonstration register.
const BODY: &str = "miljonamnden";
const IMPORT: &str = "/agreements/malmoandan/register/import";
/// Bollklubben Rosengårdsstjärnan and Kroksbacks box- och kampsportsklubb.
const ORGS: &str = "802451-3387; 802467-1029";

fn header() -> String {
    RECORD_FIELDS.join(",")
}

/// A record row on one line (every column, in order).
fn row(title: &str, money: &str, total: &str) -> String {
    format!(
        "{BODY},iop,{title},Läxhjälp varje vecka.,,2021-01-01,2022-12-31,{ORGS},{money},{total},oster,ungas-halsa-och-livsstil,,dialog; mangfald\n"
    )
}

/// A row whose description spans two physical lines.
fn long_row(title: &str) -> String {
    format!(
        "{BODY},premises,{title},\"Föreningar lånar skolgårdar\npå kvällar och helger.\",Tolv föreningar,2022-01-01,2022-12-31,802438-7717,,,,,,dialog\n"
    )
}

fn file(rows: &[String]) -> String {
    format!("{}\n{}", header(), rows.concat())
}

async fn import(app: &TestApp, csv: &str, dry_run: bool) -> RecordImportReport {
    let request = RecordImportRequest {
        agreement: AGREEMENT,
        csv: csv.as_bytes(),
        dry_run,
    };
    app.app
        .import_records_csv(None, None, &request, &no_progress)
        .await
        .expect("the import runs")
}

/// Every table an import writes, and the sum of the records' versions (which
/// moves when a record is changed).
async fn counts(app: &TestApp) -> [i64; 5] {
    [
        app.count("collaborations").await,
        app.count("collaboration_organisations").await,
        app.count("collaboration_money").await,
        app.count("collaboration_principles").await,
        app.scalar("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM collaborations")
            .await,
    ]
}

fn outcomes(report: &RecordImportReport) -> Vec<(u64, String, Option<RowOutcome>)> {
    report
        .rows
        .iter()
        .map(|r| (r.line, r.title.clone(), r.outcome.clone()))
        .collect()
}

/// The records of the test's city body.
async fn records(app: &TestApp) -> Vec<samverkan_app::register::Record> {
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    app.app
        .records(
            &register,
            &RecordFilter {
                body: BODY.into(),
                ..RecordFilter::default()
            },
        )
        .await
        .unwrap()
}

async fn a_dry_run_writes_nothing_and_names_each_row_by_its_line(app: TestApp) {
    let first = import(
        &app,
        &file(&[row(
            "Läxhjälp i Fosie",
            "2021: 100000; 2022: 150000",
            "250000",
        )]),
        false,
    )
    .await;
    assert!(first.applied, "{first:?}");
    let before = counts(&app).await;

    let report = import(
        &app,
        &file(&[
            long_row("Öppna skolgårdar"),
            // The same record, its money written differently and no total.
            row("Läxhjälp i Fosie", "2022: 150 000 kr; 2021: 100000", ""),
            // The same title starting on another day is another record.
            row("Läxhjälp i Fosie", "2021: 100000", "").replace(",2021-01-01,", ",2021-02-01,"),
        ]),
        true,
    )
    .await;
    assert!(!report.has_problems(), "{report:?}");
    assert!(!report.applied);
    assert_eq!(
        outcomes(&report),
        vec![
            (2, "Öppna skolgårdar".into(), Some(RowOutcome::Created)),
            (4, "Läxhjälp i Fosie".into(), Some(RowOutcome::Unchanged),),
            (5, "Läxhjälp i Fosie".into(), Some(RowOutcome::Created),),
        ]
    );
    assert_eq!(report.rows[1].record, first.rows[0].record);
    assert_eq!(counts(&app).await, before, "a dry run writes nothing");
}

async fn a_file_whose_third_row_fails_writes_nothing(app: TestApp) {
    let before = counts(&app).await;
    let csv = file(&[
        row("Rad ett", "2021: 1000", ""),
        row("Rad två", "2022: 2000", "2000"),
        // Money in a year outside the period 2021–2022.
        row("Rad tre", "2021: 1000; 2023: 5000", ""),
        row("Rad fyra", "", ""),
        row("Rad fem", "2021: 10; 2022: 20", "30"),
    ]);
    let report = import(&app, &csv, false).await;
    assert!(report.has_problems());
    assert!(!report.applied);
    assert_eq!(report.failed_rows(), 1, "{report:?}");
    let bad = &report.rows[2];
    // The header is line 1, so the third row is on line 4.
    assert_eq!(bad.line, 4);
    assert_eq!(bad.title, "Rad tre");
    assert_eq!(bad.outcome, None);
    assert_eq!(bad.problems.len(), 1, "{bad:?}");
    assert_eq!(bad.problems[0].field, "money");
    assert_eq!(bad.problems[0].code, "record-money-year");
    assert_has(&bad.problems[0].message, "2023");
    // The other rows still say what they would have done.
    assert_eq!(report.count("created"), 4);
    assert_eq!(counts(&app).await, before, "no table is touched");

    // A header problem names the column and writes nothing either.
    let report = import(
        &app,
        "body,form,title,colour\nmiljonamnden,iop,x,blå\n",
        false,
    )
    .await;
    assert!(
        report
            .file_problems
            .iter()
            .any(|p| p.field == "colour" && p.code == "import-unknown-column"),
        "{report:?}"
    );
    assert!(
        report
            .file_problems
            .iter()
            .any(|p| p.field == "organisations" && p.code == "import-missing-column")
    );
    assert!(report.rows.is_empty());
    // The same record twice in one file: the second row is refused.
    let report = import(
        &app,
        &file(&[row("Två gånger", "", ""), row("Två gånger", "", "")]),
        false,
    )
    .await;
    assert_eq!(report.rows[1].problems[0].code, "import-duplicate");
    assert_has(&report.rows[1].problems[0].message, "line 2");
    assert_eq!(counts(&app).await, before);
}

async fn an_organisation_number_not_in_the_register_is_named(app: TestApp) {
    let before = counts(&app).await;
    let csv = file(&[
        row("Känd", "", ""),
        row("Okänd", "", "").replace(ORGS, "802451-3387; 556016-0680"),
        row("Felskriven", "", "").replace(ORGS, "12345"),
    ]);
    let report = import(&app, &csv, false).await;
    assert!(!report.applied);
    let unknown = &report.rows[1].problems;
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].field, "organisations");
    assert_eq!(unknown[0].code, "record-org-unknown");
    assert_eq!(unknown[0].detail.as_deref(), Some("556016-0680"));
    assert_has(&unknown[0].message, "556016-0680");
    assert_eq!(report.rows[2].problems[0].code, "record-org-number");
    assert_eq!(report.rows[2].line, 4);
    assert_eq!(counts(&app).await, before);
}

async fn figures_that_do_not_add_up_are_refused(app: TestApp) {
    let before = counts(&app).await;
    let report = import(
        &app,
        &file(&[
            row(
                "Summan stämmer inte",
                "2021: 100000; 2022: 150000",
                "300000",
            ),
            row("Samma år två gånger", "2021: 100; 2021: 200", ""),
            row("Inget belopp", "2021: mycket", ""),
        ]),
        false,
    )
    .await;
    let problems: Vec<(u64, &str, &str)> = report
        .rows
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| (r.line, p.field.as_str(), p.code.as_str()))
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (2, "total", "record-money-sum"),
            (3, "money", "record-money-twice"),
            (4, "money", "record-money-line"),
        ]
    );
    let sum = &report.rows[0].problems[0];
    assert_has(&sum.message, "250000");
    assert_has(&sum.message, "300000");
    assert_eq!(sum.detail.as_deref(), Some("250000|300000"));
    assert_eq!(counts(&app).await, before);
}

async fn an_export_imports_back_unchanged(app: TestApp) {
    // Texts a spreadsheet would take for formulas, a quote, a comma, a
    // semicolon and a new line; one record made through the form's use case.
    let odd = row("=Formel i titeln", "2021: 5000", "5000")
        .replace("Läxhjälp varje vecka.", "\"-5 grader, \"\"kallt\"\"; ute\"")
        .replace(",,2021-01-01", ",+46 40 34 10 00,2021-01-01");
    let report = import(
        &app,
        &file(&[
            odd,
            long_row("Öppna skolgårdar"),
            row("Utan pengar", "", ""),
        ]),
        false,
    )
    .await;
    assert!(report.applied, "{report:?}");
    let (_, email) = app.coordinator_of(AGREEMENT).await;
    let (user, roles) = app.current_user_and_roles(&email).await;
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    app.app
        .create_record(
            &user,
            &roles,
            AGREEMENT,
            "malmo",
            &register,
            &RecordForm {
                body: BODY.into(),
                form: "joint-project".into(),
                title: "Fredagsfotboll".into(),
                description: "Spontanfotboll på fredagar.".into(),
                starts_on: "2019-01-01".into(),
                ends_on: "2020-12-31".into(),
                organisations: "8024513387\n802438-7717".into(),
                money: "2020: 40 000\n2019: 30000".into(),
                activity: "2018-2022/fredagsfotboll-rosengard".into(),
                principles: "mangfald; dialog".into(),
                ..RecordForm::default()
            },
        )
        .await
        .expect("the record is created");

    let filter = RecordFilter {
        body: BODY.into(),
        ..RecordFilter::default()
    };
    let csv = app
        .app
        .export_records_csv(AGREEMENT, &filter)
        .await
        .unwrap();
    assert!(csv.starts_with(&header()), "{csv}");
    assert_has(&csv, "'=Formel i titeln");
    assert_has(&csv, "\"'-5 grader, \"\"kallt\"\"; ute\"");
    assert_has(&csv, "'+46 40 34 10 00");
    assert_has(&csv, "2019: 30000; 2020: 40000,70000");
    assert_has(&csv, "2018-2022/fredagsfotboll-rosengard");
    let before = counts(&app).await;
    let report = import(&app, &csv, false).await;
    assert!(!report.has_problems(), "{report:?}");
    assert_eq!(report.rows.len(), 4);
    assert_eq!(report.count("unchanged"), 4, "{report:?}");
    assert_eq!(
        counts(&app).await,
        before,
        "unchanged records keep their version"
    );
    let stored = records(&app).await;
    let formula = stored
        .iter()
        .find(|r| r.title == "=Formel i titeln")
        .unwrap();
    assert_eq!(formula.description, "-5 grader, \"kallt\"; ute");
    assert_eq!(formula.outcome, "+46 40 34 10 00");
}

async fn a_changed_row_updates_its_record(app: TestApp) {
    let first = import(
        &app,
        &file(&[
            row("Läxhjälp i Fosie", "2021: 100000; 2022: 150000", "250000"),
            long_row("Öppna skolgårdar"),
        ]),
        false,
    )
    .await;
    assert!(first.applied, "{first:?}");
    let id = first.rows[0].record.expect("the new record's id");
    let before = counts(&app).await;

    // Another outcome and other money (in another order, with spaces), the
    // organisations in another order and without the hyphen: only outcome
    // and money change.
    let changed = row("Läxhjälp i Fosie", "2022: 200 000; 2021: 100000", "300 000")
        .replace(",,2021-01-01", ",Trettio elever varje vecka.,2021-01-01")
        .replace(ORGS, "8024671029; 802451-3387");
    let csv = file(&[changed, long_row("Öppna skolgårdar")]);
    let dry = import(&app, &csv, true).await;
    assert_eq!(
        outcomes(&dry),
        vec![
            (
                2,
                "Läxhjälp i Fosie".into(),
                Some(RowOutcome::Changed(vec!["outcome", "money"]))
            ),
            (3, "Öppna skolgårdar".into(), Some(RowOutcome::Unchanged)),
        ]
    );
    let report = import(&app, &csv, false).await;
    assert!(report.applied, "{report:?}");
    assert_eq!(report.rows[0].record, Some(id));
    let after = counts(&app).await;
    assert_eq!(after[0], before[0], "no new record");
    assert_eq!(after[4], before[4] + 1, "one version more");
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let record = app.app.record(&register, id).await.unwrap();
    assert_eq!(record.outcome, "Trettio elever varje vecka.");
    assert_eq!(record.total_sek, 300_000);
    assert_eq!(record.amount_in(2022), 200_000);
    assert_eq!(record.organisations.len(), 2);
    assert_eq!(record.version, 2);

    // Only some columns: the others keep what the record has.
    let report = import(
        &app,
        &format!(
            "body,form,title,description,starts_on,ends_on,organisations\n{BODY},dialogue,Läxhjälp i Fosie,Läxhjälp varje vecka.,2021-01-01,2022-12-31,{ORGS}\n"
        ),
        false,
    )
    .await;
    assert_eq!(
        report.rows[0].outcome,
        Some(RowOutcome::Changed(vec!["form"])),
        "{report:?}"
    );
    let record = app.app.record(&register, id).await.unwrap();
    assert_eq!(record.form.as_str(), "dialogue");
    assert_eq!(record.total_sek, 300_000, "the money is kept");
    assert_eq!(record.principles.len(), 2);
}

async fn coordinators_check_and_apply_an_upload_from_the_web(app: TestApp) {
    let (coordinator, _) = app.coordinator_of(AGREEMENT).await;
    let res = coordinator.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_has(&html, "enctype=\"multipart/form-data\"");
    assert_has(&html, "for=\"csv_file\"");
    assert_has(&html, "for=\"csv_text\"");
    assert_has(&html, &header());
    assert_has(&html, "/api/v1/agreements/malmoandan/register?format=csv");
    let token = csrf_in(&html).expect("a CSRF token");
    let before = counts(&app).await;
    let csv = file(&[
        long_row("Öppna skolgårdar"),
        row("Läxhjälp i Fosie", "2021: 100000", "100000"),
    ]);

    // The file is checked; nothing is written; the report names the lines.
    let res = app
        .upload(
            &coordinator,
            IMPORT,
            &[
                ("csv_file", Some("register.csv"), &csv),
                ("csv_text", None, ""),
                ("csrf_token", None, &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_has(&html, "<caption");
    assert_has(&html, "<th scope=\"row\">4</th>");
    assert_has(&html, "Ny post");
    assert_has(&html, "/register/import/apply");
    assert_has(&html, "på kvällar och helger.");
    assert_eq!(counts(&app).await, before);

    // Without the token in the multipart body: refused before the handler.
    let res = app
        .upload(&coordinator, IMPORT, &[("csv_text", None, &csv)])
        .await;
    assert_eq!(res.status(), 403);

    // A bad paste: 422, the text kept, the problem by line and column.
    let bad = file(&[
        row("Läxhjälp i Fosie", "2021: 100000", "100000"),
        row("Okänd", "", "").replace(ORGS, "556016-0680"),
    ]);
    let res = app
        .upload(
            &coordinator,
            IMPORT,
            &[("csv_text", None, &bad), ("csrf_token", None, &token)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "error-summary");
    assert_has(&html, "Rad 3, organisations");
    assert_has(&html, "556016-0680");
    assert_has(&html, "Går inte");
    assert!(
        !html.contains("/register/import/apply"),
        "no way to apply a file with problems"
    );

    // Nothing to check: 422 with the field's problem.
    let res = app
        .upload(
            &coordinator,
            IMPORT,
            &[("csv_text", None, " \n"), ("csrf_token", None, &token)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Välj en fil eller klistra in CSV-text.",
    );

    // Apply: written, and on to the register.
    let res = app
        .post_from(
            &coordinator,
            IMPORT,
            &format!("{IMPORT}/apply"),
            &[("csv_text", &csv)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/agreements/malmoandan/register?done=imported"
    );
    let after = counts(&app).await;
    assert_eq!(after[0], before[0] + 2);
    assert_eq!(after[1], before[1] + 3, "three organisations named");
    assert_eq!(after[2], before[2] + 1, "one year of money");

    // Applying a text that no longer passes shows the report again (422).
    let res = app
        .post_from(
            &coordinator,
            IMPORT,
            &format!("{IMPORT}/apply"),
            &[("csv_text", &bad)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(counts(&app).await, after);

    // In English, the page and the outcomes are in English.
    let res = coordinator
        .get(app.url(&format!("{IMPORT}?lang=en")))
        .send()
        .await
        .unwrap();
    assert_has(&res.text().await.unwrap(), "Import records from CSV");
}

async fn officials_and_others_may_not_import(app: TestApp) {
    let res = app.get(IMPORT).await;
    assert_eq!(res.status(), 303, "a visitor is sent to sign in");
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("login")
    );
    let (official, _) = app.official_of("malmo/miljonamnden").await;
    let res = official.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(
        res.status(),
        403,
        "an official keeps records but may not import"
    );
    let (member, _) = app
        .person(
            "member",
            &[Grant::Member("bollklubben-rosengardsstjarnan", "admin")],
        )
        .await;
    let res = member.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let (sjovik, _) = app.coordinator_of("sjovik").await;
    let res = sjovik.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(res.status(), 403, "a coordinator of another agreement");
    let res = sjovik
        .get(app.url("/agreements/sjovik/register/import"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "but of their own");
    // The use case asks again.
    let roles = samverkan_app::roles::Roles::default();
    let request = RecordImportRequest {
        agreement: AGREEMENT,
        csv: b"",
        dry_run: true,
    };
    let result = app
        .app
        .import_records_csv(None, Some(&roles), &request, &no_progress)
        .await;
    assert!(
        matches!(result, Err(samverkan_app::Error::Forbidden(_))),
        "{result:?}"
    );
}

async fn the_command_line_checks_and_refuses_a_bad_file(app: TestApp) {
    let url = app.database_url().await;
    let dir = std::env::temp_dir().join(format!("samverkan_records_{}", app.addr.port()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.csv");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &good,
        file(&[
            long_row("Öppna skolgårdar"),
            row("Läxhjälp i Fosie", "2021: 100000", ""),
        ]),
    )
    .unwrap();
    std::fs::write(
        &bad,
        file(&[
            row("Rad ett", "", ""),
            row("Rad två", "2021: 100", "200"),
            row("Rad tre", "", "").replace(ORGS, "556016-0680"),
        ]),
    )
    .unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let (good_path, bad_path) = (path(&good), path(&bad));
    let before = counts(&app).await;

    let (code, help, _) = crate::run_cli(&url, &["import", "--help"]);
    assert_eq!(code, 0);
    assert_has(&help, "records");
    assert_has(&help, "Records need no --plan");

    let (code, stdout, stderr) = crate::run_cli(
        &url,
        &[
            "import",
            "records",
            &good_path,
            "--agreement",
            AGREEMENT,
            "--dry-run",
        ],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(&stdout, "line 2: miljonamnden 'Öppna skolgårdar' created");
    assert_has(&stdout, "line 4: miljonamnden 'Läxhjälp i Fosie' created");
    assert_has(&stdout, "Dry run, nothing written. 2 rows: 2 created");
    assert_eq!(counts(&app).await, before);

    let (code, stdout, stderr) = crate::run_cli(
        &url,
        &["import", "records", &bad_path, "--agreement", AGREEMENT],
    );
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert_has(&stderr, "line 3: problem in total");
    assert_has(&stderr, "line 4: problem in organisations");
    assert_has(&stderr, "556016-0680");
    assert_has(&stderr, "2 of 3 rows have problems; nothing was written");
    assert!(
        !stdout.contains("problem"),
        "problems go to stderr: {stdout}"
    );
    assert_eq!(counts(&app).await, before);

    // The plan imports still need their plan.
    let (code, _, stderr) = crate::run_cli(
        &url,
        &["import", "activities", &good_path, "--agreement", AGREEMENT],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_has(&stderr, "--plan");

    let (code, stdout, stderr) = crate::run_cli(
        &url,
        &["import", "records", &good_path, "--agreement", AGREEMENT],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(&stdout, "Imported 2 rows: 2 created");
    assert_eq!(counts(&app).await[0], before[0] + 2);
    let again = crate::run_cli(
        &url,
        &["import", "records", &good_path, "--agreement", AGREEMENT],
    );
    assert_has(
        &again.1,
        "Imported 2 rows: 0 created, 0 changed, 2 unchanged",
    );
    assert_eq!(records(&app).await.len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

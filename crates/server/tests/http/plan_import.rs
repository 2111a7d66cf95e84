//! Importing an action plan's activities and progress updates from CSV: the
//! dry run, all or nothing, history, updates moving the activity on, the
//! export importing back unchanged, the web flow for coordinators (file
//! upload with its CSRF token) and the command line.

use crate::assert_has;
use samverkan_app::plans::activities::Author;
use samverkan_app::plans::import::{
    ImportKind, ImportReport, ImportRequest, RowOutcome, no_progress,
};
use samverkan_testkit::{TestApp, both_backends, csrf_in};

both_backends!(
    a_dry_run_writes_nothing_and_names_each_row_by_its_line,
    an_import_with_one_bad_row_writes_nothing,
    a_valid_import_writes_every_row_and_records_history,
    updates_are_added_once_and_move_the_activity_on,
    an_export_imports_back_unchanged,
    coordinators_check_and_apply_an_upload_from_the_web,
    others_may_not_import,
    the_command_line_checks_applies_and_refuses_a_bad_file,
);

const PLAN: &str = "2027-2028";
const ORG: &str = "bollklubben-rosengardsstjarnan";
const HEADER: &str = "slug,title,description,goal,part,challenge,status,progress,starts_on,ends_on,responsible_city_bodies,responsible_organisations,principles,milestones";
const UPDATE_HEADER: &str = "activity,written_on,body,progress,status,milestone,party";

/// An activity row spanning three physical lines (two cells hold a new line).
fn row(slug: &str, title: &str, ends_on: &str) -> String {
    format!(
        "{slug},{title},\"Träffar varje vecka.\nÖppet för alla.\",40 deltagare,challenges,ofrivillig-ensamhet,planned,0,2027-01-01,{ends_on},kultur-och-fritidsnamnden,{ORG},\"dialog, mangfald\",\"2027-03-01 | Första träffen\n2027-09-01 | Halvtid\"\n"
    )
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}", rows.concat())
}

async fn import(app: &TestApp, kind: ImportKind, csv: &str, dry_run: bool) -> ImportReport {
    let author = Author {
        user_id: None,
        name: "Testimport".into(),
    };
    let request = ImportRequest {
        kind,
        agreement: "sjovik",
        plan: PLAN,
        csv: csv.as_bytes(),
        dry_run,
    };
    app.app
        .import_plan_csv(&author, None, &request, &no_progress)
        .await
        .expect("the import runs")
}

async fn counts(app: &TestApp) -> [i64; 4] {
    [
        app.count("activities").await,
        app.count("progress_updates").await,
        app.count("activity_changes").await,
        app.count("activity_milestones").await,
    ]
}

fn outcomes(report: &ImportReport) -> Vec<(u64, String, Option<RowOutcome>)> {
    report
        .rows
        .iter()
        .map(|r| (r.line, r.activity.clone(), r.outcome.clone()))
        .collect()
}

async fn a_dry_run_writes_nothing_and_names_each_row_by_its_line(app: TestApp) {
    let applied = import(
        &app,
        ImportKind::Activities,
        &file(&[
            row("imp-samtal", "Samtalsgrupper", "2027-12-31"),
            row("imp-lager", "Sommarläger", "2027-08-31"),
        ]),
        false,
    )
    .await;
    assert!(applied.applied, "{applied:?}");
    let before = counts(&app).await;

    let report = import(
        &app,
        ImportKind::Activities,
        &file(&[
            row("imp-samtal", "Samtalsgrupper för äldre", "2027-12-31"),
            row("imp-lager", "Sommarläger", "2027-08-31"),
            row("imp-motesplats", "Mötesplats i centrum", "2028-06-30"),
        ]),
        true,
    )
    .await;
    assert!(!report.has_problems(), "{report:?}");
    assert!(!report.applied);
    assert_eq!(
        outcomes(&report),
        vec![
            (
                2,
                "imp-samtal".into(),
                Some(RowOutcome::Changed(vec!["title"]))
            ),
            (5, "imp-lager".into(), Some(RowOutcome::Unchanged)),
            (8, "imp-motesplats".into(), Some(RowOutcome::Created)),
        ]
    );
    assert_eq!(counts(&app).await, before, "a dry run writes nothing");
}

async fn an_import_with_one_bad_row_writes_nothing(app: TestApp) {
    let before = counts(&app).await;
    let csv = file(&[
        row("imp-ett", "Aktivitet ett", "2027-12-31"),
        row("imp-tva", "Aktivitet två", "2027-12-31"),
        row("imp-tre", "Aktivitet tre", "2026-01-01"),
        row("imp-fyra", "Aktivitet fyra", "2027-12-31"),
        row("imp-ett", "Aktivitet ett igen", "2027-12-31"),
    ]);
    let report = import(&app, ImportKind::Activities, &csv, false).await;
    assert!(report.has_problems());
    assert!(!report.applied);
    assert_eq!(report.failed_rows(), 2, "{report:?}");
    let bad = &report.rows[2];
    assert_eq!(bad.line, 8);
    assert_eq!(bad.problems[0].field, "ends_on");
    assert_eq!(bad.problems[0].code, "activity-ends-before");
    let twice = &report.rows[4];
    assert_eq!(twice.line, 14);
    assert_eq!(twice.problems[0].code, "import-duplicate");
    assert!(twice.problems[0].message.contains("line 2"), "{twice:?}");
    // The good rows still say what they would have done.
    assert_eq!(report.rows[0].outcome, Some(RowOutcome::Created));
    assert_eq!(counts(&app).await, before, "nothing is left behind");

    // A header problem names the column and writes nothing either.
    let report = import(
        &app,
        ImportKind::Activities,
        "slug,title,colour\nx,y,z\n",
        false,
    )
    .await;
    assert!(
        report
            .file_problems
            .iter()
            .any(|p| p.field == "colour" && p.code == "import-unknown-column")
    );
    assert!(
        report
            .file_problems
            .iter()
            .any(|p| p.field == "part" && p.code == "import-missing-column")
    );
    assert_eq!(counts(&app).await, before);
}

async fn a_valid_import_writes_every_row_and_records_history(app: TestApp) {
    let before = counts(&app).await;
    let report = import(
        &app,
        ImportKind::Activities,
        &file(&[
            row("imp-samtal", "Samtalsgrupper", "2027-12-31"),
            row("imp-lager", "Sommarläger", "2027-08-31"),
        ]),
        false,
    )
    .await;
    assert!(report.applied, "{report:?}");
    let after = counts(&app).await;
    assert_eq!(after[0], before[0] + 2, "two activities");
    assert_eq!(after[2], before[2] + 2, "a 'created' change each");
    assert_eq!(after[3], before[3] + 4, "two milestones each");

    // Only some columns: the others keep what is stored.
    let report = import(
        &app,
        ImportKind::Activities,
        "slug,title,part,status,starts_on,ends_on\nimp-samtal,Samtalsgrupper,challenges,ongoing,2027-01-01,2027-12-31\n",
        false,
    )
    .await;
    assert!(report.applied, "{report:?}");
    assert_eq!(
        report.rows[0].outcome,
        Some(RowOutcome::Changed(vec!["status"]))
    );
    let (_, activities) = app.app.with_activities("sjovik").await.unwrap();
    let a = activities.activity(PLAN, "imp-samtal").unwrap();
    assert_eq!(a.status.as_str(), "ongoing");
    assert_eq!(a.milestones.len(), 2, "left-out columns are kept");
    assert_eq!(a.principles.len(), 2);
    let change = a
        .history
        .iter()
        .find(|c| c.field == "status")
        .expect("the change is in the history");
    assert_eq!(
        (change.before.as_str(), change.after.as_str()),
        ("planned", "ongoing")
    );
    assert_eq!(change.author, "Testimport");
    assert_eq!(app.count("activity_changes").await, after[2] + 1);
}

async fn updates_are_added_once_and_move_the_activity_on(app: TestApp) {
    import(
        &app,
        ImportKind::Activities,
        &file(&[row("imp-samtal", "Samtalsgrupper", "2027-12-31")]),
        false,
    )
    .await;
    let csv = format!(
        "{UPDATE_HEADER}\nimp-samtal,2026-01-10,Vi har börjat.,30,ongoing,,\nimp-samtal,2026-02-10,\"Halvvägs, \"\"bra\"\" läge.\nFler kommer.\",60,,Första träffen,Bollklubben\n"
    );
    let dry = import(&app, ImportKind::Updates, &csv, true).await;
    assert_eq!(
        outcomes(&dry),
        vec![
            (2, "imp-samtal".into(), Some(RowOutcome::Added)),
            (3, "imp-samtal".into(), Some(RowOutcome::Added))
        ]
    );
    let before = app.count("progress_updates").await;
    let report = import(&app, ImportKind::Updates, &csv, false).await;
    assert!(report.applied, "{report:?}");
    assert_eq!(app.count("progress_updates").await, before + 2);
    let (_, activities) = app.app.with_activities("sjovik").await.unwrap();
    let a = activities.activity(PLAN, "imp-samtal").unwrap();
    assert_eq!(a.progress, 60);
    assert_eq!(a.status.as_str(), "ongoing");
    assert_eq!(a.updates.len(), 2);
    assert_eq!(a.updates[0].party, "Bollklubben");
    assert_eq!(
        a.updates[1].party, "Kultur- och fritidsnämnden",
        "the first responsible party by default"
    );
    let reached = a
        .milestones
        .iter()
        .find(|m| m.title == "Första träffen")
        .unwrap();
    assert_eq!(
        reached.reached_on.map(|d| d.to_string()).as_deref(),
        Some("2026-02-10")
    );

    // Run again: already there, nothing added.
    let again = import(&app, ImportKind::Updates, &csv, false).await;
    assert_eq!(again.count("already_there"), 2);
    assert_eq!(app.count("progress_updates").await, before + 2);

    // An unknown activity, a date in the future or a missing date refuse the whole file.
    let bad = format!(
        "{UPDATE_HEADER}\nimp-samtal,2026-03-01,Bra.,70,,,\nimp-okand,2026-03-01,Hm.,,,,\nimp-samtal,2999-01-01,Sen.,,,,\nimp-samtal,,Utan datum.,,,,\n"
    );
    let report = import(&app, ImportKind::Updates, &bad, false).await;
    let fields: Vec<(u64, &str)> = report
        .rows
        .iter()
        .flat_map(|r| r.problems.iter().map(move |p| (r.line, p.field.as_str())))
        .collect();
    assert_eq!(
        fields,
        vec![(3, "activity"), (4, "written_on"), (5, "written_on")]
    );
    assert_eq!(app.count("progress_updates").await, before + 2);
}

async fn an_export_imports_back_unchanged(app: TestApp) {
    let mut odd = row("imp-formel", "=Formel i titeln", "2027-12-31");
    odd = odd.replace("40 deltagare", "\"-5 grader, @hemma\"");
    import(
        &app,
        ImportKind::Activities,
        &file(&[row("imp-samtal", "Samtalsgrupper", "2027-12-31"), odd]),
        false,
    )
    .await;
    import(
        &app,
        ImportKind::Updates,
        &format!("{UPDATE_HEADER}\nimp-samtal,2026-01-10,+1 deltagare,30,ongoing,Första träffen,Bollklubben\nimp-formel,2026-01-11,Klart.,,,,\n"),
        false,
    )
    .await;
    let activities = app.app.export_activities_csv("sjovik", PLAN).await.unwrap();
    assert!(activities.starts_with(&samverkan_app::plans::activities::ACTIVITY_FIELDS.join(",")));
    assert!(
        !activities.contains(",=") && !activities.contains(",-") && !activities.contains(",+"),
        "{activities}"
    );
    assert_has(&activities, "'=Formel i titeln");
    let report = import(&app, ImportKind::Activities, &activities, true).await;
    assert!(!report.has_problems(), "{report:?}");
    assert!(report.rows.len() >= 2);
    assert_eq!(report.count("unchanged"), report.rows.len(), "{report:?}");

    let updates = app.app.export_updates_csv("sjovik", PLAN).await.unwrap();
    assert_has(&updates, "'+1 deltagare");
    let report = import(&app, ImportKind::Updates, &updates, true).await;
    assert!(report.rows.len() >= 2);
    assert_eq!(
        report.count("already_there"),
        report.rows.len(),
        "{report:?}"
    );
}

const IMPORT: &str = "/agreements/sjovik/plans/2027-2028/import";

async fn coordinators_check_and_apply_an_upload_from_the_web(app: TestApp) {
    let (coordinator, _) = app.coordinator_of("sjovik").await;
    let token = the_import_form_takes_a_file_or_a_paste(&app, &coordinator).await;
    let before = app.count("activities").await;
    let changes = app.count("activity_changes").await;
    let csv = file(&[
        row("imp-samtal", "Samtalsgrupper", "2027-12-31"),
        row("imp-lager", "Sommarläger", "2027-08-31"),
    ]);
    a_checked_file_writes_nothing_and_names_the_lines(&app, &coordinator, &token, &csv, before)
        .await;
    uploads_without_a_token_with_problems_or_empty_are_refused(&app, &coordinator, &token, &csv)
        .await;

    // Apply: written, and on to the plan with a notice.
    let res = app
        .post_from(
            &coordinator,
            IMPORT,
            &format!("{IMPORT}/apply"),
            &[("kind", "activities"), ("csv_text", &csv)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/agreements/sjovik/plans/2027-2028?done=imported"
    );
    assert_eq!(app.count("activities").await, before + 2);

    // Applying a text that no longer passes shows the report again (422).
    let stale = file(&[row("imp-samtal", "Samtalsgrupper", "2026-01-01")]);
    let res = app
        .post_from(
            &coordinator,
            IMPORT,
            &format!("{IMPORT}/apply"),
            &[("kind", "activities"), ("csv_text", &stale)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("activity_changes").await, changes + 2);
}

/// The import page: a multipart form with a file or a pasted text, and a
/// link to the plan's export. Returns the form's CSRF token.
async fn the_import_form_takes_a_file_or_a_paste(
    app: &TestApp,
    coordinator: &reqwest::Client,
) -> String {
    let res = coordinator.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_has(&html, "enctype=\"multipart/form-data\"");
    assert_has(&html, "<legend>");
    assert_has(&html, "for=\"csv_text\"");
    assert_has(
        &html,
        "/api/v1/agreements/sjovik/plans/2027-2028/activities?format=csv",
    );
    csrf_in(&html).expect("a CSRF token")
}

/// The file is checked; nothing is written (there are still `activities`
/// activities); the report names the lines and offers to apply it.
async fn a_checked_file_writes_nothing_and_names_the_lines(
    app: &TestApp,
    coordinator: &reqwest::Client,
    token: &str,
    csv: &str,
    activities: i64,
) {
    let res = app
        .upload(
            coordinator,
            IMPORT,
            &[
                ("kind", None, "activities"),
                ("csv_file", Some("plan.csv"), csv),
                ("csv_text", None, ""),
                ("csrf_token", None, token),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_has(&html, "<caption");
    assert_has(&html, "<th scope=\"row\">5</th>");
    assert_has(&html, "Ny aktivitet");
    assert_has(&html, "/import/apply");
    assert_eq!(app.count("activities").await, activities);
}

/// Without the token in the multipart body: refused before the handler
/// (403). A bad paste: 422, the text kept, the problem by line and no way
/// to apply it. Nothing to check: 422 with the field's problem.
async fn uploads_without_a_token_with_problems_or_empty_are_refused(
    app: &TestApp,
    coordinator: &reqwest::Client,
    token: &str,
    csv: &str,
) {
    let res = app
        .upload(
            coordinator,
            IMPORT,
            &[("kind", None, "activities"), ("csv_text", None, csv)],
        )
        .await;
    assert_eq!(res.status(), 403);

    let bad = file(&[row("imp-samtal", "Samtalsgrupper", "2026-01-01")]);
    let res = app
        .upload(
            coordinator,
            IMPORT,
            &[
                ("kind", None, "activities"),
                ("csv_text", None, &bad),
                ("csrf_token", None, token),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "error-summary");
    assert_has(&html, "Rad 2, ends_on");
    // The problem is worded in the page's language, as the form words it.
    assert_has(&html, "Aktiviteten kan inte sluta innan den börjar.");
    assert_has(&html, "Träffar varje vecka.");
    assert!(
        !html.contains("/import/apply"),
        "no way to apply a file with problems"
    );

    let res = app
        .upload(
            coordinator,
            IMPORT,
            &[
                ("kind", None, "updates"),
                ("csv_text", None, " "),
                ("csrf_token", None, token),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Välj en fil eller klistra in CSV-text.",
    );
}

async fn others_may_not_import(app: TestApp) {
    let res = app.get(IMPORT).await;
    assert_eq!(res.status(), 303, "a visitor is sent to sign in");
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("login")
    );
    let (member, _) = app.member_of(ORG, "admin").await;
    let res = member.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let (malmo, _) = app.coordinator_of("malmoandan").await;
    let res = malmo.get(app.url(IMPORT)).send().await.unwrap();
    assert_eq!(res.status(), 403, "a coordinator of another agreement");
    // The use case asks again.
    let roles = samverkan_app::roles::Roles::default();
    let request = ImportRequest {
        kind: ImportKind::Activities,
        agreement: "sjovik",
        plan: PLAN,
        csv: b"",
        dry_run: true,
    };
    let author = Author {
        user_id: None,
        name: "x".into(),
    };
    let result = app
        .app
        .import_plan_csv(&author, Some(&roles), &request, &no_progress)
        .await;
    assert!(
        matches!(result, Err(samverkan_app::Error::Forbidden(_))),
        "{result:?}"
    );
}

async fn the_command_line_checks_applies_and_refuses_a_bad_file(app: TestApp) {
    let url = app.database_url().await;
    let dir = std::env::temp_dir().join(format!("samverkan_import_{}", app.addr.port()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.csv");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &good,
        file(&[
            row("imp-samtal", "Samtalsgrupper", "2027-12-31"),
            row("imp-lager", "Sommarläger", "2027-08-31"),
        ]),
    )
    .unwrap();
    std::fs::write(
        &bad,
        file(&[
            row("imp-ett", "Aktivitet ett", "2027-12-31"),
            row("imp-tva", "Aktivitet två", "2026-01-01"),
        ]),
    )
    .unwrap();
    let common = ["--agreement", "sjovik", "--plan", PLAN];
    let before = app.count("activities").await;
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();

    let (help_code, help, _) = crate::run_cli(&url, &["import", "--help"]);
    assert_eq!(help_code, 0);
    assert_has(&help, "--dry-run");
    assert_has(&help, "All or nothing");

    let good_path = path(&good);
    let mut args = vec!["import", "activities", good_path.as_str()];
    args.extend(common);
    args.push("--dry-run");
    let (code, stdout, stderr) = crate::run_cli(&url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(&stdout, "line 2: imp-samtal created");
    assert_has(&stdout, "line 5: imp-lager created");
    assert_has(&stdout, "Dry run, nothing written");
    assert_eq!(app.count("activities").await, before);

    let bad_path = path(&bad);
    let mut args = vec!["import", "activities", bad_path.as_str()];
    args.extend(common);
    let (code, stdout, stderr) = crate::run_cli(&url, &args);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert_has(&stdout, "line 5: problem in ends_on");
    assert_has(&stderr, "nothing was written");
    assert_eq!(app.count("activities").await, before);

    let mut args = vec!["import", "activities", good_path.as_str()];
    args.extend(common);
    args.extend(["--author", "Kommunens import"]);
    let (code, stdout, stderr) = crate::run_cli(&url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(&stdout, "Imported 2 rows: 2 created");
    assert_eq!(app.count("activities").await, before + 2);
    app.app.invalidate();
    let (_, activities) = app.app.with_activities("sjovik").await.unwrap();
    let a = activities.activity(PLAN, "imp-samtal").unwrap();
    assert_eq!(a.history[0].author, "Kommunens import");
    let _ = std::fs::remove_dir_all(&dir);
}

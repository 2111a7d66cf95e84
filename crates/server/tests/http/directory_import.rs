//! Importing the directory from CSV: a municipality's city bodies and the
//! organisations. The dry run, all or nothing (nothing written when one row
//! fails), problems by line and column in the visitor's language, a second
//! run changing or leaving rows unchanged, an organisation with members kept
//! by them, the web flow for those who may import and the refusal of
//! others, and the command line.

use crate::assert_has;
use samverkan_app::agreements::body_import::BodyImportRequest;
use samverkan_app::csv_rows::{EntryReport, RowOutcome, no_progress};
use samverkan_app::organisations::import::OrganisationImportRequest;
use samverkan_testkit::{Grant, TestApp, both_backends, csrf_in};

both_backends!(
    a_dry_run_of_bodies_writes_nothing_and_says_what_would_happen,
    bodies_with_problems_are_named_by_line_and_column_and_nothing_is_written,
    bodies_are_created_then_changed_or_left_unchanged,
    organisations_are_created_then_changed_and_those_with_members_are_kept,
    keepers_check_and_apply_bodies_from_the_web_in_either_language,
    platform_admins_import_organisations_from_the_web,
    others_may_not_import_the_directory,
    the_command_line_imports_bodies_and_organisations,
);

const MUNICIPALITY: &str = "malmo";
const BODIES: &str = "/city-bodies/import";
const ORGANISATIONS: &str = "/organisations/import";

/// Two new bodies, the second serving the first.
const NEW_BODIES: &str = "name,kind,parent,description\n\
    Klimatnämnden,committee,,Ansvarar för klimatarbetet.\n\
    Klimatförvaltningen,administration,klimatnamnden,\"Genomför nämndens uppdrag\nmed klimatfrågor.\"\n";

/// Line 3 has an unknown kind, line 4 a parent that is nowhere.
const BAD_BODIES: &str = "name,kind,parent\n\
    Klimatnämnden,committee,\n\
    Klimatförvaltningen,council,\n\
    Vattenförvaltningen,administration,vattennamnden\n";

/// Every table an import of bodies writes, and the audit record.
async fn body_counts(app: &TestApp) -> [i64; 2] {
    [app.count("city_bodies").await, app.count("audit_log").await]
}

/// Every table an import of organisations writes, the sum of their
/// versions (which moves when one is changed), and the audit record.
async fn organisation_counts(app: &TestApp) -> [i64; 5] {
    [
        app.count("organisations").await,
        app.count("organisation_districts").await,
        app.count("organisation_challenges").await,
        app.scalar("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM organisations")
            .await,
        app.count("audit_log").await,
    ]
}

async fn import_bodies(app: &TestApp, csv: &str, dry_run: bool) -> EntryReport {
    let request = BodyImportRequest {
        municipality: MUNICIPALITY,
        csv: csv.as_bytes(),
        dry_run,
    };
    app.app
        .import_city_bodies_csv(None, None, &request, &no_progress)
        .await
        .expect("the import runs")
}

async fn import_organisations(app: &TestApp, csv: &str, dry_run: bool) -> EntryReport {
    let request = OrganisationImportRequest {
        csv: csv.as_bytes(),
        dry_run,
    };
    app.app
        .import_organisations_csv(None, None, &request, &no_progress)
        .await
        .expect("the import runs")
}

fn outcomes(report: &EntryReport) -> Vec<(u64, Option<String>, Option<RowOutcome>)> {
    report
        .rows
        .iter()
        .map(|r| (r.line, r.slug.clone(), r.outcome.clone()))
        .collect()
}

fn problems(report: &EntryReport) -> Vec<(u64, String, String)> {
    report
        .rows
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| (r.line, p.field.clone(), p.code.clone()))
        })
        .collect()
}

async fn a_dry_run_of_bodies_writes_nothing_and_says_what_would_happen(app: TestApp) {
    let before = body_counts(&app).await;
    let report = import_bodies(
        &app,
        &format!("{NEW_BODIES}Kulturnämnden,committee,,\n"),
        true,
    )
    .await;
    assert!(!report.applied);
    assert!(!report.has_problems(), "{report:?}");
    assert_eq!(
        outcomes(&report),
        [
            (2, Some("klimatnamnden".into()), Some(RowOutcome::Created)),
            (
                3,
                Some("klimatforvaltningen".into()),
                Some(RowOutcome::Created)
            ),
            (
                5,
                Some("kulturnamnden".into()),
                Some(RowOutcome::Changed(vec!["description"]))
            ),
        ],
        "the quoted cell spans lines 3 and 4; the name matches Kulturnämnden"
    );
    assert_eq!(body_counts(&app).await, before, "nothing written");
    let snapshot = app.app.public().await.unwrap();
    assert!(
        !snapshot
            .city_bodies
            .iter()
            .any(|b| b.slug == "klimatnamnden")
    );
}

async fn bodies_with_problems_are_named_by_line_and_column_and_nothing_is_written(app: TestApp) {
    let before = body_counts(&app).await;
    let report = import_bodies(&app, BAD_BODIES, false).await;
    assert!(!report.applied);
    assert_eq!(report.failed_rows(), 2);
    assert_eq!(
        problems(&report),
        [
            (3, "kind".into(), "body-kind-missing".into()),
            (4, "parent".into(), "org-unknown-choice".into()),
        ]
    );
    assert_eq!(
        report.rows[0].outcome,
        Some(RowOutcome::Created),
        "the good row says what it would do"
    );
    assert_eq!(body_counts(&app).await, before, "not even the good row");

    // A header with an unknown column and without a required one.
    let report = import_bodies(&app, "name,colour\nX,blue\n", false).await;
    let header: Vec<(&str, &str)> = (report.file_problems.iter())
        .map(|p| (p.field.as_str(), p.code.as_str()))
        .collect();
    assert_eq!(
        header,
        [
            ("colour", "import-unknown-column"),
            ("kind", "import-missing-column")
        ]
    );
    assert_eq!(body_counts(&app).await, before);

    // An unknown municipality is the request's problem.
    let request = BodyImportRequest {
        municipality: "atlantis",
        csv: NEW_BODIES.as_bytes(),
        dry_run: true,
    };
    let result = (app.app)
        .import_city_bodies_csv(None, None, &request, &no_progress)
        .await;
    assert!(
        matches!(&result, Err(samverkan_app::Error::Validation(e)) if e[0].field == "municipality"),
        "{result:?}"
    );
}

async fn bodies_are_created_then_changed_or_left_unchanged(app: TestApp) {
    let before = body_counts(&app).await;
    let first = import_bodies(&app, NEW_BODIES, false).await;
    assert!(first.applied, "{first:?}");
    assert_eq!(
        body_counts(&app).await,
        [before[0] + 2, before[1] + 2],
        "two bodies, each audited"
    );
    let snapshot = app.app.public().await.unwrap();
    let made = (snapshot.city_bodies.iter())
        .find(|b| b.municipality == MUNICIPALITY && b.slug == "klimatforvaltningen")
        .expect("the public record shows the new body at once");
    assert_eq!(made.parent.as_deref(), Some("klimatnamnden"));
    assert_eq!(
        made.description,
        "Genomför nämndens uppdrag\nmed klimatfrågor."
    );

    // The same file again: unchanged, nothing written.
    let again = import_bodies(&app, NEW_BODIES, false).await;
    assert_eq!(again.count("unchanged"), 2, "{again:?}");
    assert_eq!(body_counts(&app).await, [before[0] + 2, before[1] + 2]);

    // By slug, a changed kind and name; columns left out are kept.
    let changed = import_bodies(
        &app,
        "slug,name,kind\nklimatnamnden,Klimat- och miljönämnden,committee\nklimatforvaltningen,Klimatförvaltningen,administration\n",
        false,
    )
    .await;
    assert_eq!(
        outcomes(&changed),
        [
            (
                2,
                Some("klimatnamnden".into()),
                Some(RowOutcome::Changed(vec!["name"]))
            ),
            (
                3,
                Some("klimatforvaltningen".into()),
                Some(RowOutcome::Unchanged)
            ),
        ]
    );
    let form = app.app.city_body_form("malmo/klimatnamnden").await.unwrap();
    assert_eq!(form.name, "Klimat- och miljönämnden");
    assert_eq!(form.description, "Ansvarar för klimatarbetet.");
    assert_eq!(
        body_counts(&app).await[1],
        before[1] + 3,
        "the change audited"
    );
}

/// A row of an organisations file: number, name, description; the legal
/// form is a non-profit association's.
fn organisation(number: &str, name: &str, description: &str) -> String {
    format!("{number},{name},ideell_forening,{description}\n")
}

const ORG_HEADER: &str = "org_number,name,legal_form,description\n";

async fn organisations_are_created_then_changed_and_those_with_members_are_kept(app: TestApp) {
    let before = organisation_counts(&app).await;
    let file = "org_number,name,legal_form,description,municipality,districts,challenges,website\n\
         8025550016,Klimatföreningen Gröna Malmö,ideell_forening,Planterar träd.,malmo,oster; vaster,ungas-halsa-och-livsstil,https://grona.example\n\
         802555-0024,Läsfrämjandet Söder,ideell_forening,Läser högt.,malmo,soder,,\n"
        .to_owned();
    let dry = import_organisations(&app, &file, true).await;
    assert_eq!(
        outcomes(&dry),
        [
            (
                2,
                Some("klimatforeningen-grona-malmo".into()),
                Some(RowOutcome::Created)
            ),
            (
                3,
                Some("lasframjandet-soder".into()),
                Some(RowOutcome::Created)
            ),
        ],
        "{dry:?}"
    );
    assert_eq!(
        organisation_counts(&app).await,
        before,
        "a dry run writes nothing"
    );

    let first = import_organisations(&app, &file, false).await;
    assert!(first.applied, "{first:?}");
    let after = organisation_counts(&app).await;
    assert_eq!(after[0], before[0] + 2);
    assert_eq!(after[1], before[1] + 3, "three districts");
    assert!(after[2] > before[2], "the challenge");
    assert_eq!(after[4], before[4] + 2, "each audited");
    let made = app
        .app
        .organisation("klimatforeningen-grona-malmo")
        .await
        .expect("in the directory at once");
    assert_eq!(made.org_number.as_deref(), Some("802555-0016"));
    assert_eq!(made.website.as_deref(), Some("https://grona.example"));
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id WHERE o.slug = 'klimatforeningen-grona-malmo'"
        )
        .await,
        0,
        "nobody owns an imported organisation"
    );

    // Again, with one description changed: changed and unchanged.
    let second = import_organisations(
        &app,
        &file.replace("Läser högt.", "Läser högt för barn."),
        false,
    )
    .await;
    assert_eq!(
        outcomes(&second)
            .into_iter()
            .map(|(_, _, o)| o)
            .collect::<Vec<_>>(),
        [
            Some(RowOutcome::Unchanged),
            Some(RowOutcome::Changed(vec!["description"]))
        ]
    );
    let now = organisation_counts(&app).await;
    assert_eq!(now[3], after[3] + 1, "one version moved");
    assert_eq!(now[0], after[0]);

    // An organisation with members is kept by them; a bad number and a
    // number given twice are named; nothing is written.
    let kept = format!(
        "{ORG_HEADER}{}{}{}{}",
        organisation("802451-3387", "Bollklubben", "Fotboll."),
        organisation("802555-0031", "Fel nummer", "Text."),
        organisation("802555-0040", "Ny förening", "Text."),
        organisation("8025550040", "Ny förening igen", "Text."),
    );
    let report = import_organisations(&app, &kept, false).await;
    assert_eq!(
        problems(&report),
        [
            (2, "org_number".into(), "org-import-kept".into()),
            (3, "org_number".into(), "org-number-invalid".into()),
            (5, "org_number".into(), "import-twice".into()),
        ]
    );
    assert_eq!(organisation_counts(&app).await, now);
}

async fn keepers_check_and_apply_bodies_from_the_web_in_either_language(app: TestApp) {
    let (coordinator, _) = app.coordinator_of("malmoandan").await;
    let page = coordinator
        .get(app.url(&format!("{BODIES}?municipality=malmo")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert_has(&html, "Importera nämnder från CSV");
    assert_has(&html, "<option value=\"malmo\" selected>");
    let token = csrf_in(&html).expect("the form carries the token");
    let before = body_counts(&app).await;

    // The file is checked; nothing is written; the report names the lines.
    let res = app
        .upload(
            &coordinator,
            BODIES,
            &[
                ("municipality", None, MUNICIPALITY),
                ("csv_file", Some("namnder.csv"), NEW_BODIES),
                ("csv_text", None, ""),
                ("csrf_token", None, &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_has(&html, "<th scope=\"row\">3</th>");
    assert_has(&html, "Ny");
    assert_has(&html, "/city-bodies/import/apply");
    assert_has(&html, "med klimatfrågor.");
    assert_eq!(body_counts(&app).await, before);

    // Without the token: refused before the handler.
    let res = app
        .upload(&coordinator, BODIES, &[("csv_text", None, NEW_BODIES)])
        .await;
    assert_eq!(res.status(), 403);

    // A bad paste: 422, the text kept, the problems by line and column in
    // Swedish.
    let res = app
        .upload(
            &coordinator,
            BODIES,
            &[
                ("municipality", None, MUNICIPALITY),
                ("csv_text", None, BAD_BODIES),
                ("csrf_token", None, &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "error-summary");
    assert_has(&html, "Rad 3, kind: Välj vilket slags organ det är.");
    assert_has(&html, "Rad 4, parent");
    assert_has(&html, "Vattenförvaltningen,administration,vattennamnden");
    assert_has(&html, "Går inte");
    assert!(!html.contains("/city-bodies/import/apply"));

    // The same in English.
    let res = app
        .upload(
            &coordinator,
            &format!("{BODIES}?lang=en"),
            &[
                ("municipality", None, MUNICIPALITY),
                ("csv_text", None, BAD_BODIES),
                ("csrf_token", None, &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Import city bodies from CSV");
    assert_has(&html, "Line 3, kind: Choose what kind of body it is.");
    assert_has(&html, "Not possible");

    // An unknown municipality: the field's problem, the text kept.
    let res = app
        .upload(
            &coordinator,
            BODIES,
            &[
                ("municipality", None, "atlantis"),
                ("csv_text", None, NEW_BODIES),
                ("csrf_token", None, &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "municipality-error");
    assert_has(&html, "Klimatnämnden,committee");

    // Nothing to check (in English still: the language chosen stays).
    let res = app
        .upload(
            &coordinator,
            BODIES,
            &[
                ("municipality", None, MUNICIPALITY),
                ("csv_text", None, " \n"),
                ("csrf_token", None, &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Choose a file or paste CSV text.",
    );

    // Apply: written, and on to the city bodies.
    let res = app
        .post_from(
            &coordinator,
            BODIES,
            &format!("{BODIES}/apply"),
            &[("municipality", MUNICIPALITY), ("csv_text", NEW_BODIES)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/city-bodies?municipality=malmo");
    assert_eq!(body_counts(&app).await[0], before[0] + 2);
    let (_, list) = app.text("/city-bodies?municipality=malmo").await;
    assert_has(&list, "Klimatförvaltningen");

    // Applying a text with problems shows the report again (422).
    let res = app
        .post_from(
            &coordinator,
            BODIES,
            &format!("{BODIES}/apply"),
            &[("municipality", MUNICIPALITY), ("csv_text", BAD_BODIES)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(body_counts(&app).await[0], before[0] + 2);
}

async fn platform_admins_import_organisations_from_the_web(app: TestApp) {
    let (admin, _) = app.platform_admin().await;
    let token = app.csrf_of(&admin, ORGANISATIONS).await;
    let before = organisation_counts(&app).await;
    let good = format!(
        "{ORG_HEADER}{}",
        organisation("802555-0016", "Klimatföreningen", "Planterar träd.")
    );
    let res = app
        .upload(
            &admin,
            ORGANISATIONS,
            &[("csv_text", None, &good), ("csrf_token", None, &token)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_has(&html, "/organisations/import/apply");
    assert_eq!(organisation_counts(&app).await, before);

    // Problems in Swedish and in English, worded from the form's codes.
    let bad = format!(
        "{ORG_HEADER}{}",
        organisation("802451-3387", "Bollklubben", "Fotboll.")
    );
    let res = app
        .upload(
            &admin,
            ORGANISATIONS,
            &[("csv_text", None, &bad), ("csrf_token", None, &token)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Rad 2, org_number: Bollklubben Rosengårdsstjärnan har medlemmar på plattformen",
    );
    let res = app
        .upload(
            &admin,
            &format!("{ORGANISATIONS}?lang=en"),
            &[("csv_text", None, &bad), ("csrf_token", None, &token)],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_has(
        &res.text().await.unwrap(),
        "Line 2, org_number: Bollklubben Rosengårdsstjärnan has members on the platform",
    );

    let res = app
        .post_from(
            &admin,
            ORGANISATIONS,
            &format!("{ORGANISATIONS}/apply"),
            &[("csv_text", &good)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/organisations");
    assert_eq!(organisation_counts(&app).await[0], before[0] + 1);
    let (status, _) = app.text("/organisations/klimatforeningen").await;
    assert_eq!(status, 200);
}

async fn others_may_not_import_the_directory(app: TestApp) {
    let res = app.get(BODIES).await;
    assert_eq!(res.status(), 303, "a visitor is sent to sign in");
    let (official, _) = app.official_of("malmo/kulturnamnden").await;
    let (member, _) = app
        .person(
            "member",
            &[Grant::Member("bollklubben-rosengardsstjarnan", "admin")],
        )
        .await;
    let (coordinator, _) = app.coordinator_of("malmoandan").await;
    for client in [&official, &member] {
        for path in [BODIES, ORGANISATIONS] {
            let res = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 403, "{path}");
        }
    }
    let res = coordinator
        .get(app.url(ORGANISATIONS))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        403,
        "a coordinator keeps bodies, not organisations"
    );
    let res = coordinator.get(app.url(BODIES)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // The use cases ask again.
    let roles = samverkan_app::roles::Roles::default();
    let bodies = BodyImportRequest {
        municipality: MUNICIPALITY,
        csv: NEW_BODIES.as_bytes(),
        dry_run: true,
    };
    let result = (app.app)
        .import_city_bodies_csv(None, Some(&roles), &bodies, &no_progress)
        .await;
    assert!(matches!(result, Err(samverkan_app::Error::Forbidden(_))));
    let organisations = OrganisationImportRequest {
        csv: b"",
        dry_run: true,
    };
    let result = (app.app)
        .import_organisations_csv(None, Some(&roles), &organisations, &no_progress)
        .await;
    assert!(matches!(result, Err(samverkan_app::Error::Forbidden(_))));
}

async fn the_command_line_imports_bodies_and_organisations(app: TestApp) {
    let url = app.database_url().await;
    let dir = std::env::temp_dir().join(format!("samverkan_directory_{}", app.addr.port()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let bodies = write("bodies.csv", NEW_BODIES);
    let bad_bodies = write("bad-bodies.csv", BAD_BODIES);
    let organisations = write(
        "organisations.csv",
        &format!(
            "{ORG_HEADER}{}",
            organisation("802555-0016", "Klimatföreningen", "Planterar träd.")
        ),
    );
    let before = body_counts(&app).await;

    let (code, help, _) = crate::run_cli(&url, &["import", "--help"]);
    assert_eq!(code, 0);
    assert_has(&help, "city-bodies");
    assert_has(&help, "organisations");
    assert_has(&help, "--municipality");

    // City bodies need their municipality; the other kinds keep their flags.
    let (code, _, stderr) = crate::run_cli(&url, &["import", "city-bodies", &bodies]);
    assert_eq!(code, 2, "{stderr}");
    assert_has(&stderr, "--municipality");
    let (code, _, stderr) = crate::run_cli(&url, &["import", "records", &bodies]);
    assert_eq!(code, 2, "{stderr}");
    assert_has(&stderr, "--agreement");

    let args = ["import", "city-bodies", &bodies, "--municipality", "malmo"];
    let (code, stdout, stderr) = crate::run_cli(&url, &[&args[..], &["--dry-run"]].concat());
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(&stdout, "line 2: klimatnamnden 'Klimatnämnden' created");
    assert_has(&stdout, "Dry run, nothing written. 2 rows: 2 created");
    assert_eq!(body_counts(&app).await, before);

    let (code, stdout, stderr) = crate::run_cli(
        &url,
        &[
            "import",
            "city-bodies",
            &bad_bodies,
            "--municipality",
            "malmo",
        ],
    );
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert_has(&stderr, "line 3: problem in kind");
    assert_has(&stderr, "line 4: problem in parent");
    assert_has(&stderr, "2 of 3 rows have problems; nothing was written");
    assert!(
        !stdout.contains("problem"),
        "problems go to stderr: {stdout}"
    );
    assert_eq!(body_counts(&app).await, before);

    let (code, stdout, stderr) = crate::run_cli(&url, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(&stdout, "Imported 2 rows: 2 created");
    assert_eq!(body_counts(&app).await[0], before[0] + 2);
    let (_, again, _) = crate::run_cli(&url, &args);
    assert_has(&again, "Imported 2 rows: 0 created, 0 changed, 2 unchanged");

    let (code, stdout, stderr) = crate::run_cli(&url, &["import", "organisations", &organisations]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_has(
        &stdout,
        "line 2: klimatforeningen 'Klimatföreningen' created",
    );
    assert_has(&stdout, "Imported 1 rows: 1 created");
    assert!(app.app.organisation("klimatforeningen").await.is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

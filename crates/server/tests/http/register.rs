//! The collaboration register on the web: officials keep their body's
//! records (refused input worded with every typed value kept, another
//! body's records out of reach, a stale edit refused with 409), the public
//! register with its filters and key figures, and the remarks of the
//! organisations a record names with the keepers' answers.

use crate::assert_has;
use samverkan_app::register::{Record, RecordFilter, RecordForm};
use samverkan_testkit::{TestApp, both_backends};

both_backends!(
    an_official_creates_a_record_that_shows_on_the_register_and_its_page,
    bad_input_is_refused_with_each_problem_worded_and_the_typed_text_kept,
    an_official_of_another_body_cannot_keep_kulturnamndens_records,
    a_stale_edit_is_refused_with_the_typed_text_kept_and_nothing_overwritten,
    a_named_organisation_flags_a_mistake_and_the_keeper_answers_once,
    the_register_filters_by_body_form_year_and_organisation,
    the_register_pages_in_fifties_and_counts_every_page,
    a_title_with_markup_comes_out_as_text,
    an_organisation_without_a_number_stays_named_through_edit_export_and_import,
);

const AGREEMENT: &str = "malmoandan";
/// Organisations in the demonstration register, with their numbers.
const ORG_A: (&str, &str) = ("bollklubben-rosengardsstjarnan", "802451-3387");
const ORG_B: (&str, &str) = ("kroksbacks-box-och-kampsportsklubb", "802467-1029");
const ORG_C: &str = "simsallskapet-oresundsvagen";

fn register_path() -> String {
    format!("/agreements/{AGREEMENT}/register")
}

/// Every page of a register list (`path` with or without a filter), one
/// after the other: the list pages in 50s.
async fn all_pages(app: &TestApp, path: &str) -> (u16, String) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut all = String::new();
    for n in 1.. {
        let (status, html) = app.text(&format!("{path}{sep}page={n}")).await;
        if status != 200 {
            return (status, html);
        }
        let more = html.contains("rel=\"next\"");
        all.push_str(&html);
        if !more {
            break;
        }
    }
    (200, all)
}

fn new_path() -> String {
    format!("/agreements/{AGREEMENT}/register/new")
}

/// A good record of kulturnämnden with organisation A, 2021–2022.
fn good_record() -> RecordForm {
    RecordForm {
        body: "kulturnamnden".into(),
        form: "iop".into(),
        title: "IOP om läxhjälp på biblioteken".into(),
        description: "Läxhjälp två kvällar i veckan på tre bibliotek.".into(),
        outcome: "80 elever kom varje termin.".into(),
        starts_on: "2021-01-01".into(),
        ends_on: "2022-12-31".into(),
        organisations: ORG_A.1.into(),
        money: "2021: 100000\n2022: 150000".into(),
        total: "250000".into(),
        district: "oster".into(),
        challenge: "jamlik-fritid-och-kultur".into(),
        activity: "2018-2022/avgiftsfria-lovaktiviteter".into(),
        principles: "oppenhet-och-insyn".into(),
        version: String::new(),
    }
}

/// The form's fields as posted; the principles as repeated checkboxes.
fn fields_of(form: &RecordForm) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("body", &form.body),
        ("form", &form.form),
        ("title", &form.title),
        ("description", &form.description),
        ("outcome", &form.outcome),
        ("starts_on", &form.starts_on),
        ("ends_on", &form.ends_on),
        ("organisations", &form.organisations),
        ("money", &form.money),
        ("total", &form.total),
        ("district", &form.district),
        ("challenge", &form.challenge),
        ("activity", &form.activity),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    for p in form
        .principles
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        fields.push(("principles".into(), p.to_owned()));
    }
    if !form.version.is_empty() {
        fields.push(("version".into(), form.version.clone()));
    }
    fields
}

/// Creates a record through the form and returns its page's path.
async fn create(app: &TestApp, client: &reqwest::Client, form: &RecordForm) -> String {
    let res = app
        .post_form(client, &new_path(), &new_path(), &fields_of(form))
        .await;
    if res.status() != 303 {
        let status = res.status();
        let html = res.text().await.unwrap();
        let summary = html
            .split("error-summary")
            .nth(1)
            .unwrap_or(&html)
            .chars()
            .take(1500)
            .collect::<String>();
        panic!("the record was refused ({status}): {summary}");
    }
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let (path, done) = location.split_once('?').expect("a notice");
    assert_eq!(done, "done=record-created");
    assert!(path.starts_with(&format!("{}/", register_path())), "{path}");
    path.to_owned()
}

/// The stored record of a record page's path.
async fn stored(app: &TestApp, path: &str) -> Record {
    let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    app.app.record(&register, id).await.unwrap()
}

/// Money as the Swedish pages write it: "150 000 kr" with no-break spaces.
fn kronor(amount: i64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    format!("{out}\u{a0}kr")
}

async fn an_official_creates_a_record_that_shows_on_the_register_and_its_page(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    // A visitor sees the register but no link to add to it.
    let (status, html) = app.text(&register_path()).await;
    assert_eq!(status, 200);
    assert_has(&html, "<h1>Samverkansregistret</h1>");
    assert_has(&html, "aria-current=\"page\">Samverkansregistret</a>");
    assert!(!html.contains(&format!("href=\"{}\"", new_path())));
    assert_has(
        &html,
        &format!("href=\"/api/v1/agreements/{AGREEMENT}/register?format=csv\""),
    );
    assert_has(
        &html,
        &format!("href=\"/api/v1/agreements/{AGREEMENT}/register\""),
    );
    // The official gets the link, and a form for their own body only.
    let (_, html) = app.page(&official, &register_path()).await;
    assert_has(&html, &format!("href=\"{}\">Ny post</a>", new_path()));
    let (status, form) = app.page(&official, &new_path()).await;
    assert_eq!(status, 200);
    assert_has(
        &form,
        "<option value=\"kulturnamnden\">Kulturnämnden</option>",
    );
    assert!(
        !form.contains("value=\"fritidsnamnden\""),
        "only their body"
    );
    assert_has(&form, "IOP – idéburet offentligt partnerskap");
    assert_has(&form, "Lokaler som ställs till förfogande");
    assert_has(&form, "aria-describedby=\"organisations-hint\"");
    assert_has(&form, "<legend>Principer som samverkan för framåt</legend>");
    assert!(!form.contains("type=\"date\""), "dates are text fields");
    // Saved: the record page shows everything in it.
    let path = create(&app, &official, &good_record()).await;
    let (status, html) = app
        .page(&official, &format!("{path}?done=record-created"))
        .await;
    assert_eq!(status, 200);
    assert_has(&html, "<h1>IOP om läxhjälp på biblioteken</h1>");
    assert_has(&html, "Posten är sparad i samverkansregistret.");
    assert_has(&html, "Bollklubben Rosengårdsstjärnan</a>");
    assert_has(&html, "(802451-3387)");
    assert_has(&html, "IOP – idéburet offentligt partnerskap");
    assert_has(&html, "1 januari 2021 – 31 december 2022");
    assert_has(&html, &kronor(150_000));
    assert_has(&html, &kronor(250_000));
    assert_has(
        &html,
        &format!(
            "href=\"/agreements/{AGREEMENT}/plans/2018-2022/activities/avgiftsfria-lovaktiviteter\""
        ),
    );
    assert_has(
        &html,
        &format!("href=\"/agreements/{AGREEMENT}/challenges/jamlik-fritid-och-kultur\""),
    );
    assert_has(&html, "80 elever kom varje termin.");
    assert_has(&html, &format!("href=\"{path}/edit\""));
    // A visitor reads the same record, without the edit link or remarks.
    let (status, public) = app.text(&path).await;
    assert_eq!(status, 200);
    assert_has(&public, "IOP om läxhjälp på biblioteken");
    assert!(!public.contains(&format!("{path}/edit")));
    assert!(!public.contains("id=\"remarks\""));
    // The register lists it with its body, form, organisations and money.
    let (_, html) = all_pages(&app, &register_path()).await;
    let row = html
        .split(&format!("href=\"{path}\""))
        .nth(1)
        .expect("the record is listed")
        .split("</tr>")
        .next()
        .unwrap();
    assert_has(row, "IOP om läxhjälp på biblioteken");
    assert_has(row, "Kulturnämnden");
    assert_has(row, "IOP – idéburet offentligt partnerskap");
    assert_has(row, "Bollklubben Rosengårdsstjärnan");
    assert_has(row, "802451-3387");
    assert_has(row, &kronor(250_000));
    // In English, with the form's English label.
    let (_, en) = app.text(&format!("{path}?lang=en")).await;
    assert_has(&en, "IOP – idea-based public partnership");
    assert_has(&en, "Money per year");
    let (_, en) = app.text(&format!("{}?lang=en", register_path())).await;
    assert_has(&en, "The collaboration register");
    // Unknown records are 404.
    for missing in ["999999", "inte-ett-nummer"] {
        let (status, _) = app.text(&format!("{}/{missing}", register_path())).await;
        assert_eq!(status, 404, "{missing}");
    }
}

async fn bad_input_is_refused_with_each_problem_worded_and_the_typed_text_kept(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let mut bad = good_record();
    bad.organisations = format!("{}\n556016-0680", ORG_A.1);
    bad.money = "2021: 100000\n2019: 5000\n2022: 150000".into();
    bad.total = "300000".into();
    bad.activity = "2018-2022/finns-inte".into();
    bad.outcome = "Ett resultat som ska finnas kvar.".into();
    let res = app
        .post_form(&official, &new_path(), &new_path(), &fields_of(&bad))
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    // Each problem, worded, in the summary linking to its field.
    assert_has(&html, "class=\"error-summary\"");
    assert_has(
        &html,
        "<a href=\"#organisations\">Det finns ingen organisation med nummer 556016-0680 i organisationsregistret.",
    );
    assert_has(&html, "registrera organisationen först");
    assert_has(&html, "href=\"/organisations/new\"");
    assert_has(
        &html,
        "<a href=\"#money\">2019 ligger utanför samverkans period.",
    );
    assert_has(
        &html,
        &format!(
            "Åren blir tillsammans {}. Men summan säger {}.",
            kronor(250_000),
            kronor(300_000)
        ),
    );
    assert_has(
        &html,
        "<a href=\"#activity\">2018-2022/finns-inte är ingen aktivitet i samarbetsplanerna.",
    );
    assert!(
        !html.contains("record-org-unknown"),
        "no untranslated codes"
    );
    // Every typed value is kept.
    assert_has(&html, "value=\"IOP om läxhjälp på biblioteken\"");
    assert_has(
        &html,
        "Läxhjälp två kvällar i veckan på tre bibliotek.</textarea>",
    );
    assert_has(&html, "Ett resultat som ska finnas kvar.</textarea>");
    assert_has(&html, "802451-3387\n556016-0680</textarea>");
    assert_has(&html, "2021: 100000\n2019: 5000\n2022: 150000</textarea>");
    assert_has(&html, "name=\"total\" type=\"text\"");
    assert_has(&html, "value=\"300000\"");
    assert_has(&html, "value=\"2021-01-01\"");
    assert_has(&html, "value=\"2022-12-31\"");
    assert_has(&html, "<option value=\"kulturnamnden\" selected>");
    assert_has(&html, "<option value=\"iop\" selected>");
    assert_has(&html, "<option value=\"oster\" selected>");
    assert_has(
        &html,
        "<option value=\"jamlik-fritid-och-kultur\" selected>",
    );
    assert_has(&html, "<option value=\"2018-2022/finns-inte\" selected>");
    assert_has(&html, "value=\"oppenhet-och-insyn\" checked");
    assert_has(&html, "aria-describedby=\"money-hint money-error\"");
    // A missing title and a date that is not one.
    let mut bad = good_record();
    bad.title = String::new();
    bad.starts_on = "1 mars".into();
    bad.money = String::new();
    bad.total = String::new();
    let res = app
        .post_form(&official, &new_path(), &new_path(), &fields_of(&bad))
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "Ge samverkan en titel med högst 200 tecken.");
    assert_has(
        &html,
        "1 mars är inget datum. Skriv datumet som 2024-03-31.",
    );
    assert_has(&html, "value=\"1 mars\"");
    // Nothing was saved.
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let records = app
        .app
        .records(&register, &RecordFilter::default())
        .await
        .unwrap();
    assert!(!records.iter().any(|r| r.title.contains("läxhjälp")));
}

async fn an_official_of_another_body_cannot_keep_kulturnamndens_records(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let other = app.official_of("malmo/fritidsnamnden").await.0;
    let path = create(&app, &official, &good_record()).await;
    // The other official keeps records too, but not kulturnämnden's.
    let (status, form) = app.page(&other, &new_path()).await;
    assert_eq!(status, 200);
    assert_has(&form, "<option value=\"fritidsnamnden\">");
    assert!(!form.contains("<option value=\"kulturnamnden\""));
    let mut forged = good_record();
    forged.title = "Smugglad post".into();
    let res = app
        .post_form(&other, &register_path(), &new_path(), &fields_of(&forged))
        .await;
    assert_eq!(res.status(), 403);
    let (status, _) = app.page(&other, &format!("{path}/edit")).await;
    assert_eq!(status, 403);
    let before = stored(&app, &path).await;
    let mut edit = before.to_form();
    edit.title = "Övertagen post".into();
    let res = app
        .post_form(&other, &path, &format!("{path}/edit"), &fields_of(&edit))
        .await;
    assert_eq!(res.status(), 403);
    // Moving its own record to kulturnämnden is refused as well.
    let mut own = good_record();
    own.body = "fritidsnamnden".into();
    own.title = "Fritidens post".into();
    let own_path = create(&app, &other, &own).await;
    let mut moved = stored(&app, &own_path).await.to_form();
    moved.body = "kulturnamnden".into();
    let res = app
        .post_form(
            &other,
            &own_path,
            &format!("{own_path}/edit"),
            &fields_of(&moved),
        )
        .await;
    assert_eq!(res.status(), 403);
    let after = stored(&app, &path).await;
    assert_eq!(after.title, before.title, "nothing overwritten");
    assert_eq!(after.version, before.version);
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let records = app
        .app
        .records(&register, &RecordFilter::default())
        .await
        .unwrap();
    assert!(!records.iter().any(|r| r.title == "Smugglad post"));
    assert_eq!(stored(&app, &own_path).await.body.slug, "fritidsnamnden");
    // An organisation's member keeps no records; a visitor is sent to sign in.
    let (member, _) = app.member_of(ORG_A.0, "admin").await;
    assert_eq!(app.page(&member, &new_path()).await.0, 403);
    assert_eq!(app.page(&member, &format!("{path}/edit")).await.0, 403);
    let res = app.get(&new_path()).await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
}

async fn a_stale_edit_is_refused_with_the_typed_text_kept_and_nothing_overwritten(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let coordinator = app.coordinator_of(AGREEMENT).await.0;
    let path = create(&app, &official, &good_record()).await;
    let edit = format!("{path}/edit");
    let opened = stored(&app, &path).await;
    // Both open the form on the same version; it is filled from the record.
    let (status, html) = app.page(&official, &edit).await;
    assert_eq!(status, 200);
    assert_has(
        &html,
        &format!("name=\"version\" value=\"{}\"", opened.version),
    );
    assert_has(&html, "2021: 100000\n2022: 150000</textarea>");
    assert_has(&html, "802451-3387</textarea>");
    assert_eq!(app.page(&coordinator, &edit).await.0, 200);
    let mut first = opened.to_form();
    first.title = "IOP om läxhjälp och läsfrämjande".into();
    let res = app
        .post_form(&official, &edit, &edit, &fields_of(&first))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{path}?done=record-saved").as_str()
    );
    let mut second = opened.to_form();
    second.outcome = "Samordnarens egen text om resultatet.".into();
    let res = app
        .post_form(&coordinator, &edit, &edit, &fields_of(&second))
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Någon annan har ändrat posten medan du skrev");
    // What is stored now, beside what this person typed…
    assert_has(&html, "IOP om läxhjälp och läsfrämjande");
    assert_has(&html, "<th scope=\"row\">Titel</th>");
    // …which is kept in the form, with the newer version to save over.
    assert_has(&html, "Samordnarens egen text om resultatet.</textarea>");
    assert_has(&html, "value=\"IOP om läxhjälp på biblioteken\"");
    assert_has(
        &html,
        &format!("name=\"version\" value=\"{}\"", opened.version + 1),
    );
    let now = stored(&app, &path).await;
    assert_eq!(now.title, first.title, "the first edit stands");
    assert_eq!(now.outcome, opened.outcome, "the stale edit wrote nothing");
    assert_eq!(now.version, opened.version + 1);
    // Saving again on purpose, from the newer version, goes through.
    second.version = (opened.version + 1).to_string();
    let res = app
        .post_form(&coordinator, &edit, &edit, &fields_of(&second))
        .await;
    assert_eq!(res.status(), 303);
    let now = stored(&app, &path).await;
    assert_eq!(now.outcome, second.outcome);
    assert_eq!(now.version, opened.version + 2);
}

/// What organisation A's member writes: a mistake in the record.
const MISTAKE: &str = "Beloppet för 2022 ska vara 120 000 kr, inte 150 000 kr.";

async fn a_named_organisation_flags_a_mistake_and_the_keeper_answers_once(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let mut form = good_record();
    form.organisations = format!("{}\n{}", ORG_A.1, ORG_B.1);
    let path = create(&app, &official, &form).await;
    let (a, _) = app.member_of(ORG_A.0, "member").await;
    let (b, _) = app.member_of(ORG_B.0, "member").await;
    let (c, _) = app.member_of(ORG_C, "admin").await;
    a_member_of_a_named_organisation_flags_a_mistake(&app, &a, &path).await;
    only_the_organisation_that_wrote_it_sees_it_or_writes_in_its_name(&app, &b, &c, &path).await;
    the_keeper_answers_it_once(&app, &official, &a, &path).await;
}

/// A member of a named organisation gets the remark form; an empty text
/// comes back worded, with the choice kept; the remark is then saved and
/// waits for an answer.
async fn a_member_of_a_named_organisation_flags_a_mistake(
    app: &TestApp,
    a: &reqwest::Client,
    path: &str,
) {
    let remarks = format!("{path}/remarks");
    let (_, html) = app.page(a, path).await;
    assert_has(&html, "Lämna en synpunkt eller påpeka ett fel");
    assert_has(&html, "<legend>Vad gäller det?</legend>");
    assert_has(&html, &format!("<option value=\"{}\"", ORG_A.0));
    assert!(!html.contains(&format!("<option value=\"{}\"", ORG_B.0)));
    let res = app
        .post_form(
            a,
            path,
            &remarks,
            &[
                ("organisation", ORG_A.0),
                ("kind", "mistake"),
                ("body", "   "),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(&html, "<a href=\"#remark-body\">Skriv din synpunkt");
    assert_has(&html, "value=\"mistake\" checked");
    let res = app
        .post_form(
            a,
            path,
            &remarks,
            &[
                ("organisation", ORG_A.0),
                ("kind", "mistake"),
                ("body", MISTAKE),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("{path}?done=remark-added#remarks").as_str()
    );
    let (_, html) = app.page(a, path).await;
    assert_has(&html, MISTAKE);
    assert_has(&html, "Något i posten är fel");
    assert_has(&html, "Väntar på svar");
}

/// The other named organisation (`b`) sees only its own remarks, and
/// cannot write for the first; an organisation the record does not name
/// (`c`) is refused, and sees nothing; the public sees no remarks.
async fn only_the_organisation_that_wrote_it_sees_it_or_writes_in_its_name(
    app: &TestApp,
    b: &reqwest::Client,
    c: &reqwest::Client,
    path: &str,
) {
    let remarks = format!("{path}/remarks");
    let (status, html) = app.page(b, path).await;
    assert_eq!(status, 200);
    assert_has(&html, "id=\"remarks\"");
    assert!(!html.contains(MISTAKE), "B does not see A's remark");
    let forged = [
        ("organisation", ORG_A.0),
        ("kind", "comment"),
        ("body", "Vi skriver i A:s namn."),
    ];
    let res = app.post_form(b, path, &remarks, &forged).await;
    assert_eq!(res.status(), 403);
    let res = app.post_form(c, path, &remarks, &forged).await;
    assert_eq!(res.status(), 403);
    let (_, html) = app.page(c, path).await;
    assert!(!html.contains(MISTAKE));
    assert!(!html.contains("id=\"remarks\""));
    let (_, public) = app.text(path).await;
    assert!(!public.contains(MISTAKE), "remarks are not public");
}

/// The keeper sees the remark with a form to answer it; an empty answer is
/// worded at its field; a member cannot answer; the answer reaches the
/// member; a second answer is refused and the first stands.
async fn the_keeper_answers_it_once(
    app: &TestApp,
    official: &reqwest::Client,
    a: &reqwest::Client,
    path: &str,
) {
    let answer = format!("{path}/remarks/answer");
    let (_, html) = app.page(official, path).await;
    assert_has(&html, MISTAKE);
    let id = html
        .split("name=\"remark\" value=\"")
        .nth(1)
        .expect("an answer form")
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let res = app
        .post_form(
            official,
            path,
            &answer,
            &[("remark", id.as_str()), ("response", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_has(
        &html,
        &format!("<a href=\"#response-{id}\">Skriv ditt svar, med högst 2 000 tecken.</a>"),
    );
    let res = app
        .post_form(
            a,
            path,
            &answer,
            &[("remark", id.as_str()), ("response", "Själv")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let reply = "Tack, beloppet är rättat.";
    let res = app
        .post_form(
            official,
            path,
            &answer,
            &[("remark", id.as_str()), ("response", reply)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.page(a, path).await;
    assert_has(&html, reply);
    assert!(!html.contains("Väntar på svar"));
    let res = app
        .post_form(
            official,
            path,
            &answer,
            &[("remark", id.as_str()), ("response", "Ett andra svar.")],
        )
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    assert_has(&html, "Synpunkten har redan fått ett svar");
    assert!(!html.contains("Ett andra svar."));
    assert_has(&html, reply);
}

async fn the_register_filters_by_body_form_year_and_organisation(app: TestApp) {
    let culture = app.official_of("malmo/kulturnamnden").await.0;
    let leisure = app.official_of("malmo/fritidsnamnden").await.0;
    let first = create(&app, &culture, &good_record()).await;
    let second_form = RecordForm {
        body: "fritidsnamnden".into(),
        form: "network".into(),
        title: "Nätverk för kampsport i Kroksbäck".into(),
        description: "Tränare från klubbarna träffas varje månad.".into(),
        starts_on: "2023-01-01".into(),
        ends_on: "2023-12-31".into(),
        organisations: ORG_B.1.into(),
        money: "2023: 50000".into(),
        ..RecordForm::default()
    };
    let second = create(&app, &leisure, &second_form).await;
    let listed = |html: &str, path: &str| html.contains(&format!("href=\"{path}\""));
    let (_, all) = all_pages(&app, &register_path()).await;
    assert!(listed(&all, &first) && listed(&all, &second));
    let by_organisation = format!("organisation={}", ORG_B.0);
    for (query, filter, in_first, in_second) in [
        (
            "body=kulturnamnden",
            RecordFilter {
                body: "kulturnamnden".into(),
                ..RecordFilter::default()
            },
            true,
            false,
        ),
        (
            "form=network",
            RecordFilter {
                form: "network".into(),
                ..RecordFilter::default()
            },
            false,
            true,
        ),
        (
            "year=2022",
            RecordFilter {
                year: "2022".into(),
                ..RecordFilter::default()
            },
            true,
            false,
        ),
        (
            by_organisation.as_str(),
            RecordFilter {
                organisation: ORG_B.0.into(),
                ..RecordFilter::default()
            },
            false,
            true,
        ),
    ] {
        let (status, html) = all_pages(&app, &format!("{}?{query}", register_path())).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(listed(&html, &first), in_first, "{query}: the first");
        assert_eq!(listed(&html, &second), in_second, "{query}: the second");
        key_figures_and_links_follow_the_filter(&app, &html, query, &filter).await;
    }
    // The year's money only: 150 000 kr of the first record in 2022.
    let (_, html) = app
        .text(&format!("{}?year=2022&body=kulturnamnden", register_path()))
        .await;
    let row = html
        .split(&format!("href=\"{first}\""))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert_has(row, &kronor(150_000));
    assert_has(&html, "Pengar 2022</th>");
    // An unknown value is a 400 naming it, not an empty list.
    for (query, named) in [
        ("body=finns-inte", "finns-inte"),
        ("form=bidrag", "bidrag"),
        ("year=tjugo", "tjugo"),
        ("organisation=okand-forening", "okand-forening"),
    ] {
        let (status, html) = app.text(&format!("{}?{query}", register_path())).await;
        assert_eq!(status, 400, "{query}");
        assert_has(&html, named);
    }
}

/// The register's page for `query` (`html`) shows the key figures of the
/// records shown (those `filter` gives; the money of 2022 when filtered by
/// that year), and keeps the filter in the form and in the open-data links.
async fn key_figures_and_links_follow_the_filter(
    app: &TestApp,
    html: &str,
    query: &str,
    filter: &RecordFilter,
) {
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let records = app.app.records(&register, filter).await.unwrap();
    assert_has(html, &format!("<dt>Poster</dt><dd>{}</dd>", records.len()));
    let money: i64 = if filter.year.is_empty() {
        records.iter().map(|r| r.total_sek).sum()
    } else {
        records.iter().map(|r| r.amount_in(2022)).sum()
    };
    let label = if filter.year.is_empty() {
        "Pengar totalt".to_owned()
    } else {
        "Pengar 2022".to_owned()
    };
    assert_has(html, &format!("<dt>{label}</dt><dd>{}</dd>", kronor(money)));
    let (name, value) = query.split_once('=').unwrap();
    assert_has(html, &format!("<option value=\"{value}\" selected>"));
    assert_has(
        html,
        &format!("/api/v1/agreements/{AGREEMENT}/register?{name}={value}&amp;format=csv"),
    );
}

async fn a_title_with_markup_comes_out_as_text(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let mut form = good_record();
    form.title = "<script>alert(1)</script> & \"co\"".into();
    form.description = "<img src=x onerror=alert(2)>".into();
    let path = create(&app, &official, &form).await;
    let listed = format!("{}?organisation={}", register_path(), ORG_A.0);
    for target in [path.clone(), listed, format!("{path}/edit")] {
        let (status, html) = app.page(&official, &target).await;
        assert_eq!(status, 200, "{target}");
        assert!(!html.contains("<script>alert(1)"), "{target}");
        assert!(!html.contains("<img src=x"), "{target}");
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; ")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; "),
            "{target}: the title is shown as text"
        );
    }
    let (_, html) = app.text(&path).await;
    assert!(html.contains("&#60;img src=x onerror=alert(2)&#62;"));
}

async fn an_organisation_without_a_number_stays_named_through_edit_export_and_import(app: TestApp) {
    let official = app.official_of("malmo/kulturnamnden").await.0;
    let mut form = good_record();
    form.organisations = format!("{}\n{}", ORG_A.1, ORG_B.1);
    let path = create(&app, &official, &form).await;
    // Organisation B loses its number (a network without one, or a number
    // removed from its profile) after the record was written.
    app.execute(
        "UPDATE organisations SET org_number = NULL WHERE slug = 'kroksbacks-box-och-kampsportsklubb'",
    )
    .await;
    app.app.invalidate();
    let named = |r: &Record| {
        let mut slugs: Vec<String> = r.organisations.iter().map(|o| o.slug.clone()).collect();
        slugs.sort();
        slugs
    };
    let both = vec![ORG_A.0.to_owned(), ORG_B.0.to_owned()];
    let before = stored(&app, &path).await;
    assert_eq!(named(&before), both);
    // The edit form names it by its short address…
    let edit = format!("{path}/edit");
    let (status, html) = app.page(&official, &edit).await;
    assert_eq!(status, 200);
    assert_has(&html, &format!("{}\n{}</textarea>", ORG_A.1, ORG_B.0));
    // …and saving the form as it was filled keeps both organisations.
    let mut edited = before.to_form();
    edited.outcome = "Nittio elever kom varje termin.".into();
    let res = app
        .post_form(&official, &edit, &edit, &fields_of(&edited))
        .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let after = stored(&app, &path).await;
    assert_eq!(after.outcome, edited.outcome);
    assert_eq!(named(&after), both, "the edit kept every organisation");
    // The export names it the same way and imports back unchanged.
    let filter = RecordFilter::default();
    let csv = app
        .app
        .export_records_csv(AGREEMENT, &filter)
        .await
        .unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains("IOP om läxhjälp på biblioteken"))
        .expect("the record in the export");
    assert!(
        line.contains(&format!("{}; {}", ORG_A.1, ORG_B.0)),
        "{line}"
    );
    let request = samverkan_app::register::import::RecordImportRequest {
        agreement: AGREEMENT,
        csv: csv.as_bytes(),
        dry_run: false,
    };
    let report = app
        .app
        .import_records_csv(None, None, &request, &samverkan_app::csv_rows::no_progress)
        .await
        .unwrap();
    assert!(report.applied, "{report:?}");
    assert_eq!(report.count("unchanged"), report.rows.len(), "{report:?}");
    let reimported = stored(&app, &path).await;
    assert_eq!(
        named(&reimported),
        both,
        "the import kept every organisation"
    );
    assert_eq!(reimported.version, after.version);
}

async fn the_register_pages_in_fifties_and_counts_every_page(app: TestApp) {
    let register = app.app.register_of(AGREEMENT).await.unwrap();
    let all = app
        .app
        .records(&register, &RecordFilter::default())
        .await
        .unwrap();
    assert!(
        all.len() > 100,
        "the demonstration register spans three pages"
    );
    let row = format!("<th scope=\"row\"><a href=\"{}/", register_path());
    let (status, first) = app.text(&register_path()).await;
    assert_eq!(status, 200);
    assert_eq!(first.matches(&row).count(), 50, "a page shows 50 records");
    assert_has(&first, &format!("<dt>Poster</dt><dd>{}</dd>", all.len()));
    assert_has(&first, &format!("Visar 1–50 av {} poster.", all.len()));
    assert_has(&first, "rel=\"next\"");
    let (_, second) = app.text(&format!("{}?page=2", register_path())).await;
    assert_has(&second, &format!("Visar 51–100 av {} poster.", all.len()));
    assert_has(&second, "rel=\"prev\"");
    // Every record once, in the list's order, over all pages.
    let (_, every) = all_pages(&app, &register_path()).await;
    assert_eq!(every.matches(&row).count(), all.len());
    let mut from = 0;
    for r in &all {
        let at = every[from..]
            .find(&format!("{row}{}\"", r.id))
            .unwrap_or_else(|| panic!("record {} listed after the one before", r.id));
        from += at + 1;
    }
    // A page past the last shows the last; a page that is not a whole
    // number from 1 is a 400 naming it.
    let (status, last) = app.text(&format!("{}?page=999", register_path())).await;
    assert_eq!(status, 200);
    assert!(!last.contains("rel=\"next\""));
    for bad in ["0", "zwei", "-1"] {
        let (status, html) = app.text(&format!("{}?page={bad}", register_path())).await;
        assert_eq!(status, 400, "page={bad}");
        assert_has(&html, bad);
    }
}

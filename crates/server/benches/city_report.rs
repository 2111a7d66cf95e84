//! How long the city-wide report of a year takes to build, on SQLite and on
//! PostgreSQL, in one run. The target (from the issue): "building the
//! city-wide report for 30 committees with 50 records each takes well under
//! 100 ms".
//!
//! Seeds a fresh database of each kind (`samverkan-testkit`) with a
//! municipality of 30 committees, an agreement with its principles,
//! challenges and districts, 200 organisations and, for each of 5 years, 30
//! committee reports of 50 records each, published. The records go through
//! `register::check` and `Tx::insert_record`, the reports through the use
//! cases an official uses (save, contributions, submit, the committee's
//! decision, publish), so the frozen documents are real. Then it times:
//!
//! - `App::city_report` end to end (reading every published document of the
//!   agreement, parsing them, rolling up the year and the years before), and
//!   its three parts on their own: the read, the parsing, the roll-up;
//! - the city-wide report's page (`GET /agreements/{slug}/reports/{year}`)
//!   over HTTP from the running router: the above plus the page's other
//!   reads, four charts and the template.
//!
//! Each is warmed up, then run N times; the table gives the median and the
//! 95th percentile in milliseconds and the ratio of the 100 ms target to the
//! median. Figures are printed, never asserted.
//!
//! Run with `cargo bench -p samverkan --bench city_report` (see
//! bench/README.md). Without `--bench` (as under `cargo test --benches`) it
//! runs a tiny version once, to check that it works. Settings:
//! `CITY_BENCH_DATABASES` (`sqlite postgres`), `CITY_BENCH_RUNS` (50),
//! `CITY_BENCH_WARMUP` (5), `CITY_BENCH_COMMITTEES` (30),
//! `CITY_BENCH_RECORDS` (50), `CITY_BENCH_YEARS` (5), and
//! `CITY_BENCH_ENFORCE=1` to exit 1 when a median is above the target.
//! PostgreSQL is found at `TEST_POSTGRES_URL` as in the tests.

use samverkan_app::accounts::CurrentUser;
use samverkan_app::register::{self, RecordForm, RegisterScope};
use samverkan_app::reports::city_wide::{CityReport, Publication};
use samverkan_app::reports::content::ReportContent;
use samverkan_app::reports::{
    ApprovalForm, CommitteeYear, ContributionForm, ReportForm, expected_bodies,
};
use samverkan_app::roles::{OrgRole, Roles};
use samverkan_app::{App, AppConfig};
use samverkan_db::agreements::{NewAgreement, NewCityBody, NewOrganisation};
use samverkan_db::reports::PublicationRow;
use samverkan_domain::{CollaborationForm, MemberRole, OrgNumber};
use samverkan_testkit::{Backend, TestApp, TestOptions};
use std::time::{Duration, Instant};
use time::{Date, Month, OffsetDateTime};

const TARGET_MS: f64 = 100.0;
const MUNICIPALITY: &str = "benchstad";
const AGREEMENT: &str = "bench";
const ORGANISATIONS: usize = 200;
const PRINCIPLES: &[(&str, &str)] = &[
    (
        "sjalvstandighet-och-oberoende",
        "Självständighet och oberoende",
    ),
    ("dialog", "Dialog"),
    ("kvalitet-och-delaktighet", "Kvalitet och delaktighet"),
    ("langsiktighet", "Långsiktighet"),
    ("oppenhet-och-insyn", "Öppenhet och insyn"),
    ("mangfald", "Mångfald"),
];
const CHALLENGES: &[(&str, &str)] = &[
    ("jamlik-halsa", "Jämlik hälsa"),
    ("jamlik-fritid-och-kultur", "Jämlik fritid och kultur"),
    ("arbete-och-sysselsattning", "Arbete och sysselsättning"),
    ("trygghet", "Trygghet i alla stadsdelar"),
    ("demokrati", "Demokrati och delaktighet"),
];
const DISTRICTS: &[(&str, &str)] = &[
    ("centrum", "Centrum"),
    ("soder", "Söder"),
    ("norr", "Norr"),
    ("oster", "Öster"),
    ("vaster", "Väster"),
    ("hamnen", "Hamnen"),
    ("backen", "Backen"),
    ("dalen", "Dalen"),
    ("skogen", "Skogen"),
    ("stranden", "Stranden"),
];

struct Size {
    committees: usize,
    records: usize,
    years: i32,
    runs: usize,
    warmup: usize,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A valid organisation number (Luhn) from a running number.
fn org_number(i: usize) -> String {
    let nine = format!("802{:06}", 100_000 + i * 37);
    let sum: u32 = nine
        .chars()
        .enumerate()
        .map(|(k, c)| {
            let d = c.to_digit(10).unwrap_or(0);
            if k % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    let number = format!("{}-{}{check}", &nine[..6], &nine[6..]);
    OrgNumber::parse(&number).expect("a valid organisation number");
    number
}

fn body_slug(i: usize) -> String {
    if i == 0 {
        "kommunstyrelsen".into()
    } else {
        format!("namnd-{i:02}")
    }
}

/// The municipality, its committees, the agreement and the organisations,
/// as the demonstration loader writes them; returns the official's user id.
async fn seed_structure(app: &App, size: &Size) -> i64 {
    let mut tx = app.db().begin().await.expect("begin");
    let municipality_id = tx
        .insert_municipality(MUNICIPALITY, "Benchstad", "municipality")
        .await
        .expect("municipality");
    for i in 0..size.committees {
        let slug = body_slug(i);
        let name = if i == 0 {
            "Kommunstyrelsen".to_owned()
        } else {
            format!("Nämnd nummer {i}")
        };
        tx.insert_city_body(&NewCityBody {
            municipality_id,
            slug: &slug,
            name: &name,
            kind: if i == 0 {
                "executive_board"
            } else {
                "committee"
            },
            parent_id: None,
            description: "En nämnd i benchmarkens kommun.",
            position: i as i32,
        })
        .await
        .expect("city body");
    }
    let agreement_id = tx
        .insert_agreement(&NewAgreement {
            municipality_id,
            slug: AGREEMENT,
            name: "Överenskommelsen i Benchstad",
            short_name: "Benchöverenskommelsen",
            status: "adopted",
            status_since: Date::from_calendar_date(2019, Month::January, 1).expect("date"),
            summary: "En överenskommelse att mäta den stadsövergripande rapporten på.",
            vision: "Samverkan som går att följa upp.",
            position: 0,
        })
        .await
        .expect("agreement");
    for (i, (slug, name)) in PRINCIPLES.iter().enumerate() {
        tx.insert_principle(agreement_id, i as i32, slug, name, "En princip.")
            .await
            .expect("principle");
    }
    for (i, (slug, name)) in CHALLENGES.iter().enumerate() {
        tx.insert_challenge(
            agreement_id,
            i as i32,
            slug,
            name,
            "En utmaning.",
            "En samhällsutmaning.",
        )
        .await
        .expect("challenge");
    }
    for (i, (slug, name)) in DISTRICTS.iter().enumerate() {
        tx.insert_district(municipality_id, slug, name, i as i32)
            .await
            .expect("district");
    }
    let registered = OffsetDateTime::now_utc();
    for i in 0..ORGANISATIONS {
        let number = org_number(i);
        tx.insert_organisation(&NewOrganisation {
            municipality_id,
            slug: &format!("forening-{i:03}"),
            name: &format!("Föreningen nummer {i:03}"),
            org_number: Some(&number),
            legal_form: "ideell_forening",
            description: "En idéburen organisation i Benchstad.",
            website: None,
            contact_email: None,
            created_at: registered,
        })
        .await
        .expect("organisation");
    }
    let user_id = tx
        .insert_user(
            "tjansteperson@benchstad.example",
            "Tjänsteperson Bench",
            "not a hash: nobody signs in",
            registered,
        )
        .await
        .expect("user");
    tx.commit().await.expect("commit");
    user_id
}

/// One record of a committee's year, as typed in the form.
fn record_form(body: &str, year: i32, n: usize, committee: usize) -> RecordForm {
    let k = committee * 1000 + n;
    let forms = CollaborationForm::ALL;
    let orgs: Vec<String> = (0..1 + k % 3)
        .map(|j| org_number((k * 7 + j * 13) % ORGANISATIONS))
        .collect();
    let principles: Vec<&str> = (0..1 + k % 2)
        .map(|j| PRINCIPLES[(k + j * 3) % PRINCIPLES.len()].0)
        .collect();
    RecordForm {
        body: body.to_owned(),
        form: forms[k % forms.len()].as_str().to_owned(),
        title: format!("Samverkan nummer {n} mellan {body} och föreningarna {year}"),
        description: format!(
            "Nämnden och föreningarna arbetar tillsammans med aktivitet nummer {n} under {year}: \
             träffar varje vecka, gemensam planering och uppföljning, med lokaler som staden \
             upplåter och med ledare från föreningarna. Arbetet följs upp två gånger om året \
             tillsammans med deltagarna."
        ),
        outcome: format!(
            "Omkring {} deltagare under året; arbetet fortsätter nästa år med samma upplägg.",
            20 + k % 180
        ),
        starts_on: format!("{year}-01-01"),
        ends_on: format!("{year}-12-31"),
        organisations: orgs.join("; "),
        money: if k.is_multiple_of(5) {
            String::new()
        } else {
            format!("{year}: {}", 10_000 * (1 + k % 40))
        },
        district: if k.is_multiple_of(4) {
            String::new()
        } else {
            DISTRICTS[k % DISTRICTS.len()].0.to_owned()
        },
        challenge: if k.is_multiple_of(6) {
            String::new()
        } else {
            CHALLENGES[k % CHALLENGES.len()].0.to_owned()
        },
        principles: principles.join("; "),
        ..RecordForm::default()
    }
}

/// Every committee's records of every year (one transaction per committee
/// and year), then every report written, contributed to, handed in,
/// decided and published through the use cases.
async fn seed(app: &App, size: &Size, first_year: i32, last_year: i32) {
    let user_id = seed_structure(app, size).await;
    let register = app.register_of(AGREEMENT).await.expect("register");
    for year in first_year..=last_year {
        seed_records(app, size, &register, user_id, year).await;
    }
    let writer = writer(user_id, &register);
    let today = OffsetDateTime::now_utc().date();
    for year in first_year..=last_year {
        seed_reports(app, size, &register, &writer, year, today).await;
    }
}

/// Every committee's records of `year`, one transaction per committee.
async fn seed_records(app: &App, size: &Size, register: &RegisterScope, user_id: i64, year: i32) {
    for c in 0..size.committees {
        let body = body_slug(c);
        let forms: Vec<RecordForm> = (0..size.records)
            .map(|n| record_form(&body, year, n, c))
            .collect();
        let named = (app.naming(register, &forms.iter().collect::<Vec<_>>()))
            .await
            .expect("names");
        let mut tx = app.db().begin().await.expect("begin");
        for form in &forms {
            let (values, links) = register::check(form, &named.refs)
                .unwrap_or_else(|e| panic!("a valid record: {e:?}"));
            let id = tx
                .insert_record(&values, Some(user_id), OffsetDateTime::now_utc())
                .await
                .expect("record");
            tx.write_record_links(id, &links).await.expect("links");
        }
        tx.commit().await.expect("commit");
    }
}

/// The one account that writes every report: a platform administrator,
/// member of every organisation, coordinator of the agreement and official
/// of every body.
struct Writer {
    user: CurrentUser,
    roles: Roles,
}

fn writer(user_id: i64, register: &RegisterScope) -> Writer {
    let user = CurrentUser {
        id: user_id,
        email: "tjansteperson@benchstad.example".into(),
        display_name: "Tjänsteperson Bench".into(),
        is_platform_admin: true,
        session: String::new(),
    };
    let roles = Roles {
        user_id,
        platform_admin: true,
        organisations: (0..ORGANISATIONS)
            .map(|i| OrgRole {
                slug: format!("forening-{i:03}"),
                name: format!("Föreningen nummer {i:03}"),
                role: MemberRole::Member,
            })
            .collect(),
        coordinates: vec![(AGREEMENT.into(), "Benchöverenskommelsen".into())],
        bodies: register
            .refs
            .bodies
            .iter()
            .map(|b| (format!("{MUNICIPALITY}/{}", b.1), b.2.clone()))
            .collect(),
    };
    Writer { user, roles }
}

/// The deadline of `year`, then every committee's report of the year,
/// decided on 15 March of the next year (or `today`, if earlier).
async fn seed_reports(
    app: &App,
    size: &Size,
    register: &RegisterScope,
    writer: &Writer,
    year: i32,
    today: Date,
) {
    app.set_deadline(
        &writer.roles,
        AGREEMENT,
        register,
        &year.to_string(),
        &format!("{}-03-31", year + 1),
    )
    .await
    .expect("deadline");
    let decided = Date::from_calendar_date(year + 1, Month::March, 15)
        .expect("date")
        .min(today);
    for c in 0..size.committees {
        let body = body_slug(c);
        let report = CommitteeYear {
            municipality: MUNICIPALITY,
            agreement: AGREEMENT,
            register,
            body: &body,
            year,
        };
        publish_report(app, writer, report, c, decided).await;
    }
}

/// Committee `c`'s report: written, two contributions, handed in, decided
/// on `decided`, published.
async fn publish_report(
    app: &App,
    writer: &Writer,
    report: CommitteeYear<'_>,
    c: usize,
    decided: Date,
) {
    let (user, roles) = (&writer.user, &writer.roles);
    let (body, year) = (report.body, report.year);
    let text = |what: &str| {
        format!(
            "{what} för {body} {year}: arbetet med föreningarna har gått framåt, \
             med fler deltagare och tydligare överenskommelser om lokaler och pengar. \
             Det som återstår är att följa upp resultaten tillsammans."
        )
    };
    let form = ReportForm {
        went_well: text("Det som gick bra"),
        went_badly: text("Det som gick mindre bra"),
        next_year: text("Nästa år"),
        reflections: PRINCIPLES
            .iter()
            .map(|(slug, name)| ((*slug).to_owned(), text(name)))
            .collect(),
        version: String::new(),
    };
    app.save_report(roles, report, &form).await.expect("save");
    for j in 0..2 {
        let k = c * 1000 + j;
        app.contribute(
            user,
            roles,
            report,
            &ContributionForm {
                organisation: format!("forening-{:03}", (k * 7) % ORGANISATIONS),
                body: text("Föreningens bidrag"),
            },
        )
        .await
        .expect("contribution");
    }
    app.submit_report(roles, report).await.expect("submit");
    app.approve_report(
        roles,
        report,
        &ApprovalForm {
            approved_on: decided.to_string(),
            decision_reference: format!("BS-{}-{c:04}", year + 1),
        },
    )
    .await
    .expect("approve");
    app.publish_report(user, roles, report)
        .await
        .expect("publish");
}

/// Median and 95th percentile of the samples, in milliseconds.
fn summary(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = ((samples.len() as f64 * 0.95).ceil() as usize).clamp(1, samples.len()) - 1;
    (ms(samples[samples.len() / 2]), ms(samples[p95]))
}

async fn time<F, Fut>(size: &Size, mut run: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..size.warmup {
        run().await;
    }
    let mut samples = Vec::with_capacity(size.runs);
    for _ in 0..size.runs {
        let start = Instant::now();
        run().await;
        samples.push(start.elapsed());
    }
    summary(&mut samples)
}

struct Row {
    database: &'static str,
    what: String,
    median: f64,
    p95: f64,
    /// Whether the 100 ms target applies to the row (the parts are shown
    /// for where the time goes).
    target: bool,
}

/// Seeds a fresh database of `backend`, checks the report it gives, then
/// times the report, its parts and its page into `rows`.
async fn bench(backend: Backend, size: &Size, rows: &mut Vec<Row>) {
    let database = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let mail = std::env::temp_dir().join(format!("samverkan-bench-mail-{}", std::process::id()));
    let options = TestOptions {
        demo: false,
        app: AppConfig {
            mail: samverkan_app::mail::MailConfig {
                transport: samverkan_app::mail::MailTransport::Directory(mail.clone()),
                ..samverkan_app::mail::MailConfig::default()
            },
            ..AppConfig::default()
        },
        web: samverkan_web::WebConfig::default(),
    };
    let t = TestApp::spawn_with(backend, options).await;
    let app = &t.app;
    let last_year = OffsetDateTime::now_utc().year() - 1;
    let first_year = last_year - size.years + 1;
    let started = Instant::now();
    seed(app, size, first_year, last_year).await;
    let register = app.register_of(AGREEMENT).await.expect("register");
    let documents = app
        .db()
        .publications(register.agreement_id, true)
        .await
        .expect("publications");
    let bytes: usize = documents.iter().map(|p| p.content.len()).sum();
    eprintln!(
        "[{database}] seeded in {:.1} s: {} committees, {} records a year each, {} years, \
         {} published documents, {:.1} MB of JSON",
        started.elapsed().as_secs_f64(),
        size.committees,
        size.records,
        size.years,
        documents.len(),
        bytes as f64 / 1e6
    );
    check_the_report(app, size, &register, last_year).await;
    let at = Timed {
        size,
        database,
        register: &register,
        year: last_year,
    };
    time_the_report(app, &at, rows).await;
    time_the_parts(app, &at, &documents, rows).await;
    time_the_page(&t, &at, rows).await;
    let _ = std::fs::remove_dir_all(&mail);
}

/// The report of the last year has every committee, every record and
/// every year.
async fn check_the_report(app: &App, size: &Size, register: &RegisterScope, last_year: i32) {
    let report = app
        .city_report(AGREEMENT, register, last_year)
        .await
        .expect("city report");
    assert_eq!(
        report.reports.len(),
        size.committees,
        "every committee reported"
    );
    assert_eq!(
        report.figures.records,
        (size.committees * size.records) as i64
    );
    assert_eq!(report.years.len(), size.years as usize);
}

/// What each timing is of: the size, the database's name, the register
/// and the year reported on.
struct Timed<'a> {
    size: &'a Size,
    database: &'static str,
    register: &'a RegisterScope,
    year: i32,
}

impl Timed<'_> {
    /// A row of the table for `what`.
    fn row(&self, what: impl Into<String>, (median, p95): (f64, f64), target: bool) -> Row {
        Row {
            database: self.database,
            what: what.into(),
            median,
            p95,
            target,
        }
    }
}

/// `App::city_report` cold (a fresh App each run, so every document is
/// read and parsed) and warm (published documents never change, so the
/// App keeps them parsed).
async fn time_the_report(app: &App, at: &Timed<'_>, rows: &mut Vec<Row>) {
    let (register, last_year) = (at.register, at.year);
    let cold = time(at.size, || async {
        let cold = samverkan_app::App::new(app.db().clone(), samverkan_app::AppConfig::default());
        cold.city_report(AGREEMENT, register, last_year)
            .await
            .expect("city report");
    })
    .await;
    rows.push(at.row(
        "App::city_report, cold (documents read and parsed)",
        cold,
        true,
    ));
    let warm = time(at.size, || async {
        app.city_report(AGREEMENT, register, last_year)
            .await
            .expect("city report");
    })
    .await;
    rows.push(at.row(
        "App::city_report, warm (documents parsed before)",
        warm,
        true,
    ));
}

/// The same three steps on their own, for where the time goes: the read,
/// the parsing of `documents`, the roll-up.
async fn time_the_parts(
    app: &App,
    at: &Timed<'_>,
    documents: &[PublicationRow],
    rows: &mut Vec<Row>,
) {
    let register = at.register;
    let read = time(at.size, || async {
        app.db()
            .latest_publications(register.agreement_id, true)
            .await
            .expect("publications");
    })
    .await;
    rows.push(at.row("  read: Db::latest_publications", read, false));
    let parse = || {
        documents
            .iter()
            .map(|p| Publication {
                version: p.number,
                published_at: p.published_at,
                content: std::sync::Arc::new(
                    serde_json::from_str::<ReportContent>(&p.content).expect("a document"),
                ),
            })
            .collect::<Vec<_>>()
    };
    let parsing = time(at.size, || async {
        std::hint::black_box(parse());
    })
    .await;
    rows.push(at.row("  parse: serde_json", parsing, false));
    let publications = parse();
    let expected = expected_bodies(register);
    let roll_up = time(at.size, || async {
        std::hint::black_box(CityReport::build(
            AGREEMENT,
            at.year,
            &expected,
            &publications,
        ));
    })
    .await;
    rows.push(at.row("  roll-up: CityReport::build", roll_up, false));
}

/// The page over HTTP: reads, report, charts, template.
async fn time_the_page(t: &TestApp, at: &Timed<'_>, rows: &mut Vec<Row>) {
    let path = format!("/agreements/{AGREEMENT}/reports/{}", at.year);
    let page = time(at.size, || async {
        let (status, html) = t.text(&path).await;
        assert_eq!(status, 200, "{path}");
        std::hint::black_box(html);
    })
    .await;
    rows.push(at.row(format!("GET {path} (page)"), page, true));
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let size = if full {
        Size {
            committees: env_or("CITY_BENCH_COMMITTEES", 30),
            records: env_or("CITY_BENCH_RECORDS", 50),
            years: env_or("CITY_BENCH_YEARS", 5),
            runs: env_or("CITY_BENCH_RUNS", 50),
            warmup: env_or("CITY_BENCH_WARMUP", 5),
        }
    } else {
        eprintln!("not run by `cargo bench`: a tiny run to check that the benchmark works");
        Size {
            committees: 2,
            records: 3,
            years: 2,
            runs: 1,
            warmup: 0,
        }
    };
    let databases = std::env::var("CITY_BENCH_DATABASES").unwrap_or("sqlite postgres".into());
    let mut rows = Vec::new();
    for db in databases.split_whitespace() {
        let backend = match db {
            "sqlite" => Backend::Sqlite,
            "postgres" => Backend::Postgres,
            other => {
                panic!("unknown database '{other}' in CITY_BENCH_DATABASES (sqlite, postgres)")
            }
        };
        bench(backend, &size, &mut rows).await;
    }

    println!(
        "\ncity-wide report: {} committees × {} records × {} years, {} runs after {} warm-up, \
         {} build, target {TARGET_MS} ms",
        size.committees,
        size.records,
        size.years,
        size.runs,
        size.warmup,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        },
    );
    println!(
        "{:<11} {:<45} {:>10} {:>8}  vs target",
        "database", "what", "median ms", "p95 ms"
    );
    for r in &rows {
        let ratio = if r.target {
            format!(
                "{TARGET_MS:.0} ms / {:.1} ms = {:.1}×",
                r.median,
                TARGET_MS / r.median
            )
        } else {
            String::new()
        };
        let line = format!(
            "{:<11} {:<45} {:>10.2} {:>8.2}  {ratio}",
            r.database, r.what, r.median, r.p95
        );
        println!("{}", line.trim_end());
    }
    let over = rows
        .iter()
        .filter(|r| r.target && r.median > TARGET_MS)
        .count();
    if over > 0 {
        println!("{over} of the timed rows have a median above the {TARGET_MS} ms target");
        if std::env::var("CITY_BENCH_ENFORCE").is_ok_and(|v| v == "1") {
            std::process::exit(1);
        }
    }
}

//! `samverkan`: the platform's one binary.

mod admin;
mod config;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use config::{CommonArgs, FileConfig, LogFormat, ServeArgs};
use samverkan_app::{App, AppConfig};
use samverkan_db::{ConnectOptions, Db, redact_url};
use std::process::ExitCode;

/// Samverkan: the platform on which a municipality and its idea-based sector
/// run their collaboration agreement (överenskommelse).
#[derive(Debug, Parser)]
#[command(name = "samverkan", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (migrates the database first)
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit
    Migrate,
    /// Migrate and load the demonstration data into an empty database (with
    /// --scale city or national, then add generated data for benchmarks)
    Demo(DemoArgs),
    /// Administer the install from the server (the first administrator)
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Import activities or progress updates of an action plan, records of
    /// the collaboration register, or the directory's city bodies and
    /// organisations, from CSV (expects a migrated database; the formats are
    /// in docs/csv-format.md)
    Import(ImportArgs),
}

/// How much data `demo` loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ScaleArg {
    /// The demonstration data alone: two agreements (Malmöandan, Sjövik),
    /// 50 organisations, 47 activities with 277 progress updates, the
    /// register and the committees' reports 2019–2024
    Demo,
    /// The demonstration data, and Malmöandan grown to a large city: 5,000
    /// more organisations in Malmö, 2,000 activities in its two action plans
    /// with 20,000 progress updates, and 20,000 records in its register
    City,
    /// The city, and 300 agreements in made-up municipalities, each with its
    /// city bodies, districts, principles, challenges, text and action plan:
    /// in all 250,000 organisations (about a third of them parties),
    /// 500,000 activities, 2,000,000 updates and 1,000,000 records, larger
    /// municipalities getting more
    National,
}

/// Options of `demo`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The generated data is the same on every run and on either database (a fixed seed); \
every value passes the checks the forms use. It goes into an empty database only, in one \
transaction per agreement, without waiting for the disk on each commit (generate it again after a \
crash). Progress bars show on standard error when it is a terminal; a summary with the time taken \
ends the run."
)]
struct DemoArgs {
    /// How much data to load
    #[arg(long, value_enum, default_value = "demo")]
    scale: ScaleArg,
    /// Divide every generated count by N (for tests and quick trials)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    scale_divisor: u32,
}

/// What an import file holds.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ImportKindArg {
    /// Activities: one row per activity, created or changed by its slug
    Activities,
    /// Progress updates: one row per update, added to an activity by its slug
    Updates,
    /// Records of the collaboration register: one row per record, created or
    /// changed by its city body, title and start date (no --plan)
    Records,
    /// City bodies of a municipality or region (--municipality, no
    /// --agreement): one row per body, created or changed by its slug, or
    /// without one by its name
    CityBodies,
    /// Organisations of the directory (neither --agreement nor
    /// --municipality): one row per organisation, created or changed by its
    /// organisation number
    Organisations,
}

/// Options of `import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "All or nothing: when any row has a problem, nothing is written, every \
problem is listed with its line, and the exit code is 1. Run with --dry-run first to see what \
would be created, changed or added. Records need no --plan: a row whose city body, title and \
start date match a record of the agreement's register changes it, any other row adds one; their \
problems are written to standard error. City bodies go into the municipality or region named by \
--municipality; organisations need neither --agreement nor --municipality (each row names its \
municipality), and an organisation that has members is kept by its administrators: the import \
refuses to change it. Their problems too go to standard error."
)]
struct ImportArgs {
    /// What the file holds
    #[arg(value_enum)]
    kind: ImportKindArg,
    /// The CSV file: UTF-8, a header row, separated by commas (or semicolons); `-` reads standard input
    file: std::path::PathBuf,
    /// The agreement's slug, e.g. `malmoandan` (activities, updates, records)
    #[arg(long, value_name = "SLUG", required_if_eq_any([("kind", "activities"), ("kind", "updates"), ("kind", "records")]))]
    agreement: Option<String>,
    /// The municipality's or region's slug, e.g. `malmo` (city bodies)
    #[arg(long, value_name = "SLUG", required_if_eq("kind", "city-bodies"))]
    municipality: Option<String>,
    /// The action plan's slug within the agreement (activities and updates)
    #[arg(long, value_name = "SLUG", required_if_eq_any([("kind", "activities"), ("kind", "updates")]))]
    plan: Option<String>,
    /// Check every row and report what would happen, without writing anything
    #[arg(long)]
    dry_run: bool,
    /// The name recorded as author in the activities' history and on updates
    /// (activities and updates)
    #[arg(long, value_name = "NAME", default_value = "Import")]
    author: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let chain: Vec<String> = err.chain().map(|e| e.to_string()).collect();
            eprintln!("samverkan: error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Text => builder.init(),
    }
}

async fn open_db(url: &str) -> Result<Db> {
    let db = Db::connect(url, &ConnectOptions::default())
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(url)))?;
    db.migrate().await.context("cannot migrate the database")?;
    Ok(db)
}

async fn run(cli: Cli) -> Result<()> {
    let file = FileConfig::load(cli.common.config.as_deref())?;
    let common = config::resolve_common(&cli.common, &file)?;
    // Check the serve settings before touching the database.
    let serve = match &cli.command {
        Command::Serve(args) => Some(config::resolve_serve(args, &file)?),
        _ => None,
    };
    init_logs(common.log_format);
    if let Command::Import(args) = &cli.command {
        // An import writes into a database that is already in use: it is
        // not migrated here.
        let db = Db::connect(&common.database_url, &ConnectOptions::default())
            .await
            .with_context(|| {
                format!(
                    "cannot open the database {}",
                    redact_url(&common.database_url)
                )
            })?;
        return import(db, args).await;
    }
    if let Command::Demo(args) = &cli.command
        && args.scale != ScaleArg::Demo
    {
        return demo_at_scale(&common.database_url, args).await;
    }
    let db = open_db(&common.database_url).await?;
    match cli.command {
        Command::Import(_) => unreachable!("handled above"),
        Command::Migrate => {
            println!(
                "Migrated {} ({}).",
                redact_url(&common.database_url),
                db.backend().name()
            );
            Ok(())
        }
        Command::Admin(command) => {
            let app = App::new(db.clone(), AppConfig::default());
            let done = admin::run(&app, &command, &file).await;
            db.close().await;
            done
        }
        Command::Demo(_) => {
            let app = App::new(db, AppConfig::default());
            report_demo(app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?);
            Ok(())
        }
        Command::Serve(_) => {
            let serve = serve.expect("resolved above");
            let app = App::new(
                db.clone(),
                AppConfig {
                    snapshot_ttl: serve.snapshot_ttl,
                    default_agreement: serve.default_agreement.clone(),
                    mail: serve.mail.clone(),
                    max_document_bytes: serve.max_document_bytes,
                },
            );
            if serve.demo {
                report_demo(app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?);
            }
            let web = samverkan_web::WebConfig {
                max_body_bytes: serve.max_body_bytes,
                heavy_permits: serve.heavy_permits,
                secure_cookies: serve.secure_cookies,
                feedback_email: serve.feedback_email.clone(),
            };
            tokio::spawn(app.clone().run_jobs_forever());
            // Hear of the other instances' changes: at once by LISTEN on
            // PostgreSQL, and by polling the change counter on both.
            let watcher = tokio::spawn(app.clone().watch_changes(CHANGE_POLL));
            // Read the public record in the background, so /health answers
            // at once and the first pages find it loaded.
            let warm = app.clone();
            tokio::spawn(async move {
                if let Err(e) = warm.public().await {
                    tracing::warn!(error = %e, "the public record could not be read yet");
                }
            });
            let router = samverkan_web::router(app, web);
            let listener = tokio::net::TcpListener::bind(serve.bind)
                .await
                .with_context(|| format!("cannot listen on {}", serve.bind))?;
            let addr = listener.local_addr()?;
            tracing::info!(%addr, database = db.backend().name(), "Samverkan is listening on http://{addr}/");
            let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, service)
                .with_graceful_shutdown(shutdown_signal())
                .await?;
            // The watcher holds a connection while it listens: it stops
            // first, so closing the pool does not wait for it.
            watcher.abort();
            let _ = watcher.await;
            if tokio::time::timeout(CLOSE_WAIT, db.close()).await.is_err() {
                tracing::warn!("database connections still busy; exiting without them");
            } else {
                tracing::info!("shut down cleanly");
            }
            Ok(())
        }
    }
}

/// How long a shutdown waits for the database connections in use to be
/// given back (a job finishing) before it exits without them.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// How often an instance reads the shared change counter (the safety net
/// beside PostgreSQL's notifications, and SQLite's only way).
const CHANGE_POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// The import file's bytes (`-` reads standard input).
fn read_import_file(file: &std::path::Path) -> Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .context("cannot read standard input")?;
        Ok(buf)
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
    }
}

/// A progress bar on standard error when it is a terminal, else a hidden one.
fn import_bar() -> indicatif::ProgressBar {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template("{msg:9} [{bar:40}] {pos}/{len} rows")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        )
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// The progress function that moves `bar` on.
fn import_progress(
    bar: &indicatif::ProgressBar,
) -> impl Fn(samverkan_app::csv_rows::ImportStage, usize, usize) + Send + Sync + use<> {
    use samverkan_app::csv_rows::ImportStage;
    let bar = bar.clone();
    move |stage: ImportStage, done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(match stage {
            ImportStage::Checking => "checking",
            ImportStage::Writing => "writing",
        });
    }
}

/// Runs `samverkan import`: reads the file, plans (and unless a dry run,
/// applies) it, prints a line per row; an error when any row has a problem.
async fn import(db: Db, args: &ImportArgs) -> Result<()> {
    use samverkan_app::plans::import::{ImportKind, ImportRequest};
    let kind = match args.kind {
        ImportKindArg::Activities => ImportKind::Activities,
        ImportKindArg::Updates => ImportKind::Updates,
        ImportKindArg::Records => return import_records(db, args).await,
        ImportKindArg::CityBodies | ImportKindArg::Organisations => {
            return import_entries(db, args).await;
        }
    };
    let agreement = args
        .agreement
        .as_deref()
        .context("--agreement is required for activities and updates")?;
    let plan = args
        .plan
        .as_deref()
        .context("--plan is required for activities and updates")?;
    let csv = read_import_file(&args.file)?;
    let app = App::new(db.clone(), AppConfig::default());
    let bar = import_bar();
    let progress = import_progress(&bar);
    let author = samverkan_app::plans::activities::Author {
        user_id: None,
        name: args.author.clone(),
    };
    let request = ImportRequest {
        kind,
        agreement,
        plan,
        csv: &csv,
        dry_run: args.dry_run,
    };
    let result = app
        .import_plan_csv(&author, None, &request, &progress)
        .await;
    bar.finish_and_clear();
    db.close().await;
    let report = result.map_err(|e| anyhow::anyhow!("{e}"))?;
    for p in &report.file_problems {
        println!("line 1: problem in {}: {}", p.field, p.message);
    }
    for row in &report.rows {
        match &row.outcome {
            Some(o) if row.problems.is_empty() => {
                let fields = o.fields();
                if fields.is_empty() {
                    println!(
                        "line {}: {} {}",
                        row.line,
                        row.activity,
                        o.key().replace('_', " ")
                    );
                } else {
                    println!(
                        "line {}: {} changed ({})",
                        row.line,
                        row.activity,
                        fields.join(", ")
                    );
                }
            }
            _ => {
                for p in &row.problems {
                    println!("line {}: problem in {}: {}", row.line, p.field, p.message);
                }
            }
        }
    }
    let summary = match kind {
        ImportKind::Activities => format!(
            "{} created, {} changed, {} unchanged",
            report.count("created"),
            report.count("changed"),
            report.count("unchanged")
        ),
        ImportKind::Updates => format!(
            "{} added, {} already there",
            report.count("added"),
            report.count("already_there")
        ),
    };
    if report.has_problems() {
        anyhow::bail!(
            "{} of {} rows have problems{}; nothing was written",
            report.failed_rows(),
            report.rows.len(),
            if report.file_problems.is_empty() {
                ""
            } else {
                " (and the header)"
            }
        );
    }
    if report.applied {
        println!("Imported {} rows: {summary}.", report.rows.len());
    } else {
        println!(
            "Dry run, nothing written. {} rows: {summary}.",
            report.rows.len()
        );
    }
    Ok(())
}

/// Runs `samverkan import records`: like the plan imports, but the
/// problems go to standard error.
async fn import_records(db: Db, args: &ImportArgs) -> Result<()> {
    use samverkan_app::register::import::RecordImportRequest;
    let agreement = args
        .agreement
        .as_deref()
        .context("--agreement is required for records")?;
    let csv = read_import_file(&args.file)?;
    let app = App::new(db.clone(), AppConfig::default());
    let bar = import_bar();
    let progress = import_progress(&bar);
    let request = RecordImportRequest {
        agreement,
        csv: &csv,
        dry_run: args.dry_run,
    };
    let result = app
        .import_records_csv(None, None, &request, &progress)
        .await;
    bar.finish_and_clear();
    db.close().await;
    let report = result.map_err(|e| anyhow::anyhow!("{e}"))?;
    for p in &report.file_problems {
        eprintln!("line 1: problem in {}: {}", p.field, p.message);
    }
    for row in &report.rows {
        let name = format!("{} '{}'", row.body, row.title);
        print_row(row.line, &name, row.outcome.as_ref(), &row.problems);
    }
    let counts = [
        report.count("created"),
        report.count("changed"),
        report.count("unchanged"),
    ];
    let rows = (report.rows.len(), report.failed_rows());
    import_summary(
        rows,
        counts,
        !report.file_problems.is_empty(),
        report.applied,
    )
}

/// A row of an import of records, city bodies or organisations: what it
/// does on standard output, or its problems on standard error.
fn print_row(
    line: u64,
    name: &str,
    outcome: Option<&samverkan_app::csv_rows::RowOutcome>,
    problems: &[samverkan_app::csv_rows::RowProblem],
) {
    match outcome {
        Some(o) if problems.is_empty() => {
            let fields = o.fields();
            if fields.is_empty() {
                println!("line {line}: {name} {}", o.key());
            } else {
                println!("line {line}: {name} changed ({})", fields.join(", "));
            }
        }
        _ => {
            for p in problems {
                eprintln!("line {line}: problem in {}: {}", p.field, p.message);
            }
        }
    }
}

/// The last line of an import of records, city bodies or organisations:
/// what was (or would be) written, or an error when any row (`rows`: all,
/// failed) or the header has a problem.
fn import_summary(
    (rows, failed): (usize, usize),
    [created, changed, unchanged]: [usize; 3],
    header_problems: bool,
    applied: bool,
) -> Result<()> {
    let summary = format!("{created} created, {changed} changed, {unchanged} unchanged");
    if failed > 0 || header_problems {
        anyhow::bail!(
            "{failed} of {rows} rows have problems{}; nothing was written",
            if header_problems {
                " (and the header)"
            } else {
                ""
            }
        );
    }
    if applied {
        println!("Imported {rows} rows: {summary}.");
    } else {
        println!("Dry run, nothing written. {rows} rows: {summary}.");
    }
    Ok(())
}

/// Runs `samverkan import city-bodies` and `import organisations`: like
/// the records, a line per row on standard output and the problems on
/// standard error.
async fn import_entries(db: Db, args: &ImportArgs) -> Result<()> {
    use samverkan_app::agreements::body_import::BodyImportRequest;
    use samverkan_app::organisations::import::OrganisationImportRequest;
    let csv = read_import_file(&args.file)?;
    let app = App::new(db.clone(), AppConfig::default());
    let bar = import_bar();
    let progress = import_progress(&bar);
    let result = match args.kind {
        ImportKindArg::CityBodies => {
            let municipality = args
                .municipality
                .as_deref()
                .context("--municipality is required for city bodies")?;
            let request = BodyImportRequest {
                municipality,
                csv: &csv,
                dry_run: args.dry_run,
            };
            app.import_city_bodies_csv(None, None, &request, &progress)
                .await
        }
        _ => {
            let request = OrganisationImportRequest {
                csv: &csv,
                dry_run: args.dry_run,
            };
            app.import_organisations_csv(None, None, &request, &progress)
                .await
        }
    };
    bar.finish_and_clear();
    db.close().await;
    let report = result.map_err(|e| anyhow::anyhow!("{e}"))?;
    for p in &report.file_problems {
        eprintln!("line 1: problem in {}: {}", p.field, p.message);
    }
    for row in &report.rows {
        let name = match &row.slug {
            Some(slug) => format!("{slug} '{}'", row.name),
            None => format!("'{}'", row.name),
        };
        print_row(row.line, &name, row.outcome.as_ref(), &row.problems);
    }
    let counts = [
        report.count("created"),
        report.count("changed"),
        report.count("unchanged"),
    ];
    let rows = (report.rows.len(), report.failed_rows());
    import_summary(
        rows,
        counts,
        !report.file_problems.is_empty(),
        report.applied,
    )
}

/// Runs `samverkan demo --scale city|national`: the demonstration data,
/// then the generated data with a progress bar per kind of row, then a
/// summary with the time taken.
async fn demo_at_scale(url: &str, args: &DemoArgs) -> Result<()> {
    use samverkan_app::demo::scale::{Scale, ScaleKind};
    let scale = match args.scale {
        ScaleArg::Demo => Scale::DEMO,
        ScaleArg::City => Scale::CITY,
        ScaleArg::National => Scale::NATIONAL,
    }
    .divided(args.scale_divisor as usize);
    let started = std::time::Instant::now();
    let options = ConnectOptions {
        bulk_load: true,
        ..ConnectOptions::default()
    };
    let db = Db::connect(url, &options)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(url)))?;
    db.migrate().await.context("cannot migrate the database")?;
    let backend = db.backend().name();
    let app = App::new(db.clone(), AppConfig::default());
    let demo = app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if demo.is_none() {
        anyhow::bail!(
            "the database already holds agreements; demo --scale {} needs an empty database",
            scale.name
        );
    }
    report_demo(demo);
    let demo_time = started.elapsed();
    let bars = scale_bars(&scale);
    let progress = |kind: ScaleKind, rows: usize| {
        if let Some((_, bar)) = bars.iter().find(|(k, _)| *k == kind) {
            bar.inc(rows as u64);
        }
    };
    let generated = app.load_scale(&scale, &progress).await;
    for (_, bar) in &bars {
        bar.finish();
    }
    db.close().await;
    let report = generated.map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = started.elapsed();
    let rows = report.rows;
    println!(
        "Generated the {} scale on {backend} in {:.1} s (demonstration data {:.1} s, generated data {:.1} s): \
         {} agreements, {} organisations, {} activities, {} progress updates, {} records.",
        scale.name,
        total.as_secs_f64(),
        demo_time.as_secs_f64(),
        (total - demo_time).as_secs_f64(),
        report.agreements,
        rows.organisations,
        rows.activities,
        rows.updates,
        rows.records
    );
    Ok(())
}

/// One progress bar per kind of row that `scale` generates, on standard
/// error (drawn only when it is a terminal).
fn scale_bars(
    scale: &samverkan_app::demo::scale::Scale,
) -> Vec<(
    samverkan_app::demo::scale::ScaleKind,
    indicatif::ProgressBar,
)> {
    use samverkan_app::demo::scale::ScaleKind;
    let multi = indicatif::MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{prefix:>13} [{bar:40}] {human_pos:>9}/{human_len:9} {per_sec:>12} {elapsed_precise}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    ScaleKind::ALL
        .into_iter()
        .filter(|kind| kind.total(scale) > 0)
        .map(|kind| {
            let bar = multi.add(
                indicatif::ProgressBar::new(kind.total(scale) as u64)
                    .with_style(style.clone())
                    .with_prefix(kind.label()),
            );
            (kind, bar)
        })
        .collect()
}

fn report_demo(report: Option<samverkan_app::demo::DemoReport>) {
    match report {
        Some(r) => tracing::info!(
            municipalities = r.municipalities,
            city_bodies = r.city_bodies,
            agreements = r.agreements,
            decisions = r.decisions,
            versions = r.versions,
            paragraphs = r.paragraphs,
            organisations = r.organisations,
            accounts = r.accounts,
            activities = r.activities,
            updates = r.updates,
            records = r.records,
            reports = r.reports,
            publications = r.publications,
            contributions = r.contributions,
            "demonstration data loaded"
        ),
        None => tracing::info!(
            "the database already holds agreements; demonstration data not loaded again"
        ),
    }
}

/// Resolves on Ctrl-C or SIGTERM; the server then finishes the requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}

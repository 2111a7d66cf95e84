//! `samverkan`: the platform's one binary.

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
    /// Migrate and load the demonstration data into an empty database
    Demo,
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
    let db = open_db(&common.database_url).await?;
    match cli.command {
        Command::Migrate => {
            println!(
                "Migrated {} ({}).",
                redact_url(&common.database_url),
                db.backend().name()
            );
            Ok(())
        }
        Command::Demo => {
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
                },
            );
            if serve.demo {
                report_demo(app.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?);
            }
            let web = samverkan_web::WebConfig {
                max_body_bytes: serve.max_body_bytes,
                secure_cookies: serve.secure_cookies,
                feedback_email: serve.feedback_email.clone(),
            };
            tokio::spawn(app.clone().run_jobs_forever());
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
            tracing::info!("shut down cleanly");
            db.close().await;
            Ok(())
        }
    }
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

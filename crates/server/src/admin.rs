//! `samverkan admin`: what the owner of an install does from the server's
//! command line, before anyone can sign in (the first administrator).

use crate::config::{DEFAULT_BIND, FileConfig};
use anyhow::Result;
use samverkan_app::App;
use samverkan_app::accounts::admin::FIRST_LINK_TTL;

/// Commands of `admin`.
#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Create a platform administrator (or make an existing account one)
    /// and print a one-time link that sets the password
    Create(CreateArgs),
}

/// Options of `admin create`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The link works once and for 24 hours; running the command again gives a new \
link and voids the earlier one (also to reset a forgotten password when no mail is set up). \
The step is in the audit record. Migrates the database first, so it works on a fresh install: \
run it, then `samverkan serve`, open the link and sign in."
)]
pub struct CreateArgs {
    /// The administrator's e-mail address (the sign-in name)
    #[arg(long, value_name = "EMAIL")]
    email: String,
    /// The name shown for them [default: the address's part before the @]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The site's public address, for the link [default: http://BIND]
    #[arg(long, env = "SAMVERKAN_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// The address `serve` listens on, for the default base URL
    /// [default: 127.0.0.1:8080]
    #[arg(long, env = "SAMVERKAN_BIND", value_name = "IP:PORT")]
    bind: Option<String>,
}

/// Runs `admin create`: prints who is administrator now and the link.
pub async fn run(app: &App, command: &AdminCommand, file: &FileConfig) -> Result<()> {
    let AdminCommand::Create(args) = command;
    let base = args
        .base_url
        .clone()
        .or_else(|| file.base_url.clone())
        .unwrap_or_else(|| {
            let bind = args.bind.as_deref().or(file.bind.as_deref());
            format!("http://{}", bind.unwrap_or(DEFAULT_BIND))
        });
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        anyhow::bail!("the base URL '{base}' must start with http:// or https://");
    }
    let base = base.trim_end_matches('/');
    let made = app
        .create_admin(&args.email, args.name.as_deref())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let what = if made.created {
        "Created the platform administrator"
    } else {
        "Platform administrator"
    };
    println!("{what} {} <{}>.", made.name, made.email);
    println!(
        "Open this link within {} hours to choose the password (it works once):",
        FIRST_LINK_TTL.whole_hours()
    );
    println!("  {base}{}", made.link_path);
    println!("Then sign in at {base}/login.");
    Ok(())
}

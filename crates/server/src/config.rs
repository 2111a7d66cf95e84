//! Configuration: flags, then environment variables (`DATABASE_URL`,
//! `SAMVERKAN_*`), then an optional TOML file, then defaults. Everything is
//! checked before the server starts; a bad value is one clear line.

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use samverkan_app::secret::Secret;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/samverkan.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Database URL: `sqlite://path/to/file.db` or `postgres://user@host/db`
    /// [default: sqlite://data/samverkan.db]
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<DatabaseUrl>,

    /// A TOML file with any of the settings (keys as the long flags, with underscores)
    #[arg(long, env = "SAMVERKAN_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// Log format [default: text]
    #[arg(long, env = "SAMVERKAN_LOG_FORMAT", global = true)]
    pub log_format: Option<LogFormat>,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "SAMVERKAN_BIND")]
    pub bind: Option<String>,

    /// Load the demonstration data (Malmöandan and a second agreement) if the database is empty
    #[arg(long, env = "SAMVERKAN_DEMO")]
    pub demo: bool,

    /// Slug of the agreement the start page shows [default: the first]
    #[arg(long, env = "SAMVERKAN_DEFAULT_AGREEMENT")]
    pub default_agreement: Option<String>,

    /// Seconds after which the cached public record is read again even when no
    /// change was heard of (changes reach every instance within a second
    /// anyway, by the shared change counter) [default: 60]
    #[arg(long, env = "SAMVERKAN_SNAPSHOT_TTL_SECS")]
    pub snapshot_ttl_secs: Option<u64>,

    /// Largest accepted request body in bytes [default: 1048576]
    #[arg(long, env = "SAMVERKAN_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,

    /// Largest document (a file attached to a decision or a plan) in bytes;
    /// its upload routes take a body of this plus the largest request body
    /// [default: 20971520]
    #[arg(long, env = "SAMVERKAN_MAX_DOCUMENT_BYTES")]
    pub max_document_bytes: Option<usize>,

    /// How many heavy requests (the register, the reports, imports) run at
    /// once; more wait, then get 503. Below the database pool's 16
    /// connections, so other pages and /health always find one [default: 4]
    #[arg(long, env = "SAMVERKAN_HEAVY_PERMITS")]
    pub heavy_permits: Option<usize>,

    /// Mark cookies Secure (set this behind HTTPS)
    #[arg(long, env = "SAMVERKAN_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Mailbox for accessibility feedback, shown on the accessibility statement
    #[arg(long, env = "SAMVERKAN_FEEDBACK_EMAIL")]
    pub feedback_email: Option<String>,

    /// The site's public address, for links in e-mail [default: http://BIND]
    #[arg(long, env = "SAMVERKAN_BASE_URL")]
    pub base_url: Option<String>,

    /// SMTP server for outgoing e-mail; without it mail is written to --mail-dir
    #[arg(long, env = "SAMVERKAN_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// SMTP port [default: 587]
    #[arg(long, env = "SAMVERKAN_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    /// SMTP connection security [default: starttls]
    #[arg(long, env = "SAMVERKAN_SMTP_SECURITY")]
    pub smtp_security: Option<SmtpSecurityArg>,

    /// SMTP user name
    #[arg(long, env = "SAMVERKAN_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// SMTP password (prefer the environment variable)
    #[arg(long, env = "SAMVERKAN_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<Secret>,

    /// Sender of outgoing e-mail [default: Samverkan <noreply@samverkan.example>]
    #[arg(long, env = "SAMVERKAN_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Folder for outgoing e-mail when no SMTP server is set [default: data/mail]
    #[arg(long, env = "SAMVERKAN_MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurityArg {
    None,
    Starttls,
    Tls,
}

/// The optional TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<DatabaseUrl>,
    pub log_format: Option<LogFormat>,
    pub bind: Option<String>,
    pub demo: Option<bool>,
    pub default_agreement: Option<String>,
    pub snapshot_ttl_secs: Option<u64>,
    pub max_body_bytes: Option<usize>,
    pub max_document_bytes: Option<usize>,
    pub heavy_permits: Option<usize>,
    pub secure_cookies: Option<bool>,
    pub feedback_email: Option<String>,
    pub base_url: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: Option<SmtpSecurityArg>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Secret>,
    pub mail_from: Option<String>,
    pub mail_dir: Option<PathBuf>,
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> Result<FileConfig> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "the config file {} is invalid: {}",
                path.display(),
                e.to_string().trim()
            )
        })
    }
}

/// A database URL as given; `Debug` shows it with its password as `***`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(pub String);

impl std::str::FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(DatabaseUrl(s.to_owned()))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&samverkan_db::redact_url(&self.0), f)
    }
}

/// Settings shared by every command, resolved and checked.
#[derive(Clone)]
pub struct Common {
    pub database_url: String,
    pub log_format: LogFormat,
}

/// The database URL's password shows as `***`.
impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Common")
            .field(
                "database_url",
                &samverkan_db::redact_url(&self.database_url),
            )
            .field("log_format", &self.log_format)
            .finish()
    }
}

/// Settings of `serve`, resolved and checked.
#[derive(Debug, Clone)]
pub struct Serve {
    pub bind: SocketAddr,
    pub demo: bool,
    pub default_agreement: Option<String>,
    pub snapshot_ttl: Duration,
    pub max_body_bytes: usize,
    pub max_document_bytes: usize,
    pub heavy_permits: usize,
    pub secure_cookies: bool,
    pub feedback_email: String,
    pub mail: samverkan_app::mail::MailConfig,
}

pub fn resolve_common(args: &CommonArgs, file: &FileConfig) -> Result<Common> {
    let database_url = args
        .database_url
        .clone()
        .or_else(|| file.database_url.clone())
        .map_or(DEFAULT_DATABASE_URL.into(), |url| url.0);
    if samverkan_db::Backend::from_url(&database_url).is_none() {
        bail!(
            "the database URL '{}' is not supported: use sqlite://FILE or postgres://USER@HOST/DB",
            samverkan_db::redact_url(&database_url)
        );
    }
    Ok(Common {
        database_url,
        log_format: args
            .log_format
            .or(file.log_format)
            .unwrap_or(LogFormat::Text),
    })
}

pub fn resolve_serve(args: &ServeArgs, file: &FileConfig) -> Result<Serve> {
    let bind_text = args
        .bind
        .clone()
        .or_else(|| file.bind.clone())
        .unwrap_or(DEFAULT_BIND.into());
    let bind: SocketAddr = bind_text.parse().map_err(|_| {
        anyhow::anyhow!(
            "the bind address '{bind_text}' is not valid: write it as IP:PORT, e.g. 127.0.0.1:8080"
        )
    })?;
    let feedback_email = args
        .feedback_email
        .clone()
        .or_else(|| file.feedback_email.clone())
        .unwrap_or_else(|| samverkan_web::WebConfig::default().feedback_email);
    if !feedback_email.contains('@') || feedback_email.contains(char::is_whitespace) {
        bail!("the feedback e-mail '{feedback_email}' is not an e-mail address");
    }
    let max_body_bytes = args
        .max_body_bytes
        .or(file.max_body_bytes)
        .unwrap_or(1024 * 1024);
    if max_body_bytes < 1024 {
        bail!("the largest request body must be at least 1024 bytes; got {max_body_bytes}");
    }
    let max_document_bytes = args
        .max_document_bytes
        .or(file.max_document_bytes)
        .unwrap_or(samverkan_app::documents::DEFAULT_MAX_DOCUMENT_BYTES);
    if max_document_bytes < 1024 {
        bail!("the largest document must be at least 1024 bytes; got {max_document_bytes}");
    }
    let mail = resolve_mail(args, file, bind)?;
    Ok(Serve {
        mail,
        bind,
        demo: args.demo || file.demo.unwrap_or(false),
        default_agreement: args
            .default_agreement
            .clone()
            .or_else(|| file.default_agreement.clone()),
        snapshot_ttl: Duration::from_secs(
            args.snapshot_ttl_secs
                .or(file.snapshot_ttl_secs)
                .unwrap_or(60),
        ),
        max_body_bytes,
        max_document_bytes,
        heavy_permits: heavy_permits(args, file)?,
        secure_cookies: args.secure_cookies || file.secure_cookies.unwrap_or(false),
        feedback_email,
    })
}

/// The heavy routes' permits: at least 1, and below the pool's 16
/// connections so that other requests always find one.
fn heavy_permits(args: &ServeArgs, file: &FileConfig) -> Result<usize> {
    let permits = args.heavy_permits.or(file.heavy_permits).unwrap_or(4);
    if !(1..=12).contains(&permits) {
        bail!(
            "--heavy-permits must be between 1 and 12 (the pool has 16 connections); got {permits}"
        );
    }
    Ok(permits)
}

fn resolve_mail(
    args: &ServeArgs,
    file: &FileConfig,
    bind: SocketAddr,
) -> Result<samverkan_app::mail::MailConfig> {
    use samverkan_app::mail::{MailConfig, MailTransport, SmtpSecurity};
    let from = args
        .mail_from
        .clone()
        .or_else(|| file.mail_from.clone())
        .unwrap_or_else(|| MailConfig::default().from);
    if from.parse::<lettre::message::Mailbox>().is_err() {
        bail!("the mail sender '{from}' is not valid: write it as Name <address@example.se>");
    }
    let base_url = args
        .base_url
        .clone()
        .or_else(|| file.base_url.clone())
        .unwrap_or_else(|| format!("http://{bind}"));
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        bail!("the base URL '{base_url}' must start with http:// or https://");
    }
    let transport = match args.smtp_host.clone().or_else(|| file.smtp_host.clone()) {
        Some(host) => {
            let security = match args
                .smtp_security
                .or(file.smtp_security)
                .unwrap_or(SmtpSecurityArg::Starttls)
            {
                SmtpSecurityArg::None => SmtpSecurity::None,
                SmtpSecurityArg::Starttls => SmtpSecurity::StartTls,
                SmtpSecurityArg::Tls => SmtpSecurity::Tls,
            };
            let user = args
                .smtp_username
                .clone()
                .or_else(|| file.smtp_username.clone());
            let password = args
                .smtp_password
                .clone()
                .or_else(|| file.smtp_password.clone());
            let credentials = match (user, password) {
                (Some(u), Some(p)) => Some((u, p)),
                (None, None) => None,
                _ => bail!("set both the SMTP user name and password, or neither"),
            };
            MailTransport::Smtp {
                host,
                port: args.smtp_port.or(file.smtp_port).unwrap_or(587),
                security,
                credentials,
            }
        }
        None => MailTransport::Directory(
            args.mail_dir
                .clone()
                .or_else(|| file.mail_dir.clone())
                .unwrap_or_else(|| PathBuf::from("data/mail")),
        ),
    };
    Ok(MailConfig {
        transport,
        from,
        base_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_args() -> ServeArgs {
        ServeArgs {
            bind: None,
            demo: false,
            default_agreement: None,
            snapshot_ttl_secs: None,
            max_body_bytes: None,
            max_document_bytes: None,
            heavy_permits: None,
            secure_cookies: false,
            feedback_email: None,
            base_url: None,
            smtp_host: None,
            smtp_port: None,
            smtp_security: None,
            smtp_username: None,
            smtp_password: None,
            mail_from: None,
            mail_dir: None,
        }
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let file: FileConfig =
            toml::from_str("bind = \"127.0.0.1:9000\"\nsnapshot_ttl_secs = 9\n").unwrap();
        let from_file = resolve_serve(&serve_args(), &file).unwrap();
        assert_eq!(from_file.bind.port(), 9000);
        assert_eq!(from_file.snapshot_ttl, Duration::from_secs(9));
        let flagged = resolve_serve(
            &ServeArgs {
                bind: Some("0.0.0.0:7000".into()),
                ..serve_args()
            },
            &file,
        )
        .unwrap();
        assert_eq!(flagged.bind.port(), 7000);
        let defaults = resolve_serve(&serve_args(), &FileConfig::default()).unwrap();
        assert_eq!(defaults.bind.to_string(), DEFAULT_BIND);
    }

    #[test]
    fn bad_values_say_what_to_write() {
        let err = resolve_serve(
            &ServeArgs {
                bind: Some("localhost".into()),
                ..serve_args()
            },
            &FileConfig::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("IP:PORT"), "{err}");
        let common = CommonArgs {
            database_url: Some("mysql://x".parse().unwrap()),
            config: None,
            log_format: None,
        };
        let err = resolve_common(&common, &FileConfig::default()).unwrap_err();
        assert!(err.to_string().contains("sqlite://"), "{err}");
        let err = toml::from_str::<FileConfig>("port = 1").unwrap_err();
        assert!(err.to_string().contains("port"), "{err}");
    }

    #[test]
    fn no_password_reaches_debug_output() {
        let file: FileConfig = toml::from_str(
            "database_url = \"postgres://app:db-pass-77@db/samverkan\"\n\
             smtp_host = \"smtp.example\"\nsmtp_username = \"mailer\"\n\
             smtp_password = \"file-pass-42\"\n",
        )
        .unwrap();
        let args = ServeArgs {
            smtp_password: Some("flag-pass-13".parse().unwrap()),
            ..serve_args()
        };
        let common = CommonArgs {
            database_url: None,
            config: None,
            log_format: None,
        };
        let common = resolve_common(&common, &file).unwrap();
        let serve = resolve_serve(&args, &file).unwrap();
        let samverkan_app::mail::MailTransport::Smtp { credentials, .. } = &serve.mail.transport
        else {
            panic!("SMTP is configured");
        };
        let (user, password) = credentials.as_ref().expect("credentials are set");
        assert_eq!(
            (user.as_str(), password.expose()),
            ("mailer", "flag-pass-13")
        );
        let printed = format!("{file:?} {args:?} {common:?} {serve:?} {:?}", serve.mail);
        for secret in ["db-pass-77", "file-pass-42", "flag-pass-13"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("***"), "{printed}");
    }
}

//! Outgoing e-mail: messages are rendered when the cause happens, stored as
//! jobs in the same transaction, and sent by the job runner over SMTP (or
//! into a directory in demo mode). A failed send is retried with backoff.

use crate::{Error, Result};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Job kind for an e-mail.
pub const MAIL_JOB: &str = "mail";

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP (a local relay or a test server).
    None,
    /// STARTTLS on the submission port (usually 587).
    StartTls,
    /// TLS from the first byte (usually 465).
    Tls,
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum MailTransport {
    Smtp {
        host: String,
        port: u16,
        security: SmtpSecurity,
        /// User name and password; the password prints as `***`.
        credentials: Option<(String, crate::secret::Secret)>,
    },
    /// Each message as an `.eml` file in this folder (demo mode).
    Directory(PathBuf),
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// The sender, e.g. `Samverkan <noreply@kommun.se>`.
    pub from: String,
    /// The site's address as people reach it, for links in messages.
    pub base_url: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: MailTransport::Directory(PathBuf::from("data/mail")),
            from: "Samverkan <noreply@samverkan.example>".into(),
            base_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// A message as stored in the job payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Sends one message with the configured transport.
pub async fn send(config: &MailConfig, mail: &OutgoingMail) -> Result<()> {
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| Error::internal("mail sender", e))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| Error::internal("mail recipient", e))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(&mail.subject)
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(mail.body.clone()),
        )
        .map_err(|e| Error::internal("mail message", e))?;
    match &config.transport {
        MailTransport::Smtp {
            host,
            port,
            security,
            credentials,
        } => {
            let builder = match security {
                SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                SmtpSecurity::StartTls => {
                    AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                        .map_err(|e| Error::internal("smtp", e))?
                }
                SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                    .map_err(|e| Error::internal("smtp", e))?,
            };
            let mut builder = builder
                .port(*port)
                .timeout(Some(std::time::Duration::from_secs(20)));
            if let Some((user, password)) = credentials {
                builder = builder
                    .credentials(Credentials::new(user.clone(), password.expose().to_owned()));
            }
            builder
                .build()
                .send(message)
                .await
                .map_err(|e| Error::internal("smtp", e))?;
        }
        MailTransport::Directory(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::internal(format!("mail folder {}", dir.display()), e))?;
            AsyncFileTransport::<Tokio1Executor>::new(dir)
                .send(message)
                .await
                .map_err(|e| Error::internal("mail file", e))?;
        }
    }
    Ok(())
}

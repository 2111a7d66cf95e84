//! The test SMTP server: a real aiosmtpd process (Python) started once per
//! test binary, storing messages in a Maildir that tests read.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
}

static SERVER: OnceLock<SmtpServer> = OnceLock::new();

/// The running server, started on first use. Fails with instructions when
/// aiosmtpd is not installed.
pub fn server() -> &'static SmtpServer {
    SERVER.get_or_init(|| {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir =
            std::env::temp_dir().join(format!("samverkan-smtp-{}-{port}", std::process::id()));
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&maildir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start python3 for the test SMTP server");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("server stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read from the test SMTP server");
        assert_eq!(
            line.trim(),
            "ready",
            "the test SMTP server did not start: install it with `python3 -m pip install aiosmtpd`"
        );
        // The child is not waited for: it exits by itself when this process ends.
        std::mem::forget(child);
        SmtpServer { port, maildir }
    })
}

/// A received message, parsed enough for tests.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl SmtpServer {
    /// Every message received for `to`, oldest first.
    pub fn messages_to(&self, to: &str) -> Vec<ReceivedMail> {
        let mut files: Vec<(std::time::SystemTime, String)> = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    files.push((modified, text));
                }
            }
        }
        files.sort_by_key(|(t, _)| *t);
        files
            .into_iter()
            .filter_map(|(_, text)| parse(&text))
            .filter(|m| m.to.eq_ignore_ascii_case(to))
            .collect()
    }
}

fn parse(text: &str) -> Option<ReceivedMail> {
    let (head, body) = text
        .split_once("\n\n")
        .or_else(|| text.split_once("\r\n\r\n"))?;
    // Unfold continued header lines first.
    let head = head
        .replace("\r\n", "\n")
        .replace("\n ", " ")
        .replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| decode_words(v.trim())))
            .unwrap_or_default()
    };
    let to = header("To:");
    let to = to
        .rsplit_once('<')
        .map(|(_, a)| a.trim_end_matches('>').to_owned())
        .unwrap_or(to);
    let encoding = header("Content-Transfer-Encoding:");
    let body = if encoding.eq_ignore_ascii_case("quoted-printable") {
        decode_qp(body)
    } else {
        body.replace("\r\n", "\n")
    };
    Some(ReceivedMail {
        to,
        subject: header("Subject:"),
        body,
    })
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=` and `=?utf-8?q?…?=`);
/// the space between two encoded words goes.
fn decode_words(value: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut last_was_word = false;
    for part in value.split(' ') {
        let word = part
            .strip_prefix("=?")
            .and_then(|p| p.strip_suffix("?="))
            .and_then(|p| {
                let mut it = p.splitn(3, '?');
                Some((it.next()?, it.next()?, it.next()?))
            });
        match word {
            Some((_, enc, text)) => {
                let bytes = if enc.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .unwrap_or_default()
                } else {
                    decode_qp(&text.replace('_', " ")).into_bytes()
                };
                if !out.is_empty() && !last_was_word {
                    out.push(' ');
                }
                out.push_str(&String::from_utf8_lossy(&bytes));
                last_was_word = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(part);
                last_was_word = false;
            }
        }
    }
    out
}

/// Decodes quoted-printable text (soft line breaks and =XX bytes).
fn decode_qp(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

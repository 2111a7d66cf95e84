//! Rate limits on everything that makes the platform send e-mail, so that
//! nobody can use it to flood an inbox or to mint tokens in bulk.
//!
//! Each action is limited per source (the client's network address before
//! sign-in, the account after) and per target e-mail address, in fixed
//! one-hour windows. The counters live in the database
//! (`throttle_hits`), so every instance behind a load balancer shares them;
//! the buckets are hashed, so the table holds no address in the clear. An
//! attempt over a limit is refused with [`Error::Throttled`], which the web
//! layer answers with 429, `Retry-After` and the form as it was typed.
//! A refused attempt counts too: hammering does not reopen the window.

use crate::accounts::Secret;
use crate::{App, Error, Result};
use time::OffsetDateTime;

/// The length of a window, in seconds.
pub const WINDOW_SECS: i64 = 3600;

/// An action that sends e-mail, with its limits per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailAction {
    /// Registering: a confirmation link, or the "account exists" notice.
    SignUp,
    /// Asking for a password reset link.
    PasswordReset,
    /// Asking to change one's e-mail address (mails the new and the old one).
    EmailChange,
    /// An organisation's administrator inviting someone.
    Invitation,
    /// Applying to join an agreement (mails its coordinators).
    Application,
    /// A partner's proposed progress update (mails the responsible parties).
    Proposal,
    /// Claiming an organisation that has no members (mails its mailbox).
    Claim,
}

impl MailAction {
    fn key(self) -> &'static str {
        match self {
            MailAction::SignUp => "sign-up",
            MailAction::PasswordReset => "password-reset",
            MailAction::EmailChange => "email-change",
            MailAction::Invitation => "invitation",
            MailAction::Application => "application",
            MailAction::Proposal => "proposal",
            MailAction::Claim => "claim",
        }
    }

    /// Attempts per window from one source. Generous enough for an office
    /// behind one address on a course day; far below a flood.
    pub fn per_source(self) -> i64 {
        match self {
            MailAction::SignUp | MailAction::PasswordReset => 20,
            MailAction::EmailChange | MailAction::Application | MailAction::Claim => 20,
            MailAction::Invitation | MailAction::Proposal => 60,
        }
    }

    /// Messages per window to one e-mail address.
    pub fn per_target(self) -> i64 {
        match self {
            MailAction::SignUp | MailAction::PasswordReset | MailAction::EmailChange => 3,
            MailAction::Claim => 3,
            MailAction::Invitation => 3,
            MailAction::Application | MailAction::Proposal => 20,
        }
    }
}

/// What a refused attempt is told: when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Seconds until the window ends (at least 1).
    pub retry_after_secs: u64,
}

impl Throttled {
    /// Whole minutes to wait, rounded up, for people.
    pub fn minutes(self) -> u64 {
        self.retry_after_secs.div_ceil(60).max(1)
    }
}

impl std::fmt::Display for Throttled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "too many attempts from your network or for this e-mail address; try again in {} minutes",
            self.minutes()
        )
    }
}

/// Who makes an attempt: a client before sign-in, or an account.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The client's network address, as the web layer sees it.
    Address(&'a str),
    /// A signed-in account.
    Account(i64),
}

impl Source<'_> {
    fn key(self) -> String {
        match self {
            Source::Address(a) => format!("address:{a}"),
            Source::Account(id) => format!("account:{id}"),
        }
    }
}

fn bucket(action: MailAction, key: &str) -> String {
    Secret(format!("{}:{}", action.key(), key.trim().to_lowercase())).hash()
}

impl App {
    /// Counts an attempt at `action` from `source`, aimed at the e-mail
    /// address `target` (when the action has one), and refuses it when
    /// either is over its limit in the current window.
    pub async fn throttle(
        &self,
        action: MailAction,
        source: Source<'_>,
        target: Option<&str>,
    ) -> Result<()> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let window = now - now.rem_euclid(WINDOW_SECS);
        let refused = Error::Throttled(Throttled {
            retry_after_secs: u64::try_from(window + WINDOW_SECS - now)
                .unwrap_or(1)
                .max(1),
        });
        let by_source = self
            .db()
            .hit_throttle(&bucket(action, &source.key()), window)
            .await?;
        if by_source > action.per_source() {
            return Err(refused);
        }
        if let Some(target) = target {
            let by_target = self
                .db()
                .hit_throttle(&bucket(action, &format!("email:{}", target.trim())), window)
                .await?;
            if by_target > action.per_target() {
                return Err(refused);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_hashed_and_ignore_case() {
        let a = bucket(MailAction::SignUp, "email:Anna@Example.se");
        assert_eq!(a, bucket(MailAction::SignUp, "email:anna@example.se"));
        assert_ne!(
            a,
            bucket(MailAction::PasswordReset, "email:anna@example.se")
        );
        assert!(!a.contains("anna"));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(
            Throttled {
                retry_after_secs: 1
            }
            .minutes(),
            1
        );
        assert_eq!(
            Throttled {
                retry_after_secs: 61
            }
            .minutes(),
            2
        );
        assert_eq!(
            Throttled {
                retry_after_secs: 3600
            }
            .minutes(),
            60
        );
    }
}

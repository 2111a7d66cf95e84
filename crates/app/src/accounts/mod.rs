//! Accounts: registration with e-mail confirmation, sign-in with server-side
//! sessions, sign-out. Passwords are hashed with argon2id; session ids and
//! tokens are random 256-bit values stored only as SHA-256 hashes. Sign-in
//! and registration answer alike whether or not an address is known.

pub mod admin;

use crate::mail::{MAIL_JOB, OutgoingMail};
use crate::throttle::{MailAction, Source};
use crate::{App, Error, FieldError, Result, SignInProblem};
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use samverkan_domain::{Email, NewPassword};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// A session ends after 30 minutes without a request…
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// …and 12 hours after sign-in in any case.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);
/// A confirmation link works for 48 hours.
pub const CONFIRM_TTL: Duration = Duration::hours(48);
/// Failed sign-ins from one address in 15 minutes before it must wait.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Failed sign-ins on one account in an hour before it must wait.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 100;
const CONFIRM_PURPOSE: &str = "confirm_email";
pub(crate) const RESET_PURPOSE: &str = "reset_password";
const CHANGE_EMAIL_PURPOSE: &str = "change_email";
/// A password-reset link works for one hour.
pub const RESET_TTL: Duration = Duration::hours(1);

/// A secret value for a cookie or a link; only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    pub fn generate() -> Secret {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Secret(hex(&bytes))
    }

    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who is signed in on a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    /// Hash of the session id, to sign this session out.
    pub session: String,
}

/// The registration form as typed.
#[derive(Debug, Clone, Default)]
pub struct SignUpForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

fn field(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

pub(crate) async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| Error::internal("hashing task", e))?
    .map_err(|e| Error::internal("hashing", e))
}

/// Verifies on a blocking thread. With no stored hash, a dummy hash is
/// verified so an unknown address takes as long as a known one.
async fn verify_password(password: String, stored: Option<String>) -> bool {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"not a real password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    });
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.clone());
        let ok = PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && known
    })
    .await
    .unwrap_or(false)
}

impl App {
    /// Registers an account and sends a confirmation link. An address that
    /// already has an account gets a notice instead; the answer is the same.
    /// `address` is the client's network address: sign-ups are limited per
    /// address and per e-mail address (`throttle::MailAction::SignUp`),
    /// alike for known and unknown addresses.
    pub async fn sign_up(&self, form: &SignUpForm, address: &str) -> Result<()> {
        let mut errors = Vec::new();
        let email = Email::parse(&form.email)
            .map_err(|e| errors.push(field("email", "email-invalid", e.0)))
            .ok();
        let name = form.display_name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(field(
                "display_name",
                "name-length",
                "write your name, at most 100 characters",
            ));
        }
        if let Err(p) = NewPassword::parse(&form.password, &[&form.email, name]) {
            errors.push(field("password", p.code(), p.to_string()));
        }
        let Some(email) = email.filter(|_| errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        self.throttle(
            MailAction::SignUp,
            Source::Address(address),
            Some(email.as_str()),
        )
        .await?;
        let now = OffsetDateTime::now_utc();
        let base = self.base_url();
        let existing = self.db().user_by_email(email.as_str()).await?;
        let mut tx = self.db().begin().await?;
        let mail = match existing {
            Some(_) => OutgoingMail {
                to: email.to_string(),
                subject: "Samverkan: ditt konto finns redan / your account already exists".into(),
                body: format!(
                    "Någon försökte skapa ett konto på Samverkan med den här adressen. Om det var du har du redan ett konto: logga in på {base}/login\n\
                     Om det inte var du kan du bortse från meddelandet.\n\n\
                     Someone tried to create a Samverkan account with this address. If it was you, you already have an account: sign in at {base}/login\n\
                     If it was not you, you can ignore this message.\n"
                ),
            },
            None => {
                let hash = hash_password(form.password.clone()).await?;
                let user_id = match tx.insert_user(email.as_str(), name, &hash, now).await {
                    Ok(id) => id,
                    // Registered at the same moment by another request: the
                    // answer stays the same, and that request sent the link.
                    Err(samverkan_db::DbError::Conflict { .. }) => return Ok(()),
                    Err(e) => return Err(e.into()),
                };
                let token = Secret::generate();
                tx.insert_token(
                    &token.hash(),
                    user_id,
                    CONFIRM_PURPOSE,
                    now + CONFIRM_TTL,
                    None,
                )
                .await?;
                OutgoingMail {
                    to: email.to_string(),
                    subject: "Samverkan: bekräfta din e-postadress / confirm your e-mail address"
                        .into(),
                    body: format!(
                        "Hej {name}!\n\nBekräfta din e-postadress genom att öppna länken (den gäller i 48 timmar):\n{base}/confirm/{token}\n\n\
                         Hello {name}!\n\nConfirm your e-mail address by opening the link (valid for 48 hours):\n{base}/confirm/{token}\n",
                        token = token.0
                    ),
                }
            }
        };
        self.enqueue_mail(&mut tx, &mail, now).await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Confirms the address behind a link. A used or expired link is refused.
    pub async fn confirm_email(&self, token: &str) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let user = tx
            .use_token(&Secret(token.to_owned()).hash(), CONFIRM_PURPOSE, now)
            .await?;
        let Some(user_id) = user else {
            return Err(Error::NotFound("confirmation link"));
        };
        tx.confirm_email(user_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Signs in: a new session with a new id. `address` is the client's
    /// network address, for throttling.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
        user_agent: &str,
    ) -> Result<Secret> {
        let now = OffsetDateTime::now_utc();
        let email = email.trim().to_lowercase();
        let (by_account, by_address) = self
            .db()
            .login_failures_since(
                &email,
                address,
                now - Duration::hours(1),
                now - Duration::minutes(15),
            )
            .await?;
        if by_address >= MAX_FAILURES_PER_ADDRESS {
            return Err(Error::SignIn(SignInProblem::TooManyAttempts));
        }
        let user = self.db().user_by_email(&email).await?;
        // Past the per-account limit only addresses the owner has signed in
        // from before may try: an attacker cannot lock the owner out.
        if by_account >= MAX_FAILURES_PER_ACCOUNT {
            let known = match &user {
                Some(u) => self.db().is_known_address(u.id, address).await?,
                None => false,
            };
            if !known {
                return Err(Error::SignIn(SignInProblem::TooManyAttempts));
            }
        }
        let ok = verify_password(
            password.to_owned(),
            user.as_ref().map(|u| u.password_hash.clone()),
        )
        .await;
        let user = match user {
            Some(u) if ok => u,
            _ => {
                self.db().record_login_failure(&email, address, now).await?;
                return Err(Error::SignIn(SignInProblem::WrongCredentials));
            }
        };
        if user.email_confirmed_at.is_none() {
            return Err(Error::SignIn(SignInProblem::NotConfirmed));
        }
        let session = Secret::generate();
        let mut tx = self.db().begin().await?;
        let agent: String = user_agent.chars().take(200).collect();
        tx.insert_session(&session.hash(), user.id, now, &agent)
            .await?;
        tx.remember_address(user.id, address, now).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// The signed-in person for a session cookie, if the session is live.
    /// An idle or too old session is removed.
    pub async fn current_user(&self, session: &str) -> Result<Option<CurrentUser>> {
        let hash = Secret(session.to_owned()).hash();
        let Some(row) = self.db().session_user(&hash).await? else {
            return Ok(None);
        };
        let now = OffsetDateTime::now_utc();
        if now - row.last_seen_at > SESSION_IDLE || now - row.session_created_at > SESSION_ABSOLUTE
        {
            self.db().delete_session(&hash).await?;
            return Ok(None);
        }
        if now - row.last_seen_at > Duration::minutes(1) {
            self.db().touch_session(&hash, now).await?;
        }
        Ok(Some(CurrentUser {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            is_platform_admin: row.is_platform_admin,
            session: hash,
        }))
    }

    /// Ends the session.
    pub async fn sign_out(&self, user: &CurrentUser) -> Result<()> {
        Ok(self.db().delete_session(&user.session).await?)
    }
}

/// One of a person's sessions, for the list on the account page.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// The stored hash: identifies the session without revealing its cookie.
    pub handle: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub user_agent: String,
    pub is_current: bool,
}

impl App {
    pub(crate) async fn enqueue_mail(
        &self,
        tx: &mut samverkan_db::Tx,
        mail: &OutgoingMail,
        now: OffsetDateTime,
    ) -> Result<()> {
        let payload =
            serde_json::to_string(mail).map_err(|e| Error::internal("mail payload", e))?;
        tx.enqueue_job(MAIL_JOB, &payload, now).await?;
        Ok(())
    }

    pub(crate) fn base_url(&self) -> String {
        self.inner.mail.base_url.trim_end_matches('/').to_owned()
    }

    /// Sends a reset link if the address has an account; answers alike
    /// either way. Limited per client `address` and per e-mail address,
    /// alike for known and unknown ones; a new link voids the earlier ones.
    pub async fn request_password_reset(&self, email: &str, address: &str) -> Result<()> {
        let Ok(email) = Email::parse(email) else {
            return Ok(());
        };
        self.throttle(
            MailAction::PasswordReset,
            Source::Address(address),
            Some(email.as_str()),
        )
        .await?;
        let Some(user) = self.db().user_by_email(email.as_str()).await? else {
            return Ok(());
        };
        let now = OffsetDateTime::now_utc();
        let token = Secret::generate();
        let base = self.base_url();
        let mut tx = self.db().begin().await?;
        tx.drop_tokens(user.id, RESET_PURPOSE).await?;
        tx.insert_token(&token.hash(), user.id, RESET_PURPOSE, now + RESET_TTL, None)
            .await?;
        let mail = OutgoingMail {
            to: user.email.clone(),
            subject: "Samverkan: nytt lösenord / new password".into(),
            body: format!(
                "Hej {name}!\n\nVälj ett nytt lösenord genom att öppna länken (den gäller i en timme):\n{base}/reset/{token}\n\
                 Bad du inte om detta kan du bortse från meddelandet; ditt lösenord är oförändrat.\n\n\
                 Hello {name}!\n\nChoose a new password by opening the link (valid for one hour):\n{base}/reset/{token}\n\
                 If you did not ask for this, you can ignore the message; your password is unchanged.\n",
                name = user.display_name,
                token = token.0
            ),
        };
        self.enqueue_mail(&mut tx, &mail, now).await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Whether a reset link is still good (to show the form or say it is not).
    pub async fn reset_link_is_valid(&self, token: &str) -> Result<bool> {
        let hash = Secret(token.to_owned()).hash();
        Ok(self
            .db()
            .token_user(&hash, RESET_PURPOSE, OffsetDateTime::now_utc())
            .await?
            .is_some())
    }

    /// Sets a new password from a reset link, ends every session of the
    /// account and tells the owner by mail. A bad password keeps the link.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        let hash = Secret(token.to_owned()).hash();
        let user_id = self
            .db()
            .token_user(&hash, RESET_PURPOSE, now)
            .await?
            .ok_or(Error::NotFound("reset link"))?;
        let user = self
            .db()
            .user_by_id(user_id)
            .await?
            .ok_or(Error::NotFound("account"))?;
        if let Err(p) = NewPassword::parse(password, &[&user.email, &user.display_name]) {
            return Err(Error::Validation(vec![field(
                "password",
                p.code(),
                p.to_string(),
            )]));
        }
        let password_hash = hash_password(password.to_owned()).await?;
        let mut tx = self.db().begin().await?;
        tx.use_token(&hash, RESET_PURPOSE, now)
            .await?
            .ok_or(Error::NotFound("reset link"))?;
        tx.set_password(user.id, &password_hash).await?;
        // A link that reset the password also proves the address.
        tx.confirm_email(user.id, now).await?;
        tx.delete_sessions_of(user.id, None).await?;
        self.enqueue_mail(
            &mut tx,
            &password_changed_notice(&user.email, &user.display_name),
            now,
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Changes the password of the signed-in person, who must give the
    /// current one. Other sessions end; this one stays.
    pub async fn change_password(
        &self,
        user: &CurrentUser,
        current: &str,
        new: &str,
    ) -> Result<()> {
        self.check_password(user, current, "current_password")
            .await?;
        if let Err(p) = NewPassword::parse(new, &[&user.email, &user.display_name]) {
            return Err(Error::Validation(vec![field(
                "new_password",
                p.code(),
                p.to_string(),
            )]));
        }
        let password_hash = hash_password(new.to_owned()).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        tx.set_password(user.id, &password_hash).await?;
        tx.delete_sessions_of(user.id, Some(&user.session)).await?;
        self.enqueue_mail(
            &mut tx,
            &password_changed_notice(&user.email, &user.display_name),
            now,
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Checks the signed-in person's password before a sensitive change;
    /// a wrong one is a problem on `field`.
    async fn check_password(
        &self,
        user: &CurrentUser,
        password: &str,
        field_name: &'static str,
    ) -> Result<samverkan_db::accounts::UserRow> {
        let stored = self
            .db()
            .user_by_id(user.id)
            .await?
            .ok_or(Error::NotFound("account"))?;
        if !verify_password(password.to_owned(), Some(stored.password_hash.clone())).await {
            return Err(Error::Validation(vec![field(
                field_name,
                "current-password-wrong",
                "the password is wrong",
            )]));
        }
        Ok(stored)
    }

    /// The person's live sessions, the most recently used first.
    pub async fn sessions(&self, user: &CurrentUser) -> Result<Vec<SessionInfo>> {
        let now = OffsetDateTime::now_utc();
        Ok(self
            .db()
            .sessions_of(user.id)
            .await?
            .into_iter()
            .filter(|s| {
                now - s.last_seen_at <= SESSION_IDLE && now - s.created_at <= SESSION_ABSOLUTE
            })
            .map(|s| SessionInfo {
                is_current: crate::secret::same(&s.id_hash, &user.session),
                handle: s.id_hash,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                user_agent: s.user_agent,
            })
            .collect())
    }

    /// Ends one of the person's own sessions (never another person's).
    pub async fn revoke_session(&self, user: &CurrentUser, handle: &str) -> Result<()> {
        let owned = self
            .db()
            .sessions_of(user.id)
            .await?
            .into_iter()
            .any(|s| crate::secret::same(&s.id_hash, handle));
        if !owned {
            return Err(Error::NotFound("session"));
        }
        Ok(self.db().delete_session(handle).await?)
    }
}

impl App {
    /// Everything held about the signed-in person, for download (GDPR art. 15 and 20).
    pub async fn export_personal_data(&self, user: &CurrentUser) -> Result<serde_json::Value> {
        let account = self
            .db()
            .user_by_id(user.id)
            .await?
            .ok_or(Error::NotFound("account"))?;
        let sessions = self.db().sessions_of(user.id).await?;
        let roles = self.db().roles_of(user.id).await?;
        let terms = self.db().terms_held_by(user.id).await?;
        let items = self.db().action_items_owned_by(user.id).await?;
        let applications = self.db().accessions_for_person(user.id).await?;
        let failures = self.db().login_failures_for(&account.email).await?;
        let updates = self.db().updates_by(user.id).await?;
        let register_texts = self.db().register_texts_by(user.id).await?;
        let time = |t: OffsetDateTime| {
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        };
        Ok(serde_json::json!({
            "account": {
                "email": account.email,
                "display_name": account.display_name,
                "created_at": time(account.created_at),
                "email_confirmed_at": account.email_confirmed_at.map(time),
                "is_platform_admin": account.is_platform_admin,
                "password": "stored only as an argon2id hash, not included",
            },
            "sessions": sessions.iter().map(|s| serde_json::json!({
                "created_at": time(s.created_at),
                "last_seen_at": time(s.last_seen_at),
                "user_agent": s.user_agent,
            })).collect::<Vec<_>>(),
            "organisation_memberships": roles.organisations.iter().map(|(slug, name, role)| serde_json::json!({
                "organisation": slug, "name": name, "role": role,
            })).collect::<Vec<_>>(),
            "coordinator_of": roles.coordinates.iter().map(|(slug, _)| slug).collect::<Vec<_>>(),
            "official_of": roles.bodies.iter().map(|(key, _)| key).collect::<Vec<_>>(),
            "role_terms": terms.iter().map(|t| serde_json::json!({
                "agreement": t.agreement,
                "role": t.role,
                "starts_on": t.starts_on.to_string(),
                "ends_on": t.ends_on.map(|d| d.to_string()),
            })).collect::<Vec<_>>(),
            "action_items_owned": items.iter().map(|i| serde_json::json!({
                "agreement": i.agreement,
                "title": i.title,
                "due_on": i.due_on.map(|d| d.to_string()),
                "status": i.status,
            })).collect::<Vec<_>>(),
            "applications_to_join": applications.iter().map(|a| serde_json::json!({
                "agreement": a.agreement_slug,
                "party": a.organisation_name.as_ref().or(a.city_body_name.as_ref()).or(a.person_name.as_ref()),
                "status": a.status,
                "applied_on": a.applied_on.to_string(),
            })).collect::<Vec<_>>(),
            "activity_updates_written": updates.iter().map(|u| serde_json::json!({
                "activity": u.activity,
                "written_on": u.written_on.to_string(),
                "state": u.state,
                "party": u.party_name,
                "text": u.body,
            })).collect::<Vec<_>>(),
            "register_remarks_and_report_contributions": register_texts.iter().map(|(place, at, kind, body)| serde_json::json!({
                "about": place, "at": time(*at), "kind": kind, "text": body,
            })).collect::<Vec<_>>(),
            "failed_sign_ins": failures.iter().map(|(at, address)| serde_json::json!({
                "at": time(*at), "network_address": address,
            })).collect::<Vec<_>>(),
        }))
    }

    /// Deletes the account's personal data and ends every session. The
    /// person must give their password.
    pub async fn delete_account(&self, user: &CurrentUser, password: &str) -> Result<()> {
        let stored = self.check_password(user, password, "password").await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        tx.erase_user(user.id, &stored.email).await?;
        tx.audit(
            now,
            None,
            "account-deleted",
            &format!("person {}", user.id),
            "personal data removed",
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(())
    }
}

impl App {
    /// Starts a change of address: the person gives their password and the
    /// new address; a link goes to the new address and a notice to the old
    /// one. An address that already has an account gets a notice instead of
    /// a link, and the answer is the same.
    pub async fn request_email_change(
        &self,
        user: &CurrentUser,
        password: &str,
        new_email: &str,
    ) -> Result<()> {
        let new = Email::parse(new_email)
            .map_err(|e| Error::Validation(vec![field("new_email", "email-invalid", e.0)]))?;
        let stored = self
            .check_password(user, password, "email_password")
            .await?;
        if new.as_str() == stored.email {
            return Err(Error::Validation(vec![field(
                "new_email",
                "email-same",
                "this is already your address",
            )]));
        }
        self.throttle(
            MailAction::EmailChange,
            Source::Account(user.id),
            Some(new.as_str()),
        )
        .await?;
        let now = OffsetDateTime::now_utc();
        let base = self.base_url();
        let name = &stored.display_name;
        let taken = self.db().user_by_email(new.as_str()).await?.is_some();
        let mut tx = self.db().begin().await?;
        let to_new = if taken {
            OutgoingMail {
                to: new.to_string(),
                subject: "Samverkan: adressen har redan ett konto / the address already has an account".into(),
                body: "Någon försökte flytta ett konto på Samverkan till den här adressen, men adressen har redan ett konto. Ingenting har ändrats.\n\n\
                       Someone tried to move a Samverkan account to this address, but the address already has an account. Nothing was changed.\n".into(),
            }
        } else {
            let token = Secret::generate();
            tx.insert_token(
                &token.hash(),
                user.id,
                CHANGE_EMAIL_PURPOSE,
                now + CONFIRM_TTL,
                Some(new.as_str()),
            )
            .await?;
            OutgoingMail {
                to: new.to_string(),
                subject:
                    "Samverkan: bekräfta din nya e-postadress / confirm your new e-mail address"
                        .into(),
                body: format!(
                    "Hej {name}!\n\nBekräfta att ditt konto ska använda den här adressen genom att öppna länken (den gäller i 48 timmar):\n{base}/confirm-email/{token}\n\n\
                     Hello {name}!\n\nConfirm that your account should use this address by opening the link (valid for 48 hours):\n{base}/confirm-email/{token}\n",
                    token = token.0
                ),
            }
        };
        self.enqueue_mail(&mut tx, &to_new, now).await?;
        self.enqueue_mail(
            &mut tx,
            &OutgoingMail {
                to: stored.email.clone(),
                subject: "Samverkan: byte av e-postadress / change of e-mail address".into(),
                body: format!(
                    "Hej {name}!\n\nNågon som är inloggad på ditt konto har bett om att byta kontots e-postadress till {new}. Bytet sker först när den nya adressen har bekräftats.\n\
                     Var det inte du? Byt lösenord genast och avsluta andra inloggningar på {base}/account\n\n\
                     Hello {name}!\n\nSomeone signed in to your account asked to change its e-mail address to {new}. The change happens only when the new address is confirmed.\n\
                     Was it not you? Change your password at once and end other sign-ins at {base}/account\n"
                ),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// Completes a change of address from the link sent to the new address;
    /// the old address is told.
    pub async fn confirm_email_change(&self, token: &str) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let (user_id, payload) = tx
            .use_token_with_payload(&Secret(token.to_owned()).hash(), CHANGE_EMAIL_PURPOSE, now)
            .await?
            .ok_or(Error::NotFound("confirmation link"))?;
        let new = payload.ok_or(Error::NotFound("confirmation link"))?;
        let user = self
            .db()
            .user_by_id(user_id)
            .await?
            .ok_or(Error::NotFound("account"))?;
        tx.set_email(user_id, &new, now)
            .await
            .map_err(|e| match e {
                samverkan_db::DbError::Conflict { .. } => Error::conflict(
                    "email-taken-meanwhile",
                    "the address got an account of its own meanwhile",
                ),
                other => other.into(),
            })?;
        self.enqueue_mail(
            &mut tx,
            &OutgoingMail {
                to: user.email.clone(),
                subject: "Samverkan: din e-postadress är bytt / your e-mail address was changed".into(),
                body: format!(
                    "Hej {name}!\n\nDitt konto på Samverkan använder nu adressen {new}. Meddelanden går inte längre till den här adressen.\n\
                     Var det inte du? Kontakta oss genast.\n\n\
                     Hello {name}!\n\nYour Samverkan account now uses the address {new}. Messages no longer go to this address.\n\
                     Was it not you? Contact us at once.\n",
                    name = user.display_name
                ),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }
}

fn password_changed_notice(email: &str, name: &str) -> OutgoingMail {
    OutgoingMail {
        to: email.to_owned(),
        subject: "Samverkan: ditt lösenord är ändrat / your password was changed".into(),
        body: format!(
            "Hej {name}!\n\nLösenordet till ditt konto på Samverkan har just ändrats och alla andra inloggningar har avslutats.\n\
             Var det inte du? Välj ett nytt lösenord via \"Glömt lösenordet?\" och kontakta oss.\n\n\
             Hello {name}!\n\nThe password of your Samverkan account was just changed and all other sign-ins were ended.\n\
             Was it not you? Choose a new password through \"Forgot your password?\" and contact us.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (Secret::generate(), Secret::generate());
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 64);
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.0);
        assert!(!format!("{a:?}").contains(&a.0));
    }
}

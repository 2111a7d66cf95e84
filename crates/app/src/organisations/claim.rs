//! Claiming an organisation that has no members: one brought in by the
//! directory import, say, before anyone from it had an account. A signed-in
//! person asks; a single-use link valid for 48 hours goes to the
//! organisation's own public mailbox, so whoever reads that mailbox vouches
//! for them; the person who asked opens it, signed in, and becomes the
//! organisation's first administrator. From then on its administrators
//! keep it (and the directory import leaves it alone). An organisation with
//! members is not claimed: its administrators invite people. One without a
//! mailbox is claimed through a platform administrator.

use crate::accounts::{CONFIRM_TTL, CurrentUser, Secret};
use crate::mail::OutgoingMail;
use crate::throttle::{MailAction, Source};
use crate::{App, Error, Result};
use time::OffsetDateTime;

/// The purpose of a claim's link among the account tokens.
const CLAIM_PURPOSE: &str = "claim-organisation";

/// Whether and how an organisation may be claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimable {
    /// It has members: its administrators invite people.
    HasMembers,
    /// No members, and no public mailbox to send the link to.
    NoMailbox,
    /// No members: the link goes to this mailbox.
    ByMailbox(String),
}

/// A claim's link as the person who opens it sees it.
#[derive(Debug, Clone)]
pub struct ClaimView {
    /// The organisation's row id.
    pub(crate) organisation_id: i64,
    pub organisation_slug: String,
    pub organisation_name: String,
    /// The link was sent for the signed-in person.
    pub for_viewer: bool,
}

fn has_members() -> Error {
    Error::conflict(
        "organisation-has-members",
        "the organisation already has administrators; ask one of them to invite you",
    )
}

/// How an organisation with this mailbox and this many members is claimed.
fn claimable_of(mailbox: Option<String>, members: i64) -> Claimable {
    match (members, mailbox) {
        (0, Some(m)) if !m.trim().is_empty() => Claimable::ByMailbox(m),
        (0, _) => Claimable::NoMailbox,
        _ => Claimable::HasMembers,
    }
}

impl App {
    /// Whether the organisation `slug` may be claimed, and how.
    pub async fn claimable(&self, slug: &str) -> Result<Claimable> {
        let (_, _, mailbox, members) = (self.db().organisation_for_claim(slug).await?)
            .ok_or(Error::NotFound("organisation"))?;
        Ok(claimable_of(mailbox, members))
    }

    /// Asks to become the first administrator of an organisation without
    /// members: the link goes to the organisation's public mailbox.
    pub async fn request_claim(&self, user: &CurrentUser, slug: &str) -> Result<()> {
        let (_, name, mailbox, members) = (self.db().organisation_for_claim(slug).await?)
            .ok_or(Error::NotFound("organisation"))?;
        let mailbox = match claimable_of(mailbox, members) {
            Claimable::ByMailbox(m) => m,
            Claimable::HasMembers => return Err(has_members()),
            Claimable::NoMailbox => {
                return Err(Error::conflict(
                    "organisation-no-mailbox",
                    "the organisation has no public mailbox to confirm a claim; ask a platform administrator",
                ));
            }
        };
        self.throttle(MailAction::Claim, Source::Account(user.id), Some(&mailbox))
            .await?;
        let now = OffsetDateTime::now_utc();
        let token = Secret::generate();
        let base = self.base_url();
        let who = &user.display_name;
        let mut tx = self.db().begin().await?;
        tx.insert_token(
            &token.hash(),
            user.id,
            CLAIM_PURPOSE,
            now + CONFIRM_TTL,
            Some(slug),
        )
        .await?;
        let mail = OutgoingMail {
            to: mailbox,
            subject: format!("Samverkan: {who} vill förvalta {name} / {who} asks to keep {name}"),
            body: format!(
                "Hej!\n\n{who} har ett konto på Samverkan och vill bli administratör för {name}, som ännu inte har någon som förvaltar den där. \
                 Om {who} ska få göra det: skicka den här länken till {who}, som öppnar den inloggad (den gäller i 48 timmar och fungerar en gång):\n{base}/organisations/claims/{token}\n\n\
                 Känner ni inte igen {who}? Gör ingenting; ingenting ändras.\n\n\
                 Hello!\n\n{who} has an account on Samverkan and asks to become the administrator of {name}, which nobody keeps there yet. \
                 If {who} should: send this link to {who}, who opens it signed in (it is valid for 48 hours and works once):\n{base}/organisations/claims/{token}\n\n\
                 Do you not know {who}? Do nothing; nothing changes.\n",
                token = token.0
            ),
        };
        self.enqueue_mail(&mut tx, &mail, now).await?;
        tx.audit(
            now,
            Some(user.id),
            "organisation-claim-requested",
            slug,
            who,
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// What a claim's link offers the signed-in person `viewer`.
    pub async fn claim(&self, viewer: &CurrentUser, token: &str) -> Result<ClaimView> {
        let hash = Secret(token.to_owned()).hash();
        let now = OffsetDateTime::now_utc();
        let (user_id, slug) = (self
            .db()
            .token_with_payload(&hash, CLAIM_PURPOSE, now)
            .await?)
            .ok_or(Error::NotFound("claim link"))?;
        let slug = slug.ok_or(Error::NotFound("claim link"))?;
        let (organisation_id, name, _, _) = (self.db().organisation_for_claim(&slug).await?)
            .ok_or(Error::NotFound("organisation"))?;
        Ok(ClaimView {
            organisation_id,
            organisation_slug: slug,
            organisation_name: name,
            for_viewer: user_id == viewer.id,
        })
    }

    /// Makes the signed-in person the organisation's first administrator
    /// from the link sent to its mailbox; returns its slug. Only the person
    /// who asked may use the link, and only while the organisation has no
    /// members; anyone else is refused without using it up.
    pub async fn confirm_claim(&self, user: &CurrentUser, token: &str) -> Result<String> {
        let view = self.claim(user, token).await?;
        if !view.for_viewer {
            return Err(Error::Forbidden(
                "the link was sent for another account; the person who asked opens it signed in",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let hash = Secret(token.to_owned()).hash();
        let mut tx = self.db().begin().await?;
        (tx.use_token_with_payload(&hash, CLAIM_PURPOSE, now).await?)
            .ok_or(Error::NotFound("claim link"))?;
        if !tx
            .add_first_admin(view.organisation_id, user.id, now)
            .await?
        {
            return Err(has_members());
        }
        let slug = view.organisation_slug;
        tx.audit(
            now,
            Some(user.id),
            "organisation-claimed",
            &slug,
            &user.display_name,
        )
        .await?;
        tx.commit().await?;
        Ok(slug)
    }
}

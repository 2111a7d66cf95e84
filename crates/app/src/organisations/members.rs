//! Members of an organisation and their roles. Administrators invite people
//! by e-mail with a single-use link that expires, change roles and remove
//! members; an organisation always keeps at least one administrator.

use crate::accounts::{CurrentUser, Secret};
use crate::mail::OutgoingMail;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::organisations::{InvitationRow, MemberRow, NewInvitation};
use samverkan_domain::{Email, MemberRole};
use time::{Duration, OffsetDateTime};

/// An invitation link works for seven days.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// An organisation's members and open invitations, for its members.
pub struct MembersView {
    pub slug: String,
    pub name: String,
    pub members: Vec<MemberRow>,
    pub invitations: Vec<InvitationRow>,
    /// Whether the viewer is an administrator (may invite and change roles).
    pub can_manage: bool,
}

/// An invitation as the invited person sees it.
pub struct InvitationView {
    pub organisation_slug: String,
    pub organisation_name: String,
    pub role: MemberRole,
    /// Still open and unexpired.
    pub usable: bool,
    /// When the invitation was sent to another address than the viewer's:
    /// that address, masked (`a…@example.se`). Only that address's account
    /// may accept it; for anyone else it stays open and untouched.
    pub sent_to_other: Option<String>,
}

/// An address as a hint that does not spell it out: `anna@example.se` →
/// `a…@example.se`.
pub fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".to_owned(),
    }
}

/// Whether an invitation to `invited` is for the account at `email`.
fn is_for(invited: &str, email: &str) -> bool {
    invited.trim().eq_ignore_ascii_case(email.trim())
}

fn parse_role(text: &str) -> Result<MemberRole> {
    MemberRole::parse(text).map_err(|_| {
        Error::Validation(vec![FieldError::new(
            "role",
            "member-role-invalid",
            "choose the role: member or administrator",
        )])
    })
}

/// Refuses anyone but an administrator of the organisation.
pub(crate) fn require_admin(roles: &Roles, slug: &str) -> Result<()> {
    if roles.is_admin_of(slug) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "not an administrator of this organisation",
        ))
    }
}

/// Refuses to let the last administrator (of role `current`) go.
async fn keep_an_admin(tx: &mut samverkan_db::Tx, org_id: i64, current: &str) -> Result<()> {
    if current == MemberRole::Admin.as_str() && tx.count_admins(org_id).await? <= 1 {
        return Err(Error::conflict(
            "last-admin",
            "an organisation needs at least one administrator; make someone else one first",
        ));
    }
    Ok(())
}

impl App {
    async fn organisation_id(&self, slug: &str) -> Result<i64> {
        Ok(self
            .db()
            .organisation_key(slug)
            .await?
            .ok_or(Error::NotFound("organisation"))?
            .0)
    }

    /// The members of an organisation; only its members may see them.
    pub async fn members(&self, roles: &Roles, slug: &str) -> Result<MembersView> {
        if !roles.is_member_of(slug) {
            return Err(Error::Forbidden("not a member of this organisation"));
        }
        let id = self.organisation_id(slug).await?;
        let can_manage = roles.is_admin_of(slug);
        Ok(MembersView {
            slug: slug.to_owned(),
            name: self.organisation(slug).await?.name,
            members: self.db().members_of(id).await?,
            invitations: if can_manage {
                self.db().open_invitations(id).await?
            } else {
                Vec::new()
            },
            can_manage,
        })
    }

    /// Invites `email` to the organisation with `role`, by a mailed link.
    pub async fn invite_member(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        email: &str,
        role: &str,
    ) -> Result<()> {
        require_admin(roles, slug)?;
        let mut errors = Vec::new();
        let email = Email::parse(email)
            .map_err(|e| errors.push(FieldError::new("email", "email-invalid", e.0)))
            .ok();
        let role = parse_role(role)
            .map_err(|e| {
                if let Error::Validation(mut v) = e {
                    errors.append(&mut v)
                }
            })
            .ok();
        let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        self.throttle(
            crate::throttle::MailAction::Invitation,
            crate::throttle::Source::Account(user.id),
            Some(email.as_str()),
        )
        .await?;
        let id = self.organisation_id(slug).await?;
        let name = self.organisation(slug).await?.name;
        let now = OffsetDateTime::now_utc();
        let token = Secret::generate();
        let base = self.base_url();
        let mut tx = self.db().begin().await?;
        tx.insert_invitation(&NewInvitation {
            organisation_id: id,
            email: email.as_str(),
            role: role.as_str(),
            token_hash: &token.hash(),
            invited_by: user.id,
            created_at: now,
            expires_at: now + INVITATION_TTL,
        })
        .await?;
        let (sv_role, en_role) = match role {
            MemberRole::Admin => ("administratör", "administrator"),
            MemberRole::Member => ("medlem", "member"),
        };
        self.enqueue_mail(
            &mut tx,
            &OutgoingMail {
                to: email.to_string(),
                subject: format!("Samverkan: inbjudan till {name}"),
                body: format!(
                    "Hej!\n\n{who} bjuder in dig som {sv_role} i {name} på Samverkan. Öppna länken för att tacka ja (den gäller i sju dagar och kan användas en gång):\n{base}/invitations/{token}\n\
                     Har du inget konto skapar du ett först på {base}/register och öppnar sedan länken igen.\n\n\
                     Hello!\n\n{who} invites you as {en_role} of {name} on Samverkan. Open the link to accept (valid for seven days, once):\n{base}/invitations/{token}\n\
                     If you have no account, create one first at {base}/register and then open the link again.\n",
                    who = user.display_name,
                    token = token.0
                ),
            },
            now,
        )
        .await?;
        tx.audit(
            now,
            Some(user.id),
            "member-invited",
            slug,
            &format!("{email} ({})", role.as_str()),
        )
        .await?;
        tx.commit().await?;
        self.jobs_enqueued();
        Ok(())
    }

    /// What an invitation link offers the signed-in person `viewer`.
    pub async fn invitation(&self, viewer: &CurrentUser, token: &str) -> Result<InvitationView> {
        let row = self
            .db()
            .invitation_by_token(&Secret(token.to_owned()).hash())
            .await?
            .ok_or(Error::NotFound("invitation"))?;
        let usable = row.accepted_at.is_none()
            && row.revoked_at.is_none()
            && row.expires_at > OffsetDateTime::now_utc();
        Ok(InvitationView {
            organisation_slug: row.organisation_slug,
            organisation_name: row.organisation_name,
            role: parse_role(&row.role)?,
            usable,
            sent_to_other: (!is_for(&row.email, &viewer.email)).then(|| masked(&row.email)),
        })
    }

    /// Accepts an invitation for the signed-in person; returns the
    /// organisation's slug. A person who is already a member keeps their role.
    /// Only the account of the invited address may accept: a link is not a
    /// bearer token, and anyone else is refused without using it up.
    pub async fn accept_invitation(&self, user: &CurrentUser, token: &str) -> Result<String> {
        let row = self
            .db()
            .invitation_by_token(&Secret(token.to_owned()).hash())
            .await?
            .ok_or(Error::NotFound("invitation"))?;
        if !is_for(&row.email, &user.email) {
            return Err(Error::Forbidden(
                "the invitation was sent to another e-mail address; sign in with that address to accept it",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let (org_id, role) = tx
            .accept_invitation(row.id, user.id, now)
            .await?
            .ok_or_else(|| {
                Error::conflict(
                    "invitation-used",
                    "the invitation has been used, withdrawn or has expired",
                )
            })?;
        tx.add_member_if_new(org_id, user.id, &role, now).await?;
        tx.audit(
            now,
            Some(user.id),
            "member-joined",
            &row.organisation_slug,
            &format!("{} ({role})", user.display_name),
        )
        .await?;
        tx.commit().await?;
        Ok(row.organisation_slug)
    }

    /// Withdraws an open invitation of the organisation.
    pub async fn revoke_invitation(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        invitation: i64,
    ) -> Result<()> {
        require_admin(roles, slug)?;
        let org_id = self.organisation_id(slug).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let email = tx
            .revoke_invitation(org_id, invitation, now)
            .await?
            .ok_or(Error::NotFound("invitation"))?;
        tx.audit(
            now,
            Some(user.id),
            "member-invitation-revoked",
            slug,
            &email,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a member another role. The last administrator stays one.
    pub async fn set_member_role(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        member: i64,
        role: &str,
    ) -> Result<()> {
        require_admin(roles, slug)?;
        let role = parse_role(role)?;
        let org_id = self.organisation_id(slug).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let current = tx
            .member_role(org_id, member)
            .await?
            .ok_or(Error::NotFound("member"))?;
        if role != MemberRole::Admin {
            keep_an_admin(&mut tx, org_id, &current).await?;
        }
        tx.set_member_role(org_id, member, role.as_str()).await?;
        tx.audit(
            now,
            Some(user.id),
            "member-role-changed",
            slug,
            &format!("person {member}: {current} → {}", role.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member. The last administrator cannot be removed.
    pub async fn remove_member(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        member: i64,
    ) -> Result<()> {
        require_admin(roles, slug)?;
        let org_id = self.organisation_id(slug).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let current = tx
            .member_role(org_id, member)
            .await?
            .ok_or(Error::NotFound("member"))?;
        keep_an_admin(&mut tx, org_id, &current).await?;
        tx.remove_member(org_id, member).await?;
        tx.audit(
            now,
            Some(user.id),
            "member-removed",
            slug,
            &format!("person {member}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

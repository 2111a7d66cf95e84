//! Keeping the register: organisation profiles (with a version number, so an
//! edit made on a stale copy is refused), members and their roles,
//! invitations by e-mail, and city bodies.

use crate::{Db, Result, Tx, db_run, tx_run};
use time::OffsetDateTime;

/// A member of an organisation as its members see them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub created_at: OffsetDateTime,
}

/// An invitation to an organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_slug: String,
    pub organisation_name: String,
    pub email: String,
    pub role: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

const INVITATION_SELECT: &str = "SELECT i.id, i.organisation_id, o.slug AS organisation_slug,
        o.name AS organisation_name, i.email, i.role, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
    FROM invitations i JOIN organisations o ON o.id = i.organisation_id";

/// The editable profile of an organisation.
pub struct OrganisationUpdate<'a> {
    pub id: i64,
    /// The version the edit was made on.
    pub version: i64,
    pub name: &'a str,
    pub org_number: Option<&'a str>,
    pub legal_form: &'a str,
    pub description: &'a str,
    pub website: Option<&'a str>,
    pub contact_email: Option<&'a str>,
}

/// The editable fields of a city body.
pub struct CityBodyUpdate<'a> {
    pub id: i64,
    pub name: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub description: &'a str,
}

impl Db {
    /// (id, version) of an organisation.
    /// An organisation as a claim of it needs it: (id, name, its public
    /// mailbox, how many members it has).
    pub async fn organisation_for_claim(
        &self,
        slug: &str,
    ) -> Result<Option<(i64, String, Option<String>, i64)>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT o.id, o.name, o.contact_email,
                    (SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = o.id)
             FROM organisations o WHERE o.slug = $1"
        )
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn organisation_key(&self, slug: &str) -> Result<Option<(i64, i64)>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT id, version FROM organisations WHERE slug = $1"
        )
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn members_of(&self, organisation_id: i64) -> Result<Vec<MemberRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(
            "SELECT u.id AS user_id, u.display_name, u.email, m.role, m.created_at
             FROM organisation_members m JOIN users u ON u.id = m.user_id
             WHERE m.organisation_id = $1 ORDER BY m.role, u.display_name, u.id"
        )
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Invitations neither accepted nor revoked, newest first.
    pub async fn open_invitations(&self, organisation_id: i64) -> Result<Vec<InvitationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!(
                "{INVITATION_SELECT} WHERE i.organisation_id = $1 AND i.accepted_at IS NULL
                 AND i.revoked_at IS NULL ORDER BY i.created_at DESC, i.id DESC"
            )
        ))
        .bind(organisation_id)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn invitation_by_token(&self, token_hash: &str) -> Result<Option<InvitationRow>> {
        Ok(db_run!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("{INVITATION_SELECT} WHERE i.token_hash = $1")
        ))
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?)
    }

    /// The id of a city body by its key, `municipality/slug`.
    pub async fn city_body_id(&self, key: &str) -> Result<Option<i64>> {
        let Some((municipality, slug)) = key.split_once('/') else {
            return Ok(None);
        };
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT b.id FROM city_bodies b JOIN municipalities m ON m.id = b.municipality_id
             WHERE m.slug = $1 AND b.slug = $2"
        )
        .bind(municipality)
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    /// The id of a municipality by slug.
    pub async fn municipality_id(&self, slug: &str) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT id FROM municipalities WHERE slug = $1"
        )
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    /// Whether a city-body slug is taken in a municipality.
    pub async fn city_body_slug_taken(&self, municipality_id: i64, slug: &str) -> Result<bool> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM city_bodies WHERE municipality_id = $1 AND slug = $2"
        )
        .bind(municipality_id)
        .bind(slug)
        .fetch_one(pool)
        .await)?
            > 0)
    }

    /// The next display position for a city body in a municipality.
    pub async fn next_city_body_position(&self, municipality_id: i64) -> Result<i32> {
        Ok(db_run!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM city_bodies WHERE municipality_id = $1"
        )
        .bind(municipality_id)
        .fetch_one(pool)
        .await
        })? as i32)
    }
}

impl Tx {
    /// Saves a profile edit if nobody saved one since `u.version`; returns
    /// whether it was saved.
    pub async fn update_organisation(&mut self, u: &OrganisationUpdate<'_>) -> Result<bool> {
        Ok(tx_run!(self, |c| {
            sqlx::query(
            "UPDATE organisations SET name = $1, org_number = $2, legal_form = $3, description = $4,
                    website = $5, contact_email = $6, version = version + 1
             WHERE id = $7 AND version = $8"
        )
        .bind(u.name)
        .bind(u.org_number)
        .bind(u.legal_form)
        .bind(u.description)
        .bind(u.website)
        .bind(u.contact_email)
        .bind(u.id)
        .bind(u.version)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })? == 1)
    }

    /// Forgets an organisation's districts and challenges (before new ones are written).
    pub async fn clear_organisation_links(&mut self, organisation_id: i64) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query("DELETE FROM organisation_districts WHERE organisation_id = $1")
                .bind(organisation_id)
                .execute(&mut *c)
                .await?;
            sqlx::query("DELETE FROM organisation_challenges WHERE organisation_id = $1")
                .bind(organisation_id)
                .execute(&mut *c)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The role of a person in an organisation, read inside the transaction.
    pub async fn member_role(
        &mut self,
        organisation_id: i64,
        user_id: i64,
    ) -> Result<Option<String>> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, String>(
            "SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation_id)
        .bind(user_id)
        .fetch_optional(c)
        .await)?)
    }

    pub async fn count_admins(&mut self, organisation_id: i64) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM organisation_members WHERE organisation_id = $1 AND role = 'admin'"
        )
        .bind(organisation_id)
        .fetch_one(c)
        .await
        })?)
    }

    pub async fn set_member_role(
        &mut self,
        organisation_id: i64,
        user_id: i64,
        role: &str,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE organisation_members SET role = $1 WHERE organisation_id = $2 AND user_id = $3"
        )
        .bind(role)
        .bind(organisation_id)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    pub async fn remove_member(&mut self, organisation_id: i64, user_id: i64) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation_id)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    pub async fn insert_invitation(&mut self, invitation: &NewInvitation<'_>) -> Result<i64> {
        let NewInvitation {
            organisation_id,
            email,
            role,
            token_hash,
            invited_by,
            created_at: now,
            expires_at,
        } = *invitation;
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, created_at, expires_at,
                                      accepted_at, accepted_by, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL) RETURNING id"
        )
        .bind(organisation_id)
        .bind(email)
        .bind(role)
        .bind(token_hash)
        .bind(invited_by)
        .bind(now)
        .bind(expires_at)
        .fetch_one(c)
        .await
        })?)
    }

    /// Uses an invitation up: returns (organisation id, role) when it was open
    /// and unexpired. An invitation works once.
    pub async fn accept_invitation(
        &mut self,
        id: i64,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<Option<(i64, String)>> {
        Ok(tx_run!(self, |c| sqlx::query_as::<_, (i64, String)>(
            "UPDATE invitations SET accepted_at = $1, accepted_by = $2
             WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1
             RETURNING organisation_id, role"
        )
        .bind(now)
        .bind(user_id)
        .bind(id)
        .fetch_optional(c)
        .await)?)
    }

    /// Withdraws an open invitation of `organisation_id`; returns its address.
    pub async fn revoke_invitation(
        &mut self,
        organisation_id: i64,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<Option<String>> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, String>(
            "UPDATE invitations SET revoked_at = $1
             WHERE id = $2 AND organisation_id = $3 AND accepted_at IS NULL AND revoked_at IS NULL
             RETURNING email"
        )
        .bind(now)
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(c)
        .await)?)
    }

    /// Makes `user_id` the organisation's first member, as its
    /// administrator, if it still has none: false when someone became a
    /// member first. The organisation's row is locked first, so two claims
    /// confirmed at once cannot both pass.
    pub async fn add_first_admin(
        &mut self,
        organisation_id: i64,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<bool> {
        tx_run!(self, |c| sqlx::query(
            "UPDATE organisations SET version = version WHERE id = $1"
        )
        .bind(organisation_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(tx_run!(self, |c| {
            sqlx::query(
                "INSERT INTO organisation_members (organisation_id, user_id, role, created_at)
                 SELECT $1, $2, 'admin', $3
                 WHERE NOT EXISTS (SELECT 1 FROM organisation_members WHERE organisation_id = $1)",
            )
            .bind(organisation_id)
            .bind(user_id)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })? == 1)
    }

    /// Adds a member, or leaves an existing membership as it is.
    pub async fn add_member_if_new(
        &mut self,
        organisation_id: i64,
        user_id: i64,
        role: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (organisation_id, user_id) DO NOTHING"
        )
        .bind(organisation_id)
        .bind(user_id)
        .bind(role)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })? == 1)
    }

    pub async fn update_city_body(&mut self, b: &CityBodyUpdate<'_>) -> Result<bool> {
        Ok(tx_run!(self, |c| {
            sqlx::query(
            "UPDATE city_bodies SET name = $1, kind = $2, parent_id = $3, description = $4 WHERE id = $5"
        )
        .bind(b.name)
        .bind(b.kind)
        .bind(b.parent_id)
        .bind(b.description)
        .bind(b.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })? == 1)
    }
}

/// An invitation to an organisation as written (the token only as its hash).
#[derive(Debug, Clone, Copy)]
pub struct NewInvitation<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub role: &'a str,
    pub token_hash: &'a str,
    pub invited_by: i64,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

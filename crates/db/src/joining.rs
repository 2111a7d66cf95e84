//! Applications to join an agreement (anslutning): by an organisation, a city
//! body or a person as active citizen; decided by a coordinator; withdrawn
//! by the party. Every change of status is a conditional UPDATE, so two
//! coordinators deciding at once cannot both succeed.

use crate::{Db, Result, Tx, db_run, tx_run};
use time::Date;

/// Who an application is for: exactly one of the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKey {
    Organisation(i64),
    CityBody(i64),
    Person(i64),
}

impl PartyKey {
    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            PartyKey::Organisation(id) => (Some(id), None, None),
            PartyKey::CityBody(id) => (None, Some(id), None),
            PartyKey::Person(id) => (None, None, Some(id)),
        }
    }
}

/// An application with the names it needs to be shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessionDetail {
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_slug: String,
    pub agreement_name: String,
    pub status: String,
    pub applied_on: Date,
    pub decided_on: Option<Date>,
    pub withdrawn_on: Option<Date>,
    pub reason: Option<String>,
    pub organisation_id: Option<i64>,
    pub organisation_slug: Option<String>,
    pub organisation_name: Option<String>,
    pub city_body_id: Option<i64>,
    pub city_body_slug: Option<String>,
    pub city_body_name: Option<String>,
    pub user_id: Option<i64>,
    pub person_name: Option<String>,
    pub applied_by: Option<i64>,
}

const DETAIL_SELECT: &str =
    "SELECT x.id, x.agreement_id, a.slug AS agreement_slug, a.short_name AS agreement_name,
        x.status, x.applied_on, x.decided_on, x.withdrawn_on, x.reason,
        x.organisation_id, o.slug AS organisation_slug, o.name AS organisation_name,
        x.city_body_id, m.slug || '/' || b.slug AS city_body_slug, b.name AS city_body_name,
        x.user_id, u.display_name AS person_name, x.applied_by
    FROM accessions x
    JOIN agreements a ON a.id = x.agreement_id
    LEFT JOIN organisations o ON o.id = x.organisation_id
    LEFT JOIN city_bodies b ON b.id = x.city_body_id
    LEFT JOIN municipalities m ON m.id = b.municipality_id
    LEFT JOIN users u ON u.id = x.user_id";

impl Db {
    pub async fn agreement_id(&self, slug: &str) -> Result<Option<i64>> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "SELECT id FROM agreements WHERE slug = $1"
        )
        .bind(slug)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn accession(&self, id: i64) -> Result<Option<AccessionDetail>> {
        Ok(db_run!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("{DETAIL_SELECT} WHERE x.id = $1")
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?)
    }

    /// All applications to an agreement, open ones first, then newest.
    pub async fn accessions_of_agreement(&self, agreement_id: i64) -> Result<Vec<AccessionDetail>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(
            format!(
                "{DETAIL_SELECT} WHERE x.agreement_id = $1
                 ORDER BY CASE WHEN x.status = 'applied' THEN 0 ELSE 1 END, x.applied_on DESC, x.id DESC"
            )
        ))
        .bind(agreement_id)
        .fetch_all(pool)
        .await
        })?)
    }

    /// The applications of the parties a person acts for: their own, their
    /// organisations' (as administrator) and their city bodies'.
    pub async fn accessions_for_person(&self, user_id: i64) -> Result<Vec<AccessionDetail>> {
        Ok(db_run!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!(
                "{DETAIL_SELECT} WHERE x.user_id = $1
                   OR x.organisation_id IN (SELECT organisation_id FROM organisation_members
                                            WHERE user_id = $1 AND role = 'admin')
                   OR x.city_body_id IN (SELECT city_body_id FROM officials WHERE user_id = $1)
                 ORDER BY x.applied_on DESC, x.id DESC"
            )
        ))
        .bind(user_id)
        .fetch_all(pool)
        .await)?)
    }
}

impl Tx {
    /// The id of the party's application that is open or approved, if any.
    pub async fn live_accession(
        &mut self,
        agreement_id: i64,
        party: PartyKey,
    ) -> Result<Option<i64>> {
        let (org, body, person) = party.columns();
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "SELECT id FROM accessions
             WHERE agreement_id = $1 AND status IN ('applied', 'approved')
               AND (organisation_id = $2 OR city_body_id = $3 OR user_id = $4)"
        )
        .bind(agreement_id)
        .bind(org)
        .bind(body)
        .bind(person)
        .fetch_optional(c)
        .await)?)
    }

    pub async fn apply_to_join(
        &mut self,
        agreement_id: i64,
        party: PartyKey,
        applied_by: i64,
        applied_on: Date,
    ) -> Result<i64> {
        let (org, body, person) = party.columns();
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO accessions (agreement_id, organisation_id, city_body_id, user_id, status, applied_on,
                                     decided_on, withdrawn_on, applied_by, decided_by, reason)
             VALUES ($1, $2, $3, $4, 'applied', $5, NULL, NULL, $6, NULL, NULL) RETURNING id"
        )
        .bind(agreement_id)
        .bind(org)
        .bind(body)
        .bind(person)
        .bind(applied_on)
        .bind(applied_by)
        .fetch_one(c)
        .await
        })?)
    }

    /// Approves or declines an open application; false when it was no longer open.
    pub async fn decide_accession(
        &mut self,
        id: i64,
        status: &str,
        decided_by: i64,
        decided_on: Date,
        reason: Option<&str>,
    ) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE accessions SET status = $1, decided_by = $2, decided_on = $3, reason = $4
             WHERE id = $5 AND status = 'applied'"
        )
        .bind(status)
        .bind(decided_by)
        .bind(decided_on)
        .bind(reason)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    /// Withdraws an open or approved application; false when it was neither.
    pub async fn withdraw_accession(&mut self, id: i64, on: Date) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE accessions SET status = 'withdrawn', withdrawn_on = $1
             WHERE id = $2 AND status IN ('applied', 'approved')"
        )
        .bind(on)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }
}

//! Keeping action plans from the web: a plan's columns with their optimistic
//! version, its prioritised challenges and the texts of its four parts.

use crate::{Result, Tx, tx_run};
use time::Date;

/// A plan as stored, for its edit form.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub extended_to: Option<Date>,
    pub decision_id: Option<i64>,
    pub summary: String,
    pub version: i64,
    pub status: String,
}

/// The values of a plan's own columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanValues {
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub extended_to: Option<Date>,
    pub decision_id: Option<i64>,
    pub summary: String,
    pub status: String,
}

impl Tx {
    /// A plan with its prioritised challenges (ids) and part texts.
    pub async fn plan(
        &mut self,
        id: i64,
    ) -> Result<Option<(PlanRow, Vec<i64>, Vec<(String, String)>)>> {
        tx_run!(self, |c| {
            let Some(row): Option<PlanRow> = sqlx::query_as(
                "SELECT id, slug, title, starts_on, ends_on, extended_to, decision_id, summary, version,
                        status
                 FROM action_plans WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            else {
                return Ok(None);
            };
            let challenges: Vec<i64> = sqlx::query_scalar(
                "SELECT challenge_id FROM action_plan_challenges WHERE plan_id = $1 ORDER BY challenge_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let parts: Vec<(String, String)> = sqlx::query_as(
                "SELECT part, description FROM action_plan_parts WHERE plan_id = $1 ORDER BY part",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            Ok(Some((row, challenges, parts)))
        })
    }

    /// Overwrites a plan's columns if it is still at `version`; false when
    /// someone else saved first.
    pub async fn update_plan(&mut self, id: i64, version: i64, v: &PlanValues) -> Result<bool> {
        Ok(tx_run!(self, |c| sqlx::query(
            "UPDATE action_plans SET title = $1, starts_on = $2, ends_on = $3, extended_to = $4,
                decision_id = $5, summary = $6, status = $9, version = version + 1
             WHERE id = $7 AND version = $8"
        )
        .bind(&v.title)
        .bind(v.starts_on)
        .bind(v.ends_on)
        .bind(v.extended_to)
        .bind(v.decision_id)
        .bind(&v.summary)
        .bind(id)
        .bind(version)
        .bind(&v.status)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
            == 1)
    }

    /// Replaces a plan's prioritised challenges.
    pub async fn set_plan_challenges(&mut self, plan_id: i64, challenges: &[i64]) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query("DELETE FROM action_plan_challenges WHERE plan_id = $1")
                .bind(plan_id)
                .execute(&mut *c)
                .await?;
            for challenge in challenges {
                sqlx::query(
                    "INSERT INTO action_plan_challenges (plan_id, challenge_id) VALUES ($1, $2)",
                )
                .bind(plan_id)
                .bind(challenge)
                .execute(&mut *c)
                .await?;
            }
            Ok::<_, crate::DbError>(())
        })
    }
}

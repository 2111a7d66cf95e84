//! The job queue: work (such as sending e-mail) recorded in the database in
//! the same transaction as the change that caused it, so a restart loses
//! nothing. Claiming is one portable `UPDATE … RETURNING` whose condition is
//! re-checked on the row, so two workers never take the same job.

use crate::{Db, Result, Tx, db_run, tx_run};
use time::OffsetDateTime;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
}

impl Tx {
    pub async fn enqueue_job(
        &mut self,
        kind: &str,
        payload: &str,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO jobs (kind, payload, run_at, attempts, locked_until, last_error, done_at, created_at)
             VALUES ($1, $2, $3, 0, NULL, NULL, NULL, $3) RETURNING id"
        )
        .bind(kind)
        .bind(payload)
        .bind(now)
        .fetch_one(c)
        .await
        })?)
    }
}

impl Db {
    /// Takes the next due job, locking it until `lock_until`.
    pub async fn claim_job(
        &self,
        now: OffsetDateTime,
        lock_until: OffsetDateTime,
    ) -> Result<Option<JobRow>> {
        Ok(db_run!(self, |pool| {
            sqlx::query_as(
            "UPDATE jobs SET locked_until = $2, attempts = attempts + 1
             WHERE id = (SELECT id FROM jobs
                         WHERE done_at IS NULL AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                         ORDER BY run_at, id LIMIT 1)
               AND done_at IS NULL AND (locked_until IS NULL OR locked_until < $1)
             RETURNING id, kind, payload, attempts"
        )
        .bind(now)
        .bind(lock_until)
        .fetch_optional(pool)
        .await
        })?)
    }

    pub async fn complete_job(&self, id: i64, now: OffsetDateTime) -> Result<()> {
        db_run!(self, |pool| sqlx::query(
            "UPDATE jobs SET done_at = $1, locked_until = NULL WHERE id = $2"
        )
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Records a failure; the job runs again at `retry_at` (or never, when
    /// `retry_at` is `None` and the job is given up).
    pub async fn fail_job(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<()> {
        db_run!(self, |pool| {
            sqlx::query(
            "UPDATE jobs SET last_error = $1, locked_until = NULL,
                    run_at = COALESCE($2, run_at), done_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END
             WHERE id = $4"
        )
        .bind(error)
        .bind(retry_at)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }
}

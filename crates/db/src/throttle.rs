//! Counters of the rate limits on forms that send e-mail (`throttle_hits`).

use crate::{Db, Result, db_run};

impl Db {
    /// Counts one hit of `bucket` in the window starting at `window_start`
    /// (unix seconds) and returns the hits in that window so far, this one
    /// included. One statement, so concurrent hits from several instances
    /// all count.
    pub async fn hit_throttle(&self, bucket: &str, window_start: i64) -> Result<i64> {
        Ok(db_run!(self, |pool| sqlx::query_scalar::<_, i64>(
            "INSERT INTO throttle_hits (bucket, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = throttle_hits.hits + 1
             RETURNING hits"
        )
        .bind(bucket)
        .bind(window_start)
        .fetch_one(pool)
        .await)?)
    }

    /// Forgets the windows that started before `before` (unix seconds).
    pub async fn forget_throttle_windows(&self, before: i64) -> Result<u64> {
        Ok(db_run!(self, |pool| sqlx::query(
            "DELETE FROM throttle_hits WHERE window_start < $1"
        )
        .bind(before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?)
    }
}

//! The job runner: takes due jobs from the queue and runs them. A failure is
//! retried with exponential backoff (30 s, 1 min, 2 min … at most 6 h) and
//! given up after 10 attempts. The server runs it in the background; tests
//! drain it on demand with [`App::run_due_jobs`].

use crate::mail::{MAIL_JOB, OutgoingMail};
use crate::{App, Error, Result};
use time::{Duration, OffsetDateTime};

const MAX_ATTEMPTS: i32 = 10;
const LOCK: Duration = Duration::minutes(5);

fn backoff(attempts: i32) -> Duration {
    let seconds = 30_i64
        .saturating_mul(1_i64 << attempts.clamp(0, 20))
        .min(6 * 3600);
    Duration::seconds(seconds)
}

impl App {
    /// Runs every job that is due now; returns how many succeeded.
    pub async fn run_due_jobs(&self) -> Result<usize> {
        let mut done = 0;
        loop {
            let now = OffsetDateTime::now_utc();
            let Some(job) = self.db().claim_job(now, now + LOCK).await? else {
                break;
            };
            let outcome = match job.kind.as_str() {
                MAIL_JOB => match serde_json::from_str::<OutgoingMail>(&job.payload) {
                    Ok(mail) => crate::mail::send(&self.inner.mail, &mail).await,
                    Err(e) => Err(Error::internal("bad mail payload", e)),
                },
                other => Err(Error::internal_bare(format!("unknown job kind {other}"))),
            };
            let now = OffsetDateTime::now_utc();
            match outcome {
                Ok(()) => {
                    self.db().complete_job(job.id, now).await?;
                    done += 1;
                }
                Err(e) => {
                    let retry_at =
                        (job.attempts < MAX_ATTEMPTS).then(|| now + backoff(job.attempts));
                    tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %e, "job failed");
                    self.db()
                        .fail_job(job.id, &e.to_string(), retry_at, now)
                        .await?;
                }
            }
        }
        Ok(done)
    }

    /// Deletes what the platform no longer needs to keep: failed sign-ins
    /// and the counters of the mail limits after a day (the limits look back
    /// an hour at most), ended sessions,
    /// and expired links after a week. The privacy page states these times.
    pub async fn purge_expired(&self) -> Result<u64> {
        let now = OffsetDateTime::now_utc();
        let purged = self
            .db()
            .purge_expired(
                now - Duration::days(1),
                now - crate::accounts::SESSION_IDLE,
                now - crate::accounts::SESSION_ABSOLUTE,
                now - Duration::days(7),
            )
            .await?;
        let windows = self
            .db()
            .forget_throttle_windows((now - Duration::days(1)).unix_timestamp())
            .await?;
        Ok(purged + windows)
    }

    /// Runs jobs until the process ends: whenever work is enqueued, and every
    /// few seconds for retries. Once an hour it purges expired records and
    /// sends the report reminders that are due.
    pub async fn run_jobs_forever(self) {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            if last_purge.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(3600)) {
                match self.purge_expired().await {
                    Ok(n) => tracing::debug!(rows = n, "purged expired records"),
                    Err(e) => tracing::error!(error = %e, "purge"),
                }
                match self
                    .send_report_reminders(OffsetDateTime::now_utc().date())
                    .await
                {
                    Ok(n) => tracing::debug!(committees = n, "report reminders"),
                    Err(e) => tracing::error!(error = %e, "report reminders"),
                }
                last_purge = Some(std::time::Instant::now());
            }
            if let Err(e) = self.run_due_jobs().await {
                tracing::error!(error = %e, "job runner");
            }
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                self.inner.jobs_waiting.notified(),
            )
            .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}

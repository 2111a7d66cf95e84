//! Reminders of the yearly reports' deadlines: to the officials of each
//! committee that has not handed in, by e-mail from the job queue.

use crate::register::RegisterScope;
use crate::reports::{REMIND_DAYS_BEFORE, REMIND_OVERDUE_FOR_DAYS, expected_bodies, status_of};
use crate::{App, Result};
use time::{Date, Duration, OffsetDateTime};

impl App {
    /// Sends the reminders that are due: to the officials of each expected
    /// committee that has not handed in, two weeks before the deadline and
    /// the day after it. Each goes once (noted in the same transaction as
    /// the mail is queued). Returns how many committees were reminded.
    pub async fn send_report_reminders(&self, today: Date) -> Result<usize> {
        let mut sent = 0;
        for (agreement_id, year, due_on) in self.db().all_deadlines().await? {
            let kind =
                if today > due_on && today <= due_on + Duration::days(REMIND_OVERDUE_FOR_DAYS) {
                    "overdue"
                } else if today <= due_on && today >= due_on - Duration::days(REMIND_DAYS_BEFORE) {
                    "soon"
                } else {
                    continue;
                };
            let (slug, agreement_name) = self.db().agreement_name(agreement_id).await?;
            let register = RegisterScope {
                agreement_id,
                refs: (self.db().acquire().await?.conn())
                    .register_structure(agreement_id)
                    .await?,
            };
            let reports = self.db().reports(agreement_id).await?;
            for body in expected_bodies(&register) {
                let Some(body_id) = register.body_id(&body.slug) else {
                    continue;
                };
                let row = reports
                    .iter()
                    .find(|r| r.city_body_id == body_id && r.year == year);
                if !status_of(row).is_open() {
                    continue;
                }
                let officials = self.db().officials_of(body_id).await?;
                if officials.is_empty() {
                    continue;
                }
                let now = OffsetDateTime::now_utc();
                let mut tx = self.db().begin().await?;
                if !tx
                    .note_reminder(agreement_id, body_id, year, kind, now)
                    .await?
                {
                    continue;
                }
                let link = format!(
                    "{}/agreements/{slug}/reports/{year}/{}/edit",
                    self.base_url(),
                    body.slug
                );
                for (_, name, email) in &officials {
                    let subject = if kind == "soon" {
                        format!(
                            "Påminnelse: rapporten om samverkan {year} från {} ska lämnas senast {due_on}",
                            body.name
                        )
                    } else {
                        format!(
                            "Försenad: rapporten om samverkan {year} från {} skulle ha lämnats {due_on}",
                            body.name
                        )
                    };
                    let mail = crate::mail::OutgoingMail {
                        to: email.clone(),
                        subject,
                        body: format!(
                            "Hej {name},\n\n{b}s rapport om samverkan med den idéburna sektorn för {year} inom {agreement_name} ska lämnas in senast {due_on}. Den är ännu inte inlämnad.\n\nSkriv och lämna in rapporten här:\n{link}\n\n---\n\nReminder: the {year} report on collaboration by {b} under {agreement_name} is due on {due_on} and has not been submitted yet. Write and submit it here:\n{link}\n",
                            b = body.name,
                        ),
                    };
                    self.enqueue_mail(&mut tx, &mail, now).await?;
                }
                tx.commit().await?;
                sent += 1;
            }
        }
        if sent > 0 {
            self.inner.jobs_waiting.notify_one();
        }
        Ok(sent)
    }
}

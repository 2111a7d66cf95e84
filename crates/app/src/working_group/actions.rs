//! Action items: what someone is to do by when, and where it stands. An
//! item belongs to the agreement and may come from a meeting; its owner is
//! an account (named by its confirmed e-mail address, shown by its name) or
//! a name; it may name one of the agreement's challenges and one activity
//! of its plans (`plan/activity`). An edit names the version it was made on.

use super::refuse_unless;
use crate::accounts::CurrentUser;
use crate::governance::Holder;
use crate::roles::Roles;
use crate::snapshot::AgreementRecord;
use crate::{App, Error, FieldError, Result};
use samverkan_db::meetings::{ActionFields, ActionItemRow};
use samverkan_domain::ActionStatus;
use samverkan_domain::date::parse_iso_date;
use time::{Date, OffsetDateTime};

/// The action item form as typed.
#[derive(Debug, Clone, Default)]
pub struct ActionForm {
    /// The meeting it comes from (an id), or empty; read when it is made.
    pub meeting: String,
    pub title: String,
    /// An account's e-mail address, or the owner's name.
    pub owner: String,
    pub due_on: String,
    /// Empty for a new item: open.
    pub status: String,
    /// A challenge's slug, or empty.
    pub challenge: String,
    /// `plan/activity`, or empty.
    pub activity: String,
}

impl ActionForm {
    /// The form filled in with a stored item (its owner by name: typed
    /// back unchanged, it keeps the account it names).
    pub fn of(item: &super::ActionItem) -> ActionForm {
        ActionForm {
            meeting: item
                .meeting
                .as_ref()
                .map(|(id, _)| id.to_string())
                .unwrap_or_default(),
            title: item.title.clone(),
            owner: item.owner.clone(),
            due_on: item.due_on.map(|d| d.to_string()).unwrap_or_default(),
            status: item.status.as_str().to_owned(),
            challenge: item
                .challenge
                .as_ref()
                .map(|(s, _)| s.clone())
                .unwrap_or_default(),
            activity: item.activity_key(),
        }
    }
}

/// A form that passed its checks, with what it names found.
struct CheckedAction {
    meeting_id: Option<i64>,
    title: String,
    owner: Holder,
    due_on: Option<Date>,
    status: ActionStatus,
    challenge_id: Option<i64>,
    activity_id: Option<i64>,
}

impl CheckedAction {
    fn fields(&self) -> ActionFields<'_> {
        ActionFields {
            meeting_id: self.meeting_id,
            title: &self.title,
            owner_name: &self.owner.name,
            owner_user_id: self.owner.user_id,
            due_on: self.due_on,
            status: self.status.as_str(),
            challenge_id: self.challenge_id,
            activity_id: self.activity_id,
        }
    }
}

impl App {
    /// Checks an action item's form against the agreement; `current` is
    /// the stored item an edit starts from (its owner kept when the name
    /// shown is typed back, its meeting kept).
    async fn check_action(
        &self,
        a: &AgreementRecord,
        form: &ActionForm,
        current: Option<&ActionItemRow>,
    ) -> Result<CheckedAction> {
        let mut errors = Vec::new();
        let title = form.title.trim();
        if !(2..=300).contains(&title.chars().count()) {
            errors.push(FieldError::new(
                "title",
                "action-title-length",
                "write what is to be done, 2 to 300 characters",
            ));
        }
        let kept = current.filter(|c| {
            let shown = c.owner_display_name.as_deref().unwrap_or(&c.owner_name);
            c.owner_user_id.is_some() && form.owner.trim() == shown
        });
        let owner = match kept {
            Some(c) => Some(Holder {
                name: c.owner_display_name.clone().unwrap_or_default(),
                user_id: c.owner_user_id,
            }),
            None => match self.holder(&form.owner).await {
                Ok(h) => Some(h),
                Err(Error::Validation(found)) => {
                    errors.extend(found.into_iter().map(|e| FieldError {
                        field: "owner",
                        ..e
                    }));
                    None
                }
                Err(e) => return Err(e),
            },
        };
        let due_on = match form.due_on.trim() {
            "" => None,
            text => parse_iso_date(text)
                .map_err(|e| errors.push(FieldError::new("due_on", "action-due-invalid", e.0)))
                .ok(),
        };
        let status = match form.status.trim() {
            "" if current.is_none() => Some(ActionStatus::Open),
            text => ActionStatus::parse(text)
                .map_err(|e| errors.push(FieldError::new("status", "action-status-unknown", e.0)))
                .ok(),
        };
        let challenge_id = match form.challenge.trim() {
            "" => None,
            slug => {
                let found = self.db().challenge_in(a.id, slug).await?;
                if found.is_none() {
                    errors.push(FieldError::new(
                        "challenge",
                        "action-challenge-unknown",
                        "choose one of the agreement's challenges, or none",
                    ));
                }
                found
            }
        };
        let activity_id = match form.activity.trim() {
            "" => None,
            key => {
                let found = match key.split_once('/') {
                    Some((plan, activity)) => {
                        (self.db())
                            .activity_in(a.id, (plan.trim(), activity.trim()))
                            .await?
                    }
                    None => None,
                };
                if found.is_none() {
                    errors.push(FieldError {
                        detail: Some(key.to_owned()),
                        ..FieldError::new(
                            "activity",
                            "action-activity-unknown",
                            format!("no activity of the agreement's plans is '{key}'; write it as plan/activity, e.g. 2018-2022/avgiftsfria-lovaktiviteter"),
                        )
                    });
                }
                found
            }
        };
        let meeting_id = match (current, form.meeting.trim()) {
            (Some(c), _) => c.meeting_id,
            (None, "") => None,
            (None, text) => {
                let id = text
                    .parse::<i64>()
                    .map_err(|_| Error::NotFound("meeting"))?;
                if !self.db().meeting_in(a.id, id).await? {
                    return Err(Error::NotFound("meeting"));
                }
                Some(id)
            }
        };
        match (owner, status, errors.is_empty()) {
            (Some(owner), Some(status), true) => Ok(CheckedAction {
                meeting_id,
                title: title.to_owned(),
                owner,
                due_on,
                status,
                challenge_id,
                activity_id,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }

    /// Adds an action item to the agreement; its id.
    pub async fn add_action_item(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        form: &ActionForm,
    ) -> Result<i64> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let checked = self.check_action(a, form, None).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let id = tx.insert_action_item(a.id, &checked.fields(), now).await?;
        let subject = format!("{slug}/action/{id}");
        let detail = format!("{} ({})", checked.title, checked.owner.name);
        tx.audit(now, Some(user.id), "action-item-added", &subject, &detail)
            .await?;
        self.commit_public(tx).await?;
        Ok(id)
    }

    /// One of the agreement's action items.
    pub async fn action_item(&self, a: &AgreementRecord, id: i64) -> Result<super::ActionItem> {
        let row = (self.db().action_item(a.id, id).await?).ok_or(Error::NotFound("action item"))?;
        super::ActionItem::of(row, crate::text::today())
    }

    /// Changes an action item made on `version` (else [`Error::Stale`]).
    pub async fn update_action_item(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        a: &AgreementRecord,
        (id, version): (i64, i64),
        form: &ActionForm,
    ) -> Result<()> {
        let slug = &a.summary.slug;
        refuse_unless(roles, slug)?;
        let current =
            (self.db().action_item(a.id, id).await?).ok_or(Error::NotFound("action item"))?;
        let checked = self.check_action(a, form, Some(&current)).await?;
        let stale = || {
            Error::stale(
                "action-item-stale",
                "the action item was changed meanwhile; see it as it is now",
            )
        };
        if current.version != version {
            return Err(stale());
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if !tx
            .update_action_item((id, version), &checked.fields(), now)
            .await?
        {
            return Err(stale());
        }
        let subject = format!("{slug}/action/{id}");
        let detail = format!("{}: {}", checked.title, checked.status);
        tx.audit(now, Some(user.id), "action-item-updated", &subject, &detail)
            .await?;
        self.commit_public(tx).await
    }
}

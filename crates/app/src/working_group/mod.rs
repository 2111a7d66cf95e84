//! The working group of an agreement as working data: its members by side
//! (the current terms of the agreement's roles of kind `working_group`),
//! its meetings with agenda, minutes and decisions (`meetings.rs`), and the
//! action items that follow from them (`actions.rs`).
//!
//! Who may do what is written here once: the agreement's coordinators (by a
//! grant or a current coordinator's term) and platform administrators keep
//! all of it ([`keeps`]); anyone reads the meetings, their agendas and the
//! action items, but a meeting's minutes and decisions only once the
//! minutes are approved ([`Meeting::minutes_shown`]). Every change is
//! audited and goes through [`App::commit_public`].

pub mod actions;
pub mod meetings;

use crate::documents::{DocumentOwner, DocumentRef};
use crate::paged::Paged;
use crate::roles::Roles;
use crate::snapshot::AgreementRecord;
use crate::{App, Error, FieldError, Result};
use samverkan_db::meetings::{ActionItemRow, MeetingDecisionRow, MeetingRow};
use samverkan_domain::{ActionStatus, MeetingKind, MinutesStatus, RoleKind, Side};
use time::Date;

/// Meetings a page, in each of the coming and past lists.
pub const MEETINGS_PER_PAGE: usize = 10;
/// Open action items a page.
pub const ITEMS_PER_PAGE: usize = 20;
/// The most decisions a meeting may have (so its page stays bounded).
pub const DECISIONS_OF_A_MEETING: i64 = 100;
/// The most action items a meeting's page lists.
pub const ITEMS_OF_A_MEETING: i64 = 100;

/// Whether these roles (none for a visitor) keep the agreement's working
/// group: plan meetings, write and approve minutes, keep action items.
pub fn keeps(roles: Option<&Roles>, agreement: &str) -> bool {
    roles.is_some_and(|r| r.coordinates(agreement))
}

fn refuse_unless(roles: &Roles, agreement: &str) -> Result<()> {
    if keeps(Some(roles), agreement) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the agreement's coordinators keep its working group",
        ))
    }
}

/// The problem of a field; a validation error of it alone.
fn invalid(field: &'static str, code: &'static str, message: &str) -> Error {
    Error::Validation(vec![FieldError::new(field, code, message)])
}

/// The working group's members holding a term today, on one side.
#[derive(Debug, Clone)]
pub struct SideMembers {
    pub side: Side,
    pub members: Vec<Member>,
}

/// A member: the holder's name (empty for a removed account) and the role.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub role: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

/// The current members of the agreement's working-group roles, by side in
/// the sides' order; sides without members are left out.
pub fn members_by_side(a: &AgreementRecord) -> Vec<SideMembers> {
    Side::ALL
        .iter()
        .filter_map(|side| {
            let members: Vec<Member> = (a.roles.iter())
                .filter(|r| r.kind == RoleKind::WorkingGroup && r.side == *side)
                .flat_map(|r| {
                    r.current_terms().into_iter().map(|t| Member {
                        name: t.holder.clone(),
                        role: r.title.clone(),
                        starts_on: t.starts_on,
                        ends_on: t.ends_on,
                    })
                })
                .collect();
            (!members.is_empty()).then_some(SideMembers {
                side: *side,
                members,
            })
        })
        .collect()
}

/// A meeting as its pages show it. Draft minutes and the decisions of a
/// meeting whose minutes are not approved are only in the keepers' copy.
#[derive(Debug, Clone)]
pub struct Meeting {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub meets_on: Date,
    pub starts_at: String,
    pub place: String,
    /// The agenda's items in order.
    pub agenda: Vec<String>,
    pub minutes_status: MinutesStatus,
    /// The minutes' text: the approved text for anyone, a draft for the
    /// keepers only (empty for others).
    pub minutes: String,
    pub approved_on: Option<Date>,
    /// The approver's name now (empty for a removed account).
    pub approved_by: Option<String>,
    pub version: i64,
}

impl Meeting {
    /// The meeting as `keeper` (or not) may see it.
    fn of(row: MeetingRow, keeper: bool) -> Result<Meeting> {
        let minutes_status = MinutesStatus::parse(&row.minutes_status)
            .map_err(|e| Error::internal("stored minutes status is invalid", e))?;
        let shown = keeper || minutes_status == MinutesStatus::Approved;
        Ok(Meeting {
            id: row.id,
            kind: MeetingKind::parse(&row.kind)
                .map_err(|e| Error::internal("stored meeting kind is invalid", e))?,
            title: row.title,
            meets_on: row.meets_on,
            starts_at: row.starts_at,
            place: row.place,
            agenda: row.agenda.lines().map(str::to_owned).collect(),
            minutes_status,
            minutes: if shown { row.minutes } else { String::new() },
            approved_on: row.minutes_approved_on,
            approved_by: row.approved_by_name,
            version: row.version,
        })
    }

    /// Whether the minutes are approved, so public.
    pub fn approved(&self) -> bool {
        self.minutes_status == MinutesStatus::Approved
    }

    /// Whether the minutes and decisions are shown to `keeper` (or not):
    /// to anyone once approved, before that to the keepers only.
    pub fn minutes_shown(&self, keeper: bool) -> bool {
        keeper || self.approved()
    }

    /// The agenda as its form shows it, one item a line.
    pub fn agenda_text(&self) -> String {
        self.agenda.join("\n")
    }
}

/// A decision of a meeting.
#[derive(Debug, Clone)]
pub struct MeetingDecision {
    pub id: i64,
    pub text: String,
    /// The challenge it concerns: (slug, name).
    pub challenge: Option<(String, String)>,
}

impl MeetingDecision {
    fn of(row: MeetingDecisionRow) -> MeetingDecision {
        MeetingDecision {
            id: row.id,
            text: row.text,
            challenge: row.challenge_slug.zip(row.challenge_name),
        }
    }
}

/// An action item as its pages show it.
#[derive(Debug, Clone)]
pub struct ActionItem {
    pub id: i64,
    pub title: String,
    /// The owner's account's name now, or the name typed (empty for a
    /// removed account).
    pub owner: String,
    /// Whether the owner is an account.
    pub owner_account: bool,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    /// Still open and its day has passed.
    pub overdue: bool,
    /// The meeting it came from: (id, title).
    pub meeting: Option<(i64, String)>,
    /// (slug, name).
    pub challenge: Option<(String, String)>,
    /// (plan slug, activity slug, title).
    pub activity: Option<(String, String, String)>,
    pub version: i64,
}

impl ActionItem {
    fn of(row: ActionItemRow, today: Date) -> Result<ActionItem> {
        let status = ActionStatus::parse(&row.status)
            .map_err(|e| Error::internal("stored action status is invalid", e))?;
        Ok(ActionItem {
            id: row.id,
            title: row.title,
            owner: row.owner_display_name.unwrap_or(row.owner_name),
            owner_account: row.owner_user_id.is_some(),
            due_on: row.due_on,
            status,
            overdue: status.is_open() && row.due_on.is_some_and(|d| d < today),
            meeting: row.meeting_id.zip(row.meeting_title),
            challenge: row.challenge_slug.zip(row.challenge_name),
            activity: match (row.plan_slug, row.activity_slug, row.activity_title) {
                (Some(p), Some(a), Some(t)) => Some((p, a, t)),
                _ => None,
            },
            version: row.version,
        })
    }

    /// The activity as the form writes it: `plan/activity`.
    pub fn activity_key(&self) -> String {
        self.activity
            .as_ref()
            .map(|(p, a, _)| format!("{p}/{a}"))
            .unwrap_or_default()
    }
}

/// The working group's page: its members, its coming and past meetings
/// and its open action items, each list a page at a time.
#[derive(Debug, Clone)]
pub struct WorkingGroup {
    pub members: Vec<SideMembers>,
    pub coming: Paged<Meeting>,
    pub past: Paged<Meeting>,
    pub open_items: Paged<ActionItem>,
}

/// Which page of each list is asked for (from 1).
#[derive(Debug, Clone, Copy)]
pub struct ListPages {
    pub coming: usize,
    pub past: usize,
    pub items: usize,
}

/// A meeting with what hangs off it.
#[derive(Debug, Clone)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    /// Empty unless the minutes are shown ([`Meeting::minutes_shown`]).
    pub decisions: Vec<MeetingDecision>,
    pub items: Vec<ActionItem>,
    pub documents: Vec<DocumentRef>,
}

/// The page `page` (clamped) of a list of `total` rows, `per` a page: the
/// page shown, the number of pages and the (limit, offset) to read.
fn page_of(total: i64, page: usize, per: usize) -> (usize, usize, (i64, i64)) {
    let (page, pages) = crate::paged::clamp(usize::try_from(total).unwrap_or(0), page, per);
    let window = (per as i64, ((page - 1) * per) as i64);
    (page, pages, window)
}

impl App {
    /// The agreement's working group, each list paged in SQL, and kept
    /// until the next write ([`crate::kept`]): every change of the working
    /// group goes through `commit_public`, which moves the change counter.
    pub async fn working_group(
        &self,
        roles: Option<&Roles>,
        a: &AgreementRecord,
        asked: ListPages,
    ) -> Result<WorkingGroup> {
        // Read before the lists, so what is kept is at least this new.
        let epoch = self.change_stamp();
        let keeper = keeps(roles, &a.summary.slug);
        let today = crate::text::today();
        let key = (a.id, keeper, (asked.coming, asked.past, asked.items), today);
        let cache = &self.inner.figures.working_groups;
        if let Some(found) = crate::kept::kept(cache, &key, epoch) {
            return Ok(found);
        }
        let found = self.read_working_group(keeper, a, asked, today).await?;
        crate::kept::keep(cache, key, epoch, found.clone());
        Ok(found)
    }

    /// The working group as read from the database now.
    async fn read_working_group(
        &self,
        keeper: bool,
        a: &AgreementRecord,
        asked: ListPages,
        today: Date,
    ) -> Result<WorkingGroup> {
        let kind = (a.id, MeetingKind::WorkingGroup.as_str());
        let mut lists = Vec::with_capacity(2);
        for (coming, page) in [(true, asked.coming), (false, asked.past)] {
            let total = self.db().count_meetings(kind, (coming, today)).await?;
            let (page, pages, window) = page_of(total, page, MEETINGS_PER_PAGE);
            let rows = (self.db().meetings_page(kind, (coming, today), window)).await?;
            lists.push(Paged {
                items: (rows.into_iter())
                    .map(|r| Meeting::of(r, keeper))
                    .collect::<Result<_>>()?,
                total: total as usize,
                page,
                pages,
            });
        }
        let total = self.db().count_open_action_items(a.id).await?;
        let (page, pages, window) = page_of(total, asked.items, ITEMS_PER_PAGE);
        let rows = self.db().open_action_items(a.id, window).await?;
        let open_items = Paged {
            items: (rows.into_iter())
                .map(|r| ActionItem::of(r, today))
                .collect::<Result<_>>()?,
            total: total as usize,
            page,
            pages,
        };
        let past = lists.pop().expect("two lists");
        let coming = lists.pop().expect("two lists");
        Ok(WorkingGroup {
            members: members_by_side(a),
            coming,
            past,
            open_items,
        })
    }

    /// One of the agreement's meetings as `roles` may see it, kept until
    /// the next write as the overview is.
    pub async fn meeting(
        &self,
        roles: Option<&Roles>,
        a: &AgreementRecord,
        id: i64,
    ) -> Result<MeetingDetail> {
        // Read before the meeting, so what is kept is at least this new.
        let epoch = self.change_stamp();
        let keeper = keeps(roles, &a.summary.slug);
        let key = (a.id, id, keeper, crate::text::today());
        let cache = &self.inner.figures.meetings;
        if let Some(found) = crate::kept::kept(cache, &key, epoch) {
            return Ok(found);
        }
        let found = self.read_meeting(keeper, a, id).await?;
        crate::kept::keep(cache, key, epoch, found.clone());
        Ok(found)
    }

    /// One meeting as read from the database now.
    async fn read_meeting(
        &self,
        keeper: bool,
        a: &AgreementRecord,
        id: i64,
    ) -> Result<MeetingDetail> {
        let row = (self.db().meeting(a.id, id).await?).ok_or(Error::NotFound("meeting"))?;
        let meeting = Meeting::of(row, keeper)?;
        let decisions = if meeting.minutes_shown(keeper) {
            let rows = (self.db())
                .meeting_decisions(id, DECISIONS_OF_A_MEETING)
                .await?;
            rows.into_iter().map(MeetingDecision::of).collect()
        } else {
            Vec::new()
        };
        let today = crate::text::today();
        let items = (self
            .db()
            .action_items_of_meeting(id, ITEMS_OF_A_MEETING)
            .await?)
            .into_iter()
            .map(|r| ActionItem::of(r, today))
            .collect::<Result<_>>()?;
        let documents = self.documents_of(DocumentOwner::Meeting(id)).await?;
        Ok(MeetingDetail {
            meeting,
            decisions,
            items,
            documents,
        })
    }

    /// Meeting `meeting` of agreement `agreement` (a slug), as a document
    /// owner.
    pub async fn meeting_owner(
        &self,
        agreement: &AgreementRecord,
        meeting: i64,
    ) -> Result<DocumentOwner> {
        if self.db().meeting_in(agreement.id, meeting).await? {
            Ok(DocumentOwner::Meeting(meeting))
        } else {
            Err(Error::NotFound("meeting"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_past_the_last_is_the_last_and_an_empty_list_has_one() {
        assert_eq!(page_of(0, 3, 10), (1, 1, (10, 0)));
        assert_eq!(page_of(25, 2, 10), (2, 3, (10, 10)));
        assert_eq!(page_of(25, 9, 10), (3, 3, (10, 20)));
        assert_eq!(page_of(20, 0, 10), (1, 2, (10, 0)));
    }

    fn row(status: &str) -> MeetingRow {
        MeetingRow {
            id: 1,
            agreement_id: 1,
            kind: "working_group".into(),
            title: "Arbetsgruppens möte".into(),
            meets_on: time::macros::date!(2030 - 01 - 10),
            starts_at: "13:00".into(),
            place: "Stadshuset".into(),
            agenda: "Mötet öppnas\nÖvriga frågor".into(),
            minutes: "Protokoll".into(),
            minutes_status: status.into(),
            minutes_approved_on: None,
            approved_by_name: None,
            version: 1,
        }
    }

    #[test]
    fn draft_minutes_are_for_the_keepers_only() {
        let public = Meeting::of(row("draft"), false).unwrap();
        assert_eq!(public.minutes, "");
        assert!(!public.minutes_shown(false));
        assert_eq!(public.agenda, ["Mötet öppnas", "Övriga frågor"]);
        let keeper = Meeting::of(row("draft"), true).unwrap();
        assert_eq!(keeper.minutes, "Protokoll");
        let approved = Meeting::of(row("approved"), false).unwrap();
        assert_eq!(approved.minutes, "Protokoll");
        assert!(approved.minutes_shown(false));
        assert!(Meeting::of(row("signed"), true).is_err());
    }
}

//! Platform administration: finding people and their roles, granting and
//! ending the roles of coordinator and platform administrator, and reading
//! the audit record. Only platform administrators get here.

use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
pub use samverkan_db::roles::{AuditRow, PersonRow, RoleRows};
use time::OffsetDateTime;

/// How many people a search shows.
pub const SEARCH_LIMIT: i64 = 50;
/// Audit entries per page.
pub const AUDIT_PAGE: i64 = 50;

/// A person found by a search, with every role they hold.
pub struct PersonWithRoles {
    pub person: PersonRow,
    pub roles: RoleRows,
}

/// A role an administrator grants or ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantedRole {
    Coordinator(String),
    PlatformAdmin,
}

impl GrantedRole {
    /// `coordinator:<agreement>` or `platform-admin`.
    pub fn parse(text: &str) -> Result<GrantedRole> {
        if text == "platform-admin" {
            return Ok(GrantedRole::PlatformAdmin);
        }
        match text.strip_prefix("coordinator:") {
            Some(a) if !a.is_empty() => Ok(GrantedRole::Coordinator(a.to_owned())),
            _ => Err(Error::Validation(vec![FieldError::new(
                "role",
                "admin-role-invalid",
                "choose a role from the list",
            )])),
        }
    }
}

fn refuse_unless(roles: &Roles) -> Result<()> {
    if roles.platform_admin {
        Ok(())
    } else {
        Err(Error::Forbidden("only platform administrators"))
    }
}

impl App {
    /// People whose name or address contains `q`, with their roles.
    pub async fn find_people(&self, roles: &Roles, q: &str) -> Result<Vec<PersonWithRoles>> {
        refuse_unless(roles)?;
        let people = self.db().search_people(q.trim(), SEARCH_LIMIT).await?;
        let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
        let mut roles = self.db().roles_of_people(&ids).await?;
        Ok(people
            .into_iter()
            .map(|person| PersonWithRoles {
                roles: roles.remove(&person.id).unwrap_or_default(),
                person,
            })
            .collect())
    }

    /// Grants (`grant`) or ends a role of person `person`.
    pub async fn set_role(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        person: i64,
        role: &str,
        grant: bool,
    ) -> Result<()> {
        refuse_unless(roles)?;
        let role = GrantedRole::parse(role)?;
        let target = self
            .db()
            .user_by_id(person)
            .await?
            .filter(|u| u.password_hash != "!")
            .ok_or(Error::NotFound("person"))?;
        if role == GrantedRole::PlatformAdmin && !grant && person == user.id {
            return Err(Error::conflict(
                "own-admin",
                "you cannot end your own role as platform administrator; ask another administrator",
            ));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let (changed, action, subject) = match &role {
            GrantedRole::PlatformAdmin => (
                tx.set_platform_admin(person, grant).await?,
                if grant {
                    "role-admin-granted"
                } else {
                    "role-admin-revoked"
                },
                "platform".to_owned(),
            ),
            GrantedRole::Coordinator(agreement) => {
                let id = self
                    .db()
                    .agreement_id(agreement)
                    .await?
                    .ok_or(Error::NotFound("agreement"))?;
                let changed = if grant {
                    tx.grant_coordinator(id, person, now).await?
                } else {
                    tx.revoke_coordinator(id, person).await?
                };
                (
                    changed,
                    if grant {
                        "role-coordinator-granted"
                    } else {
                        "role-coordinator-revoked"
                    },
                    agreement.clone(),
                )
            }
        };
        if changed {
            tx.audit(now, Some(user.id), action, &subject, &target.display_name)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One page of the audit record, newest first, and the number of entries.
    pub async fn audit_log(&self, roles: &Roles, page: i64) -> Result<(Vec<AuditRow>, i64)> {
        refuse_unless(roles)?;
        let page = page.max(1);
        Ok(self
            .db()
            .audit_entries(AUDIT_PAGE, (page - 1) * AUDIT_PAGE)
            .await?)
    }
}

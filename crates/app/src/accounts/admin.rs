//! Platform administration: the first administrator of an install (from
//! the command line), finding people and their roles, granting and ending
//! the roles of coordinator and platform administrator, and reading the
//! audit record. Only platform administrators get here in the browser.

use crate::accounts::{CurrentUser, RESET_PURPOSE, Secret, field};
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
pub use samverkan_db::roles::{AuditRow, PersonRow, RoleRows};
use samverkan_domain::Email;
use time::{Duration, OffsetDateTime};

/// How long the link that `samverkan admin create` prints stays good.
pub const FIRST_LINK_TTL: Duration = Duration::hours(24);

/// The password of an account made without one: no password verifies
/// against it (it is not a hash), until the person sets theirs by a link.
const NO_PASSWORD_YET: &str = "unset";

/// What [`App::create_admin`] did.
#[derive(Debug, Clone)]
pub struct AdminCreated {
    /// Whether the account is new (else an existing one was promoted, or
    /// already was an administrator).
    pub created: bool,
    pub name: String,
    pub email: String,
    /// The path of the one-time link that sets the password (`/reset/…`),
    /// good for [`FIRST_LINK_TTL`]; a new one voids the earlier ones.
    pub link_path: String,
}

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

    /// Makes the account with address `email` a platform administrator,
    /// creating it (named `name`, else by the address's local part) when
    /// there is none, and gives a one-time link that sets its password.
    /// For whoever runs the server's command line, which is trusted as the
    /// install's owner; the step is in the audit record. A new link voids
    /// the account's earlier ones; its sessions and password stay until the
    /// link is used.
    pub async fn create_admin(&self, email: &str, name: Option<&str>) -> Result<AdminCreated> {
        let email = Email::parse(email)
            .map_err(|e| Error::Validation(vec![field("email", "email-invalid", e.0)]))?;
        let name = match name.map(str::trim) {
            Some(n) if n.is_empty() || n.chars().count() > 100 => {
                return Err(Error::Validation(vec![field(
                    "name",
                    "name-length",
                    "write the name, at most 100 characters",
                )]));
            }
            Some(n) => Some(n.to_owned()),
            None => None,
        };
        let now = OffsetDateTime::now_utc();
        let existing = self.db().user_by_email(email.as_str()).await?;
        let mut tx = self.db().begin().await?;
        let (user_id, created, name) = match existing {
            Some(user) => (user.id, false, user.display_name),
            None => {
                let name = name.unwrap_or_else(|| local_part(email.as_str()));
                let id = (tx.insert_user(email.as_str(), &name, NO_PASSWORD_YET, now)).await?;
                (id, true, name)
            }
        };
        if tx.set_platform_admin(user_id, true).await? {
            tx.audit(now, None, "role-admin-granted", "platform", &name)
                .await?;
        }
        let token = Secret::generate();
        tx.drop_tokens(user_id, RESET_PURPOSE).await?;
        (tx.insert_token(
            &token.hash(),
            user_id,
            RESET_PURPOSE,
            now + FIRST_LINK_TTL,
            None,
        ))
        .await?;
        tx.commit().await?;
        Ok(AdminCreated {
            created,
            name,
            email: email.to_string(),
            link_path: format!("/reset/{}", token.0),
        })
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

/// The part of an address before the `@`, as a name until the person
/// writes theirs.
fn local_part(email: &str) -> String {
    email.split('@').next().unwrap_or(email).to_owned()
}

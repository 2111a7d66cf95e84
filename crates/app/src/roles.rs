//! The roles a person holds, and the one place that says what each role may
//! do. The permission table of the web layer and the use cases below both ask
//! these methods, so a rule is written once.
//!
//! Roles: a registered person; a member or administrator of an
//! organisation; an official of one or more city bodies; a coordinator of an
//! agreement; a platform administrator (who may do what any coordinator may).

use crate::accounts::CurrentUser;
use crate::{App, Error, Result};
use samverkan_domain::MemberRole;

/// An organisation a person belongs to.
#[derive(Debug, Clone)]
pub struct OrgRole {
    pub slug: String,
    pub name: String,
    pub role: MemberRole,
}

/// Everything that decides what a signed-in person may do.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    pub user_id: i64,
    pub platform_admin: bool,
    pub organisations: Vec<OrgRole>,
    /// (agreement slug, short name)
    pub coordinates: Vec<(String, String)>,
    /// (city body slug, name)
    pub bodies: Vec<(String, String)>,
}

impl Roles {
    /// A member (of any role) of the organisation.
    pub fn is_member_of(&self, organisation: &str) -> bool {
        self.organisations.iter().any(|o| o.slug == organisation)
    }

    /// An administrator of the organisation.
    pub fn is_admin_of(&self, organisation: &str) -> bool {
        self.organisations
            .iter()
            .any(|o| o.slug == organisation && o.role == MemberRole::Admin)
    }

    /// A coordinator of the agreement, or a platform administrator.
    pub fn coordinates(&self, agreement: &str) -> bool {
        self.platform_admin || self.coordinates.iter().any(|(a, _)| a == agreement)
    }

    /// A coordinator of some agreement, or a platform administrator: may keep
    /// the city bodies and name their officials.
    pub fn keeps_city_bodies(&self) -> bool {
        self.platform_admin || !self.coordinates.is_empty()
    }

    /// An official of the city body.
    pub fn is_official_of(&self, body: &str) -> bool {
        self.bodies.iter().any(|(b, _)| b == body)
    }
}

impl App {
    /// The roles of a signed-in person, read fresh (four small queries).
    /// A coordinator is one by the platform's grant (`coordinators`) or by a
    /// term of an agreement's coordinator's role that covers today.
    pub async fn roles(&self, user: &CurrentUser) -> Result<Roles> {
        let mut rows = self.db().roles_of(user.id).await?;
        let by_term = (self.db())
            .coordinator_terms_of(user.id, crate::text::today())
            .await?;
        for (slug, name) in by_term {
            if !rows.coordinates.iter().any(|(s, _)| *s == slug) {
                rows.coordinates.push((slug, name));
            }
        }
        let mut organisations = Vec::with_capacity(rows.organisations.len());
        for (slug, name, role) in rows.organisations {
            let role = MemberRole::parse(&role)
                .map_err(|e| Error::internal("stored role is invalid", e))?;
            organisations.push(OrgRole { slug, name, role });
        }
        Ok(Roles {
            user_id: user.id,
            platform_admin: user.is_platform_admin,
            organisations,
            coordinates: rows.coordinates,
            bodies: rows.bodies,
        })
    }
}

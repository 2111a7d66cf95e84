//! What an import of the directory matches its rows against: the city
//! bodies of one municipality, and the organisations with the file's
//! organisation numbers (with their districts, challenges and how many
//! members they have), each read in a few queries whatever the file's
//! length.

use crate::{Conn, IN_LIST, Param, Result, numbered};
use std::collections::HashSet;

/// A stored city body, as an import compares a row with it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredBody {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub description: String,
}

/// A stored organisation, as an import compares a row with it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredOrganisation {
    pub id: i64,
    pub slug: String,
    pub version: i64,
    pub name: String,
    pub org_number: Option<String>,
    pub legal_form: String,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// The municipality's slug.
    pub municipality: String,
    /// How many people are its members.
    pub members: i64,
}

/// (organisation id, slug) of an organisation's district or challenge.
pub type OrganisationLink = (i64, String);

/// The stored organisations of an import, with their links.
#[derive(Debug, Default)]
pub struct StoredOrganisations {
    pub organisations: Vec<StoredOrganisation>,
    pub districts: Vec<OrganisationLink>,
    pub challenges: Vec<OrganisationLink>,
}

impl Conn<'_> {
    /// Every city body of a municipality, in their order.
    pub async fn bodies_of(&mut self, municipality_id: i64) -> Result<Vec<StoredBody>> {
        self.fetch_all_with(
            "SELECT id, slug, name, kind, parent_id, description FROM city_bodies
             WHERE municipality_id = $1 ORDER BY position, id",
            &[Param::Int(municipality_id)],
        )
        .await
    }

    /// The organisations whose numbers are among `numbers`, with their
    /// districts and challenges (each slug once).
    pub async fn organisations_numbered(
        &mut self,
        numbers: &[String],
    ) -> Result<StoredOrganisations> {
        let mut stored = StoredOrganisations::default();
        for chunk in numbers.chunks(IN_LIST) {
            let params: Vec<Param<'_>> = chunk.iter().map(|n| Param::Text(n)).collect();
            let chosen = format!(
                "SELECT id FROM organisations WHERE org_number IN ({})",
                numbered(1, chunk.len())
            );
            let found: Vec<StoredOrganisation> = self
                .fetch_all_with(
                    &format!(
                        "SELECT o.id, o.slug, o.version, o.name, o.org_number, o.legal_form,
                                o.description, o.website, o.contact_email, m.slug AS municipality,
                                (SELECT COUNT(*) FROM organisation_members om
                                 WHERE om.organisation_id = o.id) AS members
                         FROM organisations o JOIN municipalities m ON m.id = o.municipality_id
                         WHERE o.id IN ({chosen}) ORDER BY o.id"
                    ),
                    &params,
                )
                .await?;
            stored.organisations.extend(found);
            let districts: Vec<OrganisationLink> = self
                .fetch_all_with(
                    &format!(
                        "SELECT l.organisation_id, d.slug FROM organisation_districts l
                         JOIN districts d ON d.id = l.district_id
                         WHERE l.organisation_id IN ({chosen}) ORDER BY l.organisation_id, d.slug"
                    ),
                    &params,
                )
                .await?;
            stored.districts.extend(districts);
            let challenges: Vec<OrganisationLink> = self
                .fetch_all_with(
                    &format!(
                        "SELECT DISTINCT l.organisation_id, c.slug FROM organisation_challenges l
                         JOIN challenges c ON c.id = l.challenge_id
                         WHERE l.organisation_id IN ({chosen}) ORDER BY l.organisation_id, c.slug"
                    ),
                    &params,
                )
                .await?;
            stored.challenges.extend(challenges);
        }
        Ok(stored)
    }

    /// Which of `slugs` organisations have already.
    pub async fn organisation_slugs_taken(&mut self, slugs: &[String]) -> Result<HashSet<String>> {
        let mut taken = HashSet::new();
        for chunk in slugs.chunks(IN_LIST) {
            let params: Vec<Param<'_>> = chunk.iter().map(|s| Param::Text(s)).collect();
            let found: Vec<(String,)> = self
                .fetch_all_with(
                    &format!(
                        "SELECT slug FROM organisations WHERE slug IN ({})",
                        numbered(1, chunk.len())
                    ),
                    &params,
                )
                .await?;
            taken.extend(found.into_iter().map(|(s,)| s));
        }
        Ok(taken)
    }
}

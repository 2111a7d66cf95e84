//! The organisation register as the public reads it: the directory's
//! filtered and sorted page with its count, one organisation, what hangs off
//! a page of organisations, and an agreement's parties. Each read is bounded
//! by its page, whatever the size of the register.

use crate::{Conn, Db, Param, Result};
use time::Date;

/// An organisation's own columns, with its municipality's slug.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub org_number: Option<String>,
    pub legal_form: String,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub municipality: String,
    pub created_at: time::OffsetDateTime,
}

/// A district an organisation is active in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DistrictLink {
    pub organisation_id: i64,
    pub slug: String,
    pub name: String,
    pub municipality: String,
}

/// A challenge an organisation works on, with its agreement's slug.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChallengeLink {
    pub organisation_id: i64,
    pub agreement: String,
    pub slug: String,
    pub name: String,
}

/// An agreement an organisation is party to, and since when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipLink {
    pub organisation_id: i64,
    pub agreement: String,
    pub joined_on: Date,
}

/// What hangs off some organisations, each list by organisation.
#[derive(Debug, Default)]
pub struct OrganisationLinks {
    pub districts: Vec<DistrictLink>,
    pub challenges: Vec<ChallengeLink>,
    pub memberships: Vec<MembershipLink>,
}

/// A party to an agreement: an organisation, a city body or a person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyRow {
    /// `organisation`, `city_body` or `person`.
    pub kind: String,
    pub organisation: Option<String>,
    /// `municipality/slug`, for a city body.
    pub city_body: Option<String>,
    pub name: String,
    pub legal_form: Option<String>,
    pub org_number: Option<String>,
    pub joined_on: Date,
}

/// The directory's filters; `None` is "any".
#[derive(Debug, Clone, Copy, Default)]
pub struct DirectoryFilter<'a> {
    /// A challenge's slug.
    pub challenge: Option<&'a str>,
    /// A district's slug.
    pub district: Option<&'a str>,
    pub legal_form: Option<&'a str>,
    /// Party to some agreement, or not.
    pub joined: Option<bool>,
    /// Newest first instead of by name.
    pub newest: bool,
}

impl DirectoryFilter<'_> {
    /// The condition on `organisations o` that lets through what this
    /// filter does, with its parameters `$1` … in order: only the filters
    /// chosen are in it, so the database can use its indexes for them.
    fn matching(&self) -> (String, Vec<Param<'_>>) {
        let mut parts: Vec<String> = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        for (value, link, table) in [
            (self.challenge, "organisation_challenges", "challenges"),
            (self.district, "organisation_districts", "districts"),
        ] {
            if let Some(slug) = value {
                params.push(Param::Text(slug));
                let key = if table == "challenges" {
                    "challenge_id"
                } else {
                    "district_id"
                };
                parts.push(format!(
                    "o.id IN (SELECT l.organisation_id FROM {link} l
                              JOIN {table} t ON t.id = l.{key} WHERE t.slug = ${})",
                    params.len()
                ));
            }
        }
        if let Some(form) = self.legal_form {
            params.push(Param::Text(form));
            parts.push(format!("o.legal_form = ${}", params.len()));
        }
        if let Some(joined) = self.joined {
            let not = if joined { "" } else { "NOT " };
            parts.push(format!("{not}EXISTS ({JOINED})"));
        }
        if parts.is_empty() {
            parts.push("1 = 1".to_owned());
        }
        (parts.join(" AND "), params)
    }

    fn order(&self) -> &'static str {
        if self.newest {
            "ORDER BY o.created_at DESC, o.name, o.id"
        } else {
            "ORDER BY o.name, o.id"
        }
    }
}

/// An approved accession of organisation `o` (to some agreement).
const JOINED: &str = "SELECT 1 FROM accessions x WHERE x.organisation_id = o.id
     AND x.status = 'approved' AND x.decided_on IS NOT NULL";

/// The columns of an [`OrganisationRow`] from `organisations o`.
const ORGANISATION: &str =
    "SELECT o.id, o.slug, o.name, o.org_number, o.legal_form, o.description, o.website,
            o.contact_email, m.slug AS municipality, o.created_at
     FROM organisations o JOIN municipalities m ON m.id = o.municipality_id";

/// The approved accessions `x` of agreement `$1`.
const APPROVED: &str = "x.agreement_id = $1 AND x.status = 'approved' AND x.decided_on IS NOT NULL";

/// `$first`, `$first+1`, … for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Conn<'_> {
    /// A page of the organisations `filter` lets through, in its order.
    pub async fn directory_page(
        &mut self,
        filter: &DirectoryFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OrganisationRow>> {
        let (matching, mut params) = filter.matching();
        params.extend([Param::Int(limit), Param::Int(offset)]);
        let sql = format!(
            "{ORGANISATION} WHERE {matching} {} LIMIT ${} OFFSET ${}",
            filter.order(),
            params.len() - 1,
            params.len()
        );
        self.fetch_all_with(&sql, &params).await
    }

    /// How many organisations `filter` lets through.
    pub async fn directory_count(&mut self, filter: &DirectoryFilter<'_>) -> Result<i64> {
        let (matching, params) = filter.matching();
        let sql = format!("SELECT COUNT(*) FROM organisations o WHERE {matching}");
        self.number_with(&sql, &params).await
    }

    /// One organisation by its slug.
    pub async fn organisation_by_slug(&mut self, slug: &str) -> Result<Option<OrganisationRow>> {
        let sql = format!("{ORGANISATION} WHERE o.slug = $1");
        let rows: Vec<OrganisationRow> = self.fetch_all_with(&sql, &[Param::Text(slug)]).await?;
        Ok(rows.into_iter().next())
    }

    /// The districts, challenges and agreements of the organisations `ids`.
    pub async fn organisation_links(&mut self, ids: &[i64]) -> Result<OrganisationLinks> {
        if ids.is_empty() {
            return Ok(OrganisationLinks::default());
        }
        let list = placeholders(1, ids.len());
        let params: Vec<Param> = ids.iter().map(|id| Param::Int(*id)).collect();
        Ok(OrganisationLinks {
            districts: self
                .fetch_all_with(
                    &format!(
                        "SELECT l.organisation_id, d.slug, d.name, m.slug AS municipality
                         FROM organisation_districts l JOIN districts d ON d.id = l.district_id
                         JOIN municipalities m ON m.id = d.municipality_id
                         WHERE l.organisation_id IN ({list}) ORDER BY l.organisation_id, l.district_id"
                    ),
                    &params,
                )
                .await?,
            challenges: self
                .fetch_all_with(
                    &format!(
                        "SELECT l.organisation_id, a.slug AS agreement, c.slug, c.name
                         FROM organisation_challenges l JOIN challenges c ON c.id = l.challenge_id
                         JOIN agreements a ON a.id = c.agreement_id
                         WHERE l.organisation_id IN ({list}) ORDER BY l.organisation_id, l.challenge_id"
                    ),
                    &params,
                )
                .await?,
            memberships: self
                .fetch_all_with(
                    &format!(
                        "SELECT x.organisation_id, a.slug AS agreement, x.decided_on AS joined_on
                         FROM accessions x JOIN agreements a ON a.id = x.agreement_id
                         WHERE x.status = 'approved' AND x.decided_on IS NOT NULL
                           AND x.organisation_id IN ({list})
                         ORDER BY x.organisation_id, x.agreement_id, x.decided_on, x.id"
                    ),
                    &params,
                )
                .await?,
        })
    }

    /// A page of an agreement's parties, earliest first, then by name.
    pub async fn parties_page(
        &mut self,
        agreement_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<PartyRow>> {
        let sql = format!(
            "SELECT 'organisation' AS kind, o.slug AS organisation, NULL AS city_body, o.name,
                    o.legal_form, o.org_number, x.decided_on AS joined_on
             FROM accessions x JOIN organisations o ON o.id = x.organisation_id WHERE {APPROVED}
             UNION ALL
             SELECT 'city_body', NULL, m.slug || '/' || b.slug, b.name, NULL, NULL, x.decided_on
             FROM accessions x JOIN city_bodies b ON b.id = x.city_body_id
             JOIN municipalities m ON m.id = b.municipality_id WHERE {APPROVED}
             UNION ALL
             SELECT 'person', NULL, NULL, COALESCE(u.display_name, ''), NULL, NULL, x.decided_on
             FROM accessions x LEFT JOIN users u ON u.id = x.user_id
             WHERE {APPROVED} AND x.user_id IS NOT NULL
             ORDER BY joined_on, name LIMIT $2 OFFSET $3"
        );
        let params = [
            Param::Int(agreement_id),
            Param::Int(limit),
            Param::Int(offset),
        ];
        self.fetch_all_with(&sql, &params).await
    }

    /// How many parties an agreement has.
    pub async fn count_parties(&mut self, agreement_id: i64) -> Result<i64> {
        let sql = format!(
            "SELECT COUNT(*) FROM accessions x WHERE {APPROVED}
             AND (x.organisation_id IS NOT NULL OR x.city_body_id IS NOT NULL OR x.user_id IS NOT NULL)"
        );
        self.number_with(&sql, &[Param::Int(agreement_id)]).await
    }

    /// The first `limit` organisations of a municipality (a slug) as (slug,
    /// name), by name.
    pub async fn organisation_names_in(
        &mut self,
        municipality: &str,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        self.fetch_all_with(
            "SELECT o.slug, o.name FROM organisations o
             JOIN municipalities m ON m.id = o.municipality_id
             WHERE m.slug = $1 ORDER BY o.name, o.id LIMIT $2",
            &[Param::Text(municipality), Param::Int(limit)],
        )
        .await
    }

    /// Whether an organisation with this slug exists.
    pub async fn organisation_exists(&mut self, slug: &str) -> Result<bool> {
        let rows: Vec<(i64,)> = self
            .fetch_all_with(
                "SELECT id FROM organisations WHERE slug = $1",
                &[Param::Text(slug)],
            )
            .await?;
        Ok(!rows.is_empty())
    }
}

impl Db {
    /// See [`Conn::organisation_by_slug`] and [`Conn::organisation_links`]:
    /// one organisation with what hangs off it.
    pub async fn organisation_with_links(
        &self,
        slug: &str,
    ) -> Result<Option<(OrganisationRow, OrganisationLinks)>> {
        let mut c = self.acquire().await?;
        let mut conn = c.conn();
        let Some(row) = conn.organisation_by_slug(slug).await? else {
            return Ok(None);
        };
        let links = conn.organisation_links(&[row.id]).await?;
        Ok(Some((row, links)))
    }
}

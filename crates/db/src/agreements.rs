//! Inserts of the agreement area, each inside the caller's transaction so a
//! load of many records is all or nothing. Ids come back through `RETURNING`.

use crate::{Result, Tx, tx_run};
use time::Date;

pub struct NewCityBody<'a> {
    pub municipality_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub description: &'a str,
    pub position: i32,
}

pub struct NewAgreement<'a> {
    pub municipality_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub status: &'a str,
    pub status_since: Date,
    pub summary: &'a str,
    pub vision: &'a str,
    pub position: i32,
}

pub struct NewDecision<'a> {
    pub agreement_id: i64,
    pub decided_on: Date,
    pub date_precision: &'a str,
    pub city_body_id: Option<i64>,
    pub decided_by_name: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub url: Option<&'a str>,
    pub title: &'a str,
    pub summary: &'a str,
}

pub struct NewVersion<'a> {
    pub agreement_id: i64,
    pub number: i32,
    pub label: &'a str,
    pub status: &'a str,
    pub published_on: Date,
    pub decision_id: Option<i64>,
    pub note: &'a str,
}

pub struct NewActionPlan<'a> {
    pub agreement_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub starts_on: Date,
    pub ends_on: Date,
    pub extended_to: Option<Date>,
    pub decision_id: Option<i64>,
    pub summary: &'a str,
    /// `PlanStatus` as written.
    pub status: &'a str,
}

pub struct NewRole<'a> {
    pub agreement_id: i64,
    pub position: i32,
    pub slug: &'a str,
    pub kind: &'a str,
    pub side: &'a str,
    pub title: &'a str,
    pub mailbox: Option<&'a str>,
    pub description: &'a str,
}

pub struct NewOrganisation<'a> {
    pub municipality_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub org_number: Option<&'a str>,
    pub legal_form: &'a str,
    pub description: &'a str,
    pub website: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub created_at: time::OffsetDateTime,
}

impl Tx {
    pub async fn insert_district(
        &mut self,
        municipality_id: i64,
        slug: &str,
        name: &str,
        position: i32,
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO districts (municipality_id, slug, name, position) VALUES ($1, $2, $3, $4) RETURNING id"
        )
        .bind(municipality_id)
        .bind(slug)
        .bind(name)
        .bind(position)
        .fetch_one(c)
        .await
        })?)
    }

    pub async fn insert_organisation(&mut self, o: &NewOrganisation<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO organisations (municipality_id, slug, name, org_number, legal_form, description, website,
                                        contact_email, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(o.municipality_id)
        .bind(o.slug)
        .bind(o.name)
        .bind(o.org_number)
        .bind(o.legal_form)
        .bind(o.description)
        .bind(o.website)
        .bind(o.contact_email)
        .bind(o.created_at)
        .fetch_one(c)
        .await
        })?)
    }

    pub async fn insert_organisation_district(
        &mut self,
        organisation_id: i64,
        district_id: i64,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO organisation_districts (organisation_id, district_id) VALUES ($1, $2)"
        )
        .bind(organisation_id)
        .bind(district_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_organisation_challenge(
        &mut self,
        organisation_id: i64,
        challenge_id: i64,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO organisation_challenges (organisation_id, challenge_id) VALUES ($1, $2)"
        )
        .bind(organisation_id)
        .bind(challenge_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_member(
        &mut self,
        organisation_id: i64,
        user_id: i64,
        role: &str,
        now: time::OffsetDateTime,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(organisation_id)
        .bind(user_id)
        .bind(role)
        .bind(now)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn insert_accession(
        &mut self,
        agreement_id: i64,
        organisation_id: i64,
        status: &str,
        applied_on: Date,
        decided_on: Option<Date>,
    ) -> Result<()> {
        tx_run!(self, |c| {
            sqlx::query(
            "INSERT INTO accessions (agreement_id, organisation_id, status, applied_on, decided_on, withdrawn_on)
             VALUES ($1, $2, $3, $4, $5, NULL)"
        )
        .bind(agreement_id)
        .bind(organisation_id)
        .bind(status)
        .bind(applied_on)
        .bind(decided_on)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    /// Adds a municipality or region (`kind`, as `MunicipalityKind` writes it).
    pub async fn insert_municipality(&mut self, slug: &str, name: &str, kind: &str) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO municipalities (slug, name, kind) VALUES ($1, $2, $3) RETURNING id"
        )
        .bind(slug)
        .bind(name)
        .bind(kind)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_city_body(&mut self, b: &NewCityBody<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO city_bodies (municipality_id, slug, name, kind, parent_id, description, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(b.municipality_id)
        .bind(b.slug)
        .bind(b.name)
        .bind(b.kind)
        .bind(b.parent_id)
        .bind(b.description)
        .bind(b.position)
        .fetch_one(c)
        .await
        })?)
    }

    pub async fn insert_agreement(&mut self, a: &NewAgreement<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO agreements (municipality_id, slug, name, short_name, status, status_since,
                                     summary, vision, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(a.municipality_id)
        .bind(a.slug)
        .bind(a.name)
        .bind(a.short_name)
        .bind(a.status)
        .bind(a.status_since)
        .bind(a.summary)
        .bind(a.vision)
        .bind(a.position)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_decision(&mut self, d: &NewDecision<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO decisions (agreement_id, decided_on, date_precision, city_body_id,
                                    decided_by_name, reference, url, title, summary)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(d.agreement_id)
        .bind(d.decided_on)
        .bind(d.date_precision)
        .bind(d.city_body_id)
        .bind(d.decided_by_name)
        .bind(d.reference)
        .bind(d.url)
        .bind(d.title)
        .bind(d.summary)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_version(&mut self, v: &NewVersion<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO agreement_versions (agreement_id, number, label, status, published_on,
                                             decision_id, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(v.agreement_id)
        .bind(v.number)
        .bind(v.label)
        .bind(v.status)
        .bind(v.published_on)
        .bind(v.decision_id)
        .bind(v.note)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_section(
        &mut self,
        version_id: i64,
        position: i32,
        anchor: &str,
        heading: &str,
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO version_sections (version_id, position, anchor, heading)
             VALUES ($1, $2, $3, $4) RETURNING id"
        )
        .bind(version_id)
        .bind(position)
        .bind(anchor)
        .bind(heading)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_paragraph(
        &mut self,
        section_id: i64,
        position: i32,
        anchor: &str,
        kind: &str,
        body: &str,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO version_paragraphs (section_id, position, anchor, kind, body)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(section_id)
        .bind(position)
        .bind(anchor)
        .bind(kind)
        .bind(body)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_principle(
        &mut self,
        agreement_id: i64,
        position: i32,
        slug: &str,
        name: &str,
        description: &str,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO principles (agreement_id, position, slug, name, description)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(agreement_id)
        .bind(position)
        .bind(slug)
        .bind(name)
        .bind(description)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_commitment(
        &mut self,
        agreement_id: i64,
        position: i32,
        body: &str,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO commitments (agreement_id, position, body) VALUES ($1, $2, $3)"
        )
        .bind(agreement_id)
        .bind(position)
        .bind(body)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_challenge(
        &mut self,
        agreement_id: i64,
        position: i32,
        slug: &str,
        name: &str,
        summary: &str,
        description: &str,
    ) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO challenges (agreement_id, position, slug, name, summary, description)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        )
        .bind(agreement_id)
        .bind(position)
        .bind(slug)
        .bind(name)
        .bind(summary)
        .bind(description)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_action_plan(&mut self, p: &NewActionPlan<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| sqlx::query_scalar::<_, i64>(
            "INSERT INTO action_plans (agreement_id, slug, title, starts_on, ends_on, extended_to,
                                       decision_id, summary, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(p.agreement_id)
        .bind(p.slug)
        .bind(p.title)
        .bind(p.starts_on)
        .bind(p.ends_on)
        .bind(p.extended_to)
        .bind(p.decision_id)
        .bind(p.summary)
        .bind(p.status)
        .fetch_one(c)
        .await)?)
    }

    pub async fn insert_plan_challenge(&mut self, plan_id: i64, challenge_id: i64) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO action_plan_challenges (plan_id, challenge_id) VALUES ($1, $2)"
        )
        .bind(plan_id)
        .bind(challenge_id)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_role(&mut self, r: &NewRole<'_>) -> Result<i64> {
        Ok(tx_run!(self, |c| {
            sqlx::query_scalar::<_, i64>(
            "INSERT INTO governance_roles (agreement_id, position, slug, kind, side, title, mailbox, description)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
        )
        .bind(r.agreement_id)
        .bind(r.position)
        .bind(r.slug)
        .bind(r.kind)
        .bind(r.side)
        .bind(r.title)
        .bind(r.mailbox)
        .bind(r.description)
        .fetch_one(c)
        .await
        })?)
    }

    pub async fn insert_term(
        &mut self,
        role_id: i64,
        holder: &str,
        starts_on: Date,
        ends_on: Option<Date>,
    ) -> Result<()> {
        tx_run!(self, |c| sqlx::query(
            "INSERT INTO role_terms (role_id, holder, starts_on, ends_on) VALUES ($1, $2, $3, $4)"
        )
        .bind(role_id)
        .bind(holder)
        .bind(starts_on)
        .bind(ends_on)
        .execute(c)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}

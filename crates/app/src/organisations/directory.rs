//! The public organisation register: the directory's filters (checked
//! against what exists), sorting on allowed fields only, and pagination, all
//! in SQL; one organisation; and the parties to an agreement, a page at a
//! time.

use crate::kept::{keep, kept};
use crate::snapshot::AgreementRecord;
use crate::views::{ChallengeRef, District, Membership, Organisation, Party};
use crate::{App, Error, ParameterProblem, ParameterRule, PublicSnapshot, Result};
use samverkan_db::directory::{DirectoryFilter, OrganisationLinks, OrganisationRow, PartyRow};
use samverkan_domain::LegalForm;
use std::collections::HashMap;

pub const PAGE_SIZE: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Newest,
}

/// What the visitor asked for; every value checked against what exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    pub challenge: Option<String>,
    pub district: Option<String>,
    pub legal_form: Option<LegalForm>,
    pub joined: Option<bool>,
    pub sort: Sort,
    pub page: usize,
}

pub struct DirectoryPage {
    pub items: Vec<Organisation>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

fn invalid(name: &str, given: &str, allowed: &'static str) -> Error {
    Error::InvalidParameter(ParameterProblem {
        name: name.to_owned(),
        given: Some(given.to_owned()),
        rule: ParameterRule::OneOf(allowed),
    })
}

impl DirectoryQuery {
    /// Parses query parameters; empty values mean "any".
    pub fn parse(
        params: &HashMap<String, String>,
        snapshot: &PublicSnapshot,
    ) -> Result<DirectoryQuery> {
        let get = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        let mut q = DirectoryQuery {
            page: 1,
            ..DirectoryQuery::default()
        };
        if let Some(c) = get("challenge") {
            if !snapshot
                .agreements
                .iter()
                .any(|a| a.challenges.iter().any(|x| x.slug == c))
            {
                return Err(invalid(
                    "challenge",
                    c,
                    "the slug of a challenge, as listed on the challenges page",
                ));
            }
            q.challenge = Some(c.to_owned());
        }
        if let Some(d) = get("district") {
            if !snapshot.districts.iter().any(|x| x.slug == d) {
                return Err(invalid(
                    "district",
                    d,
                    "the slug of a district, e.g. innerstaden",
                ));
            }
            q.district = Some(d.to_owned());
        }
        if let Some(f) = get("legal_form") {
            q.legal_form = Some(LegalForm::parse(f).map_err(|_| {
                invalid("legal_form", f, "ideell_forening, stiftelse, registrerat_trossamfund, ekonomisk_forening or natverk")
            })?);
        }
        if let Some(j) = get("joined") {
            q.joined = Some(match j {
                "yes" => true,
                "no" => false,
                other => return Err(invalid("joined", other, "yes or no")),
            });
        }
        if let Some(s) = get("sort") {
            q.sort = match s {
                "name" => Sort::Name,
                "newest" => Sort::Newest,
                other => return Err(invalid("sort", other, "name or newest")),
            };
        }
        if let Some(p) = get("page") {
            q.page = p.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                Error::InvalidParameter(ParameterProblem {
                    name: "page".into(),
                    given: Some(p.to_owned()),
                    rule: ParameterRule::WholeNumber,
                })
            })?;
        }
        Ok(q)
    }

    /// The query string for another page of the same search.
    pub fn href_for_page(&self, page: usize) -> String {
        let mut pairs = Vec::new();
        if let Some(c) = &self.challenge {
            pairs.push(format!("challenge={c}"));
        }
        if let Some(d) = &self.district {
            pairs.push(format!("district={d}"));
        }
        if let Some(f) = self.legal_form {
            pairs.push(format!("legal_form={f}"));
        }
        if let Some(j) = self.joined {
            pairs.push(format!("joined={}", if j { "yes" } else { "no" }));
        }
        if self.sort == Sort::Newest {
            pairs.push("sort=newest".into());
        }
        pairs.push(format!("page={page}"));
        format!("?{}", pairs.join("&"))
    }
}

impl DirectoryQuery {
    /// The filter as the database reads it.
    fn filter(&self) -> DirectoryFilter<'_> {
        DirectoryFilter {
            challenge: self.challenge.as_deref(),
            district: self.district.as_deref(),
            legal_form: self.legal_form.map(|f| f.as_str()),
            joined: self.joined,
            newest: self.sort == Sort::Newest,
        }
    }
}

pub use crate::paged::EXPORT_BATCH;

/// One page of an agreement's parties.
#[derive(Debug, Clone)]
pub struct PartiesPage {
    pub items: Vec<Party>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// How many parties a page lists.
pub const PARTIES_PER_PAGE: usize = 100;

impl App {
    /// The organisations matching `q`, one page of them (past the last
    /// page, the last page), read and counted in SQL.
    pub async fn directory(&self, q: &DirectoryQuery) -> Result<DirectoryPage> {
        let filter = q.filter();
        // Read before the count, so what is kept is at least this new.
        let epoch = self.change_stamp();
        let key = (
            q.challenge.clone(),
            q.district.clone(),
            q.legal_form,
            q.joined,
        );
        let counts = &self.inner.figures.directory;
        let mut c = self.db().acquire().await?;
        let mut conn = c.conn();
        let total = match kept(counts, &key, epoch) {
            Some(n) => n,
            None => {
                let n = conn.directory_count(&filter).await? as usize;
                keep(counts, key, epoch, n);
                n
            }
        };
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = q.page.min(pages);
        let rows = conn
            .directory_page(&filter, PAGE_SIZE as i64, ((page - 1) * PAGE_SIZE) as i64)
            .await?;
        let items = organisations_of(&mut conn, rows).await?;
        Ok(DirectoryPage {
            items,
            total,
            page,
            pages,
        })
    }

    /// The organisations matching `q`'s filters from the `batch`th batch
    /// of [`EXPORT_BATCH`] on (an export reads them batch by batch).
    pub async fn matching_batch(
        &self,
        q: &DirectoryQuery,
        batch: usize,
    ) -> Result<Vec<Organisation>> {
        let mut c = self.db().acquire().await?;
        let mut conn = c.conn();
        let rows = conn
            .directory_page(
                &q.filter(),
                EXPORT_BATCH as i64,
                (batch * EXPORT_BATCH) as i64,
            )
            .await?;
        organisations_of(&mut conn, rows).await
    }

    /// One organisation with its districts, challenges and agreements.
    pub async fn organisation(&self, slug: &str) -> Result<Organisation> {
        let (row, links) = self
            .db()
            .organisation_with_links(slug)
            .await?
            .ok_or(Error::NotFound("organisation"))?;
        Ok(assemble(vec![row], links)?.remove(0))
    }

    /// The organisations of a municipality as (slug, name), by name: at
    /// most one more than [`crate::register::page::ORGANISATION_CHOICES`],
    /// so a form can tell whether to list them.
    pub async fn organisation_choices(&self, municipality: &str) -> Result<Vec<(String, String)>> {
        let mut c = self.db().acquire().await?;
        let limit = crate::register::page::ORGANISATION_CHOICES + 1;
        Ok(c.conn().organisation_names_in(municipality, limit).await?)
    }

    /// Whether an organisation with this slug exists.
    pub async fn organisation_exists(&self, slug: &str) -> Result<bool> {
        let mut c = self.db().acquire().await?;
        Ok(c.conn().organisation_exists(slug).await?)
    }

    /// A page of the parties to an agreement, earliest first (past the
    /// last page, the last page).
    /// A page is kept until the next write (the parties change only by a
    /// decision on an application, which moves the change counter).
    pub async fn parties(&self, agreement: &AgreementRecord, page: usize) -> Result<PartiesPage> {
        // Read before the page, so what is kept is at least this new.
        let epoch = self.change_stamp();
        let cache = &self.inner.figures.parties;
        let key = (agreement.id, page);
        if let Some(found) = kept(cache, &key, epoch) {
            return Ok(found);
        }
        let mut c = self.db().acquire().await?;
        let mut conn = c.conn();
        let total = conn.count_parties(agreement.id).await? as usize;
        let (shown, pages) = crate::paged::clamp(total, page, PARTIES_PER_PAGE);
        let items = parties_from(&mut conn, agreement.id, shown - 1).await?;
        let found = PartiesPage {
            items,
            total,
            page: shown,
            pages,
        };
        keep(cache, key, epoch, found.clone());
        Ok(found)
    }

    /// The `batch`th [`PARTIES_PER_PAGE`] parties of the agreement with this
    /// id (empty past the last; an export reads them batch by batch).
    pub async fn parties_batch(&self, agreement_id: i64, batch: usize) -> Result<Vec<Party>> {
        let mut c = self.db().acquire().await?;
        parties_from(&mut c.conn(), agreement_id, batch).await
    }
}

/// The organisations of `rows` with what hangs off them (one query per
/// kind of link for the whole page).
async fn organisations_of(
    conn: &mut samverkan_db::Conn<'_>,
    rows: Vec<OrganisationRow>,
) -> Result<Vec<Organisation>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let links = conn.organisation_links(&ids).await?;
    assemble(rows, links)
}

/// Puts each organisation's links beside it, in the rows' order.
fn assemble(rows: Vec<OrganisationRow>, links: OrganisationLinks) -> Result<Vec<Organisation>> {
    let mut districts: HashMap<i64, Vec<District>> = HashMap::new();
    for d in links.districts {
        districts
            .entry(d.organisation_id)
            .or_default()
            .push(District {
                slug: d.slug,
                name: d.name,
                municipality: d.municipality,
            });
    }
    let mut challenges: HashMap<i64, Vec<ChallengeRef>> = HashMap::new();
    for c in links.challenges {
        challenges
            .entry(c.organisation_id)
            .or_default()
            .push(ChallengeRef {
                agreement: c.agreement,
                slug: c.slug,
                name: c.name,
            });
    }
    let mut agreements: HashMap<i64, Vec<Membership>> = HashMap::new();
    for m in links.memberships {
        agreements
            .entry(m.organisation_id)
            .or_default()
            .push(Membership {
                agreement: m.agreement,
                joined_on: m.joined_on,
            });
    }
    rows.into_iter()
        .map(|o| {
            Ok(Organisation {
                legal_form: LegalForm::parse(&o.legal_form).map_err(corrupt)?,
                districts: districts.remove(&o.id).unwrap_or_default(),
                challenges: challenges.remove(&o.id).unwrap_or_default(),
                agreements: agreements.remove(&o.id).unwrap_or_default(),
                registered_on: o.created_at.date(),
                slug: o.slug,
                name: o.name,
                org_number: o.org_number,
                description: o.description,
                website: o.website,
                contact_email: o.contact_email,
                municipality: o.municipality,
            })
        })
        .collect()
}

async fn parties_from(
    conn: &mut samverkan_db::Conn<'_>,
    agreement_id: i64,
    batch: usize,
) -> Result<Vec<Party>> {
    let per_page = PARTIES_PER_PAGE as i64;
    let rows = conn
        .parties_page(agreement_id, per_page, batch as i64 * per_page)
        .await?;
    rows.into_iter().map(party_of).collect()
}

fn party_of(p: PartyRow) -> Result<Party> {
    Ok(Party {
        legal_form: p
            .legal_form
            .as_deref()
            .map(LegalForm::parse)
            .transpose()
            .map_err(corrupt)?,
        kind: p.kind,
        organisation: p.organisation,
        city_body: p.city_body,
        name: p.name,
        org_number: p.org_number,
        joined_on: p.joined_on,
    })
}

fn corrupt(err: samverkan_domain::ParseError) -> Error {
    Error::internal("stored value is invalid", err)
}

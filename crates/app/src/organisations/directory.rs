//! The public organisation directory: filters, sorting on allowed fields
//! only, and pagination, over the organisations of the public snapshot.

use crate::views::Organisation;
use crate::{Error, ParameterProblem, ParameterRule, PublicSnapshot, Result};
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

pub struct DirectoryPage<'a> {
    pub items: Vec<&'a Organisation>,
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

impl PublicSnapshot {
    /// Every organisation matching `q`'s filters, in its order.
    pub fn matching(&self, q: &DirectoryQuery) -> Vec<&Organisation> {
        let mut matching: Vec<&Organisation> = self
            .organisations
            .iter()
            .filter(|o| {
                q.challenge
                    .as_ref()
                    .is_none_or(|c| o.challenges.iter().any(|x| &x.slug == c))
            })
            .filter(|o| {
                q.district
                    .as_ref()
                    .is_none_or(|d| o.districts.iter().any(|x| &x.slug == d))
            })
            .filter(|o| q.legal_form.is_none_or(|f| o.legal_form == f))
            .filter(|o| q.joined.is_none_or(|j| o.has_joined() == j))
            .collect();
        if q.sort == Sort::Newest {
            matching.sort_by(|a, b| {
                b.registered_on
                    .cmp(&a.registered_on)
                    .then_with(|| a.name.cmp(&b.name))
            });
        }
        matching
    }

    /// The organisations matching `q`, one page of them.
    pub fn directory(&self, q: &DirectoryQuery) -> DirectoryPage<'_> {
        let matching = self.matching(q);
        let total = matching.len();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = q.page.min(pages);
        let items = matching
            .into_iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect();
        DirectoryPage {
            items,
            total,
            page,
            pages,
        }
    }

    /// The organisations that are party to an agreement, earliest first.
    pub fn parties(&self, agreement: &str) -> Vec<crate::views::Party> {
        let mut parties: Vec<crate::views::Party> = self
            .organisations
            .iter()
            .filter_map(|o| {
                o.agreements
                    .iter()
                    .find(|m| m.agreement == agreement)
                    .map(|m| crate::views::Party {
                        kind: "organisation".into(),
                        organisation: Some(o.slug.clone()),
                        city_body: None,
                        name: o.name.clone(),
                        legal_form: Some(o.legal_form),
                        org_number: o.org_number.clone(),
                        joined_on: m.joined_on,
                    })
            })
            .chain(
                self.other_parties
                    .iter()
                    .filter(|(a, _)| a == agreement)
                    .map(|(_, p)| p.clone()),
            )
            .collect();
        parties.sort_by(|a, b| {
            a.joined_on
                .cmp(&b.joined_on)
                .then_with(|| a.name.cmp(&b.name))
        });
        parties
    }

    pub fn organisation(&self, slug: &str) -> Result<&Organisation> {
        self.organisations
            .iter()
            .find(|o| o.slug == slug)
            .ok_or(Error::NotFound("organisation"))
    }
}

//! Keeping the city bodies (committees and administrations) and naming
//! their officials. Coordinators and platform administrators do this; every
//! grant and removal is audited.

use crate::accounts::CurrentUser;
use crate::organisations::slugify;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::roles::Holder;
use samverkan_domain::{CityBodyKind, Email};
use time::OffsetDateTime;

/// The city-body form as typed.
#[derive(Debug, Clone, Default)]
pub struct CityBodyForm {
    pub municipality: String,
    pub name: String,
    pub kind: String,
    /// Slug of the committee an administration serves, or empty.
    pub parent: String,
    pub description: String,
}

/// A body's officials, for its keepers.
pub struct OfficialsView {
    pub key: String,
    pub name: String,
    pub officials: Vec<Holder>,
}

pub(crate) fn refuse_unless(roles: &Roles) -> Result<()> {
    if roles.keeps_city_bodies() {
        Ok(())
    } else {
        Err(Error::Forbidden("only coordinators keep the city bodies"))
    }
}

struct CheckedBody<'a> {
    municipality_id: i64,
    name: &'a str,
    kind: CityBodyKind,
    parent_id: Option<i64>,
    description: &'a str,
}

/// The rules of the city-body form, once what it names is looked up:
/// whether the municipality was found and, when a parent is named, whether
/// it was. The name, kind and description when they pass; the problems go to
/// `errors`. The form and the import check with this one function.
pub(crate) fn check_fields<'a>(
    form: &'a CityBodyForm,
    municipality_found: bool,
    parent_found: Option<bool>,
    errors: &mut Vec<FieldError>,
) -> Option<(&'a str, CityBodyKind, &'a str)> {
    if !municipality_found {
        errors.push(FieldError::new(
            "municipality",
            "org-unknown-choice",
            "choose among the listed municipalities",
        ));
    }
    let name = form.name.trim();
    if name.chars().count() < 2 || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "org-name-length",
            "write the name, 2 to 200 characters",
        ));
    }
    let kind = CityBodyKind::parse(form.kind.trim()).ok();
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "body-kind-missing",
            "choose what kind of body it is",
        ));
    }
    if parent_found == Some(false) {
        errors.push(FieldError::new(
            "parent",
            "org-unknown-choice",
            "choose among the listed bodies of the same municipality",
        ));
    }
    let description = form.description.trim();
    if description.chars().count() > 2000 {
        errors.push(FieldError::new(
            "description",
            "org-description-length",
            "describe the body in at most 2,000 characters",
        ));
    }
    kind.map(|kind| (name, kind, description))
}

impl App {
    /// The id of the city body `municipality/slug`.
    async fn city_body(&self, key: &str) -> Result<i64> {
        self.db()
            .city_body_id(key)
            .await?
            .ok_or(Error::NotFound("city body"))
    }

    async fn check_body<'a>(&self, form: &'a CityBodyForm) -> Result<CheckedBody<'a>> {
        let municipality_id = self.db().municipality_id(&form.municipality).await?;
        let parent_id = if form.parent.trim().is_empty() {
            None
        } else {
            let key = format!("{}/{}", form.municipality, form.parent.trim());
            Some(self.db().city_body_id(&key).await?)
        };
        let mut errors = Vec::new();
        let parent_found = parent_id.map(|id| id.is_some());
        let checked = check_fields(form, municipality_id.is_some(), parent_found, &mut errors);
        match (municipality_id, checked, errors.is_empty()) {
            (Some(municipality_id), Some((name, kind, description)), true) => Ok(CheckedBody {
                municipality_id,
                name,
                kind,
                parent_id: parent_id.flatten(),
                description,
            }),
            _ => Err(Error::Validation(errors)),
        }
    }

    /// Adds a city body; returns its key `municipality/slug`.
    pub async fn create_city_body(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        form: &CityBodyForm,
    ) -> Result<String> {
        refuse_unless(roles)?;
        let body = self.check_body(form).await?;
        let base = slugify(body.name);
        let mut slug = base.clone();
        let mut n = 2;
        while self
            .db()
            .city_body_slug_taken(body.municipality_id, &slug)
            .await?
        {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let position = self
            .db()
            .next_city_body_position(body.municipality_id)
            .await?;
        let now = OffsetDateTime::now_utc();
        let key = format!("{}/{slug}", form.municipality);
        let mut tx = self.db().begin().await?;
        tx.insert_city_body(&samverkan_db::agreements::NewCityBody {
            municipality_id: body.municipality_id,
            slug: &slug,
            name: body.name,
            kind: body.kind.as_str(),
            parent_id: body.parent_id,
            description: body.description,
            position,
        })
        .await?;
        tx.audit(now, Some(user.id), "city-body-created", &key, body.name)
            .await?;
        self.commit_public(tx).await?;
        Ok(key)
    }

    /// Saves an edit of a city body.
    pub async fn update_city_body(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        key: &str,
        form: &CityBodyForm,
    ) -> Result<()> {
        refuse_unless(roles)?;
        let id = self.city_body(key).await?;
        let body = self.check_body(form).await?;
        if body.parent_id == Some(id) {
            return Err(Error::Validation(vec![FieldError::new(
                "parent",
                "body-parent-self",
                "a body cannot be its own parent",
            )]));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        tx.update_city_body(&samverkan_db::organisations::CityBodyUpdate {
            id,
            name: body.name,
            kind: body.kind.as_str(),
            parent_id: body.parent_id,
            description: body.description,
        })
        .await?;
        tx.audit(now, Some(user.id), "city-body-updated", key, body.name)
            .await?;
        self.commit_public(tx).await?;
        Ok(())
    }

    /// The stored form of a city body, for its edit page.
    pub async fn city_body_form(&self, key: &str) -> Result<CityBodyForm> {
        let snapshot = self.public().await?;
        let (municipality, slug) = key.split_once('/').ok_or(Error::NotFound("city body"))?;
        let b = snapshot
            .city_bodies
            .iter()
            .find(|b| b.municipality == municipality && b.slug == slug)
            .ok_or(Error::NotFound("city body"))?;
        Ok(CityBodyForm {
            municipality: municipality.to_owned(),
            name: b.name.clone(),
            kind: b.kind.as_str().to_owned(),
            parent: b.parent.clone().unwrap_or_default(),
            description: b.description.clone(),
        })
    }

    /// The officials of a body, for its keepers.
    pub async fn officials(&self, roles: &Roles, key: &str) -> Result<OfficialsView> {
        refuse_unless(roles)?;
        let id = self.city_body(key).await?;
        let form = self.city_body_form(key).await?;
        Ok(OfficialsView {
            key: key.to_owned(),
            name: form.name,
            officials: self.db().officials_of(id).await?,
        })
    }

    /// Names the person with account `email` an official of the body.
    pub async fn add_official(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        key: &str,
        email: &str,
    ) -> Result<()> {
        refuse_unless(roles)?;
        let id = self.city_body(key).await?;
        let email = Email::parse(email)
            .map_err(|e| Error::Validation(vec![FieldError::new("email", "email-invalid", e.0)]))?;
        let person = self
            .db()
            .user_by_email(email.as_str())
            .await?
            .filter(|u| u.email_confirmed_at.is_some())
            .ok_or_else(|| {
                Error::Validation(vec![FieldError::new(
                    "email",
                    "official-no-account",
                    "nobody has a confirmed account with this address; ask them to register first",
                )])
            })?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if tx.grant_official(id, person.id, now).await? {
            tx.audit(
                now,
                Some(user.id),
                "role-official-granted",
                key,
                &person.display_name,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Ends a person's role as official of the body.
    pub async fn remove_official(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        key: &str,
        person: i64,
    ) -> Result<()> {
        refuse_unless(roles)?;
        let id = self.city_body(key).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        if !tx.revoke_official(id, person).await? {
            return Err(Error::NotFound("official"));
        }
        tx.audit(
            now,
            Some(user.id),
            "role-official-revoked",
            key,
            &format!("person {person}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

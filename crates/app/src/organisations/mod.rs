//! Registering an organisation: a signed-in person creates it and becomes
//! its administrator. The organisation number is checked (Luhn) and unique;
//! a second organisation with the same number is refused with the name of the
//! one that holds it.

pub mod claim;
pub mod directory;
pub mod import;
pub mod members;

use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_domain::{Email, LegalForm, MemberRole, OrgNumber};
use time::OffsetDateTime;

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct OrganisationForm {
    pub name: String,
    pub org_number: String,
    pub legal_form: String,
    pub description: String,
    pub website: String,
    pub contact_email: String,
    /// The municipality it is registered in (slug); the first agreement's
    /// when empty.
    pub municipality: String,
    pub districts: Vec<String>,
    pub challenges: Vec<String>,
}

impl OrganisationForm {
    /// The form of a registered organisation, as its edit form starts.
    pub fn of(o: &crate::views::Organisation) -> OrganisationForm {
        OrganisationForm {
            name: o.name.clone(),
            org_number: o.org_number.clone().unwrap_or_default(),
            legal_form: o.legal_form.as_str().to_owned(),
            description: o.description.clone(),
            website: o.website.clone().unwrap_or_default(),
            contact_email: o.contact_email.clone().unwrap_or_default(),
            municipality: o.municipality.clone(),
            districts: o.districts.iter().map(|d| d.slug.clone()).collect(),
            challenges: o.challenges.iter().map(|c| c.slug.clone()).collect(),
        }
    }
}

fn problem(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

/// A slug from a name (å, ä, ö → a, a, o), `organisation` when nothing is left.
pub fn slugify(name: &str) -> String {
    samverkan_domain::slug::slugify_or(name, "organisation")
}

/// A profile that passed every check, ready to be written.
struct Profile<'a> {
    name: &'a str,
    org_number: Option<OrgNumber>,
    legal_form: LegalForm,
    description: &'a str,
    website: Option<&'a str>,
    contact: Option<Email>,
    districts: Vec<&'a str>,
    challenges: Vec<&'a str>,
    municipality: String,
}

/// The stored version of a profile, for an edit form.
#[derive(Debug, Clone)]
pub struct EditableOrganisation {
    pub form: OrganisationForm,
    pub version: i64,
}

/// Checks the name, the legal form and the organisation number (none for a
/// network): (name, legal form, number).
fn check_identity<'a>(
    form: &'a OrganisationForm,
    errors: &mut Vec<FieldError>,
) -> (&'a str, Option<LegalForm>, Option<OrgNumber>) {
    let name = form.name.trim();
    if name.chars().count() < 2 || name.chars().count() > 200 {
        errors.push(problem(
            "name",
            "org-name-length",
            "write the organisation's name, 2 to 200 characters",
        ));
    }
    let legal_form = LegalForm::parse(form.legal_form.trim()).ok();
    if legal_form.is_none() {
        errors.push(problem(
            "legal_form",
            "org-legal-form-missing",
            "choose the legal form",
        ));
    }
    let number_text = form.org_number.trim();
    let org_number = if number_text.is_empty() {
        None
    } else if legal_form == Some(LegalForm::Natverk) {
        errors.push(problem("org_number", "org-number-network", "a network without an organisation number has none; choose another legal form or leave the number out"));
        None
    } else {
        match OrgNumber::parse(number_text) {
            Ok(n) => Some(n),
            Err(e) => {
                errors.push(problem("org_number", "org-number-invalid", e.0));
                None
            }
        }
    };
    (name, legal_form, org_number)
}

/// Checks the description, the website (a whole http(s) address) and the
/// contact address: (description, website, contact).
fn check_presentation<'a>(
    form: &'a OrganisationForm,
    errors: &mut Vec<FieldError>,
) -> (&'a str, Option<&'a str>, Option<Email>) {
    let description = form.description.trim();
    if description.is_empty() || description.chars().count() > 2000 {
        errors.push(problem(
            "description",
            "org-description-length",
            "describe the organisation in at most 2,000 characters",
        ));
    }
    let website = form.website.trim();
    let website_ok = website.is_empty()
        || (website.starts_with("https://") || website.starts_with("http://"))
            && website.len() <= 300
            && !website
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<');
    if !website_ok {
        errors.push(problem(
            "website",
            "org-website-invalid",
            "write the whole address, starting with https://",
        ));
    }
    let contact = form.contact_email.trim();
    let contact = if contact.is_empty() {
        None
    } else {
        match Email::parse(contact) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.push(problem("contact_email", "email-invalid", e.0));
                None
            }
        }
    };
    (
        description,
        (!website.is_empty()).then_some(website),
        contact,
    )
}

/// Checks the municipality (empty is the first agreement's), the districts
/// (of that municipality) and the challenges against what the snapshot
/// lists: (municipality, districts, challenges).
fn check_choices<'a>(
    form: &'a OrganisationForm,
    snapshot: &crate::PublicSnapshot,
    errors: &mut Vec<FieldError>,
) -> (Option<String>, Vec<&'a str>, Vec<&'a str>) {
    let chosen = form.municipality.trim();
    let municipality = if chosen.is_empty() {
        snapshot
            .agreements
            .first()
            .map(|a| a.summary.municipality.slug.clone())
    } else if snapshot.municipalities.iter().any(|m| m.slug == chosen) {
        Some(chosen.to_owned())
    } else {
        errors.push(problem(
            "municipality",
            "org-unknown-choice",
            "choose among the listed municipalities",
        ));
        None
    };
    let districts: Vec<&str> = form.districts.iter().map(String::as_str).collect();
    let in_municipality = |d: &str| {
        snapshot
            .districts
            .iter()
            .any(|x| x.slug == d && Some(&x.municipality) == municipality.as_ref())
    };
    if districts.iter().any(|d| !in_municipality(d)) {
        errors.push(problem(
            "districts",
            "org-unknown-choice",
            "choose among the listed districts",
        ));
    }
    let challenges: Vec<&str> = form.challenges.iter().map(String::as_str).collect();
    let known_challenge = |slug: &str| {
        snapshot
            .agreements
            .iter()
            .any(|a| a.challenges.iter().any(|c| c.slug == slug))
    };
    if challenges.iter().any(|c| !known_challenge(c)) {
        errors.push(problem(
            "challenges",
            "org-unknown-choice",
            "choose among the listed challenges",
        ));
    }
    (municipality, districts, challenges)
}

impl App {
    /// Checks a profile as typed. `own` is the organisation being edited, so
    /// that its own number does not count as taken.
    async fn check_profile<'a>(
        &self,
        form: &'a OrganisationForm,
        own: Option<&str>,
    ) -> Result<Profile<'a>> {
        let snapshot = self.public().await?;
        let mut errors = Vec::new();
        let (name, legal_form, org_number) = check_identity(form, &mut errors);
        if let Some(n) = &org_number
            && let Some((holder_slug, holder)) =
                self.db().organisation_with_number(n.as_str()).await?
            && own != Some(holder_slug.as_str())
        {
            errors.push(FieldError {
                field: "org_number",
                code: "org-number-taken",
                message: format!("the organisation number {n} is already registered, by {holder}"),
                detail: Some(holder),
            });
        }
        let (description, website, contact) = check_presentation(form, &mut errors);
        let (municipality, districts, challenges) = check_choices(form, &snapshot, &mut errors);
        let (Some(legal_form), Some(municipality), true) =
            (legal_form, municipality, errors.is_empty())
        else {
            if errors.is_empty() {
                return Err(Error::conflict(
                    "no-municipality",
                    "the platform has no municipality to register organisations in yet",
                ));
            }
            return Err(Error::Validation(errors));
        };
        Ok(Profile {
            name,
            org_number,
            legal_form,
            description,
            website,
            contact,
            districts,
            challenges,
            municipality,
        })
    }

    /// Writes an organisation's districts and challenges.
    async fn write_links(
        &self,
        tx: &mut samverkan_db::Tx,
        org_id: i64,
        ids: &samverkan_db::snapshot::RegisterIds,
        profile: &Profile<'_>,
    ) -> Result<()> {
        for d in &profile.districts {
            if let Some(id) = ids.districts.get(*d) {
                tx.insert_organisation_district(org_id, *id).await?;
            }
        }
        for c in &profile.challenges {
            for id in ids
                .challenges
                .iter()
                .filter(|(slug, _)| slug == c)
                .map(|(_, id)| *id)
            {
                tx.insert_organisation_challenge(org_id, id).await?;
            }
        }
        Ok(())
    }

    /// Creates the organisation with `user` as its administrator; returns its slug.
    pub async fn create_organisation(
        &self,
        user: &CurrentUser,
        form: &OrganisationForm,
    ) -> Result<String> {
        let profile = self.check_profile(form, None).await?;
        let ids = self.db().register_ids(&profile.municipality).await?;
        let base = slugify(profile.name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.db().organisation_slug_taken(&slug).await? {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let org_id = tx
            .insert_organisation(&samverkan_db::agreements::NewOrganisation {
                municipality_id: ids.municipality,
                slug: &slug,
                name: profile.name,
                org_number: profile.org_number.as_ref().map(OrgNumber::as_str),
                legal_form: profile.legal_form.as_str(),
                description: profile.description,
                website: profile.website,
                contact_email: profile.contact.as_ref().map(Email::as_str),
                created_at: now,
            })
            .await
            .map_err(number_taken_now)?;
        self.write_links(&mut tx, org_id, &ids, &profile).await?;
        tx.insert_member(org_id, user.id, MemberRole::Admin.as_str(), now)
            .await?;
        tx.audit(
            now,
            Some(user.id),
            "organisation-created",
            &slug,
            profile.name,
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(slug)
    }

    /// The stored profile of an organisation, for its administrators' edit form.
    pub async fn editable_organisation(
        &self,
        roles: &Roles,
        slug: &str,
    ) -> Result<EditableOrganisation> {
        crate::organisations::members::require_admin(roles, slug)?;
        let (_, version) = self
            .db()
            .organisation_key(slug)
            .await?
            .ok_or(Error::NotFound("organisation"))?;
        Ok(EditableOrganisation {
            form: OrganisationForm::of(&self.organisation(slug).await?),
            version,
        })
    }

    /// Checks a profile as registration (`own` empty) and the edit form
    /// (`own` the organisation's slug, whose own number is not taken) check
    /// it; the problems as [`Error::Validation`].
    pub async fn check_organisation(
        &self,
        form: &OrganisationForm,
        own: Option<&str>,
    ) -> Result<()> {
        self.check_profile(form, own).await.map(|_| ())
    }

    /// Saves an administrator's edit of the profile made on `version`. An
    /// edit on a stale version is refused with [`Error::Stale`], and nothing
    /// of the other person's edit is lost.
    pub async fn update_organisation(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        version: i64,
        form: &OrganisationForm,
    ) -> Result<()> {
        crate::organisations::members::require_admin(roles, slug)?;
        // An organisation stays in the municipality it was registered in.
        let form = OrganisationForm {
            municipality: self.organisation(slug).await?.municipality,
            ..form.clone()
        };
        let profile = self.check_profile(&form, Some(slug)).await?;
        let (org_id, _) = self
            .db()
            .organisation_key(slug)
            .await?
            .ok_or(Error::NotFound("organisation"))?;
        let ids = self.db().register_ids(&profile.municipality).await?;
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        let saved = tx
            .update_organisation(&samverkan_db::organisations::OrganisationUpdate {
                id: org_id,
                version,
                name: profile.name,
                org_number: profile.org_number.as_ref().map(OrgNumber::as_str),
                legal_form: profile.legal_form.as_str(),
                description: profile.description,
                website: profile.website,
                contact_email: profile.contact.as_ref().map(Email::as_str),
            })
            .await
            .map_err(number_taken_now)?;
        if !saved {
            return Err(Error::stale(
                "organisation-stale",
                "someone else saved the profile after you opened it",
            ));
        }
        tx.clear_organisation_links(org_id).await?;
        self.write_links(&mut tx, org_id, &ids, &profile).await?;
        tx.audit(
            now,
            Some(user.id),
            "organisation-updated",
            slug,
            profile.name,
        )
        .await?;
        self.commit_public(tx).await?;
        Ok(())
    }
}

fn number_taken_now(e: samverkan_db::DbError) -> Error {
    match e {
        samverkan_db::DbError::Conflict { .. } => Error::Validation(vec![problem(
            "org_number",
            "org-number-taken-now",
            "the number was registered a moment ago by someone else",
        )]),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn names_become_readable_slugs() {
        assert_eq!(
            slugify("Möllevångens Schackklubb!"),
            "mollevangens-schackklubb"
        );
        assert_eq!(slugify("  <script> "), "script");
        assert_eq!(slugify("!!!"), "organisation");
    }
}

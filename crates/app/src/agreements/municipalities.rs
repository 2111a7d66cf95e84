//! The public-sector parties agreements are made with: municipalities and
//! regions. Platform administrators add them (a fresh install starts with
//! none); their city bodies are kept in `city_bodies`.

use crate::accounts::CurrentUser;
use crate::organisations::slugify;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_domain::MunicipalityKind;
use time::OffsetDateTime;

/// The municipality form as typed.
#[derive(Debug, Clone, Default)]
pub struct MunicipalityForm {
    pub name: String,
    pub kind: String,
}

/// The form's values, checked: the name trimmed, and the kind.
fn check(form: &MunicipalityForm) -> Result<(&str, MunicipalityKind)> {
    let mut errors = Vec::new();
    let name = form.name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        errors.push(FieldError::new(
            "name",
            "municipality-name-length",
            "write the name, 2 to 100 characters, e.g. Malmö stad or Region Skåne",
        ));
    }
    let kind = MunicipalityKind::parse(form.kind.trim()).ok();
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "municipality-kind-missing",
            "choose whether it is a municipality or a region",
        ));
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok((name, kind)),
        _ => Err(Error::Validation(errors)),
    }
}

impl App {
    /// Adds a municipality or region; returns its slug (from the name, with
    /// `-2`, `-3` … when taken). Platform administrators only; audited.
    pub async fn create_municipality(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        form: &MunicipalityForm,
    ) -> Result<String> {
        if !roles.platform_admin {
            return Err(Error::Forbidden(
                "only platform administrators add municipalities and regions",
            ));
        }
        let (name, kind) = check(form)?;
        let base = slugify(name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.db().municipality_id(&slug).await?.is_some() {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.db().begin().await?;
        tx.insert_municipality(&slug, name, kind.as_str()).await?;
        tx.audit(now, Some(user.id), "municipality-created", &slug, name)
            .await?;
        self.commit_public(tx).await?;
        Ok(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_and_a_kind_are_needed() {
        let form = |name: &str, kind: &str| MunicipalityForm {
            name: name.into(),
            kind: kind.into(),
        };
        let skane = form("  Region Skåne ", "region");
        let (name, kind) = check(&skane).unwrap();
        assert_eq!((name, kind), ("Region Skåne", MunicipalityKind::Region));
        let Err(Error::Validation(errors)) = check(&form("X", "county")) else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind"]);
    }
}

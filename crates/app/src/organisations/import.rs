//! Importing organisations into the directory from CSV (the format is
//! described in `docs/csv-format.md`). Platform administrators only.
//!
//! The columns are the organisation form's fields ([`ORG_FIELDS`]); the
//! districts and challenges are lists of slugs separated by `;`. A row is
//! found by its organisation number, which every row needs: a row whose
//! number the directory holds changes that organisation (or leaves it
//! unchanged), any other adds one. Every row goes through the checks of the
//! registration form (`check_identity`, `check_presentation`,
//! `check_choices`).
//!
//! Who owns an imported organisation: nobody. It is a directory entry
//! without members, like the demonstration data's organisations, until a
//! person takes it on. The import changes only organisations without
//! members: once an organisation has administrators, its profile is theirs,
//! and a row with its number is refused with their organisation's name. An
//! organisation stays in the municipality it was registered in, as in the
//! edit form.
//!
//! As with the other imports, an import is planned first, row by row with
//! its line and problems by column; a dry run stops there, and otherwise
//! every row is written in one transaction, or none when any has a problem.

use super::{
    OrganisationForm, Profile, check_choices, check_identity, check_presentation, number_taken_now,
    slugify,
};
use crate::csv_rows::{
    CsvTable, EntryReport, EntryRow, ImportStage, ProgressFn, RowOutcome, RowProblem, read_table,
    seen_before,
};
use crate::register::list;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Message, PublicSnapshot, Result};
use samverkan_db::Tx;
use samverkan_db::directory_import::{StoredOrganisation, StoredOrganisations};
use samverkan_db::snapshot::RegisterIds;
use samverkan_domain::OrgNumber;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// The columns of an organisations file, in order.
pub const ORG_FIELDS: &[&str] = &[
    "org_number",
    "name",
    "legal_form",
    "description",
    "website",
    "contact_email",
    "municipality",
    "districts",
    "challenges",
];

/// Columns an organisations file must have.
pub const ORG_REQUIRED: &[&str] = &["org_number", "name", "legal_form", "description"];

/// What to import: the file.
#[derive(Debug, Clone, Copy)]
pub struct OrganisationImportRequest<'a> {
    pub csv: &'a [u8],
    pub dry_run: bool,
}

/// Reads an organisations file: the header names columns of [`ORG_FIELDS`]
/// (each of [`ORG_REQUIRED`] must be there).
pub fn read_organisations_csv(bytes: &[u8]) -> std::result::Result<CsvTable, Vec<RowProblem>> {
    read_table(bytes, ORG_FIELDS, ORG_REQUIRED)
}

/// A row that passed, ready to be written.
struct Ready {
    name: String,
    org_number: String,
    legal_form: &'static str,
    description: String,
    website: Option<String>,
    contact: Option<String>,
    municipality: String,
    districts: Vec<String>,
    challenges: Vec<String>,
    /// The organisation it changes, with the version read; a new one when `None`.
    existing: Option<(i64, i64)>,
    slug: String,
}

/// A stored organisation as its form shows it, lists sorted.
fn form_of(stored: &StoredOrganisations, o: &StoredOrganisation) -> OrganisationForm {
    let links = |l: &[(i64, String)]| -> Vec<String> {
        l.iter()
            .filter(|(id, _)| *id == o.id)
            .map(|(_, s)| s.clone())
            .collect()
    };
    OrganisationForm {
        name: o.name.clone(),
        org_number: o.org_number.clone().unwrap_or_default(),
        legal_form: o.legal_form.clone(),
        description: o.description.clone(),
        website: o.website.clone().unwrap_or_default(),
        contact_email: o.contact_email.clone().unwrap_or_default(),
        municipality: o.municipality.clone(),
        districts: links(&stored.districts),
        challenges: links(&stored.challenges),
    }
}

fn set_field(form: &mut OrganisationForm, column: &str, value: &str) {
    let sorted = |text: &str| {
        let mut items: Vec<String> = list(text).map(str::to_owned).collect();
        items.sort();
        items.dedup();
        items
    };
    match column {
        "org_number" => value.clone_into(&mut form.org_number),
        "name" => value.clone_into(&mut form.name),
        "legal_form" => value.clone_into(&mut form.legal_form),
        "description" => value.clone_into(&mut form.description),
        "website" => value.clone_into(&mut form.website),
        "contact_email" => value.clone_into(&mut form.contact_email),
        "municipality" => value.clone_into(&mut form.municipality),
        "districts" => form.districts = sorted(value),
        "challenges" => form.challenges = sorted(value),
        _ => {}
    }
}

impl Ready {
    fn of(profile: &Profile<'_>, slug: String, existing: Option<(i64, i64)>) -> Ready {
        let mut districts: Vec<String> =
            profile.districts.iter().map(|d| (*d).to_owned()).collect();
        let mut challenges: Vec<String> =
            profile.challenges.iter().map(|c| (*c).to_owned()).collect();
        districts.sort();
        challenges.sort();
        Ready {
            name: profile.name.to_owned(),
            org_number: profile
                .org_number
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            legal_form: profile.legal_form.as_str(),
            description: profile.description.to_owned(),
            website: profile.website.map(str::to_owned),
            contact: profile.contact.as_ref().map(|e| e.as_str().to_owned()),
            municipality: profile.municipality.clone(),
            districts,
            challenges,
            existing,
            slug,
        }
    }

    /// The fields whose stored text differs from what the row writes.
    fn changed_fields(&self, before: &OrganisationForm) -> Vec<&'static str> {
        let pairs: [(&'static str, bool); 7] = [
            ("name", before.name == self.name),
            ("legal_form", before.legal_form == self.legal_form),
            ("description", before.description == self.description),
            (
                "website",
                before.website == self.website.clone().unwrap_or_default(),
            ),
            (
                "contact_email",
                before.contact_email == self.contact.clone().unwrap_or_default(),
            ),
            ("districts", before.districts == self.districts),
            ("challenges", before.challenges == self.challenges),
        ];
        pairs
            .into_iter()
            .filter(|(_, same)| !same)
            .map(|(f, _)| f)
            .collect()
    }
}

/// The rule of ownership: a row may change only an organisation nobody
/// keeps, one in its own municipality.
fn check_owner(o: &StoredOrganisation, form: &OrganisationForm, problems: &mut Vec<RowProblem>) {
    if o.members > 0 {
        let mut p = RowProblem::new(
            "org_number",
            "org-import-kept",
            format!(
                "{} has members on the platform, and its administrators keep its profile; leave the row out",
                o.name
            ),
        );
        p.detail = Some(o.name.clone());
        problems.push(p);
    }
    let chosen = form.municipality.trim();
    if !chosen.is_empty() && chosen != o.municipality {
        let mut p = RowProblem::new(
            "municipality",
            "org-import-municipality",
            format!(
                "an organisation stays in the municipality it was registered in ({}); write that or leave the cell empty",
                o.municipality
            ),
        );
        p.detail = Some(o.municipality.clone());
        problems.push(p);
    }
}

/// The organisation numbers of the rows that have a valid one.
fn numbers_of(table: &CsvTable) -> Vec<String> {
    let mut numbers: Vec<String> = (table.rows.iter())
        .filter_map(|r| OrgNumber::parse(r.value("org_number")).ok())
        .map(|n| n.as_str().to_owned())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// Checks every row against the directory and the rows above it. New
/// organisations get a slug from their name that no stored one has
/// (`taken`) and no earlier row took.
fn plan_rows(
    snapshot: &PublicSnapshot,
    stored: &StoredOrganisations,
    taken: &HashSet<String>,
    table: &CsvTable,
    progress: ProgressFn<'_>,
) -> (EntryReport, Vec<Option<Ready>>) {
    let total = table.rows.len();
    let mut report = EntryReport::default();
    let mut ready = Vec::with_capacity(total);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut slugs: HashSet<String> = HashSet::new();
    for (done, row) in table.rows.iter().enumerate() {
        let mut problems = row.problems.clone();
        let number = OrgNumber::parse(row.value("org_number")).ok();
        let matched = number.as_ref().and_then(|n| {
            (stored.organisations.iter()).find(|o| o.org_number.as_deref() == Some(n.as_str()))
        });
        if let Some(n) = &number {
            problems.extend(seen_before(&mut seen, n.as_str(), row.line, "org_number"));
        } else if row.value("org_number").trim().is_empty() {
            problems.push(RowProblem::new(
                "org_number",
                "org-import-number-needed",
                "write the organisation number: the import finds organisations by it (register a network without one in the browser)",
            ));
        }
        // Columns left out of the file keep what the organisation has.
        let mut form = matched.map_or_else(OrganisationForm::default, |o| form_of(stored, o));
        for (column, value) in &row.cells {
            set_field(&mut form, column, value);
        }
        if let Some(o) = matched {
            check_owner(o, &form, &mut problems);
            form.municipality.clone_from(&o.municipality);
        }
        let mut errors: Vec<FieldError> = Vec::new();
        let (name, legal_form, org_number) = check_identity(&form, &mut errors);
        let (description, website, contact) = check_presentation(&form, &mut errors);
        let (municipality, districts, challenges) = check_choices(&form, snapshot, &mut errors);
        if municipality.is_none() && errors.iter().all(|e| e.field != "municipality") {
            errors.push(FieldError::new(
                "municipality",
                "no-municipality",
                "the platform has no municipality to register organisations in yet",
            ));
        }
        problems.extend(errors.into_iter().map(RowProblem::from));
        let mut outcome = None;
        let mut item = None;
        if let (Some(legal_form), Some(municipality), true) =
            (legal_form, municipality, problems.is_empty())
        {
            let profile = Profile {
                name,
                org_number,
                legal_form,
                description,
                website,
                contact,
                districts,
                challenges,
                municipality,
            };
            let slug = match matched {
                Some(o) => o.slug.clone(),
                None => free_slug(&slugify(profile.name), taken, &slugs),
            };
            let next = Ready::of(&profile, slug, matched.map(|o| (o.id, o.version)));
            let planned = match matched {
                None => RowOutcome::Created,
                Some(o) => {
                    let fields = next.changed_fields(&form_of(stored, o));
                    if fields.is_empty() {
                        RowOutcome::Unchanged
                    } else {
                        RowOutcome::Changed(fields)
                    }
                }
            };
            if matched.is_none() {
                slugs.insert(next.slug.clone());
            }
            if planned != RowOutcome::Unchanged {
                item = Some(next);
            }
            outcome = Some(planned);
        }
        report.rows.push(EntryRow {
            line: row.line,
            name: row.value("name").trim().to_owned(),
            slug: item
                .as_ref()
                .map(|r: &Ready| r.slug.clone())
                .or_else(|| matched.map(|o| o.slug.clone())),
            outcome,
            problems,
        });
        ready.push(item);
        progress(ImportStage::Checking, done + 1, total);
    }
    (report, ready)
}

/// `base`, else `base-2`, `base-3` … : the first that neither a stored
/// organisation (`taken`) nor an earlier row (`new`) has.
fn free_slug(base: &str, taken: &HashSet<String>, new: &HashSet<String>) -> String {
    let mut slug = base.to_owned();
    let mut n = 2;
    while taken.contains(&slug) || new.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The slugs a new row is most likely to take: each name's slug, with `-2`
/// and `-3`. Any other a row takes is read after planning.
fn candidate_slugs(table: &CsvTable) -> HashSet<String> {
    (table.rows.iter())
        .map(|r| slugify(r.value("name").trim()))
        .flat_map(|base| [format!("{base}-2"), format!("{base}-3"), base])
        .collect()
}

impl App {
    /// Imports a CSV file of organisations into the directory; see the
    /// module documentation. `roles` is `None` for the trusted command
    /// line; on the web only platform administrators may import. `actor` is
    /// the account noted in the audit record. With `dry_run`, or when any
    /// row has a problem, nothing is written and the report says what
    /// would happen.
    pub async fn import_organisations_csv(
        &self,
        actor: Option<i64>,
        roles: Option<&Roles>,
        request: &OrganisationImportRequest<'_>,
        progress: ProgressFn<'_>,
    ) -> Result<EntryReport> {
        if roles.is_some_and(|r| !r.platform_admin) {
            return Err(Error::Forbidden(
                "only platform administrators import organisations",
            ));
        }
        let table = match read_organisations_csv(request.csv) {
            Ok(table) => table,
            Err(problems) => return Ok(EntryReport::unreadable(problems)),
        };
        let snapshot = self.public().await?;
        // The stored organisations are read in the transaction that writes;
        // an organisation changed meanwhile is refused by its version, one
        // registered meanwhile by the unique number.
        let mut tx = self.db().begin().await?;
        let stored = tx
            .conn()
            .organisations_numbered(&numbers_of(&table))
            .await?;
        let mut asked = candidate_slugs(&table);
        let list: Vec<String> = asked.iter().cloned().collect();
        let mut taken = tx.conn().organisation_slugs_taken(&list).await?;
        let (mut report, ready) = loop {
            let (report, ready) = plan_rows(&snapshot, &stored, &taken, &table, progress);
            // A name that many stored organisations share may need a
            // numbered slug beyond those read: read those too, and plan again.
            let unread: Vec<String> = (ready.iter().flatten())
                .filter(|r| r.existing.is_none() && !asked.contains(&r.slug))
                .map(|r| r.slug.clone())
                .collect();
            if unread.is_empty() {
                break (report, ready);
            }
            let found = tx.conn().organisation_slugs_taken(&unread).await?;
            asked.extend(unread);
            if found.is_empty() {
                break (report, ready);
            }
            taken.extend(found);
        };
        if request.dry_run || report.has_problems() {
            return Ok(report);
        }
        let mut ids: HashMap<String, RegisterIds> = HashMap::new();
        for r in ready.iter().flatten() {
            if !ids.contains_key(&r.municipality) {
                let found = self.db().register_ids(&r.municipality).await?;
                ids.insert(r.municipality.clone(), found);
            }
        }
        let now = OffsetDateTime::now_utc();
        let total = ready.len();
        for (done, (item, row)) in ready.iter().zip(report.rows.iter()).enumerate() {
            if let Some(r) = item {
                let register = ids
                    .get(&r.municipality)
                    .ok_or_else(|| Error::internal_bare("the municipality's ids were read"))?;
                write_row(&mut tx, register, r, row.line, actor, now).await?;
            }
            progress(ImportStage::Writing, done + 1, total);
        }
        self.commit_public(tx).await?;
        report.applied = true;
        Ok(report)
    }
}

/// Writes one planned row: the organisation, its districts and challenges,
/// and the audit record.
async fn write_row(
    tx: &mut Tx,
    ids: &RegisterIds,
    r: &Ready,
    line: u64,
    actor: Option<i64>,
    now: OffsetDateTime,
) -> Result<()> {
    let (id, action) = match r.existing {
        None => {
            let id = tx
                .insert_organisation(&samverkan_db::agreements::NewOrganisation {
                    municipality_id: ids.municipality,
                    slug: &r.slug,
                    name: &r.name,
                    org_number: Some(&r.org_number),
                    legal_form: r.legal_form,
                    description: &r.description,
                    website: r.website.as_deref(),
                    contact_email: r.contact.as_deref(),
                    created_at: now,
                })
                .await
                .map_err(number_taken_now)?;
            (id, "organisation-created")
        }
        Some((id, version)) => {
            let saved = tx
                .update_organisation(&samverkan_db::organisations::OrganisationUpdate {
                    id,
                    version,
                    name: &r.name,
                    org_number: Some(&r.org_number),
                    legal_form: r.legal_form,
                    description: &r.description,
                    website: r.website.as_deref(),
                    contact_email: r.contact.as_deref(),
                })
                .await?;
            if !saved {
                return Err(Error::Stale(
                    Message::new(
                        "import-organisation-stale",
                        format!(
                            "someone changed the organisation on line {line} ('{}') during the import; \
                             nothing was written, check the file again",
                            r.name
                        ),
                    )
                    .arg("line", line.to_string())
                    .arg("title", r.name.as_str()),
                ));
            }
            tx.clear_organisation_links(id).await?;
            (id, "organisation-updated")
        }
    };
    for d in &r.districts {
        if let Some(district) = ids.districts.get(d.as_str()) {
            tx.insert_organisation_district(id, *district).await?;
        }
    }
    for c in &r.challenges {
        for (_, challenge) in ids.challenges.iter().filter(|(slug, _)| slug == c) {
            tx.insert_organisation_challenge(id, *challenge).await?;
        }
    }
    tx.audit(now, actor, action, &r.slug, &r.name).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_column_is_a_column_and_lists_are_sorted() {
        for c in ORG_REQUIRED {
            assert!(ORG_FIELDS.contains(c), "{c}");
        }
        let mut form = OrganisationForm::default();
        set_field(&mut form, "districts", "rosengard; \n oster;rosengard");
        assert_eq!(form.districts, ["oster", "rosengard"]);
    }

    #[test]
    fn new_slugs_skip_the_taken_ones() {
        let taken: HashSet<String> = ["klubben".into(), "klubben-2".into()].into();
        let mut new = HashSet::new();
        assert_eq!(free_slug("klubben", &taken, &new), "klubben-3");
        new.insert("klubben-3".to_owned());
        assert_eq!(free_slug("klubben", &taken, &new), "klubben-4");
        assert_eq!(free_slug("annat", &taken, &new), "annat");
    }
}

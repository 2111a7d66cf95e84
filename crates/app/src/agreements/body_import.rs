//! Importing the city bodies of a municipality or region from CSV (the
//! format is described in `docs/csv-format.md`).
//!
//! The columns are the city-body form's fields ([`BODY_FIELDS`]) and the
//! body's slug. A row whose slug (or, without one, whose name) is that of a
//! body of the municipality changes it, or leaves it unchanged; any other
//! row adds a body, with the slug given or one made from its name. Every row
//! goes through the form's own check (`city_bodies::check_fields`); a parent
//! is a body of the municipality already there or one on an earlier line.
//! As with the other imports, an import is planned first, row by row with
//! its line and problems by column; a dry run stops there, and otherwise
//! every row is written in one transaction, or none when any has a problem.

use crate::agreements::city_bodies::{CityBodyForm, check_fields, refuse_unless};
use crate::csv_rows::{
    CsvRow, CsvTable, EntryReport, EntryRow, ImportStage, ProgressFn, RowOutcome, RowProblem,
    read_table, seen_before,
};
use crate::organisations::slugify;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::directory_import::StoredBody;
use samverkan_domain::{CityBodyKind, Slug};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// The columns of a city-bodies file, in order.
pub const BODY_FIELDS: &[&str] = &["slug", "name", "kind", "parent", "description"];

/// Columns a city-bodies file must have.
pub const BODY_REQUIRED: &[&str] = &["name", "kind"];

/// What to import: the municipality's (or region's) slug and the file.
#[derive(Debug, Clone, Copy)]
pub struct BodyImportRequest<'a> {
    pub municipality: &'a str,
    pub csv: &'a [u8],
    pub dry_run: bool,
}

/// Reads a city-bodies file: the header names columns of [`BODY_FIELDS`]
/// (each of [`BODY_REQUIRED`] must be there).
pub fn read_bodies_csv(bytes: &[u8]) -> std::result::Result<CsvTable, Vec<RowProblem>> {
    read_table(bytes, BODY_FIELDS, BODY_REQUIRED)
}

/// A row that passed, ready to be written.
struct Ready {
    slug: String,
    name: String,
    kind: CityBodyKind,
    parent: Option<String>,
    description: String,
    /// The body it changes; a new one when `None`.
    existing: Option<i64>,
}

/// The stored bodies of the municipality, and the slugs the file's new
/// rows take, as the rows are planned.
struct Bodies<'s> {
    stored: &'s [StoredBody],
    /// Slugs of the file's new bodies, in file order so far.
    new: HashSet<String>,
}

impl Bodies<'_> {
    fn by_slug(&self, slug: &str) -> Option<&StoredBody> {
        self.stored.iter().find(|b| b.slug == slug)
    }

    fn by_name(&self, name: &str) -> Option<&StoredBody> {
        let name = name.to_lowercase();
        self.stored
            .iter()
            .find(|b| b.name.trim().to_lowercase() == name)
    }

    fn slug_of(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.stored.iter().find(|b| b.id == id))
            .map(|b| b.slug.clone())
            .unwrap_or_default()
    }

    fn taken(&self, slug: &str) -> bool {
        self.by_slug(slug).is_some() || self.new.contains(slug)
    }

    /// A free slug from a name: the name's, else with `-2`, `-3` …
    fn free_slug(&self, name: &str) -> String {
        let base = slugify(name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.taken(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }
}

/// The stored body as its form shows it.
fn form_of(bodies: &Bodies<'_>, municipality: &str, b: &StoredBody) -> CityBodyForm {
    CityBodyForm {
        municipality: municipality.to_owned(),
        name: b.name.clone(),
        kind: b.kind.clone(),
        parent: bodies.slug_of(b.parent_id),
        description: b.description.clone(),
    }
}

fn set_field(form: &mut CityBodyForm, column: &str, value: &str) {
    let field = match column {
        "name" => &mut form.name,
        "kind" => &mut form.kind,
        "parent" => &mut form.parent,
        "description" => &mut form.description,
        _ => return,
    };
    value.clone_into(field);
}

/// The fields whose stored text differs from what the row writes.
fn changed_fields(before: &CityBodyForm, after: &Ready) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if before.name != after.name {
        fields.push("name");
    }
    if before.kind != after.kind.as_str() {
        fields.push("kind");
    }
    if before.parent != after.parent.clone().unwrap_or_default() {
        fields.push("parent");
    }
    if before.description != after.description {
        fields.push("description");
    }
    fields
}

/// The stored body a row stands for: by its slug when it has one, else by
/// its name; the slug it has (or will have).
fn match_row<'s>(
    row: &CsvRow,
    bodies: &'s Bodies<'_>,
    problems: &mut Vec<RowProblem>,
) -> (Option<&'s StoredBody>, String) {
    let slug = row.value("slug").trim();
    if slug.is_empty() {
        let matched = bodies.by_name(row.value("name").trim());
        let slug = matched.map_or_else(
            || bodies.free_slug(row.value("name").trim()),
            |b| b.slug.clone(),
        );
        return (matched, slug);
    }
    if let Err(e) = Slug::parse(slug) {
        problems.push(RowProblem::new("slug", "body-slug-invalid", e.0));
    }
    (bodies.by_slug(slug), slug.to_owned())
}

/// Checks every row against the municipality's bodies and the rows above it.
fn plan_rows(
    municipality: &str,
    stored: &[StoredBody],
    table: CsvTable,
    progress: ProgressFn<'_>,
) -> (EntryReport, Vec<Option<Ready>>) {
    let total = table.rows.len();
    let mut report = EntryReport::default();
    let mut ready = Vec::with_capacity(total);
    let mut bodies = Bodies {
        stored,
        new: HashSet::new(),
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (done, row) in table.rows.into_iter().enumerate() {
        let mut problems = row.problems.clone();
        let (matched, slug) = match_row(&row, &bodies, &mut problems);
        problems.extend(seen_before(&mut seen, &slug, row.line, "slug"));
        // Columns left out of the file keep what the body has.
        let mut form = matched.map_or_else(
            || CityBodyForm {
                municipality: municipality.to_owned(),
                ..CityBodyForm::default()
            },
            |b| form_of(&bodies, municipality, b),
        );
        for (column, value) in &row.cells {
            set_field(&mut form, column, value);
        }
        let parent = form.parent.trim().to_owned();
        let parent_found = (!parent.is_empty()).then(|| bodies.taken(&parent));
        let mut errors: Vec<FieldError> = Vec::new();
        let checked = check_fields(&form, true, parent_found, &mut errors);
        if !parent.is_empty() && parent == slug {
            errors.push(FieldError::new(
                "parent",
                "body-parent-self",
                "a body cannot be its own parent",
            ));
        }
        problems.extend(errors.into_iter().map(RowProblem::from));
        let mut outcome = None;
        let mut item = None;
        if let (Some((name, kind, description)), true) = (checked, problems.is_empty()) {
            let next = Ready {
                slug: slug.clone(),
                name: name.to_owned(),
                kind,
                parent: (!parent.is_empty()).then(|| parent.clone()),
                description: description.to_owned(),
                existing: matched.map(|b| b.id),
            };
            outcome = Some(match matched {
                None => RowOutcome::Created,
                Some(b) => {
                    let fields = changed_fields(&form_of(&bodies, municipality, b), &next);
                    if fields.is_empty() {
                        RowOutcome::Unchanged
                    } else {
                        RowOutcome::Changed(fields)
                    }
                }
            });
            if outcome != Some(RowOutcome::Unchanged) {
                item = Some(next);
            }
        }
        if matched.is_none() {
            bodies.new.insert(slug.clone());
        }
        report.rows.push(EntryRow {
            line: row.line,
            name: row.value("name").trim().to_owned(),
            slug: Some(slug),
            outcome,
            problems,
        });
        ready.push(item);
        progress(ImportStage::Checking, done + 1, total);
    }
    (report, ready)
}

impl App {
    /// Imports a CSV file of city bodies into a municipality or region; see
    /// the module documentation. `roles` is `None` for the trusted command
    /// line; on the web those who keep the city bodies may import (the
    /// coordinators and platform administrators). `actor` is the account
    /// noted in the audit record. With `dry_run`, or when any row has a
    /// problem, nothing is written and the report says what would happen.
    pub async fn import_city_bodies_csv(
        &self,
        actor: Option<i64>,
        roles: Option<&Roles>,
        request: &BodyImportRequest<'_>,
        progress: ProgressFn<'_>,
    ) -> Result<EntryReport> {
        if let Some(roles) = roles {
            refuse_unless(roles)?;
        }
        let municipality = request.municipality.trim();
        let Some(municipality_id) = self.db().municipality_id(municipality).await? else {
            return Err(Error::Validation(vec![FieldError::new(
                "municipality",
                "org-unknown-choice",
                "choose among the listed municipalities",
            )]));
        };
        let table = match read_bodies_csv(request.csv) {
            Ok(table) => table,
            Err(problems) => return Ok(EntryReport::unreadable(problems)),
        };
        // The bodies are read in the transaction that writes: a body added
        // meanwhile cannot be added twice (the slug is unique per
        // municipality, so the insert would fail and nothing be written).
        let mut tx = self.db().begin().await?;
        let stored = tx.conn().bodies_of(municipality_id).await?;
        let (mut report, ready) = plan_rows(municipality, &stored, table, progress);
        if request.dry_run || report.has_problems() {
            return Ok(report);
        }
        let mut position = self.db().next_city_body_position(municipality_id).await?;
        let mut ids: HashMap<String, i64> = stored.iter().map(|b| (b.slug.clone(), b.id)).collect();
        let now = OffsetDateTime::now_utc();
        let total = ready.len();
        for (done, item) in ready.iter().enumerate() {
            if let Some(body) = item {
                let parent_id = body.parent.as_ref().and_then(|p| ids.get(p).copied());
                let key = format!("{municipality}/{}", body.slug);
                match body.existing {
                    None => {
                        let id = tx
                            .insert_city_body(&samverkan_db::agreements::NewCityBody {
                                municipality_id,
                                slug: &body.slug,
                                name: &body.name,
                                kind: body.kind.as_str(),
                                parent_id,
                                description: &body.description,
                                position,
                            })
                            .await?;
                        position += 1;
                        ids.insert(body.slug.clone(), id);
                        tx.audit(now, actor, "city-body-created", &key, &body.name)
                            .await?;
                    }
                    Some(id) => {
                        tx.update_city_body(&samverkan_db::organisations::CityBodyUpdate {
                            id,
                            name: &body.name,
                            kind: body.kind.as_str(),
                            parent_id,
                            description: &body.description,
                        })
                        .await?;
                        tx.audit(now, actor, "city-body-updated", &key, &body.name)
                            .await?;
                    }
                }
            }
            progress(ImportStage::Writing, done + 1, total);
        }
        self.commit_public(tx).await?;
        report.applied = true;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_rows::no_progress;

    fn stored() -> Vec<StoredBody> {
        vec![StoredBody {
            id: 7,
            slug: "kulturnamnden".into(),
            name: "Kulturnämnden".into(),
            kind: "committee".into(),
            parent_id: None,
            description: "Kultur.".into(),
        }]
    }

    fn plan(csv: &str) -> EntryReport {
        let table = read_bodies_csv(csv.as_bytes()).expect("readable");
        plan_rows("malmo", &stored(), table, &no_progress).0
    }

    #[test]
    fn rows_match_by_slug_or_name_and_parents_may_come_from_the_file() {
        let report = plan(
            "name,kind,parent,slug,description\n\
             KULTURNÄMNDEN,committee,,,Kultur.\n\
             Kulturnämnden,committee,,kulturnamnden,Kultur och bibliotek.\n\
             Fritidsnämnden,committee,,,\n\
             Fritidsförvaltningen,administration,fritidsnamnden,,\n",
        );
        let outcomes: Vec<(u64, Option<String>, Option<RowOutcome>)> = report
            .rows
            .iter()
            .map(|r| (r.line, r.slug.clone(), r.outcome.clone()))
            .collect();
        // Matched by name whatever its case; the case is the change.
        assert_eq!(
            outcomes[..1],
            [(
                2,
                Some("kulturnamnden".into()),
                Some(RowOutcome::Changed(vec!["name"]))
            )]
        );
        // The same body twice: the second names the first line.
        assert_eq!(report.rows[1].problems[0].code, "import-twice");
        assert_eq!(
            outcomes[2..],
            [
                (4, Some("fritidsnamnden".into()), Some(RowOutcome::Created)),
                (
                    5,
                    Some("fritidsforvaltningen".into()),
                    Some(RowOutcome::Created)
                ),
            ]
        );
    }

    #[test]
    fn problems_are_named_by_column() {
        let report = plan(
            "slug,name,kind,parent\n\
             Bad Slug,X,council,okand\n\
             kulturnamnden,Kulturnämnden,administration,kulturnamnden\n",
        );
        let fields = |i: usize| -> Vec<(String, String)> {
            report.rows[i]
                .problems
                .iter()
                .map(|p| (p.field.clone(), p.code.clone()))
                .collect()
        };
        assert_eq!(
            fields(0),
            [
                ("slug".into(), "body-slug-invalid".into()),
                ("name".into(), "org-name-length".into()),
                ("kind".into(), "body-kind-missing".into()),
                ("parent".into(), "org-unknown-choice".into()),
            ]
        );
        assert_eq!(fields(1), [("parent".into(), "body-parent-self".into())]);
        assert!(report.has_problems());
        assert_eq!(report.failed_rows(), 2);
    }

    #[test]
    fn a_change_names_its_fields() {
        let report = plan("slug,name,kind\nkulturnamnden,Kulturnämnden,administration\n");
        assert_eq!(
            report.rows[0].outcome,
            Some(RowOutcome::Changed(vec!["kind"]))
        );
    }
}

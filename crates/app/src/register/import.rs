//! Importing and exporting the collaboration register's records as CSV (the
//! format is described in `docs/csv-format.md`).
//!
//! The columns are the record form's fields ([`RECORD_FIELDS`]), every cell
//! text exactly as typed in the form. A row whose city body, title and start
//! date match a record of that body already in the register changes it (or
//! leaves it unchanged when its canonical text is the same); any other row
//! makes a new record. Every row goes through [`register::check`], the one
//! check the form and the API use, against the agreement's register. As with
//! the action plan's import (`plan_import`), an import is planned first: each
//! row is read with the line it starts on and given what would happen to it
//! or its problems, by column. A dry run stops there; otherwise, and only
//! when no row has a problem, every row is written in one transaction.

use crate::csv_rows::{
    CsvRow, CsvTable, ImportStage, ProgressFn, RowProblem, read_table, write_csv, write_csv_rows,
};
use crate::paged::EXPORT_BATCH;
use crate::plans::activities::parse_date;
use crate::plans::import::RowOutcome;
use crate::register::{self, RECORD_FIELDS, Record, RecordFilter, RecordForm, RegisterScope};
use crate::roles::Roles;
use crate::{App, Error, Message, Result};
use samverkan_db::register::{RecordLinks, RecordValues, RegisterRefs};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// Columns a records file must have: what every record needs. The others
/// may be left out; a record already in the register then keeps what it has.
pub const RECORD_REQUIRED: &[&str] = &[
    "body",
    "form",
    "title",
    "description",
    "starts_on",
    "ends_on",
    "organisations",
];

/// The list columns: items separated by `;` (or new lines).
const LIST_FIELDS: &[&str] = &["organisations", "money", "principles"];

/// One data row of the file and what it does, or its problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRowReport {
    /// The physical line of the file the row starts on (the header is 1).
    pub line: u64,
    /// The city body's slug, as in the row.
    pub body: String,
    /// The record's title, as in the row.
    pub title: String,
    /// The record the row matches (or, once applied, the one it made).
    pub record: Option<i64>,
    /// What the row does (`created`, `changed` with the fields, or
    /// `unchanged`); `None` when it has problems.
    pub outcome: Option<RowOutcome>,
    pub problems: Vec<RowProblem>,
}

/// The result of a dry run or of applying a records file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordImportReport {
    /// Problems of the file as a whole or of its header (line 1).
    pub file_problems: Vec<RowProblem>,
    pub rows: Vec<RecordRowReport>,
    /// Whether the rows were written (never when there is a problem).
    pub applied: bool,
}

impl RecordImportReport {
    /// Whether anything stops the import.
    pub fn has_problems(&self) -> bool {
        !self.file_problems.is_empty() || self.rows.iter().any(|r| !r.problems.is_empty())
    }

    /// The rows with problems.
    pub fn failed_rows(&self) -> usize {
        self.rows.iter().filter(|r| !r.problems.is_empty()).count()
    }

    /// How many rows have the outcome `key` (`created`, `changed`, `unchanged`).
    pub fn count(&self, key: &str) -> usize {
        self.rows
            .iter()
            .filter(|r| r.outcome.as_ref().is_some_and(|o| o.key() == key))
            .count()
    }
}

/// What a records import is asked to do.
pub struct RecordImportRequest<'a> {
    /// The agreement's slug.
    pub agreement: &'a str,
    pub csv: &'a [u8],
    /// Only check and report; write nothing.
    pub dry_run: bool,
}

/// Reads a records file: the header names columns of [`RECORD_FIELDS`]
/// (each of [`RECORD_REQUIRED`] must be there).
pub fn read_records_csv(bytes: &[u8]) -> std::result::Result<CsvTable, Vec<RowProblem>> {
    read_table(bytes, RECORD_FIELDS, RECORD_REQUIRED)
}

/// The text of a form field by its column name.
pub fn form_field<'a>(form: &'a RecordForm, column: &str) -> &'a str {
    match column {
        "body" => &form.body,
        "form" => &form.form,
        "title" => &form.title,
        "description" => &form.description,
        "outcome" => &form.outcome,
        "starts_on" => &form.starts_on,
        "ends_on" => &form.ends_on,
        "organisations" => &form.organisations,
        "money" => &form.money,
        "total" => &form.total,
        "district" => &form.district,
        "challenge" => &form.challenge,
        "activity" => &form.activity,
        "principles" => &form.principles,
        "version" => &form.version,
        _ => "",
    }
}

/// Sets a form field by its column name (unknown names are ignored).
fn set_field(form: &mut RecordForm, column: &str, value: String) {
    let field = match column {
        "body" => &mut form.body,
        "form" => &mut form.form,
        "title" => &mut form.title,
        "description" => &mut form.description,
        "outcome" => &mut form.outcome,
        "starts_on" => &mut form.starts_on,
        "ends_on" => &mut form.ends_on,
        "organisations" => &mut form.organisations,
        "money" => &mut form.money,
        "total" => &mut form.total,
        "district" => &mut form.district,
        "challenge" => &mut form.challenge,
        "activity" => &mut form.activity,
        "principles" => &mut form.principles,
        _ => return,
    };
    *field = value;
}

/// A record as it would be written, in canonical text: what [`check`]
/// read, named as the form names it (slugs, organisation numbers, `YYYY:
/// amount`), the lists sorted. Two forms that write the same record have
/// the same canonical text; the total is not stored and is left empty.
///
/// [`check`]: register::check
fn canonical(values: &RecordValues, links: &RecordLinks, refs: &RegisterRefs) -> RecordForm {
    let slug = |rows: &[(i64, String, String)], id: Option<i64>| {
        id.and_then(|id| rows.iter().find(|r| r.0 == id))
            .map(|r| r.1.clone())
            .unwrap_or_default()
    };
    let sorted = |mut items: Vec<String>| {
        items.sort();
        items.join("; ")
    };
    RecordForm {
        body: refs
            .bodies
            .iter()
            .find(|b| b.0 == values.city_body_id)
            .map(|b| b.1.clone())
            .unwrap_or_default(),
        form: values.form.clone(),
        title: values.title.clone(),
        description: values.description.clone(),
        outcome: values.outcome.clone(),
        starts_on: values.starts_on.to_string(),
        ends_on: values.ends_on.to_string(),
        organisations: sorted(
            links
                .organisations
                .iter()
                .filter_map(|id| refs.organisations.iter().find(|o| o.0 == *id))
                .map(|o| o.3.clone().unwrap_or_else(|| o.1.clone()))
                .collect(),
        ),
        money: sorted(
            links
                .money
                .iter()
                .map(|(year, amount)| format!("{year}: {amount}"))
                .collect(),
        ),
        total: String::new(),
        district: slug(&refs.districts, values.district_id),
        challenge: slug(&refs.challenges, values.challenge_id),
        activity: values
            .activity_id
            .and_then(|id| refs.activities.iter().find(|a| a.id == id))
            .map(|a| format!("{}/{}", a.plan_slug, a.slug))
            .unwrap_or_default(),
        principles: sorted(
            links
                .principles
                .iter()
                .filter_map(|id| refs.principles.iter().find(|p| p.0 == *id))
                .map(|p| p.1.clone())
                .collect(),
        ),
        version: String::new(),
    }
}

/// The canonical text of a stored record (see [`canonical`]).
fn canonical_of_record(record: &Record) -> RecordForm {
    let mut form = record.to_form();
    for column in LIST_FIELDS {
        let mut items: Vec<String> = register::list(form_field(&form, column))
            .map(str::to_owned)
            .collect();
        items.sort();
        set_field(&mut form, column, items.join("; "));
    }
    form.total = String::new();
    form.version = String::new();
    form
}

/// The fields whose canonical text differs, in the columns' order.
fn changed_fields(before: &RecordForm, after: &RecordForm) -> Vec<&'static str> {
    RECORD_FIELDS
        .iter()
        .copied()
        .filter(|c| form_field(before, c) != form_field(after, c))
        .collect()
}

/// The cells of a record in the import format, in [`RECORD_FIELDS`] order:
/// the canonical text of its form, with the total of its money when it has any.
pub fn record_cells(record: &Record) -> Vec<String> {
    let mut form = record.to_form();
    if !record.money.is_empty() {
        form.total = record.total_sek.to_string();
    }
    RECORD_FIELDS
        .iter()
        .map(|c| form_field(&form, c).to_owned())
        .collect()
}

/// Records as CSV in the import format, every cell guarded against formula
/// injection as the importer undoes it: importing it back changes nothing.
pub fn records_csv(records: &[Record]) -> Result<String> {
    write_csv(
        RECORD_FIELDS,
        records
            .iter()
            .map(|r| record_cells(r).into_iter().map(Cow::Owned).collect()),
    )
}

/// A batch of records as a part of a CSV in the import format sent in
/// parts: the first part leads with the header.
pub fn records_csv_part(first: bool, records: &[Record]) -> Result<String> {
    if first {
        return records_csv(records);
    }
    write_csv_rows(
        records
            .iter()
            .map(|r| record_cells(r).into_iter().map(Cow::Owned).collect()),
    )
}

/// A row that passed, ready to be written.
enum Ready {
    Create(Box<(RecordValues, RecordLinks)>),
    Update {
        id: i64,
        version: i64,
        checked: Box<(RecordValues, RecordLinks)>,
    },
    Nothing,
}

/// What identifies a record in a file: its city body, title and start.
type Key = (String, String, Date);

fn key_of(row: &CsvRow) -> Option<Key> {
    let body = row.value("body").trim();
    let title = row.value("title").trim();
    let starts_on = parse_date(row.value("starts_on"))?;
    if body.is_empty() || title.is_empty() {
        return None;
    }
    Some((body.to_owned(), title.to_owned(), starts_on))
}

/// The stored record a row stands for (by body, title and start), if
/// exactly one; a key seen before in the file, or one that several stored
/// records share, is a problem.
fn match_row<'r>(
    row: &CsvRow,
    existing: &'r [Record],
    seen: &mut HashMap<Key, u64>,
    problems: &mut Vec<RowProblem>,
) -> Option<&'r Record> {
    let mut matched: Option<&Record> = None;
    if let Some(key) = key_of(row) {
        if let Some(first) = seen.get(&key) {
            problems.push(RowProblem::new(
                "title",
                "import-duplicate",
                format!(
                    "the record of {} called '{}' starting {} is already on line {first} of the file; name each record once",
                    key.0, key.1, key.2
                ),
            ));
        } else {
            seen.insert(key.clone(), row.line);
        }
        let matches: Vec<&Record> = existing
            .iter()
            .filter(|r| r.body.slug == key.0 && r.title == key.1 && r.starts_on == key.2)
            .collect();
        match matches.as_slice() {
            [] => {}
            [one] => matched = Some(one),
            many => {
                let ids: Vec<String> = many.iter().map(|r| r.id.to_string()).collect();
                let mut p = RowProblem::new(
                    "title",
                    "import-ambiguous",
                    format!(
                        "{} records of {} in the register have this title and start ({}); change one of them on its page first",
                        many.len(),
                        key.0,
                        ids.join(", ")
                    ),
                );
                p.detail = Some(ids.join(", "));
                problems.push(p);
            }
        }
    }
    matched
}

/// Checks every row against the register and the records already there.
fn plan_rows(
    register: &RegisterScope,
    existing: &[Record],
    table: CsvTable,
    progress: ProgressFn<'_>,
) -> (RecordImportReport, Vec<Ready>) {
    let total = table.rows.len();
    let mut report = RecordImportReport {
        file_problems: Vec::new(),
        rows: Vec::with_capacity(total),
        applied: false,
    };
    let mut ready = Vec::with_capacity(total);
    let mut seen: HashMap<Key, u64> = HashMap::new();
    for (done, row) in table.rows.into_iter().enumerate() {
        let mut problems = row.problems.clone();
        let mut outcome = None;
        let mut item = Ready::Nothing;
        let matched = match_row(&row, existing, &mut seen, &mut problems);
        // Columns left out of the file keep what the record has.
        let mut form = matched.map(Record::to_form).unwrap_or_default();
        for (column, value) in &row.cells {
            set_field(&mut form, column, value.clone());
        }
        match register::check(&form, &register.refs) {
            Ok((values, links)) => {
                if problems.is_empty() {
                    let after = canonical(&values, &links, &register.refs);
                    let checked = Box::new((values, links));
                    (outcome, item) = match matched {
                        None => (Some(RowOutcome::Created), Ready::Create(checked)),
                        Some(record) => {
                            let fields = changed_fields(&canonical_of_record(record), &after);
                            if fields.is_empty() {
                                (Some(RowOutcome::Unchanged), Ready::Nothing)
                            } else {
                                (
                                    Some(RowOutcome::Changed(fields)),
                                    Ready::Update {
                                        id: record.id,
                                        version: record.version,
                                        checked,
                                    },
                                )
                            }
                        }
                    };
                }
            }
            Err(errors) => problems.extend(errors.into_iter().map(RowProblem::from)),
        }
        report.rows.push(RecordRowReport {
            line: row.line,
            body: row.value("body").trim().to_owned(),
            title: row.value("title").trim().to_owned(),
            record: matched.map(|r| r.id),
            outcome,
            problems,
        });
        ready.push(item);
        progress(ImportStage::Checking, done + 1, total);
    }
    (report, ready)
}

impl App {
    /// Imports a CSV file of records into an agreement's register; see the
    /// module documentation. `roles` is `None` for the trusted command line;
    /// on the web only coordinators of the agreement may import.
    /// `created_by` is the account noted on new records. With `dry_run`, or
    /// when any row has a problem, nothing is written and the report says
    /// what would happen; otherwise every row is written in one transaction.
    pub async fn import_records_csv(
        &self,
        created_by: Option<i64>,
        roles: Option<&Roles>,
        request: &RecordImportRequest<'_>,
        progress: ProgressFn<'_>,
    ) -> Result<RecordImportReport> {
        if let Some(roles) = roles
            && !roles.coordinates(request.agreement)
        {
            return Err(Error::Forbidden("only coordinators import records"));
        }
        let register = self.register_of(request.agreement).await?;
        let table = match read_records_csv(request.csv) {
            Ok(table) => table,
            Err(problems) => {
                return Ok(RecordImportReport {
                    file_problems: problems,
                    rows: Vec::new(),
                    applied: false,
                });
            }
        };
        // On SQLite the transaction holds the write lock from here, so the
        // records read next cannot change before they are written; on
        // PostgreSQL the conditional update refuses a record changed since.
        let mut tx = self.db().begin().await?;
        let existing = self.records_matching(&register, &table).await?;
        let register = self.naming_rows(&register, &existing, &table).await?;
        let (mut report, ready) = plan_rows(&register, &existing, table, progress);
        if request.dry_run || report.has_problems() {
            // Dropping the transaction rolls it back.
            return Ok(report);
        }
        let now = OffsetDateTime::now_utc();
        let total = ready.len();
        for (done, (item, row)) in ready.iter().zip(report.rows.iter_mut()).enumerate() {
            match item {
                Ready::Create(checked) => {
                    let (values, links) = checked.as_ref();
                    let id = tx.insert_record(values, created_by, now).await?;
                    tx.write_record_links(id, links).await?;
                    row.record = Some(id);
                }
                Ready::Update {
                    id,
                    version,
                    checked,
                } => {
                    let (values, links) = checked.as_ref();
                    if !tx.update_record(*id, *version, values, now).await? {
                        return Err(Error::Stale(
                            Message::new("import-record-stale", format!(
                                "someone changed the record on line {} ('{}') during the import; \
                                 nothing was written, check the file again",
                                row.line, row.title
                            ))
                            .arg("line", row.line.to_string())
                            .arg("title", row.title.as_str()),
                        ));
                    }
                    tx.write_record_links(*id, links).await?;
                }
                Ready::Nothing => {}
            }
            progress(ImportStage::Writing, done + 1, total);
        }
        self.commit_public(tx).await?;
        report.applied = true;
        Ok(report)
    }

    /// The stored records the file's rows may match: those with a title one
    /// of the rows has (read by title, never the whole register).
    async fn records_matching(
        &self,
        register: &RegisterScope,
        table: &CsvTable,
    ) -> Result<Vec<Record>> {
        let mut titles: Vec<String> = (table.rows.iter())
            .map(|row| row.value("title").trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        titles.sort_unstable();
        titles.dedup();
        let rows = (self.db().acquire().await?.conn())
            .records_titled(register.agreement_id, &titles)
            .await?;
        self.name_records(register, rows).await
    }

    /// `register` with the organisations and activities that the file's
    /// rows and the records they match name (see [`App::naming`]).
    async fn naming_rows(
        &self,
        register: &RegisterScope,
        existing: &[Record],
        table: &CsvTable,
    ) -> Result<RegisterScope> {
        let mut forms: Vec<RecordForm> = existing.iter().map(Record::to_form).collect();
        for row in &table.rows {
            let mut form = RecordForm::default();
            for (column, value) in &row.cells {
                set_field(&mut form, column, value.clone());
            }
            forms.push(form);
        }
        let forms: Vec<&RecordForm> = forms.iter().collect();
        self.naming(register, &forms).await
    }

    /// The records of an agreement that pass the filter, in the import
    /// format: importing it back changes nothing.
    pub async fn export_records_csv(
        &self,
        agreement: &str,
        filter: &RecordFilter,
    ) -> Result<String> {
        let register = self.register_of(agreement).await?;
        let (scope, _) = self.scope_of(&register, filter).await?;
        let mut text = String::new();
        let mut n = 0;
        loop {
            let batch = (self.records_batch(&register, scope, (n, EXPORT_BATCH))).await?;
            text.push_str(&records_csv_part(n == 0, &batch)?);
            if batch.len() < EXPORT_BATCH {
                return Ok(text);
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_a_form_field_and_the_required_ones_are_columns() {
        let mut form = RecordForm::default();
        for (i, c) in RECORD_FIELDS.iter().enumerate() {
            set_field(&mut form, c, format!("v{i}"));
        }
        for (i, c) in RECORD_FIELDS.iter().enumerate() {
            assert_eq!(form_field(&form, c), format!("v{i}"), "{c}");
        }
        for c in RECORD_REQUIRED.iter().chain(LIST_FIELDS) {
            assert!(RECORD_FIELDS.contains(c), "{c}");
        }
    }

    #[test]
    fn the_header_is_read_by_name_and_unknown_columns_are_named() {
        let t = read_records_csv(
            "Title;body;form;description;starts_on;ends_on;organisations\nLäxhjälp;kulturnamnden;iop;Hjälp;2024-01-01;2024-12-31;802451-3387\n"
                .as_bytes(),
        )
        .expect("readable");
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[0].value("title"), "Läxhjälp");
        assert_eq!(t.rows[0].get("money"), None);
        let errors = read_records_csv(b"body,form,title,colour\n").unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("colour", "import-unknown-column"),
                ("description", "import-missing-column"),
                ("starts_on", "import-missing-column"),
                ("ends_on", "import-missing-column"),
                ("organisations", "import-missing-column"),
            ]
        );
    }

    #[test]
    fn changed_fields_compare_canonical_text() {
        let a = RecordForm {
            title: "A".into(),
            money: "2021: 5; 2022: 6".into(),
            ..RecordForm::default()
        };
        let mut b = a.clone();
        assert!(changed_fields(&a, &b).is_empty());
        b.money = "2021: 5".into();
        b.title = "B".into();
        assert_eq!(changed_fields(&a, &b), vec!["title", "money"]);
    }
}

//! Reading and writing the CSV files of the imports (the action plan's
//! activities and updates, the collaboration register's records, the city
//! bodies and organisations of the directory): rows with the physical line
//! they start on, the header read by column name, problems per row and
//! column, what each row does (and the report of a directory file), and
//! cells guarded against formula injection on the way out and unguarded on
//! the way in. The formats themselves are described in
//! `docs/csv-format.md`.

use crate::{Error, FieldError, Result};
use serde::Serialize;
use std::borrow::Cow;

/// One problem with a row (or with the header, on line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The column, or `row` for the row as a whole.
    pub field: String,
    /// A stable code, such as `activity-date` or `import-unknown-column`.
    pub code: String,
    /// What is wrong and how to fix it, in English.
    pub message: String,
    /// The value the wording names (an unknown slug, a line of a cell).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl RowProblem {
    pub(crate) fn new(
        field: impl Into<String>,
        code: &str,
        message: impl Into<String>,
    ) -> RowProblem {
        RowProblem {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
            detail: None,
        }
    }
}

impl From<FieldError> for RowProblem {
    fn from(e: FieldError) -> RowProblem {
        RowProblem {
            detail: e.detail,
            ..RowProblem::new(e.field, e.code, e.message)
        }
    }
}

/// What a row does (or would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "fields", rename_all = "snake_case")]
pub enum RowOutcome {
    /// A new activity (a new record, body, organisation).
    Created,
    /// An existing one, with the names of the fields that change.
    Changed(Vec<&'static str>),
    /// An existing one exactly as in the file.
    Unchanged,
    /// A new progress update.
    Added,
    /// The activity already has an update of that date and text.
    AlreadyThere,
}

impl RowOutcome {
    /// A short name: `created`, `changed`, `unchanged`, `added`, `already_there`.
    pub fn key(&self) -> &'static str {
        match self {
            RowOutcome::Created => "created",
            RowOutcome::Changed(_) => "changed",
            RowOutcome::Unchanged => "unchanged",
            RowOutcome::Added => "added",
            RowOutcome::AlreadyThere => "already_there",
        }
    }

    /// The changed fields, for `Changed`.
    pub fn fields(&self) -> &[&'static str] {
        match self {
            RowOutcome::Changed(f) => f,
            _ => &[],
        }
    }
}

/// One data row of a directory file (city bodies, organisations) and what
/// it does, or its problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRow {
    /// The physical line of the file the row starts on (the header is 1).
    pub line: u64,
    /// The entry's name, as in the row.
    pub name: String,
    /// The entry the row matches (its slug; once applied, also the one it
    /// made).
    pub slug: Option<String>,
    /// What the row does (`created`, `changed` with the fields, or
    /// `unchanged`); `None` when it has problems.
    pub outcome: Option<RowOutcome>,
    pub problems: Vec<RowProblem>,
}

/// The result of a dry run or of applying a directory file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntryReport {
    /// Problems of the file as a whole or of its header (line 1).
    pub file_problems: Vec<RowProblem>,
    pub rows: Vec<EntryRow>,
    /// Whether the rows were written (never when there is a problem).
    pub applied: bool,
}

impl EntryReport {
    /// A file whose header (or whole) could not be read.
    pub fn unreadable(problems: Vec<RowProblem>) -> EntryReport {
        EntryReport {
            file_problems: problems,
            rows: Vec::new(),
            applied: false,
        }
    }

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

/// Notes that `key` is on `line`; when it came on an earlier line of the
/// file, the problem that says so.
pub(crate) fn seen_before(
    seen: &mut std::collections::HashMap<String, u64>,
    key: &str,
    line: u64,
    field: &str,
) -> Option<RowProblem> {
    if let Some(first) = seen.get(key) {
        let mut p = RowProblem::new(
            field,
            "import-twice",
            format!("'{key}' is already on line {first} of the file; name each once"),
        );
        p.detail = Some(first.to_string());
        return Some(p);
    }
    seen.insert(key.to_owned(), line);
    None
}

/// Where a long import is, for a progress bar: the stage, rows done, rows in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    Checking,
    Writing,
}

/// Called after each row with (stage, done, total).
pub type ProgressFn<'a> = &'a (dyn Fn(ImportStage, usize, usize) + Send + Sync);

/// A progress function that does nothing.
pub fn no_progress(_: ImportStage, _: usize, _: usize) {}

// ---------------------------------------------------------------------------
// Reading the CSV.

/// A data row as read: its line and its cells by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u64,
    /// (column, value) for the columns of the header, in file order.
    pub cells: Vec<(&'static str, String)>,
    /// Problems reading the row itself (cell count, encoding).
    pub problems: Vec<RowProblem>,
}

impl CsvRow {
    /// The value of a column present in the file.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a column, empty when the file has no such column.
    pub fn value(&self, column: &str) -> &str {
        self.get(column).unwrap_or("")
    }
}

/// A file as read: the header's columns and the data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    pub columns: Vec<&'static str>,
    pub rows: Vec<CsvRow>,
}

/// The characters that make a spreadsheet read a cell as a formula.
pub(crate) fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Guards a cell against formula injection: a value that starts with a
/// formula character (after any apostrophes) gets one more apostrophe in
/// front. [`unguard_cell`] takes it away again, so a guarded export imports
/// back as it was.
pub fn guard_cell(value: &str) -> Cow<'_, str> {
    if value.trim_start_matches('\'').starts_with(is_formula_start) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Undoes [`guard_cell`]: one leading apostrophe before (apostrophes and) a
/// formula character is dropped.
pub fn unguard_cell(value: String) -> String {
    if value.starts_with('\'') && value.trim_start_matches('\'').starts_with(is_formula_start) {
        value[1..].to_owned()
    } else {
        value
    }
}

/// `;` when the header line has more semicolons than commas, else `,`.
fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

fn column_list(columns: &[&str]) -> String {
    columns.join(", ")
}

/// The physical line a record starts on. The reader's position is where
/// it began looking for the record, before any blank lines it skipped.
fn line_of(bytes: &[u8], position: &csv::Position) -> u64 {
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let skipped = bytes
        .get(start..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|b| **b == b'\n')
        .count();
    position.line() + skipped as u64
}

/// Reads a CSV file of one format: UTF-8 (a BOM is skipped), a header row of
/// the format's column names (`allowed`, in any order, case and surrounding
/// spaces ignored; each of `required` must be there), separated by commas or, when the header has more of them, by
/// semicolons. Rows whose cells are all empty are skipped. Problems of the
/// header are returned as the error; problems of single rows stay with them.
pub fn read_table(
    bytes: &[u8],
    allowed: &'static [&'static str],
    required: &[&str],
) -> std::result::Result<CsvTable, Vec<RowProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let header_read = reader.read_byte_record(&mut record).map_err(|e| {
        vec![RowProblem::new(
            "row",
            "import-unreadable",
            format!("the file cannot be read as CSV: {e}"),
        )]
    })?;
    if !header_read {
        return Err(vec![RowProblem::new(
            "row",
            "import-empty",
            format!(
                "the file is empty; its first line names the columns: {}",
                column_list(allowed)
            ),
        )]);
    }
    let columns = header_columns(&record, allowed, required)?;
    let mut rows = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(bytes, p));
                rows.push(CsvRow {
                    line,
                    cells: Vec::new(),
                    problems: vec![RowProblem::new(
                        "row",
                        "import-unreadable",
                        format!("the row cannot be read as CSV: {e}"),
                    )],
                });
                break;
            }
        }
        let line = record.position().map_or(0, |p| line_of(bytes, p));
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        rows.push(row_of(&record, line, &columns));
    }
    Ok(CsvTable { columns, rows })
}

/// Checks the header row: every name one of `allowed` and named once, every
/// one of `required` there. The columns in the header's order.
fn header_columns(
    record: &csv::ByteRecord,
    allowed: &'static [&'static str],
    required: &[&str],
) -> std::result::Result<Vec<&'static str>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut columns: Vec<&'static str> = Vec::new();
    for (i, raw) in record.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().to_lowercase();
        match allowed.iter().find(|c| **c == name) {
            Some(c) if columns.contains(c) => problems.push(RowProblem::new(
                name.clone(),
                "import-column-twice",
                format!("the column '{name}' is named twice in the header"),
            )),
            Some(c) => columns.push(c),
            None if name.is_empty() => problems.push(RowProblem::new(
                "row",
                "import-unknown-column",
                format!(
                    "column {} of the header has no name; every column is one of: {}",
                    i + 1,
                    column_list(allowed)
                ),
            )),
            None => problems.push(RowProblem::new(
                name.clone(),
                "import-unknown-column",
                format!(
                    "'{name}' is not a column of this format; the columns are: {}",
                    column_list(allowed)
                ),
            )),
        }
    }
    for required in required {
        if !columns.contains(required) {
            problems.push(RowProblem::new(
                *required,
                "import-missing-column",
                format!("the header has no column '{required}'; it is required"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// One data row's cells by column (unguarded), with the problems of its
/// cell count and encoding.
fn row_of(record: &csv::ByteRecord, line: u64, columns: &[&'static str]) -> CsvRow {
    let mut row = CsvRow {
        line,
        cells: Vec::with_capacity(columns.len()),
        problems: Vec::new(),
    };
    if record.len() != columns.len() {
        row.problems.push(RowProblem::new(
            "row",
            "import-cell-count",
            format!(
                "the row has {} cells but the header names {} columns",
                record.len(),
                columns.len()
            ),
        ));
    }
    for (column, raw) in columns.iter().zip(record.iter()) {
        match std::str::from_utf8(raw) {
            Ok(text) => row.cells.push((column, unguard_cell(text.to_owned()))),
            Err(_) => {
                row.problems.push(RowProblem::new(
                    *column,
                    "import-encoding",
                    "the cell is not UTF-8 text; save the file as CSV UTF-8",
                ));
                row.cells.push((column, String::new()));
            }
        }
    }
    row
}

/// Writes rows of cells as CSV with a header, every cell guarded against
/// formula injection.
pub fn write_csv<'a>(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cow<'a, str>>>,
) -> Result<String> {
    write_records(Some(header), rows)
}

/// Writes rows of cells as CSV without a header (a later part of a CSV
/// sent in parts), every cell guarded as by [`write_csv`].
pub fn write_csv_rows<'a>(rows: impl IntoIterator<Item = Vec<Cow<'a, str>>>) -> Result<String> {
    write_records(None, rows)
}

fn write_records<'a>(
    header: Option<&[&str]>,
    rows: impl IntoIterator<Item = Vec<Cow<'a, str>>>,
) -> Result<String> {
    let internal = |e: csv::Error| Error::internal("writing CSV", e);
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(header) = header {
        writer.write_record(header).map_err(internal)?;
    }
    for row in rows {
        writer
            .write_record(row.iter().map(|c| guard_cell(c).into_owned()))
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::internal("writing CSV", e))?;
    String::from_utf8(bytes).map_err(|e| Error::internal("writing CSV", e))
}

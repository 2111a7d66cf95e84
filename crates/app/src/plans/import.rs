//! Importing and exporting an action plan's activities and progress updates
//! as CSV (the formats are described in `docs/csv-format.md`).
//!
//! An import is planned first: every data row is read with the line it
//! starts on, checked by the same checks as the forms (`activities::check`,
//! `follow_up::check_update`) against what is stored and against the rows
//! above it in the same file, and given what would happen to it. A dry run
//! stops there. Applying re-plans inside one transaction and writes only
//! when no row has a problem: all rows or none.

use crate::plans::activities::{
    self, ACTIVITY_FIELDS, ActivityForm, Author, CheckedActivity, Outcome,
};
use crate::plans::follow_up::{self, CheckedUpdate, UpdateForm};
use crate::roles::Roles;
use crate::{App, Error, Result};
use samverkan_db::Tx;
use samverkan_db::plans::PlanRefs;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

pub use crate::csv_rows::{
    CsvRow, CsvTable, ImportStage, ProgressFn, RowOutcome, RowProblem, guard_cell, no_progress,
    read_table, unguard_cell, write_csv,
};

/// The columns of the updates format, in order.
pub const UPDATE_FIELDS: &[&str] = &[
    "activity",
    "written_on",
    "body",
    "progress",
    "status",
    "milestone",
    "party",
];

/// Columns an activities file must have.
pub const ACTIVITY_REQUIRED: &[&str] = &["slug", "title", "part", "status", "starts_on", "ends_on"];

/// Columns an updates file must have.
pub const UPDATE_REQUIRED: &[&str] = &["activity", "written_on", "body"];

/// Which of the two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Activities,
    Updates,
}

impl ImportKind {
    pub fn parse(text: &str) -> Option<ImportKind> {
        match text.trim() {
            "activities" => Some(ImportKind::Activities),
            "updates" => Some(ImportKind::Updates),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Activities => "activities",
            ImportKind::Updates => "updates",
        }
    }

    /// Every column of the format, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Activities => ACTIVITY_FIELDS,
            ImportKind::Updates => UPDATE_FIELDS,
        }
    }

    /// The columns a file must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Activities => ACTIVITY_REQUIRED,
            ImportKind::Updates => UPDATE_REQUIRED,
        }
    }
}

/// Reads a CSV file of one format: see [`read_table`], with the format's
/// columns and required columns.
pub fn read_csv(bytes: &[u8], kind: ImportKind) -> std::result::Result<CsvTable, Vec<RowProblem>> {
    read_table(bytes, kind.columns(), kind.required())
}

/// One data row of the file and what it does, or its problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    /// The physical line of the file the row starts on (the header is 1).
    pub line: u64,
    /// The activity's slug (for updates: the slug of the activity updated).
    pub activity: String,
    /// What the row does; `None` when it has problems.
    pub outcome: Option<RowOutcome>,
    pub problems: Vec<RowProblem>,
}

/// The result of a dry run or of applying a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Problems of the file as a whole or of its header (line 1).
    pub file_problems: Vec<RowProblem>,
    pub rows: Vec<RowReport>,
    /// Whether the rows were written (never when there is a problem).
    pub applied: bool,
}

impl ImportReport {
    /// Whether anything stops the import.
    pub fn has_problems(&self) -> bool {
        !self.file_problems.is_empty() || self.rows.iter().any(|r| !r.problems.is_empty())
    }

    /// The rows with problems.
    pub fn failed_rows(&self) -> usize {
        self.rows.iter().filter(|r| !r.problems.is_empty()).count()
    }

    /// How many rows have the outcome `key` (see [`RowOutcome::key`]).
    pub fn count(&self, key: &str) -> usize {
        self.rows
            .iter()
            .filter(|r| r.outcome.as_ref().is_some_and(|o| o.key() == key))
            .count()
    }
}

// ---------------------------------------------------------------------------
// Planning.

/// A row that passed, ready to be written.
enum Ready {
    Activity {
        checked: Box<CheckedActivity>,
        existing: Option<i64>,
    },
    Update {
        activity_id: i64,
        checked: CheckedUpdate,
        party: String,
    },
    Nothing,
}

struct Plan {
    report: ImportReport,
    ready: Vec<Ready>,
}

fn header_failure(kind: ImportKind, problems: Vec<RowProblem>) -> Plan {
    Plan {
        report: ImportReport {
            kind,
            file_problems: problems,
            rows: Vec::new(),
            applied: false,
        },
        ready: Vec::new(),
    }
}

/// The slug a row names (or the one `check` would derive from its title).
fn slug_of_row(row: &CsvRow) -> String {
    let slug = row.value("slug").trim();
    if slug.is_empty() {
        crate::organisations::slugify(row.value("title").trim())
    } else {
        slug.to_owned()
    }
}

async fn plan_activities(
    tx: &mut Tx,
    refs: &mut PlanRefs,
    plan_id: i64,
    table: CsvTable,
    progress: ProgressFn<'_>,
) -> Result<Plan> {
    let total = table.rows.len();
    // The organisations the file names, read once (not the whole register).
    let named: Vec<String> = (table.rows.iter())
        .flat_map(|row| {
            ["responsible_organisations", "partner_organisations"].map(|c| row.value(c))
        })
        .flat_map(activities::split_list)
        .map(str::to_owned)
        .collect();
    tx.name_plan_organisations(refs, &named, &[]).await?;
    let mut plan = Plan {
        report: ImportReport {
            kind: ImportKind::Activities,
            file_problems: Vec::new(),
            rows: Vec::with_capacity(total),
            applied: false,
        },
        ready: Vec::with_capacity(total),
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (done, row) in table.rows.into_iter().enumerate() {
        let slug = slug_of_row(&row);
        let mut problems = row.problems.clone();
        let mut outcome = None;
        let mut ready = Ready::Nothing;
        if let Some(first) = seen.get(&slug) {
            problems.push(RowProblem::new(
                "slug",
                "import-duplicate",
                format!("the activity '{slug}' is already on line {first} of the file; name each activity once"),
            ));
        } else if !slug.is_empty() {
            seen.insert(slug.clone(), row.line);
        }
        if problems.is_empty() {
            let existing = tx.activity_id(plan_id, &slug).await?;
            let stored = match existing {
                Some(id) => match tx.activity(id).await? {
                    Some((r, l)) => {
                        (tx.name_plan_organisations(refs, &[], &activities::organisation_ids(&l)))
                            .await?;
                        Some(activities::form_of(&activities::values_of(&r), &l, refs))
                    }
                    None => None,
                },
                None => None,
            };
            // Columns left out of the file keep what is stored.
            let mut form = stored.clone().unwrap_or_default();
            for (column, value) in &row.cells {
                form.set(column, value.clone());
            }
            form.slug = slug.clone();
            match activities::check(&form, refs, plan_id) {
                Ok(checked) => {
                    outcome = Some(match &stored {
                        None => RowOutcome::Created,
                        Some(before) => {
                            let after = activities::form_of(&checked.values, &checked.links, refs);
                            let changes = activities::changed_fields(before, &after);
                            if changes.is_empty() {
                                RowOutcome::Unchanged
                            } else {
                                RowOutcome::Changed(changes.into_iter().map(|c| c.0).collect())
                            }
                        }
                    });
                    ready = Ready::Activity {
                        checked: Box::new(checked),
                        existing,
                    };
                }
                Err(errors) => problems.extend(errors.into_iter().map(RowProblem::from)),
            }
        }
        plan.report.rows.push(RowReport {
            line: row.line,
            activity: slug,
            outcome,
            problems,
        });
        plan.ready.push(ready);
        progress(ImportStage::Checking, done + 1, total);
    }
    Ok(plan)
}

/// An update row as read before its update is checked: the activity it
/// names (when it is one of the plan's), the party and the problems so far.
struct UpdateRow<'s> {
    slug: String,
    activity: Option<&'s crate::plans::views::Activity>,
    party: String,
    problems: Vec<RowProblem>,
}

/// Reads an update row's activity, date and party.
fn read_update_row<'s>(
    row: &CsvRow,
    activities: &'s crate::plans::record::AgreementActivities,
    plan_slug: &str,
) -> UpdateRow<'s> {
    let slug = row.value("activity").trim().to_owned();
    let mut problems = row.problems.clone();
    let activity = match activities.activity(plan_slug, &slug) {
        Ok(a) => Some(a),
        Err(_) => {
            problems.push(RowProblem::new(
                "activity",
                "import-unknown-activity",
                if slug.is_empty() {
                    "name the activity by its slug".to_owned()
                } else {
                    format!("'{slug}' is not an activity of this plan")
                },
            ));
            None
        }
    };
    if row.value("written_on").trim().is_empty() {
        problems.push(RowProblem::new(
            "written_on",
            "import-date-missing",
            "give the date the update was written, as 2024-03-31",
        ));
    }
    let party = row.value("party").trim().to_owned();
    if party.chars().count() > 200 {
        problems.push(RowProblem::new(
            "party",
            "import-party-length",
            "write the party's name in at most 200 characters",
        ));
    }
    UpdateRow {
        slug,
        activity,
        party,
        problems,
    }
}

/// Checks each row of an updates file against the plan: what it would add.
async fn plan_updates(
    app: &App,
    tx: &mut Tx,
    agreement: &str,
    plan_slug: &str,
    table: CsvTable,
    progress: ProgressFn<'_>,
) -> Result<Plan> {
    let (snapshot, activities) = app.with_activities(agreement).await?;
    let record = snapshot.agreement(agreement)?;
    let total = table.rows.len();
    let mut plan = Plan {
        report: ImportReport {
            kind: ImportKind::Updates,
            file_problems: Vec::new(),
            rows: Vec::with_capacity(total),
            applied: false,
        },
        ready: Vec::with_capacity(total),
    };
    let mut seen: HashMap<(i64, Date, String), u64> = HashMap::new();
    for (done, row) in table.rows.into_iter().enumerate() {
        let UpdateRow {
            slug,
            activity,
            party,
            mut problems,
        } = read_update_row(&row, &activities, plan_slug);
        let mut outcome = None;
        let mut ready = Ready::Nothing;
        if let Some(activity) = activity {
            let form = UpdateForm {
                written_on: row.value("written_on").to_owned(),
                body: row.value("body").to_owned(),
                progress: row.value("progress").to_owned(),
                status: row.value("status").to_owned(),
                milestone: row.value("milestone").to_owned(),
                party: String::new(),
            };
            match follow_up::check_update(&form, activity, snapshot.today) {
                Ok(checked) => {
                    let key = (activity.id, checked.written_on, checked.body.clone());
                    if let Some(first) = seen.get(&key) {
                        problems.push(RowProblem::new(
                            "body",
                            "import-duplicate",
                            format!("the same update (date and text) is already on line {first} of the file"),
                        ));
                    } else {
                        seen.insert(key, row.line);
                    }
                    if problems.is_empty() {
                        if tx
                            .has_update(activity.id, checked.written_on, &checked.body)
                            .await?
                        {
                            outcome = Some(RowOutcome::AlreadyThere);
                        } else {
                            outcome = Some(RowOutcome::Added);
                            let party = if party.is_empty() {
                                activity
                                    .responsible
                                    .first()
                                    .map(|p| p.name.clone())
                                    .unwrap_or_else(|| record.summary.short_name.clone())
                            } else {
                                party
                            };
                            ready = Ready::Update {
                                activity_id: activity.id,
                                checked,
                                party,
                            };
                        }
                    }
                }
                Err(errors) => problems.extend(errors.into_iter().map(RowProblem::from)),
            }
        }
        plan.report.rows.push(RowReport {
            line: row.line,
            activity: slug,
            outcome,
            problems,
        });
        plan.ready.push(ready);
        progress(ImportStage::Checking, done + 1, total);
    }
    Ok(plan)
}

/// What an import is asked to do.
pub struct ImportRequest<'a> {
    pub kind: ImportKind,
    pub agreement: &'a str,
    pub plan: &'a str,
    pub csv: &'a [u8],
    /// Only check and report; write nothing.
    pub dry_run: bool,
}

impl App {
    /// Imports a CSV file of activities or updates into a plan; see the
    /// module documentation. `roles` is `None` for the trusted command line;
    /// on the web only coordinators of the agreement may import. With
    /// `dry_run`, or when any row has a problem, nothing is written and the
    /// report says what would happen; otherwise every row is written in one
    /// transaction.
    pub async fn import_plan_csv(
        &self,
        author: &Author,
        roles: Option<&Roles>,
        request: &ImportRequest<'_>,
        progress: ProgressFn<'_>,
    ) -> Result<ImportReport> {
        if let Some(roles) = roles
            && !roles.coordinates(request.agreement)
        {
            return Err(Error::Forbidden(
                "only coordinators import activities and updates",
            ));
        }
        let mut refs = self.refs_of(request.agreement).await?;
        let plan_id = *refs
            .plans
            .get(request.plan)
            .ok_or(Error::NotFound("plan"))?;
        let table = read_csv(request.csv, request.kind);
        let mut tx = self.db().begin().await?;
        let plan = match table {
            Err(problems) => header_failure(request.kind, problems),
            Ok(table) => match request.kind {
                ImportKind::Activities => {
                    plan_activities(&mut tx, &mut refs, plan_id, table, progress).await?
                }
                ImportKind::Updates => {
                    plan_updates(
                        self,
                        &mut tx,
                        request.agreement,
                        request.plan,
                        table,
                        progress,
                    )
                    .await?
                }
            },
        };
        let Plan { mut report, ready } = plan;
        if request.dry_run || report.has_problems() {
            // Dropping the transaction rolls it back.
            return Ok(report);
        }
        let now = OffsetDateTime::now_utc();
        let total = ready.len();
        for (done, (item, row)) in ready.iter().zip(report.rows.iter_mut()).enumerate() {
            match item {
                Ready::Activity { checked, existing } => {
                    let (_, outcome) = activities::write(
                        &mut tx,
                        &mut refs,
                        checked,
                        existing.map(|id| (id, None)),
                        author,
                        now,
                    )
                    .await?;
                    row.outcome = Some(match outcome {
                        Outcome::Created => RowOutcome::Created,
                        Outcome::Changed(fields) => RowOutcome::Changed(fields),
                        Outcome::Unchanged => RowOutcome::Unchanged,
                    });
                }
                Ready::Update {
                    activity_id,
                    checked,
                    party,
                } => {
                    follow_up::publish(&mut tx, *activity_id, checked, author, party, now).await?;
                }
                Ready::Nothing => {}
            }
            progress(ImportStage::Writing, done + 1, total);
        }
        self.commit_public(tx).await?;
        report.applied = true;
        Ok(report)
    }

    /// The activities of a plan in the activities format: importing it back
    /// changes nothing.
    pub async fn export_activities_csv(&self, agreement: &str, plan: &str) -> Result<String> {
        let (snapshot, activities) = self.with_activities(agreement).await?;
        let record = snapshot.agreement(agreement)?;
        record.plan(plan).ok_or(Error::NotFound("plan"))?;
        let forms: Vec<ActivityForm> = activities
            .activities_of_plan(plan)
            .map(ActivityForm::from_view)
            .collect();
        write_csv(
            ACTIVITY_FIELDS,
            forms.iter().map(|f| {
                f.fields()
                    .into_iter()
                    .map(|(_, v)| Cow::Borrowed(v))
                    .collect()
            }),
        )
    }

    /// The published updates of a plan's activities in the updates format,
    /// oldest first per activity: importing it back adds nothing.
    pub async fn export_updates_csv(&self, agreement: &str, plan: &str) -> Result<String> {
        let (snapshot, activities) = self.with_activities(agreement).await?;
        let record = snapshot.agreement(agreement)?;
        record.plan(plan).ok_or(Error::NotFound("plan"))?;
        let mut rows: Vec<Vec<Cow<'_, str>>> = Vec::new();
        for a in activities.activities_of_plan(plan) {
            for u in a.updates.iter().rev() {
                rows.push(vec![
                    Cow::Borrowed(a.slug.as_str()),
                    Cow::Owned(u.written_on.to_string()),
                    Cow::Borrowed(u.body.as_str()),
                    Cow::Owned(u.progress.map(|p| p.to_string()).unwrap_or_default()),
                    Cow::Borrowed(u.status.map(|s| s.as_str()).unwrap_or("")),
                    Cow::Borrowed(u.milestone.as_deref().unwrap_or("")),
                    Cow::Borrowed(u.party.as_str()),
                ]);
            }
        }
        write_csv(UPDATE_FIELDS, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_rows::is_formula_start;

    fn read(text: &str, kind: ImportKind) -> CsvTable {
        read_csv(text.as_bytes(), kind).expect("a readable file")
    }

    const HEADER: &str = "activity,written_on,body,progress,status,milestone,party";

    #[test]
    fn rows_carry_their_physical_line_even_after_multi_line_cells() {
        let text = format!(
            "{HEADER}\na,2024-01-01,\"Första raden\nandra raden\",10,,,\nb,2024-02-01,Kort,,,,\n\n\"c\",2024-03-01,\"Tre\n\nrader\",,,,\nd,2024-04-01,Sist,,,,"
        );
        let t = read(&text, ImportKind::Updates);
        let lines: Vec<(u64, &str)> = t
            .rows
            .iter()
            .map(|r| (r.line, r.value("activity")))
            .collect();
        assert_eq!(lines, vec![(2, "a"), (4, "b"), (6, "c"), (9, "d")]);
        assert_eq!(t.rows[0].value("body"), "Första raden\nandra raden");
        assert!(t.rows.iter().all(|r| r.problems.is_empty()));
    }

    #[test]
    fn a_bom_semicolons_and_header_case_are_tolerated() {
        let text = "\u{feff}Activity ; WRITTEN_ON;body\nx;2024-01-01;\"Hej; du\"\r\n";
        let t = read(text, ImportKind::Updates);
        assert_eq!(t.columns, vec!["activity", "written_on", "body"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[0].value("body"), "Hej; du");
        assert_eq!(t.rows[0].get("party"), None);
    }

    #[test]
    fn header_problems_name_the_column() {
        let errors =
            read_csv(b"activity,written_on,bodyy,colour\n", ImportKind::Updates).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["bodyy", "colour", "body"]);
        assert_eq!(errors[0].code, "import-unknown-column");
        assert!(errors[0].message.contains("'bodyy' is not a column"));
        assert_eq!(errors[2].code, "import-missing-column");
        let twice = read_csv(b"activity,written_on,body,body\n", ImportKind::Updates).unwrap_err();
        assert_eq!(twice[0].code, "import-column-twice");
        let empty = read_csv(b"", ImportKind::Activities).unwrap_err();
        assert_eq!(empty[0].code, "import-empty");
        let missing = read_csv(b"slug,title\n", ImportKind::Activities).unwrap_err();
        let fields: Vec<&str> = missing.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["part", "status", "starts_on", "ends_on"]);
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_is_a_problem_of_that_row() {
        let t = read(
            &format!("{HEADER}\na,2024-01-01,x\nb,2024-01-02,y,,,,\n,,,,,,\n"),
            ImportKind::Updates,
        );
        assert_eq!(t.rows.len(), 2, "the empty row is skipped");
        assert_eq!(t.rows[0].problems[0].code, "import-cell-count");
        assert!(t.rows[1].problems.is_empty());
    }

    #[test]
    fn invalid_utf8_is_reported_by_cell() {
        let mut bytes = format!("{HEADER}\na,2024-01-01,").into_bytes();
        bytes.extend_from_slice(b"caf\xe9,,,,\n");
        let t = read_csv(&bytes, ImportKind::Updates).unwrap();
        assert_eq!(t.rows[0].problems[0].field, "body");
        assert_eq!(t.rows[0].problems[0].code, "import-encoding");
    }

    #[test]
    fn formula_guard_round_trips() {
        for v in [
            "=SUM(A1)",
            "+46 40 34 10 00",
            "-5 grader",
            "@home",
            "'=x",
            "''+y",
            "vanlig",
            "'citat'",
            "",
        ] {
            let guarded = guard_cell(v);
            assert!(!guarded.starts_with(is_formula_start), "{guarded}");
            assert_eq!(unguard_cell(guarded.into_owned()), v);
        }
        assert_eq!(guard_cell("=1+1"), "'=1+1");
        assert_eq!(guard_cell("Läxhjälp"), "Läxhjälp");
    }

    #[test]
    fn written_csv_is_guarded_and_reads_back() {
        let csv = write_csv(
            UPDATE_FIELDS,
            vec![vec![
                Cow::Borrowed("a"),
                Cow::Borrowed("2024-01-01"),
                Cow::Borrowed("=HYPERLINK(\"x\")\nrad två"),
                Cow::Borrowed("10"),
                Cow::Borrowed(""),
                Cow::Borrowed(""),
                Cow::Borrowed("Stjärnan, Malmö"),
            ]],
        )
        .unwrap();
        assert!(!csv.contains(",=") && !csv.contains(",\"="), "{csv}");
        let t = read(&csv, ImportKind::Updates);
        assert_eq!(t.rows[0].value("body"), "=HYPERLINK(\"x\")\nrad två");
        assert_eq!(t.rows[0].value("party"), "Stjärnan, Malmö");
    }

    #[test]
    fn kinds_parse_and_every_activity_column_is_known() {
        assert_eq!(ImportKind::parse("updates"), Some(ImportKind::Updates));
        assert_eq!(ImportKind::parse("x"), None);
        for c in ACTIVITY_REQUIRED {
            assert!(ACTIVITY_FIELDS.contains(c));
        }
    }
}

//! CSV for every list endpoint, from the same views as the JSON: each item is
//! flattened (nested fields as `parent.child`, lists of plain values joined
//! with "; "), so a new field shows up in both formats at once. The text is
//! written by the platform's one CSV writer, `csv_rows::write_csv`, which
//! guards every cell against formula injection; [`csv_answer`] is the one
//! way a CSV leaves the API.

use crate::error::ApiError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use samverkan_app::csv_rows::{write_csv, write_csv_rows};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let joined: Vec<String> = items.iter().map(scalar).collect();
            out.push((prefix.to_owned(), joined.join("; ")));
        }
        Value::Array(_) => out.push((prefix.to_owned(), value.to_string())),
        other => out.push((prefix.to_owned(), scalar(other))),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Each item's fields flattened, and the union of their names in
/// first-seen order.
fn flattened<T: Serialize>(items: &[T]) -> Result<(Vec<String>, Vec<Row>), ApiError> {
    let mut rows: Vec<Row> = Vec::with_capacity(items.len());
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        let value = serde_json::to_value(item)
            .map_err(|e| ApiError(samverkan_app::Error::internal("CSV answer", e)))?;
        let mut row = Vec::new();
        flatten(
            "",
            &Value::Object(value.as_object().cloned().unwrap_or_else(Map::new)),
            &mut row,
        );
        for (k, _) in &row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
        rows.push(row);
    }
    Ok((columns, rows))
}

type Row = Vec<(String, String)>;

/// The cells of `rows` under `columns` (empty where a row lacks one).
fn cells<'a>(
    columns: &'a [String],
    rows: &'a [Row],
) -> impl Iterator<Item = Vec<Cow<'a, str>>> + 'a {
    rows.iter().map(move |row| {
        columns
            .iter()
            .map(|c| {
                Cow::Borrowed(
                    row.iter()
                        .find(|(k, _)| k == c)
                        .map_or("", |(_, v)| v.as_str()),
                )
            })
            .collect::<Vec<_>>()
    })
}

/// Renders `items` as CSV with a header row. Columns are the union of the
/// items' fields in first-seen order.
pub fn to_csv<T: Serialize>(items: &[T]) -> Result<String, ApiError> {
    let (columns, rows) = flattened(items)?;
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    Ok(write_csv(&header, cells(&columns, &rows))?)
}

/// A CSV written in parts, as a list is read batch by batch: the first
/// part's fields are the columns (every item of a list has the same
/// fields), and its header leads.
#[derive(Default)]
pub struct CsvParts {
    columns: Option<Vec<String>>,
}

impl CsvParts {
    /// The CSV text of the next batch.
    pub fn next<T: Serialize>(&mut self, items: &[T]) -> Result<String, ApiError> {
        let (found, rows) = flattened(items)?;
        match &self.columns {
            Some(columns) => Ok(write_csv_rows(cells(columns, &rows))?),
            None => {
                let header: Vec<&str> = found.iter().map(String::as_str).collect();
                let text = write_csv(&header, cells(&found, &rows))?;
                self.columns = Some(found);
                Ok(text)
            }
        }
    }
}

/// A CSV answer whose body is written while `batches` are read: `batch(n)`
/// reads the `n`th batch of at most `size` items; the answer ends after a
/// shorter one. The memory it takes is one batch, whatever the list's size.
/// The columns are the items' fields, as in [`to_csv`].
pub fn csv_stream<T, F, Fut>(name: &str, size: usize, batch: F) -> Response
where
    T: Serialize + Send + 'static,
    F: FnMut(usize) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = samverkan_app::Result<Vec<T>>> + Send,
{
    let mut parts = CsvParts::default();
    csv_stream_with(name, size, batch, move |items| parts.next(items))
}

/// [`csv_stream`] with the text of each batch written by `write` (called
/// once per batch, in order, so it knows whether the header is due).
pub fn csv_stream_with<T, F, Fut, W>(
    name: &str,
    size: usize,
    mut batch: F,
    mut write: W,
) -> Response
where
    T: Send + 'static,
    F: FnMut(usize) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = samverkan_app::Result<Vec<T>>> + Send,
    W: FnMut(&[T]) -> Result<String, ApiError> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(2);
    tokio::spawn(async move {
        for n in 0.. {
            let part = match batch(n).await {
                Ok(items) => write(&items).map(|text| (text, items.len())),
                Err(e) => Err(ApiError(e)),
            };
            let (text, len) = match part {
                Ok(done) => done,
                Err(e) => {
                    tracing::error!(error = %e.0, "CSV export failed part-way");
                    let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                    break;
                }
            };
            if tx.send(Ok(text)).await.is_err() || len < size {
                break;
            }
        }
    });
    let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    csv_headers(name, body)
}

/// A CSV answer with its download name. `body` must come from
/// `csv_rows::write_csv` (directly or through [`to_csv`]).
pub fn csv_answer(body: String, name: &str) -> Response {
    csv_headers(name, body)
}

fn csv_headers(name: &str, body: impl IntoResponse) -> Response {
    let disposition = format!("attachment; filename=\"{name}.csv\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

pub fn csv_response<T: Serialize>(items: &[T], name: &str) -> Result<Response, ApiError> {
    Ok(csv_answer(to_csv(items)?, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fields_are_flattened_and_quoted() {
        let items = vec![
            serde_json::json!({"slug": "a", "m": {"name": "Malmö, stad"}, "tags": ["x", "y"], "n": null}),
            serde_json::json!({"slug": "b", "m": {"name": "Sjövik"}, "tags": [], "n": 2}),
        ];
        let csv = to_csv(&items).unwrap();
        assert_eq!(
            csv,
            "slug,m.name,tags,n\na,\"Malmö, stad\",x; y,\nb,Sjövik,,2\n"
        );
    }

    #[test]
    fn cells_that_would_start_a_formula_are_guarded() {
        let items = vec![serde_json::json!({
            "name": "=HYPERLINK(\"http://evil.example\")",
            "at": "@SUM(A1)",
            "plus": "+1",
            "minus": "-2",
            "tab": "\tx",
            "cr": "\rx",
            "plain": "ok",
            "n": -3
        })];
        let csv = to_csv(&items).unwrap();
        let row = csv.lines().nth(1).unwrap();
        assert_eq!(
            row,
            "\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@SUM(A1),'+1,'-2,'\tx,\"'\rx\",ok,'-3"
        );
    }
}

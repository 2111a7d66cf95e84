//! CSV for every list endpoint, from the same views as the JSON: each item is
//! flattened (nested fields as `parent.child`, lists of plain values joined
//! with "; "), so a new field shows up in both formats at once. The text is
//! written by the platform's one CSV writer, `csv_rows::write_csv`, which
//! guards every cell against formula injection; [`csv_answer`] is the one
//! way a CSV leaves the API.

use crate::error::ApiError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use samverkan_app::csv_rows::write_csv;
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

/// Renders `items` as CSV with a header row. Columns are the union of the
/// items' fields in first-seen order.
pub fn to_csv<T: Serialize>(items: &[T]) -> Result<String, ApiError> {
    let mut rows: Vec<Vec<(String, String)>> = Vec::with_capacity(items.len());
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
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    let cells = rows.iter().map(|row| {
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
    });
    Ok(write_csv(&header, cells)?)
}

/// A CSV answer with its download name. `body` must come from
/// `csv_rows::write_csv` (directly or through [`to_csv`]).
pub fn csv_answer(body: String, name: &str) -> Response {
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

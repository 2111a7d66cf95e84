//! Schema introspection, so a test can check that the two migration trees
//! build the same tables, columns, nullability and indexes. The one place
//! where the catalogue queries differ by backend.

use crate::{Db, Result};
use std::collections::BTreeSet;

/// A backend-neutral description of a schema.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// (table, column, type family, nullable)
    pub columns: BTreeSet<(String, String, &'static str, bool)>,
    /// (table, comma-joined columns, unique); primary keys left out
    pub indexes: BTreeSet<(String, String, bool)>,
}

/// Folds a declared type into a family both backends share.
fn type_family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t == "text" {
        "text"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t == "date" {
        "date"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else if t.contains("real") || t.contains("double") || t.contains("numeric") {
        "number"
    } else {
        "other"
    }
}

impl Db {
    pub async fn schema(&self) -> Result<Schema> {
        let mut schema = Schema::default();
        match self {
            Db::Sqlite(pool) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table'
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await?;
                for table in tables {
                    let cols: Vec<(String, String, bool, i64)> = sqlx::query_as(
                        "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)",
                    )
                    .bind(&table)
                    .fetch_all(pool)
                    .await?;
                    for (name, ty, notnull, pk) in cols {
                        schema.columns.insert((
                            table.clone(),
                            name,
                            type_family(&ty),
                            !notnull && pk == 0,
                        ));
                    }
                    let indexes: Vec<(String, bool, String)> = sqlx::query_as(
                        "SELECT name, \"unique\", origin FROM pragma_index_list($1)",
                    )
                    .bind(&table)
                    .fetch_all(pool)
                    .await?;
                    for (index, unique, origin) in indexes {
                        if origin == "pk" {
                            continue;
                        }
                        let cols: Vec<String> = sqlx::query_scalar(
                            "SELECT name FROM pragma_index_info($1) ORDER BY seqno",
                        )
                        .bind(&index)
                        .fetch_all(pool)
                        .await?;
                        schema
                            .indexes
                            .insert((table.clone(), cols.join(","), unique));
                    }
                }
            }
            Db::Postgres(pool) => {
                let cols: Vec<(String, String, String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
                     FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
                )
                .fetch_all(pool)
                .await?;
                for (table, name, ty, nullable) in cols {
                    schema
                        .columns
                        .insert((table, name, type_family(&ty), nullable == "YES"));
                }
                let indexes: Vec<(String, String, bool)> = sqlx::query_as(
                    "SELECT t.relname::text,
                            (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                             FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum),
                            ix.indisunique
                     FROM pg_index ix
                     JOIN pg_class t ON t.oid = ix.indrelid
                     JOIN pg_namespace n ON n.oid = t.relnamespace
                     WHERE n.nspname = current_schema() AND NOT ix.indisprimary
                       AND t.relname NOT LIKE '\\_sqlx%'",
                )
                .fetch_all(pool)
                .await?;
                schema.indexes.extend(indexes);
            }
        }
        Ok(schema)
    }
}

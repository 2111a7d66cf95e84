use samverkan_testkit::{Backend, TestDb};

/// The two migration trees must build the same tables, columns, nullability
/// and indexes, so one set of queries serves both databases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_trees_build_the_same_schema() {
    let sqlite = TestDb::new(Backend::Sqlite).await;
    let postgres = TestDb::new(Backend::Postgres).await;
    let a = sqlite.db.schema().await.unwrap();
    let b = postgres.db.schema().await.unwrap();
    assert!(!a.columns.is_empty());
    let only_sqlite: Vec<_> = a.columns.difference(&b.columns).collect();
    let only_pg: Vec<_> = b.columns.difference(&a.columns).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "columns differ:\nSQLite only: {only_sqlite:#?}\nPostgreSQL only: {only_pg:#?}"
    );
    let only_sqlite: Vec<_> = a.indexes.difference(&b.indexes).collect();
    let only_pg: Vec<_> = b.indexes.difference(&a.indexes).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "indexes differ:\nSQLite only: {only_sqlite:#?}\nPostgreSQL only: {only_pg:#?}"
    );
}

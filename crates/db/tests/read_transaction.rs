//! `Db::begin_read`, the transaction the public snapshot is read in: one
//! state of the database for all its queries, and no write lock.

use samverkan_db::{Tx, tx_run};
use samverkan_testkit::{Backend, TestDb};
use std::time::Duration;

async fn municipalities(tx: &mut Tx) -> i64 {
    tx_run!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM municipalities"
    )
    .fetch_one(c)
    .await)
    .expect("count municipalities")
}

/// A writer commits while the read transaction is open: it is not held up,
/// and the read transaction goes on seeing the state of its first read.
async fn sees_one_state_while_a_writer_commits(t: &TestDb) {
    let mut read = t.db.begin_read().await.expect("begin the read transaction");
    let before = municipalities(&mut read).await;

    let mut write = tokio::time::timeout(Duration::from_secs(2), t.db.begin())
        .await
        .expect("a writer waited on the read transaction (it holds the write lock)")
        .expect("begin the write transaction");
    tx_run!(write, |c| sqlx::query(
        "INSERT INTO municipalities (slug, name) VALUES ('ny-kommun', 'Ny kommun')"
    )
    .execute(c)
    .await
    .map(|_| ()))
    .expect("insert while the read transaction is open");
    tokio::time::timeout(Duration::from_secs(2), write.commit())
        .await
        .expect("the writer's commit waited on the read transaction")
        .expect("commit while the read transaction is open");

    assert_eq!(
        municipalities(&mut read).await,
        before,
        "the read transaction saw a row committed after its first read"
    );
    read.commit().await.expect("end the read transaction");

    let mut after = t.db.begin_read().await.expect("begin another read");
    assert_eq!(municipalities(&mut after).await, before + 1);
}

#[tokio::test]
async fn sqlite_read_transaction_takes_no_write_lock_and_keeps_its_snapshot() {
    let t = TestDb::new(Backend::Sqlite).await;
    sees_one_state_while_a_writer_commits(&t).await;
}

#[tokio::test]
async fn postgres_read_transaction_is_repeatable_read_and_read_only() {
    let t = TestDb::new(Backend::Postgres).await;
    let mut read = t.db.begin_read().await.expect("begin the read transaction");
    let (isolation, read_only): (String, String) = tx_run!(read, |c| {
        sqlx::query_as(
        "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"
    )
    .fetch_one(c)
    .await
    })
    .expect("read the transaction's settings");
    assert_eq!(isolation, "repeatable read");
    assert_eq!(read_only, "on");
    let refused = tx_run!(read, |c| sqlx::query(
        "INSERT INTO municipalities (slug, name) VALUES ('skriv', 'Skriv')"
    )
    .execute(c)
    .await
    .map(|_| ()));
    assert!(refused.is_err(), "the read transaction accepted a write");
    drop(read);

    sees_one_state_while_a_writer_commits(&t).await;
}

//! PostgreSQL test databases: a template migrated once per schema version
//! (named after the migrations' checksums), cloned for each test, dropped
//! after it.

use samverkan_db::{ConnectOptions, Db};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::time::Duration;

pub fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub(crate) fn url_for(database: &str) -> String {
    let admin = admin_url();
    match admin.rfind('/') {
        Some(i) if i > admin.find("://").map_or(0, |s| s + 2) => {
            let (base, rest) = admin.split_at(i);
            let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
            format!("{base}/{database}{query}")
        }
        _ => format!("{admin}/{database}"),
    }
}

async fn admin() -> PgConnection {
    let url = admin_url();
    match tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&url)).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => panic!(
            "PostgreSQL is not reachable at {url} ({e}). The suite runs on PostgreSQL as well as SQLite: \
             start PostgreSQL or point TEST_POSTGRES_URL at a server where this user may create databases."
        ),
        Err(_) => panic!("PostgreSQL at {url} did not answer within 10 s"),
    }
}

fn template_name() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for m in samverkan_db::postgres_migrator().iter() {
        for b in m.checksum.iter() {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("samverkan_tpl_{:012x}", hash & 0xffff_ffff_ffff)
}

async fn exists(conn: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .expect("query pg_database")
        > 0
}

/// Makes sure the migrated template exists; several test threads and
/// processes may race here, so the build is under an advisory lock.
async fn ensure_template(conn: &mut PgConnection) -> String {
    let template = template_name();
    if exists(conn, &template).await {
        return template;
    }
    sqlx::query("SELECT pg_advisory_lock(73011)")
        .execute(&mut *conn)
        .await
        .expect("advisory lock");
    if !exists(conn, &template).await {
        let building = format!("{template}_building");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {building}"
        )))
        .execute(&mut *conn)
        .await
        .expect("drop a half-built template");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .execute(&mut *conn)
            .await
            .expect("create the template");
        let db = Db::connect(
            &url_for(&building),
            &ConnectOptions {
                max_connections: 1,
                ..Default::default()
            },
        )
        .await
        .expect("connect to the template");
        db.migrate().await.expect("migrate the template");
        db.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {building} RENAME TO {template}"
        )))
        .execute(&mut *conn)
        .await
        .expect("publish the template");
    }
    sqlx::query("SELECT pg_advisory_unlock(73011)")
        .execute(&mut *conn)
        .await
        .expect("advisory unlock");
    template
}

/// Creates `name` as a clone of the migrated template and returns its URL.
pub async fn create_database(name: &str) -> String {
    let mut conn = admin().await;
    let template = ensure_template(&mut conn).await;
    // Cloning fails while another session is connected to the template;
    // nobody stays connected, so a short bounded retry covers the race.
    let mut attempts = 0;
    loop {
        let sql = format!("CREATE DATABASE {name} TEMPLATE {template}");
        match sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
        {
            Ok(_) => break,
            Err(e) if attempts < 50 && e.to_string().contains("being accessed by other users") => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot create test database {name}: {e}"),
        }
    }
    let _ = conn.close().await;
    url_for(name)
}

/// Drops a test database from a `Drop` impl: on its own thread and runtime,
/// so it works whether or not the caller is inside a runtime.
pub fn drop_database_blocking(name: &str) {
    let name = name.to_owned();
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            if let Ok(Ok(mut conn)) =
                tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(&admin_url()))
                    .await
            {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
            }
        });
    })
    .join();
}
